// Command soak runs the fakequay dev stub for a long time under mixed
// traffic and checks that it stays flat (issue 14, goal 7; `make soak`,
// not part of CI).
//
// It builds the fakequay binary, starts it twice side by side, in memory
// and with -data DIR, each on a seed of -users users, and drives each from
// -clients clients at -rate requests per second in all: users pages
// (following next_page), single users, organizations, audit logs, user
// writes (create, change, delete), requests to a path that injected faults
// answer (503s, dropped connections, latency), fault injection and removal
// through /_fakequay/faults, and a reset through /_fakequay/reset every
// -reset-every. Every -sample it records, per stub, the resident memory,
// threads and open file descriptors (from /proc), the goroutine count, heap
// and request-journal length (from GET /_fakequay/runtime), the latency
// percentiles of the requests since the last sample and, with -data, the
// sizes of the journal file and the data directory.
//
// It prints a table per -interval (by default a twelfth of the run: 5
// minutes of an hour) and a verdict with the bounds it checks, and writes
// report.txt, samples.csv and soak.png (the curves, drawn by this program)
// to -out.
//
//	go run ./internal/soak [-time 10m] [-clients 8] [-rate 200] [-out DIR] ...
//
// It exits with status 1 when a check fails.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// config is the run's parameters (the flags).
type config struct {
	duration     time.Duration
	interval     time.Duration // report interval; 0: duration/12
	sample       time.Duration // sampling period; 0: duration/240, within [1s, 15s]
	clients      int
	rate         float64 // requests per second per stub, all clients together
	users        int
	resetEvery   time.Duration
	faultEvery   time.Duration
	compactBytes int64
	targets      []string // "mem", "data"
	out          string
	bin          string // a built fakequay binary; "" builds one
}

func main() {
	var cfg config
	var targets string
	flag.DurationVar(&cfg.duration, "time", 10*time.Minute, "how long to run ($SOAKTIME in make soak)")
	flag.DurationVar(&cfg.interval, "interval", 0, "report interval (default: a twelfth of -time)")
	flag.DurationVar(&cfg.sample, "sample", 0, "sampling period (default: -time/240, between 1s and 15s)")
	flag.IntVar(&cfg.clients, "clients", 8, "clients per stub, each with its own connections")
	flag.Float64Var(&cfg.rate, "rate", 200, "requests per second per stub, all clients together")
	flag.IntVar(&cfg.users, "users", 2000, "users in the seed (pages of 100 are walked)")
	flag.DurationVar(&cfg.resetEvery, "reset-every", 2*time.Minute, "POST /_fakequay/reset this often")
	flag.DurationVar(&cfg.faultEvery, "fault-every", 15*time.Second, "inject (then clear) a fault this often")
	flag.Int64Var(&cfg.compactBytes, "compact-bytes", 1<<20, "the -data stub's -compact-bytes, small enough to compact between resets")
	flag.StringVar(&targets, "targets", "mem,data", "stubs to run side by side: mem (no -data), data (-data DIR)")
	flag.StringVar(&cfg.out, "out", filepath.Join(os.TempDir(), "fakequay-soak"), "directory for report.txt, samples.csv and soak.png")
	flag.StringVar(&cfg.bin, "bin", "", "use this fakequay binary instead of building one")
	flag.Parse()
	var err error
	if cfg.targets, err = parseTargets(targets); err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = run(ctx, cfg, os.Stdout, os.Stderr)
		stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// errFailed makes the exit status say that a check failed.
var errFailed = fmt.Errorf("some checks failed")

// run soaks the stubs and writes the report; ctx cancelled ends the run
// early (the report then covers what ran).
func run(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	cfg = cfg.withDefaults()
	if cfg.duration <= 0 || cfg.clients < 1 || cfg.rate <= 0 || cfg.users < 2 || len(cfg.targets) == 0 {
		return fmt.Errorf("-time, -clients, -rate must be positive, -users at least 2, -targets not empty")
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "soak")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := cfg.bin
	if bin == "" {
		fmt.Fprintln(stderr, "soak: building", stubPackage)
		if bin, err = buildStub(ctx, work); err != nil {
			return err
		}
	}
	seed := filepath.Join(work, "seed.json")
	if err := os.WriteFile(seed, seedFile(cfg.users), 0o600); err != nil {
		return err
	}
	loadBefore, _ := loadAverage()
	var stubs []*stub
	defer func() {
		for _, s := range stubs {
			s.kill()
		}
	}()
	for _, name := range cfg.targets {
		s, err := startStub(ctx, name, bin, seed, work, cfg)
		if err != nil {
			return err
		}
		stubs = append(stubs, s)
	}
	fmt.Fprintf(stderr, "soak: %d stubs, %d clients each, %.0f req/s each, for %s; samples every %s, a report line every %s\n",
		len(stubs), cfg.clients, cfg.rate, cfg.duration, cfg.sample, cfg.interval)
	started := time.Now()
	runCtx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	done := make(chan struct{})
	for _, s := range stubs {
		go func() {
			s.drive(runCtx, cfg)
			done <- struct{}{}
		}()
	}
	loads := sampleLoop(runCtx, cfg, stubs, started, stderr)
	for range stubs {
		<-done
	}
	for _, s := range stubs {
		s.stop()
	}
	loads.add(loadBefore)
	r := buildReport(cfg, stubs, started, loads)
	if err := r.write(stdout, cfg.out); err != nil {
		return err
	}
	if !r.pass {
		return errFailed
	}
	return nil
}

// withDefaults fills in the periods derived from the run's length.
func (c config) withDefaults() config {
	if c.interval <= 0 {
		c.interval = c.duration / 12
	}
	if c.sample <= 0 {
		c.sample = min(max(c.duration/240, time.Second), 15*time.Second)
	}
	c.interval = max(c.interval, c.sample)
	return c
}

func parseTargets(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if t != "mem" && t != "data" {
			return nil, fmt.Errorf("-targets: %q is not mem or data", t)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}
