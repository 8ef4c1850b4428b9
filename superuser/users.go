package superuser

import (
	"context"
	"iter"
	"net/http"
	"strconv"

	"github.com/quaykit/go-quay/quay"
)

// UsersService manages the registry's user accounts.
type UsersService service

// User is Quay's superuser view of a user account (reference §1.9).
type User struct {
	Kind     string `json:"kind"` // always "user"
	Name     string `json:"name"` // same as Username
	Username string `json:"username"`
	// Email is the stored address. With FEATURE_MAILING off and no address
	// given at creation, Quay stores a random UUID here.
	Email                   string `json:"email"`
	Verified                bool   `json:"verified"`
	Avatar                  Avatar `json:"avatar"`
	SuperUser               bool   `json:"super_user"`
	GlobalReadonlySuperUser bool   `json:"global_readonly_super_user"`
	Enabled                 bool   `json:"enabled"`

	// Quotas and QuotaReport are present only when the registry runs with
	// FEATURE_QUOTA_MANAGEMENT (and FEATURE_EDIT_QUOTA): then Quotas is
	// non-nil (empty without a quota) and QuotaReport is set.
	Quotas      []QuotaSummary `json:"quotas,omitempty"`
	QuotaReport *QuotaReport   `json:"quota_report,omitempty"`

	// EncryptedPassword is set only in the answer of Update when it
	// changed the password: a credential the user can use in its place.
	EncryptedPassword string `json:"encrypted_password,omitempty"`
}

// UserListOptions selects the users List returns.
type UserListOptions struct {
	// Limit is the page size, 1 to 100. Zero sends no limit: Quay then
	// returns every user in one answer, with no next page. All uses 100.
	Limit int
	// NextPage is the token of the page to fetch (a previous answer's
	// Response.NextPage); empty for the first page.
	NextPage string
	// Disabled: nil or true lists disabled users too (Quay's default);
	// false lists only enabled users.
	Disabled *bool
}

// CreateUserRequest is the body of Create.
type CreateUserRequest struct {
	Username string `json:"username"`
	// Email is required while the registry runs with FEATURE_MAILING
	// (Quay's default) and optional otherwise.
	Email string `json:"email,omitempty"`
}

// CreatedUser is Quay's answer to Create: the new account and the password
// Quay generated for it.
type CreatedUser struct {
	Username string `json:"username"`
	// Email echoes the request; nil when none was given.
	Email *string `json:"email"`
	// Password is the 32-character temporary password ([A-Z0-9]) Quay generated.
	Password string `json:"password"`
	// EncryptedPassword is a credential the user can use in place of Password.
	EncryptedPassword string `json:"encrypted_password"`
}

// UpdateUserRequest is the body of Update. Zero fields are left out of the
// request and leave the account unchanged.
type UpdateUserRequest struct {
	// Password sets a new password (at least 8 characters, no whitespace).
	// Only with database authentication; it signs the user out everywhere.
	Password string `json:"password,omitempty"`
	// Email sets a new address and marks it verified. Quay does not check its format.
	Email string `json:"email,omitempty"`
	// Enabled enables (true) or disables (false) the account.
	Enabled *bool `json:"enabled,omitempty"`
	// Superuser adds the user to (true) or removes it from (false)
	// SUPER_USERS in Quay's config file. Quay does not document it, and it
	// takes effect only after Quay restarts.
	Superuser *bool `json:"superuser,omitempty"`
}

// userPage is the body of listAllUsers.
type userPage struct {
	Users    []User `json:"users"`
	NextPage string `json:"next_page"`
}

// List returns one page of the registry's users, or all of them when opts.Limit is zero.
//
// Users being deleted are never listed. Response.NextPage holds the token of
// the next page (empty on the last one).
//
// Quay operation: listAllUsers (GET /api/v1/superuser/users/)
func (s *UsersService) List(ctx context.Context, opts *UserListOptions) ([]User, *quay.Response, error) {
	var o UserListOptions
	if opts != nil {
		o = *opts
	}
	q, err := pageQuery(o.Limit, o.NextPage)
	if err != nil {
		return nil, nil, err
	}
	if o.Disabled != nil {
		q.Set("disabled", strconv.FormatBool(*o.Disabled))
	}
	var page userPage
	resp, err := send(ctx, s.client, http.MethodGet, withQuery("superuser/users/", q), nil, &page)
	if err != nil {
		return nil, resp, err
	}
	resp.NextPage = page.NextPage
	return page.Users, resp, nil
}

// All iterates over every user, fetching pages of opts.Limit (100 when zero) users.
//
// opts is copied, never changed. The walk stops at the first error, a
// *quay.PageError whose NextPage resumes it.
//
// Quay operation: listAllUsers (GET /api/v1/superuser/users/)
func (s *UsersService) All(ctx context.Context, opts *UserListOptions) iter.Seq2[User, error] {
	var o UserListOptions
	if opts != nil {
		o = *opts
	}
	if o.Disabled != nil {
		o.Disabled = new(*o.Disabled)
	}
	if o.Limit == 0 {
		o.Limit = quay.MaxLimit
	}
	return quay.All(ctx, o.NextPage, func(ctx context.Context, token string) ([]User, *quay.Response, error) {
		page := o
		page.NextPage = token
		return s.List(ctx, &page)
	})
}

// Get returns the user account named username, disabled or not.
//
// Quay answers 404 for an unknown name, an organization or a robot.
//
// Quay operation: getInstallUser (GET /api/v1/superuser/users/{username})
func (s *UsersService) Get(ctx context.Context, username string) (User, *quay.Response, error) {
	path, err := pathf("superuser/users/%s", username)
	if err != nil {
		return User{}, nil, err
	}
	var u User
	resp, err := send(ctx, s.client, http.MethodGet, path, nil, &u)
	return u, resp, err
}

// Create creates a user account with a password Quay generates.
//
// Quay answers 200 (not 201) with the generated 32-character password. With
// FEATURE_MAILING on (Quay's default) body.Email is required, the account
// starts unverified and Quay mails a confirmation; if sending that mail
// fails Quay answers 400 although the account exists. With FEATURE_MAILING
// off the account starts verified. Only registries using database
// authentication can create users.
//
// Quay operation: createInstallUser (POST /api/v1/superuser/users/)
func (s *UsersService) Create(ctx context.Context, body CreateUserRequest) (CreatedUser, *quay.Response, error) {
	var u CreatedUser
	resp, err := send(ctx, s.client, http.MethodPost, "superuser/users/", body, &u)
	return u, resp, err
}

// Update changes a user account's password, e-mail, enabled state or superuser flag.
//
// Quay answers with the account as it was BEFORE the update: Enabled and
// Verified show the old values; only Email (when changed) and
// EncryptedPassword (when the password changed) reflect the request. Call
// Get for the new state. Changes are applied one by one (password, e-mail,
// enabled, superuser) without a transaction, so an error part-way leaves
// the earlier ones in place. Superusers cannot be updated.
//
// Quay operation: changeInstallUser (PUT /api/v1/superuser/users/{username})
func (s *UsersService) Update(ctx context.Context, username string, body UpdateUserRequest) (User, *quay.Response, error) {
	path, err := pathf("superuser/users/%s", username)
	if err != nil {
		return User{}, nil, err
	}
	var u User
	resp, err := send(ctx, s.client, http.MethodPut, path, body, &u)
	return u, resp, err
}

// Delete deletes a user account.
//
// Quay answers 204 (its docs page says 201), renames the account to a
// random UUID at once and purges it in the background, so the name stays
// taken until then. Deleting an already disabled user does nothing but
// still answers 204. Superusers cannot be deleted.
//
// Quay operation: deleteInstallUser (DELETE /api/v1/superuser/users/{username})
func (s *UsersService) Delete(ctx context.Context, username string) (*quay.Response, error) {
	path, err := pathf("superuser/users/%s", username)
	if err != nil {
		return nil, err
	}
	return send(ctx, s.client, http.MethodDelete, path, nil, nil)
}

// SendRecoveryEmail mails a password-reset link to a user and returns the address it went to.
//
// The route exists only with FEATURE_MAILING and database authentication,
// and its path starts with /superusers/ (plural), unlike every other one.
//
// Quay operation: sendInstallUserRecoveryEmail (POST /api/v1/superusers/users/{username}/sendrecovery)
func (s *UsersService) SendRecoveryEmail(ctx context.Context, username string) (string, *quay.Response, error) {
	path, err := pathf("superusers/users/%s/sendrecovery", username)
	if err != nil {
		return "", nil, err
	}
	var out struct {
		Email string `json:"email"`
	}
	resp, err := send(ctx, s.client, http.MethodPost, path, nil, &out)
	return out.Email, resp, err
}

// TakeOwnership makes the calling superuser an administrator of namespace and returns its name.
//
// For an organization the caller joins its admin team. A user namespace is
// converted into an organization: its password is cleared and an "owners"
// team is created with the caller in it. This cannot be undone.
//
// Quay operation: takeOwnership (POST /api/v1/superuser/takeownership/{namespace})
func (s *UsersService) TakeOwnership(ctx context.Context, namespace string) (string, *quay.Response, error) {
	path, err := pathf("superuser/takeownership/%s", namespace)
	if err != nil {
		return "", nil, err
	}
	var out struct {
		Namespace string `json:"namespace"`
	}
	resp, err := send(ctx, s.client, http.MethodPost, path, nil, &out)
	return out.Namespace, resp, err
}
