package fakequay

import (
	"bytes"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/store"
	"github.com/quaykit/go-quay/internal/testutil"
)

// openDir starts a server on data directory dir with the fixture seed and
// closes it when the test ends.
func openDir(t *testing.T, dir string, opts ...Option) *harness {
	t.Helper()
	s, err := New(append([]Option{WithSeed(fixtureSeed()), WithDataDir(dir)}, opts...)...)
	if err != nil {
		t.Fatalf("New on %s: %v", dir, err)
	}
	t.Cleanup(s.Close)
	client := s.HTTPClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &harness{t: t, s: s, client: client}
}

// crashImage copies what dir holds on disk right now into a new directory:
// what a crash at this moment would leave (every acknowledged write has
// been fsynced), without the lock the running server holds.
func crashImage(t *testing.T, dir string) string {
	t.Helper()
	img := t.TempDir()
	for _, name := range []string{baseFile, stateFile, journalFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(img, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// encodedState is the whole state, secrets included, as the codec writes
// it: equal states encode to equal bytes (rows in id order, maps sorted).
func encodedState(t *testing.T, s *Server) [][]byte {
	t.Helper()
	var out [][]byte
	if err := s.store.Read().EncodeRows(func(p []byte) error { out = append(out, p); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkSameState compares two servers' states: readably through the state
// dump, then exactly through the encoded rows.
func checkSameState(t *testing.T, want, got *Server) {
	t.Helper()
	if diff := cmp.Diff(want.store.Read().Dump(), got.store.Read().Dump()); diff != "" {
		t.Fatalf("state (-want +got):\n%s", diff)
	}
	if !cmp.Equal(encodedState(t, want), encodedState(t, got)) {
		t.Fatal("the states dump alike but encode differently (a secret or exact bytes differ)")
	}
}

// someWrites runs one write of each kind through the API, asserting each is
// acknowledged.
func someWrites(h *harness, suffix string) {
	h.t.Helper()
	writes := []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/api/v1/superuser/users/", `{"username": "new` + suffix + `", "email": "new` + suffix + `@example.com"}`, 200},
		{"PUT", "/api/v1/superuser/users/alice", `{"email": "alice` + suffix + `@example.com"}`, 200},
		{"PUT", "/api/v1/superuser/users/new" + suffix, `{"enabled": false}`, 200},
		{"POST", "/api/v1/superuser/organization/new" + suffix + "/quota", `{"limit_bytes": 123456789}`, 201},
		{"POST", "/api/v1/superuser/keys", `{"service": "quay", "name": "k` + suffix + `", "expiration": null,
			"metadata": {"n": 1.50, "big": 123456789012345678901234567890, "s": "<&>", "null": null, "arr": [1, {"x": []}], "t": true}}`, 200},
		{"POST", "/api/v1/superusers/users/alice/sendrecovery", "", 200},
		{"DELETE", "/api/v1/superuser/users/dave", "", 204},
	}
	for _, w := range writes {
		if got := h.do(w.method, w.path, tokAdmin, w.body); got.Status != w.status {
			h.t.Fatalf("%s %s: %d %s", w.method, w.path, got.Status, got.Body)
		}
	}
}

// TestDataDirRestoresEveryAcknowledgedWrite: after a crash (an image of
// the directory taken while the server runs, no Close), a server started
// on the directory holds exactly the state the first one acknowledged,
// tokens, clock and config included; its own writes survive the next crash.
func TestDataDirRestoresEveryAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	first := openDir(t, t.TempDir())
	someWrites(first, "1")
	first.s.Advance(time.Hour)

	second := openDir(t, crashImage(t, first.s.persist.dir))
	checkSameState(t, first.s, second.s)
	if got := second.do("GET", "/api/v1/superuser/users/new1", tokAdmin, ""); got.Status != 200 {
		t.Errorf("restored user through the restored token: %d", got.Status)
	}
	for _, c := range []struct {
		name      string
		want, got any
	}{
		{"SuperuserToken", first.s.SuperuserToken(), second.s.SuperuserToken()},
		{"Now", first.s.Now(), second.s.Now()},
		{"config", first.s.cfg, second.s.cfg},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}

	someWrites(second, "2")
	third := openDir(t, crashImage(t, second.s.persist.dir))
	checkSameState(t, second.s, third.s)
}

// TestDataDirCloseCompacts: Close leaves the state in the snapshot and an
// empty journal.
func TestDataDirCloseCompacts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := openDir(t, dir)
	someWrites(first, "1")
	if first.s.persist.journal.Empty() {
		t.Fatal("the writes left the journal empty")
	}
	first.s.Close()
	if fi, err := os.Stat(filepath.Join(dir, journalFile)); err != nil || fi.Size() != int64(len("fakequay-journal 1\n")) {
		t.Errorf("journal after Close: %v, %v; want only its header", fi.Size(), err)
	}
	if err := first.s.AddOrganization(SeedOrganization{Name: "late", Email: "late@example.com"}); err == nil {
		t.Error("a write after Close succeeded")
	}
	second := openDir(t, dir)
	checkSameState(t, first.s, second.s)
}

// TestDataDirCompactsWhenTheJournalGrows: past the threshold a write
// snapshots the state and empties the journal, and a crash right after
// still restores everything.
func TestDataDirCompactsWhenTheJournalGrows(t *testing.T) {
	t.Parallel()
	const threshold = 4096
	h := openDir(t, t.TempDir(), WithCompactionThreshold(threshold))
	compactions := 0
	for i := range 40 {
		before := h.s.persist.journal.Size()
		if err := h.s.AddOrganization(SeedOrganization{Name: "org" + itoa(i), Email: "o@example.com"}); err != nil {
			t.Fatal(err)
		}
		size := h.s.persist.journal.Size()
		if size < before {
			compactions++
		}
		if size >= threshold {
			t.Fatalf("journal is %d bytes after write %d, past the %d threshold", size, i, threshold)
		}
	}
	if compactions == 0 {
		t.Fatal("40 writes never compacted the journal")
	}
	meta, _, err := readSnapshotFile(filepath.Join(h.s.persist.dir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	if meta.LastSeq == 0 {
		t.Error("the snapshot does not record the journal position it includes")
	}
	restarted := openDir(t, crashImage(t, h.s.persist.dir))
	checkSameState(t, h.s, restarted.s)
}

// TestDataDirResetIsDurable: a reset survives a crash, clock included.
func TestDataDirResetIsDurable(t *testing.T) {
	t.Parallel()
	h := openDir(t, t.TempDir())
	seedState := encodedState(t, h.s)
	someWrites(h, "1")
	h.s.Advance(72 * time.Hour)
	checkReply(t, reply{Status: 204}, h.do("POST", "/_fakequay/reset", tokNone, ""))

	restarted := openDir(t, crashImage(t, h.s.persist.dir))
	if !cmp.Equal(seedState, encodedState(t, restarted.s)) {
		t.Error("after reset and a crash the state is not the seed's")
	}
	if got := restarted.s.Now(); !got.Equal(fixtureTime) {
		t.Errorf("clock after reset and a crash = %v, want the seed's %v", got, fixtureTime)
	}
}

// TestDataDirRestartDrawsNewRandomValues: the generator is seeded the same
// on every start, so without care a restarted server would draw the same
// tombstone UUID again and two deleted namespaces would share a name.
func TestDataDirRestartDrawsNewRandomValues(t *testing.T) {
	t.Parallel()
	tombstone := func(s *Server) string {
		var name string
		s.store.Read().AllNamespaces(func(n *store.Namespace) bool {
			if n.Deleted && (n.OriginalName == "acme" || n.OriginalName == "buynlarge") {
				name = n.Name
			}
			return true
		})
		return name
	}
	first := openDir(t, t.TempDir())
	if got := first.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, ""); got.Status != 204 {
		t.Fatalf("delete acme: %d", got.Status)
	}
	firstTomb := tombstone(first.s)

	second := openDir(t, crashImage(t, first.s.persist.dir))
	if got := second.do("DELETE", "/api/v1/superuser/organizations/buynlarge", tokAdmin, ""); got.Status != 204 {
		t.Fatalf("delete buynlarge: %d", got.Status)
	}
	var tombs []string
	second.s.store.Read().AllNamespaces(func(n *store.Namespace) bool {
		if n.Deleted {
			tombs = append(tombs, n.Name)
		}
		return true
	})
	if len(tombs) != 2 || tombs[0] == tombs[1] || tombs[0] != firstTomb {
		t.Errorf("tombstone names %q; want two different ones, the first %q", tombs, firstTomb)
	}
}

// TestDataDirClock: a clock that stands still (tests) is where it stopped
// after a restart; a running one (the binary) went on running meanwhile.
func TestDataDirClock(t *testing.T) {
	t.Parallel()
	set := time.Date(2027, 3, 1, 9, 30, 0, 123456000, time.UTC)

	still := openDir(t, t.TempDir())
	still.s.SetTime(set)
	if got := openDir(t, crashImage(t, still.s.persist.dir)).s.Now(); !got.Equal(set) {
		t.Errorf("standing clock after restart = %v, want %v", got, set)
	}

	running := openDir(t, t.TempDir(), WithWallClock())
	running.s.SetTime(set)
	img := crashImage(t, running.s.persist.dir)
	time.Sleep(20 * time.Millisecond)
	got := openDir(t, img, WithWallClock()).s.Now()
	if elapsed := got.Sub(set); elapsed < 20*time.Millisecond || elapsed > time.Minute {
		t.Errorf("running clock after restart = %v, %v after the set time; want the downtime to have passed", got, elapsed)
	}
}

// TestDataDirSeedOnlyOnFirstStart: a directory with a state ignores the
// seed, token and time it is given, and says so.
func TestDataDirSeedOnlyOnFirstStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := openDir(t, dir)
	first.s.Close()

	var logs testutil.SyncBuffer
	other := Seed{Users: []SeedUser{{Username: "zed", Email: "zed@example.com", Tokens: []SeedToken{{Token: "zed-token"}}}}}
	s, err := New(WithSeed(other), WithDataDir(dir), WithTime(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkSameState(t, first.s, s)
	if s.SuperuserToken() != tokAdmin || !s.Now().Equal(fixtureTime) {
		t.Errorf("SuperuserToken %q, Now %v: want the first start's %q, %v", s.SuperuserToken(), s.Now(), tokAdmin, fixtureTime)
	}
	if !strings.Contains(logs.String(), "the seed, token and start time given are used only on a first start, and were not loaded") {
		t.Errorf("log does not say the seed was ignored:\n%s", logs.String())
	}
}

// TestDataDirCutsATornTail: a half-written last record (a crash during an
// append, before the write was acknowledged) is dropped with a warning.
func TestDataDirCutsATornTail(t *testing.T) {
	t.Parallel()
	h := openDir(t, t.TempDir())
	someWrites(h, "1")
	img := crashImage(t, h.s.persist.dir)
	journal := filepath.Join(img, journalFile)
	good, _ := os.ReadFile(journal)
	torn := append(bytes.Clone(good), 200, 0, 0, 0, 1, 2, 3, 4, 'C', 9, 9)
	if err := os.WriteFile(journal, torn, 0o600); err != nil {
		t.Fatal(err)
	}
	var logs testutil.SyncBuffer
	restarted := openDir(t, img, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	checkSameState(t, h.s, restarted.s)
	for _, want := range []string{"level=WARN", "torn record", "file=" + journal, "dropped_bytes=11",
		`reason="incomplete record (3 of 200 payload bytes)"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	// The cut is made before new records are appended after it.
	if err := restarted.s.AddOrganization(SeedOrganization{Name: "after", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	again := openDir(t, crashImage(t, img))
	checkSameState(t, restarted.s, again.s)
}

// TestDataDirRefusals: a directory fakequay cannot trust is refused with an
// error naming the file, and left untouched.
func TestDataDirRefusals(t *testing.T) {
	t.Parallel()
	h := openDir(t, t.TempDir())
	someWrites(h, "1")
	image := crashImage(t, h.s.persist.dir)
	journalData, _ := os.ReadFile(filepath.Join(image, journalFile))
	header := len("fakequay-journal 1\n")

	tests := []struct {
		name  string
		edit  func(dir string) // damage the image
		want  string           // the error, with DIR for the directory
		extra []Option
	}{
		{"newer snapshot version", func(dir string) {
			replaceHeader(t, filepath.Join(dir, stateFile), "fakequay-snapshot 1\n", "fakequay-snapshot 2\n")
		}, "fakequay: DIR/state.snap has format version 2, but this fakequay reads only version 1 of fakequay-snapshot files; " +
			"use the fakequay that wrote it, or move the data directory away to start empty", nil},
		{"newer journal version", func(dir string) {
			replaceHeader(t, filepath.Join(dir, journalFile), "fakequay-journal 1\n", "fakequay-journal 9\n")
		}, "fakequay: DIR/journal has format version 9, but this fakequay reads only version 1 of fakequay-journal files; " +
			"use the fakequay that wrote it, or move the data directory away to start empty", nil},
		{"not a journal", func(dir string) {
			writeFile(t, filepath.Join(dir, journalFile), []byte(`{"users": []}`+"\n"))
		}, `fakequay: DIR/journal is not a fakequay-journal file (version 1): it starts with "{\"users\": []}"`, nil},
		{"damaged record before the last", func(dir string) {
			data := bytes.Clone(journalData)
			data[header+8+3] ^= 0xff // inside the first record's payload
			writeFile(t, filepath.Join(dir, journalFile), data)
		}, "fakequay: DIR/journal: record at byte 19: payload fails its CRC-32C check; " +
			"refusing to start on a damaged file (move the data directory away to start empty)", nil},
		{"journal missing", func(dir string) {
			os.Remove(filepath.Join(dir, journalFile))
		}, "fakequay: data directory DIR has state.snap but no readable journal (stat DIR/journal: no such file or directory); " +
			"acknowledged writes may be missing, so it is not used", nil},
		{"in use", func(string) {}, "fakequay: data directory DIR is in use by another fakequay (pid PID); two fakequays cannot share one", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := crashImage(t, image)
			tc.edit(dir)
			if tc.name == "in use" {
				openDir(t, dir)
			}
			before := snapshotDir(t, dir)
			s, err := New(append([]Option{WithDataDir(dir)}, tc.extra...)...)
			if err == nil {
				s.Close()
				t.Fatal("New accepted the directory")
			}
			want := strings.NewReplacer("DIR", dir, "PID", itoa(os.Getpid())).Replace(tc.want)
			if diff := cmp.Diff(want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, snapshotDir(t, dir)); diff != "" {
				t.Errorf("a refused directory was modified (-before +after):\n%s", diff)
			}
			if tc.name != "in use" {
				// The lock was released: the directory can be fixed and used.
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				openDir(t, dir)
			}
		})
	}
}

func replaceHeader(t *testing.T, path, from, to string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte(from)) {
		t.Fatalf("%s does not start with %q (%v)", path, from, err)
	}
	writeFile(t, path, append([]byte(to), data[len(from):]...))
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// snapshotDir returns the content of every file in dir but the lock.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "LOCK" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(data)
	}
	return out
}

// TestWithoutDataDirNothingTouchesTheDisk runs a server through every kind
// of write, a reset, a clock move and Close with the working directory,
// HOME and TMPDIR pointing at empty directories: they stay empty. It cannot
// run in parallel: it changes the process's working directory.
func TestWithoutDataDirNothingTouchesTheDisk(t *testing.T) {
	dirs := map[string]string{"cwd": t.TempDir(), "HOME": t.TempDir(), "TMPDIR": t.TempDir()}
	t.Chdir(dirs["cwd"])
	t.Setenv("HOME", dirs["HOME"])
	t.Setenv("TMPDIR", dirs["TMPDIR"])
	s, err := New(WithSeed(fixtureSeed()))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, s: s, client: s.HTTPClient()}
	someWrites(h, "1")
	s.Advance(time.Hour)
	s.Reset()
	s.Close()
	for name, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("%s (%s) holds %d entries after a server without a data directory ran", name, dir, len(entries))
		}
	}
}

// TestDataDirCreatesTheDirectory: a missing directory (and its parents)
// is made, readable by its owner only.
func TestDataDirCreatesTheDirectory(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b")
	openDir(t, dir)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("mode %v, want 0700", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"LOCK", baseFile, journalFile, stateFile}, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// BenchmarkWrite measures a createInstallUser round trip in-process (HTTP
// over the socket-free transport, pipeline, store write) in memory, the
// baseline, and with a data directory, where each write also appends a
// journal record and fsyncs it.
func BenchmarkWrite(b *testing.B) {
	for _, mode := range []string{"memory", "data-dir"} {
		b.Run(mode, func(b *testing.B) {
			opts := []Option{WithSeed(fixtureSeed())}
			if mode == "data-dir" {
				opts = append(opts, WithDataDir(b.TempDir()))
			}
			s, err := New(opts...)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			client := s.HTTPClient()
			b.ResetTimer()
			for i := range b.N {
				body := `{"username": "bench` + itoa(i) + `", "email": "bench` + itoa(i) + `@example.com"}`
				req, _ := http.NewRequestWithContext(b.Context(), "POST", "http://"+testHost+"/api/v1/superuser/users/", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tokAdmin)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}

// BenchmarkStart measures New on a data directory holding the fixture seed
// and 1,000 more organizations: all in the snapshot (after a Close), or
// all in the journal (after a crash), which start replays.
func BenchmarkStart(b *testing.B) {
	for _, mode := range []string{"snapshot", "journal"} {
		b.Run(mode, func(b *testing.B) {
			dir := b.TempDir()
			s, err := New(WithSeed(fixtureSeed()), WithDataDir(dir))
			if err != nil {
				b.Fatal(err)
			}
			for i := range 1000 {
				if err := s.AddOrganization(SeedOrganization{Name: "bench" + itoa(i), Email: "b@example.com"}); err != nil {
					b.Fatal(err)
				}
			}
			stop := func(s *Server) {
				if mode == "snapshot" {
					s.Close()
					return
				}
				s.persist.abandon() // as a crash would: the journal stays as it is
			}
			stop(s)
			b.ResetTimer()
			for range b.N {
				s, err := New(WithDataDir(dir))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				stop(s)
				b.StartTimer()
			}
		})
	}
}

// TestDataDirFailureFailsTheWrite: a write the journal cannot take is not
// acknowledged, not applied, and answered as Quay answers a failing
// database: its unhandled-exception 500. A clock move answers 500 too.
func TestDataDirFailureFailsTheWrite(t *testing.T) {
	t.Parallel()
	h := openDir(t, t.TempDir())
	before := encodedState(t, h.s)
	h.s.persist.journal.Close() // every append now fails
	checkReply(t, replyCrash, h.do("POST", "/api/v1/superuser/users/",
		tokAdmin, `{"username": "lost", "email": "lost@example.com"}`))
	if !cmp.Equal(before, encodedState(t, h.s)) {
		t.Error("a write the journal refused was applied")
	}
	got := h.do("POST", "/_fakequay/clock", tokNone, `{"advance": "1h"}`)
	if got.Status != 500 || !strings.Contains(got.Body, "file already closed") {
		t.Errorf("clock move with a failing journal: %d %s", got.Status, got.Body)
	}
	if now := h.s.Now(); !now.Equal(fixtureTime) {
		t.Errorf("the clock moved to %v though the move was not saved", now)
	}
}
