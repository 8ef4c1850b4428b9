package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/fakequay/snapshot"
	"github.com/quaykit/go-quay/quay"
)

// The harness's tokens and the environment variables that name them.
var tokenEnv = map[Caller]string{
	Superuser: "QUAY_TOKEN",
	User:      "QUAY_USER_TOKEN",
	ReadOnly:  "QUAY_READONLY_TOKEN",
	NoScope:   "QUAY_NOSCOPE_TOKEN",
}

// withPassword gives every user of seed the password: a snapshot cannot
// read passwords (Quay keeps bcrypt hashes), and every user of the
// realquay harness signs in with "password" (initdb.py). "" leaves them
// without one.
func withPassword(seed *fakequay.Seed, password string) {
	for i := range seed.Users {
		seed.Users[i].Password = password
	}
}

// envOr is the variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// TestDifferential sends the plan to the Quay at QUAY_URL and to a
// fakequay loaded with a snapshot of it, and fails on every difference no
// rule explains. It needs a Quay freshly started from a known state (the
// realquay harness's run.sh starts each from its pristine DB), because the
// plan's writes create and delete users, organizations, quotas, keys and
// messages.
//
// Variables: QUAY_URL and QUAY_TOKEN (a superuser with super:user) are
// required; QUAY_USER_TOKEN, QUAY_READONLY_TOKEN and QUAY_NOSCOPE_TOKEN add
// those callers. The snapshot cannot read token scopes or OAuth
// applications: QUAY_NOSCOPE_SCOPES (default "repo:read user:read") gives
// the no-scope token's, the others have every scope, and
// QUAY_TOKEN_APPLICATION and QUAY_TOKEN_CLIENT_ID (defaults: the harness's
// "Some Test App" and "deadbeef") name the application all four belong to.
// Nor can it read passwords: QUAY_PASSWORD (default the harness's
// "password") is the one every user of the Quay has, which the fake's
// users are given and the session steps sign in with.
func TestDifferential(t *testing.T) {
	base, token := os.Getenv("QUAY_URL"), os.Getenv("QUAY_TOKEN")
	if base == "" || token == "" {
		t.Skip("QUAY_URL and QUAY_TOKEN are not set: no real Quay to compare fakequay with " +
			"(start one with the realquay harness: /tmp/realquay/run.sh PORT, then . tokens.env; see the README)")
	}
	started := time.Now()
	ctx := t.Context()
	harness := probeQuay(ctx, t, base)
	real, seed := snapshotOf(ctx, t, base)
	t.Logf("snapshot: %d users, %d organizations, %d quotas, %d service keys, %d builds, %d audit logs, %d messages, %d app tokens (%s)",
		len(seed.Users), len(seed.Organizations), len(seed.Quotas), len(seed.ServiceKeys), len(seed.Builds), len(seed.Logs),
		len(seed.Messages), len(seed.AppTokens), time.Since(started).Round(time.Millisecond))

	seed.Now = time.Now().UTC().Truncate(time.Second)
	withPassword(&seed, envOr("QUAY_PASSWORD", "password"))
	srv := fakequay.RunT(t, fakequay.WithSeed(seed), fakequay.WithWallClock(), fakequay.WithJournalSize(0))
	fake := &Target{Base: srv.URL(), Host: real.hostOf(), Tokens: real.Tokens, Client: noRedirects()}

	fx := FixtureFrom(seed)
	fx.Harness = harness
	plan := NewPlan(fx, seed.Now)
	checkCoverage(t, plan, srv.Operations())
	results, err := Run(ctx, plan, real, fake, 4)
	if err != nil {
		t.Fatal(err)
	}
	reportResults(t, results)
	if path := os.Getenv("QUAY_DIFF_RESULTS"); path != "" {
		if err := writeResults(path, results); err != nil {
			t.Errorf("QUAY_DIFF_RESULTS: %v", err)
		}
	}
	t.Logf("wall time: %s", time.Since(started).Round(time.Second))
}

// probeQuay reports whether the Quay is the realquay harness (werkzeug's
// dev server, SQLite), and stops the test when the Quay writes an audit
// log for every request with an invalid token (ACTION_LOG_AUDIT_LOGIN_FAILURES,
// off by default, on in Quay's test config and so in the harness):
// fakequay does not model it, and those logs would move every log listing
// after the first such request. One request with an invalid token, then
// today's log counts, tell.
func probeQuay(ctx context.Context, t *testing.T, base string) (harness bool) {
	t.Helper()
	probe := &Target{Base: base, Tokens: map[Caller]string{Invalid: unknownTk, Superuser: os.Getenv("QUAY_TOKEN")}, Client: noRedirects()}
	today := time.Now().UTC().Format("01/02/2006")
	for _, s := range []Step{
		{Caller: Invalid, Method: http.MethodGet, Path: messagesPath},
		{Caller: Superuser, Method: http.MethodGet, Path: aggPath + "?starttime=" + today + "&endtime=" + today},
	} {
		r, err := probe.send(ctx, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		harness = isHarness(r)
		if s.Caller == Superuser && strings.Contains(string(r.Body), `"login_failure"`) {
			t.Fatal("this Quay writes a login_failure audit log for each request with an invalid token " +
				"(ACTION_LOG_AUDIT_LOGIN_FAILURES, which Quay's test config turns on and fakequay does not model): " +
				`start it with {"ACTION_LOG_AUDIT_LOGIN_FAILURES": false}, e.g. ` +
				`QUAY_EXTRA_CONFIG='{"ACTION_LOG_AUDIT_LOGIN_FAILURES": false}' /tmp/realquay/run.sh PORT`)
		}
	}
	return harness
}

// writeResults writes every step's answers and verdict to path, one JSON
// object a line, for a closer look at a run.
func writeResults(path string, results []Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	answer := func(r *Response) map[string]any {
		return map[string]any{"status": r.Status, "header": r.Header, "body": string(r.Body)}
	}
	for _, r := range results {
		var diffs, classes []string
		for _, d := range r.Diffs {
			diffs = append(diffs, d.String())
		}
		for _, c := range r.Classes {
			classes = append(classes, c.Name)
		}
		err := enc.Encode(map[string]any{"step": r.Step.String(), "op": r.Step.Op, "class": r.Step.Class,
			"outcome": [...]string{"identical", "explained", "differing"}[r.Outcome], "diffs": diffs, "explained": classes,
			"real": answer(r.Real), "fake": answer(r.Fake)})
		if err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// snapshotOf reads the Quay at base into a seed with the harness's tokens,
// and returns it with the Quay as a Target.
func snapshotOf(ctx context.Context, t *testing.T, base string) (*Target, fakequay.Seed) {
	t.Helper()
	real := &Target{Base: base, Tokens: map[Caller]string{Invalid: unknownTk}, Client: noRedirects()}
	for caller, name := range tokenEnv {
		if tok := os.Getenv(name); tok != "" {
			real.Tokens[caller] = tok
		}
	}
	for _, c := range Callers {
		if _, ok := real.Tokens[c]; !ok && c != Anonymous {
			t.Logf("%s is not set: no requests as %s", tokenEnv[c], c)
		}
	}
	var tokens []snapshot.Token
	var superuser string
	for _, caller := range slices.Sorted(maps.Keys(tokenEnv)) {
		tok := real.Tokens[caller]
		if tok == "" {
			continue
		}
		c, err := quay.NewClient(base, quay.WithToken(tok))
		if err != nil {
			t.Fatal(err)
		}
		req, err := c.NewRequest(ctx, http.MethodGet, "user/", nil)
		if err != nil {
			t.Fatal(err)
		}
		var me struct {
			Username string `json:"username"`
		}
		if _, err := c.Do(req, &me); err != nil {
			t.Fatalf("%s: who is it? %v", tokenEnv[caller], err)
		}
		st := fakequay.SeedToken{Token: tok, Application: envOr("QUAY_TOKEN_APPLICATION", "Some Test App"),
			ClientID: envOr("QUAY_TOKEN_CLIENT_ID", "deadbeef")}
		if caller == NoScope {
			st.Scopes = strings.Fields(envOr("QUAY_NOSCOPE_SCOPES", "repo:read user:read"))
		}
		tokens = append(tokens, snapshot.Token{User: me.Username, SeedToken: st})
		if caller == User {
			prepareInvites(ctx, t, real, me.Username)
		}
		if caller == Superuser {
			superuser = me.Username
		}
	}
	c, err := quay.NewClient(base, quay.WithToken(real.Tokens[Superuser]))
	if err != nil {
		t.Fatal(err)
	}
	// Robot tokens show in robot lists: the fakequay needs Quay's.
	// The content plan reads (plan_content.go) are in the superuser's
	// namespace: its repositories' tags and manifests are copied.
	seed, err := snapshot.Take(ctx, c, snapshot.Options{Tokens: tokens, RobotTokens: true, ContentNamespaces: []string{superuser},
		Warn: func(msg string) { t.Logf("snapshot: %s", msg) }})
	if err != nil {
		t.Fatal(err)
	}
	return real, seed
}

// hostOf is the host (and port) of the target's URL.
func (t *Target) hostOf() string {
	u, err := url.Parse(t.Base)
	if err != nil {
		return ""
	}
	return u.Host
}

func noRedirects() *http.Client {
	return &http.Client{
		Timeout:       2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// checkCoverage fails when an operation the fakequay serves has no valid
// request in the plan.
func checkCoverage(t *testing.T, plan Plan, ops []fakequay.Operation) {
	t.Helper()
	valid := map[string]bool{}
	for _, s := range slices.Concat(plan.Reads, plan.Writes) {
		if s.Class == "valid" {
			valid[s.Op] = true
		}
	}
	for _, op := range ops {
		name := op.Nickname
		if name == "" {
			name = op.Method + " " + op.Path // the config dump, user/initialize
		}
		if !valid[name] {
			t.Errorf("the plan has no valid request for %s (%s %s)", name, op.Method, op.Path)
		}
	}
}

// reportResults logs the summary and fails once per differing operation,
// with its first differing step.
func reportResults(t *testing.T, results []Result) {
	t.Helper()
	sum := Summarize(results)
	t.Logf("\n%s", sum)
	for _, op := range slices.Sorted(maps.Keys(sum.Differing)) {
		rs := sum.Differing[op]
		var b strings.Builder
		for _, r := range rs {
			fmt.Fprintf(&b, "\n  %s", r.Step)
			for _, d := range r.Diffs {
				fmt.Fprintf(&b, "\n      %s", d)
			}
		}
		t.Errorf("%s: %d requests answered differently:%s", op, len(rs), b.String())
	}
}

// prepareInvites makes, as the superuser, the organization InviteOrg with
// two teams that invite user (the User caller), and an e-mail invite: Quay
// shows an invite's code only in the invited user's notifications, which
// the snapshot reads, so the plan can decline one and accept the other
// (plan_teams.go). A Quay that has the organization already keeps it.
func prepareInvites(ctx context.Context, t *testing.T, real *Target, user string) {
	t.Helper()
	org := api + "/organization/" + InviteOrg
	steps := []struct {
		s    Step
		want []int
	}{
		{Step{Method: http.MethodPost, Path: api + "/organization/", Body: `{"name": "` + InviteOrg + `", "email": "` + InviteOrg + `@example.org"}`},
			[]int{http.StatusCreated, http.StatusBadRequest}},
		{Step{Method: http.MethodPut, Path: org + "/team/" + InviteDeclineTeam, Body: `{"role": "member"}`}, []int{http.StatusOK}},
		{Step{Method: http.MethodPut, Path: org + "/team/" + InviteAcceptTeam, Body: `{"role": "member"}`}, []int{http.StatusOK}},
		{Step{Method: http.MethodPut, Path: org + "/team/" + InviteDeclineTeam + "/members/" + user}, []int{http.StatusOK}},
		{Step{Method: http.MethodPut, Path: org + "/team/" + InviteAcceptTeam + "/members/" + user}, []int{http.StatusOK}},
		{Step{Method: http.MethodPut, Path: org + "/team/" + InviteDeclineTeam + "/invite/dfmail@example.com"}, []int{http.StatusOK}},
	}
	for _, st := range steps {
		st.s.Caller = Superuser
		r, err := real.send(ctx, st.s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(st.want, r.Status) {
			t.Fatalf("preparing the invites: %s answered %d: %s", st.s, r.Status, r.Body)
		}
		if st.s.Method == http.MethodPost && r.Status != http.StatusCreated {
			return // made by an earlier run
		}
	}
}
