package fakequay

import (
	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Builders for the shared views of reference §1.9, from store rows.

// quotaViewsEnabled is Quay's QUOTA_MANAGEMENT && EDIT_QUOTA, which adds
// quotas and quota_report to user and organization views.
func (s *Server) quotaViewsEnabled() bool { return s.cfg.quotaViews() }

// quotaViews is quotaViewsEnabled for a configuration; it also decides
// whether the quota routes exist.
func (c *Config) quotaViews() bool { return c.FeatureQuotaManagement && c.FeatureEditQuota }

func (s *Server) userView(rd store.Reader, u *store.Namespace) userView {
	return s.userViews(rd, []*store.Namespace{u})[0]
}

// userViews builds the views of a page of users, in ascending id order
// (or a single user): see quotaViews for why a page at a time.
func (s *Server) userViews(rd store.Reader, rows []*store.Namespace) []userView {
	out := make([]userView, len(rows))
	quotas := s.quotaViews(rd, len(rows))
	for i, u := range rows {
		out[i] = userView{
			Kind:                    "user",
			Name:                    u.Name,
			Username:                u.Name,
			Email:                   u.Email,
			Verified:                u.Verified,
			Avatar:                  avatar.Compute(u.Name, u.Email, avatar.KindUser),
			SuperUser:               s.cfg.FeatureSuperUsers && s.isSuperuserName(u.Name),
			GlobalReadonlySuperUser: containsName(s.cfg.GlobalReadonlySuperUsers, u.Name),
			Enabled:                 u.Enabled,
		}
		if quotas != nil {
			out[i].Quotas, out[i].QuotaReport = quotas.of(i, u)
		}
	}
	return out
}

func (s *Server) orgView(rd store.Reader, o *store.Namespace) orgView {
	return s.orgViews(rd, []*store.Namespace{o})[0]
}

// orgViews builds the views of a page of organizations, in ascending id
// order (or a single one).
func (s *Server) orgViews(rd store.Reader, rows []*store.Namespace) []orgView {
	out := make([]orgView, len(rows))
	quotas := s.quotaViews(rd, len(rows))
	for i, o := range rows {
		out[i] = orgView{Name: o.Name, Email: o.Email, Avatar: avatar.Compute(o.Name, o.Email, avatar.KindOrg)}
		if quotas != nil {
			out[i].Quotas, out[i].QuotaReport = quotas.of(i, o)
		}
	}
	return out
}

// quotaViews builds the quotas (short view) and quota_report of the
// namespaces of a page, which come in ascending id order: their quotas are
// found by following the quota table's namespace index alongside the page
// rather than by a lookup each, and the views of the page share two
// allocations.
type quotaViews struct {
	cfg     *Config
	quotaOf func(namespaceID int64) (*store.Quota, bool)
	lists   [][]shortQuotaView
	reports []quotaReportView
}

// quotaViews returns the builder for a page of n namespaces, or nil when
// views carry no quota fields.
func (s *Server) quotaViews(rd store.Reader, n int) *quotaViews {
	if !s.quotaViewsEnabled() {
		return nil
	}
	return &quotaViews{cfg: &s.cfg, quotaOf: rd.QuotasInIDOrder(), lists: make([][]shortQuotaView, n),
		reports: make([]quotaReportView, n)}
}

// of returns the quota fields of the page's i-th namespace.
func (q *quotaViews) of(i int, n *store.Namespace) (*[]shortQuotaView, *quotaReportView) {
	quotas, report := &q.lists[i], &q.reports[i]
	*quotas = []shortQuotaView{}
	if quota, ok := q.quotaOf(n.ID); ok {
		*quotas = append(*quotas, shortQuotaView{ID: quota.ID, LimitBytes: quota.LimitBytes, Limits: limitViews(quota.Limits)})
		limit := quota.LimitBytes
		report.ConfiguredQuota = &limit
	} else if d := q.cfg.DefaultSystemRejectQuotaBytes; d != 0 {
		report.ConfiguredQuota = &d
	}
	// namespacequota.get_quota_for_view's backfill states.
	switch size := n.Size; {
	case size == nil || (!size.BackfillStarted && !size.BackfillComplete):
		report.BackfillStatus = "waiting"
	case size.BackfillStarted && !size.BackfillComplete:
		report.BackfillStatus = "running"
	case size.BackfillStarted && size.BackfillComplete:
		report.BackfillStatus = "complete"
	}
	if n.Size != nil {
		report.QuotaBytes = n.Size.Bytes
	}
	report.RunningBackfill = report.BackfillStatus
	return quotas, report
}

func limitViews(limits []store.QuotaLimit) []quotaLimitView {
	out := make([]quotaLimitView, len(limits))
	for i, l := range limits {
		out[i] = quotaLimitView{ID: l.ID, Type: l.Type, LimitPercent: l.Percent}
	}
	return out
}

func containsName(list []string, name string) bool {
	for _, n := range list {
		if n == name {
			return true
		}
	}
	return false
}
