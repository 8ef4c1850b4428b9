// Package superuser is a typed client for Red Hat Quay's superuser API: every
// operation Quay serves under /api/v1/superuser (and its global messages),
// with models that follow what Quay really sends rather than its published
// docs.
//
//	c, err := quay.NewClient("https://quay.example.com", quay.WithToken(tok))
//	su := superuser.New(c)
//	users, resp, err := su.Users.List(ctx, &superuser.UserListOptions{Limit: 50})
//	for u, err := range su.Users.All(ctx, nil) { ... }
//
// Each area of the API is a service on [Client]: Users, Organizations,
// ServiceKeys, Quotas, Logs, Builds, Registry, AppTokens, Messages and
// System. Methods take the context first, then path arguments, then a
// request body (a value) or options (a pointer, nil for defaults), and
// return the result, the *quay.Response and an error; errors from Quay are
// *quay.Error values to check with errors.Is against quay's sentinels.
//
// Every method's doc comment ends with the Quay operations it calls, as
// "Quay operation: <nickname> (<METHOD> <path>)"; a test checks them against
// the behaviour reference. Where Quay answers oddly (200 for a creation, a
// JSON string "Created" for a quota, 201 or 202 for a queued calculation, the
// pre-update user after an update), the method's doc says exactly what Quay
// does and what the method returns instead.
//
// Models are values; pointers mark fields Quay sends as null with a meaning
// (a key that never expires, an unapproved key, a build nobody started by
// hand) and optional request fields whose zero value is meaningful. Lists
// and the quota fields of user and organization views are present only as
// Quay sends them: Quotas and QuotaReport only when the registry runs with
// quota management.
package superuser
