package quay_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestTeams(t *testing.T) {
	t.Parallel()
	deployersAvatar := avatar("deployers", "604fa1fa064272af2a1fc68b97b461833e2830e9b6d18cd1e727a3f35cddb545", "#969696", "team")
	deployers := quay.Team{Name: "deployers", Description: "Deploy bots", CanView: true, Role: "member", Avatar: deployersAvatar}
	newDeployers := deployers
	newDeployers.Role, newDeployers.NewTeam = "creator", true
	public := quay.TeamMember{Kind: "user", Name: "public", Avatar: publicAvatar}
	reader := quay.TeamMember{Kind: "user", Name: "reader", Avatar: readerAvatar}
	invitedReader := reader
	invitedReader.Invited = true

	runCalls(t, []call{
		{
			name: "Update creates", method: "PUT", path: "/organization/acme/team/deployers",
			body: `{"role": "creator", "description": "Deploy bots"}`, status: 200, file: "updateOrganizationTeam-new.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.Update(ctx, "acme", "deployers", quay.UpdateTeamRequest{Role: quay.TeamRoleCreator, Description: new("Deploy bots")})
			},
			want: newDeployers,
		},
		{
			name: "Update changes the role only", method: "PUT", path: "/organization/acme/team/deployers",
			body: `{"role": "member"}`, status: 200, file: "updateOrganizationTeam.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.Update(ctx, "acme", "deployers", quay.UpdateTeamRequest{Role: quay.TeamRoleMember})
			},
			want: deployers,
		},
		{
			name: "Update clears the description", method: "PUT", path: "/organization/acme/team/deployers",
			body: `{"role": "member", "description": ""}`, status: 200, file: "updateOrganizationTeam.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.Update(ctx, "acme", "deployers", quay.UpdateTeamRequest{Role: quay.TeamRoleMember, Description: new("")})
			},
			want: deployers,
		},
		{
			name: "Delete", method: "DELETE", path: "/organization/acme/team/readers", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Teams.Delete(ctx, "acme", "readers")
				return nil, resp, err
			},
		},
		{
			name: "ListMembers", method: "GET", path: "/organization/buynlarge/team/readers/members", status: 200, file: "getOrganizationTeamMembers.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.ListMembers(ctx, "buynlarge", "readers", nil)
			},
			want: quay.TeamMembers{Name: "readers", Members: []quay.TeamMember{public, reader}, CanEdit: true},
		},
		{
			name: "ListMembers with pending invitations", method: "GET", path: "/organization/buynlarge/team/readers/members",
			query: url.Values{"includePending": {"true"}}, status: 200, file: "getOrganizationTeamMembers-pending.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.ListMembers(ctx, "buynlarge", "readers", &quay.TeamMemberListOptions{IncludePending: true})
			},
			want: quay.TeamMembers{Name: "readers", CanEdit: true, Members: []quay.TeamMember{
				public, reader, {Kind: "user", Name: "outsideorg", Avatar: outsideAvatar, Invited: true},
			}},
		},
		{
			name: "AddMember invites a user outside the organization", method: "PUT", path: "/organization/acme/team/deployers/members/reader",
			status: 200, file: "updateOrganizationTeamMember-invited.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.AddMember(ctx, "acme", "deployers", "reader")
			},
			want: invitedReader,
		},
		{
			name: "AddMember adds a robot", method: "PUT", path: "/organization/acme/team/deployers/members/acme+deploy",
			status: 200, file: "updateOrganizationTeamMember-robot.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.AddMember(ctx, "acme", "deployers", "acme+deploy")
			},
			want: quay.TeamMember{Kind: "user", Name: "acme+deploy", IsRobot: true,
				Avatar: avatar("acme+deploy", "0310f82ab224a51716a7cf2848c9f4273c09a9a91d82862c0d009709d3483ee7", "#ffbb78", "robot")},
		},
		{
			name: "RemoveMember", method: "DELETE", path: "/organization/acme/team/deployers/members/acme+deploy", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Teams.RemoveMember(ctx, "acme", "deployers", "acme+deploy")
				return nil, resp, err
			},
		},
		{
			name: "ListPermissions", method: "GET", path: "/organization/buynlarge/team/readers/permissions", status: 200, file: "getOrganizationTeamPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.ListPermissions(ctx, "buynlarge", "readers")
			},
			want: []quay.RepositoryPermission{{Repository: quay.RepositoryRef{Name: "orgrepo"}, Role: "read"}},
		},
		{
			name: "Invite", method: "PUT", path: "/organization/acme/team/deployers/invite/someone@example.com", status: 200, file: "inviteTeamMemberEmail.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.Invite(ctx, "acme", "deployers", "someone@example.com")
			},
			want: quay.TeamMember{Kind: "invite", Email: "someone@example.com", Invited: true,
				Avatar: avatar("someone@example.com", "72497f475e4f76d0b28f57c73a084ece576d170874eba3ee2609d9afe4b71aab", "#17becf", "user")},
		},
		{
			name: "DeleteInvite", method: "DELETE", path: "/organization/acme/team/deployers/invite/someone@example.com", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Teams.DeleteInvite(ctx, "acme", "deployers", "someone@example.com")
				return nil, resp, err
			},
		},
		{
			name:   "AcceptInvite",
			method: "PUT", path: "/teaminvite/urn:teaminvite:90b6ae33-9a1d-42a7-a82f-9932e596de82", status: 200, file: "acceptOrganizationTeamInvite.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Teams.AcceptInvite(ctx, "urn:teaminvite:90b6ae33-9a1d-42a7-a82f-9932e596de82")
			},
			want: quay.TeamInvite{Org: "acme", Team: "deployers"},
		},
		{
			name:   "DeclineInvite",
			method: "DELETE", path: "/teaminvite/urn:teaminvite:942d8dd4-5782-46f4-a036-255545b32b67", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Teams.DeclineInvite(ctx, "urn:teaminvite:942d8dd4-5782-46f4-a036-255545b32b67")
				return nil, resp, err
			},
		},
	})
}
