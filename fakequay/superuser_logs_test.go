package fakequay

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Avatars of the fixture's namespaces (reference §1.9: SHA-256 of the
// e-mail, colour palette[int(hash[:2], 16) % 32]).
const (
	adminAvatar  = `{"name": "admin", "hash": "258d8dc916db8cea2cafb6c3cd0cb0246efe061421dbd83ec3a350428cabda4f", "color": "#98df8a", "kind": "user"}`
	aliceAvatar  = `{"name": "alice", "hash": "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", "color": "#a55194", "kind": "user"}`
	acmeAvatar   = `{"name": "acme", "hash": "4d422ac9aaabde4adbf99f387b90be363633fb7ce7411bea5437f95bd46f1640", "color": "#f7b6d2", "kind": "org"}`
	newbieAvatar = `{"name": "newbie", "hash": "35677becedd286b496b57fe6f18b15cedd8267dbf18ea0de268968cb22d6d3d4", "color": "#5254a3", "kind": "user"}`
)

const logsPath = "/api/v1/superuser/logs"

// nov20 is the day the seeded logs of most tests fall on, well outside the
// fixture clock's default window.
var nov20 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

const nov20Window = "starttime=11/20/2026&endtime=11/20/2026"

// normalizeToken hides next_page tokens, which are random.
func normalizeToken(body string) string {
	return normalize(body, `"next_page": "gAAAAA[A-Za-z0-9_=-]+"`, `"next_page": "<token>"`)
}

// logsPage is the part of a listAllLogs answer the paging tests look at.
type logsPage struct {
	StartTime string
	EndTime   string
	Kinds     []string
	Next      string
}

func decodeLogsPage(t *testing.T, r reply) logsPage {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var v struct {
		StartTime string `json:"start_time"`
		EndTime   string `json:"end_time"`
		Logs      []struct {
			Kind string `json:"kind"`
		} `json:"logs"`
		NextPage string `json:"next_page"`
	}
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatalf("decoding %q: %v", r.Body, err)
	}
	p := logsPage{StartTime: v.StartTime, EndTime: v.EndTime, Next: v.NextPage}
	for _, l := range v.Logs {
		p.Kinds = append(p.Kinds, l.Kind)
	}
	return p
}

// tokenPlaintext decrypts a page token as Quay would.
func (h *harness) tokenPlaintext(tok string) string {
	h.t.Helper()
	plain, err := pageTokens.Decrypt(tok, h.s.Now(), 48*time.Hour)
	if err != nil {
		h.t.Fatalf("token %q: %v", tok, err)
	}
	return string(plain)
}

// §2.4 example: a createInstallUser log, as listAllLogs shows it, and the
// empty page its table-index token leads to.
func TestListAllLogsReferenceExample(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	if r := h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "newbie", "email": "newbie@example.com"}`); r.Status != 200 {
		t.Fatalf("createInstallUser: %d %s", r.Status, r.Body)
	}
	got := h.do("GET", logsPath, tokAdmin, "")
	want := jsonReply(200, `{"start_time": "Fri, 27 Nov 2026 12:00:00 -0000", "end_time": "Sun, 29 Nov 2026 12:00:00 -0000", "logs": [`+
		`{"kind": "user_create", "metadata": {"email": "newbie@example.com", "username": "newbie", "superuser": "admin", `+
		`"oauth_token_id": 1, "oauth_token_application_id": "FAKEQUAYCLIENTID0001", "oauth_token_application": "fakequay"}, `+
		`"ip": "127.0.0.1", "datetime": "Sat, 28 Nov 2026 12:00:00 -0000", `+
		`"performer": {"kind": "user", "name": "admin", "is_robot": false, "avatar": `+adminAvatar+`}, `+
		`"namespace": {"kind": "user", "name": "newbie", "avatar": `+newbieAvatar+`}}], "next_page": "<token>"}`)
	next := decodeLogsPage(t, got).Next
	got.Body = normalizeToken(got.Body)
	checkReply(t, want, got)

	if diff := cmp.Diff(`{"tti": 1}`, h.tokenPlaintext(next)); diff != "" {
		t.Errorf("last page's token plaintext (-want +got):\n%s", diff)
	}
	checkReply(t, jsonReply(200, `{"start_time": "Fri, 27 Nov 2026 12:00:00 -0000", "end_time": "Sun, 29 Nov 2026 12:00:00 -0000", "logs": []}`),
		h.do("GET", logsPath+"?next_page="+next, tokAdmin, ""))
}

// §1.9: performer and namespace are present only when they resolve, and
// show the current name: a deleted user or org has its random name until
// the purge, and nothing after it. Metadata keeps its key order; an empty
// IP is null.
func TestListAllLogsAfterDeleteAndPurge(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.Logs = []SeedLog{
			{Kind: "push_repo", Namespace: "acme", Performer: "alice", IP: "10.0.0.5", Datetime: nov20.Add(10 * time.Hour),
				Metadata: json.RawMessage(`{"repo": "web", "namespace": "acme", "tag": null}`)},
			{Kind: "login_success", Namespace: "alice", Performer: "alice", Datetime: nov20.Add(9 * time.Hour)},
			{Kind: "service_key_create", Datetime: nov20.Add(8 * time.Hour)},
		}
	})
	path := logsPath + "?" + nov20Window
	body := func(pushPerformer, pushNamespace, loginPerformer, loginNamespace string) string {
		return `{"start_time": "Fri, 20 Nov 2026 00:00:00 -0000", "end_time": "Sat, 21 Nov 2026 00:00:00 -0000", "logs": [` +
			`{"kind": "push_repo", "metadata": {"repo": "web", "namespace": "acme", "tag": null}, "ip": "10.0.0.5", ` +
			`"datetime": "Fri, 20 Nov 2026 10:00:00 -0000"` + pushPerformer + pushNamespace + `}, ` +
			`{"kind": "login_success", "metadata": {}, "ip": null, "datetime": "Fri, 20 Nov 2026 09:00:00 -0000"` +
			loginPerformer + loginNamespace + `}, ` +
			`{"kind": "service_key_create", "metadata": {}, "ip": null, "datetime": "Fri, 20 Nov 2026 08:00:00 -0000"}], ` +
			`"next_page": "<token>"}`
	}
	alicePerformer := `, "performer": {"kind": "user", "name": "alice", "is_robot": false, "avatar": ` + aliceAvatar + `}`
	tombPerformer := `, "performer": {"kind": "user", "name": "<uuid>", "is_robot": false, "avatar": {"name": "<uuid>", "hash": "<hash>", "color": "<color>", "kind": "user"}}`

	got := h.do("GET", path, tokAdmin, "")
	got.Body = normalizeToken(got.Body)
	checkReply(t, jsonReply(200, body(alicePerformer, `, "namespace": {"kind": "org", "name": "acme", "avatar": `+acmeAvatar+`}`,
		alicePerformer, `, "namespace": {"kind": "user", "name": "alice", "avatar": `+aliceAvatar+`}`)), got)

	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, ""))
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, ""))
	got = h.do("GET", path, tokAdmin, "")
	got.Body = normalize(normalizeToken(got.Body),
		`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`, `<uuid>`,
		`("name": "<uuid>", "hash": )"[0-9a-f]{64}", "color": "#[0-9a-f]{6}"`, `$1"<hash>", "color": "<color>"`)
	checkReply(t, jsonReply(200, body(tombPerformer,
		`, "namespace": {"kind": "org", "name": "<uuid>", "avatar": {"name": "<uuid>", "hash": "<hash>", "color": "<color>", "kind": "org"}}`,
		tombPerformer,
		`, "namespace": {"kind": "user", "name": "<uuid>", "avatar": {"name": "<uuid>", "hash": "<hash>", "color": "<color>", "kind": "user"}}`)), got)

	h.s.Advance(time.Second) // the namespace GC purges both
	got = h.do("GET", path, tokAdmin, "")
	got.Body = normalizeToken(got.Body)
	checkReply(t, jsonReply(200, body("", "", "", "")), got)
}

// §2.4 and §4 quirk 8: 20 per page, newest first, the last non-empty page
// still has a token, and following it gives an empty page without one.
// Logs sharing a datetime (three per second here) are neither lost nor
// repeated at page boundaries; the plaintext mirrors Quay's paginate token.
func TestListAllLogsPaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		for i := range 45 {
			s.Logs = append(s.Logs, SeedLog{Kind: "log" + strconv.Itoa(i+1), Datetime: nov20.Add(time.Duration(i/3) * time.Second)})
		}
	})
	kinds := func(from, to int) []string { // newest first: from down to to
		var out []string
		for i := from; i >= to; i-- {
			out = append(out, "log"+strconv.Itoa(i))
		}
		return out
	}
	wantPages := [][]string{kinds(45, 26), kinds(25, 6), kinds(5, 1), nil}
	wantPlain := []string{
		`{"start_index": "2026-11-20T00:00:08Z", "page_number": 1, "is_datetime": true, "offset_val": 20, "start_id": 25}`,
		`{"start_index": "2026-11-20T00:00:01Z", "page_number": 2, "is_datetime": true, "offset_val": 40, "start_id": 5}`,
		`{"tti": 1}`,
		"",
	}
	path := logsPath + "?" + nov20Window
	for i := range wantPages {
		p := decodeLogsPage(t, h.do("GET", path, tokAdmin, ""))
		if diff := cmp.Diff(wantPages[i], p.Kinds); diff != "" {
			t.Errorf("page %d (-want +got):\n%s", i+1, diff)
		}
		plain := ""
		if p.Next != "" {
			if strings.Contains(p.Next, "start_index") || strings.Contains(p.Next, "tti") {
				t.Errorf("page %d: token is readable: %q", i+1, p.Next)
			}
			plain = h.tokenPlaintext(p.Next)
		}
		if diff := cmp.Diff(wantPlain[i], plain); diff != "" {
			t.Errorf("page %d token plaintext (-want +got):\n%s", i+1, diff)
		}
		path = logsPath + "?" + nov20Window + "&next_page=" + url.QueryEscape(p.Next)
	}
}

// §2.4: which logs a window holds, and the start_time/end_time it reports.
func TestListAllLogsWindow(t *testing.T) {
	t.Parallel()
	at := map[string]time.Time{
		"before-default": fixtureTime.Add(-24*time.Hour - time.Microsecond),
		"default-first":  fixtureTime.Add(-24 * time.Hour),
		"default-last":   fixtureTime.Add(24*time.Hour - time.Microsecond),
		"after-default":  fixtureTime.Add(24 * time.Hour),
		"nov19-last":     nov20.Add(-time.Microsecond),
		"nov20-first":    nov20,
		"nov21-last":     nov20.Add(48*time.Hour - time.Microsecond),
		"nov22-first":    nov20.Add(48 * time.Hour),
	}
	edit := func(s *Seed) {
		for kind, t := range at {
			s.Logs = append(s.Logs, SeedLog{Kind: kind, Datetime: t})
		}
	}
	const (
		nov27noon = "Fri, 27 Nov 2026 12:00:00 -0000"
		nov29noon = "Sun, 29 Nov 2026 12:00:00 -0000"
	)
	defaultWindow := logsPage{StartTime: nov27noon, EndTime: nov29noon, Kinds: []string{"default-last", "default-first"}, Next: "tti"}
	tests := []struct {
		name  string
		query string
		want  logsPage
	}{
		{name: "§2.4 default window is [now-1d, now+1d)", query: "", want: defaultWindow},
		{name: "§2.4 explicit dates, end inclusive (+1 day)", query: "starttime=11/20/2026&endtime=11/21/2026",
			want: logsPage{StartTime: "Fri, 20 Nov 2026 00:00:00 -0000", EndTime: "Sun, 22 Nov 2026 00:00:00 -0000",
				Kinds: []string{"nov21-last", "nov20-first"}, Next: "tti"}},
		{name: "§2.4 only a start: the end defaults to now+1d", query: "starttime=11/20/2026",
			want: logsPage{StartTime: "Fri, 20 Nov 2026 00:00:00 -0000", EndTime: nov29noon,
				Kinds: []string{"default-last", "default-first", "before-default", "nov22-first", "nov21-last", "nov20-first"}, Next: "tti"}},
		{name: "§2.4 an ISO start is silently replaced, and start > end is not checked", query: "starttime=2026-11-20&endtime=11/21/2026",
			want: logsPage{StartTime: nov27noon, EndTime: "Sun, 22 Nov 2026 00:00:00 -0000"}},
		{name: "§2.4 a zone in the value breaks parsing", query: "starttime=11/20/2026%20UTC", want: defaultWindow},
		{name: "§2.4 empty values are the defaults", query: "starttime=&endtime=", want: defaultWindow},
		{name: "§2.4 inverted explicit range: no logs, no next_page", query: "starttime=11/22/2026&endtime=11/20/2026",
			want: logsPage{StartTime: "Sun, 22 Nov 2026 00:00:00 -0000", EndTime: "Sat, 21 Nov 2026 00:00:00 -0000"}},
		{name: "§2.4 page is parsed and ignored", query: "page=3", want: defaultWindow},
		{name: "§2.4 an impossible date is ignored", query: "endtime=02/30/2026", want: defaultWindow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, edit)
			got := decodeLogsPage(t, h.do("GET", logsPath+"?"+tc.query, tokAdmin, ""))
			if got.Next != "" {
				got.Next = strings.Trim(strings.TrimPrefix(h.tokenPlaintext(got.Next), `{"`), `": 1}`)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Error and auth answers of listAllLogs (§2.4, §1.2, §1.7).
func TestListAllLogsErrors(t *testing.T) {
	t.Parallel()
	emptyWindow := jsonReply(200, `{"start_time": "Fri, 27 Nov 2026 12:00:00 -0000", "end_time": "Sun, 29 Nov 2026 12:00:00 -0000", "logs": []}`)
	tests := []struct {
		name  string
		query string
		token string
		want  reply
	}{
		{name: "§2.4 superuser reads", token: tokAdmin, want: emptyWindow},
		{name: "§1.2 GRO reads whatever its token's scopes", token: tokAuditor, want: emptyWindow},
		{name: "§1.2 in both lists: GRO, reads", token: tokBoth, want: emptyWindow},
		{name: "§2.4 anonymous is 401", token: tokNone, want: replyUnauthorized},
		{name: "§1.2 unknown token is anonymous", token: tokUnknown, want: replyUnauthorized},
		{name: "§1.2 disabled user's token is anonymous", token: tokDisabled, want: replyUnauthorized},
		{name: "§2.4 normal user is 403", token: tokAlice, want: replyForbidden},
		{name: "§2.4 superuser without super:user is 403", token: tokNoScope, want: replyForbidden},
		{name: "§1.7 a non-integer page is family E", query: "page=x", token: tokAdmin,
			want: jsonReply(400, `{"message": {"page": "The page number for the logs"}}`)},
		{name: "§1.1 fresh-login check comes before query parsing", query: "page=x", token: tokNone, want: replyUnauthorized},
		{name: "§2.4 permission before the dates", query: "endtime=12/31/9999", token: tokAlice, want: replyForbidden},
		{name: "§2.4 the end's +1 day overflows past 9999", query: "endtime=12/31/9999", token: tokAdmin, want: replyCrash},
		{name: "§1.8 a garbage token restarts", query: "next_page=garbage", token: tokAdmin, want: emptyWindow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			checkReply(t, tc.want, h.do("GET", logsPath+"?"+tc.query, tc.token, ""))
		})
	}
}

// §2.4 and §1.8: tokens live two days of fake time, then restart at the
// first page; tokens of other shapes behave as in Quay's lookup_logs.
func TestListAllLogsTokens(t *testing.T) {
	t.Parallel()
	edit := func(s *Seed) {
		for i := range 25 {
			s.Logs = append(s.Logs, SeedLog{Kind: "log" + strconv.Itoa(i+1), Datetime: nov20.Add(time.Duration(i) * time.Minute)})
		}
	}
	firstPage := []string{"log25", "log24", "log23", "log22", "log21", "log20", "log19", "log18", "log17", "log16",
		"log15", "log14", "log13", "log12", "log11", "log10", "log9", "log8", "log7", "log6"}
	secondPage := []string{"log5", "log4", "log3", "log2", "log1"}
	tests := []struct {
		name    string
		plain   string        // forged token plaintext; "" follows the first page's token
		advance time.Duration // before following it
		want    []string
		crash   bool
	}{
		{name: "§2.4 a token leads to the next page", advance: 47 * time.Hour, want: secondPage},
		{name: "§1.8 an expired token restarts at the first page", advance: 49 * time.Hour, want: firstPage},
		{name: "§2.4 a Quay-minted token (no start_id) skips offset_val rows at start_index",
			plain: `{"start_index": "2026-11-20T00:04:00Z", "page_number": 1, "is_datetime": true, "offset_val": 2}`,
			want:  []string{"log3", "log2", "log1"}},
		{name: "§2.4 tti 2 names the last legacy table: empty", plain: `{"tti": 2}`},
		{name: "§2.4 tti 0 names LogEntry3: the first page", plain: `{"tti": 0}`, want: firstPage},
		{name: "§2.4 tti -1 is LOG_MODELS[-1], then back to LogEntry3", plain: `{"tti": -1}`, want: firstPage},
		{name: "§2.4 tti out of range is an IndexError", plain: `{"tti": 3}`, crash: true},
		{name: "§1.8 JSON null is no token", plain: `null`, want: firstPage},
		{name: "§1.8 a users page token is not a datetime: 500", plain: `{"start_index": 3, "page_number": 1, "is_datetime": false, "offset_val": 0}`, crash: true},
		{name: "§2.4 a token that is not an object is an AttributeError", plain: `[1]`, crash: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, edit)
			path := logsPath + "?" + nov20Window
			tok := decodeLogsPage(t, h.do("GET", path, tokAdmin, "")).Next
			if tc.plain != "" {
				tok = h.s.encryptPageToken([]byte(tc.plain), h.s.Now())
			}
			h.s.Advance(tc.advance)
			got := h.do("GET", path+"&next_page="+url.QueryEscape(tok), tokAdmin, "")
			if tc.crash {
				checkReply(t, replyCrash, got)
				return
			}
			if diff := cmp.Diff(tc.want, decodeLogsPage(t, got).Kinds); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
		})
	}
}

// §3 listAllAggregateLogs: counts per day of the month and kind, dated by
// Quay's synthetic rule (the start's month, or the next one for a day
// before the start's day), windows up to 31 days.
func TestListAllAggregateLogs(t *testing.T) {
	t.Parallel()
	day := func(m time.Month, d, hour int) time.Time { return time.Date(2026, m, d, hour, 0, 0, 0, time.UTC) }
	edit := func(s *Seed) {
		s.Logs = append(s.Logs, []SeedLog{
			{Kind: "delete_repo", Datetime: day(time.February, 3, 1)},
			{Kind: "push_repo", Datetime: day(time.February, 27, 10)},
			{Kind: "push_repo", Datetime: day(time.March, 1, 8)},
			{Kind: "pull_repo", Datetime: day(time.March, 1, 9)},
			{Kind: "delete_repo", Datetime: day(time.March, 3, 23)},
			{Kind: "push_repo", Datetime: day(time.March, 28, 0)},
			{Kind: "push_repo", Datetime: day(time.March, 29, 0)},
			{Kind: "create_repo", Datetime: fixtureTime.Add(-time.Hour)},
		}...)
	}
	path := "/api/v1/superuser/aggregatelogs"
	tests := []struct {
		name  string
		query string
		token string
		want  reply
	}{
		{name: "§3 default window", token: tokAdmin,
			want: jsonReply(200, `{"aggregated": [{"kind": "create_repo", "count": 1, "datetime": "Sat, 28 Nov 2026 00:00:00 -0000"}]}`)},
		{name: "§3 the 3rd of two months share a group, dated in the start's month", query: "starttime=02/03/2026&endtime=03/04/2026", token: tokAdmin,
			want: jsonReply(200, `{"aggregated": [`+
				`{"kind": "pull_repo", "count": 1, "datetime": "Sun, 01 Mar 2026 00:00:00 -0000"}, `+
				`{"kind": "push_repo", "count": 1, "datetime": "Sun, 01 Mar 2026 00:00:00 -0000"}, `+
				`{"kind": "delete_repo", "count": 2, "datetime": "Tue, 03 Feb 2026 00:00:00 -0000"}, `+
				`{"kind": "push_repo", "count": 1, "datetime": "Fri, 27 Feb 2026 00:00:00 -0000"}]}`)},
		{name: "§3 a later month's day at or after the start's day is dated in the start's month", query: "starttime=02/27/2026&endtime=03/28/2026", token: tokAdmin,
			want: jsonReply(200, `{"aggregated": [`+
				`{"kind": "pull_repo", "count": 1, "datetime": "Sun, 01 Mar 2026 00:00:00 -0000"}, `+
				`{"kind": "push_repo", "count": 1, "datetime": "Sun, 01 Mar 2026 00:00:00 -0000"}, `+
				`{"kind": "delete_repo", "count": 1, "datetime": "Tue, 03 Mar 2026 00:00:00 -0000"}, `+
				`{"kind": "push_repo", "count": 1, "datetime": "Fri, 27 Feb 2026 00:00:00 -0000"}, `+
				`{"kind": "push_repo", "count": 1, "datetime": "Sat, 28 Feb 2026 00:00:00 -0000"}]}`)},
		{name: "§3 a day the start's month lacks (29 February 2026) is a ValueError", query: "starttime=02/27/2026&endtime=03/29/2026", token: tokAdmin,
			want: replyCrash},
		{name: "§3 exactly 31 days is allowed", query: "starttime=01/01/2026&endtime=01/31/2026", token: tokAdmin,
			want: jsonReply(200, `{"aggregated": []}`)},
		{name: "§3 over 31 days is the unhandled InvalidLogsDateRangeError", query: "starttime=01/01/2026&endtime=02/01/2026", token: tokAdmin,
			want: replyCrash},
		{name: "§3 an inverted window is empty", query: "starttime=03/29/2026&endtime=02/01/2026", token: tokAdmin,
			want: jsonReply(200, `{"aggregated": []}`)},
		{name: "§1.2 GRO reads", query: "starttime=03/28/2026&endtime=03/28/2026", token: tokAuditor,
			want: jsonReply(200, `{"aggregated": [{"kind": "push_repo", "count": 1, "datetime": "Sat, 28 Mar 2026 00:00:00 -0000"}]}`)},
		{name: "§3 anonymous is 401", token: tokNone, want: replyUnauthorized},
		{name: "§1.2 disabled user's token is anonymous", token: tokDisabled, want: replyUnauthorized},
		{name: "§3 normal user is 403", token: tokAlice, want: replyForbidden},
		{name: "§1.2 superuser without super:user is 403", token: tokNoScope, want: replyForbidden},
		{name: "§3 permission before the window check", query: "starttime=01/01/2026&endtime=02/01/2026", token: tokAlice, want: replyForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, edit)
			checkReply(t, tc.want, h.do("GET", path+"?"+tc.query, tc.token, ""))
		})
	}
}

// Seed rules for the logs section (design §4): errors name the JSON path.
func TestSeedLogsRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  SeedLog
		want string
	}{
		{name: "kind required", log: SeedLog{Datetime: nov20}, want: "logs[1].kind: required"},
		{name: "datetime required", log: SeedLog{Kind: "k"}, want: "logs[1].datetime: required"},
		{name: "metadata must be an object", log: SeedLog{Kind: "k", Datetime: nov20, Metadata: json.RawMessage(`[1]`)},
			want: "logs[1].metadata: not a JSON object"},
		{name: "dangling namespace", log: SeedLog{Kind: "k", Datetime: nov20, Namespace: "ghost"},
			want: `logs[1].namespace: "ghost" is not a seeded user or organization`},
		{name: "§1.11 the performer is a user", log: SeedLog{Kind: "k", Datetime: nov20, Performer: "acme"},
			want: `logs[1].performer: "acme" is not a seeded user`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seed := fixtureSeed()
			seed.Logs = []SeedLog{{Kind: "ok", Datetime: nov20}, tc.log}
			_, err := New(WithSeed(seed))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// The Go API writes and reads audit logs as the seed file and listAllLogs
// name them.
func TestDirectLogs(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	if err := h.s.AddLog(SeedLog{Kind: "push_repo", Namespace: "acme", Performer: "alice", IP: "10.0.0.5",
		Datetime: nov20, Metadata: json.RawMessage(`{"repo": "web"}`)}); err != nil {
		t.Fatal(err)
	}
	if err := h.s.AddLog(SeedLog{Kind: "push_repo", Namespace: "ghost", Datetime: nov20}); err == nil ||
		err.Error() != `fakequay: AddLog: namespace: "ghost" is not a seeded user or organization` {
		t.Errorf("dangling namespace: %v", err)
	}
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, ""))
	h.s.Advance(time.Second)
	want := []SeedLog{
		{Kind: "push_repo", Performer: "alice", IP: "10.0.0.5", Datetime: nov20, Metadata: json.RawMessage(`{"repo":"web"}`)},
		{Kind: "org_delete", Performer: "admin", IP: "127.0.0.1", Datetime: fixtureTime,
			Metadata: json.RawMessage(`{"namespace":"acme","oauth_token_id":1,"oauth_token_application_id":"FAKEQUAYCLIENTID0001","oauth_token_application":"fakequay"}`)},
	}
	if diff := cmp.Diff(want, h.s.Logs()); diff != "" {
		t.Errorf("Logs() (-want +got):\n%s", diff)
	}
}

// Benchmark goal (issue 5, row 4 in spirit): a listAllLogs page costs the
// same whatever the table size and wherever the page is. Run with
//
//	go test -run '^$' -bench ListAllLogsPage -benchmem ./fakequay/
func BenchmarkListAllLogsPage(b *testing.B) {
	for _, size := range []int{1_000, 100_000} {
		seed := fixtureSeed()
		seed.Logs = make([]SeedLog, size)
		for i := range seed.Logs {
			seed.Logs[i] = SeedLog{Kind: "push_repo", Namespace: "acme", Performer: "alice", IP: "10.0.0.5",
				Datetime: nov20.Add(time.Duration(i) * time.Second), Metadata: json.RawMessage(`{"repo":"web"}`)}
		}
		s, err := New(WithSeed(seed))
		if err != nil {
			b.Fatal(err)
		}
		// Log i has id i+1; newest first, the last page starts at the
		// oldest multiple-of-20 position.
		lastStart := size - 20*((size-1)/20)
		last := fmt.Sprintf(`{"start_index": %q, "page_number": %d, "is_datetime": true, "offset_val": 0, "start_id": %d}`,
			isoStart(nov20.Add(time.Duration(lastStart-1)*time.Second)), (size-1)/20, lastStart)
		window := "&starttime=01/01/2026&endtime=12/31/2026"
		pages := map[string]string{
			"first": logsPath + "?" + window[1:],
			"last":  logsPath + "?next_page=" + url.QueryEscape(s.encryptPageToken([]byte(last), s.Now())) + window,
		}
		client := s.HTTPClient()
		for _, which := range []string{"first", "last"} {
			b.Run(fmt.Sprintf("logs=%d/page=%s", size, which), func(b *testing.B) {
				req, err := http.NewRequestWithContext(b.Context(), "GET", "http://"+testHost+pages[which], nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+tokAdmin)
				if n := benchPageLen(b, client, req); n != logsPerPage {
					b.Fatalf("%s page has %d logs, want %d", which, n, logsPerPage)
				}
				for b.Loop() {
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
	}
}

// benchPageLen fetches a logs page once and counts its logs.
func benchPageLen(b *testing.B, client *http.Client, req *http.Request) int {
	b.Helper()
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Logs []json.RawMessage `json:"logs"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != 200 {
		b.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	return len(v.Logs)
}
