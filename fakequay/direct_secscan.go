package fakequay

import (
	"fmt"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Security scans: what Quay's security worker and Clair v4 would have
// stored for a manifest, given in getRepoManifestSecurity's own terms, so
// that a recorded answer's data.Layer.Features can be seeded as it is
// (less the keys Quay computes: VersionFormat and NamespaceName, always
// "", and BaseScores and CVEIds, derived from the vulnerabilities).

// SeedSecurityScan is the security scan of a manifest in a repository.
type SeedSecurityScan struct {
	Namespace  string `json:"namespace" seed:"required"`
	Repository string `json:"repository" seed:"required"`
	Digest     string `json:"digest" seed:"required"`
	// Status is "scanned" (Features are the findings), "queued" (what a
	// manifest without a scan answers), "failed", "unsupported" or
	// "manifest_layer_too_large".
	Status   string                `json:"status" seed:"required"`
	Features []SeedSecurityFeature `json:"features,omitempty"`
}

// SeedSecurityFeature is a package the scanner found.
type SeedSecurityFeature struct {
	Name string `json:"Name" seed:"required"`
	// AddedBy is the digest of the layer that installed the package.
	AddedBy         string                      `json:"AddedBy"`
	Version         string                      `json:"Version"`
	Vulnerabilities []SeedSecurityVulnerability `json:"Vulnerabilities,omitempty"`
}

// SeedSecurityVulnerability is one vulnerability of a package.
// NamespaceName is the scanner's updater, which Quay also shows as
// Metadata.UpdatedBy.
type SeedSecurityVulnerability struct {
	// Severity is Unknown, Negligible, Low, Medium, High or Critical.
	Severity      string               `json:"Severity" seed:"required"`
	NamespaceName string               `json:"NamespaceName"`
	Link          string               `json:"Link"`
	FixedBy       string               `json:"FixedBy"`
	Description   string               `json:"Description"`
	Name          string               `json:"Name" seed:"required"`
	Metadata      SeedSecurityMetadata `json:"Metadata"`
}

// SeedSecurityMetadata is where a vulnerability was reported; absent
// values are Quay's null. UpdatedBy, when given, must equal the
// vulnerability's NamespaceName.
type SeedSecurityMetadata struct {
	UpdatedBy     *string `json:"UpdatedBy,omitempty"`
	RepoName      *string `json:"RepoName,omitempty"`
	RepoLink      *string `json:"RepoLink,omitempty"`
	DistroName    *string `json:"DistroName,omitempty"`
	DistroVersion *string `json:"DistroVersion,omitempty"`
	NVD           SeedNVD `json:"NVD"`
}

// SeedNVD holds a vulnerability's CVSS v3 enrichment.
type SeedNVD struct {
	CVSSv3 SeedCVSSv3 `json:"CVSSv3"`
}

// SeedCVSSv3 is a vulnerability's CVSS v3 enrichment: both or neither.
type SeedCVSSv3 struct {
	Vectors *string  `json:"Vectors,omitempty"`
	Score   *float64 `json:"Score,omitempty"`
}

// SetSecurityScan records the security scan of a manifest, as a seed
// file's security_scans entry would; it replaces an earlier one.
func (s *Server) SetSecurityScan(sc SeedSecurityScan) error {
	return s.store.Load(func(l *store.Loader) error {
		return wrapDirect("SetSecurityScan", loadSecurityScan(l, sc))
	})
}

// severities are the values fetch_vuln_severity gives.
var severities = map[string]bool{"Unknown": true, "Negligible": true, "Low": true, "Medium": true, "High": true, "Critical": true}

// loadSecurityScan stores a seed's security scan on its manifest.
func loadSecurityScan(l *store.Loader, sc SeedSecurityScan) error {
	rd := l.Read()
	ns, ok := rd.Namespace(sc.Namespace)
	if !ok {
		return fmt.Errorf(".namespace: %q is not a seeded user or organization", sc.Namespace)
	}
	repo, ok := rd.Repository(ns.ID, sc.Repository)
	if !ok {
		return fmt.Errorf(".repository: %s/%s is not a seeded repository", sc.Namespace, sc.Repository)
	}
	m, ok := rd.Manifest(repo, sc.Digest)
	if !ok {
		return fmt.Errorf(".digest: %s/%s has no manifest %s", sc.Namespace, sc.Repository, sc.Digest)
	}
	if !validScanStatus(sc.Status) {
		return fmt.Errorf(".status: %q is not one of scanned, queued, failed, unsupported, manifest_layer_too_large", sc.Status)
	}
	if sc.Status != scanScanned && len(sc.Features) > 0 {
		return fmt.Errorf(".features: only a scanned manifest has findings, not a %s one", sc.Status)
	}
	scan := store.SecurityScan{Status: sc.Status, Features: make([]store.SecurityFeature, 0, len(sc.Features))}
	for i, f := range sc.Features {
		sf := store.SecurityFeature{Name: f.Name, AddedBy: f.AddedBy, Version: f.Version}
		for j, v := range f.Vulnerabilities {
			at := fmt.Sprintf(".features[%d].Vulnerabilities[%d]", i, j)
			if !severities[v.Severity] {
				return fmt.Errorf("%s.Severity: %q is not one of Unknown, Negligible, Low, Medium, High, Critical", at, v.Severity)
			}
			md := v.Metadata
			if md.UpdatedBy != nil && *md.UpdatedBy != v.NamespaceName {
				return fmt.Errorf("%s.Metadata.UpdatedBy: %q is not the NamespaceName %q (both are the updater)", at, *md.UpdatedBy, v.NamespaceName)
			}
			cvss := md.NVD.CVSSv3
			if (cvss.Vectors == nil) != (cvss.Score == nil) {
				return fmt.Errorf("%s.Metadata.NVD.CVSSv3: Vectors and Score come from one enrichment: give both or neither", at)
			}
			sf.Vulnerabilities = append(sf.Vulnerabilities, store.Vulnerability{Severity: v.Severity, NamespaceName: v.NamespaceName,
				Link: v.Link, FixedBy: v.FixedBy, Description: v.Description, Name: v.Name, RepoName: md.RepoName,
				RepoLink: md.RepoLink, DistroName: md.DistroName, DistroVersion: md.DistroVersion,
				CVSSVectors: cvss.Vectors, CVSSScore: cvss.Score})
		}
		scan.Features = append(scan.Features, sf)
	}
	l.SetSecurityScan(m, scan)
	return nil
}
