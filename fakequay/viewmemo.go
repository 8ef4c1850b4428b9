package fakequay

import (
	"sync/atomic"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// viewMemo remembers the encoded views of the users and organizations the
// server listed last, so that listing a page again copies each view's
// bytes instead of building and encoding it. A test that pages through
// its users more than once, or polls a page, then pays for the JSON once.
//
// A view is a function of the namespace row, the namespace's quota row and
// the server's configuration, which never changes once the server runs.
// Rows are immutable (every change stores a new one), so an entry keyed by
// the two row pointers can never be stale: a changed user or quota is a
// different pointer and misses. The memo belongs to one server, whose
// configuration it assumes; servers may share rows (see builtin.go).
//
// It is direct-mapped by namespace id: a slot holds the last view stored
// there, so it stays small (viewMemoSlots views) whatever the table size,
// and a walk over a million users costs only a lookup and a copy more per
// user.
type viewMemo struct {
	slots [viewMemoSlots]atomic.Pointer[memoView]
}

// viewMemoSlots is ten pages of 100 namespaces.
const viewMemoSlots = 1024

type memoView struct {
	row   *store.Namespace
	quota *store.Quota
	json  []byte
}

// viewMemo returns the server's memo, making it on first use.
func (s *Server) viewMemo() *viewMemo {
	if m := s.memo.Load(); m != nil {
		return m
	}
	s.memo.CompareAndSwap(nil, &viewMemo{})
	return s.memo.Load()
}

func (m *viewMemo) slot(row *store.Namespace) *atomic.Pointer[memoView] {
	return &m.slots[uint64(row.ID)%viewMemoSlots]
}

// get returns the encoded view of row with quota, if the memo holds it.
func (m *viewMemo) get(row *store.Namespace, quota *store.Quota) ([]byte, bool) {
	if v := m.slot(row).Load(); v != nil && v.row == row && v.quota == quota {
		return v.json, true
	}
	return nil, false
}

// put remembers a copy of json as the encoded view of row with quota.
func (m *viewMemo) put(row *store.Namespace, quota *store.Quota, json []byte) {
	m.slot(row).Store(&memoView{row: row, quota: quota, json: append([]byte(nil), json...)})
}
