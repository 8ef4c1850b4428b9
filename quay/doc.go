// Package quay is the core of the go-quay client for Red Hat Quay's API: the
// HTTP client, authentication, errors, retries, rate limiting, pagination and
// Quay's date formats. It knows no API area; package superuser builds the
// typed superuser API on top of it, and [Client.NewRequest] and [Client.Do]
// reach any endpoint it does not wrap.
//
// # Construction
//
//	c, err := quay.NewClient("https://quay.example.com", quay.WithToken(tok))
//
// The client always talks to <base URL>/api/v1/. The token is sent as a
// bearer token, only to the registry's own origin (never on a redirect
// elsewhere), and never appears in URLs, error strings or log lines.
//
// # Errors
//
// Every non-2xx answer is an [*Error]. Quay answers errors in several shapes
// (its ApiError, {"message": ...}, {"message": {param: help}}, {"error": ...}
// sent as text/html, the read-only 503, and HTML or plain-text pages from
// gunicorn or a proxy); Error keeps what each carried and never fails to
// decode. Check kinds with errors.Is and the sentinels:
//
//	if errors.Is(err, quay.ErrNotFound) { ... }
//	var qe *quay.Error
//	if errors.As(err, &qe) { log.Print(qe.StatusCode, qe.Type, qe.Detail) }
//
// # Retries and rate limiting
//
// Requests are retried as [RetryPolicy] describes ([DefaultRetryPolicy]
// unless [WithRetry] says otherwise): idempotent methods after 429, 502, 503
// and 504 and after connection errors, POST only when the connection failed
// before anything was written, since Quay has no idempotency keys. Waits
// honour Retry-After (seconds or HTTP-date) and the request's context. A 429
// makes the whole client cool down, and [WithRateLimit] adds a client-wide
// token bucket.
//
// # Pagination
//
// Quay pages lists with an opaque next_page token in the body. List calls
// return one page and put the token in [Response.NextPage]; [All] turns a
// page function into an iterator that stops on the first error with a
// [*PageError] carrying the token to resume from.
package quay
