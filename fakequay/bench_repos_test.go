package fakequay

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/quaykit/go-quay/internal/testutil"
)

// The repository goals of issues 11 and 12: listRepos' last page, a
// permission decision and the heap per repository, each at 10,000 and at
// the large size (GOQUAY_BENCH_USERS, 1,000,000 under make bench); the
// last page of a repository's tags at 1,000 and 100,000 tags; a push into
// a namespace of 100 and of 10,000 images.

// benchOrg is the organization that holds every benchmark repository;
// benchToken's "admin" owns it, and "reader" (readerToken) is a member
// of its last team, which may read the last repository only.
const (
	benchOrg    = "benchorg"
	readerToken = "bench-reader-token"
)

// benchRepoSeed is benchSeed(1) with the user "reader" and the
// organization benchOrg holding repos repositories ("repo0000000" and up,
// private), and, with teams, repos/100 teams more than its owners: the
// registry's permission rows grow with it while reader's stay one.
func benchRepoSeed(repos int, teams bool) Seed {
	seed := benchSeed(1)
	seed.Users = append(seed.Users, SeedUser{Username: "reader", Email: "reader@example.com",
		Tokens: []SeedToken{{Token: readerToken}}})
	org := SeedOrganization{Name: benchOrg, Email: benchOrg + "@example.com",
		Teams: []SeedTeam{{Name: "owners", Role: "admin", Members: []string{"admin"}}}}
	seed.Repositories = make([]SeedRepository, repos)
	for i := range repos {
		seed.Repositories[i] = SeedRepository{Namespace: benchOrg, Name: fmt.Sprintf("repo%07d", i)}
	}
	if teams {
		n := max(repos/100, 1)
		for i := range n {
			org.Teams = append(org.Teams, SeedTeam{Name: fmt.Sprintf("team%07d", i), Role: "member"})
		}
		last := &org.Teams[len(org.Teams)-1]
		last.Members = []string{"reader"}
		seed.Repositories[repos-1].Permissions = &SeedRepoPermissions{Teams: map[string]string{last.Name: "read"}}
	}
	seed.Organizations = []SeedOrganization{org}
	return seed
}

// benchRepoServers caches the servers of this file by kind and size, as
// benchServers does for users.
var benchRepoServers struct {
	mu  sync.Mutex
	all map[string]*Server
}

func benchRepoServer(b *testing.B, repos int) *Server {
	return cachedServer(b, "repos", repos, func() Seed { return benchRepoSeed(repos, true) })
}

// cachedServer returns the server of that kind and size, seeding it on
// first use: with -count 3 the runs share one seeding.
func cachedServer(b *testing.B, kind string, n int, seed func() Seed) *Server {
	b.Helper()
	benchRepoServers.mu.Lock()
	defer benchRepoServers.mu.Unlock()
	key := kind + "=" + strconv.Itoa(n)
	if s := benchRepoServers.all[key]; s != nil {
		return s
	}
	s, err := New(WithSeed(seed()))
	if err != nil {
		b.Fatal(err)
	}
	if benchRepoServers.all == nil {
		benchRepoServers.all = map[string]*Server{}
	}
	benchRepoServers.all[key] = s
	return s
}

// Goals 11 and 12 compare two sizes of one registry; like goal 4 they
// run each size on its own (BenchmarkReposLastPage and
// BenchmarkRepoReadPermission, for profiling), and make bench judges
// their paired forms: both sizes in one loop, alternately, as pairedLoop
// does, since the two sizes measured a minute apart on a shared machine
// moved a ratio by half (issue 14, goal 6).

// Goal 11: listRepos' last page costs the same whatever the namespace
// holds.

// reposLastPage returns a fetch of the last page of benchOrg's
// repositories (namespace=benchorg) in-process as its owner, through a
// page token that points at it, checked once.
func reposLastPage(b *testing.B, repos int) func() {
	s := benchRepoServer(b, repos)
	ns, _ := s.store.Read().Namespace(benchOrg)
	first, _ := s.store.Read().Repository(ns.ID, fmt.Sprintf("repo%07d", repos-reposPerPage))
	tok := idPageToken{StartIndex: first.ID, PageNumber: int64(repos/reposPerPage - 1)}
	url := "http://fakequay.invalid/api/v1/repository?namespace=" + benchOrg + "&next_page=" +
		s.encryptPageToken(pyDumps(tok), s.Now())
	pc := &pageClient{b: b, client: s.HTTPClient()}
	body := string(pc.get(url))
	if strings.Contains(body, "next_page") || strings.Count(body, `"name"`) != reposPerPage ||
		!strings.Contains(body, fmt.Sprintf("repo%07d", repos-1)) {
		b.Fatalf("not the last page: %.200s", body)
	}
	return func() { pc.get(url) }
}

// BenchmarkReposLastPage fetches the last page of repositories at each
// size.
func BenchmarkReposLastPage(b *testing.B) { benchRepoSizes(b, reposLastPage) }

// benchRepoSizes times the operation op builds for a registry of each
// size of repositories.
func benchRepoSizes(b *testing.B, op func(*testing.B, int) func()) {
	testutil.RunSizesOf(b, "repos", []int{10_000}, func(b *testing.B, repos int) {
		get := op(b, repos)
		runtime.GC() // the seed's garbage, as in BenchmarkUsersLastPage
		b.ReportAllocs()
		for b.Loop() {
			get()
		}
	})
}

// BenchmarkReposLastPagePaired fetches the last page of 10,000
// repositories and of the large size alternately and reports
// small-ns/op and large-ns/op; it needs the large size.
func BenchmarkReposLastPagePaired(b *testing.B) {
	large := benchLargeSize(b)
	pairSizes(b, reposLastPage(b, 10_000), reposLastPage(b, large))
}

// Goal 12: a permission decision costs the same whatever the registry
// holds.

// repoRead returns getRepo of the last repository by reader, whose only
// way in is its team's read permission: the decision require_repo_read
// makes (no user permission, the user's teams in the namespace, their
// permissions on the repository), then can_write and can_admin, on a
// registry of that many repositories and a hundredth as many teams.
func repoRead(b *testing.B, repos int) func() {
	s := benchRepoServer(b, repos)
	url := "http://fakequay.invalid/api/v1/repository/" + benchOrg + "/" + fmt.Sprintf("repo%07d", repos-1)
	pc := &pageClient{b: b, client: s.HTTPClient()}
	if body := string(pc.getAs(url, readerToken)); !strings.Contains(body, `"can_write": false`) || !strings.Contains(body, `"can_admin": false`) {
		b.Fatalf("not reader's view: %.300s", body)
	}
	return func() { pc.getAs(url, readerToken) }
}

// BenchmarkRepoReadPermission is repoRead at each size.
func BenchmarkRepoReadPermission(b *testing.B) { benchRepoSizes(b, repoRead) }

// BenchmarkRepoReadPermissionPaired is repoRead at 10,000 repositories
// and at the large size alternately, reporting small-ns/op and
// large-ns/op; it needs the large size.
func BenchmarkRepoReadPermissionPaired(b *testing.B) {
	large := benchLargeSize(b)
	pairSizes(b, repoRead(b, 10_000), repoRead(b, large))
}

// benchLargeSize is the large size testutil.BenchUsersEnv names; the
// benchmark is skipped without it.
func benchLargeSize(b *testing.B) int {
	v := os.Getenv(testutil.BenchUsersEnv)
	if v == "" {
		b.Skip("set " + testutil.BenchUsersEnv + " (make bench uses 1000000) to run the large size")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < reposPerPage {
		b.Fatalf("%s=%q: want a number of at least %d", testutil.BenchUsersEnv, v, reposPerPage)
	}
	return n
}

// pairSizes runs the small and the large side of a size goal as
// pairedLoop does, after collecting the seeds' garbage.
func pairSizes(b *testing.B, small, large func()) {
	runtime.GC()
	b.ReportAllocs()
	pairedLoop(b, []string{"small", "large"}, []func(){small, large})
}

// Goal 13: heap per repository.

// BenchmarkSeedRepos loads a seed of that many repositories of one
// organization into a new server (one op: New with the seed) and reports
// the live heap the server holds per repository as B/repo, indexes
// included.
func BenchmarkSeedRepos(b *testing.B) {
	testutil.RunSizesOf(b, "repos", []int{10_000}, func(b *testing.B, repos int) {
		b.ReportMetric(seedHeapPerRow(b, repos, func() Seed { return benchRepoSeed(repos, false) }), "B/repo")
	})
}

// Goal 14: the last page of a repository's tags costs the same whatever
// the repository holds.

// benchTagsRepo is the repository of the tag benchmarks.
const benchTagsRepo = "tagged"

// benchTagsServer is a server whose repository benchOrg/tagged holds that
// many tags ("v0000000" and up), all on one image, pushed as the seed's
// images (one transaction: a push each took minutes for 100,000). They
// start together, so the history orders them by name.
func benchTagsServer(b *testing.B, tags int) *Server {
	return cachedServer(b, "tags", tags, func() Seed {
		seed := benchRepoSeed(0, false)
		spec := []ImageSpec{{Layers: []LayerSpec{{Seed: "tags", Size: 1024}}}}
		for i := range tags {
			seed.Images = append(seed.Images, SeedImage{Namespace: benchOrg, Repository: benchTagsRepo,
				Tag: fmt.Sprintf("v%07d", i), Platforms: spec})
		}
		return seed
	})
}

// tagsLastPage returns a fetch of the last page of 100 tags of the
// repository's tag history (page=tags/100: OFFSET tags-100) in-process as
// its owner, checked once.
func tagsLastPage(b *testing.B, tags int) func() {
	s := benchTagsServer(b, tags)
	url := fmt.Sprintf("http://fakequay.invalid/api/v1/repository/%s/%s/tag/?limit=100&page=%d",
		benchOrg, benchTagsRepo, tags/100)
	pc := &pageClient{b: b, client: s.HTTPClient()}
	body := string(pc.get(url))
	if !strings.Contains(body, `"has_additional": false`) || strings.Count(body, `"name"`) != 100 ||
		!strings.Contains(body, fmt.Sprintf(`"v%07d"`, tags-1)) {
		b.Fatalf("not the last page: %.300s", body)
	}
	return func() { pc.get(url) }
}

// BenchmarkTagsLastPage fetches the last tag page at each size.
func BenchmarkTagsLastPage(b *testing.B) {
	for _, tags := range []int{1_000, 100_000} {
		b.Run("tags="+strconv.Itoa(tags), func(b *testing.B) {
			get := tagsLastPage(b, tags)
			runtime.GC()
			b.ReportAllocs()
			for b.Loop() {
				get()
			}
		})
	}
}

// BenchmarkTagsLastPagePaired fetches the last tag page of 1,000 and of
// 100,000 tags alternately, reporting small-ns/op and large-ns/op.
func BenchmarkTagsLastPagePaired(b *testing.B) {
	pairSizes(b, tagsLastPage(b, 1_000), tagsLastPage(b, 100_000))
}

// Goal 15: a push's quota accounting costs the same whatever the
// namespace holds.

// benchPushServer is a server whose benchOrg holds images distinct
// images (one layer each), ten repositories' worth, pushed as the seed's
// images.
func benchPushServer(b *testing.B, images int) *Server {
	return cachedServer(b, "images", images, func() Seed {
		seed := benchRepoSeed(0, false)
		for i := range images {
			seed.Images = append(seed.Images, SeedImage{Namespace: benchOrg, Repository: fmt.Sprintf("app%02d", i%10),
				Tag: fmt.Sprintf("t%07d", i), Platforms: []ImageSpec{{Layers: []LayerSpec{{Seed: "seeded" + strconv.Itoa(i), Size: 512}}}}})
		}
		return seed
	})
}

// benchPushes numbers BenchmarkPushPaired's pushes.
var benchPushes atomic.Int64

// BenchmarkPushPaired pushes a new image (a layer no manifest has) into a
// namespace of 100 images and into one of 10,000, alternately, as
// pairedLoop does; each push counts its layer into the namespace's size
// (update_sizes). It reports small-ns/op and large-ns/op.
func BenchmarkPushPaired(b *testing.B) {
	small, large := benchPushServer(b, 100), benchPushServer(b, 10_000)
	push := func(s *Server) func() {
		return func() {
			n := benchPushes.Add(1) // a new layer and tag every push, across runs
			spec := ImageSpec{Layers: []LayerSpec{{Seed: "pushed" + strconv.FormatInt(n, 10), Size: 512}}}
			if _, err := s.PushImage(benchOrg, "pushed", "t"+strconv.FormatInt(n, 10), spec); err != nil {
				b.Fatal(err)
			}
		}
	}
	runtime.GC()
	b.ReportAllocs()
	pairedLoop(b, []string{"small", "large"}, []func(){push(small), push(large)})
}
