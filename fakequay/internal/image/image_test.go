package image

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The want values of this file were printed by testdata/independent.py, a
// second implementation of the byte layouts in Python (json.dumps with
// indent=3 for manifests, compact JSON for configs, hashlib for digests,
// the cryptography package's AES-CTR for generated layers). The Docker
// list's amd64 child is also what real Quay accepted and reported as
// sha256:51593ff3... in the measurements of quay_live_test.go.

// imageView is everything a built image exposes, for one cmp.Diff.
type imageView struct {
	MediaType  string
	Manifest   string
	Digest     Digest
	Config     Descriptor
	ConfigJSON string
	Layers     []Descriptor
	LayersSize int64
	Platform   Platform
	Labels     map[string]string
}

func viewOf(img *Image) imageView {
	v := imageView{
		MediaType: img.MediaType, Manifest: string(img.Bytes), Digest: img.Digest,
		Config: img.Config.Descriptor, ConfigJSON: string(img.Config.Bytes()),
		LayersSize: img.LayersSize(), Platform: img.Platform, Labels: img.Labels,
	}
	for _, l := range img.Layers {
		v.Layers = append(v.Layers, l.Descriptor)
	}
	return v
}

func TestBuild(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec Spec
		want imageView
	}{
		{
			name: "docker, one generated layer, labels",
			spec: Spec{
				Labels: map[string]string{"foo": "bar", "com.example.a": "1"},
				Layers: []Layer{{Seed: "base", Size: 100}},
			},
			want: imageView{
				MediaType: MediaTypeDockerManifest,
				Manifest:  dockerSimpleManifest,
				Digest:    "sha256:42e192c321163e22d7081cd70a4fd3357c0e5fac636a59a5e5a4656e1315bd71",
				Config: Descriptor{MediaType: MediaTypeDockerConfig, Size: 398,
					Digest: "sha256:ee820356dbd1cd7e0c275bfd34500f27216657f55ea31b5410d2e4ba3e931c8c"},
				ConfigJSON: dockerSimpleConfig,
				Layers: []Descriptor{{MediaType: MediaTypeDockerLayer, Size: 100,
					Digest: "sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1"}},
				LayersSize: 100,
				Platform:   Platform{Architecture: "amd64", OS: "linux"},
				Labels:     map[string]string{"foo": "bar", "com.example.a": "1"},
			},
		},
		{
			name: "oci, data and generated layers, explicit history, annotations",
			spec: Spec{
				Format: OCI, Architecture: "arm64", Variant: "v8",
				Created: time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
				Author:  "alice", Cmd: []string{"/app"}, Env: []string{"A=1", "PATH=/bin"},
				Layers: []Layer{
					{Data: []byte("hello, layer")},
					{Seed: "app", Size: 33, MediaType: "application/vnd.oci.image.layer.v1.tar",
						DiffID:      "sha256:abababababababababababababababababababababababababababababababab",
						Annotations: map[string]string{"org.example.layer": "app"}},
				},
				History: []History{
					{Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)).Add(time.Hour), CreatedBy: "ADD rootfs.tar /", Author: "alice", Comment: "base"},
					{CreatedBy: "ENV A=1", EmptyLayer: true},
					{CreatedBy: "COPY app /app"},
				},
				Annotations: map[string]string{"org.opencontainers.image.title": "x"},
			},
			want: imageView{
				MediaType: MediaTypeOCIManifest,
				Manifest:  ociFullManifest,
				Digest:    "sha256:db9355128c283ba714de10f013628d569558911db89d086c34d879118aae6d93",
				Config: Descriptor{MediaType: MediaTypeOCIConfig, Size: 626,
					Digest: "sha256:9faa2e9a874b6fba672fb52405e0345d0942f6df7739a276db5be8e0ee1b8a72"},
				ConfigJSON: ociFullConfig,
				Layers: []Descriptor{
					{MediaType: MediaTypeOCILayer, Size: 12,
						Digest: "sha256:e4943350e8b6650afd257bd0f1e428f302d42f763d9df25e4501fba4710923cc"},
					{MediaType: "application/vnd.oci.image.layer.v1.tar", Size: 33,
						Digest:      "sha256:237267bc0ec1a729c681d6801da460d042b1496fe357d1506b7bbf9c19990a8d",
						Annotations: map[string]string{"org.example.layer": "app"}},
				},
				LayersSize: 45,
				Platform:   Platform{Architecture: "arm64", OS: "linux", Variant: "v8"},
			},
		},
		{
			name: "no layers",
			spec: Spec{},
			want: imageView{
				MediaType: MediaTypeDockerManifest,
				Manifest:  emptyManifest,
				Digest:    "sha256:26e9daa7f2463f4a0516fe94bf90e3d1c982f17178db6cd95cbb6912124b0963",
				Config: Descriptor{MediaType: MediaTypeDockerConfig, Size: 136,
					Digest: "sha256:43d65cad288976228570ed0a4ddc5f7da9986f371ded39cb7bd78355d007bac0"},
				ConfigJSON: emptyConfig,
				Platform:   Platform{Architecture: "amd64", OS: "linux"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, err := Build(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, viewOf(img)); diff != "" {
				t.Errorf("Build (-want +got):\n%s", diff)
			}
			again, err := Build(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(viewOf(img), viewOf(again)); diff != "" {
				t.Errorf("a second Build of the same spec differs (-first +second):\n%s", diff)
			}
		})
	}
}

// TestBuildIndex pins a Docker manifest list and an OCI index over two
// platforms that share their base layer.
func TestBuildIndex(t *testing.T) {
	t.Parallel()
	child := func(f Format, arch, variant, seed string, size int64) Spec {
		return Spec{Format: f, Architecture: arch, Variant: variant,
			Layers: []Layer{{Seed: "base", Size: 100}, {Seed: seed, Size: size}}}
	}
	type indexView struct {
		MediaType  string
		Manifest   string
		Digest     Digest
		Children   []Descriptor
		ChildBytes []string
	}
	tests := []struct {
		name string
		spec IndexSpec
		want indexView
	}{
		{
			name: "docker manifest list",
			spec: IndexSpec{Manifests: []Spec{child(Docker, "amd64", "", "m1", 40), child(Docker, "arm64", "v8", "m2", 60)}},
			want: indexView{
				MediaType: MediaTypeDockerManifestList,
				Manifest:  dockerList,
				Digest:    "sha256:40450247f64764ff4bb540e49ab2e0bfbf2e4900b96c7ddcf8f7f1ce919990c2",
				Children: []Descriptor{
					{MediaType: MediaTypeDockerManifest, Size: 729, Platform: &Platform{Architecture: "amd64", OS: "linux"},
						Digest: "sha256:51593ff36e13c37f880280bff519ca8beebb60220fea66dec688f087e2745ad5"},
					{MediaType: MediaTypeDockerManifest, Size: 729, Platform: &Platform{Architecture: "arm64", OS: "linux", Variant: "v8"},
						Digest: "sha256:dcf41bbcf13a24aab90bdb2874326b512fe82c5d81ec913b266d6adba5a3ee63"},
				},
				ChildBytes: []string{dockerListAmd64, dockerListArm64},
			},
		},
		{
			name: "oci index with annotations",
			spec: IndexSpec{Format: OCI, Manifests: []Spec{child(OCI, "amd64", "", "m1", 40), child(OCI, "arm64", "v8", "m2", 60)},
				Annotations: map[string]string{"org.opencontainers.image.ref.name": "v1"}},
			want: indexView{
				MediaType: MediaTypeOCIIndex,
				Manifest:  ociIndex,
				Digest:    "sha256:cc7e3abb5924e2e932aca5d51dcbab83a2d6842c28fec8141bd883be0aaad870",
				Children: []Descriptor{
					{MediaType: MediaTypeOCIManifest, Size: 701, Platform: &Platform{Architecture: "amd64", OS: "linux"},
						Digest: "sha256:d6ef93a9cf717231e70d1d14db1a89f772acf82f15254c049793d5332cc3102f"},
					{MediaType: MediaTypeOCIManifest, Size: 701, Platform: &Platform{Architecture: "arm64", OS: "linux", Variant: "v8"},
						Digest: "sha256:68e86a1cd78f82af46d11841bfb63e75b546f7f00f597c4052b42d59f7b6d661"},
				},
				ChildBytes: []string{ociIndexAmd64, ociIndexArm64},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ix, err := BuildIndex(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			got := indexView{MediaType: ix.MediaType, Manifest: string(ix.Bytes), Digest: ix.Digest,
				Children: ix.Children(), ChildBytes: []string{string(ix.Manifests[0].Bytes), string(ix.Manifests[1].Bytes)}}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("BuildIndex (-want +got):\n%s", diff)
			}
			// The children share the base layer's blob.
			if a, b := ix.Manifests[0].Layers[0].Digest, ix.Manifests[1].Layers[0].Digest; a != b {
				t.Errorf("base layers differ: %s, %s", a, b)
			}
		})
	}
}

// TestDigestsAreOverTheBytes checks, for every blob and manifest of a
// build, that the digest and size are those of the exact content.
func TestDigestsAreOverTheBytes(t *testing.T) {
	t.Parallel()
	ix, err := BuildIndex(IndexSpec{Format: OCI, Manifests: []Spec{
		{Format: OCI, Layers: []Layer{{Seed: "x", Size: 70000}, {Data: []byte{0, 1, 2}}, {Seed: "", Size: 0}}},
		{Format: OCI, Architecture: "s390x", Layers: []Layer{{Seed: "y", Size: 1}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	type check struct {
		Digest Digest
		Size   int64
	}
	sum := func(b []byte) check {
		s := sha256.Sum256(b)
		return check{Digest("sha256:" + hex.EncodeToString(s[:])), int64(len(b))}
	}
	var want, got []check
	want = append(want, sum(ix.Bytes))
	got = append(got, check{ix.Digest, int64(len(ix.Bytes))})
	for i, m := range ix.Manifests {
		want = append(want, sum(m.Bytes))
		got = append(got, check{ix.Children()[i].Digest, ix.Children()[i].Size})
		for _, b := range m.Blobs() {
			streamed, err := io.ReadAll(b.Reader())
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, sum(streamed), sum(b.Bytes()))
			got = append(got, check{b.Digest, b.Size}, check{b.Digest, b.Size})
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("digests (-content +stated):\n%s", diff)
	}
}

// TestFiller pins generated layer content: the AES-256-CTR keystream under
// sha256(seed), as testdata/independent.py computes it.
func TestFiller(t *testing.T) {
	t.Parallel()
	prefix := make([]byte, 48)
	io.ReadFull(newFiller("base"), prefix)
	if got, want := hex.EncodeToString(prefix), "1a5798d66636a2c204ce27fd53696e18ccdecee286194c5fa8c127f47c00a8665bcb91f9b5aaa857ef20969b27573d1f"; got != want {
		t.Errorf("filler(base)[:48] = %s, want %s", got, want)
	}
	tests := []struct {
		seed string
		size int64
		want Digest
	}{
		{"", 0, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"", 1, "sha256:6d90fbacc073ee0b4c43f3a3291cecda33764f6d66d14224ad60f471f2c8334b"},
		{"base", 16, "sha256:eb1f639b5360f19da61b7782636d09f46877bd98b5072339e5a7e27d2803392d"},
		{"base", 17, "sha256:d0e6fd6d910a1ed3e8d1864d3023b947e603d7f18a385d1e5d5cf0f8ebee524a"},
		{"base", 100, "sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1"},
		{"big", 1 << 20, "sha256:75486690e734e13d716763f98ed5a97a8ad73e5f21a0a9f94e851e62a2ded29e"},
	}
	for _, tt := range tests {
		img, err := Build(Spec{Layers: []Layer{{Seed: tt.seed, Size: tt.size}}})
		if err != nil {
			t.Fatal(err)
		}
		got := []Digest{img.Layers[0].Digest, DigestOf(img.Layers[0].Bytes())}
		if diff := cmp.Diff([]Digest{tt.want, tt.want}, got); diff != "" {
			t.Errorf("seed %q size %d: digest (stated, of content) (-want +got):\n%s", tt.seed, tt.size, diff)
		}
	}
}

func TestBuildInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{"unknown format", Spec{Format: 7}, "image: invalid spec: unknown format 7"},
		{"docker annotations", Spec{Annotations: map[string]string{"a": "b"}}, "image: invalid spec: a Docker schema 2 manifest has no annotations"},
		{"docker layer annotations", Spec{Layers: []Layer{{Annotations: map[string]string{"a": "b"}}}}, "image: invalid spec: layer 0: a Docker schema 2 layer has no annotations"},
		{"data and seed", Spec{Layers: []Layer{{Data: []byte("x"), Seed: "s"}}}, "image: invalid spec: layer 0: both Data and Seed"},
		{"data and other size", Spec{Layers: []Layer{{Data: []byte("x"), Size: 2}}}, "image: invalid spec: layer 0: Size 2 but 1 bytes of Data"},
		{"negative size", Spec{Layers: []Layer{{}, {Size: -1}}}, "image: invalid spec: layer 1: negative Size -1"},
		{"history shorter", Spec{Layers: []Layer{{}, {}}, History: []History{{}, {EmptyLayer: true}}}, "image: invalid spec: History has 1 non-empty entries for 2 layers"},
		{"history longer", Spec{History: []History{{}}}, "image: invalid spec: History has 1 non-empty entries for 0 layers"},
		{"empty layer history", Spec{Layers: []Layer{{History: History{EmptyLayer: true}}}}, "image: invalid spec: layer 0: a layer's own History cannot be an empty layer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, err := Build(tt.spec)
			if img != nil || err == nil {
				t.Fatalf("Build = %v, %v; want an error", img, err)
			}
			if !errors.Is(err, ErrInvalidSpec) || err.Error() != tt.want {
				t.Errorf("error = %q (Is ErrInvalidSpec: %v), want %q", err, errors.Is(err, ErrInvalidSpec), tt.want)
			}
		})
	}
}

func TestBuildIndexInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec IndexSpec
		want string
	}{
		{"unknown format", IndexSpec{Format: -1}, "image: invalid spec: unknown format -1"},
		{"docker annotations", IndexSpec{Annotations: map[string]string{"a": "b"}}, "image: invalid spec: a Docker manifest list has no annotations"},
		{"oci child in docker list", IndexSpec{Manifests: []Spec{{}, {Format: OCI}}}, "image: invalid spec: manifest 1 is oci in a docker list"},
		{"bad child", IndexSpec{Manifests: []Spec{{Layers: []Layer{{Size: -5}}}}}, "manifest 0: image: invalid spec: layer 0: negative Size -5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ix, err := BuildIndex(tt.spec)
			if ix != nil || err == nil {
				t.Fatalf("BuildIndex = %v, %v; want an error", ix, err)
			}
			if !errors.Is(err, ErrInvalidSpec) || err.Error() != tt.want {
				t.Errorf("error = %q (Is ErrInvalidSpec: %v), want %q", err, errors.Is(err, ErrInvalidSpec), tt.want)
			}
		})
	}
}

// TestAccessors checks the helpers the fake reads: blob order, a list
// entry's descriptor, and that a Spec's maps are not shared with the image.
func TestAccessors(t *testing.T) {
	t.Parallel()
	labels := map[string]string{"k": "v"}
	img, err := Build(Spec{Labels: labels, Layers: []Layer{{Seed: "a", Size: 3}, {Seed: "b", Size: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	labels["k"] = "changed"
	type view struct {
		Blobs      []Digest
		Descriptor Descriptor
		Labels     map[string]string
		Hex        string
		Format     string
	}
	got := view{Descriptor: img.Descriptor(), Labels: img.Labels, Hex: img.Digest.Hex(), Format: img.Format.String() + "," + OCI.String() + "," + Format(9).String()}
	for _, b := range img.Blobs() {
		got.Blobs = append(got.Blobs, b.Digest)
	}
	want := view{
		Blobs: []Digest{img.Layers[0].Digest, img.Layers[1].Digest, img.Config.Digest},
		Descriptor: Descriptor{MediaType: MediaTypeDockerManifest, Digest: img.Digest, Size: int64(len(img.Bytes)),
			Platform: &Platform{Architecture: "amd64", OS: "linux"}},
		Labels: map[string]string{"k": "v"},
		Hex:    string(img.Digest)[len("sha256:"):],
		Format: "docker,oci,Format(9)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Byte layouts printed by testdata/independent.py.
const (
	// docker-simple config: 398 bytes, sha256:ee820356dbd1cd7e0c275bfd34500f27216657f55ea31b5410d2e4ba3e931c8c
	dockerSimpleConfig = `{"architecture":"amd64","config":{"Labels":{"com.example.a":"1","foo":"bar"}},"created":"1970-01-01T00:00:00Z","history":[{"created":"1970-01-01T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1 in / "}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1"]}}`

	// docker-simple manifest: 523 bytes, sha256:42e192c321163e22d7081cd70a4fd3357c0e5fac636a59a5e5a4656e1315bd71
	dockerSimpleManifest = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 398,
      "digest": "sha256:ee820356dbd1cd7e0c275bfd34500f27216657f55ea31b5410d2e4ba3e931c8c"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 100,
         "digest": "sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1"
      }
   ]
}`

	// oci-full config: 626 bytes, sha256:9faa2e9a874b6fba672fb52405e0345d0942f6df7739a276db5be8e0ee1b8a72
	ociFullConfig = `{"architecture":"arm64","author":"alice","config":{"Cmd":["/app"],"Env":["A=1","PATH=/bin"]},"created":"2024-05-06T07:08:09.123456789Z","history":[{"created":"2024-01-02T03:04:05Z","created_by":"ADD rootfs.tar /","author":"alice","comment":"base"},{"created":"2024-05-06T07:08:09.123456789Z","created_by":"ENV A=1","empty_layer":true},{"created":"2024-05-06T07:08:09.123456789Z","created_by":"COPY app /app"}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:e4943350e8b6650afd257bd0f1e428f302d42f763d9df25e4501fba4710923cc","sha256:abababababababababababababababababababababababababababababababab"]},"variant":"v8"}`

	// oci-full manifest: 842 bytes, sha256:db9355128c283ba714de10f013628d569558911db89d086c34d879118aae6d93
	ociFullManifest = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.oci.image.manifest.v1+json",
   "config": {
      "mediaType": "application/vnd.oci.image.config.v1+json",
      "digest": "sha256:9faa2e9a874b6fba672fb52405e0345d0942f6df7739a276db5be8e0ee1b8a72",
      "size": 626
   },
   "layers": [
      {
         "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
         "digest": "sha256:e4943350e8b6650afd257bd0f1e428f302d42f763d9df25e4501fba4710923cc",
         "size": 12
      },
      {
         "mediaType": "application/vnd.oci.image.layer.v1.tar",
         "digest": "sha256:237267bc0ec1a729c681d6801da460d042b1496fe357d1506b7bbf9c19990a8d",
         "size": 33,
         "annotations": {
            "org.example.layer": "app"
         }
      }
   ],
   "annotations": {
      "org.opencontainers.image.title": "x"
   }
}`

	// empty config: 136 bytes, sha256:43d65cad288976228570ed0a4ddc5f7da9986f371ded39cb7bd78355d007bac0
	emptyConfig = `{"architecture":"amd64","config":{},"created":"1970-01-01T00:00:00Z","history":[],"os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`

	// empty manifest: 313 bytes, sha256:26e9daa7f2463f4a0516fe94bf90e3d1c982f17178db6cd95cbb6912124b0963
	emptyManifest = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 136,
      "digest": "sha256:43d65cad288976228570ed0a4ddc5f7da9986f371ded39cb7bd78355d007bac0"
   },
   "layers": []
}`

	// docker-list child amd64: 729 bytes, sha256:51593ff36e13c37f880280bff519ca8beebb60220fea66dec688f087e2745ad5
	dockerListAmd64 = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 578,
      "digest": "sha256:ba549e167ad77e448c5345c4244f247d1cc92afcf86d26cef476f85332906c60"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 100,
         "digest": "sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1"
      },
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 40,
         "digest": "sha256:529e146f8d694ebd08bf59f14ce821361453888fb3a3d8db438be35fe0c60895"
      }
   ]
}`

	// docker-list child arm64: 729 bytes, sha256:dcf41bbcf13a24aab90bdb2874326b512fe82c5d81ec913b266d6adba5a3ee63
	dockerListArm64 = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 593,
      "digest": "sha256:47af5d8c379f53384a357d6e2dca94fbecb8cac31c2fc75a0b670f808dc6f967"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 100,
         "digest": "sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1"
      },
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 60,
         "digest": "sha256:bbf7feb8d8f3f33085809499de2b45517c3a882fb9e3d470a271dc26297bb689"
      }
   ]
}`

	// docker-list list: 770 bytes, sha256:40450247f64764ff4bb540e49ab2e0bfbf2e4900b96c7ddcf8f7f1ce919990c2
	dockerList = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
   "manifests": [
      {
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "size": 729,
         "digest": "sha256:51593ff36e13c37f880280bff519ca8beebb60220fea66dec688f087e2745ad5",
         "platform": {
            "architecture": "amd64",
            "os": "linux"
         }
      },
      {
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "size": 729,
         "digest": "sha256:dcf41bbcf13a24aab90bdb2874326b512fe82c5d81ec913b266d6adba5a3ee63",
         "platform": {
            "architecture": "arm64",
            "os": "linux",
            "variant": "v8"
         }
      }
   ]
}`

	// oci-index child amd64: 701 bytes, sha256:d6ef93a9cf717231e70d1d14db1a89f772acf82f15254c049793d5332cc3102f
	ociIndexAmd64 = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.oci.image.manifest.v1+json",
   "config": {
      "mediaType": "application/vnd.oci.image.config.v1+json",
      "digest": "sha256:ba549e167ad77e448c5345c4244f247d1cc92afcf86d26cef476f85332906c60",
      "size": 578
   },
   "layers": [
      {
         "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
         "digest": "sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1",
         "size": 100
      },
      {
         "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
         "digest": "sha256:529e146f8d694ebd08bf59f14ce821361453888fb3a3d8db438be35fe0c60895",
         "size": 40
      }
   ]
}`

	// oci-index child arm64: 701 bytes, sha256:68e86a1cd78f82af46d11841bfb63e75b546f7f00f597c4052b42d59f7b6d661
	ociIndexArm64 = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.oci.image.manifest.v1+json",
   "config": {
      "mediaType": "application/vnd.oci.image.config.v1+json",
      "digest": "sha256:47af5d8c379f53384a357d6e2dca94fbecb8cac31c2fc75a0b670f808dc6f967",
      "size": 593
   },
   "layers": [
      {
         "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
         "digest": "sha256:4be8fc101295deddbb98e8d703ff065d5ec725779b4bbbf7b5783243f0453ff1",
         "size": 100
      },
      {
         "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
         "digest": "sha256:bbf7feb8d8f3f33085809499de2b45517c3a882fb9e3d470a271dc26297bb689",
         "size": 60
      }
   ]
}`

	// oci-index index: 806 bytes, sha256:cc7e3abb5924e2e932aca5d51dcbab83a2d6842c28fec8141bd883be0aaad870
	ociIndex = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.oci.image.index.v1+json",
   "manifests": [
      {
         "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "digest": "sha256:d6ef93a9cf717231e70d1d14db1a89f772acf82f15254c049793d5332cc3102f",
         "size": 701,
         "platform": {
            "architecture": "amd64",
            "os": "linux"
         }
      },
      {
         "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "digest": "sha256:68e86a1cd78f82af46d11841bfb63e75b546f7f00f597c4052b42d59f7b6d661",
         "size": 701,
         "platform": {
            "architecture": "arm64",
            "os": "linux",
            "variant": "v8"
         }
      }
   ],
   "annotations": {
      "org.opencontainers.image.ref.name": "v1"
   }
}`
)
