package quay_test

import (
	"context"
	"sync"
	"time"

	"github.com/quaykit/go-quay/quay"
)

// fakeClock stands in for the client's clock: sleeping advances it at once
// and records how long the client wanted to wait.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 2, 4, 13, 45, 10, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

// Sleeps returns the waits recorded so far.
func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// install makes c use the fake clock, with jitter that always picks the
// ceiling so backoff waits are predictable.
func (f *fakeClock) install(c *quay.Client) {
	quay.SetTestHooks(c, f.Now, f.Sleep, func(ceiling time.Duration) time.Duration { return ceiling })
}
