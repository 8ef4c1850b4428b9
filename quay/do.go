package quay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"sync/atomic"
	"time"
)

// Response is Quay's answer to one call. A 2xx body has already been read
// and closed into the call's result; after a non-2xx answer, Body re-reads
// the error body (at most MaxErrorBody bytes) that the *Error also holds.
type Response struct {
	*http.Response

	// NextPage is the token for the page after this one, taken from the
	// body's next_page key by list calls; empty on the last page.
	NextPage string
}

// Do sends req and decodes a 2xx answer's JSON body into v. A nil v discards
// the body, an io.Writer v receives the raw body, and an empty body is not an
// error. A non-2xx answer is returned as an *Error, together with the
// Response.
//
// Do waits for the 429 cool-down and the rate limit (WithRateLimit), adds
// the token (only for the registry's own origin), and retries as the
// client's RetryPolicy allows. The request's context bounds everything,
// waits included. A request whose body cannot be re-read (no GetBody) is
// sent once.
func (c *Client) Do(req *http.Request, v any) (*Response, error) {
	return c.do(req, v, nil)
}

// DoAccepting is Do for an endpoint that answers some non-2xx statuses with a
// regular body: an answer with one of the accepted statuses is decoded into
// v like a 2xx one and is not retried. If its body does not decode, the
// answer is returned as an *Error after all.
func (c *Client) DoAccepting(req *http.Request, v any, statuses ...int) (*Response, error) {
	return c.do(req, v, statuses)
}

func (c *Client) do(req *http.Request, v any, accept []int) (*Response, error) {
	if req == nil {
		return nil, errors.New("quay: Do: nil request")
	}
	ctx := req.Context()
	var (
		resp *Response
		err  error
	)
	for attempt := 1; ; attempt++ {
		if werr := c.waitTurn(ctx); werr != nil {
			if err != nil {
				return resp, fmt.Errorf("%w (gave up waiting to retry: %w)", err, werr)
			}
			return nil, fmt.Errorf("quay: %s %s: %w", req.Method, redactURL(req.URL), werr)
		}
		out := c.attempt(req, v, accept, attempt)
		resp, err = out.resp, out.err
		if !out.retry || attempt >= c.retry.MaxAttempts || !rewindable(req) {
			return resp, err
		}
		c.logger.LogAttrs(ctx, slog.LevelWarn, "quay request retrying",
			slog.String("method", req.Method), slog.String("url", redactURL(req.URL)),
			slog.Int("attempt", attempt), slog.Duration("wait", out.wait), slog.String("reason", err.Error()))
		if c.coolingDown() {
			continue // waitTurn waits out the cool-down; do not wait twice
		}
		if werr := c.sleep(ctx, out.wait); werr != nil {
			return resp, fmt.Errorf("%w (gave up waiting to retry: %w)", err, werr)
		}
	}
}

// outcome is the result of one attempt. When retry is set, the failure may
// pass on another try after wait.
type outcome struct {
	resp  *Response
	err   error
	wait  time.Duration
	retry bool
}

// attempt sends req once and interprets the answer.
func (c *Client) attempt(req *http.Request, v any, accept []int, attempt int) outcome {
	ctx := req.Context()
	where := redactURL(req.URL)
	started := c.now()
	hres, connected, err := c.send(req, attempt)
	if err != nil {
		if ctx.Err() != nil {
			return outcome{err: fmt.Errorf("quay: %s %s: %w", req.Method, where, ctx.Err())}
		}
		err = fmt.Errorf("quay: %s %s: %w", req.Method, where, c.scrubError(err))
		c.logger.LogAttrs(ctx, slog.LevelDebug, "quay request failed",
			slog.String("method", req.Method), slog.String("url", where),
			slog.Int("attempt", attempt), slog.String("error", err.Error()))
		return outcome{
			err:   err,
			wait:  c.jitter(c.retry.backoffCeiling(attempt)),
			retry: c.retry.canRetryTransport(req.Method, connected, err),
		}
	}
	resp := &Response{Response: hres}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "quay request",
		slog.String("method", req.Method), slog.String("url", where),
		slog.Int("status", hres.StatusCode), slog.Int("attempt", attempt),
		slog.Duration("duration", c.now().Sub(started)))

	if hres.StatusCode >= 200 && hres.StatusCode <= 299 {
		return outcome{resp: resp, err: c.decode(resp, v, req.Method, where)}
	}
	if slices.Contains(accept, hres.StatusCode) {
		return outcome{resp: resp, err: c.decodeAccepted(resp, v, req.Method, where, attempt)}
	}
	qerr := c.readError(resp, req.Method, where, attempt)
	retryAfter, hasRetryAfter := parseRetryAfter(hres.Header.Get("Retry-After"), c.now())
	qerr.RetryAfter = retryAfter
	wait := retryAfter
	if !hasRetryAfter {
		wait = c.jitter(c.retry.backoffCeiling(attempt))
	}
	if hres.StatusCode == http.StatusTooManyRequests {
		// Everyone waits, not just this request: the server is shedding load.
		c.coolDown(min(wait, c.retry.MaxRetryAfter))
	}
	tooLong := retryAfter > c.retry.MaxRetryAfter
	return outcome{resp: resp, err: qerr, wait: wait, retry: !tooLong && c.retry.canRetryStatus(req.Method, qerr)}
}

// decodeAccepted decodes the body of an accepted non-2xx answer into v, or
// turns the answer into an *Error when the body does not decode.
func (c *Client) decodeAccepted(resp *Response, v any, method, where string, attempt int) error {
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr == nil && c.decode(resp, v, method, where) == nil {
		return nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return c.readError(resp, method, where, attempt)
}

// coolingDown reports whether a 429 cool-down is in force.
func (c *Client) coolingDown() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.coolDownUntil.After(c.now())
}

// send performs one attempt on a copy of req that carries the token. It
// reports whether a connection was obtained: until then not one byte of the
// request can have reached the server.
func (c *Client) send(req *http.Request, attempt int) (*http.Response, bool, error) {
	var connected atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }}
	r := req.Clone(httptrace.WithClientTrace(req.Context(), trace))
	if attempt > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, false, fmt.Errorf("rewinding request body: %w", err)
		}
		r.Body = body
	}
	if c.auth != nil && c.sameOrigin(r.URL) {
		r.Header.Set("Authorization", c.auth.header)
	}
	resp, err := c.hc.Do(r)
	return resp, connected.Load(), err
}

// rewindable reports whether req can be sent again.
func rewindable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// readError reads (at most MaxErrorBody of) a non-2xx body into an *Error
// and leaves that body readable on resp.
func (c *Client) readError(resp *Response, method, where string, attempt int) *Error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody+1))
	resp.Body.Close()
	truncated := len(body) > MaxErrorBody || err != nil
	if len(body) > MaxErrorBody {
		body = body[:MaxErrorBody]
	}
	body = c.scrubToken(body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	e := newError(resp.StatusCode, method, where, body, truncated)
	e.Attempts = attempt
	return e
}

// decode reads a 2xx body into v and closes it.
func (c *Client) decode(resp *Response, v any, method, where string) error {
	defer resp.Body.Close()
	switch v := v.(type) {
	case nil:
		_, err := io.Copy(io.Discard, resp.Body)
		return c.bodyError(resp, method, where, err)
	case io.Writer:
		_, err := io.Copy(v, resp.Body)
		return c.bodyError(resp, method, where, err)
	}
	if resp.ContentLength < 0 || resp.ContentLength > maxPresized {
		return c.bodyError(resp, method, where, decodeStream(resp.Body, v))
	}
	// A body of announced length is read whole into one buffer of that
	// size, with none of the growing and copying a json.Decoder does (a
	// page of 100 users is 48 KB), and decoded with json.Unmarshal. (The
	// one difference: a server that sends a whole value, announced more
	// and then stalls is now waited for, up to the context's deadline.)
	body, rerr := readAnnounced(resp.Body, resp.ContentLength)
	if rerr == nil && json.Unmarshal(body, v) == nil {
		return nil
	}
	// Whatever Unmarshal refuses, the Decoder decodes, as it always did,
	// from the same bytes followed by the same read error: an empty body
	// is no error, data after the first value is ignored. Unmarshal checks
	// the whole body before it stores anything, and decoding again
	// overwrites what a type error left behind, so the outcome is the
	// Decoder's.
	var r io.Reader = bytes.NewReader(body)
	if rerr != nil {
		r = io.MultiReader(r, errorReader{rerr})
	}
	return c.bodyError(resp, method, where, decodeStream(r, v))
}

// decodeStream decodes the first JSON value of r into v; an empty body is
// no error.
func decodeStream(r io.Reader, v any) error {
	err := json.NewDecoder(r).Decode(v)
	if errors.Is(err, io.EOF) {
		return nil // empty body: nothing to decode
	}
	return err
}

// maxPresized bounds the buffer readAnnounced allocates up front from a
// response's Content-Length, which a server could overstate.
const maxPresized = 8 << 20

// readAnnounced is io.ReadAll for a body that announced its length n: the
// buffer starts at n+1 bytes, room for the body and for the read that
// finds its end.
func readAnnounced(r io.Reader, n int64) ([]byte, error) {
	b := make([]byte, 0, n+1)
	for {
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // longer than announced: grow as io.ReadAll does
		}
	}
}

// errorReader fails every read with err.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

func (c *Client) bodyError(resp *Response, method, where string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("quay: %s %s: reading %d response: %w", method, where, resp.StatusCode, c.scrubError(err))
}

// scrubError drops the URL that net/http puts in its errors (it may carry an
// unredacted query) and any echo of the token.
func (c *Client) scrubError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if c.auth != nil {
		if msg := err.Error(); bytes.Contains([]byte(msg), []byte(c.auth.token)) {
			return errors.New(string(c.scrubToken([]byte(msg))))
		}
	}
	return err
}
