package fakequay

import "github.com/quaykit/go-quay/fakequay/internal/avatar"

// The views of endpoints/api/prototype.py, keys in Quay's order.

// prototypeView is prototype_view: ActivatingUser nil is null; Delegate a
// *prototypeUserView or a prototypeTeamView.
type prototypeView struct {
	ActivatingUser *prototypeUserView `json:"activating_user"`
	Delegate       any                `json:"delegate"`
	Role           string             `json:"role"`
	ID             string             `json:"id"`
}

// prototypeUserView is prototype_user_view.
type prototypeUserView struct {
	Name        string        `json:"name"`
	IsRobot     bool          `json:"is_robot"`
	Kind        string        `json:"kind"`
	IsOrgMember bool          `json:"is_org_member"`
	Avatar      avatar.Avatar `json:"avatar"`
}

// prototypeTeamView is a team delegate's view.
type prototypeTeamView struct {
	Name   string        `json:"name"`
	Kind   string        `json:"kind"`
	Avatar avatar.Avatar `json:"avatar"`
}

// prototypesView is getOrganizationPrototypePermissions' answer.
type prototypesView struct {
	Prototypes []prototypeView `json:"prototypes"`
}
