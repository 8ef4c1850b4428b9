package fakequay

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

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
		routes = append(routes, s.logRoutes()...)
		routes = append(routes, s.buildRoutes()...)
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

// Operation is one API method a server answers.
type Operation struct {
	// Nickname is Quay's operation name; empty for the config dump, which
	// Quay serves without one.
	Nickname string
	Method   string
	// Path is the rule, with Quay's parameter names in braces, e.g.
	// "/api/v1/superuser/keys/{kid}".
	Path string
}

// Operations lists the API methods this server answers with its
// configuration (feature flags decide which routes exist), sorted by path
// and method.
func (s *Server) Operations() []Operation {
	var out []Operation
	var walk func(n *routeNode)
	walk = func(n *routeNode) {
		if n.route != nil {
			for method, op := range n.route.ops {
				out = append(out, Operation{Nickname: op.nickname, Method: method, Path: n.route.pattern})
			}
		}
		for _, child := range n.static {
			walk(child)
		}
		if n.variable != nil {
			walk(n.variable)
		}
	}
	walk(s.router.root)
	slices.SortFunc(out, func(a, b Operation) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method))
	})
	return out
}
