package quay

import (
	"context"
	"errors"
	"time"
)

// waitTurn blocks until the request may be sent: first until any 429
// cool-down has passed, then until the rate limiter grants a token. It
// returns early with the context's error once ctx is done.
func (c *Client) waitTurn(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		c.mu.Lock()
		d := c.coolDownUntil.Sub(c.now())
		c.mu.Unlock()
		if d <= 0 {
			break
		}
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
	}
	if c.limiter == nil {
		return nil
	}
	// Reserve rather than Wait, so that the wait goes through the sleep
	// hook (and the fake clock in tests) and a cancelled wait gives the
	// token back.
	now := c.now()
	r := c.limiter.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("quay: rate limiter cannot grant a request (burst too small)")
	}
	if err := c.sleep(ctx, r.DelayFrom(now)); err != nil {
		r.CancelAt(c.now())
		return err
	}
	return nil
}

// coolDown makes every request of the client wait until d from now, unless
// an earlier 429 already asked for longer.
func (c *Client) coolDown(d time.Duration) {
	until := c.now().Add(d)
	c.mu.Lock()
	if until.After(c.coolDownUntil) {
		c.coolDownUntil = until
	}
	c.mu.Unlock()
}
