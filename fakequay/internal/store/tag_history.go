package store

import (
	"cmp"
	"slices"

	"github.com/hashicorp/go-memdb"
)

// list_repository_tag_history pages with an OFFSET over the repository's
// visible tags ordered by lifetime_start_ms descending, then name. Sorting
// every tag for each page made the last page of 100,000 tags cost 50 ms,
// 120 times the last page of 1,000 (issue 12), so the store keeps that
// order: a derived row per repository, its visible tags in history order
// in chunks of at most tagChunkMax. A page skips whole chunks by their
// lengths and reads only the rows it shows; a write copies the chunk list
// and the one chunk it changes. Rows are immutable, so a reader's snapshot
// keeps the history it began with.
//
// The rows are derived from the tags table: not persisted, not dumped, and
// recomputed by a rebuild (rebuildTagHistories), like the hash indexes.

const tableTagHistory = "tag_history"

// tagChunkMax is the most tags a chunk holds; a full chunk splits in two.
const tagChunkMax = 128

// tagHistory is one repository's visible tags in history order.
type tagHistory struct {
	NamespaceID  int64
	RepositoryID int64
	Chunks       [][]*Tag // each sorted, non-empty, immutable once stored
	Len          int
}

func tagHistoryTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableTagHistory,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*tagHistory]{
				key: func(h *tagHistory) (rowKey, bool) { return keyOf().id(h.NamespaceID).id(h.RepositoryID), true }}},
		},
	}
}

// cmpHistory is the history order: newest start first, then name, then
// id (the order the tags table gives equal rows).
func cmpHistory(a, b *Tag) int {
	if c := cmp.Compare(b.StartMs, a.StartMs); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func tagHistoryTxn(txn *memdb.Txn, namespaceID, repoID int64) (*tagHistory, bool) {
	return first[*tagHistory](txn, tableTagHistory, indexID, keyOf().id(namespaceID).id(repoID))
}

// putTagTxn stores t, a new tag row or a new version of one (same id), and
// keeps the repository's history in step. Every write of the tags table
// goes through here.
func putTagTxn(txn *memdb.Txn, t *Tag) {
	old, _ := first[*Tag](txn, tableTags, indexID, keyOf().id(t.NamespaceID).id(t.RepositoryID).id(t.ID))
	insert(txn, tableTags, t)
	h, ok := tagHistoryTxn(txn, t.NamespaceID, t.RepositoryID)
	if !ok {
		h = &tagHistory{NamespaceID: t.NamespaceID, RepositoryID: t.RepositoryID}
	}
	next := h.without(old).with(t)
	if next == h {
		return
	}
	insert(txn, tableTagHistory, next)
}

// deleteTagHistoryTxn drops a repository's history (its tags are gone).
func deleteTagHistoryTxn(txn *memdb.Txn, repo *Repository) {
	if h, ok := tagHistoryTxn(txn, repo.NamespaceID, repo.ID); ok {
		remove(txn, tableTagHistory, h)
	}
}

// find returns the chunk that holds t's place in the order and t's index
// in it, and whether t itself is there.
func (h *tagHistory) find(t *Tag) (chunk, at int, found bool) {
	chunk, _ = slices.BinarySearchFunc(h.Chunks, t, func(c []*Tag, t *Tag) int { return cmpHistory(c[len(c)-1], t) })
	if chunk == len(h.Chunks) {
		if chunk == 0 {
			return 0, 0, false
		}
		chunk-- // after every tag: the end of the last chunk
		return chunk, len(h.Chunks[chunk]), false
	}
	at, found = slices.BinarySearchFunc(h.Chunks[chunk], t, cmpHistory)
	return chunk, at, found
}

// without returns the history without t (h itself when t is nil, hidden
// or absent).
func (h *tagHistory) without(t *Tag) *tagHistory {
	if t == nil || t.Hidden {
		return h
	}
	ci, at, found := h.find(t)
	if !found {
		return h
	}
	out := &tagHistory{NamespaceID: h.NamespaceID, RepositoryID: h.RepositoryID, Len: h.Len - 1}
	c := h.Chunks[ci]
	if len(c) == 1 {
		out.Chunks = slices.Delete(slices.Clone(h.Chunks), ci, ci+1)
		return out
	}
	out.Chunks = slices.Clone(h.Chunks)
	out.Chunks[ci] = slices.Delete(slices.Clone(c), at, at+1)
	return out
}

// with returns the history with t (h itself when t is hidden). The result
// may be h's own copy when without made one: a history is only changed
// before it is stored.
func (h *tagHistory) with(t *Tag) *tagHistory {
	if t.Hidden {
		return h
	}
	out := &tagHistory{NamespaceID: h.NamespaceID, RepositoryID: h.RepositoryID, Len: h.Len + 1,
		Chunks: slices.Clone(h.Chunks)}
	if len(out.Chunks) == 0 {
		out.Chunks = [][]*Tag{{t}}
		return out
	}
	ci, at, _ := h.find(t)
	c := slices.Insert(slices.Clone(h.Chunks[ci]), at, t)
	if len(c) <= tagChunkMax {
		out.Chunks[ci] = c
		return out
	}
	half := len(c) / 2
	out.Chunks[ci] = c[:half:half]
	out.Chunks = slices.Insert(out.Chunks, ci+1, c[half:])
	return out
}

// walk calls fn for each tag of the history from the index from on, in
// order, until fn returns false; whole chunks before from are skipped by
// their lengths.
func (h *tagHistory) walk(from int, fn func(*Tag) bool) {
	for _, c := range h.Chunks {
		if from >= len(c) {
			from -= len(c)
			continue
		}
		for _, t := range c[from:] {
			if !fn(t) {
				return
			}
		}
		from = 0
	}
}

// rebuildTagHistories recomputes every repository's history from the tags
// table, in a transaction outside Store.write.
func rebuildTagHistories(txn *memdb.Txn) {
	if _, err := txn.DeleteAll(tableTagHistory, indexID); err != nil {
		panic("store: clearing " + tableTagHistory + ": " + err.Error())
	}
	for _, h := range computeTagHistories(txn) {
		insert(txn, tableTagHistory, h)
	}
}

// computeTagHistories builds each repository's history from its tags.
func computeTagHistories(txn *memdb.Txn) map[[2]int64]*tagHistory {
	tags := map[[2]int64][]*Tag{}
	iterate(mustIter(txn.Get(tableTags, indexID)), func(t *Tag) bool {
		if !t.Hidden {
			k := [2]int64{t.NamespaceID, t.RepositoryID}
			tags[k] = append(tags[k], t)
		}
		return true
	})
	out := map[[2]int64]*tagHistory{}
	for k, rows := range tags {
		slices.SortFunc(rows, cmpHistory)
		h := &tagHistory{NamespaceID: k[0], RepositoryID: k[1], Len: len(rows)}
		for len(rows) > 0 {
			n := min(len(rows), tagChunkMax/2)
			h.Chunks = append(h.Chunks, rows[:n:n])
			rows = rows[n:]
		}
		out[k] = h
	}
	return out
}

// checkTagHistories reports every repository whose stored history is not
// its visible tags in history order.
func (r Reader) checkTagHistories(fail func(string, ...any)) {
	want := computeTagHistories(r.txn)
	iterate(mustIter(r.txn.Get(tableTagHistory, indexID)), func(h *tagHistory) bool {
		k := [2]int64{h.NamespaceID, h.RepositoryID}
		var got []int64
		h.walk(0, func(t *Tag) bool { got = append(got, t.ID); return true })
		var wantIDs []int64
		if w := want[k]; w != nil {
			w.walk(0, func(t *Tag) bool { wantIDs = append(wantIDs, t.ID); return true })
		}
		delete(want, k)
		if !slices.Equal(got, wantIDs) || h.Len != len(got) || slices.ContainsFunc(h.Chunks, func(c []*Tag) bool { return len(c) == 0 }) {
			fail("tag history of repository %d/%d: %v (length %d), want %v", k[0], k[1], got, h.Len, wantIDs)
		}
		return true
	})
	for k := range want {
		fail("repository %d/%d has tags but no tag history", k[0], k[1])
	}
}
