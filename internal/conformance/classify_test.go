package conformance

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Pages as the two kinds of server write them.
const (
	werkzeug500 = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n" +
		"<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n"
	werkzeug405 = "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n" +
		"<p>The method is not allowed for the requested URL.</p>\n"
	gunicorn500 = "<html>\n  <head>\n    <title>Internal Server Error</title>\n  </head>\n  <body>\n    <h1><p>Internal Server Error</p></h1>\n    \n  </body>\n</html>\n"
	nginx413    = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

// answer is a response from the harness (werkzeug's Server header) or
// from fakequay.
func answer(harness bool, status int, contentType, body string, header ...string) *Response {
	h := http.Header{"Content-Type": {contentType}}
	if harness {
		h.Set("Server", "Werkzeug/3.0.6 Python/3.11.2")
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &Response{Status: status, Header: h, Body: []byte(body)}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	get := func(op string) Step { return Step{Op: op, Method: http.MethodGet, Path: "/x", Caller: Superuser} }
	cors := []string{"Access-Control-Allow-Origin", "*"}
	tests := []struct {
		name       string
		step       Step
		real, fake *Response
		// want is one class name per difference, "" for an unexplained one.
		want []string
	}{
		{name: "werkzeug's 500 page for gunicorn's, CORS headers and all", step: get("listAllUsers"),
			real: answer(true, 500, "text/html; charset=utf-8", werkzeug500),
			fake: answer(false, 500, "text/html", gunicorn500, cors...),
			want: []string{
				"werkzeug's 500 page in TESTING mode (gunicorn's in production)",
				"werkzeug's 500 page in TESTING mode (gunicorn's in production)",
				"werkzeug's 500 page in TESTING mode (gunicorn's in production)"}},
		{name: "but a 500 where fakequay answers otherwise is a difference", step: get("listAllUsers"),
			real: answer(true, 500, "text/html; charset=utf-8", werkzeug500), fake: answer(false, 404, "application/json", `{}`),
			want: []string{"", "", ""}},
		{name: "nginx in front of the fake", step: Step{Op: "createInstallUser", Method: http.MethodPost},
			real: answer(true, 400, "application/json", `{"message": "x"}`), fake: answer(false, 413, "text/html", nginx413),
			want: []string{"nginx in front of Quay (the harness has none)", "nginx in front of Quay (the harness has none)",
				"nginx in front of Quay (the harness has none)"}},
		{name: "SQLite's text", step: Step{Op: "changeInstallUser", Method: http.MethodPut},
			real: answer(true, 400, "application/json", `{"message": "UNIQUE constraint failed: user.email"}`),
			fake: answer(false, 400, "application/json", `{"message": "E-mail address already used"}`),
			want: []string{"SQLite's error text (Postgres in production)"}},
		{name: "a step's judge, from the harness", step: Step{Op: "changeUserQuotaSuperUser", Judge: "SQLite: why"},
			real: answer(true, 404, "application/json", `{}`), fake: answer(false, 500, "application/json", `{}`),
			want: []string{"SQLite: why"}},
		{name: "but not from another Quay", step: Step{Op: "changeUserQuotaSuperUser", Judge: "SQLite: why"},
			real: answer(false, 404, "application/json", `{}`), fake: answer(false, 500, "application/json", `{}`),
			want: []string{""}},
		{name: "405 body by the hash seed, but not the Allow header", step: Step{Op: "listAllUsers", Method: http.MethodDelete},
			real: answer(true, 405, "text/html; charset=utf-8", werkzeug405, "Allow", "GET, HEAD, OPTIONS, POST"),
			fake: answer(false, 405, "application/json", `{"message": "The method is not allowed for the requested URL."}`, "Allow", "OPTIONS, POST"),
			want: []string{"", "405 body: JSON or werkzeug's HTML by the process's hash seed", "405 body: JSON or werkzeug's HTML by the process's hash seed"}},
		{name: "werkzeug's 405 page has no CORS headers", step: Step{Op: "listAllUsers", Method: http.MethodDelete},
			real: answer(true, 405, "text/html; charset=utf-8", werkzeug405, "Allow", "GET, OPTIONS"),
			fake: answer(false, 405, "application/json", `{"message": "The method is not allowed for the requested URL."}`,
				"Allow", "GET, OPTIONS", "Access-Control-Allow-Origin", "*"),
			want: []string{"405 body: JSON or werkzeug's HTML by the process's hash seed", "405 body: JSON or werkzeug's HTML by the process's hash seed",
				"405 body: JSON or werkzeug's HTML by the process's hash seed"}},
		{name: "the test-mode build stub moves phases", step: get("getRepoBuildSuperUser"),
			real: answer(true, 200, "application/json", `{"phase": "pushing", "tags": []}`),
			fake: answer(false, 200, "application/json", `{"phase": "waiting", "tags": ["latest"]}`),
			want: []string{"the harness's test-mode build-log stub (test/testlogs.py)", ""}},
		{name: "no build triggers in fakequay", step: get("getRepoBuildStatusSuperUser"),
			real: answer(true, 200, "application/json", `{"trigger": {"id": "t"}}`), fake: answer(false, 200, "application/json", `{"trigger": null}`),
			want: []string{"build views: fakequay has no build triggers (trigger is null)"}},
		{name: "no billing in fakequay", step: get("getOrganization"),
			real: answer(true, 200, "application/json", `{"is_free_account": false}`), fake: answer(false, 200, "application/json", `{"is_free_account": true}`),
			want: []string{"organizations: fakequay has no billing (is_free_account)"}},
		{name: "but a billed account in fakequay would be a difference", step: get("getOrganization"),
			real: answer(true, 200, "application/json", `{"is_free_account": true}`), fake: answer(false, 200, "application/json", `{"is_free_account": false}`),
			want: []string{""}},
		{name: "the harness's config provider", step: get("scRegistryStatus"),
			real: answer(true, 200, "application/json", `{"provider_id": "test", "status": "ready"}`),
			fake: answer(false, 200, "application/json", `{"provider_id": "file", "status": "ready"}`),
			want: []string{"the harness's config provider (provider_id test)"}},
		{name: "Quay's web UI on a GET no API rule takes", step: get("getInstallUser"),
			real: answer(true, 404, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html ng-app=\"quay\" class=\"hosted\">\n...",
				"Set-Cookie", "_csrf_token=x; HttpOnly", "X-Frame-Options", "DENY"),
			fake: answer(false, 404, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html>\n..."),
			want: []string{"web pages: fakequay serves no web UI", "web pages: fakequay serves no web UI", "web pages: fakequay serves no web UI"}},
		{name: "but not with another status", step: get("getInstallUser"),
			real: answer(true, 200, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html ng-app=\"quay\" class=\"hosted\">\n..."),
			fake: answer(false, 404, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html>\n..."),
			want: []string{"", ""}},
		{name: "anything else fails", step: get("listAllUsers"),
			real: answer(true, 200, "application/json", `{"users": []}`, "Vary", "Cookie"), fake: answer(false, 200, "application/json", `{"users": [1]}`),
			want: []string{"", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			diffs := Compare(tc.real, tc.fake, nil, nil)
			unexplained, classes := Classify(tc.step, tc.real, tc.fake, diffs)
			var got []string
			u, c := 0, 0
			for _, d := range diffs {
				if u < len(unexplained) && unexplained[u] == d {
					got = append(got, "")
					u++
					continue
				}
				got = append(got, classes[c].Name)
				c++
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("classes of %v (-want +got):\n%s", diffs, diff)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	step := func(op string) Step {
		return Step{Op: op, Class: "valid", Caller: Superuser, Method: http.MethodGet, Path: "/p/" + op}
	}
	results := []Result{
		{Step: step("a"), Outcome: Identical},
		{Step: step("a"), Outcome: Explained, Classes: []Class{{"werkzeug 500", Unjudgeable}}},
		{Step: step("b"), Outcome: Explained, Classes: []Class{{"no triggers", Known}}},
		{Step: step("c"), Outcome: Differing, Diffs: []Diff{{"status", "308", "404"}}},
		{Step: step("c"), Outcome: Differing, Diffs: []Diff{{"status", "200", "201"}}},
	}
	got := Summarize(results).String()
	want := strings.Join([]string{
		"requests compared: 5",
		"identical: 1",
		"unjudgeable here: 1",
		"known differences (README): 1",
		"differing: 2",
		"unjudgeable, by class:",
		"     1  werkzeug 500",
		"known differences, by class:",
		"     1  no triggers",
		"differing, by operation (one example each):",
		"     2  c",
		"        e.g. GET /p/c as superuser (c, valid)",
		"          status: real 308, fake 404",
		"",
	}, "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}
