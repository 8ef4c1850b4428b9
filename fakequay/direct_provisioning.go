package fakequay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The direct API of the provisioning tables: seeding with the seed file's
// rules (the Seed* types are shared with it) and reading, in fakequay's own
// types. Seeding writes no audit log.

// Robot is a robot account as the direct API reports it.
type Robot struct {
	Name        string // "namespace+shortname"
	Description string
	// Token is the robot's password for the registry (Quay's robot token).
	Token                string
	UnstructuredMetadata json.RawMessage
	Created              time.Time
	LastAccessed         time.Time // zero: never used
	// Federation is the robot's federation configuration (nil: none).
	Federation []SeedRobotFederation
}

// Team is a team as the direct API reports it: Members are users and
// robots in the order they joined, Invites the pending invites in the order
// they were sent.
type Team struct {
	Organization string
	Name         string
	Role         string // member, creator or admin
	Description  string
	Members      []string
	Invites      []TeamInvite
}

// TeamInvite is a pending invite to a team, for a user or an e-mail
// address; Code is what accepting it takes.
type TeamInvite struct {
	User    string
	Email   string
	Inviter string
	Code    string
}

// Repository is a repository as the direct API reports it.
type Repository struct {
	Namespace    string
	Name         string
	Visibility   string // public or private
	Description  *string
	State        string // Quay's repository state, e.g. NORMAL
	Kind         string // image or application
	TrustEnabled bool
	// Permissions are the repository's permissions in the order they were
	// granted.
	Permissions []Permission
}

// Permission is a role on a repository: Kind is "user", "robot" or
// "team"; Role "read", "write" or "admin".
type Permission struct {
	Kind string
	Name string
	Role string
}

// Prototype is a default permission as the direct API reports it:
// ActivatingUser is "" when it applies to anyone; DelegateKind is "user"
// (a user or robot) or "team".
type Prototype struct {
	Organization   string
	UUID           string
	ActivatingUser string
	DelegateKind   string
	DelegateName   string
	Role           string
}

// AddRobot adds a robot as a seed file's robots entry would.
func (s *Server) AddRobot(rb SeedRobot) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("AddRobot", s.loadRobot(l, rb, s.clock.Now()))
	})
}

// AddTeam adds a team to an existing organization as a seed file's
// organizations[].teams entry would.
func (s *Server) AddTeam(org string, t SeedTeam) error {
	return s.store.Load(func(l *store.Loader) error {
		o, ok := l.Read().Organization(org)
		if !ok {
			return wrapDirect("AddTeam", fmt.Errorf(": %q is not an organization", org))
		}
		return wrapDirect("AddTeam", s.loadTeam(l, o, t))
	})
}

// AddRepository adds a repository (with its permissions) as a seed file's
// repositories entry would. Unlike creating one through the API, it applies
// no default permission.
func (s *Server) AddRepository(r SeedRepository) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("AddRepository", loadRepository(l, r))
	})
}

// AddPrototype adds a default permission as a seed file's prototypes entry
// would; a missing UUID is generated.
func (s *Server) AddPrototype(p SeedPrototype) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("AddPrototype", loadPrototype(l, p, s.rand.uuid))
	})
}

// Robot returns the robot named "namespace+shortname".
func (s *Server) Robot(name string) (Robot, bool) {
	rb, owner, ok := s.store.Read().Robot(name)
	if !ok {
		return Robot{}, false
	}
	return toRobot(owner, rb), true
}

// Robots returns the robots of the user or organization named namespace,
// in name order.
func (s *Server) Robots(namespace string) []Robot {
	rd := s.store.Read()
	ns, ok := rd.Namespace(namespace)
	if !ok {
		return nil
	}
	var out []Robot
	rd.Robots(ns.ID, func(rb *store.Robot) bool {
		out = append(out, toRobot(ns, rb))
		return true
	})
	return out
}

func toRobot(owner *store.Namespace, rb *store.Robot) Robot {
	out := Robot{Name: store.RobotName(owner.Name, rb.ShortName), Description: rb.Description, Token: rb.Token,
		UnstructuredMetadata: compactJSON(rb.Metadata), Created: rb.Created, LastAccessed: rb.LastAccessed}
	for _, f := range rb.Federation {
		out.Federation = append(out.Federation, SeedRobotFederation{Issuer: f.Issuer, Subject: f.Subject})
	}
	return out
}

// Teams returns the teams of the organization named org, in creation
// order.
func (s *Server) Teams(org string) []Team {
	rd := s.store.Read()
	o, ok := rd.Organization(org)
	if !ok {
		return nil
	}
	var out []Team
	for _, t := range rd.Teams(o.ID) {
		team := Team{Organization: o.Name, Name: t.Name, Role: t.Role.String(), Description: t.Description}
		for _, m := range rd.TeamMembers(t.ID) {
			a, _ := rd.Account(m.Member)
			team.Members = append(team.Members, a.Name)
		}
		for _, inv := range rd.TeamInvites(t.ID) {
			ti := TeamInvite{Email: inv.Email, Code: inv.Token}
			if u, ok := rd.Account(store.UserEntity(inv.UserID)); ok && inv.UserID != 0 {
				ti.User = u.Name
			}
			if u, ok := rd.Account(store.UserEntity(inv.InviterID)); ok {
				ti.Inviter = u.Name
			}
			team.Invites = append(team.Invites, ti)
		}
		out = append(out, team)
	}
	return out
}

// Repository returns the repository namespace/name.
func (s *Server) Repository(namespace, name string) (Repository, bool) {
	rd := s.store.Read()
	ns, ok := rd.Namespace(namespace)
	if !ok {
		return Repository{}, false
	}
	r, ok := rd.Repository(ns.ID, name)
	if !ok {
		return Repository{}, false
	}
	return toRepository(rd, ns, r), true
}

// Repositories returns the repositories of the user or organization named
// namespace, in creation order.
func (s *Server) Repositories(namespace string) []Repository {
	rd := s.store.Read()
	ns, ok := rd.Namespace(namespace)
	if !ok {
		return nil
	}
	var out []Repository
	rd.Repositories(ns.ID, 0, func(r *store.Repository) bool {
		out = append(out, toRepository(rd, ns, r))
		return true
	})
	return out
}

func toRepository(rd store.Reader, ns *store.Namespace, r *store.Repository) Repository {
	out := Repository{Namespace: ns.Name, Name: r.Name, Visibility: "private", State: r.State.String(),
		Kind: r.Kind.String(), TrustEnabled: r.TrustEnabled}
	if r.Public {
		out.Visibility = "public"
	}
	if r.Description != nil {
		d := *r.Description
		out.Description = &d
	}
	for _, p := range rd.RepositoryPermissions(r) {
		out.Permissions = append(out.Permissions, Permission{Kind: p.Entity.Kind.String(),
			Name: entityName(rd, p.Entity), Role: p.Role.String()})
	}
	return out
}

// entityName is the name of a user, robot or team.
func entityName(rd store.Reader, e store.Entity) string {
	if e.Kind == store.EntityTeam {
		if t, ok := rd.TeamByID(e.ID); ok {
			return t.Name
		}
		return ""
	}
	a, _ := rd.Account(e)
	return a.Name
}

// Prototypes returns the default permissions of the organization named
// org, in creation order.
func (s *Server) Prototypes(org string) []Prototype {
	rd := s.store.Read()
	o, ok := rd.Organization(org)
	if !ok {
		return nil
	}
	var out []Prototype
	for _, p := range rd.Prototypes(o.ID) {
		pv := Prototype{Organization: o.Name, UUID: p.UUID, DelegateKind: "user",
			DelegateName: entityName(rd, p.Delegate), Role: p.Role.String()}
		if p.Delegate.Kind == store.EntityTeam {
			pv.DelegateKind = "team"
		}
		if p.ActivatingUserID != 0 {
			for _, e := range []store.Entity{store.UserEntity(p.ActivatingUserID), store.RobotEntity(p.ActivatingUserID)} {
				if a, ok := rd.Account(e); ok {
					pv.ActivatingUser = a.Name
				}
			}
		}
		out = append(out, pv)
	}
	return out
}

// compactJSON is raw without insignificant space, as the seed file's loader
// stores it; raw that Go cannot parse (Python's NaN) is returned as it is.
func compactJSON(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return slices.Clone(raw)
	}
	return buf.Bytes()
}
