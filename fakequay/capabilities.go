package fakequay

import "net/http"

// Registry capabilities: endpoints/api/capabilities.py
// (getRegistryCapabilities), which anyone may read.

func capabilitiesRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/registry/capabilities", ops: map[string]*operation{
			http.MethodGet: {nickname: "getRegistryCapabilities", handle: (*Server).getRegistryCapabilities},
		}},
	}
}

// mirrorArchitectures is sorted(VALID_ARCHITECTURES) of
// data/model/repo_mirror.py.
var mirrorArchitectures = []string{"amd64", "arm64", "ppc64le", "s390x"}

// getRegistryCapabilities: RegistryCapabilities.get. fakequay serves no
// sparse manifests, which is Quay's FEATURE_SPARSE_INDEX default (false).
func (s *Server) getRegistryCapabilities(c *call) error {
	c.restful(http.StatusOK, capabilitiesView{
		SparseManifests:     sparseManifestsView{RequiredArchitectures: []string{}},
		MirrorArchitectures: mirrorArchitectures,
	})
	return nil
}
