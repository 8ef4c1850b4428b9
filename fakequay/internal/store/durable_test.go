package store

import (
	"errors"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-memdb"
)

// recorder is a commit hook that keeps every payload, as a journal would.
type recorder struct {
	changes  [][]byte
	replaced int
	fail     error
}

func (rec *recorder) hook(c Commit) error {
	if rec.fail != nil {
		return rec.fail
	}
	if c.Replaced() {
		rec.replaced++
		return nil
	}
	b, err := c.EncodeChanges()
	if err != nil {
		return err
	}
	rec.changes = append(rec.changes, b)
	return nil
}

// rowsPayloads returns what a snapshot of r would hold.
func rowsPayloads(t *testing.T, r Reader) [][]byte {
	t.Helper()
	var out [][]byte
	if err := r.EncodeRows(func(p []byte) error { out = append(out, p); return nil }); err != nil {
		t.Fatalf("EncodeRows: %v", err)
	}
	return out
}

// rebuild replays a snapshot's payloads and a journal's into a new state.
func rebuild(t *testing.T, rows, changes [][]byte) Snapshot {
	t.Helper()
	b := NewRebuild()
	for _, p := range rows {
		if err := b.AddRows(p); err != nil {
			t.Fatalf("AddRows: %v", err)
		}
	}
	for i, p := range changes {
		if err := b.ApplyChanges(p); err != nil {
			t.Fatalf("ApplyChanges #%d: %v", i, err)
		}
	}
	return b.Done()
}

// allRows is every row of every table, secrets included.
func allRows(r Reader) map[string][]any {
	out := map[string][]any{}
	for table := range rowTypes {
		iterate(mustIter(r.txn.Get(table, indexID)), func(row any) bool {
			out[table] = append(out[table], row)
			return true
		})
	}
	return out
}

// indexView is what every secondary index answers, through the reads the
// store makes: a rebuilt state must answer them all as the original does.
type indexView struct {
	ByName, ByDeletedName, ByEmail map[string][]int64
	Users, EnabledUsers, Orgs      []int64
	TokenBySecret                  map[string]int64
	TokensOfUser                   map[int64][]int64
	QuotaOfNamespace               map[int64]int64
	KeyByKid                       map[string]int64
	KeysByService                  map[string][]int64
	KeysByApprover                 map[int64][]int64
	LogsNewestFirst                []int64
}

func indexesOf(r Reader) indexView {
	v := indexView{ByName: map[string][]int64{}, ByDeletedName: map[string][]int64{}, ByEmail: map[string][]int64{},
		TokenBySecret: map[string]int64{}, TokensOfUser: map[int64][]int64{}, QuotaOfNamespace: map[int64]int64{},
		KeyByKid: map[string]int64{}, KeysByService: map[string][]int64{}, KeysByApprover: map[int64][]int64{}}
	ids := func(table, index string, arg any) []int64 {
		var out []int64
		iterate(mustIter(r.txn.Get(table, index, arg)), func(row any) bool {
			switch x := row.(type) {
			case *Namespace:
				out = append(out, x.ID)
			case *ServiceKey:
				out = append(out, x.ID)
			}
			return true
		})
		return out
	}
	r.AllNamespaces(func(n *Namespace) bool {
		v.ByName[n.Name] = hashIndexIDs(r, namesIndex, n.Name)
		v.ByDeletedName[n.OriginalName] = hashIndexIDs(r, deletedNamesIndex, n.OriginalName)
		v.ByEmail[n.Email] = hashIndexIDs(r, userEmailsIndex, n.Email)
		for _, tok := range r.TokensOf(n.ID) {
			got, _ := r.Token(tok.Secret)
			v.TokenBySecret[tok.Secret] = got.ID
			v.TokensOfUser[n.ID] = append(v.TokensOfUser[n.ID], tok.ID)
		}
		if q, ok := r.QuotaOf(n.ID); ok {
			v.QuotaOfNamespace[n.ID] = q.ID
		}
		v.KeysByApprover[n.ID] = ids(tableServiceKeys, indexApprover, n.ID)
		return true
	})
	collect := func(dst *[]int64) func(*Namespace) bool {
		return func(n *Namespace) bool { *dst = append(*dst, n.ID); return true }
	}
	r.Users(UsersNotDeleted, 0, collect(&v.Users))
	r.Users(UsersEnabled, 0, collect(&v.EnabledUsers))
	r.Organizations(0, collect(&v.Orgs))
	r.AllServiceKeys(func(k *ServiceKey) bool {
		got, _ := r.ServiceKey(k.Kid)
		v.KeyByKid[k.Kid] = got.ID
		v.KeysByService[k.Service] = ids(tableServiceKeys, indexService, k.Service)
		return true
	})
	r.LogsNewestFirst(time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), LogKey{}, func(e *LogEntry) bool {
		v.LogsNewestFirst = append(v.LogsNewestFirst, e.ID)
		return true
	})
	return v
}

// checkSameState compares two states row by row and index by index.
// hashIndexIDs lists the namespaces a hash index finds under key.
func hashIndexIDs(r Reader, ix hashIndex, key string) []int64 {
	var out []int64
	ix.each(r.txn, key, func(n *Namespace) bool { out = append(out, n.ID); return true })
	return out
}

func checkSameState(t *testing.T, want, got Reader) {
	t.Helper()
	if diff := cmp.Diff(allRows(want), allRows(got), exactTimes); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(indexesOf(want), indexesOf(got)); diff != "" {
		t.Errorf("indexes (-want +got):\n%s", diff)
	}
}

func act(kind, account string) Action {
	return Action{Kind: kind, Account: account, IP: "10.0.0.1", Time: testTime.Add(1500 * time.Nanosecond),
		Metadata: []byte(`{"b": 1,  "a": "<x>"}`)}
}

// TestReplayRebuildsEveryWrite runs each kind of write with a recording
// hook, then rebuilds the state from the first snapshot and the recorded
// payloads: rows and indexes must come back exactly.
func TestReplayRebuildsEveryWrite(t *testing.T) {
	t.Parallel()
	s := newQuotaStore(t)
	base := rowsPayloads(t, s.Read())
	rec := &recorder{}
	s.SetCommitHook(rec.hook)

	email := "bob@example.com"
	steps := []struct {
		name string
		do   func() error
	}{
		{"create user with mail", func() error {
			_, err := s.CreateUser(NewUser{Username: "bob", Email: &email, RequireEmail: true, Time: testTime,
				ConfirmationCode: "code", Audit: act("user_create", "bob")})
			return err
		}},
		{"create user twice fails", func() error {
			_, err := s.CreateUser(NewUser{Username: "bob", Email: &email, Time: testTime, Audit: act("user_create", "bob")})
			if err == nil {
				return errors.New("second create succeeded")
			}
			return nil
		}},
		{"load a token", func() error {
			return s.Load(func(l *Loader) error {
				_, err := l.AddToken(Token{Secret: "bob-token", UserID: 4, Scopes: []string{}, ExpiresAt: testTime})
				return err
			})
		}},
		{"update user, keeping the failed step's log", func() error {
			bad, other := "short", "alice@example.com"
			_, err := s.UpdateUser("bob", UserUpdate{Password: &bad, PasswordLog: act("user_change_password", "bob"),
				Email: &other, EmailLog: func(string) Action { return act("user_change_email", "bob") }})
			if err == nil {
				return errors.New("update succeeded")
			}
			return nil
		}},
		{"rename organization", func() error {
			n := "acme2"
			_, err := s.RenameOrganization("acme", &n, act("org_change_name", "acme"))
			return err
		}},
		{"take ownership of a user", func() error {
			_, err := s.TakeOwnership("dave", 1, func(Ownership) Action { return act("take_ownership", "alice") })
			return err
		}},
		{"create, resize and delete a quota", func() error {
			if _, err := s.CreateQuota("bob", IntQuotaSize(big.NewInt(1<<30)), nil); err != nil {
				return err
			}
			if _, err := s.ResizeQuota("bob", 2, IntQuotaSize(big.NewInt(2<<30)), nil); err != nil {
				return err
			}
			return s.DeleteQuota("bob", 2, nil)
		}},
		{"create, update and approve service keys", func() error {
			exp := testTime.Add(time.Hour)
			for _, kid := range []string{"k1", "k2"} {
				if _, err := s.CreateServiceKey(NewServiceKey{
					// Metadata is left to the store's default: the codec's
					// handling of it is TestRowTypesRoundTrip's business.
					Key:      ServiceKey{Kid: kid, Service: "quay", Created: testTime, Expiration: &exp},
					Approval: Approval{ApproverID: 1, Type: ApprovalSuperuser, Date: testTime},
					Audit:    []Action{act("service_key_create", "alice")}}); err != nil {
					return err
				}
			}
			name := "renamed"
			if _, err := s.UpdateServiceKey("k1", ServiceKeyUpdate{Now: testTime, Modify: true, Name: &name,
				ModifyLog: func(*ServiceKey) Action { return act("service_key_modify", "alice") }}); err != nil {
				return err
			}
			_, err := s.DeleteServiceKey("k2", testTime, func(*ServiceKey) Action { return act("service_key_delete", "alice") })
			return err
		}},
		{"delete user: tokens, quota and approvals cascade", func() error {
			return s.DeleteUser("alice", act("user_delete", "alice"), Tombstone{Name: "tomb-1", Email: "tomb-1@x"})
		}},
		{"delete organization", func() error {
			return s.DeleteOrganization("acme2", act("org_delete", "acme2"), Tombstone{Name: "tomb-2", Email: "tomb-2@x"})
		}},
		{"registry size", func() error {
			if _, err := s.QueueRegistrySizeCalculation(); err != nil {
				return err
			}
			_, err := s.CalculateRegistrySize(testTime)
			return err
		}},
		{"mail", func() error { return s.SendMail(Mail{Kind: "recovery", To: "x@y", Time: testTime}) }},
		{"purge", func() error {
			n, err := s.PurgeDeletedNamespaces()
			if n != 2 {
				return errors.New("purged the wrong number of namespaces")
			}
			return err
		}},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		// After every step, not just the last: an early bad replay can be
		// hidden by a later write to the same row.
		got := rebuild(t, base, rec.changes)
		checkSameState(t, s.Read(), got.Read())
		if t.Failed() {
			t.Fatalf("after %q", step.name)
		}
	}
	if len(rec.changes) < len(steps) {
		t.Errorf("recorded %d commits for %d steps", len(rec.changes), len(steps))
	}
}

// TestReplaySwapsUniqueKeys: a transaction that swaps two names through a
// temporary one must replay without corrupting the unique name index,
// which go-memdb does not protect.
func TestReplaySwapsUniqueKeys(t *testing.T) {
	t.Parallel()
	s := New()
	if err := s.Load(func(l *Loader) error {
		for _, name := range []string{"xx", "yy"} {
			if _, err := l.AddNamespace(Namespace{Name: name, Kind: KindOrg, Enabled: true}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	base := rowsPayloads(t, s.Read())
	rec := &recorder{}
	s.SetCommitHook(rec.hook)
	rename := func(txn *memdb.Txn, from, to string) {
		n, _ := namespaceByNameTxn(txn, from)
		c := n.clone()
		c.Name = to
		putNamespaceTxn(txn, n, c)
	}
	if err := s.write(func(txn *memdb.Txn) error {
		rename(txn, "xx", "tmp")
		rename(txn, "yy", "xx")
		rename(txn, "tmp", "yy")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := rebuild(t, base, rec.changes).Read()
	checkSameState(t, s.Read(), got)
	for name, id := range map[string]int64{"xx": 2, "yy": 1} {
		if n, ok := got.Namespace(name); !ok || n.ID != id {
			t.Errorf("Namespace(%q) = %+v, %v; want id %d", name, n, ok, id)
		}
	}
}

func TestCommitHookErrorAbortsTheWrite(t *testing.T) {
	t.Parallel()
	s := newQuotaStore(t)
	before := allRows(s.Read())
	rec := &recorder{fail: errors.New("disk full")}
	s.SetCommitHook(rec.hook)
	_, err := s.CreateUser(NewUser{Username: "bob", Time: testTime, PlaceholderEmail: "p@x", Audit: act("user_create", "bob")})
	if err == nil || err.Error() != "store: commit hook: disk full" {
		t.Errorf("CreateUser error = %v, want the hook's", err)
	}
	if err := s.Restore(New().Snapshot()); err == nil || err.Error() != "store: commit hook: disk full" {
		t.Errorf("Restore error = %v, want the hook's", err)
	}
	if diff := cmp.Diff(before, allRows(s.Read())); diff != "" {
		t.Errorf("state changed though the hook failed (-want +got):\n%s", diff)
	}
}

func TestRestoreShowsTheNewStateToTheHook(t *testing.T) {
	t.Parallel()
	s := newQuotaStore(t)
	target := New()
	if err := target.Load(func(l *Loader) error {
		_, err := l.AddNamespace(Namespace{Name: "only", Kind: KindOrg, Enabled: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var seen map[string][]any
	s.SetCommitHook(func(c Commit) error {
		if !c.Replaced() {
			t.Error("Restore's commit is not marked Replaced")
		}
		seen = allRows(c.State())
		return nil
	})
	if err := s.Restore(target.Snapshot()); err != nil {
		t.Fatal(err)
	}
	want := allRows(target.Read())
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("hook's view (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, allRows(s.Read())); diff != "" {
		t.Errorf("state after Restore (-want +got):\n%s", diff)
	}
}

// TestEncodeRowsSplitsBigTables: a table larger than one payload comes back
// whole from several.
func TestEncodeRowsSplitsBigTables(t *testing.T) {
	t.Parallel()
	s := New()
	if err := s.Load(func(l *Loader) error {
		if _, err := l.AddNamespace(Namespace{Name: "acme", Kind: KindOrg, Enabled: true}); err != nil {
			return err
		}
		for i := range 2*rowsPerPayload + 5 {
			l.AddLog(LogEntry{Kind: "push_repo", AccountID: 1, Time: testTime.Add(time.Duration(i) * time.Second)})
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	payloads := rowsPayloads(t, s.Read())
	// sequences, namespaces, three for the logs.
	if len(payloads) != 5 {
		t.Errorf("%d payloads, want 5", len(payloads))
	}
	checkSameState(t, s.Read(), rebuild(t, payloads, nil).Read())
}

func TestRebuildRejectsBadPayloads(t *testing.T) {
	t.Parallel()
	good := rowsPayloads(t, newQuotaStore(t).Read())[1]
	tests := []struct {
		name    string
		payload []byte
		apply   bool
		want    string
	}{
		{"unknown table", appendString(nil, "widgets"), false, `store: unknown table "widgets" (written by a fakequay with other tables)`},
		{"trailing bytes", append(slices.Clone(good), 0), false, "corrupt encoding: 1 bytes after the end"},
		{"unknown op", append(appendString([]byte{1}, tableMails), 9), true, "corrupt encoding: unknown op 9"},
		{"count beyond data", []byte{100}, true, "corrupt encoding: change count 100 exceeds the 0 bytes left"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := NewRebuild()
			var err error
			if tc.apply {
				err = b.ApplyChanges(tc.payload)
			} else {
				err = b.AddRows(tc.payload)
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzRebuild: no payload, however mangled, panics the rebuild.
func FuzzRebuild(f *testing.F) {
	s := New()
	rec := &recorder{}
	s.SetCommitHook(rec.hook)
	email := "a@b.c"
	if _, err := s.CreateUser(NewUser{Username: "bob", Email: &email, Time: testTime, Audit: Action{Kind: "user_create", Account: "bob"}}); err != nil {
		f.Fatal(err)
	}
	for _, p := range rec.changes {
		f.Add(p, true)
	}
	if err := s.Read().EncodeRows(func(p []byte) error { f.Add(p, false); return nil }); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte, changes bool) {
		b := NewRebuild()
		if changes {
			_ = b.ApplyChanges(payload)
		} else {
			_ = b.AddRows(payload)
		}
	})
}
