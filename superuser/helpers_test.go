package superuser_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// call describes one method call and the exchange it must cause.
type call struct {
	name string
	// What the client must send. path is the escaped path below /api/v1.
	method string
	path   string
	query  url.Values
	body   string // JSON the request must carry; "" for no body
	// What the server answers: status and a testdata file ("" for an empty body).
	status int
	file   string
	// do calls the method; want is the result it must return (nil for
	// methods that return only a response).
	do   func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error)
	want any
}

// runCalls checks each call twice: against a server that answers the
// reference's example body, and against one that answers a 404 ApiError,
// which must come back as an error matching quay.ErrNotFound.
func runCalls(t *testing.T, calls []call) {
	t.Helper()
	for _, tt := range calls {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux := apitest.Setup(t)
			su := superuser.New(c)
			var hits atomic.Int32
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				apitest.TestMethod(t, r, tt.method)
				if got := r.URL.EscapedPath(); got != tt.path {
					t.Errorf("request path = %q, want %q", got, tt.path)
				}
				apitest.TestQuery(t, r, tt.query)
				if tt.body == "" {
					apitest.TestNoBody(t, r)
				} else {
					apitest.TestJSONBody(t, r, tt.body)
				}
				if tt.file == "" {
					w.WriteHeader(tt.status)
					return
				}
				apitest.WriteFile(t, w, tt.status, tt.file)
			})
			got, resp, err := tt.do(t.Context(), su)
			if err != nil {
				t.Fatalf("call failed: %v", err)
			}
			if resp == nil || resp.StatusCode != tt.status {
				t.Errorf("Response = %v, want status %d", resp, tt.status)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s", diff)
			}
			if hits.Load() != 1 {
				t.Errorf("server hit %d times, want 1", hits.Load())
			}
		})
		t.Run(tt.name+"/error", func(t *testing.T) {
			t.Parallel()
			c, mux := apitest.Setup(t)
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				apitest.WriteJSON(w, http.StatusNotFound, []byte(`{"detail": "Not Found", "error_message": "Not Found", "error_type": "not_found", "title": "not_found", "type": "https://quay.example.com/api/v1/error/not_found", "status": 404}`+"\n"))
			})
			_, resp, err := tt.do(t.Context(), superuser.New(c))
			var qe *quay.Error
			if !errors.Is(err, quay.ErrNotFound) || !errors.As(err, &qe) || qe.Type != "not_found" {
				t.Errorf("error = %v, want a *quay.Error matching ErrNotFound", err)
			}
			if resp == nil || resp.StatusCode != http.StatusNotFound {
				t.Errorf("Response = %v, want the 404 alongside the error", resp)
			}
		})
	}
}

// noRequest starts a server that fails the test if it is called, for
// checks that must stop a call before anything is sent.
func noRequest(t *testing.T) *superuser.Client {
	t.Helper()
	c, mux := apitest.Setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
	})
	return superuser.New(c)
}

// ts builds a quay.Timestamp in UTC.
func ts(year int, month time.Month, day, hour, min, sec int) quay.Timestamp {
	return quay.Timestamp{Time: time.Date(year, month, day, hour, min, sec, 0, time.UTC)}
}
