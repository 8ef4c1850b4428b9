package store

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var buildStarted = time.Date(2025, 2, 4, 13, 45, 10, 0, time.UTC)

// buildStore holds a user "alice", an org "acme" and the given builds (their
// NamespaceID 0 means acme).
func buildStore(t *testing.T, builds ...Build) (*Store, *Namespace) {
	t.Helper()
	s := New()
	var acme *Namespace
	err := s.Load(func(l *Loader) error {
		if _, err := l.AddNamespace(Namespace{Name: "alice", Kind: KindUser, Email: "alice@example.com", Enabled: true}); err != nil {
			return err
		}
		var err error
		if acme, err = l.AddNamespace(Namespace{Name: "acme", Kind: KindOrg, Email: "acme@example.com", Enabled: true}); err != nil {
			return err
		}
		for _, b := range builds {
			if b.NamespaceID == 0 {
				b.NamespaceID = acme.ID
			}
			if _, err := l.AddBuild(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, acme
}

func aBuild(uuid, phase string) Build {
	return Build{UUID: uuid, Repository: "web", Phase: phase, Started: buildStarted,
		Logs: []BuildLogEntry{{Message: "Step 1/3 : FROM alpine", Type: "command"}}}
}

func TestLoaderAddBuildRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build Build
		want  string
	}{
		{name: "no uuid", build: Build{Repository: "web", Phase: PhaseComplete}, want: "uuid: required"},
		{name: "no repository", build: Build{UUID: "u", Phase: PhaseComplete}, want: "repository: required"},
		{name: "§1.9 synthetic phases are not stored", build: Build{UUID: "u", Repository: "web", Phase: "expired"},
			want: `phase: "expired" is not one of [error internalerror build-scheduled unpacking pulling building pushing waiting complete cancelled]`},
		{name: "dangling namespace", build: Build{UUID: "u", Repository: "web", Phase: PhaseComplete, NamespaceID: 99},
			want: "namespace: id 99 does not exist"},
		{name: "§2.17 log types", build: Build{UUID: "u", Repository: "web", Phase: PhaseComplete,
			Logs: []BuildLogEntry{{Message: "a"}, {Message: "b", Type: "info"}}},
			want: `logs[1].type: "info" is not one of [phase command error]`},
		{name: "duplicate uuid", build: aBuild("b1", PhaseComplete), want: `uuid: "b1" is already used by another build`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, acme := buildStore(t, aBuild("b1", PhaseComplete))
			if tc.build.NamespaceID == 0 {
				tc.build.NamespaceID = acme.ID
			}
			err := s.Load(func(l *Loader) error { _, err := l.AddBuild(tc.build); return err })
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if _, _, ok := s.Read().Build("u"); ok {
				t.Error("a rejected build was stored")
			}
		})
	}
}

// The build manager's update_job_phase: a phase entry per change, nothing
// for the current phase, and no change once complete, error or cancelled.
func TestSetBuildPhase(t *testing.T) {
	t.Parallel()
	entry := BuildLogEntry{Message: "pushing", Type: "phase", Data: json.RawMessage(`{"datetime":"2025-02-04 13:45:11"}`)}
	tests := []struct {
		name        string
		from, to    string
		wantChanged bool
		wantErr     string
		wantPhase   string
		wantLogs    int
	}{
		{name: "moves on", from: PhaseBuilding, to: PhasePushing, wantChanged: true, wantPhase: PhasePushing, wantLogs: 2},
		{name: "same phase changes nothing", from: PhasePushing, to: PhasePushing, wantPhase: PhasePushing, wantLogs: 1},
		{name: "internalerror may still move (it is retried)", from: PhaseInternalError, to: PhasePushing, wantChanged: true,
			wantPhase: PhasePushing, wantLogs: 2},
		{name: "complete is final", from: PhaseComplete, to: PhasePushing, wantErr: "build b1 is already complete",
			wantPhase: PhaseComplete, wantLogs: 1},
		{name: "cancelled is final", from: PhaseCancelled, to: PhasePushing, wantErr: "build b1 is already cancelled",
			wantPhase: PhaseCancelled, wantLogs: 1},
		{name: "unknown phase", from: PhaseBuilding, to: "done",
			wantErr:   `phase "done" is not one of [error internalerror build-scheduled unpacking pulling building pushing waiting complete cancelled]`,
			wantPhase: PhaseBuilding, wantLogs: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := buildStore(t, aBuild("b1", tc.from))
			before := s.Read()
			changed, err := s.SetBuildPhase("b1", tc.to, entry)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			b, _, _ := s.Read().Build("b1")
			got := struct {
				Changed bool
				Err     string
				Phase   string
				Logs    int
			}{changed, gotErr, b.Phase, len(b.Logs)}
			want := struct {
				Changed bool
				Err     string
				Phase   string
				Logs    int
			}{tc.wantChanged, tc.wantErr, tc.wantPhase, tc.wantLogs}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if old, _, _ := before.Build("b1"); old.Phase != tc.from || len(old.Logs) != 1 {
				t.Errorf("an earlier reader saw the change: %+v", old)
			}
		})
	}
}

// Appends copy the log list: readers holding the old row keep their view.
func TestAppendBuildLogAndArchive(t *testing.T) {
	t.Parallel()
	s, _ := buildStore(t, aBuild("b1", PhaseBuilding))
	before := s.Read()
	e := BuildLogEntry{Message: "Step 2/3 : RUN true", Type: "command"}
	if err := s.AppendBuildLog("b1", e); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendBuildLog("b1", BuildLogEntry{Message: "x", Type: "debug"}); err == nil {
		t.Error("an unknown entry type was accepted")
	}
	if err := s.ArchiveBuildLogs("b1"); err != nil {
		t.Fatal(err)
	}
	errs := []string{}
	for _, err := range []error{
		s.AppendBuildLog("b1", e),
		s.ArchiveBuildLogs("b1"),
		s.AppendBuildLog("nope", e),
	} {
		errs = append(errs, err.Error())
	}
	wantErrs := []string{"build b1: logs are archived", "build b1: logs are already archived", "build nope: store: not found"}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if !errors.Is(s.ArchiveBuildLogs("nope"), ErrNotFound) {
		t.Error("unknown build is not ErrNotFound")
	}
	now, _, _ := s.Read().Build("b1")
	old, _, _ := before.Build("b1")
	want := []BuildLogEntry{{Message: "Step 1/3 : FROM alpine", Type: "command"}, e}
	if diff := cmp.Diff(want, now.Logs); diff != "" {
		t.Errorf("logs now (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:1], old.Logs); diff != "" {
		t.Errorf("logs seen by the earlier reader (-want +got):\n%s", diff)
	}
	if !now.LogsArchived || old.LogsArchived {
		t.Errorf("archived now %v, before %v", now.LogsArchived, old.LogsArchived)
	}
}

// Deleting a namespace drops its queue items (no retries left) but keeps
// its builds; the purge removes them from sight.
func TestBuildsFollowTheirNamespace(t *testing.T) {
	t.Parallel()
	retrying := aBuild("b1", PhaseInternalError)
	retrying.RetriesRemaining = true
	s, _ := buildStore(t, retrying)
	audit := Action{Kind: "org_delete", Account: "acme", Time: buildStarted}
	if err := s.DeleteOrganization("acme", audit, Tombstone{Name: "tomb-name", Email: "tomb-email"}); err != nil {
		t.Fatal(err)
	}
	b, ns, ok := s.Read().Build("b1")
	if !ok || b.RetriesRemaining || ns.Name != "tomb-name" {
		t.Fatalf("after delete: ok %v, retries %v, namespace %q", ok, b != nil && b.RetriesRemaining, ns.Name)
	}
	if _, err := s.PurgeDeletedNamespaces(); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := s.Read().Build("b1"); ok {
		t.Error("a purged namespace's build is still visible")
	}
}

func TestIsTerminalPhase(t *testing.T) {
	t.Parallel()
	var terminal []string
	for _, p := range BuildPhases {
		if IsTerminalPhase(p) {
			terminal = append(terminal, p)
		}
	}
	want := []string{PhaseError, PhaseInternalError, PhaseComplete, PhaseCancelled}
	if diff := cmp.Diff(want, terminal); diff != "" {
		t.Errorf("terminal phases (-want +got):\n%s", diff)
	}
}
