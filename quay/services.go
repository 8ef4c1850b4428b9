package quay

import (
	"context"
	"fmt"
	"net/url"
)

// service is what every service type is made of: a way back to the client.
type service struct {
	client *Client
}

// initServices points every service field at the client's one shared service.
func (c *Client) initServices() {
	c.common.client = c
	c.Organizations = (*OrganizationsService)(&c.common)
	c.Repositories = (*RepositoriesService)(&c.common)
	c.Robots = (*RobotsService)(&c.common)
	c.Teams = (*TeamsService)(&c.common)
	c.Permissions = (*PermissionsService)(&c.common)
	c.Prototypes = (*PrototypesService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Entities = (*EntitiesService)(&c.common)
	c.Registry = (*RegistryService)(&c.common)
	c.Tags = (*TagsService)(&c.common)
	c.Manifests = (*ManifestsService)(&c.common)
	c.Notifications = (*NotificationsService)(&c.common)
	c.Mirrors = (*MirrorsService)(&c.common)
	c.Quotas = (*QuotasService)(&c.common)
}

// call builds one request and sends it: body (if non-nil) goes out as JSON,
// the answer is decoded into v (nil discards it).
func (c *Client) call(ctx context.Context, method, path string, body, v any) (*Response, error) {
	req, err := c.NewRequest(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	return c.Do(req, v)
}

// pathf formats an API path, escaping each argument as one path segment.
// Empty arguments are refused: they would turn a call on one object into a
// call on its collection (DELETE organization/acme/robots/ instead of
// .../robots/ci).
func pathf(format string, args ...string) (string, error) {
	escaped := make([]any, len(args))
	for i, a := range args {
		if a == "" {
			return "", fmt.Errorf("quay: empty path argument in %q", format)
		}
		escaped[i] = url.PathEscape(a)
	}
	return fmt.Sprintf(format, escaped...), nil
}

// repoPath is the path of a repository below the API root followed by
// suffix ("" or "/..."): Quay takes the repository as "namespace/name" in
// one route segment, so each half is escaped on its own.
func repoPath(namespace, repository, suffix string, args ...string) (string, error) {
	prefix, err := pathf("repository/%s/%s", namespace, repository)
	if err != nil {
		return "", err
	}
	rest, err := pathf(suffix, args...)
	if err != nil {
		return "", err
	}
	return prefix + rest, nil
}

// withQuery appends q to path when q is not empty.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// setFlag sets a boolean query parameter to "true" when on; Quay reads a
// missing parameter as false for every flag the options structs carry.
func setFlag(q url.Values, name string, on bool) {
	if on {
		q.Set(name, "true")
	}
}
