package conformance

import (
	"net/http"
	"strings"
)

// The robot API (endpoints/api/robot.py). The reads run against the
// starting state: every caller's own robots and those of the fixture
// organization, without permissions (the snapshot carries no teams and no
// repository permissions, which those lists would show). The writes work
// in an organization the normal user creates, and so administers, and in
// each caller's own namespace, and delete all they made.

// robotsOrg is the organization the robot writes create.
const robotsOrg = "dfrobots"

// robotReads adds the robot reads of the starting state.
func (p *planner) robotReads() {
	fx := p.fx
	userList := api + "/user/robots"
	p.read("getUserRobots", "valid", userList, Callers...)
	p.read("getUserRobots", "token=false", userList+"?token=false")
	p.read("getUserRobots", "limit 1", userList+"?limit=1")
	p.read("getUserRobots", "limit 0", userList+"?limit=0")
	p.read("getUserRobots", "limit abc", userList+"?limit=abc", Superuser, Anonymous)
	p.read("getUserRobots", "limit past bigint", userList+"?limit=99999999999999999999")
	p.plan.Reads = append(p.plan.Reads, Step{Op: "getUserRobots", Class: "limit -1", Caller: Superuser, Method: http.MethodGet,
		Path: userList + "?limit=-1", Judge: "SQLite: LIMIT -1 is no limit in SQLite; Postgres refuses a negative LIMIT"})
	p.read("getUserRobot", "unknown id", userList+"/nosuch", Superuser, User, Anonymous)
	p.read("getUserRobot", "a name with a plus", userList+"/a+b")
	p.read("getUserRobot", "unicode name", userList+"/%C3%A9t%C3%A9")
	if fx.Org == "" {
		return
	}
	orgList := api + "/organization/" + fx.Org + "/robots"
	p.read("getOrgRobots", "valid", orgList, Callers...)
	p.read("getOrgRobots", "token=false", orgList+"?token=false")
	p.read("getOrgRobots", "limit 2", orgList+"?limit=2", Superuser, ReadOnly)
	p.read("getOrgRobots", "limit abc, before the permission", orgList+"?limit=abc", User)
	p.read("getOrgRobots", "an unknown organization", api+"/organization/nosuch/robots")
	p.read("getOrgRobots", "a user's namespace", api+"/organization/"+fx.Superuser+"/robots?token=false")
	if fx.OrgRobot == "" {
		return
	}
	robot := orgList + "/" + fx.OrgRobot
	p.read("getOrgRobot", "valid", robot, Callers...)
	p.read("getOrgRobot", "unknown id", orgList+"/nosuch", Superuser, User)
	p.read("getOrgRobot", "an unknown organization", api+"/organization/nosuch/robots/"+fx.OrgRobot)
	p.read("getOrgRobotPermissions", "valid", robot+"/permissions", Callers...)
	p.read("getOrgRobotPermissions", "unknown id", orgList+"/nosuch/permissions")
	p.read("getOrgRobotFederation", "valid", robot+"/federation", Callers...)
	p.read("getOrgRobotFederation", "unknown id", orgList+"/nosuch/federation")
}

// robotWrites adds the robot writes.
func (p *planner) robotWrites() {
	org := api + "/organization/" + robotsOrg + "/robots/"
	user := api + "/user/robots/"
	long := strings.Repeat("a", 256)
	// except adds s as every caller but the superuser (who may, with full
	// access) and the normal user (the organization's administrator).
	except := func(s Step) {
		for _, c := range []Caller{ReadOnly, NoScope, Anonymous, Invalid} {
			o := s
			o.Caller, o.Class, o.Capture = c, "caller", nil
			p.write(o)
		}
	}
	token := func(name string) func([]byte) map[string]string { return captureField(name, "token") }

	// The organization, as the normal user: its first administrator.
	p.write(Step{Op: "createOrganization", Class: "valid", Caller: User, Method: http.MethodPost, Path: api + "/organization/",
		Body: `{"name": "` + robotsOrg + `", "email": "` + robotsOrg + `@example.org"}`})

	// createOrgRobot: the optional body's schema before the permission,
	// then get_organization, then create_robot.
	const create = "createOrgRobot"
	p.bodies(create, http.MethodPut, org+"dfx",
		[2]string{"wrong type", `{"description": 5}`},
		[2]string{"wrong type", `{"description": null}`},
		[2]string{"wrong type", `{"unstructured_metadata": "x"}`},
		[2]string{"wrong type", `{"unstructured_metadata": null}`},
		[2]string{"wrong type", `"dfx"`},
		[2]string{"array body", `[]`},
		[2]string{"bad value", `{"description": "` + long + `"}`},
		[2]string{"nesting past the recursion limit", strings.Repeat("[", 20000) + strings.Repeat("]", 20000)},
	)
	for _, c := range [][2]string{{"bad value", "Bad"}, {"a plus in the name", "a+b"}, {"too short", "a"}, {"too long", long}} {
		p.write(Step{Op: create, Class: c[0], Method: http.MethodPut, Path: org + c[1]})
	}
	p.write(Step{Op: create, Class: "unicode name", Method: http.MethodPut, Path: org + "%C3%A4bc"})
	p.write(Step{Op: create, Class: "an unknown organization", Method: http.MethodPut, Path: api + "/organization/nosuch/robots/dfx"})
	p.write(Step{Op: create, Class: "a user's namespace", Method: http.MethodPut, Path: api + "/organization/" + p.fx.Superuser + "/robots/dfx"})
	if !p.fx.Harness {
		p.bodies(create, http.MethodPut, org+"dfnul", [2]string{"a NUL in the description", `{"description": "a\u0000b"}`})
	}
	// A body get_json(silent=True) cannot read is no body: each creates.
	p.write(Step{Op: create, Class: "malformed JSON", Method: http.MethodPut, Path: org + "dfmalformed", Body: `{"x": `, Capture: token("tokmalformed")})
	p.write(Step{Op: create, Class: "null body", Method: http.MethodPut, Path: org + "dfnull", Body: `null`, Capture: token("toknull")})
	p.write(Step{Op: create, Class: "text/plain", Method: http.MethodPut, Path: org + "dftext", Body: `{"description": "x"}`,
		Header: []string{"Content-Type", "text/plain"}, Capture: token("toktext")})
	valid := Step{Op: create, Class: "valid", Method: http.MethodPut, Path: org + "dfci",
		Body: `{"description": "CI", "unstructured_metadata": {"owner": "platform", "tier": 1, "ratio": 1.0, "tags": ["a", null]}}`}
	except(valid)
	valid.Caller, valid.Capture = User, token("tokci")
	p.write(valid)
	p.write(Step{Op: create, Class: "valid", Method: http.MethodPut, Path: org + "dfsu", Capture: token("toksu")})
	p.write(Step{Op: create, Class: "taken", Caller: User, Method: http.MethodPut, Path: org + "dfci", Body: `{}`})

	orgList := api + "/organization/" + robotsOrg + "/robots"
	p.check("getOrgRobots", "after createOrgRobot", orgList)
	for _, c := range Callers {
		p.write(Step{Op: "getOrgRobots", Class: "after createOrgRobot, with permissions", Caller: c, Method: http.MethodGet,
			Path: orgList + "?permissions=true"})
	}
	p.check("getOrgRobots", "limit 1 with permissions", orgList+"?permissions=true&limit=1")
	for _, c := range Callers {
		p.write(Step{Op: "getOrgRobot", Class: "after createOrgRobot", Caller: c, Method: http.MethodGet, Path: org + "dfci"})
		p.write(Step{Op: "getOrgRobotPermissions", Class: "after createOrgRobot", Caller: c, Method: http.MethodGet, Path: org + "dfci/permissions"})
	}

	// regenerateOrgRobotToken
	const regen = "regenerateOrgRobotToken"
	p.write(Step{Op: regen, Class: "unknown id", Method: http.MethodPost, Path: org + "nosuch/regenerate"})
	p.write(Step{Op: regen, Class: "an unknown organization", Method: http.MethodPost, Path: api + "/organization/nosuch/robots/dfci/regenerate"})
	p.write(Step{Op: regen, Class: "a stray body", Caller: User, Method: http.MethodPost, Path: org + "dfsu/regenerate", Body: `{"x": 1}`,
		Capture: token("toksu2")})
	vregen := Step{Op: regen, Class: "valid", Method: http.MethodPost, Path: org + "dfci/regenerate"}
	except(vregen)
	vregen.Caller, vregen.Capture = User, token("tokci2")
	p.write(vregen)
	p.check("getOrgRobot", "after regenerateOrgRobotToken", org+"dfci")

	// createOrgRobotFederation: the schema, the permission, the entries,
	// lookup_robot.
	const setFed = "createOrgRobotFederation"
	fed := org + "dfci/federation"
	p.bodies(setFed, http.MethodPost, fed,
		[2]string{"wrong type", `{"issuer": "https://a.example", "subject": "s"}`},
		[2]string{"missing field", `[{"issuer": "https://a.example"}]`},
		[2]string{"missing field", `[{}]`},
		[2]string{"wrong type", `[{"issuer": "https://a.example", "subject": 5}]`},
		[2]string{"wrong type", `["https://a.example"]`},
		[2]string{"bad value", `[{"issuer": "", "subject": "s"}]`},
		[2]string{"bad value", `[{"issuer": "ftp://a.example", "subject": "s"}]`},
		[2]string{"duplicate entries", `[{"issuer": "https://a.example", "subject": "s"}, {"issuer": "https://a.example", "subject": "s"}]`},
	)
	p.transport(setFed, http.MethodPost, fed, `[]`)
	p.write(Step{Op: setFed, Class: "unknown id", Method: http.MethodPost, Path: org + "nosuch/federation", Body: `[]`})
	p.write(Step{Op: setFed, Class: "the entries before lookup_robot", Method: http.MethodPost, Path: org + "nosuch/federation",
		Body: `[{"issuer": "a.example", "subject": "s"}]`})
	vfed := Step{Op: setFed, Class: "valid", Method: http.MethodPost, Path: fed,
		Body: `[{"issuer": "https://token.actions.githubusercontent.com", "subject": "repo:acme/web:ref:refs/heads/main", "extra": 1}, ` +
			`{"issuer": "http://gitlab.example.com", "subject": "project_path:acme/web"}]`}
	except(vfed)
	vfed.Caller = User
	p.write(vfed)
	for _, c := range Callers {
		p.write(Step{Op: "getOrgRobotFederation", Class: "after createOrgRobotFederation", Caller: c, Method: http.MethodGet, Path: fed})
	}
	const delFed = "deleteOrgRobotFederation"
	p.write(Step{Op: delFed, Class: "unknown id", Method: http.MethodDelete, Path: org + "nosuch/federation"})
	vdel := Step{Op: delFed, Class: "valid", Method: http.MethodDelete, Path: fed}
	except(vdel)
	vdel.Caller = User
	p.write(vdel)
	p.write(Step{Op: delFed, Class: "again", Caller: User, Method: http.MethodDelete, Path: fed})
	p.check("getOrgRobotFederation", "after deleteOrgRobotFederation", fed)

	// The user's own robots, as each caller that may: the superuser, the
	// normal user and the read-only superuser (require_user_admin).
	p.userRobotWrites(user)

	// deleteOrgRobot, then the organization with what is left.
	const del = "deleteOrgRobot"
	p.write(Step{Op: del, Class: "unknown id", Method: http.MethodDelete, Path: org + "nosuch"})
	p.write(Step{Op: del, Class: "an unknown organization", Method: http.MethodDelete, Path: api + "/organization/nosuch/robots/dfci"})
	vdelRobot := Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: org + "dfci"}
	except(vdelRobot)
	vdelRobot.Caller = User
	p.write(vdelRobot)
	p.write(Step{Op: del, Class: "again", Caller: User, Method: http.MethodDelete, Path: org + "dfci"})
	p.write(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: org + "dfmalformed"})
	p.check("getOrgRobots", "after deleteOrgRobot", orgList)
	p.write(Step{Op: "deleteAdminedOrganization", Class: "valid", Caller: User, Method: http.MethodDelete,
		Path: api + "/organization/" + robotsOrg})
	// Its robots went with it: lookup_robot finds none.
	p.check("getOrgRobotFederation", "after deleteAdminedOrganization", org+"dfsu/federation")
}

// userRobotWrites: the user robot routes, on each caller's namespace.
func (p *planner) userRobotWrites(user string) {
	const create = "createUserRobot"
	token := func(name string) func([]byte) map[string]string { return captureField(name, "token") }
	makers := []Caller{Superuser, User, ReadOnly}
	p.bodies(create, http.MethodPut, user+"dfx",
		[2]string{"wrong type", `{"description": 5}`},
		[2]string{"wrong type", `{"unstructured_metadata": []}`},
		[2]string{"array body", `[]`},
	)
	p.write(Step{Op: create, Class: "bad value", Method: http.MethodPut, Path: user + "Bad"})
	p.write(Step{Op: create, Class: "the permission before the body", Caller: NoScope, Method: http.MethodPut, Path: user + "dfx",
		Body: `{"description": 5}`})
	for _, c := range []Caller{NoScope, Anonymous, Invalid} {
		p.write(Step{Op: create, Class: "caller", Caller: c, Method: http.MethodPut, Path: user + "dfu"})
	}
	for _, c := range makers {
		p.write(Step{Op: create, Class: "valid", Caller: c, Method: http.MethodPut, Path: user + "dfu",
			Body: `{"description": "mine", "unstructured_metadata": {"k": [1.5]}}`, Capture: token("toku" + string(c))})
	}
	p.write(Step{Op: create, Class: "taken", Caller: User, Method: http.MethodPut, Path: user + "dfu"})

	list := api + "/user/robots"
	for _, c := range Callers {
		p.write(Step{Op: "getUserRobots", Class: "after createUserRobot", Caller: c, Method: http.MethodGet, Path: list})
		p.write(Step{Op: "getUserRobot", Class: "valid", Caller: c, Method: http.MethodGet, Path: user + "dfu"})
		p.write(Step{Op: "getUserRobotPermissions", Class: "valid", Caller: c, Method: http.MethodGet, Path: user + "dfu/permissions"})
		p.write(Step{Op: "getUserRobotFederation", Class: "valid", Caller: c, Method: http.MethodGet, Path: user + "dfu/federation"})
	}
	// The normal user's robots have no permissions or teams to show.
	p.write(Step{Op: "getUserRobots", Class: "permissions", Caller: User, Method: http.MethodGet, Path: list + "?permissions=true&limit=5"})
	p.write(Step{Op: "getUserRobotPermissions", Class: "unknown id", Caller: User, Method: http.MethodGet, Path: user + "nosuch/permissions"})

	const regen = "regenerateUserRobotToken"
	p.write(Step{Op: regen, Class: "unknown id", Method: http.MethodPost, Path: user + "nosuch/regenerate"})
	for _, c := range []Caller{NoScope, Anonymous, Invalid} {
		p.write(Step{Op: regen, Class: "caller", Caller: c, Method: http.MethodPost, Path: user + "dfu/regenerate"})
	}
	for _, c := range makers {
		p.write(Step{Op: regen, Class: "valid", Caller: c, Method: http.MethodPost, Path: user + "dfu/regenerate",
			Capture: token("toku2" + string(c))})
	}
	p.write(Step{Op: "getUserRobot", Class: "after regenerateUserRobotToken", Caller: User, Method: http.MethodGet, Path: user + "dfu"})

	const setFed, delFed = "createUserRobotFederation", "deleteUserRobotFederation"
	fed := user + "dfu/federation"
	p.bodies(setFed, http.MethodPost, fed,
		[2]string{"wrong type", `{}`},
		[2]string{"missing field", `[{"subject": "s"}]`},
		[2]string{"bad value", `[{"issuer": "a.example", "subject": "s"}]`},
	)
	p.write(Step{Op: setFed, Class: "unknown id", Method: http.MethodPost, Path: user + "nosuch/federation", Body: `[]`})
	for _, c := range []Caller{NoScope, Anonymous, Invalid} {
		p.write(Step{Op: setFed, Class: "caller", Caller: c, Method: http.MethodPost, Path: fed, Body: `[]`})
		p.write(Step{Op: delFed, Class: "caller", Caller: c, Method: http.MethodDelete, Path: fed})
	}
	for _, c := range makers {
		p.write(Step{Op: setFed, Class: "valid", Caller: c, Method: http.MethodPost, Path: fed,
			Body: `[{"issuer": "https://ci.example", "subject": "` + string(c) + `"}]`})
	}
	p.write(Step{Op: "getUserRobotFederation", Class: "after createUserRobotFederation", Caller: User, Method: http.MethodGet, Path: fed})
	p.write(Step{Op: delFed, Class: "unknown id", Method: http.MethodDelete, Path: user + "nosuch/federation"})
	for _, c := range makers {
		p.write(Step{Op: delFed, Class: "valid", Caller: c, Method: http.MethodDelete, Path: fed})
	}

	const del = "deleteUserRobot"
	if p.fx.MirrorRobot != "" {
		p.write(Step{Op: del, Class: "a mirror's robot", Method: http.MethodDelete, Path: user + p.fx.MirrorRobot})
	}
	for _, c := range []Caller{NoScope, Anonymous, Invalid} {
		p.write(Step{Op: del, Class: "caller", Caller: c, Method: http.MethodDelete, Path: user + "dfu"})
	}
	for _, c := range makers {
		p.write(Step{Op: del, Class: "valid", Caller: c, Method: http.MethodDelete, Path: user + "dfu"})
	}
	p.write(Step{Op: del, Class: "again", Caller: User, Method: http.MethodDelete, Path: user + "dfu"})
	p.write(Step{Op: "getUserRobots", Class: "after deleteUserRobot", Caller: User, Method: http.MethodGet, Path: list})
}
