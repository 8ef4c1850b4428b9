package superuser

import (
	"context"
	"iter"
	"net/http"

	"github.com/quaykit/go-quay/quay"
)

// OrganizationsService manages the registry's organizations.
type OrganizationsService service

// Organization is Quay's superuser view of an organization (reference §1.9).
type Organization struct {
	Name string `json:"name"`
	// Email is the organization's contact address; organizations may share one.
	Email  string `json:"email"`
	Avatar Avatar `json:"avatar"`

	// Quotas and QuotaReport are present only when the registry runs with
	// FEATURE_QUOTA_MANAGEMENT (and FEATURE_EDIT_QUOTA).
	Quotas      []QuotaSummary `json:"quotas,omitempty"`
	QuotaReport *QuotaReport   `json:"quota_report,omitempty"`
}

// OrganizationListOptions selects the organizations List returns.
type OrganizationListOptions struct {
	// Limit is the page size, 1 to 100. Zero sends no limit: Quay then
	// returns every organization in one answer. All uses 100.
	Limit int
	// NextPage is the token of the page to fetch; empty for the first page.
	NextPage string
}

// UpdateOrganizationRequest is the body of Update.
type UpdateOrganizationRequest struct {
	// Name renames the organization (and its robots); empty leaves the name alone.
	Name string `json:"name,omitempty"`
}

// organizationPage is the body of listAllOrganizations.
type organizationPage struct {
	Organizations []Organization `json:"organizations"`
	NextPage      string         `json:"next_page"`
}

// List returns one page of the registry's organizations, or all of them when opts.Limit is zero.
//
// Organizations being deleted are never listed. Response.NextPage holds the
// token of the next page.
//
// Quay operation: listAllOrganizations (GET /api/v1/superuser/organizations/)
func (s *OrganizationsService) List(ctx context.Context, opts *OrganizationListOptions) ([]Organization, *quay.Response, error) {
	var o OrganizationListOptions
	if opts != nil {
		o = *opts
	}
	q, err := pageQuery(o.Limit, o.NextPage)
	if err != nil {
		return nil, nil, err
	}
	var page organizationPage
	resp, err := send(ctx, s.client, http.MethodGet, withQuery("superuser/organizations/", q), nil, &page)
	if err != nil {
		return nil, resp, err
	}
	resp.NextPage = page.NextPage
	return page.Organizations, resp, nil
}

// All iterates over every organization, fetching pages of opts.Limit (100 when zero).
//
// opts is copied, never changed. The walk stops at the first error, a
// *quay.PageError whose NextPage resumes it.
//
// Quay operation: listAllOrganizations (GET /api/v1/superuser/organizations/)
func (s *OrganizationsService) All(ctx context.Context, opts *OrganizationListOptions) iter.Seq2[Organization, error] {
	var o OrganizationListOptions
	if opts != nil {
		o = *opts
	}
	if o.Limit == 0 {
		o.Limit = quay.MaxLimit
	}
	return quay.All(ctx, o.NextPage, func(ctx context.Context, token string) ([]Organization, *quay.Response, error) {
		page := o
		page.NextPage = token
		return s.List(ctx, &page)
	})
}

// Update renames an organization and returns its new view.
//
// Quay answers 400 {"message": "Organization does not exist: ..."} when name
// is a user, and 500 when it names nothing at all or when the new name is
// taken. An empty body.Name changes nothing and answers 200.
//
// Quay operation: changeOrganization (PUT /api/v1/superuser/organizations/{name})
func (s *OrganizationsService) Update(ctx context.Context, name string, body UpdateOrganizationRequest) (Organization, *quay.Response, error) {
	path, err := pathf("superuser/organizations/%s", name)
	if err != nil {
		return Organization{}, nil, err
	}
	var org Organization
	resp, err := send(ctx, s.client, http.MethodPut, path, body, &org)
	return org, resp, err
}

// Delete deletes an organization with its teams, robots, applications and quota.
//
// Quay answers 204, renames the organization to a random UUID at once and
// purges it in the background.
//
// Quay operation: deleteOrganization (DELETE /api/v1/superuser/organizations/{name})
func (s *OrganizationsService) Delete(ctx context.Context, name string) (*quay.Response, error) {
	path, err := pathf("superuser/organizations/%s", name)
	if err != nil {
		return nil, err
	}
	return send(ctx, s.client, http.MethodDelete, path, nil, nil)
}
