package fakequay

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
	"github.com/quaykit/go-quay/fakequay/internal/wal"
)

// Persistence (WithDataDir, the binary's -data): a write-ahead journal in
// the data directory records every commit, fsynced before the store makes
// it visible (the store's commit hook), so every write a client saw
// acknowledged survives a crash. A snapshot of the whole state replaces the
// journal on Close, on Reset, and when the journal outgrows its threshold.
// Start = the snapshot, then the journal replayed.
//
// The directory holds:
//
//	LOCK        flock'd while a server uses the directory
//	base.snap   the reset point: the state right after the first start
//	            loaded its seed, with that start's config, superuser token
//	            and seed time (written once)
//	state.snap  the state at the last compaction; its presence is what
//	            makes a directory "not empty"
//	journal     every commit since that compaction
//
// Every payload starts with a record kind byte. Snapshots hold one
// recMeta record (JSON snapshotMeta), then recRows records (the store's
// rows payloads). Journal records carry a sequence number that never goes
// back, so records a snapshot already holds (a crash between writing the
// snapshot and emptying the journal) are skipped, and a gap is detected.
const (
	recMeta    byte = 'M' // snapshot: snapshotMeta as JSON
	recRows    byte = 'R' // snapshot: a store rows payload
	recChanges byte = 'C' // journal: uvarint sequence, a store changes payload
	recRun     byte = 'K' // journal: uvarint sequence, runState as JSON
)

// The data directory's files.
const (
	baseFile    = "base.snap"
	stateFile   = "state.snap"
	journalFile = "journal"
)

// The formats of the data directory's files; a change that older code
// cannot read takes a new version.
var (
	snapshotFormat = wal.Format{Magic: "fakequay-snapshot", Version: 1}
	journalFormat  = wal.Format{Magic: "fakequay-journal", Version: 1}
)

// DefaultCompactionThreshold is the journal size past which a commit also
// writes a snapshot and empties the journal.
const DefaultCompactionThreshold = 4 << 20

// runState is what a server's data directory keeps besides rows: the boot
// count (each start draws fresh random values) and the clock.
type runState struct {
	Boot  uint64     `json:"boot"`
	Clock clockState `json:"clock"`
}

// snapshotMeta is a snapshot's first record.
type snapshotMeta struct {
	// LastSeq is the last journal record the snapshot includes.
	LastSeq uint64   `json:"last_seq"`
	Run     runState `json:"run"`
	// Base is set in base.snap only.
	Base *baseMeta `json:"base,omitempty"`
}

// baseMeta is what the first start fixed, besides the seed's rows.
type baseMeta struct {
	Config         Config    `json:"config"`
	SuperuserToken string    `json:"superuser_token"`
	SeedTime       time.Time `json:"seed_time"`
	Changelog      string    `json:"changelog"`
}

// errPersistClosed fails writes to a server whose data directory is closed.
var errPersistClosed = errors.New("fakequay: the server is closed; its data directory takes no more writes")

// persister owns a data directory while a server runs.
type persister struct {
	dir          string
	compactBytes int64
	logger       *slog.Logger
	unlock       func() error
	clock        *clock // set once the server has its clock

	mu      sync.Mutex // serialises journal appends and compactions
	journal *wal.Journal
	seq     uint64 // the last journal record written
	boot    uint64
	closed  bool
}

// openPersister creates dir if needed and locks it.
func openPersister(dir string, compactBytes int64, logger *slog.Logger) (*persister, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("fakequay: data directory: %w", err)
	}
	unlock, err := wal.LockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("fakequay: %w", err)
	}
	return &persister{dir: dir, compactBytes: compactBytes, logger: logger, unlock: unlock}, nil
}

func (p *persister) path(name string) string { return filepath.Join(p.dir, name) }

// hasState reports whether the directory holds a state from an earlier
// start.
func (p *persister) hasState() (bool, error) {
	_, err := os.Stat(p.path(stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// initialize fills an empty directory at a first start: the reset point,
// an empty journal, then the state (written last: it is what marks the
// directory as holding a state, so a crash before it means "empty" again).
func (p *persister) initialize(seed store.Reader, base baseMeta, run runState) error {
	if err := writeSnapshotFile(p.path(baseFile), snapshotMeta{Run: run, Base: &base}, seed); err != nil {
		return err
	}
	j, _, err := wal.OpenJournal(p.path(journalFile), journalFormat, func([]byte) error {
		return errors.New("the journal holds records but there is no " + stateFile + " to apply them to")
	})
	if err != nil {
		return fmt.Errorf("fakequay: data directory: %w", err)
	}
	p.journal = j
	p.boot = run.Boot
	if err := writeSnapshotFile(p.path(stateFile), snapshotMeta{Run: run}, seed); err != nil {
		return err
	}
	return nil
}

// restored is a data directory's content, read back.
type restored struct {
	base      store.Snapshot
	baseMeta  baseMeta
	state     store.Snapshot
	run       runState
	replayed  int // journal records applied on top of the snapshot
	tornBytes int64
}

// load reads a directory that holds a state: both snapshots and the
// journal, whose torn last record, if any, is cut off with a warning.
// Nothing is used unless everything reads.
func (p *persister) load() (*restored, error) {
	baseMeta, baseRows, err := readSnapshotFile(p.path(baseFile))
	if err != nil {
		return nil, err
	}
	if baseMeta.Base == nil {
		return nil, fmt.Errorf("fakequay: %s has no base metadata", p.path(baseFile))
	}
	meta, rows, err := readSnapshotFile(p.path(stateFile))
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(p.path(journalFile)); err != nil {
		return nil, fmt.Errorf("fakequay: data directory %s has %s but no readable journal (%w); "+
			"acknowledged writes may be missing, so it is not used", p.dir, stateFile, err)
	}
	out := &restored{baseMeta: *baseMeta.Base, run: meta.Run}
	last := meta.LastSeq
	j, torn, err := wal.OpenJournal(p.path(journalFile), journalFormat, func(payload []byte) error {
		kind, seq, body, err := splitJournalRecord(payload)
		if err != nil {
			return err
		}
		if seq <= meta.LastSeq {
			return nil // already in the snapshot
		}
		if seq != last+1 {
			return fmt.Errorf("record %d follows record %d: records are missing", seq, last)
		}
		last = seq
		out.replayed++
		switch kind {
		case recChanges:
			return rows.ApplyChanges(body)
		case recRun:
			return json.Unmarshal(body, &out.run)
		}
		return fmt.Errorf("unknown record kind %q", kind)
	})
	if err != nil {
		return nil, fmt.Errorf("fakequay: %w", err)
	}
	if torn != nil {
		out.tornBytes = torn.Dropped
		p.logger.Warn("fakequay: the journal ended in a torn record, which a crash during a write leaves; it was cut off "+
			"(that write was never acknowledged)",
			"file", p.path(journalFile), "offset", torn.Offset, "dropped_bytes", torn.Dropped, "reason", torn.Reason)
	}
	p.journal, p.seq, p.boot = j, last, out.run.Boot
	out.base, out.state = baseRows.Done(), rows.Done()
	return out, nil
}

// splitJournalRecord splits a journal payload into kind, sequence and body.
func splitJournalRecord(payload []byte) (byte, uint64, []byte, error) {
	if len(payload) == 0 {
		return 0, 0, nil, errors.New("empty record")
	}
	seq, n := binary.Uvarint(payload[1:])
	if n <= 0 {
		return 0, 0, nil, errors.New("bad sequence number")
	}
	return payload[0], seq, payload[1+n:], nil
}

// writeSnapshotFile writes meta and every row of r to path, atomically.
func writeSnapshotFile(path string, meta snapshotMeta, r store.Reader) error {
	head, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("fakequay: snapshot metadata: %w", err)
	}
	err = wal.WriteSnapshot(path, snapshotFormat, func(emit func([]byte) error) error {
		if err := emit(append([]byte{recMeta}, head...)); err != nil {
			return err
		}
		return r.EncodeRows(func(payload []byte) error {
			return emit(append([]byte{recRows}, payload...))
		})
	})
	if err != nil {
		return fmt.Errorf("fakequay: writing %s: %w", path, err)
	}
	return nil
}

// readSnapshotFile reads a snapshot's metadata and rows.
func readSnapshotFile(path string) (snapshotMeta, *store.Rebuild, error) {
	var meta snapshotMeta
	rows := store.NewRebuild()
	first := true
	err := wal.ReadSnapshot(path, snapshotFormat, func(payload []byte) error {
		kind, body := payload[0], payload[1:]
		switch {
		case first && kind == recMeta:
			first = false
			return json.Unmarshal(body, &meta)
		case !first && kind == recRows:
			return rows.AddRows(body)
		}
		return fmt.Errorf("unexpected record kind %q", kind)
	})
	if err == nil && first {
		err = fmt.Errorf("%s holds no metadata", path)
	}
	if err != nil {
		return meta, nil, fmt.Errorf("fakequay: %w", err)
	}
	return meta, rows, nil
}

// commit is the store's commit hook: it journals the commit, fsynced,
// before the store makes it visible. A Restore (Reset) is made durable by
// a snapshot of the new state instead.
func (p *persister) commit(c store.Commit) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPersistClosed
	}
	if c.Replaced() {
		return p.compactLocked(c.State())
	}
	body, err := c.EncodeChanges()
	if err != nil {
		return err
	}
	if err := p.appendLocked(recChanges, body); err != nil {
		return err
	}
	if p.journal.Size() >= p.compactBytes {
		// The commit is durable already; a failed compaction only means
		// the journal grows on, so it does not fail the write.
		if err := p.compactLocked(c.State()); err != nil {
			p.logger.Warn("fakequay: compacting the journal failed; it keeps growing", "err", err)
		}
	}
	return nil
}

// saveRun journals the run state (after the clock moved, or at a start).
func (p *persister) saveRun() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPersistClosed
	}
	body, err := json.Marshal(p.runLocked())
	if err != nil {
		return err
	}
	return p.appendLocked(recRun, body)
}

func (p *persister) runLocked() runState { return runState{Boot: p.boot, Clock: p.clock.state()} }

func (p *persister) appendLocked(kind byte, body []byte) error {
	rec := binary.AppendUvarint([]byte{kind}, p.seq+1)
	if err := p.journal.Append(append(rec, body...)); err != nil {
		return err
	}
	p.seq++
	return nil
}

// compactLocked writes state as the snapshot, then empties the journal. If
// emptying fails the snapshot still stands: the records left behind are
// skipped at the next start, as the snapshot holds them.
func (p *persister) compactLocked(state store.Reader) error {
	if err := writeSnapshotFile(p.path(stateFile), snapshotMeta{LastSeq: p.seq, Run: p.runLocked()}, state); err != nil {
		return err
	}
	if err := p.journal.Reset(); err != nil {
		p.logger.Warn("fakequay: emptying the journal after a snapshot failed", "err", err)
	}
	return nil
}

// close compacts, closes the journal and releases the directory. It
// waits for writes in progress and refuses later ones.
func (p *persister) close(st *store.Store) error {
	err := st.Checkpoint(func(r store.Reader) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.closed {
			return nil
		}
		p.closed = true
		return errors.Join(p.compactLocked(r), p.journal.Close(), p.unlock())
	})
	if err != nil {
		return fmt.Errorf("fakequay: closing data directory %s: %w", p.dir, err)
	}
	return nil
}

// abandon releases the directory of a server that failed to start.
func (p *persister) abandon() {
	if p.journal != nil {
		p.journal.Close()
	}
	_ = p.unlock()
}
