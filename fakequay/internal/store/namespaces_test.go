package store

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// nsView is what the readers report about the namespaces table: every row
// in id order, each list the API pages through, and the namespace each
// probed name and e-mail leads to.
type nsView struct {
	All     []string // "id name kind", "+disabled" / "+deleted(original)"
	Users   []string // listAllUsers with disabled=true
	Enabled []string // listAllUsers with disabled=false
	Orgs    []string
	ByName  map[string]int64 // 0: no namespace has that name
	ByID    map[int64]string // "": no namespace has that id
	Email   map[string]bool  // a user has that e-mail
}

func observe(t *testing.T, s *Store, names []string, emails []string, ids []int64) nsView {
	t.Helper()
	r := s.Read()
	checkHashIndexes(t, r)
	v := nsView{ByName: map[string]int64{}, ByID: map[int64]string{}, Email: map[string]bool{}}
	r.AllNamespaces(func(n *Namespace) bool {
		row := fmt.Sprintf("%d %s %s", n.ID, n.Name, n.Kind)
		if !n.Enabled {
			row += " +disabled"
		}
		if n.Deleted {
			row += " +deleted(" + n.OriginalName + ")"
		}
		v.All = append(v.All, row)
		return true
	})
	name := func(out *[]string) func(n *Namespace) bool {
		return func(n *Namespace) bool { *out = append(*out, n.Name); return true }
	}
	r.Users(UsersNotDeleted, 0, name(&v.Users))
	r.Users(UsersEnabled, 0, name(&v.Enabled))
	r.Organizations(0, name(&v.Orgs))
	for _, nm := range names {
		if n, ok := r.Namespace(nm); ok {
			v.ByName[nm] = n.ID
		} else {
			v.ByName[nm] = 0
		}
	}
	for _, id := range ids {
		if n, ok := r.NamespaceByID(id); ok {
			v.ByID[id] = n.Name
		} else {
			v.ByID[id] = ""
		}
	}
	for _, e := range emails {
		v.Email[e] = userEmailTakenTxn(r.txn, e, 0)
	}
	return v
}

// checkHashIndexes checks that each hash index holds exactly the current
// rows that have a key, each once, in the bucket of its key.
func checkHashIndexes(t *testing.T, r Reader) {
	t.Helper()
	for _, ix := range hashIndexes {
		indexed := map[int64]int{}
		eachBucket(r.txn, ix.table, func(b *bucket) bool {
			if len(b.Entries) == 0 {
				t.Errorf("%s: bucket %d is stored empty", ix.table, b.Hash)
			}
			for _, e := range b.Entries {
				indexed[e.ID]++
				n, stored := r.NamespaceByID(e.ID)
				key, ok := "", false
				if stored {
					key, ok = ix.key(n)
				}
				if !ok || e.Listing != n.listing() || e.KeyHash != hashKey(key) || bucketOf(e.KeyHash) != b.Hash {
					t.Errorf("%s: bucket %d holds a stale or misplaced entry %+v", ix.table, b.Hash, e)
				}
			}
			return true
		})
		r.AllNamespaces(func(n *Namespace) bool {
			want := 0
			if _, ok := ix.key(n); ok {
				want = 1
			}
			if indexed[n.ID] != want {
				t.Errorf("%s: namespace %d (%s) indexed %d times, want %d", ix.table, n.ID, n.Name, indexed[n.ID], want)
			}
			return true
		})
	}
}

// The namespaces table keeps its lists and lookups right through every
// kind of change: create, disable, e-mail change, deletion (§2.3), org
// rename (§2.6), takeOwnership converting a user, and the purge.
func TestNamespaceListsAndLookupsFollowEveryChange(t *testing.T) {
	t.Parallel()
	s := New()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	err := s.Load(func(l *Loader) error {
		for _, n := range []Namespace{
			{Name: "alice", Kind: KindUser, Email: "alice@example.com", Enabled: true},
			{Name: "bob", Kind: KindUser, Email: "bob@example.com", Enabled: true},
			{Name: "acme", Kind: KindOrg, Email: "acme@example.com", Enabled: true},
			{Name: "carol", Kind: KindUser, Email: "carol@example.com"},
		} {
			if _, err := l.AddNamespace(n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"alice", "bob", "acme", "carol", "acme2", "tomb"}
	emails := []string{"alice@example.com", "alice@new.example", "bob@example.com", "acme@example.com", "carol@example.com", "tomb@x"}
	ids := []int64{1, 2, 3, 4, 5}
	off, tomb := false, Tombstone{Name: "tomb", Email: "tomb@x"}
	act := func(account string) Action { return Action{Kind: "k", Account: account, Time: now} }
	steps := []struct {
		name   string
		change func() error
		want   nsView
	}{
		{"seeded", func() error { return nil }, nsView{
			All:   []string{"1 alice user", "2 bob user", "3 acme org", "4 carol user +disabled"},
			Users: []string{"alice", "bob", "carol"}, Enabled: []string{"alice", "bob"}, Orgs: []string{"acme"},
			ByName: map[string]int64{"alice": 1, "bob": 2, "acme": 3, "carol": 4, "acme2": 0, "tomb": 0},
			ByID:   map[int64]string{1: "alice", 2: "bob", 3: "acme", 4: "carol", 5: ""},
			Email: map[string]bool{"alice@example.com": true, "alice@new.example": false, "bob@example.com": true,
				"acme@example.com": false, "carol@example.com": true, "tomb@x": false},
		}},
		{"disable bob", func() error {
			_, err := s.UpdateUser("bob", UserUpdate{Enabled: &off, EnabledLog: act("bob")})
			return err
		}, nsView{
			All:   []string{"1 alice user", "2 bob user +disabled", "3 acme org", "4 carol user +disabled"},
			Users: []string{"alice", "bob", "carol"}, Enabled: []string{"alice"}, Orgs: []string{"acme"},
			ByName: map[string]int64{"alice": 1, "bob": 2, "acme": 3, "carol": 4, "acme2": 0, "tomb": 0},
			ByID:   map[int64]string{1: "alice", 2: "bob", 3: "acme", 4: "carol", 5: ""},
			Email: map[string]bool{"alice@example.com": true, "alice@new.example": false, "bob@example.com": true,
				"acme@example.com": false, "carol@example.com": true, "tomb@x": false},
		}},
		{"change alice's e-mail", func() error {
			email := "alice@new.example"
			_, err := s.UpdateUser("alice", UserUpdate{Email: &email, EmailLog: func(string) Action { return act("alice") }})
			return err
		}, nsView{
			All:   []string{"1 alice user", "2 bob user +disabled", "3 acme org", "4 carol user +disabled"},
			Users: []string{"alice", "bob", "carol"}, Enabled: []string{"alice"}, Orgs: []string{"acme"},
			ByName: map[string]int64{"alice": 1, "bob": 2, "acme": 3, "carol": 4, "acme2": 0, "tomb": 0},
			ByID:   map[int64]string{1: "alice", 2: "bob", 3: "acme", 4: "carol", 5: ""},
			Email: map[string]bool{"alice@example.com": false, "alice@new.example": true, "bob@example.com": true,
				"acme@example.com": false, "carol@example.com": true, "tomb@x": false},
		}},
		{"delete alice", func() error { return s.DeleteUser("alice", act("alice"), tomb) }, nsView{
			All:   []string{"1 tomb user +disabled +deleted(alice)", "2 bob user +disabled", "3 acme org", "4 carol user +disabled"},
			Users: []string{"bob", "carol"}, Orgs: []string{"acme"},
			ByName: map[string]int64{"alice": 0, "bob": 2, "acme": 3, "carol": 4, "acme2": 0, "tomb": 1},
			ByID:   map[int64]string{1: "tomb", 2: "bob", 3: "acme", 4: "carol", 5: ""},
			Email: map[string]bool{"alice@example.com": false, "alice@new.example": false, "bob@example.com": true,
				"acme@example.com": false, "carol@example.com": true, "tomb@x": true},
		}},
		{"rename acme", func() error {
			newName := "acme2"
			_, err := s.RenameOrganization("acme", &newName, act("acme"))
			return err
		}, nsView{
			All:   []string{"1 tomb user +disabled +deleted(alice)", "2 bob user +disabled", "3 acme2 org", "4 carol user +disabled"},
			Users: []string{"bob", "carol"}, Orgs: []string{"acme2"},
			ByName: map[string]int64{"alice": 0, "bob": 2, "acme": 0, "carol": 4, "acme2": 3, "tomb": 1},
			ByID:   map[int64]string{1: "tomb", 2: "bob", 3: "acme2", 4: "carol", 5: ""},
			Email: map[string]bool{"alice@example.com": false, "alice@new.example": false, "bob@example.com": true,
				"acme@example.com": false, "carol@example.com": true, "tomb@x": true},
		}},
		{"take ownership of carol", func() error {
			_, err := s.TakeOwnership("carol", 2, func(Ownership) Action { return act("bob") })
			return err
		}, nsView{
			All:   []string{"1 tomb user +disabled +deleted(alice)", "2 bob user +disabled", "3 acme2 org", "4 carol org +disabled"},
			Users: []string{"bob"}, Orgs: []string{"acme2", "carol"},
			ByName: map[string]int64{"alice": 0, "bob": 2, "acme": 0, "carol": 4, "acme2": 3, "tomb": 1},
			ByID:   map[int64]string{1: "tomb", 2: "bob", 3: "acme2", 4: "carol", 5: ""},
			Email: map[string]bool{"alice@example.com": false, "alice@new.example": false, "bob@example.com": true,
				"acme@example.com": false, "carol@example.com": false, "tomb@x": true},
		}},
		{"purge", func() error { _, err := s.PurgeDeletedNamespaces(); return err }, nsView{
			All:   []string{"2 bob user +disabled", "3 acme2 org", "4 carol org +disabled"},
			Users: []string{"bob"}, Orgs: []string{"acme2", "carol"},
			ByName: map[string]int64{"alice": 0, "bob": 2, "acme": 0, "carol": 4, "acme2": 3, "tomb": 0},
			ByID:   map[int64]string{1: "", 2: "bob", 3: "acme2", 4: "carol", 5: ""},
			Email: map[string]bool{"alice@example.com": false, "alice@new.example": false, "bob@example.com": true,
				"acme@example.com": false, "carol@example.com": false, "tomb@x": false},
		}},
	}
	for _, step := range steps {
		if err := step.change(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if diff := cmp.Diff(step.want, observe(t, s, names, emails, ids)); diff != "" {
			t.Errorf("after %s (-want +got):\n%s", step.name, diff)
		}
	}
}

// Names that share a hash bucket are told apart, and removing one leaves
// the others findable.
func TestNamespacesSharingAHashBucket(t *testing.T) {
	t.Parallel()
	var same []string
	byBucket := map[int64][]string{}
	for i := 0; len(same) < 3; i++ {
		name := "user" + strconv.Itoa(i)
		h := bucketOf(hashKey(name))
		byBucket[h] = append(byBucket[h], name)
		if len(byBucket[h]) == 3 {
			same = byBucket[h]
		}
	}
	s := New()
	err := s.Load(func(l *Loader) error {
		for _, name := range same {
			// The same string as e-mail puts the e-mails in one bucket too.
			if _, err := l.AddNamespace(Namespace{Name: name, Kind: KindUser, Email: name, Enabled: true}); err != nil {
				return err
			}
		}
		_, err := l.AddNamespace(Namespace{Name: "other", Kind: KindUser, Email: same[1], Enabled: true})
		return err
	})
	if err == nil || err.Error() != fmt.Sprintf("e-mail %q is already used by another user", same[1]) {
		t.Fatalf("a taken e-mail in a shared bucket: err = %v", err)
	}
	if err := s.Load(func(l *Loader) error {
		for _, name := range same {
			if _, err := l.AddNamespace(Namespace{Name: name, Kind: KindUser, Email: name, Enabled: true}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(same[1], Action{Kind: "k", Account: same[1]}, Tombstone{Name: "gone", Email: "gone"}); err != nil {
		t.Fatal(err)
	}
	probe := append([]string{"gone"}, same...)
	got := observe(t, s, probe, probe, nil)
	want := nsView{
		All:     []string{"1 " + same[0] + " user", "2 gone user +disabled +deleted(" + same[1] + ")", "3 " + same[2] + " user"},
		Users:   []string{same[0], same[2]},
		Enabled: []string{same[0], same[2]},
		ByName:  map[string]int64{"gone": 2, same[0]: 1, same[1]: 0, same[2]: 3},
		ByID:    map[int64]string{},
		Email:   map[string]bool{"gone": true, same[0]: true, same[1]: false, same[2]: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The hash-index buckets are not rows of the model: the state dump leaves
// them out and lists namespaces in id order across their lists.
func TestDumpShowsNamespacesInIDOrder(t *testing.T) {
	t.Parallel()
	s := New()
	err := s.Load(func(l *Loader) error {
		for _, n := range []Namespace{
			{Name: "acme", Kind: KindOrg, Email: "acme@example.com", Enabled: true},
			{Name: "bob", Kind: KindUser, Email: "bob@example.com"},
			{Name: "alice", Kind: KindUser, Email: "alice@example.com", Enabled: true},
		} {
			if _, err := l.AddNamespace(n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dump := s.Read().Dump()
	var got []string
	for _, row := range dump[tableNamespaces] {
		got = append(got, row.(*Namespace).Name)
	}
	_, names := dump[tableNamespaceNames]
	_, emails := dump[tableUserEmails]
	if diff := cmp.Diff([]string{"acme", "bob", "alice"}, got); diff != "" || names || emails {
		t.Errorf("namespaces (-want +got):\n%s\nhash index tables dumped: %v, %v", diff, names, emails)
	}
}
