package store

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/go-memdb"
)

// The namespaces table holds namespaces in chunks: a row of the table is
// a run of up to 64 namespaces of one listing whose ids share a block
// (id >> chunkBits), sorted by id. A go-memdb row costs a radix leaf with
// two channels, about 470 bytes, which at a million users was twice the
// namespace itself (issue 14, goal 3); a chunk spreads it over up to 64 of
// them. A write copies the chunk's pointers (512 bytes at most) instead of
// a path of radix nodes, and a page of users walks arrays.
//
// Blocks are fixed by the id, so a namespace is found with one point
// lookup, and the chunks of a listing in key order hold its namespaces in
// id order. Ids come from one sequence, so the chunks of a seeded store are
// full; a sparse listing (organizations among many users) costs at worst a
// chunk per namespace, what a row cost before.
//
// Like the hash-index buckets, the chunks a write transaction changes are
// kept in its buffer (buffer.go) and stored once when it commits.
// Persistence and the state dump see namespaces, not chunks: EncodeRows
// and Dump walk them, EncodeChanges turns a changed chunk into its changed
// namespaces, and a Rebuild gathers namespaces and chunks them at the end.

// chunkBits sets the ids a chunk may hold: 1<<chunkBits consecutive ones.
const chunkBits = 6

// namespaceChunk is a row of the namespaces table. Like every row it is
// immutable once stored.
type namespaceChunk struct {
	Listing listing
	Block   int64        // every row's id >> chunkBits
	Rows    []*Namespace // sorted by id, never empty
}

// chunkKey names a chunk: its listing and block.
type chunkKey struct {
	listing listing
	block   int64
}

func keyOfNamespace(n *Namespace) chunkKey { return chunkKey{n.listing(), n.ID >> chunkBits} }

func (c *namespaceChunk) key() chunkKey { return chunkKey{c.Listing, c.Block} }

func namespacesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableNamespaces,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: chunkIndex{}},
		},
	}
}

// chunkIndex is the namespaces table's primary key, (listing, block): the
// listing byte, then the block as appendNibbles writes it.
type chunkIndex struct{}

func (chunkIndex) FromObject(raw any) (bool, []byte, error) {
	c, ok := raw.(*namespaceChunk)
	if !ok {
		return false, nil, fmt.Errorf("chunk index: unexpected %T", raw)
	}
	return true, encodeChunkKey(c.key()), nil
}

func (chunkIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("chunk index: want 1 argument, got %d", len(args))
	}
	k, ok := args[0].(chunkKey)
	if !ok {
		return nil, fmt.Errorf("chunk index: argument is %T, want chunkKey", args[0])
	}
	return encodeChunkKey(k), nil
}

func encodeChunkKey(k chunkKey) []byte {
	return appendNibbles(append(make([]byte, 0, 1+nibbleKeyBytes), byte(k.listing)), uint64(k.block))
}

// chunkAt returns the chunk k as txn sees it, or nil.
func chunkAt(txn *memdb.Txn, k chunkKey) *namespaceChunk {
	read := txn
	if buf := bufferOf(txn); buf != nil {
		if c, ok := buf.chunks[k]; ok {
			if len(c.Rows) == 0 {
				return nil // removed by the transaction
			}
			return c
		}
		read = buf.base
	}
	c, _ := first[*namespaceChunk](read, tableNamespaces, indexID, k)
	return c
}

// namespaceAtTxn returns the namespace with the given id in listing l.
func namespaceAtTxn(txn *memdb.Txn, l listing, id int64) (*Namespace, bool) {
	c := chunkAt(txn, chunkKey{l, id >> chunkBits})
	if c == nil {
		return nil, false
	}
	if i, found := c.find(id); found {
		return c.Rows[i], true
	}
	return nil, false
}

// find returns where id is or would be in the chunk, and whether it is.
func (c *namespaceChunk) find(id int64) (int, bool) {
	return slices.BinarySearchFunc(c.Rows, id, func(n *Namespace, id int64) int { return cmp.Compare(n.ID, id) })
}

// storeInChunk puts n in its chunk in txn's buffer, replacing the namespace
// with its id there; removeFromChunk takes the namespace with n's id out of
// n's chunk. The buffer owns the chunks it holds (a stored chunk is copied
// the first time a transaction changes it), so later changes by the same
// transaction are made in place: a seed of new ids appends. A chunk left
// empty stays in the buffer, which then removes it from the table.
func storeInChunk(txn *memdb.Txn, n *Namespace) {
	c := ownedChunk(txn, keyOfNamespace(n))
	i, found := c.find(n.ID)
	if found {
		c.Rows[i] = n
	} else {
		c.Rows = slices.Insert(c.Rows, i, n)
	}
}

func removeFromChunk(txn *memdb.Txn, n *Namespace) {
	c := ownedChunk(txn, keyOfNamespace(n))
	i, found := c.find(n.ID)
	if !found {
		return
	}
	c.Rows = slices.Delete(c.Rows, i, i+1)
}

// ownedChunk returns the transaction's own copy of chunk k, empty when no
// such chunk is stored.
func ownedChunk(txn *memdb.Txn, k chunkKey) *namespaceChunk {
	buf := mustBuffer(txn)
	if c, ok := buf.chunks[k]; ok {
		return c
	}
	c := &namespaceChunk{Listing: k.listing, Block: k.block}
	if base, ok := first[*namespaceChunk](buf.base, tableNamespaces, indexID, k); ok {
		c.Rows = slices.Clone(base.Rows)
	}
	buf.chunks[k] = c
	return c
}

// chunkCursor yields the namespaces of one listing in id order, from an id
// on, chunk by chunk: from txn's stored chunks merged with those its
// buffer changed.
type chunkCursor struct {
	list   listing
	stored memdb.ResultIterator // the stored chunks, from the first block on
	next   *namespaceChunk      // the stored chunk not yet taken, or nil
	// buffered are the blocks the buffer changed, ascending, with the
	// buffer's chunks (empty: removed).
	buffered []int64
	chunks   map[chunkKey]*namespaceChunk

	rows []*Namespace // what is left of the current chunk
}

// start places the cursor at the first namespace of listing l whose id is
// >= fromID.
func (cur *chunkCursor) start(txn *memdb.Txn, l listing, fromID int64) {
	block := fromID >> chunkBits
	*cur = chunkCursor{list: l}
	read := txn
	if buf := bufferOf(txn); buf != nil {
		read = buf.base
		cur.chunks = buf.chunks
		for k := range buf.chunks {
			if k.listing == l && k.block >= block {
				cur.buffered = append(cur.buffered, k.block)
			}
		}
		slices.Sort(cur.buffered)
	}
	cur.stored = mustIter(read.LowerBound(tableNamespaces, indexID, chunkKey{l, block}))
	cur.advanceStored()
	if c := cur.nextChunk(); c != nil {
		i, _ := c.find(fromID)
		cur.rows = c.Rows[i:]
	}
}

func (cur *chunkCursor) advanceStored() {
	cur.next = nil
	if raw := cur.stored.Next(); raw != nil {
		if c := raw.(*namespaceChunk); c.Listing == cur.list {
			cur.next = c
		}
	}
}

// nextChunk returns the next chunk in block order, or nil at the end.
func (cur *chunkCursor) nextChunk() *namespaceChunk {
	for {
		switch {
		case len(cur.buffered) > 0 && (cur.next == nil || cur.buffered[0] <= cur.next.Block):
			b := cur.buffered[0]
			cur.buffered = cur.buffered[1:]
			if cur.next != nil && cur.next.Block == b {
				cur.advanceStored() // the buffer's version replaces it
			}
			if c := cur.chunks[chunkKey{cur.list, b}]; len(c.Rows) > 0 {
				return c
			}
		case cur.next != nil:
			c := cur.next
			cur.advanceStored()
			return c
		default:
			return nil
		}
	}
}

// peek returns the next namespace without taking it, or nil at the end.
func (cur *chunkCursor) peek() *Namespace {
	for len(cur.rows) == 0 {
		c := cur.nextChunk()
		if c == nil {
			return nil
		}
		cur.rows = c.Rows
	}
	return cur.rows[0]
}

// walkListings calls fn for the namespaces in the given lists whose id is
// >= fromID, in ascending id order across the lists, until fn returns
// false. Each list is walked from fromID and the walks are merged, so the
// cost is O(rows visited); once one list is left, its chunks are read
// straight through (a page of users rarely meets a disabled one).
func walkListings(txn *memdb.Txn, lists []listing, fromID int64, fn func(*Namespace) bool) {
	var buf [4]chunkCursor
	all := buf[:0]
	if len(lists) > len(buf) {
		all = make([]chunkCursor, 0, len(lists))
	}
	for _, l := range lists {
		all = append(all, chunkCursor{})
		all[len(all)-1].start(txn, l, fromID)
	}
	var live [4]*chunkCursor
	cursors := live[:0]
	for i := range all {
		if all[i].peek() != nil {
			cursors = append(cursors, &all[i])
		}
	}
	for len(cursors) > 1 {
		next := 0
		for i, cur := range cursors {
			if cur.rows[0].ID < cursors[next].rows[0].ID {
				next = i
			}
		}
		cur := cursors[next]
		n := cur.rows[0]
		cur.rows = cur.rows[1:]
		if cur.peek() == nil {
			cursors = slices.Delete(cursors, next, next+1)
		}
		if !fn(n) {
			return
		}
	}
	for _, cur := range cursors { // one list left
		for cur.peek() != nil {
			for _, n := range cur.rows {
				if !fn(n) {
					return
				}
			}
			cur.rows = nil
		}
	}
}

// namespacesEmptyTxn reports whether txn holds no namespace.
func namespacesEmptyTxn(txn *memdb.Txn) bool {
	empty := true
	walkListings(txn, idOrder, 0, func(*Namespace) bool { empty = false; return false })
	return empty
}

// storeChunks stores rows, sorted by id, as the chunks they fall in, in a
// transaction outside Store.write (a Rebuild's).
func storeChunks(txn *memdb.Txn, rows []*Namespace) {
	chunks := map[chunkKey]*namespaceChunk{}
	for _, n := range rows {
		k := keyOfNamespace(n)
		c := chunks[k]
		if c == nil {
			c = &namespaceChunk{Listing: k.listing, Block: k.block}
			chunks[k] = c
		}
		c.Rows = append(c.Rows, n)
	}
	for _, c := range chunks {
		insert(txn, tableNamespaces, c)
	}
}

// chunkChanges turns a change of a chunk into the changes of its
// namespaces: each namespace of after that before does not hold (or holds
// in another version) is put, each of before that after does not hold is
// deleted. A namespace that moved to another listing is deleted from one
// chunk and put in another: a Rebuild applies every delete first.
func chunkChanges(before, after *namespaceChunk, emit func(op byte, n *Namespace)) {
	var old, rows []*Namespace
	if before != nil {
		old = before.Rows
	}
	if after != nil {
		rows = after.Rows
	}
	for len(old) > 0 || len(rows) > 0 {
		switch {
		case len(rows) == 0 || (len(old) > 0 && old[0].ID < rows[0].ID):
			emit(opDelete, old[0])
			old = old[1:]
		case len(old) == 0 || rows[0].ID < old[0].ID:
			emit(opPut, rows[0])
			rows = rows[1:]
		default:
			if old[0] != rows[0] {
				emit(opPut, rows[0])
			}
			old, rows = old[1:], rows[1:]
		}
	}
}

// checkChunks reports every stored chunk that breaks the table's layout:
// empty, out of order, or holding a namespace of another listing or block.
func (r Reader) checkChunks(fail func(format string, args ...any)) {
	iterate(mustIter(r.txn.Get(tableNamespaces, indexID)), func(c *namespaceChunk) bool {
		if len(c.Rows) == 0 {
			fail("namespace chunk %v is empty", c.key())
		}
		for i, n := range c.Rows {
			if keyOfNamespace(n) != c.key() {
				fail("namespace %d (%v) is in chunk %v", n.ID, keyOfNamespace(n), c.key())
			}
			if i > 0 && c.Rows[i-1].ID >= n.ID {
				fail("namespace chunk %v: %d before %d", c.key(), c.Rows[i-1].ID, n.ID)
			}
		}
		return true
	})
}

// flushChunks stores the buffer's chunks in txn, in key order.
func (b *txnBuffer) flushChunks(txn *memdb.Txn) {
	keys := slices.SortedFunc(maps.Keys(b.chunks), func(x, y chunkKey) int {
		return cmp.Or(cmp.Compare(x.listing, y.listing), cmp.Compare(x.block, y.block))
	})
	for _, k := range keys {
		if c := b.chunks[k]; len(c.Rows) > 0 {
			insert(txn, tableNamespaces, c)
		} else if old, ok := first[*namespaceChunk](b.base, tableNamespaces, indexID, k); ok {
			remove(txn, tableNamespaces, old)
		}
	}
	clear(b.chunks)
}
