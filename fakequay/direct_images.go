package fakequay

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/image"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Content: images pushed into repositories, as a registry client pushes
// them (fakequay/internal/image builds the layers, configs and manifests
// with real digests). A seed's images section and PushImage push by spec;
// its manifests section stores manifests by their bytes, as a snapshot of
// a running Quay reads them (getRepoManifest's manifest_data).

// ImageSpec describes one single-platform image.
type ImageSpec struct {
	// Format is "docker" (schema 2, the default) or "oci".
	Format string `json:"format,omitempty"`
	// Architecture and OS default to amd64 and linux.
	Architecture string `json:"architecture,omitempty"`
	OS           string `json:"os,omitempty"`
	Variant      string `json:"variant,omitempty"`
	// Created is the config's creation time; zero is the Unix epoch.
	Created time.Time `json:"created,omitzero"`
	Author  string    `json:"author,omitempty"`
	// Labels are the config's labels, which Quay turns into manifest
	// labels (source "manifest").
	Labels map[string]string `json:"labels,omitempty"`
	Env    []string          `json:"env,omitempty"`
	Cmd    []string          `json:"cmd,omitempty"`
	Layers []LayerSpec       `json:"layers,omitempty"`
	// Annotations are an OCI manifest's annotations.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// LayerSpec is one layer: Size bytes generated from Seed (the same seed
// and size always give the same blob, so images naming it share it), or
// Data.
type LayerSpec struct {
	Seed string `json:"seed,omitempty"`
	Size int64  `json:"size,omitempty"`
	Data []byte `json:"data,omitempty"`
	// CreatedBy is the layer's config history command (default: docker
	// build's ADD step).
	CreatedBy string `json:"created_by,omitempty"`
	Comment   string `json:"comment,omitempty"`
}

// SeedImage is a push of an image into a repository under a tag. One
// platform pushes an image; several (or List) push each image by digest,
// then a manifest list (an OCI index for OCI images) over them.
type SeedImage struct {
	Namespace  string `json:"namespace" seed:"required"`
	Repository string `json:"repository" seed:"required"`
	Tag        string `json:"tag" seed:"required"`
	// Pusher is the user or robot pushing; default: the namespace, when
	// it is a user. A missing repository is created, as a push into a
	// namespace the pusher may create repositories in does.
	Pusher    string      `json:"pusher,omitempty"`
	Platforms []ImageSpec `json:"platforms" seed:"required"`
	List      bool        `json:"list,omitempty"`
}

// SeedManifest is a manifest stored by its bytes, with what Quay computed
// from its blobs (getRepoManifest's view), its labels and the tags (alive
// or in the history) pointing at it. A missing repository is created.
type SeedManifest struct {
	Namespace  string `json:"namespace" seed:"required"`
	Repository string `json:"repository" seed:"required"`
	Digest     string `json:"digest" seed:"required"`
	// MediaType is the manifest's media type; default: the mediaType in
	// its bytes, else Docker schema 1 (signed).
	MediaType string `json:"media_type,omitempty"`
	// ManifestData is the manifest's bytes; empty when unknown (a
	// snapshot cannot read a manifest only dead tags point at), and then
	// IsManifestList says what it is.
	ManifestData         string              `json:"manifest_data,omitempty"`
	IsManifestList       bool                `json:"is_manifest_list,omitempty"`
	ConfigMediaType      *string             `json:"config_media_type,omitempty"`
	LayersCompressedSize *int64              `json:"layers_compressed_size,omitempty"`
	Layers               []SeedManifestLayer `json:"layers,omitempty"`
	Labels               []SeedLabel         `json:"labels,omitempty"`
	Tags                 []SeedTag           `json:"tags,omitempty"`
}

// SeedManifestLayer is one layer of a seeded manifest, in getRepoManifest's
// terms.
type SeedManifestLayer struct {
	BlobDigest      string     `json:"blob_digest" seed:"required"`
	CompressedSize  int64      `json:"compressed_size"`
	IsRemote        bool       `json:"is_remote,omitempty"`
	URLs            []string   `json:"urls,omitempty"`
	Command         []string   `json:"command,omitempty"`
	Comment         *string    `json:"comment,omitempty"`
	Author          *string    `json:"author,omitempty"`
	CreatedDatetime *time.Time `json:"created_datetime,omitempty"`
}

// SeedLabel is a manifest label; SourceType "manifest", "api" or
// "internal"; an empty ID is generated.
type SeedLabel struct {
	ID         string `json:"id,omitempty"`
	Key        string `json:"key" seed:"required"`
	Value      string `json:"value"`
	SourceType string `json:"source_type,omitempty"` // default manifest
	MediaType  string `json:"media_type,omitempty"`  // default: inferred as Quay does
}

// SeedTag is one lifetime of a tag: alive when EndTS is absent or later
// than now, else part of the history.
type SeedTag struct {
	Name    string `json:"name" seed:"required"`
	StartTS int64  `json:"start_ts" seed:"required"`
	EndTS   *int64 `json:"end_ts,omitempty"`
	// StartMS and EndMS, when set, give the lifetime to the millisecond
	// (Quay's lifetime_start_ms and lifetime_end_ms), which orders tags
	// that started in the same second; they must fall in StartTS and
	// EndTS's seconds.
	StartMS   *int64 `json:"start_ms,omitempty"`
	EndMS     *int64 `json:"end_ms,omitempty"`
	Reversion bool   `json:"reversion,omitempty"`
	Immutable bool   `json:"immutable,omitempty"`
}

// PushedImage is what a push stored: the tagged manifest's digest and
// media type, and a list's children's digests.
type PushedImage struct {
	Digest    string
	MediaType string
	Children  []string
}

// PushImage pushes an image into namespace/repository under tag as a
// registry client would (Quay's v2 push): one spec is an image, several a
// manifest list over them. The repository is created if missing, the tag
// moves if it exists, and the push writes Quay's push_repo audit log
// (user-agent "fakequay", performed by the namespace when it is a user).
func (s *Server) PushImage(namespace, repository, tag string, specs ...ImageSpec) (PushedImage, error) {
	return s.AddImage(SeedImage{Namespace: namespace, Repository: repository, Tag: tag, Platforms: specs})
}

// AddImage pushes an image as a seed file's images entry would, audit log
// included.
func (s *Server) AddImage(img SeedImage) (PushedImage, error) {
	var out PushedImage
	err := s.store.Load(func(l *store.Loader) error {
		var err error
		out, err = s.loadImage(l, img)
		return err
	})
	return out, wrapDirect("AddImage", err)
}

// AddManifest stores a manifest by its bytes as a seed file's manifests
// entry would.
func (s *Server) AddManifest(m SeedManifest) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("AddManifest", s.loadManifest(l, m))
	})
}

func parseFormat(name string) (image.Format, bool) {
	switch name {
	case "", "docker":
		return image.Docker, true
	case "oci":
		return image.OCI, true
	}
	return 0, false
}

func (sp ImageSpec) build() (image.Spec, error) {
	f, ok := parseFormat(sp.Format)
	if !ok {
		return image.Spec{}, fmt.Errorf(".format: %q is not docker or oci", sp.Format)
	}
	out := image.Spec{Format: f, Architecture: sp.Architecture, OS: sp.OS, Variant: sp.Variant, Created: sp.Created,
		Author: sp.Author, Labels: sp.Labels, Env: sp.Env, Cmd: sp.Cmd, Annotations: sp.Annotations}
	for _, l := range sp.Layers {
		out.Layers = append(out.Layers, image.Layer{Seed: l.Seed, Size: l.Size, Data: l.Data,
			History: image.History{CreatedBy: l.CreatedBy, Comment: l.Comment}})
	}
	return out, nil
}

// loadImage builds and pushes img in the load's transaction.
func (s *Server) loadImage(l *store.Loader, img SeedImage) (PushedImage, error) {
	rd := l.Read()
	ns, ok := rd.Namespace(img.Namespace)
	if !ok {
		return PushedImage{}, fmt.Errorf(".namespace: %q is not a seeded user or organization", img.Namespace)
	}
	if !validRepositoryName(img.Repository) {
		return PushedImage{}, fmt.Errorf(".repository: %q is not a repository name Quay accepts", img.Repository)
	}
	if !tagNameRE().MatchString(img.Tag) {
		return PushedImage{}, fmt.Errorf(".tag: %q is not a tag name Quay accepts", img.Tag)
	}
	if len(img.Platforms) == 0 {
		return PushedImage{}, errors.New(".platforms: an image needs at least one platform")
	}
	var pusher *store.Account
	switch {
	case img.Pusher != "":
		acct, ok := rd.UserOrRobot(img.Pusher)
		if !ok {
			return PushedImage{}, fmt.Errorf(".pusher: %q is not a seeded user or robot", img.Pusher)
		}
		pusher = &acct
	case ns.IsUser():
		pusher = &store.Account{ID: ns.ID, Name: ns.Name}
	}
	specs := make([]image.Spec, len(img.Platforms))
	for i, p := range img.Platforms {
		sp, err := p.build()
		if err != nil {
			return PushedImage{}, fmt.Errorf(".platforms[%d]%w", i, err)
		}
		specs[i] = sp
	}
	var manifests []store.NewManifest
	var top image.Manifest
	var children []string
	if len(specs) == 1 && !img.List {
		built, err := image.Build(specs[0])
		if err != nil {
			return PushedImage{}, fmt.Errorf(".platforms[0]: %w", err)
		}
		manifests = append(manifests, imageManifest(built))
		top = built.Manifest
	} else {
		ix, err := image.BuildIndex(image.IndexSpec{Format: specs[0].Format, Manifests: specs})
		if err != nil {
			return PushedImage{}, fmt.Errorf(".platforms: %w", err)
		}
		for _, c := range ix.Manifests {
			manifests = append(manifests, imageManifest(c))
			children = append(children, string(c.Digest))
		}
		manifests = append(manifests, store.NewManifest{Digest: string(ix.Digest), MediaType: ix.MediaType,
			Bytes: ix.Bytes, Children: children})
		top = ix.Manifest
	}
	m := meta().set("repo", img.Repository).set("namespace", ns.Name).set("user-agent", "fakequay").
		set("tag", img.Tag).set("mediaType", top.MediaType)
	audit := store.Action{Kind: "push_repo", Account: ns.Name, Time: s.clock.Now()}
	push := store.Push{Namespace: ns.Name, Repository: img.Repository, Manifests: manifests, Tag: img.Tag,
		CreateRepository: true, CountSize: true, Now: s.clock.Now(), NewUUID: s.rand.uuid}
	if pusher != nil {
		push.CreatorID = pusher.ID
		audit.PerformerID = pusher.ID
		m.set("username", pusher.Name)
		if pusher.Robot {
			m.set("is_robot", true)
		}
	}
	audit.Metadata = m.bytes()
	push.Audit = audit
	if _, err := l.Push(push); err != nil {
		return PushedImage{}, fmt.Errorf(": %w", err)
	}
	return PushedImage{Digest: string(top.Digest), MediaType: top.MediaType, Children: children}, nil
}

// imageManifest is the row Quay stores for a pushed single-platform image.
func imageManifest(img *image.Image) store.NewManifest {
	size := img.LayersSize()
	nm := store.NewManifest{Digest: string(img.Digest), MediaType: img.MediaType, ConfigMediaType: img.Config.MediaType,
		Bytes: img.Bytes, LayersSize: &size}
	for _, b := range img.Blobs() {
		nm.Blobs = append(nm.Blobs, store.BlobRef{Digest: string(b.Digest), Size: b.Size})
	}
	var cfg struct {
		History []struct {
			Created    string `json:"created"`
			CreatedBy  string `json:"created_by"`
			Author     string `json:"author"`
			Comment    string `json:"comment"`
			EmptyLayer bool   `json:"empty_layer"`
		} `json:"history"`
	}
	_ = json.Unmarshal(img.Config.Bytes(), &cfg) // built by image.Build: always valid
	i := 0
	for _, h := range cfg.History {
		if h.EmptyLayer || i >= len(img.Layers) {
			continue
		}
		layer := store.ManifestLayer{Digest: string(img.Layers[i].Digest), Size: img.Layers[i].Size,
			Command: layerCommand(h.CreatedBy), Comment: nonEmpty(h.Comment), Author: nonEmpty(h.Author)}
		if t, err := time.Parse(time.RFC3339Nano, h.Created); err == nil {
			t = t.UTC()
			layer.Created = &t
		}
		nm.Layers = append(nm.Layers, layer)
		i++
	}
	for _, k := range slices.Sorted(mapKeys(img.Labels)) {
		if k == "" {
			continue // Quay ignores a label with an empty key
		}
		nm.Labels = append(nm.Labels, store.NewLabel{Key: k, Value: img.Labels[k], MediaType: labelMediaType(img.Labels[k]),
			SourceType: "manifest"})
	}
	return nm
}

// layerCommand is _layer_dict's normalisation of a layer's command: a
// JSON array as it is, any other string as a one-element list; none is
// null.
func layerCommand(createdBy string) []string {
	if createdBy == "" {
		return nil
	}
	var list []string
	if strings.HasPrefix(createdBy, "[") && json.Unmarshal([]byte(createdBy), &list) == nil {
		return list
	}
	return []string{createdBy}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// labelMediaType is create_manifest_label's inference: a value that
// parses as a JSON object or array is application/json.
func labelMediaType(v string) string {
	if (strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}")) || (strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]")) {
		if json.Valid([]byte(v)) {
			return "application/json"
		}
	}
	return "text/plain"
}

// loadManifest stores a manifest by its bytes, its labels and tags.
func (s *Server) loadManifest(l *store.Loader, sm SeedManifest) error {
	rd := l.Read()
	ns, ok := rd.Namespace(sm.Namespace)
	if !ok {
		return fmt.Errorf(".namespace: %q is not a seeded user or organization", sm.Namespace)
	}
	if !validRepositoryName(sm.Repository) {
		return fmt.Errorf(".repository: %q is not a repository name Quay accepts", sm.Repository)
	}
	var parsed struct {
		MediaType string `json:"mediaType"`
		Manifests []struct {
			Digest string `json:"digest"`
		} `json:"manifests"`
		Layers []json.RawMessage `json:"layers"`
	}
	if sm.ManifestData != "" {
		if err := json.Unmarshal([]byte(sm.ManifestData), &parsed); err != nil {
			return fmt.Errorf(".manifest_data: not a JSON manifest: %w", err)
		}
	}
	nm := store.NewManifest{Digest: sm.Digest, MediaType: sm.MediaType, Bytes: []byte(sm.ManifestData)}
	if nm.MediaType == "" {
		nm.MediaType = parsed.MediaType
	}
	if nm.MediaType == "" {
		nm.MediaType = "application/vnd.docker.distribution.manifest.v1+prettyjws"
	}
	isList := nm.MediaType == image.MediaTypeDockerManifestList || nm.MediaType == image.MediaTypeOCIIndex ||
		(sm.ManifestData == "" && sm.IsManifestList)
	if isList {
		for _, c := range parsed.Manifests {
			nm.Children = append(nm.Children, c.Digest)
		}
	} else {
		size := int64(0)
		if sm.LayersCompressedSize != nil {
			size = *sm.LayersCompressedSize
		}
		nm.LayersSize = &size
		nm.Layers = []store.ManifestLayer{}
		if sm.ConfigMediaType != nil {
			nm.ConfigMediaType = *sm.ConfigMediaType
		}
	}
	for i, ly := range sm.Layers {
		if ly.BlobDigest == "" {
			return fmt.Errorf(".layers[%d].blob_digest: empty", i)
		}
		nm.Layers = append(nm.Layers, store.ManifestLayer{Digest: ly.BlobDigest, Size: ly.CompressedSize,
			IsRemote: ly.IsRemote, URLs: ly.URLs, Command: ly.Command, Comment: ly.Comment, Author: ly.Author,
			Created: ly.CreatedDatetime})
		nm.Blobs = append(nm.Blobs, store.BlobRef{Digest: ly.BlobDigest, Size: ly.CompressedSize})
	}
	for _, lb := range sm.Labels {
		nm.Labels = append(nm.Labels, store.NewLabel{Key: lb.Key, Value: lb.Value, UUID: lb.ID,
			SourceType: orDefault(lb.SourceType, "manifest"), MediaType: orDefault(lb.MediaType, labelMediaType(lb.Value))})
	}
	man, err := l.Push(store.Push{Namespace: ns.Name, Repository: sm.Repository, Manifests: []store.NewManifest{nm},
		CreateRepository: true, NewUUID: s.rand.uuid})
	if err != nil {
		return fmt.Errorf(": %w", err)
	}
	repo, _ := l.Read().Repository(ns.ID, sm.Repository)
	for i, t := range sm.Tags {
		if !tagNameRE().MatchString(t.Name) {
			return fmt.Errorf(".tags[%d].name: %q is not a tag name Quay accepts", i, t.Name)
		}
		row := store.Tag{Name: t.Name, ManifestID: man.ID, StartMs: t.StartTS * 1000, Reversion: t.Reversion, Immutable: t.Immutable}
		if t.StartMS != nil {
			if *t.StartMS/1000 != t.StartTS {
				return fmt.Errorf(".tags[%d].start_ms: %d is not in second %d", i, *t.StartMS, t.StartTS)
			}
			row.StartMs = *t.StartMS
		}
		if t.EndTS != nil {
			end := *t.EndTS * 1000
			if t.EndMS != nil {
				if *t.EndMS/1000 != *t.EndTS {
					return fmt.Errorf(".tags[%d].end_ms: %d is not in second %d", i, *t.EndMS, *t.EndTS)
				}
				end = *t.EndMS
			}
			row.EndMs = &end
		}
		if _, err := l.AddTag(repo, row); err != nil {
			return fmt.Errorf(".tags[%d]: %w", i, err)
		}
	}
	return nil
}

// tagNameRE is Quay's TAG_REGEX (util/names.py; \w is ASCII).
var tagNameRE = lazyRegexp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// Tag is a tag row as the direct API reports it: alive, or a past lifetime.
type Tag struct {
	Name           string
	ManifestDigest string
	Start          time.Time
	End            *time.Time
	Reversion      bool
	Immutable      bool
}

// Tags returns every tag row of a repository (history included, hidden
// ones not) in the order they were created; nil if there is no such
// repository.
func (s *Server) Tags(namespace, repository string) []Tag {
	rd := s.store.Read()
	ns, ok := rd.Namespace(namespace)
	if !ok {
		return nil
	}
	repo, ok := rd.Repository(ns.ID, repository)
	if !ok {
		return nil
	}
	var out []Tag
	rd.Tags(repo, func(t *store.Tag) bool {
		if t.Hidden {
			return true
		}
		m, _ := rd.ManifestByID(repo, t.ManifestID)
		tag := Tag{Name: t.Name, ManifestDigest: m.Digest, Start: time.UnixMilli(t.StartMs).UTC(),
			Reversion: t.Reversion, Immutable: t.Immutable}
		if t.EndMs != nil {
			end := time.UnixMilli(*t.EndMs).UTC()
			tag.End = &end
		}
		out = append(out, tag)
		return true
	})
	return out
}
