package superuser

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/quaykit/go-quay/quay"
)

// Client gives typed access to Quay's superuser API. Each field is a service
// for one area of the API; all of them share the *quay.Client they were
// built from, with its token, retries, rate limit and logger.
type Client struct {
	common service // one back-reference shared by every service

	Users         *UsersService
	Organizations *OrganizationsService
	ServiceKeys   *ServiceKeysService
	Quotas        *QuotasService
	Logs          *LogsService
	Builds        *BuildsService
	Registry      *RegistryService
	AppTokens     *AppTokensService
	Messages      *MessagesService
	System        *SystemService
}

// service is what every service type is made of.
type service struct {
	client *quay.Client
}

// New returns a superuser API client that sends its requests through c.
// Operations need a token of a superuser whose token carries the super:user
// scope; read operations also accept a global read-only superuser.
func New(c *quay.Client) *Client {
	su := &Client{common: service{client: c}}
	su.Users = (*UsersService)(&su.common)
	su.Organizations = (*OrganizationsService)(&su.common)
	su.ServiceKeys = (*ServiceKeysService)(&su.common)
	su.Quotas = (*QuotasService)(&su.common)
	su.Logs = (*LogsService)(&su.common)
	su.Builds = (*BuildsService)(&su.common)
	su.Registry = (*RegistryService)(&su.common)
	su.AppTokens = (*AppTokensService)(&su.common)
	su.Messages = (*MessagesService)(&su.common)
	su.System = (*SystemService)(&su.common)
	return su
}

// send builds one request and sends it through c: body (if non-nil) goes
// out as JSON, the answer is decoded into v (nil discards it).
func send(ctx context.Context, c *quay.Client, method, path string, body, v any) (*quay.Response, error) {
	req, err := c.NewRequest(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	return c.Do(req, v)
}

// pathf formats an API path, escaping each argument as one path segment.
// Empty arguments are refused: they would turn a call on one object into a
// call on its collection (DELETE superuser/users/ instead of .../alice).
func pathf(format string, args ...string) (string, error) {
	escaped := make([]any, len(args))
	for i, a := range args {
		if a == "" {
			return "", fmt.Errorf("superuser: empty path argument in %q", format)
		}
		escaped[i] = url.PathEscape(a)
	}
	return fmt.Sprintf(format, escaped...), nil
}

// withQuery appends q to path when q is not empty.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// pageQuery validates a page size and builds the paging query parameters.
func pageQuery(limit int, nextPage string) (url.Values, error) {
	if err := quay.CheckLimit(limit); err != nil {
		return nil, err
	}
	q := url.Values{}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if nextPage != "" {
		q.Set("next_page", nextPage)
	}
	return q, nil
}
