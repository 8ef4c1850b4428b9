package superuser

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/quaykit/go-quay/quay"
)

// QuotasService manages namespace storage quotas. Its routes exist only when
// the registry runs with FEATURE_QUOTA_MANAGEMENT, which is off by default;
// without it Quay answers with an HTML 404 page.
type QuotasService service

// Namespace names the user or organization a quota belongs to, and so which
// of Quay's two quota URL families a call uses. Build one with
// [UserNamespace] or [OrgNamespace]. Quay serves both families identically
// and accepts users and organizations on either, so the choice only decides
// the route (and operation name) the request goes to.
type Namespace struct {
	name string
	org  bool
}

// UserNamespace is the namespace of user name: calls go to /superuser/users/{name}/quota.
func UserNamespace(name string) Namespace { return Namespace{name: name} }

// OrgNamespace is the namespace of organization name: calls go to
// /superuser/organization/{name}/quota (singular "organization").
func OrgNamespace(name string) Namespace { return Namespace{name: name, org: true} }

// Name returns the namespace's name.
func (n Namespace) Name() string { return n.name }

// String returns "user <name>" or "organization <name>".
func (n Namespace) String() string {
	if n.org {
		return "organization " + n.name
	}
	return "user " + n.name
}

// quotaPath is the path of the namespace's quota collection.
func (n Namespace) quotaPath() (string, error) {
	if n.org {
		return pathf("superuser/organization/%s/quota", n.name)
	}
	return pathf("superuser/users/%s/quota", n.name)
}

// quotaItemPath is the path of the namespace's quota id.
func (n Namespace) quotaItemPath(id int64) (string, error) {
	path, err := n.quotaPath()
	if err != nil {
		return "", err
	}
	return path + "/" + strconv.FormatInt(id, 10), nil
}

// Quota is a namespace's storage quota (Quay's full quota view, reference
// §1.9): quay.Quota, whose DefaultConfig is always false in these answers.
type Quota = quay.Quota

// CreateQuotaRequest is the body of Create: quay.CreateQuotaRequest. Set
// exactly one field; Quay refuses a LimitBytes that is not positive, "B" and
// "Yi"/"YiB" units and decimals.
type CreateQuotaRequest = quay.CreateQuotaRequest

// UpdateQuotaRequest is the body of Update: quay.UpdateQuotaRequest. Set at
// most one field; zero fields change nothing (Quay also ignores a limit of 0).
type UpdateQuotaRequest = quay.UpdateQuotaRequest

// errQuotaBothLimits is returned before sending a quota body that sets both
// limits: Quay's schema accepts exactly one.
var errQuotaBothLimits = errors.New("superuser: set LimitBytes or Limit, not both")

// List returns the namespace's quota: an empty slice without one, else exactly one.
//
// Unlike the non-superuser route, the system default quota is not filled in.
// Quay answers 404 for an unknown namespace.
//
// Quay operation: listUserQuotaSuperUser (GET /api/v1/superuser/users/{namespace}/quota)
// Quay operation: listOrganizationQuotaSuperUser (GET /api/v1/superuser/organization/{namespace}/quota)
func (s *QuotasService) List(ctx context.Context, ns Namespace) ([]Quota, *quay.Response, error) {
	path, err := ns.quotaPath()
	if err != nil {
		return nil, nil, err
	}
	var quotas []Quota
	resp, err := send(ctx, s.client, http.MethodGet, path, nil, &quotas)
	return quotas, resp, err
}

// Create gives the namespace a quota.
//
// Quay answers 201 with the JSON string "Created" and does not return the
// new quota or its id: call List, which returns it (a namespace has at most
// one quota; a second Create is refused with 400 "Quota for '<ns>' already
// exists"). Quay answers 500, not 404, for an unknown namespace.
//
// Quay operation: createUserQuotaSuperUser (POST /api/v1/superuser/users/{namespace}/quota)
// Quay operation: createOrganizationQuotaSuperUser (POST /api/v1/superuser/organization/{namespace}/quota)
func (s *QuotasService) Create(ctx context.Context, ns Namespace, body CreateQuotaRequest) (*quay.Response, error) {
	if body.LimitBytes != 0 && body.Limit != "" {
		return nil, errQuotaBothLimits
	}
	if body.LimitBytes == 0 && body.Limit == "" {
		return nil, errors.New("superuser: CreateQuotaRequest needs LimitBytes or Limit")
	}
	path, err := ns.quotaPath()
	if err != nil {
		return nil, err
	}
	return send(ctx, s.client, http.MethodPost, path, body, nil)
}

// Update changes the limit of the namespace's quota quotaID and returns the quota.
//
// After an update by Limit, Quay returns LimitBytes as a float (read
// correctly by quay.Int64). Quay answers 404 when quotaID is not the
// namespace's quota and 500 for an unknown namespace.
//
// Quay operation: changeUserQuotaSuperUser (PUT /api/v1/superuser/users/{namespace}/quota/{quota_id})
// Quay operation: changeOrganizationQuotaSuperUser (PUT /api/v1/superuser/organization/{namespace}/quota/{quota_id})
func (s *QuotasService) Update(ctx context.Context, ns Namespace, quotaID int64, body UpdateQuotaRequest) (Quota, *quay.Response, error) {
	if body.LimitBytes != 0 && body.Limit != "" {
		return Quota{}, nil, errQuotaBothLimits
	}
	path, err := ns.quotaItemPath(quotaID)
	if err != nil {
		return Quota{}, nil, err
	}
	var q Quota
	resp, err := send(ctx, s.client, http.MethodPut, path, body, &q)
	return q, resp, err
}

// Delete removes the namespace's quota quotaID with its limits.
//
// Quay answers 204, 404 when quotaID is not the namespace's quota and 500
// for an unknown namespace.
//
// Quay operation: deleteUserQuotaSuperUser (DELETE /api/v1/superuser/users/{namespace}/quota/{quota_id})
// Quay operation: deleteOrganizationQuotaSuperUser (DELETE /api/v1/superuser/organization/{namespace}/quota/{quota_id})
func (s *QuotasService) Delete(ctx context.Context, ns Namespace, quotaID int64) (*quay.Response, error) {
	path, err := ns.quotaItemPath(quotaID)
	if err != nil {
		return nil, err
	}
	return send(ctx, s.client, http.MethodDelete, path, nil, nil)
}
