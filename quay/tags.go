package quay

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// TagsService manages a repository's tags: their history, moves, expiry,
// immutability, deletion and Quay's time machine (restoring a deleted or
// moved tag, or purging it for good).
type TagsService service

// Tag is one entry of a repository's tag history: a tag name pointing at a
// manifest from StartTS until EndTS. A live tag has no EndTS, or one in the
// future (it expires then); a tag that was deleted or moved stays in the
// history with its EndTS, and can be restored while the namespace's time
// machine window lasts.
type Tag struct {
	Name string `json:"name"`
	// Reversion reports a tag made by Restore.
	Reversion bool `json:"reversion"`
	// Immutable tags cannot be moved, deleted or given an expiry. Quay sends
	// the key only with FEATURE_IMMUTABLE_TAGS.
	Immutable bool `json:"immutable"`
	// StartTS and EndTS bound the tag's lifetime in seconds since the Unix
	// epoch; EndTS is 0 for a tag that does not end. After Purge, EndTS lies
	// before StartTS: Quay moves it out of the time machine window.
	StartTS        int64  `json:"start_ts,omitempty"`
	EndTS          int64  `json:"end_ts,omitempty"`
	ManifestDigest string `json:"manifest_digest"`
	IsManifestList bool   `json:"is_manifest_list"`
	// Size is the sum of the manifest's compressed layer sizes in bytes; 0
	// for a manifest list (Quay sends null).
	Size int64 `json:"size"`
	// LastModified is StartTS and Expiration is EndTS, as dates; Expiration
	// is zero for a tag that does not end.
	LastModified Timestamp `json:"last_modified"`
	Expiration   Timestamp `json:"expiration"`

	// For a manifest list only: how many platform manifests it names, how
	// many the registry holds (a mirror may copy only some platforms), and
	// which, by digest. IsSparse reports missing ones.
	IsSparse               bool            `json:"is_sparse,omitempty"`
	ChildManifestCount     int             `json:"child_manifest_count,omitempty"`
	PresentChildCount      int             `json:"present_child_count,omitempty"`
	ChildManifestsPresence map[string]bool `json:"child_manifests_presence,omitempty"`
}

// Alive reports whether the tag points at its manifest at time now: it has
// started and not ended.
func (t Tag) Alive(now time.Time) bool {
	s := now.Unix()
	return t.StartTS <= s && (t.EndTS == 0 || t.EndTS > s)
}

// TagListOptions selects the tags List returns. Quay orders them newest
// first (by StartTS, then by name).
type TagListOptions struct {
	// SpecificTag lists the history of this one tag name.
	SpecificTag string
	// OnlyActiveTags leaves out tags that have ended (deleted, moved or
	// expired); without it the whole history is listed.
	OnlyActiveTags bool
	// NameContains keeps the tags whose name contains this text, without
	// regard to case (Quay's filter_tag_name=like:...). NameEquals keeps the
	// tags of exactly this name (eq:...). Set at most one.
	NameContains string
	NameEquals   string
	// Limit is the page size, 1 to MaxLimit; 0 means Quay's default, 50.
	Limit int
	// Page is the page to fetch, counting from 1; 0 means the first.
	Page int
}

// tagPage is the body of listRepoTags.
type tagPage struct {
	Tags          []Tag `json:"tags"`
	Page          int   `json:"page"`
	HasAdditional bool  `json:"has_additional"`
}

// TagPullStatistics counts the pulls of a tag and of the manifest it points at.
type TagPullStatistics struct {
	TagName      string `json:"tag_name"`
	TagPullCount int64  `json:"tag_pull_count"`
	// LastTagPullDate is zero when the tag was never pulled by name.
	LastTagPullDate Timestamp `json:"last_tag_pull_date"`
	// CurrentManifestDigest is the manifest the tag pointed at when last
	// pulled, else the one it points at now.
	CurrentManifestDigest string    `json:"current_manifest_digest"`
	ManifestPullCount     int64     `json:"manifest_pull_count"`
	LastManifestPullDate  Timestamp `json:"last_manifest_pull_date"`
}

// PurgeTagRequest is the body of Purge.
type PurgeTagRequest struct {
	// ManifestDigest selects the ended tags to purge: those of the tag name
	// that pointed at this manifest. Required unless Alive is set.
	ManifestDigest string `json:"manifest_digest,omitempty"`
	// Alive purges the live tag instead: it is deleted and, unlike Delete,
	// cannot be restored. ManifestDigest is then ignored.
	Alive bool `json:"is_alive,omitempty"`
	// IncludeSubmanifests purges a manifest list's platform manifests too.
	IncludeSubmanifests bool `json:"include_submanifests,omitempty"`
}

// errTagFilters is returned before sending options that set both name filters.
var errTagFilters = errors.New("quay: set TagListOptions.NameContains or NameEquals, not both")

// tagQuery builds listRepoTags' query and returns the page it asks for.
func tagQuery(o TagListOptions) (url.Values, int, error) {
	if err := CheckLimit(o.Limit); err != nil {
		return nil, 0, err
	}
	if o.Page < 0 {
		return nil, 0, errors.New("quay: TagListOptions.Page must not be negative")
	}
	if o.NameContains != "" && o.NameEquals != "" {
		return nil, 0, errTagFilters
	}
	q := url.Values{}
	if o.SpecificTag != "" {
		q.Set("specificTag", o.SpecificTag)
	}
	setFlag(q, "onlyActiveTags", o.OnlyActiveTags)
	switch {
	case o.NameContains != "":
		q.Set("filter_tag_name", "like:"+o.NameContains)
	case o.NameEquals != "":
		q.Set("filter_tag_name", "eq:"+o.NameEquals)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	page := max(o.Page, 1)
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return q, page, nil
}

// List returns one page of a repository's tag history.
//
// Quay pages by number, not by token: Response.NextPage holds the number of
// the next page in decimal when Quay reports more (has_additional), and is
// empty on the last page. Pages are offsets into the history, so a tag
// pushed or deleted between two calls shifts the later pages by one. Quay
// answers 404 for a repository that does not exist (to a caller who may
// read it), 403 to one who may not, and 400 for a malformed filter.
//
// Quay operation: listRepoTags (GET /api/v1/repository/{repository}/tag/)
func (s *TagsService) List(ctx context.Context, namespace, repository string, opts *TagListOptions) ([]Tag, *Response, error) {
	var o TagListOptions
	if opts != nil {
		o = *opts
	}
	q, page, err := tagQuery(o)
	if err != nil {
		return nil, nil, err
	}
	path, err := repoPath(namespace, repository, "/tag/")
	if err != nil {
		return nil, nil, err
	}
	var body tagPage
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &body)
	if err != nil {
		return nil, resp, err
	}
	if body.HasAdditional {
		resp.NextPage = strconv.Itoa(page + 1)
	}
	return body.Tags, resp, nil
}

// All iterates over a repository's tag history, page by page.
//
// opts is copied, never changed; its Page is where the walk starts. The
// walk stops at the first error, a *PageError whose NextPage is the number
// of the page that failed (set TagListOptions.Page to it to resume).
//
// Quay operation: listRepoTags (GET /api/v1/repository/{repository}/tag/)
func (s *TagsService) All(ctx context.Context, namespace, repository string, opts *TagListOptions) iter.Seq2[Tag, error] {
	var o TagListOptions
	if opts != nil {
		o = *opts
	}
	start := ""
	if o.Page > 1 {
		start = strconv.Itoa(o.Page)
	}
	return All(ctx, start, func(ctx context.Context, token string) ([]Tag, *Response, error) {
		page := o
		page.Page = 0
		if token != "" {
			n, err := strconv.Atoi(token)
			if err != nil {
				return nil, nil, err
			}
			page.Page = n
		}
		return s.List(ctx, namespace, repository, &page)
	})
}

// change sends one changeTag body.
func (s *TagsService) change(ctx context.Context, namespace, repository, tag string, body any) (*Response, error) {
	path, err := repoPath(namespace, repository, "/tag/%s", tag)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPut, path, body, nil)
}

// Move points a tag at the manifest manifestDigest of the same repository,
// creating the tag if it does not exist.
//
// Quay answers 201 with "Updated", and keeps the tag's previous manifest in
// the history. A schema 1 manifest names its tag, so Quay points the tag at
// a new manifest, with another digest, rewritten for the new name. Quay
// answers 404 for a manifest it does not have, 400 for an invalid tag name,
// 409 for an immutable tag, and 503 (ErrRepositoryNotWritable) in a
// repository whose state is not NORMAL.
//
// Quay operation: changeTag (PUT /api/v1/repository/{repository}/tag/{tag})
func (s *TagsService) Move(ctx context.Context, namespace, repository, tag, manifestDigest string) (*Response, error) {
	if manifestDigest == "" {
		return nil, errors.New("quay: Tags.Move needs a manifest digest")
	}
	return s.change(ctx, namespace, repository, tag, map[string]string{"manifest_digest": manifestDigest})
}

// SetExpiration makes a live tag expire at the given time; the zero time
// removes its expiry.
//
// Quay keeps the tag for at least an hour and at most 104 weeks after it
// was pushed (LABELED_EXPIRATION_MINIMUM and _MAXIMUM) and silently moves an
// expiry outside that range to the nearest bound; it answers 400 for a time
// in the past, and for an immutable tag unless the registry runs with
// FEATURE_IMMUTABLE_TAGS_CAN_EXPIRE. An expired tag stays in the history
// and can be restored like a deleted one.
//
// Quay operation: changeTag (PUT /api/v1/repository/{repository}/tag/{tag})
func (s *TagsService) SetExpiration(ctx context.Context, namespace, repository, tag string, at time.Time) (*Response, error) {
	var expiration *int64
	if !at.IsZero() {
		expiration = new(at.Unix())
	}
	return s.change(ctx, namespace, repository, tag, map[string]*int64{"expiration": expiration})
}

// SetImmutable makes a live tag immutable, or mutable again.
//
// An immutable tag cannot be moved, deleted or given an expiry. Write
// permission suffices to set it; removing it takes admin permission (403
// otherwise). Without FEATURE_IMMUTABLE_TAGS Quay ignores the call.
//
// Quay operation: changeTag (PUT /api/v1/repository/{repository}/tag/{tag})
func (s *TagsService) SetImmutable(ctx context.Context, namespace, repository, tag string, immutable bool) (*Response, error) {
	return s.change(ctx, namespace, repository, tag, map[string]bool{"immutable": immutable})
}

// Delete ends a live tag. It stays in the history, and Restore brings it
// back while the namespace's time machine window lasts.
//
// Quay answers 204, 404 for a tag that is not live, 409 for an immutable
// tag and 503 (ErrRepositoryNotWritable) in a repository whose state is
// not NORMAL.
//
// Quay operation: deleteFullTag (DELETE /api/v1/repository/{repository}/tag/{tag})
func (s *TagsService) Delete(ctx context.Context, namespace, repository, tag string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/tag/%s", tag)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// Restore points a tag back at manifestDigest, a manifest it (or any tag of
// the repository) pointed at before; the new tag's Reversion is set.
//
// Quay answers {} (which Restore discards) and 404 for a manifest it no
// longer has. It restores any name, not only one the manifest carried,
// and even after Purge until garbage collection removes the manifest.
//
// Quay operation: restoreTag (POST /api/v1/repository/{repository}/tag/{tag}/restore)
func (s *TagsService) Restore(ctx context.Context, namespace, repository, tag, manifestDigest string) (*Response, error) {
	if manifestDigest == "" {
		return nil, errors.New("quay: Tags.Restore needs a manifest digest")
	}
	path, err := repoPath(namespace, repository, "/tag/%s/restore", tag)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, map[string]string{"manifest_digest": manifestDigest}, nil)
}

// Purge takes a tag out of the time machine: its ended entries (or, with
// Alive, the live tag) expire at once, beyond the window in which Restore
// could bring them back from the UI.
//
// Quay answers 200 with the JSON string "" (discarded), 400 without a
// manifest digest for ended entries, and 404 when nothing matches. It
// serves this call for repositories in any state. The entries stay in the
// history (List) with an EndTS before their StartTS until garbage
// collection.
//
// Quay operation: removeTagFromTimemachine (POST /api/v1/repository/{repository}/tag/{tag}/expire)
func (s *TagsService) Purge(ctx context.Context, namespace, repository, tag string, body PurgeTagRequest) (*Response, error) {
	if !body.Alive && body.ManifestDigest == "" {
		return nil, errors.New("quay: PurgeTagRequest needs ManifestDigest unless Alive is set")
	}
	path, err := repoPath(namespace, repository, "/tag/%s/expire", tag)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, body, nil)
}

// PullStatistics returns how often a live tag, and the manifest it points
// at, were pulled.
//
// Quay counts pulls in the background (from Redis into the database), so
// recent pulls show late. The route exists only with
// FEATURE_IMAGE_PULL_STATS; Quay answers 404 for a tag that is not live.
//
// Quay operation: getTagPullStatistics (GET /api/v1/repository/{repository}/tag/{tag}/pull_statistics)
func (s *TagsService) PullStatistics(ctx context.Context, namespace, repository, tag string) (TagPullStatistics, *Response, error) {
	path, err := repoPath(namespace, repository, "/tag/%s/pull_statistics", tag)
	if err != nil {
		return TagPullStatistics{}, nil, err
	}
	var st TagPullStatistics
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &st)
	return st, resp, err
}
