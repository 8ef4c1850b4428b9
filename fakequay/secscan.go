package fakequay

import (
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// secscanRoutes are endpoints/api/secscan.py's resources. The rule exists
// only with FEATURE_SECURITY_SCANNER (@show_if): without it the path falls
// to repository.py's /repository/<apirepopath> rule, whose getRepo finds
// no repository of that long name and answers 404.
func secscanRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/repository/" + repoPathVar + "/manifest/{manifestref}/security",
			when: func(c *Config) bool { return c.FeatureSecurityScanner },
			ops: map[string]*operation{
				// @process_basic_auth_no_pass, @anon_allowed,
				// @require_repo_read(allow_for_superuser=True,
				// allow_for_global_readonly_superuser=True).
				http.MethodGet: {nickname: "getRepoManifestSecurity", guard: requireRepoRead, query: []queryParam{
					{name: "vulnerabilities", kind: paramTruthyBool, help: "Include vulnerabilities informations", def: false},
				}, handle: (*Server).getRepoManifestSecurity},
			}},
	}
}

// getRepoManifestSecurity is RepositoryManifestSecurity.get:
// lookup_repository, lookup_manifest_by_digest(allow_dead=True), then
// _security_info. The manifest's ManifestSecurityStatus decides the status
// (V4SecurityScanner.load_security_information): no row, PENDING or
// IN_PROGRESS is queued; a completed scan carries the report's packages.
// Quay's Clair v4 model ignores vulnerabilities (the answer is the same
// with and without it).
func (s *Server) getRepoManifestSecurity(c *call) error {
	repo, err := c.lookupRepository()
	if err != nil {
		return err
	}
	m, ok := c.read.Manifest(repo, c.param("manifestref"))
	if !ok {
		return errNotFound
	}
	c.restful(http.StatusOK, securityInfoOf(m))
	return nil
}

// Security statuses of getRepoManifestSecurity (secscan.py
// SecurityScanStatus).
const (
	scanScanned       = "scanned"
	scanQueued        = "queued"
	scanFailed        = "failed"
	scanUnsupported   = "unsupported"
	scanLayerTooLarge = "manifest_layer_too_large"
)

// validScanStatus reports whether s is one of SecurityScanStatus' values.
func validScanStatus(s string) bool {
	switch s {
	case scanScanned, scanQueued, scanFailed, scanUnsupported, scanLayerTooLarge:
		return true
	}
	return false
}

// securityInfoOf is _security_info's dict for a manifest.
func securityInfoOf(m *store.Manifest) securityInfoView {
	if m.Security == nil {
		return securityInfoView{Status: scanQueued}
	}
	v := securityInfoView{Status: m.Security.Status}
	if m.Security.Status == scanScanned {
		v.Data = securityDataOf(m.Digest, m.Security.Features)
	}
	return v
}
