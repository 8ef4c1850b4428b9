package fakequay

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"maps"
	"math/big"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quaykit/go-quay/fakequay/internal/fernet"
	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// System: reference §3 getChangeLog, the config dump (/superuser/config)
// and getSuperUserRepositoryMirrorHealth.

func systemRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/superuser/changelog/", ops: map[string]*operation{
			http.MethodGet: {nickname: "getChangeLog", freshLogin: true, handle: (*Server).getChangeLog},
		}},
		// Quay gives the config dump no @nickname (and no @verify_not_prod):
		// the journal shows its operation as "", and faults target it by Path.
		{pattern: "/api/v1/superuser/config", ops: map[string]*operation{
			http.MethodGet: {freshLogin: true, anyHost: true, handle: (*Server).dumpConfig},
		}},
		{pattern: "/api/v1/superuser/mirror/health", when: func(c *Config) bool { return c.FeatureRepoMirror }, ops: map[string]*operation{
			http.MethodGet: {nickname: "getSuperUserRepositoryMirrorHealth", freshLogin: true, anyHost: true,
				handle: (*Server).mirrorHealth},
		}},
	}
}

// --- getChangeLog ----------------------------------------------------------

// defaultChangelog stands in for the CHANGELOG.md of a Quay image.
//
//go:embed CHANGELOG.md
var defaultChangelog string

// changelogText is the changelog a server answers with: WithChangelog's
// text, else the seed's, else fakequay's own.
func (o *options) changelogText(seed Seed) string {
	switch {
	case o.changelog != nil:
		return *o.changelog
	case seed.Changelog != nil:
		return *seed.Changelog
	}
	return defaultChangelog
}

// getChangeLog: §3. {"log": <the changelog file's text>}.
func (s *Server) getChangeLog(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	c.restful(http.StatusOK, changelogView{Log: s.changelog})
	return nil
}

// --- the config dump -------------------------------------------------------

// dumpConfig: §3. Any superuser, and only with FEATURE_SUPERUSER_CONFIGDUMP:
// without it even a superuser gets Unauthorized().
func (s *Server) dumpConfig(c *call) error {
	if !c.isAnySuperuser() || !s.cfg.FeatureSuperuserConfigDump {
		return unauthorized(c.who)
	}
	c.restful(http.StatusOK, s.configDump())
	return nil
}

// configKey is what the dump knows about one configuration key fakequay
// models.
type configKey struct {
	// schema is the key's entry in the dump's schema, nil when Quay's
	// CONFIG_SCHEMA["properties"] lacks the key: Quay then lists the key
	// under "warning" rather than "config".
	schema *configProperty
	// unsetWhenZero marks keys Quay's DefaultConfig does not define: a Quay
	// whose config file leaves them out has no such key at all, which is
	// what their zero value stands for here.
	unsetWhenZero bool
}

// configKeys describes every key of Config, plus PAGE_TOKEN_KEY, which
// fakequay does not let callers change but really uses (its page tokens are
// Fernet tokens under Quay's default key). The types are those of Quay's
// schema; the descriptions are fakequay's.
var configKeys = map[string]configKey{
	"SUPER_USERS":                          {schema: &configProperty{"array", "Usernames with superuser power."}},
	"GLOBAL_READONLY_SUPER_USERS":          {schema: &configProperty{"array", "Usernames of superusers who may read every superuser endpoint and write none."}},
	"FEATURE_SUPER_USERS":                  {schema: &configProperty{"boolean", "Whether the superuser API exists."}},
	"FEATURE_QUOTA_MANAGEMENT":             {schema: &configProperty{"boolean", "Whether namespace quotas can be managed and are shown."}},
	"FEATURE_EDIT_QUOTA":                   {schema: &configProperty{"boolean", "Whether quotas can be edited."}},
	"FEATURE_MAILING":                      {schema: &configProperty{"boolean", "Whether Quay sends e-mail."}},
	"FEATURE_SUPERUSERS_FULL_ACCESS":       {schema: &configProperty{"boolean", "Whether superusers get access to every repository."}},
	"FEATURE_APP_SPECIFIC_TOKENS":          {schema: &configProperty{"boolean", "Whether users can make app-specific tokens."}},
	"FEATURE_REPO_MIRROR":                  {schema: &configProperty{"boolean", "Whether repositories can be mirrored from other registries."}},
	"FEATURE_IMMUTABLE_TAGS":               {schema: &configProperty{"boolean", "Whether tags can be immutable (and tag views say whether they are)."}},
	"FEATURE_SECURITY_SCANNER":             {schema: &configProperty{"boolean", "Whether manifests' security scans can be read."}},
	"FEATURE_SUPERUSER_CONFIGDUMP":         {schema: &configProperty{"boolean", "Whether superusers may read this configuration dump."}},
	"FEATURE_USER_INITIALIZE":              {schema: &configProperty{"boolean", "Whether POST /api/v1/user/initialize may create the first user."}},
	"FEATURE_ANONYMOUS_ACCESS":             {schema: &configProperty{"boolean", "Whether anonymous callers may browse and pull public content."}},
	"AUTHENTICATION_TYPE":                  {schema: &configProperty{"string", "The engine that checks credentials."}},
	"REGISTRY_STATE":                       {schema: &configProperty{"string", "normal, or readonly to refuse every write."}},
	"DEFAULT_SYSTEM_REJECT_QUOTA_BYTES":    {schema: &configProperty{"int", "A quota applied to namespaces that have none; 0 for none."}},
	"BROWSER_API_CALLS_XHR_ONLY":           {schema: &configProperty{"boolean", "Whether browsers must mark API calls as XHR."}},
	"SERVER_HOSTNAME":                      {schema: &configProperty{"string", "The host name the registry is reached at."}},
	"APP_SPECIFIC_TOKEN_EXPIRATION":        {schema: &configProperty{[]string{"string", "null"}, "How long app-specific tokens last, e.g. 4w; null for ever."}},
	"FEATURE_REQUIRE_TEAM_INVITE":          {schema: &configProperty{"boolean", "Whether adding a user outside the organization to a team invites them."}},
	"FEATURE_SUPERUSERS_ORG_CREATION_ONLY": {schema: &configProperty{"boolean", "Whether only superusers may create organizations."}},
	"FEATURE_ORG_SHARED_EMAIL":             {schema: &configProperty{"boolean", "Whether an organization may use an address a user has."}},
	"FEATURE_CHANGE_TAG_EXPIRATION":        {schema: &configProperty{"boolean", "Whether namespace admins may change the tag expiration."}},
	"TAG_EXPIRATION_OPTIONS":               {schema: &configProperty{"array", "The tag expirations admins may choose from."}},
	"DEFAULT_TAG_EXPIRATION":               {schema: &configProperty{"string", "The tag expiration of new namespaces."}},
	"FEATURE_DIRECT_LOGIN":                 {schema: &configProperty{"boolean", "Whether users can sign in with a password (POST /api/v1/signin)."}},
	"FEATURE_PERMANENT_SESSIONS":           {schema: &configProperty{"boolean", "Whether a sign-in's session outlives the browser."}},
	"SESSION_TIMEOUT":                      {schema: &configProperty{"string", "How long a permanent session lasts."}},
	"FRESH_LOGIN_TIMEOUT":                  {schema: &configProperty{"string", "How long after signing in a session may call the operations that need a fresh login."}},
	"SETUP_COMPLETE":                       {unsetWhenZero: true},
	"REPO_MIRROR_WORKER_REPLICAS":          {},
	"PAGE_TOKEN_KEY":                       {},
}

// configSecretKeys are the lower-cased key names whose string values the
// dump masks, at any depth (the list in Quay's SuperUserDumpConfig).
var configSecretKeys = []string{
	"password", "db_uri", "secret_key", "access_key", "enable_health_debug_secret",
	"client_secret", "s3_access_key", "s3_secret_key", "cloudfront_key_id",
	"sts_user_access_key", "sts_user_secret_key", "ldap_admin_passwd",
	"page_token_key", "security_scanner_v4_psk", "database_secret_key",
}

// flaskConfigKey is one key of Flask 2.3.3's default_config that a
// running Quay holds a dumpable value for.
type flaskConfigKey struct {
	key   string
	value any
	// schema is non-nil when Quay's CONFIG_SCHEMA["properties"] has the key,
	// which puts it under "config"; the others go under "warning".
	schema *configProperty
}

// flaskConfig lists Flask's default_config keys in Flask's order, which is
// where they sit in app.config, with the values production Quay runs with:
// Flask's defaults unless Quay's config.py overrides them (TESTING,
// PROPAGATE_EXCEPTIONS, SESSION_COOKIE_NAME, SESSION_COOKIE_SAMESITE,
// SEND_FILE_MAX_AGE_DEFAULT). DEBUG is Flask's get_debug_flag(). Keys whose
// value is None (SERVER_NAME, MAX_CONTENT_LENGTH, ...) or a timedelta
// (PERMANENT_SESSION_LIFETIME) are not here, as the dump skips them.
// SECRET_KEY, which app.py generates when the config has none, is filled in
// by configDump; fakequay signs its session cookies with it (session.go). Checked against real Quay's dump (ffba0c70e, whose test
// config differs only in keys fakequay does not model).
var flaskConfig = []flaskConfigKey{
	{key: "DEBUG", value: false},
	{key: "TESTING", value: true},
	{key: "PROPAGATE_EXCEPTIONS", value: true},
	{key: "SECRET_KEY"},
	{key: "USE_X_SENDFILE", value: false},
	{key: "APPLICATION_ROOT", value: "/"},
	{key: "SESSION_COOKIE_NAME", value: "_csrf_token"},
	{key: "SESSION_COOKIE_HTTPONLY", value: true},
	{key: "SESSION_COOKIE_SECURE", value: false,
		schema: &configProperty{"boolean", "Whether session cookies are marked secure; true when PREFERRED_URL_SCHEME is https."}},
	{key: "SESSION_COOKIE_SAMESITE", value: "Lax"},
	{key: "SESSION_REFRESH_EACH_REQUEST", value: true},
	{key: "SEND_FILE_MAX_AGE_DEFAULT", value: int64(0)},
	{key: "TRAP_HTTP_EXCEPTIONS", value: false},
	{key: "EXPLAIN_TEMPLATE_LOADING", value: false},
	{key: "PREFERRED_URL_SCHEME", value: "http",
		schema: &configProperty{"string", "The scheme of the URLs Quay builds: http or https."}},
	{key: "MAX_COOKIE_SIZE", value: int64(4093)},
}

// configSchemaRequired is CONFIG_SCHEMA's top-level "required" list
// (util/config/schema.py).
var configSchemaRequired = []string{
	"PREFERRED_URL_SCHEME", "SERVER_HOSTNAME", "DB_URI", "AUTHENTICATION_TYPE", "DISTRIBUTED_STORAGE_CONFIG",
	"BUILDLOGS_REDIS", "USER_EVENTS_REDIS", "DISTRIBUTED_STORAGE_PREFERENCE", "DEFAULT_TAG_EXPIRATION",
	"TAG_EXPIRATION_OPTIONS",
}

// configDump builds the dump in Quay's shape: every app.config key whose
// value is a list, dict, tuple, int, string or bool, under "config" when
// CONFIG_SCHEMA["properties"] knows it and under "warning" otherwise,
// secret-looking values masked. Keys come in app.config's order: Flask's
// defaults first (flaskConfig), then Quay's own keys, which from_object
// loads alphabetically (through dir()). Unset keys (Python None) are left
// out.
//
// Quay puts its whole process environment under "env"; fakequay never
// exposes its own, so "env" is always empty. The schema holds Quay's
// top-level "required" list and the properties of the keys in "config",
// with fakequay's descriptions.
func (s *Server) configDump() configDumpView {
	v := configDumpView{Config: py.NewObject(), Warning: py.NewObject(), Env: map[string]string{},
		Schema: configSchemaView{Type: "object", Description: "The configuration keys fakequay models, as Quay's schema types them.",
			Required: configSchemaRequired, Properties: map[string]configProperty{}}}
	add := func(key string, value any, schema *configProperty) {
		masked := obfuscate(value, isSecretConfigKey(key))
		if schema == nil {
			v.Warning.Set(key, masked)
			return
		}
		v.Config.Set(key, masked)
		v.Schema.Properties[key] = *schema
	}
	for _, f := range flaskConfig {
		value := f.value
		if f.key == "SECRET_KEY" {
			value = s.secretKey()
		}
		add(f.key, value, f.schema)
	}
	values := s.configValues()
	for _, key := range slices.Sorted(maps.Keys(values)) {
		info, value := configKeys[key], values[key]
		if value == nil || (info.unsetWhenZero && reflect.ValueOf(value).IsZero()) {
			continue
		}
		add(key, value, info.schema)
	}
	for key, info := range configKeys {
		if info.schema != nil {
			v.Schema.Properties[key] = *info.schema
		}
	}
	return v
}

// flaskSecretKey is app.py's generate_secret_key(): str(getrandbits(256)),
// which Quay uses when its config names no SECRET_KEY. Session cookies
// are signed with it (session.go); the dump shows its masked length.
func flaskSecretKey(r *rand.Rand) string {
	var b [32]byte
	for i := range 4 {
		binary.LittleEndian.PutUint64(b[8*i:], r.Uint64())
	}
	return new(big.Int).SetBytes(b[:]).String()
}

// configValues returns every configuration key and its value as Python
// would hold it: strings, bools, ints, lists, or nil for None.
func (s *Server) configValues() map[string]any {
	out := map[string]any{"PAGE_TOKEN_KEY": fernet.QuayPageTokenKey}
	v := reflect.ValueOf(s.cfg)
	t := v.Type()
	for i := range t.NumField() {
		key, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if key == "" || key == "-" {
			continue
		}
		out[key] = pythonConfigValue(v.Field(i))
	}
	return out
}

func pythonConfigValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return pythonConfigValue(v.Elem())
	case reflect.Bool:
		return v.Bool()
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int64:
		return v.Int()
	case reflect.Slice:
		list := make([]any, v.Len())
		for i := range list {
			list[i] = pythonConfigValue(v.Index(i))
		}
		return list
	}
	panic("fakequay: config field of unsupported kind " + v.Kind().String())
}

func isSecretConfigKey(key string) bool {
	return slices.Contains(configSecretKeys, strings.ToLower(key))
}

// obfuscate is the dump's obfuscate(data, obf): a string under a secret key
// becomes up to ten '*' and its length in characters ("********** (44)");
// a dict's members are masked by their own key names; list items and
// numbers are never masked, even under a secret key. Anything else (None, a
// float, a tuple) comes out as None, because Quay's function falls through
// without returning.
func obfuscate(v any, secret bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, member := range v {
			out[k] = obfuscate(member, isSecretConfigKey(k))
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = obfuscate(item, false)
		}
		return out
	case string:
		if !secret {
			return v
		}
		n := utf8.RuneCountInString(v)
		return strings.Repeat("*", min(n, 10)) + " (" + strconv.Itoa(n) + ")"
	case bool, int64:
		return v
	}
	return nil
}

// --- getSuperUserRepositoryMirrorHealth ------------------------------------

// mirrorFailureThreshold is the share of failing mirrors (among those that
// have run) above which Quay calls mirroring unhealthy.
const mirrorFailureThreshold = 0.2

// mirrorHealth: §3. 200 when healthy, 503 when degraded, never cached.
func (s *Server) mirrorHealth(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	v := s.mirrorHealthSummary(c.read, c.now)
	status := http.StatusOK
	if !v.Healthy {
		status = http.StatusServiceUnavailable
	}
	c.w.Header().Set("Cache-Control", "no-cache, no-store, must-revalidate")
	c.restful(status, v)
	return nil
}

// mirrorHealthSummary is Quay's get_mirror_health_data for the superuser
// panel (no namespace, no per-repository detail). Without repository
// details Quay raises no per-repository issues (stale, never synced,
// retries exhausted); only the failure rate and missing workers make
// issues, each inserted first, and each makes the summary degraded.
func (s *Server) mirrorHealthSummary(rd store.Reader, now time.Time) mirrorHealthView {
	counts := rd.MirrorCounts()
	stamp := pythonISOZ(now)
	healthy := true
	issues := []mirrorIssueView{}
	if ran := counts.Total - counts.NeverRun; ran > 0 {
		rate := float64(counts.Failed) / float64(ran)
		if rate > mirrorFailureThreshold {
			healthy = false
			issues = slices.Insert(issues, 0, mirrorIssueView{Severity: "critical", Timestamp: stamp,
				Message: fmt.Sprintf("%.1f%% of repositories are failing (threshold: %.1f%%)", rate*100, mirrorFailureThreshold*100)})
		}
	}
	active := rd.MirrorWorkersActive()
	configured := active
	if replicas := s.cfg.RepoMirrorWorkerReplicas; replicas != nil {
		configured = *replicas
		// Quay skips the check when no worker reports in, to avoid false
		// alarms where metrics are unavailable.
		if counts.Total > 0 && active > 0 && active < *replicas {
			healthy = false
			issues = slices.Insert(issues, 0, mirrorIssueView{Severity: "warning", Timestamp: stamp,
				Message: fmt.Sprintf("%d mirror worker(s) are not reporting in this process "+
					"(REPO_MIRROR_WORKER_REPLICAS=%d, quay_repository_mirror_workers_active=%d)",
					*replicas-active, *replicas, active)})
		}
	}
	workers := mirrorWorkersView{Active: active, Configured: configured, Status: "healthy"}
	if !healthy {
		workers.Status = "degraded"
	}
	return mirrorHealthView{
		Healthy: healthy,
		Workers: workers,
		Repositories: mirrorCountsView{Total: counts.Total, Syncing: counts.Syncing, Completed: counts.Completed,
			Failed: counts.Failed, NeverRun: counts.NeverRun},
		TagsPending: rd.MirrorPendingTags(),
		LastCheck:   stamp,
		Issues:      issues,
	}
}

// pythonISOZ is Quay's _utc_z_timestamp: Python's isoformat() of an aware
// UTC datetime with "+00:00" written "Z"; microseconds appear only when
// they are not zero.
func pythonISOZ(t time.Time) string {
	t = t.UTC()
	out := t.Format("2006-01-02T15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		out += fmt.Sprintf(".%06d", us)
	}
	return out + "Z"
}
