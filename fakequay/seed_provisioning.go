package fakequay

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The seed sections of the provisioning API (issue 11): organizations'
// teams, robots, repositories with their permissions, and default
// permissions.

// SeedTeam is a team of a seeded organization: Role is "member",
// "creator" or "admin"; Members name users and robots ("org+shortname")
// in the order they joined. An organization seeded without teams gets
// Quay's "owners" admin team, empty.
type SeedTeam struct {
	Name        string           `json:"name" seed:"required"`
	Role        string           `json:"role" seed:"required"`
	Description string           `json:"description,omitempty"`
	Members     []string         `json:"members,omitempty"`
	Invites     []SeedTeamInvite `json:"invites,omitempty"`
}

// SeedTeamInvite is a pending invite to a team, for a user or an e-mail
// address (one of the two), sent by a seeded user. Code is what accepting
// it takes (default: a generated "urn:teaminvite:<uuid>").
type SeedTeamInvite struct {
	User    string `json:"user,omitempty"`
	Email   string `json:"email,omitempty"`
	Inviter string `json:"inviter" seed:"required"`
	Code    string `json:"code,omitempty"`
}

// SeedRobot is a robot account, named "namespace+shortname" under a seeded
// user or organization. Token is the robot's password (default: 64
// generated characters, as Quay makes them); it authenticates the robot
// where Quay accepts robots (the registry's Basic auth), never as an API
// bearer token. UnstructuredMetadata is a JSON object (default {});
// Created defaults to the clock's time; LastAccessed absent is a robot
// never used (robot lists show used robots first, most recent first).
// Federation is the robot's federation configuration.
type SeedRobot struct {
	Name                 string                `json:"name" seed:"required"`
	Description          string                `json:"description,omitempty"`
	Token                string                `json:"token,omitempty"`
	UnstructuredMetadata json.RawMessage       `json:"unstructured_metadata,omitempty"`
	Created              time.Time             `json:"created,omitzero"`
	LastAccessed         *time.Time            `json:"last_accessed,omitempty"`
	Federation           []SeedRobotFederation `json:"federation,omitempty"`
}

// SeedRobotFederation is one entry of a robot's federation configuration:
// an OIDC issuer (an http:// or https:// URL, as Quay requires) and the
// subject its tokens must carry.
type SeedRobotFederation struct {
	Issuer  string `json:"issuer" seed:"required"`
	Subject string `json:"subject" seed:"required"`
}

// SeedRepository is a repository of a seeded user or organization.
// Visibility is "public" or "private" (default); State one of Quay's
// repository states (NORMAL by default, READ_ONLY, MIRROR, ...); Kind
// "image" (default) or "application". Description absent is Quay's NULL.
type SeedRepository struct {
	Namespace    string               `json:"namespace" seed:"required"`
	Name         string               `json:"name" seed:"required"`
	Visibility   string               `json:"visibility,omitempty"`
	Description  *string              `json:"description,omitempty"`
	State        string               `json:"state,omitempty"`
	Kind         string               `json:"kind,omitempty"`
	TrustEnabled bool                 `json:"trust_enabled,omitempty"`
	Permissions  *SeedRepoPermissions `json:"permissions,omitempty"`
}

// SeedRepoPermissions grant roles ("read", "write", "admin") on a
// repository, by name: to users, to teams of the repository's
// organization, to robots of its namespace. They are created users first,
// then teams, then robots, each in name order, which is the order Quay's
// permission listings show them in.
type SeedRepoPermissions struct {
	Users  map[string]string `json:"users,omitempty"`
	Teams  map[string]string `json:"teams,omitempty"`
	Robots map[string]string `json:"robots,omitempty"`
}

// SeedPrototype is a default permission of a seeded organization: when
// ActivatingUser (or, when empty, anyone) creates a repository there, the
// delegate gets Role on it.
type SeedPrototype struct {
	Organization   string       `json:"organization" seed:"required"`
	ActivatingUser string       `json:"activating_user,omitempty"`
	Delegate       SeedDelegate `json:"delegate" seed:"required"`
	Role           string       `json:"role" seed:"required"`
	UUID           string       `json:"uuid,omitempty"` // default: generated
}

// SeedDelegate names who a default permission grants to, as Quay's
// prototype API does: Kind "user" (a user or robot) or "team".
type SeedDelegate struct {
	Kind string `json:"kind" seed:"required"`
	Name string `json:"name" seed:"required"`
}

// loadTeams adds an organization's teams (or, without any, its empty owners
// team), their members and invites. Errors start with the JSON path below
// the organization.
func (s *Server) loadTeams(l *store.Loader, org *store.Namespace, teams []SeedTeam) error {
	if teams == nil {
		if _, err := l.AddTeam(org.ID, "owners", store.TeamAdmin, ""); err != nil {
			return fmt.Errorf(": %w", err)
		}
		return nil
	}
	for i, t := range teams {
		if err := s.loadTeam(l, org, t); err != nil {
			return fmt.Errorf(".teams[%d]%w", i, err)
		}
	}
	return nil
}

func (s *Server) loadTeam(l *store.Loader, org *store.Namespace, t SeedTeam) error {
	role, ok := store.ParseTeamRole(t.Role)
	if !ok {
		return fmt.Errorf(".role: %q is not member, creator or admin", t.Role)
	}
	team, err := l.AddTeam(org.ID, t.Name, role, t.Description)
	if err != nil {
		return fmt.Errorf(".name: %w", err)
	}
	for j, m := range t.Members {
		acct, ok := l.Read().UserOrRobot(m)
		if !ok {
			return fmt.Errorf(".members[%d]: %q is not a seeded user or robot", j, m)
		}
		if err := l.AddTeamMember(team.ID, acct.Entity()); err != nil {
			return fmt.Errorf(".members[%d]: %w", j, err)
		}
	}
	for j, inv := range t.Invites {
		if err := s.loadInvite(l, team, inv); err != nil {
			return fmt.Errorf(".invites[%d]%w", j, err)
		}
	}
	return nil
}

func (s *Server) loadInvite(l *store.Loader, team *store.Team, inv SeedTeamInvite) error {
	row := store.TeamInvite{TeamID: team.ID, Email: inv.Email, Token: inv.Code}
	inviter, ok := l.Read().User(inv.Inviter)
	if !ok {
		return fmt.Errorf(".inviter: %q is not a seeded user", inv.Inviter)
	}
	row.InviterID = inviter.ID
	switch {
	case (inv.User == "") == (inv.Email == ""):
		return fmt.Errorf(": give one of user and email")
	case inv.User != "":
		u, ok := l.Read().User(inv.User)
		if !ok {
			return fmt.Errorf(".user: %q is not a seeded user", inv.User)
		}
		row.UserID = u.ID
	}
	if row.Token == "" {
		row.Token = inviteToken(s.rand)
	}
	if _, err := l.AddTeamInvite(row); err != nil {
		return fmt.Errorf(": %w", err)
	}
	return nil
}

// inviteToken is TeamMemberInvite.invite_token's default,
// urn_generator(["teaminvite"]).
func inviteToken(rd *random) string { return "urn:teaminvite:" + rd.uuid() }

// robotToken is create_robot's default token, random_string_generator(64).
func robotToken(rd *random) string { return rd.chars(64, upperDigits) }

// loadRobot adds a seed's robot. Errors start with the JSON path below it.
func (s *Server) loadRobot(l *store.Loader, rb SeedRobot, now time.Time) error {
	ns, short, ok := store.ParseRobotName(rb.Name)
	if !ok {
		return fmt.Errorf(".name: %q is not \"namespace+shortname\"", rb.Name)
	}
	owner, ok := l.Read().Namespace(ns)
	if !ok {
		return fmt.Errorf(".name: %q is not a seeded user or organization", ns)
	}
	metadata, err := jsonObject(rb.UnstructuredMetadata)
	if err != nil {
		return fmt.Errorf(".unstructured_metadata: %w", err)
	}
	row := store.Robot{ShortName: short, Description: rb.Description, Token: rb.Token, Metadata: metadata,
		Email: s.rand.uuid(), Created: rb.Created, LastAccessed: deref(rb.LastAccessed, time.Time{})}
	if row.Token == "" {
		row.Token = robotToken(s.rand)
	}
	for i, f := range rb.Federation {
		if msg := federationIssue(f.Issuer, f.Subject); msg != "" {
			return fmt.Errorf(".federation[%d]: %s", i, msg)
		}
		row.Federation = append(row.Federation, store.RobotFederation{Issuer: f.Issuer, Subject: f.Subject})
	}
	if row.Created.IsZero() {
		row.Created = now
	}
	if _, err := l.AddRobot(owner.ID, row); err != nil {
		return fmt.Errorf(".name: %w", err)
	}
	return nil
}

// loadRepository adds a seed's repository and its permissions. Errors
// start with the JSON path below it.
func loadRepository(l *store.Loader, r SeedRepository) error {
	rd := l.Read()
	ns, ok := rd.Namespace(r.Namespace)
	if !ok {
		return fmt.Errorf(".namespace: %q is not a seeded user or organization", r.Namespace)
	}
	row := store.Repository{NamespaceID: ns.ID, Name: r.Name, Description: r.Description, TrustEnabled: r.TrustEnabled}
	switch r.Visibility {
	case "", "private":
	case "public":
		row.Public = true
	default:
		return fmt.Errorf(".visibility: %q is not public or private", r.Visibility)
	}
	var ok2 bool
	if row.State, ok2 = store.ParseRepositoryState(orDefault(r.State, "NORMAL")); !ok2 {
		return fmt.Errorf(".state: %q is not a Quay repository state", r.State)
	}
	if row.Kind, ok2 = store.ParseRepositoryKind(orDefault(r.Kind, "image")); !ok2 {
		return fmt.Errorf(".kind: %q is not image or application", r.Kind)
	}
	if !validRepositoryName(r.Name) {
		return fmt.Errorf(".name: %q is not a repository name Quay accepts", r.Name)
	}
	repo, err := l.AddRepository(row)
	if err != nil {
		return fmt.Errorf(".name: %w", err)
	}
	if r.Permissions == nil {
		return nil
	}
	grant := func(section string, grants map[string]string, entity func(name string) (store.Entity, bool)) error {
		for _, name := range slices.Sorted(mapKeys(grants)) {
			path := ".permissions." + section + "." + name
			role, ok := store.ParseRole(grants[name])
			if !ok {
				return fmt.Errorf("%s: %q is not read, write or admin", path, grants[name])
			}
			e, ok := entity(name)
			if !ok {
				return fmt.Errorf("%s: no such %s", path, strings.TrimSuffix(section, "s"))
			}
			if _, err := l.SetPermission(repo, e, role); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		return nil
	}
	p := r.Permissions
	if err := grant("users", p.Users, func(name string) (store.Entity, bool) {
		u, ok := rd.User(name)
		if !ok {
			return store.Entity{}, false
		}
		return store.UserEntity(u.ID), true
	}); err != nil {
		return err
	}
	if err := grant("teams", p.Teams, func(name string) (store.Entity, bool) {
		t, ok := rd.Team(ns.ID, name)
		if !ok {
			return store.Entity{}, false
		}
		return store.TeamEntity(t.ID), true
	}); err != nil {
		return err
	}
	return grant("robots", p.Robots, func(name string) (store.Entity, bool) {
		rb, _, ok := rd.Robot(name)
		if !ok {
			return store.Entity{}, false
		}
		return store.RobotEntity(rb.ID), true
	})
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// repositoryNameRE is Quay's REPOSITORY_NAME_REGEX (without
// FEATURE_EXTENDED_REPOSITORY_NAMES), ^[a-z0-9][\.a-z0-9_-]{0,254}$, under
// Python's re.match, where "$" also matches before a final newline.
var repositoryNameRE = lazyRegexp(`^[a-z0-9][.a-z0-9_-]{0,254}\n?\z`)

// validRepositoryName reports whether Quay accepts name for a repository.
func validRepositoryName(name string) bool { return repositoryNameRE().MatchString(name) }

// loadPrototype adds a seed's default permission; newUUID supplies a missing
// uuid. Errors start with the JSON path below it.
func loadPrototype(l *store.Loader, p SeedPrototype, newUUID func() string) error {
	rd := l.Read()
	org, ok := rd.Organization(p.Organization)
	if !ok {
		return fmt.Errorf(".organization: %q is not a seeded organization", p.Organization)
	}
	role, ok := store.ParseRole(p.Role)
	if !ok {
		return fmt.Errorf(".role: %q is not read, write or admin", p.Role)
	}
	row := store.Prototype{OrgID: org.ID, UUID: p.UUID, Role: role}
	if row.UUID == "" {
		row.UUID = newUUID()
	}
	if p.ActivatingUser != "" {
		acct, ok := rd.UserOrRobot(p.ActivatingUser)
		if !ok {
			return fmt.Errorf(".activating_user: %q is not a seeded user or robot", p.ActivatingUser)
		}
		row.ActivatingUserID = acct.ID
	}
	switch p.Delegate.Kind {
	case "user":
		acct, ok := rd.UserOrRobot(p.Delegate.Name)
		if !ok {
			return fmt.Errorf(".delegate.name: %q is not a seeded user or robot", p.Delegate.Name)
		}
		row.Delegate = acct.Entity()
	case "team":
		t, ok := rd.Team(org.ID, p.Delegate.Name)
		if !ok {
			return fmt.Errorf(".delegate.name: %q is not a team of %s", p.Delegate.Name, org.Name)
		}
		row.Delegate = store.TeamEntity(t.ID)
	default:
		return fmt.Errorf(".delegate.kind: %q is not user or team", p.Delegate.Kind)
	}
	if _, err := l.AddPrototype(row); err != nil {
		return fmt.Errorf(": %w", err)
	}
	return nil
}

// loadProvisioning loads the sections that refer to namespaces and to each
// other, after the users and organizations: robots, then the teams (whose
// members may be robots), then repositories and default permissions.
func (s *Server) loadProvisioning(l *store.Loader, seed Seed, orgs []*store.Namespace, now time.Time) error {
	for i, rb := range seed.Robots {
		if err := s.loadRobot(l, rb, now); err != nil {
			return fmt.Errorf("robots[%d]%w", i, err)
		}
	}
	for i, o := range seed.Organizations {
		if err := s.loadTeams(l, orgs[i], o.Teams); err != nil {
			return fmt.Errorf("organizations[%d]%w", i, err)
		}
	}
	for i, r := range seed.Repositories {
		if err := loadRepository(l, r); err != nil {
			return fmt.Errorf("repositories[%d]%w", i, err)
		}
	}
	for i, p := range seed.Prototypes {
		if err := loadPrototype(l, p, s.rand.uuid); err != nil {
			return fmt.Errorf("prototypes[%d]%w", i, err)
		}
	}
	for i, m := range seed.Manifests {
		if err := s.loadManifest(l, m); err != nil {
			return fmt.Errorf("manifests[%d]%w", i, err)
		}
	}
	for i, img := range seed.Images {
		if _, err := s.loadImage(l, img); err != nil {
			return fmt.Errorf("images[%d]%w", i, err)
		}
	}
	for i, n := range seed.Notifications {
		if err := loadRepoNotification(l, n, s.rand.uuid); err != nil {
			return fmt.Errorf("notifications[%d]%w", i, err)
		}
	}
	for i, sc := range seed.SecurityScans {
		if err := loadSecurityScan(l, sc); err != nil {
			return fmt.Errorf("security_scans[%d]%w", i, err)
		}
	}
	return nil
}

// SeedRepoNotification is a notification of a seeded repository: Event
// and Method are Quay's event and method names (repo_push, webhook, ...);
// Config and EventConfig are JSON objects (default {}).
type SeedRepoNotification struct {
	UUID             string          `json:"uuid,omitempty"` // default: a generated UUID
	Namespace        string          `json:"namespace" seed:"required"`
	Repository       string          `json:"repository" seed:"required"`
	Event            string          `json:"event" seed:"required"`
	Method           string          `json:"method" seed:"required"`
	Title            *string         `json:"title,omitempty"`
	Config           json.RawMessage `json:"config,omitempty"`
	EventConfig      json.RawMessage `json:"event_config,omitempty"`
	NumberOfFailures int64           `json:"number_of_failures,omitempty"`
}

// loadRepoNotification adds a seed's notification; newUUID supplies a
// missing uuid. The configurations are kept as json.dumps writes them.
func loadRepoNotification(l *store.Loader, n SeedRepoNotification, newUUID func() string) error {
	ns, ok := l.Read().Namespace(n.Namespace)
	if !ok {
		return fmt.Errorf(".namespace: %q is not a seeded user or organization", n.Namespace)
	}
	if !slices.Contains(notificationEvents, n.Event) {
		return fmt.Errorf(".event: %q is not a Quay notification event", n.Event)
	}
	if !slices.Contains(notificationMethods, n.Method) {
		return fmt.Errorf(".method: %q is not a Quay notification method", n.Method)
	}
	dumps := func(field string, raw json.RawMessage) (json.RawMessage, error) {
		if len(raw) == 0 {
			return json.RawMessage("{}"), nil
		}
		v, err := py.Decode(raw)
		if err != nil {
			return nil, fmt.Errorf(".%s: %w", field, err)
		}
		if _, ok := asObject(v); !ok {
			return nil, fmt.Errorf(".%s: not a JSON object", field)
		}
		return pyDumps(v), nil
	}
	config, err := dumps("config", n.Config)
	if err != nil {
		return err
	}
	eventConfig, err := dumps("event_config", n.EventConfig)
	if err != nil {
		return err
	}
	row := store.RepoNotification{UUID: n.UUID, Event: n.Event, Method: n.Method, Title: n.Title,
		Config: config, EventConfig: eventConfig, NumberOfFailures: n.NumberOfFailures}
	if row.UUID == "" {
		row.UUID = newUUID()
	}
	if _, err := l.AddRepoNotification(ns.ID, n.Repository, row); err != nil {
		return fmt.Errorf(": %w", err)
	}
	return nil
}
