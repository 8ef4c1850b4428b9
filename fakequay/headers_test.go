package fakequay

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The Vary and CORS headers of API answers, as real Quay (the realquay
// harness, checked with the differential test) sends them:
//
//   - Vary gains "Cookie" when the request read the Flask session
//     (flask/sessions.py save_session): process_oauth reads it when no
//     Bearer header is given (auth/decorators.py line 33, auth/cookie.py
//     validate_session_cookie), and csrf_protect's verify_csrf when a write
//     has no valid token (endpoints/csrf.py line 49). A bearer token, valid
//     or not, reads no session on a GET.
//   - The CORS headers come from crossorigin (util/request.py line 89) on
//     the API views and on Flask-RESTful's handle_error
//     (endpoints/api/__init__.py line 66); a DataModelException answered by
//     the app-level handle_dme (endpoints/decorated.py line 16) has none.
func TestVaryAndCORSHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	const cors = "*"
	tests := []struct {
		name, method, path, token, body string
		header                          []string
		wantStatus                      int
		wantVary, wantCORS              string // "" for absent
	}{
		{"anonymous read", "GET", "/api/v1/messages", tokNone, "", nil, 200, "Cookie", cors},
		{"anonymous refused: an ApiError", "GET", "/api/v1/superuser/users/", tokNone, "", nil, 401, "Cookie", cors},
		{"anonymous write: CSRF (abort's Vary: Origin first)", "DELETE", "/api/v1/superuser/users/alice", tokNone, "", nil, 403, "Origin, Cookie", cors},
		{"Basic auth is no bearer: the session is read", "GET", "/api/v1/superuser/users/", tokNone, "",
			[]string{"Authorization", "Basic YWRtaW46cGFzc3dvcmQ="}, 401, "Cookie", cors},
		{"a JWT bearer aborts before the session", "GET", "/api/v1/superuser/users/", tokNone, "",
			[]string{"Authorization", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30."}, 401, "Origin", cors},
		{"an unknown token reads no session on a GET", "GET", "/api/v1/superuser/users/", tokUnknown, "", nil, 401, "", cors},
		{"an unknown token's write meets the CSRF check", "DELETE", "/api/v1/superuser/users/alice", tokUnknown, "", nil, 403, "Origin, Cookie", cors},
		{"a valid token", "GET", "/api/v1/superuser/users/", tokAdmin, "", nil, 200, "", cors},
		{"a model error: handle_dme, no CORS", "GET", "/api/v1/user/robots/nosuch", tokAdmin, "", nil, 400, "", ""},
		{"an ApiError keeps CORS", "GET", "/api/v1/superuser/users/nobody", tokAdmin, "", nil, 404, "", cors},
		{"an unhandled exception: no CORS", "POST", "/api/v1/superuser/users/", tokAdmin,
			strings.Repeat("[", 20000) + strings.Repeat("]", 20000), nil, 500, "", ""},
	}
	for _, tc := range tests {
		req, err := http.NewRequestWithContext(t.Context(), tc.method, "http://"+testHost+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		if tc.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(tc.header); i += 2 {
			req.Header.Set(tc.header[i], tc.header[i+1])
		}
		resp, err := h.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		type got struct {
			Status     int
			Vary, CORS []string
		}
		want := got{Status: tc.wantStatus}
		if tc.wantVary != "" {
			want.Vary = []string{tc.wantVary}
		}
		if tc.wantCORS != "" {
			want.CORS = []string{tc.wantCORS}
		}
		if diff := cmp.Diff(want, got{resp.StatusCode, resp.Header.Values("Vary"), resp.Header.Values("Access-Control-Allow-Origin")}); diff != "" {
			t.Errorf("%s: %s %s (-want +got):\n%s", tc.name, tc.method, tc.path, diff)
		}
	}
}
