package fakequay

// The bad-input corpus of endpoints/api/repositorynotification.py. The
// answers were observed on real Quay (the realquay harness) with
// /api/v1/repository/devtable/simple/notification/...; the corpus
// fixture's acme/web (matrixOrg, with its notification
// matrix-notification) stands in for it, with owen, acme's admin, asking.
func repositoryNotificationBadInputs() []badInput {
	const list = "/api/v1/repository/acme/web/notification/"
	owner := "owen-token"
	b := func(name, method, path, token, body string, want shape) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want}
	}
	create := func(name, body string, want shape) badInput {
		return b("§repositorynotification.py createRepoNotification: "+name, "POST", list, owner, body, want)
	}
	const noNotification = "No repository notification found for: acme, web, nosuch"
	return []badInput{
		create("config a string", `{"event": "repo_push", "method": "slack", "config": "x", "eventConfig": {}}`,
			invalid("'x' is not of type 'object'")),
		create("title a number", `{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}, "title": 5}`,
			invalid("5 is not of type 'string'")),
		create("title null", `{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}, "title": null}`,
			invalid("None is not of type 'string'")),
		create("no event", `{"method": "slack", "config": {}, "eventConfig": {}}`, invalid("'event' is a required property")),
		create("an array body", `[]`, invalid("[] is not of type 'object'")),
		create("eventConfig an array", `{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": []}`,
			invalid("[] is not of type 'object'")),
		create("no body", "", shNotJSON),
		create("an unknown method (InvalidNotificationMethodException)", `{"event": "repo_push", "method": "nope", "config": {}, "eventConfig": {}}`,
			shCrash),
		create("an unknown event", `{"event": "nope", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`, shCrash),
		create("a webhook to localhost", `{"event": "repo_push", "method": "webhook", "config": {"url": "http://localhost/"}, "eventConfig": {}}`,
			invalid("Invalid webhook URL")),
		create("an unknown user target", `{"event": "repo_push", "method": "quay_notification", "config": {"target": {"kind": "user", "name": "nosuch"}}, "eventConfig": {}}`,
			invalid("Unknown user nosuch")),
		create("an e-mail address never authorized", `{"event": "repo_push", "method": "email", "config": {"email": "a@b.c"}, "eventConfig": {}}`,
			invalid("The specified e-mail address is not authorized to receive notifications for this repository")),
		b("§repositorynotification.py createRepoNotification: a missing repository (NULL repository_id)", "POST",
			"/api/v1/repository/acme/nosuch/notification/", owner, `{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`,
			shCrash),
		b("§repositorynotification.py createRepoNotification: the permission before the body", "POST", list, tokAlice, `[]`, shForbidden),
		b("§repositorynotification.py createRepoNotification: the global read-only superuser", "POST", list, tokAuditor,
			`{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`, shForbidden),
		b("§repositorynotification.py createRepoNotification: anonymous meets the CSRF check", "POST", list, tokNone, `{}`, shCSRF),
		b("§repositorynotification.py getRepoNotification: an unknown uuid", "GET", list+"nosuch", owner, "", shNotFound),
		b("§repositorynotification.py deleteRepoNotification: an unknown uuid", "DELETE", list+"nosuch", owner, "", invalid(noNotification)),
		b("§repositorynotification.py deleteRepoNotification: a writer is no admin", "DELETE", list+"matrix-notification", "tess-token", "",
			shForbidden),
		b("§repositorynotification.py resetRepositoryNotificationFailures: an unknown uuid", "POST", list+"nosuch", owner, "",
			invalid(noNotification)),
		b("§repositorynotification.py testRepoNotification: an unknown uuid", "POST", list+"nosuch/test", owner, "", invalid(noNotification)),
		b("§repositorynotification.py listRepoNotifications: no trailing slash", "GET", "/api/v1/repository/acme/web/notification", owner, "",
			shRedirect),
	}
}
