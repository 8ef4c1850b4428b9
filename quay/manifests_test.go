package quay_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

// Manifests of the recordings (testdata/README.md).
const (
	simpleLatestDigest = "sha256:450116fa516373affeb3b051523fa331ee9bea66d4ac4ca43fcd5f3323fdb2c3"
	contentV1Digest    = "sha256:b8b5a0d7cde012bc3e9b33061b64477566dbb4d2b817437d398c3ef9155630b1"
	multiarchDigest    = "sha256:4bdc47a49705dac58fce9bad75df275fadaaa2f469c3b8d8741f099f6dc11f75"
	contentV1Layer     = "sha256:6d703ea2e046dfe3695d5b5d1dd25ed4e87e6541865196c2649c074c987ac4d1"
)

// getManifest calls Manifests.Get and replaces ManifestData by its SHA-256
// digest: Quay keeps the pushed bytes, so it must equal the manifest's own
// digest, which the want values name instead of repeating the JSON.
func getManifest(ns, repo, digest string, opts *quay.ManifestGetOptions) func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
	return func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
		m, resp, err := c.Manifests.Get(ctx, ns, repo, digest, opts)
		sum := sha256.Sum256([]byte(m.ManifestData))
		m.ManifestData = "sha256:" + hex.EncodeToString(sum[:])
		return m, resp, err
	}
}

func TestManifests(t *testing.T) {
	t.Parallel()
	// The fixture's schema 1 manifest: four layers without history.
	schema1 := quay.Manifest{Digest: simpleLatestDigest, ManifestData: simpleLatestDigest, LayersCompressedSize: 92}
	for i, d := range []string{
		"sha256:819c62c15956a7afa8e809025019c303b463bf4a30431c2c854adcea6993a0e7",
		"sha256:93c45110c152b1e27d0768b9341145e3ae16bcab1244ed694fb887544acfcbd6",
		"sha256:3375a879f9661172f1eb0743c6f8d0d2914d2562495ed4dddb8243c5c7898c19",
		"sha256:1ee0e4ba112e8a4f8f19306e904671158e2c640852fa3c0f1894ac57fc726efa",
	} {
		schema1.Layers = append(schema1.Layers, quay.ManifestLayer{Index: i, CompressedSize: 23, BlobDigest: d})
	}
	fooBar := quay.Label{ID: "b8c2e29e-dd4d-4f7f-8384-69656d7a7357", Key: "foo", Value: "bar", SourceType: quay.LabelSourceManifest, MediaType: quay.LabelMediaTypeText}
	fooBaz := quay.Label{ID: "3f271f5e-9b9c-46a9-8755-74c7232f27b8", Key: "foo", Value: "baz", SourceType: quay.LabelSourceAPI, MediaType: quay.LabelMediaTypeText}
	jsonLabel := quay.Label{ID: "9ae2bf5f-59b4-415b-8ace-df21ab7f56a9", Key: "jsonlabel", Value: `{"hey": "there"}`, SourceType: quay.LabelSourceInternal, MediaType: quay.LabelMediaTypeJSON}
	labelsPath := "/repository/devtable/simple/manifest/" + simpleLatestDigest + "/labels"

	runCalls(t, []call{
		{
			name: "Get a schema 1 manifest", method: "GET", path: "/repository/devtable/simple/manifest/" + simpleLatestDigest,
			status: 200, file: "getRepoManifest.json",
			do:   getManifest("devtable", "simple", simpleLatestDigest, nil),
			want: schema1,
		},
		{
			name: "Get a schema 2 manifest with history", method: "GET", path: "/repository/devtable/content/manifest/" + contentV1Digest,
			query:  url.Values{"include_modelcard": {"true"}},
			status: 200, file: "getRepoManifest-schema2.json",
			do: getManifest("devtable", "content", contentV1Digest, &quay.ManifestGetOptions{IncludeModelcard: true}),
			want: quay.Manifest{
				Digest: contentV1Digest, ManifestData: contentV1Digest,
				ConfigMediaType: "application/vnd.docker.container.image.v1+json", LayersCompressedSize: 103,
				Layers: []quay.ManifestLayer{{
					CompressedSize: 103, Command: []string{"/bin/sh -c echo amd64"}, Comment: "layer of amd64", Author: "go-quay",
					BlobDigest: contentV1Layer, Created: quay.Timestamp{Time: time.Date(2026, time.January, 2, 3, 4, 5, 0, time.UTC)},
				}},
			},
		},
		{
			name: "Get a manifest list", method: "GET", path: "/repository/devtable/multiarch/manifest/" + multiarchDigest,
			status: 200, file: "getRepoManifest-list.json",
			do:   getManifest("devtable", "multiarch", multiarchDigest, &quay.ManifestGetOptions{}),
			want: quay.Manifest{Digest: multiarchDigest, ManifestData: multiarchDigest, IsManifestList: true},
		},
		{
			name: "ListLabels", method: "GET", path: labelsPath, status: 200, file: "listManifestLabels.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Manifests.ListLabels(ctx, "devtable", "simple", simpleLatestDigest, nil)
			},
			want: []quay.Label{
				fooBar, fooBaz,
				{ID: "1cdde3d3-064d-42f5-8994-0ffdf3c8814a", Key: "anotherlabel", Value: "1234", SourceType: quay.LabelSourceInternal, MediaType: quay.LabelMediaTypeText},
				jsonLabel,
			},
		},
		{
			name: "ListLabels by prefix", method: "GET", path: labelsPath, query: url.Values{"filter": {"fo"}},
			status: 200, file: "listManifestLabels-filter.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Manifests.ListLabels(ctx, "devtable", "simple", simpleLatestDigest, &quay.LabelListOptions{Prefix: "fo"})
			},
			want: []quay.Label{fooBar, fooBaz},
		},
		{
			name: "GetLabel", method: "GET", path: labelsPath + "/9ae2bf5f-59b4-415b-8ace-df21ab7f56a9", status: 200, file: "getManifestLabel.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Manifests.GetLabel(ctx, "devtable", "simple", simpleLatestDigest, "9ae2bf5f-59b4-415b-8ace-df21ab7f56a9")
			},
			want: jsonLabel,
		},
		{
			name: "AddLabel", method: "POST", path: labelsPath,
			body:   `{"key": "com.example.owner", "value": "team-a", "media_type": "text/plain"}`,
			status: 201, file: "addManifestLabel.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Manifests.AddLabel(ctx, "devtable", "simple", simpleLatestDigest, quay.AddLabelRequest{Key: "com.example.owner", Value: "team-a", MediaType: quay.LabelMediaTypeText})
			},
			want: quay.Label{ID: "625c8518-728e-4101-88db-d7ff52f254a9", Key: "com.example.owner", Value: "team-a", SourceType: quay.LabelSourceAPI, MediaType: quay.LabelMediaTypeText},
		},
		{
			// Quay requires media_type and stores null as text/plain.
			name: "AddLabel without a media type sends null", method: "POST", path: labelsPath,
			body:   `{"key": "nullmedia", "value": "x", "media_type": null}`,
			status: 201, file: "addManifestLabel-null.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Manifests.AddLabel(ctx, "devtable", "simple", simpleLatestDigest, quay.AddLabelRequest{Key: "nullmedia", Value: "x"})
			},
			want: quay.Label{ID: "4135201e-1d1c-4b1f-9a97-8ee7db0d2d2c", Key: "nullmedia", Value: "x", SourceType: quay.LabelSourceAPI, MediaType: quay.LabelMediaTypeText},
		},
		{
			name: "DeleteLabel", method: "DELETE", path: labelsPath + "/625c8518-728e-4101-88db-d7ff52f254a9", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Manifests.DeleteLabel(ctx, "devtable", "simple", simpleLatestDigest, "625c8518-728e-4101-88db-d7ff52f254a9")
				return nil, resp, err
			},
		},
		{
			name: "PullStatistics", method: "GET", path: "/repository/devtable/simple/manifest/" + simpleLatestDigest + "/pull_statistics",
			status: 200, file: "getManifestPullStatistics.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Manifests.PullStatistics(ctx, "devtable", "simple", simpleLatestDigest)
			},
			want: quay.ManifestPullStatistics{ManifestDigest: simpleLatestDigest},
		},
	})
}

// TestManifestSecurity decodes each status real Quay answered with
// FEATURE_SECURITY_SCANNER on, against a stand-in Clair (testdata/README.md):
// the findings of a scanned manifest, and the statuses without data
// (secscan.py MAPPED_STATUSES).
func TestManifestSecurity(t *testing.T) {
	t.Parallel()
	const jammy = "ubuntu/updater/jammy"
	scanned := quay.ManifestSecurity{Status: quay.SecurityScanned, Data: &quay.SecurityData{Layer: quay.SecurityLayer{
		Name: contentV1Digest, IndexedByVersion: 4,
		Features: []quay.SecurityFeature{
			{
				Name: "openssl", AddedBy: contentV1Layer, Version: "3.0.2-0ubuntu1.10",
				BaseScores: []float64{7.4}, CVEIds: []string{"CVE-2023-0286"},
				Vulnerabilities: []quay.Vulnerability{{
					Severity: "High", NamespaceName: jammy,
					Link:    "https://ubuntu.com/security/CVE-2023-0286 https://www.cve.org/CVERecord?id=CVE-2023-0286",
					FixedBy: "3.0.2-0ubuntu1.8", Description: "There is a type confusion vulnerability relating to X.400 address processing.",
					Name: "CVE-2023-0286",
					Metadata: quay.VulnerabilityMetadata{
						UpdatedBy: jammy, RepoName: "Ubuntu 22.04", RepoLink: "https://ubuntu.com/security/",
						DistroName: "Ubuntu", DistroVersion: "22.04 (Jammy Jellyfish)",
						NVD: quay.NVD{CVSSv3: quay.CVSSv3{Vectors: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H", Score: 7.4}},
					},
				}},
			},
			{
				// No fix ("0" in Clair), no repository or distribution (null),
				// severity from the CVSS score.
				Name: "zlib1g", AddedBy: contentV1Layer, Version: "1:1.2.11.dfsg-2ubuntu9",
				BaseScores: []float64{9.8}, CVEIds: []string{"CVE-2022-37434"},
				Vulnerabilities: []quay.Vulnerability{{
					Severity: "Critical", NamespaceName: jammy, Link: "https://ubuntu.com/security/CVE-2022-37434",
					Description: "zlib through 1.2.12 has a heap-based buffer over-read.",
					Name:        "CVE-2022-37434",
					Metadata: quay.VulnerabilityMetadata{
						UpdatedBy: jammy,
						NVD:       quay.NVD{CVSSv3: quay.CVSSv3{Vectors: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Score: 9.8}},
					},
				}},
			},
		},
	}}}
	security := func(ns, repo, digest string, opts *quay.SecurityOptions) func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
		return func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
			return c.Manifests.Security(ctx, ns, repo, digest, opts)
		}
	}
	path := func(repo, digest string) string {
		return "/repository/devtable/" + repo + "/manifest/" + digest + "/security"
	}
	const (
		prodDigest  = "sha256:3950cc631045fada72e8344015345dd021985155ddbc58b9211d3adda27f9589"
		amd64Digest = "sha256:2a30e49443245be987c439d4a9535024308637ab55452642010a9b0084063ada"
		arm64Digest = "sha256:88f22c7698b52bd2d9f9b6b5f0b193a08c4f658219063dff24c7c526afb17c9c"
	)
	runCalls(t, []call{
		{
			name: "scanned", method: "GET", path: path("content", contentV1Digest), query: url.Values{"vulnerabilities": {"true"}},
			status: 200, file: "getRepoManifestSecurity-scanned.json",
			do:   security("devtable", "content", contentV1Digest, &quay.SecurityOptions{Vulnerabilities: true}),
			want: scanned,
		},
		{
			name: "queued", method: "GET", path: path("multiarch", multiarchDigest),
			status: 200, file: "getRepoManifestSecurity-queued.json",
			do:   security("devtable", "multiarch", multiarchDigest, nil),
			want: quay.ManifestSecurity{Status: quay.SecurityQueued},
		},
		{
			name: "failed", method: "GET", path: path("simple", prodDigest),
			status: 200, file: "getRepoManifestSecurity-failed.json",
			do:   security("devtable", "simple", prodDigest, &quay.SecurityOptions{}),
			want: quay.ManifestSecurity{Status: quay.SecurityFailed},
		},
		{
			name: "unsupported", method: "GET", path: path("multiarch", amd64Digest),
			status: 200, file: "getRepoManifestSecurity-unsupported.json",
			do:   security("devtable", "multiarch", amd64Digest, nil),
			want: quay.ManifestSecurity{Status: quay.SecurityUnsupported},
		},
		{
			name: "layer too large", method: "GET", path: path("multiarch", arm64Digest),
			status: 200, file: "getRepoManifestSecurity-toolarge.json",
			do:   security("devtable", "multiarch", arm64Digest, nil),
			want: quay.ManifestSecurity{Status: quay.SecurityLayerTooLarge},
		},
	})
}

// TestCVSSv3Decoding covers the Score forms of datatypes.py to_dict: a
// number from enrichment data, "" without it (secscan_v4_model.py
// features_for), and null.
func TestCVSSv3Decoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    quay.CVSSv3
		wantErr bool
	}{
		{`{"Vectors": "CVSS:3.1/AV:N", "Score": 7.4}`, quay.CVSSv3{Vectors: "CVSS:3.1/AV:N", Score: 7.4}, false},
		{`{"Vectors": "", "Score": ""}`, quay.CVSSv3{}, false},
		{`{"Vectors": null, "Score": null}`, quay.CVSSv3{}, false},
		{`{}`, quay.CVSSv3{}, false},
		{`{"Vectors": "", "Score": "high"}`, quay.CVSSv3{}, true},
		{`{"Vectors": 5}`, quay.CVSSv3{}, true},
		{`[]`, quay.CVSSv3{}, true},
	}
	for _, tt := range tests {
		var got quay.CVSSv3
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestManifestsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c := noRequest(t)
	tests := map[string]func(ctx context.Context) error{
		"Get without a digest": func(ctx context.Context) error {
			_, _, err := c.Manifests.Get(ctx, "a", "b", "", nil)
			return err
		},
		"ListLabels without a repository": func(ctx context.Context) error {
			_, _, err := c.Manifests.ListLabels(ctx, "a", "", "sha256:1", nil)
			return err
		},
		"GetLabel without an id": func(ctx context.Context) error {
			_, _, err := c.Manifests.GetLabel(ctx, "a", "b", "sha256:1", "")
			return err
		},
		"AddLabel without a digest": func(ctx context.Context) error {
			_, _, err := c.Manifests.AddLabel(ctx, "a", "b", "", quay.AddLabelRequest{Key: "k"})
			return err
		},
		"DeleteLabel without an id": func(ctx context.Context) error {
			_, err := c.Manifests.DeleteLabel(ctx, "a", "b", "sha256:1", "")
			return err
		},
		"Security without a namespace": func(ctx context.Context) error {
			_, _, err := c.Manifests.Security(ctx, "", "b", "sha256:1", nil)
			return err
		},
		"PullStatistics without a digest": func(ctx context.Context) error {
			_, _, err := c.Manifests.PullStatistics(ctx, "a", "b", "")
			return err
		},
	}
	for name, call := range tests {
		if err := call(t.Context()); err == nil {
			t.Errorf("%s: no error, want one before sending", name)
		}
	}
}
