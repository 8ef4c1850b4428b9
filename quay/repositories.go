package quay

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// RepositoriesService manages repositories: creation, listing, description,
// visibility, state and deletion.
type RepositoriesService service

// Repository visibilities, for CreateRepositoryRequest and ChangeVisibility.
const (
	VisibilityPublic  = "public"
	VisibilityPrivate = "private"
)

// Repository states, for ChangeState and the State of a repository.
const (
	// RepositoryStateNormal accepts pushes from anyone with write permission.
	RepositoryStateNormal = "NORMAL"
	// RepositoryStateReadOnly refuses every push.
	RepositoryStateReadOnly = "READ_ONLY"
	// RepositoryStateMirror accepts pushes only from the repository's mirror robot.
	RepositoryStateMirror = "MIRROR"
)

// Repository is Quay's view of one repository (Get).
type Repository struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Kind      string `json:"kind"` // "image"
	// Description is Markdown; a repository created without one reads "".
	Description    string `json:"description"`
	IsPublic       bool   `json:"is_public"`
	IsOrganization bool   `json:"is_organization"` // the namespace is an organization
	IsStarred      bool   `json:"is_starred"`      // by the caller
	// StatusToken is the token of the repository's status badge URL; "" for
	// a public repository, whose badge needs none.
	StatusToken  string `json:"status_token"`
	TrustEnabled bool   `json:"trust_enabled"`
	// TagExpirationSeconds is the namespace's time machine window.
	TagExpirationSeconds int64  `json:"tag_expiration_s"`
	IsFreeAccount        bool   `json:"is_free_account"`
	State                string `json:"state"` // a RepositoryState constant

	// Tags are the live tags by name, at most 500; absent when
	// RepositoryGetOptions.ExcludeTags is set.
	Tags map[string]RepositoryTag `json:"tags,omitempty"`

	// CanWrite and CanAdmin are the caller's rights. Quay grants superusers
	// with FEATURE_SUPERUSERS_FULL_ACCESS both (write only in state
	// NORMAL) and global read-only superusers CanAdmin; nobody can write to
	// a repository whose state is not NORMAL.
	CanWrite bool `json:"can_write"`
	CanAdmin bool `json:"can_admin"`

	// Stats are pull and push counts per day over the last three months,
	// with RepositoryGetOptions.IncludeStats only.
	Stats []RepositoryStat `json:"stats,omitempty"`
}

// RepositoryTag is a live tag as Get lists it.
type RepositoryTag struct {
	Name string `json:"name"`
	// Size is the sum of the manifest's layer sizes in bytes.
	Size         int64     `json:"size"`
	LastModified Timestamp `json:"last_modified"`
	// Expiration is when the tag expires; zero when it does not.
	Expiration     Timestamp `json:"expiration"`
	ManifestDigest string    `json:"manifest_digest,omitempty"`
}

// RepositoryStat counts a repository's actions on one day.
type RepositoryStat struct {
	Date  string `json:"date"` // "YYYY-MM-DD"
	Count int64  `json:"count"`
}

// RepositorySummary is a repository as List shows it.
type RepositorySummary struct {
	Namespace   string `json:"namespace"`
	Name        string `json:"name"`
	Description string `json:"description"` // null reads as ""
	IsPublic    bool   `json:"is_public"`
	Kind        string `json:"kind"`
	State       string `json:"state"`
	// LastModified is when the newest tag was pushed, in seconds since the
	// Unix epoch; nil without RepositoryListOptions.LastModified and for a
	// repository without tags.
	LastModified *int64 `json:"last_modified,omitempty"`
	// Popularity is the repository's action count over the last week (a
	// float, as Quay sends it); zero without RepositoryListOptions.Popularity.
	Popularity float64 `json:"popularity,omitempty"`
	IsStarred  bool    `json:"is_starred"`
	// QuotaReport is the repository's storage (QuotaBytes) and its
	// namespace's quota; present only when the registry runs with
	// FEATURE_QUOTA_MANAGEMENT and FEATURE_EDIT_QUOTA.
	QuotaReport *QuotaReport `json:"quota_report,omitempty"`
}

// RepositoryListOptions selects the repositories List returns. Quay needs at
// least one of Namespace, Starred and Public (it answers 400 otherwise).
type RepositoryListOptions struct {
	// Namespace lists the repositories of this user or organization that the caller can see.
	Namespace string
	// Starred lists the repositories the caller starred. Quay pages these
	// oddly (read from its source): the first page holds at most 99 and
	// never points at a next page.
	Starred bool
	// Public adds every public repository the caller can see.
	Public bool
	// LastModified and Popularity ask Quay to fill in those fields.
	LastModified bool
	Popularity   bool
	// RepoKind is the kind of repository to list; empty means Quay's
	// default, "image".
	RepoKind string
	// NextPage is the token of the page to fetch (a previous answer's
	// Response.NextPage); empty for the first page. Quay's pages hold 100
	// repositories and cannot be resized.
	NextPage string
}

// RepositoryGetOptions selects what Get includes.
type RepositoryGetOptions struct {
	// ExcludeTags leaves the tags out (Quay lists up to 500 by default).
	ExcludeTags bool
	// IncludeStats adds the daily action counts.
	IncludeStats bool
}

// CreateRepositoryRequest is the body of Create.
type CreateRepositoryRequest struct {
	// Namespace is the user or organization to create the repository in;
	// empty means the caller's own namespace.
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"repository"`
	// Visibility is VisibilityPublic or VisibilityPrivate.
	Visibility string `json:"visibility"`
	// Description is Markdown; Quay requires the key, so "" is sent as "".
	Description string `json:"description"`
	// RepoKind is the kind of repository; empty means "image", the only
	// kind Quay accepts.
	RepoKind string `json:"repo_kind,omitempty"`
}

// CreatedRepository is Quay's answer to Create.
type CreatedRepository struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
}

// UpdateRepositoryRequest is the body of Update.
type UpdateRepositoryRequest struct {
	// Description replaces the repository's Markdown description.
	Description string `json:"description"`
}

// ChangeVisibilityRequest is the body of ChangeVisibility.
type ChangeVisibilityRequest struct {
	Visibility string `json:"visibility"` // VisibilityPublic or VisibilityPrivate
}

// ChangeStateRequest is the body of ChangeState.
type ChangeStateRequest struct {
	State string `json:"state"` // a RepositoryState constant
}

// repositoryPage is the body of listRepos.
type repositoryPage struct {
	Repositories []RepositorySummary `json:"repositories"`
	NextPage     string              `json:"next_page"`
}

// Create creates a repository.
//
// Quay answers 201. The creating user gets admin permission on it, and in
// another namespace (an organization) the default permissions (Prototypes)
// that match the creator are applied. A repository that exists already
// answers 400.
//
// Quay operation: createRepo (POST /api/v1/repository)
func (s *RepositoriesService) Create(ctx context.Context, body CreateRepositoryRequest) (CreatedRepository, *Response, error) {
	var r CreatedRepository
	resp, err := s.client.call(ctx, http.MethodPost, "repository", body, &r)
	return r, resp, err
}

// List returns one page of the repositories opts selects.
//
// Response.NextPage holds the token of the next page (empty on the last
// one). A superuser (with FEATURE_SUPERUSERS_FULL_ACCESS) or a global
// read-only superuser sees every repository of the namespace.
//
// Quay operation: listRepos (GET /api/v1/repository)
func (s *RepositoriesService) List(ctx context.Context, opts *RepositoryListOptions) ([]RepositorySummary, *Response, error) {
	var o RepositoryListOptions
	if opts != nil {
		o = *opts
	}
	q := url.Values{}
	if o.Namespace != "" {
		q.Set("namespace", o.Namespace)
	}
	setFlag(q, "starred", o.Starred)
	setFlag(q, "public", o.Public)
	setFlag(q, "last_modified", o.LastModified)
	setFlag(q, "popularity", o.Popularity)
	if o.RepoKind != "" {
		q.Set("repo_kind", o.RepoKind)
	}
	if o.NextPage != "" {
		q.Set("next_page", o.NextPage)
	}
	var page repositoryPage
	resp, err := s.client.call(ctx, http.MethodGet, withQuery("repository", q), nil, &page)
	if err != nil {
		return nil, resp, err
	}
	resp.NextPage = page.NextPage
	return page.Repositories, resp, nil
}

// All iterates over every repository opts selects, page by page.
//
// opts is copied, never changed. The walk stops at the first error, a
// *PageError whose NextPage resumes it.
//
// Quay operation: listRepos (GET /api/v1/repository)
func (s *RepositoriesService) All(ctx context.Context, opts *RepositoryListOptions) iter.Seq2[RepositorySummary, error] {
	var o RepositoryListOptions
	if opts != nil {
		o = *opts
	}
	return All(ctx, o.NextPage, func(ctx context.Context, token string) ([]RepositorySummary, *Response, error) {
		page := o
		page.NextPage = token
		return s.List(ctx, &page)
	})
}

// Get returns the repository namespace/repository.
//
// Quay answers 403, not 404, to a caller who may not read the repository,
// whether it exists or not.
//
// Quay operation: getRepo (GET /api/v1/repository/{repository})
func (s *RepositoriesService) Get(ctx context.Context, namespace, repository string, opts *RepositoryGetOptions) (Repository, *Response, error) {
	path, err := repoPath(namespace, repository, "")
	if err != nil {
		return Repository{}, nil, err
	}
	q := url.Values{}
	if opts != nil {
		if opts.ExcludeTags {
			q.Set("includeTags", "false")
		}
		setFlag(q, "includeStats", opts.IncludeStats)
	}
	var r Repository
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &r)
	return r, resp, err
}

// Update replaces a repository's description.
//
// Quay answers {"success": true}, which Update discards.
//
// Quay operation: updateRepo (PUT /api/v1/repository/{repository})
func (s *RepositoriesService) Update(ctx context.Context, namespace, repository string, body UpdateRepositoryRequest) (*Response, error) {
	path, err := repoPath(namespace, repository, "")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPut, path, body, nil)
}

// Delete deletes a repository.
//
// Quay answers 204 and purges the repository in the background. A
// superuser who deletes a repository that does not exist (any more) gets
// 204 too.
//
// Quay operation: deleteRepository (DELETE /api/v1/repository/{repository})
func (s *RepositoriesService) Delete(ctx context.Context, namespace, repository string) (*Response, error) {
	path, err := repoPath(namespace, repository, "")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ChangeVisibility makes a repository public or private.
//
// Quay answers {"success": true}, which ChangeVisibility discards. For a
// repository that does not exist, a superuser gets 200 with the body null
// (and nothing changes).
//
// Quay operation: changeRepoVisibility (POST /api/v1/repository/{repository}/changevisibility)
func (s *RepositoriesService) ChangeVisibility(ctx context.Context, namespace, repository string, body ChangeVisibilityRequest) (*Response, error) {
	path, err := repoPath(namespace, repository, "/changevisibility")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, body, nil)
}

// ChangeState sets a repository's state: NORMAL, READ_ONLY or MIRROR.
//
// Quay answers {"success": true}, which ChangeState discards. The route
// exists only with FEATURE_REPO_MIRROR. In a namespace that organization
// mirroring manages, Quay refuses with a 400 whose body is only
// {"detail": ...}.
//
// Quay operation: changeRepoState (PUT /api/v1/repository/{repository}/changestate)
func (s *RepositoriesService) ChangeState(ctx context.Context, namespace, repository string, body ChangeStateRequest) (*Response, error) {
	path, err := repoPath(namespace, repository, "/changestate")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPut, path, body, nil)
}
