package fakequay

import (
	"slices"
	"strings"
)

// router matches paths the way Werkzeug's state-machine matcher does for
// Quay's API rules, which Go's ServeMux cannot: at every segment a static
// segment wins over a variable one, with backtracking (so
// /superuser/users/logs is getInstallUser("logs"), not the build logs of a
// build called "users"); a rule written with a trailing slash answers 308
// to a request without it, but only for a method that rule allows; and a
// path that matches some rule but not with the request's method is a 405
// listing the methods that would have matched.
type router struct {
	root *routeNode
	cfg  *Config // decides which feature-gated rules exist; nil: all of them
}

// route is one URL rule and the operations served on it (a Flask-RESTful
// resource).
type route struct {
	pattern string
	ops     map[string]*operation // by HTTP method
	vars    []string              // the pattern's variable names, in order
	allow   []string              // what allowed returns, kept when the rule is added
	// when reports whether a server with a configuration registers the
	// rule (Quay's feature flags); nil means always.
	when func(*Config) bool
}

// registered reports whether the rule exists under cfg.
func (r *route) registered(cfg *Config) bool {
	return r.when == nil || cfg == nil || r.when(cfg)
}

// routeNode is a trie node. Rules sharing a prefix share nodes even when
// their variables are named differently (/users/{username} and
// /users/{namespace}/quota): names belong to the rule, not the node.
type routeNode struct {
	static   map[string]*routeNode
	variable *routeNode
	route    *route // a rule ends here
}

func newRouter(routes []*route) *router {
	rt := &router{root: &routeNode{}}
	for _, r := range routes {
		rt.add(r)
	}
	return rt
}

func (rt *router) add(r *route) {
	n := rt.root
	for _, seg := range splitPath(r.pattern) {
		if strings.HasPrefix(seg, "{") {
			r.vars = append(r.vars, strings.Trim(seg, "{}"))
			if n.variable == nil {
				n.variable = &routeNode{}
			}
			n = n.variable
			continue
		}
		if n.static == nil {
			n.static = map[string]*routeNode{}
		}
		child := n.static[seg]
		if child == nil {
			child = &routeNode{}
			n.static[seg] = child
		}
		n = child
	}
	if n.route != nil {
		// Two resources on one rule: merge their methods.
		if n.route.when != nil || r.when != nil {
			panic("fakequay: feature-gated rule " + r.pattern + " defined twice")
		}
		for m, op := range r.ops {
			if _, dup := n.route.ops[m]; dup {
				panic("fakequay: duplicate " + m + " " + r.pattern)
			}
			n.route.ops[m] = op
		}
		n.route.allow = allowed(n.route)
		return
	}
	r.allow = allowed(r)
	n.route = r
}

// splitPath splits "/a/b/" into ["a", "b", ""]: a trailing slash is an empty
// last segment, which is how rules and requests with one differ.
func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

// matchKind is the outcome of routing one request.
type matchKind int

const (
	matchNone             matchKind = iota // no API rule: the web catch-all answers
	matchFound                             // op is set
	matchRedirect                          // 308 to the same path with a slash
	matchMethodNotAllowed                  // allow is set
)

type match struct {
	kind   matchKind
	op     *operation
	route  *route
	params map[string]string
	allow  []string // methods for 405 and OPTIONS, sorted
}

// match routes method and the (decoded) request path.
func (rt *router) match(method, path string) match {
	var buf [4]matched // the usual handful of candidates, without an allocation
	candidates := buf[:0]
	rt.root.walk(rt.cfg, strings.TrimPrefix(path, "/"), true, nil, &candidates)
	for _, c := range candidates {
		if op := c.route.ops[lookupMethod(method)]; op != nil || method == "OPTIONS" {
			return match{kind: matchFound, op: op, route: c.route, params: c.params(), allow: c.route.allow}
		}
	}
	// Werkzeug redirects to the slashed rule only when it would accept the method.
	var slashed []matched
	rt.root.walk(rt.cfg, strings.TrimPrefix(path, "/")+"/", true, nil, &slashed)
	for _, c := range slashed {
		if c.route.ops[lookupMethod(method)] != nil {
			return match{kind: matchRedirect}
		}
	}
	if len(candidates) > 0 {
		var allow []string
		for _, c := range candidates {
			allow = append(allow, c.route.allow...)
		}
		slices.Sort(allow)
		return match{kind: matchMethodNotAllowed, allow: slices.Compact(allow)}
	}
	return match{kind: matchNone}
}

// lookupMethod maps HEAD to GET, which Flask serves for it.
func lookupMethod(method string) string {
	if method == "HEAD" {
		return "GET"
	}
	return method
}

// allowed lists the methods a rule answers, as Werkzeug's Allow header does
// (HEAD with GET, and OPTIONS always).
func allowed(r *route) []string {
	out := []string{"OPTIONS"}
	for m := range r.ops {
		out = append(out, m)
		if m == "GET" {
			out = append(out, "HEAD")
		}
	}
	slices.Sort(out)
	return out
}

type matched struct {
	route  *route
	values []string
}

// params maps the rule's variables to their values; nil for a rule
// without variables.
func (m matched) params() map[string]string {
	if len(m.values) == 0 {
		return nil
	}
	p := make(map[string]string, len(m.values))
	for i, v := range m.values {
		p[m.route.vars[i]] = v
	}
	return p
}

// walk appends every rule matching the segments of path ("a/b/" is "a",
// "b" and "", as splitPath splits it; none when more is false), static
// branches before variable ones at each depth, so the first candidate is
// Werkzeug's choice. It reads the segments off path rather than splitting
// it: routing then allocates nothing but the matched variables.
func (n *routeNode) walk(cfg *Config, path string, more bool, vars []string, out *[]matched) {
	if !more {
		if n.route != nil && n.route.registered(cfg) {
			*out = append(*out, matched{route: n.route, values: slices.Clone(vars)})
		}
		return
	}
	seg, rest, more := strings.Cut(path, "/")
	if child := n.static[seg]; child != nil {
		child.walk(cfg, rest, more, vars, out)
	}
	// A variable matches one non-empty segment (Werkzeug's default converter).
	if n.variable != nil && seg != "" {
		n.variable.walk(cfg, rest, more, append(vars, seg), out)
	}
}
