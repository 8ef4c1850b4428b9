package fakequay

import (
	"math"
	"net/http"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// tagRoutes are endpoints/api/tag.py's resources. The repository path is
// Quay's apirepopath, namespace/name.
func tagRoutes() []*route {
	const repo = "/api/v1/repository/" + repoPathVar
	return []*route{
		{pattern: repo + "/tag/", ops: map[string]*operation{
			// @require_repo_read(allow_for_superuser=True,
			// allow_for_global_readonly_superuser=True) sits outside
			// @parse_args: it decides before the query is parsed.
			http.MethodGet: {nickname: "listRepoTags", guard: requireRepoRead, query: []queryParam{
				// reqparse checks @query_param arguments bottom-up: page
				// before limit.
				{name: "onlyActiveTags", kind: paramTruthyBool, help: "Filter to only active tags.", def: false},
				{name: "page", kind: paramInt, help: "Page index for the results. Default 1.", def: int64(1)},
				{name: "limit", kind: paramInt, help: "Limit to the number of results to return per page. Max 100.", def: int64(50)},
				{name: "filter_tag_name", kind: paramString, def: "",
					help: "Syntax: <op>:<name> Filters the tag names based on the operation.<op> can be 'like' or 'eq'."},
				{name: "specificTag", kind: paramString, help: "Filters the tags to the specific tag.", def: ""},
			}, handle: (*Server).listRepoTags},
		}},
		{pattern: repo + "/tag/{tag}", ops: map[string]*operation{
			// @require_repo_write(allow_for_superuser=True), then
			// @disallow_for_non_normal_repositories, then the body.
			http.MethodPut: {nickname: "changeTag", guard: requireRepoWriteNormal, schema: schemaChangeTag,
				handle: (*Server).changeTag},
			http.MethodDelete: {nickname: "deleteFullTag", guard: requireRepoWriteNormal, handle: (*Server).deleteFullTag},
		}},
		{pattern: repo + "/tag/{tag}/expire", ops: map[string]*operation{
			// @show_if(PERMANENTLY_DELETE_TAGS), on by default; no
			// repository-state check.
			http.MethodPost: {nickname: "removeTagFromTimemachine", guard: requireRepoWrite, schema: schemaExpireTag,
				handle: (*Server).removeTagFromTimemachine},
		}},
		{pattern: repo + "/tag/{tag}/restore", ops: map[string]*operation{
			http.MethodPost: {nickname: "restoreTag", guard: requireRepoWriteNormal, schema: schemaRestoreTag,
				handle: (*Server).restoreTag},
		}},
	}
}

// requireRepoRead is require_repo_read(allow_for_superuser=True,
// allow_for_global_readonly_superuser=True) on the route's repository.
func requireRepoRead(c *call) error {
	return c.requireRepoPermission(readRepository(c.repoPath()), true,
		repoCheck{allowSuperuser: true, allowGlobalReadonly: true})
}

// lookupRepository is registry_model.lookup_repository: the repository of
// the route, or NotFound.
func (c *call) lookupRepository() (*store.Repository, error) {
	nsName, name := c.repoPath()
	ns, ok := c.read.Namespace(nsName)
	if !ok || ns.Deleted {
		return nil, errNotFound
	}
	repo, ok := c.read.Repository(ns.ID, name)
	if !ok {
		return nil, errNotFound
	}
	return repo, nil
}

// listRepoTags is ListRepositoryTags.get: a page of the repository's tag
// history (list_repository_tag_history), newest first.
func (s *Server) listRepoTags(c *call) error {
	specific, _ := c.strQuery("specificTag")
	filter, _ := c.strQuery("filter_tag_name")
	page, _ := c.intQuery("page")
	limit, _ := c.intQuery("limit")
	page = max(1, page)
	limit = min(100, max(1, limit))
	repo, err := c.lookupRepository()
	if err != nil {
		return err
	}
	if page-1 > math.MaxInt64/limit {
		// The OFFSET, page_size * (page - 1), does not fit SQLite's
		// integers: the driver's OverflowError.
		return &crashError{reason: "OverflowError: Python int too large to convert to SQLite INTEGER"}
	}
	q := store.TagHistoryQuery{Page: int(page), Limit: int(limit), ActiveOnly: c.boolQuery("onlyActiveTags"), Now: c.now}
	if specific != "" {
		q.Specific = &specific
	}
	if filter != "" {
		op, value, ok := strings.Cut(filter, ":")
		if !ok {
			return &werkzeugError{400, "Unsupported syntax for filter_tag_name. Expected <operation>:<tag_name> where <operation>can be 'like' or 'eq'."}
		}
		if op == "like" || op == "eq" {
			q.FilterOp, q.FilterValue = op, value
		}
	}
	tags, more := c.read.TagHistory(repo, q)
	out := tagListView{Tags: make([]tagView, len(tags)), Page: page, HasAdditional: more}
	for i, t := range tags {
		out.Tags[i] = tagOf(c.read, &s.cfg, repo, t)
	}
	c.restful(http.StatusOK, out)
	return nil
}
