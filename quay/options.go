package quay

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"golang.org/x/time/rate"
)

// Option configures a [Client] in [NewClient]. Options check their argument
// and return an error instead of building a client that would misbehave.
type Option func(*Client) error

// WithToken authenticates every request with the OAuth access token tok
// (sent as "Authorization: Bearer <tok>"). The token is sent only to the
// registry's own origin, never on a redirect elsewhere, and never appears in
// URLs, errors or log lines. Superuser operations need a token of a
// superuser that carries the super:user scope.
func WithToken(tok string) Option {
	return func(c *Client) error {
		if tok == "" {
			return errors.New("quay: WithToken: empty token (omit WithToken for anonymous calls)")
		}
		if strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return errors.New("quay: WithToken: token contains whitespace or control characters")
		}
		c.auth = &credentials{header: "Bearer " + tok, token: tok}
		return nil
	}
}

// WithHTTPClient makes the client send requests through a shallow copy of
// hc, so hc's transport, timeout and jar are used while hc itself is never
// modified. Without it the client uses a fresh http.Client over
// http.DefaultTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("quay: WithHTTPClient: nil *http.Client")
		}
		cp := *hc
		c.hc = &cp
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default [DefaultUserAgent]).
// Quay rejects GET requests with a browser User-Agent that lack an
// X-Requested-With header, so do not pose as a browser.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("quay: WithUserAgent: empty user agent")
		}
		if strings.ContainsAny(ua, "\r\n") {
			return errors.New("quay: WithUserAgent: user agent contains a line break")
		}
		c.userAgent = ua
		return nil
	}
}

// WithRateLimit paces every request the client makes through one token
// bucket: on average at most limit requests per second, with bursts of up to
// burst. Waiting honours the request's context. rate.Inf turns pacing off,
// which is the default; the client-wide cool-down after a 429 applies either way.
func WithRateLimit(limit rate.Limit, burst int) Option {
	return func(c *Client) error {
		if limit == rate.Inf {
			c.limiter = nil
			return nil
		}
		if limit <= 0 {
			return fmt.Errorf("quay: WithRateLimit: limit %v must be positive (rate.Inf disables pacing)", limit)
		}
		if burst < 1 {
			return fmt.Errorf("quay: WithRateLimit: burst %d must be at least 1", burst)
		}
		c.limiter = rate.NewLimiter(limit, burst)
		return nil
	}
}

// WithRetry replaces [DefaultRetryPolicy]. Zero fields of p take the
// default's values; use RetryPolicy{MaxAttempts: 1} to turn retries off.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		p, err := p.withDefaults()
		if err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithLogger makes the client log each request at Debug level and each retry
// at Warn level. Log lines carry the method, the redacted URL, the status and
// the attempt, never headers or tokens. The default logger discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("quay: WithLogger: nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}
