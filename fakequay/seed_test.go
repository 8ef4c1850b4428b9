package fakequay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSeedRejectsWithJSONPath(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, doc, want string }{
		{"unknown top-level key", `{"userz": []}`, "userz: unknown field"},
		{"unknown nested key", `{"users": [{"username": "a1", "email": "a@x.io", "tokens": [{"token": "t", "scope": []}]}]}`,
			"users[0].tokens[0].scope: unknown field"},
		{"wrong type", `{"users": [{"username": "a1", "email": "a@x.io"}, {"username": "b1", "email": "b@x.io", "tokens": [{"token": "t", "scopes": "x"}]}]}`,
			"users[1].tokens[0].scopes: want an array, got a string"},
		{"wrong type in config", `{"config": {"FEATURE_MAILING": "yes"}}`, "config.FEATURE_MAILING: want a boolean, got a string"},
		{"unknown config key", `{"config": {"FEATURE_NOPE": true}}`, "config.FEATURE_NOPE: unknown field"},
		{"duplicate key", `{"users": [{"username": "a1", "username": "a2", "email": "a@x.io"}]}`, "users[0].username: duplicate key"},
		{"missing required", `{"organizations": [{"name": "acme"}]}`, "organizations[0].email: missing required field"},
		{"null required", `{"users": [{"username": null, "email": "a@x.io"}]}`, "users[0].username: missing required field"},
		{"bad time", `{"now": "yesterday"}`, `now: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{"truncated", `{"users": [`, "users: invalid JSON: unexpected end of the document"},
		{"trailing data", `{} {}`, "(document): unexpected data after the top-level value"},
		{"trailing garbage", `{"users": []}x`, "(document): unexpected data after the top-level value"},
		{"not an object", `[1]`, "(document): want an object, got an array"},
		{"an empty key", `{"": 1}`, `(document)[""]: unknown field`},
		{"a key that is not a name", `{"users": [{"username": "a1", "email": "a@x.io", "x: y.z": 1}]}`, `users[0]["x: y.z"]: unknown field`},
		{"syntax error inside a top-level array", `[1, A]`, "(document)[1]: invalid JSON: invalid character 'A' looking for beginning of value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseSeed([]byte(tc.doc))
			if err == nil || err.Error() != tc.want {
				t.Errorf("ParseSeed(%s) error = %v, want %q", tc.doc, err, tc.want)
			}
		})
	}
}

func TestSeedReferencesAreChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		seed Seed
		want string
	}{
		{"duplicate username", Seed{Users: []SeedUser{{Username: "a1", Email: "a@x.io"}, {Username: "a1", Email: "b@x.io"}}},
			`users[1]: name "a1" is already taken`},
		// Users go in as a batch, then their tokens: the errors still come
		// in the users' order, as when they were loaded one by one.
		{"a bad token before a bad user", Seed{Users: []SeedUser{
			{Username: "a1", Email: "a@x.io", Tokens: []SeedToken{{Token: "t1", Scopes: []string{"nope"}}}},
			{Username: "a1", Email: "b@x.io"}}},
			`users[0].tokens[0].scopes: unknown scope "nope"`},
		{"a bad user before a bad token", Seed{Users: []SeedUser{
			{Username: "a1", Email: "a@x.io"}, {Username: "a2", Email: "a@x.io"},
			{Username: "a3", Email: "c@x.io", Tokens: []SeedToken{{Token: "t1", Scopes: []string{"nope"}}}}}},
			`users[1]: e-mail "a@x.io" is already used by another user`},
		{"a token used twice", Seed{Users: []SeedUser{
			{Username: "a1", Email: "a@x.io", Tokens: []SeedToken{{Token: "t1"}}},
			{Username: "a2", Email: "b@x.io", Tokens: []SeedToken{{Token: "t1"}}}}},
			`users[1].tokens[0]: token value is already used by another token`},
		{"org named like a user", Seed{Users: []SeedUser{{Username: "a1", Email: "a@x.io"}},
			Organizations: []SeedOrganization{{Name: "a1", Email: "o@x.io"}}}, `organizations[0]: name "a1" is already taken`},
		{"dangling quota", Seed{Quotas: []SeedQuota{{Namespace: "ghost", LimitBytes: 1}}},
			`quotas[0].namespace: "ghost" is not a seeded user or organization`},
		{"dangling log performer", Seed{Logs: []SeedLog{{Kind: "push_repo", Datetime: fixtureTime, Performer: "ghost"}}},
			`logs[0].performer: "ghost" is not a seeded user`},
		{"invalid username", Seed{Users: []SeedUser{{Username: "Bad Name", Email: "a@x.io"}}},
			`users[0]: name "Bad Name": Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$`},
		{"unknown authentication type", Seed{Config: &Config{AuthenticationType: "Nope", RegistryState: "normal"}},
			`config.AUTHENTICATION_TYPE: "Nope" is not one of Database, LDAP, JWT, Keystone, OIDC, AppToken`},
		{"unknown registry state", Seed{Config: &Config{AuthenticationType: "LDAP", RegistryState: "broken"}},
			`config.REGISTRY_STATE: "broken" is not "normal" or "readonly"`},
		{"tag expiration option", Seed{Config: &Config{AuthenticationType: "LDAP", RegistryState: "normal",
			TagExpirationOptions: []string{"1d", "soon"}}},
			`config.TAG_EXPIRATION_OPTIONS[1]: "soon" is not a Quay timedelta (<number><s|m|h|d|w|y>)`},
		{"negative default quota", Seed{Config: &Config{AuthenticationType: "LDAP", RegistryState: "normal",
			DefaultSystemRejectQuotaBytes: -1}}, `config.DEFAULT_SYSTEM_REJECT_QUOTA_BYTES: -1 is negative`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(WithSeed(tc.seed))
			if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
				t.Errorf("New error = %v, want suffix %q", err, tc.want)
			}
		})
	}
}

func TestSeedFileLoads(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "seed.json")
	doc := `{"config": {"SUPER_USERS": ["root"], "FEATURE_MAILING": false},
	  "now": "2026-11-28T12:00:00Z",
	  "users": [{"username": "root", "email": "root@example.com", "tokens": [{"token": "t-limited", "scopes": ["repo:read"]}, {"token": "t-root"}]},
	            {"username": "bob", "email": "bob@example.com", "verified": false}],
	  "organizations": [{"name": "acme", "email": "acme@example.com"}],
	  "quotas": [{"namespace": "acme", "limit_bytes": 10737418240, "limits": [{"type": "Warning", "limit_percent": 80}], "used_bytes": 5242880}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := New(WithSeedFile(path))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.SuperuserToken(); got != "t-root" {
		t.Errorf("SuperuserToken() = %q, want the first all-scope token of the first superuser", got)
	}
	if !s.Now().Equal(fixtureTime) {
		t.Errorf("Now() = %v", s.Now())
	}
	bob, _ := s.User("bob")
	if diff := cmp.Diff(User{ID: 2, Username: "bob", Email: "bob@example.com", Verified: false, Enabled: true}, bob); diff != "" {
		t.Errorf("bob (-want +got):\n%s", diff)
	}
	if s.cfg.FeatureMailing || !s.cfg.FeatureQuotaManagement {
		t.Errorf("config: mailing %v (want false), quota management %v (want the default true)", s.cfg.FeatureMailing, s.cfg.FeatureQuotaManagement)
	}
	if _, err := New(WithSeedFile(filepath.Join(t.TempDir(), "missing.json"))); err == nil {
		t.Error("a missing seed file was accepted")
	}
}
