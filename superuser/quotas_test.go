package superuser_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// TestQuotas covers both URL families of §2.14: one Namespace value picks
// /superuser/users/... or /superuser/organization/... (singular).
func TestQuotas(t *testing.T) {
	t.Parallel()
	listed := []superuser.Quota{{
		ID: 3, LimitBytes: 10737418240, Limit: "10.0 GiB",
		Limits: []superuser.QuotaLimit{{ID: 5, Type: "Warning", LimitPercent: 80}, {ID: 6, Type: "Reject", LimitPercent: 100}},
	}}
	changed := superuser.Quota{ID: 3, LimitBytes: 5000000000, Limit: "4.7 GiB", Limits: []superuser.QuotaLimit{}}
	families := []struct {
		ns     superuser.Namespace
		prefix string
	}{
		{superuser.UserNamespace("alice"), "/superuser/users/alice/quota"},
		{superuser.OrgNamespace("acme"), "/superuser/organization/acme/quota"},
	}
	var calls []call
	for _, f := range families {
		ns := f.ns
		calls = append(calls,
			call{
				name: "List " + ns.String(), method: "GET", path: f.prefix, status: 200, file: "listQuota.json",
				do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
					return su.Quotas.List(ctx, ns)
				},
				want: listed,
			},
			call{
				name: "Create by bytes " + ns.String(), method: "POST", path: f.prefix, body: `{"limit_bytes": 10737418240}`,
				status: 201, file: "createQuota.json",
				do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
					resp, err := su.Quotas.Create(ctx, ns, superuser.CreateQuotaRequest{LimitBytes: 10737418240})
					return nil, resp, err
				},
			},
			call{
				name: "Create by string " + ns.String(), method: "POST", path: f.prefix, body: `{"limit": "10 GiB"}`,
				status: 201, file: "createQuota.json",
				do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
					resp, err := su.Quotas.Create(ctx, ns, superuser.CreateQuotaRequest{Limit: "10 GiB"})
					return nil, resp, err
				},
			},
			call{
				name: "Update (float limit_bytes) " + ns.String(), method: "PUT", path: f.prefix + "/3", body: `{"limit": "5G"}`,
				status: 200, file: "changeQuota.json",
				do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
					return su.Quotas.Update(ctx, ns, 3, superuser.UpdateQuotaRequest{Limit: "5G"})
				},
				want: changed,
			},
			call{
				name: "Update by bytes " + ns.String(), method: "PUT", path: f.prefix + "/3", body: `{"limit_bytes": 5000000000}`,
				status: 200, file: "changeQuota.json",
				do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
					return su.Quotas.Update(ctx, ns, 3, superuser.UpdateQuotaRequest{LimitBytes: 5000000000})
				},
				want: changed,
			},
			call{
				name: "Delete " + ns.String(), method: "DELETE", path: f.prefix + "/3", status: 204,
				do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
					resp, err := su.Quotas.Delete(ctx, ns, 3)
					return nil, resp, err
				},
			},
		)
	}
	runCalls(t, calls)
}

func TestQuotaRequestsValidatedBeforeSending(t *testing.T) {
	t.Parallel()
	su := noRequest(t)
	ns := superuser.OrgNamespace("acme")
	if _, err := su.Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{LimitBytes: 1, Limit: "5G"}); err == nil {
		t.Error("Create with both limits succeeded, want an error (Quay's oneOf refuses it)")
	}
	if _, err := su.Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{}); err == nil {
		t.Error("Create with no limit succeeded, want an error")
	}
	if _, _, err := su.Quotas.Update(t.Context(), ns, 3, superuser.UpdateQuotaRequest{LimitBytes: 1, Limit: "5G"}); err == nil {
		t.Error("Update with both limits succeeded, want an error")
	}
}

func TestNamespace(t *testing.T) {
	t.Parallel()
	for ns, want := range map[superuser.Namespace][2]string{
		superuser.UserNamespace("alice"): {"alice", "user alice"},
		superuser.OrgNamespace("acme"):   {"acme", "organization acme"},
	} {
		if got := [2]string{ns.Name(), ns.String()}; got != want {
			t.Errorf("Name, String = %q, want %q", got, want)
		}
	}
}
