package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/quaykit/go-quay/fakequay"
)

// workerPeriod is how often the stub runs Quay's background workers
// (QUOTA_REGISTRY_SIZE_POLL_PERIOD's default).
const workerPeriod = time.Minute

// shutdownGrace bounds how long in-flight requests may take to finish.
const shutdownGrace = 10 * time.Second

// run is the whole program, testable: it serves until ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "snapshot" {
		return runSnapshot(ctx, args[1:], getenv, stdout, stderr)
	}
	fs := flag.NewFlagSet("fakequay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address; port 0 picks a free one")
	seed := fs.String("seed", "", "load this seed file")
	data := fs.String("data", "", "persist state in this directory, created if missing (every acknowledged write survives a crash; "+
		"a directory holding a state wins over -seed, which is used on its first start only)")
	compactBytes := fs.Int64("compact-bytes", fakequay.DefaultCompactionThreshold,
		"with -data: snapshot the state and empty the journal once it grows past this many bytes")
	token := fs.String("token", "", "without -seed: token of the built-in superuser admin (default: $FAKEQUAY_TOKEN, else random)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	logger, err := newLogger(*logFormat, stderr)
	if err != nil {
		return err
	}
	if *token == "" {
		*token = getenv("FAKEQUAY_TOKEN")
	}
	opts := []fakequay.Option{fakequay.WithWallClock(), fakequay.WithLogger(logger)}
	if *data != "" {
		opts = append(opts, fakequay.WithDataDir(*data), fakequay.WithCompactionThreshold(*compactBytes))
	}
	generated := false
	switch {
	case *seed != "" && *token != "":
		return errors.New("-token (or FAKEQUAY_TOKEN) applies only without -seed: a seed file names its own tokens")
	case *seed != "":
		opts = append(opts, fakequay.WithSeedFile(*seed))
	case *token != "":
		opts = append(opts, fakequay.WithToken(*token))
	default:
		generated = true
	}
	resumeGC := pauseGCWhileLoading(*seed, getenv)
	srv, err := fakequay.New(opts...)
	resumeGC()
	if err != nil {
		return err
	}
	// Close last: after the listener and every request are done, it
	// snapshots the data directory, if any, and releases its lock.
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		logger.Warn("listening on a non-loopback address: anyone who can reach it can use the stub, and /_fakequay/ needs no credentials",
			"addr", ln.Addr().String())
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "fakequay listening on %s\n", url)
	if generated {
		fmt.Fprintln(stdout, srv.SuperuserToken())
	}
	logger.Info("ready", "url", url, "try", fmt.Sprintf(`curl -H "Authorization: Bearer <token>" %s/api/v1/superuser/users/`, url))

	ticker := time.NewTicker(workerPeriod)
	defer ticker.Stop()
	for {
		select {
		case err := <-served:
			return fmt.Errorf("serve: %w", err)
		case <-ticker.C:
			srv.RunWorkers()
		case <-ctx.Done():
			// Shutdown closes the listener first, so new connections are
			// refused, then waits for the requests in flight; each write
			// among them was journaled before it was answered.
			logger.Info("shutting down: refusing new connections, finishing requests in flight")
			sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				return fmt.Errorf("shutdown: %w", err)
			}
			logger.Info("stopped")
			return nil
		}
	}
}

// pauseGCWhileLoading turns the collector off while a seed file loads,
// unless GOGC or GOMEMLIMIT sets it up otherwise, and returns what turns it
// back on. Loading only adds to the heap, so collecting on the way (eight
// times for 100,000 users) finds little garbage and slows every write with
// barriers: about a fifth of the cold start (issue 14, goal 4). A memory
// limit of 16 times the file (at least 256 MiB), about what the heap would
// reach at GOGC=100 anyway, still bounds a seed that turns out larger.
func pauseGCWhileLoading(seedFile string, getenv func(string) string) (resume func()) {
	if seedFile == "" || getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	fi, err := os.Stat(seedFile)
	if err != nil {
		return func() {} // New reports it
	}
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(max(256<<20, 16*fi.Size()))
	return func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	}
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want text or json", format)
}
