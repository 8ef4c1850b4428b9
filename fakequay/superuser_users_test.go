package fakequay

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// aliceView is alice's superuser user view with quota management on
// (reference §1.9 and the §2.1 example).
const aliceView = `{"kind": "user", "name": "alice", "username": "alice", "email": "alice@example.com", "verified": true, ` +
	`"avatar": {"name": "alice", "hash": "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", "color": "#a55194", "kind": "user"}, ` +
	`"super_user": false, "global_readonly_super_user": false, "enabled": true, ` +
	`"quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null, "running_backfill": "waiting", "backfill_status": "waiting"}}`

// userNames decodes a users list body into its usernames and next_page.
func userNames(t *testing.T, body string) ([]string, string) {
	t.Helper()
	var v struct {
		Users []struct {
			Username string `json:"username"`
		} `json:"users"`
		NextPage string `json:"next_page"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	var names []string
	for _, u := range v.Users {
		names = append(names, u.Username)
	}
	return names, v.NextPage
}

func TestListAllUsers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		path      string
		token     string
		wantNames []string
		want      *reply // when set, the whole reply
	}{
		{name: "§2.1 no limit lists every user, disabled included", path: "/api/v1/superuser/users/", token: tokAdmin,
			wantNames: []string{"admin", "alice", "auditor", "both", "dave"}},
		{name: "§2.1 disabled=false drops disabled users", path: "/api/v1/superuser/users/?disabled=false", token: tokAdmin,
			wantNames: []string{"admin", "alice", "auditor", "both"}},
		{name: "§1.7 truthy_bool: any other string is true", path: "/api/v1/superuser/users/?disabled=no", token: tokAdmin,
			wantNames: []string{"admin", "alice", "auditor", "both", "dave"}},
		{name: "§1.2 GRO reads whatever its token's scopes", path: "/api/v1/superuser/users/", token: tokAuditor,
			wantNames: []string{"admin", "alice", "auditor", "both", "dave"}},
		{name: "§1.2 in both lists: GRO, still reads", path: "/api/v1/superuser/users/", token: tokBoth,
			wantNames: []string{"admin", "alice", "auditor", "both", "dave"}},
		{name: "§2.1 anonymous read is 401", path: "/api/v1/superuser/users/", token: tokNone, want: &replyUnauthorized},
		{name: "§1.2 unknown token is anonymous", path: "/api/v1/superuser/users/", token: tokUnknown, want: &replyUnauthorized},
		{name: "§1.2 disabled user's token is anonymous", path: "/api/v1/superuser/users/", token: tokDisabled, want: &replyUnauthorized},
		{name: "§2.1 normal user is 403", path: "/api/v1/superuser/users/", token: tokAlice, want: &replyForbidden},
		{name: "§1.2 superuser token without super:user is 403", path: "/api/v1/superuser/users/", token: tokNoScope, want: &replyForbidden},
		{name: "§2.1 limit above 100", path: "/api/v1/superuser/users/?limit=101", token: tokAdmin,
			want: ptr(apiErrorReply(400, "invalid_request", "Page limit cannot be above 100"))},
		{name: "§2.1 permission before the limit check", path: "/api/v1/superuser/users/?limit=101", token: tokAlice, want: &replyForbidden},
		{name: "§1.7 non-integer limit is family E", path: "/api/v1/superuser/users/?limit=abc", token: tokAdmin,
			want: &reply{Status: 400, ContentType: "application/json",
				Body: `{"message": {"limit": "Limit to the number of results to return per page. Max 100."}}` + "\n"}},
		{name: "§1.7 a bad value in any position is family E", path: "/api/v1/superuser/users/?limit=5&limit=x", token: tokAdmin,
			want: &reply{Status: 400, ContentType: "application/json",
				Body: `{"message": {"limit": "Limit to the number of results to return per page. Max 100."}}` + "\n"}},
		{name: "§1.7 the first of repeated values wins", path: "/api/v1/superuser/users/?limit=1&limit=3", token: tokAdmin,
			wantNames: []string{"admin"}},
		{name: "§1.1 fresh-login check fires before query parsing", path: "/api/v1/superuser/users/?limit=abc", token: tokNone,
			want: &replyUnauthorized},
		{name: "§1.8 limit=-1 crashes Quay", path: "/api/v1/superuser/users/?limit=-1", token: tokAdmin, want: &replyCrash},
		{name: "§1.8 limit=-5 crashes Quay", path: "/api/v1/superuser/users/?limit=-5", token: tokAdmin, want: &replyCrash},
		{name: "§1.8 a garbage token restarts at the first page", path: "/api/v1/superuser/users/?limit=2&next_page=garbage", token: tokAdmin,
			wantNames: []string{"admin", "alice"}},
		{name: "§1.8 a token without limit is ignored", path: "/api/v1/superuser/users/?next_page=garbage", token: tokAdmin,
			wantNames: []string{"admin", "alice", "auditor", "both", "dave"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			got := h.do("GET", tc.path, tc.token, "")
			if tc.want != nil {
				checkReply(t, *tc.want, got)
				return
			}
			if got.Status != 200 {
				t.Fatalf("status %d, body %s", got.Status, got.Body)
			}
			names, _ := userNames(t, got.Body)
			if diff := cmp.Diff(tc.wantNames, names); diff != "" {
				t.Errorf("users (-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestListAllUsersView(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) { s.Users = s.Users[1:2] }) // alice only, so the body is exact
	got := h.do("GET", "/api/v1/superuser/users/", tokNone, "")
	checkReply(t, replyUnauthorized, got)
	h2 := newHarness(t, nil)
	got = h2.do("GET", "/api/v1/superuser/users/alice", tokAdmin, "")
	checkReply(t, reply{Status: 200, ContentType: "application/json", Body: aliceView + "\n"}, got)
}

// §1.8: paging walks every row exactly once; tokens are opaque and the last
// page has none.
func TestListAllUsersPaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	var all []string
	path := "/api/v1/superuser/users/?limit=2"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging did not end")
		}
		got := h.do("GET", path, tokAdmin, "")
		names, next := userNames(t, got.Body)
		all = append(all, names...)
		if next == "" {
			if strings.Contains(got.Body, "next_page") {
				t.Errorf("last page mentions next_page: %s", got.Body)
			}
			break
		}
		if strings.Contains(next, "start_index") {
			t.Errorf("page token is readable: %q", next)
		}
		path = "/api/v1/superuser/users/?limit=2&next_page=" + next
	}
	if diff := cmp.Diff([]string{"admin", "alice", "auditor", "both", "dave"}, all); diff != "" {
		t.Errorf("walk (-want +got):\n%s", diff)
	}
}

// §1.8: limit=0 returns nothing and a token pointing back at the first row,
// so a naive client loops forever.
func TestListAllUsersLimitZeroLoops(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	first := h.do("GET", "/api/v1/superuser/users/?limit=0", tokAdmin, "")
	names, next := userNames(t, first.Body)
	if len(names) != 0 || next == "" {
		t.Fatalf("limit=0: names %v, next %q", names, next)
	}
	again := h.do("GET", "/api/v1/superuser/users/?limit=1&next_page="+next, tokAdmin, "")
	names, _ = userNames(t, again.Body)
	if diff := cmp.Diff([]string{"admin"}, names); diff != "" {
		t.Errorf("token from limit=0 points at (-want +got):\n%s", diff)
	}
}

// §1.8: tokens live 2 days on the fake clock; an expired one restarts.
func TestListAllUsersTokenExpiry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, next := userNames(t, h.do("GET", "/api/v1/superuser/users/?limit=2", tokAdmin, "").Body)
	h.s.Advance(47 * time.Hour)
	names, _ := userNames(t, h.do("GET", "/api/v1/superuser/users/?limit=2&next_page="+next, tokAdmin, "").Body)
	if diff := cmp.Diff([]string{"auditor", "both"}, names); diff != "" {
		t.Errorf("fresh token (-want +got):\n%s", diff)
	}
	h.s.Advance(2 * time.Hour)
	names, _ = userNames(t, h.do("GET", "/api/v1/superuser/users/?limit=2&next_page="+next, tokAdmin, "").Body)
	if diff := cmp.Diff([]string{"admin", "alice"}, names); diff != "" {
		t.Errorf("expired token (-want +got):\n%s", diff)
	}
}

// §1.5: the slash-terminated routes redirect with 308 when the slash is
// missing, but only for a method the rule allows.
func TestUsersTrailingSlash(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	got := h.do("GET", "/api/v1/superuser/users?limit=2", tokAdmin, "")
	if got.Status != 308 {
		t.Fatalf("status %d", got.Status)
	}
	put := h.do("PUT", "/api/v1/superuser/users", tokAdmin, "{}")
	if put.Status != 405 || put.ContentType != "text/html; charset=utf-8" {
		t.Errorf("PUT without slash: %d %s, want the web catch-all's HTML 405", put.Status, put.ContentType)
	}
	slash := h.do("GET", "/api/v1/superuser/users/alice/", tokAdmin, "")
	if slash.Status != 404 || slash.ContentType != "text/html; charset=utf-8" {
		t.Errorf("extra slash: %d %s, want an HTML 404", slash.Status, slash.ContentType)
	}
}

// §0 SERVER_HOSTNAME: on a quay.io hostname verify_not_prod answers 404 for
// the superuser methods that carry it; quota deletion does not.
func TestVerifyNotProd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.Config.ServerHostname = "quay.io"
		s.Quotas = []SeedQuota{{Namespace: "acme", LimitBytes: 1000}}
	})
	checkReply(t, replyNotFound, h.do("GET", "/api/v1/superuser/users/", tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "x1", "email": "x@example.com"}`))
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/organization/acme/quota/1", tokAdmin, ""))
}

// §1.3 family F, §1.1 step 6: with REGISTRY_STATE "readonly" every write
// answers Quay's read-only 503 (after the CSRF check) and changes nothing;
// reads still work.
func TestReadOnlyRegistry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) { s.Config.RegistryState = "readonly" })
	readOnly := reply{503, "application/json",
		`{"is_readonly":true,"message":"System is currently read-only. Pulls will succeed but all write operations are currently suspended."}` + "\n"}
	checkReply(t, readOnly, h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "newbie", "email": "n@example.com"}`))
	checkReply(t, readOnly, h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, ""))
	checkReply(t, readOnly, h.do("PUT", "/api/v1/superuser/users/alice", tokAlice, `{}`))
	checkReply(t, replyCSRF, h.do("DELETE", "/api/v1/superuser/users/alice", tokNone, ""))
	if _, ok := h.s.User("newbie"); ok {
		t.Error("a write went through in read-only mode")
	}
	if got := h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""); got.Status != 200 {
		t.Errorf("read in read-only mode: %d", got.Status)
	}
}
