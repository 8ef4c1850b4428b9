package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-memdb"
)

// TestNamespaceChunksInsideAWrite changes namespaces across chunk
// boundaries inside one write transaction and walks them before and after
// it commits: the walk merges the chunks the transaction changed (empty,
// new, moved to another listing) with the stored ones, and sees the same
// as a reader of the committed state.
func TestNamespaceChunksInsideAWrite(t *testing.T) {
	t.Parallel()
	s := New()
	// 150 users: ids 1 to 150, blocks 0 to 2 of 64 ids each.
	err := s.Load(func(l *Loader) error {
		for i := 1; i <= 150; i++ {
			name := fmt.Sprintf("u%03d", i)
			if _, err := l.AddNamespace(Namespace{Name: name, Email: name + "@x.io", Kind: KindUser, Enabled: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[listing][]int64{}
	for id := int64(1); id <= 150; id++ {
		switch {
		case id >= 64 && id < 128 && id != 100: // block 1 empties but for 100
		case id%10 == 0:
			want[listedDisabledUser] = append(want[listedDisabledUser], id)
		default:
			want[listedUser] = append(want[listedUser], id)
		}
	}
	for id := int64(151); id <= 200; id++ {
		want[listedUser] = append(want[listedUser], id)
	}
	walk := func(txn *memdb.Txn) map[listing][]int64 {
		got := map[listing][]int64{}
		for _, l := range idOrder {
			walkListings(txn, []listing{l}, 0, func(n *Namespace) bool {
				got[l] = append(got[l], n.ID)
				return true
			})
		}
		return got
	}
	var inside map[listing][]int64
	err = s.write(func(txn *memdb.Txn) error {
		for id := int64(1); id <= 150; id++ {
			old, _ := namespaceByIDTxn(txn, id)
			switch {
			case id >= 64 && id < 128 && id != 100:
				putNamespaceTxn(txn, old, nil)
			case id%10 == 0:
				n := old.clone()
				n.Enabled = false
				putNamespaceTxn(txn, old, n)
			}
		}
		for i := 151; i <= 200; i++ {
			name := fmt.Sprintf("u%03d", i)
			n := &Namespace{ID: nextIDTxn(txn, seqNamespace), Name: name, Email: name + "@x.io", Kind: KindUser, Enabled: true}
			putNamespaceTxn(txn, nil, n)
		}
		inside = walk(txn)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, inside); diff != "" {
		t.Errorf("walk inside the write (-want +got):\n%s", diff)
	}
	r := s.Read()
	if diff := cmp.Diff(want, walk(r.txn)); diff != "" {
		t.Errorf("walk after the commit (-want +got):\n%s", diff)
	}
	// A walk from an id inside a block starts at that id.
	var from []int64
	r.Users(UsersNotDeleted, 99, func(n *Namespace) bool { from = append(from, n.ID); return len(from) < 4 })
	if diff := cmp.Diff([]int64{100, 128, 129, 130}, from); diff != "" {
		t.Errorf("walk from 99 (-want +got):\n%s", diff)
	}
	if err := r.CheckInvariants(); err != nil {
		t.Error(err)
	}
	checkHashIndexes(t, r)
}

// TestChunkChanges checks the namespace changes a changed chunk is
// persisted as.
func TestChunkChanges(t *testing.T) {
	t.Parallel()
	n1, n2, n3 := &Namespace{ID: 1}, &Namespace{ID: 2}, &Namespace{ID: 3}
	n2b := &Namespace{ID: 2, Name: "renamed"}
	chunk := func(rows ...*Namespace) *namespaceChunk { return &namespaceChunk{Listing: listedUser, Rows: rows} }
	type change struct {
		Op byte
		ID int64
	}
	tests := []struct {
		name          string
		before, after *namespaceChunk
		want          []change
	}{
		{"new chunk", nil, chunk(n1, n2), []change{{opPut, 1}, {opPut, 2}}},
		{"removed chunk", chunk(n1, n3), nil, []change{{opDelete, 1}, {opDelete, 3}}},
		{"one changed, one added, one removed", chunk(n1, n2), chunk(n2b, n3), []change{{opDelete, 1}, {opPut, 2}, {opPut, 3}}},
		{"unchanged rows are not written", chunk(n1, n2, n3), chunk(n1, n3), []change{{opDelete, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []change
			chunkChanges(tt.before, tt.after, func(op byte, n *Namespace) { got = append(got, change{op, n.ID}) })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}
