package fakequay

import (
	"cmp"
	"slices"
	"strings"
	"sync"
)

// buildRouter returns the API rules this server registers. As in Quay, a
// feature flag that is off leaves its routes unregistered, so requests to
// them get the web catch-all's HTML rather than JSON (reference §1.5).
// The rules are built once per process: a server only brings the
// configuration that their when conditions read.
func (s *Server) buildRouter() *router { return &router{root: apiRules(), cfg: &s.cfg} }

// apiRules is the trie of every API rule fakequay knows.
var apiRules = sync.OnceValue(func() *routeNode {
	routes := append(errorRoutes(), messageRoutes()...)
	// The API every user has: methods without @verify_not_prod.
	for _, group := range [][]*route{organizationRoutes(), teamRoutes(), robotRoutes(), repositoryRoutes(), mirrorRoutes(), permissionRoutes(),
		prototypeRoutes(), tagRoutes(), manifestRoutes(), secscanRoutes(), userAPIRoutes(), searchRoutes(), capabilitiesRoutes(), webUserRoutes(),
		repositoryNotificationRoutes(), signinRoutes()} {
		routes = append(routes, onAnyHost(group)...)
	}
	// namespacequota.py: no @verify_not_prod, but @show_if(SUPER_USERS).
	routes = append(routes, gated(superUsersFeature, onAnyHost(namespaceQuotaRoutes()))...)
	for _, group := range [][]*route{userRoutes(), superuserOrganizationRoutes(), quotaRoutes(), registryRoutes(),
		serviceKeyRoutes(), logRoutes(), buildRoutes(), appTokenRoutes(), systemRoutes(), suconfigRoutes()} {
		routes = append(routes, gated(superUsersFeature, group)...)
	}
	return newRouter(routes).root
})

// superUsersFeature is FEATURE_SUPER_USERS, which registers the superuser
// API at all.
func superUsersFeature(c *Config) bool { return c.FeatureSuperUsers }

// gated adds the condition when to every route of group.
func gated(when func(*Config) bool, group []*route) []*route {
	for _, r := range group {
		if own := r.when; own != nil {
			r.when = func(c *Config) bool { return when(c) && own(c) }
		} else {
			r.when = when
		}
	}
	return group
}

// onAnyHost marks every operation of group as one Quay serves whatever
// SERVER_HOSTNAME says (no @verify_not_prod).
func onAnyHost(group []*route) []*route {
	for _, r := range group {
		for _, op := range r.ops {
			op.anyHost = true
		}
	}
	return group
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

// quayRule spells a pattern as Quay's rule names it: the apirepopath
// variable is "{repository}".
func quayRule(pattern string) string { return strings.Replace(pattern, repoPathVar, "{repository}", 1) }

// Operations lists the API methods this server answers with its
// configuration (feature flags decide which routes exist), sorted by path
// and method.
func (s *Server) Operations() []Operation {
	var out []Operation
	s.router.root.eachRoute(func(r *route) {
		if r.registered(s.router.cfg) {
			for method, op := range r.ops {
				out = append(out, Operation{Nickname: op.nickname, Method: method, Path: quayRule(r.pattern)})
			}
		}
	})
	slices.SortFunc(out, func(a, b Operation) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method))
	})
	return out
}
