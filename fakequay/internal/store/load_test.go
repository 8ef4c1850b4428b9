package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAddNamespacesIsAddNamespaceInABatch: AddNamespaces stores what
// AddNamespace row by row stores, and stops at the row AddNamespace would
// refuse with the same error, whether the table starts empty (the batch's
// own maps decide) or not (the hash indexes do). After the batch, names
// and e-mails are found through the indexes as usual, and the indexes'
// buckets hold what a put per row gives them.
func TestAddNamespacesIsAddNamespaceInABatch(t *testing.T) {
	t.Parallel()
	user := func(name, email string) Namespace {
		return Namespace{Name: name, Email: email, Kind: KindUser, Enabled: true, Verified: true, HasPassword: true}
	}
	org := func(name, email string) Namespace {
		return Namespace{Name: name, Email: email, Kind: KindOrg, Enabled: true}
	}
	existing := []Namespace{user("alice", "alice@example.com"), org("acme", "acme@example.com")}
	tests := []struct {
		name     string
		existing []Namespace // loaded in an earlier Load
		batch    []Namespace
	}{
		{"users and organizations", nil, []Namespace{user("a1", "a1@x.io"), org("o1", "o1@x.io"), user("a2", "a2@x.io")}},
		{"a duplicate name", nil, []Namespace{user("a1", "a1@x.io"), user("a2", "a2@x.io"), org("a1", "o@x.io"), user("a3", "a3@x.io")}},
		{"a user's e-mail twice", nil, []Namespace{user("a1", "same@x.io"), user("a2", "same@x.io")}},
		{"an organization may share a user's e-mail", nil, []Namespace{user("a1", "same@x.io"), org("o1", "same@x.io"), org("o2", "same@x.io")}},
		{"a user after an organization with its e-mail", nil, []Namespace{org("o1", "same@x.io"), user("a1", "same@x.io")}},
		{"an invalid name", nil, []Namespace{user("a1", "a1@x.io"), user("Bad", "b@x.io")}},
		{"a name too short", nil, []Namespace{user("a", "a@x.io")}},
		{"an unknown kind", nil, []Namespace{{Name: "k1", Kind: 9}}},
		{"taken before the batch", existing, []Namespace{user("a1", "a1@x.io"), user("alice", "other@x.io")}},
		{"an e-mail taken before the batch", existing, []Namespace{user("a1", "alice@example.com")}},
		{"fine after other rows", existing, []Namespace{user("a1", "a1@x.io"), org("o1", "acme@example.com")}},
		{"empty", nil, nil},
		{"many to a bucket", nil, manyUsers(3 * hashBuckets)},
	}
	type outcome struct {
		Rows    []*Namespace
		Bad     int
		Err     string
		State   map[string][]any
		Buckets map[string][]*bucket // the hash indexes' rows, by table
		Found   map[string]bool      // by name, then by user e-mail, after the batch
	}
	run := func(t *testing.T, existing, batch []Namespace, add func(l *Loader) ([]*Namespace, int, error)) outcome {
		s := New()
		if err := s.Load(func(l *Loader) error {
			for _, n := range existing {
				if _, err := l.AddNamespace(n); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var out outcome
		errKeep := errors.New("keep")
		err := s.Load(func(l *Loader) error {
			rows, bad, err := add(l)
			out.Rows, out.Bad = rows, bad
			if err != nil {
				out.Err = err.Error()
				return err
			}
			out.Found = map[string]bool{}
			for _, n := range batch {
				_, byName := l.Read().Namespace(n.Name)
				out.Found["name "+n.Name] = byName
				if n.IsUser() {
					out.Found["email "+n.Email] = userEmailTakenTxn(l.txn, n.Email, 0)
				}
			}
			return errKeep
		})
		if err != nil && !errors.Is(err, errKeep) && out.Err == "" {
			t.Fatal(err)
		}
		if out.Err == "" {
			// Commit for the state: load again, the same way.
			if err := s.Load(func(l *Loader) error { _, _, err := add(l); return err }); err != nil {
				t.Fatal(err)
			}
		}
		out.State = s.Read().Dump()
		out.Buckets = map[string][]*bucket{}
		for table := range derivedTables {
			eachBucket(s.Read().txn, table, func(b *bucket) bool {
				out.Buckets[table] = append(out.Buckets[table], b)
				return true
			})
		}
		return out
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			oneByOne := run(t, tc.existing, tc.batch, func(l *Loader) ([]*Namespace, int, error) {
				out := []*Namespace{}
				for i, n := range tc.batch {
					row, err := l.AddNamespace(n)
					if err != nil {
						return out, i, err
					}
					out = append(out, row)
				}
				return out, -1, nil
			})
			batch := run(t, tc.existing, tc.batch, func(l *Loader) ([]*Namespace, int, error) { return l.AddNamespaces(tc.batch) })
			if diff := cmp.Diff(oneByOne, batch); diff != "" {
				t.Errorf("(-AddNamespace one by one +AddNamespaces):\n%s", diff)
			}
		})
	}
}

// manyUsers is n users, more than the hash indexes have buckets.
func manyUsers(n int) []Namespace {
	rows := make([]Namespace, n)
	for i := range rows {
		name := fmt.Sprintf("user%06d", i)
		rows[i] = Namespace{Name: name, Email: name + "@example.com", Kind: KindUser, Enabled: true}
	}
	return rows
}
