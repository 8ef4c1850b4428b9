package fakequay

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Builders for the shared views of reference §1.9, from store rows.

// quotaViewsEnabled is Quay's QUOTA_MANAGEMENT && EDIT_QUOTA, which adds
// quotas and quota_report to user and organization views.
func (s *Server) quotaViewsEnabled() bool {
	return s.cfg.FeatureQuotaManagement && s.cfg.FeatureEditQuota
}

func (s *Server) userView(rd store.Reader, u *store.Namespace) userView {
	v := userView{
		Kind:                    "user",
		Name:                    u.Name,
		Username:                u.Name,
		Email:                   u.Email,
		Verified:                u.Verified,
		Avatar:                  avatarFor(u.Name, u.Email, "user"),
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
	v := orgView{Name: o.Name, Email: o.Email, Avatar: avatarFor(o.Name, o.Email, "org")}
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

// TEMPORARY until internal/avatar lands.
var avatarColors = []string{"#969696", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7", "#bcbd22", "#1f77b4", "#17becf", "#9edae5", "#393b79", "#5254a3", "#6b6ecf", "#9c9ede", "#9ecae1", "#31a354", "#b5cf6b", "#a1d99b", "#8c6d31", "#ad494a", "#e7ba52", "#a55194"}

func avatarFor(name, email, kind string) avatarView {
	src := email
	if src == "" {
		src = name
	}
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(src))))
	h := hex.EncodeToString(sum[:])
	return avatarView{Name: name, Hash: h, Color: avatarColors[int(sum[0])%32], Kind: kind}
}
