package quay

import (
	"context"
	"errors"
	"net/http"
	"strconv"
)

// QuotasService reads and manages namespace storage quotas through the
// normal API: an organization's quota and its limits (the Org methods) and
// the caller's own (the User methods, read-only). The routes exist only
// with FEATURE_SUPER_USERS, FEATURE_QUOTA_MANAGEMENT and FEATURE_EDIT_QUOTA.
//
// Members of an organization, global read-only superusers and superusers
// with FEATURE_SUPERUSERS_FULL_ACCESS may read its quota. Only superusers
// with full access, with a token that has the super:user scope, may change
// it (403 for everyone else, organization administrators included).
type QuotasService service

// Quota limit types, for QuotaLimit.Type.
const (
	QuotaLimitWarning = "Warning" // notify at the threshold
	QuotaLimitReject  = "Reject"  // refuse pushes at the threshold
)

// Quota is a namespace's storage quota.
type Quota struct {
	// ID is 0 for the system default quota (Quay sends null).
	ID int64 `json:"id"`
	// LimitBytes is the quota in bytes. Quay sends it as a float after an
	// update by Limit; Int64 reads both.
	LimitBytes Int64 `json:"limit_bytes"`
	// Limit is LimitBytes in binary units with one decimal, e.g. "10.0 GiB".
	Limit string `json:"limit"`
	// DefaultConfig reports the system default quota, which ListOrg shows
	// for an organization without a quota of its own when the registry has
	// one (DEFAULT_SYSTEM_REJECT_QUOTA_BYTES).
	DefaultConfig bool         `json:"default_config"`
	Limits        []QuotaLimit `json:"limits"`
	// DefaultConfigExists reports a system default quota.
	DefaultConfigExists bool `json:"default_config_exists"`
}

// CreateQuotaRequest is the body of CreateOrg. Set exactly one field.
type CreateQuotaRequest struct {
	// LimitBytes is the quota in bytes.
	LimitBytes int64 `json:"limit_bytes,omitempty"`
	// Limit is the quota as text, such as "10 GiB", "500 Mi" or "5G":
	// single letters and xB units are decimal ("5G" is 5e9 bytes), xi and
	// xiB units binary.
	Limit string `json:"limit,omitempty"`
}

// UpdateQuotaRequest is the body of UpdateOrg: set at most one field. With
// neither (or a zero LimitBytes) Quay changes nothing and returns the quota.
type UpdateQuotaRequest struct {
	LimitBytes int64  `json:"limit_bytes,omitempty"`
	Limit      string `json:"limit,omitempty"`
}

// CreateQuotaLimitRequest is the body of CreateOrgLimit.
type CreateQuotaLimitRequest struct {
	Type string `json:"type"` // QuotaLimitWarning or QuotaLimitReject
	// ThresholdPercent is the share of the quota, 1 to 100, at which the
	// limit applies.
	ThresholdPercent int `json:"threshold_percent"`
}

// UpdateQuotaLimitRequest is the body of UpdateOrgLimit: only the fields
// set change.
type UpdateQuotaLimitRequest struct {
	Type             string `json:"type,omitempty"`
	ThresholdPercent int    `json:"threshold_percent,omitempty"`
}

// errQuotaLimits is returned before sending a quota body that sets both limits.
var errQuotaLimits = errors.New("quay: set LimitBytes or Limit, not both")

// orgQuotaPath is the path of an organization's quota collection, or of
// one quota and what follows when id is given.
func orgQuotaPath(orgname string, ids ...int64) (string, error) {
	path, err := pathf("organization/%s/quota", orgname)
	if err != nil {
		return "", err
	}
	return path + quotaIDs(ids), nil
}

// userQuotaPath is the path of the caller's quota collection, or below.
func userQuotaPath(ids ...int64) string {
	return "user/quota" + quotaIDs(ids)
}

// quotaIDs renders "/<quota>" or "/<quota>/limit/<limit>".
func quotaIDs(ids []int64) string {
	switch len(ids) {
	case 0:
		return ""
	case 1:
		return "/" + strconv.FormatInt(ids[0], 10)
	default:
		return "/" + strconv.FormatInt(ids[0], 10) + "/limit/" + strconv.FormatInt(ids[1], 10)
	}
}

// quotas fetches a list of quotas.
func (s *QuotasService) quotas(ctx context.Context, path string) ([]Quota, *Response, error) {
	var out []Quota
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out, resp, err
}

// quota sends a request answered with one quota.
func (s *QuotasService) quota(ctx context.Context, method, path string, body any) (Quota, *Response, error) {
	var q Quota
	resp, err := s.client.call(ctx, method, path, body, &q)
	return q, resp, err
}

// limits fetches a list of quota limits.
func (s *QuotasService) limits(ctx context.Context, path string) ([]QuotaLimit, *Response, error) {
	var out []QuotaLimit
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out, resp, err
}

// ListOrg returns an organization's quota: none or one (Quay allows one
// per namespace).
//
// Without a quota of its own, and when the registry has a system default
// quota, Quay lists that one instead, with ID 0 and DefaultConfig set.
// Quay answers 404 for a namespace that is not an organization.
//
// Quay operation: listOrganizationQuota (GET /api/v1/organization/{orgname}/quota)
func (s *QuotasService) ListOrg(ctx context.Context, orgname string) ([]Quota, *Response, error) {
	path, err := orgQuotaPath(orgname)
	if err != nil {
		return nil, nil, err
	}
	return s.quotas(ctx, path)
}

// CreateOrg gives an organization a quota.
//
// Quay answers 201 with the JSON string "Created" and does not return the
// quota or its id: ListOrg does. A second quota is refused with 400
// ("Organization quota for '<org>' already exists").
//
// Quay operation: createOrganizationQuota (POST /api/v1/organization/{orgname}/quota)
func (s *QuotasService) CreateOrg(ctx context.Context, orgname string, body CreateQuotaRequest) (*Response, error) {
	if body.LimitBytes != 0 && body.Limit != "" {
		return nil, errQuotaLimits
	}
	if body.LimitBytes == 0 && body.Limit == "" {
		return nil, errors.New("quay: CreateQuotaRequest needs LimitBytes or Limit")
	}
	path, err := orgQuotaPath(orgname)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, body, nil)
}

// GetOrg returns an organization's quota by id.
//
// Quay answers 404 when quotaID is not the namespace's quota. It looks the
// namespace up by name only, so a user's quota is found here too.
//
// Quay operation: getOrganizationQuota (GET /api/v1/organization/{orgname}/quota/{quota_id})
func (s *QuotasService) GetOrg(ctx context.Context, orgname string, quotaID int64) (Quota, *Response, error) {
	path, err := orgQuotaPath(orgname, quotaID)
	if err != nil {
		return Quota{}, nil, err
	}
	return s.quota(ctx, http.MethodGet, path, nil)
}

// UpdateOrg changes an organization's quota limit and returns the quota.
//
// Quay answers 404 when quotaID is not the namespace's quota.
//
// Quay operation: changeOrganizationQuota (PUT /api/v1/organization/{orgname}/quota/{quota_id})
func (s *QuotasService) UpdateOrg(ctx context.Context, orgname string, quotaID int64, body UpdateQuotaRequest) (Quota, *Response, error) {
	if body.LimitBytes != 0 && body.Limit != "" {
		return Quota{}, nil, errQuotaLimits
	}
	path, err := orgQuotaPath(orgname, quotaID)
	if err != nil {
		return Quota{}, nil, err
	}
	return s.quota(ctx, http.MethodPut, path, body)
}

// DeleteOrg removes an organization's quota with its limits.
//
// Quay answers 204, and 404 when quotaID is not the namespace's quota.
//
// Quay operation: deleteOrganizationQuota (DELETE /api/v1/organization/{orgname}/quota/{quota_id})
func (s *QuotasService) DeleteOrg(ctx context.Context, orgname string, quotaID int64) (*Response, error) {
	path, err := orgQuotaPath(orgname, quotaID)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListOrgLimits returns the limits of an organization's quota.
//
// Quay operation: listOrganizationQuotaLimit (GET /api/v1/organization/{orgname}/quota/{quota_id}/limit)
func (s *QuotasService) ListOrgLimits(ctx context.Context, orgname string, quotaID int64) ([]QuotaLimit, *Response, error) {
	path, err := orgQuotaPath(orgname, quotaID)
	if err != nil {
		return nil, nil, err
	}
	return s.limits(ctx, path+"/limit")
}

// CreateOrgLimit adds a limit to an organization's quota.
//
// Quay answers 201 with the JSON string "Created" and does not return the
// limit: ListOrgLimits does. It answers 400 "Quota limit already exists"
// for a limit of the same type and threshold (and, for a threshold of 0,
// for any limit of the same type), and 400 for a threshold outside 1 to 100
// or an unknown type. Several Reject limits are accepted.
//
// Quay operation: createOrganizationQuotaLimit (POST /api/v1/organization/{orgname}/quota/{quota_id}/limit)
func (s *QuotasService) CreateOrgLimit(ctx context.Context, orgname string, quotaID int64, body CreateQuotaLimitRequest) (*Response, error) {
	path, err := orgQuotaPath(orgname, quotaID)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path+"/limit", body, nil)
}

// GetOrgLimit returns one limit of an organization's quota.
//
// Quay answers 404 for an unknown limit, but 400 with an empty message for
// a limit of another quota.
//
// Quay operation: getOrganizationQuotaLimit (GET /api/v1/organization/{orgname}/quota/{quota_id}/limit/{limit_id})
func (s *QuotasService) GetOrgLimit(ctx context.Context, orgname string, quotaID, limitID int64) (QuotaLimit, *Response, error) {
	path, err := orgQuotaPath(orgname, quotaID, limitID)
	if err != nil {
		return QuotaLimit{}, nil, err
	}
	var l QuotaLimit
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &l)
	return l, resp, err
}

// UpdateOrgLimit changes a limit of an organization's quota and returns
// the whole quota (not the limit), as Quay does.
//
// Quay matches Type without regard to case and answers 400 for an unknown
// type or a threshold outside 1 to 100.
//
// Quay operation: changeOrganizationQuotaLimit (PUT /api/v1/organization/{orgname}/quota/{quota_id}/limit/{limit_id})
func (s *QuotasService) UpdateOrgLimit(ctx context.Context, orgname string, quotaID, limitID int64, body UpdateQuotaLimitRequest) (Quota, *Response, error) {
	path, err := orgQuotaPath(orgname, quotaID, limitID)
	if err != nil {
		return Quota{}, nil, err
	}
	return s.quota(ctx, http.MethodPut, path, body)
}

// DeleteOrgLimit removes a limit from an organization's quota.
//
// Quay answers 204, and 404 for an unknown limit.
//
// Quay operation: deleteOrganizationQuotaLimit (DELETE /api/v1/organization/{orgname}/quota/{quota_id}/limit/{limit_id})
func (s *QuotasService) DeleteOrgLimit(ctx context.Context, orgname string, quotaID, limitID int64) (*Response, error) {
	path, err := orgQuotaPath(orgname, quotaID, limitID)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ListUser returns the caller's own quota: none or one. Unlike ListOrg it
// never shows the system default quota.
//
// Quay operation: listUserQuota (GET /api/v1/user/quota)
func (s *QuotasService) ListUser(ctx context.Context) ([]Quota, *Response, error) {
	return s.quotas(ctx, userQuotaPath())
}

// GetUser returns the caller's quota by id.
//
// Quay answers 404 when quotaID is not the caller's quota.
//
// Quay operation: getUserQuota (GET /api/v1/user/quota/{quota_id})
func (s *QuotasService) GetUser(ctx context.Context, quotaID int64) (Quota, *Response, error) {
	return s.quota(ctx, http.MethodGet, userQuotaPath(quotaID), nil)
}

// ListUserLimits returns the limits of the caller's quota.
//
// Quay operation: listUserQuotaLimit (GET /api/v1/user/quota/{quota_id}/limit)
func (s *QuotasService) ListUserLimits(ctx context.Context, quotaID int64) ([]QuotaLimit, *Response, error) {
	return s.limits(ctx, userQuotaPath(quotaID)+"/limit")
}

// GetUserLimit checks that a limit belongs to the caller's quota and
// returns the whole quota (not the limit): Quay's handler answers with the
// quota view. Find the limit in its Limits.
//
// Quay answers 404 for an unknown limit and 400 with an empty message for a
// limit of another quota.
//
// Quay operation: getUserQuotaLimit (GET /api/v1/user/quota/{quota_id}/limit/{limit_id})
func (s *QuotasService) GetUserLimit(ctx context.Context, quotaID, limitID int64) (Quota, *Response, error) {
	return s.quota(ctx, http.MethodGet, userQuotaPath(quotaID, limitID), nil)
}
