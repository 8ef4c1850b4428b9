package fakequay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Seed is the initial state of a server: the seed file's format (see the
// package documentation), usable from Go through WithSeed. Every section is
// optional.
type Seed struct {
	// Config overrides Quay's defaults; keys are Quay's config keys.
	Config *Config `json:"config,omitempty"`
	// Now is where the clock starts.
	Now           time.Time          `json:"now,omitzero"`
	Users         []SeedUser         `json:"users,omitempty"`
	Organizations []SeedOrganization `json:"organizations,omitempty"`
	Quotas        []SeedQuota        `json:"quotas,omitempty"`
	ServiceKeys   []SeedServiceKey   `json:"service_keys,omitempty"`
	Builds        []SeedBuild        `json:"builds,omitempty"`
	Logs          []SeedLog          `json:"logs,omitempty"`
	RegistrySize  *SeedRegistrySize  `json:"registry_size,omitempty"`

	// AppTokens are app-specific tokens of seeded users (listAllAppTokens).
	AppTokens []SeedAppToken `json:"app_tokens,omitempty"`
	// Messages are the global messages superusers have posted.
	Messages []SeedMessage `json:"messages,omitempty"`
	// RepoMirror is the repository-mirroring state the mirror-health
	// summary reports on.
	RepoMirror *SeedRepoMirroring `json:"repo_mirror,omitempty"`
	// Changelog is what getChangeLog answers with in place of the
	// CHANGELOG.md of a Quay image (default: fakequay's own changelog).
	Changelog *string `json:"changelog,omitempty"`

	// Robots are robot accounts of seeded users and organizations.
	Robots []SeedRobot `json:"robots,omitempty"`
	// Repositories are repositories with their permissions.
	Repositories []SeedRepository `json:"repositories,omitempty"`
	// Prototypes are organizations' default permissions.
	Prototypes []SeedPrototype `json:"prototypes,omitempty"`
	// Images are pushes of images (by spec) into repositories, in order.
	Images []SeedImage `json:"images,omitempty"`
	// Manifests are manifests stored by their bytes with their tags and
	// labels, as a snapshot of a running Quay reads them.
	Manifests []SeedManifest `json:"manifests,omitempty"`
	// Notifications are repository notifications (repositorynotification.py).
	Notifications []SeedRepoNotification `json:"notifications,omitempty"`
	// SecurityScans are security scans of seeded manifests (secscan.py).
	SecurityScans []SeedSecurityScan `json:"security_scans,omitempty"`
}

// SeedUser is a user and the OAuth tokens that act for it.
type SeedUser struct {
	Username string `json:"username" seed:"required"`
	Email    string `json:"email" seed:"required"`
	Verified *bool  `json:"verified,omitempty"` // default true
	Enabled  *bool  `json:"enabled,omitempty"`  // default true
	// Password is what the user signs in with (POST /api/v1/signin);
	// without one the user has a password nobody knows, as every user of
	// a snapshot of a real Quay does (Quay keeps only its hash).
	Password string      `json:"password,omitempty"`
	Tokens   []SeedToken `json:"tokens,omitempty"`
	// UsedBytes is the namespace's consumed storage as Quay's quota
	// backfill computed it (quota_report's quota_bytes), for a namespace
	// without a quota; absent: never computed, backfill "waiting". A
	// namespace with a quota may give it here or as the quota's used_bytes,
	// not both.
	UsedBytes *int64 `json:"used_bytes,omitempty"`
}

// SeedToken is an OAuth access token. Without Scopes it has every Quay
// scope, super:user included.
type SeedToken struct {
	Token       string   `json:"token" seed:"required"`
	Scopes      []string `json:"scopes,omitempty"`
	Application string   `json:"application,omitempty"` // default DefaultApplication
	ClientID    string   `json:"client_id,omitempty"`   // default DefaultClientID
}

// The OAuth application tokens belong to unless a seed says otherwise; the
// oauth_token_* keys of audit logs show them.
const (
	DefaultApplication = "fakequay"
	DefaultClientID    = "FAKEQUAYCLIENTID0001"
)

// SeedOrganization is an organization and its teams (see SeedTeam).
type SeedOrganization struct {
	Name  string     `json:"name" seed:"required"`
	Email string     `json:"email" seed:"required"`
	Teams []SeedTeam `json:"teams,omitempty"`
	// UsedBytes is the organization's consumed storage, as SeedUser's.
	UsedBytes *int64 `json:"used_bytes,omitempty"`
}

// SeedQuota is a namespace quota and the namespace's consumed size. A
// namespace has at most one quota; LimitBytes must be positive.
type SeedQuota struct {
	Namespace  string           `json:"namespace" seed:"required"`
	LimitBytes int64            `json:"limit_bytes" seed:"required"`
	Limits     []SeedQuotaLimit `json:"limits,omitempty"`
	// UsedBytes is the namespace's consumed storage, quota_report's
	// quota_bytes (absent: never computed, backfill "waiting").
	UsedBytes *int64 `json:"used_bytes,omitempty"`
}

// SeedQuotaLimit is a quota threshold: Type "Warning" or "Reject",
// LimitPercent 1 to 100, no two limits of a quota alike.
type SeedQuotaLimit struct {
	Type         string `json:"type" seed:"required"`
	LimitPercent int64  `json:"limit_percent" seed:"required"`
}

// SeedRegistrySize is the state of the registry-size calculation
// (getRegistrySize): the last computed size, when it finished (RFC 3339;
// the API shows it in Unix milliseconds) and whether one is queued or
// running (not both).
type SeedRegistrySize struct {
	SizeBytes int64      `json:"size_bytes"`
	LastRan   *time.Time `json:"last_ran,omitempty"`
	Queued    bool       `json:"queued,omitempty"`
	Running   bool       `json:"running,omitempty"`
}

// SeedServiceKey is a service key. fakequay generates its RSA key pair at
// load and, like Quay, stores only the public half.
type SeedServiceKey struct {
	// Kid defaults to the generated key's RFC 7638 thumbprint; when given it
	// is also the JWK's "kid", as with Quay's generate_service_key(kid=...).
	Kid     string `json:"kid,omitempty"`
	Service string `json:"service" seed:"required"` // must match ^[a-z0-9_]+$
	Name    string `json:"name,omitempty"`
	// Metadata is a JSON object (default {}).
	Metadata json.RawMessage `json:"metadata,omitempty"`
	// Created is required.
	Created time.Time `json:"created" seed:"required"`
	// Expiration nil (null or absent) means the key never expires.
	Expiration       *time.Time `json:"expiration,omitempty"`
	RotationDuration *int64     `json:"rotation_duration,omitempty"`

	// JWK is the key's public half as Quay shows it; absent, fakequay
	// generates a key pair. A snapshot of a Quay gives it, since a key's
	// private half cannot be read; Kid is then required, and fakequay has
	// no private key for it.
	JWK *SeedJWK `json:"jwk,omitempty"`

	// ApprovedBy names the seeded user who approved the key. Without it
	// the key is unapproved, unless ApprovalType is set: then it is
	// approved by no user (the approver shows as null, as in Quay once the
	// approving user is deleted).
	ApprovedBy string `json:"approved_by,omitempty"`
	// ApprovalType defaults to "ServiceKeyApprovalType.SUPERUSER" when
	// ApprovedBy is set; the others are "ServiceKeyApprovalType.KEY_ROTATION"
	// and "ServiceKeyApprovalType.AUTOMATIC".
	ApprovalType string `json:"approval_type,omitempty"`
	// ApprovedDate defaults to Created.
	ApprovedDate *time.Time `json:"approved_date,omitempty"`
	Notes        string     `json:"notes,omitempty"`
}

// SeedJWK is a service key's public RSA JSON Web Key. Kid is the JWK's
// own "kid" member, which a key Quay generated always has, and one made
// outside Quay's API (initdb.py's test_service_key) may lack.
type SeedJWK struct {
	Kty string `json:"kty" seed:"required"`
	E   string `json:"e" seed:"required"`
	N   string `json:"n" seed:"required"`
	Kid string `json:"kid,omitempty"`
}

// SeedLog is an audit-log entry. Kind and Datetime are required; Metadata,
// when given, is a JSON object whose key order is kept. Namespace names the
// seeded user or organization the log belongs to, Performer the seeded user
// who acted; either may be empty. Server.Logs reports logs in this shape,
// with the names as they are now.
type SeedLog struct {
	Kind      string          `json:"kind" seed:"required"`
	Namespace string          `json:"namespace,omitempty"`
	Performer string          `json:"performer,omitempty"`
	IP        string          `json:"ip,omitempty"`
	Datetime  time.Time       `json:"datetime" seed:"required"`
	Metadata  json.RawMessage `json:"metadata,omitempty"`
}

// SeedBuild is a repository build, in namespace Namespace (a seeded user or
// organization) and repository Repository. UUID, Namespace, Repository and
// Phase (one of Quay's ten build phases) are required; Started defaults to
// the clock's time, Tags to [], ManualUser to null. Logs are the entries of
// the build's log, or, when Archived, the content of its archived log file
// (a build archived with no entries has none).
//
// Tags, ManualUser, Subdirectory, Context, ArchiveURL and TriggerMetadata are
// the build's job config. They are kept, but Quay's superuser build views
// never show them: they read an empty job config (see the README's
// reference corrections).
//
// Error stands for Quay failing to read the live status of a build in a
// non-terminal phase from Redis: the build then shows phase "cannot_load"
// with this error (global read-only superusers see Quay's generic text) and
// no log entries. Quay's build rows have no error column, so a terminal
// build with an Error is rejected.
//
// The fields after Archived come from the build's job: what a snapshot of
// a Quay reads through its repository build API.
type SeedBuild struct {
	UUID         string         `json:"uuid" seed:"required"`
	Namespace    string         `json:"namespace" seed:"required"`
	Repository   string         `json:"repository" seed:"required"`
	Phase        string         `json:"phase" seed:"required"`
	DisplayName  string         `json:"display_name,omitempty"`
	Started      time.Time      `json:"started,omitzero"`
	Tags         []string       `json:"tags,omitempty"`
	ManualUser   *string        `json:"manual_user,omitempty"`
	Logs         []SeedBuildLog `json:"logs,omitempty"`
	Subdirectory string         `json:"subdirectory,omitempty"`
	Context      string         `json:"context,omitempty"`
	Error        string         `json:"error,omitempty"`
	Archived     bool           `json:"archived,omitempty"`

	// ResourceKey is the user-file id of the uploaded build context.
	ResourceKey *string `json:"resource_key,omitempty"`
	// ArchiveURL is the job's archive_url (shown when there is no ResourceKey).
	ArchiveURL string `json:"archive_url,omitempty"`
	// TriggerMetadata is the job's trigger_metadata, a JSON object.
	TriggerMetadata json.RawMessage `json:"trigger_metadata,omitempty"`
	// RetriesRemaining keeps an "internalerror" build from showing as
	// "expired": its queue item still has retries.
	RetriesRemaining bool `json:"retries_remaining,omitempty"`
}

// SeedBuildLog is one entry of a build's log: a message, an optional type
// ("phase", "command" or "error") and optional data, a JSON object.
type SeedBuildLog struct {
	Message string          `json:"message"`
	Type    string          `json:"type,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// loadSeed reads the seed the options name, if any.
func (o *options) loadSeed() (Seed, error) {
	switch {
	case o.seed != nil && o.seedFile != "":
		return Seed{}, fmt.Errorf("fakequay: WithSeed and WithSeedFile are mutually exclusive")
	case o.seed != nil:
		return *o.seed, nil
	case o.seedFile != "":
		data, err := os.ReadFile(o.seedFile)
		if err != nil {
			return Seed{}, fmt.Errorf("fakequay: seed file: %w", err)
		}
		seed, err := ParseSeed(data)
		if err != nil {
			return Seed{}, fmt.Errorf("fakequay: seed file %s: %w", o.seedFile, err)
		}
		return seed, nil
	}
	return Seed{}, nil
}

// ParseSeed decodes a seed file. Unknown keys, duplicate keys, wrong types
// and missing required fields are errors naming their JSON path; config
// keys absent from the file keep Quay's defaults. References between
// sections (a quota's namespace, a log's performer) are checked when the
// seed is loaded.
func ParseSeed(data []byte) (Seed, error) {
	cfg := DefaultConfig()
	seed := Seed{Config: &cfg}
	if err := decodeStrict(data, &seed); err != nil {
		return Seed{}, err
	}
	return seed, nil
}

// load fills the empty store from seed in one transaction. Without users it
// creates the built-in superuser "admin" with an all-scope token, unless
// the configuration turns FEATURE_USER_INITIALIZE on: that registry waits
// for its first user from POST /api/v1/user/initialize.
func (s *Server) load(seed Seed, adminToken string) error {
	if len(seed.Users) == 0 && !s.cfg.FeatureUserInitialize {
		if adminToken == "" {
			adminToken = s.rand.chars(40, alphanumeric)
		}
		builtinOnly := !seed.hasRows()
		if !slices.Contains(s.cfg.SuperUsers, "admin") {
			s.cfg.SuperUsers = append(slices.Clone(s.cfg.SuperUsers), "admin")
		}
		if builtinOnly && s.restoreBuiltin(adminToken) {
			return nil
		}
		seed.Users = []SeedUser{{Username: "admin", Email: "admin@example.com", Tokens: []SeedToken{{Token: adminToken}}}}
		if builtinOnly {
			if err := s.loadRows(seed); err != nil {
				return err
			}
			s.keepBuiltin(adminToken)
			return nil
		}
	}
	return s.loadRows(seed)
}

// loadRows adds the seed's rows to the store in one transaction.
func (s *Server) loadRows(seed Seed) error {
	now := s.clock.Now()
	primary := s.firstSuperuser(seed)
	return s.store.Load(func(l *store.Loader) error {
		// The users' rows go in as one batch, then their tokens, user by
		// user; the first error is the one loading them one at a time
		// found first (a bad row stops the batch before its tokens).
		rows := make([]store.Namespace, len(seed.Users))
		for i, u := range seed.Users {
			rows[i] = userRow(u)
		}
		added, bad, err := l.AddNamespaces(rows)
		for i, ns := range added {
			if err := s.loadUserRows(l, seed.Users[i], ns, primary == seed.Users[i].Username); err != nil {
				return fmt.Errorf("users[%d]%w", i, err)
			}
		}
		if err != nil {
			return fmt.Errorf("users[%d]: %w", bad, err)
		}
		orgs := make([]*store.Namespace, len(seed.Organizations))
		for i, o := range seed.Organizations {
			org, err := loadOrganization(l, o)
			if err != nil {
				return fmt.Errorf("organizations[%d]%w", i, err)
			}
			orgs[i] = org
		}
		if err := s.loadProvisioning(l, seed, orgs, now); err != nil {
			return err
		}
		for i, q := range seed.Quotas {
			ns, ok := l.Read().Namespace(q.Namespace)
			if !ok {
				return fmt.Errorf("quotas[%d].namespace: %q is not a seeded user or organization", i, q.Namespace)
			}
			limits := make([]store.QuotaLimit, len(q.Limits))
			for j, lim := range q.Limits {
				limits[j] = store.QuotaLimit{Type: lim.Type, Percent: lim.LimitPercent}
			}
			if _, err := l.SetQuota(store.Quota{NamespaceID: ns.ID, LimitBytes: q.LimitBytes, Limits: limits}); err != nil {
				return fmt.Errorf("quotas[%d].%w", i, err)
			}
			if q.UsedBytes != nil {
				if ns.Size != nil {
					return fmt.Errorf("quotas[%d].used_bytes: %q has used_bytes already", i, q.Namespace)
				}
				if err := l.SetNamespaceSize(ns.ID, store.NamespaceSize{Bytes: *q.UsedBytes, BackfillStarted: true, BackfillComplete: true}); err != nil {
					return fmt.Errorf("quotas[%d].used_bytes: %w", i, err)
				}
			}
		}
		for i, k := range seed.ServiceKeys {
			path := fmt.Sprintf("service_keys[%d]", i)
			pair, err := s.seedKeyPair(k)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if _, err := loadServiceKey(l, k, pair); err != nil {
				return err.at(path)
			}
		}
		for i, b := range seed.Builds {
			if err := addBuild(l, b, now); err != nil {
				return fmt.Errorf("builds[%d].%w", i, err)
			}
		}
		for i, lg := range seed.Logs {
			row, err := logRow(l.Read(), lg)
			if err != nil {
				return fmt.Errorf("logs[%d].%w", i, err)
			}
			l.AddLog(row)
		}
		if rs := seed.RegistrySize; rs != nil {
			if err := l.SetRegistrySize(registrySizeRow(RegistrySize{
				SizeBytes: rs.SizeBytes, LastRan: deref(rs.LastRan, time.Time{}), Queued: rs.Queued, Running: rs.Running,
			})); err != nil {
				return fmt.Errorf("registry_size.%w", err)
			}
		}
		return s.loadMiscSections(l, seed)
	})
}

// loadUser adds a user and its tokens. When primary is set, its first
// all-scope token becomes SuperuserToken(). Errors start with the JSON path
// below the user (".tokens[0]: ...", or ": ..." for the user itself).
func (s *Server) loadUser(l *store.Loader, u SeedUser, primary bool) error {
	ns, err := l.AddNamespace(userRow(u))
	if err != nil {
		return fmt.Errorf(": %w", err)
	}
	return s.loadUserRows(l, u, ns, primary)
}

// userRow is the namespace row of a seeded user.
func userRow(u SeedUser) store.Namespace {
	return store.Namespace{
		Name: u.Username, Kind: store.KindUser, Email: u.Email,
		Verified: deref(u.Verified, true), Enabled: deref(u.Enabled, true),
		HasPassword: true,
	}
}

// loadUserRows adds what hangs off user u, whose row is ns: its computed
// size and its tokens (see loadUser).
func (s *Server) loadUserRows(l *store.Loader, u SeedUser, ns *store.Namespace, primary bool) error {
	if err := loadUsedBytes(l, ns.ID, u.UsedBytes); err != nil {
		return err
	}
	if u.Password != "" {
		l.SetPassword(ns.ID, *newPassword(u.Password))
	}
	for j, t := range u.Tokens {
		scopes := t.Scopes
		if scopes == nil {
			scopes = quayScopes
		}
		if len(scopes) == 0 {
			// validate_scope_string: Quay issues no token without a scope.
			return fmt.Errorf(".tokens[%d].scopes: empty; Quay issues no token without a scope", j)
		}
		for _, sc := range scopes {
			if !slices.Contains(quayScopes, sc) {
				return fmt.Errorf(".tokens[%d].scopes: unknown scope %q", j, sc)
			}
		}
		tok := store.Token{Secret: t.Token, UserID: ns.ID, Scopes: scopes,
			Application: orDefault(t.Application, DefaultApplication), ClientID: orDefault(t.ClientID, DefaultClientID)}
		if _, err := l.AddToken(tok); err != nil {
			return fmt.Errorf(".tokens[%d]: %w", j, err)
		}
		if primary && s.superuserToken == "" && t.Scopes == nil {
			s.superuserToken = t.Token
		}
	}
	return nil
}

// loadOrganization adds a seeded organization. Errors start with the JSON
// path below it, as loadUser's.
func loadOrganization(l *store.Loader, o SeedOrganization) (*store.Namespace, error) {
	ns, err := l.AddNamespace(store.Namespace{Name: o.Name, Kind: store.KindOrg, Email: o.Email, Enabled: true})
	if err != nil {
		return nil, fmt.Errorf(": %w", err)
	}
	return ns, loadUsedBytes(l, ns.ID, o.UsedBytes)
}

// loadUsedBytes records a namespace's computed size, if the seed gives one.
func loadUsedBytes(l *store.Loader, id int64, used *int64) error {
	if used == nil {
		return nil
	}
	if err := l.SetNamespaceSize(id, store.NamespaceSize{Bytes: *used, BackfillStarted: true, BackfillComplete: true}); err != nil {
		return fmt.Errorf(".used_bytes: %w", err)
	}
	return nil
}

// addBuild stores a seeded build; Started defaults to now. Errors start
// with the JSON path of the field at fault, relative to the build
// ("namespace: ...").
func addBuild(l *store.Loader, b SeedBuild, now time.Time) error {
	row, err := buildRow(l.Read(), b, now)
	if err != nil {
		return err
	}
	_, err = l.AddBuild(row)
	return err
}

func buildRow(rd store.Reader, b SeedBuild, now time.Time) (store.Build, error) {
	if strings.Contains(b.UUID, "/") {
		return store.Build{}, fmt.Errorf("uuid: %q contains a slash, which no build route can reach", b.UUID)
	}
	ns, ok := rd.Namespace(b.Namespace)
	if !ok {
		return store.Build{}, fmt.Errorf("namespace: %q is not a seeded user or organization", b.Namespace)
	}
	if b.Error != "" && store.IsTerminalPhase(b.Phase) {
		return store.Build{}, fmt.Errorf("error: only a build in a non-terminal phase can have one "+
			"(it is Quay failing to read the live status), not a %q build", b.Phase)
	}
	row := store.Build{
		UUID: b.UUID, NamespaceID: ns.ID, Repository: b.Repository, Phase: b.Phase,
		DisplayName: b.DisplayName, Started: b.Started, ResourceKey: b.ResourceKey,
		Tags: b.Tags, ManualUser: b.ManualUser, Subdirectory: b.Subdirectory, Context: b.Context,
		ArchiveURL: b.ArchiveURL, RetriesRemaining: b.RetriesRemaining, StatusError: b.Error,
		LogsArchived: b.Archived,
	}
	if row.Started.IsZero() {
		row.Started = now
	}
	row.Started = row.Started.UTC().Truncate(time.Microsecond)
	var err error
	if row.TriggerMetadata, err = jsonObject(b.TriggerMetadata); err != nil {
		return store.Build{}, fmt.Errorf("trigger_metadata: %w", err)
	}
	row.Logs = make([]store.BuildLogEntry, len(b.Logs))
	for i, e := range b.Logs {
		data, err := jsonObject(e.Data)
		if err != nil {
			return store.Build{}, fmt.Errorf("logs[%d].data: %w", i, err)
		}
		row.Logs[i] = store.BuildLogEntry{Message: e.Message, Type: e.Type, Data: data}
	}
	return row, nil
}

// logRow turns a seeded audit log into a store row, with errors as
// addBuild's.
func logRow(rd store.Reader, lg SeedLog) (store.LogEntry, error) {
	if lg.Kind == "" {
		return store.LogEntry{}, fmt.Errorf("kind: required")
	}
	if lg.Datetime.IsZero() {
		return store.LogEntry{}, fmt.Errorf("datetime: required")
	}
	e := store.LogEntry{Kind: lg.Kind, IP: lg.IP, Time: lg.Datetime}
	var err error
	if e.Metadata, err = jsonObject(lg.Metadata); err != nil {
		return store.LogEntry{}, fmt.Errorf("metadata: %w", err)
	}
	if lg.Namespace != "" {
		ns, ok := rd.Namespace(lg.Namespace)
		if !ok {
			return store.LogEntry{}, fmt.Errorf("namespace: %q is not a seeded user or organization", lg.Namespace)
		}
		e.AccountID = ns.ID
	}
	if lg.Performer != "" {
		u, ok := rd.User(lg.Performer)
		if !ok {
			return store.LogEntry{}, fmt.Errorf("performer: %q is not a seeded user", lg.Performer)
		}
		e.PerformerID = u.ID
	}
	return e, nil
}

// jsonObject returns raw compacted, or nil when it is empty or null; any
// other value than a JSON object is an error.
func jsonObject(raw json.RawMessage) (json.RawMessage, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil, nil
	}
	if trimmed[0] != '{' {
		return nil, fmt.Errorf("not a JSON object")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, trimmed); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// firstSuperuser is the first name in SUPER_USERS that the seed defines.
func (s *Server) firstSuperuser(seed Seed) string {
	for _, name := range s.cfg.SuperUsers {
		for _, u := range seed.Users {
			if u.Username == name {
				return name
			}
		}
	}
	return ""
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// loadServiceKey adds one service_keys entry through l with the freshly
// generated key pair (whose kid is k.Kid when one is given) and returns the
// stored key.
func loadServiceKey(l *store.Loader, k SeedServiceKey, pair serviceKeyPair) (*store.ServiceKey, *fieldError) {
	if k.Created.IsZero() {
		return nil, fieldErrorf("created", "required")
	}
	if !store.ValidServiceName(k.Service) {
		return nil, fieldErrorf("service", "%q does not match ^[a-z0-9_]+$", k.Service)
	}
	if _, taken := l.Read().ServiceKey(k.Kid); k.Kid != "" && taken {
		return nil, fieldErrorf("kid", "%q is already used by another service key", k.Kid)
	}
	var metadata json.RawMessage
	if len(k.Metadata) > 0 {
		v, err := py.Decode(k.Metadata)
		if _, isObject := v.(*py.Object); err != nil || !isObject {
			return nil, fieldErrorf("metadata", "not a JSON object")
		}
		metadata = pyDumps(v)
	}
	row := store.ServiceKey{Name: k.Name, Service: k.Service, Metadata: metadata,
		Created: k.Created.UTC().Truncate(time.Microsecond), Expiration: utcPtr(k.Expiration), RotationDuration: k.RotationDuration}
	switch {
	case k.ApprovedBy != "":
		approver, ok := l.Read().User(k.ApprovedBy)
		if !ok {
			return nil, fieldErrorf("approved_by", "%q is not a seeded user", k.ApprovedBy)
		}
		approvalType := orDefault(k.ApprovalType, store.ApprovalSuperuser)
		if !store.ValidApprovalType(approvalType) {
			return nil, fieldErrorf("approval_type", "%q is not one of %q, %q, %q", approvalType,
				store.ApprovalSuperuser, store.ApprovalKeyRotation, store.ApprovalAutomatic)
		}
		row.Approval = &store.Approval{ApproverID: approver.ID, Type: approvalType,
			Date: deref(utcPtr(k.ApprovedDate), row.Created), Notes: k.Notes}
	case k.ApprovalType != "":
		// Approved by no user: Quay's approver is null when the approving
		// user was deleted, or when the approval named none (initdb.py's).
		if !store.ValidApprovalType(k.ApprovalType) {
			return nil, fieldErrorf("approval_type", "%q is not one of %q, %q, %q", k.ApprovalType,
				store.ApprovalSuperuser, store.ApprovalKeyRotation, store.ApprovalAutomatic)
		}
		row.Approval = &store.Approval{Type: k.ApprovalType, Date: deref(utcPtr(k.ApprovedDate), row.Created), Notes: k.Notes}
	case k.ApprovedDate != nil || k.Notes != "":
		return nil, fieldErrorf("approved_by", "approved_by or approval_type required with approved_date or notes")
	}
	row.Kid, row.JWK = pair.kid, pair.jwk
	stored, err := l.AddServiceKey(row)
	if err != nil {
		return nil, &fieldError{err: err}
	}
	return stored, nil
}

// utcPtr returns a copy of *t in UTC with Quay's microsecond precision, or
// nil.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// fieldError is an error in one seed entry, naming the entry's field at
// fault ("" when the entry as a whole is).
type fieldError struct {
	field string
	err   error
}

func fieldErrorf(field, format string, args ...any) *fieldError {
	return &fieldError{field: field, err: fmt.Errorf(format, args...)}
}

func (e *fieldError) Error() string {
	if e.field == "" {
		return e.err.Error()
	}
	return e.field + ": " + e.err.Error()
}

func (e *fieldError) Unwrap() error { return e.err }

// at places the error under the entry's JSON path, e.g. "service_keys[2]".
func (e *fieldError) at(path string) error {
	if e.field == "" {
		return fmt.Errorf("%s: %w", path, e.err)
	}
	return fmt.Errorf("%s.%s: %w", path, e.field, e.err)
}

// SeedAppToken is an app-specific token of a seeded user. Expiration and
// LastAccessed are null when absent: the token never expires, or was never
// used.
type SeedAppToken struct {
	UUID         string     `json:"uuid,omitempty"` // default: a generated UUID
	Title        string     `json:"title" seed:"required"`
	User         string     `json:"user" seed:"required"` // the owner's username
	Created      time.Time  `json:"created" seed:"required"`
	Expiration   *time.Time `json:"expiration,omitempty"`
	LastAccessed *time.Time `json:"last_accessed,omitempty"`
}

// SeedMessage is a global message: Severity "info", "warning" or "error";
// MediaType "text/plain" or "text/markdown".
type SeedMessage struct {
	UUID      string `json:"uuid,omitempty"` // default: a generated UUID
	Content   string `json:"content" seed:"required"`
	Severity  string `json:"severity" seed:"required"`
	MediaType string `json:"media_type" seed:"required"`
}

// SeedRepoMirroring is the state of repository mirroring: the mirrored
// repositories and how many mirror workers report in (default 0).
type SeedRepoMirroring struct {
	WorkersActive int64            `json:"workers_active,omitempty"`
	Repositories  []SeedRepoMirror `json:"repositories,omitempty"`
}

// SeedRepoMirror is the mirror of one repository of a seeded namespace.
// Status is Quay's RepoMirrorStatus name (NEVER_RUN, SUCCESS, FAIL,
// SYNCING, SYNC_NOW, CANCEL; default NEVER_RUN); RepositoryState is Quay's
// RepositoryState name (default MIRROR: only those count as mirrored);
// PendingTags is the repository's pending-tags gauge. InternalRobot is
// the robot the mirror pulls with ("namespace+shortname", a robot of the
// mirror's namespace), which Quay then refuses to delete.
type SeedRepoMirror struct {
	Namespace       string `json:"namespace" seed:"required"`
	Repository      string `json:"repository" seed:"required"`
	Status          string `json:"status,omitempty"`
	Enabled         *bool  `json:"enabled,omitempty"` // default true
	RepositoryState string `json:"repository_state,omitempty"`
	PendingTags     int64  `json:"pending_tags,omitempty"`
	InternalRobot   string `json:"internal_robot,omitempty"`

	// The configuration getRepoMirrorConfig shows (RepoMirrorConfig's
	// columns, named as its view names them): ExternalRegistryConfig is a
	// JSON object (default {}); SyncRetriesRemaining defaults to 3;
	// TagPatterns is the root rule's rule_value; a nil SyncStartDate is
	// NULL. ExternalRegistryPassword is stored but never shown.
	ExternalReference        string          `json:"external_reference,omitempty"`
	ExternalRegistryUsername *string         `json:"external_registry_username,omitempty"`
	ExternalRegistryPassword *string         `json:"external_registry_password,omitempty"`
	ExternalRegistryConfig   json.RawMessage `json:"external_registry_config,omitempty"`
	SyncInterval             int64           `json:"sync_interval,omitempty"`
	SyncStartDate            *time.Time      `json:"sync_start_date,omitempty"`
	SyncExpirationDate       *time.Time      `json:"sync_expiration_date,omitempty"`
	SyncRetriesRemaining     *int64          `json:"sync_retries_remaining,omitempty"`
	SkopeoTimeoutInterval    int64           `json:"skopeo_timeout_interval,omitempty"`
	TagPatterns              []string        `json:"tag_patterns,omitempty"`
	ArchitectureFilter       []string        `json:"architecture_filter,omitempty"`
}

// loadMiscSections loads the app_tokens, messages and repo_mirror sections.
func (s *Server) loadMiscSections(l *store.Loader, seed Seed) error {
	ids := s.rand
	for i, t := range seed.AppTokens {
		if err := loadAppToken(l, t, ids.uuid); err != nil {
			return fmt.Errorf("app_tokens[%d]%w", i, err)
		}
	}
	for i, m := range seed.Messages {
		if err := loadMessage(l, m, ids.uuid); err != nil {
			return fmt.Errorf("messages[%d]%w", i, err)
		}
	}
	if rm := seed.RepoMirror; rm != nil {
		if err := l.SetMirrorWorkersActive(rm.WorkersActive); err != nil {
			return fmt.Errorf("repo_mirror.workers_active: %w", err)
		}
		seen := map[[2]string]bool{}
		for i, m := range rm.Repositories {
			key := [2]string{m.Namespace, m.Repository}
			if seen[key] {
				return fmt.Errorf("repo_mirror.repositories[%d]: %s/%s is mirrored twice", i, m.Namespace, m.Repository)
			}
			seen[key] = true
			if err := putRepoMirror(l, m); err != nil {
				return fmt.Errorf("repo_mirror.repositories[%d]%w", i, err)
			}
		}
	}
	return nil
}

// loadAppToken adds a seed's app token; newUUID supplies a missing uuid.
// Errors start with the JSON path below the token.
func loadAppToken(l *store.Loader, t SeedAppToken, newUUID func() string) error {
	owner, ok := l.Read().User(t.User)
	if !ok {
		return fmt.Errorf(".user: %q is not a seeded user", t.User)
	}
	row := store.AppToken{UUID: t.UUID, Title: t.Title, UserID: owner.ID, Created: t.Created,
		Expiration: deref(t.Expiration, time.Time{}), LastAccessed: deref(t.LastAccessed, time.Time{})}
	if row.UUID == "" {
		row.UUID = newUUID()
	}
	if _, err := l.AddAppToken(row); err != nil {
		return fmt.Errorf(": %w", err)
	}
	return nil
}

// loadMessage adds a seed's global message; newUUID supplies a missing uuid.
func loadMessage(l *store.Loader, m SeedMessage, newUUID func() string) error {
	row := store.Message{UUID: m.UUID, Content: m.Content, Severity: m.Severity, MediaType: m.MediaType}
	if row.UUID == "" {
		row.UUID = newUUID()
	}
	if _, err := l.AddMessage(row); err != nil {
		return fmt.Errorf(": %w", err)
	}
	return nil
}

// putRepoMirror adds or replaces the mirror of a seeded namespace's
// repository.
func putRepoMirror(l *store.Loader, m SeedRepoMirror) error {
	ns, ok := l.Read().Namespace(m.Namespace)
	if !ok {
		return fmt.Errorf(".namespace: %q is not a seeded user or organization", m.Namespace)
	}
	status, ok := store.ParseMirrorStatus(orDefault(m.Status, store.MirrorNeverRun.String()))
	if !ok {
		return fmt.Errorf(".status: %q is not a Quay mirror status", m.Status)
	}
	state, ok := store.ParseRepositoryState(orDefault(m.RepositoryState, store.RepositoryMirror.String()))
	if !ok {
		return fmt.Errorf(".repository_state: %q is not a Quay repository state", m.RepositoryState)
	}
	var robotID int64
	if m.InternalRobot != "" {
		rb, owner, ok := l.Read().Robot(m.InternalRobot)
		if !ok || owner.ID != ns.ID {
			return fmt.Errorf(".internal_robot: %q is not a seeded robot of %s", m.InternalRobot, m.Namespace)
		}
		robotID = rb.ID
	}
	cfg := []byte("{}")
	if len(m.ExternalRegistryConfig) > 0 {
		v, err := py.Decode(m.ExternalRegistryConfig)
		if _, isObject := v.(*py.Object); err != nil || !isObject {
			return fmt.Errorf(".external_registry_config: not a JSON object")
		}
		cfg = pyDumps(v)
	}
	retries := deref(m.SyncRetriesRemaining, 3)
	if retries < 0 || m.SyncInterval < 0 || m.SkopeoTimeoutInterval < 0 {
		return fmt.Errorf(": sync_retries_remaining, sync_interval and skopeo_timeout_interval cannot be negative")
	}
	_, err := l.PutRepoMirror(store.RepoMirror{NamespaceID: ns.ID, Repository: m.Repository, State: state,
		Enabled: deref(m.Enabled, true), Status: status, PendingTags: m.PendingTags, InternalRobotID: robotID,
		ExternalReference: m.ExternalReference, Username: m.ExternalRegistryUsername, Password: m.ExternalRegistryPassword,
		RegistryConfig: cfg, SyncInterval: m.SyncInterval, SyncStartDate: utcPtr(m.SyncStartDate),
		SyncExpirationDate: utcPtr(m.SyncExpirationDate), SyncRetriesRemaining: retries,
		SkopeoTimeout: m.SkopeoTimeoutInterval, TagPatterns: m.TagPatterns, ArchitectureFilter: m.ArchitectureFilter})
	if err != nil {
		return fmt.Errorf(": %w", err)
	}
	return nil
}
