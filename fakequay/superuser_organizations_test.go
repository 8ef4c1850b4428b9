package fakequay

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// buynlargeView is the §2.5 example organization with quota management on.
const buynlargeView = `{"name": "buynlarge", "email": "buynlarge@example.com", ` +
	`"avatar": {"name": "buynlarge", "hash": "66da75c6cfc9424388183b1baf1dba2fec09ebc1c86cd15fb14cd8855ed3833b", "color": "#d62728", "kind": "org"}, ` +
	`"quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null, "running_backfill": "waiting", "backfill_status": "waiting"}}`

func orgNames(t *testing.T, body string) ([]string, string) {
	t.Helper()
	var v struct {
		Organizations []struct {
			Name string `json:"name"`
		} `json:"organizations"`
		NextPage string `json:"next_page"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	var names []string
	for _, o := range v.Organizations {
		names = append(names, o.Name)
	}
	return names, v.NextPage
}

func TestListAllOrganizations(t *testing.T) {
	t.Parallel()
	one := newHarness(t, func(s *Seed) { s.Organizations = s.Organizations[1:] })
	checkReply(t, reply{200, "application/json", `{"organizations": [` + buynlargeView + "]}\n"},
		one.do("GET", "/api/v1/superuser/organizations/", tokAuditor, ""))

	h := newHarness(t, nil)
	names, next := orgNames(t, h.do("GET", "/api/v1/superuser/organizations/?limit=1", tokAdmin, "").Body)
	if diff := cmp.Diff([]string{"acme"}, names); diff != "" || next == "" {
		t.Errorf("first page (-want +got):\n%s, next %q", diff, next)
	}
	names, next = orgNames(t, h.do("GET", "/api/v1/superuser/organizations/?limit=1&next_page="+next, tokAdmin, "").Body)
	if diff := cmp.Diff([]string{"buynlarge"}, names); diff != "" || next != "" {
		t.Errorf("second page (-want +got):\n%s, next %q", diff, next)
	}
	for _, tc := range []struct {
		name, path, token string
		want              reply
	}{
		{"§2.5 limit above 100", "/api/v1/superuser/organizations/?limit=101", tokAdmin,
			apiErrorReply(400, "invalid_request", "Page limit cannot be above 100")},
		{"§2.5 normal user", "/api/v1/superuser/organizations/", tokAlice, replyForbidden},
		{"§2.5 anonymous", "/api/v1/superuser/organizations/", tokNone, replyUnauthorized},
	} {
		checkReply(t, tc.want, h.do("GET", tc.path, tc.token, ""))
	}
	// Deleted organizations vanish at once (§2.7).
	h.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, "")
	names, _ = orgNames(t, h.do("GET", "/api/v1/superuser/organizations/", tokAdmin, "").Body)
	if diff := cmp.Diff([]string{"buynlarge"}, names); diff != "" {
		t.Errorf("after delete (-want +got):\n%s", diff)
	}
}

func TestChangeOrganization(t *testing.T) {
	t.Parallel()
	renamed := `{"name": "megacorp", "email": "buynlarge@example.com", ` +
		`"avatar": {"name": "megacorp", "hash": "66da75c6cfc9424388183b1baf1dba2fec09ebc1c86cd15fb14cd8855ed3833b", "color": "#d62728", "kind": "org"}, ` +
		`"quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null, "running_backfill": "waiting", "backfill_status": "waiting"}}` + "\n"
	tests := []struct {
		name     string
		path     string
		body     string
		want     reply
		wantLogs []loggedAction
		orgs     []string
	}{
		{"§2.6 rename", "/api/v1/superuser/organizations/buynlarge", `{"name": "megacorp"}`,
			reply{200, "application/json", renamed},
			[]loggedAction{{"org_change_name", "megacorp", "admin", "127.0.0.1",
				`{"old_name":"buynlarge","new_name":"megacorp","superuser":"admin"` + oauthMeta(1)}},
			[]string{"acme", "megacorp"}},
		{"§2.6 empty body: 200, no rename, still logged", "/api/v1/superuser/organizations/buynlarge", `{}`,
			reply{200, "application/json", buynlargeView + "\n"},
			[]loggedAction{{"org_change_name", "buynlarge", "admin", "127.0.0.1",
				`{"old_name":"buynlarge","new_name":null,"superuser":"admin"` + oauthMeta(1)}},
			[]string{"acme", "buynlarge"}},
		{"§2.6 unknown name: the log write crashes Quay", "/api/v1/superuser/organizations/nobody", `{}`,
			replyCrash, nil, []string{"acme", "buynlarge"}},
		{"§2.6 a user's name: family B, log kept", "/api/v1/superuser/organizations/alice", `{"name": "x1"}`,
			modelErrorReply("Organization does not exist: alice"),
			[]loggedAction{{"org_change_name", "alice", "admin", "127.0.0.1",
				`{"old_name":"alice","new_name":"x1","superuser":"admin"` + oauthMeta(1)}},
			[]string{"acme", "buynlarge"}},
		{"§1.10 invalid new name says \"Invalid username\"", "/api/v1/superuser/organizations/acme", `{"name": "Bad!"}`,
			modelErrorReply("Invalid username Bad!: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$"),
			[]loggedAction{{"org_change_name", "acme", "admin", "127.0.0.1",
				`{"old_name":"acme","new_name":"Bad!","superuser":"admin"` + oauthMeta(1)}},
			[]string{"acme", "buynlarge"}},
		{"§2.6 a taken new name is a 500", "/api/v1/superuser/organizations/acme", `{"name": "alice"}`,
			replyCrash,
			[]loggedAction{{"org_change_name", "acme", "admin", "127.0.0.1",
				`{"old_name":"acme","new_name":"alice","superuser":"admin"` + oauthMeta(1)}},
			[]string{"acme", "buynlarge"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			checkReply(t, tc.want, h.do("PUT", tc.path, tokAdmin, tc.body))
			if diff := cmp.Diff(tc.wantLogs, h.logs()); diff != "" {
				t.Errorf("logs (-want +got):\n%s", diff)
			}
			names, _ := orgNames(t, h.do("GET", "/api/v1/superuser/organizations/", tokAdmin, "").Body)
			if diff := cmp.Diff(tc.orgs, names); diff != "" {
				t.Errorf("organizations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeleteOrganization(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, ""))
	// §2.7: a second delete is 404, and a non-organization writes no log.
	checkReply(t, replyNotFound, h.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("DELETE", "/api/v1/superuser/organizations/alice", tokAdmin, ""))
	logs := h.logs()
	if len(logs) != 1 || logs[0].Kind != "org_delete" || logs[0].Metadata != `{"namespace":"acme"`+oauthMeta(1) {
		t.Errorf("logs = %+v", logs)
	}
	checkReply(t, replyForbidden, h.do("DELETE", "/api/v1/superuser/organizations/buynlarge", tokAuditor, ""))
	checkReply(t, replyCSRF, h.do("DELETE", "/api/v1/superuser/organizations/buynlarge", tokNone, ""))
	checkReply(t, modelErrorReply("Username is not available"),
		h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "acme", "email": "x@example.com"}`))
}
