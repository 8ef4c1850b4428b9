package superuser_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/internal/testutil"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// The client-side performance goals of issue 5, each beside its baseline
// in the same run; `make bench` (internal/benchreport) turns them into
// PASS/FAIL lines. The million-user size runs only when GOQUAY_BENCH_USERS
// names it (make bench sets 1000000).

const benchToken = "bench-admin-token"

// benchServers caches one in-memory fakequay per table size for the run.
var benchServers struct {
	mu  sync.Mutex
	all map[int]*fakequay.Server
}

// benchClient returns a client of an in-memory fakequay holding users
// users (the superuser "admin" and user0000001 and up), reached through
// the socket-free transport.
func benchClient(b *testing.B, users int) (*superuser.Client, *fakequay.Server) {
	b.Helper()
	benchServers.mu.Lock()
	defer benchServers.mu.Unlock()
	srv := benchServers.all[users]
	if srv == nil {
		cfg := fakequay.DefaultConfig()
		cfg.SuperUsers = []string{"admin"}
		seed := fakequay.Seed{Config: &cfg, Now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), Users: make([]fakequay.SeedUser, users)}
		seed.Users[0] = fakequay.SeedUser{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: benchToken}}}
		for i := 1; i < users; i++ {
			name := fmt.Sprintf("user%07d", i)
			seed.Users[i] = fakequay.SeedUser{Username: name, Email: name + "@example.com"}
		}
		var err error
		if srv, err = fakequay.New(fakequay.WithSeed(seed)); err != nil {
			b.Fatal(err)
		}
		if benchServers.all == nil {
			benchServers.all = map[int]*fakequay.Server{}
		}
		benchServers.all[users] = srv
	}
	c, err := quay.NewClient(srv.URL(), quay.WithToken(benchToken), quay.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		b.Fatal(err)
	}
	return superuser.New(c), srv
}

// Goal 5: walking every user costs the same per user at any table size.

// BenchmarkUsersAllWalk walks every user with Users.All (pages of 100) and
// reports the cost per user as ns/user.
func BenchmarkUsersAllWalk(b *testing.B) {
	testutil.RunSizes(b, []int{100_000}, func(b *testing.B, users int) {
		su, _ := benchClient(b, users)
		for b.Loop() {
			n := 0
			for _, err := range su.Users.All(b.Context(), nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != users {
				b.Fatalf("walked %d users, want %d", n, users)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(users), "ns/user")
	})
}

// Goal 7: the client adds nothing measurable to a raw net/http call.

// BenchmarkUsersList fetches one page of 100 users with Users.List.
func BenchmarkUsersList(b *testing.B) {
	su, _ := benchClient(b, 1000)
	opts := &superuser.UserListOptions{Limit: 100}
	b.ReportAllocs()
	for b.Loop() {
		users, _, err := su.Users.List(b.Context(), opts)
		if err != nil || len(users) != 100 {
			b.Fatalf("List = %d users, %v", len(users), err)
		}
	}
}

// BenchmarkUsersListPaired runs BenchmarkUsersList's and the raw
// baseline's fetches in one loop, alternately, each timed on its own, so
// that a change in machine load weighs on both alike (issue 14, goal 6).
// It reports each side's median time (a stall from another process lands
// on one call of one side) as list-ns/op and raw-ns/op; the allocations
// come from the two benchmarks apart.
func BenchmarkUsersListPaired(b *testing.B) {
	su, srv := benchClient(b, 1000)
	opts := &superuser.UserListOptions{Limit: 100}
	hc := srv.HTTPClient()
	url := srv.URL() + "/api/v1/superuser/users/?limit=100"
	sides := []func(){
		func() {
			users, _, err := su.Users.List(b.Context(), opts)
			if err != nil || len(users) != 100 {
				b.Fatalf("List = %d users, %v", len(users), err)
			}
		},
		func() { rawUsersPage(b, hc, url) },
	}
	var times [2][]time.Duration
	n := 0
	for b.Loop() {
		for k := range sides {
			i := (n + k) % len(sides)
			start := time.Now()
			sides[i]()
			times[i] = append(times[i], time.Since(start))
		}
		n++
	}
	for i, name := range []string{"list", "raw"} {
		slices.Sort(times[i])
		b.ReportMetric(float64(times[i][len(times[i])/2].Nanoseconds()), name+"-ns/op")
	}
}

// rawUser mirrors the user view field for field, as a program without the
// client would declare it.
type rawUser struct {
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Verified bool   `json:"verified"`
	Avatar   struct {
		Name  string `json:"name"`
		Hash  string `json:"hash"`
		Color string `json:"color"`
		Kind  string `json:"kind"`
	} `json:"avatar"`
	SuperUser               bool `json:"super_user"`
	GlobalReadonlySuperUser bool `json:"global_readonly_super_user"`
	Enabled                 bool `json:"enabled"`
	Quotas                  []struct {
		ID         int64 `json:"id"`
		LimitBytes int64 `json:"limit_bytes"`
		Limits     []struct {
			ID           int64  `json:"id"`
			Type         string `json:"type"`
			LimitPercent int64  `json:"limit_percent"`
		} `json:"limits"`
	} `json:"quotas,omitempty"`
	QuotaReport *struct {
		QuotaBytes      int64  `json:"quota_bytes"`
		ConfiguredQuota *int64 `json:"configured_quota"`
		RunningBackfill string `json:"running_backfill"`
		BackfillStatus  string `json:"backfill_status"`
	} `json:"quota_report,omitempty"`
	EncryptedPassword string `json:"encrypted_password,omitempty"`
}

// BenchmarkUsersListRawBaseline fetches the same page with net/http and
// json.Unmarshal into rawUser: the floor Users.List is measured against.
func BenchmarkUsersListRawBaseline(b *testing.B) {
	_, srv := benchClient(b, 1000)
	hc := srv.HTTPClient()
	url := srv.URL() + "/api/v1/superuser/users/?limit=100"
	b.ReportAllocs()
	for b.Loop() {
		rawUsersPage(b, hc, url)
	}
}

// rawUsersPage fetches a page of 100 users as a program without the client
// would.
func rawUsersPage(b *testing.B, hc *http.Client, url string) {
	req, err := http.NewRequestWithContext(b.Context(), http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET: %d %v", resp.StatusCode, err)
	}
	var page struct {
		Users    []rawUser `json:"users"`
		NextPage string    `json:"next_page"`
	}
	if err := json.Unmarshal(body, &page); err != nil || len(page.Users) != 100 {
		b.Fatalf("decode = %d users, %v", len(page.Users), err)
	}
}
