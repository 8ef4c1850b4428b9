package fakequay

import (
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Repository permissions: endpoints/api/permission.py (the users' and
// teams' permissions on one repository: list, get, change, delete, and a
// user's roles through its teams). Every method is
// require_repo_admin(allow_for_superuser=True), the reads also
// allow_for_global_readonly_superuser.

func permissionRoutes() []*route {
	const repo = "/api/v1/repository/" + repoPathVar + "/permissions"
	return []*route{
		{pattern: repo + "/team/", ops: map[string]*operation{
			http.MethodGet: {nickname: "listRepoTeamPermissions", guard: requireRepoAdminOrReader, handle: (*Server).listRepoTeamPermissions},
		}},
		{pattern: repo + "/user/", ops: map[string]*operation{
			http.MethodGet: {nickname: "listRepoUserPermissions", guard: requireRepoAdminOrReader, handle: (*Server).listRepoUserPermissions},
		}},
		{pattern: repo + "/user/{username}/transitive", ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserTransitivePermission", guard: requireRepoAdminOrReader,
				handle: (*Server).getUserTransitivePermission},
		}},
		{pattern: repo + "/user/{username}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserPermissions", guard: requireRepoAdminOrReader, handle: (*Server).getUserPermissions},
			http.MethodPut: {nickname: "changeUserPermissions", guard: requireRepoAdmin, schema: schemaUserPermission,
				handle: (*Server).changeUserPermissions},
			http.MethodDelete: {nickname: "deleteUserPermissions", guard: requireRepoAdmin, handle: (*Server).deleteUserPermissions},
		}},
		{pattern: repo + "/team/{teamname}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getTeamPermissions", guard: requireRepoAdminOrReader, handle: (*Server).getTeamPermissions},
			http.MethodPut: {nickname: "changeTeamPermissions", guard: requireRepoAdmin, schema: schemaTeamPermission,
				handle: (*Server).changeTeamPermissions},
			http.MethodDelete: {nickname: "deleteTeamPermissions", guard: requireRepoAdmin, handle: (*Server).deleteTeamPermissions},
		}},
	}
}

// requireRepoAdminOrReader is require_repo_admin(allow_for_superuser=True,
// allow_for_global_readonly_superuser=True).
func requireRepoAdminOrReader(c *call) error {
	ns, repo := c.repoPath()
	return c.requireRepoPermission(administerRepository(ns, repo), false,
		repoCheck{allowSuperuser: true, allowGlobalReadonly: true})
}

// userPermissionOf is _user_permission: is_org_member only for a
// repository of an organization, true for robots and for members of one
// of its teams.
func userPermissionOf(rd store.Reader, ns *store.Namespace, p *store.RepoPermission) userPermissionView {
	a, _ := rd.Account(p.Entity)
	v := userPermissionView{Role: p.Role.String(), Name: a.Name, IsRobot: a.Robot, Avatar: accountAvatar(a)}
	if ns != nil && ns.IsOrg() {
		member := a.Robot || rd.IsOrgMember(ns.ID, p.Entity)
		v.IsOrgMember = &member
	}
	return v
}

// listRepoUserPermissions: RepositoryUserPermissionList.get, the users'
// and robots' permissions by name, in the order they were granted.
func (s *Server) listRepoUserPermissions(c *call) error {
	nsName, name := c.repoPath()
	out := userPermissionsView{}
	if ns, r, ok := c.repository(nsName, name); ok {
		for _, p := range c.read.RepositoryPermissions(r) {
			if p.Entity.Kind != store.EntityTeam {
				v := userPermissionOf(c.read, ns, p)
				out.add(v.Name, v)
			}
		}
	}
	c.restful(http.StatusOK, permissionsObject(out.perms))
	return nil
}

// listRepoTeamPermissions: RepositoryTeamPermissionList.get.
func (s *Server) listRepoTeamPermissions(c *call) error {
	nsName, name := c.repoPath()
	out := teamPermissionsByNameView{}
	if _, r, ok := c.repository(nsName, name); ok {
		for _, p := range c.read.RepositoryPermissions(r) {
			if p.Entity.Kind == store.EntityTeam {
				t, _ := c.read.TeamByID(p.Entity.ID)
				out.add(t.Name, repoTeamPermissionView{Role: p.Role.String(), Name: t.Name, Avatar: teamAvatar(t.Name)})
			}
		}
	}
	c.restful(http.StatusOK, permissionsObject(out.perms))
	return nil
}

// getUserTransitivePermission: RepositoryUserTransitivePermission.get,
// get_repo_roles: the roles the user (or robot) holds on the repository
// directly or through its teams, in the order they were granted; none is
// a 404.
func (s *Server) getUserTransitivePermission(c *call) error {
	nsName, name := c.repoPath()
	a, ok := c.read.UserOrRobot(c.param("username"))
	if !ok {
		return errNotFound
	}
	ns, r, ok := c.repository(nsName, name)
	if !ok {
		return errNotFound
	}
	out := rolesView{Permissions: []roleView{}}
	me := a.Entity()
	teams := map[int64]bool{}
	if ns.IsOrg() {
		c.read.TeamsOf(me, ns.ID, func(t *store.Team) bool { teams[t.ID] = true; return true })
	}
	for _, p := range c.read.RepositoryPermissions(r) {
		if p.Entity == me || p.Entity.Kind == store.EntityTeam && teams[p.Entity.ID] {
			out.Permissions = append(out.Permissions, roleView{Role: p.Role.String()})
		}
	}
	if len(out.Permissions) == 0 {
		return errNotFound
	}
	c.restful(http.StatusOK, out)
	return nil
}

// getUserPermissions: RepositoryUserPermission.get. No permission is
// get_user_reponame_permission's DataModelException, unhandled.
func (s *Server) getUserPermissions(c *call) error {
	nsName, name := c.repoPath()
	p, ok := c.read.UserPermissionByName(nsName, name, c.param("username"))
	if !ok {
		return &store.ModelError{Message: "User does not have permission for repo."}
	}
	ns, _ := c.read.Namespace(nsName)
	c.restful(http.StatusOK, userPermissionOf(c.read, ns, p))
	return nil
}

// changeUserPermissions: RepositoryUserPermission.put,
// set_user_repo_permission; its refusals are request errors.
func (s *Server) changeUserPermissions(c *call) error {
	nsName, name := c.repoPath()
	username := c.param("username")
	body, _ := asObject(c.body)
	roleName, _ := body.str("role")
	role, _ := store.ParseRole(roleName)
	p, _, err := s.store.SetUserPermission(nsName, name, username, role, c.action("change_repo_permission", nsName,
		meta().set("username", username).set("repo", name).set("namespace", nsName).set("role", roleName)))
	if err := modelErrorAsInvalidRequest(err); err != nil {
		return err
	}
	rd := s.store.Read()
	ns, _ := rd.Namespace(nsName)
	c.restful(http.StatusOK, userPermissionOf(rd, ns, p))
	return nil
}

// deleteUserPermissions: RepositoryUserPermission.delete.
func (s *Server) deleteUserPermissions(c *call) error {
	nsName, name := c.repoPath()
	username := c.param("username")
	err := s.store.DeleteUserPermission(nsName, name, username, c.action("delete_repo_permission", nsName,
		meta().set("username", username).set("repo", name).set("namespace", nsName)))
	if err := modelErrorAsInvalidRequest(err); err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// getTeamPermissions: RepositoryTeamPermission.get, the role alone.
func (s *Server) getTeamPermissions(c *call) error {
	nsName, name := c.repoPath()
	p, ok := c.read.TeamPermissionByName(nsName, name, c.param("teamname"))
	if !ok {
		return &store.ModelError{Message: "Team does not have permission for repo."}
	}
	c.restful(http.StatusOK, roleView{Role: p.Role.String()})
	return nil
}

// changeTeamPermissions: RepositoryTeamPermission.put,
// set_team_repo_permission.
func (s *Server) changeTeamPermissions(c *call) error {
	nsName, name := c.repoPath()
	team := c.param("teamname")
	body, _ := asObject(c.body)
	roleName, _ := body.str("role")
	role, _ := store.ParseRole(roleName)
	p, err := s.store.SetTeamPermission(nsName, name, team, role, c.action("change_repo_permission", nsName,
		meta().set("team", team).set("repo", name).set("role", roleName)))
	if err := modelErrorAsInvalidRequest(err); err != nil {
		return err
	}
	c.restful(http.StatusOK, repoTeamPermissionView{Role: p.Role.String(), Name: team, Avatar: teamAvatar(team)})
	return nil
}

// deleteTeamPermissions: RepositoryTeamPermission.delete.
func (s *Server) deleteTeamPermissions(c *call) error {
	nsName, name := c.repoPath()
	team := c.param("teamname")
	err := s.store.DeleteTeamPermission(nsName, name, team, c.action("delete_repo_permission", nsName,
		meta().set("team", team).set("repo", name)))
	if err := modelErrorAsInvalidRequest(err); err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}
