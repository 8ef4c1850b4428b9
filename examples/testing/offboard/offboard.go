// Package offboard disables the Quay accounts of people who left: every
// user whose e-mail address is at a given domain, such as a contractor's.
//
// It is the example of how a project that builds on go-quay tests its own
// code: offboard_test.go runs DisableDomain against fakequay.RunT, an
// in-memory Quay seeded with the users each test needs, then checks the
// fake's state through its Go API (srv.User) and the calls the code made
// through its request journal (srv.Requests). No real Quay, no mocks of the
// client, no network beyond loopback.
package offboard

import (
	"context"
	"fmt"
	"strings"

	"github.com/quaykit/go-quay/superuser"
)

// Result is what DisableDomain did.
type Result struct {
	// Disabled are the users it disabled, in Quay's order.
	Disabled []string
	// Superusers are matching superusers it left enabled: Quay refuses to
	// change a superuser's account through the API.
	Superusers []string
}

// DisableDomain disables every enabled user whose e-mail address is at
// domain (compared without regard to case; subdomains do not match).
// Users already disabled are left alone, so running it twice is harmless.
//
// It reads the whole user list before it changes anything, so the changes
// cannot disturb the listing. On error it returns what it did until then.
func DisableDomain(ctx context.Context, su *superuser.Client, domain string) (Result, error) {
	if domain == "" || strings.Contains(domain, "@") {
		return Result{}, fmt.Errorf("offboard: %q is not an e-mail domain", domain)
	}
	var res Result
	var targets []string
	for u, err := range su.Users.All(ctx, nil) {
		if err != nil {
			return res, fmt.Errorf("offboard: listing users: %w", err)
		}
		if !u.Enabled || !atDomain(u.Email, domain) {
			continue
		}
		if u.SuperUser {
			res.Superusers = append(res.Superusers, u.Username)
			continue
		}
		targets = append(targets, u.Username)
	}
	disabled := false
	for _, name := range targets {
		if _, _, err := su.Users.Update(ctx, name, superuser.UpdateUserRequest{Enabled: &disabled}); err != nil {
			return res, fmt.Errorf("offboard: disabling %s: %w", name, err)
		}
		res.Disabled = append(res.Disabled, name)
	}
	return res, nil
}

// atDomain reports whether e-mail address addr is at domain.
func atDomain(addr, domain string) bool {
	at := strings.LastIndexByte(addr, '@')
	return at >= 0 && strings.EqualFold(addr[at+1:], domain)
}
