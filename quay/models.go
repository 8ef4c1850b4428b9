package quay

// Avatar is how Quay draws a user, organization, robot or team.
//
// Kind is what Quay's avatar code was asked for, not always what the entity
// is: an organization's own view (Organizations.Get) says "user", while the
// organizations listed in a user view and entity search say "org".
type Avatar struct {
	Name  string `json:"name"`  // the entity's name, or an e-mail address for an invite
	Hash  string `json:"hash"`  // SHA-256 of the e-mail or name (MD5 for gravatar)
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
	LimitBytes Int64        `json:"limit_bytes"`
	Limits     []QuotaLimit `json:"limits"`
}

// QuotaReport is a namespace's or a repository's storage use.
type QuotaReport struct {
	// QuotaBytes is the storage the namespace or repository consumes.
	QuotaBytes int64 `json:"quota_bytes"`
	// ConfiguredQuota is the namespace quota's limit, else the system-wide
	// default reject quota; nil when neither exists.
	ConfiguredQuota *int64 `json:"configured_quota"`
	// RunningBackfill and BackfillStatus are the same value: "waiting",
	// "running", "complete" or "". Quay leaves both out of a repository's
	// report.
	RunningBackfill string `json:"running_backfill,omitempty"`
	BackfillStatus  string `json:"backfill_status,omitempty"`
}

// TeamSummary names a team inside another view (an organization member's
// teams, a robot's teams).
type TeamSummary struct {
	Name   string `json:"name"`
	Avatar Avatar `json:"avatar"`
}

// RepositoryPermission is a role on one repository of the namespace, as the
// permission lists of a robot or a team show it.
type RepositoryPermission struct {
	Repository RepositoryRef `json:"repository"`
	Role       string        `json:"role"` // "read", "write" or "admin"
}

// RepositoryRef names a repository of the namespace a list is about.
type RepositoryRef struct {
	Name     string `json:"name"`
	IsPublic bool   `json:"is_public"`
}

// Repository roles, for the Role of permissions and default permissions.
const (
	RoleRead  = "read"
	RoleWrite = "write"
	RoleAdmin = "admin"
)
