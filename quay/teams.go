package quay

import (
	"context"
	"net/http"
	"net/url"
)

// TeamsService manages an organization's teams, their members and
// invitations. Organizations.Get lists the teams.
type TeamsService service

// Team roles: what a team's members may do in the whole organization.
const (
	// TeamRoleMember gives no organization-wide right; repositories grant the rest.
	TeamRoleMember = "member"
	// TeamRoleCreator lets members create repositories.
	TeamRoleCreator = "creator"
	// TeamRoleAdmin makes members administrators of the organization.
	TeamRoleAdmin = "admin"
)

// TeamMembers is a team's member list.
type TeamMembers struct {
	Name    string       `json:"name"`
	Members []TeamMember `json:"members"`
	// CanEdit tells whether the caller administers the organization.
	CanEdit bool `json:"can_edit"`

	// CanSync and Synced exist only when the registry authenticates
	// through an outside service (LDAP, Keystone, OIDC) with
	// FEATURE_TEAM_SYNCING: CanSync when the caller may set up syncing,
	// holding the service name and its metadata, and Synced when the team
	// is synced.
	CanSync map[string]any `json:"can_sync,omitempty"`
	Synced  *TeamSync      `json:"synced,omitempty"`
}

// TeamSync says where a synced team's members come from. LastUpdated and
// Config are set only for superusers, unless the registry runs with
// FEATURE_NONSUPERUSER_TEAM_SYNCING_SETUP.
type TeamSync struct {
	Service     string         `json:"service"`
	LastUpdated Timestamp      `json:"last_updated"`
	Config      map[string]any `json:"config,omitempty"`
}

// TeamMember is a member of a team, or a pending invitation to join it.
type TeamMember struct {
	// Kind is "user" for users and robots, "invite" for an invitation sent
	// to an e-mail address.
	Kind string `json:"kind"`
	// Name is the user's or robot's name; empty for an e-mail invitation.
	Name string `json:"name,omitempty"`
	// Email is the invited address, for Kind "invite" only.
	Email   string `json:"email,omitempty"`
	IsRobot bool   `json:"is_robot,omitempty"`
	Avatar  Avatar `json:"avatar"`
	// Invited tells that the user has been invited and has not accepted yet.
	Invited bool `json:"invited"`
}

// TeamMemberListOptions selects what ListMembers returns.
type TeamMemberListOptions struct {
	// IncludePending adds the pending invitations (for organization
	// administrators only; Quay ignores it for others).
	IncludePending bool
}

// UpdateTeamRequest is the body of Update.
type UpdateTeamRequest struct {
	// Role is a TeamRole constant. Quay requires it on every call.
	Role string `json:"role"`
	// Description is the team's Markdown description. Nil leaves an
	// existing team's description alone (a new team's is then "").
	Description *string `json:"description,omitempty"`
}

// TeamInvite is the team an accepted invitation joined.
type TeamInvite struct {
	Org  string `json:"org"`
	Team string `json:"team"`
}

// Update creates the team teamname in an organization, or changes the role and description of the team that has that name.
//
// Quay answers 200 in both cases; the returned Team's NewTeam tells which
// happened. Its RepoCount, MemberCount and IsSynced are not set.
//
// Quay operation: updateOrganizationTeam (PUT /api/v1/organization/{orgname}/team/{teamname})
func (s *TeamsService) Update(ctx context.Context, orgname, teamname string, body UpdateTeamRequest) (Team, *Response, error) {
	path, err := pathf("organization/%s/team/%s", orgname, teamname)
	if err != nil {
		return Team{}, nil, err
	}
	var team Team
	resp, err := s.client.call(ctx, http.MethodPut, path, body, &team)
	return team, resp, err
}

// Delete deletes a team and the repository permissions it granted.
//
// Quay answers 400 (not 404) for a team the organization does not have,
// and 400 when deleting an admin team would leave the caller without admin
// rights in the organization. A superuser who is in none of the
// organization's admin teams gets a 500 for an admin team (Quay indexes an
// empty list).
//
// Quay operation: deleteOrganizationTeam (DELETE /api/v1/organization/{orgname}/team/{teamname})
func (s *TeamsService) Delete(ctx context.Context, orgname, teamname string) (*Response, error) {
	path, err := pathf("organization/%s/team/%s", orgname, teamname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListMembers returns a team's members, and with opts.IncludePending its pending invitations.
//
// Quay operation: getOrganizationTeamMembers (GET /api/v1/organization/{orgname}/team/{teamname}/members)
func (s *TeamsService) ListMembers(ctx context.Context, orgname, teamname string, opts *TeamMemberListOptions) (TeamMembers, *Response, error) {
	path, err := pathf("organization/%s/team/%s/members", orgname, teamname)
	if err != nil {
		return TeamMembers{}, nil, err
	}
	q := url.Values{}
	if opts != nil {
		setFlag(q, "includePending", opts.IncludePending)
	}
	var m TeamMembers
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &m)
	return m, resp, err
}

// AddMember adds a user or robot to a team, or invites the user.
//
// The organization's robots and users who are already in one of its teams
// are added at once. Other users are invited when the registry runs with
// FEATURE_MAILING and FEATURE_REQUIRE_TEAM_INVITE (Quay's defaults): the
// returned member's Invited is then true, and the user joins with
// AcceptInvite. Quay answers 400 for an unknown user, another namespace's
// robot and a user already in the team.
//
// Quay operation: updateOrganizationTeamMember (PUT /api/v1/organization/{orgname}/team/{teamname}/members/{membername})
func (s *TeamsService) AddMember(ctx context.Context, orgname, teamname, membername string) (TeamMember, *Response, error) {
	path, err := pathf("organization/%s/team/%s/members/%s", orgname, teamname, membername)
	if err != nil {
		return TeamMember{}, nil, err
	}
	var m TeamMember
	resp, err := s.client.call(ctx, http.MethodPut, path, nil, &m)
	return m, resp, err
}

// RemoveMember removes a user or robot from a team, or withdraws the user's pending invitation.
//
// Quay answers 404 for an unknown user and 400 for one not in the team.
//
// Quay operation: deleteOrganizationTeamMember (DELETE /api/v1/organization/{orgname}/team/{teamname}/members/{membername})
func (s *TeamsService) RemoveMember(ctx context.Context, orgname, teamname, membername string) (*Response, error) {
	path, err := pathf("organization/%s/team/%s/members/%s", orgname, teamname, membername)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListPermissions returns the repository permissions a team grants its members.
//
// Quay operation: getOrganizationTeamPermissions (GET /api/v1/organization/{orgname}/team/{teamname}/permissions)
func (s *TeamsService) ListPermissions(ctx context.Context, orgname, teamname string) ([]RepositoryPermission, *Response, error) {
	path, err := pathf("organization/%s/team/%s/permissions", orgname, teamname)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Permissions []RepositoryPermission `json:"permissions"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Permissions, resp, err
}

// Invite invites an e-mail address to join a team and returns the invitation.
//
// The route exists only with FEATURE_MAILING. Quay mails a link whose code
// the invited person passes to AcceptInvite once signed in. Quay does not
// check the address.
//
// Quay operation: inviteTeamMemberEmail (PUT /api/v1/organization/{orgname}/team/{teamname}/invite/{email})
func (s *TeamsService) Invite(ctx context.Context, orgname, teamname, email string) (TeamMember, *Response, error) {
	path, err := pathf("organization/%s/team/%s/invite/%s", orgname, teamname, email)
	if err != nil {
		return TeamMember{}, nil, err
	}
	var m TeamMember
	resp, err := s.client.call(ctx, http.MethodPut, path, nil, &m)
	return m, resp, err
}

// DeleteInvite withdraws the invitation of an e-mail address to join a team.
//
// The route exists only with FEATURE_MAILING. Quay answers 404 when there
// is no such invitation.
//
// Quay operation: deleteTeamMemberEmailInvite (DELETE /api/v1/organization/{orgname}/team/{teamname}/invite/{email})
func (s *TeamsService) DeleteInvite(ctx context.Context, orgname, teamname, email string) (*Response, error) {
	path, err := pathf("organization/%s/team/%s/invite/%s", orgname, teamname, email)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// AcceptInvite accepts, as the caller, the team invitation with the given code and returns the team joined.
//
// The code ("urn:teaminvite:...") is in the invitation mail and in the
// invited user's org_team_invite notification. Quay answers 400 ("Invalid
// confirmation code.") for a code that does not exist or was used. The
// route exists only with FEATURE_MAILING.
//
// Quay operation: acceptOrganizationTeamInvite (PUT /api/v1/teaminvite/{code})
func (s *TeamsService) AcceptInvite(ctx context.Context, code string) (TeamInvite, *Response, error) {
	path, err := pathf("teaminvite/%s", code)
	if err != nil {
		return TeamInvite{}, nil, err
	}
	var inv TeamInvite
	resp, err := s.client.call(ctx, http.MethodPut, path, nil, &inv)
	return inv, resp, err
}

// DeclineInvite declines, as the caller, the team invitation with the given code.
//
// Quay answers 204, and 400 ("Invalid confirmation code.") for a code that
// does not exist or was used. The route exists only with FEATURE_MAILING.
//
// Quay operation: declineOrganizationTeamInvite (DELETE /api/v1/teaminvite/{code})
func (s *TeamsService) DeclineInvite(ctx context.Context, code string) (*Response, error) {
	path, err := pathf("teaminvite/%s", code)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}
