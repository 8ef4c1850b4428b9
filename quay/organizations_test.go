package quay_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

// buynlarge is the fixture organization as its administrator (devtable) sees it.
var buynlarge = quay.Organization{
	Name: "buynlarge", Email: "quay@devtable.com", Avatar: buynlargeAvatar, IsAdmin: true, IsMember: true,
	Teams: map[string]quay.Team{
		"owners":   {Name: "owners", Description: "Owners have unfetterd access across the entire org.", Role: "admin", Avatar: ownersAvatar, CanView: true, MemberCount: 2},
		"creators": {Name: "creators", Description: "Creators of orgrepo.", Role: "creator", Avatar: creatorsAvatar, CanView: true, MemberCount: 2},
		"readers":  {Name: "readers", Description: "Readers of orgrepo.", Role: "member", Avatar: readersAvatar, CanView: true, RepoCount: 1, MemberCount: 2},
		"synced": {Name: "synced", Description: "Some synced team.", Role: "member", CanView: true,
			Avatar: avatar("synced", "490eaa1b7c04c46221b1a6d90905a578be05012cfb5f5606c782377299552a20", "#c5b0d5", "team")},
	},
	OrderedTeams:         []string{"owners", "creators", "readers", "synced"},
	TagExpirationSeconds: 1209600,
	Quotas:               []quay.QuotaSummary{{ID: 1, LimitBytes: 3000, Limits: []quay.QuotaLimit{{ID: 1, Type: "Warning", LimitPercent: 50}}}},
	QuotaReport:          &quay.QuotaReport{QuotaBytes: 184, ConfiguredQuota: new(int64(3000)), RunningBackfill: "complete", BackfillStatus: "complete"},
}

func TestOrganizations(t *testing.T) {
	t.Parallel()
	acmeAvatar := avatar("acme", "f265c9e06917bdc5c9ffdf3bab329e6288e8a3d9bd0502742a345f6149952b88", "#17becf", "user")
	acme := quay.Organization{
		Name: "acme", Email: "ops@acme.example.com", Avatar: acmeAvatar, IsAdmin: true, IsMember: true,
		Teams:        map[string]quay.Team{"owners": {Name: "owners", Role: "admin", Avatar: ownersAvatar, CanView: true, MemberCount: 1}},
		OrderedTeams: []string{"owners"},
		InvoiceEmail: true, InvoiceEmailAddress: "billing@acme.example.com", TagExpirationSeconds: 86400, IsFreeAccount: true,
		Quotas:      []quay.QuotaSummary{},
		QuotaReport: &quay.QuotaReport{RunningBackfill: "waiting", BackfillStatus: "waiting"},
	}
	ownersTeam := []quay.TeamSummary{{Name: "owners", Avatar: ownersAvatar}}
	creatorsTeam := []quay.TeamSummary{{Name: "creators", Avatar: creatorsAvatar}}
	readersTeam := []quay.TeamSummary{{Name: "readers", Avatar: readersAvatar}}

	runCalls(t, []call{
		{
			name: "Create", method: "POST", path: "/organization/", body: `{"name": "initech", "email": "it@initech.example.com"}`,
			status: 201, file: "createOrganization.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Organizations.Create(ctx, quay.CreateOrganizationRequest{Name: "initech", Email: "it@initech.example.com"})
				return nil, resp, err
			},
		},
		{
			name: "Create without e-mail", method: "POST", path: "/organization/", body: `{"name": "initech"}`,
			status: 201, file: "createOrganization.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Organizations.Create(ctx, quay.CreateOrganizationRequest{Name: "initech"})
				return nil, resp, err
			},
		},
		{
			name: "Get as administrator", method: "GET", path: "/organization/buynlarge", status: 200, file: "getOrganization.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.Get(ctx, "buynlarge")
			},
			want: buynlarge,
		},
		{
			name: "Get as outsider", method: "GET", path: "/organization/buynlarge", status: 200, file: "getOrganization-outsider.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.Get(ctx, "buynlarge")
			},
			want: quay.Organization{Name: "buynlarge", Avatar: buynlargeAvatar},
		},
		{
			name: "Update every field", method: "PUT", path: "/organization/acme",
			body:   `{"email": "ops@acme.example.com", "invoice_email": true, "invoice_email_address": "billing@acme.example.com", "tag_expiration_s": 86400}`,
			status: 200, file: "changeOrganizationDetails.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.Update(ctx, "acme", quay.UpdateOrganizationRequest{
					Email: new("ops@acme.example.com"), InvoiceEmail: new(true),
					InvoiceEmailAddress: new("billing@acme.example.com"), TagExpirationSeconds: new(int64(86400)),
				})
			},
			want: acme,
		},
		{
			name: "Update clears the e-mail and turns invoices off", method: "PUT", path: "/organization/acme",
			body:   `{"email": "", "invoice_email": false}`,
			status: 200, file: "changeOrganizationDetails.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.Update(ctx, "acme", quay.UpdateOrganizationRequest{Email: new(""), InvoiceEmail: new(false)})
			},
			want: acme,
		},
		{
			name: "Delete", method: "DELETE", path: "/organization/acme", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Organizations.Delete(ctx, "acme")
				return nil, resp, err
			},
		},
		{
			name: "ListMembers", method: "GET", path: "/organization/buynlarge/members", status: 200, file: "getOrganizationMembers.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.ListMembers(ctx, "buynlarge")
			},
			want: []quay.OrganizationMember{
				{Name: "devtable", Kind: "user", Avatar: devtableAvatar, Teams: ownersTeam, Repositories: []string{}},
				{Name: "creator", Kind: "user", Avatar: creatorAvatar, Teams: creatorsTeam, Repositories: []string{}},
				{Name: "public", Kind: "user", Avatar: publicAvatar, Teams: readersTeam, Repositories: []string{}},
				{Name: "reader", Kind: "user", Avatar: readerAvatar, Teams: readersTeam, Repositories: []string{}},
			},
		},
		{
			name: "GetMember", method: "GET", path: "/organization/buynlarge/members/creator", status: 200, file: "getOrganizationMember.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.GetMember(ctx, "buynlarge", "creator")
			},
			want: quay.OrganizationMember{Name: "creator", Kind: "user", Avatar: creatorAvatar, Teams: creatorsTeam, Repositories: []string{}},
		},
		{
			name: "GetMember of a robot", method: "GET", path: "/organization/buynlarge/members/buynlarge+coolrobot", status: 200, file: "getOrganizationMember-robot.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.GetMember(ctx, "buynlarge", "buynlarge+coolrobot")
			},
			want: quay.OrganizationMember{
				Name: "buynlarge+coolrobot", Kind: "robot", Teams: []quay.TeamSummary{}, Repositories: []string{},
				Avatar: avatar("buynlarge+coolrobot", "78478e9b58eefc8908aadf34295a22775841074cf0be7a6d297214f2d56418a8", "#9ecae1", "robot"),
			},
		},
		{
			name: "RemoveMember", method: "DELETE", path: "/organization/acme/members/freshuser", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Organizations.RemoveMember(ctx, "acme", "freshuser")
				return nil, resp, err
			},
		},
		{
			name: "ListCollaborators", method: "GET", path: "/organization/buynlarge/collaborators", status: 200, file: "getOrganizationCollaborators.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Organizations.ListCollaborators(ctx, "buynlarge")
			},
			want: []quay.Collaborator{{Kind: "user", Name: "outsideorg", Avatar: outsideAvatar, Repositories: []string{"orgrepo"}}},
		},
	})
}
