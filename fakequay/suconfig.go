package fakequay

import "net/http"

// Quay's endpoints/api/suconfig.py: scRegistryStatus (reference §3), the
// one operation of the old setup tool's API that Quay still serves.

func suconfigRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/superuser/registrystatus", ops: map[string]*operation{
			http.MethodGet: {nickname: "scRegistryStatus", handle: (*Server).registryStatus},
		}},
	}
}

// configProviderID is what Quay's config provider calls itself: "file" for
// the FileConfigProvider a Quay container (operator-managed or not) uses.
const configProviderID = "file"

// registryStatus: §3. No permission check at all: anonymous callers get the
// answer too (unless FEATURE_ANONYMOUS_ACCESS is off).
func (s *Server) registryStatus(c *call) error {
	v := registryStatusView{Status: "setup-incomplete"}
	if s.cfg.SetupComplete {
		v = registryStatusView{ProviderID: configProviderID, Status: "ready"}
	}
	c.restful(http.StatusOK, v)
	return nil
}
