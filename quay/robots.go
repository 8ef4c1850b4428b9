package quay

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// RobotsService manages robot accounts: the caller's own (the User
// methods) and an organization's (the Org methods). Robots are named by
// their short name, without the "namespace+" prefix Quay puts before it.
type RobotsService service

// Robot is Quay's view of a robot account. Which fields are set depends on
// the call, as each method says.
type Robot struct {
	// Name is the full name, "namespace+shortname".
	Name    string    `json:"name"`
	Created Timestamp `json:"created"`
	// LastAccessed is zero when the robot was never used, and always
	// without FEATURE_USER_LAST_ACCESSED.
	LastAccessed Timestamp `json:"last_accessed"`
	Description  string    `json:"description"`
	// Token is the robot's password, for "docker login -u <Name> -p <Token>";
	// empty where Quay leaves it out.
	Token string `json:"token,omitempty"`
	// UnstructuredMetadata is the free-form object given at creation: set
	// by the Get and Create methods only. Quay answers null when creation
	// gave none, and {} when reading such a robot later.
	UnstructuredMetadata map[string]any `json:"unstructured_metadata,omitempty"`

	// Teams and Repositories are set by the List methods with
	// RobotListOptions.Permissions: the teams the robot is in and the
	// repositories it has a direct permission on.
	Teams        []TeamSummary `json:"teams,omitempty"`
	Repositories []string      `json:"repositories,omitempty"`
}

// RobotFederation lets a robot sign in with an OIDC token from an outside
// issuer (for example a CI system) whose subject matches.
type RobotFederation struct {
	// Issuer is the issuer's URL; Quay requires http:// or https://.
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
}

// RobotListOptions selects what the List methods return.
type RobotListOptions struct {
	// Permissions adds each robot's Teams and Repositories. In an
	// organization only administrators and superusers get them.
	Permissions bool
	// ExcludeTokens leaves the tokens out. In an organization only
	// administrators and superusers with full access get tokens anyway.
	ExcludeTokens bool
	// Limit returns at most that many robots; zero returns all of them.
	// Quay does not page robots.
	Limit int
}

// CreateRobotRequest is the body of the Create methods. Both fields are optional.
type CreateRobotRequest struct {
	// Description is at most 255 characters.
	Description string `json:"description,omitempty"`
	// UnstructuredMetadata is any JSON object to keep with the robot.
	UnstructuredMetadata map[string]any `json:"unstructured_metadata,omitempty"`
}

// robotQuery builds the List methods' query.
func robotQuery(opts *RobotListOptions) (url.Values, error) {
	q := url.Values{}
	if opts == nil {
		return q, nil
	}
	if opts.Limit < 0 {
		return nil, errors.New("quay: RobotListOptions.Limit must not be negative")
	}
	setFlag(q, "permissions", opts.Permissions)
	if opts.ExcludeTokens {
		q.Set("token", "false")
	}
	if opts.Limit > 0 {
		q.Set("limit", strconv.Itoa(opts.Limit))
	}
	return q, nil
}

// list fetches a robots list at path.
func (s *RobotsService) list(ctx context.Context, path string, opts *RobotListOptions) ([]Robot, *Response, error) {
	q, err := robotQuery(opts)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Robots []Robot `json:"robots"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &out)
	return out.Robots, resp, err
}

// robot sends one request about a robot and decodes a Robot.
func (s *RobotsService) robot(ctx context.Context, method, path string, body any) (Robot, *Response, error) {
	var r Robot
	resp, err := s.client.call(ctx, method, path, body, &r)
	return r, resp, err
}

// permissions fetches a robot's repository permissions at path.
func (s *RobotsService) permissions(ctx context.Context, path string) ([]RepositoryPermission, *Response, error) {
	var out struct {
		Permissions []RepositoryPermission `json:"permissions"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Permissions, resp, err
}

// federation sends a federation request at path and decodes the configuration.
func (s *RobotsService) federation(ctx context.Context, method, path string, body any) ([]RobotFederation, *Response, error) {
	var out []RobotFederation
	resp, err := s.client.call(ctx, method, path, body, &out)
	return out, resp, err
}

// nonNil makes a nil federation list go out as [] (Quay's schema wants an array, not null).
func nonNil(config []RobotFederation) []RobotFederation {
	if config == nil {
		return []RobotFederation{}
	}
	return config
}

// ListUser returns the caller's robots, with their tokens unless opts says otherwise.
//
// Quay operation: getUserRobots (GET /api/v1/user/robots)
func (s *RobotsService) ListUser(ctx context.Context, opts *RobotListOptions) ([]Robot, *Response, error) {
	return s.list(ctx, "user/robots", opts)
}

// ListOrg returns an organization's robots.
//
// Any member may list them; tokens (unless opts excludes them) go only to
// administrators and to superusers with FEATURE_SUPERUSERS_FULL_ACCESS.
//
// Quay operation: getOrgRobots (GET /api/v1/organization/{orgname}/robots)
func (s *RobotsService) ListOrg(ctx context.Context, orgname string, opts *RobotListOptions) ([]Robot, *Response, error) {
	path, err := pathf("organization/%s/robots", orgname)
	if err != nil {
		return nil, nil, err
	}
	return s.list(ctx, path, opts)
}

// GetUser returns one of the caller's robots with its token and metadata.
//
// Quay answers 400 ("Could not find robot with specified username"), not
// 404, for a robot that does not exist.
//
// Quay operation: getUserRobot (GET /api/v1/user/robots/{robot_shortname})
func (s *RobotsService) GetUser(ctx context.Context, shortname string) (Robot, *Response, error) {
	path, err := pathf("user/robots/%s", shortname)
	if err != nil {
		return Robot{}, nil, err
	}
	return s.robot(ctx, http.MethodGet, path, nil)
}

// GetOrg returns one of an organization's robots with its metadata.
//
// The token is left out for a global read-only superuser. Quay answers 400,
// not 404, for a robot that does not exist.
//
// Quay operation: getOrgRobot (GET /api/v1/organization/{orgname}/robots/{robot_shortname})
func (s *RobotsService) GetOrg(ctx context.Context, orgname, shortname string) (Robot, *Response, error) {
	path, err := pathf("organization/%s/robots/%s", orgname, shortname)
	if err != nil {
		return Robot{}, nil, err
	}
	return s.robot(ctx, http.MethodGet, path, nil)
}

// CreateUser creates a robot in the caller's namespace and returns it with its token.
//
// Quay answers 201; a robot of that name that exists already answers 400.
//
// Quay operation: createUserRobot (PUT /api/v1/user/robots/{robot_shortname})
func (s *RobotsService) CreateUser(ctx context.Context, shortname string, body CreateRobotRequest) (Robot, *Response, error) {
	path, err := pathf("user/robots/%s", shortname)
	if err != nil {
		return Robot{}, nil, err
	}
	return s.robot(ctx, http.MethodPut, path, body)
}

// CreateOrg creates a robot in an organization and returns it with its token.
//
// Quay answers 201; a robot of that name that exists already answers 400.
//
// Quay operation: createOrgRobot (PUT /api/v1/organization/{orgname}/robots/{robot_shortname})
func (s *RobotsService) CreateOrg(ctx context.Context, orgname, shortname string, body CreateRobotRequest) (Robot, *Response, error) {
	path, err := pathf("organization/%s/robots/%s", orgname, shortname)
	if err != nil {
		return Robot{}, nil, err
	}
	return s.robot(ctx, http.MethodPut, path, body)
}

// DeleteUser deletes one of the caller's robots.
//
// Quay answers 400 for a robot that a repository mirror uses.
//
// Quay operation: deleteUserRobot (DELETE /api/v1/user/robots/{robot_shortname})
func (s *RobotsService) DeleteUser(ctx context.Context, shortname string) (*Response, error) {
	path, err := pathf("user/robots/%s", shortname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// DeleteOrg deletes one of an organization's robots.
//
// Quay answers 400 for a robot that a repository mirror uses.
//
// Quay operation: deleteOrgRobot (DELETE /api/v1/organization/{orgname}/robots/{robot_shortname})
func (s *RobotsService) DeleteOrg(ctx context.Context, orgname, shortname string) (*Response, error) {
	path, err := pathf("organization/%s/robots/%s", orgname, shortname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListUserPermissions returns the repository permissions one of the caller's robots has.
//
// Quay operation: getUserRobotPermissions (GET /api/v1/user/robots/{robot_shortname}/permissions)
func (s *RobotsService) ListUserPermissions(ctx context.Context, shortname string) ([]RepositoryPermission, *Response, error) {
	path, err := pathf("user/robots/%s/permissions", shortname)
	if err != nil {
		return nil, nil, err
	}
	return s.permissions(ctx, path)
}

// ListOrgPermissions returns the repository permissions one of an organization's robots has.
//
// Quay operation: getOrgRobotPermissions (GET /api/v1/organization/{orgname}/robots/{robot_shortname}/permissions)
func (s *RobotsService) ListOrgPermissions(ctx context.Context, orgname, shortname string) ([]RepositoryPermission, *Response, error) {
	path, err := pathf("organization/%s/robots/%s/permissions", orgname, shortname)
	if err != nil {
		return nil, nil, err
	}
	return s.permissions(ctx, path)
}

// RegenerateUserToken gives one of the caller's robots a new token and returns the robot with it.
//
// Quay's answer leaves the metadata out.
//
// Quay operation: regenerateUserRobotToken (POST /api/v1/user/robots/{robot_shortname}/regenerate)
func (s *RobotsService) RegenerateUserToken(ctx context.Context, shortname string) (Robot, *Response, error) {
	path, err := pathf("user/robots/%s/regenerate", shortname)
	if err != nil {
		return Robot{}, nil, err
	}
	return s.robot(ctx, http.MethodPost, path, nil)
}

// RegenerateOrgToken gives one of an organization's robots a new token and returns the robot with it.
//
// Quay's answer leaves the metadata out.
//
// Quay operation: regenerateOrgRobotToken (POST /api/v1/organization/{orgname}/robots/{robot_shortname}/regenerate)
func (s *RobotsService) RegenerateOrgToken(ctx context.Context, orgname, shortname string) (Robot, *Response, error) {
	path, err := pathf("organization/%s/robots/%s/regenerate", orgname, shortname)
	if err != nil {
		return Robot{}, nil, err
	}
	return s.robot(ctx, http.MethodPost, path, nil)
}

// GetUserFederation returns the federation configuration of one of the caller's robots; empty when it has none.
//
// Quay operation: getUserRobotFederation (GET /api/v1/user/robots/{robot_shortname}/federation)
func (s *RobotsService) GetUserFederation(ctx context.Context, shortname string) ([]RobotFederation, *Response, error) {
	path, err := pathf("user/robots/%s/federation", shortname)
	if err != nil {
		return nil, nil, err
	}
	return s.federation(ctx, http.MethodGet, path, nil)
}

// GetOrgFederation returns the federation configuration of one of an organization's robots; empty when it has none.
//
// Quay operation: getOrgRobotFederation (GET /api/v1/organization/{orgname}/robots/{robot_shortname}/federation)
func (s *RobotsService) GetOrgFederation(ctx context.Context, orgname, shortname string) ([]RobotFederation, *Response, error) {
	path, err := pathf("organization/%s/robots/%s/federation", orgname, shortname)
	if err != nil {
		return nil, nil, err
	}
	return s.federation(ctx, http.MethodGet, path, nil)
}

// SetUserFederation replaces the federation configuration of one of the caller's robots and returns it.
//
// Quay's "create" replaces the whole list; a nil or empty config clears it.
// Quay answers 400 for an entry without issuer or subject, an issuer that
// is not an http(s) URL, and a repeated entry.
//
// Quay operation: createUserRobotFederation (POST /api/v1/user/robots/{robot_shortname}/federation)
func (s *RobotsService) SetUserFederation(ctx context.Context, shortname string, config []RobotFederation) ([]RobotFederation, *Response, error) {
	path, err := pathf("user/robots/%s/federation", shortname)
	if err != nil {
		return nil, nil, err
	}
	return s.federation(ctx, http.MethodPost, path, nonNil(config))
}

// SetOrgFederation replaces the federation configuration of one of an organization's robots and returns it.
//
// Quay's "create" replaces the whole list; a nil or empty config clears it.
// Quay answers 400 for an entry without issuer or subject, an issuer that
// is not an http(s) URL, and a repeated entry.
//
// Quay operation: createOrgRobotFederation (POST /api/v1/organization/{orgname}/robots/{robot_shortname}/federation)
func (s *RobotsService) SetOrgFederation(ctx context.Context, orgname, shortname string, config []RobotFederation) ([]RobotFederation, *Response, error) {
	path, err := pathf("organization/%s/robots/%s/federation", orgname, shortname)
	if err != nil {
		return nil, nil, err
	}
	return s.federation(ctx, http.MethodPost, path, nonNil(config))
}

// DeleteUserFederation clears the federation configuration of one of the caller's robots.
//
// Quay answers 204 also when there was none.
//
// Quay operation: deleteUserRobotFederation (DELETE /api/v1/user/robots/{robot_shortname}/federation)
func (s *RobotsService) DeleteUserFederation(ctx context.Context, shortname string) (*Response, error) {
	path, err := pathf("user/robots/%s/federation", shortname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// DeleteOrgFederation clears the federation configuration of one of an organization's robots.
//
// Quay answers 204 also when there was none.
//
// Quay operation: deleteOrgRobotFederation (DELETE /api/v1/organization/{orgname}/robots/{robot_shortname}/federation)
func (s *RobotsService) DeleteOrgFederation(ctx context.Context, orgname, shortname string) (*Response, error) {
	path, err := pathf("organization/%s/robots/%s/federation", orgname, shortname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}
