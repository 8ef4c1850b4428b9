package fakequay

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Robots: endpoints/api/robot.py (the user's and organizations' robot
// accounts: list, get, create, delete, their permissions, token
// regeneration and federation). FEATURE_RESTRICTED_USERS and
// ROBOTS_DISALLOW are not modelled.

func robotRoutes() []*route {
	// The query of both lists, in reqparse's order. Only limit can fail,
	// so only its help text ever shows; organizations' misspelling of
	// "repositories" is Quay's.
	listQuery := func(permissionsHelp string) []queryParam {
		return []queryParam{
			{name: "permissions", kind: paramTruthyBool, help: permissionsHelp, def: false},
			{name: "token", kind: paramTruthyBool, help: "If false, the robot's token is not returned.", def: true},
			{name: "limit", kind: paramInt, help: "If specified, the number of robots to return."},
		}
	}
	const user, org = "/api/v1/user/robots", "/api/v1/organization/{orgname}/robots"
	return []*route{
		{pattern: user, ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserRobots", guard: requireUserAdmin,
				query:  listQuery("Whether to include repositories and teams in which the robots have permission."),
				handle: (*Server).getUserRobots},
		}},
		{pattern: user + "/{robot_shortname}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserRobot", guard: requireUserAdmin, handle: (*Server).getUserRobot},
			http.MethodPut: {nickname: "createUserRobot", guard: requireUserAdmin, schema: schemaCreateRobot, optionalBody: true,
				handle: (*Server).createUserRobot},
			http.MethodDelete: {nickname: "deleteUserRobot", guard: requireUserAdmin, handle: (*Server).deleteUserRobot},
		}},
		{pattern: user + "/{robot_shortname}/permissions", ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserRobotPermissions", guard: requireUserAdmin, handle: (*Server).getUserRobotPermissions},
		}},
		{pattern: user + "/{robot_shortname}/regenerate", ops: map[string]*operation{
			http.MethodPost: {nickname: "regenerateUserRobotToken", guard: requireUserAdmin, handle: (*Server).regenerateUserRobotToken},
		}},
		{pattern: user + "/{robot_shortname}/federation", ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserRobotFederation", guard: requireUserAdmin, handle: (*Server).getUserRobotFederation},
			http.MethodPost: {nickname: "createUserRobotFederation", guard: requireUserAdmin, schema: schemaRobotFederation,
				handle: (*Server).createUserRobotFederation},
			http.MethodDelete: {nickname: "deleteUserRobotFederation", guard: requireUserAdmin, handle: (*Server).deleteUserRobotFederation},
		}},
		{pattern: org, ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrgRobots",
				query:  listQuery("Whether to include repostories and teams in which the robots have permission."),
				handle: (*Server).getOrgRobots},
		}},
		{pattern: org + "/{robot_shortname}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getOrgRobot", handle: (*Server).getOrgRobot},
			http.MethodPut: {nickname: "createOrgRobot", schema: schemaCreateRobot, optionalBody: true,
				handle: (*Server).createOrgRobot},
			http.MethodDelete: {nickname: "deleteOrgRobot", handle: (*Server).deleteOrgRobot},
		}},
		{pattern: org + "/{robot_shortname}/permissions", ops: map[string]*operation{
			// require_user_admin, as on the user's robots: a token without
			// user:admin is refused before the organization is looked at.
			http.MethodGet: {nickname: "getOrgRobotPermissions", guard: requireUserAdmin, handle: (*Server).getOrgRobotPermissions},
		}},
		{pattern: org + "/{robot_shortname}/regenerate", ops: map[string]*operation{
			http.MethodPost: {nickname: "regenerateOrgRobotToken", handle: (*Server).regenerateOrgRobotToken},
		}},
		{pattern: org + "/{robot_shortname}/federation", ops: map[string]*operation{
			http.MethodGet:    {nickname: "getOrgRobotFederation", handle: (*Server).getOrgRobotFederation},
			http.MethodPost:   {nickname: "createOrgRobotFederation", schema: schemaRobotFederation, handle: (*Server).createOrgRobotFederation},
			http.MethodDelete: {nickname: "deleteOrgRobotFederation", handle: (*Server).deleteOrgRobotFederation},
		}},
	}
}

// --- who may act on an organization's robots --------------------------------

// orgRobotsReader is the check of OrgRobot.get and the federation read:
// an administrator, a global read-only superuser, or a superuser with full
// access.
func (c *call) orgRobotsReader(org string) bool {
	return c.can(administerOrganization(org)) || c.isGlobalReadonly() || c.superuserWithFullAccess()
}

// orgRobotsTokenReader is who sees an organization's robot tokens: an
// administrator or a superuser with full access.
func (c *call) orgRobotsTokenReader(org string) bool {
	return c.can(administerOrganization(org)) || c.superuserWithFullAccess()
}

// --- lists ---------------------------------------------------------------------

// getUserRobots: UserRobotList.get, the caller's robots.
func (s *Server) getUserRobots(c *call) error {
	return s.robotsList(c, c.who.user.Name, c.boolQuery("permissions"), c.boolQuery("token"))
}

// getOrgRobots: OrgRobotList.get. Any member lists them; tokens go to
// administrators and superusers with full access, the teams and
// repositories to them and to global read-only superusers. The
// organization need not exist: the list is a name match (see
// store.Reader.RobotsLike).
func (s *Server) getOrgRobots(c *call) error {
	org := c.param("orgname")
	if !c.can(organizationMember(org)) && !c.isGlobalReadonly() && !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	token := c.orgRobotsTokenReader(org) && c.boolQuery("token")
	perms := (c.orgRobotsTokenReader(org) || c.isGlobalReadonly()) && c.boolQuery("permissions")
	return s.robotsList(c, org, perms, token)
}

// robotsList is robots_list: list_entity_robot_permission_teams. With
// permissions Quay joins each robot to its repository permissions and its
// teams, and its limit counts those joined rows, not robots: a robot with
// two permissions in two teams takes four, and a limit may cut its lists
// short.
func (s *Server) robotsList(c *call, prefix string, perms, token bool) error {
	limit, limited, err := c.robotsLimit()
	if err != nil {
		return err
	}
	robots := c.read.RobotsLike(prefix)
	out := robotsView{Robots: []any{}}
	if !perms {
		if limited {
			robots = robots[:min(int64(len(robots)), limit)]
		}
		for _, o := range robots {
			out.Robots = append(out.Robots, robotOf(o, token, nil))
		}
		c.restful(http.StatusOK, out)
		return nil
	}
	rows := int64(0)
	for _, o := range robots {
		if limited && rows >= limit {
			break
		}
		e := store.RobotEntity(o.Robot.ID)
		permissions := c.read.PermissionsByRepository(e)
		var teams []*store.Team
		c.read.TeamsOf(e, 0, func(t *store.Team) bool {
			teams = append(teams, t)
			return true
		})
		v := robotWithPermissionsOf(o, token)
		// The joined rows: each permission (or none) with each team (or
		// none), permission-major as SQLite walks the indexes.
		for p := 0; p < max(1, len(permissions)); p++ {
			for t := 0; t < max(1, len(teams)); t++ {
				if limited && rows >= limit {
					break
				}
				rows++
				if t < len(teams) && !v.hasTeam(teams[t].Name) {
					v.Teams = append(v.Teams, teamRef(teams[t]))
				}
				if p < len(permissions) {
					if name := repositoryName(c.read, permissions[p]); !v.hasRepository(name) {
						v.Repositories = append(v.Repositories, name)
					}
				}
			}
		}
		out.Robots = append(out.Robots, v)
	}
	c.restful(http.StatusOK, out)
	return nil
}

// robotsLimit is the limit parameter as Postgres takes it in LIMIT:
// limited is false when it is absent; a negative one ("LIMIT must not be
// negative") and one past bigint are DataErrors nothing catches. (SQLite,
// which realquay runs, reads a negative LIMIT as none.)
func (c *call) robotsLimit() (limit int64, limited bool, err error) {
	limit, ok := c.intQuery("limit")
	if !ok {
		return 0, false, nil
	}
	if _, exact, _ := pythonInt64(c.r.URL.Query().Get("limit")); !exact {
		return 0, false, &crashError{reason: "DataError: bigint out of range"}
	}
	if limit < 0 {
		return 0, false, &crashError{reason: "DataError: LIMIT must not be negative"}
	}
	return limit, true, nil
}

// --- one robot -----------------------------------------------------------------

// getUserRobot: UserRobot.get, with the token and the metadata.
func (s *Server) getUserRobot(c *call) error {
	o, err := c.lookupRobot(c.who.user.Name, c.param("robot_shortname"))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, robotOf(o, true, storedMetadata(o.Robot)))
	return nil
}

// getOrgRobot: OrgRobot.get (get_org_robot: the organization, then the
// robot). A global read-only superuser does not see the token.
func (s *Server) getOrgRobot(c *call) error {
	org, short := c.param("orgname"), c.param("robot_shortname")
	if !c.orgRobotsReader(org) {
		return unauthorized(c.who)
	}
	if err := c.requireOrganization(org); err != nil {
		return err
	}
	o, err := c.lookupRobot(org, short)
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, robotOf(o, c.orgRobotsTokenReader(org), storedMetadata(o.Robot)))
	return nil
}

// requireOrganization is model.organization.get_organization's refusal,
// a DataModelException nothing catches.
func (c *call) requireOrganization(name string) error {
	if _, ok := c.read.Organization(name); !ok {
		return &store.ModelError{Message: "Organization does not exist: " + name}
	}
	return nil
}

// lookupRobot is lookup_robot for namespace+shortname.
func (c *call) lookupRobot(namespace, short string) (store.OwnedRobot, error) {
	rb, owner, err := c.read.LookupRobot(store.RobotName(namespace, short))
	if err != nil {
		return store.OwnedRobot{}, err
	}
	return store.OwnedRobot{Robot: rb, Owner: owner}, nil
}

// createUserRobot: UserRobot.put.
func (s *Server) createUserRobot(c *call) error {
	return s.createRobot(c, c.who.user.Name, false)
}

// createOrgRobot: OrgRobot.put. The body was validated before the caller
// is checked.
func (s *Server) createOrgRobot(c *call) error {
	org := c.param("orgname")
	if !c.orgRobotsTokenReader(org) {
		return unauthorized(c.who)
	}
	return s.createRobot(c, org, true)
}

// createRobot is the body of both creates: create_robot, then the log.
// The answer echoes the request's metadata, null when it gave none, while
// the robot stores {} then; the log keeps the request's description and
// metadata, null when absent.
func (s *Server) createRobot(c *call, namespace string, org bool) error {
	short := c.param("robot_shortname")
	body, _ := asObject(c.body) // request.get_json(silent=True) or {}
	description, hasDescription := body.str("description")
	metadata, hasMetadata := body.get("unstructured_metadata")
	stored := json.RawMessage(nil)
	given := json.RawMessage("null")
	if hasMetadata {
		given = pyDumps(metadata)
		if m, ok := metadata.(*py.Object); ok && m.Len() > 0 {
			stored = given
		}
	}
	logDescription := json.RawMessage("null")
	if hasDescription {
		logDescription = pyDumps(description)
	}
	rb, err := s.store.CreateRobot(store.NewRobot{
		Namespace: namespace, Organization: org, ShortName: short, Description: description, Metadata: stored,
		Token: robotToken(s.rand), Email: s.rand.uuid(), Created: c.now,
		Audit: c.action("create_robot", namespace, meta().set("robot", short).
			setRaw("description", logDescription).setRaw("unstructured_metadata", given)),
	})
	var invalid *store.InvalidRobotError
	if errors.As(err, &invalid) {
		return invalidRequest(invalid.Message) // request_error(message=str(e))
	}
	if err != nil {
		return err
	}
	owner, _ := s.store.Read().NamespaceByID(rb.OwnerID)
	c.restful(http.StatusCreated, robotOf(store.OwnedRobot{Robot: rb, Owner: owner}, true, given))
	return nil
}

// deleteUserRobot: UserRobot.delete.
func (s *Server) deleteUserRobot(c *call) error {
	return s.deleteRobot(c, c.who.user.Name)
}

// deleteOrgRobot: OrgRobot.delete. The namespace is only the name's
// prefix: a user's robot goes too, through its owner's name.
func (s *Server) deleteOrgRobot(c *call) error {
	org := c.param("orgname")
	if !c.orgRobotsTokenReader(org) {
		return unauthorized(c.who)
	}
	return s.deleteRobot(c, org)
}

// deleteRobot is the body of both deletes: robot_has_mirror (which looks
// the robot up), delete_robot, the log.
func (s *Server) deleteRobot(c *call, namespace string) error {
	short := c.param("robot_shortname")
	err := s.store.DeleteRobot(store.RobotName(namespace, short),
		c.action("delete_robot", namespace, meta().set("robot", short)))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &store.ModelError{Message: "Could not find robot with specified username"}
	case errors.Is(err, store.ErrRobotHasMirror):
		return invalidRequest("Robot is being used by a mirror")
	case err != nil:
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// --- permissions ---------------------------------------------------------------

// getUserRobotPermissions: UserRobotPermissions.get.
func (s *Server) getUserRobotPermissions(c *call) error {
	o, err := c.lookupRobot(c.who.user.Name, c.param("robot_shortname"))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, s.robotPermissions(c, o))
	return nil
}

// getOrgRobotPermissions: OrgRobotPermissions.get. Its refusal is Flask's
// abort(403), not Quay's Unauthorized.
func (s *Server) getOrgRobotPermissions(c *call) error {
	org := c.param("orgname")
	if !c.orgRobotsReader(org) {
		return errForbiddenAbort
	}
	if err := c.requireOrganization(org); err != nil {
		return err
	}
	o, err := c.lookupRobot(org, c.param("robot_shortname"))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, s.robotPermissions(c, o))
	return nil
}

// robotPermissions is list_robot_permissions as Permission.to_dict shows
// it, in repository order.
func (s *Server) robotPermissions(c *call, o store.OwnedRobot) teamPermissionsView {
	out := teamPermissionsView{Permissions: []teamPermissionView{}}
	for _, p := range c.read.PermissionsByRepository(store.RobotEntity(o.Robot.ID)) {
		r, _ := c.read.RepositoryByID(p.NamespaceID, p.RepoID)
		out.Permissions = append(out.Permissions, teamPermissionView{
			Repository: teamPermissionRepoView{Name: r.Name, IsPublic: r.Public}, Role: p.Role.String()})
	}
	return out
}

// --- token regeneration ------------------------------------------------------------

// regenerateUserRobotToken: RegenerateUserRobot.post.
func (s *Server) regenerateUserRobotToken(c *call) error {
	return s.regenerateRobotToken(c, c.who.user.Name, false)
}

// regenerateOrgRobotToken: RegenerateOrgRobot.post.
func (s *Server) regenerateOrgRobotToken(c *call) error {
	org := c.param("orgname")
	if !c.orgRobotsTokenReader(org) {
		return unauthorized(c.who)
	}
	return s.regenerateRobotToken(c, org, true)
}

// regenerateRobotToken is regenerate_robot_token and its log; the answer
// has the new token and no metadata.
func (s *Server) regenerateRobotToken(c *call, namespace string, org bool) error {
	short := c.param("robot_shortname")
	rb, err := s.store.RegenerateRobotToken(store.RobotTokenChange{
		Namespace: namespace, Organization: org, ShortName: short, Token: robotToken(s.rand), Email: s.rand.uuid(),
		Audit: c.action("regenerate_robot_token", namespace, meta().set("robot", short)),
	})
	if err != nil {
		return err
	}
	owner, _ := s.store.Read().NamespaceByID(rb.OwnerID)
	c.restful(http.StatusOK, robotOf(store.OwnedRobot{Robot: rb, Owner: owner}, true, nil))
	return nil
}

// --- federation -------------------------------------------------------------------

// getUserRobotFederation: UserRobotFederation.get.
func (s *Server) getUserRobotFederation(c *call) error {
	return s.robotFederation(c, c.who.user.Name)
}

// getOrgRobotFederation: OrgRobotFederation.get. Only the robot's name is
// looked up: a user's robot answers through its owner's name.
func (s *Server) getOrgRobotFederation(c *call) error {
	org := c.param("orgname")
	if !c.orgRobotsReader(org) {
		return unauthorized(c.who)
	}
	return s.robotFederation(c, org)
}

func (s *Server) robotFederation(c *call, namespace string) error {
	o, err := c.lookupRobot(namespace, c.param("robot_shortname"))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, federationView(o.Robot.Federation))
	return nil
}

// createUserRobotFederation: UserRobotFederation.post.
func (s *Server) createUserRobotFederation(c *call) error {
	return s.setRobotFederation(c, c.who.user.Name)
}

// createOrgRobotFederation: OrgRobotFederation.post. The body was
// validated before the caller is checked; its entries are checked after.
func (s *Server) createOrgRobotFederation(c *call) error {
	org := c.param("orgname")
	if !c.orgRobotsTokenReader(org) {
		return unauthorized(c.who)
	}
	return s.setRobotFederation(c, org)
}

// setRobotFederation is _parse_federation_config, lookup_robot,
// create_robot_federation_config and the log: the configuration is
// replaced whole, and answered with only each entry's issuer and subject.
func (s *Server) setRobotFederation(c *call, namespace string) error {
	short := c.param("robot_shortname")
	items, _ := c.body.([]any)
	config := []store.RobotFederation{}
	seen := map[store.RobotFederation]bool{}
	for _, item := range items {
		entry, _ := asObject(item)
		issuer, _ := entry.str("issuer")
		subject, _ := entry.str("subject")
		if msg := federationIssue(issuer, subject); msg != "" {
			return invalidRequest(msg)
		}
		f := store.RobotFederation{Issuer: issuer, Subject: subject}
		if seen[f] {
			return invalidRequest("Duplicate federation config entry")
		}
		seen[f] = true
		config = append(config, f)
	}
	answer := federationView(config)
	name := store.RobotName(namespace, short)
	if _, _, err := c.read.LookupRobot(name); err != nil {
		return err
	}
	_, err := s.store.SetRobotFederation(name, config, c.action("create_robot_federation", namespace,
		meta().setRaw("config", pyDumps(answer)).set("robot", short)))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, answer)
	return nil
}

// federationIssue is what _parse_federation_config says of one entry, ""
// when it is good.
func federationIssue(issuer, subject string) string {
	switch {
	case issuer == "" || subject == "":
		return "Missing one or more required fields (issuer, subject)"
	case !strings.HasPrefix(issuer, "http://") && !strings.HasPrefix(issuer, "https://"):
		return "Issuer must be a URL (http:// or https://)"
	}
	return ""
}

// deleteUserRobotFederation: UserRobotFederation.delete.
func (s *Server) deleteUserRobotFederation(c *call) error {
	return s.deleteRobotFederation(c, c.who.user.Name)
}

// deleteOrgRobotFederation: OrgRobotFederation.delete.
func (s *Server) deleteOrgRobotFederation(c *call) error {
	org := c.param("orgname")
	if !c.orgRobotsTokenReader(org) {
		return unauthorized(c.who)
	}
	return s.deleteRobotFederation(c, org)
}

// deleteRobotFederation is delete_robot_federation_config (an empty
// configuration) and its log; a robot without one answers 204 too.
func (s *Server) deleteRobotFederation(c *call, namespace string) error {
	short := c.param("robot_shortname")
	_, err := s.store.SetRobotFederation(store.RobotName(namespace, short), nil,
		c.action("delete_robot_federation", namespace, meta().set("robot", short)))
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}
