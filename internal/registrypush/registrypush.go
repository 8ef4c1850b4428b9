// Package registrypush is a small OCI distribution client for tests: it
// pushes blobs, manifests and manifest lists into a registry that uses
// Docker's token authentication (as Quay does), reads manifests and tags
// back, and deletes tags. It is test support, written on the standard
// library alone, and knows nothing of how images are built: callers hand
// it digests, sizes and bytes.
//
// The flow is the distribution specification's: GET /v2/ answers 401 with
// "WWW-Authenticate: Bearer realm=...,service=..."; a token for
// "repository:<name>:pull,push" comes from the realm with basic auth;
// each blob is checked with HEAD and, when missing, uploaded with
// POST /v2/<name>/blobs/uploads/ then one PUT ?digest= (monolithic) or
// PATCHes and a closing PUT (chunked); manifests are PUT with their media
// type as Content-Type, the children of a list first, by digest.
package registrypush

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Client pushes to one registry as one user. It is safe for concurrent
// use.
type Client struct {
	base     *url.URL
	user     string
	password string
	hc       *http.Client
	chunk    int64

	mu        sync.Mutex
	challenge *challenge        // from GET /v2/, once
	tokens    map[string]string // scope -> bearer token
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends requests through hc instead of http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithChunkSize uploads blobs in PATCH requests of at most n bytes, then
// closes each upload with an empty PUT; n <= 0 (the default) uploads each
// blob in one PUT.
func WithChunkSize(n int64) Option { return func(c *Client) { c.chunk = n } }

// New returns a client of the registry at baseURL (scheme and host, e.g.
// "http://127.0.0.1:8080"), authenticating as username with password when
// the registry asks for a token. An empty username asks for anonymous
// tokens.
func New(baseURL, username, password string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("registrypush: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("registrypush: base URL %q: want http(s)://host[:port]", baseURL)
	}
	c := &Client{base: u, user: username, password: password, hc: http.DefaultClient, tokens: map[string]string{}}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Error is a registry's answer other than the one expected: its status,
// its body, and the distribution error codes the body carries, if any.
type Error struct {
	Method string
	URL    string
	Status int
	Header http.Header
	Body   []byte
	Errors []ErrorCode
}

// ErrorCode is one entry of a distribution error body
// ({"errors": [{"code": ..., "message": ..., "detail": ...}]}).
type ErrorCode struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Detail  json.RawMessage `json:"detail,omitempty"`
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("registrypush: %s %s: status %d", e.Method, e.URL, e.Status)
	for _, c := range e.Errors {
		msg += fmt.Sprintf("; %s: %s", c.Code, c.Message)
	}
	return msg
}

// Code reports whether the error carries the distribution error code
// code (e.g. "DENIED", "MANIFEST_UNKNOWN").
func (e *Error) Code(code string) bool {
	for _, c := range e.Errors {
		if c.Code == code {
			return true
		}
	}
	return false
}

const maxErrorBody = 64 << 10

func newError(req *http.Request, resp *http.Response) *Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &Error{Method: req.Method, URL: redact(req.URL), Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body}
	var env struct {
		Errors []ErrorCode `json:"errors"`
	}
	if json.Unmarshal(body, &env) == nil {
		e.Errors = env.Errors
	}
	return e
}

// redact drops the query (upload state, digests) so errors stay short.
func redact(u *url.URL) string {
	v := *u
	v.RawQuery = ""
	v.User = nil
	return v.String()
}

// ErrNotFound is returned (wrapped in *Error) for a 404.
var ErrNotFound = errors.New("registrypush: not found")

// Unwrap makes errors.Is(err, ErrNotFound) true for a 404.
func (e *Error) Unwrap() error {
	if e.Status == http.StatusNotFound {
		return ErrNotFound
	}
	return nil
}

// resolve turns a path or a Location header into an absolute URL.
func (c *Client) resolve(ref string) (*url.URL, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("registrypush: bad URL %q: %w", ref, err)
	}
	return c.base.ResolveReference(u), nil
}

// repoPath returns /v2/<repo>/<rest>, with repo's slashes kept.
func repoPath(repo, rest string) string {
	return "/v2/" + strings.Trim(repo, "/") + "/" + rest
}
