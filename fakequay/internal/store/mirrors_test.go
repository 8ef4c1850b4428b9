package store

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func putMirrors(t *testing.T, s *Store, mirrors ...RepoMirror) {
	t.Helper()
	err := s.Load(func(l *Loader) error {
		for _, m := range mirrors {
			if _, err := l.PutRepoMirror(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func allMirrors(r Reader) []*RepoMirror {
	out := []*RepoMirror{}
	r.RepoMirrors(func(m *RepoMirror) bool {
		out = append(out, m)
		return true
	})
	return out
}

// Only enabled mirrors of repositories in MIRROR state count; every status
// counts towards the total, and pending tags come from every repository.
func TestMirrorCounts(t *testing.T) {
	t.Parallel()
	s := loadUsers(t, "alice")
	on := true
	putMirrors(t, s,
		RepoMirror{NamespaceID: 2, Repository: "a", State: RepositoryMirror, Enabled: on, Status: MirrorSuccess, PendingTags: 1},
		RepoMirror{NamespaceID: 2, Repository: "b", State: RepositoryMirror, Enabled: on, Status: MirrorFail, PendingTags: 2},
		RepoMirror{NamespaceID: 2, Repository: "c", State: RepositoryMirror, Enabled: on, Status: MirrorSyncing},
		RepoMirror{NamespaceID: 1, Repository: "d", State: RepositoryMirror, Enabled: on, Status: MirrorNeverRun},
		RepoMirror{NamespaceID: 1, Repository: "e", State: RepositoryMirror, Enabled: on, Status: MirrorCancel},
		RepoMirror{NamespaceID: 1, Repository: "f", State: RepositoryMirror, Enabled: on, Status: MirrorSyncNow},
		RepoMirror{NamespaceID: 1, Repository: "g", State: RepositoryMirror, Enabled: false, Status: MirrorFail, PendingTags: 4},
		RepoMirror{NamespaceID: 1, Repository: "h", State: RepositoryNormal, Enabled: on, Status: MirrorFail},
		RepoMirror{NamespaceID: 1, Repository: "i", State: RepositoryOrgMirror, Enabled: on, Status: MirrorFail},
	)
	want := MirrorCounts{Total: 6, Syncing: 1, Completed: 1, Failed: 1, NeverRun: 1}
	if diff := cmp.Diff(want, s.Read().MirrorCounts()); diff != "" {
		t.Errorf("MirrorCounts (-want +got):\n%s", diff)
	}
	if got := s.Read().MirrorPendingTags(); got != 7 {
		t.Errorf("MirrorPendingTags = %d, want 7", got)
	}
}

func TestPutRepoMirrorReplacesAndValidates(t *testing.T) {
	t.Parallel()
	s := loadUsers(t, "alice")
	putMirrors(t, s,
		RepoMirror{NamespaceID: 2, Repository: "web", State: RepositoryMirror, Enabled: true},
		RepoMirror{NamespaceID: 1, Repository: "web", State: RepositoryMirror, Enabled: true},
		RepoMirror{NamespaceID: 2, Repository: "web", State: RepositoryMirror, Enabled: true, Status: MirrorSuccess},
	)
	want := []*RepoMirror{
		{ID: 1, NamespaceID: 2, Repository: "web", State: RepositoryMirror, Enabled: true, Status: MirrorSuccess},
		{ID: 2, NamespaceID: 1, Repository: "web", State: RepositoryMirror, Enabled: true},
	}
	if diff := cmp.Diff(want, allMirrors(s.Read())); diff != "" {
		t.Errorf("mirrors (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		name string
		m    RepoMirror
		want string
	}{
		{"missing namespace", RepoMirror{NamespaceID: 9, Repository: "x"}, "mirror namespace 9 does not exist"},
		{"empty repository", RepoMirror{NamespaceID: 1}, "repository is empty"},
		{"bad status", RepoMirror{NamespaceID: 1, Repository: "x", Status: 7}, "unknown mirror status MirrorStatus(7)"},
		{"bad state", RepoMirror{NamespaceID: 1, Repository: "x", State: 9}, "unknown repository state RepositoryState(9)"},
		{"negative pending tags", RepoMirror{NamespaceID: 1, Repository: "x", PendingTags: -1}, "pending_tags is negative: -1"},
	} {
		err := s.Load(func(l *Loader) error { _, err := l.PutRepoMirror(tc.m); return err })
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	if err := s.Load(func(l *Loader) error { return l.SetMirrorWorkersActive(-1) }); err == nil {
		t.Error("SetMirrorWorkersActive(-1) was accepted")
	}
}

func TestMirrorWorkersActive(t *testing.T) {
	t.Parallel()
	s := New()
	if got := s.Read().MirrorWorkersActive(); got != 0 {
		t.Errorf("default = %d, want 0", got)
	}
	before := s.Snapshot()
	if err := s.Load(func(l *Loader) error { return l.SetMirrorWorkersActive(3) }); err != nil {
		t.Fatal(err)
	}
	if got := s.Read().MirrorWorkersActive(); got != 3 {
		t.Errorf("after set = %d, want 3", got)
	}
	s.Restore(before)
	if got := s.Read().MirrorWorkersActive(); got != 0 {
		t.Errorf("after restore = %d, want 0", got)
	}
}

// Marking a namespace for deletion drops its mirrors at once (their robots
// go with it); an already-disabled namespace is left alone, as in Quay.
func TestMirrorsGoWithTheirNamespace(t *testing.T) {
	t.Parallel()
	s := loadUsers(t, "alice", "bob")
	putMirrors(t, s,
		RepoMirror{NamespaceID: 1, Repository: "a", State: RepositoryMirror, Enabled: true},
		RepoMirror{NamespaceID: 2, Repository: "b", State: RepositoryMirror, Enabled: true},
		RepoMirror{NamespaceID: 3, Repository: "c", State: RepositoryMirror, Enabled: true},
	)
	del := func(name string) {
		if err := s.DeleteUser(name, Action{Kind: "user_delete", Account: name}, Tombstone{Name: name + "-tomb", Email: name + "-tomb"}); err != nil {
			t.Fatal(err)
		}
	}
	off := false
	if _, err := s.UpdateUser("bob", UserUpdate{Enabled: &off, EnabledLog: Action{Kind: "user_disable", Account: "bob"}}); err != nil {
		t.Fatal(err)
	}
	del("alice")
	del("bob")
	if err := s.DeleteOrganization("acme", Action{Kind: "org_delete", Account: "acme"}, Tombstone{Name: "acme-tomb", Email: "acme-tomb"}); err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, m := range allMirrors(s.Read()) {
		left = append(left, m.Repository)
	}
	if diff := cmp.Diff([]string{"b"}, left); diff != "" {
		t.Errorf("mirrors left (-want +got):\n%s", diff)
	}
}

// The sync transitions of mirror.py's syncNow and syncCancel
// (data/model/repo_mirror.py update_sync_status_to_sync_now and
// update_sync_status_to_cancel), checked against real Quay's devtable/mirrored:
// sync-now gives SYNC_NOW with one retry from none, again SYNC_NOW; cancel
// gives CANCEL with no retries; a second cancel is refused (404).
func TestMirrorSyncTransitions(t *testing.T) {
	t.Parallel()
	expires := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		cancel  bool
		wantErr error
		want    RepoMirror // ID, NamespaceID and Repository filled in
	}
	tests := []struct {
		name  string
		start RepoMirror
		steps []step
	}{
		{"sync-now from NEVER_RUN, again, then cancel, then cancel again", RepoMirror{Status: MirrorNeverRun}, []step{
			{want: RepoMirror{Status: MirrorSyncNow, SyncRetriesRemaining: 1, SyncTransactionID: "t1"}},
			{want: RepoMirror{Status: MirrorSyncNow, SyncRetriesRemaining: 1, SyncTransactionID: "t2"}},
			{cancel: true, want: RepoMirror{Status: MirrorCancel, SyncTransactionID: "t3"}},
			{cancel: true, wantErr: ErrMirrorSyncRefused, want: RepoMirror{Status: MirrorCancel, SyncTransactionID: "t3"}},
		}},
		{"sync-now keeps more retries and clears the expiration", RepoMirror{Status: MirrorFail, SyncRetriesRemaining: 3, SyncExpirationDate: &expires},
			[]step{{want: RepoMirror{Status: MirrorSyncNow, SyncRetriesRemaining: 3, SyncTransactionID: "t1"}}}},
		{"a SYNCING mirror refuses sync-now but is cancelled", RepoMirror{Status: MirrorSyncing, SyncRetriesRemaining: 2, SyncExpirationDate: &expires},
			[]step{
				{wantErr: ErrMirrorSyncRefused, want: RepoMirror{Status: MirrorSyncing, SyncRetriesRemaining: 2, SyncExpirationDate: &expires}},
				{cancel: true, want: RepoMirror{Status: MirrorCancel, SyncTransactionID: "t2"}},
			}},
		{"cancel refuses SUCCESS", RepoMirror{Status: MirrorSuccess, SyncRetriesRemaining: 3},
			[]step{{cancel: true, wantErr: ErrMirrorSyncRefused, want: RepoMirror{Status: MirrorSuccess, SyncRetriesRemaining: 3}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := loadUsers(t, "alice")
			start := tc.start
			start.NamespaceID, start.Repository, start.State, start.Enabled = 2, "m", RepositoryMirror, true
			putMirrors(t, s, start)
			for i, st := range tc.steps {
				op := s.MirrorSyncNow
				if st.cancel {
					op = s.MirrorSyncCancel
				}
				_, err := op(2, "m", "t"+strconv.Itoa(i+1), nil)
				if !errors.Is(err, st.wantErr) || (err == nil) != (st.wantErr == nil) {
					t.Fatalf("step %d: err = %v, want %v", i, err, st.wantErr)
				}
				want := st.want
				want.ID, want.NamespaceID, want.Repository, want.State, want.Enabled = 1, 2, "m", RepositoryMirror, true
				got, _ := s.Read().RepoMirrorOf(2, "m")
				if diff := cmp.Diff(&want, got); diff != "" {
					t.Errorf("step %d: mirror (-want +got):\n%s", i, diff)
				}
			}
			if _, err := s.MirrorSyncNow(2, "nosuch", "x", nil); !errors.Is(err, ErrNotFound) {
				t.Errorf("a repository without a mirror: err = %v, want ErrNotFound", err)
			}
		})
	}
}
