package quay_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
)

func TestRobots(t *testing.T) {
	t.Parallel()
	fixture := ts(2026, time.December, 7, 17, 7, 44)
	bot := func(name, token string) quay.Robot {
		return quay.Robot{Name: name, Created: fixture, Token: token}
	}
	coolrobot := bot("buynlarge+coolrobot", "82HRAEL8W3MPHH1SFLDBVH95CW8B56K0MHADVNSE27LQIH2D21J2Y1IN8I2F6KHN")
	buynlargeRobots := []quay.Robot{
		coolrobot,
		bot("buynlarge+neworgrobot", "T303HJVF6CXQVF1NE8KO7814TKM87OTFAOZCUVQ77RTGENI6KQBK241DO8UM5ALV"),
		bot("buynlarge+ownerbot", "N5M37A5W9DQSAM3L3ICG7JR8DJPHH2KGGLE5EDB3VC0HF9EN335G39QOJH47OK3V"),
		bot("buynlarge+creatorbot", "9I1PHP99RZ3IQ10NFPZV42AHG3BBW2ZGP4KW37J1NLDXQ9ZSFIIDJMH2TQYMDRLI"),
		{Name: "buynlarge+newbot", Created: ts(2026, time.December, 7, 17, 15, 2), Description: "CI pusher", Token: "WZ0P6YCO9CAXZ1AS4MDS6RVXEETK4L8H1PG8FDP42DAAK49OG6OKP97H34C8L4GC"},
	}
	coolrobotWithMetadata := coolrobot
	coolrobotWithMetadata.UnstructuredMetadata = map[string]any{}
	coolrobotReadOnly := coolrobotWithMetadata
	coolrobotReadOnly.Token = ""
	created := ts(2026, time.December, 7, 17, 7, 40)
	anotherrobot := quay.Robot{Name: "freshuser+anotherrobot", Created: created, Token: "L33CLH3DCE879U65NHVELQU1AA297581XVS8MUWYKGNO6NNMBQURIGM5NRCYO8Y9"}
	anotherrobotWithMetadata := anotherrobot
	anotherrobotWithMetadata.UnstructuredMetadata = map[string]any{}
	ci := quay.Robot{
		Name: "acme+ci", Created: ts(2026, time.December, 7, 17, 18, 20), Description: "CI pusher",
		Token:                "AHTN3KJSDRA0PG3ZAHZMU1O94CVYERR3FDKDUPO12EJJLAJJ9BOLP1MZMXWUGURG",
		UnstructuredMetadata: map[string]any{"owner": "platform", "tier": float64(1)},
	}
	builder := quay.Robot{Name: "freshuser+builder", Created: ts(2026, time.December, 7, 17, 18, 29), Description: "Local builds", Token: "GAU3UBJUUB9JLPBZ73OBHB5TPW54HIBSEACW5RZFTFG9G02K8DHTEZAUVM38AOIZ"}
	orgFederation := []quay.RobotFederation{
		{Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:acme/web:ref:refs/heads/main"},
		{Issuer: "https://gitlab.example.com", Subject: "project_path:acme/web:ref_type:branch:ref:main"},
	}
	userFederation := []quay.RobotFederation{{Issuer: "https://token.actions.githubusercontent.com", Subject: "repo:freshuser/tools:ref:refs/heads/main"}}
	orgFederationBody := `[{"issuer": "https://token.actions.githubusercontent.com", "subject": "repo:acme/web:ref:refs/heads/main"}, {"issuer": "https://gitlab.example.com", "subject": "project_path:acme/web:ref_type:branch:ref:main"}]`

	runCalls(t, []call{
		{
			name: "ListUser", method: "GET", path: "/user/robots", status: 200, file: "getUserRobots.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.ListUser(ctx, nil)
			},
			want: []quay.Robot{anotherrobot},
		},
		{
			name: "ListUser with permissions and a limit", method: "GET", path: "/user/robots",
			query: url.Values{"permissions": {"true"}, "limit": {"2"}}, status: 200, file: "getUserRobots-permissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.ListUser(ctx, &quay.RobotListOptions{Permissions: true, Limit: 2})
			},
			want: []quay.Robot{
				{Name: "devtable+dtrobot", Created: created, Teams: []quay.TeamSummary{}, Repositories: []string{"sharedtags", "complex", "mirrored"}, Token: "WL36RTVN0TSFO5N92RABHZHDO2S2QP7W5VRTHSR2P75BP5TBOD1111PMBRMVMW8L"},
				{Name: "devtable+dtrobot2", Created: created, Teams: []quay.TeamSummary{}, Repositories: []string{"mirrored"}, Token: "R4J0ZR4RZP5BT50XSNSQEUT3NEVACEEOJ4IUWFCG6WQA93Z13DLH7RDDTL7OADLE"},
			},
		},
		{
			name: "ListOrg", method: "GET", path: "/organization/buynlarge/robots", status: 200, file: "getOrgRobots.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.ListOrg(ctx, "buynlarge", &quay.RobotListOptions{})
			},
			want: buynlargeRobots,
		},
		{
			name: "ListOrg with permissions, without tokens", method: "GET", path: "/organization/acme/robots",
			query: url.Values{"permissions": {"true"}, "token": {"false"}}, status: 200, file: "getOrgRobots-permissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.ListOrg(ctx, "acme", &quay.RobotListOptions{Permissions: true, ExcludeTokens: true})
			},
			want: []quay.Robot{{Name: "acme+deploy", Created: ts(2026, time.December, 7, 17, 15, 58), Teams: []quay.TeamSummary{}, Repositories: []string{"web"}}},
		},
		{
			name: "GetUser", method: "GET", path: "/user/robots/anotherrobot", status: 200, file: "getUserRobot.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.GetUser(ctx, "anotherrobot")
			},
			want: anotherrobotWithMetadata,
		},
		{
			name: "GetOrg", method: "GET", path: "/organization/buynlarge/robots/coolrobot", status: 200, file: "getOrgRobot.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.GetOrg(ctx, "buynlarge", "coolrobot")
			},
			want: coolrobotWithMetadata,
		},
		{
			name: "GetOrg as a global read-only superuser", method: "GET", path: "/organization/buynlarge/robots/coolrobot", status: 200, file: "getOrgRobot-readonly.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.GetOrg(ctx, "buynlarge", "coolrobot")
			},
			want: coolrobotReadOnly,
		},
		{
			name: "CreateUser", method: "PUT", path: "/user/robots/builder", body: `{"description": "Local builds"}`,
			status: 201, file: "createUserRobot.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.CreateUser(ctx, "builder", quay.CreateRobotRequest{Description: "Local builds"})
			},
			want: builder, // unstructured_metadata null
		},
		{
			name: "CreateOrg with metadata", method: "PUT", path: "/organization/acme/robots/ci",
			body:   `{"description": "CI pusher", "unstructured_metadata": {"owner": "platform", "tier": 1}}`,
			status: 201, file: "createOrgRobot.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.CreateOrg(ctx, "acme", "ci", quay.CreateRobotRequest{Description: "CI pusher", UnstructuredMetadata: map[string]any{"owner": "platform", "tier": 1}})
			},
			want: ci,
		},
		{
			name: "CreateOrg with nothing sends {}", method: "PUT", path: "/organization/acme/robots/bare", body: `{}`,
			status: 201, file: "createOrgRobot-nobody.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.CreateOrg(ctx, "acme", "bare", quay.CreateRobotRequest{})
			},
			want: quay.Robot{Name: "acme+bare", Created: ts(2026, time.December, 7, 17, 18, 21), Token: "JRSI19BEOFOFBGFM4Q5DDWJ6YEF5KVWZLGU6F0AONMTVD6P5P3H74YXZAB6M3JHV"},
		},
		{
			name: "DeleteUser", method: "DELETE", path: "/user/robots/builder", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Robots.DeleteUser(ctx, "builder")
				return nil, resp, err
			},
		},
		{
			name: "DeleteOrg", method: "DELETE", path: "/organization/acme/robots/bare", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Robots.DeleteOrg(ctx, "acme", "bare")
				return nil, resp, err
			},
		},
		{
			name: "ListUserPermissions", method: "GET", path: "/user/robots/dtrobot/permissions", status: 200, file: "getUserRobotPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.ListUserPermissions(ctx, "dtrobot")
			},
			want: []quay.RepositoryPermission{
				{Repository: quay.RepositoryRef{Name: "sharedtags"}, Role: "read"},
				{Repository: quay.RepositoryRef{Name: "complex"}, Role: "read"},
				{Repository: quay.RepositoryRef{Name: "mirrored"}, Role: "write"},
			},
		},
		{
			name: "ListOrgPermissions", method: "GET", path: "/organization/acme/robots/deploy/permissions", status: 200, file: "getOrgRobotPermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.ListOrgPermissions(ctx, "acme", "deploy")
			},
			want: []quay.RepositoryPermission{{Repository: quay.RepositoryRef{Name: "web", IsPublic: true}, Role: "write"}},
		},
		{
			name: "RegenerateUserToken", method: "POST", path: "/user/robots/builder/regenerate", status: 200, file: "regenerateUserRobotToken.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.RegenerateUserToken(ctx, "builder")
			},
			want: quay.Robot{Name: "freshuser+builder", Created: builder.Created, Description: "Local builds", Token: "EQO0N0WZ3QQNEQ5IBR3PBH7YDR5ZFU52FP0XGXM61QCXT9APBY0DVWC6FPUT7SS6"},
		},
		{
			name: "RegenerateOrgToken", method: "POST", path: "/organization/acme/robots/ci/regenerate", status: 200, file: "regenerateOrgRobotToken.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.RegenerateOrgToken(ctx, "acme", "ci")
			},
			want: quay.Robot{Name: "acme+ci", Created: ci.Created, Description: "CI pusher", Token: "SXOG6YS63L8OLOBA5GRIG2TOJ1U4GWI2R552ZHOP3GG4KHGJ310X4T0TZPEOC20A"},
		},
		{
			name: "GetUserFederation", method: "GET", path: "/user/robots/builder/federation", status: 200, file: "getUserRobotFederation.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.GetUserFederation(ctx, "builder")
			},
			want: userFederation,
		},
		{
			name: "GetOrgFederation", method: "GET", path: "/organization/acme/robots/ci/federation", status: 200, file: "getOrgRobotFederation.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.GetOrgFederation(ctx, "acme", "ci")
			},
			want: orgFederation,
		},
		{
			name: "SetUserFederation", method: "POST", path: "/user/robots/builder/federation",
			body:   `[{"issuer": "https://token.actions.githubusercontent.com", "subject": "repo:freshuser/tools:ref:refs/heads/main"}]`,
			status: 200, file: "createUserRobotFederation.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.SetUserFederation(ctx, "builder", userFederation)
			},
			want: userFederation,
		},
		{
			name: "SetOrgFederation", method: "POST", path: "/organization/acme/robots/ci/federation", body: orgFederationBody,
			status: 200, file: "createOrgRobotFederation.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.SetOrgFederation(ctx, "acme", "ci", orgFederation)
			},
			want: orgFederation,
		},
		{
			name: "SetOrgFederation with nil sends []", method: "POST", path: "/organization/acme/robots/ci/federation", body: `[]`,
			status: 200, file: "createOrgRobotFederation.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Robots.SetOrgFederation(ctx, "acme", "ci", nil)
			},
			want: orgFederation,
		},
		{
			name: "DeleteUserFederation", method: "DELETE", path: "/user/robots/builder/federation", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Robots.DeleteUserFederation(ctx, "builder")
				return nil, resp, err
			},
		},
		{
			name: "DeleteOrgFederation", method: "DELETE", path: "/organization/acme/robots/ci/federation", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Robots.DeleteOrgFederation(ctx, "acme", "ci")
				return nil, resp, err
			},
		},
	})
}

func TestRobotsNegativeLimitRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c := noRequest(t)
	opts := &quay.RobotListOptions{Limit: -1}
	if _, _, err := c.Robots.ListUser(t.Context(), opts); err == nil {
		t.Error("ListUser(Limit: -1) succeeded, want an error")
	}
	if _, _, err := c.Robots.ListOrg(t.Context(), "acme", opts); err == nil {
		t.Error("ListOrg(Limit: -1) succeeded, want an error")
	}
}
