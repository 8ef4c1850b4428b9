package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// tagRow is an entry of listRepoTags.
type tagRow struct {
	Name           string `json:"name"`
	Reversion      bool   `json:"reversion"`
	Immutable      bool   `json:"immutable"`
	StartTS        int64  `json:"start_ts"`
	EndTS          *int64 `json:"end_ts"`
	ManifestDigest string `json:"manifest_digest"`
	IsManifestList bool   `json:"is_manifest_list"`
	Size           *int64 `json:"size"`
	Expiration     string `json:"expiration"`
}

// manifestView is getRepoManifest's answer.
type manifestView struct {
	Digest               string  `json:"digest"`
	IsManifestList       bool    `json:"is_manifest_list"`
	ManifestData         string  `json:"manifest_data"`
	ConfigMediaType      *string `json:"config_media_type"`
	LayersCompressedSize *int64  `json:"layers_compressed_size"`
	Layers               []struct {
		CompressedSize  int64          `json:"compressed_size"`
		IsRemote        bool           `json:"is_remote"`
		URLs            []string       `json:"urls"`
		Command         []string       `json:"command"`
		Comment         *string        `json:"comment"`
		Author          *string        `json:"author"`
		BlobDigest      string         `json:"blob_digest"`
		CreatedDatetime quay.Timestamp `json:"created_datetime"`
	} `json:"layers"`
}

// labelView is an entry of listManifestLabels.
type labelView struct {
	ID         string `json:"id"`
	Key        string `json:"key"`
	Value      string `json:"value"`
	SourceType string `json:"source_type"`
	MediaType  string `json:"media_type"`
}

// readContent copies the content of the repositories of
// Options.ContentNamespaces: every tag row listRepoTags shows (alive and
// in the history), the manifests they point at by their bytes
// (getRepoManifest's manifest_data, with the layers Quay read from the
// blobs), a manifest list's children, and each manifest's labels. The
// repositories themselves go into the seed (visibility, state) unless an
// earlier reader put them there. A tag's lifetime is known to the second;
// tags that started in the same second get milliseconds that keep Quay's
// order. Hidden tags (a push by digest) never show, so they are not read.
func readContent(ctx context.Context, r *reader) error {
	if len(r.opts.ContentNamespaces) == 0 {
		return nil
	}
	var repos []repository
	for _, repo := range r.repos {
		if slices.Contains(r.opts.ContentNamespaces, repo.Namespace) {
			repos = append(repos, repo)
		}
	}
	found := make([][]fakequay.SeedManifest, len(repos))
	err := forEach(ctx, len(repos), func(ctx context.Context, i int) error {
		var err error
		found[i], err = r.readRepoContent(ctx, repos[i])
		return err
	})
	if err != nil {
		return err
	}
	for i, repo := range repos {
		if len(found[i]) == 0 {
			continue
		}
		if !slices.ContainsFunc(r.seed.Repositories, func(sr fakequay.SeedRepository) bool {
			return sr.Namespace == repo.Namespace && sr.Name == repo.Name
		}) {
			sr := fakequay.SeedRepository{Namespace: repo.Namespace, Name: repo.Name, Description: repo.Description}
			if repo.IsPublic {
				sr.Visibility = "public"
			}
			if repo.State != "" && repo.State != "NORMAL" {
				sr.State = repo.State
			}
			if repo.Kind != "" && repo.Kind != "image" {
				sr.Kind = repo.Kind
			}
			r.seed.Repositories = append(r.seed.Repositories, sr)
		}
		r.seed.Manifests = append(r.seed.Manifests, found[i]...)
	}
	return nil
}

// readRepoContent reads one repository's tags, manifests and labels.
func (r *reader) readRepoContent(ctx context.Context, repo repository) ([]fakequay.SeedManifest, error) {
	base := "repository/" + url.PathEscape(repo.Namespace) + "/" + url.PathEscape(repo.Name)
	var rows []tagRow
	for page := 1; ; page++ {
		var p struct {
			Tags          []tagRow `json:"tags"`
			HasAdditional bool     `json:"has_additional"`
		}
		q := url.Values{"limit": {"100"}, "page": {fmt.Sprint(page)}, "onlyActiveTags": {"false"}}
		if err := r.get(ctx, base+"/tag/?"+q.Encode(), &p); err != nil {
			return nil, fmt.Errorf("%s/%s tags: %w", repo.Namespace, repo.Name, err)
		}
		rows = append(rows, p.Tags...)
		if !p.HasAdditional {
			break
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	// Manifests in the order their first tag row lists them, then list
	// children.
	var order []string
	byDigest := map[string]*fakequay.SeedManifest{}
	// add reads the manifest of a tag row (tag not nil) or a list's
	// child.
	add := func(ctx context.Context, digest string, tag *tagRow) (*manifestView, error) {
		if _, seen := byDigest[digest]; seen {
			return nil, nil
		}
		var v manifestView
		if err := r.get(ctx, base+"/manifest/"+url.PathEscape(digest), &v); err != nil {
			var qe *quay.Error
			if !errors.As(err, &qe) || qe.StatusCode != 404 {
				return nil, fmt.Errorf("%s/%s manifest %s: %w", repo.Namespace, repo.Name, digest, err)
			}
			if tag == nil {
				return nil, nil // a list's child that is not present
			}
			// Only dead tags point at it: getRepoManifest does not show
			// it (lookup_manifest without allow_dead). The seed keeps
			// what the tag row shows.
			sm := &fakequay.SeedManifest{Namespace: repo.Namespace, Repository: repo.Name, Digest: digest,
				IsManifestList: tag.IsManifestList, LayersCompressedSize: tag.Size}
			byDigest[digest] = sm
			order = append(order, digest)
			return nil, nil
		}
		var labels struct {
			Labels []labelView `json:"labels"`
		}
		if err := r.get(ctx, base+"/manifest/"+url.PathEscape(digest)+"/labels", &labels); err != nil {
			return nil, fmt.Errorf("%s/%s labels of %s: %w", repo.Namespace, repo.Name, digest, err)
		}
		sm := &fakequay.SeedManifest{Namespace: repo.Namespace, Repository: repo.Name, Digest: v.Digest,
			ManifestData: v.ManifestData, ConfigMediaType: v.ConfigMediaType}
		if !v.IsManifestList {
			sm.LayersCompressedSize = v.LayersCompressedSize
		}
		sm.MediaType = mediaTypeOf(v)
		for _, l := range v.Layers {
			ml := fakequay.SeedManifestLayer{BlobDigest: l.BlobDigest, CompressedSize: l.CompressedSize, IsRemote: l.IsRemote,
				URLs: l.URLs, Command: l.Command, Comment: l.Comment, Author: l.Author}
			if !l.CreatedDatetime.IsZero() {
				ml.CreatedDatetime = ptr(l.CreatedDatetime.UTC())
			}
			sm.Layers = append(sm.Layers, ml)
		}
		for _, l := range labels.Labels {
			sm.Labels = append(sm.Labels, fakequay.SeedLabel{ID: l.ID, Key: l.Key, Value: l.Value, SourceType: l.SourceType,
				MediaType: l.MediaType})
		}
		byDigest[digest] = sm
		order = append(order, digest)
		return &v, nil
	}
	var lists []*manifestView
	for i := range rows {
		v, err := add(ctx, rows[i].ManifestDigest, &rows[i])
		if err != nil {
			return nil, err
		}
		if v != nil && v.IsManifestList {
			lists = append(lists, v)
		}
	}
	for _, l := range lists {
		var parsed struct {
			Manifests []struct {
				Digest string `json:"digest"`
			} `json:"manifests"`
		}
		_ = json.Unmarshal([]byte(l.ManifestData), &parsed)
		for _, c := range parsed.Manifests {
			if _, err := add(ctx, c.Digest, nil); err != nil {
				return nil, err
			}
		}
	}
	// Tag rows, oldest first (the seed's order); within one second Quay
	// ordered them by milliseconds, newest first, then by name, which
	// made-up milliseconds counting down from 999 keep.
	ms := map[int]int64{}
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].StartTS == rows[i].StartTS {
			j++
		}
		for k := i; k < j; k++ {
			if j-i > 1 {
				ms[k] = rows[k].StartTS*1000 + int64(999-(k-i))
			}
		}
		i = j
	}
	for i := len(rows) - 1; i >= 0; i-- {
		t := rows[i]
		st := fakequay.SeedTag{Name: t.Name, StartTS: t.StartTS, Reversion: t.Reversion, Immutable: t.Immutable}
		if v, ok := ms[i]; ok {
			st.StartMS = ptr(v)
		}
		if t.EndTS != nil {
			st.EndTS = ptr(*t.EndTS)
		} else if t.Expiration != "" {
			// An end at or before the epoch shows as an expiration only.
			st.EndTS = ptr(int64(0))
		}
		sm := byDigest[t.ManifestDigest]
		sm.Tags = append(sm.Tags, st)
	}
	out := make([]fakequay.SeedManifest, len(order))
	for i, d := range order {
		out[i] = *byDigest[d]
	}
	return out, nil
}

// mediaTypeOf is the manifest's media type as its bytes say (schema 1
// has none: the signed form is what Quay stores from a push).
func mediaTypeOf(v manifestView) string {
	var head struct {
		MediaType     string `json:"mediaType"`
		SchemaVersion int    `json:"schemaVersion"`
		Manifests     []any  `json:"manifests"`
	}
	_ = json.Unmarshal([]byte(v.ManifestData), &head)
	switch {
	case head.MediaType != "":
		return head.MediaType
	case head.SchemaVersion == 2 && v.IsManifestList:
		return "application/vnd.oci.image.index.v1+json"
	case head.SchemaVersion == 2:
		return "application/vnd.oci.image.manifest.v1+json"
	}
	return "application/vnd.docker.distribution.manifest.v1+prettyjws"
}
