package quay_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestPrototypes(t *testing.T) {
	t.Parallel()
	devtable := quay.PrototypeEntity{Name: "devtable", Kind: "user", IsOrgMember: true, Avatar: devtableAvatar}
	public := quay.PrototypeEntity{Name: "public", Kind: "user", IsOrgMember: true, Avatar: publicAvatar}
	deployers := quay.PrototypeEntity{Name: "deployers", Kind: "team",
		Avatar: avatar("deployers", "604fa1fa064272af2a1fc68b97b461833e2830e9b6d18cd1e727a3f35cddb545", "#969696", "team")}
	teamRule := quay.Prototype{ID: "712d0507-f3ef-4b9c-b8af-b21fd2251da5", Role: "write", Delegate: deployers}
	adminTeamRule := teamRule
	adminTeamRule.Role = "admin"

	runCalls(t, []call{
		{
			name: "List", method: "GET", path: "/organization/buynlarge/prototypes", status: 200, file: "getOrganizationPrototypePermissions.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Prototypes.List(ctx, "buynlarge")
			},
			want: []quay.Prototype{
				{ID: "f4aa37e4-1b27-4802-bfee-c4ff611cef5c", Role: "read", ActivatingUser: &devtable, Delegate: public},
				{ID: "0454bbc4-b239-4f5a-914e-4e363b779684", Role: "read", ActivatingUser: &devtable, Delegate: quay.PrototypeEntity{Name: "readers", Kind: "team", Avatar: readersAvatar}},
				{ID: "86e0fd33-5cf5-4824-bcc0-c5a840dbf174", Role: "write", ActivatingUser: &public, Delegate: devtable},
			},
		},
		{
			name: "Create for everyone's repositories", method: "POST", path: "/organization/acme/prototypes",
			body:   `{"role": "write", "delegate": {"kind": "team", "name": "deployers"}}`,
			status: 200, file: "createOrganizationPrototypePermission.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Prototypes.Create(ctx, "acme", quay.CreatePrototypeRequest{Role: quay.RoleWrite, Delegate: quay.PrototypeDelegate{Kind: "team", Name: "deployers"}})
			},
			want: teamRule,
		},
		{
			name: "Create for one user's repositories", method: "POST", path: "/organization/acme/prototypes",
			body:   `{"role": "read", "activating_user": {"name": "creator"}, "delegate": {"kind": "user", "name": "acme+deploy"}}`,
			status: 200, file: "createOrganizationPrototypePermission-user.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Prototypes.Create(ctx, "acme", quay.CreatePrototypeRequest{
					Role: quay.RoleRead, ActivatingUser: "creator", Delegate: quay.PrototypeDelegate{Kind: "user", Name: "acme+deploy"},
				})
			},
			want: quay.Prototype{
				ID: "8d1944c2-c27f-4b1b-be2d-0890f324e247", Role: "read",
				ActivatingUser: &quay.PrototypeEntity{Name: "creator", Kind: "user", Avatar: creatorAvatar},
				Delegate: quay.PrototypeEntity{Name: "acme+deploy", Kind: "user", IsRobot: true, IsOrgMember: true,
					Avatar: avatar("acme+deploy", "0310f82ab224a51716a7cf2848c9f4273c09a9a91d82862c0d009709d3483ee7", "#ffbb78", "robot")},
			},
		},
		{
			name: "Update", method: "PUT", path: "/organization/acme/prototypes/712d0507-f3ef-4b9c-b8af-b21fd2251da5",
			body: `{"role": "admin"}`, status: 200, file: "updateOrganizationPrototypePermission.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Prototypes.Update(ctx, "acme", "712d0507-f3ef-4b9c-b8af-b21fd2251da5", quay.UpdatePrototypeRequest{Role: quay.RoleAdmin})
			},
			want: adminTeamRule,
		},
		{
			name: "Delete", method: "DELETE", path: "/organization/acme/prototypes/8d1944c2-c27f-4b1b-be2d-0890f324e247", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Prototypes.Delete(ctx, "acme", "8d1944c2-c27f-4b1b-be2d-0890f324e247")
				return nil, resp, err
			},
		},
	})
}
