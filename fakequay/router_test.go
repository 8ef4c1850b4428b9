package fakequay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRouterMatchesLikeWerkzeug checks the routing rules of reference §1.5
// on a table of Quay-shaped rules.
func TestRouterMatchesLikeWerkzeug(t *testing.T) {
	t.Parallel()
	op := func(n string) *operation { return &operation{nickname: n} }
	rt := newRouter([]*route{
		{pattern: "/api/v1/superuser/users/", ops: map[string]*operation{"GET": op("listAllUsers"), "POST": op("createInstallUser")}},
		{pattern: "/api/v1/superuser/users/{username}", ops: map[string]*operation{"GET": op("getInstallUser"), "DELETE": op("deleteInstallUser")}},
		{pattern: "/api/v1/superuser/users/{namespace}/quota", ops: map[string]*operation{"GET": op("listUserQuotaSuperUser")}},
		{pattern: "/api/v1/superuser/{build_uuid}/logs", ops: map[string]*operation{"GET": op("getRepoBuildLogsSuperUser")}},
		{pattern: "/api/v1/superuser/keys", ops: map[string]*operation{"GET": op("listServiceKeys")}},
	})
	type result struct {
		Kind   matchKind
		Op     string
		Params map[string]string
		Allow  []string
	}
	tests := []struct {
		method, path string
		want         result
	}{
		{"GET", "/api/v1/superuser/users/", result{Kind: matchFound, Op: "listAllUsers",
			Allow: []string{"GET", "HEAD", "OPTIONS", "POST"}}},
		{"HEAD", "/api/v1/superuser/users/", result{Kind: matchFound, Op: "listAllUsers",
			Allow: []string{"GET", "HEAD", "OPTIONS", "POST"}}},
		// Static beats variable: "logs" is a username here, not a build.
		{"GET", "/api/v1/superuser/users/logs", result{Kind: matchFound, Op: "getInstallUser",
			Params: map[string]string{"username": "logs"}, Allow: []string{"DELETE", "GET", "HEAD", "OPTIONS"}}},
		// ...but with backtracking the variable branch still matches.
		{"GET", "/api/v1/superuser/abc/logs", result{Kind: matchFound, Op: "getRepoBuildLogsSuperUser",
			Params: map[string]string{"build_uuid": "abc"}, Allow: []string{"GET", "HEAD", "OPTIONS"}}},
		{"GET", "/api/v1/superuser/users/alice/quota", result{Kind: matchFound, Op: "listUserQuotaSuperUser",
			Params: map[string]string{"namespace": "alice"}, Allow: []string{"GET", "HEAD", "OPTIONS"}}},
		{"GET", "/api/v1/superuser/users", result{Kind: matchRedirect}},
		{"POST", "/api/v1/superuser/users", result{Kind: matchRedirect}},
		// No redirect for a method the slashed rule does not allow.
		{"PUT", "/api/v1/superuser/users", result{Kind: matchNone}},
		{"PATCH", "/api/v1/superuser/keys", result{Kind: matchMethodNotAllowed, Allow: []string{"GET", "HEAD", "OPTIONS"}}},
		// A 405 lists every method any matching rule allows.
		{"PATCH", "/api/v1/superuser/users/logs", result{Kind: matchMethodNotAllowed,
			Allow: []string{"DELETE", "GET", "HEAD", "OPTIONS"}}},
		{"GET", "/api/v1/superuser/keys/", result{Kind: matchNone}},
		{"GET", "/api/v1/superuser/users//quota", result{Kind: matchNone}},
		{"GET", "/api/v1/superuser/nothing", result{Kind: matchNone}},
	}
	for _, tc := range tests {
		m := rt.match(tc.method, tc.path)
		got := result{Kind: m.kind, Params: m.params, Allow: m.allow}
		if m.op != nil {
			got.Op = m.op.nickname
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tc.method, tc.path, diff)
		}
	}
}
