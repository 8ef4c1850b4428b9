package fakequay

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
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
	Logs          []SeedLog          `json:"logs,omitempty"`
}

// SeedUser is a user and the OAuth tokens that act for it.
type SeedUser struct {
	Username string      `json:"username" seed:"required"`
	Email    string      `json:"email" seed:"required"`
	Verified *bool       `json:"verified,omitempty"` // default true
	Enabled  *bool       `json:"enabled,omitempty"`  // default true
	Tokens   []SeedToken `json:"tokens,omitempty"`
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

// SeedOrganization is an organization.
type SeedOrganization struct {
	Name  string `json:"name" seed:"required"`
	Email string `json:"email" seed:"required"`
}

// SeedQuota is a namespace quota and the namespace's consumed size.
type SeedQuota struct {
	Namespace  string           `json:"namespace" seed:"required"`
	LimitBytes int64            `json:"limit_bytes" seed:"required"`
	Limits     []SeedQuotaLimit `json:"limits,omitempty"`
	UsedBytes  *int64           `json:"used_bytes,omitempty"`
}

// SeedQuotaLimit is a quota threshold: Type "Warning" or "Reject".
type SeedQuotaLimit struct {
	Type         string `json:"type" seed:"required"`
	LimitPercent int64  `json:"limit_percent" seed:"required"`
}

// SeedLog is an audit-log entry. Namespace and Performer name seeded
// namespaces (or are empty).
type SeedLog struct {
	Kind      string          `json:"kind" seed:"required"`
	Namespace string          `json:"namespace,omitempty"`
	Performer string          `json:"performer,omitempty"`
	IP        string          `json:"ip,omitempty"`
	Datetime  time.Time       `json:"datetime" seed:"required"`
	Metadata  json.RawMessage `json:"metadata,omitempty"`
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
			if err := s.loadUser(l, u, now, s.firstSuperuser(seed) == u.Username); err != nil {
				return fmt.Errorf("users[%d]%w", i, err)
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
		for i, lg := range seed.Logs {
			e := store.LogEntry{Kind: lg.Kind, IP: lg.IP, Time: lg.Datetime, Metadata: lg.Metadata}
			for field, name := range map[string]string{"namespace": lg.Namespace, "performer": lg.Performer} {
				if name == "" {
					continue
				}
				ns, ok := l.Read().Namespace(name)
				if !ok {
					return fmt.Errorf("logs[%d].%s: %q is not a seeded user or organization", i, field, name)
				}
				if field == "namespace" {
					e.AccountID = ns.ID
				} else {
					e.PerformerID = ns.ID
				}
			}
			l.AddLog(e)
		}
		return nil
	})
}

// loadUser adds a user and its tokens. When primary is set, its first
// all-scope token becomes SuperuserToken(). Errors start with the JSON path
// below the user (".tokens[0]: ...", or ": ..." for the user itself).
func (s *Server) loadUser(l *store.Loader, u SeedUser, now time.Time, primary bool) error {
	ns, err := l.AddNamespace(store.Namespace{
		Name: u.Username, Kind: store.KindUser, Email: u.Email,
		Verified: deref(u.Verified, true), Enabled: deref(u.Enabled, true),
		HasPassword: true, CreatedAt: now,
	})
	if err != nil {
		return fmt.Errorf(": %w", err)
	}
	for j, t := range u.Tokens {
		scopes := t.Scopes
		if scopes == nil {
			scopes = quayScopes
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
