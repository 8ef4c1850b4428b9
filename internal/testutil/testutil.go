// Package testutil holds the few helpers several packages' tests share.
// Only tests import it.
package testutil

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"
)

// SyncBuffer is a bytes.Buffer that goroutines (a logger's, a server's) may
// write to while a test reads it.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// BenchUsersEnv names the environment variable that sets the large table
// size of the benchmarks (make bench sets 1000000).
const BenchUsersEnv = "GOQUAY_BENCH_USERS"

// RunSizes runs fn as one sub-benchmark "users=N" per size in small, and
// at the size BenchUsersEnv names (skipped, with a message, when unset).
func RunSizes(b *testing.B, small []int, fn func(b *testing.B, users int)) {
	RunSizesOf(b, "users", small, fn)
}

// RunSizesOf is RunSizes for a table of another kind: the sub-benchmarks
// are "<unit>=N" (repos=10000), the large size still BenchUsersEnv's.
func RunSizesOf(b *testing.B, unit string, small []int, fn func(b *testing.B, n int)) {
	for _, n := range small {
		b.Run(unit+"="+strconv.Itoa(n), func(b *testing.B) { fn(b, n) })
	}
	v := os.Getenv(BenchUsersEnv)
	if v == "" {
		b.Run(unit+"=large", func(b *testing.B) {
			b.Skip("set " + BenchUsersEnv + " (make bench uses 1000000) to run the large size")
		})
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number of users", BenchUsersEnv, v)
	}
	b.Run(unit+"="+v, func(b *testing.B) { fn(b, n) })
}

// JSONFile returns a reader of the JSON file at path (a golden file, read
// by many parallel tests): the file is read and decoded once, on first
// use, and every caller gets that one value. The test fails, naming the
// file, when it cannot be read or decoded.
func JSONFile[T any](path string) func(testing.TB) *T {
	load := sync.OnceValues(func() (*T, error) {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		v := new(T)
		return v, json.Unmarshal(raw, v)
	})
	return func(t testing.TB) *T {
		t.Helper()
		v, err := load()
		if err != nil {
			t.Fatalf("loading %s: %v", path, err)
		}
		return v
	}
}
