package contract

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	LogDay:     time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
	Repository: "initech/app", // alice is in initech's owners
	SignIn:     SignInFixture{User: "alice", Password: "contract-alice-pw"},
}

// The three fake modes run with different feature flags, so that between
// them the suite sees both sides of each: the seed file's configuration
// (the binary: a healthy mirror, no config dump, no full access, setup
// complete), mirroring off (in-process), and config dump, full access, a
// mirror worker missing and SETUP_COMPLETE unset (socket-free).

// TestFakeInProcess runs the suite against fakequay started by RunT, over
// loopback TCP, with FEATURE_REPO_MIRROR off.
func TestFakeInProcess(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeedFile(seedFile), fakequay.WithConfig(func(c *fakequay.Config) {
		c.FeatureRepoMirror = false
		c.FeatureMailing = false
	}))
	Run(t, Target{URL: srv.URL(), Tokens: fixtureTokens, Fixtures: fixtures, Mailing: false, Push: fakePusher(srv), QuotaManagement: true,
		Clock:      func(t *testing.T, d time.Duration) { srv.Advance(d) },
		RepoMirror: MirrorDisabled, SetupComplete: true})
}

// TestFakeSocketFree runs the suite through fakequay's in-process transport,
// with the config dump, full access and the security scanner on, two
// mirror workers expected where the seed has one report in (a degraded
// mirror), and SETUP_COMPLETE unset. Two images are pushed into the
// fixture repository, one with the scan real Quay answered in
// quay/testdata/getRepoManifestSecurity-scanned.json.
func TestFakeSocketFree(t *testing.T) {
	t.Parallel()
	srv, err := fakequay.New(fakequay.WithSeedFile(seedFile), fakequay.WithConfig(func(c *fakequay.Config) {
		c.FeatureSuperuserConfigDump = true
		c.FeatureSuperusersFullAccess = true
		c.SetupComplete = false
		c.RepoMirrorWorkerReplicas = new(int64(2))
		c.FeatureSecurityScanner = true
	}))
	if err != nil {
		t.Fatal(err)
	}
	fx := fixtures
	fx.ScannedManifest, fx.UnscannedManifest = pushScanFixtures(t, srv)
	Run(t, Target{URL: srv.URL(), HTTPClient: srv.HTTPClient(), Tokens: fixtureTokens, Fixtures: fx, Mailing: true, QuotaManagement: true,
		Push:       fakePusher(srv),
		Clock:      func(t *testing.T, d time.Duration) { srv.Advance(d) },
		ConfigDump: true, SuperusersFullAccess: true, RepoMirror: MirrorDegraded, SecurityScanner: true})
}

// pushScanFixtures pushes two images into the fixture repository and
// records a scan of the first with the packages of real Quay's recorded
// answer.
func pushScanFixtures(t *testing.T, srv *fakequay.Server) (scanned, unscanned string) {
	t.Helper()
	ns, repo, _ := strings.Cut(fixtures.Repository, "/")
	push := func(tag, seed string) string {
		img, err := srv.AddImage(fakequay.SeedImage{Namespace: ns, Repository: repo, Tag: tag, Pusher: "alice",
			Platforms: []fakequay.ImageSpec{{Layers: []fakequay.LayerSpec{{Seed: seed, Size: 64}}}}})
		if err != nil {
			t.Fatal(err)
		}
		return img.Digest
	}
	scanned, unscanned = push("scanned", "scan-a"), push("unscanned", "scan-b")
	b, err := os.ReadFile("../../quay/testdata/getRepoManifestSecurity-scanned.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Data struct {
			Layer struct {
				Features []fakequay.SeedSecurityFeature
			}
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetSecurityScan(fakequay.SeedSecurityScan{Namespace: ns, Repository: repo, Digest: scanned, Status: "scanned",
		Features: rec.Data.Layer.Features}); err != nil {
		t.Fatal(err)
	}
	return scanned, unscanned
}

// fakePusher pushes through fakequay's PushImage, an image per variant.
func fakePusher(srv *fakequay.Server) Pusher {
	return func(_ context.Context, namespace, repository, tag string, variant int) (string, error) {
		img, err := srv.PushImage(namespace, repository, tag, fakequay.ImageSpec{
			Layers: []fakequay.LayerSpec{{Seed: fmt.Sprintf("%s/%s variant %d", namespace, repository, variant), Size: 100}}})
		return img.Digest, err
	}
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
	Run(t, Target{URL: url, Tokens: fixtureTokens, Fixtures: fixtures, Mailing: true, QuotaManagement: true, RepoMirror: MirrorHealthy, SetupComplete: true,
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
// QUAY_TOKEN are set (see the README's "Live contract suite"; LiveTarget
// lists every variable it reads). It logs each setting the cases depend
// on and where it came from: a variable, the registry's config dump, or
// Quay's default.
func TestLiveQuay(t *testing.T) {
	if os.Getenv("QUAY_URL") == "" || os.Getenv("QUAY_TOKEN") == "" {
		t.Skip("QUAY_URL and QUAY_TOKEN are not set: skipping the live Quay contract run")
	}
	tgt, sources, err := LiveTarget(t.Context(), os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range slices.Sorted(maps.Keys(sources)) {
		t.Logf("setting %s = %s", key, sources[key])
	}
	Run(t, tgt)
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
