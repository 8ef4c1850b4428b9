package quay

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The fuzz targets cover every parser of input that comes from outside:
// error bodies, dates, numbers, Retry-After headers and URLs.

func FuzzNewError(f *testing.F) {
	for _, seed := range []string{
		`{"detail": "Not Found", "error_message": "Not Found", "error_type": "not_found", "title": "not_found", "status": 404}`,
		`{"message":"Invalid namespace"}`,
		`{"message": {"limit": "Limit to the number of results"}}`,
		`{"error": "CSRF token was invalid or missing."}`,
		`{"is_readonly":true,"message":"System is currently read-only."}`,
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
		if string(e.Body) != body {
			t.Error("Body does not keep the raw body")
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
		if u.User != nil && u.User.String() != "" && strings.Contains(out, u.User.String()+"@") && u.User.String() != redacted {
			t.Errorf("redactURL(%q) = %q keeps the user information", raw, out)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return
		}
		for name, vals := range q {
			for _, v := range vals {
				if isSecretParam(name) && len(v) > 8 && strings.Contains(out, url.QueryEscape(v)) {
					t.Errorf("redactURL(%q) = %q keeps the value of %s", raw, out, name)
				}
			}
		}
	})
}
