package store

import "fmt"

// Role is a repository role (Quay's Role table): what a permission or a
// default permission grants. Roles are ordered, as Quay's REPO_ROLES list
// orders them: a larger role includes the smaller ones.
type Role uint8

// Repository roles; RoleNone is no role at all (Quay's None).
const (
	RoleNone Role = iota
	RoleRead
	RoleWrite
	RoleAdmin
)

var roleNames = [...]string{RoleNone: "", RoleRead: "read", RoleWrite: "write", RoleAdmin: "admin"}

// String returns Quay's name for the role, e.g. "write".
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// ParseRole returns the role Quay names name ("read", "write", "admin").
func ParseRole(name string) (Role, bool) {
	for r, n := range roleNames {
		if n == name && r != int(RoleNone) {
			return Role(r), true
		}
	}
	return RoleNone, false
}

// TeamRole is a team's organization-wide role (Quay's TeamRole table),
// ordered as Quay's TEAM_ROLES list.
type TeamRole uint8

// Team roles; TeamRoleNone is no role (Quay's None).
const (
	TeamRoleNone TeamRole = iota
	TeamMember
	TeamCreator
	TeamAdmin
)

var teamRoleNames = [...]string{TeamRoleNone: "", TeamMember: "member", TeamCreator: "creator", TeamAdmin: "admin"}

// String returns Quay's name for the team role, e.g. "creator".
func (r TeamRole) String() string {
	if int(r) < len(teamRoleNames) {
		return teamRoleNames[r]
	}
	return fmt.Sprintf("TeamRole(%d)", uint8(r))
}

// ParseTeamRole returns the team role Quay names name ("member",
// "creator", "admin").
func ParseTeamRole(name string) (TeamRole, bool) {
	for r, n := range teamRoleNames {
		if n == name && r != int(TeamRoleNone) {
			return TeamRole(r), true
		}
	}
	return TeamRoleNone, false
}
