package fakequay

import (
	"maps"
	"slices"
	"strings"
)

// router matches paths the way Werkzeug 3.0.6's state-machine matcher
// (werkzeug/routing/matcher.py) does over Quay's API rules and the web
// blueprint's catch-all rules beside them, which Go's ServeMux cannot:
//
//   - at every segment a static segment wins over a variable one, with
//     backtracking (so /superuser/users/logs is getInstallUser("logs"), not
//     the build logs of a build called "users");
//   - a request whose path, with a slash added, reaches a rule that allows
//     its method answers 308 to that path, and Werkzeug stops there, even
//     when a later rule would match the path as sent;
//   - a path that matches rules but none with the request's method is a 405
//     listing every method those rules allow (have_match_for);
//   - a path that matches nothing is tried again with each "//" merged
//     (merge_slashes), and a match then is a 308 to the merged path.
//
// Beside the API rules, Quay's endpoints/web.py registers catch-alls for
// GET (with HEAD and OPTIONS): /<repopathredirect:repository>/ and
// /<repopathredirect:repository> (any path of non-empty segments) and
// /<namespace>/ and /<namespace> (one segment). They take part in every
// match: they turn a GET on an API path with no GET rule into a 308 to the
// path plus "/", and they add GET, HEAD and OPTIONS to every 405's Allow.
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
	// web marks a rule of Quay's web blueprint (endpoints/web.py) among
	// the API's: its answers carry no CORS headers and its handler makes
	// none of the API's checks (token, CSRF, read-only state).
	web bool
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
	// repoRules are the rules whose next segment is an apirepopath
	// variable ({repository...}), in Werkzeug's weight order.
	repoRules []*repoRule
}

// repoRule is a rule with Quay's apirepopath converter
// (path_converters.py APIRepositoryPathConverter, regex
// "[^/]+(/[^/]+)+", weight 200): the repository takes two or more
// non-empty segments, and Werkzeug makes it, with the rest of the rule, one
// final part matched by a single regex over the rest of the path. Each
// segment of the rest is a static text or a default variable (one
// non-empty segment), so the suffix always takes the path's last
// len(suffix) segments and the repository all before them.
type repoRule struct {
	route  *route
	suffix []string // static segments, or "{name}"
	// suffixed is a rule ending in a slash: Werkzeug's (?<!/)(/?) lets the
	// slashless path match too, and answers it with SlashRequired.
	suffixed bool
}

// eachRoute calls fn for every rule at or under n.
func (n *routeNode) eachRoute(fn func(*route)) {
	if n.route != nil {
		fn(n.route)
	}
	for _, rr := range n.repoRules {
		fn(rr.route)
	}
	for _, child := range n.static {
		child.eachRoute(fn)
	}
	if n.variable != nil {
		n.variable.eachRoute(fn)
	}
}

// repoPathVar is how a pattern spells an apirepopath variable.
const repoPathVar = "{repository...}"

func newRouter(routes []*route) *router {
	rt := &router{root: &routeNode{}}
	for _, r := range routes {
		rt.add(r)
	}
	return rt
}

func (rt *router) add(r *route) {
	n := rt.root
	segs := splitPath(r.pattern)
	for i, seg := range segs {
		if seg == repoPathVar {
			rt.addRepoRule(n, r, segs[i+1:])
			return
		}
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

// addRepoRule adds r, whose apirepopath variable follows node n, with
// the segments after it, keeping n's rules in Werkzeug's order: a
// RulePart's Weighting(-len(static_weights), static_weights,
// -len(argument_weights), argument_weights), smallest first, where each
// static segment weighs (its index, -its length) and each variable its
// converter's weight (100, apirepopath 200).
func (rt *router) addRepoRule(n *routeNode, r *route, rest []string) {
	rr := &repoRule{route: r}
	if k := len(rest); k > 0 && rest[k-1] == "" {
		rr.suffixed, rest = true, rest[:k-1]
	}
	rr.suffix = rest
	r.vars = append(r.vars, "repository")
	for _, seg := range rest {
		if strings.HasPrefix(seg, "{") {
			r.vars = append(r.vars, strings.Trim(seg, "{}"))
		}
	}
	r.allow = allowed(r)
	n.repoRules = append(n.repoRules, rr)
	slices.SortStableFunc(n.repoRules, func(a, b *repoRule) int { return compareWeights(a.weight(), b.weight()) })
}

// weight is the rule's final part's Weighting, flattened into the
// sequence Python compares tuples by.
func (rr *repoRule) weight() (w [4][]int) {
	var statics, args []int
	for _, seg := range rr.suffix {
		if strings.HasPrefix(seg, "{") {
			args = append(args, 100)
		} else {
			statics = append(statics, len(statics), -len(seg))
		}
	}
	args = append([]int{200}, args...)
	return [4][]int{{-len(statics) / 2}, statics, {-len(args)}, args}
}

func compareWeights(a, b [4][]int) int {
	for i := range a {
		if c := slices.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// matchRepo matches segs against rr as Werkzeug's final part does. It
// returns the variables' values (the repository first), and whether the
// path lacked the trailing slash of a suffixed rule.
func (rr *repoRule) matchRepo(segs []string) (values []string, noSlash, ok bool) {
	core := segs
	if rr.suffixed {
		if k := len(segs); k > 0 && segs[k-1] == "" {
			core = segs[:k-1]
		} else {
			noSlash = true
		}
	}
	repoLen := len(core) - len(rr.suffix)
	if repoLen < 2 {
		return nil, false, false
	}
	for _, seg := range core[:repoLen] {
		if seg == "" {
			return nil, false, false
		}
	}
	values = []string{strings.Join(core[:repoLen], "/")}
	for i, want := range rr.suffix {
		got := core[repoLen+i]
		switch {
		case strings.HasPrefix(want, "{"):
			if got == "" {
				return nil, false, false
			}
			values = append(values, got)
		case got != want:
			return nil, false, false
		}
	}
	return values, noSlash, true
}

// splitPath splits "/a/b/" into ["a", "b", ""]: a trailing slash is an empty
// last segment, which is how rules and requests with one differ.
func splitPath(p string) []string {
	return appendSegments(nil, p)
}

// appendSegments appends p's segments, as splitPath splits them, to segs.
func appendSegments(segs []string, p string) []string {
	for seg := range strings.SplitSeq(strings.TrimPrefix(p, "/"), "/") {
		segs = append(segs, seg)
	}
	return segs
}

// matchKind is the outcome of routing one request.
type matchKind int

const (
	matchNone             matchKind = iota // no rule at all: Werkzeug's 404
	matchFound                             // an API rule serves the method; op is set, except for OPTIONS
	matchWeb                               // a web catch-all rule serves the method (GET, HEAD or OPTIONS)
	matchRedirect                          // 308 to target
	matchMethodNotAllowed                  // 405; allow is set
)

type match struct {
	kind   matchKind
	op     *operation
	route  *route
	params map[string]string
	target string   // the path a redirect leads to
	allow  []string // the methods of a 405, sorted
	// api reports, for a 405, whether an API rule matched the path as sent,
	// so that Flask-RESTful, not Werkzeug, answers it (see serveAPI).
	api bool
}

// webMethods are the methods of Quay's web catch-all rules: GET, with the
// HEAD and OPTIONS Werkzeug and Flask add to it.
var webMethods = []string{"GET", "HEAD", "OPTIONS"}

// repoPathReserved are RepositoryPathRedirectConverter's RESERVED_PREFIXES
// (path_converters.py): a path starting with one never reaches the
// repository catch-all.
var repoPathReserved = []string{"v1/", "v2/", "cnr/", "customtrigger/setup/", "bitbucket/setup/",
	"repository/", "github/callback/trigger/", "push/"}

// match routes method and the request path: decoded, with leading slashes
// already reduced to one (Werkzeug matches "/" + path_info.lstrip("/")).
func (rt *router) match(method, path string) match {
	m := &matcher{cfg: rt.cfg, method: method} // stays on the stack
	if res := m.attempt(rt.root, path); res.slash {
		return match{kind: matchRedirect, target: path + "/"}
	} else if res.found != nil {
		c := res.found
		return match{kind: matchFound, op: c.route.ops[lookupMethod(method)], route: c.route, params: c.params()}
	} else if res.web {
		return match{kind: matchWeb}
	}
	api := m.api
	// Werkzeug's merge_slashes: re.sub("/{2,}?", "/", path) merges each
	// pair of slashes once, so "///" becomes "//" and still fails.
	merged := mergeSlashes(path)
	if merged != path {
		res := m.attempt(rt.root, merged)
		switch {
		case res.slash:
			return match{kind: matchRedirect, target: merged + "/"}
		case res.found != nil || res.web:
			return match{kind: matchRedirect, target: merged}
		}
	}
	if len(m.allow) == 0 {
		return match{kind: matchNone}
	}
	return match{kind: matchMethodNotAllowed, allow: slices.Sorted(maps.Keys(m.allow)), api: api}
}

// allowed lists, sorted, every method some rule matching path allows: the
// Allow header of Flask's automatic OPTIONS answer (MapAdapter.
// allowed_methods matches with the method "--" and reads the 405).
func (rt *router) allowed(path string) []string {
	return rt.match("--", path).allow
}

// mergeSlashes is Python's re.sub("/{2,}?", "/", p): every non-overlapping
// "//" becomes "/".
func mergeSlashes(p string) string {
	if !strings.Contains(p, "//") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		b.WriteByte(p[i])
		if p[i] == '/' && i+1 < len(p) && p[i+1] == '/' {
			i++
		}
	}
	return b.String()
}

// matcher is one run of Werkzeug's StateMachineMatcher.match.
type matcher struct {
	cfg    *Config
	method string
	allow  map[string]bool // have_match_for: methods of rules that matched the path but not the method
	api    bool            // an API rule is among them
}

// attemptResult is what one pass over the rules found: a rule serving the
// method (an API rule, or a web one), or a slash to add (SlashRequired).
type attemptResult struct {
	found *matched
	web   bool
	slash bool
}

// attempt matches path against the API rules (the static "api" branch of
// the root), then the web catch-alls (the root's variable transitions, in
// Werkzeug's weight order).
func (m *matcher) attempt(root *routeNode, path string) attemptResult {
	var buf [16]string // on the stack: routing a request allocates no segments
	segs := appendSegments(buf[:0], path)
	found, slash := m.walk(root, segs, nil)
	if slash || found != nil {
		return attemptResult{found: found, slash: slash}
	}
	web, slash := m.web(segs)
	return attemptResult{web: web, slash: slash}
}

// walk is matcher.py's _match over the API rules: at the end of the path,
// the rule here if it allows the method, else SlashRequired if the rule one
// "" segment further does; otherwise the static child, then the variable
// one. It reports a slash to add as soon as one is found, as Werkzeug's
// exception ends the whole match.
func (m *matcher) walk(n *routeNode, segs, vars []string) (*matched, bool) {
	if len(segs) == 0 {
		if r := n.route; r != nil && r.registered(m.cfg) {
			if slices.Contains(r.allow, m.method) {
				return &matched{route: r, values: slices.Clone(vars)}, false
			}
			m.note(r.allow)
			m.api = true
		}
		if c := n.static[""]; c != nil && c.route != nil && c.route.registered(m.cfg) && slices.Contains(c.route.allow, m.method) {
			return nil, true
		}
		return nil, false
	}
	if child := n.static[segs[0]]; child != nil {
		if found, slash := m.walk(child, segs[1:], vars); found != nil || slash {
			return found, slash
		}
	}
	// The final parts of apirepopath rules, in weight order: a rule that
	// matches the path but not the method lets the next one try.
	for _, rr := range n.repoRules {
		if !rr.route.registered(m.cfg) {
			continue
		}
		values, noSlash, ok := rr.matchRepo(segs)
		if !ok {
			continue
		}
		allows := slices.Contains(rr.route.allow, m.method)
		switch {
		case noSlash && allows:
			return nil, true
		case noSlash:
		case allows:
			return &matched{route: rr.route, values: append(slices.Clone(vars), values...)}, false
		default:
			m.note(rr.route.allow)
			m.api = true
		}
	}
	// A variable matches one non-empty segment (Werkzeug's default converter).
	if n.variable != nil && segs[0] != "" {
		return m.walk(n.variable, segs[1:], append(vars, segs[0]))
	}
	return nil, false
}

// web matches the web blueprint's catch-alls, in Werkzeug's order:
// /<namespace> (weight 100) and its slashed twin, then the repository
// catch-all with a slash, then without (weight 200, registered in that
// order). All allow webMethods.
func (m *matcher) web(segs []string) (found, slash bool) {
	allowed := slices.Contains(webMethods, m.method)
	if segs[0] != "" && (len(segs) == 1 || len(segs) == 2 && segs[1] == "") {
		if allowed {
			return true, false
		}
		m.note(webMethods)
	}
	target := strings.Join(segs, "/")
	core, slashed := strings.CutSuffix(target, "/")
	if !repoPath(target, core) {
		return false, false
	}
	switch {
	case allowed && slashed:
		return true, false
	case allowed:
		return false, true // the slashed rule allows it: SlashRequired
	}
	m.note(webMethods) // the slashed rule for a slashed path, else the plain one
	return false, false
}

// repoPath reports whether RepositoryPathRedirectConverter's regex (with
// FEATURE_LIBRARY_SUPPORT, Quay's default) matches core, the path without
// its trailing slash: one or more non-empty segments, and target (the path
// as matched) not starting with a reserved prefix.
func repoPath(target, core string) bool {
	if core == "" || slices.Contains(strings.Split(core, "/"), "") {
		return false
	}
	for _, p := range repoPathReserved {
		if strings.HasPrefix(target, p) {
			return false
		}
	}
	return true
}

func (m *matcher) note(methods []string) {
	if m.allow == nil {
		m.allow = map[string]bool{}
	}
	for _, method := range methods {
		m.allow[method] = true
	}
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

func (m matched) params() map[string]string {
	if len(m.values) == 0 {
		return nil // reads as empty, and costs no allocation
	}
	p := make(map[string]string, len(m.values))
	for i, v := range m.values {
		p[m.route.vars[i]] = v
	}
	return p
}
