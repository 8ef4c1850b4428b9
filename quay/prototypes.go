package quay

import (
	"context"
	"encoding/json"
	"net/http"
)

// PrototypesService manages an organization's default permissions (Quay's
// "permission prototypes"): roles Quay grants on every repository created
// in the organization afterwards.
type PrototypesService service

// Prototype is a default permission: when ActivatingUser (or, when it is
// nil, anyone) creates a repository in the organization, Delegate gets Role
// on it.
type Prototype struct {
	// ID is the prototype's UUID, for Update and Delete.
	ID   string `json:"id"`
	Role string `json:"role"` // "read", "write" or "admin"
	// ActivatingUser is the user whose repository creations the rule
	// applies to; nil for every user.
	ActivatingUser *PrototypeEntity `json:"activating_user"`
	Delegate       PrototypeEntity  `json:"delegate"`
}

// PrototypeEntity is the user, robot or team of a default permission.
type PrototypeEntity struct {
	Name string `json:"name"`
	// Kind is "user" (robots included) or "team".
	Kind    string `json:"kind"`
	IsRobot bool   `json:"is_robot,omitempty"`
	// IsOrgMember tells whether a user is in one of the organization's
	// teams; always true for robots. Quay leaves it out (false here) for
	// a team.
	IsOrgMember bool   `json:"is_org_member,omitempty"`
	Avatar      Avatar `json:"avatar"`
}

// PrototypeDelegate names who a new default permission grants the role to.
type PrototypeDelegate struct {
	Kind string `json:"kind"` // "user" (for users and robots) or "team"
	Name string `json:"name"`
}

// CreatePrototypeRequest is the body of Create.
type CreatePrototypeRequest struct {
	Role string // RoleRead, RoleWrite or RoleAdmin
	// ActivatingUser limits the rule to repositories this user creates;
	// empty applies it to everyone's.
	ActivatingUser string
	Delegate       PrototypeDelegate
}

// MarshalJSON writes the request as Quay reads it, with the activating
// user as an object ({"name": ...}) and left out when empty.
func (r CreatePrototypeRequest) MarshalJSON() ([]byte, error) {
	type name struct {
		Name string `json:"name"`
	}
	wire := struct {
		Role           string            `json:"role"`
		ActivatingUser *name             `json:"activating_user,omitempty"`
		Delegate       PrototypeDelegate `json:"delegate"`
	}{Role: r.Role, Delegate: r.Delegate}
	if r.ActivatingUser != "" {
		wire.ActivatingUser = &name{r.ActivatingUser}
	}
	return json.Marshal(wire)
}

// UpdatePrototypeRequest is the body of Update.
type UpdatePrototypeRequest struct {
	Role string `json:"role"` // RoleRead, RoleWrite or RoleAdmin
}

// List returns an organization's default permissions.
//
// Quay operation: getOrganizationPrototypePermissions (GET /api/v1/organization/{orgname}/prototypes)
func (s *PrototypesService) List(ctx context.Context, orgname string) ([]Prototype, *Response, error) {
	path, err := pathf("organization/%s/prototypes", orgname)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Prototypes []Prototype `json:"prototypes"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Prototypes, resp, err
}

// Create adds a default permission to an organization.
//
// Quay answers 200 (not 201) with the new prototype, and 400 for an
// unknown activating user or delegate. For an unknown team the 400's
// message is a Python tuple's text: "('Team does not exist: %s/%s',
// 'acme', 'web')".
//
// Quay operation: createOrganizationPrototypePermission (POST /api/v1/organization/{orgname}/prototypes)
func (s *PrototypesService) Create(ctx context.Context, orgname string, body CreatePrototypeRequest) (Prototype, *Response, error) {
	path, err := pathf("organization/%s/prototypes", orgname)
	if err != nil {
		return Prototype{}, nil, err
	}
	var p Prototype
	resp, err := s.client.call(ctx, http.MethodPost, path, body, &p)
	return p, resp, err
}

// Update changes the role of a default permission.
//
// Quay answers 404 for an unknown prototype ID.
//
// Quay operation: updateOrganizationPrototypePermission (PUT /api/v1/organization/{orgname}/prototypes/{prototypeid})
func (s *PrototypesService) Update(ctx context.Context, orgname, prototypeid string, body UpdatePrototypeRequest) (Prototype, *Response, error) {
	path, err := pathf("organization/%s/prototypes/%s", orgname, prototypeid)
	if err != nil {
		return Prototype{}, nil, err
	}
	var p Prototype
	resp, err := s.client.call(ctx, http.MethodPut, path, body, &p)
	return p, resp, err
}

// Delete removes a default permission; repositories created before keep the permissions it granted.
//
// Quay operation: deleteOrganizationPrototypePermission (DELETE /api/v1/organization/{orgname}/prototypes/{prototypeid})
func (s *PrototypesService) Delete(ctx context.Context, orgname, prototypeid string) (*Response, error) {
	path, err := pathf("organization/%s/prototypes/%s", orgname, prototypeid)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}
