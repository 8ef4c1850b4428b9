package quay_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	org := func(name, hash, color string, preferred bool) quay.UserOrganization {
		return quay.UserOrganization{Name: name, Avatar: avatar(name, hash, color, "org"), CanCreateRepo: true, IsOrgAdmin: true, PreferredNamespace: preferred}
	}
	waiting := &quay.QuotaReport{RunningBackfill: "waiting", BackfillStatus: "waiting"}
	self := func(name, email string, a quay.Avatar) quay.User {
		return quay.User{
			Username: name, Avatar: a, IsMe: true, CanCreateRepo: true, Verified: true, Email: email,
			Logins: []quay.FederatedLogin{}, TagExpirationSeconds: 1209600, Prompts: []string{},
			IsFreeAccount: true, HasPasswordSet: true, Quotas: []quay.QuotaSummary{}, QuotaReport: waiting,
			Organizations: []quay.UserOrganization{},
		}
	}
	freshuser := self("freshuser", "jschorr+test@devtable.com", freshuserAvatar)
	readonly := self("globalreadonlysuperuser", "globalreadonlysuperuser+test@devtable.com",
		avatar("globalreadonlysuperuser", "b43bf6924f5467c0809ec716a6122cc58994ff02f576f59b88dedcbe6fa93c85", "#393b79", "user"))
	readonly.GlobalReadonlySuperUser = true
	devtable := quay.User{
		Username: "devtable", Avatar: devtableAvatar, IsMe: true, CanCreateRepo: true, Verified: true, Email: "jschorr@devtable.com",
		Logins: []quay.FederatedLogin{}, PreferredNamespace: true, TagExpirationSeconds: 1209600, Prompts: []string{},
		HasPasswordSet: true, Quotas: []quay.QuotaSummary{},
		QuotaReport: &quay.QuotaReport{QuotaBytes: 3000, RunningBackfill: "complete", BackfillStatus: "complete"},
		Organizations: []quay.UserOrganization{
			org("buynlarge", "f9a899918948034278719f9ba5eec74817c2d41efb16b99c9109858ad0f71dc3", "#31a354", true),
			org("testorgforautoprune", "2f556c602def76e4856b5c67e82690a55f9b693eb818cbc9edb8018013afc844", "#c7c7c7", false),
			org("library", "0eed90d4d1538f9584ff6dcff764141bc9fb6ea2fd60d64c000d68ab0969b833", "#7f7f7f", false),
			org("titi", "744a960f25e23e5f9f3eb0a39df69af82e7451a04b53bcbf21b5aba4d3918d7d", "#393b79", false),
			org("sellnsmall", "765f10127b62e13feb6432b57d8c537a1beb43e7b5e43167f1b56f3ebe4997e3", "#6b6ecf", false),
			org("proxyorg", "a84c42797abd252b3172ada70c1ac9d2d112d431ae929b0c3710ddbca7edb9d8", "#9467bd", false),
			org("acme", "f265c9e06917bdc5c9ffdf3bab329e6288e8a3d9bd0502742a345f6149952b88", "#17becf", false),
		},
		SuperUser: true,
	}

	runCalls(t, []call{
		{
			name: "Current as a superuser", method: "GET", path: "/user/", status: 200, file: "getLoggedInUser.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Users.Current(ctx)
			},
			want: devtable,
		},
		{
			name: "Current as a user", method: "GET", path: "/user/", status: 200, file: "getLoggedInUser-plain.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Users.Current(ctx)
			},
			want: freshuser,
		},
		{
			name: "Current as a global read-only superuser", method: "GET", path: "/user/", status: 200, file: "getLoggedInUser-readonly.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Users.Current(ctx)
			},
			want: readonly,
		},
		{
			name: "Get another user", method: "GET", path: "/users/public", status: 200, file: "getUserInformation.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Users.Get(ctx, "public")
			},
			want: quay.User{Username: "public", Avatar: publicAvatar},
		},
		{
			name: "Get another user as a superuser", method: "GET", path: "/users/public", status: 200, file: "getUserInformation-superuser.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Users.Get(ctx, "public")
			},
			want: quay.User{Username: "public", Avatar: publicAvatar},
		},
		{
			name: "Get oneself", method: "GET", path: "/users/freshuser", status: 200, file: "getUserInformation-self.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Users.Get(ctx, "freshuser")
			},
			want: freshuser,
		},
		{
			name: "Initialize", method: "POST", path: "/user/initialize",
			body:   `{"username": "admin", "password": "passw0rd!", "email": "admin@example.com", "access_token": true}`,
			status: 200, file: "userInitialize.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Users.Initialize(ctx, quay.InitializeUserRequest{Username: "admin", Password: "passw0rd!", Email: "admin@example.com", AccessToken: true})
			},
			want: quay.InitializedUser{
				Username: "admin", Email: new("admin@example.com"), AccessToken: "93641ONT9Y986IY988VIM3Q0W2XXZYFWOREOC9FY",
				EncryptedPassword: "hUDShnJors910VhDm3YtI2MJSUzPEWIcaY827h/uABzd1HtAOTzcv7wjN6dzz3Y+",
			},
		},
		{
			name: "Initialize with only a name and password", method: "POST", path: "/user/initialize",
			body:   `{"username": "admin", "password": "passw0rd!"}`,
			status: 200, file: "userInitialize.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				u, resp, err := c.Users.Initialize(ctx, quay.InitializeUserRequest{Username: "admin", Password: "passw0rd!"})
				return u.Username, resp, err
			},
			want: "admin",
		},
	})
}
