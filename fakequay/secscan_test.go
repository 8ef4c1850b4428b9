package fakequay

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recordedScan is real Quay's getRepoManifestSecurity answer for a scanned
// manifest (quay/testdata/README.md: FEATURE_SECURITY_SCANNER on, a
// stand-in Clair serving a two-package report).
func recordedScan(t *testing.T) (body string, digest string, features []SeedSecurityFeature) {
	t.Helper()
	b, err := os.ReadFile("../quay/testdata/getRepoManifestSecurity-scanned.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Data struct {
			Layer struct {
				Name     string
				Features []SeedSecurityFeature
			}
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(string(b), "\n"), rec.Data.Layer.Name, rec.Data.Layer.Features
}

// TestGetRepoManifestSecurity follows endpoints/api/secscan.py
// RepositoryManifestSecurity.get and _security_info, with
// data/secscan_model/secscan_v4_model.py load_security_information and
// datatypes.py SecurityInformation.to_dict. Checked against real Quay
// (harness, scanner off and on, 2026-12-07): the off answer, queued for an
// unscanned manifest, the permission answers (anonymous and other users
// on a public repository read it), a bad manifestref, POST's 405; the scanned body is real Quay's recorded one, byte for byte.
func TestGetRepoManifestSecurity(t *testing.T) {
	t.Parallel()
	recorded, digest, features := recordedScan(t)
	const repo = "/api/v1/repository/alice/app/manifest/"
	dead := "sha256:" + strings.Repeat("d", 64)
	build := func(scanner bool) *harness {
		h := newHarness(t, func(s *Seed) {
			s.Config.FeatureSecurityScanner = scanner
			// As the harness runs: superusers read every repository.
			s.Config.FeatureSuperusersFullAccess = true
			end := fixtureTime.Unix() - 10
			s.Manifests = []SeedManifest{
				{Namespace: "alice", Repository: "app", Digest: digest, ManifestData: `{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "layers": []}`,
					Tags: []SeedTag{{Name: "scanned", StartTS: fixtureTime.Unix() - 100}}},
				{Namespace: "alice", Repository: "app", Digest: dead, ManifestData: `{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "layers": []}`,
					Tags: []SeedTag{{Name: "gone", StartTS: fixtureTime.Unix() - 100, EndTS: &end}}},
			}
			s.SecurityScans = []SeedSecurityScan{{Namespace: "alice", Repository: "app", Digest: digest, Status: "scanned", Features: features}}
			s.Repositories = append(s.Repositories, SeedRepository{Namespace: "acme", Name: "site", Visibility: "public"})
			s.Manifests = append(s.Manifests, SeedManifest{Namespace: "acme", Repository: "site", Digest: digest,
				ManifestData: `{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "layers": []}`,
				Tags:         []SeedTag{{Name: "latest", StartTS: fixtureTime.Unix() - 100}}})
		})
		return h
	}
	statusOnly := func(status string) reply { return jsonReply(200, `{"status": "`+status+`", "data": null}`) }
	cases := []struct {
		name    string
		scanner bool
		method  string
		path    string
		token   string
		set     *SeedSecurityScan // recorded on the dead manifest first
		want    reply
	}{
		{name: "scanner off: the path is getRepo's, of no repository", path: repo + digest + "/security", token: tokAlice, want: replyNotFound},
		{name: "scanner off: anonymous", path: repo + digest + "/security", token: tokNone, want: replyUnauthorized},
		{name: "scanned: the report", scanner: true, path: repo + digest + "/security", token: tokAlice, want: jsonReply(200, recorded)},
		{name: "scanned: vulnerabilities=true changes nothing", scanner: true, path: repo + digest + "/security?vulnerabilities=true", token: tokAlice,
			want: jsonReply(200, recorded)},
		{name: "scanned: truthy_bool takes anything", scanner: true, path: repo + digest + "/security?vulnerabilities=maybe", token: tokAlice,
			want: jsonReply(200, recorded)},
		{name: "superuser (FEATURE_SUPERUSERS_FULL_ACCESS)", scanner: true, path: repo + digest + "/security", token: tokAdmin, want: jsonReply(200, recorded)},
		{name: "global read-only superuser", scanner: true, path: repo + digest + "/security", token: tokAuditor, want: jsonReply(200, recorded)},
		{name: "queued: never scanned, and dead (allow_dead)", scanner: true, path: repo + dead + "/security", token: tokAlice, want: statusOnly("queued")},
		{name: "failed", scanner: true, path: repo + dead + "/security", token: tokAlice,
			set: &SeedSecurityScan{Status: "failed"}, want: statusOnly("failed")},
		{name: "unsupported", scanner: true, path: repo + dead + "/security", token: tokAlice,
			set: &SeedSecurityScan{Status: "unsupported"}, want: statusOnly("unsupported")},
		{name: "layer too large", scanner: true, path: repo + dead + "/security", token: tokAlice,
			set: &SeedSecurityScan{Status: "manifest_layer_too_large"}, want: statusOnly("manifest_layer_too_large")},
		{name: "scanned with no packages", scanner: true, path: repo + dead + "/security", token: tokAlice, set: &SeedSecurityScan{Status: "scanned"},
			want: jsonReply(200, `{"status": "scanned", "data": {"Layer": {"Name": "`+dead+`", "ParentName": "", "NamespaceName": "", "IndexedByVersion": 4, "Features": []}}}`)},
		{name: "derived keys: truthy scores, CVEs deduplicated and sorted", scanner: true, path: repo + dead + "/security", token: tokAlice,
			set: &SeedSecurityScan{Status: "scanned", Features: []SeedSecurityFeature{{Name: "p", AddedBy: "sha256:l", Version: "1",
				Vulnerabilities: []SeedSecurityVulnerability{
					{Severity: "Low", NamespaceName: "u", Name: "b", Link: "x CVE-2024-0002 CVE-2024-12345678 CVE-2024-0002",
						Metadata: SeedSecurityMetadata{NVD: SeedNVD{CVSSv3: SeedCVSSv3{Vectors: ptr("V"), Score: ptr(10.0)}}}},
					{Severity: "Unknown", NamespaceName: "u", Name: "a", Link: "CVE-2023-0001",
						Metadata: SeedSecurityMetadata{NVD: SeedNVD{CVSSv3: SeedCVSSv3{Vectors: ptr(""), Score: ptr(0.0)}}}},
				}}}},
			want: jsonReply(200, `{"status": "scanned", "data": {"Layer": {"Name": "`+dead+`", "ParentName": "", "NamespaceName": "", "IndexedByVersion": 4, "Features": [`+
				`{"Name": "p", "VersionFormat": "", "NamespaceName": "", "AddedBy": "sha256:l", "Version": "1", "BaseScores": [10.0], "CVEIds": ["CVE-2023-0001", "CVE-2024-0002", "CVE-2024-1234567"], "Vulnerabilities": [`+
				`{"Severity": "Low", "NamespaceName": "u", "Link": "x CVE-2024-0002 CVE-2024-12345678 CVE-2024-0002", "FixedBy": "", "Description": "", "Name": "b", "Metadata": {"UpdatedBy": "u", "RepoName": null, "RepoLink": null, "DistroName": null, "DistroVersion": null, "NVD": {"CVSSv3": {"Vectors": "V", "Score": 10.0}}}}, `+
				`{"Severity": "Unknown", "NamespaceName": "u", "Link": "CVE-2023-0001", "FixedBy": "", "Description": "", "Name": "a", "Metadata": {"UpdatedBy": "u", "RepoName": null, "RepoLink": null, "DistroName": null, "DistroVersion": null, "NVD": {"CVSSv3": {"Vectors": "", "Score": 0.0}}}}]}]}}}`)},
		{name: "a manifest the repository lacks", scanner: true, path: repo + "sha256:" + strings.Repeat("0", 64) + "/security", token: tokAlice, want: replyNotFound},
		{name: "not a digest: repository.py's rule", scanner: true, path: repo + "notadigest/security", token: tokAlice, want: replyNotFound},
		{name: "no repository: superuser", scanner: true, path: "/api/v1/repository/alice/nope/manifest/" + digest + "/security", token: tokAdmin, want: replyNotFound},
		{name: "no repository: a user without access", scanner: true, path: "/api/v1/repository/acme/nope/manifest/" + digest + "/security", token: tokAlice, want: replyForbidden},
		{name: "anonymous on a public repository (@anon_allowed)", scanner: true, path: "/api/v1/repository/acme/site/manifest/" + digest + "/security",
			token: tokNone, want: statusOnly("queued")},
		{name: "a user without a role on a public repository", scanner: true, path: "/api/v1/repository/acme/site/manifest/" + digest + "/security",
			token: tokAlice, want: statusOnly("queued")},
		{name: "anonymous on a private repository", scanner: true, path: repo + digest + "/security", token: tokNone, want: replyUnauthorized},
		{name: "POST: only GET is served", scanner: true, method: "POST", path: repo + digest + "/security", token: tokAlice, want: replyMethodNotAllowedJSON},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := build(tc.scanner)
			if tc.set != nil {
				sc := *tc.set
				sc.Namespace, sc.Repository, sc.Digest = "alice", "app", dead
				if err := h.s.SetSecurityScan(sc); err != nil {
					t.Fatal(err)
				}
			}
			method := tc.method
			if method == "" {
				method = "GET"
			}
			checkReply(t, tc.want, h.do(method, tc.path, tc.token, ""))
		})
	}
}

// TestSetSecurityScanRefuses checks the seed's checks: each names the
// field at fault.
func TestSetSecurityScanRefuses(t *testing.T) {
	t.Parallel()
	h, first, _, _ := contentHarness(t)
	d := string(first.Digest)
	vuln := func(edit func(*SeedSecurityVulnerability)) []SeedSecurityFeature {
		v := SeedSecurityVulnerability{Severity: "High", Name: "CVE-1", NamespaceName: "u"}
		edit(&v)
		return []SeedSecurityFeature{{Name: "p", Vulnerabilities: []SeedSecurityVulnerability{v}}}
	}
	cases := []struct {
		name string
		in   SeedSecurityScan
		want string
	}{
		{"no namespace", SeedSecurityScan{Namespace: "nobody", Repository: "app", Digest: d, Status: "queued"},
			`fakequay: SetSecurityScan.namespace: "nobody" is not a seeded user or organization`},
		{"no repository", SeedSecurityScan{Namespace: "alice", Repository: "nope", Digest: d, Status: "queued"},
			`fakequay: SetSecurityScan.repository: alice/nope is not a seeded repository`},
		{"no manifest", SeedSecurityScan{Namespace: "alice", Repository: "app", Digest: "sha256:0", Status: "queued"},
			`fakequay: SetSecurityScan.digest: alice/app has no manifest sha256:0`},
		{"status", SeedSecurityScan{Namespace: "alice", Repository: "app", Digest: d, Status: "done"},
			`fakequay: SetSecurityScan.status: "done" is not one of scanned, queued, failed, unsupported, manifest_layer_too_large`},
		{"findings on a failed scan", SeedSecurityScan{Namespace: "alice", Repository: "app", Digest: d, Status: "failed", Features: []SeedSecurityFeature{{Name: "p"}}},
			`fakequay: SetSecurityScan.features: only a scanned manifest has findings, not a failed one`},
		{"severity", SeedSecurityScan{Namespace: "alice", Repository: "app", Digest: d, Status: "scanned",
			Features: vuln(func(v *SeedSecurityVulnerability) { v.Severity = "high" })},
			`fakequay: SetSecurityScan.features[0].Vulnerabilities[0].Severity: "high" is not one of Unknown, Negligible, Low, Medium, High, Critical`},
		{"UpdatedBy", SeedSecurityScan{Namespace: "alice", Repository: "app", Digest: d, Status: "scanned",
			Features: vuln(func(v *SeedSecurityVulnerability) { v.Metadata.UpdatedBy = ptr("other") })},
			`fakequay: SetSecurityScan.features[0].Vulnerabilities[0].Metadata.UpdatedBy: "other" is not the NamespaceName "u" (both are the updater)`},
		{"half an enrichment", SeedSecurityScan{Namespace: "alice", Repository: "app", Digest: d, Status: "scanned",
			Features: vuln(func(v *SeedSecurityVulnerability) { v.Metadata.NVD.CVSSv3.Score = ptr(1.0) })},
			`fakequay: SetSecurityScan.features[0].Vulnerabilities[0].Metadata.NVD.CVSSv3: Vectors and Score come from one enrichment: give both or neither`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := h.s.SetSecurityScan(tc.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSecurityScanSeedFile loads a security_scans section from a seed
// file's JSON, strictly: an unknown key (BaseScores, which Quay derives)
// is refused.
func TestSecurityScanSeedFile(t *testing.T) {
	t.Parallel()
	seed := `{"users": [{"username": "alice", "email": "a@example.com"}],
	  "manifests": [{"namespace": "alice", "repository": "app", "digest": "sha256:abc", "manifest_data": "{\"schemaVersion\": 2, \"layers\": []}"}],
	  "security_scans": [{"namespace": "alice", "repository": "app", "digest": "sha256:abc", "status": "scanned",
	    "features": [{"Name": "p", "AddedBy": "sha256:l", "Version": "1", "BaseScores": [1.0]}]}]}`
	_, err := ParseSeed([]byte(seed))
	got := ""
	if err != nil {
		got = err.Error()
	}
	if !strings.Contains(got, "BaseScores") {
		t.Errorf("ParseSeed error %q does not name BaseScores", got)
	}
	ok := strings.Replace(seed, `, "BaseScores": [1.0]`, "", 1)
	if _, err := ParseSeed([]byte(ok)); err != nil {
		t.Errorf("ParseSeed without BaseScores: %v", err)
	}
}
