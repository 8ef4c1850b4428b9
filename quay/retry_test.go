package quay_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
)

// retryClient returns a client with the default retry policy on a fake
// clock, and the mux of its server.
func retryClient(t *testing.T, opts ...quay.Option) (*quay.Client, *http.ServeMux, *fakeClock) {
	t.Helper()
	c, mux := apitest.Setup(t, append([]quay.Option{quay.WithRetry(quay.DefaultRetryPolicy)}, opts...)...)
	clock := newFakeClock()
	clock.install(c)
	return c, mux, clock
}

// TestRetryByMethodAndStatus checks which answers are retried for which
// methods (design §3): idempotent methods on 429/502/503/504, POST never by
// default, and never a read-only 503 or a client error.
func TestRetryByMethodAndStatus(t *testing.T) {
	t.Parallel()
	all := quay.DefaultRetryPolicy.MaxAttempts
	tests := []struct {
		method   string
		status   int
		body     string
		wantHits int
	}{
		{http.MethodGet, 429, "", all},
		{http.MethodGet, 502, "", all},
		{http.MethodGet, 503, "", all},
		{http.MethodGet, 504, "", all},
		{http.MethodPut, 503, "", all},
		{http.MethodDelete, 502, "", all},
		{http.MethodHead, 504, "", all},
		{http.MethodGet, 500, "", 1},
		{http.MethodGet, 501, "", 1},
		{http.MethodGet, 400, "", 1},
		{http.MethodGet, 404, "", 1},
		{http.MethodPut, 409, "", 1},
		{http.MethodPost, 429, "", 1},
		{http.MethodPost, 502, "", 1},
		{http.MethodPost, 503, "", 1},
		{http.MethodPost, 504, "", 1},
		{http.MethodPut, 503, `{"is_readonly":true,"message":"System is currently read-only."}`, 1},
		{http.MethodDelete, 503, `{"is_readonly":true,"message":"System is currently read-only."}`, 1},
		{http.MethodPut, 503, `{"message": "Repository is in read only or mirror mode: 1"}`, 1},
		{http.MethodDelete, 503, `{"message": "Repository is in read only or mirror mode: 2"}`, 1},
		{http.MethodDelete, 503, `{"message": "Service temporarily unavailable"}`, all},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+http.StatusText(tt.status)+tt.body, func(t *testing.T) {
			t.Parallel()
			c, mux, _ := retryClient(t)
			var hits atomic.Int32
			mux.HandleFunc("/thing", func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				apitest.WriteJSON(w, tt.status, []byte(tt.body))
			})
			req, _ := c.NewRequest(t.Context(), tt.method, "thing", nil)
			_, err := c.Do(req, nil)
			var qe *quay.Error
			if !errors.As(err, &qe) || qe.StatusCode != tt.status {
				t.Fatalf("Do error = %v, want a *quay.Error %d", err, tt.status)
			}
			if got := int(hits.Load()); got != tt.wantHits || qe.Attempts != tt.wantHits {
				t.Errorf("server hits %d, Error.Attempts %d; want %d", got, qe.Attempts, tt.wantHits)
			}
		})
	}
}

func TestRetrySucceedsAndResendsBody(t *testing.T) {
	t.Parallel()
	c, mux, clock := retryClient(t)
	var bodies []string
	mux.HandleFunc("PUT /thing", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) < 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		apitest.WriteJSON(w, http.StatusOK, []byte(`{"ok": true}`))
	})
	var got struct{ OK bool }
	req, _ := c.NewRequest(t.Context(), http.MethodPut, "thing", map[string]int{"limit_bytes": 5})
	resp, err := c.Do(req, &got)
	if err != nil || !got.OK || resp.StatusCode != http.StatusOK {
		t.Fatalf("Do = %v, %+v, %v; want 200 ok", resp, got, err)
	}
	want := []string{`{"limit_bytes":5}`, `{"limit_bytes":5}`, `{"limit_bytes":5}`}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("bodies received (-want +got):\n%s", diff)
	}
	// Full jitter up to the ceiling (the fake jitter picks the ceiling):
	// MinBackoff, then twice that.
	if diff := cmp.Diff([]time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, clock.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestRetryBudget(t *testing.T) {
	t.Parallel()
	c, mux, clock := retryClient(t, quay.WithRetry(quay.RetryPolicy{
		MaxAttempts: 6, MinBackoff: time.Second, MaxBackoff: 5 * time.Second,
	}))
	var hits atomic.Int32
	mux.HandleFunc("GET /thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "thing", nil)
	_, err := c.Do(req, nil)
	if !errors.Is(err, quay.ErrServer) {
		t.Fatalf("Do error = %v, want ErrServer", err)
	}
	if hits.Load() != 6 {
		t.Errorf("server hits = %d, want MaxAttempts = 6", hits.Load())
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	if diff := cmp.Diff(want, clock.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestRetryOffWithOneAttempt(t *testing.T) {
	t.Parallel()
	c, mux, clock := retryClient(t, quay.WithRetry(quay.RetryPolicy{MaxAttempts: 1}))
	var hits atomic.Int32
	mux.HandleFunc("GET /thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	})
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "thing", nil)
	if _, err := c.Do(req, nil); !errors.Is(err, quay.ErrServer) {
		t.Fatalf("Do error = %v, want ErrServer", err)
	}
	if hits.Load() != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("hits %d, waits %v; want 1 hit and no wait", hits.Load(), clock.Sleeps())
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	now := newFakeClock().Now()
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantWait   time.Duration
	}{
		{"seconds on 503", 503, "7", 7 * time.Second},
		{"seconds on 429", 429, "12", 12 * time.Second},
		{"HTTP-date on 503", 503, now.Add(9 * time.Second).Format(http.TimeFormat), 9 * time.Second},
		{"HTTP-date on 429", 429, now.Add(20 * time.Second).Format(http.TimeFormat), 20 * time.Second},
		{"date in the past", 503, now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"garbage falls back to backoff", 503, "soon", 250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux, clock := retryClient(t)
			var hits atomic.Int32
			mux.HandleFunc("GET /thing", func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					w.WriteHeader(tt.status)
				}
			})
			req, _ := c.NewRequest(t.Context(), http.MethodGet, "thing", nil)
			if _, err := c.Do(req, nil); err != nil {
				t.Fatalf("Do: %v", err)
			}
			if diff := cmp.Diff([]time.Duration{tt.wantWait}, clock.Sleeps()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetryAfterBeyondCapIsNotRetried(t *testing.T) {
	t.Parallel()
	c, mux, clock := retryClient(t, quay.WithRetry(quay.RetryPolicy{MaxRetryAfter: 10 * time.Second}))
	var hits atomic.Int32
	mux.HandleFunc("GET /thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "thing", nil)
	_, err := c.Do(req, nil)
	var qe *quay.Error
	if !errors.As(err, &qe) || qe.RetryAfter != time.Hour {
		t.Fatalf("Do error = %v, want a *quay.Error with RetryAfter 1h", err)
	}
	if hits.Load() != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("hits %d, waits %v; want 1 hit and no wait", hits.Load(), clock.Sleeps())
	}
}

// TestTooManyRequestsCoolsDownWholeClient: a 429 on one request makes the
// next, unrelated request wait too.
func TestTooManyRequestsCoolsDownWholeClient(t *testing.T) {
	t.Parallel()
	c, mux, clock := retryClient(t)
	mux.HandleFunc("POST /create", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("GET /read", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})

	req, _ := c.NewRequest(t.Context(), http.MethodPost, "create", nil)
	if _, err := c.Do(req, nil); !errors.Is(err, quay.ErrRateLimited) {
		t.Fatalf("POST error = %v, want ErrRateLimited (POST is not retried)", err)
	}
	req, _ = c.NewRequest(t.Context(), http.MethodGet, "read", nil)
	if _, err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	// An absurd Retry-After cools the client down for MaxRetryAfter only.
	req, _ = c.NewRequest(t.Context(), http.MethodGet, "huge", nil)
	c.Do(req, nil)
	req, _ = c.NewRequest(t.Context(), http.MethodGet, "read", nil)
	if _, err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{7 * time.Second, quay.DefaultRetryPolicy.MaxRetryAfter}
	if diff := cmp.Diff(want, clock.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

// TestPOSTAfterWriteNeverResent: the server received the POST and then the
// connection died; Quay may have acted on it, so the client must not send it again.
func TestPOSTAfterWriteNeverResent(t *testing.T) {
	t.Parallel()
	c, mux, _ := retryClient(t)
	var hits atomic.Int32
	mux.HandleFunc("/thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close() // no answer at all
	})
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		hits.Store(0)
		req, _ := c.NewRequest(t.Context(), method, "thing", map[string]string{"username": "alice"})
		_, err := c.Do(req, nil)
		if err == nil {
			t.Fatalf("%s: Do succeeded on a dropped connection", method)
		}
		want := int32(1)
		if method == http.MethodGet {
			want = int32(quay.DefaultRetryPolicy.MaxAttempts)
		}
		if hits.Load() != want {
			t.Errorf("%s: server hits = %d, want %d", method, hits.Load(), want)
		}
	}
}

func TestRetryPOSTOptIn(t *testing.T) {
	t.Parallel()
	c, mux, _ := retryClient(t, quay.WithRetry(quay.RetryPolicy{RetryPOST: true}))
	var hits atomic.Int32
	mux.HandleFunc("POST /thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	req, _ := c.NewRequest(t.Context(), http.MethodPost, "thing", struct{}{})
	if _, err := c.Do(req, nil); !errors.Is(err, quay.ErrServer) {
		t.Fatalf("Do error = %v, want ErrServer", err)
	}
	if want := int32(quay.DefaultRetryPolicy.MaxAttempts); hits.Load() != want {
		t.Errorf("server hits = %d, want %d with RetryPOST", hits.Load(), want)
	}
}

// TestConnectionRefusedPOSTIsRetried: a refused dial proves the server never
// saw the POST, so sending it again is safe.
func TestConnectionRefusedPOSTIsRetried(t *testing.T) {
	t.Parallel()
	srv, mux := apitest.NewServer(t)
	var hits atomic.Int32
	mux.HandleFunc("POST /thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusCreated)
	})
	var dials atomic.Int32
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(transport.CloseIdleConnections)
	c, err := quay.NewClient(srv.URL+apitest.BasePath, quay.WithHTTPClient(&http.Client{Transport: transport}))
	if err != nil {
		t.Fatal(err)
	}
	newFakeClock().install(c)
	req, _ := c.NewRequest(t.Context(), http.MethodPost, "thing", map[string]string{"a": "b"})
	resp, err := c.Do(req, nil)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("Do = %v, %v; want 201 after a retry", resp, err)
	}
	if dials.Load() != 2 || hits.Load() != 1 {
		t.Errorf("dials %d, server hits %d; want 2 dials and 1 hit", dials.Load(), hits.Load())
	}
}

func TestConnectionRefusedEverywhere(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := quay.NewClient("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock()
	clock.install(c)
	req, _ := c.NewRequest(t.Context(), http.MethodPost, "thing", nil)
	_, err = c.Do(req, nil)
	if err == nil || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("Do error = %v, want connection refused", err)
	}
	if got := len(clock.Sleeps()); got != quay.DefaultRetryPolicy.MaxAttempts-1 {
		t.Errorf("waited %d times, want %d (every attempt refused before writing)", got, quay.DefaultRetryPolicy.MaxAttempts-1)
	}
}

// TestCancelDuringBackoff uses the real sleep with an hour-long backoff: the
// test finishes only if cancelling the context cuts the wait short.
func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t, quay.WithRetry(quay.RetryPolicy{MinBackoff: time.Hour, MaxBackoff: time.Hour}))
	ctx, cancel := context.WithCancel(t.Context())
	var hits atomic.Int32
	mux.HandleFunc("GET /thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	entered := make(chan struct{})
	quay.SetTestHooks(c, time.Now, func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			close(entered)
		}
		return quay.SleepContext(ctx, d)
	}, func(ceiling time.Duration) time.Duration { return ceiling })
	go func() { <-entered; cancel() }()

	req, _ := c.NewRequest(ctx, http.MethodGet, "thing", nil)
	_, err := c.Do(req, nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, quay.ErrServer) {
		t.Errorf("Do error = %v, want it to wrap both context.Canceled and the 503", err)
	}
	if hits.Load() != 1 {
		t.Errorf("server hits = %d, want 1", hits.Load())
	}
}

// TestCancelDuringRateLimitWait: with a bucket of one request per hour, the
// second request waits; cancelling its context ends the wait at once.
func TestCancelDuringRateLimitWait(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t, quay.WithRateLimit(1.0/3600, 1))
	var hits atomic.Int32
	mux.HandleFunc("GET /thing", func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	entered := make(chan time.Duration, 1)
	quay.SetTestHooks(c, time.Now, func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			entered <- d
		}
		return quay.SleepContext(ctx, d)
	}, func(ceiling time.Duration) time.Duration { return ceiling })

	req, _ := c.NewRequest(t.Context(), http.MethodGet, "thing", nil)
	if _, err := c.Do(req, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		if d := <-entered; d < 59*time.Minute {
			t.Errorf("rate-limit wait = %v, want about an hour", d)
		}
		cancel()
	}()
	req, _ = c.NewRequest(ctx, http.MethodGet, "thing", nil)
	if _, err := c.Do(req, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Do error = %v, want context.Canceled", err)
	}
	if hits.Load() != 1 {
		t.Errorf("server hits = %d, want 1 (the second request never left)", hits.Load())
	}
}

func TestRateLimitPacesRequests(t *testing.T) {
	t.Parallel()
	c, mux, clock := retryClient(t, quay.WithRateLimit(2, 2))
	mux.HandleFunc("GET /thing", func(w http.ResponseWriter, r *http.Request) {})
	for range 5 {
		req, _ := c.NewRequest(t.Context(), http.MethodGet, "thing", nil)
		if _, err := c.Do(req, nil); err != nil {
			t.Fatal(err)
		}
	}
	// A burst of 2, then one request every 500 ms.
	want := []time.Duration{0, 0, 500 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond}
	if diff := cmp.Diff(want, clock.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestSleepContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := quay.SleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
			t.Errorf("SleepContext = %v, want context.Canceled", err)
		}
	})
	cancel()
	wg.Wait()
	if err := quay.SleepContext(t.Context(), time.Nanosecond); err != nil {
		t.Errorf("SleepContext(1ns) = %v, want nil", err)
	}
}

func TestRedirectLoopIsNotRetried(t *testing.T) {
	t.Parallel()
	c, mux, clock := retryClient(t)
	var hits atomic.Int32
	mux.HandleFunc("GET /loop", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, apitest.BasePath+"/api/v1/loop", http.StatusFound)
	})
	req, _ := c.NewRequest(t.Context(), http.MethodGet, "loop", nil)
	_, err := c.Do(req, nil)
	if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Fatalf("Do error = %v, want the redirect limit", err)
	}
	if hits.Load() != 10 || len(clock.Sleeps()) != 0 {
		t.Errorf("hits %d, waits %v; want 10 hits and no retry", hits.Load(), clock.Sleeps())
	}
}

// TestBodyWithoutGetBodyIsSentOnce: a caller-built request whose body cannot
// be re-read must not be re-sent with an empty body.
func TestBodyWithoutGetBodyIsSentOnce(t *testing.T) {
	t.Parallel()
	c, mux, _ := retryClient(t)
	var hits atomic.Int32
	mux.HandleFunc("PUT /thing", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, c.BaseURL().String()+"api/v1/thing",
		io.NopCloser(strings.NewReader(`{"a": 1}`)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(req, nil); !errors.Is(err, quay.ErrServer) {
		t.Fatalf("Do error = %v, want ErrServer", err)
	}
	if hits.Load() != 1 {
		t.Errorf("server hits = %d, want 1 (the body cannot be rewound)", hits.Load())
	}
}

// TestPOSTThroughOpaqueTransportNotResent: a transport that is not
// *http.Transport reports no connection even after it delivered the request,
// so its failures are no proof that the POST went unsent.
func TestPOSTThroughOpaqueTransportNotResent(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	inMemory := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		hits.Add(1)                                        // the request reached the "server"...
		return nil, errors.New("connection reset by peer") // ...and the answer was lost
	})
	c, err := quay.NewClient("http://quay.test", quay.WithHTTPClient(&http.Client{Transport: inMemory}))
	if err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock()
	clock.install(c)
	for method, want := range map[string]int32{http.MethodPost: 1, http.MethodPut: int32(quay.DefaultRetryPolicy.MaxAttempts)} {
		hits.Store(0)
		req, _ := c.NewRequest(t.Context(), method, "thing", struct{}{})
		if _, err := c.Do(req, nil); err == nil {
			t.Fatalf("%s: Do succeeded, want the transport error", method)
		}
		if hits.Load() != want {
			t.Errorf("%s: delivered %d times, want %d", method, hits.Load(), want)
		}
	}
}
