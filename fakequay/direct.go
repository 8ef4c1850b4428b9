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
	Kind     string // "confirm_email" or "recovery"
	To       string
	Username string
	Code     string
	Time     time.Time
}

// AddUser adds a user (and its tokens) as a seed file's users entry would.
func (s *Server) AddUser(u SeedUser) error {
	return s.store.Load(func(l *store.Loader) error {
		if err := s.loadUser(l, u, s.clock.Now(), false); err != nil {
			return wrapDirect("AddUser", err)
		}
		return nil
	})
}

// AddOrganization adds an organization as a seed file's entry would.
func (s *Server) AddOrganization(o SeedOrganization) error {
	return s.store.Load(func(l *store.Loader) error {
		_, err := l.AddNamespace(store.Namespace{Name: o.Name, Kind: store.KindOrg, Email: o.Email,
			Enabled: true, CreatedAt: s.clock.Now()})
		if err != nil {
			return wrapDirect("AddOrganization", fmt.Errorf(": %w", err))
		}
		return nil
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
		out[i] = Mail{Kind: m.Kind, To: m.To, Username: m.Username, Code: m.Code, Time: m.Time}
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
