package quay

import (
	"context"
	"net/http"
)

// PermissionsService manages who may read, write or administer a
// repository: users and robots (the User methods) and teams (the Team
// methods). Every method needs admin permission on the repository.
type PermissionsService service

// UserPermission is the role a user or robot has on a repository.
type UserPermission struct {
	Role    string `json:"role"` // "read", "write" or "admin"
	Name    string `json:"name"`
	IsRobot bool   `json:"is_robot"`
	Avatar  Avatar `json:"avatar"`
	// IsOrgMember tells, in an organization's repository, whether the user
	// is in one of its teams; robots of the organization count as
	// members. Quay leaves it out (false here) in a user's repository.
	IsOrgMember bool `json:"is_org_member,omitempty"`
}

// TeamPermission is the role a team has on a repository.
type TeamPermission struct {
	Role   string `json:"role"`
	Name   string `json:"name"`
	Avatar Avatar `json:"avatar"`
}

// PermissionRequest is the body of SetUser and SetTeam.
type PermissionRequest struct {
	Role string `json:"role"` // RoleRead, RoleWrite or RoleAdmin
}

// ListUsers returns the users and robots with a permission of their own on a repository, by name.
//
// Permissions granted through teams are not listed (ListTeams has them).
//
// Quay operation: listRepoUserPermissions (GET /api/v1/repository/{repository}/permissions/user/)
func (s *PermissionsService) ListUsers(ctx context.Context, namespace, repository string) (map[string]UserPermission, *Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/user/")
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Permissions map[string]UserPermission `json:"permissions"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Permissions, resp, err
}

// GetUser returns the permission of its own that a user or robot has on a repository.
//
// Quay answers 400 ("User does not have permission for repo."), not 404,
// when there is none.
//
// Quay operation: getUserPermissions (GET /api/v1/repository/{repository}/permissions/user/{username})
func (s *PermissionsService) GetUser(ctx context.Context, namespace, repository, username string) (UserPermission, *Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/user/%s", username)
	if err != nil {
		return UserPermission{}, nil, err
	}
	var p UserPermission
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &p)
	return p, resp, err
}

// GetUserTransitive returns the roles a user has on a repository, its own and those of its teams.
//
// Administering the organization does not count: Quay answers 404 for a
// user whose only access comes from the organization's admin team role,
// or who has none.
//
// Quay operation: getUserTransitivePermission (GET /api/v1/repository/{repository}/permissions/user/{username}/transitive)
func (s *PermissionsService) GetUserTransitive(ctx context.Context, namespace, repository, username string) ([]string, *Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/user/%s/transitive", username)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Permissions []struct {
			Role string `json:"role"`
		} `json:"permissions"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	if err != nil {
		return nil, resp, err
	}
	roles := make([]string, len(out.Permissions))
	for i, p := range out.Permissions {
		roles[i] = p.Role
	}
	return roles, resp, nil
}

// SetUser gives a user or robot a role on a repository, replacing the one it had.
//
// Any user may be given a role, in the organization or outside it (an
// outside collaborator). Quay answers 400 for an unknown user, a robot of
// another namespace, and the owner of a user namespace, who stays admin.
//
// Quay operation: changeUserPermissions (PUT /api/v1/repository/{repository}/permissions/user/{username})
func (s *PermissionsService) SetUser(ctx context.Context, namespace, repository, username string, body PermissionRequest) (UserPermission, *Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/user/%s", username)
	if err != nil {
		return UserPermission{}, nil, err
	}
	var p UserPermission
	resp, err := s.client.call(ctx, http.MethodPut, path, body, &p)
	return p, resp, err
}

// DeleteUser takes away the permission of its own that a user or robot has on a repository.
//
// Quay answers 400 ("User does not have permission for repo.") when there
// is none.
//
// Quay operation: deleteUserPermissions (DELETE /api/v1/repository/{repository}/permissions/user/{username})
func (s *PermissionsService) DeleteUser(ctx context.Context, namespace, repository, username string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/user/%s", username)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListTeams returns the teams with a permission on a repository, by name.
//
// Quay operation: listRepoTeamPermissions (GET /api/v1/repository/{repository}/permissions/team/)
func (s *PermissionsService) ListTeams(ctx context.Context, namespace, repository string) (map[string]TeamPermission, *Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/team/")
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Permissions map[string]TeamPermission `json:"permissions"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Permissions, resp, err
}

// GetTeam returns the role a team has on a repository.
//
// Quay answers only the role, and 400 ("Team does not have permission for
// repo."), not 404, when the team has none.
//
// Quay operation: getTeamPermissions (GET /api/v1/repository/{repository}/permissions/team/{teamname})
func (s *PermissionsService) GetTeam(ctx context.Context, namespace, repository, teamname string) (string, *Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/team/%s", teamname)
	if err != nil {
		return "", nil, err
	}
	var out struct {
		Role string `json:"role"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Role, resp, err
}

// SetTeam gives a team a role on a repository, replacing the one it had.
//
// Quay answers 400 for a team the repository's organization does not have.
//
// Quay operation: changeTeamPermissions (PUT /api/v1/repository/{repository}/permissions/team/{teamname})
func (s *PermissionsService) SetTeam(ctx context.Context, namespace, repository, teamname string, body PermissionRequest) (TeamPermission, *Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/team/%s", teamname)
	if err != nil {
		return TeamPermission{}, nil, err
	}
	var p TeamPermission
	resp, err := s.client.call(ctx, http.MethodPut, path, body, &p)
	return p, resp, err
}

// DeleteTeam takes away a team's permission on a repository.
//
// Quay answers 400 when the team has none.
//
// Quay operation: deleteTeamPermissions (DELETE /api/v1/repository/{repository}/permissions/team/{teamname})
func (s *PermissionsService) DeleteTeam(ctx context.Context, namespace, repository, teamname string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/permissions/team/%s", teamname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}
