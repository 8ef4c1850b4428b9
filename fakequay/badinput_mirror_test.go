package fakequay

import (
	"strings"
	"testing"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The bad-input corpus of endpoints/api/mirror.py. The answers were
// observed on real Quay (the realquay harness, which has
// FEATURE_REPO_MIRROR on) on devtable/simple and devtable/complex with
// devtable's robots; here acme/web (no mirror yet) and acme/mirrored (a
// mirror pulling with acme+bot) stand in, with owen, acme's admin, asking.
// The corpus of badinput_test.go runs with the feature off, so these run
// on a harness of their own.
func mirrorBadInputs() []badInput {
	const web, mirrored = "/api/v1/repository/acme/web/mirror", "/api/v1/repository/acme/mirrored/mirror"
	owner := "owen-token"
	b := func(name, method, path, token, body string, want shape) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want}
	}
	createBody := func(edits ...string) string {
		body := `{"external_reference": "8.8.8.8/lib/app", "sync_interval": 60, "sync_start_date": "2026-12-08T00:00:00Z", ` +
			`"root_rule": {"rule_kind": "tag_glob_csv", "rule_value": ["*"]}, "robot_username": "acme+bot", "skopeo_timeout_interval": 300}`
		for i := 0; i+1 < len(edits); i += 2 {
			body = strings.Replace(body, edits[i], edits[i+1], 1)
		}
		return body
	}
	create := func(name string, want shape, edits ...string) badInput {
		return b("§mirror.py createRepoMirrorConfig: "+name, "POST", web, owner, createBody(edits...), want)
	}
	update := func(name, body string, want shape) badInput {
		return b("§mirror.py changeRepoMirrorConfig: "+name, "PUT", mirrored, owner, body, want)
	}
	// A creation refused after create_rule leaves the rule behind
	// (RepoMirrorRule, an orphan).
	orphan := func(c badInput) badInput {
		c.change = func(want map[string][]any) {
			for i, row := range want["repositories"] {
				if r := row.(*store.Repository); r.Name == "web" {
					c := *r
					c.OrphanMirrorRules++
					want["repositories"][i] = &c
				}
			}
		}
		return c
	}
	detail := func(status int, d string) shape { return shape{Family: famDetail, Status: status, Detail: d} }
	const blocked = "The provided registry location is not allowed"
	const emptyRule = "validation failed: rule_value for TAG_GLOB_CSV must be a list with at least one rule"
	badDate := detail(400, "Incorrect DateTime format for sync_start_date.")
	return []badInput{
		create("no external_reference", invalid("'external_reference' is a required property"),
			`"external_reference": "8.8.8.8/lib/app", `, ""),
		create("a timeout under 300", invalid("299 is less than the minimum of 300"), `"skopeo_timeout_interval": 300`, `"skopeo_timeout_interval": 299`),
		create("a negative interval", invalid("-1 is less than the minimum of 0"), `"sync_interval": 60`, `"sync_interval": -1`),
		create("an unknown rule kind", invalid("'regex' is not one of ['tag_glob_csv']"), `"tag_glob_csv"`, `"regex"`),
		create("a private address (SSRF)", invalid(blocked), "8.8.8.8/lib/app", "10.1.2.3/lib/app"),
		create("a blocked host name (SSRF)", invalid(blocked), "8.8.8.8/lib/app", "localhost/lib/app"),
		create("no repository path", invalid("External registry reference must include a repository path"), "8.8.8.8/lib/app", "8.8.8.8"),
		create("a bad date", badDate, "2026-12-08T00:00:00Z", "2026-12-08 00:00:00"),
		create("an architecture filter without FEATURE_SPARSE_INDEX",
			detail(400, "Architecture filtering requires FEATURE_SPARSE_INDEX to be enabled."), `"sync_interval"`, `"architecture_filter": ["amd64"], "sync_interval"`),
		create("an empty rule", invalid(emptyRule), `["*"]`, `[]`),
		orphan(create("an unknown robot", model("Could not find robot with specified username"), "acme+bot", "acme+nosuch")),
		orphan(create("another namespace's robot", model("Invalid robot"), "acme+bot", "alice+bot")),
		b("§mirror.py createRepoMirrorConfig: a mirror already there", "POST", mirrored, owner, createBody(),
			detail(409, "Mirror configuration already exits for repository acme/mirrored")),
		b("§mirror.py createRepoMirrorConfig: an unknown repository", "POST", "/api/v1/repository/acme/nosuch/mirror", owner, createBody(), shNotFound),
		b("§mirror.py createRepoMirrorConfig: the permission before the body", "POST", web, tokAlice, `[]`, shForbidden),
		b("§mirror.py createRepoMirrorConfig: a writer is no admin", "POST", web, "tess-token", createBody(), shForbidden),
		b("§mirror.py createRepoMirrorConfig: the global read-only superuser", "POST", web, tokAuditor, createBody(), shForbidden),
		b("§mirror.py createRepoMirrorConfig: anonymous meets the CSRF check", "POST", web, tokNone, createBody(), shCSRF),
		update("a password without a username", `{"external_registry_password": "x"}`,
			detail(400, "Unable to set a new password without also specifying a username.")),
		update("no username with a password", `{"external_registry_username": null, "external_registry_password": "x"}`,
			detail(400, "Unable to delete username while setting a password.")),
		update("an empty rule, after is_enabled in the body", `{"is_enabled": false, "root_rule": {"rule_kind": "tag_glob_csv", "rule_value": []}}`,
			invalid(emptyRule)),
		update("a bad date", `{"sync_start_date": "tomorrow"}`, badDate),
		update("a private address", `{"external_reference": "192.168.1.1/x"}`, invalid(blocked)),
		update("an unknown robot", `{"robot_username": "acme+nosuch"}`, model("Could not find robot with specified username")),
		update("interval a string", `{"sync_interval": "60"}`, invalid("'60' is not of type 'integer'")),
		update("no body", "", shNotJSON),
		b("§mirror.py changeRepoMirrorConfig: no mirror", "PUT", web, owner, `{"sync_interval": 1}`, shNotFound),
		b("§mirror.py getRepoMirrorConfig: no mirror", "GET", web, owner, "", shNotFound),
		b("§mirror.py getRepoMirrorConfig: a writer is no admin", "GET", mirrored, "tess-token", "", shForbidden),
		b("§mirror.py syncNow: no mirror", "POST", web+"/sync-now", owner, "", shNotFound),
		b("§mirror.py syncCancel: nothing to cancel (update_sync_status_to_cancel returns None)", "POST", mirrored+"/sync-cancel", owner, "", shNotFound),
		b("§mirror.py syncNow: the global read-only superuser", "POST", mirrored+"/sync-now", tokAuditor, "", shForbidden),
	}
}

// TestMirrorBadInputCorpus runs mirrorBadInputs as TestBadInputCorpus runs
// its corpus, on the corpus seed with FEATURE_REPO_MIRROR on and acme's
// mirrored repository.
func TestMirrorBadInputCorpus(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		corpusSeed(s)
		s.Config.FeatureRepoMirror = true
		s.Repositories = append(s.Repositories, SeedRepository{Namespace: "acme", Name: "mirrored"})
		s.RepoMirror.Repositories[0].ExternalReference = "8.8.8.8/lib/app"
		s.RepoMirror.Repositories[0].TagPatterns = []string{"*"}
		s.RepoMirror.Repositories[0].SkopeoTimeoutInterval = 300
	})
	runBadInputs(t, h, mirrorBadInputs())
}
