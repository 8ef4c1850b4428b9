package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// loadUsers returns a store holding enabled users and an organization
// "acme", named in id order from 1.
func loadUsers(t *testing.T, names ...string) *Store {
	t.Helper()
	s := New()
	err := s.Load(func(l *Loader) error {
		for _, n := range names {
			if _, err := l.AddNamespace(Namespace{Name: n, Kind: KindUser, Email: n + "@example.com", Enabled: true}); err != nil {
				return err
			}
		}
		_, err := l.AddNamespace(Namespace{Name: "acme", Kind: KindOrg, Email: "acme@example.com", Enabled: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tokenUUIDs(tokens []*AppToken) []string {
	out := []string{}
	for _, t := range tokens {
		out = append(out, t.UUID)
	}
	return out
}

func allAppTokens(r Reader) []*AppToken {
	var out []*AppToken
	r.AppTokens(func(t *AppToken) bool {
		out = append(out, t)
		return true
	})
	return out
}

func TestExpiringAppTokensWindow(t *testing.T) {
	t.Parallel()
	s := loadUsers(t, "alice", "bob")
	soon := testNow.Add(time.Hour)
	tokens := []AppToken{
		{UUID: "late", UserID: 2, Expiration: soon.Add(time.Microsecond)}, // just outside
		{UUID: "never", UserID: 1},                                        // never expires
		{UUID: "at-soon", UserID: 1, Expiration: soon},                    // inclusive upper bound
		{UUID: "at-now", UserID: 2, Expiration: testNow},                  // expired: expiration > now fails
		{UUID: "inside", UserID: 2, Expiration: testNow.Add(time.Microsecond)},
		{UUID: "past", UserID: 1, Expiration: testNow.Add(-time.Hour)},
	}
	err := s.Load(func(l *Loader) error {
		for _, tok := range tokens {
			tok.Title, tok.Created = tok.UUID, testNow.Add(-24*time.Hour)
			if _, err := l.AddAppToken(tok); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rd := s.Read()
	tests := []struct {
		name      string
		now, soon time.Time
		want      []string
	}{
		{"window (now, soon] in id order", testNow, soon, []string{"at-soon", "inside"}},
		{"empty window", testNow, testNow, []string{}},
		{"negative window", testNow, testNow.Add(-time.Hour), []string{}},
		{"later now drops what expired meanwhile", soon.Add(-time.Microsecond), soon.Add(time.Hour), []string{"late", "at-soon"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, tokenUUIDs(rd.ExpiringAppTokens(tc.now, tc.soon))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff([]string{"late", "never", "at-soon", "at-now", "inside", "past"}, tokenUUIDs(allAppTokens(rd))); diff != "" {
		t.Errorf("AppTokens (-want +got):\n%s", diff)
	}
}

func TestAddAppTokenKeepsInvariants(t *testing.T) {
	t.Parallel()
	created := testNow.Add(123456789 * time.Nanosecond)
	tests := []struct {
		name    string
		tok     AppToken
		wantErr string
	}{
		{"empty uuid", AppToken{UserID: 1, Created: testNow}, "uuid is empty"},
		{"duplicate uuid", AppToken{UUID: "u1", UserID: 1, Created: testNow}, `uuid "u1" is already used by another app token`},
		{"owner is an organization", AppToken{UUID: "u2", UserID: 3, Created: testNow}, "app token owner 3 is not a user"},
		{"owner missing", AppToken{UUID: "u2", UserID: 9, Created: testNow}, "app token owner 9 is not a user"},
		{"no created time", AppToken{UUID: "u2", UserID: 1}, "created is not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := loadUsers(t, "alice", "bob")
			if err := s.Load(func(l *Loader) error {
				_, err := l.AddAppToken(AppToken{UUID: "u1", UserID: 1, Created: testNow})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			err := s.Load(func(l *Loader) error { _, err := l.AddAppToken(tc.tok); return err })
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("AddAppToken error = %v, want %q", err, tc.wantErr)
			}
			if got := len(allAppTokens(s.Read())); got != 1 {
				t.Errorf("a failed load kept rows: %d tokens", got)
			}
		})
	}
	t.Run("times are stored in UTC at microsecond precision", func(t *testing.T) {
		t.Parallel()
		s := loadUsers(t, "alice")
		var got *AppToken
		err := s.Load(func(l *Loader) error {
			var err error
			got, err = l.AddAppToken(AppToken{UUID: "u", Title: "ci", UserID: 1,
				Created: created.In(time.FixedZone("x", 3600)), LastAccessed: created})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := &AppToken{ID: 1, UUID: "u", Title: "ci", UserID: 1,
			Created: testNow.Add(123456 * time.Microsecond), LastAccessed: testNow.Add(123456 * time.Microsecond)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// A deleted user's tokens stay listed until the namespace GC purges the user
// (Quay deletes them with the user row, not when marking it).
func TestAppTokensGoWithThePurge(t *testing.T) {
	t.Parallel()
	s := loadUsers(t, "alice", "bob")
	err := s.Load(func(l *Loader) error {
		for i, owner := range []int64{1, 2, 1} {
			if _, err := l.AddAppToken(AppToken{UUID: string(rune('a' + i)), UserID: owner, Created: testNow}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser("alice", Action{Kind: "user_delete", Account: "alice", Time: testNow},
		Tombstone{Name: "tomb-name", Email: "tomb-email"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, tokenUUIDs(allAppTokens(s.Read()))); diff != "" {
		t.Errorf("after marking (-want +got):\n%s", diff)
	}
	if n, err := s.PurgeDeletedNamespaces(); n != 1 || err != nil {
		t.Fatalf("purge = %d, %v", n, err)
	}
	if diff := cmp.Diff([]string{"b"}, tokenUUIDs(allAppTokens(s.Read()))); diff != "" {
		t.Errorf("after purge (-want +got):\n%s", diff)
	}
}

// loadManyAppTokens stores n tokens expiring one minute apart from testNow
// on, every tenth never expiring.
func loadManyAppTokens(b *testing.B, n int) *Store {
	b.Helper()
	s := New()
	err := s.Load(func(l *Loader) error {
		u, err := l.AddNamespace(Namespace{Name: "alice", Kind: KindUser, Email: "alice@example.com", Enabled: true})
		if err != nil {
			return err
		}
		for i := range n {
			tok := AppToken{UUID: fmt.Sprintf("u%d", i), UserID: u.ID, Created: testNow}
			if i%10 != 0 {
				tok.Expiration = testNow.Add(time.Duration(i) * time.Minute)
			}
			if _, err := l.AddAppToken(tok); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkExpiringAppTokens walks the expiration index over a window that
// holds 10 of 10,000 tokens; BenchmarkExpiringAppTokensScanBaseline is the
// full scan the index replaces.
func BenchmarkExpiringAppTokens(b *testing.B) {
	rd := loadManyAppTokens(b, 10000).Read()
	now, soon := testNow.Add(5000*time.Minute), testNow.Add(5011*time.Minute)
	for b.Loop() {
		if got := len(rd.ExpiringAppTokens(now, soon)); got != 10 {
			b.Fatalf("%d tokens in the window", got)
		}
	}
}

func BenchmarkExpiringAppTokensScanBaseline(b *testing.B) {
	rd := loadManyAppTokens(b, 10000).Read()
	now, soon := testNow.Add(5000*time.Minute), testNow.Add(5011*time.Minute)
	for b.Loop() {
		var out []*AppToken
		rd.AppTokens(func(t *AppToken) bool {
			if !t.Expiration.IsZero() && t.Expiration.After(now) && !t.Expiration.After(soon) {
				out = append(out, t)
			}
			return true
		})
		if len(out) != 10 {
			b.Fatalf("%d tokens in the window", len(out))
		}
	}
}
