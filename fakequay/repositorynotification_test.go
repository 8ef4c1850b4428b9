package fakequay

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// notificationHarness is the fixture with alice/app, an organization
// repository acme/web (matrixOrg: tess writes it, owen administers acme),
// and one notification on each: the uuids are returned.
func notificationHarness(t *testing.T) (h *harness, aliceUUID, acmeUUID string) {
	t.Helper()
	h = newHarness(t, func(s *Seed) {
		matrixOrg(s)
		s.Notifications = nil // the matrix's own, which these cases do not count on
		s.Config.FeatureSuperusersFullAccess = true
		s.Repositories = append(s.Repositories, SeedRepository{Namespace: "alice", Name: "app"})
	})
	create := func(path, token, body string) string {
		r := h.do("POST", path, token, body)
		if r.Status != 201 {
			t.Fatalf("create %s: %+v", path, r)
		}
		var v struct{ UUID string }
		if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
			t.Fatal(err)
		}
		return v.UUID
	}
	aliceUUID = create("/api/v1/repository/alice/app/notification/", tokAlice,
		`{"event": "repo_push", "method": "webhook", "config": {"url": "http://example.com/h"}, "eventConfig": {}, "title": "hook"}`)
	acmeUUID = create("/api/v1/repository/acme/web/notification/", "owen-token",
		`{"event": "build_failure", "method": "slack", "config": {"url": "x"}, "eventConfig": {"ref-regex": "main"}}`)
	return h, aliceUUID, acmeUUID
}

// notificationJSON is to_dict (repositorynotification_models_interface.py)
// as Flask-RESTful writes it.
func notificationJSON(uuid, title, event, method, config, eventConfig string, failures int) string {
	return `{"uuid": "` + uuid + `", "title": ` + title + `, "event": "` + event + `", "method": "` + method +
		`", "config": ` + config + `, "event_config": ` + eventConfig + `, "number_of_failures": ` + itoa(failures) + `}`
}

// TestRepoNotifications follows endpoints/api/repositorynotification.py
// and data/model/notification.py; every answer was observed on real Quay
// (realquay, devtable/simple and devtable/complex, whose fixture
// notification belongs to simple).
func TestRepoNotifications(t *testing.T) {
	t.Parallel()
	const alice, acme = "/api/v1/repository/alice/app/notification/", "/api/v1/repository/acme/web/notification/"
	cases := []struct {
		name                string
		method, path, token string
		body                string
		want                func(aliceUUID, acmeUUID string) reply
	}{
		{"list: creation order, to_dict keys", "GET", alice, tokAlice, "", func(a, _ string) reply {
			return jsonReply(200, `{"notifications": [`+notificationJSON(a, `"hook"`, "repo_push", "webhook",
				`{"url": "http://example.com/h"}`, `{}`, 0)+`]}`)
		}},
		{"list: a missing repository has none (superuser, :131)", "GET", "/api/v1/repository/alice/nosuch/notification/", tokAdmin, "",
			func(_, _ string) reply { return jsonReply(200, `{"notifications": []}`) }},
		{"list: the global read-only superuser reads (allow_for_global_readonly_superuser)", "GET", acme, tokAuditor, "",
			func(_, c string) reply {
				return jsonReply(200, `{"notifications": [`+notificationJSON(c, "null", "build_failure", "slack",
					`{"url": "x"}`, `{"ref-regex": "main"}`, 0)+`]}`)
			}},
		{"list: a writer is no admin (require_repo_admin)", "GET", acme, "tess-token", "", func(_, _ string) reply { return replyForbidden }},
		{"list: anonymous", "GET", acme, tokNone, "", func(_, _ string) reply { return replyUnauthorized }},
		{"list: no trailing slash redirects", "GET", "/api/v1/repository/acme/web/notification", "owen-token", "",
			func(_, _ string) reply { return replyRedirect("/api/v1/repository/acme/web/notification/") }},
		{"get: by uuid", "GET", acme, "owen-token", "", func(_, c string) reply {
			return jsonReply(200, `{"notifications": [`+notificationJSON(c, "null", "build_failure", "slack",
				`{"url": "x"}`, `{"ref-regex": "main"}`, 0)+`]}`)
		}},
		{"get: another repository's uuid is found (get_repo_notification, :150)", "GET", "", tokAdmin, "", nil},
		{"get: an unknown uuid is NotFound", "GET", alice + "nosuch", tokAlice, "", func(_, _ string) reply { return replyNotFound }},
		{"get: a superuser token with repo:read only", "GET", alice + "nosuch", tokNoScope, "",
			func(_, _ string) reply { return replyForbidden }},
		{"create: no body is no JSON", "POST", alice, tokAlice, "", func(_, _ string) reply {
			return jsonReply(415, `{"message": "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."}`)
		}},
		{"create: eventConfig is required", "POST", alice, tokAlice, `{"event": "repo_push", "method": "slack", "config": {}}`,
			func(_, _ string) reply { return apiErrorReply(400, "invalid_request", missingEventConfig) }},
		{"create: the method's check (request_error)", "POST", alice, tokAlice,
			`{"event": "repo_push", "method": "slack", "config": {}, "eventConfig": {}}`,
			func(_, _ string) reply { return apiErrorReply(400, "invalid_request", "Missing Slack Callback URL") }},
		{"create: an unknown event is ExternalNotificationEvent.DoesNotExist", "POST", alice, tokAlice,
			`{"event": "nope", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`, func(_, _ string) reply { return replyCrash }},
		{"create: a missing repository crashes (repository None)", "POST", "/api/v1/repository/alice/nosuch/notification/", tokAlice,
			`{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`, func(_, _ string) reply { return replyCrash }},
		{"create: the global read-only superuser may not (write)", "POST", alice, tokAuditor,
			`{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`, func(_, _ string) reply { return replyForbidden }},
		{"delete: another repository's uuid (:169)", "DELETE", "", tokAdmin, "", nil},
		{"delete: an unknown uuid", "DELETE", alice + "nosuch", tokAlice, "", func(_, _ string) reply {
			return apiErrorReply(400, "invalid_request", "No repository notification found for: alice, app, nosuch")
		}},
		{"reset: an unknown uuid", "POST", alice + "nosuch", tokAlice, "", func(_, _ string) reply {
			return apiErrorReply(400, "invalid_request", "No repository notification found for: alice, app, nosuch")
		}},
		{"reset: another repository's uuid is the model's exception (:203)", "POST", "", tokAdmin, "", nil},
		{"test: an unknown uuid", "POST", alice + "nosuch/test", tokAlice, "", func(_, _ string) reply {
			return apiErrorReply(400, "invalid_request", "No repository notification found for: alice, app, nosuch")
		}},
		{"test: another repository's uuid is queued (queue_test_notification, :219)", "POST", "", tokAdmin, "", nil},
		{"test: the global read-only superuser may not", "POST", "", tokAuditor, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, a, c := notificationHarness(t)
			path, want := tc.path, tc.want
			switch tc.name {
			case "get: another repository's uuid is found (get_repo_notification, :150)":
				path = alice + c
				want = func(_, c string) reply {
					return jsonReply(200, notificationJSON(c, "null", "build_failure", "slack", `{"url": "x"}`, `{"ref-regex": "main"}`, 0))
				}
			case "delete: another repository's uuid (:169)":
				path = alice + c
				want = func(_, c string) reply {
					return apiErrorReply(400, "invalid_request", "No repository notification found for: alice, app, "+c)
				}
			case "reset: another repository's uuid is the model's exception (:203)":
				path = alice + c
				want = func(_, c string) reply { return modelErrorReply("No repository notification found with uuid: " + c) }
			case "test: another repository's uuid is queued (queue_test_notification, :219)":
				path = alice + c + "/test"
				want = func(_, _ string) reply { return jsonReply(200, `{}`) }
			case "test: the global read-only superuser may not":
				path = acme + c + "/test"
				want = func(_, _ string) reply { return replyForbidden }
			}
			checkReply(t, want(a, c), h.do(tc.method, path, tc.token, tc.body))
		})
	}
}

// TestRepoNotificationWrites checks each write's reply, its effect and the
// audit rows repositorynotification.py writes (add_repo_notification,
// delete_repo_notification, reset_repo_notification; a test writes none),
// as observed on real Quay.
func TestRepoNotificationWrites(t *testing.T) {
	t.Parallel()
	h, a, _ := notificationHarness(t)
	const alice = "/api/v1/repository/alice/app/notification/"
	r := h.do("POST", alice, tokAlice,
		`{"event": "vulnerability_found", "method": "webhook", "config": {"url": "http://example.com/\u00e9", "x": [1, 2.0, null]}, "eventConfig": {"k": "\u00fc"}, "title": "t\u00ef"}`)
	var created struct{ UUID string }
	if err := json.Unmarshal([]byte(r.Body), &created); err != nil {
		t.Fatal(err)
	}
	b := created.UUID
	// Non-ASCII comes back escaped and 2.0 stays a float, as json.dumps and
	// Flask-RESTful write them.
	checkReply(t, jsonReply(201, notificationJSON(b, `"t\u00ef"`, "vulnerability_found", "webhook",
		`{"url": "http://example.com/\u00e9", "x": [1, 2.0, null]}`, `{"k": "\u00fc"}`, 0)), r)
	checkReply(t, jsonReply(200, `{}`), h.do("POST", alice+b+"/test", tokAlice, ""))
	checkReply(t, replyNoContent, h.do("POST", alice+a, tokAlice, ""))
	checkReply(t, replyNoContent, h.do("DELETE", alice+a, tokAlice, ""))
	checkReply(t, replyNotFound, h.do("GET", alice+a, tokAlice, ""))
	checkReply(t, jsonReply(200, `{"notifications": [`+notificationJSON(b, `"t\u00ef"`, "vulnerability_found", "webhook",
		`{"url": "http://example.com/\u00e9", "x": [1, 2.0, null]}`, `{"k": "\u00fc"}`, 0)+`]}`), h.do("GET", alice, tokAlice, ""))
	n, _ := h.s.store.Read().RepoNotificationByUUID(b)
	if diff := cmp.Diff(int64(1), n.TestsQueued); diff != "" {
		t.Errorf("tests queued (-want +got):\n%s", diff)
	}
	logMeta := func(kind, uuid, event, method string) loggedAction {
		return loggedAction{Kind: kind, Account: "alice", Performer: "alice", IP: "127.0.0.1",
			Metadata: `{"repo":"app","namespace":"alice","notification_id":"` + uuid + `","event":"` + event + `","method":"` + method + `"` + oauthMeta(3)}
	}
	var got []loggedAction
	for _, l := range h.logs() {
		if l.Account == "alice" {
			got = append(got, l)
		}
	}
	want := []loggedAction{
		logMeta("add_repo_notification", a, "repo_push", "webhook"),
		logMeta("add_repo_notification", b, "vulnerability_found", "webhook"),
		logMeta("reset_repo_notification", a, "repo_push", "webhook"),
		logMeta("delete_repo_notification", a, "repo_push", "webhook"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// TestTestRepoNotificationSampleData: vulnerability_found's sample data
// reads the level with int() (util/secscan get_priority_for_index): a
// string that is no number is caught, null is a TypeError (not observed
// on real Quay: its fixture has no such notification).
func TestTestRepoNotificationSampleData(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, eventConfig string
		want              reply
	}{
		{"no level", `{}`, jsonReply(200, `{}`)},
		{"a level that is no number", `{"level": "high"}`, jsonReply(200, `{}`)},
		{"a number", `{"level": 3}`, jsonReply(200, `{}`)},
		{"null", `{"level": null}`, replyCrash},
		{"a list", `{"level": []}`, replyCrash},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, _, _ := notificationHarness(t)
			const alice = "/api/v1/repository/alice/app/notification/"
			r := h.do("POST", alice, tokAlice, `{"event": "vulnerability_found", "method": "slack", "config": {"url": "x"}, "eventConfig": `+tc.eventConfig+`}`)
			var created struct{ UUID string }
			if err := json.Unmarshal([]byte(r.Body), &created); err != nil {
				t.Fatal(err)
			}
			checkReply(t, tc.want, h.do("POST", alice+created.UUID+"/test", tokAlice, ""))
		})
	}
}

// missingEventConfig is real Quay's detail for a body without eventConfig
// (jsonschema 3.2.0's message through validate_json_request).
const missingEventConfig = "'eventConfig' is a required property\n\nFailed validating 'required' in schema:\n    {'description': 'Information for creating a notification on a '\n                    'repository',\n     'properties': {'config': {'description': 'JSON config information for '\n                                              'the specific method of '\n                                              'notification',\n                               'type': 'object'},\n                    'event': {'description': 'The event on which the '\n                                             'notification will respond',\n                              'type': 'string'},\n                    'eventConfig': {'description': 'JSON config '\n                                                   'information for the '\n                                                   'specific event of '\n                                                   'notification',\n                                    'type': 'object'},\n                    'method': {'description': 'The method of notification '\n                                              '(such as email or web '\n                                              'callback)',\n                               'type': 'string'},\n                    'title': {'description': 'The human-readable title of '\n                                             'the notification',\n                              'type': 'string'}},\n     'required': ['event', 'method', 'config', 'eventConfig'],\n     'type': 'object'}\n\nOn instance:\n    {'config': {}, 'event': 'repo_push', 'method': 'slack'}"
