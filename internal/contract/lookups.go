package contract

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/quay"
)

// The lookups: endpoints/api/user.py getLoggedInUser and
// getUserInformation, search.py getMatchingEntities and capabilities.py
// getRegistryCapabilities, as the differential recorded real Quay
// answering them (internal/conformance plan_users.go).

func lookupsCases() []testCase {
	return []testCase{
		{op: "getRegistryCapabilities", name: "anyone reads them: no sparse manifests, the four mirror architectures", run: func(t *testing.T, e *env) {
			got, _, err := e.quayClient(t, Anonymous).Registry.Capabilities(t.Context())
			wantNoError(t, "Capabilities", err)
			want := quay.RegistryCapabilities{
				SparseManifests:     quay.SparseManifests{RequiredArchitectures: []string{}},
				MirrorArchitectures: []string{"amd64", "arm64", "ppc64le", "s390x"},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		}},
		{op: "getLoggedInUser", name: "the caller's own private view", run: func(t *testing.T, e *env) {
			me, _, err := e.quayClient(t, NormalUser).Users.Current(t.Context())
			wantNoError(t, "Current", err)
			if me.Username == "" || !me.IsMe || !me.CanCreateRepo || me.Email == "" || me.SuperUser || me.Anonymous {
				t.Errorf("Current = %+v: want the caller's name, is_me, can_create_repo, an e-mail, no super_user", me)
			}
		}},
		{op: "getLoggedInUser", name: "an organization the caller creates is listed, administered", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "lu")
			me, _, err := e.quayClient(t, NormalUser).Users.Current(t.Context())
			wantNoError(t, "Current", err)
			var found []quay.UserOrganization
			for _, o := range me.Organizations {
				if o.Name == org {
					o.Avatar = quay.Avatar{}
					found = append(found, o)
				}
			}
			if diff := cmp.Diff([]quay.UserOrganization{{Name: org, CanCreateRepo: true, IsOrgAdmin: true}}, found); diff != "" {
				t.Errorf("organizations (-want +got):\n%s", diff)
			}
		}},
		{op: "getLoggedInUser", name: "anonymous: InvalidToken 401", run: func(t *testing.T, e *env) {
			_, _, err := e.quayClient(t, Anonymous).Users.Current(t.Context())
			wantAPIError(t, err, quay.ErrUnauthorized, apiErr{401, "invalid_token", "Requires authentication"})
		}},
		{op: "getUserInformation", name: "another caller sees the public part only", run: func(t *testing.T, e *env) {
			me, _, err := e.quayClient(t, NormalUser).Users.Current(t.Context())
			wantNoError(t, "Current", err)
			got, _, err := e.quayClient(t, Anonymous).Users.Get(t.Context(), me.Username)
			wantNoError(t, "Get", err)
			if diff := cmp.Diff(quay.User{Username: me.Username, Avatar: me.Avatar}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		}},
		{op: "getUserInformation", name: "an organization's name is abort(404)", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "ui")
			_, _, err := e.quayClient(t, Anonymous).Users.Get(t.Context(), org)
			if !errors.Is(err, quay.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		}},
		{op: "getMatchingEntities", name: "a member finds the organization's robot and the organization; an outsider neither", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "me")
			rb := e.orgRobot(t, org, "mebot", quay.CreateRobotRequest{})
			opts := &quay.EntitySearchOptions{Namespace: org, IncludeTeams: true, IncludeOrgs: true}
			names := func(role Role, prefix string) []string {
				got, _, err := e.quayClient(t, role).Entities.Search(t.Context(), prefix, opts)
				wantNoError(t, "Search", err)
				out := []string{}
				for _, en := range got {
					out = append(out, en.Kind+" "+en.Name)
				}
				return out
			}
			if diff := cmp.Diff([]string{"user " + rb.Name}, names(NormalUser, "mebot")); diff != "" {
				t.Errorf("robot prefix as a member (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"org " + org}, names(NormalUser, org)); diff != "" {
				t.Errorf("the organization's name as a member (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{}, names(Anonymous, "mebot")); diff != "" {
				t.Errorf("robot prefix anonymously (-want +got):\n%s", diff)
			}
		}},
	}
}
