package fakequay

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mirrorCreateBody is a createRepoMirrorConfig body with the given
// external_reference; edits replace its text.
func mirrorCreateBody(ref string, edits ...string) string {
	body := `{"external_reference": "` + ref + `", "sync_interval": 3600, "sync_start_date": "2026-12-08T00:00:00Z", ` +
		`"root_rule": {"rule_kind": "tag_glob_csv", "rule_value": ["v3.*"]}, "robot_username": "alice+bot", ` +
		`"skopeo_timeout_interval": 300}`
	for i := 0; i+1 < len(edits); i += 2 {
		body = strings.Replace(body, edits[i], edits[i+1], 1)
	}
	return body
}

func detailReply(status int, detail string) reply {
	return jsonReply(status, `{"detail": "`+detail+`"}`)
}

// TestRepoMirror walks endpoints/api/mirror.py (RepoMirrorResource get,
// post, put; RepoMirrorSyncNowResource; RepoMirrorSyncCancelResource) and
// data/model/repo_mirror.py in one sequence on alice/app; every answer was
// observed on real Quay (realquay at ffba0c70e, devtable/simple and
// devtable/complex with devtable+dtrobot2, 2026-12-07).
func TestRepoMirror(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		matrixOrg(s)
		s.Config.FeatureRepoMirror = true
		s.Config.FeatureSuperusersFullAccess = true
		s.Repositories = append(s.Repositories, SeedRepository{Namespace: "alice", Name: "app"})
	})
	const base = "/api/v1/repository/alice/app/mirror"
	invalid := func(detail string) reply { return apiErrorReply(400, "invalid_request", detail) }
	view := func(enabled, user, cfg, interval, start, retries, status, rule, robot string) reply {
		return jsonReply(200, `{"is_enabled": `+enabled+`, "mirror_type": "PULL", "external_reference": "8.8.8.8/x", `+
			`"external_registry_username": `+user+`, "external_registry_config": `+cfg+`, "sync_interval": `+interval+
			`, "sync_start_date": "`+start+`", "sync_expiration_date": null, "sync_retries_remaining": `+retries+
			`, "sync_status": "`+status+`", "root_rule": {"rule_kind": "tag_glob_csv", "rule_value": `+rule+`}, `+
			`"robot_username": "`+robot+`", "skopeo_timeout_interval": 300, "architecture_filter": []}`)
	}
	steps := []struct {
		name, method, path, token, body string
		want                            reply
	}{
		{"get: no mirror is NotFound", "GET", base, tokAlice, "", replyNotFound},
		{"get: no repository is NotFound", "GET", "/api/v1/repository/alice/nosuch/mirror", tokAlice, "", replyNotFound},
		{"create: a blocked host name (ssrf.py BLOCKED_HOSTNAMES)", "POST", base, tokAlice,
			mirrorCreateBody("localhost/coreos/etcd"), invalid("The provided registry location is not allowed")},
		{"create: a private address (BLOCKED_NETWORKS)", "POST", base, tokAlice,
			mirrorCreateBody("10.0.0.1/coreos/etcd"), invalid("The provided registry location is not allowed")},
		{"create: no repository path", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8"), invalid("External registry reference must include a repository path")},
		{"create: a scheme", "POST", base, tokAlice,
			mirrorCreateBody("https://8.8.8.8/x"), invalid("External registry reference must not include a URL scheme")},
		{"create: a sync_start_date strptime refuses", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", "2026-12-08T00:00:00Z", "2026-12-08 00:00:00"),
			detailReply(400, "Incorrect DateTime format for sync_start_date.")},
		{"create: an architecture filter without FEATURE_SPARSE_INDEX", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", `"sync_interval"`, `"architecture_filter": ["amd64"], "sync_interval"`),
			detailReply(400, "Architecture filtering requires FEATURE_SPARSE_INDEX to be enabled.")},
		{"create: an empty rule (validate_rule's ValidationError)", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", `["v3.*"]`, `[]`),
			invalid("validation failed: rule_value for TAG_GLOB_CSV must be a list with at least one rule")},
		{"create: an unknown robot (lookup_robot)", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", "alice+bot", "alice+nosuch"), modelErrorReply("Could not find robot with specified username")},
		{"create: another namespace's robot", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", "alice+bot", "acme+bot"), modelErrorReply("Invalid robot")},
		{"create: no robot is a KeyError", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", `"robot_username": "alice+bot", `, ""), replyCrash},
		{"create: an unknown key is a TypeError", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", `"sync_interval"`, `"foo": 1, "sync_interval"`), replyCrash},
		// The schema's full jsonschema text, as real Quay answered it.
		{"create: a timeout under 300 fails the schema", "POST", base, tokAlice,
			mirrorCreateBody("8.8.8.8/x", `"skopeo_timeout_interval": 300`, `"skopeo_timeout_interval": 299`),
			invalid(`299 is less than the minimum of 300

Failed validating 'minimum' in schema['properties']['skopeo_timeout_interval']:
    {'description': 'Number of seconds mirroring job will run before '
                    'timing out.',
     'minimum': 300,
     'type': 'integer'}

On instance['skopeo_timeout_interval']:
    299`)},
		{"create: a writer is no admin", "POST", "/api/v1/repository/acme/web/mirror", "tess-token",
			mirrorCreateBody("8.8.8.8/x", "alice+bot", "acme+bot"), replyForbidden},
		{"create", "POST", base, tokAlice, mirrorCreateBody("8.8.8.8/x", `"sync_interval"`,
			`"external_registry_username": "", "external_registry_password": "pw", "external_registry_config": {"zz": 1, "verify_tls": false}, "sync_interval"`),
			jsonReply(201, `""`)},
		{"get: the new mirror; an empty username is NULL", "GET", base, tokAlice, "",
			view("true", "null", `{"zz": 1, "verify_tls": false}`, "3600", "2026-12-08T00:00:00Z", "3", "NEVER_RUN", `["v3.*"]`, "alice+bot")},
		{"create: again is a 409 (with Quay's typo)", "POST", base, tokAlice, mirrorCreateBody("8.8.8.8/x"),
			detailReply(409, "Mirror configuration already exits for repository alice/app")},
		{"update: a password without a username", "PUT", base, tokAlice, `{"external_registry_password": "x"}`,
			detailReply(400, "Unable to set a new password without also specifying a username.")},
		{"update: no username with a password", "PUT", base, tokAlice,
			`{"external_registry_username": null, "external_registry_password": "x"}`,
			detailReply(400, "Unable to delete username while setting a password.")},
		{"update: an empty rule", "PUT", base, tokAlice, `{"root_rule": {"rule_kind": "tag_glob_csv", "rule_value": []}}`,
			invalid("validation failed: rule_value for TAG_GLOB_CSV must be a list with at least one rule")},
		{"update: the first proxy value only creates the proxy object", "PUT", base, tokAlice,
			`{"sync_start_date": "2026-1-2t3:4:5z", "is_enabled": false, "external_registry_config": {"proxy": {"http_proxy": "h1", "no_proxy": "n"}}, ` +
				`"external_registry_username": "u1", "sync_interval": 5}`, jsonReply(201, `""`)},
		{"get: after the update", "GET", base, tokAlice, "",
			view("false", `"u1"`, `{"zz": 1, "verify_tls": false, "proxy": {"no_proxy": "n"}}`, "5", "2026-01-02T03:04:05Z", "3", "NEVER_RUN", `["v3.*"]`, "alice+bot")},
		{"update: the proxy again, credentials", "PUT", base, tokAlice,
			`{"external_registry_config": {"proxy": {"http_proxy": "h1", "no_proxy": "n"}}, "external_registry_username": "", "external_registry_password": null}`,
			jsonReply(201, `""`)},
		{"get: an empty username set by update stays empty", "GET", base, tokAlice, "",
			view("false", `""`, `{"zz": 1, "verify_tls": false, "proxy": {"no_proxy": "n", "http_proxy": "h1"}}`, "5", "2026-01-02T03:04:05Z", "3", "NEVER_RUN", `["v3.*"]`, "alice+bot")},
		{"cancel: nothing to cancel is NotFound", "POST", base + "/sync-cancel", tokAlice, "", replyNotFound},
		{"sync now", "POST", base + "/sync-now", tokAlice, "", replyNoContent},
		{"sync now: again", "POST", base + "/sync-now", tokAlice, "", replyNoContent},
		{"get: SYNC_NOW", "GET", base, tokAlice, "",
			view("false", `""`, `{"zz": 1, "verify_tls": false, "proxy": {"no_proxy": "n", "http_proxy": "h1"}}`, "5", "2026-01-02T03:04:05Z", "3", "SYNC_NOW", `["v3.*"]`, "alice+bot")},
		{"cancel", "POST", base + "/sync-cancel", tokAlice, "", replyNoContent},
		{"cancel: again is NotFound", "POST", base + "/sync-cancel", tokAlice, "", replyNotFound},
		{"get: CANCEL, no retries", "GET", base, tokAlice, "",
			view("false", `""`, `{"zz": 1, "verify_tls": false, "proxy": {"no_proxy": "n", "http_proxy": "h1"}}`, "5", "2026-01-02T03:04:05Z", "0", "CANCEL", `["v3.*"]`, "alice+bot")},
		{"sync now: no mirror is NotFound", "POST", "/api/v1/repository/acme/web/mirror/sync-now", tokAdmin, "", replyNotFound},
		{"get: the global read-only superuser reads", "GET", base, tokAuditor, "",
			view("false", `""`, `{"zz": 1, "verify_tls": false, "proxy": {"no_proxy": "n", "http_proxy": "h1"}}`, "5", "2026-01-02T03:04:05Z", "0", "CANCEL", `["v3.*"]`, "alice+bot")},
		{"sync now: the global read-only superuser may not", "POST", base + "/sync-now", tokAuditor, "", replyForbidden},
		// The robot refusals above came after create_rule: their orphan
		// rules are the repository's first, which change_rule updates, so
		// the mirror keeps its patterns (real Quay on devtable/simple; on
		// devtable/complex, without an orphan, the rule changed).
		{"update: the rule, with an orphan rule first", "PUT", base, tokAlice,
			`{"root_rule": {"rule_kind": "tag_glob_csv", "rule_value": ["new"]}}`, jsonReply(201, `""`)},
		{"get: the patterns kept", "GET", base, tokAlice, "",
			view("false", `""`, `{"zz": 1, "verify_tls": false, "proxy": {"no_proxy": "n", "http_proxy": "h1"}}`, "5", "2026-01-02T03:04:05Z", "0", "CANCEL", `["v3.*"]`, "alice+bot")},
	}
	for _, st := range steps {
		checkReply(t, st.want, h.do(st.method, st.path, st.token, st.body))
		if t.Failed() {
			t.Fatalf("step %q", st.name)
		}
	}

	// The creation put the repository in MIRROR state and gave the robot
	// write permission (_setup_robot_for_mirroring).
	var repo struct{ State string }
	if err := json.Unmarshal([]byte(h.do("GET", "/api/v1/repository/alice/app", tokAlice, "").Body), &repo); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("MIRROR", repo.State); diff != "" {
		t.Errorf("repository state (-want +got):\n%s", diff)
	}
	var perm struct{ Role string }
	if err := json.Unmarshal([]byte(h.do("GET", "/api/v1/repository/alice/app/permissions/user/alice+bot", tokAlice, "").Body), &perm); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("write", perm.Role); diff != "" {
		t.Errorf("robot role (-want +got):\n%s", diff)
	}

	// The audit log, oldest first: track_and_log's metadata without the
	// caller's fields (real Quay logged exactly these changed/to pairs).
	var got []string
	for _, l := range h.s.Logs() {
		if l.Kind != "repo_mirror_config_changed" {
			continue
		}
		var m struct {
			Changed string
			To      json.RawMessage
		}
		if err := json.Unmarshal(l.Metadata, &m); err != nil {
			t.Fatal(err)
		}
		got = append(got, l.Kind+" "+m.Changed+"="+string(m.To))
	}
	// track_and_log's whole metadata: the repository, the user agent (the
	// harness sends none), changed and to, then the token, the user and
	// resolve_ip's answer for an address outside AWS without GeoIP.
	all := h.s.Logs()
	wantMeta := `{"repo":"app","namespace":"alice","user-agent":"","changed":"mirror_rule","to":["new"],` +
		`"oauth_token_id":3,"oauth_token_application_id":"FAKEQUAYCLIENTID0001","oauth_token_application":"fakequay","username":"alice",` +
		`"resolved_ip":{"provider":"internet","service":null,"sync_token":"1645662201","country_iso_code":null,"aws_region":null,"continent":null}}`
	if diff := cmp.Diff(wantMeta, string(all[len(all)-1].Metadata)); diff != "" {
		t.Errorf("last log's metadata (-want +got):\n%s", diff)
	}
	want := []string{
		"repo_mirror_config_changed external_reference=\"8.8.8.8/x\"",
		"repo_mirror_config_changed is_enabled=false",
		"repo_mirror_config_changed sync_start_date=1767323045",
		"repo_mirror_config_changed sync_interval=5",
		"repo_mirror_config_changed external_registry_username=\"u1\"",
		"repo_mirror_config_changed http_proxy=\"h1\"",
		"repo_mirror_config_changed no_proxy=\"n\"",
		"repo_mirror_config_changed external_registry_username=\"\"",
		"repo_mirror_config_changed external_registry_password=null",
		"repo_mirror_config_changed http_proxy=\"h1\"",
		"repo_mirror_config_changed no_proxy=\"n\"",
		"repo_mirror_config_changed sync_status=\"SYNC_NOW\"",
		"repo_mirror_config_changed sync_status=\"SYNC_NOW\"",
		"repo_mirror_config_changed sync_status=\"SYNC_CANCEL\"",
		"repo_mirror_config_changed mirror_rule=[\"new\"]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// TestRepoMirrorOff: without FEATURE_REPO_MIRROR the rules do not exist
// (@show_if), so a GET of .../mirror is getRepo of a repository named
// "app/mirror" and a POST to sync-now matches no rule.
func TestRepoMirrorOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.Repositories = append(s.Repositories, SeedRepository{Namespace: "alice", Name: "app"})
	})
	checkReply(t, replyNotFound, h.do("GET", "/api/v1/repository/alice/app/mirror", tokAlice, ""))
	if r := h.do("POST", "/api/v1/repository/alice/app/mirror/sync-now", tokAlice, ""); r.Status != 405 && r.Status != 404 {
		t.Errorf("sync-now without the feature: %+v", r)
	}
}

// TestValidateExternalReference follows ssrf.py
// validate_external_registry_reference case by case; each answer is the
// one Quay's own function gave (run from the realquay tree). Names that do
// not resolve there ("registry.local", "metadata", "quay.io": the harness
// has no DNS) are taken as resolving, to a public address unless blocked
// by name.
func TestValidateExternalReference(t *testing.T) {
	t.Parallel()
	const blocked = "The provided registry location is not allowed"
	cases := []struct{ ref, want string }{
		{"8.8.8.8/x", ""},
		{"8.8.8.8:5000/coreos/etcd", ""},
		{"quay.io/coreos/etcd", ""},
		{"", "External registry reference is required"},
		{"  ", "External registry reference is required"},
		{" quay.io/x", "External registry reference must not include whitespace"},
		{"quay.io/a b", "External registry reference must not include whitespace"},
		{"quay.io/a\x1cb", "External registry reference must not include whitespace"},
		{"http://quay.io/x", "External registry reference must not include a URL scheme"},
		{"quay.io/x?y", "External registry reference contains an invalid character"},
		{"quay.io/x%41", "External registry reference contains an invalid character"},
		{"quay.io", "External registry reference must include a repository path"},
		{"/x", "External registry reference must include a repository path"},
		{"quay.io/", "External registry reference must include a repository path"},
		{"a:1:2/x", "External registry reference contains an invalid registry authority"},
		{"quay.io:/x", "External registry reference contains an invalid registry port"},
		{"[::1/x", "External registry reference contains an invalid registry authority"},
		{"[2001:4860::8888]x/y", "External registry reference contains an invalid registry authority"},
		{"[2001:4860::8888]:/y", "External registry reference contains an invalid registry port"},
		{"[2001:4860::8888]:5000/y", ""},
		{"quay.io:99999/x", "External registry reference contains an invalid registry authority"},
		{"quay.io:0/x", "External registry reference contains an invalid registry port"},
		{"quay.io:x/x", "External registry reference contains an invalid registry authority"},
		{"u@quay.io/x", "External registry reference must include a valid registry hostname"},
		{"quay.io./x", "External registry reference must include a valid registry hostname"},
		{"qu_ay.io/x", "External registry reference must include a valid registry hostname"},
		{"localhost/x", blocked},
		{"LOCALHOST:5000/x", blocked},
		{"registry.local/x", blocked},
		{"metadata/x", blocked},
		{"127.0.0.1/x", blocked},
		{"169.254.169.254/x", blocked},
		{"100.64.0.1/x", blocked},
		{"[::1]/x", blocked},
		{"[fe80::1]/x", blocked},
		{"224.0.0.1/x", blocked},
		{"@8.8.8.8/x", ""},
		{":@8.8.8.8/x", ""},
		{":p@8.8.8.8/x", "External registry reference must include a valid registry hostname"},
		{"[1.2.3.4]/x", "External registry reference contains an invalid registry authority"},
		{"8.8.8.8]/x", "External registry reference contains an invalid registry authority"},
		{"[8.8.8.8/x", "External registry reference contains an invalid registry authority"},
	}
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, validateExternalReference(tc.ref)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.ref, diff)
		}
	}
}

// TestParseMirrorDate is datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").
func TestParseMirrorDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want string // RFC 3339, "" for a ValueError
	}{
		{"2026-12-08T00:00:00Z", "2026-12-08T00:00:00Z"},
		{"2026-1-2t3:4:5z", "2026-01-02T03:04:05Z"},
		{"2026-01- 2T03:04:05Z", "2026-01-02T03:04:05Z"},
		{"2026-02-30T00:00:00Z", ""},
		{"2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"},
		{"0000-01-01T00:00:00Z", ""},
		{"2026-01-01T00:00:60Z", ""},
		{"2026-01-01T24:00:00Z", ""},
		{"2026-01-01T00:00:00", ""},
		{"2026-01-01T00:00:00.5Z", ""},
		{"2026-01-01T00:00:00Z ", ""},
		{"26-01-01T00:00:00Z", ""},
	}
	for _, tc := range cases {
		got := ""
		if d, ok := parseMirrorDate(tc.in); ok {
			got = d.Format("2006-01-02T15:04:05Z07:00")
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestRepoMirrorPersists: a mirror made through the API (its credentials,
// registry config and sync state) survives a crash of a server with a data
// directory, and Reset takes the store back to the seed, without it.
func TestRepoMirrorPersists(t *testing.T) {
	t.Parallel()
	first := openDir(t, t.TempDir(), WithConfig(func(c *Config) { c.FeatureRepoMirror = true }))
	const base = "/api/v1/repository/alice/app/mirror"
	for _, w := range []struct{ method, path, body string }{
		{"POST", "/api/v1/repository", `{"namespace": "alice", "repository": "app", "visibility": "public", "description": ""}`},
		{"PUT", "/api/v1/user/robots/bot", ""},
		{"POST", base, mirrorCreateBody("8.8.8.8/x", `"sync_interval"`,
			`"external_registry_username": "u", "external_registry_password": "p", "external_registry_config": {"proxy": {"no_proxy": "n"}, "x": 1.50}, "sync_interval"`)},
		{"PUT", base, `{"external_registry_config": {"proxy": {"http_proxy": "h"}}}`},
		{"POST", base + "/sync-now", ""},
	} {
		if got := first.do(w.method, w.path, tokAlice, w.body); got.Status >= 300 {
			t.Fatalf("%s %s: %d %s", w.method, w.path, got.Status, got.Body)
		}
	}
	want := first.do("GET", base, tokAlice, "")
	second := openDir(t, crashImage(t, first.s.persist.dir), WithConfig(func(c *Config) { c.FeatureRepoMirror = true }))
	checkSameState(t, first.s, second.s)
	checkReply(t, want, second.do("GET", base, tokAlice, ""))
	if !strings.Contains(want.Body, `"proxy": {"no_proxy": "n", "http_proxy": "h"}, "x": 1.5}`) || !strings.Contains(want.Body, `"SYNC_NOW"`) {
		t.Errorf("the mirror before the crash: %s", want.Body)
	}

	wantDirect := []RepoMirror{{Namespace: "alice", Repository: "app", Status: "SYNC_NOW", Enabled: true,
		RepositoryState: "MIRROR", ExternalReference: "8.8.8.8/x", TagPatterns: []string{"v3.*"}}}
	if diff := cmp.Diff(wantDirect, second.s.RepoMirrors()); diff != "" {
		t.Errorf("RepoMirrors (-want +got):\n%s", diff)
	}

	second.s.Reset()
	checkReply(t, replyNotFound, second.do("GET", base, tokAlice, ""))
}

// TestRepoMirrorFollowsItsRepository: a mirror counts for the health
// summary only while its repository is in MIRROR state
// (repo_mirror.py's queries join Repository.state), changeRepoState moves
// it out and back, and deleting the repository takes the mirror along with
// its renamed row (its robot stays refused: robot_has_mirror).
func TestRepoMirrorFollowsItsRepository(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.Config.FeatureRepoMirror = true
		s.Repositories = append(s.Repositories, SeedRepository{Namespace: "alice", Name: "app"})
		s.Robots = append(s.Robots, SeedRobot{Name: "alice+bot"})
	})
	must := func(method, path, body string, status int) {
		t.Helper()
		if got := h.do(method, path, tokAlice, body); got.Status != status {
			t.Fatalf("%s %s: %d %s", method, path, got.Status, got.Body)
		}
	}
	states := func() []string {
		var out []string
		for _, m := range h.s.RepoMirrors() {
			out = append(out, m.Repository+" "+m.RepositoryState)
		}
		return out
	}
	must("POST", "/api/v1/repository/alice/app/mirror", mirrorCreateBody("8.8.8.8/x"), 201)
	if diff := cmp.Diff([]string{"app MIRROR"}, states()); diff != "" {
		t.Errorf("after create (-want +got):\n%s", diff)
	}
	must("PUT", "/api/v1/repository/alice/app/changestate", `{"state": "NORMAL"}`, 200)
	if diff := cmp.Diff([]string{"app NORMAL"}, states()); diff != "" {
		t.Errorf("after changeRepoState (-want +got):\n%s", diff)
	}
	must("DELETE", "/api/v1/repository/alice/app", "", 204)
	got := states()
	if len(got) != 1 || !strings.HasSuffix(got[0], " MARKED_FOR_DELETION") || strings.HasPrefix(got[0], "app ") {
		t.Errorf("after deleteRepository: %q, want the renamed repository's mirror", got)
	}
	must("DELETE", "/api/v1/user/robots/bot", "", 400)
}
