package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-memdb"
)

// newInvariantStore holds users alice (1, with token 1) and bob (2), org acme
// (3) with quota 1, a log of alice's, and a service key approved by alice.
func newInvariantStore(t *testing.T) *Store {
	t.Helper()
	s := New()
	err := s.Load(func(l *Loader) error {
		for _, n := range []Namespace{
			{Name: "alice", Kind: KindUser, Email: "alice@example.com", Enabled: true},
			{Name: "bob", Kind: KindUser, Email: "bob@example.com", Enabled: true},
			{Name: "acme", Kind: KindOrg, Email: "acme@example.com", Enabled: true},
		} {
			if _, err := l.AddNamespace(n); err != nil {
				return err
			}
		}
		if _, err := l.AddToken(Token{Secret: "alice-token", UserID: 1}); err != nil {
			return err
		}
		if _, err := l.SetQuota(Quota{NamespaceID: 3, LimitBytes: 10 << 30}); err != nil {
			return err
		}
		l.AddLog(LogEntry{Kind: "user_create", AccountID: 1, PerformerID: 1, Time: testTime})
		_, err := l.AddServiceKey(ServiceKey{Kid: "k1", Service: "svc", Created: testTime,
			Approval: &Approval{ApproverID: 1, Type: ApprovalSuperuser, Date: testTime}})
		return err
	})
	if err != nil {
		t.Fatalf("loading: %v", err)
	}
	return s
}

// TestCheckInvariants breaks each rule by writing rows directly (bypassing
// the write methods, and with them the unique indexes' protection) and
// checks that CheckInvariants names the breakage.
func TestCheckInvariants(t *testing.T) {
	t.Parallel()
	ns := func(txn *memdb.Txn, id int64) *Namespace {
		n, _ := namespaceByIDTxn(txn, id)
		return n.clone()
	}
	// put stores n in place of the row with its id, which its state may
	// have moved elsewhere in the table's (listing, id) key.
	put := func(txn *memdb.Txn, n *Namespace) {
		if old, ok := namespaceByIDTxn(txn, n.ID); ok {
			removeFromChunk(txn, old)
		}
		storeInChunk(txn, n)
	}
	tests := []struct {
		name   string
		mutate func(txn *memdb.Txn)
		want   string
	}{
		{name: "valid state", mutate: func(*memdb.Txn) {}},
		{name: "a purged namespace's logs stay valid", mutate: func(txn *memdb.Txn) {
			removeFromChunk(txn, ns(txn, 2))
			insertLogTxn(txn, &LogEntry{Kind: "user_delete", AccountID: 2, PerformerID: 1, Time: testTime})
		}},
		{name: "two namespaces share a name", mutate: func(txn *memdb.Txn) {
			storeInChunk(txn, &Namespace{ID: nextIDTxn(txn, seqNamespace), Name: "acme", Kind: KindOrg})
		}, want: `namespaces 3 and 4 share the name "acme"`},
		{name: "two users share an e-mail", mutate: func(txn *memdb.Txn) {
			b := ns(txn, 2)
			b.Email = "alice@example.com"
			put(txn, b)
		}, want: `users 1 and 2 share the e-mail "alice@example.com"`},
		{name: "two namespaces pending deletion under one name", mutate: func(txn *memdb.Txn) {
			for _, id := range []int64{1, 2} {
				n := ns(txn, id)
				n.Deleted, n.OriginalName, n.Name, n.Email = true, "gone", "tomb"+n.Name, "tomb"+n.Email
				put(txn, n)
			}
			if _, err := txn.DeleteAll(tableTokens, indexUser, int64(1)); err != nil {
				t.Fatal(err)
			}
		}, want: `namespaces 1 and 2 are both pending deletion under "gone"`},
		{name: "namespace id beyond its sequence", mutate: func(txn *memdb.Txn) {
			storeInChunk(txn, &Namespace{ID: 50, Name: "ghost", Kind: KindOrg})
		}, want: `namespace "ghost": id 50 outside the sequence (last 3)`},
		{name: "a namespace with two quotas", mutate: func(txn *memdb.Txn) {
			insert(txn, tableQuotas, &Quota{ID: nextIDTxn(txn, seqQuota), NamespaceID: 3, LimitBytes: 1})
		}, want: "namespace 3 has two quotas, 1 and 2"},
		{name: "a quota of a missing namespace", mutate: func(txn *memdb.Txn) {
			removeFromChunk(txn, ns(txn, 3))
		}, want: "quota 1 belongs to namespace 3, which does not exist"},
		{name: "a log of a namespace that never existed", mutate: func(txn *memdb.Txn) {
			insertLogTxn(txn, &LogEntry{Kind: "user_create", AccountID: 77, Time: testTime})
		}, want: "log 2: account 77 never existed"},
		{name: "a log by a performer that never existed", mutate: func(txn *memdb.Txn) {
			insertLogTxn(txn, &LogEntry{Kind: "user_create", AccountID: 1, PerformerID: 78, Time: testTime})
		}, want: "log 2: performer 78 never existed"},
		{name: "a token of a missing namespace", mutate: func(txn *memdb.Txn) {
			removeFromChunk(txn, ns(txn, 1))
		}, want: "token 1 acts for namespace 1, which does not exist\nservice key k1: approver 1 does not exist"},
		{name: "a token of a namespace pending deletion", mutate: func(txn *memdb.Txn) {
			n := ns(txn, 1)
			n.Deleted, n.OriginalName, n.Name = true, "alice", "tomb"
			put(txn, n)
		}, want: "token 1 acts for namespace 1, which is pending deletion"},
		{name: "a tag of a missing repository and manifest", mutate: func(txn *memdb.Txn) {
			putTagTxn(txn, &Tag{ID: 1, NamespaceID: 3, RepositoryID: 9, Name: "v1", ManifestID: 5})
		}, want: "tag 1 (v1): repository 3/9 does not exist\ntag 1 (v1): manifest 5 is no manifest of repository 3/9"},
		{name: "two open-ended rows of one tag", mutate: func(txn *memdb.Txn) {
			putRepositoryTxn(txn, nil, &Repository{ID: nextIDTxn(txn, seqRepository), NamespaceID: 3, Name: "app"})
			insert(txn, tableManifests, &Manifest{ID: 1, NamespaceID: 3, RepositoryID: 1, Digest: "sha256:a"})
			putTagTxn(txn, &Tag{ID: 1, NamespaceID: 3, RepositoryID: 1, Name: "v1", ManifestID: 1})
			putTagTxn(txn, &Tag{ID: 2, NamespaceID: 3, RepositoryID: 1, Name: "v1", ManifestID: 1})
		}, want: "tags 1 and 2: two open-ended rows of v1 in repository 3/1"},
		{name: "a label of a missing manifest and a notification of a missing repository", mutate: func(txn *memdb.Txn) {
			insert(txn, tableLabels, &Label{ID: 1, UUID: "l", NamespaceID: 3, RepositoryID: 9, ManifestID: 5, Key: "k"})
			insert(txn, tableRepoNotifications, &RepoNotification{ID: 1, UUID: "n", NamespaceID: 3, RepositoryID: 9})
		}, want: "label 1: manifest 5 is no manifest of repository 3/9\nnotification 1: repository 3/9 does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newInvariantStore(t)
			db := s.db.Load()
			txn := db.Txn(true)
			buf := beginBuffer(txn, db) // nextIDTxn counts in it, as in Store.write
			tt.mutate(txn)
			buf.flush(txn)
			buf.end(txn)
			txn.Commit()
			got := ""
			if err := s.Read().CheckInvariants(); err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckInvariants (-want +got):\n%s", diff)
			}
		})
	}
}
