package quay_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestQuotas(t *testing.T) {
	t.Parallel()
	buynlarge := quay.Quota{ID: 1, LimitBytes: 3000, Limit: "2.9 KiB", Limits: []quay.QuotaLimit{{ID: 1, Type: quay.QuotaLimitWarning, LimitPercent: 50}}}
	titi := func(limitBytes quay.Int64, limit string, limits ...quay.QuotaLimit) quay.Quota {
		return quay.Quota{ID: 5, LimitBytes: limitBytes, Limit: limit, Limits: append([]quay.QuotaLimit{}, limits...)}
	}
	warning70 := quay.QuotaLimit{ID: 4, Type: quay.QuotaLimitWarning, LimitPercent: 70}
	reject100 := quay.QuotaLimit{ID: 5, Type: quay.QuotaLimitReject, LimitPercent: 100}
	reject95 := quay.QuotaLimit{ID: 6, Type: quay.QuotaLimitReject, LimitPercent: 95}
	devtable := quay.Quota{ID: 5, LimitBytes: 50000, Limit: "48.8 KiB", Limits: []quay.QuotaLimit{{ID: 4, Type: quay.QuotaLimitReject, LimitPercent: 90}}}

	runCalls(t, []call{
		{
			name: "ListOrg", method: "GET", path: "/organization/buynlarge/quota", status: 200, file: "listOrganizationQuota.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.ListOrg(ctx, "buynlarge")
			},
			want: []quay.Quota{buynlarge},
		},
		{
			// DEFAULT_SYSTEM_REJECT_QUOTA_BYTES set, library without a quota: id null.
			name: "ListOrg shows the system default", method: "GET", path: "/organization/library/quota", status: 200, file: "listOrganizationQuota-default.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.ListOrg(ctx, "library")
			},
			want: []quay.Quota{{LimitBytes: 104857600, Limit: "100.0 MiB", DefaultConfig: true, Limits: []quay.QuotaLimit{}, DefaultConfigExists: true}},
		},
		{
			name: "CreateOrg", method: "POST", path: "/organization/library/quota", body: `{"limit_bytes": 10737418240}`,
			status: 201, file: "createOrganizationQuota.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Quotas.CreateOrg(ctx, "library", quay.CreateQuotaRequest{LimitBytes: 10737418240})
				return nil, resp, err
			},
		},
		{
			name: "CreateOrg by text", method: "POST", path: "/organization/titi/quota", body: `{"limit": "5 GiB"}`,
			status: 201, file: "createOrganizationQuota.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Quotas.CreateOrg(ctx, "titi", quay.CreateQuotaRequest{Limit: "5 GiB"})
				return nil, resp, err
			},
		},
		{
			name: "GetOrg", method: "GET", path: "/organization/buynlarge/quota/1", status: 200, file: "getOrganizationQuota.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.GetOrg(ctx, "buynlarge", 1)
			},
			want: buynlarge,
		},
		{
			name: "GetOrg with limits", method: "GET", path: "/organization/titi/quota/5", status: 200, file: "getOrganizationQuota-limits.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.GetOrg(ctx, "titi", 5)
			},
			want: titi(7000000000, "6.5 GiB", warning70, reject100),
		},
		{
			// Quay answers limit_bytes as a float after an update by text.
			name: "UpdateOrg by text", method: "PUT", path: "/organization/titi/quota/5", body: `{"limit": "6 GiB"}`,
			status: 200, file: "changeOrganizationQuota.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.UpdateOrg(ctx, "titi", 5, quay.UpdateQuotaRequest{Limit: "6 GiB"})
			},
			want: titi(6442450944, "6.0 GiB"),
		},
		{
			name: "UpdateOrg by bytes", method: "PUT", path: "/organization/titi/quota/5", body: `{"limit_bytes": 7000000000}`,
			status: 200, file: "changeOrganizationQuota-bytes.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.UpdateOrg(ctx, "titi", 5, quay.UpdateQuotaRequest{LimitBytes: 7000000000})
			},
			want: titi(7000000000, "6.5 GiB"),
		},
		{
			name: "DeleteOrg", method: "DELETE", path: "/organization/titi/quota/5", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Quotas.DeleteOrg(ctx, "titi", 5)
				return nil, resp, err
			},
		},
		{
			name: "ListOrgLimits", method: "GET", path: "/organization/buynlarge/quota/1/limit", status: 200, file: "listOrganizationQuotaLimit.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.ListOrgLimits(ctx, "buynlarge", 1)
			},
			want: []quay.QuotaLimit{{ID: 1, Type: quay.QuotaLimitWarning, LimitPercent: 50}},
		},
		{
			name: "CreateOrgLimit", method: "POST", path: "/organization/titi/quota/5/limit", body: `{"type": "Warning", "threshold_percent": 80}`,
			status: 201, file: "createOrganizationQuotaLimit.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Quotas.CreateOrgLimit(ctx, "titi", 5, quay.CreateQuotaLimitRequest{Type: quay.QuotaLimitWarning, ThresholdPercent: 80})
				return nil, resp, err
			},
		},
		{
			name: "GetOrgLimit", method: "GET", path: "/organization/titi/quota/5/limit/4", status: 200, file: "getOrganizationQuotaLimit.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.GetOrgLimit(ctx, "titi", 5, 4)
			},
			want: quay.QuotaLimit{ID: 4, Type: quay.QuotaLimitWarning, LimitPercent: 80},
		},
		{
			name: "UpdateOrgLimit returns the quota", method: "PUT", path: "/organization/titi/quota/5/limit/4", body: `{"threshold_percent": 70}`,
			status: 200, file: "changeOrganizationQuotaLimit.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.UpdateOrgLimit(ctx, "titi", 5, 4, quay.UpdateQuotaLimitRequest{ThresholdPercent: 70})
			},
			want: titi(7000000000, "6.5 GiB", warning70, reject100, reject95),
		},
		{
			name: "UpdateOrgLimit type", method: "PUT", path: "/organization/titi/quota/5/limit/4", body: `{"type": "Reject"}`,
			status: 200, file: "changeOrganizationQuotaLimit.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.UpdateOrgLimit(ctx, "titi", 5, 4, quay.UpdateQuotaLimitRequest{Type: quay.QuotaLimitReject})
			},
			want: titi(7000000000, "6.5 GiB", warning70, reject100, reject95),
		},
		{
			name: "DeleteOrgLimit", method: "DELETE", path: "/organization/titi/quota/5/limit/6", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Quotas.DeleteOrgLimit(ctx, "titi", 5, 6)
				return nil, resp, err
			},
		},
		{
			name: "ListUser", method: "GET", path: "/user/quota", status: 200, file: "listUserQuota.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.ListUser(ctx)
			},
			want: []quay.Quota{devtable},
		},
		{
			name: "GetUser", method: "GET", path: "/user/quota/5", status: 200, file: "getUserQuota.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.GetUser(ctx, 5)
			},
			want: devtable,
		},
		{
			name: "ListUserLimits", method: "GET", path: "/user/quota/5/limit", status: 200, file: "listUserQuotaLimit.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.ListUserLimits(ctx, 5)
			},
			want: []quay.QuotaLimit{{ID: 4, Type: quay.QuotaLimitReject, LimitPercent: 90}},
		},
		{
			name: "GetUserLimit returns the quota", method: "GET", path: "/user/quota/5/limit/4", status: 200, file: "getUserQuotaLimit.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Quotas.GetUserLimit(ctx, 5, 4)
			},
			want: devtable,
		},
	})
}

func TestQuotasRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c := noRequest(t)
	tests := map[string]func(ctx context.Context) error{
		"ListOrg without an organization": func(ctx context.Context) error {
			_, _, err := c.Quotas.ListOrg(ctx, "")
			return err
		},
		"CreateOrg with both limits": func(ctx context.Context) error {
			_, err := c.Quotas.CreateOrg(ctx, "acme", quay.CreateQuotaRequest{LimitBytes: 1, Limit: "1 GiB"})
			return err
		},
		"CreateOrg with neither limit": func(ctx context.Context) error {
			_, err := c.Quotas.CreateOrg(ctx, "acme", quay.CreateQuotaRequest{})
			return err
		},
		"CreateOrg without an organization": func(ctx context.Context) error {
			_, err := c.Quotas.CreateOrg(ctx, "", quay.CreateQuotaRequest{LimitBytes: 1})
			return err
		},
		"GetOrg without an organization": func(ctx context.Context) error {
			_, _, err := c.Quotas.GetOrg(ctx, "", 1)
			return err
		},
		"UpdateOrg with both limits": func(ctx context.Context) error {
			_, _, err := c.Quotas.UpdateOrg(ctx, "acme", 1, quay.UpdateQuotaRequest{LimitBytes: 1, Limit: "1 GiB"})
			return err
		},
		"DeleteOrg without an organization": func(ctx context.Context) error {
			_, err := c.Quotas.DeleteOrg(ctx, "", 1)
			return err
		},
		"ListOrgLimits without an organization": func(ctx context.Context) error {
			_, _, err := c.Quotas.ListOrgLimits(ctx, "", 1)
			return err
		},
		"CreateOrgLimit without an organization": func(ctx context.Context) error {
			_, err := c.Quotas.CreateOrgLimit(ctx, "", 1, quay.CreateQuotaLimitRequest{})
			return err
		},
		"GetOrgLimit without an organization": func(ctx context.Context) error {
			_, _, err := c.Quotas.GetOrgLimit(ctx, "", 1, 1)
			return err
		},
		"UpdateOrgLimit without an organization": func(ctx context.Context) error {
			_, _, err := c.Quotas.UpdateOrgLimit(ctx, "", 1, 1, quay.UpdateQuotaLimitRequest{})
			return err
		},
		"DeleteOrgLimit without an organization": func(ctx context.Context) error {
			_, err := c.Quotas.DeleteOrgLimit(ctx, "", 1, 1)
			return err
		},
	}
	for name, call := range tests {
		if err := call(t.Context()); err == nil {
			t.Errorf("%s: no error, want one before sending", name)
		}
	}
}
