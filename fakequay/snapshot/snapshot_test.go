package snapshot_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/fakequay/snapshot"
	"github.com/quaykit/go-quay/quay"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// jwk is a public key with the kid member kid ("": none, as initdb.py's
// test_service_key has).
func jwk(kid string) *fakequay.SeedJWK {
	return &fakequay.SeedJWK{Kty: "RSA", E: "AQAB", N: "modulus-of-" + kid, Kid: kid}
}

// knownSeed is a seed in the form a snapshot writes: every config key
// given, quotas in id order, approval types explicit, logs oldest first.
// It has no repository mirrors (fakequay serves no repository API to find
// them through) and its builds carry only what the superuser build view
// shows.
func knownSeed() fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	cfg.GlobalReadonlySuperUsers = []string{"auditor"}
	cfg.FeatureSuperuserConfigDump = true
	cfg.FeatureSuperusersFullAccess = true
	cfg.FeatureMailing = false
	cfg.SetupComplete = true
	cfg.AppSpecificTokenExpiration = ptr("52w")
	cfg.DefaultSystemRejectQuotaBytes = 1 << 40
	cfg.ServerHostname = "quay.example.com"
	cfg.RepoMirrorWorkerReplicas = ptr(int64(2))
	return fakequay.Seed{
		Config: &cfg,
		Now:    now,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Verified: ptr(true), Enabled: ptr(true), UsedBytes: ptr(int64(3000)),
				Tokens: []fakequay.SeedToken{{Token: "admin-token"}, {Token: "admin-noscope", Scopes: []string{"repo:read", "user:read"}}}},
			{Username: "auditor", Email: "auditor@example.com", Verified: ptr(true), Enabled: ptr(true),
				Tokens: []fakequay.SeedToken{{Token: "auditor-token", Application: "Some Test App", ClientID: "deadbeef"}}},
			{Username: "alice", Email: "alice@example.com", Verified: ptr(false), Enabled: ptr(true)},
			{Username: "carol", Email: "carol@example.com", Verified: ptr(true), Enabled: ptr(false), UsedBytes: ptr(int64(0))},
		},
		Organizations: []fakequay.SeedOrganization{
			// Teams in creation order, members as they joined (robots too),
			// then the pending invites, which a snapshot attributes to the
			// caller without a notification to read their code from.
			{Name: "acme", Email: "acme@example.com", Teams: []fakequay.SeedTeam{
				{Name: "owners", Role: "admin", Description: "The owners", Members: []string{"admin"}},
				{Name: "web", Role: "member", Members: []string{"alice", "acme+zz"}, Invites: []fakequay.SeedTeamInvite{
					{User: "carol", Inviter: "admin"}, {Email: "someone@example.org", Inviter: "admin"}}},
				{Name: "builders", Role: "creator"},
			}},
			{Name: "beta", Email: "beta@example.com", UsedBytes: ptr(int64(184)), Teams: []fakequay.SeedTeam{{Name: "owners", Role: "admin"}}},
			{Name: "gamma", Email: "gamma@example.com", Teams: []fakequay.SeedTeam{{Name: "owners", Role: "admin"}}},
		},
		Quotas: []fakequay.SeedQuota{
			{Namespace: "acme", LimitBytes: 10 << 30, UsedBytes: ptr(int64(5 << 20)),
				Limits: []fakequay.SeedQuotaLimit{{Type: "Warning", LimitPercent: 80}, {Type: "Reject", LimitPercent: 100}}},
			{Namespace: "alice", LimitBytes: 6000, Limits: []fakequay.SeedQuotaLimit{{Type: "Reject", LimitPercent: 90}}},
		},
		ServiceKeys: []fakequay.SeedServiceKey{
			{Kid: "k1", Service: "quay", Name: "approved", Created: at("2026-11-01T00:00:00Z"), JWK: jwk("k1"),
				ApprovedBy: "admin", ApprovalType: "ServiceKeyApprovalType.SUPERUSER", Notes: "ok"},
			{Kid: "k2", Service: "sample_service", Name: "pending", Created: at("2026-11-02T00:00:00Z"), JWK: jwk(""),
				Expiration: ptr(at("2026-12-02T00:00:00Z")), Metadata: json.RawMessage(`{"created_by":"CLI tool","n":[1,{"b":null}]}`)},
			{Kid: "k3", Service: "sample_service", Name: "rotating", Created: at("2026-11-03T00:00:00Z"), JWK: jwk("k3"),
				Expiration: ptr(at("2026-11-29T00:00:00Z")), RotationDuration: ptr(int64(43200)),
				ApprovalType: "ServiceKeyApprovalType.KEY_ROTATION", ApprovedDate: ptr(at("2026-11-04T05:06:07Z"))},
		},
		Builds: []fakequay.SeedBuild{
			{UUID: "5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d", Namespace: "acme", Repository: "web", Phase: "building",
				DisplayName: "abc1234", Started: at("2026-11-27T10:00:00Z"), ResourceKey: ptr("701dcc3724fb4f2ea6c31400528343cd"),
				Logs: []fakequay.SeedBuildLog{{Message: "Step 1/3 : FROM alpine", Type: "command"},
					{Message: "pulling", Data: json.RawMessage(`{"datetime":"2026-11-27 10:00:01.123456"}`)}}},
			{UUID: "deadbeef-dead-beef-dead-beefdeadbeef", Namespace: "alice", Repository: "app", Phase: "complete",
				DisplayName: "build-name", Started: at("2026-11-26T09:00:00Z"), Archived: true,
				Logs: []fakequay.SeedBuildLog{{Message: "done", Type: "phase"}}},
		},
		Logs: []fakequay.SeedLog{
			{Kind: "org_create", Namespace: "acme", Performer: "admin", IP: "10.0.0.5", Datetime: at("2026-11-20T08:00:00Z"),
				Metadata: json.RawMessage(`{"email":"acme@example.com","namespace":"acme"}`)},
			{Kind: "push_repo", Namespace: "acme", Performer: "alice", Datetime: at("2026-11-27T10:00:00Z"),
				Metadata: json.RawMessage(`{"repo":"web","tag":"latest"}`)},
			{Kind: "pull_repo", Namespace: "acme", Datetime: at("2026-11-27T10:00:00Z"), Metadata: json.RawMessage(`{"repo":"web"}`)},
			{Kind: "service_key_create", Performer: "admin", Datetime: at("2026-11-28T11:59:00Z")},
		},
		RegistrySize: &fakequay.SeedRegistrySize{SizeBytes: 73400320000, LastRan: ptr(at("2026-11-28T01:02:03.456Z"))},
		AppTokens: []fakequay.SeedAppToken{
			{UUID: "14cc7b26-4b9c-4c89-876b-25dcdcedae50", Title: "some app", User: "admin", Created: at("2026-11-01T00:00:00Z")},
			{UUID: "3f8a3c4e-1111-4a5b-9c6d-000000000002", Title: "ci", User: "admin", Created: at("2026-11-02T00:00:00Z"),
				Expiration: ptr(at("2026-12-02T00:00:00Z")), LastAccessed: ptr(at("2026-11-27T00:00:00Z"))},
		},
		// Robots in the order a snapshot writes them: by namespace as the
		// users and organizations lists show them, each namespace's in
		// creation order (acme+zz, last used, comes second in Quay's list).
		// Users' robots carry no metadata: only their owner may read it.
		Robots: []fakequay.SeedRobot{
			{Name: "admin+deploy", Description: "deploys", Token: strings.Repeat("A", 64), Created: at("2026-11-03T00:00:00Z"),
				Federation: []fakequay.SeedRobotFederation{{Issuer: "https://ci.example", Subject: "main"}}},
			{Name: "alice+build", Token: strings.Repeat("B", 64), Created: at("2026-11-04T00:00:00Z"), LastAccessed: ptr(at("2026-11-27T08:00:00Z"))},
			{Name: "acme+zz", Description: "oldest", Token: strings.Repeat("C", 64), Created: at("2026-11-01T00:00:00Z"),
				LastAccessed: ptr(at("2026-11-20T00:00:00Z")), UnstructuredMetadata: json.RawMessage(`{"team":"web","n":[1,2.5,null]}`)},
			{Name: "acme+aa", Token: strings.Repeat("D", 64), Created: at("2026-11-02T00:00:00Z")},
		},
		Changelog: ptr("## [v3.11.0] - 2024-03-01\n"),
		Messages: []fakequay.SeedMessage{
			{UUID: "a8b42172-3baf-4ccf-bec0-3c612014e2e2", Content: "We love you, Quay customers!", Severity: "info", MediaType: "text/plain"},
			{UUID: "90be4296-9458-4414-8aeb-0971a6969f79", Content: "Maintenance at **5pm**", Severity: "warning", MediaType: "text/markdown"},
		},
	}
}

// knownTokens are knownSeed's tokens, which a snapshot cannot read.
func knownTokens(seed fakequay.Seed) []snapshot.Token {
	var out []snapshot.Token
	for _, u := range seed.Users {
		for _, tok := range u.Tokens {
			out = append(out, snapshot.Token{User: u.Username, SeedToken: tok})
		}
	}
	return out
}

// A snapshot of a fakequay loaded with a seed is that seed, through the
// seed file format: what the superuser API shows survives, and the lines
// on Warn name what a fakequay cannot show (it serves no /config, /user/ or
// repository API).
func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	want := knownSeed()
	srv := fakequay.RunT(t, fakequay.WithSeed(want))
	c, err := quay.NewClient(srv.URL(), quay.WithToken(srv.SuperuserToken()), quay.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		warnings []string
	)
	got, err := snapshot.Take(t.Context(), c, snapshot.Options{
		Now: now, LogsFrom: at("2026-10-15T00:00:00Z"), Tokens: knownTokens(want), RobotTokens: true,
		Builds: []string{"5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d", "deadbeef-dead-beef-dead-beefdeadbeef"},
		Warn:   func(msg string) { mu.Lock(); warnings = append(warnings, msg); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	file, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := fakequay.ParseSeed(file)
	if err != nil {
		t.Fatalf("the snapshot is not a valid seed file: %v\n%s", err, file)
	}
	if diff := cmp.Diff(want, parsed); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
	wantWarnings := []string{
		"robots: the unstructured metadata of 1 robots of other users cannot be read (only their owner reads it); the seed gives them none",
		"feature flags: GET /config answered 404; they come from the config dump or keep Quay's defaults",
		"teams: GET user/notifications answered 404: no invite codes are read",
		"teams: the codes and inviters of 2 pending invites cannot be read (only the invited user's notifications show them); they get new codes and admin as inviter",
		"2 app-specific tokens attributed to admin: Quay does not show their owners",
	}
	if diff := cmp.Diff(wantWarnings, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

// realQuayAnswers serves, beside a fakequay, the answers recorded from the
// realquay harness's Quay for what fakequay does not serve: the public
// /config, GET /user/ (devtable), and the repository API of devtable's
// repositories (the builds of devtable/building, the mirror of
// devtable/mirrored). Every other namespace has no repositories, and every
// other path goes to the fakequay.
func realQuayAnswers(t *testing.T, fake http.Handler) *httptest.Server {
	t.Helper()
	file := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "realquay", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	recorded := map[string][]byte{
		"/config":                               file("config.json"),
		"/api/v1/user/":                         file("user.json"),
		"/api/v1/repository?namespace=devtable": file("repositories-devtable.json"),
		"/api/v1/repository/devtable/building/build/?limit=1000000": file("builds-devtable-building.json"),
		"/api/v1/repository/devtable/mirrored/mirror":               file("mirror-devtable-mirrored.json"),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := recorded[r.URL.RequestURI()]
		switch {
		case ok:
		case r.URL.Path == "/api/v1/repository":
			body = file("repositories-empty.json")
		case strings.HasPrefix(r.URL.Path, "/api/v1/repository/") && strings.HasSuffix(r.URL.Path, "/build/"):
			body = file("builds-empty.json")
		default:
			fake.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Against a Quay that serves the public /config, /user/ and the repository
// API, the feature flags come from /config, the builds from the repository
// API (with the job's tags and trigger metadata, which the superuser build
// view loses), the mirrors from each MIRROR repository, and the app tokens
// go to the caller.
func TestSnapshotReadsTheRepositoryAPI(t *testing.T) {
	t.Parallel()
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"devtable"}
	cfg.FeatureRepoMirror = true
	cfg.FeatureSuperusersFullAccess = true
	started := at("2026-12-07T17:07:43Z")
	fake := fakequay.RunT(t, fakequay.WithSeed(fakequay.Seed{Config: &cfg, Now: now,
		Users: []fakequay.SeedUser{
			{Username: "devtable", Email: "jschorr@devtable.com", Tokens: []fakequay.SeedToken{{Token: "devtable-token"}}},
			{Username: "freshuser", Email: "jschorr+test@devtable.com"},
		},
		Builds: []fakequay.SeedBuild{
			{UUID: "deadbeef-dead-beef-dead-beefdeadbeef", Namespace: "devtable", Repository: "building", Phase: "waiting", Started: started,
				Logs: []fakequay.SeedBuildLog{{Message: "initializing", Type: "phase"}}},
			{UUID: "deadduck-dead-duck-dead-duckdeadduck", Namespace: "devtable", Repository: "building", Phase: "waiting", Started: started},
			{UUID: "deadpork-dead-pork-dead-porkdeadpork", Namespace: "devtable", Repository: "building", Phase: "waiting", Started: started},
		},
		AppTokens:  []fakequay.SeedAppToken{{UUID: "14cc7b26-4b9c-4c89-876b-25dcdcedae50", Title: "some app", User: "freshuser", Created: now}},
		Robots:     []fakequay.SeedRobot{{Name: "devtable+dtrobot", UnstructuredMetadata: json.RawMessage(`{"owner":"devtable"}`)}},
		RepoMirror: &fakequay.SeedRepoMirroring{WorkersActive: 1},
	}))
	srv := realQuayAnswers(t, fake)
	c, err := quay.NewClient(srv.URL, quay.WithToken("devtable-token"))
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	got, err := snapshot.Take(t.Context(), c, snapshot.Options{Now: now, Warn: func(msg string) { warnings = append(warnings, msg) }})
	if err != nil {
		t.Fatal(err)
	}

	wantCfg := fakequay.DefaultConfig() // then what the recorded /config says
	wantCfg.SuperUsers = []string{"devtable"}
	wantCfg.GlobalReadonlySuperUsers = []string{}
	wantCfg.FeatureSuperusersFullAccess = true
	wantCfg.FeatureRepoMirror = true
	wantCfg.FeatureImmutableTags = true
	wantCfg.FeatureUserInitialize = true // test/testconfig.py's
	wantCfg.ServerHostname = "127.0.0.1:18100"
	if diff := cmp.Diff(&wantCfg, got.Config); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}

	meta := json.RawMessage(`{"commit":"3482adc5822c498e8f7db2e361e8d57b3d77ddd9","ref":"refs/heads/master","default_branch":"master"}`)
	build := func(uuid, phase, resourceKey string, logs ...fakequay.SeedBuildLog) fakequay.SeedBuild {
		return fakequay.SeedBuild{UUID: uuid, Namespace: "devtable", Repository: "building", Phase: phase, DisplayName: "build-name",
			Started: started, Tags: []string{"latest"}, ResourceKey: ptr(resourceKey), TriggerMetadata: meta, Logs: logs}
	}
	// Oldest first, the reverse of Quay's list; the phases are the recorded
	// ones (Quay's test-mode build manager had moved deadbeef on).
	wantBuilds := []fakequay.SeedBuild{
		build("deadpork-dead-pork-dead-porkdeadpork", "waiting", "68daeebd-a5b9-457f-80a0-4363b882f8ea"),
		build("deadduck-dead-duck-dead-duckdeadduck", "waiting", "f49d07f9-93da-474d-ad5f-c852107c3892"),
		build("deadbeef-dead-beef-dead-beefdeadbeef", "pushing", "701dcc3724fb4f2ea6c31400528343cd",
			fakequay.SeedBuildLog{Message: "initializing", Type: "phase"}),
	}
	if diff := cmp.Diff(wantBuilds, got.Builds); diff != "" {
		t.Errorf("builds (-want +got):\n%s", diff)
	}
	wantMirror := &fakequay.SeedRepoMirroring{WorkersActive: 1, Repositories: []fakequay.SeedRepoMirror{
		{Namespace: "devtable", Repository: "mirrored", Status: "NEVER_RUN", Enabled: ptr(true), InternalRobot: "devtable+dtrobot",
			ExternalReference: "quay.io/coreos/etcd", ExternalRegistryUsername: ptr("fakeusername"),
			ExternalRegistryConfig: json.RawMessage("{}"), SyncInterval: 86400,
			SyncStartDate:        ptr(time.Date(2026, 12, 7, 17, 7, 45, 316763000, time.UTC)),
			SyncRetriesRemaining: ptr(int64(3)), SkopeoTimeoutInterval: 600, TagPatterns: []string{"latest", "3.3*"},
			ArchitectureFilter: []string{}}}}
	if diff := cmp.Diff(wantMirror, got.RepoMirror); diff != "" {
		t.Errorf("repository mirrors (-want +got):\n%s", diff)
	}
	// The caller's own robot: its metadata is read through getUserRobot.
	wantRobots := []fakequay.SeedRobot{{Name: "devtable+dtrobot", Created: now, UnstructuredMetadata: json.RawMessage(`{"owner":"devtable"}`)}}
	if diff := cmp.Diff(wantRobots, got.Robots); diff != "" {
		t.Errorf("robots (-want +got):\n%s", diff)
	}
	wantTokens := []fakequay.SeedAppToken{{UUID: "14cc7b26-4b9c-4c89-876b-25dcdcedae50", Title: "some app", User: "devtable", Created: now}}
	if diff := cmp.Diff(wantTokens, got.AppTokens); diff != "" {
		t.Errorf("app tokens (-want +got):\n%s", diff)
	}
	wantWarnings := []string{
		"robots: 1 robot tokens not read (Options.RobotTokens is off); the seed's robots get new ones",
		"the config keys /config does not show (APP_SPECIFIC_TOKEN_EXPIRATION, DEFAULT_SYSTEM_REJECT_QUOTA_BYTES, " +
			"BROWSER_API_CALLS_XHR_ONLY, REPO_MIRROR_WORKER_REPLICAS; Options.Config can set them): GET superuser/config answered 403",
		"1 app-specific tokens attributed to devtable: Quay does not show their owners",
		"repositories: 12 repositories seeded without their content (tags, manifests)",
	}
	// The repositories as listRepos shows them; fakequay serves no
	// permission lists to read.
	if len(got.Repositories) != 12 {
		t.Fatalf("%d repositories, want the 12 recorded", len(got.Repositories))
	}
	wantRepo := fakequay.SeedRepository{Namespace: "devtable", Name: "simple", Visibility: "private", Description: ptr("Simple repository."),
		State: "NORMAL", Kind: "image"}
	if diff := cmp.Diff(wantRepo, got.Repositories[0]); diff != "" {
		t.Errorf("repositories[0] (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantWarnings, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestParseToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    snapshot.Token
		wantErr string
	}{
		{in: "user=devtable,token=abc", want: snapshot.Token{User: "devtable", SeedToken: fakequay.SeedToken{Token: "abc"}}},
		{in: "user=devtable,token=abc,scopes=repo:read  user:read,application=Some Test App,client_id=deadbeef",
			want: snapshot.Token{User: "devtable", SeedToken: fakequay.SeedToken{Token: "abc", Scopes: []string{"repo:read", "user:read"},
				Application: "Some Test App", ClientID: "deadbeef"}}},
		{in: "token=abc=def,user=x", want: snapshot.Token{User: "x", SeedToken: fakequay.SeedToken{Token: "abc=def"}}},
		{in: "user=x", wantErr: `token "user=x": token= is required`},
		{in: "user=x,token=abc,scopes=", wantErr: `token "user=x,token=<redacted>,scopes=": scopes= names no scope (leave it out for every scope)`},
		{in: "user=x,user=y,token=abc", wantErr: `token "user=x,user=y,token=<redacted>": user given twice`},
		{in: "user=x,secret,token=abc", wantErr: `token "user=x,secret,token=<redacted>": "secret" is not key=value`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := snapshot.ParseToken(tc.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tc.wantErr, gotErr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTakeRefuses(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithToken("admin-token"))
	c, err := quay.NewClient(srv.URL(), quay.WithToken("admin-token"), quay.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts snapshot.Options
		want string
	}{
		{"a token of nobody", snapshot.Options{Tokens: []snapshot.Token{{User: "ghost", SeedToken: fakequay.SeedToken{Token: "t"}}}},
			`snapshot: tokens: a token for "ghost", who is not a user of this Quay`},
		{"logs backwards", snapshot.Options{LogsFrom: at("2026-11-02T00:00:00Z"), LogsTo: at("2026-11-01T00:00:00Z")},
			"snapshot: logs from 11/02/2026 is after logs to 11/01/2026"},
		{"unknown config key", snapshot.Options{Config: json.RawMessage(`{"FEATURE_NOPE": true}`)},
			"snapshot: config: Options.Config: config.FEATURE_NOPE: unknown field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := snapshot.Take(t.Context(), c, tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	nobody, err := quay.NewClient(srv.URL(), quay.WithToken("wrong"), quay.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Take(t.Context(), nobody, snapshot.Options{}); !errors.Is(err, quay.ErrUnauthorized) {
		t.Errorf("with a wrong token: %v, want ErrUnauthorized", err)
	}
}

// An invite's code and inviter show only in the invited user's
// notifications (endpoints/api/team.py handle_addinvite_team): a snapshot
// reads them with the users' tokens, trying each token of a user until one
// may (a token without user:admin is refused), and gives the other invites
// the caller as inviter.
func TestSnapshotReadsInviteCodes(t *testing.T) {
	t.Parallel()
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	fake := fakequay.RunT(t, fakequay.WithSeed(fakequay.Seed{Config: &cfg, Now: now,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: "admin-token"}}},
			{Username: "alice", Email: "alice@example.com", Tokens: []fakequay.SeedToken{{Token: "alice-noscope"}, {Token: "alice-token"}}},
			{Username: "bob", Email: "bob@example.com"},
		},
		Organizations: []fakequay.SeedOrganization{{Name: "acme", Email: "acme@example.com", Teams: []fakequay.SeedTeam{
			{Name: "owners", Role: "admin", Members: []string{"admin"}},
			{Name: "web", Role: "member", Invites: []fakequay.SeedTeamInvite{
				{User: "bob", Inviter: "alice"}, {User: "alice", Inviter: "alice", Code: "urn:teaminvite:known"}}},
		}}},
	}))
	notifications := map[string]string{
		"Bearer alice-noscope": "",
		"Bearer alice-token": `{"notifications": [{"kind": "maintenance", "metadata": {}}, ` +
			`{"kind": "org_team_invite", "metadata": {"code": "urn:teaminvite:known", "inviter": "alice", "org": "acme", "team": "web"}}], "additional": false}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/user/notifications" {
			fake.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		body, ok := notifications[r.Header.Get("Authorization")]
		if !ok || body == "" {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"error_type": "insufficient_scope", "status": 403}`))
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := quay.NewClient(srv.URL, quay.WithToken("admin-token"))
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	got, err := snapshot.Take(t.Context(), c, snapshot.Options{Now: now, Warn: func(msg string) { warnings = append(warnings, msg) },
		Tokens: []snapshot.Token{
			{User: "admin", SeedToken: fakequay.SeedToken{Token: "admin-token"}},
			{User: "alice", SeedToken: fakequay.SeedToken{Token: "alice-noscope"}},
			{User: "alice", SeedToken: fakequay.SeedToken{Token: "alice-token"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	want := []fakequay.SeedTeam{
		{Name: "owners", Role: "admin", Members: []string{"admin"}},
		{Name: "web", Role: "member", Invites: []fakequay.SeedTeamInvite{
			{User: "bob", Inviter: "admin"}, {User: "alice", Inviter: "alice", Code: "urn:teaminvite:known"}}},
	}
	if diff := cmp.Diff(want, got.Organizations[0].Teams); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}
	var teamWarnings []string
	for _, w := range warnings {
		if strings.HasPrefix(w, "teams: ") {
			teamWarnings = append(teamWarnings, w)
		}
	}
	wantWarnings := []string{
		"teams: no token of admin may read its notifications (user:admin); its invite codes are not read",
		"teams: the codes and inviters of 1 pending invites cannot be read (only the invited user's notifications show them); they get new codes and admin as inviter",
	}
	if diff := cmp.Diff(wantWarnings, teamWarnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
