package contract

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay"
)

const seedFile = "testdata/seed.json"

// fixtureTokens are the tokens testdata/seed.json gives each role.
var fixtureTokens = map[Role]string{
	Superuser:         "contract-admin",
	SuperuserNoScope:  "contract-admin-noscope",
	ReadOnlySuperuser: "contract-auditor",
	NormalUser:        "contract-alice",
}

// fixtures names what testdata/seed.json seeds for the cases to read.
var fixtures = Fixtures{
	Organizations:        []string{"acme", "buynlarge", "cyberdyne"},
	UnapprovedServiceKey: "contract-unapproved",
	Builds: BuildFixtures{
		Finished: "5f0c3b1e-8a3d-4c52-9d61-0b7f4d8b2c11",
		Archived: "7c2e9d40-1b6f-4e8a-a3c5-2d9f6e1b7a22",
		WithLogs: "9a4b8c2d-3e7f-4a1b-8c6d-5e0f1a2b3c33",
	},
	LogDay: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
}

// The three fake modes run with different feature flags, so that between
// them the suite sees both sides of each: the seed file's configuration
// (the binary: a healthy mirror, no config dump, no full access), mirroring
// off (in-process), and config dump, full access and a mirror worker
// missing (socket-free).

// TestFakeInProcess runs the suite against fakequay started by RunT, over
// loopback TCP, with FEATURE_REPO_MIRROR off.
func TestFakeInProcess(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeedFile(seedFile), fakequay.WithConfig(func(c *fakequay.Config) {
		c.FeatureRepoMirror = false
	}))
	Run(t, Target{URL: srv.URL(), Tokens: fixtureTokens, Fixtures: fixtures, Mailing: true, QuotaManagement: true,
		Clock:      func(t *testing.T, d time.Duration) { srv.Advance(d) },
		RepoMirror: MirrorDisabled})
}

// TestFakeSocketFree runs the suite through fakequay's in-process transport,
// with the config dump and full access on, and two mirror workers expected
// where the seed has one report in (a degraded mirror).
func TestFakeSocketFree(t *testing.T) {
	t.Parallel()
	srv, err := fakequay.New(fakequay.WithSeedFile(seedFile), fakequay.WithConfig(func(c *fakequay.Config) {
		c.FeatureSuperuserConfigDump = true
		c.FeatureSuperusersFullAccess = true
		c.RepoMirrorWorkerReplicas = new(int64(2))
	}))
	if err != nil {
		t.Fatal(err)
	}
	Run(t, Target{URL: srv.URL(), HTTPClient: srv.HTTPClient(), Tokens: fixtureTokens, Fixtures: fixtures, Mailing: true, QuotaManagement: true,
		Clock:      func(t *testing.T, d time.Duration) { srv.Advance(d) },
		ConfigDump: true, SuperusersFullAccess: true, RepoMirror: MirrorDegraded})
}

// TestFakeBinary builds the fakequay binary, starts it with the seed file
// and runs the suite against it over TCP; its clock moves through the
// /_fakequay/clock control endpoint.
func TestFakeBinary(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "fakequay")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/quaykit/go-quay/fakequay/cmd/fakequay")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-seed", seedFile)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the ready line: %v", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "fakequay listening on ")
	if !ok {
		t.Fatalf("ready line = %q", line)
	}
	Run(t, Target{URL: url, Tokens: fixtureTokens, Fixtures: fixtures, Mailing: true, QuotaManagement: true, RepoMirror: MirrorHealthy,
		Clock: func(t *testing.T, d time.Duration) {
			body := strings.NewReader(`{"advance": "` + d.String() + `"}`)
			resp, err := http.Post(url+"/_fakequay/clock", "application/json", body)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("advancing the clock: %d", resp.StatusCode)
			}
		}})
}

// TestLiveQuay runs the suite against a real Quay when QUAY_URL and
// QUAY_TOKEN are set (see the README's "Live contract suite"). Besides
// those two it reads:
//
//	QUAY_NOSCOPE_TOKEN, QUAY_READONLY_TOKEN, QUAY_USER_TOKEN
//	                              tokens of the other roles (cases needing one skip without it)
//	QUAY_MAILING=true             the registry runs with FEATURE_MAILING
//	QUAY_CONFIGDUMP=true          ... with FEATURE_SUPERUSER_CONFIGDUMP
//	QUAY_SUPERUSERS_FULL_ACCESS=true  ... with FEATURE_SUPERUSERS_FULL_ACCESS
//	QUAY_APP_TOKEN_EXPIRATION     its APP_SPECIFIC_TOKEN_EXPIRATION, in Quay's form (e.g. 52w)
//	QUAY_REPO_MIRROR              healthy, degraded or enabled (health unknown) when it
//	                              runs with FEATURE_REPO_MIRROR; unset or off when not
//	QUAY_CONTRACT_ORGS            comma-separated organizations, at least two
//	QUAY_CONTRACT_BUILD           UUID of a finished build
//	QUAY_CONTRACT_ARCHIVED_BUILD  UUID of a build whose log has been archived
//	QUAY_CONTRACT_LIVE_BUILD      UUID of a build whose log (two or more entries) is not archived yet
//	QUAY_CONTRACT_LOG_DAY         a past day (YYYY-MM-DD) with over 20 audit log entries and no new ones
func TestLiveQuay(t *testing.T) {
	url, token := os.Getenv("QUAY_URL"), os.Getenv("QUAY_TOKEN")
	if url == "" || token == "" {
		t.Skip("QUAY_URL and QUAY_TOKEN are not set: skipping the live Quay contract run")
	}
	tgt := Target{URL: url, Tokens: map[Role]string{
		Superuser:         token,
		SuperuserNoScope:  os.Getenv("QUAY_NOSCOPE_TOKEN"),
		ReadOnlySuperuser: os.Getenv("QUAY_READONLY_TOKEN"),
		NormalUser:        os.Getenv("QUAY_USER_TOKEN"),
	},
		Mailing:              os.Getenv("QUAY_MAILING") == "true",
		QuotaManagement:      os.Getenv("QUAY_QUOTA_MANAGEMENT") == "true",
		ConfigDump:           os.Getenv("QUAY_CONFIGDUMP") == "true",
		SuperusersFullAccess: os.Getenv("QUAY_SUPERUSERS_FULL_ACCESS") == "true",
	}
	if orgs := os.Getenv("QUAY_CONTRACT_ORGS"); orgs != "" {
		tgt.Fixtures.Organizations = strings.Split(orgs, ",")
	}
	tgt.Fixtures.UnapprovedServiceKey = os.Getenv("QUAY_CONTRACT_UNAPPROVED_KEY")
	tgt.Fixtures.Builds = BuildFixtures{
		Finished: os.Getenv("QUAY_CONTRACT_BUILD"),
		Archived: os.Getenv("QUAY_CONTRACT_ARCHIVED_BUILD"),
		WithLogs: os.Getenv("QUAY_CONTRACT_LIVE_BUILD"),
	}
	if day := os.Getenv("QUAY_CONTRACT_LOG_DAY"); day != "" {
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatalf("QUAY_CONTRACT_LOG_DAY: %v", err)
		}
		tgt.Fixtures.LogDay = d
	}
	if exp := os.Getenv("QUAY_APP_TOKEN_EXPIRATION"); exp != "" {
		d, err := quayDuration(exp)
		if err != nil {
			t.Fatalf("QUAY_APP_TOKEN_EXPIRATION: %v", err)
		}
		tgt.AppTokenExpiration = d
	}
	states := map[string]MirrorState{"": MirrorDisabled, "off": MirrorDisabled, "healthy": MirrorHealthy, "degraded": MirrorDegraded, "enabled": MirrorEnabled}
	state, ok := states[os.Getenv("QUAY_REPO_MIRROR")]
	if !ok {
		t.Fatalf("QUAY_REPO_MIRROR = %q, want off, healthy, degraded or enabled", os.Getenv("QUAY_REPO_MIRROR"))
	}
	tgt.RepoMirror = state
	Run(t, tgt)
}

// quayDuration parses a duration in the form of Quay's timedelta settings:
// an integer and one of the units s, m, h, d, w or y (365 days).
func quayDuration(v string) (time.Duration, error) {
	units := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour, 'y': 365 * 24 * time.Hour}
	if v == "" {
		return 0, fmt.Errorf("empty duration")
	}
	unit, ok := units[v[len(v)-1]]
	n, err := strconv.Atoi(v[:len(v)-1])
	if !ok || err != nil {
		return 0, fmt.Errorf("%q is not <integer><s|m|h|d|w|y>", v)
	}
	return time.Duration(n) * unit, nil
}

// TestCaseCounts prints the number of cases per operation (go test -v).
func TestCaseCounts(t *testing.T) {
	counts := CaseCounts()
	total := 0
	for op, n := range counts {
		t.Logf("%-36s %d", op, n)
		total += n
	}
	t.Logf("%d cases over %d operations", total, len(counts))
	if total == 0 {
		t.Fatal("the suite has no cases")
	}
}
