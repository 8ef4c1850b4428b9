package fakequay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay/internal/image"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// contentHarness is the fixture with alice/app holding pushed content:
// v1 and latest pushed at fixtureTime (same image, 3 layers of 10, 20 and
// 30 bytes), v1 moved to a second image 10 s later, and multi (a Docker
// list of two platforms) 20 s later.
func contentHarness(t *testing.T) (h *harness, first, second *image.Image, multi *image.Index) {
	t.Helper()
	h = newHarness(t, func(s *Seed) { s.Config.FeatureImmutableTags = true })
	specA := ImageSpec{Labels: map[string]string{"stage": "one", "json": `{"a": 1}`},
		Layers: []LayerSpec{{Seed: "base", Size: 10}, {Seed: "a", Size: 20}, {Seed: "b", Size: 30}}}
	specB := ImageSpec{Layers: []LayerSpec{{Seed: "base", Size: 10}, {Seed: "c", Size: 5}}}
	arm := ImageSpec{Architecture: "arm64", Layers: []LayerSpec{{Seed: "base", Size: 10}}}
	push := func(tag string, specs ...ImageSpec) {
		if _, err := h.s.PushImage("alice", "app", tag, specs...); err != nil {
			t.Fatal(err)
		}
	}
	push("v1", specA)
	push("latest", specA)
	h.s.Advance(10 * time.Second)
	push("v1", specB)
	h.s.Advance(10 * time.Second)
	push("multi", specB, arm)
	build := func(sp ImageSpec) *image.Image {
		s, err := sp.build()
		if err != nil {
			t.Fatal(err)
		}
		img, err := image.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	bs, _ := specB.build()
	as, _ := arm.build()
	multi, err := image.BuildIndex(image.IndexSpec{Manifests: []image.Spec{bs, as}})
	if err != nil {
		t.Fatal(err)
	}
	return h, build(specA), build(specB), multi
}

// TestListRepoTags follows endpoints/api/tag.py ListRepositoryTags.get and
// data/model/oci/tag.py list_repository_tag_history: tags newest first,
// then by name; history only with onlyActiveTags false (the default);
// _tag_dict's keys in its order. Checked against real Quay by the
// differential (plan_content.go) on the fixture's repositories.
func TestListRepoTags(t *testing.T) {
	t.Parallel()
	h, first, second, multi := contentHarness(t)
	t0 := fixtureTime.Unix()
	date := func(ts int64) string { return *formatDate(time.Unix(ts, 0)) }
	tag := func(name string, start int64, end *int64, img *image.Image) string {
		s := fmt.Sprintf(`{"name": %q, "reversion": false, "immutable": false, "start_ts": %d, `, name, start)
		if end != nil {
			s += fmt.Sprintf(`"end_ts": %d, `, *end)
		}
		s += fmt.Sprintf(`"manifest_digest": %q, "is_manifest_list": false, "size": %d, "last_modified": %q`,
			img.Digest, img.LayersSize(), date(start))
		if end != nil {
			s += fmt.Sprintf(`, "expiration": %q`, date(*end))
		}
		return s + "}"
	}
	ended := t0 + 10
	multiTag := fmt.Sprintf(`{"name": "multi", "reversion": false, "immutable": false, "start_ts": %d, "manifest_digest": %q, `+
		`"is_manifest_list": true, "size": null, "last_modified": %q, "is_sparse": false, "child_manifest_count": 2, `+
		`"present_child_count": 2, "child_manifests_presence": {%q: true, %q: true}}`,
		t0+20, multi.Digest, date(t0+20), multi.Manifests[0].Digest, multi.Manifests[1].Digest)
	v1New, v1Old, latest := tag("v1", t0+10, nil, second), tag("v1", t0, &ended, first), tag("latest", t0, nil, first)
	page := func(more bool, page int, tags ...string) reply {
		body := `{"tags": [`
		for i, t := range tags {
			if i > 0 {
				body += ", "
			}
			body += t
		}
		return jsonReply(200, fmt.Sprintf(`%s], "page": %d, "has_additional": %v}`, body, page, more))
	}
	cases := []struct {
		name, query string
		want        reply
	}{
		{"history by default, newest first then by name", "", page(false, 1, multiTag, v1New, latest, v1Old)},
		{"onlyActiveTags drops ended rows", "?onlyActiveTags=true", page(false, 1, multiTag, v1New, latest)},
		{"specificTag: the tag's rows", "?specificTag=v1", page(false, 1, v1New, v1Old)},
		{"filter like: contains, either case", "?filter_tag_name=like:ATE", page(false, 1, latest)},
		{"filter eq", "?filter_tag_name=eq:latest", page(false, 1, latest)},
		{"page 2 of 1", "?limit=1&page=2", page(true, 2, v1New)},
		{"the last page", "?limit=3&page=2", page(false, 2, v1Old)},
		{"past the end", "?page=9", page(false, 9)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkReply(t, tc.want, h.do("GET", "/api/v1/repository/alice/app/tag/"+tc.query, tokAlice, ""))
		})
	}
}

// TestPushImage checks the direct API's push: the repository created for
// the user, the tag rows, and Quay's push_repo audit log
// (endpoints/v2/manifest.py _write_manifest_and_log, util/audit.py).
func TestPushImage(t *testing.T) {
	t.Parallel()
	h, first, second, multi := contentHarness(t)
	repo, ok := h.s.Repository("alice", "app")
	if !ok {
		t.Fatal("the push created no repository")
	}
	if diff := cmp.Diff(Repository{Namespace: "alice", Name: "app", Visibility: "private", State: "NORMAL", Kind: "image",
		Permissions: []Permission{{Kind: "user", Name: "alice", Role: "admin"}}}, repo); diff != "" {
		t.Errorf("repository (-want +got):\n%s", diff)
	}
	t0 := fixtureTime
	end := t0.Add(10 * time.Second)
	want := []Tag{
		{Name: "v1", ManifestDigest: string(first.Digest), Start: t0, End: &end},
		{Name: "latest", ManifestDigest: string(first.Digest), Start: t0},
		{Name: "v1", ManifestDigest: string(second.Digest), Start: t0.Add(10 * time.Second)},
		{Name: "multi", ManifestDigest: string(multi.Digest), Start: t0.Add(20 * time.Second)},
	}
	if diff := cmp.Diff(want, h.s.Tags("alice", "app")); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	var pushes []string
	for _, l := range h.s.Logs() {
		if l.Kind == "push_repo" {
			pushes = append(pushes, string(l.Metadata))
		}
	}
	meta := func(tag, mediaType string) string {
		return fmt.Sprintf(`{"repo":"app","namespace":"alice","user-agent":"fakequay","tag":%q,"mediaType":%q,"username":"alice"}`, tag, mediaType)
	}
	wantLogs := []string{meta("v1", image.MediaTypeDockerManifest), meta("latest", image.MediaTypeDockerManifest),
		meta("v1", image.MediaTypeDockerManifest), meta("multi", image.MediaTypeDockerManifestList)}
	if diff := cmp.Diff(wantLogs, pushes); diff != "" {
		t.Errorf("push_repo logs (-want +got):\n%s", diff)
	}
	errs := map[string]string{}
	for name, err := range map[string]error{
		"no namespace": func() error { _, err := h.s.PushImage("nobody", "app", "v1", ImageSpec{}); return err }(),
		"bad tag":      func() error { _, err := h.s.PushImage("alice", "app", ".v1", ImageSpec{}); return err }(),
		"no platform":  func() error { _, err := h.s.PushImage("alice", "app", "v1"); return err }(),
		"bad format":   func() error { _, err := h.s.PushImage("alice", "app", "v1", ImageSpec{Format: "v1"}); return err }(),
	} {
		if err != nil {
			errs[name] = err.Error()
		}
	}
	wantErrs := map[string]string{
		"no namespace": `fakequay: AddImage.namespace: "nobody" is not a seeded user or organization`,
		"bad tag":      `fakequay: AddImage.tag: ".v1" is not a tag name Quay accepts`,
		"no platform":  `fakequay: AddImage.platforms: an image needs at least one platform`,
		"bad format":   `fakequay: AddImage.platforms[0].format: "v1" is not docker or oci`,
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// TestManifestReads follows endpoints/api/manifest.py: _manifest_dict and
// _layer_dict (the layers' command, comment, author and creation from the
// config history), a list's view (no layers, size 0), _label_dict with the
// config's labels (source "manifest", is_json deciding the media type, in
// key order), the prefix filter, and lookup_manifest's alive rule (a
// manifest only an ended tag points at is NotFound).
func TestManifestReads(t *testing.T) {
	t.Parallel()
	h, first, _, multi := contentHarness(t)
	layer := func(i int, img *image.Image) string {
		return fmt.Sprintf(`{"index": %d, "compressed_size": %d, "is_remote": false, "urls": null, `+
			`"command": ["/bin/sh -c #(nop) ADD file:%s in / "], "comment": null, "author": null, "blob_digest": %q, `+
			`"created_datetime": "Thu, 01 Jan 1970 00:00:00 -0000"}`, i, img.Layers[i].Size, img.Layers[i].Digest.Hex(), img.Layers[i].Digest)
	}
	quote := func(b []byte) string {
		s, _ := json.Marshal(string(b))
		return strings.ReplaceAll(string(s), `\u003c`, "<")
	}
	base := "/api/v1/repository/alice/app/manifest/"
	firstView := fmt.Sprintf(`{"digest": %q, "is_manifest_list": false, "manifest_data": %s, `+
		`"config_media_type": "application/vnd.docker.container.image.v1+json", "layers_compressed_size": 60, "layers": [%s, %s, %s]}`,
		first.Digest, quote(first.Bytes), layer(0, first), layer(1, first), layer(2, first))
	listView := fmt.Sprintf(`{"digest": %q, "is_manifest_list": true, "manifest_data": %s, "config_media_type": null, `+
		`"layers_compressed_size": 0, "layers": null}`, multi.Digest, quote(multi.Bytes))
	r := h.do("GET", base+string(first.Digest)+"/labels", tokAlice, "")
	ids := regexp.MustCompile(`"id": "([^"]+)"`).FindAllStringSubmatch(r.Body, -1)
	if len(ids) != 2 {
		t.Fatalf("labels: %s", r.Body)
	}
	jsonLabel := fmt.Sprintf(`{"id": %q, "key": "json", "value": "{\"a\": 1}", "source_type": "manifest", "media_type": "application/json"}`, ids[0][1])
	stageLabel := fmt.Sprintf(`{"id": %q, "key": "stage", "value": "one", "source_type": "manifest", "media_type": "text/plain"}`, ids[1][1])
	cases := []struct {
		name, path string
		want       reply
	}{
		{"an image", base + string(first.Digest), jsonReply(200, firstView)},
		{"a list", base + string(multi.Digest), jsonReply(200, listView)},
		{"a list's child is alive through it", base + string(multi.Manifests[1].Digest) + "/labels", jsonReply(200, `{"labels": []}`)},
		{"not a digest", base + "latest", jsonReply(404, notFoundBody)},
		{"labels in creation order", base + string(first.Digest) + "/labels", jsonReply(200, `{"labels": [`+jsonLabel+`, `+stageLabel+`]}`)},
		{"labels by prefix, either case", base + string(first.Digest) + "/labels?filter=ST", jsonReply(200, `{"labels": [`+stageLabel+`]}`)},
		{"the prefix's wildcards are literal", base + string(first.Digest) + "/labels?filter=%25", jsonReply(200, `{"labels": []}`)},
		{"one label", base + string(first.Digest) + "/labels/" + ids[1][1], jsonReply(200, stageLabel)},
		{"an unknown label", base + string(first.Digest) + "/labels/nosuch", jsonReply(404, notFoundBody)},
	}
	t.Run("reads", func(t *testing.T) { // returns once its parallel cases are done
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				checkReply(t, tc.want, h.do("GET", tc.path, tokAlice, ""))
			})
		}
	})
	// v1's first manifest stays alive through latest; once latest is gone
	// only the ended v1 row points at it.
	if err := h.s.store.DeleteTag(mustRepo(t, h, "alice", "app"), "latest", h.s.Now(), storeNoAudit); err != nil {
		t.Fatal(err)
	}
	checkReply(t, jsonReply(404, notFoundBody), h.do("GET", base+string(first.Digest), tokAlice, ""))
}

// notFoundBody is NotFound()'s ApiError on the test host.
const notFoundBody = `{"detail": "Not Found", "error_message": "Not Found", "error_type": "not_found", "title": "not_found", ` +
	`"type": "http://quay.test/api/v1/error/not_found", "status": 404}`

// storeNoAudit is a store write without an audit row.
var storeNoAudit = store.Action{}

func mustRepo(t *testing.T, h *harness, namespace, name string) *store.Repository {
	t.Helper()
	rd := h.s.store.Read()
	ns, ok := rd.Namespace(namespace)
	if !ok {
		t.Fatalf("no namespace %s", namespace)
	}
	repo, ok := rd.Repository(ns.ID, name)
	if !ok {
		t.Fatalf("no repository %s/%s", namespace, name)
	}
	return repo
}

// TestPushCountsNamespaceSize follows data/model/quota.py update_sizes as
// fakequay/internal/image's TestLiveQuayContentFacts pinned it on real
// Quay: a manifest counts its layers and config at creation, a blob once
// per namespace, a list nothing of its own, a re-push nothing.
func TestPushCountsNamespaceSize(t *testing.T) {
	t.Parallel()
	h, first, second, multi := contentHarness(t)
	// first: base, a, b and its config; second: c and its config (base is
	// counted); multi: its arm64 child's config (its amd64 child is second).
	want := int64(10+20+30) + first.Config.Size + 5 + second.Config.Size + multi.Manifests[1].Config.Size
	r := h.do("GET", "/api/v1/superuser/users/?limit=100", tokAdmin, "")
	m := regexp.MustCompile(`"username": "alice".*?"quota_report": \{"quota_bytes": (\d+), "configured_quota": [^,]+, "running_backfill": "(\w+)", "backfill_status": "(\w+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no quota_report for alice in %s", r.Body)
	}
	if diff := cmp.Diff([]string{fmt.Sprint(want), "complete", "complete"}, m[1:]); diff != "" {
		t.Errorf("alice's quota_report (-want +got):\n%s", diff)
	}
}

// TestRepositoryRoutesVaryOnCookie: an anonymous call to a repository route
// reads the session (RepositoryParamResource's auth fallback), so Flask
// answers "Vary: Cookie" (observed on the realquay harness); a bearer does
// not.
func TestRepositoryRoutesVaryOnCookie(t *testing.T) {
	t.Parallel()
	h, _, _, _ := contentHarness(t)
	for _, tc := range []struct {
		token string
		want  []string
	}{{tokNone, []string{"Cookie"}}, {tokAlice, nil}, {tokUnknown, nil}} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", "http://"+testHost+"/api/v1/repository/alice/app/tag/", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := h.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if diff := cmp.Diff(tc.want, resp.Header.Values("Vary")); diff != "" {
			t.Errorf("token %q: Vary (-want +got):\n%s", tc.token, diff)
		}
	}
}

// TestContentGoesWithTheNamespace: the namespace GC's purge_repository
// removes each repository's tags, manifests and labels with it.
func TestContentGoesWithTheNamespace(t *testing.T) {
	t.Parallel()
	h, _, _, _ := contentHarness(t)
	alice, _ := h.s.store.Read().Namespace("alice")
	count := func() (manifests, tags, labels int) {
		rd := h.s.store.Read()
		rd.NamespaceManifests(alice.ID, func(m *store.Manifest) bool {
			manifests++
			rd.Labels(m, func(*store.Label) bool { labels++; return true })
			return true
		})
		if repo, ok := rd.RepositoryByID(alice.ID, mustRepo(t, h, "alice", "app").ID); ok {
			rd.Tags(repo, func(*store.Tag) bool { tags++; return true })
		}
		return manifests, tags, labels
	}
	// first, second (also multi's amd64 child), the arm64 child, the list;
	// v1 twice, latest, multi; first's two config labels.
	m, tg, l := count()
	if diff := cmp.Diff([3]int{4, 4, 2}, [3]int{m, tg, l}); diff != "" {
		t.Fatalf("content before (-want +got):\n%s", diff)
	}
	checkReply(t, reply{Status: 204, ContentType: "application/json"}, h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, ""))
	if n, err := h.s.PurgeDeletedNamespaces(); n != 1 || err != nil {
		t.Fatalf("PurgeDeletedNamespaces = %d, %v", n, err)
	}
	var left int
	h.s.store.Read().NamespaceManifests(alice.ID, func(*store.Manifest) bool { left++; return true })
	if left != 0 {
		t.Errorf("%d manifests left after the purge", left)
	}
}

// getRepo lists the alive tags, newest first, in the Tag namedtuple's
// shape (repository_models_interface.py to_dict): name, size (null for a
// list), last_modified, manifest_digest; ended rows are left out.
// Checked against the realquay harness's devtable/simple: {"prod": {"name":
// "prod", "size": 92, "last_modified": "Mon, 07 Dec 2026 20:26:21 -0000",
// "manifest_digest": "sha256:03fa..."}, "latest": {...}}.
func TestGetRepoTags(t *testing.T) {
	t.Parallel()
	h, first, second, multi := contentHarness(t)
	t0 := fixtureTime.Unix()
	date := func(ts int64) string { return *formatDate(time.Unix(ts, 0)) }
	want := fmt.Sprintf(`{"multi": {"name": "multi", "size": null, "last_modified": %q, "manifest_digest": %q}, `+
		`"v1": {"name": "v1", "size": %d, "last_modified": %q, "manifest_digest": %q}, `+
		`"latest": {"name": "latest", "size": %d, "last_modified": %q, "manifest_digest": %q}}`,
		date(t0+20), multi.Digest, second.LayersSize(), date(t0+10), second.Digest, first.LayersSize(), date(t0), first.Digest)
	got := h.do("GET", "/api/v1/repository/alice/app", tokAlice, "")
	var body map[string]json.RawMessage
	if err := json.Unmarshal([]byte(got.Body), &body); err != nil {
		t.Fatalf("getRepo: %d %s", got.Status, got.Body)
	}
	_, rest, _ := strings.Cut(got.Body, `"tags": `)
	tags, _, _ := strings.Cut(rest, `, "can_write"`)
	if diff := cmp.Diff(want, tags); diff != "" {
		t.Errorf("getRepo tags (-want +got):\n%s", diff)
	}
	if got := h.do("GET", "/api/v1/repository/alice/app?includeTags=false", tokAlice, ""); strings.Contains(got.Body, `"tags"`) {
		t.Errorf("includeTags=false still lists tags: %s", got.Body)
	}
}
