package fakequay

import (
	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The views of endpoints/api/team.py, keys in Quay's order.

// teamView is team.py's team_view (updateOrganizationTeam's answer).
type teamView struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	CanView     bool          `json:"can_view"`
	Role        string        `json:"role"`
	Avatar      avatar.Avatar `json:"avatar"`
	NewTeam     bool          `json:"new_team"`
}

// teamMemberView is member_view: a user or robot of a team, or one invited.
type teamMemberView struct {
	Name    string        `json:"name"`
	Kind    string        `json:"kind"` // always "user", robots included
	IsRobot bool          `json:"is_robot"`
	Avatar  avatar.Avatar `json:"avatar"`
	Invited bool          `json:"invited"`
}

// emailInviteView is invite_view for an invite to an e-mail address.
type emailInviteView struct {
	Email   string        `json:"email"`
	Kind    string        `json:"kind"` // "invite"
	Avatar  avatar.Avatar `json:"avatar"`
	Invited bool          `json:"invited"`
}

// teamMembersView is getOrganizationTeamMembers' answer; members holds
// teamMemberView and emailInviteView values.
type teamMembersView struct {
	Name    string `json:"name"`
	Members []any  `json:"members"`
	CanEdit bool   `json:"can_edit"`
}

// teamPermissionView is team.py's permission_view.
type teamPermissionView struct {
	Repository teamPermissionRepoView `json:"repository"`
	Role       string                 `json:"role"`
}

type teamPermissionRepoView struct {
	Name     string `json:"name"`
	IsPublic bool   `json:"is_public"`
}

type teamPermissionsView struct {
	Permissions []teamPermissionView `json:"permissions"`
}

// acceptedInviteView is acceptOrganizationTeamInvite's answer.
type acceptedInviteView struct {
	Org  string `json:"org"`
	Team string `json:"team"`
}

func memberView(a store.Account, invited bool) teamMemberView {
	return teamMemberView{Name: a.Name, Kind: "user", IsRobot: a.Robot, Avatar: accountAvatar(a), Invited: invited}
}

// inviteView is invite_view.
func inviteView(rd store.Reader, inv *store.TeamInvite) any {
	if inv.UserID != 0 {
		a, _ := rd.Account(store.UserEntity(inv.UserID))
		return memberView(a, true)
	}
	return emailInviteView{Email: inv.Email, Kind: "invite", Avatar: avatar.Compute(inv.Email, inv.Email, avatar.KindUser), Invited: true}
}
