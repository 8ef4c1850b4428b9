package superuser

import "github.com/quaykit/go-quay/quay"

// Avatar is how Quay draws a namespace (reference §1.9).
type Avatar struct {
	Name  string `json:"name"`  // user, org, robot or team name
	Hash  string `json:"hash"`  // SHA-256 (or MD5 for gravatar) of the e-mail or name
	Color string `json:"color"` // one of Quay's AVATAR_COLORS, e.g. "#a55194"
	Kind  string `json:"kind"`  // "user", "robot", "org" or "team"
}

// QuotaLimit is a threshold of a quota: at LimitPercent of the quota Quay
// warns ("Warning") or refuses pushes ("Reject").
type QuotaLimit struct {
	ID           int64  `json:"id"`
	Type         string `json:"type"`
	LimitPercent int    `json:"limit_percent"`
}

// QuotaSummary is the short quota view inside a user or organization.
type QuotaSummary struct {
	ID         int64        `json:"id"`
	LimitBytes quay.Int64   `json:"limit_bytes"`
	Limits     []QuotaLimit `json:"limits"`
}

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
