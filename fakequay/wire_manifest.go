package fakequay

import (
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// manifestView is manifest.py's _manifest_dict, keys in its order.
type manifestView struct {
	Digest               string           `json:"digest"`
	IsManifestList       bool             `json:"is_manifest_list"`
	ManifestData         string           `json:"manifest_data"`
	ConfigMediaType      *string          `json:"config_media_type"`
	LayersCompressedSize int64            `json:"layers_compressed_size"`
	Layers               *[]manifestLayer `json:"layers"`
}

// manifestLayer is _layer_dict.
type manifestLayer struct {
	Index          int      `json:"index"`
	CompressedSize int64    `json:"compressed_size"`
	IsRemote       bool     `json:"is_remote"`
	URLs           []string `json:"urls"`
	Command        []string `json:"command"`
	Comment        *string  `json:"comment"`
	Author         *string  `json:"author"`
	BlobDigest     string   `json:"blob_digest"`
	Created        *string  `json:"created_datetime"`
}

func manifestOf(m *store.Manifest) manifestView {
	v := manifestView{Digest: m.Digest, IsManifestList: m.IsList(), ManifestData: string(m.Bytes)}
	if m.ConfigMediaType != "" {
		v.ConfigMediaType = &m.ConfigMediaType
	}
	if m.IsList() {
		return v
	}
	if m.LayersSize != nil {
		v.LayersCompressedSize = *m.LayersSize
	}
	layers := make([]manifestLayer, len(m.Layers))
	for i, l := range m.Layers {
		layers[i] = manifestLayer{Index: i, CompressedSize: l.Size, IsRemote: l.IsRemote, URLs: l.URLs, Command: l.Command,
			Comment: l.Comment, Author: l.Author, BlobDigest: l.Digest}
		if l.Created != nil {
			layers[i].Created = formatDate(*l.Created)
		}
	}
	v.Layers = &layers
	return v
}

// labelView is manifest.py's _label_dict.
type labelView struct {
	ID         string `json:"id"`
	Key        string `json:"key"`
	Value      string `json:"value"`
	SourceType string `json:"source_type"`
	MediaType  string `json:"media_type"`
}

// labelAddedView is addManifestLabel's answer.
type labelAddedView struct {
	Label labelView `json:"label"`
}

type labelListView struct {
	Labels []labelView `json:"labels"`
}

func labelOf(l *store.Label) labelView {
	return labelView{ID: l.UUID, Key: l.Key, Value: l.Value, SourceType: l.SourceType, MediaType: l.MediaType}
}
