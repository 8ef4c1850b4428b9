package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/testutil"
)

const testSeed = `{"config": {"SUPER_USERS": ["admin"]},
  "users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "seed-token"}]}]}`

func writeSeed(t *testing.T, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startRun runs run() in the background and returns its first stdout lines.
func startRun(t *testing.T, args []string, env map[string]string, lines int) ([]string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, func(k string) string { return env[k] }, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	sc := bufio.NewScanner(pr)
	var out []string
	for len(out) < lines && sc.Scan() {
		out = append(out, sc.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return out, cancel, done
}

func get(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRunServesASeedOverTCP(t *testing.T) {
	t.Parallel()
	lines, cancel, done := startRun(t, []string{"-addr", "127.0.0.1:0", "-seed", writeSeed(t, testSeed)}, nil, 1)
	base, ok := strings.CutPrefix(lines[0], "fakequay listening on ")
	if !ok {
		t.Fatalf("ready line = %q", lines[0])
	}
	if got := get(t, base+"/health/instance", ""); got != 200 {
		t.Errorf("health: %d", got)
	}
	if got := get(t, base+"/api/v1/superuser/users/", "seed-token"); got != 200 {
		t.Errorf("listAllUsers with the seed's token: %d", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel: %v", err)
	}
}

func TestRunPrintsTheTokenItMade(t *testing.T) {
	t.Parallel()
	lines, cancel, done := startRun(t, []string{"-addr", "127.0.0.1:0"}, nil, 2)
	defer func() { cancel(); <-done }()
	base := strings.TrimPrefix(lines[0], "fakequay listening on ")
	if got := get(t, base+"/api/v1/superuser/users/", lines[1]); got != 200 {
		t.Errorf("listAllUsers with the printed token %q: %d", lines[1], got)
	}

	// A token given by the environment is used, and not printed.
	lines, cancel2, done2 := startRun(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{"FAKEQUAY_TOKEN": "env-token"}, 1)
	defer func() { cancel2(); <-done2 }()
	base = strings.TrimPrefix(lines[0], "fakequay listening on ")
	if got := get(t, base+"/api/v1/superuser/users/", "env-token"); got != 200 {
		t.Errorf("listAllUsers with FAKEQUAY_TOKEN: %d", got)
	}
}

func TestRunRejectsBadInvocations(t *testing.T) {
	t.Parallel()
	badSeed := writeSeed(t, `{"users": [{"username": "admin"}]}`)
	lockedDir := t.TempDir()
	_, cancel, done := startRun(t, []string{"-addr", "127.0.0.1:0", "-data", lockedDir}, nil, 1)
	// Cleanup, not defer: the parallel subtests run after this function returns.
	t.Cleanup(func() { cancel(); <-done })
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined: -nope"},
		{"stray argument", []string{"serve"}, `unexpected argument "serve" (flags only; see -h)`},
		{"log format", []string{"-log-format", "xml"}, `-log-format "xml": want text or json`},
		{"data directory in use", []string{"-addr", "127.0.0.1:0", "-data", lockedDir}, "fakequay: data directory " + lockedDir +
			" is in use by another fakequay (pid " + strconv.Itoa(os.Getpid()) + "); two fakequays cannot share one"},
		{"data directory is a file", []string{"-data", badSeed}, "fakequay: data directory: mkdir " + badSeed + ": not a directory"},
		{"compaction threshold", []string{"-addr", "127.0.0.1:0", "-data", t.TempDir(), "-compact-bytes", "0"},
			"fakequay: WithCompactionThreshold: 0 is not a positive size"},
		{"token with seed", []string{"-seed", badSeed, "-token", "x"},
			"-token (or FAKEQUAY_TOKEN) applies only without -seed: a seed file names its own tokens"},
		{"malformed seed", []string{"-seed", badSeed}, "fakequay: seed file " + badSeed + ": users[0].email: missing required field"},
		{"bad address", []string{"-addr", "256.0.0.1:0"}, "-addr: listen tcp: lookup 256.0.0.1: no such host"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := run(t.Context(), tc.args, func(string) string { return "" }, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("run succeeded")
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" && !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBinaryStopsOnSIGTERM runs the real binary and stops it with a signal.
func TestBinaryStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	p := startBinary(t, "-addr", "127.0.0.1:0", "-seed", writeSeed(t, testSeed))
	if got := get(t, p.base+"/api/v1/superuser/users/", "seed-token"); got != 200 {
		t.Errorf("listAllUsers: %d", got)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(15 * time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}

// TestRunDataDirKeepsStateAndToken: without a seed the stub makes a token
// on its first start; a restart on the same directory prints and honours
// the same token and still has the writes.
func TestRunDataDirKeepsStateAndToken(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "new", "data")
	lines, cancel, done := startRun(t, []string{"-addr", "127.0.0.1:0", "-data", dir}, nil, 2)
	base, token := strings.TrimPrefix(lines[0], "fakequay listening on "), lines[1]
	req, _ := http.NewRequestWithContext(t.Context(), "POST", base+"/api/v1/superuser/users/",
		strings.NewReader(`{"username": "kept", "email": "kept@example.com"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("createInstallUser: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	lines, cancel, done = startRun(t, []string{"-addr", "127.0.0.1:0", "-data", dir}, nil, 2)
	defer func() { cancel(); <-done }()
	if lines[1] != token {
		t.Errorf("token after restart %q, want the first start's %q", lines[1], token)
	}
	base = strings.TrimPrefix(lines[0], "fakequay listening on ")
	if got := get(t, base+"/api/v1/superuser/users/kept", token); got != 200 {
		t.Errorf("the user created before the restart: %d", got)
	}
}

// TestBinaryWithoutDataWritesNothing: with its working directory, HOME and
// TMPDIR empty, the binary serves writes and stops, and they stay empty.
func TestBinaryWithoutDataWritesNothing(t *testing.T) {
	t.Parallel()
	seed := writeSeed(t, testSeed)
	dirs := map[string]string{"cwd": t.TempDir(), "HOME": t.TempDir(), "TMPDIR": t.TempDir()}
	p := startBinaryWith(t, func(cmd *exec.Cmd) {
		cmd.Dir = dirs["cwd"]
		cmd.Env = append(os.Environ(), "HOME="+dirs["HOME"], "TMPDIR="+dirs["TMPDIR"])
	}, "-addr", "127.0.0.1:0", "-seed", seed)
	for _, w := range [][3]string{
		{"POST", "/api/v1/superuser/users/", `{"username": "nodisk", "email": "nodisk@example.com"}`},
		{"DELETE", "/api/v1/superuser/users/nodisk", ""},
		{"POST", "/_fakequay/clock", `{"advance": "72h"}`},
		{"POST", "/_fakequay/reset", ""},
	} {
		if status, body, err := p.call(http.DefaultClient, w[0], w[1], w[2]); err != nil || status >= 300 {
			t.Fatalf("%s %s: %d %s %v", w[0], w[1], status, body, err)
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(15 * time.Second); err != nil {
		t.Fatal(err)
	}
	for name, dir := range dirs {
		if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
			t.Errorf("%s (%s) holds %d entries (err %v) after the binary ran without -data", name, dir, len(entries), err)
		}
	}
}

// The stub binds to loopback by default and warns when told to listen on a
// non-loopback address (issue: reliability, item 7).
func TestRunWarnsOffLoopback(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	stdoutR, stdoutW := io.Pipe()
	var stderr testutil.SyncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "0.0.0.0:0", "-log-format", "json"}, func(string) string { return "" }, stdoutW, &stderr)
		stdoutW.Close()
	}()
	if _, err := bufio.NewReader(stdoutR).ReadString('\n'); err != nil {
		t.Fatalf("no ready line: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdoutR) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "listening on a non-loopback address") {
		t.Errorf("no warning about the non-loopback address in:\n%s", stderr.String())
	}
	// The default is loopback (read from the usage text rather than by
	// binding the default port, which something else may hold).
	var usage bytes.Buffer
	_ = run(t.Context(), []string{"-h"}, func(string) string { return "" }, io.Discard, &usage)
	if !strings.Contains(usage.String(), `(default "127.0.0.1:8080")`) {
		t.Errorf("usage does not show the loopback default:\n%s", usage.String())
	}
}

// TestPauseGCWhileLoading: the collector is off while a seed file loads and
// back as it was after, unless GOGC or GOMEMLIMIT is set or there is no
// seed file. Not parallel: it reads the process's GC settings, which the
// tests calling run with a seed change too; Go runs the parallel tests only
// after this one.
func TestPauseGCWhileLoading(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	type settings struct {
		Percent int
		Limit   int64
	}
	current := func() settings {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return settings{p, debug.SetMemoryLimit(-1)}
	}
	before := current()
	tests := []struct {
		name   string
		seed   string
		getenv func(string) string
		during settings
	}{
		{"a seed file", seed, env(), settings{-1, 256 << 20}},
		{"GOGC set", seed, env("GOGC", "200"), before},
		{"GOMEMLIMIT set", seed, env("GOMEMLIMIT", "1GiB"), before},
		{"no seed", "", env(), before},
		{"a seed file that is not there", filepath.Join(t.TempDir(), "nope.json"), env(), before},
	}
	for _, tc := range tests {
		resume := pauseGCWhileLoading(tc.seed, tc.getenv)
		during := current()
		resume()
		got := map[string]settings{"during": during, "after": current()}
		want := map[string]settings{"during": tc.during, "after": before}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
