package image

import "fmt"

func (f Format) listType() string {
	if f == OCI {
		return MediaTypeOCIIndex
	}
	return MediaTypeDockerManifestList
}

// IndexSpec describes a multi-platform image: a Docker manifest list, or
// an OCI image index, over one image per platform.
type IndexSpec struct {
	Format Format
	// Manifests are the children, in list order. Each child's Format must
	// be the index's (a Docker list holds Docker manifests, an OCI index
	// OCI manifests); its Architecture, OS and Variant are its platform.
	Manifests []Spec
	// Annotations are the OCI index's annotations (not allowed with Docker).
	Annotations map[string]string
}

// Index is a built manifest list: its own manifest, which references no
// blob, and its children, which a push uploads (by digest) before it.
type Index struct {
	Manifest
	Format    Format
	Manifests []*Image
}

// Children returns the list's entries: each child's descriptor with its
// platform.
func (ix *Index) Children() []Descriptor {
	out := make([]Descriptor, len(ix.Manifests))
	for i, m := range ix.Manifests {
		out[i] = m.Descriptor()
	}
	return out
}

// BuildIndex builds the manifest list s describes, and its children.
func BuildIndex(s IndexSpec) (*Index, error) {
	if !s.Format.valid() {
		return nil, invalid("unknown format %d", int(s.Format))
	}
	if s.Format == Docker && len(s.Annotations) > 0 {
		return nil, invalid("a Docker manifest list has no annotations")
	}
	ix := &Index{Format: s.Format, Manifests: make([]*Image, len(s.Manifests))}
	for i, c := range s.Manifests {
		if c.Format != s.Format {
			return nil, invalid("manifest %d is %s in a %s list", i, c.Format, s.Format)
		}
		img, err := Build(c)
		if err != nil {
			return nil, fmt.Errorf("manifest %d: %w", i, err)
		}
		ix.Manifests[i] = img
	}
	ix.MediaType = s.Format.listType()
	ix.Bytes = listBytes(s.Format, ix.Children(), s.Annotations)
	ix.Digest = DigestOf(ix.Bytes)
	return ix, nil
}
