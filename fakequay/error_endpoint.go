package fakequay

import "net/http"

// Quay's endpoints/api/error.py: the page every family-A error's "type"
// URL points at.

func errorRoutes() []*route {
	return []*route{{pattern: "/api/v1/error/{error_type}", ops: map[string]*operation{
		http.MethodGet: {nickname: "getErrorDescription", anyHost: true, handle: (*Server).getErrorDescription},
	}}}
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
