package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/quaykit/go-quay/superuser"
)

// Kinds of namespace.
const (
	kindOrganization = "organization"
	kindUser         = "user"
)

// Where a namespace's limit comes from.
const (
	sourceNamespace = "namespace" // its own quota
	sourceDefault   = "default"   // DEFAULT_SYSTEM_REJECT_QUOTA_BYTES
)

// Status of a namespace against its limits.
const (
	statusOK      = "ok"
	statusWarning = "warning" // at or above a Warning limit
	statusReject  = "reject"  // at or above a Reject limit: Quay refuses pushes
	statusNoQuota = "no quota"
	statusPending = "not counted" // Quay has not computed the namespace's size yet
)

// usage is one line of the report: a namespace's quota and what it uses.
type usage struct {
	Namespace string `json:"namespace"`
	Kind      string `json:"kind"` // "organization" or "user"
	// LimitBytes is the limit Quay applies: the namespace's own quota, else
	// the registry-wide default; nil when there is neither.
	LimitBytes  *int64 `json:"limit_bytes"`
	LimitSource string `json:"limit_source,omitempty"` // "namespace" or "default"
	// UsedBytes is the storage the namespace consumes; nil until Quay's
	// quota worker has counted it (UsageCounted is then its backfill state).
	UsedBytes    *int64 `json:"used_bytes"`
	UsageCounted string `json:"usage_counted"` // "complete", "running", "waiting" or ""
	// Percent is UsedBytes in percent of LimitBytes, nil when either is unknown.
	Percent         *float64 `json:"percent"`
	WarningPercents []int    `json:"warning_percents"`
	RejectPercents  []int    `json:"reject_percents"`
	Status          string   `json:"status"`
}

// errNoQuotaManagement: Quay leaves the quota fields out of its user and
// organization views entirely when quota management is off (reference §1.9).
var errNoQuotaManagement = errors.New("this registry reports no quotas: it does not run with FEATURE_QUOTA_MANAGEMENT (and FEATURE_EDIT_QUOTA)")

// collect reads every organization and then every user, following every
// page, and returns their usage in that order.
func collect(ctx context.Context, su *superuser.Client) ([]usage, error) {
	var out []usage
	for org, err := range su.Organizations.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing organizations: %w", err)
		}
		u, err := usageOf(org.Name, kindOrganization, org.Quotas, org.QuotaReport)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	for user, err := range su.Users.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing users: %w", err)
		}
		u, err := usageOf(user.Username, kindUser, user.Quotas, user.QuotaReport)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// usageOf builds a report line from the quota fields of a user or
// organization view.
func usageOf(name, kind string, quotas []superuser.QuotaSummary, report *superuser.QuotaReport) (usage, error) {
	if report == nil {
		return usage{}, errNoQuotaManagement
	}
	u := usage{Namespace: name, Kind: kind, UsageCounted: report.BackfillStatus,
		WarningPercents: []int{}, RejectPercents: []int{}}
	if report.BackfillStatus == "complete" {
		u.UsedBytes = new(report.QuotaBytes)
	}
	switch {
	case len(quotas) > 0: // Quay allows one quota per namespace (§2.14)
		u.LimitBytes, u.LimitSource = new(int64(quotas[0].LimitBytes)), sourceNamespace
		for _, l := range quotas[0].Limits {
			switch l.Type {
			case "Warning":
				u.WarningPercents = append(u.WarningPercents, l.LimitPercent)
			case "Reject":
				u.RejectPercents = append(u.RejectPercents, l.LimitPercent)
			}
		}
	case report.ConfiguredQuota != nil:
		u.LimitBytes, u.LimitSource = new(*report.ConfiguredQuota), sourceDefault
	}
	u.Status = statusOf(&u)
	return u, nil
}

// statusOf classifies u and fills in its Percent.
func statusOf(u *usage) string {
	if u.LimitBytes == nil {
		return statusNoQuota
	}
	if u.UsedBytes == nil {
		return statusPending
	}
	pct := float64(*u.UsedBytes) * 100 / float64(*u.LimitBytes)
	u.Percent = &pct
	for _, limit := range u.RejectPercents {
		if pct >= float64(limit) {
			return statusReject
		}
	}
	for _, limit := range u.WarningPercents {
		if pct >= float64(limit) {
			return statusWarning
		}
	}
	return statusOK
}
