// Command provision-users creates Quay user accounts from a CSV file. It is
// safe to run again and again: users that already exist are reported as
// "exists", not as failures, so the file can be the single list of accounts
// a team keeps.
//
// Each line of the file is username,email[,enabled]. A first line starting
// with "username" is a header; blank lines and lines starting with # are
// skipped. The optional enabled column (true or false) is the state the
// account should be in: a new user with false is created and then disabled,
// and an existing user whose state differs is enabled or disabled. Without
// it new users are enabled and existing ones are left alone. With Quay's
// FEATURE_MAILING on (its default) every user needs a valid e-mail address
// and receives a confirmation mail.
//
// Every row gets one line of output: created, exists, or failed with the
// line number and Quay's message (an invalid username, an e-mail already in
// use, a name taken by an organization). A summary follows. The exit status
// is non-zero only if a row failed or the run stopped; an error that would
// fail every row alike (a bad token, an unreachable registry) stops the run.
//
// Quay gives each new user a random temporary password. -passwords FILE
// saves them as username,password lines in a new file only you can read
// (mode 0600); without it, users set their own through password recovery.
//
// Flags:
//
//	-dry-run         report what would change, change nothing
//	-passwords FILE  save the generated passwords in FILE, which must not exist
//
// Example:
//
//	export QUAY_URL=https://quay.example.com QUAY_TOKEN=<superuser OAuth token>
//	go run ./examples/provision-users -dry-run users.csv
//	go run ./examples/provision-users -passwords new-passwords.csv users.csv
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/quaykit/go-quay/examples/internal/cli"
)

func main() { cli.Main("provision-users", run) }

// run is the whole program; main only connects it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) (err error) {
	fs := cli.NewFlagSet("provision-users", "provision-users [-dry-run] [-passwords FILE] USERS.csv", stderr)
	dryRun := fs.Bool("dry-run", false, "report what would change, change nothing")
	passwordsPath := fs.String("passwords", "", "save the generated passwords as username,password in `FILE` (created with mode 0600; must not exist)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.Usagef("want exactly one CSV file, got %d arguments", fs.NArg())
	}
	if *dryRun && *passwordsPath != "" {
		return cli.Usagef("-passwords with -dry-run: a dry run creates no users, so there are no passwords to save")
	}
	su, err := cli.NewClient(env, "provision-users")
	if err != nil {
		return err
	}
	rows, err := readFile(fs.Arg(0))
	if err != nil {
		return err
	}

	p := &provisioner{su: su, dryRun: *dryRun}
	if *passwordsPath != "" {
		// Opened before any change, so a path that cannot be written stops
		// the run before it creates users whose passwords would be lost.
		f, err := os.OpenFile(*passwordsPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("-passwords: %w", err)
		}
		p.passwords = csv.NewWriter(f)
		defer func() {
			p.passwords.Flush()
			err = errors.Join(err, p.passwords.Error(), f.Close())
		}()
	}

	var counts [failed + 1]int
	defer func() { printSummary(stdout, counts, *dryRun) }()
	for _, rw := range rows {
		what, text, err := p.provision(ctx, rw)
		var refused *rowFailure
		switch {
		case errors.As(err, &refused):
			fmt.Fprintf(stdout, "%s: failed: %s\n", label(rw), refused.msg)
		case err != nil:
			return fmt.Errorf("%s: %w (stopped; later rows were not processed)", label(rw), err)
		default:
			fmt.Fprintf(stdout, "%s: %s\n", label(rw), text)
		}
		counts[what]++
	}
	if counts[failed] > 0 {
		return fmt.Errorf("%d of %s failed", counts[failed], cli.Count(len(rows), "row", "rows"))
	}
	return nil
}

// readFile reads the rows of the CSV file at path.
func readFile(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := readRows(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// label names a row in the output: its line and, when it has one, its username.
func label(rw row) string {
	if rw.username == "" {
		return fmt.Sprintf("line %d", rw.line)
	}
	return fmt.Sprintf("line %d: %s", rw.line, rw.username)
}

// printSummary writes the closing line, e.g. "2 created, 1 updated, 3 unchanged, 1 failed".
func printSummary(w io.Writer, counts [failed + 1]int, dryRun bool) {
	if dryRun {
		fmt.Fprintf(w, "dry run, nothing changed: %d to create, %d to update, %d unchanged, %d failed\n",
			counts[created], counts[updated], counts[exists], counts[failed])
		return
	}
	fmt.Fprintf(w, "%d created, %d updated, %d unchanged, %d failed\n",
		counts[created], counts[updated], counts[exists], counts[failed])
}
