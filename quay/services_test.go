package quay_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
)

// call describes one service method call and the exchange it must cause.
type call struct {
	name string
	// What the client must send. path is the escaped path below /api/v1.
	method string
	path   string
	query  url.Values
	body   string // JSON the request must carry; "" for no body
	// What the server answers: status and a testdata file ("" for an empty
	// body). The files are real Quay's answers (see testdata/README.md).
	status int
	file   string
	// do calls the method; want is the result it must return (nil for
	// methods that return only a response).
	do   func(ctx context.Context, c *quay.Client) (any, *quay.Response, error)
	want any
}

// runCalls checks each call against a server that answers the recorded
// body and against one that answers a 404 ApiError (apitest.CheckCall).
func runCalls(t *testing.T, calls []call) {
	t.Helper()
	for _, tt := range calls {
		ex := apitest.Exchange{Method: tt.method, Path: tt.path, Query: tt.query, Body: tt.body, Status: tt.status, File: tt.file, Want: tt.want}
		apitest.CheckCall(t, tt.name, ex, tt.do)
	}
}

// noRequest returns a client whose server fails the test if it is called.
func noRequest(t *testing.T) *quay.Client { return apitest.NoRequest(t) }

// avatar builds an Avatar.
func avatar(name, hash, color, kind string) quay.Avatar {
	return quay.Avatar{Name: name, Hash: hash, Color: color, Kind: kind}
}

// Avatars of the fixture entities, as real Quay computes them.
var (
	devtableAvatar  = avatar("devtable", "94adf3582e0c629956006b1d1f77926e26d998780448cff0340499bd27a3a064", "#393b79", "user")
	buynlargeAvatar = avatar("buynlarge", "f9a899918948034278719f9ba5eec74817c2d41efb16b99c9109858ad0f71dc3", "#31a354", "user")
	publicAvatar    = avatar("public", "230f60c14425cee04345a683d7213fe16c002c3e67a059c98ee4c159dab3cffe", "#ffbb78", "user")
	readerAvatar    = avatar("reader", "b6ef8d700d042020048aff1fb8a99f9ba3dcc211d4b57908cfcf15b64efe6e3c", "#6b6ecf", "user")
	creatorAvatar   = avatar("creator", "657e1ebb15e4f7be15237eface2abdafa2c6a5adec76da78b6e1137b51aa6d6f", "#98df8a", "user")
	freshuserAvatar = avatar("freshuser", "26ea2c2192bef6f49bf16528687e89d4c2c1ed93295d52afdb917586368abc4b", "#d62728", "user")
	outsideAvatar   = avatar("outsideorg", "55400b31b15548492b99f39e5540c3dc80f8e911d5e332cae0e0f3a23c7e961d", "#5254a3", "user")
	ownersAvatar    = avatar("owners", "6f0e3a8c0eb46e8834b43b03374ece43a030621d92a7437beb48f871e90f8d90", "#c7c7c7", "team")
	creatorsAvatar  = avatar("creators", "20f9ac62a0279206734c206eab38019a6aec36757ad10d5c2a9f5c4306498a86", "#969696", "team")
	readersAvatar   = avatar("readers", "e2257349c139799fafab4f3e96e068da96773117c4f108f122343ddb19a249ed", "#ff7f0e", "team")
)

// emptyArgument lists, per method, a call with one empty path argument.
// An empty name would turn a call on one object into a call on its
// collection; every method must refuse it before sending anything.
var emptyArgument = map[string]func(ctx context.Context, c *quay.Client) error{
	"Organizations.Get": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Organizations.Get(ctx, "")
		return err
	},
	"Organizations.Update": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Organizations.Update(ctx, "", quay.UpdateOrganizationRequest{})
		return err
	},
	"Organizations.Delete": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Organizations.Delete(ctx, "")
		return err
	},
	"Organizations.ListMembers": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Organizations.ListMembers(ctx, "")
		return err
	},
	"Organizations.GetMember": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Organizations.GetMember(ctx, "acme", "")
		return err
	},
	"Organizations.RemoveMember": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Organizations.RemoveMember(ctx, "", "alice")
		return err
	},
	"Organizations.ListCollaborators": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Organizations.ListCollaborators(ctx, "")
		return err
	},
	"Repositories.Get": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Repositories.Get(ctx, "acme", "", nil)
		return err
	},
	"Repositories.Update": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Repositories.Update(ctx, "", "web", quay.UpdateRepositoryRequest{})
		return err
	},
	"Repositories.Delete": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Repositories.Delete(ctx, "acme", "")
		return err
	},
	"Repositories.ChangeVisibility": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Repositories.ChangeVisibility(ctx, "", "web", quay.ChangeVisibilityRequest{})
		return err
	},
	"Repositories.ChangeState": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Repositories.ChangeState(ctx, "acme", "", quay.ChangeStateRequest{})
		return err
	},
	"Robots.ListOrg": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.ListOrg(ctx, "", nil)
		return err
	},
	"Robots.GetUser": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.GetUser(ctx, "")
		return err
	},
	"Robots.GetOrg": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.GetOrg(ctx, "acme", "")
		return err
	},
	"Robots.CreateUser": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.CreateUser(ctx, "", quay.CreateRobotRequest{})
		return err
	},
	"Robots.CreateOrg": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.CreateOrg(ctx, "", "ci", quay.CreateRobotRequest{})
		return err
	},
	"Robots.DeleteUser": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Robots.DeleteUser(ctx, "")
		return err
	},
	"Robots.DeleteOrg": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Robots.DeleteOrg(ctx, "", "ci")
		return err
	},
	"Robots.ListUserPermissions": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.ListUserPermissions(ctx, "")
		return err
	},
	"Robots.ListOrgPermissions": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.ListOrgPermissions(ctx, "", "ci")
		return err
	},
	"Robots.RegenerateUserToken": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.RegenerateUserToken(ctx, "")
		return err
	},
	"Robots.RegenerateOrgToken": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.RegenerateOrgToken(ctx, "", "ci")
		return err
	},
	"Robots.GetUserFederation": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.GetUserFederation(ctx, "")
		return err
	},
	"Robots.GetOrgFederation": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.GetOrgFederation(ctx, "acme", "")
		return err
	},
	"Robots.SetUserFederation": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.SetUserFederation(ctx, "", nil)
		return err
	},
	"Robots.SetOrgFederation": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Robots.SetOrgFederation(ctx, "acme", "", nil)
		return err
	},
	"Robots.DeleteUserFederation": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Robots.DeleteUserFederation(ctx, "")
		return err
	},
	"Robots.DeleteOrgFederation": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Robots.DeleteOrgFederation(ctx, "", "ci")
		return err
	},
	"Teams.Update": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Teams.Update(ctx, "acme", "", quay.UpdateTeamRequest{Role: quay.TeamRoleMember})
		return err
	},
	"Teams.Delete": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Teams.Delete(ctx, "", "deployers")
		return err
	},
	"Teams.ListMembers": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Teams.ListMembers(ctx, "acme", "", nil)
		return err
	},
	"Teams.AddMember": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Teams.AddMember(ctx, "acme", "deployers", "")
		return err
	},
	"Teams.RemoveMember": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Teams.RemoveMember(ctx, "acme", "", "alice")
		return err
	},
	"Teams.ListPermissions": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Teams.ListPermissions(ctx, "", "deployers")
		return err
	},
	"Teams.Invite": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Teams.Invite(ctx, "acme", "deployers", "")
		return err
	},
	"Teams.DeleteInvite": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Teams.DeleteInvite(ctx, "acme", "", "a@example.com")
		return err
	},
	"Teams.AcceptInvite": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Teams.AcceptInvite(ctx, "")
		return err
	},
	"Teams.DeclineInvite": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Teams.DeclineInvite(ctx, "")
		return err
	},
	"Permissions.ListUsers": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Permissions.ListUsers(ctx, "", "web")
		return err
	},
	"Permissions.GetUser": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Permissions.GetUser(ctx, "acme", "web", "")
		return err
	},
	"Permissions.GetUserTransitive": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Permissions.GetUserTransitive(ctx, "acme", "", "alice")
		return err
	},
	"Permissions.SetUser": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Permissions.SetUser(ctx, "acme", "web", "", quay.PermissionRequest{Role: quay.RoleRead})
		return err
	},
	"Permissions.DeleteUser": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Permissions.DeleteUser(ctx, "acme", "web", "")
		return err
	},
	"Permissions.ListTeams": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Permissions.ListTeams(ctx, "acme", "")
		return err
	},
	"Permissions.GetTeam": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Permissions.GetTeam(ctx, "", "web", "deployers")
		return err
	},
	"Permissions.SetTeam": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Permissions.SetTeam(ctx, "acme", "web", "", quay.PermissionRequest{Role: quay.RoleRead})
		return err
	},
	"Permissions.DeleteTeam": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Permissions.DeleteTeam(ctx, "acme", "web", "")
		return err
	},
	"Prototypes.List": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Prototypes.List(ctx, "")
		return err
	},
	"Prototypes.Create": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Prototypes.Create(ctx, "", quay.CreatePrototypeRequest{})
		return err
	},
	"Prototypes.Update": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Prototypes.Update(ctx, "acme", "", quay.UpdatePrototypeRequest{})
		return err
	},
	"Prototypes.Delete": func(ctx context.Context, c *quay.Client) error {
		_, err := c.Prototypes.Delete(ctx, "acme", "")
		return err
	},
	"Users.Get": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Users.Get(ctx, "")
		return err
	},
	"Entities.Search": func(ctx context.Context, c *quay.Client) error {
		_, _, err := c.Entities.Search(ctx, "", nil)
		return err
	},
}

func TestEmptyPathArguments(t *testing.T) {
	t.Parallel()
	c := noRequest(t)
	for name, call := range emptyArgument {
		if err := call(t.Context(), c); err == nil {
			t.Errorf("%s with an empty path argument succeeded, want an error", name)
		}
	}
}
