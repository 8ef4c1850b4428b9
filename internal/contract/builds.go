package contract

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// terminalPhases are the phases a build ends in (reference §1.9).
var terminalPhases = []string{"complete", "error", "cancelled"}

// unknownBuild is a well-formed UUID no build has.
const unknownBuild = "00000000-0000-4000-8000-00000000dead"

// errNoBuild is the 400 Quay answers on /status, /logs and /logs/archive for
// a build it cannot find (reference §4 quirk 12).
func errNoBuild(uuid string) apiErr {
	return apiErr{400, "invalid_response", "Unable to locate a build by id: " + uuid}
}

func buildsCases() []testCase {
	// roleCases are the auth outcomes of one build read (reference §1.2):
	// read-only superusers read, normal users get 403, anonymous callers 401.
	// fixture picks the build an operation is read on.
	roleCases := func(op string, fixture func(*env, *testing.T) string, read func(t *testing.T, c *superuser.Client, uuid string) error) []testCase {
		return []testCase{
			{op: op, name: "§1.2 a read-only superuser may read", run: func(t *testing.T, e *env) {
				wantNoError(t, "as GRO", read(t, e.client(t, ReadOnlySuperuser), fixture(e, t)))
			}},
			{op: op, name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
				wantAPIError(t, read(t, e.client(t, NormalUser), fixture(e, t)), quay.ErrForbidden, errForbidden)
			}},
			{op: op, name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
				wantAPIError(t, read(t, e.client(t, Anonymous), fixture(e, t)), quay.ErrUnauthorized, errUnauthorized)
			}},
		}
	}
	get := func(t *testing.T, c *superuser.Client, uuid string) error {
		_, _, err := c.Builds.Get(t.Context(), uuid)
		return err
	}
	status := func(t *testing.T, c *superuser.Client, uuid string) error {
		_, _, err := c.Builds.Status(t.Context(), uuid)
		return err
	}
	logs := func(t *testing.T, c *superuser.Client, uuid string) error {
		_, _, err := c.Builds.Logs(t.Context(), uuid, nil)
		return err
	}
	archive := func(t *testing.T, c *superuser.Client, uuid string) error {
		_, _, err := c.Builds.ArchivedLogs(t.Context(), uuid)
		return err
	}

	cases := []testCase{
		{op: "getRepoBuildSuperUser", name: "§2.16 a finished build's view", run: func(t *testing.T, e *env) {
			uuid := e.finishedBuild(t)
			b, _, err := e.su(t).Builds.Get(t.Context(), uuid)
			wantNoError(t, "Get", err)
			if b.ID != uuid {
				t.Errorf("id = %q, want %q", b.ID, uuid)
			}
			if !slices.Contains(terminalPhases, b.Phase) || len(b.Status) != 0 {
				t.Errorf("phase %q with status %v, want a terminal phase and an empty status", b.Phase, b.Status)
			}
			if b.Started == nil || b.Tags == nil || b.DockerfilePath != b.Subdirectory || b.Repository.Namespace == "" || b.Repository.Name == "" {
				t.Errorf("build = %+v: want a start time, a tag list, dockerfile_path equal to subdirectory and a repository", b)
			}
		}},
		{op: "getRepoBuildSuperUser", name: "§1.9 the job config's fields always show their defaults", run: func(t *testing.T, e *env) {
			// superuser_models_pre_oci.py get_repository_build hands
			// get_job_config the job-config string, so Quay reads {} (checked
			// against real Quay's fixture builds, whose job config has tags).
			b, _, err := e.su(t).Builds.Get(t.Context(), e.finishedBuild(t))
			wantNoError(t, "Get", err)
			got := superuser.Build{Subdirectory: b.Subdirectory, DockerfilePath: b.DockerfilePath, Context: b.Context,
				Tags: b.Tags, ManualUser: b.ManualUser, TriggerMetadata: b.TriggerMetadata}
			if diff := cmp.Diff(superuser.Build{Tags: []string{}}, got); diff != "" {
				t.Errorf("job-config fields (-want +got):\n%s", diff)
			}
		}},
		{op: "getRepoBuildSuperUser", name: "§1.9 a read-only superuser never gets the repository-derived fields", run: func(t *testing.T, e *env) {
			// Assumes the read-only superuser is no member of the build's repository.
			b, _, err := e.client(t, ReadOnlySuperuser).Builds.Get(t.Context(), e.finishedBuild(t))
			wantNoError(t, "Get as GRO", err)
			if b.IsWriter || b.TriggerMetadata != nil || b.ArchiveURL != "" {
				t.Errorf("is_writer %v, trigger_metadata %v, archive_url %q; want false, null, absent", b.IsWriter, b.TriggerMetadata, b.ArchiveURL)
			}
		}},
		{op: "getRepoBuildSuperUser", name: "§1.9 a superuser is a writer only with FEATURE_SUPERUSERS_FULL_ACCESS", run: func(t *testing.T, e *env) {
			// Assumes the superuser is no member of the build's repository.
			b, _, err := e.su(t).Builds.Get(t.Context(), e.finishedBuild(t))
			wantNoError(t, "Get", err)
			if b.IsWriter != e.tgt.SuperusersFullAccess {
				t.Errorf("is_writer = %v with FEATURE_SUPERUSERS_FULL_ACCESS %v", b.IsWriter, e.tgt.SuperusersFullAccess)
			}
		}},
		{op: "getRepoBuildSuperUser", name: "§4.12 an unknown uuid is 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Builds.Get(t.Context(), unknownBuild)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},

		{op: "getRepoBuildStatusSuperUser", name: "§2.15 the same view as getRepoBuildSuperUser", run: func(t *testing.T, e *env) {
			for _, uuid := range e.builds(t, e.tgt.Fixtures.Builds.Finished, e.tgt.Fixtures.Builds.WithLogs) {
				want, _, err := e.su(t).Builds.Get(t.Context(), uuid)
				wantNoError(t, "Get", err)
				got, _, err := e.su(t).Builds.Status(t.Context(), uuid)
				wantNoError(t, "Status", err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("build %s: /status against /build (-want +got):\n%s", uuid, diff)
				}
			}
		}},
		{op: "getRepoBuildStatusSuperUser", name: "§4.12 an unknown uuid is a 400, not a 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Builds.Status(t.Context(), unknownBuild)
			wantAPIError(t, err, quay.ErrBadRequest, errNoBuild(unknownBuild))
		}},

		{op: "getRepoBuildLogsSuperUser", name: "§2.17 a live log's entries, all of them", run: func(t *testing.T, e *env) {
			l, _, err := e.su(t).Builds.Logs(t.Context(), e.buildWithLogs(t), nil)
			wantNoError(t, "Logs", err)
			if l.Start != 0 || l.Total < 2 || l.Total != len(l.Logs) || l.LogsURL != "" {
				t.Errorf("start %d, total %d, %d entries, logs_url %q; want 0, at least 2, all, none", l.Start, l.Total, len(l.Logs), l.LogsURL)
			}
			for i, entry := range l.Logs {
				if entry.Message == "" {
					t.Errorf("entry %d has no message: %+v", i, entry)
				}
			}
		}},
		{op: "getRepoBuildLogsSuperUser", name: "§2.17 start skips the first entries", run: func(t *testing.T, e *env) {
			uuid := e.buildWithLogs(t)
			all, _, err := e.su(t).Builds.Logs(t.Context(), uuid, nil)
			wantNoError(t, "Logs", err)
			if len(all.Logs) < 2 {
				t.Fatalf("the build has %d log entries, want at least 2", len(all.Logs))
			}
			got, _, err := e.su(t).Builds.Logs(t.Context(), uuid, &superuser.BuildLogOptions{Start: 1})
			wantNoError(t, "Logs from 1", err)
			want := superuser.BuildLogs{Start: 1, Total: all.Total, Logs: all.Logs[1:]}
			if !e.finished(t, uuid) && got.Total >= all.Total && len(got.Logs) == got.Total-1 {
				// A running build's log grows between the two reads; the
				// entries read first must still come first.
				want.Total, want.Logs = got.Total, slices.Concat(want.Logs, got.Logs[len(want.Logs):])
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("logs from entry 1 (-want +got):\n%s", diff)
			}
		}},
		{op: "getRepoBuildLogsSuperUser", name: "§2.17 an archived log answers only its URL", run: func(t *testing.T, e *env) {
			l, _, err := e.su(t).Builds.Logs(t.Context(), e.archivedBuild(t), nil)
			wantNoError(t, "Logs", err)
			if l.LogsURL == "" || len(l.Logs) != 0 || l.Total != 0 {
				t.Errorf("logs = %+v, want only a logs_url", l)
			}
		}},
		{op: "getRepoBuildLogsSuperUser", name: "§4.12 an unknown uuid is a 400, not a 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Builds.Logs(t.Context(), unknownBuild, nil)
			wantAPIError(t, err, quay.ErrBadRequest, errNoBuild(unknownBuild))
		}},

		{op: "getRepoBuildLogsArchiveSuperUser", name: "§3 streams the archived entries", run: func(t *testing.T, e *env) {
			l, _, err := e.su(t).Builds.ArchivedLogs(t.Context(), e.archivedBuild(t))
			wantNoError(t, "ArchivedLogs", err)
			if len(l.Logs) == 0 || l.Total != len(l.Logs) || l.LogsURL != "" {
				t.Errorf("total %d, %d entries, logs_url %q; want the archived entries", l.Total, len(l.Logs), l.LogsURL)
			}
		}},
		{op: "getRepoBuildLogsArchiveSuperUser", name: "§3 a log not archived yet is a 400", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Builds.ArchivedLogs(t.Context(), e.buildWithLogs(t))
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_response", "Archived logs not available"})
		}},
		{op: "getRepoBuildLogsArchiveSuperUser", name: "§4.12 an unknown uuid is a 400, not a 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).Builds.ArchivedLogs(t.Context(), unknownBuild)
			wantAPIError(t, err, quay.ErrBadRequest, errNoBuild(unknownBuild))
		}},
	}
	cases = append(cases, roleCases("getRepoBuildSuperUser", (*env).finishedBuild, get)...)
	cases = append(cases, roleCases("getRepoBuildStatusSuperUser", (*env).finishedBuild, status)...)
	cases = append(cases, roleCases("getRepoBuildLogsSuperUser", (*env).buildWithLogs, logs)...)
	return append(cases, roleCases("getRepoBuildLogsArchiveSuperUser", (*env).archivedBuild, archive)...)
}

// finishedBuild, buildWithLogs and archivedBuild return a build fixture, or
// skip when the target names none.
func (e *env) finishedBuild(t *testing.T) string {
	return e.builds(t, e.tgt.Fixtures.Builds.Finished)[0]
}
func (e *env) buildWithLogs(t *testing.T) string {
	return e.builds(t, e.tgt.Fixtures.Builds.WithLogs)[0]
}
func (e *env) archivedBuild(t *testing.T) string {
	return e.builds(t, e.tgt.Fixtures.Builds.Archived)[0]
}

// finished reports whether the build is in a terminal phase, after which
// its log no longer grows.
func (e *env) finished(t *testing.T, uuid string) bool {
	t.Helper()
	b, _, err := e.su(t).Builds.Get(t.Context(), uuid)
	wantNoError(t, "reading the build's phase", err)
	return slices.Contains(terminalPhases, b.Phase)
}

// builds returns uuids, skipping the test if the target left one unnamed.
func (e *env) builds(t *testing.T, uuids ...string) []string {
	t.Helper()
	if slices.Contains(uuids, "") {
		t.Skip("the target names no such build (Fixtures.Builds)")
	}
	return uuids
}
