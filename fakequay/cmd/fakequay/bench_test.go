package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Goal 9 of issue 5: the binary is ready soon after it starts, with no seed
// and with a seed file of 100,000 users. Each op starts the real binary
// and waits for its ready line on stdout; the baseline is the smallest Go
// program that listens on a loopback port and prints a line, built the
// same way.

// BenchmarkColdStart measures process start to the ready line.
func BenchmarkColdStart(b *testing.B) {
	bin := buildProgram(b, ".")
	b.Run("seed=none", func(b *testing.B) {
		coldStarts(b, bin, "-addr", "127.0.0.1:0", "-token", "bench-token")
	})
	b.Run("seed=100000-users", func(b *testing.B) {
		seed := filepath.Join(b.TempDir(), "seed.json")
		if err := os.WriteFile(seed, usersSeedFile(100_000), 0o600); err != nil {
			b.Fatal(err)
		}
		coldStarts(b, bin, "-addr", "127.0.0.1:0", "-seed", seed)
	})
}

// BenchmarkColdStartBaseline starts readyLineProgram instead.
func BenchmarkColdStartBaseline(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module readyline\n\ngo 1.26\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(readyLineProgram), 0o600); err != nil {
		b.Fatal(err)
	}
	coldStarts(b, buildProgram(b, dir))
}

// BenchmarkColdStartPaired starts the binary without a seed, with the
// 100,000-user seed, and the smallest Go HTTP server, in turn, rotating the
// order, each start timed on its own (as BenchmarkColdStart does): the
// three see the same machine load (issue 14, goal 6). It reports each
// one's median as none-ns/op, seeded-ns/op and baseline-ns/op.
func BenchmarkColdStartPaired(b *testing.B) {
	bin := buildProgram(b, ".")
	seed := filepath.Join(b.TempDir(), "seed.json")
	if err := os.WriteFile(seed, usersSeedFile(100_000), 0o600); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module readyline\n\ngo 1.26\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(readyLineProgram), 0o600); err != nil {
		b.Fatal(err)
	}
	baseline := buildProgram(b, dir)
	starts := [][]string{
		{bin, "-addr", "127.0.0.1:0", "-token", "bench-token"},
		{bin, "-addr", "127.0.0.1:0", "-seed", seed},
		{baseline},
	}
	var times [3][]time.Duration
	n := 0
	for b.Loop() {
		for k := range starts {
			i := (n + k) % len(starts)
			times[i] = append(times[i], coldStart(b, starts[i][0], starts[i][1:]...))
		}
		n++
	}
	for i, name := range []string{"none", "seeded", "baseline"} {
		slices.Sort(times[i])
		b.ReportMetric(float64(times[i][len(times[i])/2].Nanoseconds()), name+"-ns/op")
	}
}

// coldStart starts bin with args and returns the time to its first stdout
// line; the process is then killed.
func coldStart(b *testing.B, bin string, args ...string) time.Duration {
	b.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	took := time.Since(start)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if err != nil || !strings.Contains(line, "listening on http://") {
		b.Fatalf("no ready line: %q, %v", line, err)
	}
	return took
}

// readyLineProgram serves HTTP on a free loopback port and says so: what
// any Go dev stub must do before it is ready.
const readyLineProgram = `package main

import (
	"fmt"
	"net"
	"net/http"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	panic(http.Serve(ln, http.NotFoundHandler()))
}
`

// buildProgram builds the main package in dir into a temporary file.
func buildProgram(b *testing.B, dir string) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "bin")
	cmd := exec.CommandContext(b.Context(), "go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// coldStarts times starting bin with args until its first stdout line; the
// process is killed off the clock.
func coldStarts(b *testing.B, bin string, args ...string) {
	b.Helper()
	for b.Loop() {
		cmd := exec.Command(bin, args...)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		b.StopTimer()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if err != nil || !strings.Contains(line, "listening on http://") {
			b.Fatalf("no ready line: %q, %v", line, err)
		}
		b.StartTimer()
	}
}

// usersSeedFile is a seed file with the superuser admin and users-1 more
// users.
func usersSeedFile(users int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"config": {"SUPER_USERS": ["admin"]}, "now": "2026-11-28T12:00:00Z", "users": [` + "\n")
	buf.WriteString(`  {"username": "admin", "email": "admin@example.com", "tokens": [{"token": "bench-token"}]}`)
	for i := 1; i < users; i++ {
		fmt.Fprintf(&buf, ",\n  {\"username\": \"user%07d\", \"email\": \"user%07d@example.com\", \"verified\": true}", i, i)
	}
	buf.WriteString("\n]}\n")
	return buf.Bytes()
}
