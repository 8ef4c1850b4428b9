package contract

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

// Security scans (endpoints/api/secscan.py), read on the fixture
// repository.

// unknownDigest is a well-formed digest no repository has.
const unknownDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000"

func secscanCases() []testCase {
	return []testCase{
		{op: "getRepoManifestSecurity", name: "secscan.py:88 @show_if(SECURITY_SCANNER): without it the path is getRepo's, of a repository named ns/repo/manifest/<digest>/security", run: func(t *testing.T, e *env) {
			if e.tgt.SecurityScanner {
				t.Skip("the target runs with FEATURE_SECURITY_SCANNER")
			}
			ns, repo := e.notificationRepo(t)
			digest := e.tgt.Fixtures.UnscannedManifest
			if digest == "" {
				digest = unknownDigest
			}
			// getRepo checks read permission on that repository first: a
			// superuser with full access passes and finds none (404), one
			// without is refused (403), as is a user who administers only
			// the real repository (checked against the harness).
			_, _, err := e.quayClient(t, Superuser).Manifests.Security(t.Context(), ns, repo, digest, nil)
			if e.tgt.SuperusersFullAccess {
				wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			} else {
				wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			}
		}},
		{op: "getRepoManifestSecurity", name: "secscan.py:97 require_repo_read: anonymous callers of a private repository get a 401", run: func(t *testing.T, e *env) {
			ns, repo := e.notificationRepo(t)
			_, _, err := e.quayClient(t, Anonymous).Manifests.Security(t.Context(), ns, repo, unknownDigest, nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
		{op: "getRepoManifestSecurity", name: "secscan.py:108 a manifest the repository lacks is a 404", run: func(t *testing.T, e *env) {
			if !e.tgt.SecurityScanner {
				t.Skip("the target runs without FEATURE_SECURITY_SCANNER")
			}
			ns, repo := e.notificationRepo(t)
			_, _, err := e.quayClient(t, NormalUser).Manifests.Security(t.Context(), ns, repo, unknownDigest, nil)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getRepoManifestSecurity", name: "secscan_v4_model.py:load_security_information a manifest not indexed yet is queued", run: func(t *testing.T, e *env) {
			digest := e.securityFixture(t, e.tgt.Fixtures.UnscannedManifest)
			ns, repo := e.notificationRepo(t)
			got, _, err := e.quayClient(t, ReadOnlySuperuser).Manifests.Security(t.Context(), ns, repo, digest, &quay.SecurityOptions{Vulnerabilities: true})
			wantNoError(t, "Security", err)
			if diff := cmp.Diff(quay.ManifestSecurity{Status: quay.SecurityQueued}, got); diff != "" {
				t.Errorf("Security (-want +got):\n%s", diff)
			}
		}},
		{op: "getRepoManifestSecurity", name: "secscan.py:_security_info a scanned manifest carries its packages, with and without vulnerabilities", run: func(t *testing.T, e *env) {
			digest := e.securityFixture(t, e.tgt.Fixtures.ScannedManifest)
			ns, repo := e.notificationRepo(t)
			c := e.quayClient(t, NormalUser)
			with, _, err := c.Manifests.Security(t.Context(), ns, repo, digest, &quay.SecurityOptions{Vulnerabilities: true})
			wantNoError(t, "Security", err)
			without, _, err := c.Manifests.Security(t.Context(), ns, repo, digest, nil)
			wantNoError(t, "Security", err)
			if diff := cmp.Diff(with, without); diff != "" {
				t.Errorf("vulnerabilities=true changed the answer (-with +without):\n%s", diff)
			}
			want := quay.ManifestSecurity{Status: quay.SecurityScanned, Data: &quay.SecurityData{Layer: quay.SecurityLayer{
				Name: digest, IndexedByVersion: 4, Features: with.Data.Layer.Features}}}
			if diff := cmp.Diff(want, with); diff != "" {
				t.Errorf("Security (-want +got):\n%s", diff)
			}
			var names []string
			for _, f := range with.Data.Layer.Features {
				names = append(names, f.Name)
				for _, v := range f.Vulnerabilities {
					if f.CVEIds == nil || v.Metadata.UpdatedBy != v.NamespaceName {
						t.Errorf("feature %s: CVEIds %v, vulnerability %s updated by %q, reported by %q", f.Name, f.CVEIds, v.Name, v.Metadata.UpdatedBy, v.NamespaceName)
					}
				}
			}
			if diff := cmp.Diff([]string{"openssl", "zlib1g"}, names); diff != "" {
				t.Errorf("packages (-want +got):\n%s", diff)
			}
		}},
	}
}

// securityFixture returns digest, skipping the case when the target has
// no scanner or names no such manifest.
func (e *env) securityFixture(t *testing.T, digest string) string {
	t.Helper()
	if !e.tgt.SecurityScanner {
		t.Skip("the target runs without FEATURE_SECURITY_SCANNER")
	}
	if digest == "" {
		t.Skip("the target names no manifest for this case")
	}
	return digest
}
