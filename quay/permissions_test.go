package quay_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestPermissions(t *testing.T) {
	t.Parallel()
	deployBot := avatar("acme+deploy", "0310f82ab224a51716a7cf2848c9f4273c09a9a91d82862c0d009709d3483ee7", "#ffbb78", "robot")
	dtrobot := quay.UserPermission{Role: "read", Name: "devtable+dtrobot", IsRobot: true,
		Avatar: avatar("devtable+dtrobot", "65057e49a9b71bf7574a65cca6096b2a0f39e079679a0c29e83c6c18fbd1beec", "#98df8a", "robot")}
	outsider := quay.UserPermission{Role: "read", Name: "outsideorg", Avatar: outsideAvatar}

	runCalls(t, []call{
		{
			name: "ListUsers in a user namespace", method: "GET", path: "/repository/devtable/sharedtags/permissions/user/",
			status: 200, file: "listRepoUserPermissions-user.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.ListUsers(ctx, "devtable", "sharedtags")
			},
			want: map[string]quay.UserPermission{
				"devtable":         {Role: "admin", Name: "devtable", Avatar: devtableAvatar},
				"public":           {Role: "read", Name: "public", Avatar: publicAvatar},
				"devtable+dtrobot": dtrobot,
			},
		},
		{
			name: "ListUsers in an organization", method: "GET", path: "/repository/acme/web/permissions/user/",
			status: 200, file: "listRepoUserPermissions-org.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.ListUsers(ctx, "acme", "web")
			},
			want: map[string]quay.UserPermission{
				"devtable":    {Role: "admin", Name: "devtable", Avatar: devtableAvatar, IsOrgMember: true},
				"acme+deploy": {Role: "write", Name: "acme+deploy", IsRobot: true, Avatar: deployBot, IsOrgMember: true},
				"outsideorg":  outsider,
			},
		},
		{
			name: "GetUser", method: "GET", path: "/repository/buynlarge/orgrepo/permissions/user/outsideorg",
			status: 200, file: "getUserPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.GetUser(ctx, "buynlarge", "orgrepo", "outsideorg")
			},
			want: outsider,
		},
		{
			name: "GetUser of a robot", method: "GET", path: "/repository/devtable/sharedtags/permissions/user/devtable+dtrobot",
			status: 200, file: "getUserPermissions-robot.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.GetUser(ctx, "devtable", "sharedtags", "devtable+dtrobot")
			},
			want: dtrobot,
		},
		{
			name: "GetUserTransitive", method: "GET", path: "/repository/buynlarge/orgrepo/permissions/user/reader/transitive",
			status: 200, file: "getUserTransitivePermission.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.GetUserTransitive(ctx, "buynlarge", "orgrepo", "reader")
			},
			want: []string{"read"},
		},
		{
			name: "GetUserTransitive through a team and directly", method: "GET", path: "/repository/buynlarge/orgrepo/permissions/user/reader/transitive",
			status: 200, file: "getUserTransitivePermission-two.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.GetUserTransitive(ctx, "buynlarge", "orgrepo", "reader")
			},
			want: []string{"read", "write"},
		},
		{
			name: "SetUser for a robot", method: "PUT", path: "/repository/acme/web/permissions/user/acme+deploy", body: `{"role": "write"}`,
			status: 200, file: "changeUserPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.SetUser(ctx, "acme", "web", "acme+deploy", quay.PermissionRequest{Role: quay.RoleWrite})
			},
			want: quay.UserPermission{Role: "write", Name: "acme+deploy", IsRobot: true, Avatar: deployBot, IsOrgMember: true},
		},
		{
			name: "SetUser for an outside collaborator", method: "PUT", path: "/repository/acme/web/permissions/user/outsideorg", body: `{"role": "read"}`,
			status: 200, file: "changeUserPermissions-user.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.SetUser(ctx, "acme", "web", "outsideorg", quay.PermissionRequest{Role: quay.RoleRead})
			},
			want: outsider,
		},
		{
			name: "DeleteUser", method: "DELETE", path: "/repository/acme/web/permissions/user/outsideorg", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Permissions.DeleteUser(ctx, "acme", "web", "outsideorg")
				return nil, resp, err
			},
		},
		{
			name: "ListTeams", method: "GET", path: "/repository/buynlarge/orgrepo/permissions/team/",
			status: 200, file: "listRepoTeamPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.ListTeams(ctx, "buynlarge", "orgrepo")
			},
			want: map[string]quay.TeamPermission{"readers": {Role: "read", Name: "readers", Avatar: readersAvatar}},
		},
		{
			name: "GetTeam", method: "GET", path: "/repository/buynlarge/orgrepo/permissions/team/readers",
			status: 200, file: "getTeamPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.GetTeam(ctx, "buynlarge", "orgrepo", "readers")
			},
			want: "read",
		},
		{
			name: "SetTeam", method: "PUT", path: "/repository/acme/web/permissions/team/deployers", body: `{"role": "write"}`,
			status: 200, file: "changeTeamPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Permissions.SetTeam(ctx, "acme", "web", "deployers", quay.PermissionRequest{Role: quay.RoleWrite})
			},
			want: quay.TeamPermission{Role: "write", Name: "deployers",
				Avatar: avatar("deployers", "604fa1fa064272af2a1fc68b97b461833e2830e9b6d18cd1e727a3f35cddb545", "#969696", "team")},
		},
		{
			name: "DeleteTeam", method: "DELETE", path: "/repository/acme/web/permissions/team/deployers", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Permissions.DeleteTeam(ctx, "acme", "web", "deployers")
				return nil, resp, err
			},
		},
	})
}
