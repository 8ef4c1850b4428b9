// Command benchreport runs the performance benchmarks of issues 5, 11, 12
// and 14
// and prints one PASS/FAIL line per goal (`make bench`).
//
// It builds each benchmarked package's test binary once, runs the
// benchmarks with -benchmem in several rounds (every benchmark next to its
// baseline in the same invocation, rounds interleaved so that a change in
// machine load hits both sides), and judges each goal on the medians, then
// on every round alone: the table shows the spread of the rounds (best and
// worst) and whether the goal holds at the worst one, with the load average
// that round ran under. The million-user benchmarks run once with -count 3
// (three rounds in one process), since seeding a million users takes
// seconds; GOQUAY_BENCH_USERS tells them the size.
//
//	go run ./internal/benchreport [-rounds 7] [-users 1000000] [-strict] [-v]
//
// It exits with status 1 when a goal fails at the median or could not be
// measured; with -strict, also when a goal fails at its worst round.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// benchRun is one `go test -bench` invocation.
type benchRun struct {
	pkg       string // package directory, relative to the module root
	bench     string // -bench regexp: a goal's benchmarks and their baselines
	benchtime string // -benchtime, "" for go test's default
	count     int    // -count within the invocation
	once      bool   // runs once after the rounds (slow benchmarks)
	large     bool   // needs the large table size, GOQUAY_BENCH_USERS
}

// plan lists the invocations; each holds every benchmark of the goals it
// serves, so that a ratio is always between numbers of one run. The
// ratios of goals 1, 2, 3, 7, 8, 9, 11, 12, 14 and 15 come from paired
// benchmarks, which run a goal's sides in one loop, alternately, each
// timed on its own: a change in machine load then weighs on both sides
// alike (issue 14, goal 6).
var plan = []benchRun{
	{pkg: "fakequay", bench: `^BenchmarkStartPaired$`, benchtime: "2s"},                  // goal 1
	{pkg: "fakequay", bench: `^BenchmarkUsersPagePaired$`, benchtime: "3s"},              // goals 2, 3
	{pkg: "fakequay", bench: `^BenchmarkReadsDuringWritesPaired$`, benchtime: "60x"},     // goal 8
	{pkg: "superuser", bench: `^BenchmarkUsersList(Paired|RawBaseline)?$`},               // goal 7
	{pkg: "fakequay/cmd/fakequay", bench: `^BenchmarkColdStartPaired$`, benchtime: "5x"}, // goal 9
	// Every key created costs the pool an RSA generation, made off the clock.
	{pkg: "fakequay", bench: `^Benchmark(CreateServiceKey|RSAGenerateKey)$`, benchtime: "40x", once: true}, // goal 10
	{pkg: "fakequay", bench: `^BenchmarkUsersLastPage$`, count: 3, once: true, large: true},                // goal 4
	// One seeding per run, in a process of its own: its heap measurements
	// collect garbage twice per seeding, which the million-user server of
	// goal 4 would make cost a second each.
	{pkg: "fakequay", bench: `^BenchmarkSeedUsers(MapBaseline)?$`, benchtime: "1x", count: 3, once: true, large: true}, // goal 6
	{pkg: "superuser", bench: `^BenchmarkUsersAllWalk$`, count: 3, once: true, large: true},                            // goal 5
	// Seeding 100,000 tags and 10,000 images takes a minute; each size is
	// seeded once per process and shared by the three runs.
	{pkg: "fakequay", bench: `^BenchmarkTagsLastPagePaired$`, benchtime: "2s", count: 3, once: true},                                    // goal 14
	{pkg: "fakequay", bench: `^BenchmarkPushPaired$`, benchtime: "200x", count: 3, once: true},                                          // goal 15
	{pkg: "fakequay", bench: `^Benchmark(ReposLastPage|RepoReadPermission)Paired$`, benchtime: "2s", count: 3, once: true, large: true}, // goals 11, 12
	// Its own process, as goal 6's seeding.
	{pkg: "fakequay", bench: `^BenchmarkSeedRepos$`, benchtime: "1x", count: 3, once: true, large: true}, // goal 13
}

func main() {
	rounds := flag.Int("rounds", 7, "rounds of the quick benchmarks (medians are taken over them)")
	users := flag.Int("users", 1_000_000, "the large table size (GOQUAY_BENCH_USERS)")
	verbose := flag.Bool("v", false, "echo the benchmark output to stderr")
	strict := flag.Bool("strict", false, "fail when a goal fails at its worst round, not only at the median")
	flag.Parse()
	if err := run(*rounds, *users, *verbose, *strict, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

// errGoalsFailed makes the exit status say that a goal failed.
var errGoalsFailed = fmt.Errorf("some goals failed")

func run(rounds, users int, verbose, strict bool, stdout, stderr io.Writer) error {
	if rounds < 1 || users < 1 {
		return fmt.Errorf("-rounds and -users must be positive")
	}
	dir, err := os.MkdirTemp("", "benchreport")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	r := &runner{dir: dir, users: users, binaries: map[string]string{}, s: samples{}, loads: map[int]float64{}, log: stderr}
	if verbose {
		r.echo = stderr
	}
	start := time.Now()
	for round := 1; round <= rounds; round++ {
		for _, br := range plan {
			if !br.once {
				r.exec(br, fmt.Sprintf("round %d/%d", round, rounds))
			}
		}
	}
	for _, br := range plan {
		if br.once {
			r.exec(br, "once")
		}
	}
	return report(stdout, r, rounds, strict, time.Since(start))
}

// runner builds test binaries on first use and collects their results.
type runner struct {
	dir      string
	users    int
	binaries map[string]string // package dir -> test binary
	s        samples
	log      io.Writer
	echo     io.Writer
	cpu      string
	runs     int             // invocations so far; each one's number tags its results
	loads    map[int]float64 // 1-minute load average before each run
	failures []string
}

func (r *runner) exec(br benchRun, when string) {
	bin, err := r.binary(br.pkg)
	if err != nil {
		r.failures = append(r.failures, err.Error())
		return
	}
	args := []string{"-test.run", "^$", "-test.bench", br.bench, "-test.benchmem", "-test.count", strconv.Itoa(max(br.count, 1))}
	if br.benchtime != "" {
		args = append(args, "-test.benchtime", br.benchtime)
	}
	r.runs++
	if load, ok := loadAverage(); ok {
		r.loads[r.runs] = load
	}
	fmt.Fprintf(r.log, "benchreport: %s: ./%s %s\n", when, br.pkg, br.bench)
	cmd := exec.Command(bin, args...)
	cmd.Dir = br.pkg // go test runs a package's tests in its directory
	cmd.Env = os.Environ()
	if br.large {
		cmd.Env = append(cmd.Env, "GOQUAY_BENCH_USERS="+strconv.Itoa(r.users))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	started := time.Now()
	err = cmd.Run()
	fmt.Fprintf(r.log, "benchreport:   took %s\n", time.Since(started).Round(100*time.Millisecond))
	if cpu := r.s.addOutput(r.runs, bytes.NewReader(out.Bytes()), r.echo); cpu != "" {
		r.cpu = cpu
	}
	if err != nil {
		r.failures = append(r.failures, fmt.Sprintf("./%s %s: %v\n%s", br.pkg, br.bench, err, lastLines(out.String(), 20)))
	}
}

func (r *runner) binary(pkg string) (string, error) {
	if bin, ok := r.binaries[pkg]; ok {
		return bin, nil
	}
	bin := filepath.Join(r.dir, strings.ReplaceAll(pkg, "/", "_")+".test")
	fmt.Fprintf(r.log, "benchreport: building ./%s tests\n", pkg)
	if out, err := exec.Command("go", "test", "-c", "-o", bin, "./"+pkg).CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c ./%s: %v\n%s", pkg, err, out)
	}
	r.binaries[pkg] = bin
	return bin, nil
}

// report prints the goal table and returns errGoalsFailed if any goal
// failed at the median (with strict, at its worst round too).
func report(w io.Writer, r *runner, rounds int, strict bool, took time.Duration) error {
	fmt.Fprintf(w, "go-quay performance goals (issues 5, 11, 12 and 14), measured by make bench in %s\n", took.Round(time.Second))
	fmt.Fprintf(w, "machine: %s, %d CPUs (GOMAXPROCS %d), %s/%s, %s\n", orUnknown(r.cpu), runtime.NumCPU(),
		runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if lo, hi, ok := minMax(slices.Collect(maps.Values(r.loads))); ok {
		fmt.Fprintf(w, "load average (1 min) while measuring: %.2f to %.2f\n", lo, hi)
	}
	fmt.Fprintf(w, "median: of %d rounds (the %s-user benchmarks: of 3 runs in one process); "+
		"best..worst: the spread of the rounds, each judged alone; at worst: the goal at its worst round (load average then)\n\n",
		rounds, count(r.users))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tgoal\ttarget\tmedian\tresult\tbest..worst\trounds met\tat worst\tnumbers (medians)")
	failed := len(r.failures) > 0
	var always, medianOnly, never []string
	for _, g := range goals {
		j := g.evaluate(r.s, r.users)
		result := "PASS"
		if !j.median.pass() {
			result, failed = "FAIL", true
		}
		spread, atWorst, met := "-", "-", "-"
		if worst, ok := j.worst(); ok {
			best, _ := j.best()
			spread = best.measured + " .. " + worst.measured
			met = fmt.Sprintf("%d/%d", j.passing(), len(j.rounds))
			atWorst = passFail(worst.pass())
			if load, ok := r.loads[worst.at.run]; ok {
				atWorst += fmt.Sprintf(" (load %.1f)", load)
			}
			if strict && !worst.pass() {
				failed = true
			}
		}
		id := strconv.Itoa(g.id)
		switch {
		case j.median.pass() && j.passing() == len(j.rounds):
			always = append(always, id)
		case j.median.pass():
			medianOnly = append(medianOnly, id)
		default:
			never = append(never, id)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", g.id, g.what, j.median.target, j.median.measured,
			result, spread, met, atWorst, j.median.numbers)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nholding at every round: %s; at the median only: %s; failing at the median: %s\n",
		listOrNone(always), listOrNone(medianOnly), listOrNone(never))
	for _, f := range r.failures {
		fmt.Fprintf(w, "\nbenchmark run failed: %s\n", f)
	}
	if failed {
		return errGoalsFailed
	}
	return nil
}

func passFail(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// loadAverage reads the 1-minute load average (Linux only).
func loadAverage() (float64, bool) {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	return v, err == nil
}

func minMax(vs []float64) (lo, hi float64, ok bool) {
	if len(vs) == 0 {
		return 0, 0, false
	}
	lo, hi = vs[0], vs[0]
	for _, v := range vs {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi, true
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown CPU"
	}
	return s
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
