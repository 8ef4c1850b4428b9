package contract

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/quay"
)

// The tag and label cases: endpoints/api/tag.py (RepositoryTag.put and
// delete, RestoreTag.post, ListRepositoryTags.get) and manifest.py
// (RepositoryManifestLabels, ManageRepositoryManifestLabel), with
// data/model/oci/tag.py and label.py. They push two images into a new
// repository of the Superuser token's user (Target.Push), tagged v0 and
// v1, and work there as that user.

// content pushes two images into a new repository of the superuser's own
// namespace and returns the namespace, the repository and the two
// manifests' digests; the repository is deleted when t ends.
func (e *env) content(t *testing.T) (ns, repo string, digests [2]string) {
	t.Helper()
	if e.tgt.Push == nil {
		t.Skip("the target offers no way to push images (Target.Push; live: QUAY_REGISTRY_USER and QUAY_REGISTRY_PASSWORD)")
	}
	me, _, err := e.quayClient(t, Superuser).Users.Current(t.Context())
	wantNoError(t, "Users.Current", err)
	ns, repo = me.Username, e.name("content")
	t.Cleanup(func() { _, _ = e.quayClient(t, Superuser).Repositories.Delete(t.Context(), ns, repo) })
	for i := range digests {
		d, err := e.tgt.Push(t.Context(), ns, repo, []string{"v0", "v1"}[i], i)
		wantNoError(t, "pushing an image", err)
		digests[i] = d
	}
	return ns, repo, digests
}

// tagRow is a row of a tag's history.
type tagRow struct {
	Digest           string
	Alive, Reversion bool
}

// tagHistory is a tag's rows, the alive one first. (Quay lists newest
// first, by lifetime_start_ms and then by name: rows that start in the
// same millisecond, as on a fake whose clock stands still, come in
// either order.)
func (e *env) tagHistory(t *testing.T, ns, repo, tag string) []tagRow {
	t.Helper()
	tags, _, err := e.quayClient(t, Superuser).Tags.List(t.Context(), ns, repo, &quay.TagListOptions{SpecificTag: tag})
	wantNoError(t, "Tags.List", err)
	out := []tagRow{}
	for _, tg := range tags {
		out = append(out, tagRow{Digest: tg.ManifestDigest, Alive: tg.EndTS == 0, Reversion: tg.Reversion})
	}
	slices.SortStableFunc(out, func(a, b tagRow) int {
		if a.Alive != b.Alive {
			if a.Alive {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Digest, b.Digest)
	})
	return out
}

// activeTags lists the names of the repository's alive tags, as
// listRepoTags?onlyActiveTags=true gives them.
func (e *env) activeTags(t *testing.T, ns, repo string) []string {
	t.Helper()
	active, _, err := e.quayClient(t, Superuser).Tags.List(t.Context(), ns, repo, &quay.TagListOptions{OnlyActiveTags: true})
	wantNoError(t, "Tags.List", err)
	var names []string
	for _, tg := range active {
		names = append(names, tg.Name)
	}
	return names
}

func contentCases() []testCase {
	const tagError = `Invalid tag: must match [A-Za-z0-9_.-], NOT start with "." or "-", and can contain 1-128 characters`
	return []testCase{
		{op: "changeTag", name: "tag.py:163 a new tag points at a manifest; a move ends the old row", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			tags := e.quayClient(t, Superuser).Tags
			_, err := tags.Move(t.Context(), ns, repo, "t1", d[0])
			wantNoError(t, "Move (create)", err)
			if diff := cmp.Diff([]tagRow{{Digest: d[0], Alive: true}}, e.tagHistory(t, ns, repo, "t1")); diff != "" {
				t.Errorf("history after the create (-want +got):\n%s", diff)
			}
			_, err = tags.Move(t.Context(), ns, repo, "t1", d[1])
			wantNoError(t, "Move", err)
			if diff := cmp.Diff([]tagRow{{Digest: d[1], Alive: true}, {Digest: d[0]}}, e.tagHistory(t, ns, repo, "t1")); diff != "" {
				t.Errorf("history after the move (-want +got):\n%s", diff)
			}
		}},
		{op: "changeTag", name: "tag.py:163 an unknown manifest is 404; a name TAG_REGEX refuses is a 400 message", run: func(t *testing.T, e *env) {
			ns, repo, _ := e.content(t)
			tags := e.quayClient(t, Superuser).Tags
			_, err := tags.Move(t.Context(), ns, repo, "t1", "sha256:"+zeros64)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, err = tags.Move(t.Context(), ns, repo, "-bad", "sha256:"+zeros64)
			wantMessage(t, err, tagError)
		}},
		{op: "changeTag", name: "tag.py:163 a user without write access gets 403", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			_, err := e.quayClient(t, NormalUser).Tags.Move(t.Context(), ns, repo, "t1", d[0])
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "deleteFullTag", name: "tag.py:221 204, the row ends; a tag that is not alive is 404", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			tags := e.quayClient(t, Superuser).Tags
			_, err := tags.Delete(t.Context(), ns, repo, "v0")
			wantNoError(t, "Delete", err)
			if diff := cmp.Diff([]tagRow{{Digest: d[0]}}, e.tagHistory(t, ns, repo, "v0")); diff != "" {
				t.Errorf("history after the delete (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"v1"}, e.activeTags(t, ns, repo)); diff != "" {
				t.Errorf("active tags (-want +got):\n%s", diff)
			}
			_, err = tags.Delete(t.Context(), ns, repo, "v0")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "restoreTag", name: "tag.py:296 a deleted tag comes back as a reversion row", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			tags := e.quayClient(t, Superuser).Tags
			_, err := tags.Delete(t.Context(), ns, repo, "v0")
			wantNoError(t, "Delete", err)
			_, err = tags.Restore(t.Context(), ns, repo, "v0", d[0])
			wantNoError(t, "Restore", err)
			if diff := cmp.Diff([]tagRow{{Digest: d[0], Alive: true, Reversion: true}, {Digest: d[0]}}, e.tagHistory(t, ns, repo, "v0")); diff != "" {
				t.Errorf("history after the restore (-want +got):\n%s", diff)
			}
		}},
		{op: "restoreTag", name: "tag.py:296 an unknown manifest is 404", run: func(t *testing.T, e *env) {
			ns, repo, _ := e.content(t)
			_, err := e.quayClient(t, Superuser).Tags.Restore(t.Context(), ns, repo, "v0", "sha256:"+zeros64)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "listRepoTags", name: "tag.py:60 All pages through every tag", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			tags := e.quayClient(t, Superuser).Tags
			_, err := tags.Move(t.Context(), ns, repo, "v2", d[1])
			wantNoError(t, "Move", err)
			var names []string
			for tg, err := range tags.All(t.Context(), ns, repo, &quay.TagListOptions{Limit: 1}) {
				wantNoError(t, "All", err)
				names = append(names, tg.Name)
			}
			slices.Sort(names) // newest first, which a fake's standing clock makes a tie
			if diff := cmp.Diff([]string{"v0", "v1", "v2"}, names); diff != "" {
				t.Errorf("All (-want +got):\n%s", diff)
			}
		}},
		{op: "removeTagFromTimemachine", name: "tag.py:345 an alive tag is purged; ended rows need a manifest_digest; none of it is 404", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			tags := e.quayClient(t, Superuser).Tags
			_, err := tags.Purge(t.Context(), ns, repo, "v0", quay.PurgeTagRequest{Alive: true})
			wantNoError(t, "Purge alive", err)
			if diff := cmp.Diff([]string{"v1"}, e.activeTags(t, ns, repo)); diff != "" {
				t.Errorf("active tags after the purge (-want +got):\n%s", diff)
			}
			// The client refuses this request itself; sent raw, Quay's answer.
			err = e.do(t, Superuser, "POST", "repository/"+ns+"/"+repo+"/tag/v1/expire", map[string]any{"is_alive": false}, nil)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "manifest_digest required when is_alive set to false"})
			_, err = tags.Purge(t.Context(), ns, repo, "v1", quay.PurgeTagRequest{ManifestDigest: d[1]})
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getRepoManifest", name: "manifest.py:73 a pushed manifest's view; an unknown digest is 404", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			m := e.quayClient(t, Superuser).Manifests
			got, _, err := m.Get(t.Context(), ns, repo, d[0], nil)
			wantNoError(t, "Get", err)
			if got.Digest != d[0] || got.IsManifestList || got.ConfigMediaType != "application/vnd.docker.container.image.v1+json" ||
				len(got.Layers) != 1 || got.ManifestData == "" {
				t.Errorf("Get = digest %s list %v config %q, %d layers, %d bytes of manifest; want %s, one layer",
					got.Digest, got.IsManifestList, got.ConfigMediaType, len(got.Layers), len(got.ManifestData), d[0])
			}
			_, _, err = m.Get(t.Context(), ns, repo, "sha256:"+zeros64, nil)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "addManifestLabel", name: "manifest.py:154 a label is added, listed, read and deleted; then it is 404", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			m := e.quayClient(t, Superuser).Manifests
			added, _, err := m.AddLabel(t.Context(), ns, repo, d[0], quay.AddLabelRequest{Key: "env", Value: "prod"})
			wantNoError(t, "AddLabel", err)
			want := quay.Label{ID: added.ID, Key: "env", Value: "prod", SourceType: "api", MediaType: "text/plain"}
			if diff := cmp.Diff(want, added); diff != "" {
				t.Errorf("AddLabel (-want +got):\n%s", diff)
			}
			list, _, err := m.ListLabels(t.Context(), ns, repo, d[0], nil)
			wantNoError(t, "ListLabels", err)
			if diff := cmp.Diff([]quay.Label{want}, list); diff != "" {
				t.Errorf("ListLabels (-want +got):\n%s", diff)
			}
			got, _, err := m.GetLabel(t.Context(), ns, repo, d[0], added.ID)
			wantNoError(t, "GetLabel", err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GetLabel (-want +got):\n%s", diff)
			}
			_, err = m.DeleteLabel(t.Context(), ns, repo, d[0], added.ID)
			wantNoError(t, "DeleteLabel", err)
			_, _, err = m.GetLabel(t.Context(), ns, repo, d[0], added.ID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, err = m.DeleteLabel(t.Context(), ns, repo, d[0], added.ID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "addManifestLabel", name: "manifest.py:154 a key outside the label format is a 400 message", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			_, _, err := e.quayClient(t, Superuser).Manifests.AddLabel(t.Context(), ns, repo, d[0], quay.AddLabelRequest{Key: "Bad", Value: "x"})
			wantMessage(t, err, "Label is of an invalid format or missing please use "+
				`^[a-z0-9](([a-z0-9]|[-.](?![.-]))*[a-z0-9])?$`+" format for labels")
		}},
		{op: "listManifestLabels", name: "manifest.py:110 an unknown manifest is 404; a stranger gets 403", run: func(t *testing.T, e *env) {
			ns, repo, d := e.content(t)
			_, _, err := e.quayClient(t, Superuser).Manifests.ListLabels(t.Context(), ns, repo, "sha256:"+zeros64, nil)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, _, err = e.quayClient(t, NormalUser).Manifests.ListLabels(t.Context(), ns, repo, d[0], nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
	}
}

const zeros64 = "0000000000000000000000000000000000000000000000000000000000000000"
