package store

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/hashicorp/go-memdb"
)

// Persistence support. The store knows nothing of files: a commit hook
// (SetCommitHook) sees every change before it becomes visible and records
// it; Rebuild turns what was recorded back into a state. Payloads are
// encoded with the row codec (codec.go):
//
//	changes payload   uvarint count, then per changed row: table name,
//	                  op byte (1 put, 2 delete), the row (after the change
//	                  for a put, before it for a delete; its id is the key)
//	rows payload      table name, uvarint count, the rows

// Ops of a changes payload.
const (
	opPut    byte = 1
	opDelete byte = 2
)

// rowsPerPayload bounds the rows of one rows payload, so that a big table
// becomes several moderate records rather than one huge one.
const rowsPerPayload = 1024

// Commit is a change of state about to become visible, as a commit hook
// sees it: the rows one write transaction changed, or, from Restore, a
// whole new state.
type Commit struct {
	changes  memdb.Changes
	replaced bool
	state    Reader
}

// Replaced reports whether Restore is replacing the whole state; the
// commit then has no changes and State is the new state.
func (c Commit) Replaced() bool { return c.replaced }

// State is the state as it will be once the commit is visible. It is valid
// only while the hook runs.
func (c Commit) State() Reader { return c.state }

// EncodeChanges returns the commit's changes as one payload for
// [Rebuild.ApplyChanges]. A changed namespace chunk is written as the
// namespaces it changed (namespace_chunks.go).
func (c Commit) EncodeChanges() ([]byte, error) {
	type rowChange struct {
		table string
		op    byte
		row   any
	}
	var rows []rowChange
	for _, ch := range c.changes {
		switch {
		case derivedTables[ch.Table]:
			// rebuilt from the namespaces (Rebuild.Done)
		case ch.Table == tableNamespaces:
			before, _ := ch.Before.(*namespaceChunk)
			after, _ := ch.After.(*namespaceChunk)
			chunkChanges(before, after, func(op byte, n *Namespace) { rows = append(rows, rowChange{ch.Table, op, n}) })
		case ch.After != nil:
			rows = append(rows, rowChange{ch.Table, opPut, ch.After})
		case ch.Before != nil:
			rows = append(rows, rowChange{ch.Table, opDelete, ch.Before})
		}
		// neither: inserted and deleted by the same transaction
	}
	b := binary.AppendUvarint(nil, uint64(len(rows)))
	for _, r := range rows {
		var err error
		if b, err = appendRow(append(appendString(b, r.table), r.op), r.table, r.row); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// SetCommitHook installs fn to run inside every write transaction, after its
// changes are final and before they become visible, and inside Restore
// before the new state replaces the old. An error from fn aborts the
// transaction (or the Restore) and is returned to the caller. fn runs under
// the writer lock, so it sees commits one at a time, in order, and must
// not call the store's write methods. Pass nil to remove it.
func (s *Store) SetCommitHook(fn func(Commit) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCommit = fn
}

// Checkpoint runs fn with the current state while no write can commit, so
// that what fn records of the state matches what the commit hook has seen.
func (s *Store) Checkpoint(fn func(Reader) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.Read())
}

// EncodeRows calls emit with payloads for [Rebuild.AddRows] that together
// hold every row of every table, table by table in id order; the
// namespaces table's rows are its namespaces.
func (r Reader) EncodeRows(emit func(payload []byte) error) error {
	for _, schema := range tableSchemas {
		table := schema().Name
		if derivedTables[table] {
			continue // rebuilt from the namespaces (Rebuild.Done)
		}
		var rows []any
		flush := func() error {
			b := binary.AppendUvarint(appendString(nil, table), uint64(len(rows)))
			for _, row := range rows {
				var err error
				if b, err = appendRow(b, table, row); err != nil {
					return err
				}
			}
			rows = rows[:0]
			return emit(b)
		}
		var err error
		r.eachRow(table, func(row any) bool {
			rows = append(rows, row)
			if len(rows) == rowsPerPayload {
				err = flush()
			}
			return err == nil
		})
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendRow encodes row, which must be of table's row type.
func appendRow(b []byte, table string, row any) ([]byte, error) {
	t, ok := rowTypes[table]
	if !ok {
		return nil, fmt.Errorf("store: table %s has no row type (add it to rowTypes)", table)
	}
	v := reflect.ValueOf(row)
	if v.Type() != t || v.IsNil() {
		return nil, fmt.Errorf("store: table %s: row is a %T, want a non-nil %s", table, row, t)
	}
	b, err := appendValue(b, v.Elem())
	if err != nil {
		return nil, fmt.Errorf("store: table %s: %w", table, err)
	}
	return b, nil
}

// Rebuild assembles a persisted state in one transaction on a fresh
// database: a snapshot's rows payloads, then the journal's changes
// payloads in order. Nothing of it is visible until Done, so a state that
// fails to load is never half-loaded.
type Rebuild struct {
	db  *memdb.MemDB
	txn *memdb.Txn
	// namespaces are gathered by id and chunked by Done.
	namespaces map[int64]*Namespace
}

// NewRebuild starts from an empty state.
func NewRebuild() *Rebuild {
	db := New().db.Load()
	return &Rebuild{db: db, txn: db.Txn(true), namespaces: map[int64]*Namespace{}}
}

// put and drop apply one persisted row.
func (b *Rebuild) put(table string, row any) error {
	if n, ok := row.(*Namespace); ok && table == tableNamespaces {
		b.namespaces[n.ID] = n
		return nil
	}
	if err := b.txn.Insert(table, row); err != nil {
		return fmt.Errorf("store: table %s: %w", table, err)
	}
	return nil
}

func (b *Rebuild) drop(table string, row any) error {
	if n, ok := row.(*Namespace); ok && table == tableNamespaces {
		delete(b.namespaces, n.ID)
		return nil
	}
	if err := b.txn.Delete(table, row); err != nil && !errors.Is(err, memdb.ErrNotFound) {
		return fmt.Errorf("store: table %s: %w", table, err)
	}
	return nil
}

// AddRows inserts the rows of one payload from [Reader.EncodeRows].
func (b *Rebuild) AddRows(payload []byte) error {
	d := &decoder{b: payload}
	table, err := decodeTable(d)
	if err != nil {
		return err
	}
	n, err := d.uvarint()
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		row, err := decodeRow(d, table)
		if err != nil {
			return err
		}
		if err := b.put(table, row); err != nil {
			return err
		}
	}
	return d.end()
}

// ApplyChanges applies one payload from [Commit.EncodeChanges]: every
// changed row's old version is removed first, then the new versions are
// inserted, so unique indexes never see two rows with one key midway
// (go-memdb does not enforce uniqueness; the store's checks do, and they
// ran when the transaction was first made).
func (b *Rebuild) ApplyChanges(payload []byte) error {
	type change struct {
		table string
		op    byte
		row   any
	}
	d := &decoder{b: payload}
	n, err := d.uvarint()
	if err != nil {
		return err
	}
	if n > uint64(len(d.b)) {
		return d.fail("change count %d exceeds the %d bytes left", n, len(d.b))
	}
	changes := make([]change, 0, n)
	for range n {
		table, err := decodeTable(d)
		if err != nil {
			return err
		}
		op, err := d.byte()
		if err != nil {
			return err
		}
		if op != opPut && op != opDelete {
			return d.fail("unknown op %d", op)
		}
		row, err := decodeRow(d, table)
		if err != nil {
			return err
		}
		changes = append(changes, change{table, op, row})
	}
	if err := d.end(); err != nil {
		return err
	}
	for _, c := range changes {
		if err := b.drop(c.table, c.row); err != nil {
			return err
		}
	}
	for _, c := range changes {
		if c.op == opPut {
			if err := b.put(c.table, c.row); err != nil {
				return err
			}
		}
	}
	return nil
}

// Done stores the namespaces, recomputes the hash indexes, commits what
// was rebuilt and returns it, for [Store.Restore].
func (b *Rebuild) Done() Snapshot {
	storeChunks(b.txn, slices.SortedFunc(maps.Values(b.namespaces), func(x, y *Namespace) int { return cmp.Compare(x.ID, y.ID) }))
	rebuildHashIndexes(b.txn)
	rebuildRepositoryNames(b.txn)
	rebuildTagHistories(b.txn)
	b.txn.Commit()
	return Snapshot{db: b.db}
}

func decodeTable(d *decoder) (string, error) {
	table, err := d.string()
	if err != nil {
		return "", err
	}
	if _, ok := rowTypes[table]; !ok {
		return "", fmt.Errorf("store: unknown table %q (written by a fakequay with other tables)", table)
	}
	return table, nil
}

func decodeRow(d *decoder, table string) (any, error) {
	p := reflect.New(rowTypes[table].Elem())
	if err := d.value(p.Elem()); err != nil {
		return nil, fmt.Errorf("store: table %s: %w", table, err)
	}
	return p.Interface(), nil
}

// end reports trailing bytes, which no valid payload has.
func (d *decoder) end() error {
	if len(d.b) != 0 {
		return d.fail("%d bytes after the end", len(d.b))
	}
	return nil
}
