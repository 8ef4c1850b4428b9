package quay_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/internal/testutil"
	"github.com/quaykit/go-quay/quay"
)

// TestTokenNeverLeaks drives every kind of failure with a known token and
// scans every error string, error body and log line for it (design §3).
func TestTokenNeverLeaks(t *testing.T) {
	t.Parallel()
	const token = "TOK-7f3c9a1e-super-secret"
	var logs testutil.SyncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "got Authorization=%q", r.Header.Get("Authorization"))
	}))
	t.Cleanup(elsewhere.Close)

	c, mux := apitest.Setup(t, quay.WithToken(token), quay.WithLogger(logger), quay.WithRetry(quay.DefaultRetryPolicy))
	newFakeClock().install(c)
	echo := func(status int, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			// A badly behaved proxy that echoes the request headers.
			fmt.Fprintf(w, `{"error": "denied", "seen": %q, "detail": %q}`, r.Header.Get("Authorization"), r.URL.String())
		}
	}
	mux.HandleFunc("GET /unauthorized", echo(http.StatusUnauthorized, "application/json"))
	mux.HandleFunc("GET /unavailable", echo(http.StatusServiceUnavailable, "text/html"))
	mux.HandleFunc("GET /throttled", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprintf(w, "slow down, %s", r.Header.Get("Authorization"))
	})
	mux.HandleFunc("GET /badjson", func(w http.ResponseWriter, r *http.Request) {
		apitest.WriteJSON(w, http.StatusOK, []byte(`{"name": `+r.Header.Get("Authorization")+`}`))
	})
	mux.HandleFunc("GET /away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/?access_token="+token, http.StatusFound)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()
	dead, err := quay.NewClient(refused, quay.WithToken(token), quay.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	newFakeClock().install(dead)

	var errs []error
	for _, path := range []string{
		"unauthorized", "unavailable", "throttled", "badjson", "away",
		"unauthorized?access_token=" + token + "&next_page=abc",
		"unauthorized?client_secret=" + token,
	} {
		req, err := c.NewRequest(t.Context(), http.MethodGet, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ Name string }
		if _, err := c.Do(req, &v); err != nil {
			errs = append(errs, err)
		} else {
			t.Errorf("GET %s succeeded, want a failure", path)
		}
	}
	req, _ := dead.NewRequest(t.Context(), http.MethodGet, "superuser/users/?token="+token, nil)
	if _, err := dead.Do(req, nil); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.NewRequest(t.Context(), http.MethodGet, "https://evil.example.com/?token="+token, nil); err != nil {
		errs = append(errs, err)
	}
	if len(errs) != 9 {
		t.Fatalf("got %d errors, want 9", len(errs))
	}

	for _, err := range errs {
		for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)} {
			if strings.Contains(s, token) {
				t.Errorf("error string leaks the token: %s", s)
			}
		}
		var qe *quay.Error
		if errors.As(err, &qe) && (bytes.Contains(qe.Body, []byte(token)) || strings.Contains(qe.URL, token)) {
			t.Errorf("*quay.Error leaks the token: URL %s, Body %s", qe.URL, qe.Body)
		}
	}
	for _, s := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, token) {
			t.Errorf("printing the client leaks the token: %s", s)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "quay request retrying") || !strings.Contains(out, `"status":401`) {
		t.Fatalf("the logs miss the requests; the scan would prove nothing:\n%s", out)
	}
	for line := range strings.Lines(out) {
		if strings.Contains(line, token) {
			t.Errorf("log line leaks the token: %s", line)
		}
	}
	if !strings.Contains(out, "access_token=REDACTED") {
		t.Errorf("logs do not show the redacted query parameter:\n%s", out)
	}
}
