package wal

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testFormat = Format{Magic: "fakequay-test", Version: 1}

// collect opens path and returns the payloads it holds.
func collect(t *testing.T, path string) ([]string, *TornTail, *Journal, error) {
	t.Helper()
	var got []string
	j, torn, err := OpenJournal(path, testFormat, func(p []byte) error {
		got = append(got, string(p))
		return nil
	})
	if err == nil {
		t.Cleanup(func() { j.Close() })
	}
	return got, torn, j, err
}

// journalWith writes a journal holding payloads and returns its path and
// each record's start offset.
func journalWith(t *testing.T, payloads ...string) (string, []int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal")
	_, _, j, err := collect(t, path)
	if err != nil {
		t.Fatal(err)
	}
	var starts []int64
	for _, p := range payloads {
		starts = append(starts, j.Size())
		if err := j.Append([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	return path, starts
}

func TestJournalRoundTrip(t *testing.T) {
	t.Parallel()
	want := []string{"first", "second", string(bytes.Repeat([]byte{0xff}, 70000))}
	path, _ := journalWith(t, want...)
	got, torn, j, err := collect(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if torn != nil {
		t.Errorf("torn tail %+v in an intact journal", torn)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("payloads (-want +got):\n%s", diff)
	}
	head := "fakequay-test 1\n"
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte(head)) {
		t.Errorf("file starts with %q, want the header %q", data[:min(len(data), 20)], head)
	}
	if wantSize := int64(len(head) + 3*8 + len("first") + len("second") + 70000); j.Size() != wantSize {
		t.Errorf("Size() = %d, want %d", j.Size(), wantSize)
	}
}

// TestJournalTruncatesATornLastRecord cuts the file at every byte offset
// of its last record: each time the complete records are read, the rest is
// reported and cut off, and appending afterwards works.
func TestJournalTruncatesATornLastRecord(t *testing.T) {
	t.Parallel()
	path, starts := journalWith(t, "one", "two", "the last record")
	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	last := starts[2]
	for cut := last; cut < int64(len(full)); cut++ {
		t.Run(strconv.FormatInt(cut, 10), func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "journal")
			if err := os.WriteFile(p, full[:cut], 0o600); err != nil {
				t.Fatal(err)
			}
			got, torn, j, err := collect(t, p)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			if diff := cmp.Diff([]string{"one", "two"}, got); diff != "" {
				t.Errorf("payloads (-want +got):\n%s", diff)
			}
			var wantTorn *TornTail
			if cut > last {
				reason := fmt.Sprintf("incomplete record header (%d of 8 bytes)", cut-last)
				if cut-last >= 8 {
					reason = fmt.Sprintf("incomplete record (%d of 15 payload bytes)", cut-last-8)
				}
				wantTorn = &TornTail{Offset: last, Dropped: cut - last, Reason: reason}
			}
			if diff := cmp.Diff(wantTorn, torn); diff != "" {
				t.Errorf("torn tail (-want +got):\n%s", diff)
			}
			if fi, _ := os.Stat(p); fi.Size() != last {
				t.Errorf("file is %d bytes after opening, want it cut to %d", fi.Size(), last)
			}
			if err := j.Append([]byte("three")); err != nil {
				t.Fatal(err)
			}
			j.Close()
			got, torn, _, err = collect(t, p)
			if err != nil || torn != nil {
				t.Fatalf("reopen: torn %+v, err %v", torn, err)
			}
			if diff := cmp.Diff([]string{"one", "two", "three"}, got); diff != "" {
				t.Errorf("payloads after appending (-want +got):\n%s", diff)
			}
		})
	}
}

// damage returns a copy of data with the byte at off changed.
func damage(data []byte, off int64) []byte {
	out := bytes.Clone(data)
	out[off] ^= 0x5a
	return out
}

func TestJournalDamage(t *testing.T) {
	t.Parallel()
	path, starts := journalWith(t, "one", "two", "three")
	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(full))
	zeros := make([]byte, 100)
	tests := []struct {
		name      string
		data      []byte
		wantGot   []string
		wantTorn  *TornTail
		wantError string
	}{
		{"last record fails its CRC", damage(full, size-1), []string{"one", "two"},
			&TornTail{Offset: starts[2], Dropped: size - starts[2], Reason: "payload fails its CRC-32C check"}, ""},
		{"zero-filled tail", append(bytes.Clone(full), zeros...), []string{"one", "two", "three"},
			&TornTail{Offset: size, Dropped: 100, Reason: "zero-filled tail (100 bytes)"}, ""},
		{"last record fails its CRC, zeros after it", append(damage(full, size-1), zeros...), []string{"one", "two"},
			&TornTail{Offset: starts[2], Dropped: size + 100 - starts[2], Reason: "payload fails its CRC-32C check"}, ""},
		{"middle record fails its CRC", damage(full, starts[1]+8), nil, nil,
			path + ": record at byte " + strconv.FormatInt(starts[1], 10) +
				": payload fails its CRC-32C check; refusing to start on a damaged file (move the data directory away to start empty)"},
		{"first record's length damaged", damage(full, starts[0]), nil, nil,
			path + ": record at byte 16: incomplete record (27 of 89 payload bytes), yet a valid record starts at byte 27; " +
				"refusing to start on a damaged file (move the data directory away to start empty)"},
		{"first record's length beyond any record", damage(full, starts[0]+3), nil, nil,
			path + ": record at byte 16: record length 1509949443 exceeds the 268435456-byte maximum; " +
				"refusing to start on a damaged file (move the data directory away to start empty)"},
		{"zero-length record before data", append(append(bytes.Clone(full[:starts[1]]), make([]byte, 8)...), full[starts[1]:]...), nil, nil,
			path + ": record at byte " + strconv.FormatInt(starts[1], 10) +
				": zero-length record; refusing to start on a damaged file (move the data directory away to start empty)"},
		{"newer version", append([]byte("fakequay-test 2\n"), full[16:]...), nil, nil,
			path + " has format version 2, but this fakequay reads only version 1 of fakequay-test files; " +
				"use the fakequay that wrote it, or move the data directory away to start empty"},
		{"another kind of file", []byte(`{"users": []}` + "\n"), nil, nil,
			path + ` is not a fakequay-test file (version 1): it starts with "{\"users\": []}"`},
		{"no header line", []byte("fakequay-test 1"), nil, nil,
			path + ` is not a fakequay-test file (version 1): it starts with "fakequay-test 1"`},
		{"empty file", nil, nil, nil, path + ` is not a fakequay-test file (version 1): it starts with ""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := filepath.Join(dir, "journal")
			if err := os.WriteFile(p, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, torn, _, err := collect(t, p)
			if tc.wantError != "" {
				if err == nil {
					t.Fatalf("opened a damaged journal: %q", got)
				}
				want := tc.wantError
				// The cases name the shared path; this one is a copy.
				if diff := cmp.Diff(want, replacePath(err.Error(), p, path)); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				if after, _ := os.ReadFile(p); !bytes.Equal(after, tc.data) {
					t.Error("a refused journal was modified")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantGot, got); diff != "" {
				t.Errorf("payloads (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantTorn, torn); diff != "" {
				t.Errorf("torn tail (-want +got):\n%s", diff)
			}
		})
	}
}

func replacePath(msg, from, to string) string {
	return string(bytes.ReplaceAll([]byte(msg), []byte(from), []byte(to)))
}

func TestJournalHandlerErrorIsCorruption(t *testing.T) {
	t.Parallel()
	path, starts := journalWith(t, "one", "bad", "three")
	boom := errors.New("cannot decode")
	_, _, err := OpenJournal(path, testFormat, func(p []byte) error {
		if string(p) == "bad" {
			return boom
		}
		return nil
	})
	var ce *CorruptError
	if !errors.As(err, &ce) || !errors.Is(err, boom) {
		t.Fatalf("error %v, want a *CorruptError wrapping the handler's", err)
	}
	if ce.Offset != starts[1] {
		t.Errorf("offset %d, want %d", ce.Offset, starts[1])
	}
}

func TestJournalReset(t *testing.T) {
	t.Parallel()
	path, _ := journalWith(t, "one", "two")
	_, _, j, err := collect(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if j.Empty() {
		t.Error("Empty() with two records")
	}
	if err := j.Reset(); err != nil {
		t.Fatal(err)
	}
	if !j.Empty() || j.Size() != int64(len("fakequay-test 1\n")) {
		t.Errorf("after Reset: Empty() = %v, Size() = %d", j.Empty(), j.Size())
	}
	if err := j.Append([]byte("three")); err != nil {
		t.Fatal(err)
	}
	j.Close()
	got, _, _, err := collect(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"three"}, got); diff != "" {
		t.Errorf("payloads (-want +got):\n%s", diff)
	}
}

// TestJournalRefusesAppendsOnceUnusable: a failed write that cannot be
// undone leaves the tail unknown, so nothing more may be appended after it.
func TestJournalRefusesAppendsOnceUnusable(t *testing.T) {
	t.Parallel()
	path, _ := journalWith(t, "one")
	_, _, j, err := collect(t, path)
	if err != nil {
		t.Fatal(err)
	}
	j.f.Close() // every later write and truncate fails
	if err := j.Append([]byte("two")); err == nil {
		t.Fatal("Append on a closed file succeeded")
	}
	err = j.Append([]byte("three"))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("is unusable")) {
		t.Errorf("second Append: %v, want the journal to be unusable", err)
	}
	for _, payload := range [][]byte{nil, make([]byte, MaxRecord+1)} {
		j2, _, err := OpenJournal(filepath.Join(t.TempDir(), "j"), testFormat, func([]byte) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if err := j2.Append(payload); err == nil {
			t.Errorf("appending %d bytes succeeded", len(payload))
		}
		j2.Close()
	}
}

func writeSnap(t *testing.T, path string, payloads ...string) {
	t.Helper()
	err := WriteSnapshot(path, testFormat, func(emit func([]byte) error) error {
		for _, p := range payloads {
			if err := emit([]byte(p)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readSnap(path string) ([]string, error) {
	var got []string
	err := ReadSnapshot(path, testFormat, func(p []byte) error {
		got = append(got, string(p))
		return nil
	})
	return got, err
}

func TestSnapshotRoundTripAndReplace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "state")
	if _, err := readSnap(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing snapshot: %v, want fs.ErrNotExist", err)
	}
	writeSnap(t, path, "a", "b")
	writeSnap(t, path, "c")
	got, err := readSnap(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c"}, got); diff != "" {
		t.Errorf("payloads (-want +got):\n%s", diff)
	}
	// A write that fails keeps the old snapshot and leaves no temporary file.
	err = WriteSnapshot(path, testFormat, func(emit func([]byte) error) error {
		if err := emit([]byte("partial")); err != nil {
			return err
		}
		return errors.New("encoder failed")
	})
	if err == nil {
		t.Fatal("a failing snapshot write succeeded")
	}
	if got, err := readSnap(path); err != nil || !cmp.Equal([]string{"c"}, got) {
		t.Errorf("after a failed write: %q, %v; want the old snapshot", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %q, want only the snapshot", names)
	}
}

// TestSnapshotRefusesEveryTruncation: unlike the journal, a snapshot is
// written atomically, so any damage means it is not the file fakequay
// wrote; every cut is refused, never read as a shorter state.
func TestSnapshotRefusesEveryTruncation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "state")
	writeSnap(t, path, "first", "second")
	full, _ := os.ReadFile(path)
	for cut := range len(full) {
		p := filepath.Join(dir, "cut")
		if err := os.WriteFile(p, full[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := readSnap(p)
		var ce *CorruptError
		var fe *FormatError
		if !errors.As(err, &ce) && !errors.As(err, &fe) {
			t.Fatalf("cut at %d of %d: read %q, err %v; want it refused", cut, len(full), got, err)
		}
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"flipped payload byte", damage(full, int64(len("fakequay-test 1\n")+8))},
		{"footer count", damage(full, int64(len(full)-1))},
		{"bytes after the footer", append(bytes.Clone(full), 0)},
	} {
		p := filepath.Join(dir, "bad")
		if err := os.WriteFile(p, tc.data, 0o600); err != nil {
			t.Fatal(err)
		}
		var ce *CorruptError
		if _, err := readSnap(p); !errors.As(err, &ce) {
			t.Errorf("%s: err %v, want a *CorruptError", tc.name, err)
		}
	}
}

func TestLockDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	unlock, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockDir(dir)
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("second lock: %v, want a *LockedError", err)
	}
	want := "data directory " + dir + " is in use by another fakequay (pid " + strconv.Itoa(os.Getpid()) + "); two fakequays cannot share one"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	unlock, err = LockDir(dir)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock()
}

// FuzzOpenJournal: no file content panics the reader, and whatever it
// accepts it can append to and read back.
func FuzzOpenJournal(f *testing.F) {
	f.Add([]byte("fakequay-test 1\n"))
	f.Add(appendFrame([]byte("fakequay-test 1\n"), []byte("payload")))
	f.Add(append(appendFrame([]byte("fakequay-test 1\n"), []byte("payload")), 1, 0, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "journal")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var n int
		j, _, err := OpenJournal(p, testFormat, func([]byte) error { n++; return nil })
		if err != nil {
			return
		}
		defer j.Close()
		if err := j.Append([]byte("more")); err != nil {
			t.Fatal(err)
		}
		var again int
		j2, torn, err := OpenJournal(p, testFormat, func([]byte) error { again++; return nil })
		if err != nil || torn != nil || again != n+1 {
			t.Fatalf("reopen after append: %d records (want %d), torn %+v, err %v", again, n+1, torn, err)
		}
		j2.Close()
	})
}
