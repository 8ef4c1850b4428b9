package fakequay

import (
	"sync"
	"time"
)

// clock is the server's only source of time. In tests it stands still until
// Advance or SetTime moves it, so nothing time-based happens on its own; the
// dev-stub binary makes it follow the wall clock from its starting point.
type clock struct {
	mu     sync.Mutex
	base   time.Time // the fake time at anchor
	anchor time.Time // wall time when base was set; used only when wall is true
	wall   bool
}

// newClock returns a clock showing start at the wall time anchor.
func newClock(start, anchor time.Time, wall bool) *clock {
	return &clock{base: start.UTC(), anchor: anchor, wall: wall}
}

// Now returns the fake time, with Quay's microsecond precision.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *clock) nowLocked() time.Time {
	t := c.base
	if c.wall {
		t = t.Add(time.Since(c.anchor))
	}
	return t.Truncate(time.Microsecond)
}

// Set moves the clock to t.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.anchor = t.UTC(), time.Now()
}

// Advance moves the clock forward by d (backwards when d is negative).
func (c *clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.anchor = c.nowLocked().Add(d), time.Now()
	return c.base
}

// clockState is where a clock stands, as the data directory keeps it:
// the fake time at a wall-clock moment, and whether it runs from there.
type clockState struct {
	Fake    time.Time `json:"fake"`
	At      time.Time `json:"at"`      // wall time when the clock showed Fake
	Running bool      `json:"running"` // false: it stands still at Fake
}

func (c *clock) state() clockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return clockState{Fake: c.base, At: c.anchor.Round(0), Running: c.wall}
}

// resume sets the clock from a saved state. A clock that was running kept
// running while the server was down, as a real Quay's wall clock does; one
// that stood still is where it stopped.
func (c *clock) resume(st clockState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	c.base, c.anchor = st.Fake.UTC(), now
	if st.Running {
		c.base = c.base.Add(now.Round(0).Sub(st.At))
	}
}
