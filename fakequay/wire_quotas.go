package fakequay

// JSON views of the superuser quota and registry-size endpoints (reference
// §1.9, §2.14, §2.18), in Quay's key order.

// quotaView is the full quota view (endpoints/api/namespacequota.py
// quota_view) that the superuser quota endpoints answer with; user and
// organization views embed the shorter shortQuotaView instead.
type quotaView struct {
	ID int64 `json:"id"`
	// LimitBytes is int64 as stored, or py.Float in the answer to a PUT that
	// set the size from a float (§2.14).
	LimitBytes          any              `json:"limit_bytes"`
	Limit               string           `json:"limit"`
	DefaultConfig       bool             `json:"default_config"`
	Limits              []quotaLimitView `json:"limits"`
	DefaultConfigExists bool             `json:"default_config_exists"`
}

// registrySizeView is getRegistrySize's answer when Quay has a
// QuotaRegistrySize row.
type registrySizeView struct {
	SizeBytes int64  `json:"size_bytes"`
	LastRan   *int64 `json:"last_ran"` // Unix milliseconds; null before the first calculation
	Queued    bool   `json:"queued"`
	Running   bool   `json:"running"`
}

// noRegistrySizeView is getRegistrySize's answer without a row: the same
// keys with running before queued.
type noRegistrySizeView struct {
	SizeBytes int64  `json:"size_bytes"`
	LastRan   *int64 `json:"last_ran"`
	Running   bool   `json:"running"`
	Queued    bool   `json:"queued"`
}

// defaultQuotaView is quota_view of the system default quota that
// listOrganizationQuota shows in place of none: an unsaved quota, so its
// id is null.
type defaultQuotaView struct {
	ID                  *int64           `json:"id"`
	LimitBytes          int64            `json:"limit_bytes"`
	Limit               string           `json:"limit"`
	DefaultConfig       bool             `json:"default_config"`
	Limits              []quotaLimitView `json:"limits"`
	DefaultConfigExists bool             `json:"default_config_exists"`
}
