package contract

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay"
)

// TestOperationCoverage counts, for every operation fakequay serves, the
// contract cases that exercise it: each case runs alone against a fresh
// fakequay, once in each of coverageModes (a case that skips in one runs
// in the other) and the fake's request journal says which operations the
// case's requests reached before its cleanups ran. A case counts for an
// operation it only sets up with (createInstallUser under most cases) as
// much as for the one it names, so the table shows both: "named" (cases
// whose op is the operation) and "exercised" (cases that sent it a
// request). With QUAY_CONTRACT_COVERAGE=FILE the table is written to FILE
// as markdown.
func TestOperationCoverage(t *testing.T) {
	t.Parallel()
	ops := newServer(t, coverageModes[1].config).Operations()
	var mu sync.Mutex
	exercised := map[string]int{}
	named := CaseCounts()
	skipped := new(atomic.Int64)
	e := &env{prefix: runPrefix(), seq: new(atomic.Int64), clockGate: new(sync.RWMutex)}
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases() {
			t.Run(c.op+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				hit := map[string]bool{}
				ran := 0
				for _, mode := range coverageModes {
					t.Run(mode.name, func(t *testing.T) {
						srv := newServer(t, mode.config)
						ce := *e
						ce.tgt = mode.target(srv)
						ce.clockGate = new(sync.RWMutex)
						c.run(t, &ce)
						ran++
						for _, r := range srv.Requests() {
							if r.Operation != "" && r.Status != 0 {
								hit[r.Operation] = true
							}
						}
					})
				}
				if ran == 0 {
					skipped.Add(1)
				}
				mu.Lock()
				defer mu.Unlock()
				for op := range hit {
					exercised[op]++
				}
			})
		}
	})
	var rows []string
	uncovered := 0
	seen := map[string]bool{}
	for _, op := range ops {
		if op.Nickname == "" || seen[op.Nickname] {
			continue
		}
		seen[op.Nickname] = true
		if exercised[op.Nickname] == 0 {
			uncovered++
		}
		rows = append(rows, fmt.Sprintf("| %s | %s %s | %d | %d |", op.Nickname, op.Method, op.Path, named[op.Nickname], exercised[op.Nickname]))
	}
	slices.SortFunc(rows, cmp.Compare)
	table := "| operation | route | named | exercised |\n| --- | --- | --- | --- |\n" + strings.Join(rows, "\n") + "\n"
	t.Logf("\n%s", table)
	t.Logf("%d served operations, %d exercised by no case; %d cases skipped in both modes", len(seen), uncovered, skipped.Load())
	if path := os.Getenv("QUAY_CONTRACT_COVERAGE"); path != "" {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// coverageModes are TestFakeInProcess's and TestFakeSocketFree's
// configurations: between them every case that needs a setting has it.
var coverageModes = []struct {
	name   string
	config func(*fakequay.Config)
	target func(*fakequay.Server) Target
}{
	{"in-process", func(c *fakequay.Config) { c.FeatureRepoMirror, c.FeatureMailing = false, false }, func(srv *fakequay.Server) Target {
		return Target{URL: srv.URL(), HTTPClient: srv.HTTPClient(), Tokens: fixtureTokens, Fixtures: fixtures,
			Mailing: false, QuotaManagement: true, Push: fakePusher(srv), Clock: func(t *testing.T, d time.Duration) { srv.Advance(d) },
			RepoMirror: MirrorDisabled, SetupComplete: true}
	}},
	{"socket-free", func(c *fakequay.Config) {
		c.FeatureSuperuserConfigDump = true
		c.FeatureSuperusersFullAccess = true
		c.SetupComplete = false
		c.RepoMirrorWorkerReplicas = new(int64(2))
	}, func(srv *fakequay.Server) Target {
		return Target{URL: srv.URL(), HTTPClient: srv.HTTPClient(), Tokens: fixtureTokens, Fixtures: fixtures,
			Mailing: true, QuotaManagement: true, Clock: func(t *testing.T, d time.Duration) { srv.Advance(d) }, Push: fakePusher(srv),
			ConfigDump: true, SuperusersFullAccess: true, RepoMirror: MirrorDegraded}
	}},
}

// newServer is a fakequay on the seed file in one of the coverage modes,
// with a journal that holds every request of a case.
func newServer(t *testing.T, config func(*fakequay.Config)) *fakequay.Server {
	t.Helper()
	srv, err := fakequay.New(fakequay.WithSeedFile(seedFile), fakequay.WithJournalSize(1<<16), fakequay.WithConfig(config))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}
