package fakequay

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The seed fields a snapshot of a running Quay needs (fakequay snapshot):
// a namespace's computed size without a quota, a service key approved by
// no user, and a build's job fields. Checked against the realquay harness,
// whose initdb.py fixture has all three (devtable's 3000 bytes, kid1's
// approval with a null approver, the builds' resource keys).
func TestSeedSnapshotFields(t *testing.T) {
	t.Parallel()
	seed, err := ParseSeed([]byte(`{
		"config": {"SUPER_USERS": ["admin"], "FEATURE_SUPERUSERS_FULL_ACCESS": true},
		"now": "2026-11-28T12:00:00Z",
		"users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "admin-token"}], "used_bytes": 3000}],
		"organizations": [{"name": "acme", "email": "acme@example.com", "used_bytes": 184}],
		"service_keys": [{"kid": "k1", "service": "svc", "created": "2026-11-01T00:00:00Z",
		                  "approval_type": "ServiceKeyApprovalType.KEY_ROTATION", "notes": "n",
		                  "jwk": {"kty": "RSA", "e": "AQAB", "n": "u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw"}}],
		"builds": [{"uuid": "b1", "namespace": "acme", "repository": "web", "phase": "internalerror",
		            "started": "2026-11-27T10:00:00Z", "resource_key": "rk1", "archive_url": "http://x/a",
		            "trigger_metadata": {"ref": "refs/heads/main"}, "retries_remaining": true}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(s *Seed) { *s = seed })
	report := func(used int64) string {
		return `"quotas": [], "quota_report": {"quota_bytes": ` + jsonInt(used) +
			`, "configured_quota": null, "running_backfill": "complete", "backfill_status": "complete"}`
	}
	orgs := h.do("GET", "/api/v1/superuser/organizations/", tokAdmin, "")
	if !strings.Contains(orgs.Body, report(184)) {
		t.Errorf("organization view lacks %s: %s", report(184), orgs.Body)
	}
	users := h.do("GET", "/api/v1/superuser/users/", tokAdmin, "")
	if !strings.Contains(users.Body, report(3000)) {
		t.Errorf("user view lacks %s: %s", report(3000), users.Body)
	}

	keys := h.s.ServiceKeys()
	if len(keys) != 1 {
		t.Fatalf("%d keys", len(keys))
	}
	wantApproval := &ServiceKeyApproval{Type: "ServiceKeyApprovalType.KEY_ROTATION", Date: at("2026-11-01T00:00:00Z"), Notes: "n"}
	if diff := cmp.Diff(wantApproval, keys[0].Approval); diff != "" {
		t.Errorf("approval (-want +got):\n%s", diff)
	}
	key := h.do("GET", "/api/v1/superuser/keys/k1", tokAdmin, "")
	if !strings.Contains(key.Body, `"approver":null`) {
		t.Errorf("key view: %s", key.Body)
	}
	// The seeded public key, and no kid member in it: the JWK is shown as given.
	if !strings.Contains(key.Body, `"jwk":{"e":"AQAB","kty":"RSA","n":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw"}`) {
		t.Errorf("key view does not show the seeded JWK: %s", key.Body)
	}

	b, ok := h.s.Build("b1")
	if !ok {
		t.Fatal("build b1 missing")
	}
	want := SeedBuild{UUID: "b1", Namespace: "acme", Repository: "web", Phase: "internalerror", Started: at("2026-11-27T10:00:00Z"),
		ResourceKey: ptr("rk1"), ArchiveURL: "http://x/a",
		TriggerMetadata: json.RawMessage(`{"ref":"refs/heads/main"}`), RetriesRemaining: true}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("build (-want +got):\n%s", diff)
	}
	if got := h.do("GET", "/api/v1/superuser/b1/build", tokAdmin, ""); !strings.Contains(got.Body, `"phase": "internalerror"`) {
		t.Errorf("a build with retries left shows %s", got.Body)
	}
}

func TestSeedSnapshotFieldErrors(t *testing.T) {
	t.Parallel()
	const base = `"users": [{"username": "admin", "email": "admin@example.com"}]`
	tests := []struct{ name, json, want string }{
		{"used_bytes twice", `{"organizations": [{"name": "acme", "email": "a@x.io", "used_bytes": 1}],
			"quotas": [{"namespace": "acme", "limit_bytes": 10, "used_bytes": 2}]}`,
			`quotas[0].used_bytes: "acme" has used_bytes already`},
		{"negative used_bytes", `{` + base + `, "organizations": [{"name": "acme", "email": "a@x.io", "used_bytes": -1}]}`,
			"organizations[0].used_bytes: size must not be negative, got -1"},
		{"negative user used_bytes", `{"users": [{"username": "bob", "email": "b@x.io", "used_bytes": -1}]}`,
			"users[0].used_bytes: size must not be negative, got -1"},
		{"approval type without approver must be Quay's", `{` + base + `, "service_keys": [{"service": "svc",
			"created": "2026-11-01T00:00:00Z", "approval_type": "manual"}]}`,
			`service_keys[0].approval_type: "manual" is not one of "ServiceKeyApprovalType.SUPERUSER", "ServiceKeyApprovalType.KEY_ROTATION", "ServiceKeyApprovalType.AUTOMATIC"`},
		{"approval notes alone", `{` + base + `, "service_keys": [{"service": "svc", "created": "2026-11-01T00:00:00Z",
			"approved_date": "2026-11-02T00:00:00Z"}]}`,
			"service_keys[0].approved_by: approved_by or approval_type required with approved_date or notes"},
		{"a JWK needs the kid", `{` + base + `, "service_keys": [{"service": "svc", "created": "2026-11-01T00:00:00Z",
			"jwk": {"kty": "RSA", "e": "AQAB", "n": "x"}}]}`, "service_keys[0]: kid: required with jwk"},
		{"a JWK needs its modulus", `{` + base + `, "service_keys": [{"kid": "k", "service": "svc", "created": "2026-11-01T00:00:00Z",
			"jwk": {"kty": "RSA", "e": "AQAB"}}]}`, "service_keys[0].jwk.n: missing required field"},
		{"trigger metadata not an object", `{` + base + `, "builds": [{"uuid": "b1", "namespace": "admin", "repository": "r",
			"phase": "complete", "trigger_metadata": [1]}]}`, "builds[0].trigger_metadata: not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seed, err := ParseSeed([]byte(tc.json))
			if err == nil {
				_, err = New(WithSeed(seed))
			}
			if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
				t.Errorf("error %v, want it to end with %q", err, tc.want)
			}
		})
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
