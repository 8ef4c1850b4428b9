package quay

import (
	"context"
	"net/http"
)

// UsersService reads user accounts (the caller's own and others') and
// creates the first user of an empty registry. Package superuser manages
// accounts.
type UsersService service

// User is Quay's view of a user account. Anyone sees Username and Avatar;
// the rest is set only for the caller's own account (IsMe), and SuperUser
// only for a superuser caller.
type User struct {
	Anonymous bool   `json:"anonymous"` // always false
	Username  string `json:"username"`
	Avatar    Avatar `json:"avatar"`

	// The caller's own account only.
	IsMe                bool             `json:"is_me,omitempty"`
	CanCreateRepo       bool             `json:"can_create_repo,omitempty"`
	Verified            bool             `json:"verified,omitempty"`
	Email               string           `json:"email,omitempty"`
	Logins              []FederatedLogin `json:"logins,omitempty"`
	InvoiceEmail        bool             `json:"invoice_email,omitempty"`
	InvoiceEmailAddress string           `json:"invoice_email_address,omitempty"` // null reads as ""
	// PreferredNamespace is true for a paying account.
	PreferredNamespace   bool  `json:"preferred_namespace,omitempty"`
	TagExpirationSeconds int64 `json:"tag_expiration_s,omitempty"`
	// Prompts are the things the user still has to do in the web UI, such
	// as "confirm_username".
	Prompts []string `json:"prompts,omitempty"`
	// Company, FamilyName, GivenName and Location are the profile's; null reads as "".
	Company        string `json:"company,omitempty"`
	FamilyName     string `json:"family_name,omitempty"`
	GivenName      string `json:"given_name,omitempty"`
	Location       string `json:"location,omitempty"`
	IsFreeAccount  bool   `json:"is_free_account,omitempty"`
	HasPasswordSet bool   `json:"has_password_set,omitempty"`
	// Quotas and QuotaReport are present only when the registry runs with
	// FEATURE_QUOTA_MANAGEMENT and FEATURE_EDIT_QUOTA.
	Quotas      []QuotaSummary `json:"quotas,omitempty"`
	QuotaReport *QuotaReport   `json:"quota_report,omitempty"`

	// Organizations are the organizations the user is in (own account only).
	Organizations []UserOrganization `json:"organizations,omitempty"`

	// SuperUser is true when the account is the caller's and a superuser.
	// Quay sends it only to superusers (false for any other account).
	SuperUser bool `json:"super_user,omitempty"`
	// GlobalReadonlySuperUser is true when the account is the caller's and
	// a global read-only superuser.
	GlobalReadonlySuperUser bool `json:"global_readonly_super_user,omitempty"`
}

// UserOrganization is an organization as a user's view lists it.
type UserOrganization struct {
	Name string `json:"name"`
	// Avatar's Kind is "org" here.
	Avatar        Avatar `json:"avatar"`
	CanCreateRepo bool   `json:"can_create_repo"` // for the caller
	// Public tells the organization is one of the registry's PUBLIC_NAMESPACES.
	Public bool `json:"public"`
	// IsOrgAdmin and PreferredNamespace are set for the caller's own account only.
	IsOrgAdmin         bool `json:"is_org_admin,omitempty"`
	PreferredNamespace bool `json:"preferred_namespace,omitempty"`
}

// FederatedLogin is an outside identity (GitHub, Google, OIDC ...) linked to
// the account.
type FederatedLogin struct {
	Service           string         `json:"service"`
	ServiceIdentifier string         `json:"service_identifier"`
	Metadata          map[string]any `json:"metadata"`
}

// InitializeUserRequest is the body of Initialize.
type InitializeUserRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Email is required while the registry runs with FEATURE_MAILING.
	Email string `json:"email,omitempty"`
	// AccessToken asks Quay for an OAuth token with every scope, super:user
	// included, for the new user (returned in InitializedUser.AccessToken).
	AccessToken bool `json:"access_token,omitempty"`
}

// InitializedUser is Quay's answer to Initialize.
type InitializedUser struct {
	Username string `json:"username"`
	// Email echoes the request; nil when none was given.
	Email *string `json:"email"`
	// EncryptedPassword is a credential the user can use in place of the password.
	EncryptedPassword string `json:"encrypted_password"`
	// AccessToken is the new user's OAuth token (40 characters), when the
	// request asked for one. Pass it to WithToken for the next calls.
	AccessToken string `json:"access_token,omitempty"`
}

// Current returns the account the client's token belongs to.
//
// Quay answers 401 for a token without the user:read scope.
//
// Quay operation: getLoggedInUser (GET /api/v1/user/)
func (s *UsersService) Current(ctx context.Context) (User, *Response, error) {
	var u User
	resp, err := s.client.call(ctx, http.MethodGet, "user/", nil, &u)
	return u, resp, err
}

// Get returns the user account named username, with what the caller may see of it.
//
// Quay answers 404 for an organization, a robot and an unknown name; the
// answer then has Flask's {"message": ...} body, not an ApiError.
//
// Quay operation: getUserInformation (GET /api/v1/users/{username})
func (s *UsersService) Get(ctx context.Context, username string) (User, *Response, error) {
	path, err := pathf("users/%s", username)
	if err != nil {
		return User{}, nil, err
	}
	var u User
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &u)
	return u, resp, err
}

// Initialize creates the first user of a registry whose database has no user yet.
//
// It is how operators bootstrap a new Quay: the call needs no token (a
// client built without WithToken will do) and, with body.AccessToken, hands
// back one for the new user, a superuser if the registry's SUPER_USERS
// names it. Quay answers 400 with a {"message": ...} body when the database
// is not empty, when the registry does not use database authentication,
// and for a bad username, password or e-mail. The route exists only with
// FEATURE_USER_INITIALIZE (404 otherwise). Quay also starts a web session
// (Set-Cookie), which the client ignores.
//
// Quay operation: (none) (POST /api/v1/user/initialize)
func (s *UsersService) Initialize(ctx context.Context, body InitializeUserRequest) (InitializedUser, *Response, error) {
	var u InitializedUser
	resp, err := s.client.call(ctx, http.MethodPost, "user/initialize", body, &u)
	return u, resp, err
}
