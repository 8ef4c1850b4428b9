package quay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultUserAgent is the User-Agent header sent unless [WithUserAgent] sets another.
const DefaultUserAgent = "go-quay"

// apiPath is where Quay serves its API below the registry root.
const apiPath = "api/v1/"

// Client talks to one Quay registry's API. It is safe for concurrent use;
// create one per registry and share it, so that the rate limit and the 429
// cool-down apply to every request it makes. Its service fields are the API
// every Quay user has; package superuser wraps the administrator's.
type Client struct {
	base      *url.URL // registry root, path ending in "/"
	api       *url.URL // base + "api/v1/"
	hc        *http.Client
	auth      *credentials // pointer so that fmt never prints the token
	userAgent string
	limiter   *rate.Limiter // nil: no client-side pacing
	retry     RetryPolicy
	logger    *slog.Logger

	mu            sync.Mutex
	coolDownUntil time.Time // set by a 429; every request waits for it

	// Test hooks: tests replace these so that nothing really sleeps.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(ceiling time.Duration) time.Duration

	common service // the one back-reference every service shares

	// The API every Quay user has, one service per area (package superuser
	// has the administrator's API).
	Organizations *OrganizationsService
	Repositories  *RepositoriesService
	Robots        *RobotsService
	Teams         *TeamsService
	Permissions   *PermissionsService
	Prototypes    *PrototypesService
	Users         *UsersService
	Entities      *EntitiesService
	Registry      *RegistryService
	Tags          *TagsService
	Manifests     *ManifestsService
	Notifications *NotificationsService
	Mirrors       *MirrorsService
	Quotas        *QuotasService
}

// credentials holds the bearer token. It lives behind a pointer in Client so
// that printing a Client with %+v shows an address, never the token.
type credentials struct {
	header string // "Bearer <token>"
	token  string
}

// NewClient returns a client for the Quay registry at baseURL, the registry's
// root URL such as "https://quay.example.com" or, behind a path prefix,
// "https://example.com/quay". The client always talks to <baseURL>/api/v1/.
//
// baseURL must have an http or https scheme and a host, and no query,
// fragment, user information or /api/v1 suffix; the error says how to fix it.
// Options are applied in order; the first failing option's error is returned.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:      base,
		hc:        &http.Client{},
		userAgent: DefaultUserAgent,
		retry:     DefaultRetryPolicy,
		logger:    slog.New(slog.DiscardHandler),
		now:       time.Now,
		sleep:     sleepContext,
		jitter:    fullJitter,
	}
	api := *base
	api.Path += apiPath // base.Path ends in "/", so relative paths resolve below api/v1/
	c.api = &api
	c.initServices()
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("quay: NewClient: nil Option")
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	c.hc.CheckRedirect = c.checkRedirect(c.hc.CheckRedirect)
	return c, nil
}

// parseBaseURL validates a registry root URL and normalises its path to end in "/".
func parseBaseURL(raw string) (*url.URL, error) {
	hint := `quay: base URL %q: %s (want the registry root, e.g. "https://quay.example.com")`
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf(hint, raw, "not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf(hint, raw, "scheme must be http or https")
	case u.Host == "":
		return nil, fmt.Errorf(hint, raw, "missing host")
	case u.User != nil:
		return nil, fmt.Errorf("quay: base URL must not carry credentials; pass the token with WithToken")
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf(hint, raw, "remove the query")
	case u.Fragment != "":
		return nil, fmt.Errorf(hint, raw, "remove the fragment")
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	if strings.HasSuffix(u.Path, "/api/v1") || strings.HasSuffix(u.Path, "/api") {
		return nil, fmt.Errorf(hint, raw, "remove the /api/v1 suffix; the client adds it")
	}
	u.Path += "/"
	return u, nil
}

// BaseURL returns a copy of the registry root the client talks to, with a trailing slash.
func (c *Client) BaseURL() *url.URL {
	u := *c.base
	return &u
}

// NewRequest builds a request for the API at path, which is relative to
// <baseURL>/api/v1/ (for example "superuser/users/") and may carry a query.
// A non-nil body is encoded as JSON and sent with Content-Type
// application/json; the request can be re-sent because its body can be
// re-read (GetBody is set).
//
// NewRequest refuses absolute paths, paths starting with "/" and "." or ".."
// segments, so a request can never leave the API root.
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	if ctx == nil {
		return nil, errors.New("quay: NewRequest: nil context")
	}
	u, err := c.resolve(path)
	if err != nil {
		return nil, err
	}
	var buf *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("quay: encoding %s %s request body: %w", method, redactURL(u), err)
		}
		buf = bytes.NewReader(b)
	}
	var req *http.Request
	if buf != nil {
		req, err = http.NewRequestWithContext(ctx, method, u.String(), buf)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, u.String(), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("quay: NewRequest: %w", err)
	}
	if buf != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	return req, nil
}

// resolve turns an API-relative path into an absolute URL below c.api.
// Errors show the path redacted: a caller may have put a secret in its query.
func (c *Client) resolve(path string) (*url.URL, error) {
	ref, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("quay: path is not a valid URL path: %w", errors.Unwrap(err))
	}
	shown := redactURL(ref)
	if ref.IsAbs() || ref.Host != "" || ref.User != nil {
		return nil, fmt.Errorf("quay: path %q must be relative to %s, e.g. \"superuser/users/\"", shown, redactURL(c.api))
	}
	if strings.HasPrefix(ref.Path, "/") {
		return nil, fmt.Errorf("quay: path %q must not start with \"/\"; it is relative to %s", shown, redactURL(c.api))
	}
	for seg := range strings.SplitSeq(ref.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, fmt.Errorf("quay: path %q must not contain %q segments", shown, seg)
		}
	}
	return c.api.ResolveReference(ref), nil
}

// sameOrigin reports whether u points at the registry the client was built for.
func (c *Client) sameOrigin(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, c.base.Scheme) && strings.EqualFold(u.Host, c.base.Host)
}

// checkRedirect wraps the HTTP client's redirect policy so that the token is
// never sent to another origin, not even to another port or scheme of the
// same host (net/http alone forwards it to the same host on any port).
func (c *Client) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !c.sameOrigin(req.URL) {
			req.Header.Del("Authorization")
		}
		var err error
		switch {
		case next != nil:
			err = next(req, via)
		case len(via) >= 10:
			err = errors.New("stopped after 10 redirects")
		}
		if err == nil || errors.Is(err, http.ErrUseLastResponse) {
			return err
		}
		return &redirectError{err} // not worth retrying
	}
}

// sleepContext waits for d or until ctx is done, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fullJitter picks a uniformly random duration in [0, ceiling].
func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}
