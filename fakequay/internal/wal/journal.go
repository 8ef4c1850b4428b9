package wal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Journal is an append-only file of records. Append returns only once its
// record is on disk. It is not safe for concurrent use; its owner
// serialises calls.
type Journal struct {
	path      string
	f         *os.File
	headerLen int64
	size      int64
	// broken is set once the file's tail can no longer be trusted (a
	// failed fsync, or a failed write that could not be undone); every
	// later Append fails with it.
	broken error
}

// TornTail describes the incomplete or damaged last record that
// OpenJournal cut off: what a crash during an append leaves.
type TornTail struct {
	Offset  int64 // where the dropped bytes started; the file now ends here
	Dropped int64 // how many bytes were dropped
	Reason  string
}

// OpenJournal opens the journal at path, creating it with just its header
// when it does not exist. It calls fn with every record's payload, in
// order; an error from fn stops the reading and is returned as a
// [*CorruptError]. A torn last record is truncated away and described in
// the returned TornTail (nil when there was none).
func OpenJournal(path string, format Format, fn func(payload []byte) error) (*Journal, *TornTail, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := createJournal(path, format); err != nil {
			return nil, nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	j, torn, err := readJournal(f, path, format, fn)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return j, torn, nil
}

// createJournal makes a journal holding only its header, atomically, so
// that a crash never leaves a journal without a complete header.
func createJournal(path string, format Format) error {
	return writeAtomically(path, func(w io.Writer) error {
		_, err := w.Write(format.header())
		return err
	})
}

func readJournal(f *os.File, path string, format Format, fn func([]byte) error) (*Journal, *TornTail, error) {
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	headerLen, err := parseHeader(path, data, format)
	if err != nil {
		return nil, nil, err
	}
	off := headerLen
	var torn *TornTail
	for off < len(data) {
		fr := readFrame(data, off)
		if fr.problem != "" {
			if !fr.torn {
				return nil, nil, &CorruptError{Path: path, Offset: int64(off), Reason: fr.problem}
			}
			torn = &TornTail{Offset: int64(off), Dropped: int64(len(data) - off), Reason: fr.problem}
			break
		}
		if err := fn(fr.payload); err != nil {
			return nil, nil, &CorruptError{Path: path, Offset: int64(off), Reason: err.Error(), Err: err}
		}
		off = fr.next
	}
	if torn != nil {
		if err := f.Truncate(torn.Offset); err != nil {
			return nil, nil, fmt.Errorf("cutting the torn tail of %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			return nil, nil, fmt.Errorf("cutting the torn tail of %s: %w", path, err)
		}
	}
	return &Journal{path: path, f: f, headerLen: int64(headerLen), size: int64(off)}, torn, nil
}

// Append writes payload as one record and fsyncs the file. On failure the
// file is cut back to its previous end, so a failed append leaves no torn
// record behind for the next one to bury; if even that fails, or the fsync
// itself failed (after which the kernel's view of the file cannot be
// trusted), the journal refuses every later append.
func (j *Journal) Append(payload []byte) error {
	if j.broken != nil {
		return j.broken
	}
	if len(payload) == 0 || len(payload) > MaxRecord {
		return fmt.Errorf("journal %s: a record payload must have 1 to %d bytes, not %d", j.path, MaxRecord, len(payload))
	}
	rec := appendFrame(make([]byte, 0, frameHeader+len(payload)), payload)
	if _, err := j.f.WriteAt(rec, j.size); err != nil {
		if terr := j.f.Truncate(j.size); terr != nil {
			j.broken = fmt.Errorf("journal %s is unusable: a write failed (%v) and could not be undone: %w", j.path, err, terr)
		}
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		j.broken = fmt.Errorf("journal %s is unusable after a failed fsync: %w", j.path, err)
		return j.broken
	}
	j.size += int64(len(rec))
	return nil
}

// Size returns the file's length in bytes, header included.
func (j *Journal) Size() int64 { return j.size }

// Empty reports whether the journal holds no record.
func (j *Journal) Empty() bool { return j.size == j.headerLen }

// Reset drops every record, keeping the header: the caller has saved
// what they held in a snapshot.
func (j *Journal) Reset() error {
	if j.broken != nil {
		return j.broken
	}
	if err := j.f.Truncate(j.headerLen); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	j.size = j.headerLen
	if err := j.f.Sync(); err != nil {
		j.broken = fmt.Errorf("journal %s is unusable after a failed fsync: %w", j.path, err)
		return j.broken
	}
	return nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.f.Close() }

// writeAtomically writes path through a temporary file in the same
// directory: written, fsynced, renamed over path, and the directory
// fsynced, so path is always either the old file or the complete new one.
func writeAtomically(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(dir)
}
