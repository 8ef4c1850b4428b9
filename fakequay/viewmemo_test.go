package fakequay

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The users and organizations pages (§2.1, §2.5) answer from the memo of
// encoded views only what is still true: after a user's e-mail changes, a
// user is disabled, quotas come and go, and after Reset, each page reads
// as the views built afresh from the store.
func TestListingsStayCurrentWithTheViewMemo(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	fresh := func() (users, orgs string) {
		rd := h.s.store.Read()
		var us, os []*store.Namespace
		rd.Users(store.UsersNotDeleted, 0, func(n *store.Namespace) bool { us = append(us, n); return true })
		rd.Organizations(0, func(n *store.Namespace) bool { os = append(os, n); return true })
		u, err := py.Restful(userListView{Users: h.s.userViews(rd, us)})
		if err != nil {
			t.Fatal(err)
		}
		o, err := py.Restful(orgListView{Organizations: h.s.orgViews(rd, os)})
		if err != nil {
			t.Fatal(err)
		}
		return string(u), string(o)
	}
	listed := func() (users, orgs string) {
		return h.do("GET", "/api/v1/superuser/users/", tokAdmin, "").Body,
			h.do("GET", "/api/v1/superuser/organizations/", tokAdmin, "").Body
	}
	check := func(step string) {
		t.Helper()
		wantUsers, wantOrgs := fresh()
		for range 2 { // the second listing comes from the memo
			users, orgs := listed()
			if diff := cmp.Diff(wantUsers, users); diff != "" {
				t.Errorf("%s: users page (-fresh +listed):\n%s", step, diff)
			}
			if diff := cmp.Diff(wantOrgs, orgs); diff != "" {
				t.Errorf("%s: organizations page (-fresh +listed):\n%s", step, diff)
			}
		}
	}
	check("seeded")
	initialUsers, initialOrgs := listed()
	for _, step := range []struct{ name, method, path, body string }{
		{"alice's e-mail changed", "PUT", "/api/v1/superuser/users/alice", `{"email": "alice@new.example"}`},
		{"alice disabled", "PUT", "/api/v1/superuser/users/alice", `{"enabled": false}`},
		{"a quota for acme", "POST", "/api/v1/superuser/organization/acme/quota", `{"limit_bytes": 1073741824}`},
		{"a quota for admin", "POST", "/api/v1/superuser/users/admin/quota", `{"limit_bytes": 2048}`},
	} {
		if r := h.do(step.method, step.path, tokAdmin, step.body); r.Status >= 300 {
			t.Fatalf("%s: %d %s", step.name, r.Status, r.Body)
		}
		check(step.name)
	}
	h.s.Reset()
	users, orgs := listed()
	if users != initialUsers || orgs != initialOrgs {
		t.Errorf("after Reset the pages differ from the seeded ones:\n%s\n%s", users, orgs)
	}
}
