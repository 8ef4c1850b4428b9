package conformance

import (
	"encoding/json"
	"github.com/google/go-cmp/cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay"
)

func ptr[T any](v T) *T { return &v }

// harnessLikeSeed is a state with what the plan reads: the harness's four
// callers, an organization and a user with quotas, approved and unapproved
// keys (one with a JWK without kid), builds, messages, app tokens, logs,
// and every feature the plan has requests for.
func harnessLikeSeed(now time.Time) fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"devtable"}
	cfg.GlobalReadonlySuperUsers = []string{"globalreadonlysuperuser"}
	cfg.FeatureSuperusersFullAccess = true
	cfg.FeatureRepoMirror = true
	cfg.FeatureImmutableTags = true
	cfg.FeatureSuperuserConfigDump = true
	cfg.ServerHostname = "quay.example.com"
	tok := func(token string, scopes ...string) []fakequay.SeedToken {
		return []fakequay.SeedToken{{Token: token, Scopes: scopes, Application: "Some Test App", ClientID: "deadbeef"}}
	}
	day0 := now.Add(-time.Hour).Truncate(time.Second)
	return fakequay.Seed{
		Config: &cfg,
		Now:    now,
		Users: []fakequay.SeedUser{
			{Username: "devtable", Email: "jschorr@devtable.com", UsedBytes: ptr(int64(3000)),
				Tokens: append(tok("devtable-token"), tok("devtable-noscope", "repo:read", "user:read")...)},
			{Username: "disabled", Email: "disabled@devtable.com", Enabled: ptr(false)},
			{Username: "public", Email: "public@devtable.com", UsedBytes: ptr(int64(230))},
			{Username: "freshuser", Email: "freshuser@devtable.com", Tokens: tok("freshuser-token")},
			{Username: "randomuser", Email: "no4@thanks.com"},
			{Username: "globalreadonlysuperuser", Email: "gro@devtable.com", Tokens: tok("readonly-token")},
		},
		Organizations: []fakequay.SeedOrganization{
			{Name: "buynlarge", Email: "quay@devtable.com", Teams: []fakequay.SeedTeam{
				{Name: "owners", Role: "admin", Description: "Owners have unfetterd access across the entire org.",
					Members: []string{"devtable", "buynlarge+ownerbot"}},
				{Name: "readers", Role: "member", Description: "Readers of orgrepo.", Members: []string{"public"},
					Invites: []fakequay.SeedTeamInvite{{User: "randomuser", Inviter: "devtable"}}},
			}},
			{Name: "library", Email: "quay+library@devtable.com"},
			// What TestDifferential's prepareInvites makes, as the snapshot
			// reads it: the invite codes from the invited user's notifications.
			{Name: InviteOrg, Email: InviteOrg + "@example.org", Teams: []fakequay.SeedTeam{
				{Name: "owners", Role: "admin", Members: []string{"devtable"}},
				{Name: InviteDeclineTeam, Role: "member", Invites: []fakequay.SeedTeamInvite{
					{User: "freshuser", Inviter: "devtable", Code: "urn:teaminvite:decline"},
					{Email: "someone@example.com", Inviter: "devtable"}}},
				{Name: InviteAcceptTeam, Role: "member", Invites: []fakequay.SeedTeamInvite{
					{User: "freshuser", Inviter: "devtable", Code: "urn:teaminvite:accept"}}},
			}},
		},
		Quotas: []fakequay.SeedQuota{
			{Namespace: "buynlarge", LimitBytes: 3000, UsedBytes: ptr(int64(184)), Limits: []fakequay.SeedQuotaLimit{{Type: "Warning", LimitPercent: 50}}},
			{Namespace: "randomuser", LimitBytes: 6000, UsedBytes: ptr(int64(92)), Limits: []fakequay.SeedQuotaLimit{{Type: "Reject", LimitPercent: 90}}},
		},
		ServiceKeys: []fakequay.SeedServiceKey{
			{Kid: "kid1", Service: "sample_service", Name: "somesamplekey", Created: day0, ApprovalType: "ServiceKeyApprovalType.SUPERUSER",
				Notes: "The **test** approval", JWK: &fakequay.SeedJWK{Kty: "RSA", E: "AQAB", N: "modulus1", Kid: "kid1"}},
			{Kid: "kid3", Service: "sample_service", Name: "unapprovedkey", Created: day0,
				JWK: &fakequay.SeedJWK{Kty: "RSA", E: "AQAB", N: "modulus3", Kid: "kid3"}},
			{Kid: "test_service_key", Service: "quay", Name: "test_service_key", Created: day0, ApprovedBy: "devtable",
				JWK: &fakequay.SeedJWK{Kty: "RSA", E: "AQAB", N: "modulus-test"}},
		},
		Builds: []fakequay.SeedBuild{
			{UUID: "deadbeef-dead-beef-dead-beefdeadbeef", Namespace: "devtable", Repository: "building", Phase: "waiting",
				DisplayName: "build-name", Started: day0, ResourceKey: ptr("701dcc3724fb4f2ea6c31400528343cd"),
				Logs: []fakequay.SeedBuildLog{{Message: "initializing", Type: "phase"}}},
			{UUID: "deadpork-dead-pork-dead-porkdeadpork", Namespace: "devtable", Repository: "building", Phase: "complete",
				DisplayName: "build-name", Started: day0, Archived: true, Logs: []fakequay.SeedBuildLog{{Message: "done"}}},
		},
		Logs: []fakequay.SeedLog{
			{Kind: "pull_repo", Namespace: "public", Datetime: day0.AddDate(0, 0, -1), Metadata: json.RawMessage(`{"repo":"publicrepo"}`)},
			{Kind: "push_repo", Namespace: "buynlarge", Performer: "public", Datetime: day0, Metadata: json.RawMessage(`{"username":"public","repo":"orgrepo"}`)},
			{Kind: "service_key_create", Namespace: "devtable", Performer: "devtable", Datetime: day0, Metadata: json.RawMessage(`{"kid":"kid1"}`)},
		},
		RegistrySize: &fakequay.SeedRegistrySize{SizeBytes: 3000},
		AppTokens:    []fakequay.SeedAppToken{{UUID: "14cc7b26-4b9c-4c89-876b-25dcdcedae50", Title: "some app", User: "devtable", Created: day0}},
		Messages: []fakequay.SeedMessage{
			{UUID: "a8b42172-3baf-4ccf-bec0-3c612014e2e2", Content: "We love you, Quay customers!", Severity: "info", MediaType: "text/plain"},
		},
		// Robots with their tokens, as a snapshot with RobotTokens copies them.
		Robots: []fakequay.SeedRobot{
			{Name: "devtable+dtrobot", Created: day0, Token: robotToken("1")}, {Name: "devtable+dtrobot2", Created: day0, Token: robotToken("2")},
			{Name: "freshuser+anotherrobot", Created: day0, Token: robotToken("3")},
			{Name: "buynlarge+coolrobot", Created: day0, Token: robotToken("4"),
				Federation: []fakequay.SeedRobotFederation{{Issuer: "https://ci.example", Subject: "s"}}},
			{Name: "buynlarge+ownerbot", Created: day0, Token: robotToken("5"), UnstructuredMetadata: json.RawMessage(`{"team":"ops"}`)},
		},
		RepoMirror: &fakequay.SeedRepoMirroring{Repositories: []fakequay.SeedRepoMirror{
			{Namespace: "devtable", Repository: "mirrored", InternalRobot: "devtable+dtrobot"}}},
		// Content as the snapshot's content reader copies it: schema 1
		// manifests with their layers, tags alive and in the history.
		Manifests: []fakequay.SeedManifest{
			schema1Manifest("simple", "sha256:a26e", day0.Unix(), fakequay.SeedTag{Name: "latest", StartTS: day0.Unix()}),
			schema1Manifest("simple", "sha256:03fa", day0.Unix(), fakequay.SeedTag{Name: "prod", StartTS: day0.Unix()},
				fakequay.SeedTag{Name: "old", StartTS: day0.Unix() - 600, EndTS: ptr(day0.Unix() - 60)}),
		},
	}
}

// schema1Manifest is a Docker schema 1 manifest of devtable/repo, with one
// layer of 23 bytes, as the realquay fixture's initdb makes them.
func schema1Manifest(repo, digest string, created int64, tags ...fakequay.SeedTag) fakequay.SeedManifest {
	data := `{"tag": "` + tags[0].Name + `", "name": "devtable/` + repo + `", "schemaVersion": 1, "fsLayers": [{"blobSum": "` + digest + `0"}]}`
	return fakequay.SeedManifest{Namespace: "devtable", Repository: repo, Digest: digest, ManifestData: data,
		MediaType: "application/vnd.docker.distribution.manifest.v1+prettyjws", LayersCompressedSize: ptr(int64(23)),
		Layers: []fakequay.SeedManifestLayer{{BlobDigest: digest + "0", CompressedSize: 23}}, Tags: tags,
		Labels: []fakequay.SeedLabel{{ID: "label-" + digest, Key: "Arch", Value: "amd64"}}}
}

// robotToken is a robot token of Quay's form (64 upper-case letters and
// digits) ending in suffix.
func robotToken(suffix string) string { return strings.Repeat("R", 64-len(suffix)) + suffix }

var harnessLikeTokens = map[Caller]string{
	Superuser: "devtable-token", User: "freshuser-token", ReadOnly: "readonly-token", NoScope: "devtable-noscope", Invalid: unknownTk,
}

// The machinery holds up without a real Quay: two fakequays loaded with the
// same seed but drawing different random values (passwords, uuids, kids,
// RSA keys, page-token IVs) answer the whole plan identically once the
// comparison has normalised what is random by nature. Run in make test, it
// catches a plan that depends on timing or order, and a normalisation that
// misses a random value.
func TestDifferentialFakeAgainstFake(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC().Truncate(time.Second)
	seed := harnessLikeSeed(now)
	withPassword(&seed, "password")
	a := fakequay.RunT(t, fakequay.WithSeed(seed), fakequay.WithWallClock(), fakequay.WithRandSeed(1), fakequay.WithJournalSize(0))
	b := fakequay.RunT(t, fakequay.WithSeed(seed), fakequay.WithWallClock(), fakequay.WithRandSeed(2), fakequay.WithJournalSize(0))
	real := &Target{Base: a.URL(), Tokens: harnessLikeTokens, Client: noRedirects()}
	fake := &Target{Base: b.URL(), Host: real.hostOf(), Tokens: harnessLikeTokens, Client: noRedirects()}

	plan := NewPlan(FixtureFrom(seed), now)
	checkCoverage(t, plan, a.Operations())
	results, err := Run(t.Context(), plan, real, fake, 8)
	if err != nil {
		t.Fatal(err)
	}
	// The session steps must really sign in: the cookie and CSRF token
	// each server set are sent back to it.
	var signins []int
	for _, r := range results {
		if r.Step.Class == "valid" && (r.Step.Op == "signinUser" || r.Step.Op == "verifyUser" || r.Step.Op == "logout") {
			signins = append(signins, r.Real.Status)
		}
	}
	if diff := cmp.Diff([]int{200, 200, 200}, signins); diff != "" {
		t.Errorf("statuses of the valid signinUser, verifyUser and logout (-want +got):\n%s", diff)
	}
	sum := Summarize(results)
	if sum.Identical != sum.Compared {
		t.Errorf("%d of %d requests answered differently:\n%s", sum.Compared-sum.Identical, sum.Compared, sum)
		for _, r := range results {
			if r.Outcome != Identical {
				t.Logf("%s: %v %v", r.Step, r.Diffs, r.Classes)
			}
		}
	}
	if sum.Compared < 500 {
		t.Errorf("the plan has %d requests; it covers every operation, caller and bad-input class with more than 500", sum.Compared)
	}
	// The random values did differ: the comparison normalised them.
	created := slices.IndexFunc(results, func(r Result) bool {
		return r.Step.Op == "createServiceKey" && r.Step.Class == "valid" && r.Step.Caller == Superuser
	})
	if created < 0 || string(results[created].Real.Body) == string(results[created].Fake.Body) {
		t.Errorf("the two servers made the same service key; the test cannot show that kids and keys are normalised")
	}
}

// The plan holds every caller for the reads of each GET operation, the
// page-limit classes, and the variants of its fixture, in a fixed order.
func TestPlanIsDeterministic(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC)
	fx := FixtureFrom(harnessLikeSeed(now))
	describe := func(p Plan) []string {
		var out []string
		for _, s := range slices.Concat(p.Reads, p.Writes) {
			out = append(out, s.String()+" "+s.Body)
		}
		return out
	}
	first, second := describe(NewPlan(fx, now)), describe(NewPlan(fx, now))
	if !slices.Equal(first, second) {
		t.Fatal("two plans for one fixture differ")
	}
	for _, want := range []string{
		"GET /api/v1/superuser/users/?limit=101 as superuser (listAllUsers, limit 101) ",
		"GET /api/v1/superuser/users/ as badtoken (listAllUsers, valid) ",
		"POST /api/v1/superuser/keys as readonly (createServiceKey, caller) ",
		"DELETE /api/v1/superuser/users/dfuser1/ as superuser (deleteInstallUser, trailing slash) ",
		"GET /api/v1/superuser/logs?starttime={weekago}&endtime={today} as superuser (listAllLogs, explicit dates) ",
	} {
		if !slices.ContainsFunc(first, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("the plan lacks %q", want)
		}
	}
	fx.Harness = true
	harness := describe(NewPlan(fx, now))
	taken := `PUT /api/v1/superuser/users/dfuser1 as superuser (changeInstallUser, taken) {"email": "public@devtable.com"}`
	if !slices.Contains(first, taken) || slices.Contains(harness, taken) {
		t.Errorf("the change to a taken e-mail should be planned for any Quay but the harness (%v, %v)",
			slices.Contains(first, taken), slices.Contains(harness, taken))
	}
	vars := NewPlan(fx, now).Vars
	if vars["today"] != "12/07/2026" || vars["weekago"] != "11/30/2026" || vars["lastmonth"] != "11/07/2026" || vars["monthstart"] != "11/01/2026" {
		t.Errorf("date variables: %v", vars)
	}
}
