package fakequay

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestGetChangeLog(t *testing.T) {
	t.Parallel()
	embedded, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	logReply := func(text string) reply {
		return reply{Status: 200, ContentType: "application/json", Body: `{"log": ` + jsonString(text) + "}\n"}
	}
	const path = "/api/v1/superuser/changelog/"
	custom := "## 3.15.0\n\n- Fixed \"things\".\n"
	tests := []struct {
		name  string
		seed  func(*Seed)
		opts  []Option
		path  string
		token string
		want  reply
	}{
		{name: "§3 superuser reads fakequay's own changelog by default", token: tokAdmin, want: logReply(string(embedded))},
		{name: "§3 GRO reads it", token: tokAuditor, want: logReply(string(embedded))},
		{name: "§3 the seed's changelog replaces it", seed: func(s *Seed) { s.Changelog = &custom }, token: tokAdmin,
			want: logReply(custom)},
		{name: "§3 an empty changelog is an empty log", seed: func(s *Seed) { s.Changelog = ptr("") }, token: tokAdmin,
			want: logReply("")},
		{name: "§3 WithChangelog wins over the seed", seed: func(s *Seed) { s.Changelog = &custom },
			opts: []Option{WithChangelog("from the option")}, token: tokAdmin, want: logReply("from the option")},
		{name: "§1.2 anonymous is 401", token: tokNone, want: replyUnauthorized},
		{name: "§1.2 normal user is 403", token: tokAlice, want: replyForbidden},
		{name: "§1.2 superuser token without super:user is 403", token: tokNoScope, want: replyForbidden},
		{name: "§1.5 without the trailing slash: 308 to the slashed path", path: "/api/v1/superuser/changelog", token: tokAdmin,
			want: reply{Status: 308, ContentType: "text/html; charset=utf-8",
				Body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
					"<p>You should be redirected automatically to the target URL: <a href=\"http://quay.test/api/v1/superuser/changelog/\">" +
					"http://quay.test/api/v1/superuser/changelog/</a>. If not, click the link.\n"}},
		{name: "§0 verify_not_prod: 404 on a quay.io hostname", seed: func(s *Seed) { s.Config.ServerHostname = "quay.io" },
			token: tokAdmin, want: replyNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.seed, tc.opts...)
			p := tc.path
			if p == "" {
				p = path
			}
			checkReply(t, tc.want, h.do("GET", p, tc.token, ""))
		})
	}
}

func TestRegistryStatus(t *testing.T) {
	t.Parallel()
	const path = "/api/v1/superuser/registrystatus"
	ready := reply{Status: 200, ContentType: "application/json", Body: `{"provider_id": "file", "status": "ready"}` + "\n"}
	incomplete := reply{Status: 200, ContentType: "application/json", Body: `{"status": "setup-incomplete"}` + "\n"}
	setupComplete := func(c *Config) { c.SetupComplete = true }
	tests := []struct {
		name   string
		config func(*Config)
		method string
		token  string
		want   reply
	}{
		{name: "§3 SETUP_COMPLETE absent (Quay's default): setup-incomplete", token: tokNone, want: incomplete},
		{name: "§3 SETUP_COMPLETE: ready, with the config provider", config: setupComplete, token: tokNone, want: ready},
		{name: "§3 no permission check: a normal user gets it", config: setupComplete, token: tokAlice, want: ready},
		{name: "§3 a superuser gets the same", config: setupComplete, token: tokAdmin, want: ready},
		{name: "§1.1 anonymous access off rejects anonymous callers", token: tokNone,
			config: func(c *Config) { c.FeatureAnonymousAccess = false }, want: replyAnonymousOff},
		{name: "§0 verify_not_prod: 404 on a quay.io hostname", token: tokNone,
			config: func(c *Config) { c.ServerHostname = "quay.io" }, want: replyNotFound},
		// With no API rule, the web catch-all takes the GET: 308 to the
		// path plus "/" (§1.5, as real Quay answers unknown API paths).
		{name: "§0 FEATURE_SUPER_USERS off leaves the route unregistered", token: tokNone,
			config: func(c *Config) { c.FeatureSuperUsers = false }, want: replyRedirect(path + "/")},
		{name: "§1.5 another method is the JSON 405", method: "POST", token: tokAdmin,
			want: reply{Status: 405, ContentType: "application/json",
				Body: `{"message": "The method is not allowed for the requested URL."}` + "\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(s *Seed) {
				if tc.config != nil {
					tc.config(s.Config)
				}
			})
			method := tc.method
			if method == "" {
				method = "GET"
			}
			checkReply(t, tc.want, h.do(method, path, tc.token, ""))
		})
	}
}

// configDumpPrefix is the dump of the fixture's configuration up to its
// schema (§3 config dump): schema-known keys under config, the others under
// warning with secrets masked, an empty env. Flask's default_config keys
// come first, in Flask's order, as in app.config: real Quay's dump
// (ffba0c70e, FEATURE_SUPERUSER_CONFIGDUMP on) starts its config with
// SESSION_COOKIE_SECURE and PREFERRED_URL_SCHEME and its warning with
// exactly the Flask keys below (its test config's SECRET_KEY is 20
// characters; a generated one, as here, 77 or rarely fewer). Quay's own
// test_get_superuserdumpconfig asks for APPLICATION_ROOT and
// EXPLAIN_TEMPLATE_LOADING under warning.
const configDumpPrefix = `{"config": {"SESSION_COOKIE_SECURE": false, "PREFERRED_URL_SCHEME": "http", ` +
	`"AUTHENTICATION_TYPE": "Database", "BROWSER_API_CALLS_XHR_ONLY": true, ` +
	`"DEFAULT_SYSTEM_REJECT_QUOTA_BYTES": 0, "DEFAULT_TAG_EXPIRATION": "2w", "FEATURE_ANONYMOUS_ACCESS": true, ` +
	`"FEATURE_APP_SPECIFIC_TOKENS": true, "FEATURE_CHANGE_TAG_EXPIRATION": true, "FEATURE_DIRECT_LOGIN": true, ` +
	`"FEATURE_EDIT_QUOTA": true, "FEATURE_IMMUTABLE_TAGS": false, "FEATURE_MAILING": true, "FEATURE_ORG_SHARED_EMAIL": false, ` +
	`"FEATURE_PERMANENT_SESSIONS": true, "FEATURE_QUOTA_MANAGEMENT": true, ` +
	`"FEATURE_REPO_MIRROR": false, "FEATURE_REQUIRE_TEAM_INVITE": true, "FEATURE_SECURITY_SCANNER": false, ` +
	`"FEATURE_SUPERUSERS_FULL_ACCESS": false, "FEATURE_SUPERUSERS_ORG_CREATION_ONLY": false, ` +
	`"FEATURE_SUPERUSER_CONFIGDUMP": true, "FEATURE_SUPER_USERS": true, "FEATURE_USER_INITIALIZE": false, ` +
	`"FRESH_LOGIN_TIMEOUT": "10m", ` +
	`"GLOBAL_READONLY_SUPER_USERS": ["auditor", "both"], "REGISTRY_STATE": "normal", "SERVER_HOSTNAME": "localhost:5000", ` +
	`"SESSION_TIMEOUT": "31d", ` +
	`"SUPER_USERS": ["admin", "both"], "TAG_EXPIRATION_OPTIONS": ["0s", "1d", "1w", "2w", "4w"]}, ` +
	`"warning": {` + flaskWarnings + `"PAGE_TOKEN_KEY": "********** (44)"}, "env": {}, "schema": `

// flaskWarnings are Flask's default_config keys outside Quay's schema, as
// the warning section starts.
const flaskWarnings = `"DEBUG": false, "TESTING": true, "PROPAGATE_EXCEPTIONS": true, "SECRET_KEY": "********** (77)", ` +
	`"USE_X_SENDFILE": false, "APPLICATION_ROOT": "/", "SESSION_COOKIE_NAME": "_csrf_token", "SESSION_COOKIE_HTTPONLY": true, ` +
	`"SESSION_COOKIE_SAMESITE": "Lax", "SESSION_REFRESH_EACH_REQUEST": true, "SEND_FILE_MAX_AGE_DEFAULT": 0, ` +
	`"TRAP_HTTP_EXCEPTIONS": false, "EXPLAIN_TEMPLATE_LOADING": false, "MAX_COOKIE_SIZE": 4093, `

func TestConfigDump(t *testing.T) {
	t.Parallel()
	const path = "/api/v1/superuser/config"
	dumpOn := func(c *Config) { c.FeatureSuperuserConfigDump = true }
	tests := []struct {
		name       string
		config     func(*Config)
		token      string
		want       reply  // the whole reply, when wantPrefix is empty
		wantPrefix string // the body up to its schema, for 200s
	}{
		{name: "§3 a superuser gets the dump", config: dumpOn, token: tokAdmin, wantPrefix: configDumpPrefix},
		{name: "§3 GRO gets the dump", config: dumpOn, token: tokAuditor, wantPrefix: configDumpPrefix},
		{name: "§3 off by default: 403 even for a superuser", token: tokAdmin, want: replyForbidden},
		{name: "§3 off by default: 403 for GRO", token: tokAuditor, want: replyForbidden},
		{name: "§1.2 a normal user is 403", config: dumpOn, token: tokAlice, want: replyForbidden},
		{name: "§1.2 superuser token without super:user is 403", config: dumpOn, token: tokNoScope, want: replyForbidden},
		{name: "§1.2 anonymous is 401", config: dumpOn, token: tokNone, want: replyUnauthorized},
		{name: "§3 set optional keys appear; SETUP_COMPLETE and the replicas count are outside Quay's schema",
			config: func(c *Config) {
				dumpOn(c)
				c.AppSpecificTokenExpiration = ptr("4w")
				c.SetupComplete = true
				c.RepoMirrorWorkerReplicas = ptr(int64(2))
				c.SuperUsers = nil
			},
			token: tokAuditor,
			wantPrefix: strings.NewReplacer(
				`"AUTHENTICATION_TYPE"`, `"APP_SPECIFIC_TOKEN_EXPIRATION": "4w", "AUTHENTICATION_TYPE"`,
				`"SUPER_USERS": ["admin", "both"]`, `"SUPER_USERS": []`,
				`"PAGE_TOKEN_KEY": "********** (44)"}`,
				`"PAGE_TOKEN_KEY": "********** (44)", "REPO_MIRROR_WORKER_REPLICAS": 2, "SETUP_COMPLETE": true}`,
			).Replace(configDumpPrefix)},
		{name: "§0 no verify_not_prod: the dump answers on a quay.io hostname",
			config: func(c *Config) { dumpOn(c); c.ServerHostname = "quay.io" }, token: tokAdmin,
			wantPrefix: strings.Replace(configDumpPrefix, "localhost:5000", "quay.io", 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(s *Seed) {
				if tc.config != nil {
					tc.config(s.Config)
				}
			})
			got := h.do("GET", path, tc.token, "")
			if tc.wantPrefix == "" {
				checkReply(t, tc.want, got)
				return
			}
			body, schema, ok := strings.Cut(got.Body, `"env": {}, "schema": `)
			got.Body = body + `"env": {}, "schema": `
			checkReply(t, reply{Status: 200, ContentType: "application/json", Body: tc.wantPrefix}, got)
			if !ok {
				return
			}
			checkConfigSchema(t, schema)
		})
	}
}

// checkConfigSchema checks the dump's schema: a JSON-schema object whose
// properties are exactly the schema-known keys, typed as Quay types them.
func checkConfigSchema(t *testing.T, raw string) {
	t.Helper()
	if !strings.HasSuffix(raw, "}\n") {
		t.Errorf("body does not end with the schema object and a newline: %q", raw)
	}
	var schema struct {
		Type        string   `json:"type"`
		Description string   `json:"description"`
		Required    []string `json:"required"`
		Properties  map[string]struct {
			Type        any    `json:"type"`
			Description string `json:"description"`
		} `json:"properties"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSuffix(raw, "}\n")), &schema); err != nil {
		t.Fatalf("schema %q: %v", raw, err)
	}
	types := map[string]any{}
	for key, p := range schema.Properties {
		types[key] = p.Type
		if p.Description == "" {
			t.Errorf("schema property %s has no description", key)
		}
	}
	want := map[string]any{
		"APP_SPECIFIC_TOKEN_EXPIRATION": []any{"string", "null"}, "AUTHENTICATION_TYPE": "string",
		"BROWSER_API_CALLS_XHR_ONLY": "boolean", "DEFAULT_SYSTEM_REJECT_QUOTA_BYTES": "int",
		"FEATURE_ANONYMOUS_ACCESS": "boolean", "FEATURE_APP_SPECIFIC_TOKENS": "boolean", "FEATURE_EDIT_QUOTA": "boolean",
		"FEATURE_MAILING": "boolean", "FEATURE_QUOTA_MANAGEMENT": "boolean", "FEATURE_REPO_MIRROR": "boolean",
		"FEATURE_IMMUTABLE_TAGS":         "boolean",
		"FEATURE_SUPERUSERS_FULL_ACCESS": "boolean", "FEATURE_SUPERUSER_CONFIGDUMP": "boolean", "FEATURE_SUPER_USERS": "boolean",
		"FEATURE_USER_INITIALIZE":     "boolean",
		"GLOBAL_READONLY_SUPER_USERS": "array", "REGISTRY_STATE": "string", "SERVER_HOSTNAME": "string", "SUPER_USERS": "array",
		"PREFERRED_URL_SCHEME": "string", "SESSION_COOKIE_SECURE": "boolean",
		// Quay's schema types of the provisioning keys (util/config/schema.py).
		"FEATURE_REQUIRE_TEAM_INVITE": "boolean", "FEATURE_SECURITY_SCANNER": "boolean", "FEATURE_SUPERUSERS_ORG_CREATION_ONLY": "boolean",
		"FEATURE_ORG_SHARED_EMAIL": "boolean", "FEATURE_CHANGE_TAG_EXPIRATION": "boolean",
		"TAG_EXPIRATION_OPTIONS": "array", "DEFAULT_TAG_EXPIRATION": "string",
		// The session keys.
		"FEATURE_DIRECT_LOGIN": "boolean", "FEATURE_PERMANENT_SESSIONS": "boolean",
		"SESSION_TIMEOUT": "string", "FRESH_LOGIN_TIMEOUT": "string",
	}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("schema property types (-want +got):\n%s", diff)
	}
	// CONFIG_SCHEMA's top-level required list (util/config/schema.py), as
	// real Quay's dump shows it; Quay's own test_get_superuserdumpconfig
	// asks for it.
	wantRequired := []string{"PREFERRED_URL_SCHEME", "SERVER_HOSTNAME", "DB_URI", "AUTHENTICATION_TYPE",
		"DISTRIBUTED_STORAGE_CONFIG", "BUILDLOGS_REDIS", "USER_EVENTS_REDIS", "DISTRIBUTED_STORAGE_PREFERENCE",
		"DEFAULT_TAG_EXPIRATION", "TAG_EXPIRATION_OPTIONS"}
	if diff := cmp.Diff(wantRequired, schema.Required); diff != "" {
		t.Errorf("schema required (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(raw, `{"type": "object", "description": "`) || !strings.Contains(raw, `", "required": ["PREFERRED_URL_SCHEME", `) {
		t.Errorf("schema keys not in CONFIG_SCHEMA's order (type, description, required, ...): %.120s", raw)
	}
	if schema.Type != "object" || schema.Description == "" {
		t.Errorf("schema type %q, description %q", schema.Type, schema.Description)
	}
}

// Every configuration key must say whether Quay's schema knows it, so a
// new Config field cannot slip into the dump unclassified.
func TestConfigKeysCoverConfig(t *testing.T) {
	t.Parallel()
	s := &Server{cfg: DefaultConfig()}
	var missing, stale []string
	values := s.configValues()
	for key := range values {
		if _, ok := configKeys[key]; !ok {
			missing = append(missing, key)
		}
	}
	for key := range configKeys {
		if _, ok := values[key]; !ok {
			stale = append(stale, key)
		}
	}
	if len(missing)+len(stale) > 0 {
		t.Errorf("config keys without a configKeys entry: %v; entries for no key: %v", missing, stale)
	}
}

// §3: obfuscate as Quay's SuperUserDumpConfig does (expected values from
// running Quay's function).
func TestObfuscate(t *testing.T) {
	t.Parallel()
	storage := map[string]any{"default": []any{"S3Storage", map[string]any{
		"s3_access_key": "AKIA", "S3_Secret_Key": "ünïcödé-sëcret", "host": "s3", "port": int64(443), "ratio": 1.5, "none": nil}}}
	tests := []struct {
		key   string
		value any
		want  any
	}{
		{"DB_URI", "postgresql://u:p@h/q", "********** (20)"},
		{"SECRET_KEY", []any{"s1", "s2"}, []any{"s1", "s2"}}, // list items are never masked
		{"ACCESS_KEY", int64(12), int64(12)},
		{"DISTRIBUTED_STORAGE_CONFIG", storage, map[string]any{"default": []any{"S3Storage", map[string]any{
			"s3_access_key": "**** (4)", "S3_Secret_Key": "********** (14)", "host": "s3", "port": int64(443), "ratio": nil, "none": nil}}}},
		{"LDAP_ADMIN_PASSWD", map[string]any{"password": "p", "user": "u"}, map[string]any{"password": "* (1)", "user": "u"}},
		{"PASSWORD", "", " (0)"},
		{"PASSWORD", true, true},
		{"OTHER", "plain", "plain"},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, obfuscate(tc.value, isSecretConfigKey(tc.key))); diff != "" {
			t.Errorf("obfuscate %s (-want +got):\n%s", tc.key, diff)
		}
	}
}

// The dump has no nickname: the journal records its operation as "", and
// a fault reaches it by path.
func TestConfigDumpJournalAndFaults(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) { s.Config.FeatureSuperuserConfigDump = true })
	if _, err := h.s.InjectFault(Fault{Path: "/api/v1/superuser/config", Status: 418, Body: "teapot", ContentType: "text/plain", Times: 1}); err != nil {
		t.Fatal(err)
	}
	checkReply(t, reply{Status: 418, ContentType: "text/plain", Body: "teapot"}, h.do("GET", "/api/v1/superuser/config", tokAdmin, ""))
	if got := h.do("GET", "/api/v1/superuser/config", tokAdmin, ""); got.Status != 200 {
		t.Errorf("after the fault: status %d", got.Status)
	}
	var ops []string
	for _, r := range h.s.Requests() {
		ops = append(ops, r.Method+" "+r.Path+" op="+r.Operation+" caller="+r.Caller)
	}
	want := []string{
		"GET /api/v1/superuser/config op= caller=",
		"GET /api/v1/superuser/config op= caller=admin",
	}
	if diff := cmp.Diff(want, ops); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
}

// getHeader serves one GET straight through the handler and returns the
// reply with its headers.
func (h *harness) getHeader(path, token string) (reply, http.Header) {
	h.t.Helper()
	req := httptest.NewRequestWithContext(h.t.Context(), "GET", "http://"+testHost+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.s.ServeHTTP(rec, req)
	return reply{Status: rec.Code, ContentType: rec.Header().Get("Content-Type"), Body: rec.Body.String()}, rec.Header()
}

// withMirrors seeds mirrors whose failure rate among those that ran is
// exactly Quay's 20% threshold (healthy), plus mirrors that do not count.
func withMirrors(s *Seed) {
	s.Config.FeatureRepoMirror = true
	off := false
	s.RepoMirror = &SeedRepoMirroring{WorkersActive: 2, Repositories: []SeedRepoMirror{
		{Namespace: "acme", Repository: "a", Status: "SUCCESS", PendingTags: 3},
		{Namespace: "acme", Repository: "b", Status: "SUCCESS"},
		{Namespace: "acme", Repository: "c", Status: "SYNCING", PendingTags: 4},
		{Namespace: "acme", Repository: "d", Status: "FAIL"},
		{Namespace: "alice", Repository: "e", Status: "SYNC_NOW"},
		{Namespace: "alice", Repository: "f"}, // NEVER_RUN
		{Namespace: "alice", Repository: "g", Status: "FAIL", Enabled: &off, PendingTags: 1},
		{Namespace: "buynlarge", Repository: "h", Status: "FAIL", RepositoryState: "NORMAL"},
		{Namespace: "buynlarge", Repository: "i", Status: "FAIL", RepositoryState: "ORG_MIRROR"},
	}}
}

func mirrorReply(status int, healthy bool, workers, repos string, pending int, lastCheck string, issues ...string) reply {
	word := "healthy"
	if !healthy {
		word = "degraded"
	}
	return reply{Status: status, ContentType: "application/json", Body: `{"healthy": ` + map[bool]string{true: "true", false: "false"}[healthy] +
		`, "workers": {` + workers + `, "status": "` + word + `"}, "repositories": {` + repos + `}, "tags_pending": ` + itoa(pending) +
		`, "last_check": "` + lastCheck + `", "issues": [` + strings.Join(issues, ", ") + "]}\n"}
}

func TestMirrorHealth(t *testing.T) {
	t.Parallel()
	const (
		path  = "/api/v1/superuser/mirror/health"
		stamp = "2026-11-28T12:00:00Z"
		repos = `"total": 6, "syncing": 1, "completed": 2, "failed": 1, "never_run": 1`
	)
	healthy := mirrorReply(200, true, `"active": 2, "configured": 2`, repos, 8, stamp)
	oneMoreFailure := func(s *Seed) {
		withMirrors(s)
		s.RepoMirror.Repositories = append(s.RepoMirror.Repositories, SeedRepoMirror{Namespace: "acme", Repository: "z", Status: "FAIL"})
	}
	critical := `{"severity": "critical", "message": "33.3% of repositories are failing (threshold: 20.0%)", "timestamp": "` + stamp + `"}`
	replicas := func(n int64) func(*Seed) {
		return func(s *Seed) { oneMoreFailure(s); s.Config.RepoMirrorWorkerReplicas = &n }
	}
	failingRepos := `"total": 7, "syncing": 1, "completed": 2, "failed": 2, "never_run": 1`
	tests := []struct {
		name  string
		seed  func(*Seed)
		token string
		want  reply
	}{
		{name: "§3 20% failing is not above the threshold: healthy, 200", seed: withMirrors, token: tokAdmin, want: healthy},
		{name: "§3 GRO reads it", seed: withMirrors, token: tokAuditor, want: healthy},
		{name: "§3 no mirrors at all is healthy", seed: func(s *Seed) { s.Config.FeatureRepoMirror = true }, token: tokAdmin,
			want: mirrorReply(200, true, `"active": 0, "configured": 0`,
				`"total": 0, "syncing": 0, "completed": 0, "failed": 0, "never_run": 0`, 0, stamp)},
		{name: "§3 above 20% failing: degraded, 503, a critical issue", seed: oneMoreFailure, token: tokAdmin,
			want: mirrorReply(503, false, `"active": 2, "configured": 2`, failingRepos, 8, stamp, critical)},
		{name: "§3 fewer workers than REPO_MIRROR_WORKER_REPLICAS: a warning inserted first", seed: replicas(5), token: tokAdmin,
			want: mirrorReply(503, false, `"active": 2, "configured": 5`, failingRepos, 8, stamp,
				`{"severity": "warning", "message": "3 mirror worker(s) are not reporting in this process (REPO_MIRROR_WORKER_REPLICAS=5, quay_repository_mirror_workers_active=2)", "timestamp": "`+stamp+`"}`,
				critical)},
		{name: "§3 as many workers as replicas: no warning", seed: replicas(2), token: tokAdmin,
			want: mirrorReply(503, false, `"active": 2, "configured": 2`, failingRepos, 8, stamp, critical)},
		{name: "§3 no worker reporting in: the replica check is skipped", token: tokAdmin,
			seed: func(s *Seed) {
				withMirrors(s)
				s.RepoMirror.WorkersActive = 0
				s.Config.RepoMirrorWorkerReplicas = ptr(int64(3))
			},
			want: mirrorReply(200, true, `"active": 0, "configured": 3`, repos, 8, stamp)},
		{name: "§1.2 normal user is 403", seed: withMirrors, token: tokAlice, want: replyForbidden},
		{name: "§1.2 superuser token without super:user is 403", seed: withMirrors, token: tokNoScope, want: replyForbidden},
		{name: "§1.2 anonymous is 401", seed: withMirrors, token: tokNone, want: replyUnauthorized},
		{name: "§1.5 FEATURE_REPO_MIRROR off (Quay's default) leaves the route unregistered: the web catch-all's 308",
			token: tokAdmin, want: replyRedirect(path + "/")},
		{name: "§0 no verify_not_prod: answers on a quay.io hostname", token: tokAdmin,
			seed: func(s *Seed) { withMirrors(s); s.Config.ServerHostname = "quay.io" }, want: healthy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.seed)
			got, header := h.getHeader(path, tc.token)
			checkReply(t, tc.want, got)
			cache := header.Get("Cache-Control")
			if wantCache := tc.want.Status == 200 || tc.want.Status == 503; wantCache != (cache == "no-cache, no-store, must-revalidate") {
				t.Errorf("Cache-Control %q on a %d", cache, tc.want.Status)
			}
		})
	}
}

// §3: the summary follows the state: statuses changed through the direct
// API, workers going away, a deleted namespace's mirrors, and the fake
// clock's time (microseconds shown when not zero).
func TestMirrorHealthFollowsState(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) { withMirrors(s); s.Config.RepoMirrorWorkerReplicas = ptr(int64(2)) })
	h.s.SetTime(fixtureTime.Add(90*time.Minute + 123456*time.Microsecond))
	stamp := "2026-11-28T13:30:00.123456Z"
	if err := h.s.SetRepoMirror(SeedRepoMirror{Namespace: "acme", Repository: "b", Status: "FAIL"}); err != nil {
		t.Fatal(err)
	}
	got, _ := h.getHeader("/api/v1/superuser/mirror/health", tokAdmin)
	checkReply(t, mirrorReply(503, false, `"active": 2, "configured": 2`,
		`"total": 6, "syncing": 1, "completed": 1, "failed": 2, "never_run": 1`, 8, stamp,
		`{"severity": "critical", "message": "40.0% of repositories are failing (threshold: 20.0%)", "timestamp": "`+stamp+`"}`), got)

	if err := h.s.SetMirrorWorkersActive(1); err != nil {
		t.Fatal(err)
	}
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, ""))
	got, _ = h.getHeader("/api/v1/superuser/mirror/health", tokAdmin)
	checkReply(t, mirrorReply(503, false, `"active": 1, "configured": 2`,
		`"total": 2, "syncing": 0, "completed": 0, "failed": 0, "never_run": 1`, 1, stamp,
		`{"severity": "warning", "message": "1 mirror worker(s) are not reporting in this process (REPO_MIRROR_WORKER_REPLICAS=2, quay_repository_mirror_workers_active=1)", "timestamp": "`+stamp+`"}`), got)

	want := []RepoMirror{
		{Namespace: "alice", Repository: "e", Status: "SYNC_NOW", Enabled: true, RepositoryState: "MIRROR"},
		{Namespace: "alice", Repository: "f", Status: "NEVER_RUN", Enabled: true, RepositoryState: "MIRROR"},
		{Namespace: "alice", Repository: "g", Status: "FAIL", Enabled: false, RepositoryState: "MIRROR", PendingTags: 1},
		{Namespace: "buynlarge", Repository: "h", Status: "FAIL", Enabled: true, RepositoryState: "NORMAL"},
		{Namespace: "buynlarge", Repository: "i", Status: "FAIL", Enabled: true, RepositoryState: "ORG_MIRROR"},
	}
	if diff := cmp.Diff(want, h.s.RepoMirrors()); diff != "" {
		t.Errorf("RepoMirrors (-want +got):\n%s", diff)
	}
}

func TestPythonISOZ(t *testing.T) {
	t.Parallel()
	for in, want := range map[time.Time]string{
		fixtureTime:                           "2026-11-28T12:00:00Z",
		fixtureTime.Add(5 * time.Microsecond): "2026-11-28T12:00:00.000005Z",
		time.Date(999, 1, 2, 3, 4, 5, 120000000, time.FixedZone("", 3600)): "0999-01-02T02:04:05.120000Z",
	} {
		if got := pythonISOZ(in); got != want {
			t.Errorf("pythonISOZ(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestRepoMirrorAndChangelogSeedSections(t *testing.T) {
	t.Parallel()
	doc := `{"organizations": [{"name": "acme", "email": "acme@example.com"}],
	  "changelog": "## 3.15\n",
	  "repo_mirror": {"workers_active": 3, "repositories": [
	    {"namespace": "acme", "repository": "web", "status": "FAIL", "enabled": false, "repository_state": "READ_ONLY", "pending_tags": 2},
	    {"namespace": "admin", "repository": "tools"}]}}`
	seed, err := ParseSeed([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	want := []RepoMirror{
		{Namespace: "acme", Repository: "web", Status: "FAIL", Enabled: false, RepositoryState: "READ_ONLY", PendingTags: 2},
		{Namespace: "admin", Repository: "tools", Status: "NEVER_RUN", Enabled: true, RepositoryState: "MIRROR"},
	}
	if diff := cmp.Diff(want, s.RepoMirrors()); diff != "" {
		t.Errorf("RepoMirrors (-want +got):\n%s", diff)
	}
	if s.changelog != "## 3.15\n" || s.store.Read().MirrorWorkersActive() != 3 {
		t.Errorf("changelog %q, workers %d", s.changelog, s.store.Read().MirrorWorkersActive())
	}

	if _, err := ParseSeed([]byte(`{"repo_mirror": {"repositories": [{"namespace": "acme"}]}}`)); err == nil ||
		err.Error() != "repo_mirror.repositories[0].repository: missing required field" {
		t.Errorf("ParseSeed error = %v", err)
	}
	mirror := func(m ...SeedRepoMirror) *SeedRepoMirroring { return &SeedRepoMirroring{Repositories: m} }
	loadErrs := []struct {
		rm   *SeedRepoMirroring
		want string
	}{
		{mirror(SeedRepoMirror{Namespace: "ghost", Repository: "r"}), `repo_mirror.repositories[0].namespace: "ghost" is not a seeded user or organization`},
		{mirror(SeedRepoMirror{Namespace: "acme", Repository: "r", Status: "DONE"}), `repo_mirror.repositories[0].status: "DONE" is not a Quay mirror status`},
		{mirror(SeedRepoMirror{Namespace: "acme", Repository: "r", RepositoryState: "mirror"}), `repo_mirror.repositories[0].repository_state: "mirror" is not a Quay repository state`},
		{mirror(SeedRepoMirror{Namespace: "acme", Repository: "r"}, SeedRepoMirror{Namespace: "acme", Repository: "r"}), `repo_mirror.repositories[1]: acme/r is mirrored twice`},
		{mirror(SeedRepoMirror{Namespace: "acme", Repository: "r", PendingTags: -1}), `repo_mirror.repositories[0]: pending_tags is negative: -1`},
		{&SeedRepoMirroring{WorkersActive: -1}, `repo_mirror.workers_active: workers_active is negative: -1`},
	}
	for _, tc := range loadErrs {
		seed := fixtureSeed()
		seed.RepoMirror = tc.rm
		if _, err := New(WithSeed(seed)); err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("New error = %v, want suffix %q", err, tc.want)
		}
	}
	if err := s.SetMirrorWorkersActive(-2); err == nil || err.Error() != "fakequay: SetMirrorWorkersActive: workers_active is negative: -2" {
		t.Errorf("SetMirrorWorkersActive(-2) error = %v", err)
	}
	if err := s.SetRepoMirror(SeedRepoMirror{Namespace: "acme", Repository: "web", Status: "nope"}); err == nil ||
		err.Error() != `fakequay: SetRepoMirror.status: "nope" is not a Quay mirror status` {
		t.Errorf("SetRepoMirror error = %v", err)
	}
}
