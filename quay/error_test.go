package quay_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
)

// gunicornError is the page gunicorn writes for an unhandled exception
// (reference §1.3, family G).
const gunicornError = "<html>\n  <head>\n    <title>Internal Server Error</title>\n  </head>\n  <body>\n" +
	"    <h1><p>Internal Server Error</p></h1>\n    \n  </body>\n</html>\n"

// nginx429 is nginx's limit_req page: HTML and no Retry-After.
const nginx429 = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n" +
	"<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

var sentinels = map[string]error{
	"ErrBadRequest":            quay.ErrBadRequest,
	"ErrUnauthorized":          quay.ErrUnauthorized,
	"ErrForbidden":             quay.ErrForbidden,
	"ErrNotFound":              quay.ErrNotFound,
	"ErrRateLimited":           quay.ErrRateLimited,
	"ErrServer":                quay.ErrServer,
	"ErrReadOnly":              quay.ErrReadOnly,
	"ErrFreshLoginRequired":    quay.ErrFreshLoginRequired,
	"ErrRepositoryNotWritable": quay.ErrRepositoryNotWritable,
}

// TestErrorFamilies sends every error shape of reference §1.3 (and the
// proxies' pages) through Do and checks the decoded *Error, the sentinels it
// matches and its message.
func TestErrorFamilies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		method      string
		status      int
		contentType string
		header      map[string]string
		body        string
		want        quay.Error // StatusCode, Method, URL, Attempts and Body are filled in
		wantIs      []string
		wantMsg     string // Error() after "quay: METHOD URL: "
	}{
		{
			name: "A 404 not_found", status: 404, contentType: "application/json",
			body:    `{"detail": "Not Found", "error_message": "Not Found", "error_type": "not_found", "title": "not_found", "type": "https://quay.example.com/api/v1/error/not_found", "status": 404}` + "\n",
			want:    quay.Error{Type: "not_found", Title: "not_found", Detail: "Not Found"},
			wantIs:  []string{"ErrNotFound"},
			wantMsg: "404 Not Found: not_found: Not Found",
		},
		{
			// Lowercasing these bytes would resize them; the title is still found.
			name: "an HTML page with invalid UTF-8 and a Turkish İ before its title", status: 502, contentType: "text/html",
			body:    "<html>\xda\xdaİİ<head><TITLE>Bad Gateway \xda İ</TITLE></head></html>",
			wantIs:  []string{"ErrServer"},
			wantMsg: "502 Bad Gateway: Bad Gateway \xda İ",
		},
		{
			name: "A 401 invalid_token", status: 401, contentType: "application/json",
			body:    `{"detail": "Requires authentication", "error_message": "Requires authentication", "error_type": "invalid_token", "title": "invalid_token", "type": "https://quay.example.com/api/v1/error/invalid_token", "status": 401}` + "\n",
			want:    quay.Error{Type: "invalid_token", Title: "invalid_token", Detail: "Requires authentication"},
			wantIs:  []string{"ErrUnauthorized"},
			wantMsg: "401 Unauthorized: invalid_token: Requires authentication",
		},
		{
			name: "A 401 fresh_login_required", status: 401, contentType: "application/json",
			body:    `{"detail": "Requires fresh login", "error_message": "Requires fresh login", "error_type": "fresh_login_required", "title": "fresh_login_required", "type": "https://quay.example.com/api/v1/error/fresh_login_required", "status": 401}` + "\n",
			want:    quay.Error{Type: "fresh_login_required", Title: "fresh_login_required", Detail: "Requires fresh login"},
			wantIs:  []string{"ErrFreshLoginRequired", "ErrUnauthorized"},
			wantMsg: "401 Unauthorized: fresh_login_required: Requires fresh login",
		},
		{
			name: "A 403 insufficient_scope", status: 403, contentType: "application/json",
			body:    `{"detail": "Unauthorized", "error_message": "Unauthorized", "error_type": "insufficient_scope", "title": "insufficient_scope", "type": "https://quay.example.com/api/v1/error/insufficient_scope", "status": 403}` + "\n",
			want:    quay.Error{Type: "insufficient_scope", Title: "insufficient_scope", Detail: "Unauthorized"},
			wantIs:  []string{"ErrForbidden"},
			wantMsg: "403 Forbidden: insufficient_scope: Unauthorized",
		},
		{
			name: "A 400 schema error with a multi-line detail", method: http.MethodPost, status: 400, contentType: "application/json",
			body: `{"detail": "'username' is a required property\n\nFailed validating 'required' in schema:\n    {}\n\nOn instance:\n    {}", "error_message": "'username' is a required property\n\nFailed validating 'required' in schema:\n    {}\n\nOn instance:\n    {}", "error_type": "invalid_request", "title": "invalid_request", "type": "https://quay.example.com/api/v1/error/invalid_request", "status": 400}` + "\n",
			want: quay.Error{Type: "invalid_request", Title: "invalid_request",
				Detail: "'username' is a required property\n\nFailed validating 'required' in schema:\n    {}\n\nOn instance:\n    {}"},
			wantIs:  []string{"ErrBadRequest"},
			wantMsg: "400 Bad Request: invalid_request: 'username' is a required property Failed validating 'required' in schema: {} On instance: {}",
		},
		{
			name: "B model error", method: http.MethodPost, status: 400, contentType: "application/json",
			body:    `{"message":"Invalid namespace Bad_Name: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$"}` + "\n",
			want:    quay.Error{Message: "Invalid namespace Bad_Name: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$"},
			wantIs:  []string{"ErrBadRequest"},
			wantMsg: "400 Bad Request: Invalid namespace Bad_Name: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$",
		},
		{
			name: "B empty service-name message", method: http.MethodPost, status: 400, contentType: "application/json",
			body:    `{"message":""}` + "\n",
			want:    quay.Error{},
			wantIs:  []string{"ErrBadRequest"},
			wantMsg: `400 Bad Request: {"message":""}`,
		},
		{
			name: "C CSRF sent as text/html", method: http.MethodDelete, status: 403, contentType: "text/html; charset=utf-8",
			body:    `{"error": "CSRF token was invalid or missing."}`,
			want:    quay.Error{ErrorText: "CSRF token was invalid or missing."},
			wantIs:  []string{"ErrForbidden"},
			wantMsg: "403 Forbidden: CSRF token was invalid or missing.",
		},
		{
			name: "C SSO token failure", status: 401, contentType: "text/html; charset=utf-8",
			body:    `{"error": "Signature has expired (authorized: user alice)"}`,
			want:    quay.Error{ErrorText: "Signature has expired (authorized: user alice)"},
			wantIs:  []string{"ErrUnauthorized"},
			wantMsg: "401 Unauthorized: Signature has expired (authorized: user alice)",
		},
		{
			name: "D method not allowed", method: http.MethodPatch, status: 405, contentType: "application/json",
			body:    `{"message": "The method is not allowed for the requested URL."}` + "\n",
			want:    quay.Error{Message: "The method is not allowed for the requested URL."},
			wantMsg: "405 Method Not Allowed: The method is not allowed for the requested URL.",
		},
		{
			name: "D flask abort 403", method: http.MethodPost, status: 403, contentType: "application/json",
			body:    `{"message": "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."}` + "\n",
			want:    quay.Error{Message: "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."},
			wantIs:  []string{"ErrForbidden"},
			wantMsg: "403 Forbidden: You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.",
		},
		{
			name: "E query parameter errors", status: 400, contentType: "application/json",
			body:    `{"message": {"limit": "Limit to the number of results to return per page. Max 100.", "page": "The page number for the logs"}}` + "\n",
			want:    quay.Error{ParamErrors: map[string]string{"limit": "Limit to the number of results to return per page. Max 100.", "page": "The page number for the logs"}},
			wantIs:  []string{"ErrBadRequest"},
			wantMsg: "400 Bad Request: limit: Limit to the number of results to return per page. Max 100.; page: The page number for the logs",
		},
		{
			name: "F read-only mode", method: http.MethodPut, status: 503, contentType: "application/json",
			body:    `{"is_readonly":true,"message":"System is currently read-only. Pulls will succeed but all write operations are currently suspended."}` + "\n",
			want:    quay.Error{ReadOnly: true, Message: "System is currently read-only. Pulls will succeed but all write operations are currently suspended."},
			wantIs:  []string{"ErrReadOnly", "ErrServer"},
			wantMsg: "503 Service Unavailable: System is currently read-only. Pulls will succeed but all write operations are currently suspended.",
		},
		{
			// Real Quay's answer to PUT .../tag/latest on devtable/readonly
			// (endpoints/api/__init__.py disallow_for_non_normal_repositories).
			name: "F repository in state READ_ONLY", method: http.MethodPut, status: 503, contentType: "application/json",
			body:    `{"message": "Repository is in read only or mirror mode: 1"}` + "\n",
			want:    quay.Error{Message: "Repository is in read only or mirror mode: 1"},
			wantIs:  []string{"ErrRepositoryNotWritable", "ErrServer"},
			wantMsg: "503 Service Unavailable: Repository is in read only or mirror mode: 1",
		},
		{
			name: "G gunicorn HTML 500", status: 500, contentType: "text/html",
			body:    gunicornError,
			want:    quay.Error{},
			wantIs:  []string{"ErrServer"},
			wantMsg: "500 Internal Server Error: Internal Server Error",
		},
		{
			name: "H could not send mail", method: http.MethodPost, status: 400, contentType: "application/json",
			body:    `{"message":"Could not send email. Please contact an administrator and report this problem."}` + "\n",
			want:    quay.Error{Message: "Could not send email. Please contact an administrator and report this problem."},
			wantIs:  []string{"ErrBadRequest"},
			wantMsg: "400 Bad Request: Could not send email. Please contact an administrator and report this problem.",
		},
		{
			name: "nginx HTML 429 without Retry-After", status: 429, contentType: "text/html",
			body:    nginx429,
			want:    quay.Error{},
			wantIs:  []string{"ErrRateLimited"},
			wantMsg: "429 Too Many Requests: 429 Too Many Requests",
		},
		{
			name: "plain-text 429 with Retry-After", method: http.MethodPost, status: 429, contentType: "text/html; charset=utf-8",
			header:  map[string]string{"Retry-After": "60"},
			body:    "Too many login attempts. \nPlease reset your Quay password and try again.",
			want:    quay.Error{RetryAfter: time.Minute},
			wantIs:  []string{"ErrRateLimited"},
			wantMsg: "429 Too Many Requests: Too many login attempts. Please reset your Quay password and try again. (retry after 1m0s)",
		},
		{
			name: "empty body", status: 502,
			body:    "",
			want:    quay.Error{},
			wantIs:  []string{"ErrServer"},
			wantMsg: "502 Bad Gateway: empty body",
		},
		{
			name: "truncated JSON", status: 404, contentType: "application/json",
			body:    `{"detail": "Not Found", "error_mess`,
			want:    quay.Error{},
			wantIs:  []string{"ErrNotFound"},
			wantMsg: `404 Not Found: {"detail": "Not Found", "error_mess`,
		},
		{
			name: "JSON of unexpected types", status: 400, contentType: "application/json",
			body:    `{"message": 5, "error": {"code": 1}}`,
			want:    quay.Error{Message: "5", ErrorText: `{"code": 1}`},
			wantIs:  []string{"ErrBadRequest"},
			wantMsg: "400 Bad Request: 5",
		},
		{
			name: "JSON array", status: 500, contentType: "application/json",
			body:    `["boom"]`,
			want:    quay.Error{},
			wantIs:  []string{"ErrServer"},
			wantMsg: `500 Internal Server Error: ["boom"]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			srv, mux := apitest.NewServer(t)
			mux.HandleFunc("/thing", func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})
			c, err := quay.NewClient(srv.URL+apitest.BasePath, quay.WithRetry(quay.RetryPolicy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			newFakeClock().install(c)
			req, _ := c.NewRequest(t.Context(), method, "thing", nil)
			resp, err := c.Do(req, nil)

			var got *quay.Error
			if !errors.As(err, &got) {
				t.Fatalf("Do error = %v (%T), want a *quay.Error", err, err)
			}
			want := tt.want
			want.StatusCode, want.Method, want.Attempts = tt.status, method, 1
			want.URL = srv.URL + apitest.BasePath + "/api/v1/thing"
			want.Body = []byte(tt.body)
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("Error mismatch (-want +got):\n%s", diff)
			}
			var gotIs []string
			for name, s := range sentinels {
				if errors.Is(err, s) {
					gotIs = append(gotIs, name)
				}
			}
			if diff := cmp.Diff(tt.wantIs, gotIs, cmpopts.SortSlices(strings.Compare), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("sentinels matched (-want +got):\n%s", diff)
			}
			if wantMsg := "quay: " + method + " " + want.URL + ": " + tt.wantMsg; err.Error() != wantMsg {
				t.Errorf("Error() =\n%q\nwant\n%q", err.Error(), wantMsg)
			}
			if resp == nil || resp.StatusCode != tt.status {
				t.Fatalf("Response = %v, want one with status %d alongside the error", resp, tt.status)
			}
			var body bytes.Buffer
			body.ReadFrom(resp.Body)
			if body.String() != tt.body {
				t.Errorf("Response.Body = %q, want the error body %q still readable", body.String(), tt.body)
			}
		})
	}
}

func TestErrorBodyIsCapped(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", quay.MaxErrorBody+4096)
	c, mux := apitest.Setup(t)
	mux.HandleFunc("GET /big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(big))
	})
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "big", nil)
	_, err := c.Do(req, nil)
	var got *quay.Error
	if !errors.As(err, &got) {
		t.Fatalf("Do error = %v, want a *quay.Error", err)
	}
	if len(got.Body) != quay.MaxErrorBody || !got.Truncated {
		t.Errorf("Body length %d, Truncated %v; want %d, true", len(got.Body), got.Truncated, quay.MaxErrorBody)
	}
	if n := len(err.Error()); n > 400 {
		t.Errorf("Error() is %d bytes long; the message should summarise the body, not carry it", n)
	}
}

func TestErrorIsIgnoresForeignTargets(t *testing.T) {
	t.Parallel()
	e := &quay.Error{StatusCode: 404}
	if errors.Is(e, errors.New("quay: not found")) {
		t.Error("an *Error matched an unrelated error with the same text")
	}
}

// TestErrorNamesTheCallersRequest: after a redirect, the error still names
// the method and URL the caller asked for.
func TestErrorNamesTheCallersRequest(t *testing.T) {
	t.Parallel()
	srv, mux := apitest.NewServer(t)
	mux.HandleFunc("POST /old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, apitest.BasePath+"/api/v1/new", http.StatusFound) // becomes a GET
	})
	mux.HandleFunc("GET /new", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	c, err := quay.NewClient(srv.URL + apitest.BasePath)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := c.NewRequest(t.Context(), http.MethodPost, "old", nil)
	_, err = c.Do(req, nil)
	var qe *quay.Error
	if !errors.As(err, &qe) {
		t.Fatalf("Do error = %v, want a *quay.Error", err)
	}
	if want := srv.URL + apitest.BasePath + "/api/v1/old"; qe.Method != http.MethodPost || qe.URL != want {
		t.Errorf("Error names %s %s, want POST %s", qe.Method, qe.URL, want)
	}
}
