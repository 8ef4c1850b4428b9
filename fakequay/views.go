package fakequay

import (
	"slices"

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

// userViews builds the views of users in ascending id order (a page, or a
// single user).
func (s *Server) userViews(rd store.Reader, rows []*store.Namespace) []userView {
	out := make([]userView, len(rows))
	pv := s.newPageViews(rd)
	for i, u := range rows {
		pv.user(&out[i], u, pv.quota(u))
		ownQuotaFields(&out[i].Quotas, &out[i].QuotaReport)
	}
	return out
}

func (s *Server) orgView(rd store.Reader, o *store.Namespace) orgView {
	return s.orgViews(rd, []*store.Namespace{o})[0]
}

// orgViews builds the views of organizations in ascending id order.
func (s *Server) orgViews(rd store.Reader, rows []*store.Namespace) []orgView {
	out := make([]orgView, len(rows))
	pv := s.newPageViews(rd)
	for i, o := range rows {
		pv.org(&out[i], o, pv.quota(o))
		ownQuotaFields(&out[i].Quotas, &out[i].QuotaReport)
	}
	return out
}

// ownQuotaFields gives a view its own copy of the quota fields, which
// pageViews reuses for the next namespace it builds.
func ownQuotaFields(quotas **[]shortQuotaView, report **quotaReportView) {
	if *quotas == nil {
		return
	}
	q, r := slices.Clone(**quotas), **report
	*quotas, *report = &q, &r
}

// pageViews builds the views of the namespaces of a page, which come in
// ascending id order, one at a time into the same storage: a page of 100
// users is then encoded without a view of each being kept (see
// userPageView). Quotas are found by following the quota table's namespace
// index alongside the page rather than by a lookup each.
type pageViews struct {
	s        *Server
	hasQuota bool              // views carry quota fields
	quotaOf  store.QuotaCursor // when they do
	quotas   []shortQuotaView
	report   quotaReportView
	// defaultQuota is DEFAULT_SYSTEM_REJECT_QUOTA_BYTES, which every
	// namespace without a quota of its own reports.
	defaultQuota int64
}

func (s *Server) newPageViews(rd store.Reader) pageViews {
	pv := pageViews{s: s, defaultQuota: s.cfg.DefaultSystemRejectQuotaBytes}
	if s.quotaViewsEnabled() {
		pv.hasQuota, pv.quotaOf = true, rd.QuotasInIDOrder()
	}
	return pv
}

// quota returns the quota of n, the next namespace of the page, or nil
// when it has none or views carry no quota fields.
func (pv *pageViews) quota(n *store.Namespace) *store.Quota {
	if !pv.hasQuota {
		return nil
	}
	q, _ := pv.quotaOf.Of(n.ID)
	return q
}

// user sets v to the view of u, whose quota is q (pageViews.quota); its
// quota fields stay valid until the next call. A caller passes a v of its
// own, on its stack, where building the view needs no GC write barriers.
func (pv *pageViews) user(v *userView, u *store.Namespace, q *store.Quota) {
	cfg := &pv.s.cfg
	*v = userView{
		Kind:                    "user",
		Name:                    u.Name,
		Username:                u.Name,
		Email:                   u.Email,
		Verified:                u.Verified,
		Avatar:                  avatar.Compute(u.Name, u.Email, avatar.KindUser),
		SuperUser:               cfg.FeatureSuperUsers && pv.s.isSuperuserName(u.Name),
		GlobalReadonlySuperUser: containsName(cfg.GlobalReadonlySuperUsers, u.Name),
		Enabled:                 u.Enabled,
	}
	v.Quotas, v.QuotaReport = pv.quotaFields(u, q)
}

// org sets v to the view of o, as user does.
func (pv *pageViews) org(v *orgView, o *store.Namespace, q *store.Quota) {
	*v = orgView{Name: o.Name, Email: o.Email, Avatar: avatar.Compute(o.Name, o.Email, avatar.KindOrg)}
	v.Quotas, v.QuotaReport = pv.quotaFields(o, q)
}

// quotaFields are the quotas (short view) and quota_report of a namespace
// whose quota is q, or nils when views carry none.
func (pv *pageViews) quotaFields(n *store.Namespace, q *store.Quota) (*[]shortQuotaView, *quotaReportView) {
	if !pv.hasQuota {
		return nil, nil
	}
	pv.quotas, pv.report = pv.quotas[:0], quotaReportView{}
	if pv.quotas == nil {
		pv.quotas = []shortQuotaView{}
	}
	if q != nil {
		pv.quotas = append(pv.quotas, shortQuotaView{ID: q.ID, LimitBytes: q.LimitBytes, Limits: limitViews(q.Limits)})
		limit := q.LimitBytes
		pv.report.ConfiguredQuota = &limit
	} else if pv.defaultQuota != 0 {
		pv.report.ConfiguredQuota = &pv.defaultQuota
	}
	// namespacequota.get_quota_for_view's backfill states.
	switch size := n.Size; {
	case size == nil || (!size.BackfillStarted && !size.BackfillComplete):
		pv.report.BackfillStatus = "waiting"
	case size.BackfillStarted && !size.BackfillComplete:
		pv.report.BackfillStatus = "running"
	case size.BackfillStarted && size.BackfillComplete:
		pv.report.BackfillStatus = "complete"
	}
	if n.Size != nil {
		pv.report.QuotaBytes = n.Size.Bytes
	}
	pv.report.RunningBackfill = pv.report.BackfillStatus
	return &pv.quotas, &pv.report
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
