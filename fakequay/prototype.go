package fakequay

import (
	"errors"
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Default permissions: endpoints/api/prototype.py (an organization's
// permission prototypes: list, create, change the role, delete). They take
// effect in store.CreateRepository (apply_default_permissions), when a
// user creates a repository in the organization.

func prototypeRoutes() []*route {
	const list = "/api/v1/organization/{orgname}/prototypes"
	return []*route{
		{pattern: list, ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrganizationPrototypePermissions", handle: (*Server).getOrganizationPrototypePermissions},
			http.MethodPost: {nickname: "createOrganizationPrototypePermission", schema: schemaNewPrototype,
				handle: (*Server).createOrganizationPrototypePermission},
		}},
		{pattern: list + "/{prototypeid}", ops: map[string]*operation{
			http.MethodPut: {nickname: "updateOrganizationPrototypePermission", schema: schemaPrototypeUpdate,
				handle: (*Server).updateOrganizationPrototypePermission},
			http.MethodDelete: {nickname: "deleteOrganizationPrototypePermission", handle: (*Server).deleteOrganizationPrototypePermission},
		}},
	}
}

// prototypeOrg is get_organization after the permission check: a name
// that is no organization is a 404.
func (c *call) prototypeOrg(name string) (*store.Namespace, error) {
	org, ok := c.read.Organization(name)
	if !ok {
		return nil, errNotFound
	}
	return org, nil
}

// adminedPrototypeOrg is the preamble of the three prototype writes: the
// caller must administer the organization (checked first, as Quay's
// handlers do), which must exist.
func (c *call) adminedPrototypeOrg(name string) (*store.Namespace, error) {
	if err := c.requireOrgAdmin(name); err != nil {
		return nil, err
	}
	return c.prototypeOrg(name)
}

// prototypeOf is prototype_view.
func prototypeOf(rd store.Reader, org *store.Namespace, p *store.Prototype) prototypeView {
	userView := func(e store.Entity) *prototypeUserView {
		a, _ := rd.Account(e)
		return &prototypeUserView{Name: a.Name, IsRobot: a.Robot, Kind: "user",
			IsOrgMember: a.Robot || rd.IsOrgMember(org.ID, e), Avatar: accountAvatar(a)}
	}
	v := prototypeView{Role: p.Role.String(), ID: p.UUID}
	if p.ActivatingUserID != 0 {
		v.ActivatingUser = userView(store.UserEntity(p.ActivatingUserID))
	}
	if p.Delegate.Kind == store.EntityTeam {
		t, _ := rd.TeamByID(p.Delegate.ID)
		v.Delegate = prototypeTeamView{Name: t.Name, Kind: "team", Avatar: teamAvatar(t.Name)}
	} else {
		v.Delegate = userView(p.Delegate)
	}
	return v
}

// prototypeAction is log_prototype_action: the caller, the activating
// user, the role, extra (original_role), then the delegate.
func (c *call) prototypeAction(kind, org string, rd store.Reader, p *store.Prototype, originalRole string) store.Action {
	m := meta().set("prototypeid", p.UUID).set("username", c.who.user.Name)
	if p.ActivatingUserID != 0 {
		a, _ := rd.Account(store.UserEntity(p.ActivatingUserID))
		m.set("activating_username", a.Name)
	} else {
		m.set("activating_username", nil)
	}
	m.set("role", p.Role.String())
	if originalRole != "" {
		m.set("original_role", originalRole)
	}
	if p.Delegate.Kind == store.EntityTeam {
		t, _ := rd.TeamByID(p.Delegate.ID)
		m.set("delegate_team", t.Name)
	} else {
		a, _ := rd.Account(p.Delegate)
		m.set("delegate_user", a.Name)
	}
	return c.action(kind, org, m)
}

// getOrganizationPrototypePermissions: PermissionPrototypeList.get, in
// creation order.
func (s *Server) getOrganizationPrototypePermissions(c *call) error {
	name := c.param("orgname")
	if !c.can(administerOrganization(name)) && !c.isGlobalReadonly() && !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	org, err := c.prototypeOrg(name)
	if err != nil {
		return err
	}
	out := prototypesView{Prototypes: []prototypeView{}}
	for _, p := range c.read.Prototypes(org.ID) {
		out.Prototypes = append(out.Prototypes, prototypeOf(c.read, org, p))
	}
	c.restful(http.StatusOK, out)
	return nil
}

// createOrganizationPrototypePermission: PermissionPrototypeList.post. The
// activating user and a user delegate are get_user (users and robots);
// a team delegate is get_organization_team, whose InvalidTeamException
// nothing catches.
func (s *Server) createOrganizationPrototypePermission(c *call) error {
	name := c.param("orgname")
	org, err := c.adminedPrototypeOrg(name)
	if err != nil {
		return err
	}
	body, _ := asObject(c.body)
	var activatingName string
	if v, ok := body.get("activating_user"); ok {
		if act, ok := asObject(v); ok {
			activatingName, _ = act.str("name")
		}
	}
	delegate := object{}
	if v, ok := body.get("delegate"); ok {
		delegate, _ = asObject(v)
	}
	kind, _ := delegate.str("kind")
	delegateName, _ := delegate.str("name")
	row := store.Prototype{OrgID: org.ID, UUID: s.rand.uuid()}
	var activating store.Account
	hasActivating := false
	if activatingName != "" {
		activating, hasActivating = c.read.UserOrRobot(activatingName)
	}
	var delegateFound bool
	switch {
	case kind == "user" && delegateName != "":
		var a store.Account
		a, delegateFound = c.read.UserOrRobot(delegateName)
		row.Delegate = a.Entity()
	case kind == "team" && delegateName != "":
		t, ok := c.read.Team(org.ID, delegateName)
		if !ok {
			return &store.ModelError{Message: "('Team does not exist: %s/%s', " + py.Repr(name) + ", " + py.Repr(delegateName) + ")"}
		}
		row.Delegate, delegateFound = store.TeamEntity(t.ID), true
	}
	if activatingName != "" && !hasActivating {
		return invalidRequest("Unknown activating user")
	}
	if !delegateFound {
		return invalidRequest("Missing delegate user or team")
	}
	if hasActivating {
		row.ActivatingUserID = activating.ID
	}
	roleName, _ := body.str("role")
	row.Role, _ = store.ParseRole(roleName)
	p, err := s.store.CreatePrototype(row, c.prototypeAction("create_prototype_permission", name, c.read, &row, ""))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, prototypeOf(s.store.Read(), org, p))
	return nil
}

// updateOrganizationPrototypePermission: PermissionPrototype.put.
func (s *Server) updateOrganizationPrototypePermission(c *call) error {
	name := c.param("orgname")
	org, err := c.adminedPrototypeOrg(name)
	if err != nil {
		return err
	}
	body, _ := asObject(c.body)
	roleName, _ := body.str("role")
	role, _ := store.ParseRole(roleName)
	p, err := s.store.UpdatePrototypeRole(org.ID, c.param("prototypeid"), role, func(old *store.Prototype) store.Action {
		updated := *old
		updated.Role = role
		return c.prototypeAction("modify_prototype_permission", name, c.read, &updated, old.Role.String())
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, prototypeOf(s.store.Read(), org, p))
	return nil
}

// deleteOrganizationPrototypePermission: PermissionPrototype.delete.
func (s *Server) deleteOrganizationPrototypePermission(c *call) error {
	name := c.param("orgname")
	org, err := c.adminedPrototypeOrg(name)
	if err != nil {
		return err
	}
	err = s.store.DeletePrototype(org.ID, c.param("prototypeid"), func(old *store.Prototype) store.Action {
		return c.prototypeAction("delete_prototype_permission", name, c.read, old, "")
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}
