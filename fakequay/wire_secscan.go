package fakequay

import (
	"slices"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// securityInfoView is _security_info's answer, keys in its order.
type securityInfoView struct {
	Status string        `json:"status"`
	Data   *securityData `json:"data"` // null unless scanned
}

// securityData is SecurityInformation.to_dict.
type securityData struct {
	Layer securityLayer `json:"Layer"`
}

// securityLayer is the Layer that load_security_information builds:
// Layer(report["manifest_hash"], "", "", 4, features_for(report)).
type securityLayer struct {
	Name             string            `json:"Name"`
	ParentName       string            `json:"ParentName"`
	NamespaceName    string            `json:"NamespaceName"`
	IndexedByVersion int               `json:"IndexedByVersion"`
	Features         []securityFeature `json:"Features"`
}

// securityFeature is to_dict's feature: features_for leaves VersionFormat
// and NamespaceName empty; BaseScores and CVEIds come from the
// vulnerabilities (vulns_to_base_scores, vulns_to_cves).
type securityFeature struct {
	Name            string                  `json:"Name"`
	VersionFormat   string                  `json:"VersionFormat"`
	NamespaceName   string                  `json:"NamespaceName"`
	AddedBy         string                  `json:"AddedBy"`
	Version         string                  `json:"Version"`
	BaseScores      []py.Float              `json:"BaseScores"`
	CVEIds          []string                `json:"CVEIds"`
	Vulnerabilities []securityVulnerability `json:"Vulnerabilities"`
}

type securityVulnerability struct {
	Severity      string           `json:"Severity"`
	NamespaceName string           `json:"NamespaceName"`
	Link          string           `json:"Link"`
	FixedBy       string           `json:"FixedBy"`
	Description   string           `json:"Description"`
	Name          string           `json:"Name"`
	Metadata      securityMetadata `json:"Metadata"`
}

// securityMetadata is features_for's Metadata: UpdatedBy is the updater
// (as NamespaceName), the rest the report's repository and distribution,
// null when it has none.
type securityMetadata struct {
	UpdatedBy     string      `json:"UpdatedBy"`
	RepoName      *string     `json:"RepoName"`
	RepoLink      *string     `json:"RepoLink"`
	DistroName    *string     `json:"DistroName"`
	DistroVersion *string     `json:"DistroVersion"`
	NVD           securityNVD `json:"NVD"`
}

type securityNVD struct {
	CVSSv3 securityCVSS `json:"CVSSv3"`
}

// securityCVSS is the enrichment's vector and score, "" each without one.
type securityCVSS struct {
	Vectors string `json:"Vectors"`
	Score   any    `json:"Score"` // py.Float, or "" without enrichment
}

// cvePattern is datatypes.py link_to_cves' r"CVE-\d{4}-\d{4,7}", whose
// \d, in a Python str pattern, is any Unicode decimal digit.
var cvePattern = lazyRegexp(`CVE-\p{Nd}{4}-\p{Nd}{4,7}`)

// securityDataOf is to_dict of the Layer built for a scanned manifest.
func securityDataOf(digest string, features []store.SecurityFeature) *securityData {
	layer := securityLayer{Name: digest, IndexedByVersion: 4, Features: make([]securityFeature, 0, len(features))}
	for _, f := range features {
		sf := securityFeature{Name: f.Name, AddedBy: f.AddedBy, Version: f.Version, BaseScores: []py.Float{}, CVEIds: []string{},
			Vulnerabilities: make([]securityVulnerability, 0, len(f.Vulnerabilities))}
		seen := map[string]bool{}
		for _, v := range f.Vulnerabilities {
			// vulns_to_base_scores keeps the truthy scores: not "", not 0.
			if v.CVSSScore != nil && *v.CVSSScore != 0 {
				sf.BaseScores = append(sf.BaseScores, py.Float(*v.CVSSScore))
			}
			// vulns_to_cves: each link's CVEs (link_to_cves), first
			// sighting kept, then sorted.
			for _, cve := range cvePattern().FindAllString(v.Link, -1) {
				if !seen[cve] {
					seen[cve] = true
					sf.CVEIds = append(sf.CVEIds, cve)
				}
			}
			cvss := securityCVSS{Vectors: "", Score: ""}
			if v.CVSSVectors != nil {
				cvss.Vectors = *v.CVSSVectors
			}
			if v.CVSSScore != nil {
				cvss.Score = py.Float(*v.CVSSScore)
			}
			sf.Vulnerabilities = append(sf.Vulnerabilities, securityVulnerability{Severity: v.Severity,
				NamespaceName: v.NamespaceName, Link: v.Link, FixedBy: v.FixedBy, Description: v.Description, Name: v.Name,
				Metadata: securityMetadata{UpdatedBy: v.NamespaceName, RepoName: v.RepoName, RepoLink: v.RepoLink,
					DistroName: v.DistroName, DistroVersion: v.DistroVersion, NVD: securityNVD{CVSSv3: cvss}}})
		}
		slices.Sort(sf.CVEIds)
		layer.Features = append(layer.Features, sf)
	}
	return &securityData{Layer: layer}
}
