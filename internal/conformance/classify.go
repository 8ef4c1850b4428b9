package conformance

import (
	"bytes"
	"slices"
	"strings"
)

// Kind says how a difference counts.
type Kind int

// The kinds of differences.
const (
	// Unexplained differences fail the test.
	Unexplained Kind = iota
	// Unjudgeable differences come from what this Quay is (werkzeug's dev
	// server in TESTING mode, SQLite, no nginx), not from fakequay.
	Unjudgeable
	// Known differences are ones the README lists under "Known differences
	// from Quay", where fakequay departs from Quay on purpose.
	Known
)

// Rule explains differences of one class.
type Rule struct {
	Class string
	Kind  Kind
	// Explains reports whether d, a difference in the answers to s, is of
	// this class.
	Explains func(s Step, real, fake *Response, d Diff) bool
}

// Rules are the classes a difference can be explained by, in the order
// they are tried.
var Rules = []Rule{
	{
		// realquay runs Quay with TESTING on: Flask propagates an unhandled
		// exception and werkzeug answers with its HTML page; production's
		// gunicorn answers with its own, which fakequay writes.
		Class: "werkzeug's 500 page in TESTING mode (gunicorn's in production)", Kind: Unjudgeable,
		Explains: func(_ Step, real, fake *Response, d Diff) bool {
			return real.Status == 500 && fake.Status == 500 && isWerkzeugPage(real) &&
				(d.Field == "body" || strings.HasPrefix(d.Field, "header "))
		},
	},
	{
		// fakequay answers for the nginx in front of Quay (a body over 1 MiB,
		// a URI nginx refuses); this Quay has no nginx.
		Class: "nginx in front of Quay (the harness has none)", Kind: Unjudgeable,
		Explains: func(_ Step, _, fake *Response, _ Diff) bool {
			return bytes.Contains(fake.Body, []byte("<center>nginx</center>"))
		},
	},
	{
		// With SQLite, a unique-constraint violation that Postgres reports
		// through Quay's own message surfaces as SQLite's text.
		Class: "SQLite's error text (Postgres in production)", Kind: Unjudgeable,
		Explains: func(_ Step, real, _ *Response, d Diff) bool {
			return bytes.Contains(real.Body, []byte("constraint failed")) && (d.Field == "status" || strings.HasPrefix(d.Field, "$") || d.Field == "body")
		},
	},
	{
		// Quay's ApiResource 405: werkzeug's HTML or the API's JSON,
		// whichever error handler the process's hash seed puts first (issue
		// 10), werkzeug's without the CORS headers Flask-RESTful's
		// handle_error adds; the status and the Allow header are still
		// judged.
		Class: "405 body: JSON or werkzeug's HTML by the process's hash seed", Kind: Unjudgeable,
		Explains: func(_ Step, real, fake *Response, d Diff) bool {
			return real.Status == 405 && fake.Status == 405 && (isWerkzeugPage(real) || isWerkzeugPage(fake)) &&
				(d.Field == "body" || d.Field == "header Content-Type" || strings.HasPrefix(d.Field, "header Access-Control-"))
		},
	},
	{
		// The harness's Quay reads a build's live status and log from
		// test/testlogs.py, which invents entries and moves a build's phase
		// on at every read (and answers 500 for builds it has no script for);
		// production reads them from Redis, which the harness lacks.
		Class: "the harness's test-mode build-log stub (test/testlogs.py)", Kind: Unjudgeable,
		Explains: func(s Step, real, _ *Response, d Diff) bool {
			if !isHarness(real) {
				return false
			}
			switch s.Op {
			case "getRepoBuildLogsSuperUser", "getRepoBuildLogsArchiveSuperUser":
				return true
			case "getRepoBuildSuperUser", "getRepoBuildStatusSuperUser":
				return d.Field == "$.phase" || d.Field == "$.status" || strings.HasPrefix(d.Field, "$.status.")
			}
			return false
		},
	},
	{
		// README, Known differences from Quay, Builds: fakequay models no
		// build triggers.
		Class: "build views: fakequay has no build triggers (trigger is null)", Kind: Known,
		Explains: func(s Step, _, _ *Response, d Diff) bool {
			return (s.Op == "getRepoBuildSuperUser" || s.Op == "getRepoBuildStatusSuperUser") && d.Field == "$.trigger" && d.Fake == "null"
		},
	},
	{
		// README, Known differences from Quay, Configuration dump: fakequay
		// dumps the keys it models, and no environment.
		Class: "config dump: fakequay dumps only the keys it models", Kind: Known,
		Explains: func(s Step, real, fake *Response, d Diff) bool {
			return s.Op == "GET "+api+"/superuser/config" && real.Status == 200 && fake.Status == 200 &&
				(d.Field == "format" || d.Field == "$ key order" || strings.HasPrefix(d.Field, "$.config") ||
					strings.HasPrefix(d.Field, "$.warning") || strings.HasPrefix(d.Field, "$.env") || strings.HasPrefix(d.Field, "$.schema"))
		},
	},
	{
		// README, Known differences from Quay, Web pages: a GET no API rule
		// takes gets Quay's web UI (its Angular index, cookies and all) with
		// the status the catch-all gives; fakequay answers with a page of
		// its own and the same status.
		Class: "web pages: fakequay serves no web UI", Kind: Known,
		Explains: func(_ Step, real, fake *Response, d Diff) bool {
			return real.Status == fake.Status && bytes.HasPrefix(real.Body, []byte("<!DOCTYPE html>\n<html ng-app=\"quay\"")) &&
				(d.Field == "body" || slices.Contains([]string{"header Cache-Control", "header Set-Cookie", "header Vary", "header X-Frame-Options"}, d.Field))
		},
	},
	{
		// README, Known differences from Quay, Organizations and teams:
		// fakequay has no billing, so no organization has a Stripe customer
		// (initdb.py gives buynlarge one).
		Class: "organizations: fakequay has no billing (is_free_account)", Kind: Known,
		Explains: func(s Step, _, _ *Response, d Diff) bool {
			return d.Field == "$.is_free_account" && d.Real == "false" && d.Fake == "true"
		},
	},
	{
		// The harness configures Quay with test/testconfig.py through
		// TestConfigProvider, production with a config file.
		Class: "the harness's config provider (provider_id test)", Kind: Unjudgeable,
		Explains: func(_ Step, _, _ *Response, d Diff) bool {
			return d.Field == "$.provider_id" && d.Real == `"test"`
		},
	},
}

// isHarness reports whether an answer came from werkzeug's development
// server, which only the realquay harness runs Quay under.
func isHarness(r *Response) bool { return strings.HasPrefix(r.Header.Get("Server"), "Werkzeug/") }

// isWerkzeugPage reports whether an answer is one of werkzeug's HTML error
// pages (its doctype line is lower-case, gunicorn's and nginx's have none).
func isWerkzeugPage(r *Response) bool {
	return bytes.HasPrefix(r.Body, []byte("<!doctype html>\n<html lang=en>"))
}

// Class is what explains a difference: a rule's class, or a step's Judge.
type Class struct {
	Name string
	Kind Kind
}

// Classify sorts the differences of one step's answers: each is explained
// by the step's Judge, else the first rule that explains it, or left
// unexplained. It returns the unexplained ones and the classes of the
// others, in the order of the differences.
func Classify(s Step, real, fake *Response, diffs []Diff) (unexplained []Diff, classes []Class) {
	for _, d := range diffs {
		switch i := slices.IndexFunc(Rules, func(r Rule) bool { return r.Explains(s, real, fake, d) }); {
		case s.Judge != "" && isHarness(real):
			classes = append(classes, Class{s.Judge, Unjudgeable})
		case i >= 0:
			classes = append(classes, Class{Rules[i].Class, Rules[i].Kind})
		default:
			unexplained = append(unexplained, d)
		}
	}
	return unexplained, classes
}
