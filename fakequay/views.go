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
	v := userView{
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
	if s.quotaViewsEnabled() {
		v.Quotas, v.QuotaReport = s.quotaFields(rd, u)
	}
	return v
}

func (s *Server) orgView(rd store.Reader, o *store.Namespace) orgView {
	v := orgView{Name: o.Name, Email: o.Email, Avatar: avatar.Compute(o.Name, o.Email, avatar.KindOrg)}
	if s.quotaViewsEnabled() {
		v.Quotas, v.QuotaReport = s.quotaFields(rd, o)
	}
	return v
}

// quotaFields are the quotas (short view) and quota_report of a namespace.
func (s *Server) quotaFields(rd store.Reader, n *store.Namespace) (*[]shortQuotaView, *quotaReportView) {
	quotas := []shortQuotaView{}
	report := &quotaReportView{}
	if q, ok := rd.QuotaOf(n.ID); ok {
		quotas = append(quotas, shortQuotaView{ID: q.ID, LimitBytes: q.LimitBytes, Limits: limitViews(q.Limits)})
		limit := q.LimitBytes
		report.ConfiguredQuota = &limit
	} else if d := s.cfg.DefaultSystemRejectQuotaBytes; d != 0 {
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
	return &quotas, report
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
