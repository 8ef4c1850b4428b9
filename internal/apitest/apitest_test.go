package apitest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/quaykit/go-quay/internal/apitest"
)

// recorder is a testing.TB that records failures instead of failing, so the
// helpers' own failures can be checked.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func (r *recorder) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

func newRequest(t *testing.T, method, target, body string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

func TestHelpersFailOnMismatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		check   func(tb testing.TB)
		wantErr bool
	}{
		{"method matches", func(tb testing.TB) { apitest.TestMethod(tb, newRequest(t, "GET", "/x", ""), "GET") }, false},
		{"method differs", func(tb testing.TB) { apitest.TestMethod(tb, newRequest(t, "POST", "/x", ""), "GET") }, true},
		{"query matches in any order", func(tb testing.TB) {
			apitest.TestQuery(tb, newRequest(t, "GET", "/x?b=2&a=1", ""), url.Values{"a": {"1"}, "b": {"2"}})
		}, false},
		{"query has an extra parameter", func(tb testing.TB) {
			apitest.TestQuery(tb, newRequest(t, "GET", "/x?a=1&limit=0", ""), url.Values{"a": {"1"}})
		}, true},
		{"empty query", func(tb testing.TB) { apitest.TestQuery(tb, newRequest(t, "GET", "/x", ""), nil) }, false},
		{"JSON equal despite spacing and order", func(tb testing.TB) {
			apitest.TestJSONBody(tb, newRequest(t, "POST", "/x", `{"b":null,"a":1}`), `{"a": 1, "b": null}`)
		}, false},
		{"JSON null versus absent", func(tb testing.TB) {
			apitest.TestJSONBody(tb, newRequest(t, "POST", "/x", `{"a":1}`), `{"a": 1, "b": null}`)
		}, true},
		{"JSON body without content type", func(tb testing.TB) {
			r := newRequest(t, "POST", "/x", `{}`)
			r.Header.Del("Content-Type")
			apitest.TestJSONBody(tb, r, `{}`)
		}, true},
		{"no body", func(tb testing.TB) { apitest.TestNoBody(tb, newRequest(t, "GET", "/x", "")) }, false},
		{"unexpected body", func(tb testing.TB) { apitest.TestNoBody(tb, newRequest(t, "POST", "/x", "{}")) }, true},
		{"header differs", func(tb testing.TB) { apitest.TestHeader(tb, newRequest(t, "GET", "/x", ""), "X-Y", "z") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{TB: t}
			tt.check(rec)
			if got := len(rec.failures()) > 0; got != tt.wantErr {
				t.Errorf("helper failed: %v (%q), want failure: %v", got, rec.failures(), tt.wantErr)
			}
		})
	}
}

// TestServerTrapsRequestsOutsideTheAPIRoot: a client that drops the base
// URL's path prefix is caught.
func TestServerTrapsRequestsOutsideTheAPIRoot(t *testing.T) {
	t.Parallel()
	rec := &recorder{TB: t}
	srv, mux := apitest.NewServer(rec)
	mux.HandleFunc("GET /superuser/users/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/superuser/users/" {
			t.Errorf("handler sees path %q, want it relative to /api/v1", r.URL.Path)
		}
	})
	for path, wantStatus := range map[string]int{
		apitest.BasePath + "/api/v1/superuser/users/": http.StatusOK,
		"/api/v1/superuser/users/":                    apitest.TrapStatus,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != wantStatus {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, wantStatus)
		}
	}
	if f := rec.failures(); len(f) != 1 || !strings.Contains(f[0], "missed the API root") {
		t.Errorf("trap failures = %q, want exactly one for the request without the prefix", f)
	}
}
