package contract

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// logsPageSize is listAllLogs' fixed page size (reference §2.4).
const logsPageSize = 20

func logsCases() []testCase {
	return []testCase{
		{op: "listAllLogs", name: "§2.4 §1.11 creating a user logs user_create by the superuser on the new user", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "logged")
			now := e.serverNow(t)
			var found []superuser.LogEntry
			for l, err := range e.su(t).Logs.All(t.Context(), aroundDay(now)) {
				wantNoError(t, "All", err)
				if l.Kind == "user_create" && l.Namespace != nil && l.Namespace.Name == u.Username {
					found = append(found, l)
				}
			}
			if len(found) != 1 {
				t.Fatalf("%d user_create entries for %s, want 1: %+v", len(found), u.Username, found)
			}
			got := found[0]
			performer, _ := got.Metadata["superuser"].(string)
			if performer == "" {
				t.Fatalf("metadata = %v, want the acting superuser under \"superuser\"", got.Metadata)
			}
			actor, _, err := e.su(t).Users.Get(t.Context(), performer)
			wantNoError(t, "Get the performer "+performer, err)
			if !actor.SuperUser {
				t.Errorf("metadata.superuser %q is not a superuser", performer)
			}
			created, _, err := e.su(t).Users.Get(t.Context(), u.Username)
			wantNoError(t, "Get the new user", err)
			want := superuser.LogEntry{
				Kind: "user_create",
				Metadata: withOAuthKeys(t, got.Metadata, map[string]any{
					"email": u.Username + "@example.com", "username": u.Username, "superuser": performer}),
				IP:        got.IP,
				Datetime:  got.Datetime,
				Performer: &superuser.LogPerformer{Kind: "user", Name: performer, Avatar: actor.Avatar},
				Namespace: &superuser.LogNamespace{Kind: "user", Name: u.Username, Avatar: created.Avatar},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("log entry (-want +got):\n%s", diff)
			}
			if got.Datetime.After(now) || now.Sub(got.Datetime.Time) > 5*time.Minute {
				t.Errorf("logged at %v, server time after the call %v", got.Datetime, now)
			}
		}},
		{op: "listAllLogs", name: "§2.4 All follows more than one page of activity, newest first, each entry once", run: func(t *testing.T, e *env) {
			mine := map[string]int{}
			for range logsPageSize + 1 {
				mine[e.createUser(t, "burst").Username] = 0
			}
			now := e.serverNow(t)
			var prev time.Time
			for l, err := range e.su(t).Logs.All(t.Context(), aroundDay(now)) {
				wantNoError(t, "All", err)
				if !prev.IsZero() && l.Datetime.After(prev) {
					t.Errorf("entry of %v follows one of %v: not newest first", l.Datetime, prev)
				}
				prev = l.Datetime.Time
				name, _ := l.Metadata["username"].(string)
				if n, ok := mine[name]; ok && l.Kind == "user_create" {
					mine[name] = n + 1
				}
			}
			for name, n := range mine {
				if n != 1 {
					t.Errorf("user_create of %s seen %d times, want once", name, n)
				}
			}
		}},
		{op: "listAllLogs", name: "§4.8 pages of 20, newest first; the last non-empty page still has a token to an empty page", run: func(t *testing.T, e *env) {
			day := e.logDay(t)
			c := e.su(t)
			var pages [][]superuser.LogEntry
			var walked []superuser.LogEntry
			for token := ""; ; {
				page, resp, err := c.Logs.List(t.Context(), &superuser.LogListOptions{StartTime: day, EndTime: day, NextPage: token})
				wantNoError(t, fmt.Sprintf("page %d", len(pages)+1), err)
				pages = append(pages, page.Logs)
				walked = append(walked, page.Logs...)
				if token = resp.NextPage; token == "" {
					break
				}
				if len(page.Logs) == 0 {
					t.Fatalf("page %d is empty yet has a next_page", len(pages))
				}
			}
			if len(walked) <= logsPageSize {
				t.Fatalf("the fixture day %s holds %d entries, want more than %d", day.Format(time.DateOnly), len(walked), logsPageSize)
			}
			// Full pages, the rest, then the empty page the last token leads to.
			var wantSizes []int
			for n := len(walked); n > 0; n -= logsPageSize {
				wantSizes = append(wantSizes, min(n, logsPageSize))
			}
			wantSizes = append(wantSizes, 0)
			var sizes []int
			for _, p := range pages {
				sizes = append(sizes, len(p))
			}
			if diff := cmp.Diff(wantSizes, sizes); diff != "" {
				t.Errorf("entries per page (-want +got):\n%s", diff)
			}
			if !slices.IsSortedFunc(walked, func(a, b superuser.LogEntry) int { return b.Datetime.Compare(a.Datetime.Time) }) {
				t.Errorf("the pages are not newest first")
			}
			var all []superuser.LogEntry
			for l, err := range c.Logs.All(t.Context(), &superuser.LogListOptions{StartTime: day, EndTime: day}) {
				wantNoError(t, "All", err)
				all = append(all, l)
			}
			if diff := cmp.Diff(walked, all); diff != "" {
				t.Errorf("All against the pages walked by hand (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllLogs", name: "§2.4 an explicit end date is inclusive: the window ends a day later", run: func(t *testing.T, e *env) {
			day := time.Date(2025, 2, 3, 15, 4, 5, 0, time.UTC)
			page, _, err := e.su(t).Logs.List(t.Context(), &superuser.LogListOptions{StartTime: day, EndTime: day})
			wantNoError(t, "List", err)
			got := [2]time.Time{page.StartTime.Time, page.EndTime.Time}
			want := [2]time.Time{time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 4, 0, 0, 0, 0, time.UTC)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("window [start, end) (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllLogs", name: "§2.4 the default window is [now-1d, now+1d) and holds what was just done", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "deflog")
			page, _, err := e.su(t).Logs.List(t.Context(), nil)
			wantNoError(t, "List", err)
			if d := page.EndTime.Sub(page.StartTime.Time); d < 48*time.Hour-time.Second || d > 48*time.Hour+time.Second {
				t.Errorf("default window %v to %v spans %v, want 48h", page.StartTime, page.EndTime, d)
			}
			found := false
			for l, err := range e.su(t).Logs.All(t.Context(), nil) {
				wantNoError(t, "All", err)
				found = found || l.Kind == "user_create" && l.Namespace != nil && l.Namespace.Name == u.Username
			}
			if !found {
				t.Errorf("the default window does not hold the user_create of %s", u.Username)
			}
		}},
		{op: "listAllLogs", name: "§4.8 malformed dates are silently replaced by the default window", run: func(t *testing.T, e *env) {
			for _, bad := range []string{"2025-02-03", "02/03/2025 UTC", "yesterday"} {
				var page superuser.LogPage
				q := url.Values{"starttime": {bad}, "endtime": {bad}}
				wantNoError(t, "GET with "+bad, e.do(t, Superuser, "GET", "superuser/logs?"+q.Encode(), nil, &page))
				if d := page.EndTime.Sub(page.StartTime.Time); d < 48*time.Hour-time.Second || d > 48*time.Hour+time.Second {
					t.Errorf("with %q: window %v to %v, want the default 48h one", bad, page.StartTime, page.EndTime)
				}
			}
		}},
		{op: "listAllLogs", name: "§2.4 an inverted window is no error, just no logs", run: func(t *testing.T, e *env) {
			now := e.serverNow(t)
			page, resp, err := e.su(t).Logs.List(t.Context(), &superuser.LogListOptions{StartTime: now.AddDate(0, 0, 2), EndTime: now.AddDate(0, 0, -2)})
			wantNoError(t, "List", err)
			if len(page.Logs) != 0 || resp.NextPage != "" {
				t.Errorf("inverted window: %d logs, next_page %q; want none", len(page.Logs), resp.NextPage)
			}
		}},
		{op: "listAllLogs", name: "§4.8 page is ignored", run: func(t *testing.T, e *env) {
			day := e.logDay(t)
			q := url.Values{"starttime": {day.Format("01/02/2006")}, "endtime": {day.Format("01/02/2006")}}
			var first, second superuser.LogPage
			wantNoError(t, "page 1", e.do(t, Superuser, "GET", "superuser/logs?"+q.Encode(), nil, &first))
			q.Set("page", "2")
			wantNoError(t, "page=2", e.do(t, Superuser, "GET", "superuser/logs?"+q.Encode(), nil, &second))
			if len(first.Logs) == 0 {
				t.Fatalf("the fixture day %s has no logs", day.Format(time.DateOnly))
			}
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("page=2 against no page (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllLogs", name: "§4.9 a token that does not decrypt silently restarts at the first page", run: func(t *testing.T, e *env) {
			day := e.logDay(t)
			first, _, err := e.su(t).Logs.List(t.Context(), &superuser.LogListOptions{StartTime: day, EndTime: day})
			wantNoError(t, "first page", err)
			got, _, err := e.su(t).Logs.List(t.Context(), &superuser.LogListOptions{StartTime: day, EndTime: day, NextPage: "gAAAAABnot-a-fernet-token"})
			wantNoError(t, "with a garbage token", err)
			if diff := cmp.Diff(first, got); diff != "" {
				t.Errorf("garbage token against the first page (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllLogs", name: "§1.7 a non-integer page is a 400 naming the parameter", run: func(t *testing.T, e *env) {
			err := e.do(t, Superuser, "GET", "superuser/logs?page=two", nil, nil)
			qe, ok := asQuayError(err)
			if !ok || !errors.Is(err, quay.ErrBadRequest) {
				t.Fatalf("err = %v, want a 400 *quay.Error", err)
			}
			if diff := cmp.Diff(map[string]string{"page": "The page number for the logs"}, qe.ParamErrors); diff != "" {
				t.Errorf("parameter errors (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllLogs", name: "§2.4 a read-only superuser may read", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "grolog")
			now := e.serverNow(t)
			found := false
			for l, err := range e.client(t, ReadOnlySuperuser).Logs.All(t.Context(), aroundDay(now)) {
				wantNoError(t, "All as GRO", err)
				found = found || l.Kind == "user_create" && l.Namespace != nil && l.Namespace.Name == u.Username
			}
			if !found {
				t.Errorf("the read-only superuser does not see the user_create of %s", u.Username)
			}
		}},
		{op: "listAllLogs", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).Logs.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllLogs", name: "§1.2 a superuser token without super:user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, SuperuserNoScope).Logs.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllLogs", name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).Logs.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},

		{op: "listAllAggregateLogs", name: "§3 the user_create count grows by the users the case creates", run: func(t *testing.T, e *env) {
			window := aggregateAround(e.serverNow(t))
			before := countKind(t, e, window, "user_create")
			const made = 2
			for range made {
				e.createUser(t, "agg")
			}
			if after := countKind(t, e, window, "user_create"); after < before+made {
				t.Errorf("user_create count went from %d to %d after creating %d users", before, after, made)
			}
		}},
		{op: "listAllAggregateLogs", name: "§3 counts per kind and day match the entries listAllLogs lists", run: func(t *testing.T, e *env) {
			day := e.logDay(t)
			type kindDay struct {
				Kind string
				Day  time.Time
			}
			want := map[kindDay]int{}
			for l, err := range e.su(t).Logs.All(t.Context(), &superuser.LogListOptions{StartTime: day, EndTime: day}) {
				wantNoError(t, "All", err)
				want[kindDay{l.Kind, l.Datetime.Truncate(24 * time.Hour)}]++
			}
			counts, _, err := e.su(t).Logs.Aggregate(t.Context(), &superuser.AggregateLogOptions{StartTime: day, EndTime: day})
			wantNoError(t, "Aggregate", err)
			got := map[kindDay]int{}
			for _, c := range counts {
				got[kindDay{c.Kind, c.Datetime.Time}] += c.Count
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("aggregated counts against the listed entries (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllAggregateLogs", name: "§3 a window over 31 days is a 500", run: func(t *testing.T, e *env) {
			end := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
			_, _, err := e.su(t).Logs.Aggregate(t.Context(), &superuser.AggregateLogOptions{StartTime: end.AddDate(0, 0, -40), EndTime: end})
			qe, ok := asQuayError(err)
			if !ok || !errors.Is(err, quay.ErrServer) || qe.StatusCode != 500 || qe.Type != "" {
				t.Errorf("err = %v, want Quay's unhandled 500", err)
			}
		}},
		{op: "listAllAggregateLogs", name: "§3 a read-only superuser may read", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, ReadOnlySuperuser).Logs.Aggregate(t.Context(), nil)
			wantNoError(t, "Aggregate as GRO", err)
		}},
		{op: "listAllAggregateLogs", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).Logs.Aggregate(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllAggregateLogs", name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).Logs.Aggregate(t.Context(), nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
	}
}

// serverNow is the target's clock, read from the default log window, which
// Quay starts exactly one day before now (reference §2.4). Fakes run on
// their own clocks, live targets may drift: cases about "today" use it.
func (e *env) serverNow(t *testing.T) time.Time {
	t.Helper()
	page, _, err := e.su(t).Logs.List(t.Context(), nil)
	wantNoError(t, "reading the server's clock", err)
	return page.StartTime.Add(24 * time.Hour)
}

// logDay is the fixture day, or skips.
func (e *env) logDay(t *testing.T) time.Time {
	t.Helper()
	if e.tgt.Fixtures.LogDay.IsZero() {
		t.Skip("the target names no quiet log day (Fixtures.LogDay)")
	}
	return e.tgt.Fixtures.LogDay
}

// aroundDay is a window from the day before now through now's day: an
// action just taken lies in it even if midnight passed in between.
func aroundDay(now time.Time) *superuser.LogListOptions {
	return &superuser.LogListOptions{StartTime: now.AddDate(0, 0, -1), EndTime: now}
}

func aggregateAround(now time.Time) *superuser.AggregateLogOptions {
	w := aroundDay(now)
	return &superuser.AggregateLogOptions{StartTime: w.StartTime, EndTime: w.EndTime}
}

// countKind sums the aggregated counts of kind over window.
func countKind(t *testing.T, e *env, window *superuser.AggregateLogOptions, kind string) int {
	t.Helper()
	counts, _, err := e.su(t).Logs.Aggregate(t.Context(), window)
	wantNoError(t, "Aggregate", err)
	n := 0
	for _, c := range counts {
		if c.Kind == kind {
			n += c.Count
		}
	}
	return n
}

// withOAuthKeys returns want plus the three keys Quay appends to the
// metadata of an action taken with an OAuth token (reference §1.11), taken
// from got after checking their types; the suite's tokens are all OAuth
// tokens, so a missing key fails the test.
func withOAuthKeys(t *testing.T, got, want map[string]any) map[string]any {
	t.Helper()
	if _, ok := got["oauth_token_id"].(float64); !ok {
		t.Errorf("metadata oauth_token_id = %#v, want a number", got["oauth_token_id"])
	}
	for _, k := range []string{"oauth_token_application_id", "oauth_token_application"} {
		if s, ok := got[k].(string); !ok || s == "" {
			t.Errorf("metadata %s = %#v, want a non-empty string", k, got[k])
		}
	}
	for _, k := range []string{"oauth_token_id", "oauth_token_application_id", "oauth_token_application"} {
		if v, ok := got[k]; ok {
			want[k] = v
		}
	}
	return want
}
