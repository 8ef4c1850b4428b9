package conformance

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func jsonAnswer(status int, body string, header ...string) *Response {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &Response{Status: status, Header: h, Body: []byte(body)}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	vars := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name               string
		real, fake         *Response
		realVars, fakeVars map[string]string
		want               []Diff
	}{
		{name: "identical", real: jsonAnswer(200, `{"a": [1, "x"]}`), fake: jsonAnswer(200, `{"a": [1, "x"]}`)},
		{name: "the server's own headers are not compared",
			real: jsonAnswer(200, `{}`, "Server", "Werkzeug/3.0.6 Python/3.11.2", "Date", "Mon, 07 Dec 2026 17:00:00 GMT", "Connection", "close", "Content-Length", "2"),
			fake: jsonAnswer(200, `{}`, "Date", "Mon, 07 Dec 2026 17:00:01 GMT", "Content-Length", "2")},
		{name: "status and a header Quay sets",
			real: jsonAnswer(405, `{}`, "Allow", "GET, HEAD, OPTIONS, POST"), fake: jsonAnswer(404, `{}`, "Allow", "OPTIONS, POST"),
			want: []Diff{{"status", "405", "404"}, {"header Allow", `"GET, HEAD, OPTIONS, POST"`, `"OPTIONS, POST"`}}},
		{name: "Allow in any order (werkzeug's comes from a set)",
			real: jsonAnswer(405, `{}`, "Allow", "GET, OPTIONS, POST, HEAD"), fake: jsonAnswer(405, `{}`, "Allow", "GET, HEAD, OPTIONS, POST")},
		{name: "a header only one side sends",
			real: jsonAnswer(200, `{}`, "Vary", "Cookie"), fake: jsonAnswer(200, `{}`),
			want: []Diff{{"header Vary", `"Cookie"`, "(absent)"}}},
		{name: "a value, by its path", real: jsonAnswer(200, `{"users": [{"email": "a@x.io"}]}`), fake: jsonAnswer(200, `{"users": [{"email": "b@x.io"}]}`),
			want: []Diff{{"$.users[0].email", `"a@x.io"`, `"b@x.io"`}}},
		{name: "strings compare as written: an escape is not its character",
			real: jsonAnswer(200, `{"n": "\u00fc"}`), fake: jsonAnswer(200, `{"n": "ü"}`),
			want: []Diff{{"$.n", `"\u00fc"`, `"ü"`}}},
		{name: "key order", real: jsonAnswer(200, `{"a": 1, "b": 2}`), fake: jsonAnswer(200, `{"b": 2, "a": 1}`),
			want: []Diff{{"$ key order", "a,b", "b,a"}}},
		{name: "a member only one side has", real: jsonAnswer(200, `{"a": 1}`), fake: jsonAnswer(200, `{"a": 1, "b": null}`),
			want: []Diff{{"$.b", "(absent)", "null"}}},
		{name: "formatting: json.dumps against jsonify", real: jsonAnswer(200, `{"a": [1, 2]}`), fake: jsonAnswer(200, `{"a":[1,2]}`),
			want: []Diff{{"format", `"{\"\": [0, 0]}"`, `"{\"\":[0,0]}"`}}},
		{name: "a trailing newline is formatting", real: jsonAnswer(200, "{}\n"), fake: jsonAnswer(200, "{}"),
			want: []Diff{{"format", `"{}\n"`, `"{}"`}}},
		{name: "a body that is not JSON, byte for byte", real: &Response{Status: 500, Body: []byte("<html>a</html>")},
			fake: &Response{Status: 500, Body: []byte("<html>b</html>")}, want: []Diff{{"body", `"<html>a</html>"`, `"<html>b</html>"`}}},
		{name: "generated passwords and page tokens",
			real: jsonAnswer(200, `{"username": "u", "password": "abc", "encrypted_password": "x1", "next_page": "gAAAA1"}`),
			fake: jsonAnswer(200, `{"username": "u", "password": "xyz", "encrypted_password": "y2", "next_page": "gAAAA2"}`)},
		{name: "a password that one side lacks is still a difference",
			real: jsonAnswer(200, `{"password": "abc"}`), fake: jsonAnswer(200, `{"password": null}`),
			want: []Diff{{"$.password", `"<random>"`, "null"}}},
		{name: "captured values become their names, in bodies and headers",
			real:     jsonAnswer(200, `{"kid": "AAAAAAAAAAAA", "log": "key AAAAAAAAAAAA made"}`, "Location", "http://h/keys/AAAAAAAAAAAA"),
			fake:     jsonAnswer(200, `{"kid": "BBBBBBBBBBBB", "log": "key BBBBBBBBBBBB made"}`, "Location", "http://h/keys/BBBBBBBBBBBB"),
			realVars: vars("kid", "AAAAAAAAAAAA"), fakeVars: vars("kid", "BBBBBBBBBBBB")},
		{name: "short captured values are left alone", real: jsonAnswer(200, `{"id": "4"}`), fake: jsonAnswer(200, `{"id": "5"}`),
			realVars: vars("quota", "4"), fakeVars: vars("quota", "5"), want: []Diff{{"$.id", `"4"`, `"5"`}}},
		{name: "the modulus of a key the run made, not of a seeded key",
			real:     jsonAnswer(200, `{"keys": [{"jwk": {"kid": "AAAAAAAAAAAA", "n": "r1"}}, {"jwk": {"kid": "kid1", "n": "s1"}}]}`),
			fake:     jsonAnswer(200, `{"keys": [{"jwk": {"kid": "BBBBBBBBBBBB", "n": "r2"}}, {"jwk": {"kid": "kid1", "n": "s2"}}]}`),
			realVars: vars("kid", "AAAAAAAAAAAA"), fakeVars: vars("kid", "BBBBBBBBBBBB"),
			want: []Diff{{"$.keys[1].jwk.n", `"s1"`, `"s2"`}}},
		{name: "times stamped during the run, within the tolerance",
			real: jsonAnswer(200, `{"created": "Mon, 07 Dec 2026 17:39:03 -0000", "last_check": "2026-12-07T17:39:03.1Z"}`),
			fake: jsonAnswer(200, `{"created": "Mon, 07 Dec 2026 17:39:09 -0000", "last_check": "2026-12-07T17:39:05.9Z"}`)},
		{name: "Unix times in log metadata, within the tolerance",
			real: jsonAnswer(200, `{"metadata": {"created_date": 1796666357, "expiration_date": 1796666357}, "last_ran": 1796666357000}`),
			fake: jsonAnswer(200, `{"metadata": {"created_date": 1796666356, "expiration_date": 1796666360}, "last_ran": 1796666356500}`)},
		{name: "but not other numbers", real: jsonAnswer(200, `{"size_bytes": 1796666357}`), fake: jsonAnswer(200, `{"size_bytes": 1796666356}`),
			want: []Diff{{"$.size_bytes", "1796666357", "1796666356"}}},
		{name: "times beyond the tolerance",
			real: jsonAnswer(200, `{"created": "Mon, 07 Dec 2026 17:39:03 -0000"}`), fake: jsonAnswer(200, `{"created": "Mon, 07 Dec 2026 17:49:03 -0000"}`),
			want: []Diff{{"$.created", `"Mon, 07 Dec 2026 17:39:03 -0000"`, `"Mon, 07 Dec 2026 17:49:03 -0000"`}}},
		{name: "times written differently", real: jsonAnswer(200, `{"d": "Mon, 07 Dec 2026 17:39:03 -0000"}`),
			fake: jsonAnswer(200, `{"d": "Mon, 07 Dec 2026 17:39:03 GMT"}`),
			want: []Diff{{"$.d", `"Mon, 07 Dec 2026 17:39:03 -0000"`, `"Mon, 07 Dec 2026 17:39:03 GMT"`}}},
		{name: "aggregated log counts in any order",
			real: jsonAnswer(200, `{"aggregated": [{"kind": "b", "count": 1}, {"kind": "a", "count": 2}]}`),
			fake: jsonAnswer(200, `{"aggregated": [{"kind": "a", "count": 2}, {"kind": "b", "count": 1}]}`)},
		{name: "but other lists in order", real: jsonAnswer(200, `{"logs": [1, 2]}`), fake: jsonAnswer(200, `{"logs": [2, 1]}`),
			want: []Diff{{"$.logs[0]", "1", "2"}, {"$.logs[1]", "2", "1"}}},
		{name: "a namespace deleted during the run",
			real: jsonAnswer(200, `{"namespace": {"kind": "user", "name": "c0acffa9-13ee-4d39-bbce-9f8a03465d30", "avatar": {"hash": "1"}}}`),
			fake: jsonAnswer(200, `{"namespace": {"kind": "user", "name": "53dc3c3f-334c-48cd-acde-c4de599f8bfc", "avatar": {"hash": "2"}}}`)},
		{name: "a robot's avatar (its e-mail is a random uuid4)",
			real: jsonAnswer(200, `{"name": "o+r", "avatar": {"name": "o+r", "hash": "1", "color": "#1f77b4", "kind": "robot"}}`),
			fake: jsonAnswer(200, `{"name": "o+r", "avatar": {"name": "o+r", "hash": "2", "color": "#8c564b", "kind": "robot"}}`)},
		{name: "but a user's avatar is compared",
			real: jsonAnswer(200, `{"avatar": {"hash": "1", "kind": "user"}}`), fake: jsonAnswer(200, `{"avatar": {"hash": "2", "kind": "user"}}`),
			want: []Diff{{"$.avatar.hash", `"1"`, `"2"`}}},
		{name: "an OAuth token's database id in log metadata",
			real: jsonAnswer(200, `{"metadata": {"oauth_token_id": 3}}`), fake: jsonAnswer(200, `{"metadata": {"oauth_token_id": 1}}`)},
		{name: "a namespace's database id in log metadata",
			real: jsonAnswer(200, `{"metadata": {"entity_id": 30}}`), fake: jsonAnswer(200, `{"metadata": {"entity_id": 23}}`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Compare(tc.real, tc.fake, tc.realVars, tc.fakeVars)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Compare (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFill(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"kid": "abc", "today": "12/07/2026"}
	tests := []struct{ in, want string }{
		{"/keys/{kid}", "/keys/abc"},
		{"/logs?starttime={today}&endtime={today}", "/logs?starttime=12/07/2026&endtime=12/07/2026"},
		{`{"name": "{kid}"}`, `{"name": "abc"}`},
		{`{"message": {"content": 5}}`, `{"message": {"content": 5}}`},
		{"/message/{message}", "/message/missing-message"},
		{"{Kid}", "{Kid}"},
		{"no braces", "no braces"},
		{"{", "{"},
	}
	for _, tc := range tests {
		if got := fill(tc.in, vars); got != tc.want {
			t.Errorf("fill(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
