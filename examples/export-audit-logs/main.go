// Command export-audit-logs writes a Quay registry's audit log for a range
// of days as JSON Lines: one flat JSON object per entry, e.g.
//
//	{"datetime":"2026-11-27T10:00:00Z","kind":"push_repo","namespace":"acme","namespace_kind":"org","performer":"alice","ip":"10.0.0.5","metadata":{"repo":"web"}}
//
// It reads the registry-wide log (every namespace, every kind of action)
// and follows every page until Quay has no more. Entries come newest first,
// as Quay returns them. Names are the accounts' current names, as Quay
// shows them.
//
// Both dates are whole UTC days and both are included: -from 2026-11-01 -to
// 2026-11-27 exports everything from 2026-11-01 00:00 up to, not including,
// 2026-11-28 00:00. (Quay takes dates only, as MM/DD/YYYY, and adds a day
// to the end itself; the client sends them in that form.)
//
// With -out the export goes to a file, readable only by you (mode 0600),
// that appears (replacing any file of that name) only once the export is
// complete; otherwise to stdout. A summary goes to stderr.
//
// Flags:
//
//	-from YYYY-MM-DD  first day to export (required)
//	-to YYYY-MM-DD    last day to export (default: the -from day)
//	-out FILE         write to FILE instead of stdout
//
// Example:
//
//	export QUAY_URL=https://quay.example.com QUAY_TOKEN=<superuser OAuth token>
//	go run ./examples/export-audit-logs -from 2026-11-01 -to 2026-11-27 -out november.jsonl
//
// A global read-only superuser's token is enough: the program only reads.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/quaykit/go-quay/examples/internal/cli"
	"github.com/quaykit/go-quay/superuser"
)

func main() { cli.Main("export-audit-logs", run) }

// dayLayout is how days are given on the command line.
const dayLayout = "2006-01-02"

// run is the whole program; main only connects it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("export-audit-logs", "export-audit-logs -from YYYY-MM-DD [-to YYYY-MM-DD] [-out FILE]", stderr)
	fromFlag := fs.String("from", "", "first day to export, `YYYY-MM-DD` (UTC, required)")
	toFlag := fs.String("to", "", "last day to export, `YYYY-MM-DD` (UTC, included; default: the -from day)")
	outPath := fs.String("out", "", "write to `FILE` (mode 0600) instead of stdout")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("unexpected argument %q (flags only)", fs.Arg(0))
	}
	from, to, err := window(*fromFlag, *toFlag)
	if err != nil {
		return err
	}
	su, err := cli.NewClient(env, "export-audit-logs")
	if err != nil {
		return err
	}

	out, err := openOutput(*outPath, stdout)
	if err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	defer out.discard()
	n, err := export(ctx, su, from, to, out.w)
	if err != nil {
		return fmt.Errorf("after %s: %w", cli.Count(n, "entry", "entries"), err)
	}
	if err := out.commit(); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	dest := "stdout"
	if *outPath != "" && *outPath != "-" {
		dest = *outPath
	}
	fmt.Fprintf(stderr, "exported %s from %s to %s (inclusive) to %s\n",
		cli.Count(n, "entry", "entries"), from.Format(dayLayout), to.Format(dayLayout), dest)
	return nil
}

// window parses the -from and -to days.
func window(fromFlag, toFlag string) (from, to time.Time, err error) {
	if fromFlag == "" {
		return from, to, cli.Usagef("-from is required")
	}
	if from, err = time.Parse(dayLayout, fromFlag); err != nil {
		return from, to, cli.Usagef("-from %q: want a day as YYYY-MM-DD", fromFlag)
	}
	to = from
	if toFlag != "" {
		if to, err = time.Parse(dayLayout, toFlag); err != nil {
			return from, to, cli.Usagef("-to %q: want a day as YYYY-MM-DD", toFlag)
		}
	}
	// Quay would silently return nothing for an inverted range (§2.4).
	if to.Before(from) {
		return from, to, cli.Usagef("-to %s is before -from %s", toFlag, fromFlag)
	}
	return from, to, nil
}

// export writes every entry of the window [from, to] to w, one JSON object
// per line, and returns how many it wrote.
func export(ctx context.Context, su *superuser.Client, from, to time.Time, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	for e, err := range su.Logs.All(ctx, &superuser.LogListOptions{StartTime: from, EndTime: to}) {
		if err != nil {
			return n, err
		}
		if err := enc.Encode(recordOf(e)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
