package fakequay

import (
	"errors"
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Teams: endpoints/api/team.py (updateOrganizationTeam,
// deleteOrganizationTeam, the members, the e-mail invites, the team's
// permissions and the invite codes). Team syncing (FEATURE_TEAM_SYNCING
// with a federated login) is not modelled.

func teamRoutes() []*route {
	mailing := func(c *Config) bool { return c.FeatureMailing }
	return []*route{
		{pattern: "/api/v1/organization/{orgname}/team/{teamname}", ops: map[string]*operation{
			http.MethodPut:    {nickname: "updateOrganizationTeam", schema: schemaTeamDescription, handle: (*Server).updateOrganizationTeam},
			http.MethodDelete: {nickname: "deleteOrganizationTeam", handle: (*Server).deleteOrganizationTeam},
		}},
		{pattern: "/api/v1/organization/{orgname}/team/{teamname}/members", ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrganizationTeamMembers", query: []queryParam{
				{name: "includePending", kind: paramTruthyBool, help: "Whether to include pending members", def: false},
			}, handle: (*Server).getOrganizationTeamMembers},
		}},
		{pattern: "/api/v1/organization/{orgname}/team/{teamname}/members/{membername}", ops: map[string]*operation{
			http.MethodPut:    {nickname: "updateOrganizationTeamMember", handle: (*Server).updateOrganizationTeamMember},
			http.MethodDelete: {nickname: "deleteOrganizationTeamMember", handle: (*Server).deleteOrganizationTeamMember},
		}},
		{pattern: "/api/v1/organization/{orgname}/team/{teamname}/invite/{email}", when: mailing, ops: map[string]*operation{
			http.MethodPut:    {nickname: "inviteTeamMemberEmail", handle: (*Server).inviteTeamMemberEmail},
			http.MethodDelete: {nickname: "deleteTeamMemberEmailInvite", handle: (*Server).deleteTeamMemberEmailInvite},
		}},
		{pattern: "/api/v1/organization/{orgname}/team/{teamname}/permissions", ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrganizationTeamPermissions", handle: (*Server).getOrganizationTeamPermissions},
		}},
		{pattern: "/api/v1/teaminvite/{code}", when: mailing, ops: map[string]*operation{
			http.MethodPut:    {nickname: "acceptOrganizationTeamInvite", guard: requireUserAdmin, handle: (*Server).acceptOrganizationTeamInvite},
			http.MethodDelete: {nickname: "declineOrganizationTeamInvite", guard: requireUserAdmin, handle: (*Server).declineOrganizationTeamInvite},
		}},
	}
}

// requireOrgAdmin is the check of most team methods:
// AdministerOrganizationPermission, or a superuser with full access.
func (c *call) requireOrgAdmin(org string) error {
	if c.can(administerOrganization(org)) || c.superuserWithFullAccess() {
		return nil
	}
	return unauthorized(c.who)
}

// caller is the authenticated user as an entity.
func (c *call) caller() store.Entity { return store.UserEntity(c.who.user.ID) }

// updateOrganizationTeam: OrganizationTeam.put, create-or-update. A new
// team gets the role and description given; an existing one has its
// description, then its role, changed and logged when they differ.
func (s *Server) updateOrganizationTeam(c *call) error {
	org, name := c.param("orgname"), c.param("teamname")
	if err := c.requireOrgAdmin(org); err != nil {
		return err
	}
	body, _ := asObject(c.body)
	roleName, _ := body.str("role")
	role, _ := store.ParseTeamRole(roleName)
	var description *string
	if d, ok := body.str("description"); ok {
		description = &d
	}
	team, isNew, err := s.store.UpdateTeam(store.TeamUpdate{
		Org: org, Team: name, Role: role, Description: description, SetBy: c.caller(),
		CreateLog: c.action("org_create_team", org, meta().set("team", name)),
		DescriptionLog: func(d string) store.Action {
			return c.action("org_set_team_description", org, meta().set("team", name).set("description", d))
		},
		RoleLog: c.action("org_set_team_role", org, meta().set("team", name).set("role", roleName)),
	})
	if err != nil {
		return err
	}
	c.read = s.store.Read()
	c.restful(http.StatusOK, teamView{Name: team.Name, Description: team.Description,
		CanView: c.can(viewTeam(org, team.Name)), Role: team.Role.String(), Avatar: teamAvatar(team.Name), NewTeam: isNew})
	return nil
}

// deleteOrganizationTeam: OrganizationTeam.delete (remove_team, then the
// log).
func (s *Server) deleteOrganizationTeam(c *call) error {
	org, name := c.param("orgname"), c.param("teamname")
	if err := c.requireOrgAdmin(org); err != nil {
		return err
	}
	if err := s.store.DeleteTeam(org, name, c.caller(), c.action("org_delete_team", org, meta().set("team", name))); err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// getOrganizationTeamMembers: TeamMemberList.get. Members in the order they
// joined; with includePending, the invites follow for an admin.
func (s *Server) getOrganizationTeamMembers(c *call) error {
	org, name := c.param("orgname"), c.param("teamname")
	canView := c.can(viewTeam(org, name))
	canEdit := c.can(administerOrganization(org))
	if !canView && !c.isGlobalReadonly() && !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	_, team, ok := c.read.OrganizationTeam(org, name)
	if !ok {
		return errNotFound
	}
	out := teamMembersView{Name: name, Members: []any{}, CanEdit: canEdit}
	for _, m := range c.read.TeamMembers(team.ID) {
		a, _ := c.read.Account(m.Member)
		out.Members = append(out.Members, memberView(a, false))
	}
	if c.boolQuery("includePending") && canEdit {
		for _, inv := range c.read.TeamInvites(team.ID) {
			out.Members = append(out.Members, inviteView(c.read, inv))
		}
	}
	c.restful(http.StatusOK, &out)
	return nil
}

// updateOrganizationTeamMember: TeamMember.put. With FEATURE_MAILING and
// FEATURE_REQUIRE_TEAM_INVITE a user not yet in the organization is
// invited (a mail goes out) rather than added.
func (s *Server) updateOrganizationTeamMember(c *call) error {
	org, name, member := c.param("orgname"), c.param("teamname"), c.param("membername")
	if err := c.requireOrgAdmin(org); err != nil {
		return err
	}
	invite, added, err := s.store.AddOrInviteTeamMember(store.TeamAddition{
		Org: org, Team: name, Member: member, InviterID: c.who.user.ID,
		RequireInvite: s.cfg.FeatureMailing && s.cfg.FeatureRequireTeamInvite,
		Token:         inviteToken(s.rand), Time: c.now,
		AddedLog: c.action("org_add_team_member", org, meta().set("member", member).set("team", name)),
		InvitedLog: c.action("org_invite_team_member", org,
			meta().set("user", member).set("member", member).set("team", name)),
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.Is(err, store.ErrUnknownUser):
		return invalidRequest("Unknown user")
	case err != nil:
		return err
	}
	if added != nil {
		c.restful(http.StatusOK, memberView(*added, false))
		return nil
	}
	a, _ := s.store.Read().Account(store.UserEntity(invite.UserID))
	c.restful(http.StatusOK, memberView(a, true))
	return nil
}

// deleteOrganizationTeamMember: TeamMember.delete. A pending invite of the
// member is deleted instead, when there is one.
func (s *Server) deleteOrganizationTeamMember(c *call) error {
	org, name, member := c.param("orgname"), c.param("teamname"), c.param("membername")
	if err := c.requireOrgAdmin(org); err != nil {
		return err
	}
	_, err := s.store.RemoveTeamMember(org, name, member, c.caller(),
		c.action("org_delete_team_member_invite", org, meta().set("user", member).set("team", name).set("member", member)),
		c.action("org_remove_team_member", org, meta().set("member", member).set("team", name)))
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// inviteTeamMemberEmail: InviteTeamMember.put. The address is not checked;
// every call makes another invite and sends another mail.
func (s *Server) inviteTeamMemberEmail(c *call) error {
	org, name, email := c.param("orgname"), c.param("teamname"), c.param("email")
	if err := c.requireOrgAdmin(org); err != nil {
		return err
	}
	invite, _, err := s.store.AddOrInviteTeamMember(store.TeamAddition{
		Org: org, Team: name, Email: email, InviterID: c.who.user.ID, Token: inviteToken(s.rand), Time: c.now,
		InvitedLog: c.action("org_invite_team_member", org, meta().set("email", email).set("team", name).set("member", email)),
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, inviteView(s.store.Read(), invite))
	return nil
}

// deleteTeamMemberEmailInvite: InviteTeamMember.delete.
func (s *Server) deleteTeamMemberEmailInvite(c *call) error {
	org, name, email := c.param("orgname"), c.param("teamname"), c.param("email")
	if err := c.requireOrgAdmin(org); err != nil {
		return err
	}
	err := s.store.DeleteEmailInvite(org, name, email,
		c.action("org_delete_team_member_invite", org, meta().set("email", email).set("team", name).set("member", email)))
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// getOrganizationTeamPermissions: TeamPermissions.get, in the order the
// permissions were granted.
func (s *Server) getOrganizationTeamPermissions(c *call) error {
	org, name := c.param("orgname"), c.param("teamname")
	if err := c.orgAdminOrGlobalReader(org); err != nil {
		return err
	}
	_, team, ok := c.read.OrganizationTeam(org, name)
	if !ok {
		return errNotFound
	}
	out := teamPermissionsView{Permissions: []teamPermissionView{}}
	for _, p := range c.read.PermissionsOf(store.TeamEntity(team.ID), 0) {
		r, _ := c.read.RepositoryByID(p.NamespaceID, p.RepoID)
		out.Permissions = append(out.Permissions, teamPermissionView{
			Repository: teamPermissionRepoView{Name: r.Name, IsPublic: r.Public}, Role: p.Role.String()})
	}
	c.restful(http.StatusOK, out)
	return nil
}

// acceptOrganizationTeamInvite: TeamMemberInvite.put. The caller joins
// every team of the organization it has an invite to.
func (s *Server) acceptOrganizationTeamInvite(c *call) error {
	u := c.who.user
	out, err := s.store.AcceptTeamInvite(c.param("code"), u.ID, func(o store.InviteOutcome) store.Action {
		return c.action("org_team_member_invite_accepted", o.Org,
			meta().set("member", u.Name).set("team", o.Team).set("inviter", o.Inviter))
	})
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, acceptedInviteView{Org: out.Org, Team: out.Team})
	return nil
}

// declineOrganizationTeamInvite: TeamMemberInvite.delete.
func (s *Server) declineOrganizationTeamInvite(c *call) error {
	u := c.who.user
	_, err := s.store.DeclineTeamInvite(c.param("code"), u.ID, func(o store.InviteOutcome) store.Action {
		return c.action("org_team_member_invite_declined", o.Org,
			meta().set("member", u.Name).set("team", o.Team).set("inviter", o.Inviter))
	})
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}
