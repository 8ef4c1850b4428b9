package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fakequay binary, built once for every test that needs a real process
// (signals, kill -9).
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "fakequay-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "fakequay")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// proc is a running fakequay binary.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string // http://HOST:PORT
	stderr *lockedBuffer
	done   chan struct{}
	err    error // the exit status, once done is closed
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startBinary runs the binary with args and waits for its ready line. The
// process is killed when the test ends, if it still runs.
func startBinary(t *testing.T, args ...string) *proc {
	t.Helper()
	return startBinaryWith(t, nil, args...)
}

// startBinaryWith is startBinary with setup, if not nil, editing the
// command before it starts.
func startBinaryWith(t *testing.T, setup func(*exec.Cmd), args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: exec.Command(buildBinary(t), args...), stderr: &lockedBuffer{}, done: make(chan struct{})}
	if setup != nil {
		setup(p.cmd)
	}
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		<-p.done
		t.Fatalf("the binary did not get ready (%v, exit %v):\n%s", err, p.err, p.stderr)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "fakequay listening on ")
	if !ok {
		t.Fatalf("ready line %q", line)
	}
	p.base = base
	return p
}

// wait waits for the process to exit and returns its exit error.
func (p *proc) wait(limit time.Duration) error {
	p.t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(limit):
		p.t.Fatalf("the binary did not exit within %v:\n%s", limit, p.stderr)
		return nil
	}
}

// call sends a request to the binary as the seed's superuser and returns
// the status and body; err is a transport error (the process is gone).
func (p *proc) call(client *http.Client, method, path, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(p.t.Context(), method, p.base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer seed-token")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, b, nil
}
