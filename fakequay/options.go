package fakequay

import (
	"fmt"
	"log/slog"
	"time"
)

// Config holds the Quay configuration keys that change how the superuser API
// behaves. Field names follow Quay's keys (shown in the json tags, which the
// seed file's "config" section uses); defaults are Quay's own (config.py
// DefaultConfig), with one deliberate exception: quota management is on so
// that every documented operation exists.
type Config struct {
	// SuperUsers are the usernames with superuser power (SUPER_USERS).
	SuperUsers []string `json:"SUPER_USERS"`
	// GlobalReadonlySuperUsers may read every superuser endpoint but write
	// none (GLOBAL_READONLY_SUPER_USERS). A user in both lists is read-only.
	GlobalReadonlySuperUsers []string `json:"GLOBAL_READONLY_SUPER_USERS"`

	// FeatureSuperUsers registers the superuser API at all (default true).
	FeatureSuperUsers bool `json:"FEATURE_SUPER_USERS"`
	// FeatureQuotaManagement registers the four quota routes and adds quotas
	// to user and organization views. Quay defaults to false; fakequay to true.
	FeatureQuotaManagement bool `json:"FEATURE_QUOTA_MANAGEMENT"`
	// FeatureEditQuota must also be true for the quota routes (default true).
	FeatureEditQuota bool `json:"FEATURE_EDIT_QUOTA"`
	// FeatureMailing makes createInstallUser require a valid e-mail and send
	// a confirmation mail, and registers sendrecovery (default true).
	FeatureMailing bool `json:"FEATURE_MAILING"`
	// FeatureSuperusersFullAccess lets regular superusers act in every
	// namespace as if they administered it (organizations, teams,
	// repositories), list app tokens and see repository-derived build
	// fields (default false).
	FeatureSuperusersFullAccess bool `json:"FEATURE_SUPERUSERS_FULL_ACCESS"`
	// FeatureAppSpecificTokens registers /superuser/apptokens (default true).
	FeatureAppSpecificTokens bool `json:"FEATURE_APP_SPECIFIC_TOKENS"`
	// FeatureImmutableTags adds a tag's immutable flag to tag views
	// (default false, Quay's; its test config, and so the realquay
	// harness, turns it on).
	FeatureImmutableTags bool `json:"FEATURE_IMMUTABLE_TAGS"`
	// FeatureRepoMirror registers /superuser/mirror/health (default false).
	FeatureRepoMirror bool `json:"FEATURE_REPO_MIRROR"`
	// FeatureSecurityScanner registers getRepoManifestSecurity
	// (FEATURE_SECURITY_SCANNER, default false).
	FeatureSecurityScanner bool `json:"FEATURE_SECURITY_SCANNER"`
	// FeatureSuperuserConfigDump lets superusers read /superuser/config
	// (default false: 403 even for superusers).
	FeatureSuperuserConfigDump bool `json:"FEATURE_SUPERUSER_CONFIGDUMP"`
	// FeatureUserInitialize lets POST /api/v1/user/initialize create the
	// first user of an empty registry (FEATURE_USER_INITIALIZE, Quay's
	// default false; without it the route answers the web UI's 404). A
	// seed that turns it on and has no users starts empty, without the
	// built-in "admin".
	FeatureUserInitialize bool `json:"FEATURE_USER_INITIALIZE"`
	// FeatureAnonymousAccess, when false, rejects anonymous calls early with
	// 401 {"error": "Anonymous access is not allowed"} (default true).
	FeatureAnonymousAccess bool `json:"FEATURE_ANONYMOUS_ACCESS"`
	// FeatureRequireTeamInvite, with FeatureMailing, makes adding a user who
	// is not yet in the organization to a team an invitation (default
	// true); without either, the user is added at once.
	FeatureRequireTeamInvite bool `json:"FEATURE_REQUIRE_TEAM_INVITE"`
	// FeatureSuperusersOrgCreationOnly lets only superusers create
	// organizations (default false).
	FeatureSuperusersOrgCreationOnly bool `json:"FEATURE_SUPERUSERS_ORG_CREATION_ONLY"`
	// FeatureOrgSharedEmail lets an organization use an address a user
	// has (default false).
	FeatureOrgSharedEmail bool `json:"FEATURE_ORG_SHARED_EMAIL"`
	// FeatureChangeTagExpiration lets organization admins change the
	// tag expiration (default true).
	FeatureChangeTagExpiration bool `json:"FEATURE_CHANGE_TAG_EXPIRATION"`
	// TagExpirationOptions are the tag expirations admins may choose, in
	// Quay's "<number><s|m|h|d|w|y>" form (TAG_EXPIRATION_OPTIONS, default
	// 0s, 1d, 1w, 2w, 4w).
	TagExpirationOptions []string `json:"TAG_EXPIRATION_OPTIONS"`
	// DefaultTagExpiration is the tag expiration of new organizations
	// (DEFAULT_TAG_EXPIRATION, default 2w).
	DefaultTagExpiration string `json:"DEFAULT_TAG_EXPIRATION"`

	// FeatureDirectLogin registers POST /api/v1/signin, password sign-in
	// (FEATURE_DIRECT_LOGIN, default true).
	FeatureDirectLogin bool `json:"FEATURE_DIRECT_LOGIN"`
	// FeaturePermanentSessions makes a sign-in's session cookie last
	// SessionTimeout rather than end with the browser
	// (FEATURE_PERMANENT_SESSIONS, default true).
	FeaturePermanentSessions bool `json:"FEATURE_PERMANENT_SESSIONS"`
	// SessionTimeout is how long a permanent session lasts, in Quay's
	// "<number><s|m|h|d|w|y>" form (SESSION_TIMEOUT, default 31d).
	SessionTimeout string `json:"SESSION_TIMEOUT"`
	// FreshLoginTimeout is how long after signing in a session may call
	// the operations Quay marks @require_fresh_login (FRESH_LOGIN_TIMEOUT,
	// default 10m); later they answer 401 fresh_login_required until the
	// user verifies the password again (POST /api/v1/signin/verify).
	FreshLoginTimeout string `json:"FRESH_LOGIN_TIMEOUT"`

	// AuthenticationType is Quay's AUTHENTICATION_TYPE ("Database" by
	// default); user creation, recovery mail and password changes need
	// "Database", e-mail changes "Database" or "AppToken".
	AuthenticationType string `json:"AUTHENTICATION_TYPE"`
	// RegistryState "readonly" answers every non-GET with 503 (default "normal").
	RegistryState string `json:"REGISTRY_STATE"`
	// DefaultSystemRejectQuotaBytes is the system-wide default quota (default 0).
	DefaultSystemRejectQuotaBytes int64 `json:"DEFAULT_SYSTEM_REJECT_QUOTA_BYTES"`
	// BrowserAPICallsXHROnly rejects browser GETs without
	// X-Requested-With: XMLHttpRequest (default true).
	BrowserAPICallsXHROnly bool `json:"BROWSER_API_CALLS_XHR_ONLY"`
	// ServerHostname is SERVER_HOSTNAME; one containing "quay.io" makes the
	// superuser methods answer 404, as on Quay's hosted service.
	ServerHostname string `json:"SERVER_HOSTNAME"`

	// AppSpecificTokenExpiration is how long new app-specific tokens last, in
	// Quay's "<number><s|m|h|d|w|y>" form (APP_SPECIFIC_TOKEN_EXPIRATION;
	// default nil: they never expire). listAllAppTokens' "expiring soon"
	// window is a tenth of it, or of 4 weeks when nil. Quay checks the value
	// only when it uses it, so a malformed one makes ?expiring=true a 500.
	AppSpecificTokenExpiration *string `json:"APP_SPECIFIC_TOKEN_EXPIRATION"`
	// SetupComplete makes scRegistryStatus answer "ready" (SETUP_COMPLETE).
	// Quay's config.py has no such key, so it defaults to false; every
	// configured deployment's config file sets it true.
	SetupComplete bool `json:"SETUP_COMPLETE"`
	// RepoMirrorWorkerReplicas is how many mirror workers should be running
	// (REPO_MIRROR_WORKER_REPLICAS; default nil: as many as report in). Fewer
	// reporting in makes the mirror-health summary degraded.
	RepoMirrorWorkerReplicas *int64 `json:"REPO_MIRROR_WORKER_REPLICAS"`
}

// DefaultConfig returns Quay's defaults, with quota management turned on.
func DefaultConfig() Config {
	return Config{
		FeatureSuperUsers:          true,
		FeatureQuotaManagement:     true,
		FeatureEditQuota:           true,
		FeatureMailing:             true,
		FeatureAppSpecificTokens:   true,
		FeatureAnonymousAccess:     true,
		FeatureRequireTeamInvite:   true,
		FeatureChangeTagExpiration: true,
		FeatureDirectLogin:         true,
		FeaturePermanentSessions:   true,
		SessionTimeout:             "31d",
		FreshLoginTimeout:          "10m",
		TagExpirationOptions:       []string{"0s", "1d", "1w", "2w", "4w"},
		DefaultTagExpiration:       "2w",
		AuthenticationType:         "Database",
		RegistryState:              "normal",
		BrowserAPICallsXHROnly:     true,
		ServerHostname:             "localhost:5000",
	}
}

func (c *Config) validate() error {
	switch c.AuthenticationType {
	case "Database", "LDAP", "JWT", "Keystone", "OIDC", "AppToken":
	default:
		return fmt.Errorf("fakequay: config.AUTHENTICATION_TYPE: %q is not one of Database, LDAP, JWT, Keystone, OIDC, AppToken", c.AuthenticationType)
	}
	switch c.RegistryState {
	case "normal", "readonly":
	default:
		return fmt.Errorf("fakequay: config.REGISTRY_STATE: %q is not \"normal\" or \"readonly\"", c.RegistryState)
	}
	// A Config built in Go may leave these empty: they take Quay's defaults.
	if c.DefaultTagExpiration == "" {
		c.DefaultTagExpiration = "2w"
	}
	if c.TagExpirationOptions == nil {
		c.TagExpirationOptions = []string{"0s", "1d", "1w", "2w", "4w"}
	}
	for i, o := range c.TagExpirationOptions {
		if _, ok := quayTimedelta(o); o == "" || !ok {
			return fmt.Errorf("fakequay: config.TAG_EXPIRATION_OPTIONS[%d]: %q is not a Quay timedelta (<number><s|m|h|d|w|y>)", i, o)
		}
	}
	if c.SessionTimeout == "" {
		c.SessionTimeout = "31d"
	}
	if c.FreshLoginTimeout == "" {
		c.FreshLoginTimeout = "10m"
	}
	for _, kv := range [...][2]string{{"SESSION_TIMEOUT", c.SessionTimeout}, {"FRESH_LOGIN_TIMEOUT", c.FreshLoginTimeout}} {
		if _, ok := quayTimedelta(kv[1]); !ok {
			return fmt.Errorf("fakequay: config.%s: %q is not a Quay timedelta (<number><s|m|h|d|w|y>)", kv[0], kv[1])
		}
	}
	if _, ok := quayTimedelta(c.DefaultTagExpiration); !ok {
		return fmt.Errorf("fakequay: config.DEFAULT_TAG_EXPIRATION: %q is not a Quay timedelta (<number><s|m|h|d|w|y>)", c.DefaultTagExpiration)
	}
	if c.DefaultSystemRejectQuotaBytes < 0 {
		return fmt.Errorf("fakequay: config.DEFAULT_SYSTEM_REJECT_QUOTA_BYTES: %d is negative", c.DefaultSystemRejectQuotaBytes)
	}
	return nil
}

// Option configures a Server.
type Option func(*options) error

type options struct {
	config      Config
	configEdits []func(*Config)
	seedFile    string
	seed        *Seed
	now         time.Time
	wallClock   bool
	randSeed    uint64
	token       string
	logger      *slog.Logger
	journalSize int
	changelog   *string

	dataDir      string
	compactBytes int64
}

// WithConfig edits the server's configuration; edits run in order, after
// the seed file's "config" section is applied.
func WithConfig(edit func(*Config)) Option {
	return func(o *options) error {
		o.configEdits = append(o.configEdits, edit)
		return nil
	}
}

// WithSuperUsers sets SUPER_USERS.
func WithSuperUsers(names ...string) Option {
	return WithConfig(func(c *Config) { c.SuperUsers = names })
}

// WithSeedFile loads state from a seed file (see the package documentation
// for its format). Errors name the JSON path of the problem.
func WithSeedFile(path string) Option {
	return func(o *options) error {
		o.seedFile = path
		return nil
	}
}

// WithSeed loads state from an in-memory seed, as a seed file would.
func WithSeed(seed Seed) Option {
	return func(o *options) error {
		o.seed = &seed
		return nil
	}
}

// WithTime sets where the fake clock starts (default: the seed's "now", else
// the real time when the server is created).
func WithTime(t time.Time) Option {
	return func(o *options) error {
		if t.IsZero() {
			return fmt.Errorf("fakequay: WithTime: zero time")
		}
		o.now = t
		return nil
	}
}

// WithWallClock makes the clock follow real time from its start instead of
// standing still until Advance or SetTime; the dev-stub binary uses it.
func WithWallClock() Option {
	return func(o *options) error {
		o.wallClock = true
		return nil
	}
}

// WithRandSeed seeds the generator behind every random value the server
// makes (UUIDs, passwords, codes, page-token IVs), so runs are repeatable.
// The default seed is fixed; RSA service keys are the one exception, since
// Go's crypto/rsa ignores caller randomness.
func WithRandSeed(seed uint64) Option {
	return func(o *options) error {
		o.randSeed = seed
		return nil
	}
}

// WithToken sets the bearer token of the built-in superuser "admin" that a
// server without a seed creates (default: a random token).
func WithToken(token string) Option {
	return func(o *options) error {
		if token == "" {
			return fmt.Errorf("fakequay: WithToken: empty token")
		}
		o.token = token
		return nil
	}
}

// WithLogger logs each request and server event to l (default: discard).
// Bearer tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return fmt.Errorf("fakequay: WithLogger: nil logger")
		}
		o.logger = l
		return nil
	}
}

// WithJournalSize bounds the request journal to the last n requests
// (default 1000; 0 disables it).
func WithJournalSize(n int) Option {
	return func(o *options) error {
		if n < 0 {
			return fmt.Errorf("fakequay: WithJournalSize: negative size %d", n)
		}
		o.journalSize = n
		return nil
	}
}

// WithChangelog sets the text getChangeLog answers with, in place of the
// CHANGELOG.md a Quay image ships (default: the seed's "changelog", else
// fakequay's own short changelog).
func WithChangelog(text string) Option {
	return func(o *options) error {
		o.changelog = &text
		return nil
	}
}

// WithDataDir makes the server's state persistent in dir, which is created
// if missing: every write is journaled and fsynced before it is answered,
// so every acknowledged write survives a crash. The first start with an
// empty dir loads the seed as usual; later starts restore the directory's
// state, and then the seed, WithTime and WithToken are not used (the seed's
// config and superuser token are kept from the first start; WithConfig
// edits still apply). Close compacts the directory and releases it; two
// servers cannot share one. Without WithDataDir nothing touches the disk.
func WithDataDir(dir string) Option {
	return func(o *options) error {
		if dir == "" {
			return fmt.Errorf("fakequay: WithDataDir: empty directory name")
		}
		o.dataDir = dir
		return nil
	}
}

// WithCompactionThreshold sets the journal size, in bytes, past which a
// write also snapshots the state and empties the journal (default
// DefaultCompactionThreshold). It matters only with WithDataDir.
func WithCompactionThreshold(bytes int64) Option {
	return func(o *options) error {
		if bytes <= 0 {
			return fmt.Errorf("fakequay: WithCompactionThreshold: %d is not a positive size", bytes)
		}
		o.compactBytes = bytes
		return nil
	}
}
