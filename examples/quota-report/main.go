// Command quota-report shows how much storage every organization and user
// of a Quay registry consumes against its quota.
//
// It reads every organization and every user (following every page of
// Quay's lists) and prints one line for each: the limit Quay applies (the
// namespace's own quota, or the registry-wide default marked "(default)"),
// the storage used, the share of the limit used, the Warning and Reject
// thresholds, and a status: ok, warning (a Warning threshold is reached),
// reject (a Reject threshold is reached, so Quay refuses pushes), no quota,
// or not counted (Quay's quota worker has not computed the size yet; USED
// then shows its state, e.g. "(waiting)"). Organizations come first, then
// users, each in the order Quay lists them.
//
// The registry must run with FEATURE_QUOTA_MANAGEMENT: without it Quay
// reports no quotas, and the program says so and fails.
//
// Flags:
//
//	-json  write a JSON array instead of the table; sizes are in bytes,
//	       and unknown values are null
//
// Example:
//
//	export QUAY_URL=https://quay.example.com QUAY_TOKEN=<superuser OAuth token>
//	go run ./examples/quota-report
//	go run ./examples/quota-report -json | jq '.[] | select(.status != "ok" and .status != "no quota")'
//
// A global read-only superuser's token is enough: the program only reads.
package main

import (
	"context"
	"io"

	"github.com/quaykit/go-quay/examples/internal/cli"
)

func main() { cli.Main("quota-report", run) }

// run is the whole program; main only connects it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("quota-report", "quota-report [-json]", stderr)
	asJSON := fs.Bool("json", false, "write JSON instead of a table")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("unexpected argument %q (flags only)", fs.Arg(0))
	}
	su, err := cli.NewClient(env, "quota-report")
	if err != nil {
		return err
	}
	rows, err := collect(ctx, su)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, rows)
	}
	return writeTable(stdout, rows)
}
