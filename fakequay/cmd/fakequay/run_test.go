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
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined: -nope"},
		{"stray argument", []string{"serve"}, `unexpected argument "serve" (flags only; see -h)`},
		{"log format", []string{"-log-format", "xml"}, `-log-format "xml": want text or json`},
		{"persistence not built yet", []string{"-data", t.TempDir()},
			"-data: persistence is not available in this build yet; run without -data (state is then in memory only)"},
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

// TestBinaryStopsOnSIGTERM builds the real binary and stops it with a signal.
func TestBinaryStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "fakequay")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(t.Context(), bin, "-addr", "127.0.0.1:0", "-seed", writeSeed(t, testSeed))
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the ready line: %v", err)
	}
	base := strings.TrimSpace(strings.TrimPrefix(line, "fakequay listening on "))
	if got := get(t, base+"/api/v1/superuser/users/", "seed-token"); got != 200 {
		t.Errorf("listAllUsers: %d", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the binary did not stop within 15s of SIGTERM")
	}
}

// The stub binds to loopback by default and warns when told to listen on a
// non-loopback address (issue: reliability, item 7).
func TestRunWarnsOffLoopback(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	stdoutR, stdoutW := io.Pipe()
	var stderr syncBuffer
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

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
