package conformance

import "net/http"

// Repository notifications (endpoints/api/repositorynotification.py). The
// reads run on the starting state: the notifications the snapshot copied
// (fakequay/snapshot's notification reader) of a repository of the
// superuser's. The writes create, test, reset and delete notifications of
// the content repository and compare only what they create; the uuids are
// random and captured.

// notificationRepo is the repository the notification steps use.
func (p *planner) notificationRepo() string {
	if p.fx.ContentRepo != "" {
		return p.fx.ContentRepo
	}
	return p.fx.NotificationRepo
}

// notificationReads adds the reads of the starting state.
func (p *planner) notificationReads() {
	fx := p.fx
	p.read("listRepoNotifications", "unknown repository", api+"/repository/"+fx.Superuser+"/nosuchrepo/notification/", Superuser, User, Anonymous)
	p.read("listRepoNotifications", "unknown namespace", api+"/repository/nosuchnamespace/nosuchrepo/notification/")
	if repo := p.notificationRepo(); repo != "" {
		list := api + "/repository/" + repo + "/notification/"
		p.read("listRepoNotifications", "valid", list, Callers...)
		p.read("listRepoNotifications", "no trailing slash", toggleSlash(list))
		p.read("getRepoNotification", "unknown uuid", list+"nosuch", Superuser, User, ReadOnly)
	}
	if fx.NotificationUUID == "" {
		return
	}
	one := api + "/repository/" + fx.NotificationRepo + "/notification/" + fx.NotificationUUID
	p.read("getRepoNotification", "valid", one, Callers...)
	// get_repo_notification finds a uuid whichever repository the path
	// names.
	p.read("getRepoNotification", "another repository's uuid",
		api+"/repository/"+fx.Superuser+"/nosuchrepo/notification/"+fx.NotificationUUID, Superuser)
}

// notificationWrites adds the writes on the content repository.
func (p *planner) notificationWrites() {
	repo := p.notificationRepo()
	if repo == "" {
		return
	}
	list := api + "/repository/" + repo + "/notification/"
	one := list + "{notif1}"
	const create = "createRepoNotification"
	valid := `{"event": "repo_push", "method": "slack", "config": {"url": "https://hooks.example.com/x"}, "eventConfig": {}, "title": "df"}`
	p.bodies(create, http.MethodPost, list,
		[2]string{"missing field", `{"event": "repo_push", "method": "slack", "config": {}}`},
		[2]string{"wrong type", `{"event": "repo_push", "method": "slack", "config": "x", "eventConfig": {}}`},
		[2]string{"wrong type", `{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}, "title": 5}`},
		[2]string{"wrong type", `{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": [], "title": "x"}`},
		[2]string{"bad value", `{"event": "repo_push", "method": "nope", "config": {}, "eventConfig": {}}`},
		[2]string{"bad value", `{"event": "nope", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`},
		[2]string{"bad value", `{"event": "repo_push", "method": "slack", "config": {}, "eventConfig": {}}`},
		[2]string{"bad value", `{"event": "repo_push", "method": "webhook", "config": {"url": "http://LocalHost:80/x"}, "eventConfig": {}}`},
		[2]string{"bad value", `{"event": "repo_push", "method": "webhook", "config": {"url": "http://example.com/h", "template": "{"}, "eventConfig": {}}`},
		[2]string{"bad value", `{"event": "repo_push", "method": "email", "config": {"email": "a@example.com"}, "eventConfig": {}}`},
		[2]string{"bad value", `{"event": "repo_push", "method": "quay_notification", "config": {"target": {"kind": "user", "name": "nosuchuser"}}, "eventConfig": {}}`},
		[2]string{"bad value", `{"event": "repo_push", "method": "quay_notification", "config": {"target": {"kind": "team", "name": "nosuchteam"}}, "eventConfig": {}}`},
	)
	p.transport(create, http.MethodPost, list, valid)
	p.bodies(create, http.MethodPost, api+"/repository/"+p.fx.Superuser+"/nosuchrepo/notification/",
		[2]string{"unknown repository", valid})
	p.guarded(Step{Op: create, Class: "valid", Method: http.MethodPost, Path: list, Body: valid, Capture: captureField("notif1", "uuid")})
	p.write(Step{Op: create, Class: "valid", Method: http.MethodPost, Path: list, Capture: captureField("notif2", "uuid"),
		Body: `{"event": "vulnerability_found", "method": "quay_notification", "config": {"target": {"kind": "user", "name": "` +
			p.fx.Superuser + `"}}, "eventConfig": {"level": "3", "x": [1, 2.0, null, "\u00e9"]}}`})
	p.write(Step{Op: create, Class: "valid", Method: http.MethodPost, Path: list, Capture: captureField("notif3", "uuid"),
		Body: `{"event": "build_failure", "method": "webhook", "config": {"url": "HTTP://example.com/h", "template": "{\"a\": 1}"}, "eventConfig": {"ref-regex": "main"}}`})
	for _, c := range Callers {
		p.write(Step{Op: "listRepoNotifications", Class: "after createRepoNotification", Caller: c, Method: http.MethodGet, Path: list})
		p.write(Step{Op: "getRepoNotification", Class: "valid", Caller: c, Method: http.MethodGet, Path: one})
	}
	p.check("getRepoNotification", "another repository's uuid", api+"/repository/"+p.fx.Superuser+"/nosuchrepo/notification/{notif2}")

	const test = "testRepoNotification"
	p.guarded(Step{Op: test, Class: "valid", Method: http.MethodPost, Path: one + "/test"})
	p.write(Step{Op: test, Class: "valid", Method: http.MethodPost, Path: list + "{notif2}/test"})
	p.write(Step{Op: test, Class: "unknown uuid", Method: http.MethodPost, Path: list + "nosuch/test"})
	p.write(Step{Op: test, Class: "another repository's uuid", Method: http.MethodPost,
		Path: api + "/repository/" + p.fx.Superuser + "/nosuchrepo/notification/{notif3}/test"})

	const reset = "resetRepositoryNotificationFailures"
	p.guarded(Step{Op: reset, Class: "valid", Method: http.MethodPost, Path: one})
	p.write(Step{Op: reset, Class: "unknown uuid", Method: http.MethodPost, Path: list + "nosuch"})
	p.write(Step{Op: reset, Class: "another repository's uuid", Method: http.MethodPost,
		Path: api + "/repository/" + p.fx.Superuser + "/nosuchrepo/notification/{notif3}"})

	const del = "deleteRepoNotification"
	p.write(Step{Op: del, Class: "unknown uuid", Method: http.MethodDelete, Path: list + "nosuch"})
	p.write(Step{Op: del, Class: "another repository's uuid", Method: http.MethodDelete,
		Path: api + "/repository/" + p.fx.Superuser + "/nosuchrepo/notification/{notif3}"})
	p.guarded(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: one})
	p.write(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: list + "{notif2}"})
	p.write(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: list + "{notif3}"})
	p.write(Step{Op: del, Class: "deleted", Method: http.MethodDelete, Path: one})
	p.check("getRepoNotification", "after deleteRepoNotification", one)
	p.check("listRepoNotifications", "after deleteRepoNotification", list)
}
