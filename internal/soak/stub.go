package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// adminToken is the seed's superuser token.
const adminToken = "soak-admin-token"

// stub is one running fakequay binary and what was measured of it.
type stub struct {
	name    string // "mem" or "data"
	url     string
	dataDir string // "" without -data
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
	stderr  *logTail

	traffic *traffic
	mu      sync.Mutex
	samples []sample
}

// stubPackage is the dev stub's main package.
const stubPackage = "github.com/quaykit/go-quay/fakequay/cmd/fakequay"

// buildStub builds the dev-stub binary into dir, from the module the
// working directory is in.
func buildStub(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "fakequay")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, stubPackage).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", stubPackage, err, out)
	}
	return bin, nil
}

// seedFile is a seed with the superuser admin (token adminToken), users-1
// more users and a few organizations.
func seedFile(users int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"config": {"SUPER_USERS": ["admin"], "FEATURE_MAILING": false}, "users": [` + "\n")
	fmt.Fprintf(&b, `  {"username": "admin", "email": "admin@example.com", "tokens": [{"token": %q}]}`, adminToken)
	for i := 1; i < users; i++ {
		fmt.Fprintf(&b, ",\n  {\"username\": \"user%06d\", \"email\": \"user%06d@example.com\"}", i, i)
	}
	b.WriteString("\n], \"organizations\": [")
	for i := range 20 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"name": "org%02d", "email": "org%02d@example.com"}`, i, i)
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// startStub starts the binary and waits for its ready line.
func startStub(ctx context.Context, name, bin, seed, work string, cfg config) (*stub, error) {
	s := &stub{name: name, exited: make(chan struct{}), stderr: newLogTail(40)}
	args := []string{"-addr", "127.0.0.1:0", "-seed", seed}
	if name == "data" {
		s.dataDir = filepath.Join(work, "data")
		args = append(args, "-data", s.dataDir, "-compact-bytes", strconv.FormatInt(cfg.compactBytes, 10))
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s stub: %w", name, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		url, ok := strings.CutPrefix(strings.TrimSpace(line), "fakequay listening on ")
		if !ok {
			s.kill()
			return nil, fmt.Errorf("the %s stub did not say it is ready: %q\n%s", name, line, s.stderr.String())
		}
		s.url = url
	case <-time.After(30 * time.Second):
		s.kill()
		return nil, fmt.Errorf("the %s stub was not ready after 30s\n%s", name, s.stderr.String())
	case <-ctx.Done():
		s.kill()
		return nil, ctx.Err()
	}
	s.traffic = newTraffic(s.url, cfg)
	return s, nil
}

// stop asks the stub to shut down (SIGTERM) and waits for it, at most a
// minute.
func (s *stub) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(time.Minute):
		s.kill()
	}
}

func (s *stub) kill() {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// cleanExit reports whether the stub shut down by itself with status 0.
func (s *stub) cleanExit() bool {
	select {
	case <-s.exited:
		return s.waitErr == nil
	default:
		return false
	}
}

// sample is what one sampling of a stub saw.
type sample struct {
	at         time.Duration // since the start of the run
	rssBytes   int64
	threads    int
	fds        int
	goroutines int
	heapBytes  int64
	journalLen int
	journalCap int
	panics     int64
	walBytes   int64 // data: the journal file
	dirBytes   int64 // data: the whole data directory
	lat        latencies
	errs       map[string]int // unexpected outcomes since the last sample, by kind
	requests   int
	resets     int64 // resets so far
	ok         bool  // the stub answered GET /_fakequay/runtime
}

// measure samples the stub once.
func (s *stub) measure(ctx context.Context, at time.Duration, client *http.Client) sample {
	smp := sample{at: at}
	pid := s.cmd.Process.Pid
	smp.rssBytes, smp.threads = procStatus(pid)
	if entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid)); err == nil {
		smp.fds = len(entries)
	}
	var rt struct {
		Goroutines     int   `json:"goroutines"`
		HeapAllocBytes int64 `json:"heap_alloc_bytes"`
		JournalLength  int   `json:"journal_length"`
		JournalSize    int   `json:"journal_size"`
		Panics         int64 `json:"panics"`
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/_fakequay/runtime", nil)
	if err == nil {
		if resp, err := client.Do(req); err == nil {
			smp.ok = resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&rt) == nil
			resp.Body.Close()
		}
	}
	smp.goroutines, smp.heapBytes, smp.journalLen, smp.journalCap, smp.panics =
		rt.Goroutines, rt.HeapAllocBytes, rt.JournalLength, rt.JournalSize, rt.Panics
	if s.dataDir != "" {
		if fi, err := os.Stat(filepath.Join(s.dataDir, "journal")); err == nil {
			smp.walBytes = fi.Size()
		}
		smp.dirBytes = dirSize(s.dataDir)
	}
	smp.lat, smp.errs, smp.requests = s.traffic.takeWindow()
	smp.resets = s.traffic.gen.Load()
	return smp
}

// procStatus reads VmRSS and Threads from /proc/PID/status.
func procStatus(pid int) (rss int64, threads int) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields := strings.Fields(val)
		if len(fields) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch key {
		case "VmRSS":
			rss = n * 1024 // kB
		case "Threads":
			threads = int(n)
		}
	}
	return rss, threads
}

func dirSize(dir string) int64 {
	var total int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	return total
}

// loadAverage reads the 1-minute load average (Linux only).
func loadAverage() (float64, bool) {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	return v, err == nil
}

// logTail keeps the last lines a stub wrote to stderr, and counts its
// warnings and errors (the stub logs every request at info level).
type logTail struct {
	mu       sync.Mutex
	max      int
	lines    []string
	partial  []byte
	warnings int
	errors   int
}

func newLogTail(n int) *logTail { return &logTail{max: n} }

func (t *logTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.partial = append(t.partial, p...)
	for {
		i := bytes.IndexByte(t.partial, '\n')
		if i < 0 {
			break
		}
		line := string(t.partial[:i])
		t.partial = t.partial[i+1:]
		switch {
		case strings.Contains(line, "level=WARN"):
			t.warnings++
		case strings.Contains(line, "level=ERROR"):
			t.errors++
		}
		t.lines = append(t.lines, line)
		if len(t.lines) > t.max {
			t.lines = t.lines[1:]
		}
	}
	t.partial = append([]byte(nil), t.partial...)
	return len(p), nil
}

func (t *logTail) counts() (warnings, errors int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.warnings, t.errors
}

func (t *logTail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
