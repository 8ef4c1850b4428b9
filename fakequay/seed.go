package fakequay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

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
	Builds        []SeedBuild        `json:"builds,omitempty"`
	Logs          []SeedLog          `json:"logs,omitempty"`
}

// SeedUser is a user and the OAuth tokens that act for it.
type SeedUser struct {
	Username string      `json:"username"`
	Email    string      `json:"email"`
	Verified *bool       `json:"verified,omitempty"` // default true
	Enabled  *bool       `json:"enabled,omitempty"`  // default true
	Tokens   []SeedToken `json:"tokens,omitempty"`
}

// SeedToken is an OAuth access token. Without Scopes it has every Quay
// scope, super:user included.
type SeedToken struct {
	Token       string   `json:"token"`
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

// SeedOrganization is an organization.
type SeedOrganization struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// SeedQuota is a namespace quota and the namespace's consumed size.
type SeedQuota struct {
	Namespace  string           `json:"namespace"`
	LimitBytes int64            `json:"limit_bytes"`
	Limits     []SeedQuotaLimit `json:"limits,omitempty"`
	UsedBytes  *int64           `json:"used_bytes,omitempty"`
}

// SeedQuotaLimit is a quota threshold: Type "Warning" or "Reject".
type SeedQuotaLimit struct {
	Type         string `json:"type"`
	LimitPercent int64  `json:"limit_percent"`
}

// SeedLog is an audit-log entry. Kind and Datetime are required; Metadata,
// when given, is a JSON object whose key order is kept. Namespace names the
// seeded user or organization the log belongs to, Performer the seeded user
// who acted; either may be empty. Server.Logs reports logs in this shape,
// with the names as they are now.
type SeedLog struct {
	Kind      string          `json:"kind"`
	Namespace string          `json:"namespace,omitempty"`
	Performer string          `json:"performer,omitempty"`
	IP        string          `json:"ip,omitempty"`
	Datetime  time.Time       `json:"datetime"`
	Metadata  json.RawMessage `json:"metadata,omitempty"`
}

// SeedBuild is a repository build, in namespace Namespace (a seeded user or
// organization) and repository Repository. UUID, Namespace, Repository and
// Phase (one of Quay's ten build phases) are required; Started defaults to
// the clock's time, Tags to [], ManualUser to null. Logs are the entries of
// the build's log, or, when Archived, the content of its archived log file
// (a build archived with no entries has none).
//
// Error stands for Quay failing to read the live status of a build in a
// non-terminal phase from Redis: the build then shows phase "cannot_load"
// with this error (global read-only superusers see Quay's generic text) and
// no log entries. Quay's build rows have no error column, so a terminal
// build with an Error is rejected.
//
// The fields after Archived are not part of the seed file format; Go code
// can set them through AddBuild.
type SeedBuild struct {
	UUID         string         `json:"uuid"`
	Namespace    string         `json:"namespace"`
	Repository   string         `json:"repository"`
	Phase        string         `json:"phase"`
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
	ResourceKey *string `json:"-"`
	// ArchiveURL is the job's archive_url (shown when there is no ResourceKey).
	ArchiveURL string `json:"-"`
	// TriggerMetadata is the job's trigger_metadata, a JSON object.
	TriggerMetadata json.RawMessage `json:"-"`
	// RetriesRemaining keeps an "internalerror" build from showing as
	// "expired": its queue item still has retries.
	RetriesRemaining bool `json:"-"`
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

// ParseSeed decodes a seed file, rejecting unknown keys.
func ParseSeed(data []byte) (Seed, error) {
	var raw struct {
		Seed
		Config json.RawMessage `json:"config,omitempty"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return Seed{}, err
	}
	seed := raw.Seed
	if raw.Config != nil {
		cfg := DefaultConfig()
		dec := json.NewDecoder(bytes.NewReader(raw.Config))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return Seed{}, fmt.Errorf("config: %w", err)
		}
		seed.Config = &cfg
	}
	return seed, nil
}

// load fills the empty store from seed in one transaction. Without users it
// creates the built-in superuser "admin" with an all-scope token.
func (s *Server) load(seed Seed, adminToken string) error {
	if len(seed.Users) == 0 {
		if adminToken == "" {
			adminToken = s.rand.chars(40, alphanumeric)
		}
		seed.Users = []SeedUser{{Username: "admin", Email: "admin@example.com", Tokens: []SeedToken{{Token: adminToken}}}}
		if !slices.Contains(s.cfg.SuperUsers, "admin") {
			s.cfg.SuperUsers = append(slices.Clone(s.cfg.SuperUsers), "admin")
		}
	}
	now := s.clock.Now()
	return s.store.Load(func(l *store.Loader) error {
		for i, u := range seed.Users {
			ns, err := l.AddNamespace(store.Namespace{
				Name: u.Username, Kind: store.KindUser, Email: u.Email,
				Verified: deref(u.Verified, true), Enabled: deref(u.Enabled, true),
				HasPassword: true, CreatedAt: now,
			})
			if err != nil {
				return fmt.Errorf("users[%d]: %w", i, err)
			}
			for j, t := range u.Tokens {
				scopes := t.Scopes
				if scopes == nil {
					scopes = quayScopes
				}
				for _, sc := range scopes {
					if !slices.Contains(quayScopes, sc) {
						return fmt.Errorf("users[%d].tokens[%d].scopes: unknown scope %q", i, j, sc)
					}
				}
				tok := store.Token{Secret: t.Token, UserID: ns.ID, Scopes: scopes,
					Application: orDefault(t.Application, DefaultApplication), ClientID: orDefault(t.ClientID, DefaultClientID)}
				if _, err := l.AddToken(tok); err != nil {
					return fmt.Errorf("users[%d].tokens[%d]: %w", i, j, err)
				}
				if s.superuserToken == "" && t.Scopes == nil && s.firstSuperuser(seed) == u.Username {
					s.superuserToken = t.Token
				}
			}
		}
		for i, o := range seed.Organizations {
			if _, err := l.AddNamespace(store.Namespace{Name: o.Name, Kind: store.KindOrg, Email: o.Email, Enabled: true, CreatedAt: now}); err != nil {
				return fmt.Errorf("organizations[%d]: %w", i, err)
			}
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
				return fmt.Errorf("quotas[%d]: %w", i, err)
			}
			if q.UsedBytes != nil {
				if err := l.SetNamespaceSize(ns.ID, store.NamespaceSize{Bytes: *q.UsedBytes, BackfillStarted: true, BackfillComplete: true}); err != nil {
					return fmt.Errorf("quotas[%d]: %w", i, err)
				}
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
		return nil
	})
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
