package quay

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The fuzz targets cover every parser of input that comes from outside:
// error bodies, dates, numbers, CVSS scores, Retry-After headers and URLs.

func FuzzNewError(f *testing.F) {
	for _, seed := range []string{
		`{"detail": "Not Found", "error_message": "Not Found", "error_type": "not_found", "title": "not_found", "status": 404}`,
		`{"message":"Invalid namespace"}`,
		`{"message": {"limit": "Limit to the number of results"}}`,
		`{"error": "CSRF token was invalid or missing."}`,
		`{"is_readonly":true,"message":"System is currently read-only."}`,
		`{"message": "Repository is in read only or mirror mode: 1"}`,
		"<html><head><title>Internal Server Error</title></head></html>",
		"Too many login attempts. \nPlease reset your Quay password.",
		"", `{"detail": "Not Fo`, `{"message": 5, "error": [1]}`, "<title>", "\xff\xfe",
	} {
		f.Add(500, seed)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		e := newError(status, "GET", "https://quay.example.com/api/v1/x", []byte(body), false)
		msg := e.Error()
		if !strings.HasPrefix(msg, "quay: GET https://quay.example.com/api/v1/x: ") {
			t.Errorf("Error() = %q lost its prefix", msg)
		}
		if len(msg) > 1000 {
			t.Errorf("Error() is %d bytes; it must summarise, not dump, the body", len(msg))
		}
		if strings.ContainsAny(msg, "\r\n") {
			t.Errorf("Error() = %q spans lines; a log line must stay one", msg)
		}
		if string(e.Body) != body {
			t.Error("Body does not keep the raw body")
		}
		// The sentinels follow the status alone, except the two that the
		// body refines, and those imply their status's sentinel.
		for sentinel, want := range map[error]bool{
			ErrBadRequest: status == 400, ErrUnauthorized: status == 401, ErrForbidden: status == 403,
			ErrNotFound: status == 404, ErrRateLimited: status == 429, ErrServer: status >= 500 && status <= 599,
		} {
			if errors.Is(e, sentinel) != want {
				t.Errorf("errors.Is(%d error, %v) = %v", status, sentinel, !want)
			}
		}
		if errors.Is(e, ErrReadOnly) && !errors.Is(e, ErrServer) {
			t.Errorf("a read-only error that is no server error: %d", status)
		}
		if errors.Is(e, ErrFreshLoginRequired) && !errors.Is(e, ErrUnauthorized) {
			t.Errorf("a fresh-login error that is no 401: %d", status)
		}
	})
}

// FuzzErrorFamilies builds each of Quay's error bodies (reference §1.3) from
// fuzzed fields, in the encoder Quay uses for it, and checks that the
// decoder hands every field back: what Quay said is never lost or mixed up.
func FuzzErrorFamilies(f *testing.F) {
	f.Add(404, "not_found", "Not Found", "limit", "Limit to the number of results to return per page. Max 100.")
	f.Add(400, "invalid_request", "'username' is a required property\n\nFailed validating 'required' in schema:", "page", "")
	f.Add(403, "insufficient_scope", "Unauthorized", "", "CSRF token was invalid or missing.")
	f.Add(401, "fresh_login_required", "<\u00e9>&\"", "a\"b", "\x7f")
	f.Fuzz(func(t *testing.T, status int, errType, text, param, help string) {
		for _, s := range []string{errType, text, param, help} {
			if !utf8.ValidString(s) {
				return // Quay's bodies are JSON text: valid UTF-8
			}
		}
		q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		decode := func(body string) *Error {
			return newError(status, "GET", "https://quay.example.com/api/v1/x", []byte(body), false)
		}
		// A: Flask-RESTful, ", " and ": " separators, a trailing newline.
		a := decode(`{"detail": ` + q(text) + `, "error_message": ` + q(text) + `, "error_type": ` + q(errType) +
			`, "title": ` + q(errType) + `, "type": "https://quay.example.com/api/v1/error/x", "status": ` +
			strconv.Itoa(status) + "}\n")
		if a.Type != errType || a.Title != errType || a.Detail != text {
			t.Errorf("family A: got type %q title %q detail %q", a.Type, a.Title, a.Detail)
		}
		// B: jsonify, compact. D: Flask-RESTful. Both are {"message": str}.
		for _, body := range []string{`{"message":` + q(text) + "}\n", `{"message": ` + q(text) + "}\n"} {
			if e := decode(body); e.Message != text || e.ParamErrors != nil || e.Type != "" {
				t.Errorf("{\"message\"} body %s: got message %q params %v type %q", body, e.Message, e.ParamErrors, e.Type)
			}
		}
		// C: json.dumps, no newline, served as text/html.
		if e := decode(`{"error": ` + q(text) + `}`); e.ErrorText != text {
			t.Errorf("family C: got %q, want %q", e.ErrorText, text)
		}
		// E: reqparse's {"message": {param: help}}.
		e := decode(`{"message": {` + q(param) + `: ` + q(help) + `}}` + "\n")
		if diff := cmp.Diff(map[string]string{param: help}, e.ParamErrors); diff != "" || e.Message != "" {
			t.Errorf("family E: message %q, params (-want +got):\n%s", e.Message, diff)
		}
		// F: jsonify {"is_readonly": true, "message": str}.
		if e := decode(`{"is_readonly":true,"message":` + q(text) + "}\n"); !e.ReadOnly || e.Message != text {
			t.Errorf("family F: read-only %v message %q", e.ReadOnly, e.Message)
		}
	})
}

func FuzzTimestamp(f *testing.F) {
	for _, seed := range []string{`"Tue, 04 Feb 2025 13:45:10 -0000"`, `"Tue, 04 Feb 2025 13:45:10 GMT"`, `"2025-02-04T13:45:10Z"`, `null`, `""`, `5`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var ts Timestamp
		if err := json.Unmarshal([]byte(in), &ts); err != nil || ts.IsZero() {
			return
		}
		if ts.Location() != time.UTC {
			t.Errorf("%s decoded outside UTC: %v", in, ts)
		}
		b, err := json.Marshal(ts)
		if err != nil {
			return // years outside 0..9999 do not marshal
		}
		var back Timestamp
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(ts.Truncate(time.Second)) {
			t.Errorf("round trip of %s: %s -> %v, %v", in, b, back, err)
		}
	})
}

func FuzzInt64(f *testing.F) {
	for _, seed := range []string{`10737418240`, `5000000000.0`, `1e10`, `-5`, `4.5`, `1e400`, `"5"`, `null`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var n Int64
		if err := json.Unmarshal([]byte(in), &n); err != nil {
			return
		}
		var f64 float64
		if json.Unmarshal([]byte(in), &f64) == nil && f64 != float64(n) && in != "null" {
			t.Errorf("%s decoded to %d, but it is %v", in, n, f64)
		}
	})
}

// FuzzCVSSv3 checks the security scan's CVSS decoder: it never panics, and
// a Score it accepts is the JSON number given (or 0 for "" and null).
func FuzzCVSSv3(f *testing.F) {
	for _, seed := range []string{`7.4`, `""`, `null`, `"7.4"`, `1e400`, `-0`, `true`, `{}`} {
		f.Add("CVSS:3.1/AV:N", seed)
	}
	f.Fuzz(func(t *testing.T, vectors, score string) {
		vb, _ := json.Marshal(vectors)
		in := `{"Vectors": ` + string(vb) + `, "Score": ` + score + `}`
		var c CVSSv3
		if err := json.Unmarshal([]byte(in), &c); err != nil {
			return
		}
		var want float64
		if s := strings.TrimSpace(score); s != `""` && s != "null" {
			if err := json.Unmarshal([]byte(score), &want); err != nil {
				t.Fatalf("%s decoded to %+v, but its Score is no number", in, c)
			}
		}
		if c.Score != want || (utf8.ValidString(vectors) && c.Vectors != vectors) {
			t.Errorf("%s decoded to %+v, want Score %v and Vectors %q", in, c, want, vectors)
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2025, 2, 4, 13, 45, 10, 0, time.UTC)
	for _, seed := range []string{"120", "0", "-1", "Tue, 04 Feb 2025 13:46:10 GMT", "soon", "99999999999999999999"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := parseRetryAfter(v, now); ok && d < 0 {
			t.Errorf("parseRetryAfter(%q) = %v, want no negative wait", v, d)
		}
	})
}

func FuzzRedactURL(f *testing.F) {
	for _, seed := range []string{"https://q.example.com/api/v1/x?access_token=SECRET&limit=5", "https://u:SECRET@q.example.com/", "https://q.example.com/?a=%zzSECRET"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		out := redactURL(u)
		back, err := url.Parse(out)
		if err != nil {
			t.Fatalf("redactURL(%q) = %q, which does not parse: %v", raw, out, err)
		}
		// Judge secrets by where they are, not by their text: "//0@#0@"
		// has user "0" and a fragment that happens to hold "0@", and in
		// "000000000?tokeY=000000000" the token's value is also the path.
		if u.User != nil && (back.User == nil || back.User.String() != redacted) {
			t.Errorf("redactURL(%q) = %q keeps the user information", raw, out)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return
		}
		kept, err := url.ParseQuery(back.RawQuery)
		if err != nil {
			t.Fatalf("redactURL(%q) = %q, whose query does not parse: %v", raw, out, err)
		}
		for name, vals := range q {
			if !isSecretParam(name) {
				continue
			}
			if want := slices.Repeat([]string{redacted}, len(vals)); !slices.Equal(kept[name], want) {
				t.Errorf("redactURL(%q) = %q: %s is %q, want %q", raw, out, name, kept[name], want)
			}
		}
	})
}
