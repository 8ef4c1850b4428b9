package fakequay

import (
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// call is one API request on its way through Quay's pipeline: what routing
// found, who the caller is, the parsed query and body, and the response
// helpers every handler writes through.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	op     *operation
	params map[string]string

	who   principal
	now   time.Time
	query []any // parsed query parameters, by their index in op.query (nil: absent)
	// queryBuf is query's storage for an operation's few parameters
	// (listRepos has the most, 7): no allocation a request.
	queryBuf [8]any
	page     []byte // decrypted next_page token, nil when absent or invalid
	body     any    // decoded JSON body (Python json.loads semantics)

	read store.Reader

	// session is whether Quay would have read the Flask session for this
	// request: Flask's session interface then adds "Cookie" to the
	// answer's Vary header.
	session bool
	// sess is the request's Flask session (session.go), never nil once
	// the request is routed; sessBuf is its storage.
	sess    *flaskSession
	sessBuf flaskSession
}

const (
	contentTypeJSON = "application/json"
	contentTypeHTML = "text/html; charset=utf-8"
)

func (c *call) logger() *slog.Logger { return c.s.logger }

// param returns the path variable name.
func (c *call) param(name string) string { return c.params[name] }

// fail writes err in the family Quay would use for it.
func (c *call) fail(err error) { asQuayError(err).write(c) }

// restful writes v as Flask-RESTful does: json.dumps with spaces after
// separators, keys in insertion order, a trailing newline.
func (c *call) restful(status int, v any) {
	encodeResponse(py.AppendRestful, v, func(buf *[]byte) { c.rawBuffer(status, contentTypeJSON, buf) })
}

// jsonify writes v as Flask's jsonify does: compact, keys sorted.
func (c *call) jsonify(status int, v any) {
	encodeResponse(py.AppendJsonify, v, func(buf *[]byte) { c.rawBuffer(status, contentTypeJSON, buf) })
}

// empty writes a response with no body. Quay's ("", 204) keeps the JSON
// content type; make_response("", code) sends text/html.
func (c *call) empty(status int, contentType string) {
	c.w.Header().Set("Content-Type", contentType)
	c.saveSession()
	c.w.WriteHeader(status)
}

func (c *call) raw(status int, contentType string, body []byte) {
	setBodyHeaders(c.w.Header(), contentType, len(body))
	c.saveSession()
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body)
}

// setBodyHeaders sets Content-Type and Content-Length as Header.Set would,
// with one allocation for both values (see setCORS).
func setBodyHeaders(h http.Header, contentType string, length int) {
	vals := []string{contentType, strconv.Itoa(length)}
	h["Content-Type"] = vals[0:1:1]
	h["Content-Length"] = vals[1:2:2]
}

// rawBuffer is raw for a body in a recycled buffer (encodeResponse). The
// in-process transport takes the buffer over, and recycles it when the
// client closes the body, rather than copying it; any other writer gets a
// copy.
func (c *call) rawBuffer(status int, contentType string, buf *[]byte) {
	taker, ok := bodyTakerOf(c.w)
	if !ok {
		c.raw(status, contentType, *buf)
		releaseBuffer(buf)
		return
	}
	setBodyHeaders(c.w.Header(), contentType, len(*buf))
	c.saveSession()
	c.w.WriteHeader(status)
	taker.takeBody(buf)
}

// externalURL is Flask's url_for(..., _external=True) behind Quay's
// ProxyFix: Werkzeug builds it with "https" when the request's scheme (see
// requestScheme) is https or wss and "http" otherwise, and with the host of
// externalHost.
func (c *call) externalURL(path string) string {
	raw := requestScheme(c.r)
	scheme := "http"
	if raw == "https" || raw == "wss" {
		scheme = "https"
	}
	return scheme + "://" + externalHost(raw, c.r.Host) + path
}

// requestScheme is wsgi.url_scheme behind Quay's ProxyFix (x_proto=1): the
// last value of X-Forwarded-Proto when it is not empty (Quay's nginx
// passes the client's header on), else the scheme the client reached the
// server with. Werkzeug's strict-slash redirect uses it as it is; url_for
// narrows it to http or https (externalURL).
func requestScheme(r *http.Request) string {
	if fwd := r.Header.Values("X-Forwarded-Proto"); len(fwd) > 0 {
		vals := strings.Split(fwd[len(fwd)-1], ",")
		if v := strings.TrimSpace(vals[len(vals)-1]); v != "" {
			return v
		}
	}
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// externalHost is the host Werkzeug puts in the URLs it builds (get_host
// in Map.bind_to_environ): the Host header as the client sent it (Quay's
// nginx passes $http_host on), lowercased, without the scheme's default
// port. (For a non-ASCII Host, Python lowercases the header's latin-1
// reading, not its UTF-8 one; hosts are ASCII.)
func externalHost(scheme, host string) string {
	host = strings.ToLower(host)
	switch {
	case (scheme == "http" || scheme == "ws") && strings.HasSuffix(host, ":80"):
		return host[:len(host)-len(":80")]
	case (scheme == "https" || scheme == "wss") && strings.HasSuffix(host, ":443"):
		return host[:len(host)-len(":443")]
	}
	return host
}

// clientIP is request.remote_addr behind Quay's ProxyFix: the last
// X-Forwarded-For hop when present, else the peer address.
func (c *call) clientIP() string {
	if xff := c.r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
		hops := strings.Split(xff[len(xff)-1], ",")
		if ip := strings.TrimSpace(hops[len(hops)-1]); ip != "" {
			return ip
		}
	}
	host, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		return c.r.RemoteAddr
	}
	return host
}

// queryArg returns the parsed query parameter name (with its default), or
// nil when it was neither given nor has a default.
func (c *call) queryArg(name string) any {
	for i, v := range c.query {
		if c.op.query[i].name == name {
			return v
		}
	}
	return nil
}

// intQuery returns an int query parameter's value and whether it was given.
func (c *call) intQuery(name string) (int64, bool) {
	v, ok := c.queryArg(name).(int64)
	return v, ok
}

// boolQuery returns a truthy_bool query parameter (with its default).
func (c *call) boolQuery(name string) bool {
	v, _ := c.queryArg(name).(bool)
	return v
}

// strQuery returns a str query parameter and whether it was given.
func (c *call) strQuery(name string) (string, bool) {
	v, ok := c.queryArg(name).(string)
	return v, ok
}
