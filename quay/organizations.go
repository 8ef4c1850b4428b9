package quay

import (
	"context"
	"net/http"
)

// OrganizationsService manages organizations and their members.
type OrganizationsService service

// Organization is Quay's view of an organization. What it holds depends on
// the caller: anyone sees Name, Avatar, IsAdmin and IsMember (false and
// false for outsiders, with Email ""); members also see Teams and, with
// quota management, Quotas and QuotaReport; administrators also see Email
// and the invoice and tag-expiration settings. Superusers (with
// FEATURE_SUPERUSERS_FULL_ACCESS) and global read-only superusers see it as
// an administrator does.
type Organization struct {
	Name string `json:"name"`
	// Email is the contact address, "" unless the caller administers the
	// organization, and "" when the stored address is not a valid one
	// (Quay stores a random UUID when none was given).
	Email    string `json:"email"`
	Avatar   Avatar `json:"avatar"`
	IsAdmin  bool   `json:"is_admin"`
	IsMember bool   `json:"is_member"`

	// Teams, by name, and OrderedTeams, their names in creation order:
	// members only.
	Teams        map[string]Team `json:"teams,omitempty"`
	OrderedTeams []string        `json:"ordered_teams,omitempty"`

	// Administrators only.
	InvoiceEmail         bool   `json:"invoice_email,omitempty"`
	InvoiceEmailAddress  string `json:"invoice_email_address,omitempty"` // null reads as ""
	TagExpirationSeconds int64  `json:"tag_expiration_s,omitempty"`
	IsFreeAccount        bool   `json:"is_free_account,omitempty"`

	// Members only, and only when the registry runs with
	// FEATURE_QUOTA_MANAGEMENT and FEATURE_EDIT_QUOTA.
	Quotas      []QuotaSummary `json:"quotas,omitempty"`
	QuotaReport *QuotaReport   `json:"quota_report,omitempty"`
}

// Team is Quay's view of a team, in an Organization's Teams and as
// Teams.Update answers.
type Team struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Role        string `json:"role"` // "member", "creator" or "admin"
	Avatar      Avatar `json:"avatar"`
	// CanView tells whether the caller may list the team's members.
	CanView bool `json:"can_view"`

	// In an Organization's Teams only.
	RepoCount   int  `json:"repo_count,omitempty"`
	MemberCount int  `json:"member_count,omitempty"`
	IsSynced    bool `json:"is_synced,omitempty"`

	// NewTeam, in Teams.Update's answer only, tells whether the call created the team.
	NewTeam bool `json:"new_team,omitempty"`
}

// OrganizationMember is a member of an organization with the teams it is in
// and the repositories it holds a direct permission on.
type OrganizationMember struct {
	Name   string        `json:"name"`
	Kind   string        `json:"kind"` // "user", or "robot" (GetMember only)
	Avatar Avatar        `json:"avatar"`
	Teams  []TeamSummary `json:"teams"`
	// Repositories are the names of the organization's repositories on
	// which the member has a permission of its own (not through a team).
	Repositories []string `json:"repositories"`
}

// Collaborator is a user outside every team of an organization who has a
// direct permission on some of its repositories.
type Collaborator struct {
	Kind         string   `json:"kind"` // always "user"
	Name         string   `json:"name"`
	Avatar       Avatar   `json:"avatar"`
	Repositories []string `json:"repositories"`
}

// CreateOrganizationRequest is the body of Create.
type CreateOrganizationRequest struct {
	Name string `json:"name"`
	// Email is the optional contact address. Quay refuses (400) an invalid
	// address and one a user account already has, unless the registry runs
	// with FEATURE_ORG_SHARED_EMAIL; organizations may share one.
	Email string `json:"email,omitempty"`
}

// UpdateOrganizationRequest is the body of Update. Nil fields are left out
// and leave the setting alone.
type UpdateOrganizationRequest struct {
	// Email sets the contact address; "" removes it.
	Email *string `json:"email,omitempty"`
	// InvoiceEmail turns invoice e-mails on or off.
	InvoiceEmail *bool `json:"invoice_email,omitempty"`
	// InvoiceEmailAddress sets where invoices go.
	InvoiceEmailAddress *string `json:"invoice_email_address,omitempty"`
	// TagExpirationSeconds sets how long deleted tags stay restorable
	// (Quay's "time machine"); Quay refuses (400) a value that is not one of
	// the registry's TAG_EXPIRATION_OPTIONS, and ignores it without
	// FEATURE_CHANGE_TAG_EXPIRATION.
	TagExpirationSeconds *int64 `json:"tag_expiration_s,omitempty"`
}

// Create creates an organization with the caller as its first administrator.
//
// Quay answers 201 with the JSON string "Created" and no view of the new
// organization; call Get for it. A name taken by any user or organization
// answers 400.
//
// Quay operation: createOrganization (POST /api/v1/organization/)
func (s *OrganizationsService) Create(ctx context.Context, body CreateOrganizationRequest) (*Response, error) {
	return s.client.call(ctx, http.MethodPost, "organization/", body, nil)
}

// Get returns the organization named orgname, as much of it as the caller may see.
//
// Quay operation: getOrganization (GET /api/v1/organization/{orgname})
func (s *OrganizationsService) Get(ctx context.Context, orgname string) (Organization, *Response, error) {
	path, err := pathf("organization/%s", orgname)
	if err != nil {
		return Organization{}, nil, err
	}
	var o Organization
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &o)
	return o, resp, err
}

// Update changes an organization's contact address, invoice settings or tag expiration.
//
// Quay answers with the organization as it is after the change.
//
// Quay operation: changeOrganizationDetails (PUT /api/v1/organization/{orgname})
func (s *OrganizationsService) Update(ctx context.Context, orgname string, body UpdateOrganizationRequest) (Organization, *Response, error) {
	path, err := pathf("organization/%s", orgname)
	if err != nil {
		return Organization{}, nil, err
	}
	var o Organization
	resp, err := s.client.call(ctx, http.MethodPut, path, body, &o)
	return o, resp, err
}

// Delete deletes an organization with its repositories, robots and teams.
//
// Quay answers 204 and marks the organization for deletion; a background
// worker purges it. Quay also deletes the OAuth applications the
// organization owns, and with them every token they issued.
//
// Quay operation: deleteAdminedOrganization (DELETE /api/v1/organization/{orgname})
func (s *OrganizationsService) Delete(ctx context.Context, orgname string) (*Response, error) {
	path, err := pathf("organization/%s", orgname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListMembers returns the human members of an organization: the users in any of its teams.
//
// Robots are left out. Invited users who have not accepted are not members.
//
// Quay operation: getOrganizationMembers (GET /api/v1/organization/{orgname}/members)
func (s *OrganizationsService) ListMembers(ctx context.Context, orgname string) ([]OrganizationMember, *Response, error) {
	path, err := pathf("organization/%s/members", orgname)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Members []OrganizationMember `json:"members"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Members, resp, err
}

// GetMember returns one member of an organization, a user in one of its teams or one of its robots.
//
// Quay answers 404 for a user in none of its teams and for another
// namespace's robot.
//
// Quay operation: getOrganizationMember (GET /api/v1/organization/{orgname}/members/{membername})
func (s *OrganizationsService) GetMember(ctx context.Context, orgname, membername string) (OrganizationMember, *Response, error) {
	path, err := pathf("organization/%s/members/%s", orgname, membername)
	if err != nil {
		return OrganizationMember{}, nil, err
	}
	var m OrganizationMember
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &m)
	return m, resp, err
}

// RemoveMember removes a user from every team of an organization and takes away its permissions on the organization's repositories.
//
// Quay answers 204 also when the user was no member; robots cannot be
// removed this way (404).
//
// Quay operation: removeOrganizationMember (DELETE /api/v1/organization/{orgname}/members/{membername})
func (s *OrganizationsService) RemoveMember(ctx context.Context, orgname, membername string) (*Response, error) {
	path, err := pathf("organization/%s/members/%s", orgname, membername)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListCollaborators returns the users outside the organization's teams who have a permission on one of its repositories.
//
// Quay operation: getOrganizationCollaborators (GET /api/v1/organization/{orgname}/collaborators)
func (s *OrganizationsService) ListCollaborators(ctx context.Context, orgname string) ([]Collaborator, *Response, error) {
	path, err := pathf("organization/%s/collaborators", orgname)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Collaborators []Collaborator `json:"collaborators"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Collaborators, resp, err
}
