package fakequay

import (
	"fmt"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The direct API seeds and inspects a server's state from Go, without HTTP,
// in the spirit of miniredis. Seeding follows the seed file's rules (the
// Seed* types are shared with it) and writes no audit log; reads return
// copies that the caller may keep.

// User is a user as the direct API reports it.
type User struct {
	ID       int64
	Username string
	Email    string
	Verified bool
	Enabled  bool
	// PendingDeletion is true from deletion until the namespace purge; the
	// user then carries a random name and e-mail, as in Quay.
	PendingDeletion bool
	OriginalName    string // the name before deletion
}

// Organization is an organization as the direct API reports it.
type Organization struct {
	ID              int64
	Name            string
	Email           string
	PendingDeletion bool
	OriginalName    string
}

// Mail is an e-mail Quay would have sent (FEATURE_MAILING).
type Mail struct {
	Kind     string // "confirm_email", "recovery" or "org_invite"
	To       string
	Username string // the addressee (for an invite to an address, the address)
	Code     string // the confirmation, recovery or invite code
	Time     time.Time
	// An invite's organization, team and inviting user.
	Organization, Team, Inviter string
}

// AddUser adds a user (and its tokens) as a seed file's users entry would.
func (s *Server) AddUser(u SeedUser) error {
	return s.store.Load(func(l *store.Loader) error {
		if err := s.loadUser(l, u, false); err != nil {
			return wrapDirect("AddUser", err)
		}
		return nil
	})
}

// AddOrganization adds an organization and its teams as a seed file's
// entry would (without teams it gets an empty owners team).
func (s *Server) AddOrganization(o SeedOrganization) error {
	return s.store.Load(func(l *store.Loader) error {
		org, err := loadOrganization(l, o)
		if err != nil {
			return wrapDirect("AddOrganization", err)
		}
		return wrapDirect("AddOrganization", s.loadTeams(l, org, o.Teams))
	})
}

// User returns the user currently named name.
func (s *Server) User(name string) (User, bool) {
	n, ok := s.store.Read().User(name)
	if !ok {
		return User{}, false
	}
	return toUser(n), true
}

// Users returns every user, pending deletion included, in id order.
func (s *Server) Users() []User {
	var out []User
	s.store.Read().AllNamespaces(func(n *store.Namespace) bool {
		if n.IsUser() {
			out = append(out, toUser(n))
		}
		return true
	})
	return out
}

// Organization returns the organization currently named name.
func (s *Server) Organization(name string) (Organization, bool) {
	n, ok := s.store.Read().Organization(name)
	if !ok {
		return Organization{}, false
	}
	return toOrganization(n), true
}

// Organizations returns every organization, pending deletion included, in
// id order.
func (s *Server) Organizations() []Organization {
	var out []Organization
	s.store.Read().AllNamespaces(func(n *store.Namespace) bool {
		if n.IsOrg() {
			out = append(out, toOrganization(n))
		}
		return true
	})
	return out
}

// Mails returns the outbox, oldest first.
func (s *Server) Mails() []Mail {
	rows := s.store.Read().Mails()
	out := make([]Mail, len(rows))
	for i, m := range rows {
		out[i] = Mail{Kind: m.Kind, To: m.To, Username: m.Username, Code: m.Code, Time: m.Time,
			Organization: m.Organization, Team: m.Team, Inviter: m.Inviter}
	}
	return out
}

func toUser(n *store.Namespace) User {
	return User{ID: n.ID, Username: n.Name, Email: n.Email, Verified: n.Verified, Enabled: n.Enabled,
		PendingDeletion: n.Deleted, OriginalName: n.OriginalName}
}

func toOrganization(n *store.Namespace) Organization {
	return Organization{ID: n.ID, Name: n.Name, Email: n.Email, PendingDeletion: n.Deleted, OriginalName: n.OriginalName}
}

// wrapDirect prefixes a seeding error with the direct API's method name.
func wrapDirect(method string, err error) error {
	if err == nil {
		return nil
	}
	return &directError{method: method, err: err}
}

type directError struct {
	method string
	err    error
}

func (e *directError) Error() string { return "fakequay: " + e.method + e.err.Error() }
func (e *directError) Unwrap() error { return e.err }

// AppToken is an app-specific token as the direct API reports it.
type AppToken struct {
	UUID  string
	Title string
	// User is the owner's current username (a random UUID while the owner
	// is pending deletion).
	User         string
	Created      time.Time
	Expiration   time.Time // zero: never expires
	LastAccessed time.Time // zero: never used
}

// AddAppToken adds an app-specific token as a seed file's app_tokens entry
// would; a missing UUID is generated.
func (s *Server) AddAppToken(t SeedAppToken) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("AddAppToken", loadAppToken(l, t, s.rand.uuid))
	})
}

// AppTokens returns every app-specific token, in id order.
func (s *Server) AppTokens() []AppToken {
	rd := s.store.Read()
	var out []AppToken
	rd.AppTokens(func(t *store.AppToken) bool {
		owner, _ := rd.NamespaceByID(t.UserID)
		out = append(out, AppToken{UUID: t.UUID, Title: t.Title, User: owner.Name, Created: t.Created,
			Expiration: t.Expiration, LastAccessed: t.LastAccessed})
		return true
	})
	return out
}

// Message is a global message as the direct API reports it.
type Message struct {
	UUID      string
	Content   string
	Severity  string
	MediaType string
}

// AddMessage adds a global message as a seed file's messages entry would;
// a missing UUID is generated.
func (s *Server) AddMessage(m SeedMessage) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("AddMessage", loadMessage(l, m, s.rand.uuid))
	})
}

// Messages returns the global messages, in the order getGlobalMessages
// lists them.
func (s *Server) Messages() []Message {
	rows := s.store.Read().Messages()
	out := make([]Message, len(rows))
	for i, m := range rows {
		out[i] = Message{UUID: m.UUID, Content: m.Content, Severity: m.Severity, MediaType: m.MediaType}
	}
	return out
}

// RepoMirror is a repository's mirror as the direct API reports it; Status
// and RepositoryState are Quay's names (see SeedRepoMirror).
type RepoMirror struct {
	Namespace       string
	Repository      string
	Status          string
	Enabled         bool
	RepositoryState string
	PendingTags     int64
	// ExternalReference and TagPatterns are the configuration an API
	// client or a seed gave it ("" and nil for a mirror only the health
	// summary knows).
	ExternalReference string
	TagPatterns       []string
}

// SetRepoMirror adds the mirror of a repository, or replaces the one it
// has, with a seed file's repo_mirror.repositories rules: a mirror's status
// changes only through here, since fakequay runs no mirror worker.
func (s *Server) SetRepoMirror(m SeedRepoMirror) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("SetRepoMirror", putRepoMirror(l, m))
	})
}

// RepoMirrors returns every repository mirror, in the order they were added.
func (s *Server) RepoMirrors() []RepoMirror {
	rd := s.store.Read()
	var out []RepoMirror
	rd.RepoMirrors(func(m *store.RepoMirror) bool {
		ns, _ := rd.NamespaceByID(m.NamespaceID)
		out = append(out, RepoMirror{Namespace: ns.Name, Repository: m.Repository, Status: m.Status.String(),
			Enabled: m.Enabled, RepositoryState: m.State.String(), PendingTags: m.PendingTags,
			ExternalReference: m.ExternalReference, TagPatterns: m.TagPatterns})
		return true
	})
	return out
}

// SetMirrorWorkersActive sets how many repository-mirror workers report in
// (what Quay reads from its quay_repository_mirror_workers_active gauges).
func (s *Server) SetMirrorWorkersActive(n int64) error {
	return s.store.Load(func(l *store.Loader) error {
		if err := l.SetMirrorWorkersActive(n); err != nil {
			return wrapDirect("SetMirrorWorkersActive", fmt.Errorf(": %w", err))
		}
		return nil
	})
}
