package fakequay

import "encoding/json"

// The views of endpoints/api/repository.py
// (repository_models_interface.py), keys in Quay's order.

// createdRepoView is createRepo's answer.
type createdRepoView struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
}

// jsonNull is a present JSON null for a json.RawMessage field with
// omitempty.
var jsonNull = json.RawMessage("null")

// repoListEntryView is RepositoryBaseElement.to_dict with add_quota_view's
// quota_report: last_modified, popularity and is_starred only when asked
// for (or, for is_starred, for a signed-in caller).
type repoListEntryView struct {
	Namespace    string               `json:"namespace"`
	Name         string               `json:"name"`
	Description  *string              `json:"description"`
	IsPublic     bool                 `json:"is_public"`
	Kind         string               `json:"kind"`
	State        string               `json:"state"`
	LastModified json.RawMessage      `json:"last_modified,omitempty"`
	Popularity   json.RawMessage      `json:"popularity,omitempty"`
	IsStarred    *bool                `json:"is_starred,omitempty"`
	QuotaReport  *repoQuotaReportView `json:"quota_report,omitempty"`
}

// repoQuotaReportView is a listed repository's quota_report.
type repoQuotaReportView struct {
	QuotaBytes      int64  `json:"quota_bytes"`
	ConfiguredQuota *int64 `json:"configured_quota"`
}

// repoListView is listRepos' answer.
type repoListView struct {
	Repositories []repoListEntryView `json:"repositories"`
	NextPage     string              `json:"next_page,omitempty"`
}

// repoView is ImageRepositoryRepository.to_dict with getRepo's can_write
// and can_admin, and stats when asked for.
type repoView struct {
	Namespace      string          `json:"namespace"`
	Name           string          `json:"name"`
	Kind           string          `json:"kind"`
	Description    *string         `json:"description"`
	IsPublic       bool            `json:"is_public"`
	IsOrganization bool            `json:"is_organization"`
	IsStarred      bool            `json:"is_starred"`
	StatusToken    string          `json:"status_token"`
	TrustEnabled   bool            `json:"trust_enabled"`
	TagExpirationS int64           `json:"tag_expiration_s"`
	IsFreeAccount  bool            `json:"is_free_account"`
	State          string          `json:"state"`
	Tags           *struct{}       `json:"tags,omitempty"`
	CanWrite       bool            `json:"can_write"`
	CanAdmin       bool            `json:"can_admin"`
	Stats          *[]repoStatView `json:"stats,omitempty"`
}

// repoStatView is one day of getRepo's stats.
type repoStatView struct {
	Date  string `json:"date"`
	Count int    `json:"count"`
}

// successView is {"success": true}.
type successView struct {
	Success bool `json:"success"`
}
