// Package quay is the go-quay client for Red Hat Quay's API. It holds the
// transport core (the HTTP client, authentication, errors, retries, rate
// limiting, pagination and Quay's date formats) and, on [Client] itself, the
// API every Quay user has: one service per area, in the style of go-github.
//
//	c.Organizations  organizations, their members and collaborators
//	c.Repositories   repositories: create, list, describe, visibility, state
//	c.Robots         robot accounts of the caller and of organizations, with
//	                 their tokens, permissions and OIDC federation
//	c.Teams          an organization's teams, members and invitations
//	c.Permissions    users', robots' and teams' roles on a repository
//	c.Prototypes     an organization's default permissions
//	c.Users          the caller's account, user lookup, first-user bootstrap
//	c.Entities       user, robot, team and organization lookup by prefix
//	c.Registry       what the registry supports
//	c.Tags           a repository's tag history: moves, expiry, immutability,
//	                 deletion, restore and purge
//	c.Manifests      manifests by digest, their labels and security scans
//	c.Notifications  what a repository's events trigger (webhooks, e-mail, ...)
//	c.Mirrors        repository mirroring of another registry's repository
//	c.Quotas         organization quotas and their limits, the caller's quota
//
// Package superuser builds the administrator's API on top of the same
// client, and [Client.NewRequest] and [Client.Do] reach any endpoint neither
// wraps.
//
// Methods take the context first, then path arguments (a repository is its
// namespace and its name), then a request body (a value) or options (a
// pointer, nil for defaults), and return the result, the [*Response] and an
// error. Where Quay has a user and an organization variant of one call, both
// are methods of one service (Robots.ListUser, Robots.ListOrg). Every
// method's doc comment ends with the Quay operation it calls, as "Quay
// operation: <nickname> (<METHOD> <path>)", and says where Quay answers
// oddly (a 400 where one expects a 404, 200 for a creation). Models follow
// what real Quay sends, which depends on the caller: fields a caller is not
// shown stay zero.
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
// [*PageError] carrying the token to resume from. [RepositoriesService.All]
// walks repositories this way. Tags are paged by number instead
// (page/has_additional): [TagsService.List] puts the next page's number in
// Response.NextPage and [TagsService.All] walks them with the same
// iterator. The other lists of this package are not paged by Quay and come
// whole.
package quay
