package quay_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// The client against fakequay's fault injection (issue: reliability, item
// 6): the faults answer what a Quay deployment answers (nginx's 429 and 50x
// pages, gunicorn's 500) and the client must come through them as design §3
// says, without ever re-sending a write the server may have acted on.

// faultClient returns a superuser client of srv whose sleeps are recorded
// instead of slept, on a clock that the sleeps advance.
func faultClient(t *testing.T, srv *fakequay.Server, opts ...quay.Option) (*superuser.Client, *sleepLog) {
	t.Helper()
	c, err := quay.NewClient(srv.URL(), append([]quay.Option{quay.WithToken(srv.SuperuserToken())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	log := &sleepLog{now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	quay.SetTestHooks(c, log.Now, log.Sleep, func(d time.Duration) time.Duration { return d / 2 })
	return superuser.New(c), log
}

type sleepLog struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (l *sleepLog) Now() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.now
}

func (l *sleepLog) Sleep(ctx context.Context, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sleeps = append(l.sleeps, d)
	l.now = l.now.Add(d)
	return ctx.Err()
}

func (l *sleepLog) Sleeps() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]time.Duration(nil), l.sleeps...)
}

// requestsTo counts journal entries for an operation, and how many of them
// a fault answered.
func requestsTo(srv *fakequay.Server, op string) (total, faulted int) {
	for _, r := range srv.Requests() {
		if r.Operation == op {
			total++
			if r.Fault {
				faulted++
			}
		}
	}
	return total, faulted
}

func inject(t *testing.T, srv *fakequay.Server, f fakequay.Fault) {
	t.Helper()
	if _, err := srv.InjectFault(f); err != nil {
		t.Fatal(err)
	}
}

func TestIdempotentCallsRecoverFromTransientFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		op     string
		status int
		call   func(ctx context.Context, su *superuser.Client) error
	}{
		{"GET through two 503s", "getInstallUser", 503, func(ctx context.Context, su *superuser.Client) error {
			_, _, err := su.Users.Get(ctx, "admin")
			return err
		}},
		{"PUT through two nginx 429s", "changeInstallUser", 429, func(ctx context.Context, su *superuser.Client) error {
			_, _, err := su.Users.Update(ctx, "alice", superuser.UpdateUserRequest{Email: "new@example.com"})
			return err
		}},
		{"DELETE through two 502s", "deleteInstallUser", 502, func(ctx context.Context, su *superuser.Client) error {
			_, err := su.Users.Delete(ctx, "alice")
			return err
		}},
		{"GET through two 504s", "listAllUsers", 504, func(ctx context.Context, su *superuser.Client) error {
			_, _, err := su.Users.List(ctx, nil)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t)
			if err := srv.AddUser(fakequay.SeedUser{Username: "alice", Email: "alice@example.com"}); err != nil {
				t.Fatal(err)
			}
			su, sleeps := faultClient(t, srv)
			inject(t, srv, fakequay.Fault{Operation: tc.op, Status: tc.status, Times: 2})
			if err := tc.call(t.Context(), su); err != nil {
				t.Fatalf("call failed: %v", err)
			}
			total, faulted := requestsTo(srv, tc.op)
			if total != 3 || faulted != 2 {
				t.Errorf("journal: %d requests, %d faulted; want 3 and 2", total, faulted)
			}
			if n := len(sleeps.Sleeps()); n != 2 {
				t.Errorf("backed off %d times, want 2", n)
			}
		})
	}
}

func TestPOSTThatReachedTheServerIsNeverResent(t *testing.T) {
	t.Parallel()
	for _, f := range []fakequay.Fault{
		{Operation: "createInstallUser", Status: 503},
		{Operation: "createInstallUser", Status: 429},
		{Operation: "createInstallUser", Drop: true},
	} {
		srv := fakequay.RunT(t)
		su, _ := faultClient(t, srv)
		inject(t, srv, f)
		_, _, err := su.Users.Create(t.Context(), superuser.CreateUserRequest{Username: "newbie", Email: "n@example.com"})
		if err == nil {
			t.Fatalf("fault %+v: Create succeeded", f)
		}
		if total, _ := requestsTo(srv, "createInstallUser"); total != 1 {
			t.Errorf("fault %+v: the POST reached the server %d times, want 1", f, total)
		}
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t)
	su, sleeps := faultClient(t, srv)
	// Seconds form, then HTTP-date form: 3 s after the client's clock once
	// it has waited the first 7 s.
	inject(t, srv, fakequay.Fault{Operation: "getInstallUser", Status: 503, RetryAfter: "7", Times: 1})
	date := sleeps.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)
	inject(t, srv, fakequay.Fault{Operation: "getInstallUser", Status: 429, RetryAfter: date, Times: 1})
	if _, _, err := su.Users.Get(t.Context(), "admin"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{7 * time.Second, 3 * time.Second}, sleeps.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestNginx429WithoutRetryAfterBacksOff(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t)
	su, sleeps := faultClient(t, srv)
	inject(t, srv, fakequay.Fault{Operation: "listAllUsers", Status: 429, Times: 3})
	if _, _, err := su.Users.List(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	// Full jitter (halved by the test's jitter) of 250 ms, 500 ms, 1 s.
	want := []time.Duration{125 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond}
	if diff := cmp.Diff(want, sleeps.Sleeps()); diff != "" {
		t.Errorf("backoff (-want +got):\n%s", diff)
	}
}

func TestCancellationStopsWaitingPromptly(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t)
	// waitFor cancels a call stuck in a wait and measures how long it takes
	// to return. The machine may be busy, so the best of three tries must
	// be within 50 ms and none may take a second.
	waitFor := func(t *testing.T, c *quay.Client, what string) {
		t.Helper()
		best := time.Hour
		for range 3 {
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				_, _, err := superuser.New(c).Users.Get(ctx, "admin")
				done <- err
			}()
			time.Sleep(100 * time.Millisecond) // let it reach the wait
			cancelled := time.Now()
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s: err = %v, want context.Canceled", what, err)
				}
				best = min(best, time.Since(cancelled))
			case <-time.After(time.Second):
				t.Fatalf("%s: still waiting 1s after the cancel", what)
			}
		}
		if best > 50*time.Millisecond {
			t.Errorf("%s: returned %v after the cancel at best, want within 50ms", what, best)
		}
	}
	// During a backoff: Quay asks for 20 s.
	inject(t, srv, fakequay.Fault{Operation: "getInstallUser", Status: 503, RetryAfter: "20"})
	backoff, _ := quay.NewClient(srv.URL(), quay.WithToken(srv.SuperuserToken()))
	waitFor(t, backoff, "backoff")
	srv.ClearFaults()

	// During a rate-limit wait: the bucket holds one token an hour.
	limited, _ := quay.NewClient(srv.URL(), quay.WithToken(srv.SuperuserToken()), quay.WithRateLimit(rate.Every(time.Hour), 1))
	if _, _, err := superuser.New(limited).Users.Get(t.Context(), "admin"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, limited, "rate limit")
}

// TestThirtyPercentFailuresAreAbsorbed: 1,000 idempotent calls through a
// 30% share of 503s complete without one failure at the default budget.
func TestThirtyPercentFailuresAreAbsorbed(t *testing.T) {
	t.Parallel()
	srv, err := fakequay.New(fakequay.WithJournalSize(20000))
	if err != nil {
		t.Fatal(err)
	}
	c, err := quay.NewClient(srv.URL(), quay.WithToken(srv.SuperuserToken()), quay.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	log := &sleepLog{}
	quay.SetTestHooks(c, log.Now, log.Sleep, func(d time.Duration) time.Duration { return d })
	su := superuser.New(c)
	inject(t, srv, fakequay.Fault{Operation: "getInstallUser", Status: 503, Probability: 0.3})
	failures := 0
	for range 1000 {
		if _, _, err := su.Users.Get(t.Context(), "admin"); err != nil {
			failures++
		}
	}
	total, faulted := requestsTo(srv, "getInstallUser")
	t.Logf("1000 calls: %d requests, %d faults injected and survived", total, faulted)
	if failures != 0 {
		t.Errorf("%d of 1000 calls failed", failures)
	}
	if faulted < 300 {
		t.Errorf("only %d faults were injected; the test is not testing", faulted)
	}
}
