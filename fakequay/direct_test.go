package fakequay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDirectUsersAndOrganizations(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	if err := h.s.AddUser(SeedUser{Username: "erin", Email: "erin@example.com", Tokens: []SeedToken{{Token: "erin-token"}}}); err != nil {
		t.Fatal(err)
	}
	got, ok := h.s.User("erin")
	if diff := cmp.Diff(User{ID: 8, Username: "erin", Email: "erin@example.com", Verified: true, Enabled: true}, got); !ok || diff != "" {
		t.Errorf("User(erin) ok=%v (-want +got):\n%s", ok, diff)
	}
	// The token works at once, and erin is a normal user.
	checkReply(t, replyForbidden, h.do("GET", "/api/v1/superuser/users/", "erin-token", ""))

	errs := map[string]error{
		"duplicate name":  h.s.AddUser(SeedUser{Username: "alice", Email: "other@example.com"}),
		"duplicate email": h.s.AddUser(SeedUser{Username: "frank", Email: "alice@example.com"}),
		"bad scope":       h.s.AddUser(SeedUser{Username: "gina", Email: "g@example.com", Tokens: []SeedToken{{Token: "g", Scopes: []string{"root"}}}}),
		"org name taken":  h.s.AddOrganization(SeedOrganization{Name: "acme", Email: "x@example.com"}),
	}
	want := map[string]string{
		"duplicate name":  `fakequay: AddUser: name "alice" is already taken`,
		"duplicate email": `fakequay: AddUser: e-mail "alice@example.com" is already used by another user`,
		"bad scope":       `fakequay: AddUser.tokens[0].scopes: unknown scope "root"`,
		"org name taken":  `fakequay: AddOrganization: name "acme" is already taken`,
	}
	gotMsgs := map[string]string{}
	for k, err := range errs {
		if err != nil {
			gotMsgs[k] = err.Error()
		}
	}
	if diff := cmp.Diff(want, gotMsgs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if _, ok := h.s.User("gina"); ok {
		t.Error("a failed AddUser left the user behind")
	}

	// Deletion is visible through the direct API until the purge.
	h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, "")
	var pending []string
	for _, u := range h.s.Users() {
		if u.PendingDeletion {
			pending = append(pending, u.OriginalName)
		}
	}
	if diff := cmp.Diff([]string{"alice"}, pending); diff != "" {
		t.Errorf("pending deletion (-want +got):\n%s", diff)
	}
	if n, err := h.s.PurgeDeletedNamespaces(); n != 1 || err != nil {
		t.Errorf("PurgeDeletedNamespaces = %d, %v", n, err)
	}
	orgs := h.s.Organizations()
	if len(orgs) != 2 || orgs[0].Name != "acme" {
		t.Errorf("Organizations() = %+v", orgs)
	}
}
