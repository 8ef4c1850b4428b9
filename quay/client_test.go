package quay_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
	"golang.org/x/time/rate"
)

func TestNewClientBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base    string
		wantURL string // URL of NewRequest(..., "superuser/users/", ...)
		wantErr string // substring of the error
	}{
		{base: "https://quay.example.com", wantURL: "https://quay.example.com/api/v1/superuser/users/"},
		{base: "https://quay.example.com/", wantURL: "https://quay.example.com/api/v1/superuser/users/"},
		{base: "https://example.com/quay", wantURL: "https://example.com/quay/api/v1/superuser/users/"},
		{base: "https://example.com/quay/", wantURL: "https://example.com/quay/api/v1/superuser/users/"},
		{base: "http://127.0.0.1:8080", wantURL: "http://127.0.0.1:8080/api/v1/superuser/users/"},
		{base: "quay.example.com", wantErr: "scheme must be http or https"},
		{base: "ftp://quay.example.com", wantErr: "scheme must be http or https"},
		{base: "https://", wantErr: "missing host"},
		{base: "https://quay.example.com?x=1", wantErr: "remove the query"},
		{base: "https://quay.example.com/#frag", wantErr: "remove the fragment"},
		{base: "https://u:p@quay.example.com", wantErr: "pass the token with WithToken"},
		{base: "https://quay.example.com/api/v1", wantErr: "remove the /api/v1 suffix"},
		{base: "https://quay.example.com/api/v1/", wantErr: "remove the /api/v1 suffix"},
		{base: "://bad", wantErr: "not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			t.Parallel()
			c, err := quay.NewClient(tt.base)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NewClient(%q) error = %v, want it to contain %q", tt.base, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewClient(%q): %v", tt.base, err)
			}
			req, err := c.NewRequest(t.Context(), http.MethodGet, "superuser/users/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := req.URL.String(); got != tt.wantURL {
				t.Errorf("request URL = %q, want %q", got, tt.wantURL)
			}
		})
	}
}

func TestNewClientOptionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opt     quay.Option
		wantErr string
	}{
		{"empty token", quay.WithToken(""), "empty token"},
		{"token with newline", quay.WithToken("abc\nHost: evil"), "whitespace or control"},
		{"nil http client", quay.WithHTTPClient(nil), "nil *http.Client"},
		{"empty user agent", quay.WithUserAgent(" "), "empty user agent"},
		{"user agent with newline", quay.WithUserAgent("a\r\nb"), "line break"},
		{"zero rate", quay.WithRateLimit(0, 1), "must be positive"},
		{"zero burst", quay.WithRateLimit(1, 0), "burst 0"},
		{"negative retry", quay.WithRetry(quay.RetryPolicy{MaxAttempts: -1}), "negative"},
		{"max below min backoff", quay.WithRetry(quay.RetryPolicy{MinBackoff: 2e9, MaxBackoff: 1e9}), "below MinBackoff"},
		{"nil logger", quay.WithLogger(nil), "nil *slog.Logger"},
		{"nil option", nil, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := quay.NewClient("https://quay.example.com", tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewClient error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewRequest(t *testing.T) {
	t.Parallel()
	c, err := quay.NewClient("https://quay.example.com/prefix", quay.WithUserAgent("test-agent/1"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := c.NewRequest(t.Context(), http.MethodPost, "superuser/users/?limit=5", map[string]string{"username": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{
		"url":          req.URL.String(),
		"content-type": req.Header.Get("Content-Type"),
		"accept":       req.Header.Get("Accept"),
		"user-agent":   req.Header.Get("User-Agent"),
	}
	want := map[string]string{
		"url":          "https://quay.example.com/prefix/api/v1/superuser/users/?limit=5",
		"content-type": "application/json",
		"accept":       "application/json",
		"user-agent":   "test-agent/1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request mismatch (-want +got):\n%s", diff)
	}
	if req.GetBody == nil {
		t.Fatal("GetBody is nil: the body could not be re-sent on retry")
	}
	for range 2 { // the body reads the same every time
		body, _ := req.GetBody()
		b, _ := io.ReadAll(body)
		if string(b) != `{"username":"alice"}` {
			t.Errorf("body = %s, want {\"username\":\"alice\"}", b)
		}
	}
	if req.Header.Get("Authorization") != "" {
		t.Error("NewRequest put the token on the request; only Do may add it")
	}
}

func TestNewRequestRejectsEscapingPaths(t *testing.T) {
	t.Parallel()
	c, err := quay.NewClient("https://quay.example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/api/v1/superuser/users/",
		"https://evil.example.com/api/v1/",
		"//evil.example.com/x",
		"../x",
		"superuser/users/..",
		"superuser/./users/",
		"superuser/users/%2E%2E/x",
	} {
		if _, err := c.NewRequest(t.Context(), http.MethodGet, path, nil); err == nil {
			t.Errorf("NewRequest(%q) succeeded, want an error", path)
		}
	}
	if _, err := c.NewRequest(t.Context(), http.MethodPost, "x", make(chan int)); err == nil {
		t.Error("NewRequest with an unencodable body succeeded, want an error")
	}
	//lint:ignore SA1012 a nil context is what this checks
	if _, err := c.NewRequest(nil, http.MethodGet, "x", nil); err == nil {
		t.Error("NewRequest with a nil context succeeded, want an error")
	}
}

func TestWithHTTPClientDoesNotMutateCallersClient(t *testing.T) {
	t.Parallel()
	transport := &http.Transport{}
	hc := &http.Client{Transport: transport}
	if _, err := quay.NewClient("https://quay.example.com", quay.WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil || hc.Transport != transport || hc.Timeout != 0 || hc.Jar != nil {
		t.Errorf("caller's http.Client was modified: %+v", hc)
	}
}

func TestWithHTTPClientIsUsed(t *testing.T) {
	t.Parallel()
	srv, mux := apitest.NewServer(t)
	mux.HandleFunc("GET /ping", func(w http.ResponseWriter, r *http.Request) {})
	var used int
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used++
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := quay.NewClient(srv.URL+apitest.BasePath, quay.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "ping", nil)
	if _, err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	if used != 1 {
		t.Errorf("caller's transport used %d times, want 1", used)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestDoDecodes(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t)
	mux.HandleFunc("GET /json", func(w http.ResponseWriter, r *http.Request) {
		apitest.WriteJSON(w, http.StatusOK, []byte(`{"name": "alice", "extra": 1}`+"\n"))
	})
	mux.HandleFunc("GET /empty", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("DELETE /nocontent", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /garbage", func(w http.ResponseWriter, r *http.Request) {
		apitest.WriteJSON(w, http.StatusOK, []byte(`<html>`))
	})

	t.Run("json into struct", func(t *testing.T) {
		t.Parallel()
		var got struct{ Name string }
		req, _ := c.NewRequest(t.Context(), http.MethodGet, "json", nil)
		resp, err := c.Do(req, &got)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "alice" || resp.StatusCode != http.StatusOK {
			t.Errorf("got %+v, status %d; want alice, 200", got, resp.StatusCode)
		}
	})
	t.Run("raw into writer", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		req, _ := c.NewRequest(t.Context(), http.MethodGet, "json", nil)
		if _, err := c.Do(req, &buf); err != nil {
			t.Fatal(err)
		}
		if want := `{"name": "alice", "extra": 1}` + "\n"; buf.String() != want {
			t.Errorf("writer got %q, want %q", buf.String(), want)
		}
	})
	t.Run("empty body is not an error", func(t *testing.T) {
		t.Parallel()
		var got struct{ Name string }
		req, _ := c.NewRequest(t.Context(), http.MethodGet, "empty", nil)
		if _, err := c.Do(req, &got); err != nil {
			t.Errorf("Do on an empty 200 = %v, want nil", err)
		}
		req, _ = c.NewRequest(t.Context(), http.MethodDelete, "nocontent", nil)
		resp, err := c.Do(req, nil)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Errorf("Do on a 204 = %v, %v; want 204, nil", resp, err)
		}
	})
	t.Run("bad json is an error", func(t *testing.T) {
		t.Parallel()
		var got struct{ Name string }
		req, _ := c.NewRequest(t.Context(), http.MethodGet, "garbage", nil)
		_, err := c.Do(req, &got)
		if err == nil || !strings.Contains(err.Error(), "reading 200 response") {
			t.Errorf("Do on bad JSON = %v, want a decoding error", err)
		}
	})
}

func TestDoAccepting(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t, quay.WithRetry(quay.DefaultRetryPolicy))
	hits := 0
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		hits++
		apitest.WriteJSON(w, http.StatusServiceUnavailable, []byte(`{"healthy": false}`))
	})
	mux.HandleFunc("GET /html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html><title>Service Unavailable</title></html>")
	})
	var got struct{ Healthy *bool }
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "health", nil)
	resp, err := c.DoAccepting(req, &got, http.StatusServiceUnavailable)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable || got.Healthy == nil || *got.Healthy {
		t.Fatalf("DoAccepting = %+v, %v, %v; want decoded healthy=false, 503, nil", got, resp, err)
	}
	if hits != 1 {
		t.Errorf("server hit %d times, want 1 (an accepted status is not retried)", hits)
	}

	req, _ = c.NewRequest(t.Context(), http.MethodGet, "html", nil)
	_, err = c.DoAccepting(req, &got, http.StatusServiceUnavailable)
	var qe *quay.Error
	if !errors.As(err, &qe) || qe.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("DoAccepting on an HTML 503 = %v, want a *quay.Error 503", err)
	}
}

// TestTokenOnlyToOwnOrigin checks where the Authorization header goes: to
// the registry, across a same-origin redirect, but never across a redirect
// to another host, port or scheme.
func TestTokenOnlyToOwnOrigin(t *testing.T) {
	t.Parallel()
	var gotAuth = map[string]string{}
	record := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { gotAuth[name] = r.Header.Get("Authorization") }
	}
	other := httptest.NewServer(record("other"))
	t.Cleanup(other.Close)
	otherURL, _ := url.Parse(other.URL)

	c, mux := apitest.Setup(t, quay.WithToken("s3cr3t-token"))
	mux.HandleFunc("GET /direct", record("direct"))
	mux.HandleFunc("GET /same", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, apitest.BasePath+"/api/v1/direct2", http.StatusFound)
	})
	mux.HandleFunc("GET /direct2", record("same-origin redirect"))
	mux.HandleFunc("GET /other-port", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/", http.StatusFound) // 127.0.0.1, another port
	})
	mux.HandleFunc("GET /other-host", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:"+otherURL.Port()+"/", http.StatusFound)
	})
	for _, path := range []string{"direct", "same", "other-port"} {
		req, _ := c.NewRequest(t.Context(), http.MethodGet, path, nil)
		if _, err := c.Do(req, nil); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	want := map[string]string{"direct": "Bearer s3cr3t-token", "same-origin redirect": "Bearer s3cr3t-token", "other": ""}
	if diff := cmp.Diff(want, gotAuth); diff != "" {
		t.Errorf("Authorization seen (-want +got):\n%s", diff)
	}

	clear(gotAuth)
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "other-host", nil)
	if _, err := c.Do(req, nil); err != nil {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	if diff := cmp.Diff(map[string]string{"other": ""}, gotAuth); diff != "" {
		t.Errorf("Authorization after a cross-host redirect (-want +got):\n%s", diff)
	}

	// A request the caller built for another origin never gets the token.
	clear(gotAuth)
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, other.URL+"/", nil)
	if _, err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"other": ""}, gotAuth); diff != "" {
		t.Errorf("Authorization on a foreign request (-want +got):\n%s", diff)
	}
}

func TestWithRateLimitInfDisablesPacing(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	c, mux := apitest.Setup(t, quay.WithRateLimit(1, 1), quay.WithRateLimit(rate.Inf, 0))
	clock.install(c)
	mux.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {})
	for range 3 {
		req, _ := c.NewRequest(t.Context(), http.MethodGet, "x", nil)
		if _, err := c.Do(req, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.Sleeps(); len(got) != 0 {
		t.Errorf("waits = %v, want none with rate.Inf", got)
	}
}
