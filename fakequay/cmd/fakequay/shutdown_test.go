package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSIGTERMUnderLoad (issue 6 item 2): with writes in flight and more
// arriving, SIGTERM makes the binary refuse new connections at once,
// finish the requests it has, flush the data directory and exit 0; a
// restart holds every write that was acknowledged.
func TestSIGTERMUnderLoad(t *testing.T) {
	t.Parallel()
	const slowWrites, loaders = 8, 4
	var users []string
	for i := range slowWrites {
		users = append(users, fmt.Sprintf(`{"username": "slow%d", "email": "slow%d@example.com"}`, i, i))
	}
	seed := writeSeed(t, `{"config": {"SUPER_USERS": ["admin"]},
  "users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "seed-token"}]}, `+
		strings.Join(users, ", ")+`]}`)
	dir := t.TempDir()
	p := startBinary(t, "-addr", "127.0.0.1:0", "-seed", seed, "-data", dir)
	if status, body, err := p.call(http.DefaultClient, "POST", "/_fakequay/faults",
		`{"operation": "changeInstallUser", "latency": "2s"}`); err != nil || status != 201 {
		t.Fatalf("injecting latency: %d %s %v", status, body, err)
	}
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	defer fresh.CloseIdleConnections()

	// The slow writes: each changes a user's e-mail and waits 2s inside
	// the server before doing it.
	type outcome struct {
		status int
		err    error
		done   time.Time
	}
	slow := make(chan outcome, slowWrites)
	var written sync.WaitGroup
	written.Add(slowWrites)
	for i := range slowWrites {
		go func() {
			trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { written.Done() }}
			req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), "PUT",
				fmt.Sprintf("%s/api/v1/superuser/users/slow%d", p.base, i), strings.NewReader(fmt.Sprintf(`{"email": "new%d@example.com"}`, i)))
			req.Header.Set("Authorization", "Bearer seed-token")
			req.Header.Set("Content-Type", "application/json")
			resp, err := fresh.Do(req)
			o := outcome{err: err}
			if err == nil {
				_, o.err = io.ReadAll(resp.Body)
				resp.Body.Close()
				o.status = resp.StatusCode
			}
			o.done = time.Now()
			slow <- o
		}()
	}

	// The load: user creates as fast as they are answered, until the
	// server stops answering. Every acknowledged one must survive.
	var mu sync.Mutex
	var acked []string
	var loadErrs []string
	var loading sync.WaitGroup
	for k := range loaders {
		loading.Go(func() {
			client := &http.Client{Timeout: 30 * time.Second}
			defer client.CloseIdleConnections()
			for i := 0; ; i++ {
				name := fmt.Sprintf("load%dn%d", k, i)
				status, body, err := p.call(client, "POST", "/api/v1/superuser/users/",
					fmt.Sprintf(`{"username": %q, "email": "%s@example.com"}`, name, name))
				if err != nil {
					return
				}
				mu.Lock()
				if status == 200 {
					acked = append(acked, name)
				} else {
					loadErrs = append(loadErrs, fmt.Sprintf("%s: %d %s", name, status, body))
				}
				mu.Unlock()
			}
		})
	}

	written.Wait()
	time.Sleep(200 * time.Millisecond) // the server has accepted the slow writes' connections
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// New connections are refused while the slow writes are still running.
	var refusedAt time.Time
	for time.Since(sent) < 1500*time.Millisecond {
		conn, err := net.DialTimeout("tcp", strings.TrimPrefix(p.base, "http://"), 200*time.Millisecond)
		if err != nil {
			// A connection caught in the listen backlog as the listener
			// closes is reset rather than refused: both mean "no longer
			// accepting".
			if !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("dialing after SIGTERM: %v, want connection refused or reset", err)
			}
			refusedAt = time.Now()
			break
		}
		conn.Close()
		time.Sleep(5 * time.Millisecond)
	}
	if refusedAt.IsZero() {
		t.Fatal("the binary still accepted connections 1.5s after SIGTERM")
	}
	if n := len(slow); n != 0 {
		t.Errorf("%d slow writes had finished before new connections were refused; the test proves nothing", n)
	}
	t.Logf("new connections refused %v after SIGTERM", refusedAt.Sub(sent).Round(time.Millisecond))

	for range slowWrites {
		o := <-slow
		if o.err != nil || o.status != 200 {
			t.Errorf("a write in flight at SIGTERM: status %d, error %v; want it finished with 200", o.status, o.err)
		}
		if !o.done.After(refusedAt) {
			t.Errorf("a slow write finished at %v, before the refusal at %v", o.done, refusedAt)
		}
	}
	loading.Wait()
	if err := p.wait(15 * time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	if len(loadErrs) > 0 {
		t.Errorf("writes under load got unexpected answers: %q", loadErrs)
	}

	// The journal was flushed into the snapshot on the way out.
	journal, err := os.ReadFile(filepath.Join(dir, "journal"))
	if err != nil || string(journal) != "fakequay-journal 1\n" {
		t.Errorf("journal after a clean exit: %q, %v; want only its header", journal, err)
	}

	restarted := startBinary(t, "-addr", "127.0.0.1:0", "-data", dir)
	status, body, err := restarted.call(http.DefaultClient, "GET", "/_fakequay/state", "")
	if err != nil || status != 200 {
		t.Fatalf("state after restart: %d %v", status, err)
	}
	var d stateDump
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	emails := map[string]string{}
	for _, n := range d.Namespaces {
		emails[n.Name] = n.Email
	}
	var missing []string
	for i := range slowWrites {
		if got, want := emails[fmt.Sprintf("slow%d", i)], fmt.Sprintf("new%d@example.com", i); got != want {
			missing = append(missing, fmt.Sprintf("slow%d has e-mail %q, want %q", i, got, want))
		}
	}
	for _, name := range acked {
		if _, ok := emails[name]; !ok {
			missing = append(missing, name+" (acknowledged create) is missing")
		}
	}
	if diff := cmp.Diff([]string(nil), missing); diff != "" {
		t.Errorf("acknowledged writes lost (-want +got):\n%s", diff)
	}
	t.Logf("SIGTERM under load: %d slow writes in flight finished, %d creates acknowledged under load, %d lost",
		slowWrites, len(acked), len(missing))
	if err := restarted.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := restarted.wait(15 * time.Second); err != nil {
		t.Errorf("restarted binary's exit: %v", err)
	}
}
