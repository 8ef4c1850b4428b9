package contract

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/quay"
)

// The organization member, team and permission cases:
// endpoints/api/organization.py (OrganizationMemberList,
// OrganizationMember, OrganizationCollaboratorList, Organization),
// team.py, permission.py and prototype.py, with data/model/team.py,
// organization.py and permission.py. They work in an organization the
// normal user creates; a second user (made by the superuser, so without a
// token of its own) is a collaborator through a direct repository
// permission. Such a user joins a team only without FEATURE_MAILING (with
// it, add_or_invite_to_team invites a user who is in no team of the
// organization, and only the invitation mail and notification carry the
// code): those cases skip on a target with mailing.

// me is the normal user's name.
func (e *env) me(t *testing.T) string {
	t.Helper()
	u, _, err := e.quayClient(t, NormalUser).Users.Current(t.Context())
	wantNoError(t, "Users.Current", err)
	return u.Username
}

// collaborator creates a user and gives it role on org/repo as the normal
// user: a collaborator of org (a direct permission, in no team).
func (e *env) collaborator(t *testing.T, org, repo, role string) string {
	t.Helper()
	u := e.createUser(t, "collab")
	_, _, err := e.quayClient(t, NormalUser).Permissions.SetUser(t.Context(), org, repo, u.Username, quay.PermissionRequest{Role: role})
	wantNoError(t, "SetUser "+u.Username, err)
	return u.Username
}

// needNoMailing skips a case that makes a second user a team member.
func (e *env) needNoMailing(t *testing.T) {
	t.Helper()
	if e.tgt.Mailing {
		t.Skip("with FEATURE_MAILING a user in no team is invited, not added (team.py add_or_invite_to_team), " +
			"and the invitation code reaches only the invitee's mail and notifications")
	}
}

// teamNames lists the names of teams.
func teamNames(teams []quay.TeamSummary) []string {
	out := []string{}
	for _, t := range teams {
		out = append(out, t.Name)
	}
	return out
}

// memberNames lists the names of a team's members (the address of an
// e-mail invitation), with "(invited)" after a pending one.
func memberNames(m quay.TeamMembers) []string {
	out := []string{}
	for _, x := range m.Members {
		n := x.Name
		if x.Kind == "invite" {
			n = x.Email
		}
		if x.Invited {
			n += " (invited)"
		}
		out = append(out, n)
	}
	return out
}

func membersCases() []testCase {
	return []testCase{
		// organization.py OrganizationMemberList.get
		{op: "getOrganizationMembers", name: "organization.py:382 users in teams, with their teams and direct permissions; collaborators and robots are not members", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "mem")
			e.repo(t, org, "app")
			e.collaborator(t, org, "app", "read")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			_, _, err := e.quayClient(t, NormalUser).Teams.AddMember(t.Context(), org, "owners", org+"+bot")
			wantNoError(t, "AddMember robot", err)
			got, _, err := e.quayClient(t, NormalUser).Organizations.ListMembers(t.Context(), org)
			wantNoError(t, "ListMembers", err)
			me := e.me(t)
			if len(got) != 1 {
				t.Fatalf("ListMembers = %+v, want the creator alone", got)
			}
			want := []quay.OrganizationMember{{Name: me, Kind: "user", Avatar: got[0].Avatar,
				Teams: []quay.TeamSummary{{Name: "owners", Avatar: got[0].Teams[0].Avatar}}, Repositories: []string{"app"}}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ListMembers (-want +got):\n%s", diff)
			}
			if got[0].Avatar.Kind != "user" || got[0].Teams[0].Avatar.Kind != "team" {
				t.Errorf("avatars %+v, %+v: want kinds user and team", got[0].Avatar, got[0].Teams[0].Avatar)
			}
		}},
		{op: "getOrganizationMembers", name: "organization.py:379 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, _, err := e.quayClient(t, NormalUser).Organizations.ListMembers(t.Context(), org)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "getOrganizationMembers", name: "organization.py:379 anonymous gets 401", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "mem")
			_, _, err := e.quayClient(t, Anonymous).Organizations.ListMembers(t.Context(), org)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
		{op: "getOrganizationMembers", name: "organization.py:379 a read-only superuser reads another's organization", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "mem")
			got, _, err := e.quayClient(t, ReadOnlySuperuser).Organizations.ListMembers(t.Context(), org)
			wantNoError(t, "ListMembers as GRO", err)
			var names []string
			for _, m := range got {
				names = append(names, m.Name)
			}
			if diff := cmp.Diff([]string{e.me(t)}, names); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		}},
		{op: "getOrganizationMembers", name: "organization.py:385 an unknown organization is 404 to a superuser with full access, 403 without", run: func(t *testing.T, e *env) {
			_, _, err := e.quayClient(t, Superuser).Organizations.ListMembers(t.Context(), e.name("ghost"))
			if e.tgt.SuperusersFullAccess {
				wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			} else {
				wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			}
		}},

		// organization.py OrganizationMember.get
		{op: "getOrganizationMember", name: "organization.py:420 a member with its teams and direct permissions", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "mem")
			e.repo(t, org, "app")
			e.orgTeam(t, org, "devs")
			me := e.me(t)
			_, _, err := e.quayClient(t, NormalUser).Teams.AddMember(t.Context(), org, "devs", me)
			wantNoError(t, "AddMember", err)
			got, _, err := e.quayClient(t, NormalUser).Organizations.GetMember(t.Context(), org, me)
			wantNoError(t, "GetMember", err)
			if diff := cmp.Diff([]string{"devs", "owners"}, sortedCopy(teamNames(got.Teams))); diff != "" {
				t.Errorf("teams (-want +got):\n%s", diff)
			}
			want := quay.OrganizationMember{Name: me, Kind: "user", Avatar: got.Avatar, Teams: got.Teams, Repositories: []string{"app"}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetMember (-want +got):\n%s", diff)
			}
		}},
		{op: "getOrganizationMember", name: "organization.py:425 a robot of the organization in no team is shown with kind robot", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "mem")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			got, _, err := e.quayClient(t, NormalUser).Organizations.GetMember(t.Context(), org, org+"+bot")
			wantNoError(t, "GetMember", err)
			want := quay.OrganizationMember{Name: org + "+bot", Kind: "robot", Avatar: got.Avatar, Teams: []quay.TeamSummary{}, Repositories: []string{}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetMember (-want +got):\n%s", diff)
			}
		}},
		{op: "getOrganizationMember", name: "organization.py:430 a collaborator in no team and an unknown user are 404", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "mem")
			e.repo(t, org, "app")
			collab := e.collaborator(t, org, "app", "read")
			for _, name := range []string{collab, e.name("ghost")} {
				_, _, err := e.quayClient(t, NormalUser).Organizations.GetMember(t.Context(), org, name)
				wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			}
		}},
		{op: "getOrganizationMember", name: "organization.py:416 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, _, err := e.quayClient(t, NormalUser).Organizations.GetMember(t.Context(), org, "x")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},

		// organization.py OrganizationMember.delete
		{op: "removeOrganizationMember", name: "organization.py:455 a collaborator loses every permission in the organization", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rm")
			e.repo(t, org, "app")
			e.repo(t, org, "lib")
			collab := e.collaborator(t, org, "app", "read")
			c := e.quayClient(t, NormalUser)
			_, _, err := c.Permissions.SetUser(t.Context(), org, "lib", collab, quay.PermissionRequest{Role: "write"})
			wantNoError(t, "SetUser lib", err)
			_, err = c.Organizations.RemoveMember(t.Context(), org, collab)
			wantNoError(t, "RemoveMember", err)
			for _, repo := range []string{"app", "lib"} {
				_, _, err := c.Permissions.GetUser(t.Context(), org, repo, collab)
				wantMessage(t, err, "User does not have permission for repo.")
			}
			got, _, err := c.Organizations.ListCollaborators(t.Context(), org)
			wantNoError(t, "ListCollaborators", err)
			if len(got) != 0 {
				t.Errorf("collaborators after RemoveMember = %+v, want none", got)
			}
		}},
		{op: "removeOrganizationMember", name: "organization.py:455 a member leaves every team and loses its permissions", run: func(t *testing.T, e *env) {
			e.needNoMailing(t)
			org := e.userOrg(t, "rm")
			e.repo(t, org, "app")
			e.orgTeam(t, org, "devs")
			collab := e.collaborator(t, org, "app", "write")
			c := e.quayClient(t, NormalUser)
			added, _, err := c.Teams.AddMember(t.Context(), org, "devs", collab)
			wantNoError(t, "AddMember", err)
			if added.Invited {
				t.Fatalf("AddMember invited %s without FEATURE_MAILING", collab)
			}
			_, err = c.Organizations.RemoveMember(t.Context(), org, collab)
			wantNoError(t, "RemoveMember", err)
			members, _, err := c.Teams.ListMembers(t.Context(), org, "devs", nil)
			wantNoError(t, "ListMembers", err)
			if diff := cmp.Diff([]string{}, memberNames(members)); diff != "" {
				t.Errorf("devs after RemoveMember (-want +got):\n%s", diff)
			}
			_, _, err = c.Organizations.GetMember(t.Context(), org, collab)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, _, err = c.Permissions.GetUser(t.Context(), org, "app", collab)
			wantMessage(t, err, "User does not have permission for repo.")
		}},
		{op: "removeOrganizationMember", name: "organization.py:447 an unknown user and a robot (get_user finds users only) are 404", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "rm")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			for _, name := range []string{e.name("ghost"), org + "+bot"} {
				_, err := e.quayClient(t, NormalUser).Organizations.RemoveMember(t.Context(), org, name)
				wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			}
		}},
		{op: "removeOrganizationMember", name: "organization.py:443 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, err := e.quayClient(t, NormalUser).Organizations.RemoveMember(t.Context(), org, e.me(t))
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},

		// organization.py OrganizationCollaboratorList.get
		{op: "getOrganizationCollaborators", name: "organization.py:493 users with direct permissions who are in no team", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "col")
			e.repo(t, org, "app")
			e.repo(t, org, "lib")
			collab := e.collaborator(t, org, "app", "read")
			c := e.quayClient(t, NormalUser)
			_, _, err := c.Permissions.SetUser(t.Context(), org, "lib", collab, quay.PermissionRequest{Role: "admin"})
			wantNoError(t, "SetUser lib", err)
			got, _, err := c.Organizations.ListCollaborators(t.Context(), org)
			wantNoError(t, "ListCollaborators", err)
			if len(got) != 1 {
				t.Fatalf("ListCollaborators = %+v, want %s alone", got, collab)
			}
			want := []quay.Collaborator{{Kind: "user", Name: collab, Avatar: got[0].Avatar, Repositories: []string{"app", "lib"}}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ListCollaborators (-want +got):\n%s", diff)
			}
		}},
		{op: "getOrganizationCollaborators", name: "organization.py:489 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, _, err := e.quayClient(t, NormalUser).Organizations.ListCollaborators(t.Context(), org)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},

		// organization.py Organization.put / delete
		{op: "changeOrganizationDetails", name: "organization.py:244 the e-mail changes and the view shows it", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "chg")
			email := org + "-new@example.org"
			got, _, err := e.quayClient(t, NormalUser).Organizations.Update(t.Context(), org, quay.UpdateOrganizationRequest{Email: &email})
			wantNoError(t, "Update", err)
			if got.Name != org || got.Email != email || !got.IsAdmin {
				t.Errorf("Update answered name %q email %q is_admin %v", got.Name, got.Email, got.IsAdmin)
			}
			read, _, err := e.quayClient(t, NormalUser).Organizations.Get(t.Context(), org)
			wantNoError(t, "Get", err)
			if read.Email != email {
				t.Errorf("Get after Update: email %q, want %q", read.Email, email)
			}
		}},
		{op: "changeOrganizationDetails", name: "organization.py:262 an invalid e-mail is an ApiError", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "chg")
			bad := "not-an-email"
			_, _, err := e.quayClient(t, NormalUser).Organizations.Update(t.Context(), org, quay.UpdateOrganizationRequest{Email: &bad})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Invalid email address"})
		}},
		{op: "changeOrganizationDetails", name: "organization.py:241 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, _, err := e.quayClient(t, NormalUser).Organizations.Update(t.Context(), org, quay.UpdateOrganizationRequest{})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "deleteAdminedOrganization", name: "organization.py:296 204, then the organization is gone", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "del")
			c := e.quayClient(t, NormalUser)
			_, err := c.Organizations.Delete(t.Context(), org)
			wantNoError(t, "Delete", err)
			_, _, err = c.Organizations.Get(t.Context(), org)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "deleteAdminedOrganization", name: "organization.py:293 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, err := e.quayClient(t, NormalUser).Organizations.Delete(t.Context(), org)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},

		// team.py OrganizationTeam.put / delete
		{op: "updateOrganizationTeam", name: "team.py:209 a team is created, then its role and description change", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "team")
			c := e.quayClient(t, NormalUser)
			desc := "the builders"
			created, _, err := c.Teams.Update(t.Context(), org, "devs", quay.UpdateTeamRequest{Role: "creator", Description: &desc})
			wantNoError(t, "Update (create)", err)
			want := quay.Team{Name: "devs", Description: desc, Role: "creator", Avatar: created.Avatar, CanView: true, NewTeam: true}
			if diff := cmp.Diff(want, created); diff != "" {
				t.Errorf("created team (-want +got):\n%s", diff)
			}
			updated, _, err := c.Teams.Update(t.Context(), org, "devs", quay.UpdateTeamRequest{Role: "admin"})
			wantNoError(t, "Update (role)", err)
			want = quay.Team{Name: "devs", Description: desc, Role: "admin", Avatar: created.Avatar, CanView: true}
			if diff := cmp.Diff(want, updated); diff != "" {
				t.Errorf("updated team (-want +got):\n%s", diff)
			}
			o, _, err := c.Organizations.Get(t.Context(), org)
			wantNoError(t, "Get", err)
			if o.Teams["devs"].Role != "admin" {
				t.Errorf("the organization view shows devs as %+v", o.Teams["devs"])
			}
		}},
		{op: "updateOrganizationTeam", name: "team.py:197 a role outside the schema's enum is a 400", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "team")
			_, _, err := e.quayClient(t, NormalUser).Teams.Update(t.Context(), org, "devs", quay.UpdateTeamRequest{Role: "owner"})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "'owner' is not one of ['member', 'creator', 'admin']\n\n" +
				"Failed validating 'enum' in schema['properties']['role']:\n" +
				"    {'description': 'Org wide permissions that should apply to the team',\n" +
				"     'enum': ['member', 'creator', 'admin'],\n" +
				"     'type': 'string'}\n\n" +
				"On instance['role']:\n    'owner'"})
		}},
		{op: "updateOrganizationTeam", name: "team.py:209 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, _, err := e.quayClient(t, NormalUser).Teams.Update(t.Context(), org, "devs", quay.UpdateTeamRequest{Role: "member"})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "deleteOrganizationTeam", name: "team.py:255 deleting a team removes its repository permissions and its members' membership", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "team")
			e.repo(t, org, "app")
			e.orgTeam(t, org, "devs")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			c := e.quayClient(t, NormalUser)
			me := e.me(t)
			for _, m := range []string{org + "+bot", me} {
				_, _, err := c.Teams.AddMember(t.Context(), org, "devs", m)
				wantNoError(t, "AddMember "+m, err)
			}
			_, _, err := c.Permissions.SetTeam(t.Context(), org, "app", "devs", quay.PermissionRequest{Role: "write"})
			wantNoError(t, "SetTeam", err)
			roles, _, err := c.Permissions.GetUserTransitive(t.Context(), org, "app", me)
			wantNoError(t, "GetUserTransitive", err)
			if diff := cmp.Diff([]string{"admin", "write"}, roles); diff != "" {
				t.Errorf("the creator's roles on app through devs (-want +got):\n%s", diff)
			}
			_, err = c.Teams.Delete(t.Context(), org, "devs")
			wantNoError(t, "Delete", err)
			teams, _, err := c.Permissions.ListTeams(t.Context(), org, "app")
			wantNoError(t, "ListTeams", err)
			if len(teams) != 0 {
				t.Errorf("team permissions after Delete = %v, want none", teams)
			}
			member, _, err := c.Organizations.GetMember(t.Context(), org, org+"+bot")
			wantNoError(t, "GetMember", err)
			if diff := cmp.Diff([]string{}, teamNames(member.Teams)); diff != "" {
				t.Errorf("the robot's teams after Delete (-want +got):\n%s", diff)
			}
			roles, _, err = c.Permissions.GetUserTransitive(t.Context(), org, "app", me)
			wantNoError(t, "GetUserTransitive after Delete", err)
			if diff := cmp.Diff([]string{"admin"}, roles); diff != "" {
				t.Errorf("the creator's roles on app after Delete (-want +got):\n%s", diff)
			}
		}},
		{op: "deleteOrganizationTeam", name: "team.py:255 an unknown team is a 400 message (remove_team's InvalidTeamException)", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "team")
			_, err := e.quayClient(t, NormalUser).Teams.Delete(t.Context(), org, "nosuch")
			wantMessage(t, err, "Team 'nosuch' is not a team in org '"+org+"'")
		}},
		{op: "deleteOrganizationTeam", name: "team.py:253 a user who does not administer the organization gets 403", run: func(t *testing.T, e *env) {
			org := e.createOrg(t, "suorg")
			_, err := e.quayClient(t, NormalUser).Teams.Delete(t.Context(), org, "owners")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},

		// team.py TeamMemberList.get, TeamMember.put / delete
		{op: "updateOrganizationTeamMember", name: "team.py:353 a robot of the organization joins at once, listed, then removed", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tm")
			e.orgTeam(t, org, "devs")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			c := e.quayClient(t, NormalUser)
			robot := org + "+bot"
			added, _, err := c.Teams.AddMember(t.Context(), org, "devs", robot)
			wantNoError(t, "AddMember", err)
			want := quay.TeamMember{Kind: "user", Name: robot, IsRobot: true, Avatar: added.Avatar}
			if diff := cmp.Diff(want, added); diff != "" {
				t.Errorf("AddMember (-want +got):\n%s", diff)
			}
			list, _, err := c.Teams.ListMembers(t.Context(), org, "devs", nil)
			wantNoError(t, "ListMembers", err)
			if diff := cmp.Diff(quay.TeamMembers{Name: "devs", Members: []quay.TeamMember{added}, CanEdit: true}, list); diff != "" {
				t.Errorf("ListMembers (-want +got):\n%s", diff)
			}
			_, err = c.Teams.RemoveMember(t.Context(), org, "devs", robot)
			wantNoError(t, "RemoveMember", err)
			list, _, err = c.Teams.ListMembers(t.Context(), org, "devs", nil)
			wantNoError(t, "ListMembers after RemoveMember", err)
			if diff := cmp.Diff([]string{}, memberNames(list)); diff != "" {
				t.Errorf("ListMembers after RemoveMember (-want +got):\n%s", diff)
			}
		}},
		{op: "updateOrganizationTeamMember", name: "team.py:353 a user in no team is invited with FEATURE_MAILING, added without", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tm")
			e.orgTeam(t, org, "devs")
			u := e.createUser(t, "joiner")
			c := e.quayClient(t, NormalUser)
			added, _, err := c.Teams.AddMember(t.Context(), org, "devs", u.Username)
			wantNoError(t, "AddMember", err)
			want := quay.TeamMember{Kind: "user", Name: u.Username, Avatar: added.Avatar, Invited: e.tgt.Mailing}
			if diff := cmp.Diff(want, added); diff != "" {
				t.Errorf("AddMember (-want +got):\n%s", diff)
			}
			plain, _, err := c.Teams.ListMembers(t.Context(), org, "devs", nil)
			wantNoError(t, "ListMembers", err)
			pending, _, err := c.Teams.ListMembers(t.Context(), org, "devs", &quay.TeamMemberListOptions{IncludePending: true})
			wantNoError(t, "ListMembers includePending", err)
			wantPlain, wantPending := []string{u.Username}, []string{u.Username}
			if e.tgt.Mailing {
				wantPlain, wantPending = []string{}, []string{u.Username + " (invited)"}
			}
			if diff := cmp.Diff(wantPlain, memberNames(plain)); diff != "" {
				t.Errorf("ListMembers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantPending, memberNames(pending)); diff != "" {
				t.Errorf("ListMembers includePending (-want +got):\n%s", diff)
			}
		}},
		{op: "updateOrganizationTeamMember", name: "team.py:353 an unknown user is an ApiError, a present member a 400 message; another namespace's robot one too with FEATURE_MAILING, added without", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tm")
			other := e.userOrg(t, "tmo")
			e.orgTeam(t, org, "devs")
			e.orgRobot(t, other, "bot", quay.CreateRobotRequest{})
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			c := e.quayClient(t, NormalUser)
			_, _, err := c.Teams.AddMember(t.Context(), org, "devs", org+"+bot")
			wantNoError(t, "AddMember", err)
			_, _, err = c.Teams.AddMember(t.Context(), org, "devs", "nosuchuser"+e.prefix)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Unknown user"})
			// data/model/team.py add_or_invite_to_team checks a robot's
			// namespace only when an invite could be required: without
			// FEATURE_MAILING another namespace's robot joins.
			foreign, _, err := c.Teams.AddMember(t.Context(), org, "devs", other+"+bot")
			if e.tgt.Mailing {
				wantMessage(t, err, "Cannot add the specified robot to this team, as it is not a member of the organization")
			} else {
				wantNoError(t, "AddMember of another namespace's robot without FEATURE_MAILING", err)
				want := quay.TeamMember{Kind: "user", Name: other + "+bot", IsRobot: true, Avatar: foreign.Avatar}
				if diff := cmp.Diff(want, foreign); diff != "" {
					t.Errorf("AddMember of another namespace's robot (-want +got):\n%s", diff)
				}
			}
			_, _, err = c.Teams.AddMember(t.Context(), org, "devs", org+"+bot")
			wantMessage(t, err, "User "+org+"+bot is already a member of team devs")
		}},
		{op: "deleteOrganizationTeamMember", name: "team.py:400 a user not in the team is a 400 message", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tm")
			e.orgTeam(t, org, "devs")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			_, err := e.quayClient(t, NormalUser).Teams.RemoveMember(t.Context(), org, "devs", org+"+bot")
			wantMessage(t, err, "User "+org+"+bot does not belong to team devs")
		}},
		{op: "getOrganizationTeamMembers", name: "team.py:286 an unknown team is 404", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tm")
			_, _, err := e.quayClient(t, NormalUser).Teams.ListMembers(t.Context(), org, "nosuch", nil)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getOrganizationTeamPermissions", name: "team.py:475 a team's repository roles", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tp")
			e.repo(t, org, "app")
			e.repo(t, org, "lib")
			e.orgTeam(t, org, "devs")
			c := e.quayClient(t, NormalUser)
			for repo, role := range map[string]string{"app": "read", "lib": "admin"} {
				_, _, err := c.Permissions.SetTeam(t.Context(), org, repo, "devs", quay.PermissionRequest{Role: role})
				wantNoError(t, "SetTeam "+repo, err)
			}
			got, _, err := c.Teams.ListPermissions(t.Context(), org, "devs")
			wantNoError(t, "ListPermissions", err)
			want := []quay.RepositoryPermission{
				{Repository: quay.RepositoryRef{Name: "app", IsPublic: true}, Role: "read"},
				{Repository: quay.RepositoryRef{Name: "lib", IsPublic: true}, Role: "admin"},
			}
			if diff := cmp.Diff(want, sortedPermissions(got)); diff != "" {
				t.Errorf("ListPermissions (-want +got):\n%s", diff)
			}
		}},
		{op: "getOrganizationTeamPermissions", name: "team.py:475 an unknown team is 404; a stranger gets 403", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tp")
			_, _, err := e.quayClient(t, NormalUser).Teams.ListPermissions(t.Context(), org, "nosuch")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			suorg := e.createOrg(t, "suorg")
			_, _, err = e.quayClient(t, NormalUser).Teams.ListPermissions(t.Context(), suorg, "owners")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "inviteTeamMemberEmail", name: "team.py:432 an e-mail invitation is pending until deleted; deleting again is 404", run: func(t *testing.T, e *env) {
			if !e.tgt.Mailing {
				t.Skip("the invitation routes exist only with FEATURE_MAILING")
			}
			org := e.userOrg(t, "inv")
			e.orgTeam(t, org, "devs")
			c := e.quayClient(t, NormalUser)
			email := org + "-guest@example.org"
			inv, _, err := c.Teams.Invite(t.Context(), org, "devs", email)
			wantNoError(t, "Invite", err)
			want := quay.TeamMember{Kind: "invite", Email: email, Avatar: inv.Avatar, Invited: true}
			if diff := cmp.Diff(want, inv); diff != "" {
				t.Errorf("Invite (-want +got):\n%s", diff)
			}
			pending, _, err := c.Teams.ListMembers(t.Context(), org, "devs", &quay.TeamMemberListOptions{IncludePending: true})
			wantNoError(t, "ListMembers", err)
			if diff := cmp.Diff([]string{email + " (invited)"}, memberNames(pending)); diff != "" {
				t.Errorf("ListMembers includePending (-want +got):\n%s", diff)
			}
			_, err = c.Teams.DeleteInvite(t.Context(), org, "devs", email)
			wantNoError(t, "DeleteInvite", err)
			pending, _, err = c.Teams.ListMembers(t.Context(), org, "devs", &quay.TeamMemberListOptions{IncludePending: true})
			wantNoError(t, "ListMembers after DeleteInvite", err)
			if diff := cmp.Diff([]string{}, memberNames(pending)); diff != "" {
				t.Errorf("ListMembers after DeleteInvite (-want +got):\n%s", diff)
			}
			_, err = c.Teams.DeleteInvite(t.Context(), org, "devs", email)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "acceptOrganizationTeamInvite", name: "team.py:505 an unknown code is a 400 message (a real code reaches only the invitee's mail)", run: func(t *testing.T, e *env) {
			if !e.tgt.Mailing {
				t.Skip("the invitation routes exist only with FEATURE_MAILING")
			}
			_, _, err := e.quayClient(t, NormalUser).Teams.AcceptInvite(t.Context(), "urn:teaminvite:"+e.name("nosuch"))
			wantMessage(t, err, "Invalid confirmation code.")
		}},
		{op: "declineOrganizationTeamInvite", name: "team.py:530 an unknown code is a 400 message", run: func(t *testing.T, e *env) {
			if !e.tgt.Mailing {
				t.Skip("the invitation routes exist only with FEATURE_MAILING")
			}
			_, err := e.quayClient(t, NormalUser).Teams.DeclineInvite(t.Context(), "urn:teaminvite:"+e.name("nosuch"))
			wantMessage(t, err, "Invalid confirmation code.")
		}},
		{op: "inviteTeamMemberEmail", name: "team.py:421 without FEATURE_MAILING the invitation routes do not exist: werkzeug's 405", run: func(t *testing.T, e *env) {
			if e.tgt.Mailing {
				t.Skip("the target runs with FEATURE_MAILING")
			}
			org := e.userOrg(t, "inv")
			e.orgTeam(t, org, "devs")
			c := e.quayClient(t, NormalUser)
			_, _, err := c.Teams.Invite(t.Context(), org, "devs", org+"@example.org")
			wantMethodNotAllowed(t, err)
			_, err = c.Teams.DeleteInvite(t.Context(), org, "devs", org+"@example.org")
			wantMethodNotAllowed(t, err)
			_, _, err = c.Teams.AcceptInvite(t.Context(), "urn:teaminvite:x")
			wantMethodNotAllowed(t, err)
			_, err = c.Teams.DeclineInvite(t.Context(), "urn:teaminvite:x")
			wantMethodNotAllowed(t, err)
		}},

		// permission.py reads and deletes
		{op: "listRepoUserPermissions", name: "permission.py:52 the creator's admin role and a collaborator's, by name", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "pl")
			e.repo(t, org, "app")
			collab := e.collaborator(t, org, "app", "read")
			got, _, err := e.quayClient(t, NormalUser).Permissions.ListUsers(t.Context(), org, "app")
			wantNoError(t, "ListUsers", err)
			me := e.me(t)
			want := map[string]quay.UserPermission{
				me:     {Role: "admin", Name: me, Avatar: got[me].Avatar, IsOrgMember: true},
				collab: {Role: "read", Name: collab, Avatar: got[collab].Avatar, IsOrgMember: false},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ListUsers (-want +got):\n%s", diff)
			}
		}},
		{op: "listRepoUserPermissions", name: "permission.py:52 an unknown repository of an administered namespace lists nothing; a stranger gets 403", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "pl")
			got, _, err := e.quayClient(t, NormalUser).Permissions.ListUsers(t.Context(), org, "nosuch")
			wantNoError(t, "ListUsers", err)
			if diff := cmp.Diff(map[string]quay.UserPermission{}, got); diff != "" {
				t.Errorf("ListUsers (-want +got):\n%s", diff)
			}
			suorg := e.createOrg(t, "suorg")
			_, _, err = e.quayClient(t, NormalUser).Permissions.ListUsers(t.Context(), suorg, "nosuch")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "getUserPermissions", name: "permission.py:127 a user without a direct role is a 400 message", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "pg")
			e.repo(t, org, "app")
			u := e.createUser(t, "noperm")
			_, _, err := e.quayClient(t, NormalUser).Permissions.GetUser(t.Context(), org, "app", u.Username)
			wantMessage(t, err, "User does not have permission for repo.")
		}},
		{op: "getUserTransitivePermission", name: "permission.py:91 a collaborator's direct role; a robot (get_user finds users only) and an unknown user are 404", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "pt")
			e.repo(t, org, "app")
			e.orgRobot(t, org, "bot", quay.CreateRobotRequest{})
			collab := e.collaborator(t, org, "app", "read")
			c := e.quayClient(t, NormalUser)
			roles, _, err := c.Permissions.GetUserTransitive(t.Context(), org, "app", collab)
			wantNoError(t, "GetUserTransitive", err)
			if diff := cmp.Diff([]string{"read"}, roles); diff != "" {
				t.Errorf("GetUserTransitive (-want +got):\n%s", diff)
			}
			for _, name := range []string{org + "+bot", e.name("ghost")} {
				_, _, err = c.Permissions.GetUserTransitive(t.Context(), org, "app", name)
				wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			}
		}},
		{op: "deleteUserPermissions", name: "permission.py:170 revoking a role the user does not have is an ApiError", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "pd")
			e.repo(t, org, "app")
			u := e.createUser(t, "noperm")
			_, err := e.quayClient(t, NormalUser).Permissions.DeleteUser(t.Context(), org, "app", u.Username)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "User does not have permission for repo."})
		}},
		{op: "deleteUserPermissions", name: "permission.py:170 a stranger gets 403", run: func(t *testing.T, e *env) {
			suorg := e.createOrg(t, "suorg")
			_, err := e.quayClient(t, NormalUser).Permissions.DeleteUser(t.Context(), suorg, "app", "x")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "getTeamPermissions", name: "permission.py:216 a team without a role is a 400 message", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tg")
			e.repo(t, org, "app")
			e.orgTeam(t, org, "devs")
			_, _, err := e.quayClient(t, NormalUser).Permissions.GetTeam(t.Context(), org, "app", "devs")
			wantMessage(t, err, "Team does not have permission for repo.")
		}},
		{op: "listRepoTeamPermissions", name: "permission.py:30 no team has a role on a new repository", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "tl")
			e.repo(t, org, "app")
			got, _, err := e.quayClient(t, NormalUser).Permissions.ListTeams(t.Context(), org, "app")
			wantNoError(t, "ListTeams", err)
			if diff := cmp.Diff(map[string]quay.TeamPermission{}, got); diff != "" {
				t.Errorf("ListTeams (-want +got):\n%s", diff)
			}
		}},
		{op: "deleteTeamPermissions", name: "permission.py:262 a stranger gets 403", run: func(t *testing.T, e *env) {
			suorg := e.createOrg(t, "suorg")
			_, err := e.quayClient(t, NormalUser).Permissions.DeleteTeam(t.Context(), suorg, "app", "owners")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},

		// prototype.py
		{op: "getOrganizationPrototypePermissions", name: "prototype.py:117 a new organization has none; a stranger gets 403", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "pp")
			got, _, err := e.quayClient(t, NormalUser).Prototypes.List(t.Context(), org)
			wantNoError(t, "List", err)
			if diff := cmp.Diff([]quay.Prototype{}, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
			suorg := e.createOrg(t, "suorg")
			_, _, err = e.quayClient(t, NormalUser).Prototypes.List(t.Context(), suorg)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "deleteOrganizationPrototypePermission", name: "prototype.py:237 a deleted default permission no longer applies to new repositories", run: func(t *testing.T, e *env) {
			org := e.userOrg(t, "pp")
			e.orgTeam(t, org, "devs")
			c := e.quayClient(t, NormalUser)
			proto, _, err := c.Prototypes.Create(t.Context(), org, quay.CreatePrototypeRequest{
				Role: "read", Delegate: quay.PrototypeDelegate{Kind: "team", Name: "devs"}})
			wantNoError(t, "Create", err)
			_, err = c.Prototypes.Delete(t.Context(), org, proto.ID)
			wantNoError(t, "Delete", err)
			list, _, err := c.Prototypes.List(t.Context(), org)
			wantNoError(t, "List", err)
			if len(list) != 0 {
				t.Errorf("List after Delete = %+v", list)
			}
			e.repo(t, org, "app")
			teams, _, err := c.Permissions.ListTeams(t.Context(), org, "app")
			wantNoError(t, "ListTeams", err)
			if len(teams) != 0 {
				t.Errorf("the new repository's team permissions %v, want none", teams)
			}
		}},
		{op: "deleteOrganizationPrototypePermission", name: "prototype.py:237 a stranger gets 403", run: func(t *testing.T, e *env) {
			suorg := e.createOrg(t, "suorg")
			_, err := e.quayClient(t, NormalUser).Prototypes.Delete(t.Context(), suorg, "x")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
	}
}

// sortedCopy returns s sorted, leaving s as it is.
func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

// sortedPermissions orders a permission list by repository name.
func sortedPermissions(p []quay.RepositoryPermission) []quay.RepositoryPermission {
	out := append([]quay.RepositoryPermission{}, p...)
	slices.SortFunc(out, func(a, b quay.RepositoryPermission) int { return strings.Compare(a.Repository.Name, b.Repository.Name) })
	return out
}

// wantMethodNotAllowed checks err is the HTML 405 werkzeug answers for a
// path whose route exists for no method it has (a feature-gated route).
func wantMethodNotAllowed(t *testing.T, err error) {
	t.Helper()
	qe, ok := asQuayError(err)
	if !ok || qe.StatusCode != http.StatusMethodNotAllowed || qe.Type != "" || qe.Message != "" {
		t.Errorf("err = %v, want werkzeug's HTML 405", err)
	}
}
