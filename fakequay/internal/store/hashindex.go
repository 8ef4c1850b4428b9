package store

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/go-memdb"
)

// A hashIndex finds namespaces by an exact string (the current name, a
// user's e-mail) in O(1) while costing about 24 bytes per namespace. The
// namespaces are grouped in buckets by a hash of the string; each bucket
// is one row of the index's own table, holding an entry per namespace:
// its primary key (listing, id) and the full hash of its key. A change
// that keeps a namespace's key and listing (an e-mail change, for the
// names) leaves the index alone.
//
// A go-memdb index would cost one radix-tree leaf per namespace, with two
// allocated channels: about 400 bytes, which at a million users was most
// of the store's memory (issue 5, goal 6). There are 16384 buckets, and
// the rows of the index's table are pages of 64 of them (bucketPage): a
// million users share a bucket per ~60 of them, a write copies that bucket
// (1.5 KB) and its page's pointers (512 B), and the table has 256 rows, so
// that filling it for a seed is 256 inserts rather than 16384. The buckets
// are derived data: putNamespaceTxn keeps them in step with the namespaces
// table in the same transaction.
type hashIndex struct {
	table string
	// key is the string a namespace is found by; ok false leaves it out.
	key func(*Namespace) (s string, ok bool)
}

// hashBuckets is the number of buckets of a hash index: fewer would make
// every write at a million users copy a larger bucket, more would cost a
// leaf per user at a hundred thousand (and a slower bulk load).
const hashBuckets = 1 << 14

// bucket is the namespaces whose key falls in bucket Hash, by id. Like
// every row, and the pages that hold it, it is immutable once stored.
type bucket struct {
	Hash    int64
	Entries []bucketEntry
}

// bucketEntry is a namespace in a bucket: its primary key and the full
// hash of its key. A lookup reads only the rows whose hash matches, a
// write compares only ids: each row read is a cache miss at a million
// rows.
type bucketEntry struct {
	ID      int64
	KeyHash uint64
	Listing listing // 0 in put's argument: remove the entry
}

// derivedTables are the hash indexes' tables: derived from the namespaces
// table, they are not persisted (a rebuilt state recomputes them) and not
// dumped.
var derivedTables = map[string]bool{tableNamespaceNames: true, tableUserEmails: true, tableDeletedNames: true,
	tableRepositoryNames: true, tableTagHistory: true}

// rebuildHashIndexes recomputes every bucket of the hash indexes from the
// namespaces table, in a transaction outside Store.write.
func rebuildHashIndexes(txn *memdb.Txn) {
	for _, ix := range hashIndexes {
		rebuildBuckets(txn, ix.table, func(add func(bucketEntry)) {
			walkListings(txn, idOrder, 0, func(n *Namespace) bool {
				if key, ok := ix.key(n); ok {
					add(bucketEntry{ID: n.ID, KeyHash: hashKey(key), Listing: n.listing()})
				}
				return true
			})
		})
	}
}

// rebuildBuckets replaces every bucket of table by those of the entries
// walk adds, in a transaction outside Store.write.
func rebuildBuckets(txn *memdb.Txn, table string, walk func(add func(bucketEntry))) {
	if _, err := txn.DeleteAll(table, indexID); err != nil {
		panic("store: clearing " + table + ": " + err.Error())
	}
	buckets := map[int64]*bucket{}
	walk(func(e bucketEntry) {
		h := bucketOf(e.KeyHash)
		if buckets[h] == nil {
			buckets[h] = &bucket{Hash: h}
		}
		buckets[h].Entries = append(buckets[h].Entries, e)
	})
	for _, b := range buckets {
		sortByID(b.Entries, func(e bucketEntry) int64 { return e.ID })
	}
	writeBuckets(txn, txn, table, buckets)
}

// The hash indexes of the namespaces table.
var (
	namesIndex = hashIndex{table: tableNamespaceNames,
		key: func(n *Namespace) (string, bool) { return n.Name, true }}
	userEmailsIndex = hashIndex{table: tableUserEmails,
		key: func(n *Namespace) (string, bool) { return n.Email, n.IsUser() }}
	// deletedNamesIndex finds a namespace pending deletion by the name it
	// had, which blocks that name until the namespace GC purges it.
	deletedNamesIndex = hashIndex{table: tableDeletedNames,
		key: func(n *Namespace) (string, bool) { return n.OriginalName, n.Deleted }}

	hashIndexes = []hashIndex{namesIndex, userEmailsIndex, deletedNamesIndex}
)

func (ix hashIndex) schema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: ix.table,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*bucketPage]{
				key: func(p *bucketPage) (int64, bool) { return p.Page, true }}},
		},
	}
}

// pageBits sets how many buckets share a row of a hash index's table.
const pageBits = 6

// bucketPage is a row of a hash index's table: the buckets whose Hash >>
// pageBits is Page (nil: empty). A stored page has at least one bucket.
type bucketPage struct {
	Page    int64
	Buckets [1 << pageBits]*bucket
}

// storedBucket returns bucket h of table as read sees it, or nil.
func storedBucket(read *memdb.Txn, table string, h int64) *bucket {
	if p, ok := first[*bucketPage](read, table, indexID, h>>pageBits); ok {
		return p.Buckets[h&(1<<pageBits-1)]
	}
	return nil
}

// eachBucket calls fn for every stored bucket of table, in hash order,
// until fn returns false.
func eachBucket(txn *memdb.Txn, table string, fn func(*bucket) bool) {
	iterate(mustIter(txn.Get(table, indexID)), func(p *bucketPage) bool {
		for _, b := range p.Buckets {
			if b != nil && !fn(b) {
				return false
			}
		}
		return true
	})
}

// writeBuckets stores the buckets of table that changed, by hash (nil:
// removed), in pages: each page that holds one is copied from base (the
// state before the changes) once and stored, or removed when it is left
// empty.
func writeBuckets(txn, base *memdb.Txn, table string, changed map[int64]*bucket) {
	pages := map[int64]*bucketPage{}
	for h, b := range changed {
		p := pages[h>>pageBits]
		if p == nil {
			p = &bucketPage{Page: h >> pageBits}
			if old, ok := first[*bucketPage](base, table, indexID, p.Page); ok {
				*p = *old
			}
			pages[p.Page] = p
		}
		p.Buckets[h&(1<<pageBits-1)] = b
	}
	for _, n := range slices.Sorted(maps.Keys(pages)) {
		p := pages[n]
		if slices.ContainsFunc(p.Buckets[:], func(b *bucket) bool { return b != nil }) {
			insert(txn, table, p)
		} else if old, ok := first[*bucketPage](base, table, indexID, n); ok {
			remove(txn, table, old)
		}
	}
}

// hashKey is 64-bit FNV-1a. It is fixed (not seeded per process) so that
// buckets mean the same after persistence.
func hashKey(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// bucketOf is the bucket a key hash falls in.
func bucketOf(keyHash uint64) int64 {
	return int64((keyHash ^ keyHash>>32) % hashBuckets)
}

// each calls fn for every namespace whose key is s, until fn returns false.
func (ix hashIndex) each(txn *memdb.Txn, s string, fn func(*Namespace) bool) {
	kh := hashKey(s)
	b := ix.bucketAt(txn, bucketOf(kh))
	if b == nil {
		return
	}
	for _, e := range b.Entries {
		if e.KeyHash != kh {
			continue
		}
		n, ok := namespaceAtTxn(txn, e.Listing, e.ID)
		if !ok {
			panic(fmt.Sprintf("store: %s lists namespace %d, which is not stored", ix.table, e.ID))
		}
		if k, ok := ix.key(n); ok && k == s && !fn(n) {
			return
		}
	}
}

// find returns the namespace whose key is s (for a unique key).
func (ix hashIndex) find(txn *memdb.Txn, s string) (*Namespace, bool) {
	var found *Namespace
	ix.each(txn, s, func(n *Namespace) bool { found = n; return false })
	return found, found != nil
}

// update moves the index from old to n, two versions of the namespace with
// the id of either (nil old: n is new; nil n: old is gone).
func (ix hashIndex) update(txn *memdb.Txn, old, n *Namespace) {
	oldKey, hadKey := "", false
	if old != nil {
		oldKey, hadKey = ix.key(old)
	}
	newKey, hasKey := "", false
	if n != nil {
		newKey, hasKey = ix.key(n)
	}
	if hadKey && hasKey && oldKey == newKey && old.listing() == n.listing() {
		return // the entry stays as it is
	}
	var id int64
	if n != nil {
		id = n.ID
	} else {
		id = old.ID
	}
	newHash := hashKey(newKey)
	if hadKey && (!hasKey || bucketOf(hashKey(oldKey)) != bucketOf(newHash)) {
		ix.put(txn, bucketOf(hashKey(oldKey)), bucketEntry{ID: id})
	}
	if hasKey {
		ix.put(txn, bucketOf(newHash), bucketEntry{ID: id, KeyHash: newHash, Listing: n.listing()})
	}
}

// put replaces the entry of the namespace e.ID in bucket h by e, adds e
// when the bucket does not hold it, or drops it when e.Listing is 0. The
// change goes to the transaction's buffer (buffer.go).
func (ix hashIndex) put(txn *memdb.Txn, h int64, e bucketEntry) {
	buf := mustBuffer(txn)
	written := buf.buckets[ix.table]
	if written == nil {
		written = map[int64]*bucket{}
		buf.buckets[ix.table] = written
	}
	b, owned := written[h]
	if !owned {
		if base := storedBucket(buf.base, ix.table, h); base != nil {
			b = &bucket{Hash: h, Entries: slices.Clone(base.Entries)}
		}
	}
	if b == nil {
		b = &bucket{Hash: h}
	}
	i, found := slices.BinarySearchFunc(b.Entries, e.ID, func(x bucketEntry, id int64) int { return cmp.Compare(x.ID, id) })
	switch {
	case found && e.Listing != 0:
		b.Entries[i] = e
	case found:
		b.Entries = slices.Delete(b.Entries, i, i+1)
	case e.Listing != 0:
		b.Entries = slices.Insert(b.Entries, i, e)
	default:
		return
	}
	if len(b.Entries) == 0 {
		b = nil
	}
	written[h] = b
}

// bucketAt returns bucket h of the index as txn sees it, or nil.
func (ix hashIndex) bucketAt(txn *memdb.Txn, h int64) *bucket {
	read := txn
	if buf := bufferOf(txn); buf != nil {
		if b, ok := buf.buckets[ix.table][h]; ok {
			return b
		}
		read = buf.base
	}
	return storedBucket(read, ix.table, h)
}

// bulkIndex gathers the entries of new namespaces for an empty hash index
// and stores them a bucket at a time: what putNamespaceTxn does for each of
// them, for a batch into an empty namespaces table.
type bulkIndex struct {
	ix      hashIndex
	buckets []int64 // entries[i] goes in bucket buckets[i]
	entries []bucketEntry
}

// bulk starts a batch of about n namespaces for the index.
func (ix hashIndex) bulk(n int) *bulkIndex {
	return &bulkIndex{ix: ix, buckets: make([]int64, 0, n), entries: make([]bucketEntry, 0, n)}
}

// add indexes n, a namespace with a new id.
func (b *bulkIndex) add(n *Namespace) {
	if key, ok := b.ix.key(n); ok {
		kh := hashKey(key)
		b.buckets = append(b.buckets, bucketOf(kh))
		b.entries = append(b.entries, bucketEntry{ID: n.ID, KeyHash: kh, Listing: n.listing()})
	}
}

// store writes every bucket that gained entries to txn's buffer. The
// entries are sorted by bucket (byBucket keeps id order within a bucket)
// into one array that the buckets share, each capped at its own length so
// that a later write copies rather than overruns it.
func (b *bulkIndex) store(txn *memdb.Txn) {
	sorted, runs := byBucket(b.entries, b.buckets)
	buf := mustBuffer(txn)
	written := buf.buckets[b.ix.table]
	if written == nil {
		written = map[int64]*bucket{}
		buf.buckets[b.ix.table] = written
	}
	for _, r := range runs {
		written[r.hash] = &bucket{Hash: r.hash, Entries: sorted[r.start:r.end:r.end]}
	}
	b.buckets, b.entries = nil, nil
}

// bucketRun is where bucket hash's values are in byBucket's result.
type bucketRun struct {
	hash       int64
	start, end int
}

// byBucket sorts values by their buckets (buckets[i] is values[i]'s),
// keeping their order within a bucket, and returns the runs of each
// bucket in hash order. A batch as large as the buckets are many is
// sorted by counting; a smaller one (a server's built-in superuser) by
// comparing, without the counting sort's array of every bucket.
func byBucket[T any](values []T, buckets []int64) (sorted []T, runs []bucketRun) {
	order := make([]int32, len(values))
	if len(values) < hashBuckets {
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(buckets[a], buckets[b]) })
	} else {
		var next [hashBuckets]int
		for _, h := range buckets {
			next[h]++
		}
		for h, end := 0, 0; h < hashBuckets; h++ {
			end += next[h]
			next[h] = end
		}
		for i := len(values) - 1; i >= 0; i-- { // backwards: the last value takes the last slot
			next[buckets[i]]--
			order[next[buckets[i]]] = int32(i)
		}
	}
	sorted = make([]T, len(values))
	for k, i := range order {
		sorted[k] = values[i]
		if h := buckets[i]; k == 0 || h != runs[len(runs)-1].hash {
			runs = append(runs, bucketRun{hash: h, start: k})
		}
		runs[len(runs)-1].end = k + 1
	}
	return sorted, runs
}

// hashesRepeat reports whether a key hash appears twice.
func hashesRepeat(hashes []uint64) bool {
	buckets := make([]int64, len(hashes))
	for i, kh := range hashes {
		buckets[i] = bucketOf(kh)
	}
	sorted, runs := byBucket(hashes, buckets)
	for _, r := range runs {
		same := sorted[r.start:r.end]
		slices.Sort(same)
		for i := 1; i < len(same); i++ {
			if same[i] == same[i-1] {
				return true
			}
		}
	}
	return false
}
