package quay_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestEntities(t *testing.T) {
	t.Parallel()
	runCalls(t, []call{
		{
			name: "Search an organization with teams", method: "GET", path: "/entities/o",
			query: url.Values{"namespace": {"buynlarge"}, "includeTeams": {"true"}}, status: 200, file: "getMatchingEntities.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Entities.Search(ctx, "o", &quay.EntitySearchOptions{Namespace: "buynlarge", IncludeTeams: true})
			},
			want: []quay.Entity{
				{Name: "owners", Kind: "team", IsOrgMember: true, Avatar: ownersAvatar},
				{Name: "buynlarge+ownerbot", Kind: "user", IsRobot: true, IsOrgMember: true,
					Avatar: avatar("buynlarge+ownerbot", "3e3dc6e5e06fa649f43258cc3758206fa0ce33b8117ac60a54e3bf6ec4a287b1", "#e7ba52", "robot")},
				{Name: "outsideorg", Kind: "user", IsOrgMember: true, Avatar: outsideAvatar}, // not a member: Quay's bug
			},
		},
		{
			name: "Search for the organization itself", method: "GET", path: "/entities/buy",
			query:  url.Values{"namespace": {"buynlarge"}, "includeTeams": {"true"}, "includeOrgs": {"true"}},
			status: 200, file: "getMatchingEntities-org.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Entities.Search(ctx, "buy", &quay.EntitySearchOptions{Namespace: "buynlarge", IncludeTeams: true, IncludeOrgs: true})
			},
			want: []quay.Entity{{Name: "buynlarge", Kind: "org", IsOrgMember: true,
				Avatar: avatar("buynlarge", "f9a899918948034278719f9ba5eec74817c2d41efb16b99c9109858ad0f71dc3", "#31a354", "org")}},
		},
		{
			name: "Search users", method: "GET", path: "/entities/fresh", status: 200, file: "getMatchingEntities-user.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Entities.Search(ctx, "fresh", nil)
			},
			want: []quay.Entity{{Name: "freshuser", Kind: "user", Avatar: freshuserAvatar}},
		},
	})
}
