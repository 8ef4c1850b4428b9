package quay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// ManifestsService reads a repository's manifests by digest, manages their
// labels and fetches their security scan.
type ManifestsService service

// Manifest is a manifest as Quay stores it (Get).
type Manifest struct {
	Digest         string `json:"digest"`
	IsManifestList bool   `json:"is_manifest_list"`
	// ManifestData is the manifest's JSON, exactly as pushed.
	ManifestData string `json:"manifest_data"`
	// ConfigMediaType is the config blob's media type; empty for a schema 1
	// manifest and a manifest list (Quay sends null).
	ConfigMediaType string `json:"config_media_type"`
	// LayersCompressedSize is the sum of the layers' sizes; 0 for a
	// manifest list.
	LayersCompressedSize int64 `json:"layers_compressed_size"`
	// Layers are the image's layers, base first; nil for a manifest list.
	Layers []ManifestLayer `json:"layers"`
	// Modelcard is the Markdown of an AI model card carried in the image,
	// with ManifestGetOptions.IncludeModelcard and FEATURE_UI_MODELCARD only.
	Modelcard string `json:"modelcard,omitempty"`
}

// ManifestLayer is one layer of a manifest, with what the image config's
// history says about it.
type ManifestLayer struct {
	Index          int   `json:"index"`
	CompressedSize int64 `json:"compressed_size"`
	// IsRemote and URLs describe a foreign layer fetched from elsewhere.
	IsRemote bool     `json:"is_remote"`
	URLs     []string `json:"urls"`
	// Command is the command that made the layer ("created_by" of a schema
	// 2 config, one string; a schema 1 manifest's list of arguments).
	Command    []string  `json:"command"`
	Comment    string    `json:"comment"`
	Author     string    `json:"author"`
	BlobDigest string    `json:"blob_digest"`
	Created    Timestamp `json:"created_datetime"`
}

// ManifestGetOptions selects what Get includes.
type ManifestGetOptions struct {
	// IncludeModelcard adds the model card (FEATURE_UI_MODELCARD).
	IncludeModelcard bool
}

// Label sources, for Label.SourceType.
const (
	LabelSourceManifest = "manifest" // from the image config's labels, at push
	LabelSourceAPI      = "api"      // added with AddLabel
	LabelSourceInternal = "internal" // set by Quay itself
)

// Label media types, for AddLabelRequest and Label.MediaType.
const (
	LabelMediaTypeText = "text/plain"
	LabelMediaTypeJSON = "application/json"
)

// Label is a key and value attached to a manifest. Keys repeat: a manifest
// may carry several labels with one key.
type Label struct {
	ID         string `json:"id"`
	Key        string `json:"key"`
	Value      string `json:"value"`
	SourceType string `json:"source_type"` // a LabelSource constant
	MediaType  string `json:"media_type"`  // a LabelMediaType constant
}

// LabelListOptions selects the labels ListLabels returns.
type LabelListOptions struct {
	// Prefix keeps the labels whose key starts with it, without regard to
	// case (Quay's filter parameter).
	Prefix string
}

// AddLabelRequest is the body of AddLabel.
type AddLabelRequest struct {
	// Key must be lower-case letters, digits, dots and dashes, and must not
	// start with a reserved prefix: Quay's DEFAULT_LABEL_KEY_RESERVED_PREFIXES
	// ("com.docker.", "org.opencontainers.", "io.kubernetes.", ... and the
	// bare "quay", "io.quay" and "internal", so that "quayside" is refused
	// too) and the registry's LABEL_KEY_RESERVED_PREFIXES.
	Key   string
	Value string
	// MediaType is LabelMediaTypeText or LabelMediaTypeJSON; empty sends
	// null, which Quay stores as text/plain.
	MediaType string
}

// MarshalJSON sends media_type always: Quay requires the key, and null for
// an empty MediaType.
func (r AddLabelRequest) MarshalJSON() ([]byte, error) {
	var mediaType *string
	if r.MediaType != "" {
		mediaType = &r.MediaType
	}
	return json.Marshal(struct {
		Key       string  `json:"key"`
		Value     string  `json:"value"`
		MediaType *string `json:"media_type"`
	}{r.Key, r.Value, mediaType})
}

// Security scan statuses, for ManifestSecurity.Status.
const (
	SecurityScanned       = "scanned"     // Data holds the findings
	SecurityQueued        = "queued"      // not indexed yet
	SecurityFailed        = "failed"      // indexing failed, or its retries ran out
	SecurityUnsupported   = "unsupported" // the scanner cannot index this manifest
	SecurityLayerTooLarge = "manifest_layer_too_large"
)

// ManifestSecurity is a manifest's security scan (Security).
type ManifestSecurity struct {
	Status string `json:"status"` // a Security constant
	// Data holds the findings when Status is SecurityScanned; nil otherwise.
	Data *SecurityData `json:"data"`
}

// SecurityData is what the scanner (Clair v4) found, in the shape Quay
// kept from Clair v2: one layer holding every package (Feature).
type SecurityData struct {
	Layer SecurityLayer `json:"Layer"`
}

// SecurityLayer holds a manifest's packages. Name is the manifest digest.
type SecurityLayer struct {
	Name             string            `json:"Name"`
	ParentName       string            `json:"ParentName"`
	NamespaceName    string            `json:"NamespaceName"`
	IndexedByVersion int               `json:"IndexedByVersion"`
	Features         []SecurityFeature `json:"Features"`
}

// SecurityFeature is an installed package and its vulnerabilities.
type SecurityFeature struct {
	Name          string `json:"Name"`
	VersionFormat string `json:"VersionFormat"`
	NamespaceName string `json:"NamespaceName"`
	// AddedBy is the digest of the layer that installed the package.
	AddedBy string `json:"AddedBy"`
	Version string `json:"Version"`
	// BaseScores are the CVSS v3 scores of the vulnerabilities that have
	// one; CVEIds the CVE ids found in their links, sorted.
	BaseScores      []float64       `json:"BaseScores"`
	CVEIds          []string        `json:"CVEIds"`
	Vulnerabilities []Vulnerability `json:"Vulnerabilities"`
}

// Vulnerability is one vulnerability of a package.
type Vulnerability struct {
	// Severity is "Unknown", "Negligible", "Low", "Medium", "High" or
	// "Critical": the scanner's, else derived from the CVSS score.
	Severity string `json:"Severity"`
	// NamespaceName is the scanner's updater that reported it.
	NamespaceName string `json:"NamespaceName"`
	// Link is one or more URLs separated by spaces.
	Link string `json:"Link"`
	// FixedBy is the first version without the vulnerability; empty when
	// no fix is known.
	FixedBy     string                `json:"FixedBy"`
	Description string                `json:"Description"`
	Name        string                `json:"Name"`
	Metadata    VulnerabilityMetadata `json:"Metadata"`
}

// VulnerabilityMetadata says where a vulnerability was reported. Fields
// the scanner did not give are empty (Quay sends null).
type VulnerabilityMetadata struct {
	UpdatedBy     string `json:"UpdatedBy"`
	RepoName      string `json:"RepoName"`
	RepoLink      string `json:"RepoLink"`
	DistroName    string `json:"DistroName"`
	DistroVersion string `json:"DistroVersion"`
	NVD           NVD    `json:"NVD"`
}

// NVD holds a vulnerability's CVSS v3 data.
type NVD struct {
	CVSSv3 CVSSv3 `json:"CVSSv3"`
}

// CVSSv3 is a CVSS v3 vector and base score. Without enrichment data Quay
// sends both as "" (read here as "" and 0).
type CVSSv3 struct {
	Vectors string
	Score   float64
}

// UnmarshalJSON reads Score as a number or as Quay's "" for none.
func (c *CVSSv3) UnmarshalJSON(b []byte) error {
	var raw struct {
		Vectors *string         `json:"Vectors"`
		Score   json.RawMessage `json:"Score"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = CVSSv3{}
	if raw.Vectors != nil {
		c.Vectors = *raw.Vectors
	}
	switch s := string(bytes.TrimSpace(raw.Score)); s {
	case "", "null", `""`:
	default:
		if err := json.Unmarshal(raw.Score, &c.Score); err != nil {
			return fmt.Errorf("quay: CVSSv3 Score %s is neither a number nor \"\"", raw.Score)
		}
	}
	return nil
}

// SecurityOptions selects what Security includes.
type SecurityOptions struct {
	// Vulnerabilities asks for the vulnerabilities. Quay's Clair v4 code
	// ignores it and always includes them.
	Vulnerabilities bool
}

// ManifestPullStatistics counts the pulls of a manifest by digest or by tag.
type ManifestPullStatistics struct {
	ManifestDigest    string `json:"manifest_digest"`
	ManifestPullCount int64  `json:"manifest_pull_count"`
	// LastManifestPullDate is zero when the manifest was never pulled.
	LastManifestPullDate Timestamp `json:"last_manifest_pull_date"`
}

// manifestPath is the path of a manifest of a repository, followed by suffix.
func manifestPath(namespace, repository, digest, suffix string, args ...string) (string, error) {
	return repoPath(namespace, repository, "/manifest/%s"+suffix, append([]string{digest}, args...)...)
}

// Get returns the manifest digest of a repository, with its layers.
//
// Quay answers 404 for a manifest it does not have, and also for a
// reference that is not a digest (a tag name): use Tags.List to find a
// tag's digest.
//
// Quay operation: getRepoManifest (GET /api/v1/repository/{repository}/manifest/{manifestref})
func (s *ManifestsService) Get(ctx context.Context, namespace, repository, digest string, opts *ManifestGetOptions) (Manifest, *Response, error) {
	path, err := manifestPath(namespace, repository, digest, "")
	if err != nil {
		return Manifest{}, nil, err
	}
	q := url.Values{}
	if opts != nil {
		setFlag(q, "include_modelcard", opts.IncludeModelcard)
	}
	var m Manifest
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &m)
	return m, resp, err
}

// ListLabels returns a manifest's labels.
//
// Quay operation: listManifestLabels (GET /api/v1/repository/{repository}/manifest/{manifestref}/labels)
func (s *ManifestsService) ListLabels(ctx context.Context, namespace, repository, digest string, opts *LabelListOptions) ([]Label, *Response, error) {
	path, err := manifestPath(namespace, repository, digest, "/labels")
	if err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	if opts != nil && opts.Prefix != "" {
		q.Set("filter", opts.Prefix)
	}
	var out struct {
		Labels []Label `json:"labels"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &out)
	return out.Labels, resp, err
}

// GetLabel returns one label of a manifest by its id.
//
// Quay operation: getManifestLabel (GET /api/v1/repository/{repository}/manifest/{manifestref}/labels/{labelid})
func (s *ManifestsService) GetLabel(ctx context.Context, namespace, repository, digest, labelID string) (Label, *Response, error) {
	path, err := manifestPath(namespace, repository, digest, "/labels/%s", labelID)
	if err != nil {
		return Label{}, nil, err
	}
	var l Label
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &l)
	return l, resp, err
}

// AddLabel attaches a label to a manifest and returns it with its id.
//
// Quay answers 201 (with the label's URL in Location), and 400 for a
// reserved prefix ("Label has a reserved prefix"), an invalid key or an
// invalid media type. A key that exists already gets a second label. In a
// repository whose state is not NORMAL Quay answers 503
// (ErrRepositoryNotWritable).
//
// Quay operation: addManifestLabel (POST /api/v1/repository/{repository}/manifest/{manifestref}/labels)
func (s *ManifestsService) AddLabel(ctx context.Context, namespace, repository, digest string, body AddLabelRequest) (Label, *Response, error) {
	path, err := manifestPath(namespace, repository, digest, "/labels")
	if err != nil {
		return Label{}, nil, err
	}
	var out struct {
		Label Label `json:"label"`
	}
	resp, err := s.client.call(ctx, http.MethodPost, path, body, &out)
	return out.Label, resp, err
}

// DeleteLabel removes a label from a manifest.
//
// Quay answers 204, 404 for a label the manifest does not have, and 503
// (ErrRepositoryNotWritable) in a repository whose state is not NORMAL.
//
// Quay operation: deleteManifestLabel (DELETE /api/v1/repository/{repository}/manifest/{manifestref}/labels/{labelid})
func (s *ManifestsService) DeleteLabel(ctx context.Context, namespace, repository, digest, labelID string) (*Response, error) {
	path, err := manifestPath(namespace, repository, digest, "/labels/%s", labelID)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// Security returns the security scan of a manifest: its status and, once
// scanned, the vulnerabilities of its packages.
//
// The route exists only with FEATURE_SECURITY_SCANNER. Without it the path
// is getRepo's, of a repository named "<repository>/manifest/<digest>/security":
// 404 (ErrNotFound) for a caller who may read every repository of the
// namespace, 403 (ErrForbidden) for anyone else, even the repository's
// admin. With it, an unknown manifest is a 404 and one the scanner has not
// indexed yet is SecurityQueued. When the scanner
// cannot be reached Quay answers 520 (ErrServer, Type "downstream_issue").
// Anonymous callers may read public repositories' scans.
//
// Quay operation: getRepoManifestSecurity (GET /api/v1/repository/{repository}/manifest/{manifestref}/security)
func (s *ManifestsService) Security(ctx context.Context, namespace, repository, digest string, opts *SecurityOptions) (ManifestSecurity, *Response, error) {
	path, err := manifestPath(namespace, repository, digest, "/security")
	if err != nil {
		return ManifestSecurity{}, nil, err
	}
	q := url.Values{}
	if opts != nil {
		setFlag(q, "vulnerabilities", opts.Vulnerabilities)
	}
	var sec ManifestSecurity
	resp, err := s.client.call(ctx, http.MethodGet, withQuery(path, q), nil, &sec)
	return sec, resp, err
}

// PullStatistics returns how often a manifest was pulled.
//
// Quay counts pulls in the background, so recent pulls show late. The route
// exists only with FEATURE_IMAGE_PULL_STATS.
//
// Quay operation: getManifestPullStatistics (GET /api/v1/repository/{repository}/manifest/{manifestref}/pull_statistics)
func (s *ManifestsService) PullStatistics(ctx context.Context, namespace, repository, digest string) (ManifestPullStatistics, *Response, error) {
	path, err := manifestPath(namespace, repository, digest, "/pull_statistics")
	if err != nil {
		return ManifestPullStatistics{}, nil, err
	}
	var st ManifestPullStatistics
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &st)
	return st, resp, err
}
