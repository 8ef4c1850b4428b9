package fakequay

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The §2.15 example build, with the §2.17 example log entries.
const exampleBuildUUID = "1f6d8c38-5e55-4d6f-9a5e-0b7f4d8b2c11"

var exampleStarted = time.Date(2025, 2, 4, 13, 45, 10, 0, time.UTC)

func exampleBuild() SeedBuild {
	alice := "alice"
	return SeedBuild{
		UUID: exampleBuildUUID, Namespace: "acme", Repository: "app", Phase: "complete", DisplayName: "a1b2c3d",
		Started: exampleStarted, Tags: []string{"latest"}, ManualUser: &alice, Subdirectory: "/", Context: "/",
		Logs: []SeedBuildLog{
			{Message: "build-scheduled", Type: "phase", Data: json.RawMessage(`{"datetime": "2025-02-04 13:45:10.412345"}`)},
			{Message: "Step 1/3 : FROM alpine", Type: "command", Data: json.RawMessage(`{"datetime": "2025-02-04 13:45:11.123456"}`)},
		},
	}
}

// buildFixture adds the example build and a few others to the fixture seed.
func buildFixture(s *Seed) {
	archived := exampleBuild()
	archived.UUID, archived.Archived = "archived", true
	s.Builds = []SeedBuild{
		exampleBuild(),
		archived,
		{UUID: "archived-empty", Namespace: "acme", Repository: "app", Phase: "error", Started: exampleStarted, Archived: true},
		{UUID: "running", Namespace: "acme", Repository: "app", Phase: "building", Started: exampleStarted},
		{UUID: "internal", Namespace: "acme", Repository: "app", Phase: "internalerror", Started: exampleStarted},
		{UUID: "redis-down", Namespace: "acme", Repository: "app", Phase: "pushing", Started: exampleStarted,
			Error: "Cannot retrieve build status: Timeout reading from socket",
			Logs:  []SeedBuildLog{{Message: "pushing", Type: "phase"}}},
	}
}

// exampleBuildView is the example build's view. Though the build has tags,
// a manual user, a subdirectory and a context, Quay's superuser views show
// their defaults (superuser_models_pre_oci.py get_repository_build hands
// get_job_config the job-config string, and its bare except answers {}):
// real Quay at ffba0c70e shows its fixture build deadbeef-..., whose job
// config has docker_tags ["latest"] and trigger_metadata, with "tags": []
// and "trigger_metadata": null. The reference's §1.9 was wrong here.
const exampleBuildView = `{"id": "1f6d8c38-5e55-4d6f-9a5e-0b7f4d8b2c11", "phase": "complete", "started": "Tue, 04 Feb 2025 13:45:10 -0000", ` +
	`"display_name": "a1b2c3d", "status": {}, "subdirectory": "", "dockerfile_path": "", "context": "", "tags": [], ` +
	`"manual_user": null, "is_writer": false, "trigger": null, "trigger_metadata": null, "resource_key": null, "pull_robot": null, ` +
	`"repository": {"namespace": "acme", "name": "app"}, "error": null}`

const exampleBuildLogs = `{"start": 0, "total": 2, "logs": [{"message": "build-scheduled", "type": "phase", "data": {"datetime": "2025-02-04 13:45:10.412345"}}, ` +
	`{"message": "Step 1/3 : FROM alpine", "type": "command", "data": {"datetime": "2025-02-04 13:45:11.123456"}}]}`

// minimalBuildView is the view of the fixture builds other than the
// example, which differ only in uuid, phase and error.
func minimalBuildView(uuid, phase, errJSON string) string {
	return `{"id": "` + uuid + `", "phase": "` + phase + `", "started": "Tue, 04 Feb 2025 13:45:10 -0000", "display_name": "", ` +
		`"status": {}, "subdirectory": "", "dockerfile_path": "", "context": "", "tags": [], "manual_user": null, "is_writer": false, ` +
		`"trigger": null, "trigger_metadata": null, "resource_key": null, "pull_robot": null, ` +
		`"repository": {"namespace": "acme", "name": "app"}, "error": ` + errJSON + `}`
}

func buildPath(uuid, what string) string { return "/api/v1/superuser/" + uuid + "/" + what }

// Every build operation, its answers by caller kind and its error paths
// (§2.15–§2.17, §3, §4 quirk 12).
func TestBuildOperations(t *testing.T) {
	t.Parallel()
	unknown := apiErrorReply(400, "invalid_response", "Unable to locate a build by id: nope")
	missingArchive := apiErrorReply(400, "invalid_response", "Archived logs not available")
	tests := []struct {
		name  string
		path  string
		token string
		want  reply
	}{
		{name: "§2.15 status: the example", path: buildPath(exampleBuildUUID, "status"), token: tokAdmin, want: jsonReply(200, exampleBuildView)},
		{name: "§2.16 build: the same view", path: buildPath(exampleBuildUUID, "build"), token: tokAdmin, want: jsonReply(200, exampleBuildView)},
		{name: "§2.15 GRO reads whatever its token's scopes", path: buildPath(exampleBuildUUID, "status"), token: tokAuditor, want: jsonReply(200, exampleBuildView)},
		{name: "§1.2 in both lists: GRO, reads", path: buildPath(exampleBuildUUID, "build"), token: tokBoth, want: jsonReply(200, exampleBuildView)},
		{name: "§2.17 logs: the example", path: buildPath(exampleBuildUUID, "logs"), token: tokAdmin, want: jsonReply(200, exampleBuildLogs)},
		{name: "§2.17 GRO reads logs", path: buildPath(exampleBuildUUID, "logs"), token: tokAuditor, want: jsonReply(200, exampleBuildLogs)},

		{name: "§4.12 status: unknown uuid is 400 invalid_response", path: buildPath("nope", "status"), token: tokAdmin, want: unknown},
		{name: "§4.12 build: unknown uuid is 404", path: buildPath("nope", "build"), token: tokAdmin, want: replyNotFound},
		{name: "§4.12 logs: unknown uuid is 400 invalid_response", path: buildPath("nope", "logs"), token: tokAdmin, want: unknown},
		{name: "§4.12 archive: unknown uuid is 400 invalid_response", path: buildPath("nope", "logs/archive"), token: tokAdmin, want: unknown},
		{name: "§2.17 unknown uuid wins over a bad start", path: buildPath("nope", "logs?start=x"), token: tokAdmin, want: unknown},
		{name: "§3 archive of live logs is missing", path: buildPath(exampleBuildUUID, "logs/archive"), token: tokAdmin, want: missingArchive},
		{name: "§3 a build archived with no entries has no archive", path: buildPath("archived-empty", "logs/archive"), token: tokAdmin, want: missingArchive},
		{name: "§2.17 archived logs answer with their URL", path: buildPath("archived", "logs"), token: tokAdmin,
			want: jsonReply(200, `{"logs_url": "http://quay.test/logarchive/archived"}`)},
		{name: "§2.17 archived: start is never parsed", path: buildPath("archived", "logs?start=x"), token: tokAuditor,
			want: jsonReply(200, `{"logs_url": "http://quay.test/logarchive/archived"}`)},
		{name: "§3 the archive stream: the archiver's JSON, no newline", path: buildPath("archived", "logs/archive"), token: tokAuditor,
			want: reply{Status: 200, ContentType: "application/json", Body: exampleBuildLogs}},

		{name: "§2.15 phase building: status {}", path: buildPath("running", "status"), token: tokAdmin,
			want: jsonReply(200, minimalBuildView("running", "building", "null"))},
		{name: "§1.9 internalerror without retries is expired", path: buildPath("internal", "build"), token: tokAdmin,
			want: jsonReply(200, minimalBuildView("internal", "expired", "null"))},
		{name: "§1.9 Redis failing: cannot_load with its error for a superuser", path: buildPath("redis-down", "status"), token: tokAdmin,
			want: jsonReply(200, minimalBuildView("redis-down", "cannot_load", `"Cannot retrieve build status: Timeout reading from socket"`))},
		{name: "§1.9 Redis failing: the generic text for GRO", path: buildPath("redis-down", "build"), token: tokAuditor,
			want: jsonReply(200, minimalBuildView("redis-down", "cannot_load", `"Redis may be down. Please contact support."`))},
		{name: "§2.17 Redis failing: no logs", path: buildPath("redis-down", "logs?start=0"), token: tokAdmin,
			want: jsonReply(200, `{"start": 0, "total": 0, "logs": []}`)},
	}
	for _, what := range []string{"status", "build", "logs", "logs/archive"} {
		path := buildPath(exampleBuildUUID, what)
		tests = append(tests, []struct {
			name  string
			path  string
			token string
			want  reply
		}{
			{name: "§1.2 " + what + ": anonymous is 401", path: path, token: tokNone, want: replyUnauthorized},
			{name: "§1.2 " + what + ": unknown token is 401", path: path, token: tokUnknown, want: replyUnauthorized},
			{name: "§1.2 " + what + ": disabled user's token is 401", path: path, token: tokDisabled, want: replyUnauthorized},
			{name: "§1.2 " + what + ": normal user is 403", path: path, token: tokAlice, want: replyForbidden},
			{name: "§1.2 " + what + ": superuser without super:user is 403", path: path, token: tokNoScope, want: replyForbidden},
			{name: "§1.2 " + what + ": permission before the lookup", path: buildPath("nope", what), token: tokAlice, want: replyForbidden},
		}...)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, buildFixture)
			checkReply(t, tc.want, h.do("GET", tc.path, tc.token, ""))
		})
	}
}

// §3: the archive comes back as Flask's send_file serves a stream.
func TestBuildLogsArchiveHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t, buildFixture)
	req, err := http.NewRequestWithContext(t.Context(), "GET", "http://"+testHost+buildPath("archived", "logs/archive"), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tokAdmin)
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := map[string]string{}
	for _, k := range []string{"Content-Type", "Cache-Control", "Accept-Ranges"} {
		got[k] = resp.Header.Get(k)
	}
	want := map[string]string{"Content-Type": "application/json", "Cache-Control": "no-cache", "Accept-Ranges": "bytes"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

// §2.17: start is read with int() (not reqparse) and used as Redis LRANGE
// start..-1, negative values counting from the end.
func TestBuildLogsStart(t *testing.T) {
	t.Parallel()
	scheduled := `{"message": "build-scheduled", "type": "phase", "data": {"datetime": "2025-02-04 13:45:10.412345"}}`
	step := `{"message": "Step 1/3 : FROM alpine", "type": "command", "data": {"datetime": "2025-02-04 13:45:11.123456"}}`
	logs := func(start string, entries ...string) reply {
		body := `{"start": ` + start + `, "total": 2, "logs": [`
		for i, e := range entries {
			if i > 0 {
				body += ", "
			}
			body += e
		}
		return jsonReply(200, body+"]}")
	}
	tests := []struct {
		name  string
		query string
		want  reply
	}{
		{name: "§2.17 start=1", query: "start=1", want: logs("1", step)},
		{name: "§2.17 start=-1 is the last entry", query: "start=-1", want: logs("-1", step)},
		{name: "§2.17 start=-5 clamps to the first", query: "start=-5", want: logs("-5", scheduled, step)},
		{name: "§2.17 start past the end", query: "start=2", want: logs("2")},
		{name: "§2.17 int() allows spaces and underscores", query: "start=" + url.QueryEscape(" 0_1 "), want: logs("1", step)},
		{name: "§2.17 the first of repeated values", query: "start=1&start=x", want: logs("1", step)},
		{name: "§2.17 a non-integer start is a ValueError: 500", query: "start=x", want: replyCrash},
		{name: "§2.17 an empty start is a ValueError: 500", query: "start=", want: replyCrash},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, buildFixture)
			checkReply(t, tc.want, h.do("GET", buildPath(exampleBuildUUID, "logs?"+tc.query), tokAdmin, ""))
		})
	}
}

// §1.9 as corrected against real Quay: is_writer and archive_url come from
// the caller's permissions on the repository (FEATURE_SUPERUSERS_FULL_ACCESS
// for a superuser, never through GRO, or owning the namespace, cut down by
// the token's repo scopes). trigger_metadata and the job config's
// archive_url are never shown, whatever the caller may do, because Quay's
// superuser views read an empty job config (superuser_models_pre_oci.py
// get_repository_build); only a resource key's URL shows. Checked against
// real Quay's fixture builds: devtable (FULL_ACCESS) gets is_writer true,
// the /userfiles/ URL and trigger_metadata null; globalreadonlysuperuser gets
// is_writer false and no archive_url.
func TestBuildRepositoryAccess(t *testing.T) {
	t.Parallel()
	resourceKey := "5b6a1c2d-context"
	type access struct {
		IsWriter        bool            `json:"is_writer"`
		TriggerMetadata json.RawMessage `json:"trigger_metadata"`
		ArchiveURL      *string         `json:"archive_url"`
	}
	const trigger = `{"commit":"a1b2c3d","ref":"refs/heads/main"}`
	archive := "https://example.com/context.tar.gz"
	uploaded := "http://quay.test/userfiles/" + resourceKey
	null := json.RawMessage("null")
	none := access{TriggerMetadata: null}
	writer := access{IsWriter: true, TriggerMetadata: null}
	tests := []struct {
		name       string
		fullAccess bool
		takeOwner  bool
		token      string
		build      string
		want       access
	}{
		{name: "§1.9 a superuser is no writer by default", token: tokAdmin, build: "uploaded", want: none},
		{name: "§1.9 FULL_ACCESS makes a superuser a writer, without the job's archive_url", fullAccess: true, token: tokAdmin,
			build: "in-acme", want: writer},
		{name: "§1.9 FULL_ACCESS: a writer sees the resource key's URL", fullAccess: true, token: tokAdmin, build: "uploaded",
			want: access{IsWriter: true, TriggerMetadata: null, ArchiveURL: &uploaded}},
		{name: "§1.9 never through GRO", fullAccess: true, token: tokAuditor, build: "uploaded", want: none},
		{name: "§1.2 in both lists: GRO, so nothing", fullAccess: true, token: tokBoth, build: "uploaded", want: none},
		{name: "§1.9 a superuser owns its own namespace", token: tokAdmin, build: "in-admin", want: writer},
		{name: "§1.9 owning with a repo:read token: no writer", token: tokAuditor, build: "in-auditor", want: none},
		{name: "§3 takeOwnership puts the caller in the owners team", takeOwner: true, token: tokAdmin, build: "uploaded",
			want: access{IsWriter: true, TriggerMetadata: null, ArchiveURL: &uploaded}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil, WithConfig(func(c *Config) { c.FeatureSuperusersFullAccess = tc.fullAccess }))
			for uuid, ns := range map[string]string{"in-acme": "acme", "in-admin": "admin", "in-auditor": "auditor", "uploaded": "acme"} {
				b := SeedBuild{UUID: uuid, Namespace: ns, Repository: "web", Phase: "complete",
					ArchiveURL: archive, TriggerMetadata: json.RawMessage(trigger)}
				if uuid == "uploaded" {
					b.ResourceKey = &resourceKey
				}
				if err := h.s.AddBuild(b); err != nil {
					t.Fatal(err)
				}
			}
			if tc.takeOwner {
				if r := h.do("POST", "/api/v1/superuser/takeownership/acme", tokAdmin, ""); r.Status != 200 {
					t.Fatalf("takeOwnership: %d %s", r.Status, r.Body)
				}
			}
			r := h.do("GET", buildPath(tc.build, "status"), tc.token, "")
			var got access
			if err := json.Unmarshal([]byte(r.Body), &got); err != nil || r.Status != 200 {
				t.Fatalf("%d %s: %v", r.Status, r.Body, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// §1.9: a build shows its namespace's current name; deleting the namespace
// drops its queue items (an internalerror build then has no retries: it is
// expired) and the purge removes its builds.
func TestBuildAfterNamespaceDeletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	if err := h.s.AddBuild(SeedBuild{UUID: "retrying", Namespace: "acme", Repository: "app", Phase: "internalerror",
		Started: exampleStarted, RetriesRemaining: true}); err != nil {
		t.Fatal(err)
	}
	want := minimalBuildView("retrying", "internalerror", "null")
	checkReply(t, jsonReply(200, want), h.do("GET", buildPath("retrying", "status"), tokAdmin, ""))

	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/organizations/acme", tokAdmin, ""))
	got := h.do("GET", buildPath("retrying", "status"), tokAdmin, "")
	got.Body = normalize(got.Body, `"namespace": "[0-9a-f-]{36}"`, `"namespace": "acme"`)
	checkReply(t, jsonReply(200, minimalBuildView("retrying", "expired", "null")), got)

	h.s.Advance(time.Second)
	checkReply(t, apiErrorReply(400, "invalid_response", "Unable to locate a build by id: retrying"),
		h.do("GET", buildPath("retrying", "status"), tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("GET", buildPath("retrying", "build"), tokAdmin, ""))
	if _, ok := h.s.Build("retrying"); ok {
		t.Error("Build still finds a purged namespace's build")
	}
}

// The Go API plays Quay's build manager and log archiver (direct.go).
func TestDirectBuilds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.s.SetTime(time.Date(2025, 2, 4, 13, 45, 10, 412345000, time.UTC))
	if err := h.s.AddBuild(SeedBuild{UUID: "b1", Namespace: "acme", Repository: "app", Phase: "waiting", DisplayName: "a1b2c3d"}); err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { return h.s.SetBuildPhase("b1", "build-scheduled") },
		func() error { return h.s.SetBuildPhase("b1", "build-scheduled") }, // no change, no entry
		func() error { h.s.Advance(time.Second); return nil },
		func() error {
			return h.s.AppendBuildLog("b1", SeedBuildLog{Message: "Step 1/3 : FROM alpine", Type: "command",
				Data: json.RawMessage(`{"datetime": "stale", "step": 1}`)})
		},
		func() error { return h.s.AppendBuildLog("b1", SeedBuildLog{Message: "fetching alpine"}) },
		func() error { return h.s.SetBuildPhase("b1", "complete") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	checkReply(t, jsonReply(200, `{"start": 0, "total": 4, "logs": [`+
		`{"message": "build-scheduled", "type": "phase", "data": {"datetime": "2025-02-04 13:45:10.412345"}}, `+
		`{"message": "Step 1/3 : FROM alpine", "type": "command", "data": {"datetime": "2025-02-04 13:45:11.412345", "step": 1}}, `+
		`{"message": "fetching alpine", "data": {"datetime": "2025-02-04 13:45:11.412345"}}, `+
		`{"message": "complete", "type": "phase", "data": {"datetime": "2025-02-04 13:45:11.412345"}}]}`),
		h.do("GET", buildPath("b1", "logs"), tokAdmin, ""))

	errs := map[string]string{}
	for name, err := range map[string]error{
		"phase after complete": h.s.SetBuildPhase("b1", "building"),
		"unknown build":        h.s.AppendBuildLog("nope", SeedBuildLog{Message: "x"}),
		"bad entry type":       h.s.AppendBuildLog("b1", SeedBuildLog{Message: "x", Type: "info"}),
		"data not an object":   h.s.AppendBuildLog("b1", SeedBuildLog{Message: "x", Data: json.RawMessage(`"x"`)}),
		"duplicate uuid":       h.s.AddBuild(SeedBuild{UUID: "b1", Namespace: "acme", Repository: "app", Phase: "complete"}),
	} {
		if err != nil {
			errs[name] = err.Error()
		}
	}
	wantErrs := map[string]string{
		"phase after complete": "fakequay: SetBuildPhase: build b1 is already complete",
		"unknown build":        "fakequay: AppendBuildLog: build nope: store: not found",
		"bad entry type":       `fakequay: AppendBuildLog: type: "info" is not one of [phase command error]`,
		"data not an object":   `fakequay: AppendBuildLog "b1": data: not a JSON object`,
		"duplicate uuid":       `fakequay: AddBuild "b1": uuid: "b1" is already used by another build`,
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	if err := h.s.ArchiveBuildLogs("b1"); err != nil {
		t.Fatal(err)
	}
	checkReply(t, jsonReply(200, `{"logs_url": "http://quay.test/logarchive/b1"}`), h.do("GET", buildPath("b1", "logs"), tokAdmin, ""))
	archive := h.do("GET", buildPath("b1", "logs/archive"), tokAdmin, "")
	if archive.Status != 200 || archive.Body[:30] != `{"start": 0, "total": 4, "logs` {
		t.Errorf("archive: %d %s", archive.Status, archive.Body)
	}
	b, ok := h.s.Build("b1")
	want := SeedBuild{UUID: "b1", Namespace: "acme", Repository: "app", Phase: "complete", DisplayName: "a1b2c3d",
		Started: time.Date(2025, 2, 4, 13, 45, 10, 412345000, time.UTC), Archived: true,
		Logs: []SeedBuildLog{
			{Message: "build-scheduled", Type: "phase", Data: json.RawMessage(`{"datetime":"2025-02-04 13:45:10.412345"}`)},
			{Message: "Step 1/3 : FROM alpine", Type: "command", Data: json.RawMessage(`{"datetime":"2025-02-04 13:45:11.412345","step":1}`)},
			{Message: "fetching alpine", Data: json.RawMessage(`{"datetime":"2025-02-04 13:45:11.412345"}`)},
			{Message: "complete", Type: "phase", Data: json.RawMessage(`{"datetime":"2025-02-04 13:45:11.412345"}`)},
		}}
	if diff := cmp.Diff(want, b); !ok || diff != "" {
		t.Errorf("Build (ok %v) (-want +got):\n%s", ok, diff)
	}
}

// Seed rules for the builds section (design §4): errors name the JSON path.
func TestSeedBuildsRejects(t *testing.T) {
	t.Parallel()
	ok := SeedBuild{UUID: "b0", Namespace: "acme", Repository: "app", Phase: "complete"}
	with := func(edit func(*SeedBuild)) SeedBuild { b := ok; b.UUID = "b1"; edit(&b); return b }
	tests := []struct {
		name  string
		build SeedBuild
		want  string
	}{
		{name: "uuid required", build: with(func(b *SeedBuild) { b.UUID = "" }), want: "builds[1].uuid: required"},
		{name: "uuid unique", build: with(func(b *SeedBuild) { b.UUID = "b0" }), want: `builds[1].uuid: "b0" is already used by another build`},
		{name: "uuid reachable", build: with(func(b *SeedBuild) { b.UUID = "a/b" }),
			want: `builds[1].uuid: "a/b" contains a slash, which no build route can reach`},
		{name: "dangling namespace", build: with(func(b *SeedBuild) { b.Namespace = "ghost" }),
			want: `builds[1].namespace: "ghost" is not a seeded user or organization`},
		{name: "repository required", build: with(func(b *SeedBuild) { b.Repository = "" }), want: "builds[1].repository: required"},
		{name: "§1.9 Quay's phases only", build: with(func(b *SeedBuild) { b.Phase = "cannot_load" }),
			want: `builds[1].phase: "cannot_load" is not one of [error internalerror build-scheduled unpacking pulling building pushing waiting complete cancelled]`},
		{name: "§1.9 error only for a non-terminal build", build: with(func(b *SeedBuild) { b.Error = "boom" }),
			want: `builds[1].error: only a build in a non-terminal phase can have one (it is Quay failing to read the live status), not a "complete" build`},
		{name: "§2.17 entry types", build: with(func(b *SeedBuild) { b.Logs = []SeedBuildLog{{Message: "x", Type: "info"}} }),
			want: `builds[1].logs[0].type: "info" is not one of [phase command error]`},
		{name: "§2.17 data is an object", build: with(func(b *SeedBuild) { b.Logs = []SeedBuildLog{{Message: "x", Data: json.RawMessage(`[]`)}} }),
			want: "builds[1].logs[0].data: not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seed := fixtureSeed()
			seed.Builds = []SeedBuild{ok, tc.build}
			_, err := New(WithSeed(seed))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// The builds and logs sections of design §4's example seed file load, and
// keys outside the format are rejected.
func TestSeedFileBuildsAndLogs(t *testing.T) {
	t.Parallel()
	const file = `{
  "config": {"SUPER_USERS": ["admin"]},
  "now": "2026-11-28T12:00:00Z",
  "users": [
    {"username": "admin", "email": "admin@example.com", "tokens": [{"token": "admin-token"}]},
    {"username": "alice", "email": "alice@example.com", "tokens": [{"token": "alice-token"}]}
  ],
  "organizations": [{"name": "acme", "email": "acme@example.com"}],
  "builds": [{"uuid": "5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d", "namespace": "acme", "repository": "web",
              "phase": "complete", "display_name": "abc1234", "started": "2026-11-27T10:00:00Z",
              "tags": ["latest"], "manual_user": "alice",
              "logs": [{"message": "Step 1/3 : FROM alpine", "type": "command"}]}],
  "logs": [{"kind": "push_repo", "namespace": "acme", "performer": "alice", "ip": "10.0.0.5",
            "datetime": "2026-11-27T10:00:00Z", "metadata": {"repo": "web"}}]
}`
	seed, err := ParseSeed([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, s: s, client: s.HTTPClient()}
	// The seed keeps the job's tags and manual user; the superuser view
	// never shows them (see exampleBuildView).
	b, ok := s.Build("5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d")
	if !ok || !slices.Equal(b.Tags, []string{"latest"}) || b.ManualUser == nil || *b.ManualUser != "alice" {
		t.Errorf("Build = %+v, %v; want the seed's tags [latest] and manual user alice", b, ok)
	}
	checkReply(t, jsonReply(200, `{"id": "5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d", "phase": "complete", "started": "Fri, 27 Nov 2026 10:00:00 -0000", `+
		`"display_name": "abc1234", "status": {}, "subdirectory": "", "dockerfile_path": "", "context": "", "tags": [], `+
		`"manual_user": null, "is_writer": false, "trigger": null, "trigger_metadata": null, "resource_key": null, "pull_robot": null, `+
		`"repository": {"namespace": "acme", "name": "web"}, "error": null}`),
		h.do("GET", buildPath("5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d", "build"), "admin-token", ""))
	got := h.do("GET", logsPath+"?starttime=11/27/2026&endtime=11/27/2026", "admin-token", "")
	got.Body = normalizeToken(got.Body)
	checkReply(t, jsonReply(200, `{"start_time": "Fri, 27 Nov 2026 00:00:00 -0000", "end_time": "Sat, 28 Nov 2026 00:00:00 -0000", "logs": [`+
		`{"kind": "push_repo", "metadata": {"repo": "web"}, "ip": "10.0.0.5", "datetime": "Fri, 27 Nov 2026 10:00:00 -0000", `+
		`"performer": {"kind": "user", "name": "alice", "is_robot": false, "avatar": `+aliceAvatar+`}, `+
		`"namespace": {"kind": "org", "name": "acme", "avatar": `+acmeAvatar+`}}], "next_page": "<token>"}`), got)

	for _, bad := range []string{
		`{"builds": [{"uuid": "b", "namespace": "acme", "repository": "web", "phase": "complete", "trigger": {}}]}`,
		`{"builds": [{"uuid": "b", "namespace": "acme", "repository": "web", "phase": "complete", "tags": "latest"}]}`,
		`{"logs": [{"kind": "k", "datetime": "2026-11-27T10:00:00Z", "actor": "alice"}]}`,
	} {
		if _, err := ParseSeed([]byte(bad)); err == nil {
			t.Errorf("ParseSeed accepted %s", bad)
		}
	}
}
