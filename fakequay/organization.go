package fakequay

import (
	"errors"
	"math"
	"net/http"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Organizations: endpoints/api/organization.py (createOrganization,
// getOrganization, changeOrganizationDetails, deleteAdminedOrganization,
// the members and the collaborators).

func organizationRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/organization/", ops: map[string]*operation{
			http.MethodPost: {nickname: "createOrganization", guard: requireUserAdmin, schema: schemaNewOrg,
				handle: (*Server).createOrganization},
		}},
		{pattern: "/api/v1/organization/{orgname}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrganization", handle: (*Server).getOrganization},
			http.MethodPut: {nickname: "changeOrganizationDetails", schema: schemaUpdateOrgDetails,
				handle: (*Server).changeOrganizationDetails},
			http.MethodDelete: {nickname: "deleteAdminedOrganization", freshLogin: true,
				handle: (*Server).deleteAdminedOrganization},
		}},
		{pattern: "/api/v1/organization/{orgname}/members", ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrganizationMembers", handle: (*Server).getOrganizationMembers},
		}},
		{pattern: "/api/v1/organization/{orgname}/members/{membername}", ops: map[string]*operation{
			http.MethodGet:    {nickname: "getOrganizationMember", handle: (*Server).getOrganizationMember},
			http.MethodDelete: {nickname: "removeOrganizationMember", handle: (*Server).removeOrganizationMember},
		}},
		{pattern: "/api/v1/organization/{orgname}/collaborators", ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrganizationCollaborators", handle: (*Server).getOrganizationCollaborators},
		}},
	}
}

// requireUserAdmin is @require_user_admin() as a guard.
func requireUserAdmin(c *call) error { return c.requireUserPermission(userAdmin, false) }

// createOrganization: OrganizationList.post. The name is checked against
// users and organizations before the model runs (a name held by a
// namespace pending deletion passes here and the model refuses it); the
// model's refusals are ApiErrors (request_error), not {"message"} bodies.
func (s *Server) createOrganization(c *call) error {
	if s.cfg.FeatureSuperusersOrgCreationOnly && !c.isSuperuser() {
		return unauthorized(c.who)
	}
	body, _ := asObject(c.body)
	name, _ := body.str("name")
	if strings.IndexByte(name, 0) >= 0 {
		// get_organization binds the name: Postgres' driver refuses a NUL.
		return &crashError{reason: "ValueError: A string literal cannot contain NUL (0x00) characters."}
	}
	if _, ok := c.read.Organization(name); ok {
		return invalidRequest("A user or organization with this name already exists")
	}
	if _, ok := c.read.UserOrRobot(name); ok {
		return invalidRequest("A user or organization with this name already exists")
	}
	// org_data.get("contact_email") or org_data.get("email")
	var email *string
	if v, ok := body.str("contact_email"); ok && v != "" {
		email = &v
	} else if v, ok := body.get("email"); ok {
		if str, isStr := v.(string); isStr {
			email = &str
		}
	}
	if email != nil && *email != "" && !store.ValidEmail(*email) {
		return invalidRequest("Invalid email address")
	}
	tagExpiration, _ := quayTimedelta(s.cfg.DefaultTagExpiration)
	_, err := s.store.CreateOrganization(store.NewOrganization{
		Name:             name,
		Email:            email,
		PlaceholderEmail: s.rand.uuid(),
		RequireEmail:     s.cfg.FeatureMailing,
		SharedEmail:      s.cfg.FeatureOrgSharedEmail,
		CreatorID:        c.who.user.ID,
		TagExpirationS:   tagExpiration,
		Audit:            c.action("org_create", name, meta().set("email", email).set("namespace", name)),
	})
	if err := modelErrorAsInvalidRequest(err); err != nil {
		return err
	}
	c.restful(http.StatusCreated, "Created")
	return nil
}

// getOrganization: Organization.get. Anyone may look; teams show to
// members and to the superusers who see every organization.
func (s *Server) getOrganization(c *call) error {
	org, ok := c.read.Organization(c.param("orgname"))
	if !ok {
		return errNotFound
	}
	withTeams := c.can(organizationMember(org.Name)) || c.isGlobalReadonly() || c.superuserWithFullAccess()
	c.restful(http.StatusOK, s.organizationView(c, org, withTeams, nil))
	return nil
}

// changeOrganizationDetails: Organization.put. Each present field is
// saved and logged in Quay's order (invoicing, contact e-mail, tag
// expiration), with no transaction around them: a refusal keeps what came
// before it.
func (s *Server) changeOrganizationDetails(c *call) error {
	name := c.param("orgname")
	if !c.can(administerOrganization(name)) && !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	body, _ := asObject(c.body)
	var ch store.OrganizationChange
	if v, ok := body.boolean("invoice_email"); ok {
		ch.InvoiceEmail = &v
		ch.InvoiceEmailLog = c.action("org_change_invoicing", name, meta().set("invoice_email", v).set("namespace", name))
	}
	if v, ok := body.get("invoice_email_address"); ok {
		ch.InvoiceEmailAddress = true
		ch.InvoiceEmailAddressValue = optionalString(v)
		ch.InvoiceEmailAddressLog = c.action("org_change_invoicing", name,
			meta().set("invoice_email_address", ch.InvoiceEmailAddressValue).set("namespace", name))
	}
	if v, ok := body.get("contact_email"); ok {
		ch.Email, ch.EmailValue = true, optionalString(v)
	} else if v, ok := body.get("email"); ok {
		ch.Email, ch.EmailValue = true, optionalString(v)
	}
	if ch.Email {
		ch.PlaceholderEmail = s.rand.uuid()
		ch.EmailLog = func(newEmail, oldEmail string) store.Action {
			return c.action("org_change_email", name,
				meta().set("email", newEmail).set("namespace", name).set("old_email", oldEmail))
		}
	}
	var tagExpiration any // the value as the request gave it
	if v, ok := body.get("tag_expiration_s"); ok && s.cfg.FeatureChangeTagExpiration {
		seconds, echo := tagExpirationValue(v)
		tagExpiration = echo
		ch.TagExpirationS = &seconds
		for _, o := range s.cfg.TagExpirationOptions {
			allowed, _ := quayTimedelta(o)
			ch.AllowedTagExpirations = append(ch.AllowedTagExpirations, allowed)
		}
		ch.TagExpirationLog = c.action("org_change_tag_expiration", name,
			meta().set("tag_expiration", echo).set("namespace", name))
	}
	org, err := s.store.ChangeOrganization(name, ch)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.Is(err, store.ErrInvalidEmail):
		return invalidRequest("Invalid email address")
	case err != nil:
		return err
	}
	c.read = s.store.Read()
	c.restful(http.StatusOK, s.organizationView(c, org, true, tagExpiration))
	return nil
}

// optionalString is a JSON string or null (None) as the schema lets
// through.
func optionalString(v any) *string {
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}

// tagExpirationValue is what the model compares a tag_expiration_s with
// Quay's options: its value in seconds (an int too large for int64 matches
// none) and the value to echo (a float stays a float).
func tagExpirationValue(v any) (int64, any) {
	switch n := v.(type) {
	case py.Int:
		if i, ok := n.Int64(); ok {
			return i, n
		}
		return math.MinInt64, n
	case float64:
		return int64(n), py.Float(n)
	}
	return math.MinInt64, v
}

// deleteAdminedOrganization: Organization.delete. The log is written, then
// the organization is marked for deletion.
func (s *Server) deleteAdminedOrganization(c *call) error {
	name := c.param("orgname")
	if !c.can(administerOrganization(name)) && !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	err := s.store.DeleteOrganization(name, c.action("org_delete", name, meta().set("namespace", name)), s.tombstone())
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// orgAdminOrGlobalReader is the check of the member listings: an admin, a
// global read-only superuser, or a superuser with full access.
func (c *call) orgAdminOrGlobalReader(org string) error {
	if c.can(administerOrganization(org)) || c.isGlobalReadonly() || c.superuserWithFullAccess() {
		return nil
	}
	return unauthorized(c.who)
}

// getOrganizationMembers: OrganizationMemberList.get. Users (not robots)
// in any team, each with its teams and its direct permissions on the
// organization's repositories.
func (s *Server) getOrganizationMembers(c *call) error {
	if err := c.orgAdminOrGlobalReader(c.param("orgname")); err != nil {
		return err
	}
	org, ok := c.read.Organization(c.param("orgname"))
	if !ok {
		return errNotFound
	}
	out := orgMembersView{Members: []*orgMemberView{}}
	byID := map[int64]*orgMemberView{}
	for _, m := range c.read.OrganizationMembersByTeams(org.ID) {
		if m.Member.Member.Kind != store.EntityUser {
			continue
		}
		v, seen := byID[m.Member.Member.ID]
		if !seen {
			acct, _ := c.read.Account(m.Member.Member)
			v = &orgMemberView{Name: acct.Name, Kind: "user", Avatar: accountAvatar(acct),
				Teams: []teamRefView{}, Repositories: []string{}}
			byID[acct.ID] = v
			out.Members = append(out.Members, v)
		}
		v.Teams = append(v.Teams, teamRef(m.Team))
	}
	for _, p := range c.read.NamespacePermissions(org.ID) {
		if v, ok := byID[p.Entity.ID]; ok && p.Entity.Kind == store.EntityUser {
			v.Repositories = append(v.Repositories, repositoryName(c.read, p))
		}
	}
	c.restful(http.StatusOK, out)
	return nil
}

// repositoryName is the name of the repository a permission is on.
func repositoryName(rd store.Reader, p *store.RepoPermission) string {
	r, _ := rd.RepositoryByID(p.NamespaceID, p.RepoID)
	return r.Name
}

// getOrganizationMember: OrganizationMember.get. The member is a user or a
// robot; the namespace may be a user's too (get_user_or_org). A user in no
// team of it, or a robot of another namespace, is 404.
func (s *Server) getOrganizationMember(c *call) error {
	orgName := c.param("orgname")
	if err := c.orgAdminOrGlobalReader(orgName); err != nil {
		return err
	}
	member, ok := c.read.UserOrRobot(c.param("membername"))
	if !ok {
		return errNotFound
	}
	ns, ok := c.read.Namespace(orgName)
	if !ok {
		return errNotFound
	}
	v := orgMemberView{Name: member.Name, Kind: accountKind(member), Avatar: accountAvatar(member),
		Teams: []teamRefView{}, Repositories: []string{}}
	c.read.TeamsOf(member.Entity(), ns.ID, func(t *store.Team) bool {
		v.Teams = append(v.Teams, teamRef(t))
		return true
	})
	if len(v.Teams) == 0 {
		if !member.Robot {
			return errNotFound
		}
		if robotNS, _, _ := store.ParseRobotName(member.Name); robotNS != orgName {
			return errNotFound
		}
	}
	for _, p := range c.read.PermissionsOf(member.Entity(), ns.ID) {
		v.Repositories = append(v.Repositories, repositoryName(c.read, p))
	}
	c.restful(http.StatusOK, &v)
	return nil
}

// removeOrganizationMember: OrganizationMember.delete. A user (not a
// robot) loses every team and every permission in the organization, member
// or not; Quay writes no log.
func (s *Server) removeOrganizationMember(c *call) error {
	orgName := c.param("orgname")
	if !c.can(administerOrganization(orgName)) && !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	user, ok := c.read.User(c.param("membername"))
	if !ok {
		return errNotFound
	}
	err := s.store.RemoveOrganizationMember(orgName, user.ID)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// getOrganizationCollaborators: OrganizationCollaboratorList.get. Users
// with direct permissions on the organization's repositories who are in
// none of its teams.
func (s *Server) getOrganizationCollaborators(c *call) error {
	if err := c.orgAdminOrGlobalReader(c.param("orgname")); err != nil {
		return err
	}
	org, ok := c.read.Organization(c.param("orgname"))
	if !ok {
		return errNotFound
	}
	out := collaboratorsView{Collaborators: []*collaboratorView{}}
	byID := map[int64]*collaboratorView{}
	for _, p := range c.read.NamespacePermissions(org.ID) {
		if p.Entity.Kind != store.EntityUser || c.read.IsOrgMember(org.ID, p.Entity) {
			continue
		}
		v, seen := byID[p.Entity.ID]
		if !seen {
			acct, _ := c.read.Account(p.Entity)
			v = &collaboratorView{Kind: "user", Name: acct.Name, Avatar: accountAvatar(acct), Repositories: []string{}}
			byID[p.Entity.ID] = v
			out.Collaborators = append(out.Collaborators, v)
		}
		v.Repositories = append(v.Repositories, repositoryName(c.read, p))
	}
	c.restful(http.StatusOK, out)
	return nil
}
