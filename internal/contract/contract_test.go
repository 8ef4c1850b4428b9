package contract

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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

var fixtures = Fixtures{
	Organizations:        []string{"acme", "buynlarge", "cyberdyne"},
	UnapprovedServiceKey: "contract-unapproved",
}

// TestFakeInProcess runs the suite against fakequay started by RunT, over
// loopback TCP.
func TestFakeInProcess(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeedFile(seedFile))
	Run(t, Target{URL: srv.URL(), Tokens: fixtureTokens, Fixtures: fixtures, Mailing: true, QuotaManagement: true,
		Clock: func(t *testing.T, d time.Duration) { srv.Advance(d) }})
}

// TestFakeSocketFree runs the suite through fakequay's in-process transport.
func TestFakeSocketFree(t *testing.T) {
	t.Parallel()
	srv, err := fakequay.New(fakequay.WithSeedFile(seedFile))
	if err != nil {
		t.Fatal(err)
	}
	Run(t, Target{URL: srv.URL(), HTTPClient: srv.HTTPClient(), Tokens: fixtureTokens, Fixtures: fixtures, Mailing: true, QuotaManagement: true,
		Clock: func(t *testing.T, d time.Duration) { srv.Advance(d) }})
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
	Run(t, Target{URL: url, Tokens: fixtureTokens, Fixtures: fixtures, Mailing: true, QuotaManagement: true,
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
// QUAY_TOKEN are set (see the README's "Live contract suite").
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
	}, Mailing: os.Getenv("QUAY_MAILING") == "true", QuotaManagement: os.Getenv("QUAY_QUOTA_MANAGEMENT") == "true"}
	if orgs := os.Getenv("QUAY_CONTRACT_ORGS"); orgs != "" {
		tgt.Fixtures.Organizations = strings.Split(orgs, ",")
	}
	tgt.Fixtures.UnapprovedServiceKey = os.Getenv("QUAY_CONTRACT_UNAPPROVED_KEY")
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
