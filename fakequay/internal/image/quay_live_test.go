package image_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay/internal/image"
)

// TestLiveQuayDigests pushes images built by this package into a real
// Quay (see quayLive) and checks that Quay stores and reports exactly the
// bytes and digests the package computed: the registry's
// Docker-Content-Digest, the manifest read back from /v2, the tag's
// manifest_digest, size and is_manifest_list in listRepoTags, and
// getRepoManifest's view of the manifest (endpoints/api/manifest.py
// _manifest_dict), including the layers Quay derives from the config's
// history (an empty_layer step becomes Quay's shared empty layer,
// sha256:a3ed95ca..., 32 bytes).
func TestLiveQuayDigests(t *testing.T) {
	q := liveQuay(t)
	top := t
	repo := q.user + "/imgdigests-" + q.run
	seed := func(s string) string { return q.run + "/" + s }
	epoch := "Thu, 01 Jan 1970 00:00:00 -0000"
	addCmd := func(d image.Digest) []any { return []any{"/bin/sh -c #(nop) ADD file:" + d.Hex() + " in / "} }

	dockerImg, err := image.Build(image.Spec{
		Labels: map[string]string{"com.example.k": "v"},
		Layers: []image.Layer{{Seed: seed("base"), Size: 100}, {Seed: seed("top"), Size: 7}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ociImg, err := image.Build(image.Spec{
		Format: image.OCI, Architecture: "arm64", Variant: "v8",
		Created: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), Author: "alice",
		Layers: []image.Layer{
			{Data: []byte("layer bytes " + q.run)},
			{Seed: seed("oci"), Size: 5, MediaType: "application/vnd.oci.image.layer.v1.tar"},
		},
		History: []image.History{
			{CreatedBy: "ADD x /", Author: "bob", Comment: "first"},
			{CreatedBy: "ENV A=1", EmptyLayer: true},
			{CreatedBy: "COPY y /"},
		},
		Annotations: map[string]string{"org.opencontainers.image.title": "t"},
	})
	if err != nil {
		t.Fatal(err)
	}
	list := func(f image.Format) *image.Index {
		ix, err := image.BuildIndex(image.IndexSpec{Format: f, Manifests: []image.Spec{
			{Format: f, Layers: []image.Layer{{Seed: seed("base"), Size: 100}, {Seed: seed("amd"), Size: 11}}},
			{Format: f, Architecture: "arm64", Variant: "v8", Layers: []image.Layer{{Seed: seed("base"), Size: 100}, {Seed: seed("arm"), Size: 13}}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}

	layer := func(i int, l image.Blob, cmd []any, created string, comment, author any) map[string]any {
		return map[string]any{"index": float64(i), "compressed_size": float64(l.Size), "is_remote": false, "urls": nil,
			"command": cmd, "comment": comment, "author": author, "blob_digest": string(l.Digest), "created_datetime": created}
	}
	imageView := func(img *image.Image, layers ...any) map[string]any {
		return map[string]any{"digest": string(img.Digest), "is_manifest_list": false, "manifest_data": string(img.Bytes),
			"config_media_type": img.Config.MediaType, "layers_compressed_size": float64(img.LayersSize()), "layers": layers}
	}
	listView := func(ix *image.Index) map[string]any {
		return map[string]any{"digest": string(ix.Digest), "is_manifest_list": true, "manifest_data": string(ix.Bytes),
			"config_media_type": nil, "layers_compressed_size": float64(0), "layers": nil}
	}
	created := "Mon, 06 May 2024 07:08:09 -0000"

	type pushed struct {
		tag      string
		manifest image.Manifest
		size     *int64
		isList   bool
		view     map[string]any
		push     func() (string, error)
	}
	dl, ol := list(image.Docker), list(image.OCI)
	cases := []pushed{
		{tag: "docker", manifest: dockerImg.Manifest, size: ptr(int64(107)),
			view: imageView(dockerImg,
				layer(0, dockerImg.Layers[0], addCmd(dockerImg.Layers[0].Digest), epoch, nil, nil),
				layer(1, dockerImg.Layers[1], addCmd(dockerImg.Layers[1].Digest), epoch, nil, nil)),
			push: func() (string, error) { return q.reg.Push(t.Context(), repo, "docker", pushable(dockerImg)) }},
		{tag: "oci", manifest: ociImg.Manifest, size: ptr(ociImg.LayersSize()),
			view: imageView(ociImg,
				layer(0, ociImg.Layers[0], []any{"ADD x /"}, created, "first", "bob"),
				map[string]any{"index": float64(1), "compressed_size": float64(32), "is_remote": false, "urls": nil,
					"command": []any{"ENV A=1"}, "comment": nil, "author": nil, "created_datetime": created,
					"blob_digest": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"},
				layer(2, ociImg.Layers[1], []any{"COPY y /"}, created, nil, nil)),
			push: func() (string, error) { return q.reg.Push(t.Context(), repo, "oci", pushable(ociImg)) }},
		{tag: "dockerlist", manifest: dl.Manifest, isList: true, view: listView(dl),
			push: func() (string, error) { return q.reg.PushIndex(t.Context(), repo, "dockerlist", pushableIndex(dl)) }},
		{tag: "ociindex", manifest: ol.Manifest, isList: true, view: listView(ol),
			push: func() (string, error) { return q.reg.PushIndex(t.Context(), repo, "ociindex", pushableIndex(ol)) }},
	}
	t.Cleanup(func() { q.api("DELETE", "repository/"+repo, nil) })
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			q.t = t // the helpers fail this subtest
			defer func() { q.t = top }()
			d, err := c.push()
			if err != nil {
				t.Fatal(err)
			}
			back, err := q.reg.GetManifest(t.Context(), repo, c.tag)
			if err != nil {
				t.Fatal(err)
			}
			type wire struct{ PushDigest, MediaType, Bytes, Digest string }
			want := wire{string(c.manifest.Digest), c.manifest.MediaType, string(c.manifest.Bytes), string(c.manifest.Digest)}
			if diff := cmp.Diff(want, wire{d, back.MediaType, string(back.Bytes), back.Digest}); diff != "" {
				t.Errorf("registry (-built +quay):\n%s", diff)
			}

			var tag *tagEntry
			for _, e := range q.tags(repo, true) {
				if e.Name == c.tag {
					tag = &e
				}
			}
			if tag == nil {
				t.Fatalf("tag %s not listed", c.tag)
			}
			type tagView struct {
				Digest string
				Size   *int64
				IsList bool
			}
			if diff := cmp.Diff(tagView{string(c.manifest.Digest), c.size, c.isList}, tagView{tag.ManifestDigest, tag.Size, tag.IsManifestList}); diff != "" {
				t.Errorf("listRepoTags (-built +quay):\n%s", diff)
			}

			var view map[string]any
			q.get(fmt.Sprintf("repository/%s/manifest/%s", repo, c.manifest.Digest), &view)
			if diff := cmp.Diff(c.view, view); diff != "" {
				t.Errorf("getRepoManifest (-want +quay):\n%s", diff)
			}
		})
	}
}
