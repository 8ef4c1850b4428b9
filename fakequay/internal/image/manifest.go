package image

import (
	"errors"
	"fmt"
	"maps"
	"time"
)

// Format is the manifest family an image is built in.
type Format int

const (
	// Docker is Docker's image manifest, schema 2, with a Docker manifest
	// list for several platforms.
	Docker Format = iota
	// OCI is the OCI image manifest, with an OCI image index for several
	// platforms.
	OCI
)

// String names the format.
func (f Format) String() string {
	switch f {
	case Docker:
		return "docker"
	case OCI:
		return "oci"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

func (f Format) valid() bool { return f == Docker || f == OCI }

func (f Format) manifestType() string {
	if f == OCI {
		return MediaTypeOCIManifest
	}
	return MediaTypeDockerManifest
}

func (f Format) configType() string {
	if f == OCI {
		return MediaTypeOCIConfig
	}
	return MediaTypeDockerConfig
}

func (f Format) layerType() string {
	if f == OCI {
		return MediaTypeOCILayer
	}
	return MediaTypeDockerLayer
}

// Layer describes one filesystem layer blob. Its content is Data when Data
// is not nil; otherwise Size bytes generated from Seed (the same seed and
// size always give the same bytes, so two images that name the same layer
// share its blob). Generated content is opaque, not a real tarball:
// registries never look inside a layer when it is pushed.
type Layer struct {
	Data []byte
	Seed string
	Size int64
	// MediaType defaults to the format's gzip layer type.
	MediaType string
	// DiffID is the layer's entry in the config's rootfs.diff_ids (the
	// digest of its uncompressed content); empty means the blob's digest.
	DiffID Digest
	// History is the config history entry of the layer, used when
	// Spec.History is nil. A zero CreatedBy is filled in.
	History History
	// Annotations are the OCI annotations of the layer's descriptor.
	Annotations map[string]string
}

// DefaultCreated is the image creation time used when a Spec gives none:
// the Unix epoch, as reproducible builds (SOURCE_DATE_EPOCH=0) stamp it.
var DefaultCreated = time.Unix(0, 0).UTC()

// Spec describes one single-platform image.
type Spec struct {
	Format Format
	// Architecture and OS default to amd64 and linux.
	Architecture string
	OS           string
	Variant      string
	// Created is the config's creation time; zero means DefaultCreated.
	Created time.Time
	Author  string
	Labels  map[string]string
	Env     []string
	Cmd     []string
	Layers  []Layer
	// History, when not nil, is the whole config history, empty-layer
	// steps included; its entries without EmptyLayer must be as many as
	// Layers. When nil, each layer's History is used, in order.
	History []History
	// Annotations are the OCI manifest's annotations (not allowed with
	// Docker, whose schema 2 has none).
	Annotations map[string]string
}

func (s *Spec) created() time.Time {
	if s.Created.IsZero() {
		return DefaultCreated
	}
	return s.Created
}

func (s *Spec) platform() Platform {
	p := Platform{Architecture: s.Architecture, OS: s.OS, Variant: s.Variant}
	if p.Architecture == "" {
		p.Architecture = "amd64"
	}
	if p.OS == "" {
		p.OS = "linux"
	}
	return p
}

// Manifest is a manifest as pushed: its media type (the Content-Type of
// the PUT), its exact bytes, and their digest.
type Manifest struct {
	MediaType string
	Bytes     []byte
	Digest    Digest
}

// Image is a built single-platform image: its manifest and the blobs a
// push uploads before it.
type Image struct {
	Manifest
	Format   Format
	Platform Platform
	Config   Blob
	Layers   []Blob
	// Labels are the config's labels, which Quay turns into manifest labels.
	Labels map[string]string
}

// LayersSize is the sum of the layer sizes the manifest states: what
// Quay reports as a tag's size (its layers_compressed_size, config
// excluded).
func (img *Image) LayersSize() int64 {
	var n int64
	for _, l := range img.Layers {
		n += l.Size
	}
	return n
}

// Blobs returns every blob the manifest references, layers first and the
// config last, the order docker pushes them in. They are also the blobs
// Quay's quota counts for the manifest (local_blob_digests: the layers and
// the config, see quay_facts_test.go).
func (img *Image) Blobs() []Blob {
	return append(append([]Blob(nil), img.Layers...), img.Config)
}

// Descriptor returns the image's entry in a manifest list: its manifest
// with the image's platform.
func (img *Image) Descriptor() Descriptor {
	p := img.Platform
	return Descriptor{MediaType: img.MediaType, Digest: img.Digest, Size: int64(len(img.Bytes)), Platform: &p}
}

// ErrInvalidSpec is wrapped by every error Build and BuildIndex return.
var ErrInvalidSpec = errors.New("image: invalid spec")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidSpec}, args...)...)
}

// Build builds the image s describes.
func Build(s Spec) (*Image, error) {
	if !s.Format.valid() {
		return nil, invalid("unknown format %d", int(s.Format))
	}
	if s.Format == Docker && len(s.Annotations) > 0 {
		return nil, invalid("a Docker schema 2 manifest has no annotations")
	}
	layers := make([]Blob, len(s.Layers))
	diffIDs := make([]Digest, len(s.Layers))
	for i, l := range s.Layers {
		b, err := buildLayer(s.Format, i, l)
		if err != nil {
			return nil, err
		}
		layers[i] = b
		diffIDs[i] = l.DiffID
		if diffIDs[i] == "" {
			diffIDs[i] = b.Digest
		}
	}
	hist, err := history(&s, layers)
	if err != nil {
		return nil, err
	}
	p := s.platform()
	cfg := configBytes(&s, p, diffIDs, hist)
	img := &Image{
		Format:   s.Format,
		Platform: p,
		Config: Blob{
			Descriptor: Descriptor{MediaType: s.Format.configType(), Digest: DigestOf(cfg), Size: int64(len(cfg))},
			data:       cfg,
		},
		Layers: layers,
		Labels: maps.Clone(s.Labels),
	}
	img.MediaType = s.Format.manifestType()
	img.Bytes = manifestBytes(s.Format, img.Config.Descriptor, layers, s.Annotations)
	img.Digest = DigestOf(img.Bytes)
	return img, nil
}

func buildLayer(f Format, i int, l Layer) (Blob, error) {
	mt := l.MediaType
	if mt == "" {
		mt = f.layerType()
	}
	if f == Docker && len(l.Annotations) > 0 {
		return Blob{}, invalid("layer %d: a Docker schema 2 layer has no annotations", i)
	}
	d := Descriptor{MediaType: mt, Annotations: maps.Clone(l.Annotations)}
	if l.Data != nil {
		if l.Size != 0 && l.Size != int64(len(l.Data)) {
			return Blob{}, invalid("layer %d: Size %d but %d bytes of Data", i, l.Size, len(l.Data))
		}
		if l.Seed != "" {
			return Blob{}, invalid("layer %d: both Data and Seed", i)
		}
		d.Size, d.Digest = int64(len(l.Data)), DigestOf(l.Data)
		return Blob{Descriptor: d, data: append([]byte{}, l.Data...)}, nil
	}
	if l.Size < 0 {
		return Blob{}, invalid("layer %d: negative Size %d", i, l.Size)
	}
	d.Size, d.Digest = l.Size, fillerDigest(l.Seed, l.Size)
	return Blob{Descriptor: d, seed: l.Seed}, nil
}

// history returns the config history aligned with the layers: Spec.History
// when given (checked against the layer count), else one entry per layer.
func history(s *Spec, layers []Blob) ([]History, error) {
	if s.History != nil {
		n := 0
		for _, h := range s.History {
			if !h.EmptyLayer {
				n++
			}
		}
		if n != len(layers) {
			return nil, invalid("History has %d non-empty entries for %d layers", n, len(layers))
		}
		return s.History, nil
	}
	h := make([]History, len(layers))
	for i, l := range s.Layers {
		h[i] = l.History
		if h[i].EmptyLayer {
			return nil, invalid("layer %d: a layer's own History cannot be an empty layer", i)
		}
		if h[i].CreatedBy == "" {
			// The form docker build writes for an ADD step.
			h[i].CreatedBy = fmt.Sprintf("/bin/sh -c #(nop) ADD file:%s in / ", layers[i].Digest.Hex())
		}
	}
	return h, nil
}
