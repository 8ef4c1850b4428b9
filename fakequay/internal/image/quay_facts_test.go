package image_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay/internal/image"
	"github.com/quaykit/go-quay/internal/registrypush"
)

// TestLiveQuayContentFacts pins, against a real Quay without background
// workers (the realquay harness; see quayLive), what Quay computes from
// pushed content. The full write-up, with the measurements and the
// worker-only numbers this test cannot reach, is the project note
// quay-content-facts.md. Source references are to Quay at ffba0c70e.
//
// Sizes (data/model/quota.py update_sizes, called from
// data/model/oci/manifest.py _create_manifest when a manifest is first
// created in a repository):
//   - A manifest counts its config blob and its layers (local_blob_digests
//     of image/docker/schema2/manifest.py and image/oci/manifest.py), each
//     at the stored blob size. The manifest bytes themselves count nothing.
//   - A blob counts once per namespace: a later manifest anywhere in the
//     namespace that references an already counted blob adds nothing to
//     the namespace, but adds the blob to its repository if no other
//     manifest of that repository references it (blob_exists_in_namespace,
//     blob_exists_in_repository).
//   - Namespaces are independent: the same blob in two namespaces counts in
//     both (the registry stores it once: ImageStorage is shared).
//   - Pushing an existing manifest under another tag changes nothing.
//   - A manifest list references no blob (local_blob_digests is []): it
//     adds nothing; its children, pushed by digest before it, count as
//     ordinary manifests.
//   - The numbers change at once, in the push request. A namespace or
//     repository without a size row gets one on its first manifest
//     (backfill_start_ms 0, backfill_complete true, so backfill_status
//     "complete"); before that its quota_report says 0 and "waiting".
//     (A namespace that already has manifests but no row waits for the
//     quotatotalworker backfill; not reachable here.)
//   - Deleting a tag (registry or API), expiring it out of the time
//     machine, or deleting the repository changes no size: sizes drop only
//     when garbage collection deletes the manifest (data/model/gc.py
//     _garbage_collect_manifest), which only workers run.
//
// Views:
//   - superuser user and organization lists, getOrganization: quota_report
//     {quota_bytes, configured_quota, running_backfill, backfill_status}
//     (namespacequota.py get_quota_for_view). There is no
//     percent_consumed anywhere in Quay's source.
//   - the repository list: quota_report {quota_bytes, configured_quota}
//     per repository. getRepo, with or without includeStats, has no size.
//   - listRepoTags: size is the manifest's layers_compressed_size (layers
//     only, config excluded; null for a list); a list's entry adds
//     is_sparse, child_manifest_count, present_child_count and
//     child_manifests_presence; the children's temporary tags never show.
//   - the organization's quota views show the limits, never the usage.
//
// Limits (data/model/namespacequota.py check_limits; the highest limit
// reached, usage >= limit_bytes * percent / 100, decides):
//   - Reject refuses with 403 {"errors":[{"code":"DENIED","detail":{},
//     "message":"Quota has been exceeded on namespace"}]}, checked at
//     POST /blobs/uploads/ against the namespace's size, at each PATCH and
//     the closing PUT against the size plus the bytes already received by
//     the repository's open uploads, and at the manifest PUT after the
//     manifest was created and counted: a push that crosses the limit is
//     refused at its manifest PUT, leaves no tag, and its bytes stay
//     counted (until GC collects the hidden, expired tag it gets). Pushing
//     an existing manifest under a new tag is refused the same way.
//   - Warning never refuses; crossing it at a manifest push adds one
//     quota_warning notification ({"namespace": ns}) for each org admin,
//     and a refusal one quota_error ({"severity": "Reject", "namespace":
//     ns} from the blob checks); a notification is not repeated while one
//     with the same metadata exists.
//
// Audit log (util/audit.py track_and_log): each accepted tag push writes
// push_repo {repo, namespace, user-agent, tag, mediaType, username,
// resolved_ip}; a registry tag DELETE writes delete_tag {repo, namespace,
// user-agent, tag, digest (the tag name, as the URL gave it), username,
// resolved_ip}. Refused pushes, children pushed by digest, blob uploads,
// token requests and the repository created by a push write nothing.
//
// Registry size (superuser/registrysize): the sum of every stored blob's
// size, each distinct blob once across the registry, computed only by the
// quotaregistrysizeworker; without it a POST only queues (201 the first
// time, 202 while queued) and GET keeps answering the old size with
// queued true.
func TestLiveQuayContentFacts(t *testing.T) {
	q := liveQuay(t)
	top := t // cleanups of the whole run, not of one step
	org := "imgfacts" + q.run
	seed := func(s string) string { return q.run + "/" + s }
	build := func(labels map[string]string, layers ...image.Layer) *image.Image {
		img, err := image.Build(image.Spec{Labels: labels, Layers: layers})
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	base := image.Layer{Seed: seed("base"), Size: 100}
	a1 := build(map[string]string{"stage": "one"}, base, image.Layer{Seed: seed("a1"), Size: 50})
	b1 := build(nil, base, image.Layer{Seed: seed("b1"), Size: 70})
	a2 := build(nil, base, image.Layer{Seed: seed("a2"), Size: 30})
	multi, err := image.BuildIndex(image.IndexSpec{Manifests: []image.Spec{
		{Layers: []image.Layer{base, {Seed: seed("m1"), Size: 40}}},
		{Architecture: "arm64", Layers: []image.Layer{base, {Seed: seed("m2"), Size: 60}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(img *image.Image) int64 { return img.Config.Size }
	push := func(repo, tag string, img *image.Image) error {
		_, err := q.reg.Push(t.Context(), org+"/"+repo, tag, pushable(img))
		return err
	}
	limit := int64(10000)
	var ns int64 // the organization's expected size
	checkSizes := func(t *testing.T, repos map[string]int64) {
		t.Helper()
		want := quotaReport{QuotaBytes: ns, ConfiguredQuota: &limit, RunningBackfill: "complete", BackfillStatus: "complete"}
		if diff := cmp.Diff(want, q.orgQuota(org)); diff != "" {
			t.Errorf("organization quota_report (-want +got):\n%s", diff)
		}
		for r, size := range repos {
			if diff := cmp.Diff(repoQuota{size, &limit}, q.repoQuota(org, r)); diff != "" {
				t.Errorf("repository %s quota_report (-want +got):\n%s", r, diff)
			}
		}
	}
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"a new organization with a quota is waiting", func(t *testing.T) {
			q.must("POST", "organization/", map[string]string{"name": org, "email": org + "@example.com"}, http.StatusCreated)
			top.Cleanup(func() { q.api("DELETE", "organization/"+org, nil) })
			if diff := cmp.Diff(quotaReport{RunningBackfill: "waiting", BackfillStatus: "waiting"}, q.orgQuota(org)); diff != "" {
				t.Errorf("before a quota (-want +got):\n%s", diff)
			}
			q.must("POST", "organization/"+org+"/quota", map[string]int64{"limit_bytes": limit}, http.StatusCreated)
			var quotas []struct {
				ID int `json:"id"`
			}
			q.getLoose("organization/"+org+"/quota", &quotas)
			if len(quotas) != 1 {
				t.Fatalf("quotas = %v", quotas)
			}
			path := fmt.Sprintf("organization/%s/quota/%d", org, quotas[0].ID)
			q.must("POST", path+"/limit", map[string]any{"type": "Warning", "threshold_percent": 50}, http.StatusCreated)
			q.must("POST", path+"/limit", map[string]any{"type": "Reject", "threshold_percent": 80}, http.StatusCreated)
			if diff := cmp.Diff(quotaReport{ConfiguredQuota: &limit, RunningBackfill: "waiting", BackfillStatus: "waiting"}, q.orgQuota(org)); diff != "" {
				t.Errorf("with a quota, before any push (-want +got):\n%s", diff)
			}
			type limitView struct {
				ID      int    `json:"id"`
				Type    string `json:"type"`
				Percent int    `json:"limit_percent"`
			}
			var view struct {
				ID            int         `json:"id"`
				LimitBytes    int64       `json:"limit_bytes"`
				Limit         string      `json:"limit"`
				DefaultConfig bool        `json:"default_config"`
				Limits        []limitView `json:"limits"`
				DefaultExists bool        `json:"default_config_exists"`
			}
			q.get(path, &view)
			for i := range view.Limits {
				view.Limits[i].ID = 0
			}
			view.ID = 0
			want := view
			want.LimitBytes, want.Limit, want.DefaultConfig, want.DefaultExists = limit, "9.8 KiB", false, false
			want.Limits = []limitView{{Type: "Warning", Percent: 50}, {Type: "Reject", Percent: 80}}
			if diff := cmp.Diff(want, view); diff != "" {
				t.Errorf("getOrganizationQuota: no usage in it (-want +got):\n%s", diff)
			}
		}},
		{"the first push counts config and layers, at once", func(t *testing.T) {
			if err := push("a", "v1", a1); err != nil {
				t.Fatal(err)
			}
			ns = cfg(a1) + 150
			checkSizes(t, map[string]int64{"a": cfg(a1) + 150})
			tags := q.tags(org+"/a", false)
			want := []tagEntry{{Name: "v1", ManifestDigest: string(a1.Digest), Size: ptr(int64(150))}}
			if diff := cmp.Diff(want, normalizeTags(t, tags)); diff != "" {
				t.Errorf("listRepoTags (-want +got):\n%s", diff)
			}
			var labels struct {
				Labels []map[string]string `json:"labels"`
			}
			q.getLoose(fmt.Sprintf("repository/%s/a/manifest/%s/labels", org, a1.Digest), &labels)
			for _, l := range labels.Labels {
				delete(l, "id")
			}
			wantLabels := []map[string]string{{"key": "stage", "value": "one", "source_type": "manifest", "media_type": "text/plain"}}
			if diff := cmp.Diff(wantLabels, labels.Labels); diff != "" {
				t.Errorf("config labels become manifest labels (-want +got):\n%s", diff)
			}
		}},
		{"a shared blob counts once in the namespace, once per repository", func(t *testing.T) {
			if err := push("b", "v1", b1); err != nil {
				t.Fatal(err)
			}
			ns += cfg(b1) + 70
			checkSizes(t, map[string]int64{"a": cfg(a1) + 150, "b": cfg(b1) + 170})
			if err := push("a", "v2", a2); err != nil {
				t.Fatal(err)
			}
			ns += cfg(a2) + 30
			checkSizes(t, map[string]int64{"a": cfg(a1) + 150 + cfg(a2) + 30})
		}},
		{"an existing manifest under a new tag adds nothing", func(t *testing.T) {
			if err := push("a", "alias", a1); err != nil {
				t.Fatal(err)
			}
			checkSizes(t, map[string]int64{"a": cfg(a1) + 150 + cfg(a2) + 30})
		}},
		{"a manifest list adds its children only", func(t *testing.T) {
			if _, err := q.reg.PushIndex(t.Context(), org+"/multi", "v1", pushableIndex(multi)); err != nil {
				t.Fatal(err)
			}
			c0, c1 := multi.Manifests[0], multi.Manifests[1]
			ns += cfg(c0) + 40 + cfg(c1) + 60
			checkSizes(t, map[string]int64{"multi": 100 + cfg(c0) + 40 + cfg(c1) + 60})
			want := []tagEntry{{Name: "v1", ManifestDigest: string(multi.Digest), IsManifestList: true,
				IsSparse: ptr(false), ChildManifestCount: ptr(2), PresentChildCount: ptr(2),
				ChildManifestsPresence: map[string]bool{string(c0.Digest): true, string(c1.Digest): true}}}
			if diff := cmp.Diff(want, normalizeTags(t, q.tags(org+"/multi", false))); diff != "" {
				t.Errorf("listRepoTags, every tag (-want +got):\n%s", diff)
			}
		}},
		{"another namespace counts the same blobs again", func(t *testing.T) {
			repo := q.user + "/imgfacts-" + q.run
			before := q.userQuota(q.user)
			if _, err := q.reg.Push(t.Context(), repo, "v1", pushable(a1)); err != nil {
				t.Fatal(err)
			}
			top.Cleanup(func() { q.api("DELETE", "repository/"+repo, nil) })
			after := q.userQuota(q.user)
			if got, want := after.QuotaBytes-before.QuotaBytes, cfg(a1)+150; got != want {
				t.Errorf("user namespace grew by %d, want %d", got, want)
			}
			if got := q.repoQuota(q.user, "imgfacts-"+q.run); got.QuotaBytes != cfg(a1)+150 {
				t.Errorf("repository quota_report = %+v, want %d bytes", got, cfg(a1)+150)
			}
			checkSizes(t, nil)
		}},
		{"deleting tags changes no size", func(t *testing.T) {
			if err := q.reg.DeleteTag(t.Context(), org+"/b", "v1"); err != nil {
				t.Fatal(err)
			}
			q.must("DELETE", "repository/"+org+"/a/tag/v2", nil, http.StatusNoContent)
			checkSizes(t, map[string]int64{"a": cfg(a1) + 150 + cfg(a2) + 30, "b": cfg(b1) + 170})
			if got := q.tags(org+"/b", true); len(got) != 0 {
				t.Errorf("active tags of b = %+v, want none", got)
			}
			want := []tagEntry{{Name: "v1", ManifestDigest: string(b1.Digest), Size: ptr(int64(170)), EndTS: ptr(int64(0)), Expiration: ptr("")}}
			if diff := cmp.Diff(want, normalizeTags(t, q.tags(org+"/b", false))); diff != "" {
				t.Errorf("deleted tag in the history (-want +got):\n%s", diff)
			}
		}},
		{"Warning accepts the push", func(t *testing.T) {
			w := build(nil, image.Layer{Seed: seed("warn"), Size: limit/2 - ns + 10})
			if err := push("warn", "v1", w); err != nil {
				t.Fatal(err)
			}
			ns += cfg(w) + w.LayersSize()
			checkSizes(t, nil)
		}},
		{"Reject refuses a chunked upload at its closing PUT", func(t *testing.T) {
			size := limit*8/10 - ns + 100 // below the limit before the PUT, over it with the upload's bytes
			c := build(nil, image.Layer{Seed: seed("chunk"), Size: size})
			chunked, err := registrypush.New(q.url, q.user, q.password, registrypush.WithChunkSize(size))
			if err != nil {
				t.Fatal(err)
			}
			_, err = chunked.Push(t.Context(), org+"/chunky", "v1", pushable(c))
			checkDenied(t, err, "PUT", "/v2/"+org+"/chunky/blobs/uploads/")
			if ok, err := q.reg.BlobExists(t.Context(), org+"/chunky", string(c.Layers[0].Digest)); err != nil || ok {
				t.Errorf("refused blob exists: %v, %v", ok, err)
			}
			checkSizes(t, nil)
		}},
		{"Reject refuses at the manifest PUT, and the bytes stay counted", func(t *testing.T) {
			big := build(nil, image.Layer{Seed: seed("big"), Size: limit*8/10 - ns + 10})
			checkDenied(t, push("big", "v1", big), "PUT", "/v2/"+org+"/big/manifests/v1")
			ns += cfg(big) + big.LayersSize()
			checkSizes(t, map[string]int64{"big": cfg(big) + big.LayersSize()})
			if got := q.tags(org+"/big", false); len(got) != 0 {
				t.Errorf("tags of the refused push = %+v, want none", got)
			}
		}},
		{"over Reject, a new blob is refused at POST and an existing manifest at its PUT", func(t *testing.T) {
			a3 := build(nil, base, image.Layer{Seed: seed("a3"), Size: 1})
			checkDenied(t, push("a", "v3", a3), "POST", "/v2/"+org+"/a/blobs/uploads/")
			checkDenied(t, push("a", "again", a1), "PUT", "/v2/"+org+"/a/manifests/again")
			checkSizes(t, map[string]int64{"a": cfg(a1) + 150 + cfg(a2) + 30})
		}},
		{"notifications for the org admins", func(t *testing.T) {
			var body struct {
				Notifications []struct {
					Kind     string         `json:"kind"`
					Metadata map[string]any `json:"metadata"`
				} `json:"notifications"`
			}
			q.getLoose("user/notifications", &body)
			var got []string
			for _, n := range body.Notifications {
				if n.Metadata["namespace"] == org {
					got = append(got, fmt.Sprintf("%s %v", n.Kind, n.Metadata))
				}
			}
			slices.Sort(got)
			want := []string{
				"quota_error map[namespace:" + org + " severity:Reject]",
				"quota_warning map[namespace:" + org + "]",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("notifications (-want +got):\n%s", diff)
			}
		}},
		{"audit log", func(t *testing.T) {
			logs := q.orgLogs(org)
			var got []string
			for _, l := range slices.Backward(logs) {
				m := l.Metadata
				got = append(got, fmt.Sprintf("%s %v %v %v %v", l.Kind, m["repo"], m["tag"], m["mediaType"], m["digest"]))
			}
			docker, list := image.MediaTypeDockerManifest, image.MediaTypeDockerManifestList
			want := []string{
				"org_create <nil> <nil> <nil> <nil>",
				"org_create_quota <nil> <nil> <nil> <nil>",
				"org_create_quota_limit <nil> <nil> <nil> <nil>",
				"org_create_quota_limit <nil> <nil> <nil> <nil>",
				"push_repo a v1 " + docker + " <nil>",
				"push_repo b v1 " + docker + " <nil>",
				"push_repo a v2 " + docker + " <nil>",
				"push_repo a alias " + docker + " <nil>",
				"push_repo multi v1 " + list + " <nil>",
				"delete_tag b v1 <nil> v1",
				"delete_tag a v2 <nil> <nil>",
				"push_repo warn v1 " + docker + " <nil>",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("organization logs, oldest first (-want +got):\n%s", diff)
			}
			var first map[string]any
			for _, l := range logs {
				if l.Kind == "push_repo" && l.Metadata["repo"] == "a" && l.Metadata["tag"] == "v1" {
					first = l.Metadata
				}
			}
			if _, ok := first["resolved_ip"].(map[string]any); !ok {
				t.Errorf("push_repo metadata has no resolved_ip object: %v", first)
			}
			delete(first, "resolved_ip")
			wantMeta := map[string]any{"repo": "a", "namespace": org, "user-agent": "Go-http-client/1.1", "tag": "v1",
				"mediaType": docker, "username": q.user}
			if diff := cmp.Diff(wantMeta, first); diff != "" {
				t.Errorf("push_repo metadata (-want +got):\n%s", diff)
			}
			if !q.inSuperuserLogs("push_repo", wantMeta) {
				t.Errorf("the push_repo entry of %s/a:v1 is not in superuser/logs", org)
			}
		}},
		{"registry size needs its worker", func(t *testing.T) {
			type size struct {
				SizeBytes int64  `json:"size_bytes"`
				LastRan   *int64 `json:"last_ran"`
				Running   bool   `json:"running"`
				Queued    bool   `json:"queued"`
			}
			var before, after size
			q.get("superuser/registrysize/", &before)
			status, body := q.api("POST", "superuser/registrysize/", nil)
			if status != http.StatusCreated && status != http.StatusAccepted {
				t.Fatalf("POST registrysize: %d %s", status, body)
			}
			q.get("superuser/registrysize/", &after)
			want := before
			want.Queued, want.Running = true, false
			if diff := cmp.Diff(want, after); diff != "" {
				t.Errorf("after queueing (-want +got):\n%s", diff)
			}
		}},
		{"getRepo has no size", func(t *testing.T) {
			var repo map[string]any
			q.getLoose("repository/"+org+"/a?includeStats=true", &repo)
			var keys []string
			for k := range repo {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			wantKeys := []string{"can_admin", "can_write", "description", "is_free_account", "is_organization", "is_public",
				"is_starred", "kind", "name", "namespace", "state", "stats", "status_token", "tag_expiration_s", "tags", "trust_enabled"}
			if diff := cmp.Diff(wantKeys, keys); diff != "" {
				t.Errorf("getRepo keys (-want +got):\n%s", diff)
			}
			tags, _ := repo["tags"].(map[string]any)
			v1, _ := tags["v1"].(map[string]any)
			delete(v1, "last_modified")
			want := map[string]any{"name": "v1", "size": float64(150), "manifest_digest": string(a1.Digest)}
			if diff := cmp.Diff(want, v1); diff != "" {
				t.Errorf("getRepo tag (-want +got):\n%s", diff)
			}
		}},
	}
	for _, s := range steps {
		// The helpers fail the step that calls them; steps run one by one.
		ok := t.Run(s.name, func(t *testing.T) { q.t = t; s.run(t) })
		q.t = top
		if !ok {
			return
		}
	}
}

// normalizeTags checks that each tag's dates agree with its timestamps
// and zeroes them, so a want can be written without the clock.
func normalizeTags(t *testing.T, tags []tagEntry) []tagEntry {
	t.Helper()
	format := func(ts int64) string { return time.Unix(ts, 0).UTC().Format("Mon, 02 Jan 2006 15:04:05 -0000") }
	out := slices.Clone(tags)
	for i := range out {
		e := &out[i]
		if e.StartTS == 0 || e.LastModified != format(e.StartTS) {
			t.Errorf("tag %s: last_modified %q for start_ts %d", e.Name, e.LastModified, e.StartTS)
		}
		if e.EndTS != nil {
			if e.Expiration == nil || *e.Expiration != format(*e.EndTS) || *e.EndTS < e.StartTS {
				t.Errorf("tag %s: expiration %v for end_ts %d", e.Name, e.Expiration, *e.EndTS)
			}
			e.EndTS, e.Expiration = ptr(int64(0)), ptr("")
		}
		e.StartTS, e.LastModified = 0, ""
	}
	return out
}

// checkDenied wants Quay's quota refusal, answered to method on a URL
// whose path starts with path.
func checkDenied(t *testing.T, err error, method, path string) {
	t.Helper()
	var e *registrypush.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a registry refusal", err)
	}
	u, perr := url.Parse(e.URL)
	if perr != nil {
		t.Fatal(perr)
	}
	type refusal struct {
		Method, Path, ContentType string
		Status                    int
		Body                      string
	}
	want := refusal{method, path, "application/json", http.StatusForbidden,
		`{"errors":[{"code":"DENIED","detail":{},"message":"Quota has been exceeded on namespace"}]}` + "\n"}
	got := refusal{e.Method, u.Path, e.Header.Get("Content-Type"), e.Status, string(e.Body)}
	if strings.HasPrefix(got.Path, path) {
		got.Path = path
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("refusal (-want +got):\n%s", diff)
	}
}

type logEntry struct {
	Kind     string         `json:"kind"`
	Metadata map[string]any `json:"metadata"`
}

// orgLogs returns every log entry of the organization, newest first.
func (q *quayLive) orgLogs(org string) []logEntry {
	q.t.Helper()
	var out []logEntry
	token := ""
	for range 20 {
		var body struct {
			Logs     []logEntry `json:"logs"`
			NextPage string     `json:"next_page"`
		}
		path := "organization/" + org + "/logs"
		if token != "" {
			path += "?next_page=" + url.QueryEscape(token)
		}
		q.getLoose(path, &body)
		out = append(out, body.Logs...)
		if token = body.NextPage; token == "" {
			break
		}
	}
	return out
}

// inSuperuserLogs reports whether superuser/logs (its default window, the
// last day to the next) has an entry of kind whose metadata includes meta.
func (q *quayLive) inSuperuserLogs(kind string, meta map[string]any) bool {
	q.t.Helper()
	token := ""
	for range 50 {
		var body struct {
			Logs     []logEntry `json:"logs"`
			NextPage string     `json:"next_page"`
		}
		path := "superuser/logs"
		if token != "" {
			path += "?next_page=" + url.QueryEscape(token)
		}
		q.getLoose(path, &body)
		for _, l := range body.Logs {
			if l.Kind != kind {
				continue
			}
			match := true
			for k, v := range meta {
				if !cmp.Equal(l.Metadata[k], v) {
					match = false
				}
			}
			if match {
				return true
			}
		}
		if token = body.NextPage; token == "" {
			return false
		}
	}
	return false
}
