package fakequay

import "net/http"

// buildRouter assembles the API rules this server registers. As in Quay,
// a feature flag that is off leaves its routes unregistered, so requests to
// them get the web catch-all's HTML rather than JSON (reference §1.5).
func (s *Server) buildRouter() *router {
	routes := []*route{{pattern: "/api/v1/error/{error_type}", ops: map[string]*operation{
		http.MethodGet: {nickname: "getErrorDescription", anyHost: true, handle: s.getErrorDescription},
	}}}
	routes = append(routes, s.messageRoutes()...)
	if s.cfg.FeatureSuperUsers {
		routes = append(routes, s.userRoutes()...)
		routes = append(routes, s.organizationRoutes()...)
		routes = append(routes, s.quotaRoutes()...)
		routes = append(routes, s.registryRoutes()...)
		routes = append(routes, s.serviceKeyRoutes()...)
		routes = append(routes, s.appTokenRoutes()...)
		routes = append(routes, s.systemRoutes()...)
	}
	return newRouter(routes)
}

// getErrorDescription answers GET /api/v1/error/<type>, the page every
// family-A error's "type" URL points at.
func (s *Server) getErrorDescription(c *call) error {
	t := c.param("error_type")
	desc, ok := errorDescriptions[t]
	if !ok {
		return errNotFound
	}
	c.restful(http.StatusOK, errorDescriptionView{Type: c.externalURL("/api/v1/error/" + t), Title: t, Description: desc})
	return nil
}
