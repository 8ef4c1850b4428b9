package fakequay

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// provisioningSeedDoc has every provisioning section.
const provisioningSeedDoc = `{
  "config": {"SUPER_USERS": ["admin"]},
  "now": "2026-11-28T12:00:00Z",
  "users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "admin-token"}]},
            {"username": "alice", "email": "alice@example.com"},
            {"username": "bob", "email": "bob@example.com"}],
  "organizations": [
    {"name": "acme", "email": "acme@example.com", "teams": [
      {"name": "owners", "role": "admin", "description": "Owners", "members": ["admin", "acme+deployer"]},
      {"name": "devs", "role": "creator", "members": ["alice"],
       "invites": [{"user": "bob", "inviter": "admin", "code": "urn:teaminvite:bob"},
                   {"email": "carol@example.com", "inviter": "admin"}]}]},
    {"name": "empty", "email": "empty@example.com"}],
  "robots": [{"name": "acme+deployer", "description": "CI", "token": "deployer-token",
              "unstructured_metadata": {"team": "ci"}, "created": "2026-11-01T00:00:00Z"},
             {"name": "alice+laptop"}],
  "repositories": [
    {"namespace": "acme", "name": "web", "visibility": "public", "description": "The site",
     "permissions": {"users": {"bob": "read", "alice": "write"}, "teams": {"devs": "write"}, "robots": {"acme+deployer": "admin"}}},
    {"namespace": "acme", "name": "frozen", "state": "READ_ONLY", "kind": "application", "trust_enabled": true},
    {"namespace": "alice", "name": "mine"}],
  "prototypes": [{"organization": "acme", "delegate": {"kind": "team", "name": "devs"}, "role": "read", "uuid": "p1"},
                 {"organization": "acme", "activating_user": "alice", "delegate": {"kind": "user", "name": "acme+deployer"}, "role": "write"}]
}`

func TestProvisioningSeedLoads(t *testing.T) {
	t.Parallel()
	seed, err := ParseSeed([]byte(provisioningSeedDoc))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	desc := "The site"
	got := map[string]any{
		"acme teams":  s.Teams("acme"),
		"empty teams": s.Teams("empty"),
		"repos acme":  s.Repositories("acme"),
		"repos alice": s.Repositories("alice"),
		"prototypes":  s.Prototypes("acme"),
	}
	want := map[string]any{
		"acme teams": []Team{
			{Organization: "acme", Name: "owners", Role: "admin", Description: "Owners", Members: []string{"admin", "acme+deployer"}},
			{Organization: "acme", Name: "devs", Role: "creator", Members: []string{"alice"}, Invites: []TeamInvite{
				{User: "bob", Inviter: "admin", Code: "urn:teaminvite:bob"},
				{Email: "carol@example.com", Inviter: "admin", Code: "urn:teaminvite:<uuid>"}}},
		},
		"empty teams": []Team{{Organization: "empty", Name: "owners", Role: "admin"}},
		"repos acme": []Repository{
			{Namespace: "acme", Name: "web", Visibility: "public", Description: &desc, State: "NORMAL", Kind: "image",
				Permissions: []Permission{{"user", "alice", "write"}, {"user", "bob", "read"}, {"team", "devs", "write"},
					{"robot", "acme+deployer", "admin"}}},
			{Namespace: "acme", Name: "frozen", Visibility: "private", State: "READ_ONLY", Kind: "application", TrustEnabled: true},
		},
		"repos alice": []Repository{{Namespace: "alice", Name: "mine", Visibility: "private", State: "NORMAL", Kind: "image"}},
		"prototypes": []Prototype{
			{Organization: "acme", UUID: "p1", DelegateKind: "team", DelegateName: "devs", Role: "read"},
			{Organization: "acme", UUID: "<uuid>", ActivatingUser: "alice", DelegateKind: "user", DelegateName: "acme+deployer", Role: "write"},
		},
	}
	uuidRE := `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`
	for _, tm := range got["acme teams"].([]Team) {
		for i := range tm.Invites {
			tm.Invites[i].Code = normalize(tm.Invites[i].Code, uuidRE, "<uuid>")
		}
	}
	for i, p := range got["prototypes"].([]Prototype) {
		got["prototypes"].([]Prototype)[i].UUID = normalize(p.UUID, uuidRE, "<uuid>")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seeded state (-want +got):\n%s", diff)
	}

	deployer, _ := s.Robot("acme+deployer")
	laptop, _ := s.Robot("alice+laptop")
	gotRobots := []Robot{deployer, laptop}
	wantRobots := []Robot{
		{Name: "acme+deployer", Description: "CI", Token: "deployer-token", UnstructuredMetadata: json.RawMessage(`{"team":"ci"}`),
			Created: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{Name: "alice+laptop", Token: "<generated>", UnstructuredMetadata: json.RawMessage(`{}`), Created: fixtureTime},
	}
	if len(laptop.Token) == 64 && strings.Trim(laptop.Token, upperDigits) == "" {
		gotRobots[1].Token = "<generated>"
	}
	if diff := cmp.Diff(wantRobots, gotRobots); diff != "" {
		t.Errorf("robots (-want +got):\n%s", diff)
	}
	// A robot token is no API credential: the caller is anonymous.
	h := &harness{t: t, s: s, client: s.HTTPClient()}
	checkReply(t, replyCSRF, h.do("DELETE", "/api/v1/superuser/users/alice", "deployer-token", ""))
}

func TestProvisioningSeedRejects(t *testing.T) {
	t.Parallel()
	base := func() Seed {
		seed, err := ParseSeed([]byte(provisioningSeedDoc))
		if err != nil {
			t.Fatal(err)
		}
		return seed
	}
	tests := []struct {
		name string
		edit func(*Seed)
		want string
	}{
		{"empty scopes", func(s *Seed) { s.Users[1].Tokens = []SeedToken{{Token: "x", Scopes: []string{}}} },
			`users[1].tokens[0].scopes: empty; Quay issues no token without a scope`},
		{"team role", func(s *Seed) { s.Organizations[0].Teams[1].Role = "boss" },
			`organizations[0].teams[1].role: "boss" is not member, creator or admin`},
		{"team name", func(s *Seed) { s.Organizations[0].Teams[1].Name = "Devs" },
			`organizations[0].teams[1].name: Invalid team name Devs: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$`},
		{"duplicate team", func(s *Seed) { s.Organizations[0].Teams[1].Name = "owners" },
			`organizations[0].teams[1].name: team "owners" already exists`},
		{"member who does not exist", func(s *Seed) { s.Organizations[0].Teams[1].Members = []string{"ghost"} },
			`organizations[0].teams[1].members[0]: "ghost" is not a seeded user or robot`},
		{"member twice", func(s *Seed) { s.Organizations[0].Teams[1].Members = []string{"alice", "alice"} },
			`organizations[0].teams[1].members[1]: User alice is already a member of team devs`},
		{"invite for both", func(s *Seed) { s.Organizations[0].Teams[1].Invites[0].Email = "x@example.com" },
			`organizations[0].teams[1].invites[0]: give one of user and email`},
		{"inviter", func(s *Seed) { s.Organizations[0].Teams[1].Invites[0].Inviter = "ghost" },
			`organizations[0].teams[1].invites[0].inviter: "ghost" is not a seeded user`},
		{"robot name", func(s *Seed) { s.Robots[0].Name = "deployer" },
			`robots[0].name: "deployer" is not "namespace+shortname"`},
		{"robot namespace", func(s *Seed) { s.Robots[0].Name = "ghost+deployer" },
			`robots[0].name: "ghost" is not a seeded user or organization`},
		{"robot twice", func(s *Seed) { s.Robots[1].Name = "acme+deployer" },
			`robots[1].name: robot acme+deployer already exists`},
		{"robot metadata", func(s *Seed) { s.Robots[0].UnstructuredMetadata = json.RawMessage(`[1]`) },
			`robots[0].unstructured_metadata: not a JSON object`},
		{"repository namespace", func(s *Seed) { s.Repositories[0].Namespace = "ghost" },
			`repositories[0].namespace: "ghost" is not a seeded user or organization`},
		{"repository name", func(s *Seed) { s.Repositories[0].Name = "Web" },
			`repositories[0].name: "Web" is not a repository name Quay accepts`},
		{"repository twice", func(s *Seed) { s.Repositories[1].Name = "web" },
			`repositories[1].name: repository "web" already exists`},
		{"visibility", func(s *Seed) { s.Repositories[0].Visibility = "internal" },
			`repositories[0].visibility: "internal" is not public or private`},
		{"state", func(s *Seed) { s.Repositories[1].State = "FROZEN" },
			`repositories[1].state: "FROZEN" is not a Quay repository state`},
		{"permission role", func(s *Seed) { s.Repositories[0].Permissions.Users["bob"] = "owner" },
			`repositories[0].permissions.users.bob: "owner" is not read, write or admin`},
		{"permission for a team of another org", func(s *Seed) {
			s.Repositories[2].Permissions = &SeedRepoPermissions{Teams: map[string]string{"devs": "read"}}
		},
			`repositories[2].permissions.teams.devs: no such team`},
		{"permission for another namespace's robot", func(s *Seed) {
			s.Repositories[2].Permissions = &SeedRepoPermissions{Robots: map[string]string{"acme+deployer": "read"}}
		}, `repositories[2].permissions.robots.acme+deployer: robot`},
		{"prototype organization", func(s *Seed) { s.Prototypes[0].Organization = "alice" },
			`prototypes[0].organization: "alice" is not a seeded organization`},
		{"prototype delegate", func(s *Seed) { s.Prototypes[0].Delegate = SeedDelegate{Kind: "team", Name: "ghosts"} },
			`prototypes[0].delegate.name: "ghosts" is not a team of acme`},
		{"prototype delegate kind", func(s *Seed) { s.Prototypes[0].Delegate.Kind = "org" },
			`prototypes[0].delegate.kind: "org" is not user or team`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seed := base()
			tc.edit(&seed)
			_, err := New(WithSeed(seed))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	// Strict decoding reaches the new sections too.
	for doc, want := range map[string]string{
		`{"robots": [{"name": "a+b", "tokn": "x"}]}`:                                              "robots[0].tokn: unknown field",
		`{"repositories": [{"namespace": "a", "name": "b", "permissions": {"users": {"x": 1}}}]}`: "repositories[0].permissions.users",
		`{"prototypes": [{"organization": "a", "role": "read"}]}`:                                 "prototypes[0].delegate: missing required field",
		`{"organizations": [{"name": "a", "email": "a@x.io", "teams": [{"name": "t"}]}]}`:         "organizations[0].teams[0].role: missing required field",
	} {
		if _, err := ParseSeed([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSeed(%s) = %v, want %q", doc, err, want)
		}
	}
}

func TestDirectProvisioning(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	s := h.s
	steps := []error{
		s.AddRobot(SeedRobot{Name: "acme+ci", Token: "ci-token"}),
		s.AddTeam("acme", SeedTeam{Name: "devs", Role: "member", Members: []string{"alice", "acme+ci"}}),
		s.AddRepository(SeedRepository{Namespace: "acme", Name: "app", Permissions: &SeedRepoPermissions{Teams: map[string]string{"devs": "write"}}}),
		s.AddPrototype(SeedPrototype{Organization: "acme", Delegate: SeedDelegate{Kind: "user", Name: "acme+ci"}, Role: "read", UUID: "u1"}),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	errs := map[string]string{}
	for k, err := range map[string]error{
		"robot":      s.AddRobot(SeedRobot{Name: "acme+ci"}),
		"team":       s.AddTeam("alice", SeedTeam{Name: "x1", Role: "member"}),
		"repository": s.AddRepository(SeedRepository{Namespace: "acme", Name: "app"}),
		"prototype":  s.AddPrototype(SeedPrototype{Organization: "acme", Delegate: SeedDelegate{Kind: "team", Name: "x1"}, Role: "read"}),
	} {
		if err != nil {
			errs[k] = err.Error()
		}
	}
	wantErrs := map[string]string{
		"robot":      `fakequay: AddRobot.name: robot acme+ci already exists`,
		"team":       `fakequay: AddTeam: "alice" is not an organization`,
		"repository": `fakequay: AddRepository.name: repository "app" already exists`,
		"prototype":  `fakequay: AddPrototype.delegate.name: "x1" is not a team of acme`,
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	repo, _ := s.Repository("acme", "app")
	got := map[string]any{
		"teams":      s.Teams("acme"),
		"repo":       repo,
		"prototypes": s.Prototypes("acme"),
		"robots":     len(s.Robots("acme")),
	}
	want := map[string]any{
		"teams": []Team{{Organization: "acme", Name: "owners", Role: "admin"},
			{Organization: "acme", Name: "devs", Role: "member", Members: []string{"alice", "acme+ci"}}},
		"repo": Repository{Namespace: "acme", Name: "app", Visibility: "private", State: "NORMAL", Kind: "image",
			Permissions: []Permission{{"team", "devs", "write"}}},
		"prototypes": []Prototype{{Organization: "acme", UUID: "u1", DelegateKind: "user", DelegateName: "acme+ci", Role: "read"}},
		"robots":     1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	// Reset forgets what the direct API added.
	s.Reset()
	if _, ok := s.Robot("acme+ci"); ok || len(s.Teams("acme")) != 1 {
		t.Errorf("after Reset: robot kept %v, teams %v", ok, s.Teams("acme"))
	}
}
