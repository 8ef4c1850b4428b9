package fakequay

import (
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The permission model's decisions (auth/permissions.py), caller by caller.
// The end-to-end decisions of the organization and team routes were
// checked against the running real Quay (organization_test.go,
// team_test.go); this table covers every Permission class directly,
// including the repository ones the later areas use.

// permSeed: org acme with owners (admin: owner), builders (creator:
// creator), readers (member: member); repositories acme/secret (private;
// readers read, collab write), acme/open (public), owner/own; superuser
// admin, global read-only superuser gro, outsider.
func permSeed(fullAccess bool) Seed {
	cfg := DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	cfg.GlobalReadonlySuperUsers = []string{"gro"}
	cfg.FeatureSuperusersFullAccess = fullAccess
	tok := func(secret string, scopes ...string) SeedToken { return SeedToken{Token: secret, Scopes: scopes} }
	user := func(name string, tokens ...SeedToken) SeedUser {
		return SeedUser{Username: name, Email: name + "@example.com", Tokens: tokens}
	}
	return Seed{
		Config: &cfg,
		Now:    fixtureTime,
		Users: []SeedUser{
			user("admin", tok("admin-all"), tok("admin-noscope", "repo:read", "user:read")),
			user("owner", tok("owner-all"), tok("owner-read", "repo:read"), tok("owner-org", "org:admin"),
				tok("owner-create", "repo:create"), tok("owner-user", "user:admin"), tok("owner-userread", "user:read")),
			user("creator", tok("creator-all")),
			user("member", tok("member-all"), tok("member-read", "repo:read"), tok("member-create", "repo:create")),
			user("collab", tok("collab-all"), tok("collab-read", "repo:read")),
			user("outsider", tok("outsider-all")),
			user("gro", tok("gro-all")),
		},
		Organizations: []SeedOrganization{{Name: "acme", Email: "acme@example.com", Teams: []SeedTeam{
			{Name: "owners", Role: "admin", Members: []string{"owner"}},
			{Name: "builders", Role: "creator", Members: []string{"creator"}},
			{Name: "readers", Role: "member", Members: []string{"member"}},
		}}},
		Repositories: []SeedRepository{
			{Namespace: "acme", Name: "secret", Permissions: &SeedRepoPermissions{
				Teams: map[string]string{"readers": "read"}, Users: map[string]string{"collab": "write"}}},
			{Namespace: "acme", Name: "open", Visibility: "public"},
			{Namespace: "owner", Name: "own"},
		},
	}
}

// callAs builds a call from token as the pipeline would, up to the handler.
func callAs(t *testing.T, s *Server, token string) *call {
	t.Helper()
	req := httptest.NewRequest("GET", "http://"+testHost+"/api/v1/", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	c := &call{s: s, r: req, read: s.store.Read()}
	who, err := s.authenticate(req, c.read)
	if err != nil {
		t.Fatalf("authenticate %q: %v", token, err)
	}
	c.who = who
	return c
}

func TestPermissionDecisions(t *testing.T) {
	t.Parallel()
	callers := []string{"", "admin-all", "admin-noscope", "owner-all", "owner-read", "owner-org", "owner-create",
		"owner-user", "owner-userread", "creator-all", "member-all", "member-read", "member-create", "collab-all",
		"collab-read", "outsider-all", "gro-all"}
	tests := []struct {
		name string
		perm permission
		// allowed lists the callers granted it with FEATURE_SUPERUSERS_FULL_ACCESS
		// on; without it, admin-all loses what only full access gave.
		allowed    []string
		fullAccess bool // admin-all holds it only through full access
	}{
		{"AdministerOrganization: admin teams, capped by org:admin (SCOPE_MAX_TEAM_ROLES)",
			administerOrganization("acme"), []string{"admin-all", "owner-all", "owner-org"}, true},
		{"OrganizationMember: any team; repo:create caps a team role at creator",
			organizationMember("acme"), []string{"admin-all", "owner-all", "owner-org", "owner-create", "creator-all",
				"member-all", "member-create"}, true},
		{"CreateRepository: admin or creator teams",
			createRepository("acme"), []string{"admin-all", "owner-all", "owner-org", "owner-create", "creator-all"}, true},
		{"CreateRepository in one's own namespace (every user administers it)",
			createRepository("owner"), []string{"admin-all", "owner-all", "owner-org", "owner-create"}, true},
		{"ViewTeam: the team's members, or an org admin",
			viewTeam("acme", "readers"), []string{"admin-all", "owner-all", "owner-org", "member-all", "member-create"}, true},
		{"ReadRepository: admin teams administer every repository; team and direct permissions; repo scopes cap",
			readRepository("acme", "secret"), []string{"admin-all", "owner-all", "owner-read", "member-all",
				"member-read", "collab-all", "collab-read"}, true},
		{"ModifyRepository: write or admin",
			modifyRepository("acme", "secret"), []string{"admin-all", "owner-all", "collab-all"}, true},
		{"AdministerRepository: admin only",
			administerRepository("acme", "secret"), []string{"admin-all", "owner-all"}, true},
		{"ReadRepository of a public repository: can() alone does not say (require_repo_read adds it)",
			readRepository("acme", "open"), []string{"admin-all", "owner-all", "owner-read"}, true},
		{"ReadRepository of a repository that does not exist: org-wide roles still count",
			readRepository("acme", "missing"), []string{"admin-all", "owner-all", "owner-read"}, true},
		{"ReadRepository in one's own namespace",
			readRepository("owner", "own"), []string{"admin-all", "owner-all", "owner-read"}, true},
		{"UserAdmin: oneself with user:admin; full access does not reach it (no namespace)",
			userAdmin("owner"), []string{"owner-all", "owner-user"}, false},
		{"UserRead: user:read or user:admin",
			userRead("owner"), []string{"owner-all", "owner-user", "owner-userread"}, false},
		{"UserAdmin of someone else",
			userAdmin("member"), []string{"member-all"}, false},
		{"SuperUser: SUPER_USERS with super:user, not a global read-only superuser",
			superUser(), []string{"admin-all"}, false},
	}
	for _, fullAccess := range []bool{true, false} {
		s, err := New(WithSeed(permSeed(fullAccess)))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tests {
			want := map[string]bool{}
			for _, c := range callers {
				want[c] = false
			}
			for _, c := range tc.allowed {
				want[c] = true
			}
			if !fullAccess && tc.fullAccess {
				want["admin-all"] = false
			}
			got := map[string]bool{}
			for _, c := range callers {
				got[c] = callAs(t, s, c).can(tc.perm)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("full access %v, %s (-want +got):\n%s", fullAccess, tc.name, diff)
			}
		}
	}
}

// TestRequireDecorators covers require_repo_permission, require_user_admin
// and get_viewable_teams_for_org on top of the decisions.
func TestRequireDecorators(t *testing.T) {
	t.Parallel()
	s, err := New(WithSeed(permSeed(true)))
	if err != nil {
		t.Fatal(err)
	}
	noFull, err := New(WithSeed(permSeed(false)))
	if err != nil {
		t.Fatal(err)
	}
	outcome := func(err error) string {
		if err == nil {
			return "ok"
		}
		return asQuayError(err).Error()
	}
	read := repoCheck{allowSuperuser: true, allowGlobalReadonly: true}
	write := repoCheck{allowSuperuser: true}
	got := map[string]string{
		"public repo, anonymous":              outcome(callAs(t, s, "").requireRepoPermission(readRepository("acme", "open"), true, repoCheck{})),
		"private repo, anonymous":             outcome(callAs(t, s, "").requireRepoPermission(readRepository("acme", "secret"), true, repoCheck{})),
		"private repo, outsider":              outcome(callAs(t, s, "outsider-all").requireRepoPermission(readRepository("acme", "secret"), true, repoCheck{})),
		"private repo, gro (allow_public)":    outcome(callAs(t, s, "gro-all").requireRepoPermission(readRepository("acme", "secret"), true, repoCheck{})),
		"write, gro":                          outcome(callAs(t, s, "gro-all").requireRepoPermission(modifyRepository("acme", "secret"), false, write)),
		"read for superusers, gro, full":      outcome(callAs(t, s, "gro-all").requireRepoPermission(administerRepository("acme", "secret"), false, read)),
		"write for superusers, no full":       outcome(callAs(t, noFull, "admin-all").requireRepoPermission(modifyRepository("acme", "secret"), false, write)),
		"user admin, owner":                   outcome(callAs(t, s, "owner-all").requireUserPermission(userAdmin, false)),
		"user admin, repo:read":               outcome(callAs(t, s, "owner-read").requireUserPermission(userAdmin, false)),
		"user admin, anonymous":               outcome(callAs(t, s, "").requireUserPermission(userAdmin, false)),
		"user admin, superuser with full":     outcome(callAs(t, s, "admin-noscope").requireUserPermission(userAdmin, true)),
		"user read, superuser without scopes": outcome(callAs(t, s, "admin-noscope").requireUserPermission(userRead, false)),
	}
	want := map[string]string{
		"public repo, anonymous":              "ok",
		"private repo, anonymous":             "401 invalid_token: Requires authentication",
		"private repo, outsider":              "403 insufficient_scope: Unauthorized",
		"private repo, gro (allow_public)":    "ok",
		"write, gro":                          "403 insufficient_scope: Unauthorized",
		"read for superusers, gro, full":      "ok",
		"write for superusers, no full":       "403 insufficient_scope: Unauthorized",
		"user admin, owner":                   "ok",
		"user admin, repo:read":               "403 insufficient_scope: Unauthorized",
		"user admin, anonymous":               "401 invalid_token: Requires authentication",
		"user admin, superuser with full":     "403 insufficient_scope: Unauthorized", // admin-noscope lacks super:user
		"user read, superuser without scopes": "ok",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decorators (-want +got):\n%s", diff)
	}
	rd := s.store.Read()
	acme, _ := rd.Organization("acme")
	viewable := map[string]map[string]bool{}
	for _, tok := range []string{"owner-read", "member-all", "outsider-all", ""} {
		viewable[tok] = callAs(t, s, tok).viewableTeams(acme)
	}
	wantViewable := map[string]map[string]bool{
		"owner-read":   nil, // an admin by membership, whatever the scopes
		"member-all":   {"readers": true},
		"outsider-all": {},
		"":             {},
	}
	if diff := cmp.Diff(wantViewable, viewable); diff != "" {
		t.Errorf("viewable teams (-want +got):\n%s", diff)
	}
}
