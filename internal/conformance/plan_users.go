package conformance

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// The user lookups (endpoints/api/user.py getLoggedInUser and
// getUserInformation), the entity search (search.py) and the registry
// capabilities (capabilities.py). The reads run against the starting
// state; what depends on organization membership is read in an
// organization the normal user creates (the snapshot carries no teams, so
// the fixture's organizations have no members in the fake), with a team
// and a robot in it, deleted at the end.

// usersOrg is the organization the user-area writes create.
const usersOrg = "dfusers"

// userReads adds the lookups of the starting state.
func (p *planner) userReads() {
	fx := p.fx
	p.read("getRegistryCapabilities", "valid", api+"/registry/capabilities", Callers...)

	// The superuser's own view lists its organizations, which the
	// snapshot cannot give the fake (no teams): it is read only as the
	// callers without organizations; the writes read it with one.
	p.read("getLoggedInUser", "valid", api+"/user/", User, ReadOnly, Anonymous, Invalid)

	users := api + "/users/"
	if fx.User != "" {
		p.read("getUserInformation", "valid", users+fx.User, Callers...)
		p.read("getUserInformation", "trailing slash", users+fx.User+"/")
	}
	p.read("getUserInformation", "another user, public part", users+fx.Superuser, User, Anonymous, Invalid)
	p.read("getUserInformation", "unknown id", users+"nosuch", Superuser, Anonymous)
	if fx.Org != "" {
		p.read("getUserInformation", "an organization's name", users+fx.Org)
		if fx.OrgRobot != "" {
			p.read("getUserInformation", "a robot's name", users+url.PathEscape(fx.Org+"+"+fx.OrgRobot))
		}
	}

	entities := api + "/entities/"
	if fx.User != "" {
		p.read("getMatchingEntities", "valid", entities+fx.User, Callers...)
		p.read("getMatchingEntities", "a prefix", entities+fx.User[:min(3, len(fx.User))], Superuser, Anonymous)
		p.read("getMatchingEntities", "upper case and spaces", entities+"%20"+upper(fx.User), Superuser)
		if fx.Org != "" {
			p.read("getMatchingEntities", "an organization the caller is not in", entities+fx.User+"?namespace="+fx.Org+
				"&includeTeams=true&includeOrgs=true", User, Anonymous)
		}
		p.read("getMatchingEntities", "the caller's own namespace", entities+fx.User+"?namespace="+fx.User, User, Superuser)
	}
	p.read("getMatchingEntities", "no match", entities+"nosuchentity", Superuser)
	p.read("getMatchingEntities", "wildcards are literal", entities+"%25", Superuser)
	p.read("getMatchingEntities", "wildcards are literal", entities+"_", Superuser)
	p.read("getMatchingEntities", "unicode prefix", entities+"%C3%A9", Superuser)
	p.read("getMatchingEntities", "unknown namespace", entities+"a?namespace=nosuch&includeTeams=1", Superuser)
}

// userAreaWrites adds the first-user bootstrap, which a registry with
// users refuses, and the organization-dependent lookups: the normal
// user's organization with a team and a robot in it.
func (p *planner) userAreaWrites() {
	// The first-user bootstrap (web.py user_initialize) of a registry that
	// has users: refused before the body is read, whoever calls, with no
	// token or CSRF check (a web blueprint route).
	const initialize = "POST " + api + "/user/initialize"
	init := Step{Op: initialize, Class: "valid", Method: http.MethodPost, Path: api + "/user/initialize",
		Body: `{"username": "dffirst", "password": "dfpassword", "access_token": true}`}
	for _, c := range Callers {
		init.Caller = c
		p.write(init)
	}
	p.bodies(initialize, http.MethodPost, api+"/user/initialize", [2]string{"malformed JSON", `{"x": `}, [2]string{"missing field", `{}`})
	p.write(Step{Op: initialize, Class: "text/plain", Method: http.MethodPost, Path: api + "/user/initialize", Body: `{}`,
		Header: []string{"Content-Type", "text/plain"}})
	p.write(Step{Op: "GET " + api + "/user/initialize", Class: "no GET rule", Method: http.MethodGet, Path: api + "/user/initialize"})

	org := api + "/organization/" + usersOrg
	p.write(Step{Op: "createOrganization", Class: "valid", Caller: User, Method: http.MethodPost, Path: api + "/organization/",
		Body: `{"name": "` + usersOrg + `", "email": "` + usersOrg + `@example.org"}`})
	p.write(Step{Op: "createOrgRobot", Class: "valid", Caller: User, Method: http.MethodPut, Path: org + "/robots/dfbot",
		Capture: captureField("tokdfbot", "token")})
	p.write(Step{Op: "updateOrganizationTeam", Class: "valid", Caller: User, Method: http.MethodPut, Path: org + "/team/dfteam",
		Body: `{"role": "member"}`})
	p.write(Step{Op: "updateOrganizationTeamMember", Class: "valid", Caller: User, Method: http.MethodPut,
		Path: org + "/team/dfteam/members/" + usersOrg + "+dfbot", Body: `{}`, Capture: captureAvatar("dfbot")})

	get := func(op, class, path string, callers ...Caller) {
		for _, c := range callers {
			p.write(Step{Op: op, Class: class, Caller: c, Method: http.MethodGet, Path: path})
		}
	}
	get("getLoggedInUser", "with an organization", api+"/user/", User)
	if p.fx.User != "" {
		get("getUserInformation", "with an organization", api+"/users/"+p.fx.User, User, Superuser, Anonymous)
	}
	entities := api + "/entities/"
	ns := "?namespace=" + usersOrg + "&includeTeams=true&includeOrgs=true"
	get("getMatchingEntities", "an organization's robots, teams and itself", entities+"df"+ns, Callers...)
	get("getMatchingEntities", "an organization's robot", entities+"dfb"+ns, User, Superuser)
	get("getMatchingEntities", "teams and orgs not asked for", entities+"df?namespace="+usersOrg, User)
	get("getMatchingEntities", "includeTeams=false", entities+"df?namespace="+usersOrg+"&includeTeams=false&includeOrgs=0", User)

	p.write(Step{Op: "deleteAdminedOrganization", Class: "valid", Caller: User, Method: http.MethodDelete, Path: org})
	get("getLoggedInUser", "after deleteAdminedOrganization", api+"/user/", User)
}

// upper is s in ASCII upper case.
func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// captureAvatar captures the avatar of an answer's top level, whose hash
// and color come from a random e-mail address (a robot's), as name+"hash"
// and name+"color".
func captureAvatar(name string) func([]byte) map[string]string {
	return func(body []byte) map[string]string {
		var v struct {
			Avatar struct{ Hash, Color string }
		}
		if json.Unmarshal(body, &v) != nil || v.Avatar.Hash == "" {
			return nil
		}
		return map[string]string{name + "hash": v.Avatar.Hash, name + "color": v.Avatar.Color}
	}
}
