package store

import (
	"cmp"
	"maps"
	"slices"
	"sync"

	"github.com/hashicorp/go-memdb"
)

// Three kinds of rows are rewritten over and over by one transaction: the
// buckets of the hash indexes (hashindex.go), the namespace chunks
// (namespace_chunks.go) and the id sequences. A bulk
// load of a million users rewrites each bucket about sixty times and the
// namespace sequence a million times. Writing each version to go-memdb
// costs a radix leaf with a channel, and reading one back is worse: a read
// of an index the transaction has modified drops its cache of writable
// radix nodes (iradix's Txn.Clone), so the next write copies the whole path
// again (at first 16 KB per seeded user).
//
// So a write transaction keeps those rows in a buffer: reads look there
// first and then at the state the transaction started from (never at the
// index it modifies), writes change the buffer in place, and Store.write
// stores the final version of each row once, before committing.

// txnBuffer is one write transaction's buffered rows.
type txnBuffer struct {
	base *memdb.Txn // read-only view of the state the transaction started from
	// buckets are the hash-index buckets the transaction changed, by table
	// and hash. The transaction owns them and may change them in place
	// until they are stored; nil means removed.
	buckets map[string]map[int64]*bucket
	// chunks are the namespace chunks the transaction changed
	// (namespace_chunks.go), owned like the buckets; empty means removed.
	chunks map[chunkKey]*namespaceChunk
	// sequences are the last ids handed out, by sequence name.
	sequences map[string]int64
}

// buffers holds the buffer of every write transaction in progress;
// Store.write registers and drops them.
var buffers sync.Map // *memdb.Txn -> *txnBuffer

// beginBuffer registers a buffer for txn, a write transaction on db.
func beginBuffer(txn *memdb.Txn, db *memdb.MemDB) *txnBuffer {
	b := &txnBuffer{base: db.Txn(false), buckets: map[string]map[int64]*bucket{},
		chunks: map[chunkKey]*namespaceChunk{}, sequences: map[string]int64{}}
	buffers.Store(txn, b)
	return b
}

// mustBuffer returns the buffer of txn, a write transaction.
func mustBuffer(txn *memdb.Txn) *txnBuffer {
	b := bufferOf(txn)
	if b == nil {
		panic("store: a write outside Store.write")
	}
	return b
}

// bufferOf returns txn's buffer, or nil for a read-only transaction.
func bufferOf(txn *memdb.Txn) *txnBuffer {
	if v, ok := buffers.Load(txn); ok {
		return v.(*txnBuffer)
	}
	return nil
}

// flush stores the final version of every buffered row in txn, in a fixed
// order, so that a commit hook sees the same changes for the same writes.
// Reads through the buffer must end with it (end): they would not see
// what flush stored.
func (b *txnBuffer) flush(txn *memdb.Txn) {
	b.flushChunks(txn)
	for _, table := range slices.Sorted(maps.Keys(b.buckets)) {
		writeBuckets(txn, b.base, table, b.buckets[table])
	}
	for _, name := range slices.SortedFunc(maps.Keys(b.sequences), cmp.Compare) {
		insert(txn, tableSequences, &sequence{Name: name, Last: b.sequences[name]})
	}
	clear(b.buckets)
	clear(b.sequences)
}

// end drops the buffer of txn.
func (b *txnBuffer) end(txn *memdb.Txn) { buffers.Delete(txn) }
