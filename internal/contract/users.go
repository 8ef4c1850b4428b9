package contract

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

func usersCases() []testCase {
	return []testCase{
		{op: "listAllUsers", name: "§2.1 All walks every page, ids ascending", run: func(t *testing.T, e *env) {
			var mine []string
			for range 3 {
				mine = append(mine, e.createUser(t, "walk").Username)
			}
			var seen []string
			for u, err := range e.su(t).Users.All(t.Context(), &superuser.UserListOptions{Limit: 2}) {
				wantNoError(t, "All", err)
				if e.owns(u.Username) && slices.Contains(mine, u.Username) {
					seen = append(seen, u.Username)
				}
			}
			if diff := cmp.Diff(mine, seen); diff != "" {
				t.Errorf("users created by this case, in walk order (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllUsers", name: "§1.8 List pages with an opaque token", run: func(t *testing.T, e *env) {
			e.createUser(t, "page")
			e.createUser(t, "page")
			first, resp, err := e.su(t).Users.List(t.Context(), &superuser.UserListOptions{Limit: 1})
			wantNoError(t, "first page", err)
			if len(first) != 1 || resp.NextPage == "" {
				t.Fatalf("first page: %d users, next %q", len(first), resp.NextPage)
			}
			second, _, err := e.su(t).Users.List(t.Context(), &superuser.UserListOptions{Limit: 1, NextPage: resp.NextPage})
			wantNoError(t, "second page", err)
			if len(second) != 1 || second[0].Username == first[0].Username {
				t.Errorf("second page %v repeats the first %v", second, first)
			}
		}},
		{op: "listAllUsers", name: "§2.1 disabled=false hides disabled users", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "off")
			off := false
			_, _, err := e.su(t).Users.Update(t.Context(), u.Username, superuser.UpdateUserRequest{Enabled: &off})
			wantNoError(t, "disable", err)
			listed := func(disabled *bool) bool {
				for v, err := range e.su(t).Users.All(t.Context(), &superuser.UserListOptions{Disabled: disabled}) {
					wantNoError(t, "All", err)
					if v.Username == u.Username {
						return true
					}
				}
				return false
			}
			if !listed(nil) || listed(&off) {
				t.Errorf("disabled user listed by default: %v, with disabled=false: %v; want true, false", listed(nil), listed(&off))
			}
		}},
		{op: "listAllUsers", name: "§2.1 a read-only superuser may list", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, ReadOnlySuperuser).Users.List(t.Context(), &superuser.UserListOptions{Limit: 1})
			wantNoError(t, "List as GRO", err)
		}},
		{op: "listAllUsers", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).Users.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllUsers", name: "§1.2 a superuser token without super:user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, SuperuserNoScope).Users.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllUsers", name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).Users.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
		{op: "listAllUsers", name: "§2.1 limit above 100 is a 400", run: func(t *testing.T, e *env) {
			c := e.su(t)
			_, _, err := c.Users.List(t.Context(), &superuser.UserListOptions{Limit: 101})
			if !errors.Is(err, quay.ErrInvalidLimit) {
				t.Errorf("client-side check: err = %v, want ErrInvalidLimit", err)
			}
			_, err = e.raw(t, Superuser, "GET", "superuser/users/?limit=101", nil)
			wantAPIError(t, err, quay.ErrBadRequest,
				apiErr{400, "invalid_request", "Page limit cannot be above 100"})
		}},
		{op: "createInstallUser", name: "§2.2 200 with a generated 32-character password", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "new")
			if len(u.Password) != 32 || u.EncryptedPassword == "" || u.Email == nil || *u.Email != u.Username+"@example.com" {
				t.Errorf("created = %+v", u)
			}
			got, _, err := e.su(t).Users.Get(t.Context(), u.Username)
			wantNoError(t, "Get", err)
			if got.Verified != !e.tgt.Mailing {
				t.Errorf("verified = %v with FEATURE_MAILING %v", got.Verified, e.tgt.Mailing)
			}
		}},
		{op: "createInstallUser", name: "§1.10 a taken name is family B", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "dup")
			_, _, err := e.su(t).Users.Create(t.Context(), superuser.CreateUserRequest{Username: u.Username, Email: "other-" + u.Username + "@example.com"})
			wantMessage(t, err, "Username has already been taken by user cannot be reused: "+u.Username)
		}},
		{op: "createInstallUser", name: "§1.10 an invalid name is family B", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Users.Create(t.Context(), superuser.CreateUserRequest{Username: "Not_Valid", Email: "nv@example.com"})
			wantMessage(t, err, "Invalid namespace Not_Valid: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$")
		}},
		{op: "createInstallUser", name: "§1.2 a read-only superuser cannot write", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, ReadOnlySuperuser).Users.Create(t.Context(), superuser.CreateUserRequest{Username: e.name("gro"), Email: "g@example.com"})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "createInstallUser", name: "§1.1 an anonymous write gets the CSRF 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).Users.Create(t.Context(), superuser.CreateUserRequest{Username: e.name("anon"), Email: "a@example.com"})
			wantCSRF(t, err)
		}},
		{op: "getInstallUser", name: "§3 200 with the superuser user view", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "get")
			got, _, err := e.su(t).Users.Get(t.Context(), u.Username)
			wantNoError(t, "Get", err)
			want := superuser.User{Kind: "user", Name: u.Username, Username: u.Username, Email: u.Username + "@example.com",
				Verified: !e.tgt.Mailing, Enabled: true, Avatar: got.Avatar, Quotas: got.Quotas, QuotaReport: got.QuotaReport}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
			if got.Avatar.Name != u.Username || got.Avatar.Kind != "user" || len(got.Avatar.Hash) != 64 {
				t.Errorf("avatar = %+v", got.Avatar)
			}
		}},
		{op: "getInstallUser", name: "§3 an unknown name is 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Users.Get(t.Context(), e.name("ghost"))
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getInstallUser", name: "§3 an organization is not a user: 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Users.Get(t.Context(), e.fixtureOrgs(t, 1)[0])
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "changeInstallUser", name: "§3 answers the user as it was before the update", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "chg")
			off := false
			before, _, err := e.su(t).Users.Update(t.Context(), u.Username, superuser.UpdateUserRequest{Enabled: &off, Email: "changed-" + u.Username + "@example.com"})
			wantNoError(t, "Update", err)
			if !before.Enabled || before.Email != "changed-"+u.Username+"@example.com" {
				t.Errorf("answer: enabled %v (want the old true), email %q (want the new one)", before.Enabled, before.Email)
			}
			after, _, err := e.su(t).Users.Get(t.Context(), u.Username)
			wantNoError(t, "Get", err)
			if after.Enabled || !after.Verified {
				t.Errorf("after: enabled %v verified %v, want false true", after.Enabled, after.Verified)
			}
		}},
		{op: "changeInstallUser", name: "§3 a superuser cannot be updated", run: func(t *testing.T, e *env) {
			self, _, err := e.su(t).Users.List(t.Context(), nil)
			wantNoError(t, "List", err)
			for _, u := range self {
				if u.SuperUser {
					_, _, err := e.su(t).Users.Update(t.Context(), u.Username, superuser.UpdateUserRequest{})
					wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Cannot update a superuser"})
					return
				}
			}
			t.Skip("no superuser listed")
		}},
		{op: "changeInstallUser", name: "§1.10 a short password is family B", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "pw")
			_, _, err := e.su(t).Users.Update(t.Context(), u.Username, superuser.UpdateUserRequest{Password: "short"})
			wantMessage(t, err, "Invalid password, password must be at least 8 characters and contain no whitespace.")
		}},
		{op: "deleteInstallUser", name: "§2.3 204, then the user is gone", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "del")
			_, err := e.su(t).Users.Delete(t.Context(), u.Username)
			wantNoError(t, "Delete", err)
			_, _, err = e.su(t).Users.Get(t.Context(), u.Username)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "deleteInstallUser", name: "§4.7 the name stays blocked until the namespace purge", needsClock: true, run: func(t *testing.T, e *env) {
			u := e.createUser(t, "blk")
			_, err := e.su(t).Users.Delete(t.Context(), u.Username)
			wantNoError(t, "Delete", err)
			_, _, err = e.su(t).Users.Create(t.Context(), superuser.CreateUserRequest{Username: u.Username, Email: "again-" + u.Username + "@example.com"})
			wantMessage(t, err, "Username is not available")
			e.tgt.Clock(t, 0)
			_, _, err = e.su(t).Users.Create(t.Context(), superuser.CreateUserRequest{Username: u.Username, Email: "again-" + u.Username + "@example.com"})
			wantNoError(t, "Create after the purge", err)
		}},
		{op: "deleteInstallUser", name: "§2.3 an unknown user is 404", run: func(t *testing.T, e *env) {
			_, err := e.su(t).Users.Delete(t.Context(), e.name("ghost"))
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "deleteInstallUser", name: "§1.1 an anonymous delete gets the CSRF 403", run: func(t *testing.T, e *env) {
			_, err := e.client(t, Anonymous).Users.Delete(t.Context(), e.name("ghost"))
			wantCSRF(t, err)
		}},
		{op: "sendInstallUserRecoveryEmail", name: "§3 200 with the user's e-mail", run: func(t *testing.T, e *env) {
			if !e.tgt.Mailing {
				t.Skip("the route exists only with FEATURE_MAILING")
			}
			u := e.createUser(t, "rec")
			email, _, err := e.su(t).Users.SendRecoveryEmail(t.Context(), u.Username)
			wantNoError(t, "SendRecoveryEmail", err)
			if email != u.Username+"@example.com" {
				t.Errorf("email = %q", email)
			}
		}},
		{op: "sendInstallUserRecoveryEmail", name: "§3 an unknown user is 404", run: func(t *testing.T, e *env) {
			if !e.tgt.Mailing {
				t.Skip("the route exists only with FEATURE_MAILING")
			}
			_, _, err := e.su(t).Users.SendRecoveryEmail(t.Context(), e.name("ghost"))
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "takeOwnership", name: "§3 a user becomes an organization", alone: true, run: func(t *testing.T, e *env) {
			u := e.createUser(t, "own")
			ns, _, err := e.su(t).Users.TakeOwnership(t.Context(), u.Username)
			wantNoError(t, "TakeOwnership", err)
			if ns != u.Username {
				t.Errorf("namespace = %q", ns)
			}
			_, _, err = e.su(t).Users.Get(t.Context(), u.Username)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			found := false
			for o, err := range e.su(t).Organizations.All(t.Context(), nil) {
				wantNoError(t, "Organizations.All", err)
				found = found || o.Name == u.Username
			}
			if !found {
				t.Errorf("%s is not listed as an organization", u.Username)
			}
		}},
		{op: "takeOwnership", name: "§3 an unknown namespace is 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Users.TakeOwnership(t.Context(), e.name("ghost"))
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
	}
}
