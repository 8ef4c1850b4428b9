package quay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
)

// page1Token is the next_page real Quay handed out after the first 100
// repositories of namespace pager (testdata/listRepos-page1.json).
const page1Token = "gAAAAABrFuo4-4oEjs-tkEipxo8WqX27FRQ_QmA3AtA-lU40AJ3Vo16sC5mI0dmTkL6NGwon-WTgupTPOjfXGJvbXSY8p7fJYeUvdp_RMT93fLARUAhBf8iMstoouffIIK93gQ5sjxuxrEbBHhzIBy-XdOgZYzPqj6XkERIgHpMMft_b4lZhgjs="

// ts builds a quay.Timestamp in UTC.
func ts(year int, month time.Month, day, hour, min, sec int) quay.Timestamp {
	return quay.Timestamp{Time: time.Date(year, month, day, hour, min, sec, 0, time.UTC)}
}

func TestRepositories(t *testing.T) {
	t.Parallel()
	pushed := ts(2026, time.December, 7, 17, 7, 42)
	simple := quay.Repository{
		Namespace: "devtable", Name: "simple", Kind: "image", Description: "Simple repository.",
		IsStarred: true, StatusToken: "210fa419-3add-4a54-8a6a-93fa2e1bb26e", TagExpirationSeconds: 1209600, State: "NORMAL",
		Tags: map[string]quay.RepositoryTag{
			"prod":   {Name: "prod", Size: 92, LastModified: pushed, ManifestDigest: "sha256:3950cc631045fada72e8344015345dd021985155ddbc58b9211d3adda27f9589"},
			"latest": {Name: "latest", Size: 92, LastModified: pushed, ManifestDigest: "sha256:450116fa516373affeb3b051523fa331ee9bea66d4ac4ca43fcd5f3323fdb2c3"},
		},
		CanWrite: true, CanAdmin: true,
	}
	public := quay.Repository{
		Namespace: "public", Name: "publicrepo", Kind: "image", Description: "Public repository pullable by the world.",
		IsPublic: true, TagExpirationSeconds: 1209600, IsFreeAccount: true, State: "NORMAL",
		Tags: map[string]quay.RepositoryTag{
			"latest": {Name: "latest", Size: 230, LastModified: ts(2026, time.December, 7, 17, 7, 43), ManifestDigest: "sha256:4186866af3afee124e16a08e6ba1a62727dc88fb75be6eda882d9acba3c188cb"},
		},
	}
	web := quay.Repository{
		Namespace: "acme", Name: "web", Kind: "image", Description: "The web app", IsOrganization: true,
		StatusToken: "e33009bc-b0c9-4b65-8d27-356791e8418f", TagExpirationSeconds: 86400, IsFreeAccount: true, State: "NORMAL",
		CanWrite: true, CanAdmin: true,
	}
	// Quay fills the 91 days before today with zero counts.
	for day := range 91 {
		web.Stats = append(web.Stats, quay.RepositoryStat{Date: time.Date(2026, time.December, 6-day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
	}
	orgQuota := &quay.QuotaReport{QuotaBytes: 92, ConfiguredQuota: new(int64(3000))}
	summary := func(ns, name, desc string, lastModified int64, quotaBytes int64) quay.RepositorySummary {
		r := quay.RepositorySummary{Namespace: ns, Name: name, Description: desc, Kind: "image", State: "NORMAL", QuotaReport: &quay.QuotaReport{QuotaBytes: quotaBytes}}
		if lastModified != 0 {
			r.LastModified = new(lastModified)
		}
		return r
	}
	devtableRepos := []quay.RepositorySummary{
		summary("devtable", "simple", "Simple repository.", 1796663262, 92),
		summary("devtable", "sharedtags", "Shared tags repository", 1796663262, 184),
		summary("devtable", "history", "Historical repository.", 1796663262, 207),
		summary("devtable", "complex", "Complex repository with many branches and tags.", 1796663263, 207),
		summary("devtable", "gargantuan", "", 1796663263, 861), // description null
		summary("devtable", "trusted", "Trusted repository.", 1796663263, 92),
		summary("devtable", "shared", "Shared repository, another user can write.", 1796663263, 115),
		summary("devtable", "text-full-repo", "This is a repository for testing text search", 1796663263, 115),
		summary("devtable", "building", "Empty repository which is building.", 0, 0), // last_modified null: no tags
		summary("devtable", "superwide", "", 1796663265, 943),
		summary("devtable", "mirrored", "Mirrored repository.", 1796663265, 92),
		summary("devtable", "readonly", "Read-Only Repo.", 1796663265, 92),
	}
	devtableRepos[0].IsStarred = true
	devtableRepos[10].State = "MIRROR"
	devtableRepos[11].State = "READ_ONLY"
	var pager []quay.RepositorySummary
	for i := 1; i <= 100; i++ {
		pager = append(pager, summary("pager", fmt.Sprintf("r%03d", i), "", 0, 0))
	}

	runCalls(t, []call{
		{
			name: "Create", method: "POST", path: "/repository",
			body:   `{"namespace": "acme", "repository": "web", "visibility": "private", "description": "The web app"}`,
			status: 201, file: "createRepo.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.Create(ctx, quay.CreateRepositoryRequest{Namespace: "acme", Name: "web", Visibility: quay.VisibilityPrivate, Description: "The web app"})
			},
			want: quay.CreatedRepository{Namespace: "acme", Name: "web", Kind: "image"},
		},
		{
			name: "Create in the caller's namespace sends an empty description", method: "POST", path: "/repository",
			body:   `{"repository": "web", "visibility": "public", "description": "", "repo_kind": "image"}`,
			status: 201, file: "createRepo.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.Create(ctx, quay.CreateRepositoryRequest{Name: "web", Visibility: quay.VisibilityPublic, RepoKind: "image"})
			},
			want: quay.CreatedRepository{Namespace: "acme", Name: "web", Kind: "image"},
		},
		{
			name: "List a namespace", method: "GET", path: "/repository", query: url.Values{"namespace": {"buynlarge"}},
			status: 200, file: "listRepos.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				repos, resp, err := c.Repositories.List(ctx, &quay.RepositoryListOptions{Namespace: "buynlarge"})
				if err == nil && resp.NextPage != "" {
					t.Errorf("NextPage = %q on the only page, want empty", resp.NextPage)
				}
				return repos, resp, err
			},
			want: []quay.RepositorySummary{
				{Namespace: "buynlarge", Name: "orgrepo", Description: "Repository owned by an org.", Kind: "image", State: "NORMAL", QuotaReport: orgQuota},
				{Namespace: "buynlarge", Name: "anotherorgrepo", Description: "Another repository owned by an org.", Kind: "image", State: "NORMAL", QuotaReport: orgQuota},
			},
		},
		{
			name: "List with last_modified and popularity", method: "GET", path: "/repository",
			query:  url.Values{"namespace": {"devtable"}, "last_modified": {"true"}, "popularity": {"true"}},
			status: 200, file: "listRepos-extras.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.List(ctx, &quay.RepositoryListOptions{Namespace: "devtable", LastModified: true, Popularity: true})
			},
			want: devtableRepos,
		},
		{
			name: "List public and starred, of a kind, from a page", method: "GET", path: "/repository",
			query:  url.Values{"public": {"true"}, "starred": {"true"}, "repo_kind": {"image"}, "next_page": {"tok 1/+"}},
			status: 200, file: "listRepos-starred.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.List(ctx, &quay.RepositoryListOptions{Public: true, Starred: true, RepoKind: "image", NextPage: "tok 1/+"})
			},
			want: []quay.RepositorySummary{{Namespace: "devtable", Name: "simple", Description: "Simple repository.", Kind: "image", State: "NORMAL", IsStarred: true, QuotaReport: &quay.QuotaReport{QuotaBytes: 92}}},
		},
		{
			name: "List a full first page", method: "GET", path: "/repository", query: url.Values{"namespace": {"pager"}},
			status: 200, file: "listRepos-page1.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				repos, resp, err := c.Repositories.List(ctx, &quay.RepositoryListOptions{Namespace: "pager"})
				if err == nil && resp.NextPage != page1Token {
					t.Errorf("NextPage = %q, want the body's next_page", resp.NextPage)
				}
				return repos, resp, err
			},
			want: pager,
		},
		{
			name: "List the last page", method: "GET", path: "/repository", query: url.Values{"namespace": {"pager"}, "next_page": {page1Token}},
			status: 200, file: "listRepos-page2.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.List(ctx, &quay.RepositoryListOptions{Namespace: "pager", NextPage: page1Token})
			},
			want: []quay.RepositorySummary{summary("pager", "r101", "", 0, 0)},
		},
		{
			name: "Get", method: "GET", path: "/repository/devtable/simple", status: 200, file: "getRepo.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.Get(ctx, "devtable", "simple", nil)
			},
			want: simple,
		},
		{
			name: "Get a public repository as another user", method: "GET", path: "/repository/public/publicrepo", status: 200, file: "getRepo-public.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.Get(ctx, "public", "publicrepo", &quay.RepositoryGetOptions{})
			},
			want: public,
		},
		{
			name: "Get with stats, without tags", method: "GET", path: "/repository/acme/web",
			query:  url.Values{"includeTags": {"false"}, "includeStats": {"true"}},
			status: 200, file: "getRepo-stats.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.Get(ctx, "acme", "web", &quay.RepositoryGetOptions{ExcludeTags: true, IncludeStats: true})
			},
			want: web,
		},
		{
			name: "Get escapes each half", method: "GET", path: "/repository/a%20b/c%2Fd", status: 200, file: "getRepo.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Repositories.Get(ctx, "a b", "c/d", nil)
			},
			want: simple,
		},
		{
			name: "Update", method: "PUT", path: "/repository/acme/web", body: `{"description": "New"}`,
			status: 200, file: "updateRepo.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Repositories.Update(ctx, "acme", "web", quay.UpdateRepositoryRequest{Description: "New"})
				return nil, resp, err
			},
		},
		{
			name: "Update to an empty description", method: "PUT", path: "/repository/acme/web", body: `{"description": ""}`,
			status: 200, file: "updateRepo.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Repositories.Update(ctx, "acme", "web", quay.UpdateRepositoryRequest{})
				return nil, resp, err
			},
		},
		{
			name: "Delete", method: "DELETE", path: "/repository/acme/web", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Repositories.Delete(ctx, "acme", "web")
				return nil, resp, err
			},
		},
		{
			name: "ChangeVisibility", method: "POST", path: "/repository/acme/web/changevisibility", body: `{"visibility": "public"}`,
			status: 200, file: "changeRepoVisibility.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Repositories.ChangeVisibility(ctx, "acme", "web", quay.ChangeVisibilityRequest{Visibility: quay.VisibilityPublic})
				return nil, resp, err
			},
		},
		{
			name: "ChangeState", method: "PUT", path: "/repository/acme/web/changestate", body: `{"state": "READ_ONLY"}`,
			status: 200, file: "changeRepoState.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Repositories.ChangeState(ctx, "acme", "web", quay.ChangeStateRequest{State: quay.RepositoryStateReadOnly})
				return nil, resp, err
			},
		},
	})
}

// pagedRepositories serves repositories r0, r1, ... in pages of size, with
// tokens "p<n>", the way listRepos hands out next_page.
func pagedRepositories(t *testing.T, total, size int, serve func(r *http.Request, start int) int) *quay.Client {
	t.Helper()
	c, mux := apitest.Setup(t)
	mux.HandleFunc("GET /repository", func(w http.ResponseWriter, r *http.Request) {
		start := 0
		if tok := r.URL.Query().Get("next_page"); tok != "" {
			start, _ = strconv.Atoi(tok[1:])
		}
		if serve != nil {
			if status := serve(r, start); status != http.StatusOK {
				w.WriteHeader(status)
				return
			}
		}
		body := `{"repositories": [`
		for i := start; i < min(start+size, total); i++ {
			if i > start {
				body += ", "
			}
			body += `{"namespace": "acme", "name": "r` + strconv.Itoa(i) + `"}`
		}
		body += `]`
		if start+size < total {
			body += `, "next_page": "p` + strconv.Itoa(start+size) + `"`
		}
		apitest.WriteJSON(w, http.StatusOK, []byte(body+"}\n"))
	})
	return c
}

func repositoryNames(seq func(func(quay.RepositorySummary, error) bool)) ([]string, error) {
	var names []string
	for r, err := range seq {
		if err != nil {
			return names, err
		}
		names = append(names, r.Name)
	}
	return names, nil
}

func TestRepositoriesAll(t *testing.T) {
	t.Parallel()
	var (
		mu      sync.Mutex
		queries []url.Values
	)
	c := pagedRepositories(t, 5, 2, func(r *http.Request, start int) int {
		mu.Lock()
		defer mu.Unlock()
		queries = append(queries, r.URL.Query())
		return http.StatusOK
	})
	opts := &quay.RepositoryListOptions{Namespace: "acme", Popularity: true}
	before := *opts
	got, err := repositoryNames(c.Repositories.All(t.Context(), opts))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"r0", "r1", "r2", "r3", "r4"}, got); diff != "" {
		t.Errorf("repositories (-want +got):\n%s", diff)
	}
	wantQueries := []url.Values{
		{"namespace": {"acme"}, "popularity": {"true"}},
		{"namespace": {"acme"}, "popularity": {"true"}, "next_page": {"p2"}},
		{"namespace": {"acme"}, "popularity": {"true"}, "next_page": {"p4"}},
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(wantQueries, queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, *opts); diff != "" {
		t.Errorf("All changed the caller's options (-before +after):\n%s", diff)
	}
}

func TestRepositoriesAllResumes(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	fail.Store(true)
	c := pagedRepositories(t, 4, 2, func(r *http.Request, start int) int {
		if start == 2 && fail.Load() {
			return http.StatusBadGateway
		}
		return http.StatusOK
	})
	got, err := repositoryNames(c.Repositories.All(t.Context(), &quay.RepositoryListOptions{Namespace: "acme"}))
	var pe *quay.PageError
	if !errors.As(err, &pe) || pe.NextPage != "p2" || !errors.Is(err, quay.ErrServer) {
		t.Fatalf("error = %v, want a PageError at p2 wrapping the 502", err)
	}
	if diff := cmp.Diff([]string{"r0", "r1"}, got); diff != "" {
		t.Errorf("repositories before the error (-want +got):\n%s", diff)
	}
	fail.Store(false)
	rest, err := repositoryNames(c.Repositories.All(t.Context(), &quay.RepositoryListOptions{Namespace: "acme", NextPage: pe.NextPage}))
	if err != nil || !cmp.Equal([]string{"r2", "r3"}, rest) {
		t.Errorf("resumed walk = %v, %v; want [r2 r3]", rest, err)
	}
}
