// Command rotate-service-key replaces the signing key of a service that
// authenticates to Quay with a service key (JWTs verified against Quay's
// key server), without a gap in which no valid key exists.
//
// It creates a new key for the service, writes its private key to a new
// file readable only by you (mode 0600), makes sure the key is approved,
// and sets every other key of the service to expire after a grace period,
// long enough to deploy the new key. Keys that expire sooner anyway are
// left as they are. The grace period (and -valid-for) count from the new
// key's creation time as Quay recorded it.
//
// The private key is never printed: Quay does not keep it, so the file is
// the only copy. The file is created before the key, and an existing file
// is never replaced, so the rotation stops before it starts if the key
// could not be saved. The new key's id (kid) is printed.
//
// Flags:
//
//	-service NAME         the service whose key to rotate (required; ^[a-z0-9_]+$)
//	-out FILE             where to write the new private key, PEM (required; must not exist)
//	-grace DURATION       how long the old keys stay valid (default 24h)
//	-valid-for DURATION   lifetime of the new key, longer than -grace (default 0: never expires)
//	-name NAME            friendly name of the new key
//	-notes TEXT           approval notes
//
// Example:
//
//	export QUAY_URL=https://quay.example.com QUAY_TOKEN=<superuser OAuth token>
//	go run ./examples/rotate-service-key -service builder -out builder-key.pem -grace 24h -valid-for 2160h
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/quaykit/go-quay/examples/internal/cli"
)

func main() { cli.Main("rotate-service-key", run) }

// serviceName is the rule Quay applies to a key's service (reference §1.10).
// Checked here because Quay's 400 for it carries no message at all.
var serviceName = regexp.MustCompile(`^[a-z0-9_]+$`)

// run is the whole program; main only connects it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("rotate-service-key", "rotate-service-key -service NAME -out FILE [-grace 24h] [-valid-for DURATION] [-name NAME] [-notes TEXT]", stderr)
	var r rotation
	fs.StringVar(&r.service, "service", "", "the service whose key to rotate (required)")
	out := fs.String("out", "", "write the new private key (PEM) to `FILE`, created with mode 0600 (required; must not exist)")
	fs.DurationVar(&r.grace, "grace", 24*time.Hour, "how long the old keys stay valid after the new key is created")
	fs.DurationVar(&r.validFor, "valid-for", 0, "lifetime of the new key (0: never expires)")
	fs.StringVar(&r.name, "name", "", "friendly name of the new key")
	fs.StringVar(&r.notes, "notes", "", "approval notes")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return cli.Usagef("unexpected argument %q (flags only)", fs.Arg(0))
	case r.service == "":
		return cli.Usagef("-service is required")
	case !serviceName.MatchString(r.service):
		return cli.Usagef("-service %q: Quay accepts only lowercase letters, digits and underscores", r.service)
	case *out == "":
		return cli.Usagef("-out is required: the private key is written only to a file")
	case r.grace < time.Second:
		return cli.Usagef("-grace %v: the old keys need at least a second (Quay refuses an expiry in the past)", r.grace)
	case r.validFor != 0 && r.validFor <= r.grace:
		return cli.Usagef("-valid-for %v must be longer than -grace %v, or the new key expires before the old ones", r.validFor, r.grace)
	}
	su, err := cli.NewClient(env, "rotate-service-key")
	if err != nil {
		return err
	}

	file, err := createKeyFile(*out)
	if err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	defer file.discard()
	key, err := r.newKey(ctx, su, file, stdout)
	if err != nil {
		return err
	}
	// From here on the new key exists and is saved: finish what can be
	// finished and report the rest, so that a re-run is not needed for it.
	err = errors.Join(
		r.approve(ctx, su, key, stdout),
		r.limitLifetime(ctx, su, key, stdout),
	)
	if err != nil {
		return fmt.Errorf("%w (old keys left unchanged)", err)
	}
	return r.retireOld(ctx, su, key, stdout)
}
