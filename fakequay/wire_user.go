package fakequay

import "github.com/quaykit/go-quay/fakequay/internal/avatar"

// JSON views of endpoints/api/user.py and search.py, in Quay's key order
// (see wire.go).

// userOrgView is user_view's org_view: IsOrgAdmin and PreferredNamespace
// only when the caller administers the user.
type userOrgView struct {
	Name               string        `json:"name"`
	Avatar             avatar.Avatar `json:"avatar"`
	CanCreateRepo      bool          `json:"can_create_repo"`
	Public             bool          `json:"public"`
	IsOrgAdmin         *bool         `json:"is_org_admin,omitempty"`
	PreferredNamespace *bool         `json:"preferred_namespace,omitempty"`
}

// entityView is a team or the organization in getMatchingEntities'
// results (search.py's entity_team_view and the org entry).
type entityView struct {
	Name        string        `json:"name"`
	Kind        string        `json:"kind"`
	IsOrgMember bool          `json:"is_org_member"`
	Avatar      avatar.Avatar `json:"avatar"`
}

// userEntityView is search.py's user_view: IsOrgMember only in an
// organization's search.
type userEntityView struct {
	Name        string        `json:"name"`
	Kind        string        `json:"kind"`
	IsRobot     bool          `json:"is_robot"`
	Avatar      avatar.Avatar `json:"avatar"`
	IsOrgMember *bool         `json:"is_org_member,omitempty"`
}

type entitiesView struct {
	Results []any `json:"results"`
}
