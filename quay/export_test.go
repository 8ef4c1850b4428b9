package quay

import (
	"context"
	"time"
)

// SetTestHooks replaces the client's clock, sleep and jitter so that tests
// control time and never really sleep.
func SetTestHooks(c *Client, now func() time.Time, sleep func(context.Context, time.Duration) error, jitter func(time.Duration) time.Duration) {
	c.now, c.sleep, c.jitter = now, sleep, jitter
}

// SleepContext exposes the real sleep so its cancellation can be tested.
var SleepContext = sleepContext
