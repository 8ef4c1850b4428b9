package quay

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how the client retries a request that failed in a way
// that may pass on a second try.
//
// GET, HEAD, OPTIONS, PUT and DELETE are retried after a 429, 502, 503 or 504
// answer and after a connection error. Quay has no idempotency keys, so a
// POST is retried only when the connection failed before anything was
// written (the server cannot have seen it), unless RetryPOST opts in to
// treating POST like the other methods. A 503 that reports Quay's read-only
// mode, or a repository in state READ_ONLY or MIRROR, is never retried: it
// does not clear up within seconds.
//
// Between attempts the client waits the time a Retry-After header asks for
// (seconds or HTTP-date) or else a full-jitter exponential backoff: a random
// duration between zero and MinBackoff·2^(retry-1), at most MaxBackoff.
// Waiting stops as soon as the request's context is done.
type RetryPolicy struct {
	// MaxAttempts is the total number of tries, the first included.
	// 1 turns retries off. Zero means the default.
	MaxAttempts int
	// MinBackoff is the ceiling of the first jittered wait. Zero means the default.
	MinBackoff time.Duration
	// MaxBackoff caps every jittered wait. Zero means the default.
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After the client is willing to
	// wait. When the server asks for longer, the client does not retry and
	// returns the *Error, whose RetryAfter says how long the server wanted.
	// The 429 cool-down is capped at this value too. Zero means the default.
	MaxRetryAfter time.Duration
	// RetryPOST opts in to retrying POST requests on the same statuses and
	// errors as other methods. Only set it when re-sending a POST cannot
	// create a duplicate (Quay may have acted on the first one).
	RetryPOST bool
}

// DefaultRetryPolicy is the policy a new client uses: up to ten attempts in
// all, full-jitter backoff ceilings from 250 ms doubling to 5 s (so at most
// about 28 s of waiting, half that on average), Retry-After honoured up to
// 30 s, POST retried only before it was written. Ten attempts carry an
// idempotent call through a 30% transient failure rate with a failure
// probability of 6e-6 per call; a context deadline bounds it further.
var DefaultRetryPolicy = RetryPolicy{
	MaxAttempts:   10,
	MinBackoff:    250 * time.Millisecond,
	MaxBackoff:    5 * time.Second,
	MaxRetryAfter: 30 * time.Second,
}

// withDefaults fills zero fields from DefaultRetryPolicy and validates the result.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	if p.MaxAttempts < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
		return p, errors.New("quay: RetryPolicy: negative values are not allowed (MaxAttempts: 1 turns retries off)")
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultRetryPolicy.MaxAttempts
	}
	if p.MinBackoff == 0 {
		p.MinBackoff = DefaultRetryPolicy.MinBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = max(DefaultRetryPolicy.MaxBackoff, p.MinBackoff)
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = DefaultRetryPolicy.MaxRetryAfter
	}
	if p.MaxBackoff < p.MinBackoff {
		return p, fmt.Errorf("quay: RetryPolicy: MaxBackoff %v is below MinBackoff %v", p.MaxBackoff, p.MinBackoff)
	}
	return p, nil
}

// backoffCeiling is the upper bound of the jittered wait before retry number n (1-based).
func (p RetryPolicy) backoffCeiling(n int) time.Duration {
	d := p.MinBackoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// idempotent reports whether re-sending method cannot change the outcome.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryableStatus reports whether an answer with this error may succeed on a later try.
func retryableStatus(e *Error) bool {
	switch e.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true
	case http.StatusServiceUnavailable:
		return !e.ReadOnly && !e.repositoryState()
	}
	return false
}

// canRetryStatus reports whether the policy allows re-sending method after e.
func (p RetryPolicy) canRetryStatus(method string, e *Error) bool {
	return (idempotent(method) || p.RetryPOST) && retryableStatus(e)
}

// canRetryTransport reports whether the policy allows re-sending method after
// the transport failed with err; connected says whether a connection was
// obtained, i.e. whether any byte of the request may have been written.
//
// A POST counts as unsent only with both proofs: no connection was reported
// and the error is a failure to dial. Either alone is not enough: transports
// other than *http.Transport (an in-memory one, say) report no connection
// even after delivering the request.
func (p RetryPolicy) canRetryTransport(method string, connected bool, err error) bool {
	if permanentTransportError(err) {
		return false
	}
	return idempotent(method) || p.RetryPOST || (!connected && dialFailed(err))
}

// dialFailed reports errors from opening a connection: name resolution or
// the dial itself, before any request byte could be written.
func dialFailed(err error) bool {
	var (
		op  *net.OpError
		dns *net.DNSError
	)
	return errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial")
}

// permanentTransportError reports errors that another try cannot fix.
func permanentTransportError(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		redirect *redirectError
	)
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &redirect)
}

// redirectError marks a failure of the redirect policy (too many redirects).
type redirectError struct{ err error }

func (e *redirectError) Error() string { return e.err.Error() }
func (e *redirectError) Unwrap() error { return e.err }

// parseRetryAfter reads a Retry-After header value, either delay-seconds or
// an HTTP-date, relative to now. It reports false when the header is absent
// or unreadable; a date in the past gives zero.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		const maxSecs = int64(1<<63-1) / int64(time.Second)
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
