package apitest

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

// Exchange is what one client method call must send and what the server
// answers it.
type Exchange struct {
	// What the client must send. Path is the escaped path below /api/v1.
	Method string
	Path   string
	Query  url.Values
	Body   string // JSON the request must carry; "" for no body
	// What the server answers: a status and a testdata file ("" for an
	// empty body).
	Status int
	File   string
	// Want is the result the call must return (nil for methods that
	// return only a response).
	Want any
}

// CallFunc makes one client method call through c.
type CallFunc func(ctx context.Context, c *quay.Client) (any, *quay.Response, error)

// CheckCall runs do twice, as two subtests of t named name and name+"/error":
// against a server that expects exactly ex's request and answers its
// recorded body, where do must return ex.Want; and against one that
// answers a 404 ApiError, which must come back as a *quay.Error matching
// quay.ErrNotFound alongside the response.
func CheckCall(t *testing.T, name string, ex Exchange, do CallFunc) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		c, mux := Setup(t)
		var hits atomic.Int32
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			TestMethod(t, r, ex.Method)
			if got := r.URL.EscapedPath(); got != ex.Path {
				t.Errorf("request path = %q, want %q", got, ex.Path)
			}
			TestQuery(t, r, ex.Query)
			if ex.Body == "" {
				TestNoBody(t, r)
			} else {
				TestJSONBody(t, r, ex.Body)
			}
			if ex.File == "" {
				w.WriteHeader(ex.Status)
				return
			}
			WriteFile(t, w, ex.Status, ex.File)
		})
		got, resp, err := do(t.Context(), c)
		if err != nil {
			t.Fatalf("call failed: %v", err)
		}
		if resp == nil || resp.StatusCode != ex.Status {
			t.Errorf("Response = %v, want status %d", resp, ex.Status)
		}
		if diff := cmp.Diff(ex.Want, got); diff != "" {
			t.Errorf("result mismatch (-want +got):\n%s", diff)
		}
		if hits.Load() != 1 {
			t.Errorf("server hit %d times, want 1", hits.Load())
		}
	})
	t.Run(name+"/error", func(t *testing.T) {
		t.Parallel()
		c, mux := Setup(t)
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			WriteJSON(w, http.StatusNotFound, []byte(`{"detail": "Not Found", "error_message": "Not Found", "error_type": "not_found", "title": "not_found", "type": "http://127.0.0.1/api/v1/error/not_found", "status": 404}`+"\n"))
		})
		_, resp, err := do(t.Context(), c)
		var qe *quay.Error
		if !errors.Is(err, quay.ErrNotFound) || !errors.As(err, &qe) || qe.Type != "not_found" {
			t.Errorf("error = %v, want a *quay.Error matching ErrNotFound", err)
		}
		if resp == nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("Response = %v, want the 404 alongside the error", resp)
		}
	})
}

// NoRequest returns a client whose server fails the test if it is called,
// for checks that must stop a call before anything is sent.
func NoRequest(t *testing.T) *quay.Client {
	t.Helper()
	c, mux := Setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
	})
	return c
}
