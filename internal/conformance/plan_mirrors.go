package conformance

import "net/http"

// Repository mirroring (endpoints/api/mirror.py), on a repository of an
// organization the User caller creates (and so administers), with a robot
// of its own: every caller class meets require_repo_admin. The sources are
// IP literals: real Quay resolves a host name, which a harness without DNS
// refuses. A mirror cannot be deleted through the API; the run's database
// is fresh each time.

// mirrorOrg is the organization the mirror steps create.
const mirrorOrg = "dfmirror"

// mirrorWrites adds the mirror steps.
func (p *planner) mirrorWrites() {
	repoPath := api + "/repository/" + mirrorOrg + "/app"
	base := repoPath + "/mirror"
	missing := api + "/repository/" + mirrorOrg + "/nosuchrepo/mirror"
	robot := mirrorOrg + "+puller"
	p.write(Step{Op: "createOrganization", Class: "valid", Caller: User, Method: http.MethodPost, Path: api + "/organization/",
		Body: `{"name": "` + mirrorOrg + `", "email": "` + mirrorOrg + `@example.org"}`})
	p.write(Step{Op: "createRepo", Class: "valid", Caller: User, Method: http.MethodPost, Path: api + "/repository",
		Body: `{"namespace": "` + mirrorOrg + `", "repository": "app", "visibility": "public", "description": "d"}`})
	p.write(Step{Op: "createOrgRobot", Class: "valid", Caller: User, Method: http.MethodPut,
		Path: api + "/organization/" + mirrorOrg + "/robots/puller", Capture: captureField("mirrortoken", "token")})

	// Before any mirror: NotFound, for every caller the permission lets by.
	for _, c := range Callers {
		p.write(Step{Op: "getRepoMirrorConfig", Class: "no mirror", Caller: c, Method: http.MethodGet, Path: base})
	}
	p.write(Step{Op: "getRepoMirrorConfig", Class: "unknown repository", Method: http.MethodGet, Path: missing})
	p.write(Step{Op: "syncNow", Class: "no mirror", Method: http.MethodPost, Path: base + "/sync-now"})
	p.write(Step{Op: "syncCancel", Class: "no mirror", Method: http.MethodPost, Path: base + "/sync-cancel"})
	p.write(Step{Op: "changeRepoMirrorConfig", Class: "no mirror", Method: http.MethodPut, Path: base, Body: `{"sync_interval": 60}`})

	body := func(ref, date, rule, robot, extra string) string {
		return `{"external_reference": "` + ref + `", "sync_interval": 3600, "sync_start_date": "` + date +
			`", "root_rule": {"rule_kind": "tag_glob_csv", "rule_value": ` + rule + `}, "robot_username": "` + robot +
			`", "skopeo_timeout_interval": 300` + extra + `}`
	}
	const date, rule = "2026-12-08T00:00:00Z", `["v3.*"]`
	valid := body("8.8.8.8:5000/coreos/etcd", date, rule, robot,
		`, "external_registry_username": "puller", "external_registry_password": "pw", "external_registry_config": {"verify_tls": false, "zz": [1, 2.5]}`)
	const create = "createRepoMirrorConfig"
	p.bodies(create, http.MethodPost, base,
		[2]string{"missing field", `{"external_reference": "8.8.8.8/x", "sync_interval": 1, "sync_start_date": "` + date + `", "skopeo_timeout_interval": 300}`},
		[2]string{"wrong type", body("8.8.8.8/x", date, rule, robot, `, "is_enabled": "yes"`)},
		[2]string{"wrong type", body("8.8.8.8/x", date, `"v3.*"`, robot, "")},
		[2]string{"bad value", body("8.8.8.8/x", date, rule, robot, `, "skopeo_timeout_interval": 299`)},
		[2]string{"bad value", `{"external_reference": "8.8.8.8/x", "sync_interval": 1, "sync_start_date": "` + date +
			`", "root_rule": {"rule_kind": "regex", "rule_value": ["a"]}, "robot_username": "` + robot + `", "skopeo_timeout_interval": 300}`},
		[2]string{"a private address", body("10.1.2.3/coreos/etcd", date, rule, robot, "")},
		[2]string{"a loopback address", body("127.0.0.1:5000/coreos/etcd", date, rule, robot, "")},
		[2]string{"no repository path", body("8.8.8.8", date, rule, robot, "")},
		[2]string{"a URL scheme", body("https://8.8.8.8/x", date, rule, robot, "")},
		[2]string{"a bad port", body("8.8.8.8:99999/x", date, rule, robot, "")},
		[2]string{"a bad date", body("8.8.8.8/x", "2026-12-08 00:00:00", rule, robot, "")},
		[2]string{"an impossible date", body("8.8.8.8/x", "2026-02-30T00:00:00Z", rule, robot, "")},
		[2]string{"an empty rule", body("8.8.8.8/x", date, `[]`, robot, "")},
		[2]string{"an architecture filter", body("8.8.8.8/x", date, rule, robot, `, "architecture_filter": ["amd64"]`)},
		[2]string{"an unknown robot", body("8.8.8.8/x", date, rule, mirrorOrg+"+nosuch", "")},
		[2]string{"a robot name without +", body("8.8.8.8/x", date, rule, "nosuch", "")},
	)
	if p.fx.MirrorRobot != "" {
		p.bodies(create, http.MethodPost, base, [2]string{"another namespace's robot",
			body("8.8.8.8/x", date, rule, p.fx.Superuser+"+"+p.fx.MirrorRobot, "")})
	}
	p.transport(create, http.MethodPost, base, valid)
	p.bodies(create, http.MethodPost, missing, [2]string{"unknown repository", valid})
	for _, c := range []Caller{ReadOnly, NoScope, Anonymous, Invalid} {
		p.write(Step{Op: create, Class: "caller", Caller: c, Method: http.MethodPost, Path: base, Body: valid})
	}
	p.write(Step{Op: create, Class: "valid", Caller: User, Method: http.MethodPost, Path: base, Body: valid})
	p.write(Step{Op: create, Class: "taken", Caller: User, Method: http.MethodPost, Path: base, Body: valid})
	for _, c := range Callers {
		p.write(Step{Op: "getRepoMirrorConfig", Class: "valid", Caller: c, Method: http.MethodGet, Path: base})
	}
	p.check("getRepo", "after createRepoMirrorConfig", repoPath)
	p.check("listRepoUserPermissions", "after createRepoMirrorConfig", repoPath+"/permissions/user/")

	const change = "changeRepoMirrorConfig"
	p.bodies(change, http.MethodPut, base,
		[2]string{"wrong type", `{"sync_interval": "60"}`},
		[2]string{"bad value", `{"sync_interval": -1}`},
		[2]string{"a password without a username", `{"external_registry_password": "x"}`},
		[2]string{"no username with a password", `{"external_registry_username": null, "external_registry_password": "x"}`},
		[2]string{"an empty rule", `{"is_enabled": false, "root_rule": {"rule_kind": "tag_glob_csv", "rule_value": []}}`},
		[2]string{"a bad date", `{"sync_start_date": "tomorrow"}`},
		[2]string{"a private address", `{"external_reference": "192.168.1.1/x"}`},
		[2]string{"an unknown robot", `{"robot_username": "` + mirrorOrg + `+nosuch"}`},
		[2]string{"an architecture filter", `{"architecture_filter": ["arm64"]}`},
	)
	p.transport(change, http.MethodPut, base, `{"sync_interval": 60}`)
	update := `{"is_enabled": false, "external_reference": "8.8.4.4/library/etcd", "robot_username": "` + robot +
		`", "sync_start_date": "2026-1-2t3:4:5z", "sync_interval": 7200, "skopeo_timeout_interval": 600, "architecture_filter": null, ` +
		`"external_registry_username": "u2", "external_registry_config": {"verify_tls": true, "unsigned_images": true, ` +
		`"proxy": {"http_proxy": "http://p.example.com:3128", "no_proxy": "localhost"}}, "root_rule": {"rule_kind": "tag_glob_csv", "rule_value": ["latest", "v3.5.*"]}}`
	for _, c := range []Caller{ReadOnly, NoScope, Anonymous, Invalid} {
		p.write(Step{Op: change, Class: "caller", Caller: c, Method: http.MethodPut, Path: base, Body: update})
	}
	p.write(Step{Op: change, Class: "valid", Caller: User, Method: http.MethodPut, Path: base, Body: update})
	p.check("getRepoMirrorConfig", "after changeRepoMirrorConfig", base)
	// The proxy again (the first time only created the proxy object), and
	// the credentials cleared.
	p.write(Step{Op: change, Class: "valid", Method: http.MethodPut, Path: base,
		Body: `{"external_registry_config": {"proxy": {"https_proxy": "http://p.example.com:3128", "no_proxy": "localhost"}}, ` +
			`"external_registry_username": null, "external_registry_password": null}`})
	p.check("getRepoMirrorConfig", "after changeRepoMirrorConfig", base)

	for _, op := range []string{"syncNow", "syncCancel"} {
		path := base + "/sync-now"
		if op == "syncCancel" {
			path = base + "/sync-cancel"
		}
		for _, c := range []Caller{ReadOnly, NoScope, Anonymous, Invalid} {
			p.write(Step{Op: op, Class: "caller", Caller: c, Method: http.MethodPost, Path: path})
		}
		p.write(Step{Op: op, Class: "unknown repository", Method: http.MethodPost, Path: missing + path[len(base):]})
	}
	p.write(Step{Op: "syncCancel", Class: "nothing to cancel", Method: http.MethodPost, Path: base + "/sync-cancel"})
	p.write(Step{Op: "syncNow", Class: "valid", Caller: User, Method: http.MethodPost, Path: base + "/sync-now"})
	p.write(Step{Op: "syncNow", Class: "valid", Method: http.MethodPost, Path: base + "/sync-now"})
	p.check("getRepoMirrorConfig", "after syncNow", base)
	p.write(Step{Op: "syncCancel", Class: "valid", Caller: User, Method: http.MethodPost, Path: base + "/sync-cancel"})
	p.write(Step{Op: "syncCancel", Class: "nothing to cancel", Method: http.MethodPost, Path: base + "/sync-cancel"})
	p.check("getRepoMirrorConfig", "after syncCancel", base)
	// A mirror's robot cannot be deleted (robot_has_mirror).
	p.write(Step{Op: "deleteOrgRobot", Class: "a mirror's robot", Method: http.MethodDelete,
		Path: api + "/organization/" + mirrorOrg + "/robots/puller"})
}

// mirrorReads reads the starting state's mirror, which the snapshot copied
// (fakequay/snapshot readRepoMirrors).
func (p *planner) mirrorReads() {
	if p.fx.MirrorRepo == "" {
		return
	}
	p.read("getRepoMirrorConfig", "valid", api+"/repository/"+p.fx.MirrorRepo+"/mirror", Callers...)
}
