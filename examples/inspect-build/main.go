// Command inspect-build shows a Quay repository build, from any namespace,
// by its UUID: its repository, phase, start time and the rest of what Quay
// knows about it, then its log.
//
// While Quay keeps a build's log live, the entries are printed one a line,
// with the time the build manager stamped them and their type (phase,
// command, error). Once Quay has archived the log, Quay gives only a URL to
// the archive, which is printed instead; with -archive the program reads
// the archive through Quay's API and prints its entries.
//
// Flags:
//
//	-archive  print the entries of an archived log instead of its URL
//	-start N  print the log from entry N on (default 0)
//
// Example:
//
//	export QUAY_URL=https://quay.example.com QUAY_TOKEN=<superuser OAuth token>
//	go run ./examples/inspect-build 5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d
//
// A global read-only superuser's token is enough: the program only reads.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/quaykit/go-quay/examples/internal/cli"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

func main() { cli.Main("inspect-build", run) }

// run is the whole program; main only connects it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("inspect-build", "inspect-build [-archive] [-start N] BUILD-UUID", stderr)
	archive := fs.Bool("archive", false, "print the entries of an archived log instead of its URL")
	start := fs.Int("start", 0, "print the log from entry `N` on")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.Usagef("want exactly one build UUID, got %d arguments", fs.NArg())
	}
	if *start < 0 {
		return cli.Usagef("-start %d: want 0 or more", *start)
	}
	uuid := fs.Arg(0)
	su, err := cli.NewClient(env, "inspect-build")
	if err != nil {
		return err
	}

	b, _, err := su.Builds.Get(ctx, uuid)
	if errors.Is(err, quay.ErrNotFound) {
		return fmt.Errorf("no build has the id %s", uuid)
	}
	if err != nil {
		return fmt.Errorf("reading build %s: %w", uuid, err)
	}
	if err := writeBuild(stdout, b); err != nil {
		return err
	}
	logs, _, err := su.Builds.Logs(ctx, uuid, &superuser.BuildLogOptions{Start: *start})
	if err != nil {
		return fmt.Errorf("reading the log of build %s: %w", uuid, err)
	}
	if logs.LogsURL == "" {
		writeLogs(stdout, logs)
		return nil
	}
	if !*archive {
		fmt.Fprintf(stdout, "\nlog archived at %s (-archive prints it)\n", logs.LogsURL)
		return nil
	}
	archived, _, err := su.Builds.ArchivedLogs(ctx, uuid)
	if err != nil {
		return fmt.Errorf("reading the archived log of build %s: %w", uuid, err)
	}
	if *start > 0 { // the archive comes whole; cut it here as Quay cuts live logs
		archived.Start, archived.Logs = *start, archived.Logs[min(*start, len(archived.Logs)):]
	}
	writeLogs(stdout, archived)
	return nil
}
