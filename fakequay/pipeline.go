package fakequay

import (
	"errors"
	"io"
	"iter"
	"math"
	"math/big"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/pystr"
)

// operation is one Quay API method: its nickname and the decorators Quay
// stacks on it, which decide the order in which checks fire (reference §1.1).
type operation struct {
	nickname string
	// freshLogin is @require_fresh_login: an anonymous caller gets 401 here,
	// before query parsing and body validation.
	freshLogin bool
	// anonAllowed is @anon_allowed: the method answers anonymous callers
	// even when FEATURE_ANONYMOUS_ACCESS is off.
	anonAllowed bool
	// readonlyAllowed is @readonly_call_allowed: the method runs while
	// REGISTRY_STATE is readonly.
	readonlyAllowed bool
	// anyHost marks the few methods without @verify_not_prod, which still
	// answer when SERVER_HOSTNAME names quay.io.
	anyHost bool
	// query lists @query_param parameters in the order reqparse checks them.
	query []queryParam
	// paged is @page_support: the next_page parameter is decrypted.
	paged bool
	// schema is @validate_json_request: the body must be JSON that the
	// schema accepts, checked before the handler's permission check.
	schema *bodySchema
	// optionalBody is validate_json_request's optional=True: the body is
	// read with get_json(silent=True), so a body that is not JSON (another
	// content type, malformed, null) is no body and skips the schema.
	optionalBody bool
	// guard is a permission decorator Quay stacks outside
	// @validate_json_request and the query parsing (require_user_admin on
	// createOrganization and the team invites): it decides before the body
	// is read.
	guard func(c *call) error
	// handle runs the method body: permission check, then business logic.
	// It is a method expression, so that one routing table serves every
	// server.
	handle func(s *Server, c *call) error
}

// queryParam is one reqparse argument.
type queryParam struct {
	name string
	kind paramKind
	help string // reported verbatim in family E errors
	def  any    // value when absent (nil: absent stays absent)
}

type paramKind int

const (
	paramString paramKind = iota
	paramInt
	paramTruthyBool
)

// serveAPI routes and runs one request to /api or below it; path is the request's
// decoded path as Werkzeug matches it (leading slashes reduced to one).
// What no API rule serves is answered as Quay's web blueprint and Werkzeug
// answer it (reference §1.5, corrected against real Quay): the web
// catch-all's page, a 308, or Werkzeug's HTML 404 and 405, none of them
// with CORS headers. A 405 on a path an API rule matches is Flask-RESTful's
// JSON one (see writeMethodNotAllowed). c is where the request's call
// goes, allocated by ServeHTTP with the rest of the request's state.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string, tr *trace, c *call) {
	m := s.router.match(r.Method, path)
	if m.op != nil {
		tr.operation = m.op.nickname
	}
	if f, ok := s.pickFault(r, tr.operation); ok {
		tr.fault = true
		if applyFault(w, r, f) {
			return
		}
	}
	*c = call{s: s, w: w, r: r, now: s.clock.Now()}
	c.sess = s.openSession(r, c.now, &c.sessBuf)
	switch m.kind {
	case matchNone:
		writeWerkzeugError(w, http.StatusNotFound)
		return
	case matchWeb:
		if r.Method == http.MethodOptions {
			// Flask's automatic OPTIONS answer for the catch-all's view.
			w.Header().Set("Allow", strings.Join(s.router.allowed(path), ", "))
			c.empty(http.StatusOK, contentTypeHTML)
			return
		}
		writeWebPage(w, r)
		return
	case matchRedirect:
		writeRedirect(w, r, m.target)
		return
	case matchMethodNotAllowed:
		w.Header().Set("Allow", strings.Join(m.allow, ", "))
		if !m.api {
			writeWerkzeugError(w, http.StatusMethodNotAllowed)
			return
		}
		setCORS(w.Header())
		c.fail(errMethodNotAllowed)
		return
	}
	if m.route != nil && m.route.web {
		s.serveWeb(c, m, path)
		return
	}
	setCORS(w.Header())
	if r.Method == http.MethodOptions {
		// Flask's automatic OPTIONS answers before any check; its Allow
		// lists the methods of every rule matching the path, the web
		// catch-all's GET and HEAD included.
		w.Header().Set("Allow", strings.Join(s.router.allowed(path), ", "))
		c.empty(http.StatusOK, contentTypeHTML)
		return
	}
	c.op, c.params = m.op, m.params
	err := s.runPipeline(c)
	if c.who.user != nil {
		tr.caller = c.who.user.Name
	}
	if err != nil {
		c.fail(err)
	}
}

// serveWeb runs a rule of the web blueprint: Flask's automatic OPTIONS
// answer, or the view itself, with none of the API's decorators.
func (s *Server) serveWeb(c *call, m match, path string) {
	if c.r.Method == http.MethodOptions {
		c.w.Header().Set("Allow", strings.Join(s.router.allowed(path), ", "))
		c.empty(http.StatusOK, contentTypeHTML)
		return
	}
	c.op, c.params = m.op, m.params
	c.read = s.store.Read()
	if err := c.op.handle(s, c); err != nil {
		c.fail(err)
	}
}

// runPipeline applies Quay's checks in Quay's order (reference §1.1), then
// the handler.
func (s *Server) runPipeline(c *call) error {
	if s.cfg.BrowserAPICallsXHROnly && c.r.Method == http.MethodGet &&
		isBrowser(c.r.UserAgent()) && c.r.Header.Get("X-Requested-With") != "XMLHttpRequest" {
		return errXHR
	}
	// process_oauth (auth/decorators.py): without a Bearer header
	// validate_bearer_auth is "missing" and validate_session_cookie reads
	// the session (flask_login's current_user).
	_, bearer := bearerToken(c.r.Header.Get("Authorization"))
	// One view of the store for the whole request: authentication, the
	// session's user and the handler. A go-memdb transaction is two
	// allocations, and nothing before the handler writes.
	c.read = s.store.Read()
	who, err := s.authenticate(c.r, c.read)
	if err != nil {
		return err
	}
	if !bearer {
		who = c.sessionPrincipal()
	}
	c.who = who
	if who.token == nil && c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		// csrf_protect's verify_csrf (endpoints/csrf.py line 49): the
		// session's token against the request's.
		if err := c.verifyCSRF(); err != nil {
			return err
		}
	}
	if s.cfg.RegistryState == "readonly" && c.r.Method != http.MethodGet && !c.op.readonlyAllowed {
		return readOnlyError{}
	}
	if !s.cfg.FeatureAnonymousAccess && who.user == nil && !c.op.anonAllowed {
		return errAnonymous
	}
	if c.op.freshLogin {
		// require_fresh_login: bearer tokens are exempt; a session must
		// have signed in (or verified) within FRESH_LOGIN_TIMEOUT.
		if who.user == nil {
			return unauthorized(who)
		}
		if who.viaSession && c.needsFreshLogin() {
			return errFreshLogin
		}
	}
	if !c.op.anyHost && strings.Contains(s.cfg.ServerHostname, "quay.io") {
		return errNotFound // verify_not_prod
	}
	if c.op.guard != nil {
		if err := c.op.guard(c); err != nil {
			return err
		}
	}
	if err := c.parseQuery(); err != nil {
		return err
	}
	if c.op.paged {
		if tok, ok := c.strQuery("next_page"); ok {
			c.page = s.decryptPageToken(tok, c.now)
		}
	}
	if c.op.schema != nil {
		read := c.readJSONBody
		if c.op.optionalBody {
			read = c.readOptionalJSONBody
		}
		body, err := read()
		if err != nil {
			return err
		}
		if body != nil {
			if err := c.op.schema.validate(body); err != nil {
				return err
			}
		}
		c.body = body
	}
	return c.op.handle(s, c)
}

// parseQuery is reqparse: every value of a parameter is converted (a bad
// one anywhere is a 400), and the first value wins.
func (c *call) parseQuery() error {
	if len(c.op.query) == 0 {
		return nil
	}
	c.query = c.queryBuf[:0]
	raw := c.r.URL.RawQuery
	var values url.Values
	if !plainQuery(raw) {
		values = c.r.URL.Query()
	}
	for _, p := range c.op.query {
		var first any
		present := false
		for v := range queryValues(raw, values, p.name) {
			parsed, ok := p.parse(v)
			if !ok {
				return &paramError{name: p.name, help: p.help}
			}
			if !present {
				first, present = parsed, true
			}
		}
		if !present {
			first = p.def
		}
		c.query = append(c.query, first)
	}
	return nil
}

// plainQuery reports whether raw is a query url.ParseQuery takes as it
// stands: nothing to unescape (no "%" or "+"), no ";" (an error there) and
// few parameters (ParseQuery refuses too many). Clients send such queries
// (limit=100&next_page=...); queryValues then reads raw without building
// url.Values.
func plainQuery(raw string) bool {
	return len(raw) <= 4096 && !strings.ContainsAny(raw, "%+;") && strings.Count(raw, "&") < 100
}

// queryValues yields the values of the query parameter name in order, as
// url.ParseQuery(raw)[name] holds them: from values when the query is not
// plain (values not nil), else straight from raw.
func queryValues(raw string, values url.Values, name string) iter.Seq[string] {
	return func(yield func(string) bool) {
		if values != nil {
			for _, v := range values[name] {
				if !yield(v) {
					return
				}
			}
			return
		}
		for raw != "" {
			var pair string
			pair, raw, _ = strings.Cut(raw, "&")
			if key, value, _ := strings.Cut(pair, "="); pair != "" && key == name && !yield(value) {
				return
			}
		}
	}
}

func (p queryParam) parse(v string) (any, bool) {
	switch p.kind {
	case paramInt:
		return pythonInt(v)
	case paramTruthyBool:
		return truthyBool(v), true
	}
	return v, true
}

// pythonInt is Python's int(str): surrounding whitespace, an optional sign,
// Unicode decimal digits with single underscores between them. Values
// beyond int64 saturate, which keeps their comparisons with Quay's limits
// right.
func pythonInt(s string) (int64, bool) {
	n, _, ok := pythonInt64(s)
	return n, ok
}

// pythonInt64 is pythonInt that also says whether the value fits an int64
// (exact), for where a database column, not a comparison, takes it.
func pythonInt64(s string) (n int64, exact, ok bool) {
	if n, ok := plainDigits(s); ok {
		return n, true, true // what clients and configs write (limit=100, "2w")
	}
	s = pystr.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return 0, false, false
	}
	if len(s) <= 18 && strings.Trim(s, "0123456789") == "" {
		// Plain ASCII digits that fit: what every client sends (limit=100).
		n, _ := strconv.ParseInt(s, 10, 64)
		if neg {
			n = -n
		}
		return n, true, true
	}
	b := new(big.Int)
	for _, r := range s {
		if r == '_' {
			continue
		}
		d, ok := pystr.Decimal(r)
		if !ok {
			return 0, false, false
		}
		b.Mul(b, big.NewInt(10)).Add(b, big.NewInt(int64(d)))
	}
	if neg {
		b.Neg(b)
	}
	switch {
	case b.IsInt64():
		return b.Int64(), true, true
	case neg:
		return math.MinInt64, false, true
	default:
		return math.MaxInt64, false, true
	}
}

// plainDigits parses s when it is 1 to 18 ASCII digits, which always fit
// an int64.
func plainDigits(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	return n, true
}

// truthyBool is Quay's util.parsing.truthy_bool: a short list of strings is
// false, anything else is true.
func truthyBool(v string) bool {
	switch v {
	case "false", "False", "0", "FALSE", "", "null":
		return false
	}
	return true
}

// readOptionalJSONBody is Flask's request.get_json(silent=True): nil
// without a JSON content type, for a body json.loads refuses and for a
// literal null. Only nesting too deep for Python's parser still fails: its
// RecursionError is no ValueError, which silent does not catch.
func (c *call) readOptionalJSONBody() (any, error) {
	if !isJSONContentType(c.r.Header.Get("Content-Type")) {
		return nil, nil
	}
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		return nil, nil
	}
	v, err := py.Decode(data)
	if errors.Is(err, py.ErrNesting) {
		return nil, &crashError{reason: "RecursionError: maximum recursion depth exceeded while decoding JSON"}
	}
	if err != nil {
		return nil, nil
	}
	return v, nil
}

// isJSONContentType is Werkzeug's is_json: application/json or
// application/*+json.
func isJSONContentType(header string) bool {
	mt, _, _ := mime.ParseMediaType(header)
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// readJSONBody is Flask's request.get_json() as validate_json_request calls
// it: 415 without a JSON content type, 400 (family D) for malformed JSON,
// 500 (family G) for nesting too deep for Python's parser, 400 "Missing
// JSON body" for a literal null. limitBody has already refused
// bodies above nginx's limit, so reading it all is bounded.
func (c *call) readJSONBody() (any, error) {
	if !isJSONContentType(c.r.Header.Get("Content-Type")) {
		return nil, errNotJSON
	}
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		return nil, errBadJSON
	}
	v, err := py.Decode(data)
	if errors.Is(err, py.ErrNesting) {
		// RecursionError is no ValueError: Flask does not turn it into a
		// 400, and it escapes Quay as an unhandled exception.
		return nil, &crashError{reason: "RecursionError: maximum recursion depth exceeded while decoding JSON"}
	}
	if err != nil {
		return nil, errBadJSON
	}
	if v == nil {
		return nil, invalidRequest("Missing JSON body")
	}
	return v, nil
}
