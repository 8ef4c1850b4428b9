package image

import (
	"encoding/json"
)

// Manifests are written the way docker/distribution's schema2,
// manifestlist and ocischema packages write them (what docker push
// sends): json.MarshalIndent with a three-space indent, descriptors as
// mediaType, size, digest for Docker and mediaType, digest, size for OCI
// (the key order of each specification's Go types).

type dockerDescriptor struct {
	MediaType string        `json:"mediaType"`
	Size      int64         `json:"size"`
	Digest    Digest        `json:"digest"`
	Platform  *platformJSON `json:"platform,omitempty"`
}

type ociDescriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      Digest            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    *platformJSON     `json:"platform,omitempty"`
}

type platformJSON struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
	Variant      string `json:"variant,omitempty"`
}

type manifestJSON struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	Config        any               `json:"config"`
	Layers        any               `json:"layers"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

type listJSON struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	Manifests     any               `json:"manifests"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

func toPlatform(p *Platform) *platformJSON {
	if p == nil {
		return nil
	}
	return &platformJSON{Architecture: p.Architecture, OS: p.OS, Variant: p.Variant}
}

// descriptor renders d in the format's descriptor shape.
func descriptor(f Format, d Descriptor) any {
	if f == OCI {
		return ociDescriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size,
			Annotations: d.Annotations, Platform: toPlatform(d.Platform)}
	}
	return dockerDescriptor{MediaType: d.MediaType, Size: d.Size, Digest: d.Digest, Platform: toPlatform(d.Platform)}
}

// descriptors renders ds, never as null.
func descriptors(f Format, ds []Descriptor) []any {
	out := make([]any, len(ds))
	for i, d := range ds {
		out[i] = descriptor(f, d)
	}
	return out
}

func marshalIndent(v any) []byte {
	b, err := json.MarshalIndent(v, "", "   ")
	if err != nil {
		panic(err) // unreachable: only strings, numbers, slices and string maps
	}
	return b
}

func manifestBytes(f Format, config Descriptor, layers []Blob, annotations map[string]string) []byte {
	ls := make([]Descriptor, len(layers))
	for i, l := range layers {
		ls[i] = l.Descriptor
	}
	return marshalIndent(manifestJSON{
		SchemaVersion: 2,
		MediaType:     f.manifestType(),
		Config:        descriptor(f, config),
		Layers:        descriptors(f, ls),
		Annotations:   annotations,
	})
}

func listBytes(f Format, children []Descriptor, annotations map[string]string) []byte {
	return marshalIndent(listJSON{
		SchemaVersion: 2,
		MediaType:     f.listType(),
		Manifests:     descriptors(f, children),
		Annotations:   annotations,
	})
}
