package contract

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/quaykit/go-quay/quay"
)

// The robot cases: endpoints/api/robot.py and data/model/user.py's robot
// functions, with the answers recorded from real Quay in
// fakequay/testdata/realquay/robot.json. The normal user's own robots
// stand for user robots, an organization the normal user creates (and so
// administers) for organization robots.

// robots is role's robots client.
func (e *env) robots(t *testing.T, role Role) *quay.RobotsService {
	return e.quayClient(t, role).Robots
}

// userRobot creates a robot of the normal user, deleted when t ends.
func (e *env) userRobot(t *testing.T, base string, body quay.CreateRobotRequest) quay.Robot {
	t.Helper()
	short := e.name(base)
	rb, _, err := e.robots(t, NormalUser).CreateUser(t.Context(), short, body)
	if err != nil {
		t.Fatalf("creating robot %s: %v", short, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = e.robots(t, NormalUser).DeleteUser(ctx, short)
	})
	return rb
}

// userOrg creates an organization the normal user administers; the
// superuser deletes it when t ends.
func (e *env) userOrg(t *testing.T, base string) string {
	t.Helper()
	return e.userOrgNamed(t, e.name(base))
}

func (e *env) userOrgNamed(t *testing.T, name string) string {
	t.Helper()
	_, err := e.quayClient(t, NormalUser).Organizations.Create(t.Context(),
		quay.CreateOrganizationRequest{Name: name, Email: name + "@example.org"})
	if err != nil {
		t.Fatalf("creating organization %s: %v", name, err)
	}
	t.Cleanup(func() { e.deleteNamespace(t, name) })
	return name
}

// orgRobot creates a robot of org as the normal user (its administrator).
func (e *env) orgRobot(t *testing.T, org, short string, body quay.CreateRobotRequest) quay.Robot {
	t.Helper()
	rb, _, err := e.robots(t, NormalUser).CreateOrg(t.Context(), org, short, body)
	if err != nil {
		t.Fatalf("creating robot %s+%s: %v", org, short, err)
	}
	return rb
}

// shortName is a robot's name without its namespace.
func shortName(full string) string {
	for i := range len(full) {
		if full[i] == '+' {
			return full[i+1:]
		}
	}
	return full
}

// robotNamesAmong returns the names of rs that are among names, in the
// order rs has them: other cases make robots of the same user meanwhile.
func robotNamesAmong(rs []quay.Robot, names ...string) []string {
	var out []string
	for _, r := range rs {
		if slices.Contains(names, r.Name) {
			out = append(out, r.Name)
		}
	}
	return out
}

// robotView compares what a case checks of a robot: not the creation time
// (the target's clock), which only has to be set.
var robotView = cmpopts.IgnoreFields(quay.Robot{}, "Created")

const robotNotFound = "Could not find robot with specified username"

func robotsCases() []testCase {
	fed := []quay.RobotFederation{
		{Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:acme/web:ref:refs/heads/main"},
		{Issuer: "http://gitlab.example.com", Subject: "project_path:acme/web"},
	}
	return []testCase{
		{op: "createUserRobot", name: "201 with the token, the description and the metadata as given", run: func(t *testing.T, e *env) {
			meta := map[string]any{"owner": "platform", "tier": float64(1)}
			rb := e.userRobot(t, "ur", quay.CreateRobotRequest{Description: "CI pusher", UnstructuredMetadata: meta})
			if rb.Created.IsZero() || len(rb.Token) != 64 {
				t.Errorf("created %+v: want a creation time and a 64-character token", rb)
			}
			got, _, err := e.robots(t, NormalUser).GetUser(t.Context(), shortName(rb.Name))
			wantNoError(t, "GetUser", err)
			if diff := cmp.Diff(rb, got, robotView); diff != "" {
				t.Errorf("GetUser after CreateUser (-created +read):\n%s", diff)
			}
		}},
		{op: "createUserRobot", name: "no metadata: the answer has none, a read has {}", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "ur", quay.CreateRobotRequest{})
			if rb.UnstructuredMetadata != nil || rb.Description != "" {
				t.Errorf("created %+v: want no metadata (null) and no description", rb)
			}
			got, _, err := e.robots(t, NormalUser).GetUser(t.Context(), shortName(rb.Name))
			wantNoError(t, "GetUser", err)
			if diff := cmp.Diff(map[string]any{}, got.UnstructuredMetadata); diff != "" {
				t.Errorf("read metadata (-want +got):\n%s", diff)
			}
		}},
		{op: "createUserRobot", name: "an existing robot is an ApiError", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "ur", quay.CreateRobotRequest{})
			_, _, err := e.robots(t, NormalUser).CreateUser(t.Context(), shortName(rb.Name), quay.CreateRobotRequest{})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Existing robot with name: " + rb.Name})
		}},
		{op: "createUserRobot", name: "validate_username: an invalid name is an ApiError", run: func(t *testing.T, e *env) {
			_, _, err := e.robots(t, NormalUser).CreateUser(t.Context(), "Bad", quay.CreateRobotRequest{})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request",
				"The name for the robot 'Bad' is invalid: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$"})
		}},
		{op: "createUserRobot", name: "anonymous is refused by the CSRF check", run: func(t *testing.T, e *env) {
			_, _, err := e.robots(t, Anonymous).CreateUser(t.Context(), e.name("ur"), quay.CreateRobotRequest{})
			wantCSRF(t, err)
		}},
		{op: "getUserRobots", name: "the caller's robots in creation order; tokens unless excluded", run: func(t *testing.T, e *env) {
			first := e.userRobot(t, "ul", quay.CreateRobotRequest{Description: "first"})
			second := e.userRobot(t, "ul", quay.CreateRobotRequest{})
			svc := e.robots(t, NormalUser)
			all, _, err := svc.ListUser(t.Context(), nil)
			wantNoError(t, "ListUser", err)
			if diff := cmp.Diff([]string{first.Name, second.Name}, robotNamesAmong(all, first.Name, second.Name)); diff != "" {
				t.Errorf("listed robots (-want +got):\n%s", diff)
			}
			i := slices.IndexFunc(all, func(r quay.Robot) bool { return r.Name == first.Name })
			want := first
			want.UnstructuredMetadata = nil // lists leave the metadata out
			if diff := cmp.Diff(want, all[i], robotView); diff != "" {
				t.Errorf("listed robot (-want +got):\n%s", diff)
			}
			bare, _, err := svc.ListUser(t.Context(), &quay.RobotListOptions{ExcludeTokens: true, Permissions: true})
			wantNoError(t, "ListUser without tokens", err)
			for _, r := range bare {
				if r.Token != "" || (e.owns(shortName(r.Name)) && (r.Teams == nil || r.Repositories == nil)) {
					t.Errorf("robot %s listed with token %q, teams %v, repositories %v", r.Name, r.Token, r.Teams, r.Repositories)
				}
			}
			one, _, err := svc.ListUser(t.Context(), &quay.RobotListOptions{Limit: 1})
			wantNoError(t, "ListUser limit 1", err)
			if len(one) != 1 {
				t.Errorf("Limit 1 listed %d robots", len(one))
			}
		}},
		{op: "getUserRobots", name: "anonymous is 401", run: func(t *testing.T, e *env) {
			_, _, err := e.robots(t, Anonymous).ListUser(t.Context(), nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
		{op: "getUserRobots", name: "a robot's token is no API token: anonymous", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "ur", quay.CreateRobotRequest{})
			c, err := quay.NewClient(e.tgt.URL, e.clientOptions(quay.WithToken(rb.Token))...)
			wantNoError(t, "NewClient", err)
			_, _, err = c.Robots.ListUser(t.Context(), nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
		{op: "getUserRobot", name: "an unknown robot is a model error (400)", run: func(t *testing.T, e *env) {
			_, _, err := e.robots(t, NormalUser).GetUser(t.Context(), e.name("none"))
			wantMessage(t, err, robotNotFound)
		}},
		{op: "deleteUserRobot", name: "204, then the robot is gone and a second delete is a model error", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "ud", quay.CreateRobotRequest{})
			svc := e.robots(t, NormalUser)
			_, err := svc.DeleteUser(t.Context(), shortName(rb.Name))
			wantNoError(t, "DeleteUser", err)
			_, _, err = svc.GetUser(t.Context(), shortName(rb.Name))
			wantMessage(t, err, robotNotFound)
			_, err = svc.DeleteUser(t.Context(), shortName(rb.Name))
			wantMessage(t, err, robotNotFound)
		}},
		{op: "getUserRobotPermissions", name: "a new robot has none; unknown is a model error", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "up", quay.CreateRobotRequest{})
			svc := e.robots(t, NormalUser)
			perms, _, err := svc.ListUserPermissions(t.Context(), shortName(rb.Name))
			wantNoError(t, "ListUserPermissions", err)
			if diff := cmp.Diff([]quay.RepositoryPermission{}, perms); diff != "" {
				t.Errorf("permissions (-want +got):\n%s", diff)
			}
			_, _, err = svc.ListUserPermissions(t.Context(), e.name("none"))
			wantMessage(t, err, robotNotFound)
		}},
		{op: "regenerateUserRobotToken", name: "a new token, which reads show; the answer has no metadata", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "ug", quay.CreateRobotRequest{Description: "kept", UnstructuredMetadata: map[string]any{"k": "v"}})
			svc := e.robots(t, NormalUser)
			regen, _, err := svc.RegenerateUserToken(t.Context(), shortName(rb.Name))
			wantNoError(t, "RegenerateUserToken", err)
			if regen.Token == rb.Token || len(regen.Token) != 64 || regen.UnstructuredMetadata != nil || regen.Description != "kept" {
				t.Errorf("regenerated %+v from token %s", regen, rb.Token)
			}
			got, _, err := svc.GetUser(t.Context(), shortName(rb.Name))
			wantNoError(t, "GetUser", err)
			if got.Token != regen.Token || !cmp.Equal(got.UnstructuredMetadata, map[string]any{"k": "v"}) {
				t.Errorf("read after regenerating: %+v, want token %s and the metadata kept", got, regen.Token)
			}
		}},
		{op: "createUserRobotFederation", name: "replaces the configuration; get and delete follow", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "uf", quay.CreateRobotRequest{})
			short, svc := shortName(rb.Name), e.robots(t, NormalUser)
			empty, _, err := svc.GetUserFederation(t.Context(), short)
			wantNoError(t, "GetUserFederation", err)
			if diff := cmp.Diff([]quay.RobotFederation{}, empty); diff != "" {
				t.Errorf("a new robot's federation (-want +got):\n%s", diff)
			}
			set, _, err := svc.SetUserFederation(t.Context(), short, fed)
			wantNoError(t, "SetUserFederation", err)
			got, _, err := svc.GetUserFederation(t.Context(), short)
			wantNoError(t, "GetUserFederation", err)
			if diff := cmp.Diff(fed, set); diff != "" {
				t.Errorf("set answer (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(fed, got); diff != "" {
				t.Errorf("read after set (-want +got):\n%s", diff)
			}
			_, err = svc.DeleteUserFederation(t.Context(), short)
			wantNoError(t, "DeleteUserFederation", err)
			got, _, err = svc.GetUserFederation(t.Context(), short)
			wantNoError(t, "GetUserFederation", err)
			if len(got) != 0 {
				t.Errorf("federation after delete: %+v", got)
			}
		}},
		{op: "createUserRobotFederation", name: "_parse_federation_config's refusals are ApiErrors", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "uf", quay.CreateRobotRequest{})
			short, svc := shortName(rb.Name), e.robots(t, NormalUser)
			for _, tc := range []struct {
				config []quay.RobotFederation
				detail string
			}{
				{[]quay.RobotFederation{fed[0], fed[0]}, "Duplicate federation config entry"},
				{[]quay.RobotFederation{{Issuer: "ci.example", Subject: "s"}}, "Issuer must be a URL (http:// or https://)"},
				{[]quay.RobotFederation{{Issuer: "https://ci.example"}}, "Missing one or more required fields (issuer, subject)"},
			} {
				_, _, err := svc.SetUserFederation(t.Context(), short, tc.config)
				wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", tc.detail})
			}
		}},
		{op: "getUserRobotFederation", name: "an unknown robot is a model error", run: func(t *testing.T, e *env) {
			_, _, err := e.robots(t, NormalUser).GetUserFederation(t.Context(), e.name("none"))
			wantMessage(t, err, robotNotFound)
		}},
		{op: "deleteUserRobotFederation", name: "204 also without a configuration; unknown is a model error", run: func(t *testing.T, e *env) {
			rb := e.userRobot(t, "uf", quay.CreateRobotRequest{})
			svc := e.robots(t, NormalUser)
			_, err := svc.DeleteUserFederation(t.Context(), shortName(rb.Name))
			wantNoError(t, "DeleteUserFederation", err)
			_, err = svc.DeleteUserFederation(t.Context(), e.name("none"))
			wantMessage(t, err, robotNotFound)
		}},

		{op: "createOrgRobot", name: "an administrator creates; the organization reads it back", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "ro")
			rb := e.orgRobot(t, org, "ci", quay.CreateRobotRequest{Description: "CI", UnstructuredMetadata: map[string]any{"a": []any{true}}})
			if rb.Name != org+"+ci" || len(rb.Token) != 64 {
				t.Errorf("created %+v", rb)
			}
			got, _, err := e.robots(t, NormalUser).GetOrg(t.Context(), org, "ci")
			wantNoError(t, "GetOrg", err)
			if diff := cmp.Diff(rb, got, robotView); diff != "" {
				t.Errorf("GetOrg after CreateOrg (-created +read):\n%s", diff)
			}
		}},
		{op: "createOrgRobot", name: "a user's namespace is no organization (model error)", run: func(t *testing.T, e *env) {
			u := e.createUser(t, "notorg")
			_, _, err := e.robots(t, Superuser).CreateOrg(t.Context(), u.Username, "ci", quay.CreateRobotRequest{})
			if !e.tgt.SuperusersFullAccess {
				wantAPIError(t, err, quay.ErrForbidden, errForbidden)
				return
			}
			wantMessage(t, err, "Organization does not exist: "+u.Username)
		}},
		{op: "createOrgRobot", name: "a read-only superuser may not create", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "ro")
			_, _, err := e.robots(t, ReadOnlySuperuser).CreateOrg(t.Context(), org, "ci", quay.CreateRobotRequest{})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "getOrgRobots", name: "creation order; tokens for the admin, none for a read-only superuser", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rl")
			a := e.orgRobot(t, org, "zz", quay.CreateRobotRequest{})
			b := e.orgRobot(t, org, "aa", quay.CreateRobotRequest{})
			got, _, err := e.robots(t, NormalUser).ListOrg(t.Context(), org, nil)
			wantNoError(t, "ListOrg", err)
			if diff := cmp.Diff([]string{a.Name + " " + a.Token, b.Name + " " + b.Token}, robotsWithTokens(got)); diff != "" {
				t.Errorf("the admin's list (-want +got):\n%s", diff)
			}
			gro, _, err := e.robots(t, ReadOnlySuperuser).ListOrg(t.Context(), org, nil)
			wantNoError(t, "ListOrg as a read-only superuser", err)
			if diff := cmp.Diff([]string{a.Name + " ", b.Name + " "}, robotsWithTokens(gro)); diff != "" {
				t.Errorf("the read-only superuser's list (-want +got):\n%s", diff)
			}
		}},
		{op: "getOrgRobots", name: "permissions: a robot's teams", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rt")
			rb := e.orgRobot(t, org, "deployer", quay.CreateRobotRequest{})
			_, _, err := e.quayClient(t, NormalUser).Teams.AddMember(t.Context(), org, "owners", rb.Name)
			wantNoError(t, "AddMember", err)
			got, _, err := e.robots(t, NormalUser).ListOrg(t.Context(), org, &quay.RobotListOptions{Permissions: true, ExcludeTokens: true})
			wantNoError(t, "ListOrg", err)
			if len(got) != 1 || len(got[0].Teams) != 1 || got[0].Teams[0].Name != "owners" || got[0].Token != "" ||
				got[0].Repositories == nil || len(got[0].Repositories) != 0 {
				t.Errorf("listed %+v, want deployer in owners, no repositories, no token", got)
			}
		}},
		{op: "getOrgRobots", name: "a name match: an organization named a_b lists a-b's robots too", run: func(t *testing.T, e *env) {
			base := e.name("lk")
			under := e.userOrgNamed(t, base+"_x")
			dash := e.userOrgNamed(t, base+"-x")
			rb := e.orgRobot(t, dash, "bot", quay.CreateRobotRequest{})
			got, _, err := e.robots(t, NormalUser).ListOrg(t.Context(), under, nil)
			wantNoError(t, "ListOrg", err)
			if diff := cmp.Diff([]string{rb.Name + " " + rb.Token}, robotsWithTokens(got)); diff != "" {
				t.Errorf("%s lists (-want +got):\n%s", under, diff)
			}
		}},
		{op: "getOrgRobots", name: "anonymous is 401; a bad limit is reqparse's 400", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rl")
			_, _, err := e.robots(t, Anonymous).ListOrg(t.Context(), org, nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
			err = e.do(t, NormalUser, "GET", "organization/"+org+"/robots?limit=x", nil, nil)
			qe, ok := asQuayError(err)
			if !ok || qe.StatusCode != 400 || !cmp.Equal(qe.ParamErrors, map[string]string{"limit": "If specified, the number of robots to return."}) {
				t.Errorf("err = %v, want reqparse's 400 for limit", err)
			}
		}},
		{op: "getOrgRobot", name: "a read-only superuser reads it without the token; unknown is a model error", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rg")
			rb := e.orgRobot(t, org, "ci", quay.CreateRobotRequest{})
			got, _, err := e.robots(t, ReadOnlySuperuser).GetOrg(t.Context(), org, "ci")
			wantNoError(t, "GetOrg as a read-only superuser", err)
			want := rb
			want.Token, want.UnstructuredMetadata = "", map[string]any{}
			if diff := cmp.Diff(want, got, robotView); diff != "" {
				t.Errorf("read-only superuser's view (-want +got):\n%s", diff)
			}
			_, _, err = e.robots(t, NormalUser).GetOrg(t.Context(), org, "none")
			wantMessage(t, err, robotNotFound)
		}},
		{op: "getOrgRobot", name: "a superuser without super:user is nobody special: 403", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rg")
			e.orgRobot(t, org, "ci", quay.CreateRobotRequest{})
			_, _, err := e.robots(t, SuperuserNoScope).GetOrg(t.Context(), org, "ci")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "deleteOrgRobot", name: "the robot leaves its teams; the name is free again, with nothing", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rd")
			c := e.quayClient(t, NormalUser)
			rb := e.orgRobot(t, org, "gone", quay.CreateRobotRequest{})
			_, _, err := c.Teams.AddMember(t.Context(), org, "owners", rb.Name)
			wantNoError(t, "AddMember", err)
			_, err = c.Robots.DeleteOrg(t.Context(), org, "gone")
			wantNoError(t, "DeleteOrg", err)
			members, _, err := c.Teams.ListMembers(t.Context(), org, "owners", nil)
			wantNoError(t, "ListMembers", err)
			for _, m := range members.Members {
				if m.Name == rb.Name {
					t.Errorf("the deleted robot is still in owners: %+v", members.Members)
				}
			}
			again := e.orgRobot(t, org, "gone", quay.CreateRobotRequest{})
			got, _, err := c.Robots.ListOrg(t.Context(), org, &quay.RobotListOptions{Permissions: true})
			wantNoError(t, "ListOrg", err)
			if len(got) != 1 || len(got[0].Teams) != 0 || got[0].Token != again.Token || again.Token == rb.Token {
				t.Errorf("after re-creating: %+v (old token %s, new %s)", got, rb.Token, again.Token)
			}
			_, err = c.Robots.DeleteOrg(t.Context(), org, "none")
			wantMessage(t, err, robotNotFound)
		}},
		{op: "deleteOrgRobot", name: "deleting the organization deletes its robots", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rx")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			_, err := e.quayClient(t, NormalUser).Organizations.Delete(t.Context(), org)
			wantNoError(t, "Organizations.Delete", err)
			// The federation read looks the robot up by its full name only.
			_, _, err = e.robots(t, ReadOnlySuperuser).GetOrgFederation(t.Context(), org, "bot")
			wantMessage(t, err, robotNotFound)
		}},
		// A read-only superuser may read them too, but only with a token
		// carrying user:admin (require_user_admin comes first), which the
		// targets' read-only superusers do not all have.
		{op: "getOrgRobotPermissions", name: "none for a new robot; anonymous is 401", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rp")
			e.orgRobot(t, org, "ci", quay.CreateRobotRequest{})
			perms, _, err := e.robots(t, NormalUser).ListOrgPermissions(t.Context(), org, "ci")
			wantNoError(t, "ListOrgPermissions", err)
			if diff := cmp.Diff([]quay.RepositoryPermission{}, perms); diff != "" {
				t.Errorf("permissions (-want +got):\n%s", diff)
			}
			_, _, err = e.robots(t, NormalUser).ListOrgPermissions(t.Context(), org, "none")
			wantMessage(t, err, robotNotFound)
			_, _, err = e.robots(t, Anonymous).ListOrgPermissions(t.Context(), org, "ci")
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
		{op: "regenerateOrgRobotToken", name: "a new token for the admin; a read-only superuser is refused", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rr")
			rb := e.orgRobot(t, org, "ci", quay.CreateRobotRequest{})
			regen, _, err := e.robots(t, NormalUser).RegenerateOrgToken(t.Context(), org, "ci")
			wantNoError(t, "RegenerateOrgToken", err)
			if regen.Token == rb.Token || regen.Name != rb.Name || regen.UnstructuredMetadata != nil {
				t.Errorf("regenerated %+v from %+v", regen, rb)
			}
			_, _, err = e.robots(t, ReadOnlySuperuser).RegenerateOrgToken(t.Context(), org, "ci")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			_, _, err = e.robots(t, NormalUser).RegenerateOrgToken(t.Context(), org, "none")
			wantMessage(t, err, robotNotFound)
		}},
		{op: "createOrgRobotFederation", name: "set, read (also by a read-only superuser), delete", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rf")
			e.orgRobot(t, org, "ci", quay.CreateRobotRequest{})
			svc := e.robots(t, NormalUser)
			set, _, err := svc.SetOrgFederation(t.Context(), org, "ci", fed[:1])
			wantNoError(t, "SetOrgFederation", err)
			got, _, err := e.robots(t, ReadOnlySuperuser).GetOrgFederation(t.Context(), org, "ci")
			wantNoError(t, "GetOrgFederation as a read-only superuser", err)
			if !cmp.Equal(fed[:1], set) || !cmp.Equal(fed[:1], got) {
				t.Errorf("set %+v, read %+v, want %+v", set, got, fed[:1])
			}
			_, _, err = e.robots(t, ReadOnlySuperuser).SetOrgFederation(t.Context(), org, "ci", nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			_, err = svc.DeleteOrgFederation(t.Context(), org, "ci")
			wantNoError(t, "DeleteOrgFederation", err)
			got, _, err = svc.GetOrgFederation(t.Context(), org, "ci")
			wantNoError(t, "GetOrgFederation", err)
			if len(got) != 0 {
				t.Errorf("federation after delete: %+v", got)
			}
		}},
		{op: "getOrgRobotFederation", name: "anonymous is 401; unknown is a model error", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rf")
			_, _, err := e.robots(t, Anonymous).GetOrgFederation(t.Context(), org, "ci")
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
			_, _, err = e.robots(t, NormalUser).GetOrgFederation(t.Context(), org, "none")
			wantMessage(t, err, robotNotFound)
		}},
		{op: "deleteOrgRobotFederation", name: "a read-only superuser is refused; unknown is a model error", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rf")
			e.orgRobot(t, org, "ci", quay.CreateRobotRequest{})
			_, err := e.robots(t, ReadOnlySuperuser).DeleteOrgFederation(t.Context(), org, "ci")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			_, err = e.robots(t, NormalUser).DeleteOrgFederation(t.Context(), org, "none")
			wantMessage(t, err, robotNotFound)
		}},
	}
}

// clientOptions are the target's transport options plus extra.
func (e *env) clientOptions(extra ...quay.Option) []quay.Option {
	if e.tgt.HTTPClient != nil {
		extra = append(extra, quay.WithHTTPClient(e.tgt.HTTPClient))
	}
	return extra
}

// robotsWithTokens is each robot's name and token (empty when not shown).
func robotsWithTokens(rs []quay.Robot) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name+" "+r.Token)
	}
	return out
}
