package fakequay

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

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
	Tags           *repoTagsView   `json:"tags,omitempty"`
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

// maxRepoTags is how many tags get_repo lists (Repository.get's max_tags).
const maxRepoTags = 500

// repoTagsView is getRepo's tags: the repository's alive, visible tags by
// name, newest first, at most 500 (repository_models_pre_oci.py get_repo
// over list_repository_tag_history), each as the Tag namedtuple's to_dict
// writes it (repository_models_interface.py).
type repoTagsView []repoTag

type repoTag struct {
	name                     string
	size                     *int64 // the manifest's layers size; null for a list
	lastModified, expiration *string
	digest                   string
}

// repoTagsOf lists repo's tags for getRepo at now.
func repoTagsOf(rd store.Reader, repo *store.Repository, now time.Time) *repoTagsView {
	tags, _ := rd.TagHistory(repo, store.TagHistoryQuery{Page: 1, Limit: maxRepoTags, ActiveOnly: true, Now: now})
	v := make(repoTagsView, 0, len(tags))
	for _, t := range tags {
		m, _ := rd.ManifestByID(repo, t.ManifestID)
		e := repoTag{name: t.Name, size: m.LayersSize, digest: m.Digest}
		if start := t.StartTS(); start > 0 {
			e.lastModified = formatDate(time.Unix(start, 0))
		}
		if end := t.EndTS(); end != nil && *end != 0 {
			e.expiration = formatDate(time.Unix(*end, 0))
		}
		v = append(v, e)
	}
	return &v
}

// AppendRestful implements py.RestfulAppender: a dict in the tags' order,
// each tag's keys in to_dict's order.
func (v *repoTagsView) AppendRestful(b []byte) []byte {
	b = append(b, '{')
	for i, t := range *v {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = py.AppendString(b, t.name)
		b = append(b, `: {"name": `...)
		b = py.AppendString(b, t.name)
		b = append(b, `, "size": `...)
		if t.size == nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendInt(b, *t.size, 10)
		}
		if t.lastModified != nil {
			b = append(b, `, "last_modified": `...)
			b = py.AppendString(b, *t.lastModified)
		}
		if t.expiration != nil {
			b = append(b, `, "expiration": `...)
			b = py.AppendString(b, *t.expiration)
		}
		b = append(b, `, "manifest_digest": `...)
		b = py.AppendString(b, t.digest)
		b = append(b, '}')
	}
	return append(b, '}')
}
