// Package apitest is the test harness for the client packages: an httptest
// server that serves the API below a base-path prefix and fails the test when
// a request misses it, plus helpers that check what a request carried.
package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

// BasePath is the prefix the test server expects before /api/v1. Serving the
// API below a prefix catches code that builds absolute paths and drops the
// base URL's path.
const BasePath = "/quay-prefix"

// apiRoot is where the test server mounts the mux.
const apiRoot = BasePath + "/api/v1"

// TrapStatus is what the server answers to a request outside the API root.
const TrapStatus = http.StatusTeapot

// Setup starts a test server and returns a client for it and the mux that
// serves the API. Register handlers with paths relative to /api/v1, e.g.
// mux.HandleFunc("GET /superuser/users/{username}", ...); r.URL.Path in a
// handler is relative to /api/v1 too. The client has retries turned off
// (tests that exercise retries pass their own WithRetry in opts, which are
// applied after the defaults). The server closes when the test ends.
func Setup(t testing.TB, opts ...quay.Option) (*quay.Client, *http.ServeMux) {
	t.Helper()
	srv, mux := NewServer(t)
	// A transport of its own: httptest.Server.Close closes the idle
	// connections of http.DefaultTransport, which broke connections that a
	// parallel test had just taken for reuse ("CloseIdleConnections called").
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)
	all := append([]quay.Option{
		quay.WithRetry(quay.RetryPolicy{MaxAttempts: 1}),
		quay.WithHTTPClient(&http.Client{Transport: transport}),
	}, opts...)
	c, err := quay.NewClient(srv.URL+BasePath, all...)
	if err != nil {
		t.Fatalf("apitest: NewClient: %v", err)
	}
	return c, mux
}

// NewServer starts the test server alone, for tests that build their own
// client; give quay.NewClient srv.URL+BasePath.
func NewServer(t testing.TB) (*httptest.Server, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.StripPrefix(apiRoot, mux)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, apiRoot+"/") {
			t.Errorf("apitest: %s %s missed the API root %s/ (did the client drop the base URL's path?)",
				r.Method, r.URL.Path, apiRoot)
			http.Error(w, "outside the API root", TrapStatus)
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, mux
}

// TestMethod fails the test unless r uses method want.
func TestMethod(t testing.TB, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("request method = %s, want %s", r.Method, want)
	}
}

// TestQuery fails the test unless r's query is exactly want (nil and empty
// are the same).
func TestQuery(t testing.TB, r *http.Request, want url.Values) {
	t.Helper()
	got := r.URL.Query()
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request query mismatch (-want +got):\n%s", diff)
	}
}

// TestJSONBody fails the test unless r carries Content-Type application/json
// and a body that is the same JSON value as want (key order and spacing do
// not matter; null, absent and empty do).
func TestJSONBody(t testing.TB, r *http.Request, want string) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("request Content-Type = %q, want application/json", ct)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("reading request body: %v", err)
	}
	var gotV, wantV any
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatalf("TestJSONBody: want is not JSON: %v", err)
	}
	if err := json.Unmarshal(body, &gotV); err != nil {
		t.Errorf("request body %q is not JSON: %v", body, err)
		return
	}
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("request body mismatch (-want +got):\n%s", diff)
	}
}

// TestNoBody fails the test if r carries a body.
func TestNoBody(t testing.TB, r *http.Request) {
	t.Helper()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("reading request body: %v", err)
	}
	if len(body) != 0 {
		t.Errorf("request body = %q, want none", body)
	}
}

// TestHeader fails the test unless r's header name has the value want.
func TestHeader(t testing.TB, r *http.Request, name, want string) {
	t.Helper()
	if got := r.Header.Get(name); got != want {
		t.Errorf("request header %s = %q, want %q", name, got, want)
	}
}

// ReadFile returns the contents of a file below testdata/.
func ReadFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("apitest: %v", err)
	}
	return b
}

// WriteJSON answers with status, Content-Type application/json and body.
func WriteJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.Copy(w, bytes.NewReader(body))
}

// WriteFile answers with status and the JSON in testdata/name.
func WriteFile(t testing.TB, w http.ResponseWriter, status int, name string) {
	t.Helper()
	WriteJSON(w, status, ReadFile(t, name))
}
