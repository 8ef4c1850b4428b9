package fakequay

import (
	"slices"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The permission model: Quay's auth/permissions.py, its scopes
// (auth/scopes.py) and the allow_if_* helpers of endpoints/api/__init__.py,
// in one place. Every handler asks here; none decides by itself who may
// do what.
//
// Quay computes a caller's "provides" (user, organization, organization-
// repository, team and repository needs) from the database, each role cut
// down to what the token's scopes allow, and a Permission is granted when
// the caller provides any of its needs. The roles are ordered (REPO_ROLES,
// TEAM_ROLES, USER_ROLES), and every Permission accepts a role or any
// larger one, so a decision here is "the highest role the caller holds,
// capped by the scopes, is at least the one asked for". The decisions are
// Quay's; the structure is not.

// permKind is one of Quay's Permission classes.
type permKind uint8

const (
	permReadRepo   permKind = iota + 1 // ReadRepositoryPermission
	permModifyRepo                     // ModifyRepositoryPermission
	permAdminRepo                      // AdministerRepositoryPermission
	permCreateRepo                     // CreateRepositoryPermission
	permAdminOrg                       // AdministerOrganizationPermission
	permOrgMember                      // OrganizationMemberPermission
	permViewTeam                       // ViewTeamPermission
	permUserAdmin                      // UserAdminPermission
	permUserRead                       // UserReadPermission
	permSuperuser                      // SuperUserPermission
)

// permission is a Quay Permission with its arguments. namespace is the
// Permission's namespace attribute: empty for the user and superuser
// permissions, which FEATURE_SUPERUSERS_FULL_ACCESS does not grant.
type permission struct {
	kind      permKind
	namespace string // the organization, or the repository's namespace
	repo      string
	team      string
	username  string // user permissions
}

func readRepository(namespace, repo string) permission {
	return permission{kind: permReadRepo, namespace: namespace, repo: repo}
}

func modifyRepository(namespace, repo string) permission {
	return permission{kind: permModifyRepo, namespace: namespace, repo: repo}
}

func administerRepository(namespace, repo string) permission {
	return permission{kind: permAdminRepo, namespace: namespace, repo: repo}
}

func createRepository(namespace string) permission {
	return permission{kind: permCreateRepo, namespace: namespace}
}

func administerOrganization(org string) permission {
	return permission{kind: permAdminOrg, namespace: org}
}

func organizationMember(org string) permission {
	return permission{kind: permOrgMember, namespace: org}
}

func viewTeam(org, team string) permission {
	return permission{kind: permViewTeam, namespace: org, team: team}
}

func userAdmin(username string) permission {
	return permission{kind: permUserAdmin, username: username}
}

func userRead(username string) permission { return permission{kind: permUserRead, username: username} }

func superUser() permission { return permission{kind: permSuperuser} }

// Quay's OAuth scopes (auth/scopes.py). Tokens carry a non-empty subset.
var quayScopes = []string{
	"repo:read", "repo:write", "repo:admin", "repo:create",
	"user:read", "user:admin", "org:admin", "super:user",
}

const scopeSuperuser = "super:user"

// userRole is Quay's USER_ROLES: read < admin.
type userRole uint8

const (
	userRoleNone userRole = iota
	userRoleRead
	userRoleAdmin
)

// scopeCaps are the highest roles a token's scopes allow (SCOPE_MAX_REPO_ROLES,
// SCOPE_MAX_TEAM_ROLES, SCOPE_MAX_USER_ROLES): the largest over its scopes.
type scopeCaps struct {
	repo store.Role
	team store.TeamRole
	user userRole
}

func capsOf(tok *store.Token) scopeCaps {
	var c scopeCaps
	for _, sc := range tok.Scopes {
		switch sc {
		case "repo:read":
			c.repo = max(c.repo, store.RoleRead)
		case "repo:write":
			c.repo = max(c.repo, store.RoleWrite)
		case "repo:admin":
			c.repo = max(c.repo, store.RoleAdmin)
		case "repo:create":
			c.team = max(c.team, store.TeamCreator)
		case "org:admin":
			c.team = max(c.team, store.TeamAdmin)
		case "user:read":
			c.user = max(c.user, userRoleRead)
		case "user:admin":
			c.user = max(c.user, userRoleAdmin)
		}
	}
	return c
}

// --- who the caller is to Quay ------------------------------------------------

// isGlobalReadonly is allow_if_global_readonly_superuser: by name only,
// whatever the token's scopes.
func (c *call) isGlobalReadonly() bool {
	return c.who.user != nil && slices.Contains(c.s.cfg.GlobalReadonlySuperUsers, c.who.user.Name)
}

// isSuperuser is allow_if_superuser, SuperUserPermission().can(): in
// SUPER_USERS, not a global read-only superuser (that list wins), and a
// token carrying super:user.
func (c *call) isSuperuser() bool {
	return c.who.user != nil && !c.isGlobalReadonly() &&
		c.who.scopes().HasScope(scopeSuperuser) && c.s.isSuperuserName(c.who.user.Name)
}

// isAnySuperuser is allow_if_any_superuser, which every superuser read uses.
func (c *call) isAnySuperuser() bool { return c.isSuperuser() || c.isGlobalReadonly() }

// superuserWithFullAccess is allow_if_superuser_with_full_access: a
// superuser acting on other users' namespaces.
func (c *call) superuserWithFullAccess() bool {
	return c.s.cfg.FeatureSuperusersFullAccess && c.isSuperuser()
}

// isSuperuserName is usermanager.is_superuser: membership of SUPER_USERS by
// exact name (what the super_user field of a user view shows).
func (s *Server) isSuperuserName(name string) bool {
	return slices.Contains(s.cfg.SuperUsers, name)
}

// --- decisions -----------------------------------------------------------------

// can is Permission.can() for the caller: QuayDeferredPermissionUser.can.
func (c *call) can(p permission) bool {
	u := c.who.user
	if u == nil {
		return false
	}
	if p.kind == permSuperuser {
		return c.isSuperuser()
	}
	// A superuser with full access holds every permission that names a
	// namespace or a repository.
	if c.superuserWithFullAccess() && (p.namespace != "" || p.repo != "") {
		return true
	}
	caps := capsOf(c.who.scopes())
	switch p.kind {
	case permUserAdmin:
		return p.username == u.Name && caps.user >= userRoleAdmin
	case permUserRead:
		return p.username == u.Name && caps.user >= userRoleRead
	}
	g := c.namespaceGrants(p.namespace, caps)
	switch p.kind {
	case permAdminOrg:
		return g.org == store.TeamAdmin
	case permCreateRepo:
		return g.org >= store.TeamCreator
	case permOrgMember:
		return g.org >= store.TeamMember
	case permViewTeam:
		return g.org == store.TeamAdmin || g.teams[p.team] >= store.TeamMember
	}
	repoRole := max(g.orgRepo, c.repositoryRole(p.namespace, p.repo, caps))
	switch p.kind {
	case permReadRepo:
		return repoRole >= store.RoleRead
	case permModifyRepo:
		return repoRole >= store.RoleWrite
	case permAdminRepo:
		return repoRole == store.RoleAdmin
	}
	return false
}

// namespaceWide is what the caller provides in one namespace beyond single
// repositories: the highest OrganizationNeed and OrganizationRepoNeed roles
// and a TeamNeed role per team, each capped by the token's scopes.
type namespaceWide struct {
	org     store.TeamRole
	orgRepo store.Role
	teams   map[string]store.TeamRole
}

// namespaceGrants is _populate_user_provides (every user administers its
// own namespace) plus _populate_namespace_wide_provides (the caller's teams
// in the organization). The cost is the caller's teams there, whatever the
// registry holds.
func (c *call) namespaceGrants(namespace string, caps scopeCaps) namespaceWide {
	u := c.who.user
	var g namespaceWide
	if namespace == u.Name {
		g.org, g.orgRepo = min(store.TeamAdmin, caps.team), min(store.RoleAdmin, caps.repo)
	}
	org, ok := c.read.Organization(namespace)
	if !ok {
		return g
	}
	c.read.TeamsOf(store.UserEntity(u.ID), org.ID, func(t *store.Team) bool {
		role := min(t.Role, caps.team)
		g.org = max(g.org, role)
		if t.Role == store.TeamAdmin { // TEAM_ORGWIDE_REPO_ROLES: admin teams administer every repository
			g.orgRepo = max(g.orgRepo, min(store.RoleAdmin, caps.repo))
		}
		if g.teams == nil {
			g.teams = map[string]store.TeamRole{}
		}
		g.teams[t.Name] = role
		return true
	})
	return g
}

// repositoryRole is _populate_repository_provides for one repository: the
// highest role the caller holds on it directly or through its teams,
// capped by the scopes. A repository that does not exist grants nothing.
func (c *call) repositoryRole(namespace, repo string, caps scopeCaps) store.Role {
	if repo == "" {
		return store.RoleNone
	}
	ns, ok := c.read.Namespace(namespace)
	if !ok {
		return store.RoleNone
	}
	r, ok := c.read.Repository(ns.ID, repo)
	if !ok {
		return store.RoleNone
	}
	me := store.UserEntity(c.who.user.ID)
	best := store.RoleNone
	if p, ok := c.read.Permission(r, me); ok {
		best = p.Role
	}
	if ns.IsOrg() {
		c.read.TeamsOf(me, ns.ID, func(t *store.Team) bool {
			if p, ok := c.read.Permission(r, store.TeamEntity(t.ID)); ok {
				best = max(best, p.Role)
			}
			return true
		})
	}
	return min(best, caps.repo)
}

// --- Quay's decorators ----------------------------------------------------------

// requireSuperuser returns Unauthorized() unless the caller may write
// superuser resources (SuperUserPermission).
func (c *call) requireSuperuser() error {
	if !c.isSuperuser() {
		return unauthorized(c.who)
	}
	return nil
}

// requireAnySuperuser returns Unauthorized() unless the caller may read
// superuser resources.
func (c *call) requireAnySuperuser() error {
	if !c.isAnySuperuser() {
		return unauthorized(c.who)
	}
	return nil
}

// requireUserPermission is require_user_admin and require_user_read
// (require_user_permission): a caller, holding the permission on itself,
// or, when allowSuperuser, a superuser with full access.
func (c *call) requireUserPermission(perm func(username string) permission, allowSuperuser bool) error {
	if c.who.user == nil {
		return unauthorized(c.who)
	}
	if c.can(perm(c.who.user.Name)) || (allowSuperuser && c.superuserWithFullAccess()) {
		return nil
	}
	return unauthorized(c.who)
}

// repoCheck says which superusers a require_repo_* decorator lets through
// besides those the permission already grants.
type repoCheck struct {
	allowSuperuser, allowGlobalReadonly bool
}

// requireRepoPermission is require_repo_permission: the permission, or
// (for reads, allowPublic) a public repository or any global read-only
// superuser, or the superusers check lets through.
func (c *call) requireRepoPermission(p permission, allowPublic bool, check repoCheck) error {
	if c.can(p) || (allowPublic && (c.repositoryIsPublic(p.namespace, p.repo) || c.isGlobalReadonly())) {
		return nil
	}
	if check.allowSuperuser && c.who.user != nil {
		if check.allowGlobalReadonly && c.s.cfg.FeatureSuperusersFullAccess && c.isAnySuperuser() {
			return nil
		}
		if !check.allowGlobalReadonly && c.superuserWithFullAccess() {
			return nil
		}
	}
	if check.allowGlobalReadonly && c.isGlobalReadonly() {
		return nil
	}
	return unauthorized(c.who)
}

// repositoryIsPublic is model.repository_is_public.
func (c *call) repositoryIsPublic(namespace, repo string) bool {
	ns, ok := c.read.Namespace(namespace)
	if !ok {
		return false
	}
	r, ok := c.read.Repository(ns.ID, repo)
	return ok && r.Public
}

// viewableTeams is get_viewable_teams_for_org: nil when the caller may view
// every team of the organization (an admin, by team membership alone,
// whatever the token's scopes), else the teams it belongs to.
func (c *call) viewableTeams(org *store.Namespace) map[string]bool {
	teams := map[string]bool{}
	if c.who.user == nil {
		return teams
	}
	me := store.UserEntity(c.who.user.ID)
	if c.read.IsOrgAdmin(org.ID, me) {
		return nil
	}
	c.read.TeamsOf(me, org.ID, func(t *store.Team) bool {
		teams[t.Name] = true
		return true
	})
	return teams
}
