package quay

import (
	"context"
	"net/http"
	"net/url"
)

// EntitiesService looks up users, robots, teams and organizations by name
// prefix, as Quay's web UI does when one types a name.
type EntitiesService service

// Entity is one match of Search.
type Entity struct {
	Name string `json:"name"`
	// Kind is "user" (robots included), "team", "org", or "external" for a
	// user of an outside authentication service who never signed in.
	Kind    string `json:"kind"`
	IsRobot bool   `json:"is_robot,omitempty"`
	// IsOrgMember is set when the search names an organization. Quay's
	// code tests the wrong column, so it is true for every user and robot
	// found, members or not (and for teams and the organization itself).
	IsOrgMember bool `json:"is_org_member,omitempty"`
	// Title is an external user's e-mail address.
	Title  string `json:"title,omitempty"`
	Avatar Avatar `json:"avatar"`
}

// EntitySearchOptions selects what Search looks through.
type EntitySearchOptions struct {
	// Namespace is the organization (or the caller's own user namespace) to
	// search in: its robots are matched too when the caller is a member (an
	// administrator, for a user namespace).
	Namespace string
	// IncludeTeams adds the organization's teams (members only).
	IncludeTeams bool
	// IncludeOrgs adds the organization itself when its name matches.
	IncludeOrgs bool
}

// Search returns the entities whose name starts with prefix: teams first, then users and robots, then the organization.
//
// Quay lowercases the prefix and drops its spaces, returns at most 10
// users, and with FEATURE_PARTIAL_USER_AUTOCOMPLETE off matches user names
// exactly. Robots are matched by their short name.
//
// Quay operation: getMatchingEntities (GET /api/v1/entities/{prefix})
func (s *EntitiesService) Search(ctx context.Context, prefix string, opts *EntitySearchOptions) ([]Entity, *Response, error) {
	path, err := pathf("entities/%s", prefix)
	if err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	if opts != nil {
		if opts.Namespace != "" {
			q.Set("namespace", opts.Namespace)
		}
		setFlag(q, "includeTeams", opts.IncludeTeams)
		setFlag(q, "includeOrgs", opts.IncludeOrgs)
	}
	var out struct {
		Results []Entity `json:"results"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &out)
	return out.Results, resp, err
}
