// Package store holds fakequay's state in go-memdb.
//
// It plays the part of Quay's data-model layer (data/model/...): it owns
// uniqueness rules, the messages Quay's model raises as 400 {"message": ...}
// errors, deletion cascades and the audit-log rows that go with each change.
// HTTP concerns (auth, status codes, views) stay in package fakequay.
//
// Conventions, after Nomad and Consul's state stores:
//   - table and index names are constants; one schema function per table;
//   - every public write method owns its transaction through [Store.write];
//     helpers named ...Txn never commit;
//   - stored records are immutable: readers get shared pointers and must not
//     modify them; writers copy, change and insert the copy;
//   - an audit-log row is inserted in the same transaction as the change it
//     describes;
//   - reads go through a [Reader], a consistent point-in-time view that never
//     blocks writers.
//
// Persistence (fakequay's data directory) sees every commit through the
// commit hook and stores rows with a reflection-based codec (codec.go,
// durable.go). Adding a table therefore takes one more line besides its
// schema function: its row type in rowTypes (rowtypes.go). The row type
// must be a pointer to a struct whose fields are all exported, built from
// plain values, slices, maps, pointers, time.Time and interfaces holding
// the JSON value types of dynamicTypes; TestEveryTableHasARowType fails
// until the line is there, and TestRowTypesRoundTrip checks the type.
package store

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-memdb"
)

// Store is fakequay's state. It is safe for concurrent use: writers are
// serialised, readers never wait.
type Store struct {
	mu sync.Mutex // serialises writers, Restore and the commit hook
	db atomic.Pointer[memdb.MemDB]

	// onCommit, when set, sees every commit before it becomes visible; an
	// error aborts it. Persistence hooks in here (durable.go).
	onCommit func(Commit) error
}

// New returns an empty store in O(1): a snapshot of one empty database
// built once per process. Building a go-memdb database costs a radix tree
// per index, most of what starting a server would otherwise cost; and a
// snapshot's transactions skip go-memdb's watch-channel bookkeeping, which
// fakequay never uses. The schema is static and covered by tests, so an
// invalid schema is a programming error and panics.
func New() *Store {
	s := &Store{}
	s.db.Store(emptyDB().Snapshot())
	return s
}

// emptyDB is the database every store starts from. It is never written.
var emptyDB = sync.OnceValue(func() *memdb.MemDB {
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		panic(fmt.Sprintf("store: invalid schema: %v", err))
	}
	return db
})

// Snapshot is an immutable point-in-time copy of a store's state.
type Snapshot struct{ db *memdb.MemDB }

// Snapshot returns the current state in O(1).
func (s *Store) Snapshot() Snapshot {
	return Snapshot{db: s.db.Load().Snapshot()}
}

// Restore replaces the whole state with snap in O(1). Writers that started
// before Restore finish first; readers holding an older Reader keep their
// view. With a commit hook, the hook sees the new state first and its error
// leaves the old state in place.
func (s *Store) Restore(snap Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := snap.db.Snapshot()
	if s.onCommit != nil {
		if err := s.onCommit(Commit{replaced: true, state: Reader{txn: next.Txn(false)}}); err != nil {
			return fmt.Errorf("store: commit hook: %w", err)
		}
	}
	s.db.Store(next)
	return nil
}

// Reader is a consistent, read-only view of the store.
type Reader struct{ txn *memdb.Txn }

// Read returns a view of the state as of now. It costs O(1), holds no lock
// and needs no cleanup.
func (s *Store) Read() Reader { return Reader{txn: s.db.Load().Txn(false)} }

// Read returns a view of the snapshot.
func (snap Snapshot) Read() Reader { return Reader{txn: snap.db.Txn(false)} }

// keepChanges wraps an error that must be returned to the caller *after*
// committing what the transaction already did. Quay has no transaction around
// many of its multi-step operations, so a failure part-way leaves the earlier
// steps applied (and their audit rows written); fakequay reproduces that.
type keepChanges struct{ err error }

func (k keepChanges) Error() string { return k.err.Error() }
func (k keepChanges) Unwrap() error { return k.err }

// write runs fn in a write transaction and commits it if fn succeeds (or
// fails with keepChanges). Every public write method goes through here.
func (s *Store) write(fn func(txn *memdb.Txn) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	db := s.db.Load()
	txn := db.Txn(true)
	defer txn.Abort()
	buf := beginBuffer(txn, db)
	defer buf.end(txn)
	if s.onCommit != nil {
		txn.TrackChanges()
	}
	err := fn(txn)
	var keep keepChanges
	if err != nil && !errors.As(err, &keep) {
		return err
	}
	buf.flush(txn)
	buf.end(txn) // from here on, reads (the commit hook's) see the stored rows
	if s.onCommit != nil {
		if herr := s.onCommit(Commit{changes: txn.Changes(), state: Reader{txn: txn}}); herr != nil {
			return fmt.Errorf("store: commit hook: %w", herr)
		}
	}
	txn.Commit()
	if err != nil {
		return keep.err
	}
	return nil
}

// first returns the first row of table matching index/args, typed.
func first[T any](txn *memdb.Txn, table, index string, args ...any) (T, bool) {
	var zero T
	raw, err := txn.First(table, index, args...)
	if err != nil {
		panic(fmt.Sprintf("store: lookup %s.%s: %v", table, index, err))
	}
	if raw == nil {
		return zero, false
	}
	return raw.(T), true
}

// iterate calls fn for each row of it until fn returns false.
func iterate[T any](it memdb.ResultIterator, fn func(T) bool) {
	for raw := it.Next(); raw != nil; raw = it.Next() {
		if !fn(raw.(T)) {
			return
		}
	}
}

// mustIter turns an index error into a panic: index names and argument types
// are fixed at compile time, so an error here is a programming bug.
func mustIter(it memdb.ResultIterator, err error) memdb.ResultIterator {
	if err != nil {
		panic(fmt.Sprintf("store: iterate: %v", err))
	}
	return it
}

// insert stores row in table; memdb only fails here on a schema mismatch,
// which is a programming bug.
func insert(txn *memdb.Txn, table string, row any) {
	if err := txn.Insert(table, row); err != nil {
		panic(fmt.Sprintf("store: insert into %s: %v", table, err))
	}
}

// remove deletes row from table (see insert for why errors panic).
func remove(txn *memdb.Txn, table string, row any) {
	if err := txn.Delete(table, row); err != nil {
		panic(fmt.Sprintf("store: delete from %s: %v", table, err))
	}
}
