package fakequay

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Repositories: endpoints/api/repository.py (createRepo, listRepos,
// getRepo, updateRepo, deleteRepository, changeRepoVisibility and, with
// FEATURE_REPO_MIRROR, changeRepoState). getRepo lists the repository's
// tags from the content store; listRepos' last_modified and quota_bytes
// come from it too, and popularity is 0.0 (only Quay's action-counter
// worker counts actions). Not
// modelled: changeRepoTrust (FEATURE_SIGNING), billing's private
// repository limits (FEATURE_BILLING), spam detection, restricted users
// and organization mirroring.

func repositoryRoutes() []*route {
	const repo = "/api/v1/repository/" + repoPathVar
	return []*route{
		{pattern: "/api/v1/repository", ops: map[string]*operation{
			http.MethodPost: {nickname: "createRepo", schema: schemaNewRepo, handle: (*Server).createRepo},
			http.MethodGet: {nickname: "listRepos", query: []queryParam{
				// page_support's own query_param, applied before the view's.
				{name: "next_page", kind: paramString, help: "The page token for the next page"},
				{name: "namespace", kind: paramString, help: "Filters the repositories returned to this namespace"},
				{name: "starred", kind: paramTruthyBool, help: "Filters the repositories returned to those starred by the user", def: false},
				{name: "public", kind: paramTruthyBool, help: "Adds any repositories visible to the user by virtue of being public", def: false},
				{name: "last_modified", kind: paramTruthyBool, help: "Whether to include when the repository was last modified.", def: false},
				{name: "popularity", kind: paramTruthyBool, help: "Whether to include the repository's popularity metric.", def: false},
				{name: "repo_kind", kind: paramString, help: "The kind of repositories to return", def: "image"},
			}, paged: true, handle: (*Server).listRepos},
		}},
		{pattern: repo, ops: map[string]*operation{
			http.MethodGet: {nickname: "getRepo", query: []queryParam{
				{name: "includeStats", kind: paramTruthyBool, help: "Whether to include action statistics", def: false},
				{name: "includeTags", kind: paramTruthyBool, help: "Whether to include repository tags", def: true},
			}, handle: (*Server).getRepo},
			http.MethodPut:    {nickname: "updateRepo", guard: requireRepoWrite, schema: schemaRepoUpdate, handle: (*Server).updateRepo},
			http.MethodDelete: {nickname: "deleteRepository", guard: requireRepoAdmin, handle: (*Server).deleteRepository},
		}},
		{pattern: repo + "/changevisibility", ops: map[string]*operation{
			http.MethodPost: {nickname: "changeRepoVisibility", guard: requireRepoAdmin, schema: schemaChangeVisibility,
				handle: (*Server).changeRepoVisibility},
		}},
		{pattern: repo + "/changestate", when: func(c *Config) bool { return c.FeatureRepoMirror }, ops: map[string]*operation{
			http.MethodPut: {nickname: "changeRepoState", guard: requireRepoAdmin, schema: schemaChangeRepoState,
				handle: (*Server).changeRepoState},
		}},
	}
}

// repoPath is parse_repository_name over the route's repository: the
// namespace is the first segment, the repository the rest, quoted as
// urllib.parse.quote_plus(repository, safe="/") quotes it. (Quay first
// transliterates the path with unidecode; fakequay does not.)
func (c *call) repoPath() (namespace, repo string) {
	namespace, repo, _ = strings.Cut(strings.TrimRight(c.param("repository"), "/"), "/")
	return namespace, quotePlus(repo)
}

// quotePlus is Python's urllib.parse.quote_plus(s, safe="/").
func quotePlus(s string) string {
	const hex = "0123456789ABCDEF"
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = quoteSafe(s[i])
	}
	if plain {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case quoteSafe(ch):
			b.WriteByte(ch)
		case ch == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		}
	}
	return b.String()
}

func quoteSafe(ch byte) bool {
	return 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || strings.IndexByte("_.-~/", ch) >= 0
}

// requireRepoWrite is require_repo_write(allow_for_superuser=True), which
// Quay stacks outside the body's validation.
func requireRepoWrite(c *call) error {
	ns, repo := c.repoPath()
	return c.requireRepoPermission(modifyRepository(ns, repo), false, repoCheck{allowSuperuser: true})
}

// requireRepoAdmin is require_repo_admin(allow_for_superuser=True).
func requireRepoAdmin(c *call) error {
	ns, repo := c.repoPath()
	return c.requireRepoPermission(administerRepository(ns, repo), false, repoCheck{allowSuperuser: true})
}

// repository returns the repository of namespace ns named name
// (model.repository.get_repository), hiding one marked for deletion.
func (c *call) repository(ns, name string) (*store.Namespace, *store.Repository, bool) {
	n, ok := c.read.Namespace(ns)
	if !ok {
		return nil, nil, false
	}
	r, ok := c.read.Repository(n.ID, name)
	if !ok || r.State == store.RepositoryMarkedForDeletion {
		return nil, nil, false
	}
	return n, r, true
}

// repositoryNameExtendedRE is Quay's REPOSITORY_NAME_EXTENDED_REGEX
// (FEATURE_EXTENDED_REPOSITORY_NAMES, on by default), under re.match.
var repositoryNameExtendedRE = lazyRegexp(`^[a-z0-9][.a-z0-9_-]*(?:/[a-z0-9][.a-z0-9_-]*)*\n?\z`)

// validExtendedRepositoryName is REPOSITORY_NAME_EXTENDED_REGEX.match:
// its lookahead (?=.{0,255}$) caps the name at 255 characters (with "$"
// also before a final newline).
func validExtendedRepositoryName(name string) bool {
	core := strings.TrimSuffix(name, "\n")
	return len([]rune(core)) <= 255 && repositoryNameExtendedRE().MatchString(name)
}

// createRepo: RepositoryList.post. The permission is
// CreateRepositoryPermission on the namespace (the caller's own when the
// body names none), then the name, then create_repository, which gives a
// creating user admin and applies the organization's default permissions.
func (s *Server) createRepo(c *call) error {
	body, _ := asObject(c.body)
	owner := c.who.user
	if owner == nil {
		return invalidRequest("Must provide a namespace or must be logged in.")
	}
	ns, ok := body.str("namespace")
	if !ok {
		ns = owner.Name
	}
	if !c.can(createRepository(ns)) && !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	name, _ := body.str("repository")
	visibility, _ := body.str("visibility")
	if _, _, exists := c.repository(ns, name); exists {
		return invalidRequest("Repository already exists")
	}
	if !validExtendedRepositoryName(name) {
		return invalidRequest("Invalid repository name")
	}
	kind := "image"
	if k, ok := body.str("repo_kind"); ok && k != "" {
		kind = k
	}
	description, _ := body.str("description")
	_, err := s.store.CreateRepository(store.NewRepository{
		Namespace: ns, Name: name, Public: visibility == "public", Kind: store.KindImage,
		Description: &description, CreatorID: owner.ID,
		Audit: c.action("create_repo", ns, meta().set("repo", name).set("namespace", ns)),
	})
	if errors.Is(err, store.ErrRepositoryExists) {
		return invalidRequest("Could not create repository")
	}
	if err != nil {
		return err
	}
	c.restful(http.StatusCreated, createdRepoView{Namespace: ns, Name: name, Kind: kind})
	return nil
}

// reposPerPage is REPOS_PER_PAGE.
const reposPerPage = 100

// listRepos: RepositoryList.get (get_repo_list). Without stars (fakequay
// has none) a starred list is empty.
func (s *Server) listRepos(c *call) error {
	ns, _ := c.strQuery("namespace")
	starred, public := c.boolQuery("starred"), c.boolQuery("public")
	if ns == "" && !starred && !public {
		return invalidRequest("namespace, starred or public are required for this API call")
	}
	u := c.who.user
	if starred && u == nil {
		return errBadJSON // flask's abort(400): BadRequest's text
	}
	kindName, _ := c.strQuery("repo_kind")
	var tok idPageToken
	hasToken := c.page != nil && json.Unmarshal(c.page, &tok) == nil
	out := repoListView{Repositories: []repoListEntryView{}}
	var next *idPageToken
	switch {
	case starred:
		if hasToken {
			start := max(tok.StartIndex, 1)
			next = &idPageToken{StartIndex: start + 1, PageNumber: start + 1}
		}
	default:
		rows, more, err := c.visibleRepositories(u, ns, kindName, public, tok.StartIndex)
		if err != nil {
			return err
		}
		if more != nil {
			next = &idPageToken{StartIndex: more.ID, PageNumber: tok.PageNumber + 1}
		}
		out.Repositories = s.repoListEntries(c, rows, u != nil, kindName)
	}
	if next != nil {
		out.NextPage = s.encryptPageToken(pyDumps(*next), c.now)
	}
	c.restful(http.StatusOK, out)
	return nil
}

// visibleRepositories is get_visible_repositories with
// filter_to_repos_for_user: a page (REPOS_PER_PAGE, in id order, from the
// id fromID) of the repositories of the kind, in namespace ns (or every
// namespace), that are public (when public) or that the user holds a
// permission on, directly or through a team, or whose organization it
// administers; every repository, for a global read-only superuser or a
// superuser with full access. It returns the first repository of the
// next page too, or nil.
func (c *call) visibleRepositories(u *store.Namespace, ns, kindName string, public bool, fromID int64) ([]*store.Repository, *store.Repository, error) {
	if !public && u == nil {
		return nil, nil, nil
	}
	kind, ok := store.ParseRepositoryKind(kindName)
	if !ok {
		return nil, nil, &store.ModelError{Message: "Unknown repository kind"}
	}
	superuser := c.isGlobalReadonly() || (c.s.cfg.FeatureSuperusersFullAccess && c.isSuperuser())
	everything := u != nil && superuser
	var visible func(*store.Repository) bool
	if everything {
		visible = func(*store.Repository) bool { return true }
	} else {
		v := repoVisibility{c: c, public: public, user: u}
		visible = v.visible
	}
	var rows []*store.Repository
	var more *store.Repository
	take := func(r *store.Repository) bool {
		if r.Kind != kind || r.State == store.RepositoryMarkedForDeletion || !visible(r) {
			return true
		}
		if len(rows) == reposPerPage {
			more = r
			return false
		}
		rows = append(rows, r)
		return true
	}
	if ns != "" {
		if n, ok := c.read.Namespace(ns); ok {
			c.read.Repositories(n.ID, fromID, take)
		}
		return rows, more, nil
	}
	// Every namespace: the union Quay orders by repository id.
	var all []*store.Repository
	c.read.AllNamespaces(func(n *store.Namespace) bool {
		c.read.Repositories(n.ID, fromID, func(r *store.Repository) bool {
			all = append(all, r)
			return true
		})
		return true
	})
	slices.SortFunc(all, func(a, b *store.Repository) int { return cmp.Compare(a.ID, b.ID) })
	for _, r := range all {
		if !take(r) {
			break
		}
	}
	return rows, more, nil
}

// repoVisibility decides filter_to_repos_for_user's union for one user,
// remembering per namespace what it found.
type repoVisibility struct {
	c      *call
	public bool
	user   *store.Namespace
	seen   map[int64]*namespaceAccess
}

// namespaceAccess is what the user is in one namespace: an administrator
// of the organization (a member of an admin team), and its teams there.
type namespaceAccess struct {
	admin bool
	teams []int64
}

func (v *repoVisibility) visible(r *store.Repository) bool {
	if v.public && r.Public {
		return true
	}
	if v.user == nil {
		return false
	}
	rd := v.c.read
	me := store.UserEntity(v.user.ID)
	if _, ok := rd.Permission(r, me); ok {
		return true
	}
	if v.seen == nil {
		v.seen = map[int64]*namespaceAccess{}
	}
	acc := v.seen[r.NamespaceID]
	if acc == nil {
		acc = &namespaceAccess{}
		rd.TeamsOf(me, r.NamespaceID, func(t *store.Team) bool {
			acc.teams = append(acc.teams, t.ID)
			acc.admin = acc.admin || t.Role == store.TeamAdmin
			return true
		})
		v.seen[r.NamespaceID] = acc
	}
	if acc.admin {
		return true
	}
	for _, t := range acc.teams {
		if _, ok := rd.Permission(r, store.TeamEntity(t)); ok {
			return true
		}
	}
	return false
}

// repoListEntries are RepositoryBaseElement.to_dict of each row, with
// add_quota_view's quota_report when quota views are on.
func (s *Server) repoListEntries(c *call, rows []*store.Repository, loggedIn bool, kindName string) []repoListEntryView {
	out := make([]repoListEntryView, 0, len(rows))
	lastModified, popularity := c.boolQuery("last_modified"), c.boolQuery("popularity")
	names := map[int64]string{}
	for _, r := range rows {
		ns, ok := names[r.NamespaceID]
		if !ok {
			n, _ := c.read.NamespaceByID(r.NamespaceID)
			ns = n.Name
			names[r.NamespaceID] = ns
		}
		e := repoListEntryView{Namespace: ns, Name: r.Name, Description: r.Description, IsPublic: r.Public,
			Kind: kindName, State: r.State.String()}
		if lastModified {
			// registry_oci_model.get_most_recent_tag_lifetime_start: the
			// newest alive tag's start, in whole seconds; null without one.
			e.LastModified = jsonNull
			if ms, ok := c.read.MostRecentTagStart(r, c.now); ok {
				e.LastModified = strconv.AppendInt(nil, ms/1000, 10)
			}
		}
		if popularity {
			// float(action_count or 0): get_repositories_action_sums reads
			// RepositoryActionCount, which only the repositoryactioncounter
			// worker fills; without it (as in fakequay) pushes and pulls
			// count nothing.
			e.Popularity = json.RawMessage("0.0")
		}
		if loggedIn {
			e.IsStarred = new(bool)
		}
		if s.quotaViewsEnabled() {
			e.QuotaReport = &repoQuotaReportView{ConfiguredQuota: s.configuredQuota(c.read, r.NamespaceID)}
			if r.SizeBytes != nil { // get_repository_sizes: 0 without a row
				e.QuotaReport.QuotaBytes = *r.SizeBytes
			}
		}
		out = append(out, e)
	}
	return out
}

// configuredQuota is add_quota_view's configured_quota: the namespace's
// quota, else DEFAULT_SYSTEM_REJECT_QUOTA_BYTES, else null.
func (s *Server) configuredQuota(rd store.Reader, namespaceID int64) *int64 {
	if q, ok := rd.QuotaOf(namespaceID); ok {
		return &q.LimitBytes
	}
	if d := s.cfg.DefaultSystemRejectQuotaBytes; d != 0 {
		return &d
	}
	return nil
}

// maxDaysIn3Months is MAX_DAYS_IN_3_MONTHS.
const maxDaysIn3Months = 92

// getRepo: Repository.get. The query is parsed before
// require_repo_read(allow_for_superuser=True,
// allow_for_global_readonly_superuser=True).
func (s *Server) getRepo(c *call) error {
	nsName, name := c.repoPath()
	if err := c.requireRepoPermission(readRepository(nsName, name), true,
		repoCheck{allowSuperuser: true, allowGlobalReadonly: true}); err != nil {
		return err
	}
	ns, r, ok := c.repository(nsName, name)
	if !ok {
		return errNotFound
	}
	canWrite := c.can(modifyRepository(nsName, name)) && r.State == store.RepositoryNormal
	canAdmin := c.can(administerRepository(nsName, name))
	switch {
	case c.isGlobalReadonly():
		canAdmin = true
	case s.cfg.FeatureSuperusersFullAccess && c.isSuperuser():
		canAdmin = true
		canWrite = canWrite || r.State == store.RepositoryNormal
	}
	tagExpiration := int64(store.DefaultTagExpirationS)
	if ns.Settings != nil {
		tagExpiration = ns.Settings.TagExpirationS
	}
	v := repoView{Namespace: nsName, Name: name, Kind: r.Kind.String(), Description: r.Description, IsPublic: r.Public,
		IsOrganization: ns.IsOrg(), IsStarred: false, TrustEnabled: false, TagExpirationS: tagExpiration,
		IsFreeAccount: true, State: r.State.String(), CanWrite: canWrite, CanAdmin: canAdmin}
	if !r.Public {
		v.StatusToken = badgeToken(r)
	}
	if c.boolQuery("includeTags") {
		v.Tags = repoTagsOf(c.read, r, c.now)
	}
	if c.boolQuery("includeStats") {
		stats := make([]repoStatView, 0, maxDaysIn3Months-1)
		for day := 1; day < maxDaysIn3Months; day++ {
			stats = append(stats, repoStatView{Date: c.now.Add(-time.Duration(day) * 24 * time.Hour).Format(time.DateOnly)})
		}
		v.Stats = &stats
	}
	c.restful(http.StatusOK, v)
	return nil
}

// badgeToken is the repository's badge_token, the status_token of a
// private repository's view. Quay draws a uuid4 at creation; fakequay
// derives one from the repository's ids, so it is stable without a
// column of its own.
func badgeToken(r *store.Repository) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "badge %d %d", r.NamespaceID, r.ID))
	sum[6] = sum[6]&0x0f | 0x40
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// updateRepo: Repository.put, set_description.
func (s *Server) updateRepo(c *call) error {
	ns, name := c.repoPath()
	if _, _, ok := c.repository(ns, name); !ok {
		return errNotFound
	}
	body, _ := asObject(c.body)
	description, _ := body.str("description")
	err := s.store.SetRepositoryDescription(ns, name, description, c.action("set_repo_description", ns,
		meta().set("repo", name).set("namespace", ns).set("description", description)))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, successView{Success: true})
	return nil
}

// deleteRepository: Repository.delete, mark_repository_for_deletion. A
// repository that does not exist is no error (the log is still written);
// a namespace that does not exist is Quay's AttributeError on None.
func (s *Server) deleteRepository(c *call) error {
	ns, name := c.repoPath()
	if _, ok := c.read.Namespace(ns); !ok {
		return &crashError{reason: "'NoneType' object has no attribute 'username' (deleteRepository " + ns + ")"}
	}
	err := s.store.MarkRepositoryForDeletion(ns, name, s.rand.uuid(),
		c.action("delete_repo", ns, meta().set("repo", name).set("namespace", ns)))
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// changeRepoVisibility: RepositoryVisibility.post. A repository that does
// not exist gets Flask-RESTful's answer to None: null.
func (s *Server) changeRepoVisibility(c *call) error {
	ns, name := c.repoPath()
	if _, _, ok := c.repository(ns, name); !ok {
		c.restful(http.StatusOK, nil)
		return nil
	}
	body, _ := asObject(c.body)
	visibility, _ := body.str("visibility")
	err := s.store.SetRepositoryVisibility(ns, name, visibility == "public", c.action("change_repo_visibility", ns,
		meta().set("repo", name).set("namespace", ns).set("visibility", visibility)))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, successView{Success: true})
	return nil
}

// changeRepoState: RepositoryStateResource.put. The schema admits only
// NORMAL, READ_ONLY and MIRROR, and the route exists only with
// FEATURE_REPO_MIRROR, so every state it lets through is set.
func (s *Server) changeRepoState(c *call) error {
	ns, name := c.repoPath()
	if _, _, ok := c.repository(ns, name); !ok {
		return errNotFound
	}
	body, _ := asObject(c.body)
	stateName, _ := body.str("state")
	state, _ := store.ParseRepositoryState(stateName)
	err := s.store.SetRepositoryState(ns, name, state, c.action("change_repo_state", ns,
		meta().set("repo", name).set("namespace", ns).set("state_changed", stateName)))
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, successView{Success: true})
	return nil
}
