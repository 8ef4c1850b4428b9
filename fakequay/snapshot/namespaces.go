package snapshot

import (
	"cmp"
	"context"
	"net/url"
	"slices"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// namespace is a user or organization as the superuser lists show it.
type namespace struct {
	Name     string `json:"name"`
	Username string `json:"username"` // users only
	Email    string `json:"email"`
	Verified bool   `json:"verified"`
	Enabled  bool   `json:"enabled"`

	SuperUser               bool `json:"super_user"`
	GlobalReadonlySuperUser bool `json:"global_readonly_super_user"`

	// Quotas and QuotaReport are shown with FEATURE_QUOTA_MANAGEMENT.
	Quotas      []quotaView  `json:"quotas"`
	QuotaReport *quotaReport `json:"quota_report"`

	org bool
}

type quotaView struct {
	ID         int64        `json:"id"`
	LimitBytes quay.Int64   `json:"limit_bytes"`
	Limits     []limitsView `json:"limits"`
}

type limitsView struct {
	ID           int64  `json:"id"`
	Type         string `json:"type"`
	LimitPercent int64  `json:"limit_percent"`
}

type quotaReport struct {
	QuotaBytes     int64  `json:"quota_bytes"`
	BackfillStatus string `json:"backfill_status"`
}

// readCaller learns who the token acts for (GET /user/), to own what the
// API shows without an owner. A Quay that does not say leaves it unknown.
func readCaller(ctx context.Context, r *reader) error {
	var me struct {
		Username string `json:"username"`
	}
	ok, err := r.getIfReadable(ctx, "user/", "the caller's name (app tokens go to the first superuser)", &me)
	if ok {
		r.caller = me.Username
	}
	return err
}

// readUsers: listAllUsers, every page, disabled users included.
func readUsers(ctx context.Context, r *reader) error {
	return pages(ctx, func(ctx context.Context, token string) (string, error) {
		var page struct {
			Users    []namespace `json:"users"`
			NextPage string      `json:"next_page"`
		}
		if err := r.get(ctx, withPage("superuser/users/", url.Values{"limit": {"100"}}, token), &page); err != nil {
			return "", err
		}
		for _, u := range page.Users {
			u.Name = u.Username
			r.users[u.Username] = len(r.seed.Users)
			r.seed.Users = append(r.seed.Users, fakequay.SeedUser{Username: u.Username, Email: u.Email,
				Verified: ptr(u.Verified), Enabled: ptr(u.Enabled)})
			r.views = append(r.views, u)
		}
		return page.NextPage, nil
	})
}

// readOrganizations: listAllOrganizations, every page.
func readOrganizations(ctx context.Context, r *reader) error {
	return pages(ctx, func(ctx context.Context, token string) (string, error) {
		var page struct {
			Organizations []namespace `json:"organizations"`
			NextPage      string      `json:"next_page"`
		}
		if err := r.get(ctx, withPage("superuser/organizations/", url.Values{"limit": {"100"}}, token), &page); err != nil {
			return "", err
		}
		for _, o := range page.Organizations {
			o.org = true
			r.seed.Organizations = append(r.seed.Organizations, fakequay.SeedOrganization{Name: o.Name, Email: o.Email})
			r.views = append(r.views, o)
		}
		return page.NextPage, nil
	})
}

// readQuotas takes each namespace's quota and computed size from its view.
// Quotas go into the seed in id order, so that a fakequay loading it hands
// out the same quota and limit ids when Quay's are 1, 2, 3...
func readQuotas(_ context.Context, r *reader) error {
	orgs := map[string]int{}
	for i, o := range r.seed.Organizations {
		orgs[o.Name] = i
	}
	for _, ns := range r.views {
		var used *int64
		if rep := ns.QuotaReport; rep != nil {
			switch rep.BackfillStatus {
			case "complete":
				used = ptr(rep.QuotaBytes)
			case "running":
				r.warnf("namespace %s: its size is being computed (backfill running), which a seed cannot hold; left uncomputed", ns.Name)
			}
		}
		if len(ns.Quotas) > 1 {
			r.warnf("namespace %s has %d quotas; a seed holds one, the first is kept", ns.Name, len(ns.Quotas))
		}
		if len(ns.Quotas) > 0 {
			q := ns.Quotas[0]
			limits := slices.Clone(q.Limits)
			slices.SortFunc(limits, func(a, b limitsView) int { return cmp.Compare(a.ID, b.ID) })
			seedLimits := make([]fakequay.SeedQuotaLimit, len(limits))
			for i, l := range limits {
				seedLimits[i] = fakequay.SeedQuotaLimit{Type: l.Type, LimitPercent: l.LimitPercent}
			}
			r.seed.Quotas = append(r.seed.Quotas, fakequay.SeedQuota{Namespace: ns.Name, LimitBytes: int64(q.LimitBytes),
				Limits: seedLimits, UsedBytes: used})
			r.quotaIDs = append(r.quotaIDs, q.ID)
			continue
		}
		if ns.org {
			r.seed.Organizations[orgs[ns.Name]].UsedBytes = used
		} else {
			r.seed.Users[r.users[ns.Name]].UsedBytes = used
		}
	}
	sortQuotas(r)
	return nil
}

// sortQuotas puts the quotas in id order and warns when fakequay's ids,
// handed out 1, 2, 3... in that order, will not be Quay's.
func sortQuotas(r *reader) {
	idx := make([]int, len(r.seed.Quotas))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(r.quotaIDs[a], r.quotaIDs[b]) })
	sorted := make([]fakequay.SeedQuota, len(idx))
	for i, j := range idx {
		sorted[i] = r.seed.Quotas[j]
		if want := int64(i + 1); r.quotaIDs[j] != want {
			r.warnf("quota of %s has id %d; fakequay will number it %d", sorted[i].Namespace, r.quotaIDs[j], want)
		}
	}
	r.seed.Quotas = sorted
}
