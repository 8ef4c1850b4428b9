package fakequay

import (
	"fmt"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/image"
)

// TestListReposFromContent follows endpoints/api/repository.py
// RepositoryList.get with last_modified and popularity: last_modified is
// registry_oci_model.get_most_recent_tag_lifetime_start (the newest
// alive, visible tag's start, in whole seconds; null without one),
// popularity float(0) (RepositoryActionCount is filled only by Quay's
// action-counter worker), and add_quota_view's quota_bytes the
// repository's QuotaRepositorySize row, which data/model/quota.py
// update_sizes keeps at each manifest creation: a blob counts once per
// repository, whichever other repository of the namespace has it too, and
// deleting tags changes nothing. The same pushes were compared with real
// Quay's answers by fakequay/internal/image TestLiveQuayListViewsFromContent.
func TestListReposFromContent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	spec := func(layers ...LayerSpec) ImageSpec { return ImageSpec{Layers: layers} }
	base := LayerSpec{Seed: "base", Size: 100}
	a1 := spec(base, LayerSpec{Seed: "a1", Size: 50})
	b1 := spec(base, LayerSpec{Seed: "b1", Size: 70})
	a2 := spec(base, LayerSpec{Seed: "a2", Size: 30})
	cfg := func(sp ImageSpec) int64 {
		s, err := sp.build()
		if err != nil {
			t.Fatal(err)
		}
		img, err := image.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		return img.Config.Size
	}
	push := func(repo, tag string, sp ImageSpec) {
		if _, err := h.s.PushImage("alice", repo, tag, sp); err != nil {
			t.Fatal(err)
		}
		h.s.Advance(10 * time.Second)
	}
	t0 := fixtureTime.Unix()
	entry := func(name string, lastModified any, size int64) string {
		lm := "null"
		if lastModified != nil {
			lm = fmt.Sprint(lastModified)
		}
		desc := "null" // a push creates the repository without one
		if name == "empty" {
			desc = `""` // createRepo's
		}
		return fmt.Sprintf(`{"namespace": "alice", "name": %q, "description": %s, "is_public": false, "kind": "image", "state": "NORMAL", `+
			`"last_modified": %s, "popularity": 0.0, "is_starred": false, "quota_report": {"quota_bytes": %d, "configured_quota": null}}`, name, desc, lm, size)
	}
	list := func(entries ...string) reply {
		body := `{"repositories": [`
		for i, e := range entries {
			if i > 0 {
				body += ", "
			}
			body += e
		}
		return jsonReply(200, body+`]}`)
	}
	const path = "/api/v1/repository?namespace=alice&last_modified=true&popularity=true"
	sizeA := cfg(a1) + 150
	steps := []struct {
		name string
		do   func()
		want reply
	}{
		{"no repositories", func() {}, list()},
		{"a repository created empty: no tag, no size row", func() {
			h.do("POST", "/api/v1/repository", tokAlice, `{"namespace": "alice", "repository": "empty", "visibility": "private", "description": ""}`)
		}, list(entry("empty", nil, 0))},
		{"a first push", func() { push("a", "v1", a1) }, list(entry("empty", nil, 0), entry("a", t0, sizeA))},
		{"a shared blob counts again in another repository", func() { push("b", "v1", b1) },
			list(entry("empty", nil, 0), entry("a", t0, sizeA), entry("b", t0+10, cfg(b1)+170))},
		{"a second manifest adds its new blobs", func() { push("a", "v2", a2) },
			list(entry("empty", nil, 0), entry("a", t0+20, sizeA+cfg(a2)+30), entry("b", t0+10, cfg(b1)+170))},
		{"an existing manifest under a new tag moves last_modified only", func() { push("a", "latest", a1) },
			list(entry("empty", nil, 0), entry("a", t0+30, sizeA+cfg(a2)+30), entry("b", t0+10, cfg(b1)+170))},
		{"deleting the newest tag: the next newest, sizes kept", func() { h.do("DELETE", "/api/v1/repository/alice/a/tag/latest", tokAlice, "") },
			list(entry("empty", nil, 0), entry("a", t0+20, sizeA+cfg(a2)+30), entry("b", t0+10, cfg(b1)+170))},
		{"no alive tag: null", func() { h.do("DELETE", "/api/v1/repository/alice/b/tag/v1", tokAlice, "") },
			list(entry("empty", nil, 0), entry("a", t0+20, sizeA+cfg(a2)+30), entry("b", nil, cfg(b1)+170))},
	}
	for _, st := range steps {
		st.do()
		got := h.do("GET", path, tokAlice, "")
		if got != st.want {
			checkReply(t, st.want, got)
			t.Fatalf("after %q", st.name)
		}
	}
}
