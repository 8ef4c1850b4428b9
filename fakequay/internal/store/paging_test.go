package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-memdb"
)

func TestSchemaBuilds(t *testing.T) {
	t.Parallel()
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	for _, table := range tableSchemas {
		if _, ok := db.DBSchema().Tables[table().Name]; !ok {
			t.Errorf("table %s is listed but not built", table().Name)
		}
	}
}

// TestPagingSeesEveryRowOnceWhileRowsChange walks the users list a page at
// a time, as listAllUsers does (reference §1.8: the next page starts at the
// id after the last one seen), while users are created and deleted between
// pages. Every user that exists for the whole walk is seen exactly once, in
// id order; users deleted before the walk reaches them are not seen.
func TestPagingSeesEveryRowOnceWhileRowsChange(t *testing.T) {
	t.Parallel()
	s := New()
	create := func(name string) {
		t.Helper()
		err := s.Load(func(l *Loader) error {
			_, err := l.AddNamespace(Namespace{Name: name, Kind: KindUser, Email: name + "@example.com", Enabled: true, Verified: true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 50 {
		create(fmt.Sprintf("user%02d", i))
	}
	del := func(name string) {
		t.Helper()
		audit := Action{Kind: "user_delete", Account: name, Time: time.Unix(0, 0)}
		if err := s.DeleteUser(name, audit, Tombstone{Name: "gone-" + name, Email: "gone-" + name}); err != nil {
			t.Fatal(err)
		}
	}

	const pageSize = 7
	var seen []string
	var from int64
	deletedAhead := map[string]bool{}
	for page := 0; ; page++ {
		var rows []*Namespace
		s.Read().Users(UsersNotDeleted, from, func(n *Namespace) bool {
			rows = append(rows, n)
			return len(rows) <= pageSize
		})
		for _, n := range rows[:min(pageSize, len(rows))] {
			seen = append(seen, n.Name)
		}
		if len(rows) <= pageSize {
			break
		}
		from = rows[pageSize].ID
		// Between pages: one new user (it lands after the cursor), one
		// deleted behind the cursor, one deleted ahead of it.
		create(fmt.Sprintf("late%02d", page))
		del(seen[len(seen)-1])
		ahead := fmt.Sprintf("user%02d", 49-page)
		if _, ok := s.Read().User(ahead); ok && !slices.Contains(seen, ahead) {
			del(ahead)
			deletedAhead[ahead] = true
		}
	}

	var want []string
	for i := range 50 {
		name := fmt.Sprintf("user%02d", i)
		if !deletedAhead[name] {
			want = append(want, name)
		}
	}
	var got []string
	for _, name := range seen {
		if name[:4] == "user" {
			got = append(got, name)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("original users seen (-want +got):\n%s", diff)
	}
	counts := map[string]int{}
	for _, name := range seen {
		counts[name]++
		if counts[name] > 1 {
			t.Errorf("%s seen twice", name)
		}
	}
}
