package contract

import (
	"testing"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// createOrg makes an organization this run owns: Quay's superuser API has
// no "create organization", so a new user is taken over (takeOwnership
// converts it). It is deleted when t ends.
func (e *env) createOrg(t *testing.T, base string) string {
	t.Helper()
	u := e.createUser(t, base)
	if _, _, err := e.su(t).Users.TakeOwnership(t.Context(), u.Username); err != nil {
		t.Fatalf("converting %s to an organization: %v", u.Username, err)
	}
	return u.Username
}

func organizationsCases() []testCase {
	return []testCase{
		{op: "listAllOrganizations", name: "§2.5 All walks every page", alone: true, run: func(t *testing.T, e *env) {
			want := map[string]bool{}
			for _, o := range e.fixtureOrgs(t, 2) {
				want[o] = true
			}
			for o, err := range e.su(t).Organizations.All(t.Context(), &superuser.OrganizationListOptions{Limit: 1}) {
				wantNoError(t, "All", err)
				delete(want, o.Name)
			}
			if len(want) > 0 {
				t.Errorf("fixture organizations not listed: %v", want)
			}
		}},
		{op: "listAllOrganizations", name: "§2.5 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).Organizations.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllOrganizations", name: "§2.5 a read-only superuser may list", alone: true, run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, ReadOnlySuperuser).Organizations.List(t.Context(), nil)
			wantNoError(t, "List as GRO", err)
		}},
		{op: "changeOrganization", name: "§2.6 rename answers the renamed view", run: func(t *testing.T, e *env) {
			old := e.createOrg(t, "ren")
			renamed := e.name("renamed")
			t.Cleanup(func() { e.deleteNamespace(t, renamed) })
			got, _, err := e.su(t).Organizations.Update(t.Context(), old, superuser.UpdateOrganizationRequest{Name: renamed})
			wantNoError(t, "Update", err)
			if got.Name != renamed || got.Avatar.Name != renamed || got.Avatar.Kind != "org" {
				t.Errorf("renamed org = %+v", got)
			}
		}},
		{op: "changeOrganization", name: "§2.6 a user's name is family B", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "notorg")
			_, _, err := e.su(t).Organizations.Update(t.Context(), u.Username, superuser.UpdateOrganizationRequest{})
			wantMessage(t, err, "Organization does not exist: "+u.Username)
		}},
		{op: "changeOrganization", name: "§1.10 an invalid new name is family B", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "badname")
			_, _, err := e.su(t).Organizations.Update(t.Context(), org, superuser.UpdateOrganizationRequest{Name: "Bad_Name"})
			wantMessage(t, err, "Invalid username Bad_Name: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$")
		}},
		{op: "changeOrganization", name: "§2.6 an unknown name is a 500 (HTML)", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Organizations.Update(t.Context(), e.name("ghost"), superuser.UpdateOrganizationRequest{})
			qe, ok := asQuayError(err)
			if !ok || !errorsIsServer(err) || qe.StatusCode != 500 {
				t.Errorf("err = %v, want Quay's 500", err)
			}
		}},
		{op: "deleteOrganization", name: "§2.7 204, then a second delete is 404", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "delorg")
			_, err := e.su(t).Organizations.Delete(t.Context(), org)
			wantNoError(t, "Delete", err)
			_, err = e.su(t).Organizations.Delete(t.Context(), org)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "deleteOrganization", name: "§2.7 a user is not an organization: 404", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "usr")
			_, err := e.su(t).Organizations.Delete(t.Context(), u.Username)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "deleteOrganization", name: "§1.2 a read-only superuser cannot delete", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "grodel")
			_, err := e.client(t, ReadOnlySuperuser).Organizations.Delete(t.Context(), org)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
	}
}

// fixtureOrgs returns the target's fixture organizations, skipping the test
// when it names fewer than n.
func (e *env) fixtureOrgs(t *testing.T, n int) []string {
	t.Helper()
	if len(e.tgt.Fixtures.Organizations) < n {
		t.Skipf("the target names %d fixture organizations (Fixtures.Organizations), the case needs %d", len(e.tgt.Fixtures.Organizations), n)
	}
	return e.tgt.Fixtures.Organizations
}
