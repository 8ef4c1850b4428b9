package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/snapshot"
	"github.com/quaykit/go-quay/quay"
)

// snapshotUsage is the subcommand's synopsis, shown by -h.
const snapshotUsage = `usage: fakequay snapshot -url URL [-token TOKEN] [flags] > seed.json

Reads a Quay's state through its API as a superuser and writes it to stdout
as a fakequay seed file. What the seed cannot hold, or the Quay would not
show, is listed on stderr. Secrets are never readable: OAuth token values
(add known ones with -add-token), passwords, app-specific token secrets and
service keys' private keys. Robot tokens are, by a superuser with
FEATURE_SUPERUSERS_FULL_ACCESS: -robot-tokens copies them into the seed.

`

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, " ") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// runSnapshot is `fakequay snapshot`: the whole subcommand, testable.
func runSnapshot(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fakequay snapshot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, snapshotUsage)
		fs.PrintDefaults()
	}
	base := fs.String("url", "", "the Quay's root URL, e.g. https://quay.example.com (required)")
	token := fs.String("token", "", "a superuser's OAuth token with the super:user scope (default: $QUAY_TOKEN)")
	logsFrom := fs.String("logs-from", "", "first day of audit logs to read, YYYY-MM-DD (default: 30 days before -logs-to)")
	logsTo := fs.String("logs-to", "", "last day of audit logs to read, YYYY-MM-DD (default: today)")
	configFile := fs.String("config", "", "a JSON file of seed config keys to set over what was read "+
		`(e.g. {"APP_SPECIFIC_TOKEN_EXPIRATION": "52w"} when the config dump is off)`)
	var tokens, builds repeated
	fs.Var(&tokens, "add-token", "a known token to give its user, repeatable: "+
		"user=NAME,token=VALUE[,scopes=SCOPE SCOPE...][,application=NAME][,client_id=ID] (no scopes: every scope)")
	fs.Var(&builds, "build", "a build UUID to read besides those the repository API lists, repeatable")
	robotTokens := fs.Bool("robot-tokens", false, "copy robots' tokens (registry credentials) into the seed, "+
		"where Quay shows them; without it the seed's robots get new tokens")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("snapshot: unexpected argument %q (flags only; see -h)", fs.Arg(0))
	}
	if *base == "" {
		return errors.New("snapshot: -url is required")
	}
	if *token == "" {
		*token = getenv("QUAY_TOKEN")
	}
	if *token == "" {
		return errors.New("snapshot: -token (or QUAY_TOKEN) is required: a superuser's token with the super:user scope")
	}
	opts := snapshot.Options{Builds: builds, RobotTokens: *robotTokens,
		Warn: func(msg string) { fmt.Fprintln(stderr, "fakequay snapshot:", msg) }}
	var err error
	if opts.LogsFrom, err = parseDay("-logs-from", *logsFrom); err != nil {
		return err
	}
	if opts.LogsTo, err = parseDay("-logs-to", *logsTo); err != nil {
		return err
	}
	for _, s := range tokens {
		t, err := snapshot.ParseToken(s)
		if err != nil {
			return fmt.Errorf("snapshot: -add-token: %w", err)
		}
		opts.Tokens = append(opts.Tokens, t)
	}
	if *configFile != "" {
		if opts.Config, err = os.ReadFile(*configFile); err != nil {
			return fmt.Errorf("snapshot: -config: %w", err)
		}
	}
	c, err := quay.NewClient(*base, quay.WithToken(*token), quay.WithUserAgent("fakequay-snapshot"))
	if err != nil {
		return fmt.Errorf("snapshot: -url: %w", err)
	}
	seed, err := snapshot.Take(ctx, c, opts)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(seed)
}

func parseDay(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("snapshot: %s %q: want YYYY-MM-DD", name, v)
	}
	return t, nil
}
