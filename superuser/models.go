package superuser

import "github.com/quaykit/go-quay/quay"

// Avatar is how Quay draws a namespace (reference §1.9); the same type as
// the quay package's, so values pass between the two.
type Avatar = quay.Avatar

// QuotaLimit is a threshold of a quota: at LimitPercent of the quota Quay
// warns ("Warning") or refuses pushes ("Reject"). It is quay.QuotaLimit.
type QuotaLimit = quay.QuotaLimit

// QuotaSummary is the short quota view inside a user or organization. It is
// quay.QuotaSummary.
type QuotaSummary = quay.QuotaSummary

// QuotaReport is a namespace's storage use as a user or organization view
// carries it (reference §1.9).
type QuotaReport struct {
	// QuotaBytes is the storage the namespace consumes.
	QuotaBytes int64 `json:"quota_bytes"`
	// ConfiguredQuota is the namespace quota's limit, else the system-wide
	// default reject quota; nil when neither exists.
	ConfiguredQuota *int64 `json:"configured_quota"`
	// RunningBackfill and BackfillStatus are the same value:
	// "waiting", "running", "complete" or "".
	RunningBackfill string `json:"running_backfill"`
	BackfillStatus  string `json:"backfill_status"`
}
