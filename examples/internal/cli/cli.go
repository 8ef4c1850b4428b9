// Package cli is what every example program shares: the entry point that
// wires run functions to the process, the client built from QUAY_URL and
// QUAY_TOKEN, flag parsing with usage errors, and how to show what Quay said
// when it refused something.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// RunFunc is an example program without its process: it reads its arguments
// (without the program name) and environment from its parameters and writes
// only to stdout and stderr, so tests can run it in-process.
type RunFunc func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error

// Main runs a program's run function with the process's arguments,
// environment and standard streams, cancelled by SIGINT or SIGTERM. It exits
// 0 on success and after -h, 2 after a usage error, 1 after any other error,
// which it prints to stderr prefixed with name.
func Main(name string, run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(name, err, os.Stderr))
}

// exitCode reports err the way Main does and returns the status to exit with.
func exitCode(name string, err error, stderr io.Writer) int {
	var usage *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		if !usage.printed {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
		}
		return 2
	default:
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
}

// UsageError is a mistake in the command line: a bad flag, a missing or
// extra argument. Main exits 2 for it, as the flag package does.
type UsageError struct {
	err     error
	printed bool // the flag package already printed it with the usage text
}

// Usagef returns a UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{err: fmt.Errorf(format, args...)}
}

// Error returns the message.
func (e *UsageError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e *UsageError) Unwrap() error { return e.err }

// NewFlagSet returns a flag set that reports to stderr and returns errors
// instead of exiting, so run functions stay testable. usage is the synopsis
// printed above the flag defaults, e.g. "inspect-build [flags] BUILD-UUID".
func NewFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s\n\nEnvironment: QUAY_URL (registry root URL), QUAY_TOKEN (superuser OAuth token).\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args with fs. A bad flag becomes a UsageError (already
// printed with the usage text); -h stays flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return &UsageError{err: err, printed: true}
}

// Env names the environment variables every example reads.
const (
	EnvURL   = "QUAY_URL"   // the registry's root URL, e.g. https://quay.example.com
	EnvToken = "QUAY_TOKEN" // an OAuth token of a superuser, with the super:user scope
)

// NewClient returns a superuser API client for the registry that QUAY_URL
// and QUAY_TOKEN in env name. program goes into the User-Agent, so that
// registry logs show which tool made a request.
func NewClient(env func(string) string, program string) (*superuser.Client, error) {
	c, err := newQuayClient(env, program, "a superuser OAuth token")
	if err != nil {
		return nil, err
	}
	return superuser.New(c), nil
}

// NewUserClient returns a client of the API every Quay user has, for the
// registry that QUAY_URL and QUAY_TOKEN in env name; the token may be any
// user's.
func NewUserClient(env func(string) string, program string) (*quay.Client, error) {
	return newQuayClient(env, program, "an OAuth token")
}

// newQuayClient builds the client both constructors share; tokenKind names
// the token in the error for a missing variable.
func newQuayClient(env func(string) string, program, tokenKind string) (*quay.Client, error) {
	base, token := env(EnvURL), env(EnvToken)
	if base == "" || token == "" {
		return nil, fmt.Errorf("set %s (the registry's root URL) and %s (%s)", EnvURL, EnvToken, tokenKind)
	}
	c, err := quay.NewClient(base, quay.WithToken(token), quay.WithUserAgent("go-quay-examples/"+program))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	return c, nil
}

// QuayMessage returns what Quay said when it refused a request: the text of
// its {"message": ...} body, else its error detail, else err itself (for
// errors that did not come from Quay, or came without a message).
func QuayMessage(err error) string {
	var qe *quay.Error
	if errors.As(err, &qe) {
		switch {
		case qe.Message != "":
			return qe.Message
		case qe.Detail != "":
			return qe.Detail
		}
	}
	return err.Error()
}

// Count writes n with the singular or plural noun: "1 entry", "3 entries".
func Count(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return fmt.Sprintf("%d %s", n, plural)
}
