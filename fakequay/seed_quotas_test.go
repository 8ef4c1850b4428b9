package fakequay

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A seed file's quotas and registry_size sections (design §4) reach the API.
func TestSeedFileQuotasAndRegistrySize(t *testing.T) {
	t.Parallel()
	seed, err := ParseSeed([]byte(`{
		"config": {"SUPER_USERS": ["admin"]},
		"now": "2026-11-28T12:00:00Z",
		"users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "admin-token"}]}],
		"organizations": [{"name": "acme", "email": "acme@example.com"}],
		"quotas": [{"namespace": "acme", "limit_bytes": 10737418240,
		            "limits": [{"type": "Warning", "limit_percent": 80}], "used_bytes": 5242880}],
		"registry_size": {"size_bytes": 73400320000, "last_ran": "2025-02-04T14:45:10.123+01:00", "queued": true}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(s *Seed) { *s = seed })
	checkReply(t, jsonReply(200, `[{"id": 1, "limit_bytes": 10737418240, "limit": "10.0 GiB", "default_config": false, `+
		`"limits": [{"id": 1, "type": "Warning", "limit_percent": 80}], "default_config_exists": false}]`),
		h.do("GET", "/api/v1/superuser/organization/acme/quota", tokAdmin, ""))
	checkReply(t, jsonReply(200, `{"size_bytes": 73400320000, "last_ran": 1738676710123, "queued": true, "running": false}`),
		h.do("GET", registrySizePath, tokAdmin, ""))
	h.s.Advance(0) // the queued calculation runs: acme's 5 MiB
	checkReply(t, jsonReply(200, `{"size_bytes": 5242880, "last_ran": 1795867200000, "queued": false, "running": false}`),
		h.do("GET", registrySizePath, tokAdmin, ""))
}

func TestSeedQuotaErrors(t *testing.T) {
	t.Parallel()
	const base = `"users": [{"username": "admin", "email": "admin@example.com"}], "organizations": [{"name": "acme", "email": "a@example.com"}]`
	tests := []struct {
		name string
		json string
		want string // the error of ParseSeed, else of New
	}{
		{name: "unknown key in registry_size", json: `{"registry_size": {"size_bytes": 1, "ran": true}}`,
			want: "registry_size.ran: unknown field"},
		{name: "bad type in registry_size", json: `{"registry_size": {"size_bytes": "1"}}`,
			want: "registry_size.size_bytes: want an integer, got a string"},
		{name: "bad last_ran", json: `{"registry_size": {"size_bytes": 1, "last_ran": "yesterday"}}`,
			want: `parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
		{name: "negative registry size", json: `{` + base + `, "registry_size": {"size_bytes": -1}}`,
			want: "registry_size.size_bytes: must not be negative, got -1"},
		{name: "queued and running", json: `{` + base + `, "registry_size": {"size_bytes": 1, "queued": true, "running": true}}`,
			want: "registry_size.running: cannot be true while queued is"},
		{name: "dangling quota namespace", json: `{` + base + `, "quotas": [{"namespace": "nobody", "limit_bytes": 1}]}`,
			want: `quotas[0].namespace: "nobody" is not a seeded user or organization`},
		{name: "two quotas for one namespace", json: `{` + base + `, "quotas": [{"namespace": "acme", "limit_bytes": 1}, {"namespace": "acme", "limit_bytes": 2}]}`,
			want: "quotas[1].namespace: already has a quota"},
		{name: "non-positive limit", json: `{` + base + `, "quotas": [{"namespace": "acme", "limit_bytes": 0}]}`,
			want: "quotas[0].limit_bytes: must be positive, got 0"},
		{name: "limit type", json: `{` + base + `, "quotas": [{"namespace": "acme", "limit_bytes": 1, "limits": [{"type": "Soft", "limit_percent": 5}]}]}`,
			want: `quotas[0].limits[0].type: "Soft" is not "Warning" or "Reject"`},
		{name: "limit percent", json: `{` + base + `, "quotas": [{"namespace": "acme", "limit_bytes": 1, "limits": [{"type": "Reject", "limit_percent": 120}]}]}`,
			want: "quotas[0].limits[0].limit_percent: 120 is not between 1 and 100"},
		{name: "negative used_bytes", json: `{` + base + `, "quotas": [{"namespace": "acme", "limit_bytes": 1, "used_bytes": -4}]}`,
			want: "quotas[0].used_bytes: size must not be negative, got -4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seed, err := ParseSeed([]byte(tc.json))
			if err == nil {
				_, err = New(WithSeed(seed))
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if !strings.HasSuffix(got, tc.want) {
				t.Errorf("error %q, want it to end with %q", got, tc.want)
			}
		})
	}
}

// A seeded quota reads back through the direct API with the ids it got.
func TestSeedQuotaDirectView(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAcmeQuota)
	q, ok := h.s.Quota("acme")
	want := Quota{ID: 1, Namespace: "acme", LimitBytes: 10 << 30, Limits: []QuotaLimit{
		{ID: 1, Type: "Warning", LimitPercent: 80}, {ID: 2, Type: "Reject", LimitPercent: 100}}}
	if diff := cmp.Diff(want, q); !ok || diff != "" {
		t.Errorf("Quota(acme) (-want +got):\n%s", diff)
	}
}
