// Package exampletest runs an example program's run function in-process
// against a fakequay server, the way every example's main_test.go does.
package exampletest

import (
	"bytes"
	"testing"

	"github.com/quaykit/go-quay/examples/internal/cli"
	"github.com/quaykit/go-quay/fakequay"
)

// Result is what one run of a program produced.
type Result struct {
	Stdout string
	Stderr string
	// Err is the error run returned, as text ("" for none), so that whole
	// results compare with cmp.Diff.
	Err string
}

// Env returns an environment holding only QUAY_URL and QUAY_TOKEN for srv
// (its loopback URL and its superuser's token).
func Env(srv *fakequay.Server) func(string) string {
	return EnvWithToken(srv, srv.SuperuserToken())
}

// EnvWithToken is Env with another token, e.g. a read-only superuser's.
func EnvWithToken(srv *fakequay.Server, token string) func(string) string {
	vars := map[string]string{cli.EnvURL: srv.URL(), cli.EnvToken: token}
	return func(key string) string { return vars[key] }
}

// Run runs a program with args against srv as its superuser and returns
// what it wrote and returned. The run's context is the test's.
func Run(t *testing.T, run cli.RunFunc, srv *fakequay.Server, args ...string) Result {
	t.Helper()
	return RunEnv(t, run, Env(srv), args...)
}

// RunEnv is Run with an explicit environment.
func RunEnv(t *testing.T, run cli.RunFunc, env func(string) string, args ...string) Result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	var res Result
	if err := run(t.Context(), args, env, &stdout, &stderr); err != nil {
		res.Err = err.Error()
	}
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	return res
}
