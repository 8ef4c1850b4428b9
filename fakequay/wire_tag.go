package fakequay

import (
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// tagView is tag.py's _tag_dict, keys in its order.
type tagView struct {
	Name           string  `json:"name"`
	Reversion      bool    `json:"reversion"`
	Immutable      *bool   `json:"immutable,omitempty"` // FEATURE_IMMUTABLE_TAGS only
	StartTS        *int64  `json:"start_ts,omitempty"`
	EndTS          *int64  `json:"end_ts,omitempty"`
	ManifestDigest string  `json:"manifest_digest"`
	IsManifestList bool    `json:"is_manifest_list"`
	Size           *int64  `json:"size"`
	LastModified   *string `json:"last_modified,omitempty"`
	Expiration     *string `json:"expiration,omitempty"`
	// A manifest list's sparse-manifest fields (_get_sparse_manifest_info).
	IsSparse               *bool        `json:"is_sparse,omitempty"`
	ChildManifestCount     *int         `json:"child_manifest_count,omitempty"`
	PresentChildCount      *int         `json:"present_child_count,omitempty"`
	ChildManifestsPresence *presenceMap `json:"child_manifests_presence,omitempty"`
}

// presenceMap is a dict of child digest to presence in the list's order
// (Flask-RESTful keeps a dict's insertion order).
type presenceMap []presence

type presence struct {
	digest  string
	present bool
}

// AppendRestful implements py.RestfulAppender.
func (p *presenceMap) AppendRestful(b []byte) []byte {
	b = append(b, '{')
	for i, e := range *p {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = py.AppendString(b, e.digest)
		b = append(b, ": "...)
		b = appendBool(b, e.present)
	}
	return append(b, '}')
}

// tagListView is listRepoTags' answer.
type tagListView struct {
	Tags          []tagView `json:"tags"`
	Page          int64     `json:"page"`
	HasAdditional bool      `json:"has_additional"`
}

// tagOf is _tag_dict of a tag of repo.
func tagOf(rd store.Reader, cfg *Config, repo *store.Repository, t *store.Tag) tagView {
	m, _ := rd.ManifestByID(repo, t.ManifestID)
	v := tagView{Name: t.Name, Reversion: t.Reversion, ManifestDigest: m.Digest, IsManifestList: m.IsList(), Size: m.LayersSize}
	if cfg.FeatureImmutableTags {
		immutable := t.Immutable
		v.Immutable = &immutable
	}
	if start := t.StartTS(); start > 0 {
		v.StartTS = &start
		v.LastModified = formatDate(time.Unix(start, 0))
	}
	if end := t.EndTS(); end != nil {
		if *end > 0 {
			v.EndTS = end
		}
		v.Expiration = formatDate(time.Unix(*end, 0))
	}
	if m.IsList() && len(m.Children) > 0 {
		// Counted from the list's own bytes; a child is present when the
		// repository holds it (with bytes, which every stored row has).
		pm := presenceMap{}
		present := 0
		for _, d := range m.Children {
			_, ok := rd.Manifest(repo, d)
			if ok {
				present++
			}
			pm = append(pm, presence{d, ok})
		}
		n := len(m.Children)
		sparse := present < n
		v.IsSparse, v.ChildManifestCount, v.PresentChildCount, v.ChildManifestsPresence = &sparse, &n, &present, &pm
	} else if m.IsList() {
		f, zero := false, 0
		v.IsSparse, v.ChildManifestCount, v.PresentChildCount, v.ChildManifestsPresence = &f, &zero, &zero, &presenceMap{}
	}
	return v
}
