package contract

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

// Namespace quotas through the normal API (endpoints/api/namespacequota.py):
// an organization's quota and its limits, written by superusers with
// FEATURE_SUPERUSERS_FULL_ACCESS and read by the organization's members,
// and the caller's own quota reads.

// nsQuotaOrg creates an organization with a quota of 10 MiB through
// CreateOrg and returns the organization and the quota as GetOrg shows it.
func (e *env) nsQuotaOrg(t *testing.T) (string, quay.Quota) {
	t.Helper()
	e.needQuotas(t)
	if !e.tgt.SuperusersFullAccess {
		t.Skip("the target runs without FEATURE_SUPERUSERS_FULL_ACCESS: no one writes organization quotas")
	}
	org := e.createOrg(t, "nsq")
	c := e.quayClient(t, Superuser)
	_, err := c.Quotas.CreateOrg(t.Context(), org, quay.CreateQuotaRequest{Limit: "10 MiB"})
	wantNoError(t, "CreateOrg", err)
	quotas, _, err := c.Quotas.ListOrg(t.Context(), org)
	wantNoError(t, "ListOrg", err)
	if len(quotas) != 1 {
		t.Fatalf("ListOrg = %+v, want one quota", quotas)
	}
	return org, quotas[0]
}

func namespaceQuotaCases() []testCase {
	return []testCase{
		{op: "createOrganizationQuota", name: "namespacequota.py:123 a created quota is listed, fetched and answered in binary units", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			want := quay.Quota{ID: q.ID, LimitBytes: 10 << 20, Limit: "10.0 MiB", Limits: []quay.QuotaLimit{}, DefaultConfigExists: q.DefaultConfigExists}
			if diff := cmp.Diff(want, q); diff != "" {
				t.Errorf("ListOrg (-want +got):\n%s", diff)
			}
			got, _, err := e.quayClient(t, Superuser).Quotas.GetOrg(t.Context(), org, q.ID)
			wantNoError(t, "GetOrg", err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetOrg (-want +got):\n%s", diff)
			}
		}},
		{op: "createOrganizationQuota", name: "namespacequota.py:151 a second quota is refused", run: func(t *testing.T, e *env) {
			org, _ := e.nsQuotaOrg(t)
			_, err := e.quayClient(t, Superuser).Quotas.CreateOrg(t.Context(), org, quay.CreateQuotaRequest{LimitBytes: 1000})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Organization quota for '" + org + "' already exists"})
		}},
		{op: "listOrganizationQuota", name: "namespacequota.py:98 an unknown organization is 404 to a superuser with full access, 403 without", run: func(t *testing.T, e *env) {
			e.needQuotas(t)
			_, _, err := e.quayClient(t, Superuser).Quotas.ListOrg(t.Context(), e.name("nosuch"))
			if !e.tgt.SuperusersFullAccess {
				wantAPIError(t, err, quay.ErrForbidden, errForbidden)
				return
			}
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "changeOrganizationQuota", name: "namespacequota.py:222 a new size is answered; a normal user is refused", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			_, _, err := e.quayClient(t, NormalUser).Quotas.UpdateOrg(t.Context(), org, q.ID, quay.UpdateQuotaRequest{LimitBytes: 5})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			got, _, err := e.quayClient(t, Superuser).Quotas.UpdateOrg(t.Context(), org, q.ID, quay.UpdateQuotaRequest{LimitBytes: 20 << 20})
			wantNoError(t, "UpdateOrg", err)
			if got.LimitBytes != 20<<20 || got.Limit != "20.0 MiB" {
				t.Errorf("UpdateOrg = %+v, want 20 MiB", got)
			}
		}},
		{op: "deleteOrganizationQuota", name: "namespacequota.py:270 a deleted quota is gone", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			c := e.quayClient(t, Superuser)
			_, err := c.Quotas.DeleteOrg(t.Context(), org, q.ID)
			wantNoError(t, "DeleteOrg", err)
			_, _, err = c.Quotas.GetOrg(t.Context(), org, q.ID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "createOrganizationQuotaLimit", name: "namespacequota.py:340 limits: create, list, get, change (answered with the quota), delete", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			c := e.quayClient(t, Superuser)
			_, err := c.Quotas.CreateOrgLimit(t.Context(), org, q.ID, quay.CreateQuotaLimitRequest{Type: quay.QuotaLimitWarning, ThresholdPercent: 80})
			wantNoError(t, "CreateOrgLimit", err)
			_, err = c.Quotas.CreateOrgLimit(t.Context(), org, q.ID, quay.CreateQuotaLimitRequest{Type: "warning", ThresholdPercent: 80})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Quota limit already exists"})
			_, err = c.Quotas.CreateOrgLimit(t.Context(), org, q.ID, quay.CreateQuotaLimitRequest{Type: "nope", ThresholdPercent: 50})
			wantMessage(t, err, "Quota type must be one of [Warning, Reject]")
			limits, _, err := c.Quotas.ListOrgLimits(t.Context(), org, q.ID)
			wantNoError(t, "ListOrgLimits", err)
			if len(limits) != 1 || limits[0].Type != quay.QuotaLimitWarning || limits[0].LimitPercent != 80 {
				t.Fatalf("ListOrgLimits = %+v, want one Warning at 80", limits)
			}
			id := limits[0].ID
			got, _, err := c.Quotas.GetOrgLimit(t.Context(), org, q.ID, id)
			wantNoError(t, "GetOrgLimit", err)
			if diff := cmp.Diff(limits[0], got); diff != "" {
				t.Errorf("GetOrgLimit (-want +got):\n%s", diff)
			}
			changed, _, err := c.Quotas.UpdateOrgLimit(t.Context(), org, q.ID, id, quay.UpdateQuotaLimitRequest{ThresholdPercent: 70})
			wantNoError(t, "UpdateOrgLimit", err)
			want := []quay.QuotaLimit{{ID: id, Type: quay.QuotaLimitWarning, LimitPercent: 70}}
			if diff := cmp.Diff(want, changed.Limits); diff != "" || changed.ID != q.ID {
				t.Errorf("UpdateOrgLimit answers the quota %d (-want +got limits):\n%s", changed.ID, diff)
			}
			_, err = c.Quotas.DeleteOrgLimit(t.Context(), org, q.ID, id)
			wantNoError(t, "DeleteOrgLimit", err)
			_, _, err = c.Quotas.GetOrgLimit(t.Context(), org, q.ID, id)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "listOrganizationQuotaLimit", name: "namespacequota.py:325 an unknown quota is 404", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			_, _, err := e.quayClient(t, Superuser).Quotas.ListOrgLimits(t.Context(), org, q.ID+1000000)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getOrganizationQuotaLimit", name: "namespacequota.py:405 an unknown limit is 404", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			_, _, err := e.quayClient(t, Superuser).Quotas.GetOrgLimit(t.Context(), org, q.ID, 999999999)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "changeOrganizationQuotaLimit", name: "namespacequota.py:425 a threshold out of range is the model's message", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			c := e.quayClient(t, Superuser)
			_, err := c.Quotas.CreateOrgLimit(t.Context(), org, q.ID, quay.CreateQuotaLimitRequest{Type: quay.QuotaLimitReject, ThresholdPercent: 90})
			wantNoError(t, "CreateOrgLimit", err)
			limits, _, err := c.Quotas.ListOrgLimits(t.Context(), org, q.ID)
			wantNoError(t, "ListOrgLimits", err)
			_, _, err = c.Quotas.UpdateOrgLimit(t.Context(), org, q.ID, limits[0].ID, quay.UpdateQuotaLimitRequest{ThresholdPercent: 101})
			wantMessage(t, err, "Quota limit threshold must be between 1 and 100")
		}},
		{op: "deleteOrganizationQuotaLimit", name: "namespacequota.py:470 a normal user is refused", run: func(t *testing.T, e *env) {
			org, q := e.nsQuotaOrg(t)
			_, err := e.quayClient(t, NormalUser).Quotas.DeleteOrgLimit(t.Context(), org, q.ID, 1)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listUserQuota", name: "namespacequota.py:510 the caller's own quotas only", run: func(t *testing.T, e *env) {
			_, q := e.nsQuotaOrg(t)
			quotas, _, err := e.quayClient(t, Superuser).Quotas.ListUser(t.Context())
			wantNoError(t, "ListUser", err)
			for _, got := range quotas {
				if got.ID == q.ID {
					t.Errorf("ListUser shows an organization's quota %+v", got)
				}
			}
		}},
		{op: "getUserQuota", name: "namespacequota.py:524 another namespace's quota is 404", run: func(t *testing.T, e *env) {
			_, q := e.nsQuotaOrg(t)
			_, _, err := e.quayClient(t, Superuser).Quotas.GetUser(t.Context(), q.ID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "listUserQuotaLimit", name: "namespacequota.py:537 another namespace's quota is 404", run: func(t *testing.T, e *env) {
			_, q := e.nsQuotaOrg(t)
			_, _, err := e.quayClient(t, Superuser).Quotas.ListUserLimits(t.Context(), q.ID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getUserQuotaLimit", name: "namespacequota.py:553 anonymous is refused", run: func(t *testing.T, e *env) {
			e.needQuotas(t)
			_, _, err := e.quayClient(t, Anonymous).Quotas.GetUserLimit(t.Context(), 1, 1)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
	}
}
