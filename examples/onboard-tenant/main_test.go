package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/quaykit/go-quay/examples/internal/exampletest"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// acmeJSON is the tenant most tests onboard.
const acmeJSON = `{
  "organization": "acme",
  "email": "platform@acme.example",
  "robots": [{"name": "ci", "description": "pushes from CI"}],
  "teams": [
    {"name": "developers", "role": "member", "description": "People who ship", "members": ["alice", "acme+ci"]},
    {"name": "leads", "role": "creator", "members": ["bob"]}
  ],
  "default_permissions": [
    {"team": "developers", "role": "write"},
    {"robot": "ci", "role": "write"},
    {"user": "bob", "role": "read"}
  ],
  "repositories": [
    {"name": "web", "visibility": "private", "description": "The storefront"},
    {"name": "docs", "visibility": "public"}
  ]
}`

// acmeCreated is what the first run over an empty registry writes.
const acmeCreated = `organization acme: created
robot acme+ci: created
team developers: created
team developers member alice: added
team developers member acme+ci: added
team leads: created
team leads member bob: added
default permission write for team developers: created
default permission write for robot acme+ci: created
default permission read for user bob: created
repository acme/web: created
  granted by default permissions: team developers write, robot acme+ci write, user bob read, user owner admin
repository acme/docs: created
  granted by default permissions: team developers write, robot acme+ci write, user bob read, user owner admin
acme: 9 created, 3 added
`

// registry is a fakequay with the user owner (who runs the program), alice
// and bob, and FEATURE_MAILING as given.
func registry(t *testing.T, mailing bool) *fakequay.Server {
	t.Helper()
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	cfg.FeatureMailing = mailing
	return fakequay.RunT(t, fakequay.WithSeed(fakequay.Seed{
		Config: &cfg,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com"},
			{Username: "owner", Email: "owner@example.com", Tokens: []fakequay.SeedToken{{Token: "owner-token"}}},
			{Username: "alice", Email: "alice@example.com"},
			{Username: "bob", Email: "bob@example.com"},
		},
	}))
}

// tenantFile writes content to a fresh directory and returns its path.
func tenantFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tenant.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// onboard runs the program as owner.
func onboard(t *testing.T, srv *fakequay.Server, args ...string) exampletest.Result {
	t.Helper()
	return exampletest.RunEnv(t, run, exampletest.EnvWithToken(srv, "owner-token"), args...)
}

// writes returns the requests since the journal was last cleared that
// were not reads.
func writes(srv *fakequay.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Method != "GET" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// tenantState is what a tenant's organization holds, read back through
// the API as owner: each team's members, each default permission and each
// repository's visibility and permissions.
type tenantState struct {
	Members     map[string][]string // team -> member names, pending included
	Prototypes  []string            // "role kind name"
	Repos       map[string]bool     // name -> public
	RepoTeams   map[string]map[string]string
	RepoUsers   map[string]map[string]string
	Description map[string]string
}

func readState(t *testing.T, srv *fakequay.Server, teams, repos []string) tenantState {
	t.Helper()
	c, err := quay.NewClient(srv.URL(), quay.WithToken("owner-token"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	st := tenantState{Members: map[string][]string{}, Repos: map[string]bool{}, RepoTeams: map[string]map[string]string{},
		RepoUsers: map[string]map[string]string{}, Description: map[string]string{}}
	for _, team := range teams {
		m, _, err := c.Teams.ListMembers(ctx, "acme", team, &quay.TeamMemberListOptions{IncludePending: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, member := range m.Members {
			st.Members[team] = append(st.Members[team], member.Name)
		}
	}
	protos, _, err := c.Prototypes.List(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range protos {
		st.Prototypes = append(st.Prototypes, p.Role+" "+p.Delegate.Kind+" "+p.Delegate.Name)
	}
	for _, name := range repos {
		r, _, err := c.Repositories.Get(ctx, "acme", name, &quay.RepositoryGetOptions{ExcludeTags: true})
		if err != nil {
			t.Fatal(err)
		}
		st.Repos[name], st.Description[name] = r.IsPublic, r.Description
		tp, _, err := c.Permissions.ListTeams(ctx, "acme", name)
		if err != nil {
			t.Fatal(err)
		}
		up, _, err := c.Permissions.ListUsers(ctx, "acme", name)
		if err != nil {
			t.Fatal(err)
		}
		st.RepoTeams[name], st.RepoUsers[name] = map[string]string{}, map[string]string{}
		for n, p := range tp {
			st.RepoTeams[name][n] = p.Role
		}
		for n, p := range up {
			st.RepoUsers[name][n] = p.Role
		}
	}
	return st
}

// The first run builds the whole tenant, with the default permissions in
// force on the repositories created after them; the second finds nothing
// to do and sends no write.
func TestOnboardTwice(t *testing.T) {
	t.Parallel()
	srv := registry(t, false)
	path := tenantFile(t, acmeJSON)

	if diff := cmp.Diff(exampletest.Result{Stdout: acmeCreated}, onboard(t, srv, path)); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	grants := map[string]string{"acme+ci": "write", "bob": "read", "owner": "admin"}
	want := tenantState{
		Members:     map[string][]string{"developers": {"alice", "acme+ci"}, "leads": {"bob"}},
		Prototypes:  []string{"write team developers", "write user acme+ci", "read user bob"},
		Repos:       map[string]bool{"web": false, "docs": true},
		Description: map[string]string{"web": "The storefront", "docs": ""},
		RepoTeams:   map[string]map[string]string{"web": {"developers": "write"}, "docs": {"developers": "write"}},
		RepoUsers:   map[string]map[string]string{"web": grants, "docs": grants},
	}
	sortMembers := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	if diff := cmp.Diff(want, readState(t, srv, []string{"developers", "leads"}, []string{"web", "docs"}), sortMembers); diff != "" {
		t.Errorf("state after the first run (-want +got):\n%s", diff)
	}

	srv.ClearRequests()
	again := `organization acme: unchanged
robot acme+ci: unchanged
team developers: unchanged
team developers member alice: unchanged
team developers member acme+ci: unchanged
team leads: unchanged
team leads member bob: unchanged
default permission write for team developers: unchanged
default permission write for robot acme+ci: unchanged
default permission read for user bob: unchanged
repository acme/web: unchanged
repository acme/docs: unchanged
acme: 12 unchanged
`
	if diff := cmp.Diff(exampletest.Result{Stdout: again}, onboard(t, srv, path)); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if got := writes(srv); len(got) != 0 {
		t.Errorf("the second run wrote %v; it should only read", got)
	}
}

// A changed file changes what differs and nothing else: a team's role, a
// default permission's role, a repository's visibility and description.
func TestOnboardChanges(t *testing.T) {
	t.Parallel()
	srv := registry(t, false)
	if res := onboard(t, srv, tenantFile(t, acmeJSON)); res.Err != "" {
		t.Fatalf("first run: %+v", res)
	}
	changed := `{
  "organization": "acme",
  "teams": [{"name": "developers", "role": "admin", "description": "People who ship", "members": ["alice"]}],
  "default_permissions": [{"team": "developers", "role": "read"}],
  "repositories": [{"name": "web", "visibility": "public", "description": "The new storefront"}, {"name": "api", "visibility": "private"}]
}`
	srv.ClearRequests()
	want := `organization acme: unchanged
team developers: changed
team developers member alice: unchanged
default permission read for team developers: changed
repository acme/web: changed
repository acme/api: created
  granted by default permissions: team developers read, robot acme+ci write, user bob read, user owner admin
acme: 1 created, 3 changed, 2 unchanged
`
	if diff := cmp.Diff(exampletest.Result{Stdout: want}, onboard(t, srv, tenantFile(t, changed))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantWrites := []string{
		"PUT /api/v1/organization/acme/team/developers",
		"PUT /api/v1/organization/acme/prototypes/" + prototypeID(t, srv, "developers"),
		"POST /api/v1/repository/acme/web/changevisibility",
		"PUT /api/v1/repository/acme/web",
		"POST /api/v1/repository",
	}
	if diff := cmp.Diff(wantWrites, writes(srv)); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

// prototypeID is the id of the default permission for team.
func prototypeID(t *testing.T, srv *fakequay.Server, team string) string {
	t.Helper()
	c, err := quay.NewClient(srv.URL(), quay.WithToken("owner-token"))
	if err != nil {
		t.Fatal(err)
	}
	protos, _, err := c.Prototypes.List(t.Context(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range protos {
		if p.Delegate.Kind == "team" && p.Delegate.Name == team {
			return p.ID
		}
	}
	t.Fatalf("no default permission for team %s", team)
	return ""
}

// A dry run reports what a real run would do and sends no write, both
// over an empty registry (where it cannot read what does not exist) and
// over a tenant that differs from the file.
func TestOnboardDryRun(t *testing.T) {
	t.Parallel()
	srv := registry(t, false)
	path := tenantFile(t, `{"organization": "acme", "robots": [{"name": "ci"}],
  "teams": [{"name": "developers", "role": "member", "members": ["alice"]}],
  "default_permissions": [{"robot": "ci", "role": "write"}],
  "repositories": [{"name": "web", "visibility": "private"}]}`)
	want := `organization acme: would be created
robot acme+ci: would be created
team developers: would be created
team developers member alice: would be added
default permission write for robot acme+ci: would be created
repository acme/web: would be created
acme: 5 created, 1 added (dry run: nothing was changed)
`
	if diff := cmp.Diff(exampletest.Result{Stdout: want}, onboard(t, srv, "-dry-run", path)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := writes(srv); len(got) != 0 {
		t.Errorf("the dry run wrote %v", got)
	}
	if _, ok := srv.Organization("acme"); ok {
		t.Error("the dry run created the organization")
	}
}

// With FEATURE_MAILING, Quay invites users who are not yet in the
// organization instead of adding them; robots are added. A pending
// invitation counts as present on the next run.
func TestOnboardInvites(t *testing.T) {
	t.Parallel()
	srv := registry(t, true)
	path := tenantFile(t, `{"organization": "acme", "robots": [{"name": "ci"}],
  "teams": [{"name": "developers", "role": "member", "members": ["alice", "acme+ci"]}]}`)
	want := `organization acme: created
robot acme+ci: created
team developers: created
team developers member alice: invited
team developers member acme+ci: added
acme: 3 created, 1 added, 1 invited
`
	if diff := cmp.Diff(exampletest.Result{Stdout: want}, onboard(t, srv, path)); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	again := `organization acme: unchanged
robot acme+ci: unchanged
team developers: unchanged
team developers member alice: unchanged
team developers member acme+ci: unchanged
acme: 5 unchanged
`
	if diff := cmp.Diff(exampletest.Result{Stdout: again}, onboard(t, srv, path)); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
}

// The run stops at the first item Quay refuses, with Quay's message; what
// came before it stays, and a fixed file picks up from there.
func TestOnboardRefused(t *testing.T) {
	t.Parallel()
	srv := registry(t, false)
	res := onboard(t, srv, tenantFile(t, `{"organization": "acme",
  "teams": [{"name": "developers", "role": "member", "members": ["nobody"]}],
  "repositories": [{"name": "web", "visibility": "private"}]}`))
	want := exampletest.Result{
		Stdout: "organization acme: created\nteam developers: created\nacme: 2 created\n",
		Err:    "team developers member nobody: Unknown user",
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := srv.Organization("acme"); !ok {
		t.Error("the organization made before the refusal is gone")
	}
}

// Someone else's organization is reported, not changed.
func TestOnboardForeignOrganization(t *testing.T) {
	t.Parallel()
	srv := registry(t, false)
	if err := srv.AddOrganization(fakequay.SeedOrganization{Name: "acme", Email: "acme@example.com"}); err != nil {
		t.Fatal(err)
	}
	want := exampletest.Result{
		Stdout: "acme: nothing to do\n",
		Err:    "organization acme: exists, and this token's user does not administer it",
	}
	if diff := cmp.Diff(want, onboard(t, srv, tenantFile(t, acmeJSON))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A malformed file is refused before the first request, naming the field.
func TestOnboardBadFile(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, file, err string }{
		{"unknown field", `{"organization": "acme", "owners": []}`, `json: unknown field "owners"`},
		{"no organization", `{"teams": []}`, "organization: missing"},
		{"bad team role", `{"organization": "acme", "teams": [{"name": "t", "role": "owner"}]}`,
			`teams[0].role: "owner" is not member, creator or admin`},
		{"two delegates", `{"organization": "acme", "default_permissions": [{"team": "t", "robot": "r", "role": "read"}]}`,
			"default_permissions[0]: names 2 of team, robot and user; want exactly one"},
		{"bad visibility and duplicate", `{"organization": "acme", "repositories": [{"name": "a", "visibility": "internal"}, {"name": "a", "visibility": "public"}]}`,
			"repositories[0].visibility: \"internal\" is not public or private\nrepositories[1].name: \"a\" is listed twice"},
		{"two values", `{"organization": "acme"} {}`, "more than one JSON value"},
	}
	srv := registry(t, false)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := tenantFile(t, tc.file)
			want := exampletest.Result{Err: path + ": " + tc.err}
			if diff := cmp.Diff(want, onboard(t, srv, path)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Cleanup(func() {
		if got := srv.Requests(); len(got) != 0 {
			t.Errorf("a malformed file sent %d requests", len(got))
		}
	})
}
