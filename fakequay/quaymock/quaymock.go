// Package quaymock puts a fakequay server behind httpmock
// (github.com/jarcoal/httpmock), for code that calls Quay at a URL it
// builds itself, through http.DefaultClient or a client it does not let
// its tests replace:
//
//	func TestSync(t *testing.T) {
//		srv := fakequay.RunT(t)
//		httpmock.Activate(t) // http.DefaultTransport is mocked until the test ends
//		quaymock.Register(nil, "https://quay.example.com", srv)
//		// code that calls https://quay.example.com/api/v1/... now talks to srv
//	}
//
// The code under test keeps its production URL and gets fakequay's whole
// answer: the same pipeline as over TCP (faults, the request journal,
// nginx's limits), state that changes, and URLs in the answers (error
// type links, redirects) built from the host the request named. Other
// hosts still get httpmock's own error, and GetCallCountInfo counts the
// calls.
//
// httpmock.Activate swaps http.DefaultTransport for the whole process, so
// a test that activates it must not run in parallel with other tests that
// use http.DefaultTransport. Code that lets a test pass a client or a
// base URL is better served by fakequay.RunT with Server.URL, or
// Server.HTTPClient, which need neither httpmock nor a global; a
// dedicated httpmock.MockTransport on a client of its own also avoids it.
//
// The server answers with its own configuration whatever host it is
// registered at. quay.io itself serves no superuser API (Quay's
// verify_not_prod answers 404 when SERVER_HOSTNAME names quay.io); set
// Config.ServerHostname to "quay.io" for that answer too.
//
// The bridge is a package of its own so that fakequay, the dev-stub binary
// and every module that uses fakequay without httpmock neither import nor
// vendor httpmock.
package quaymock

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/jarcoal/httpmock"

	"github.com/quaykit/go-quay/fakequay"
)

// Responder returns srv as an httpmock.Responder. The request goes
// through the same socket-free transport as srv.HTTPClient's, so the
// answer is exactly the one HTTPClient gets: status, headers and body.
// A fault that drops the connection is returned as an error, as
// HTTPClient returns it.
func Responder(srv *fakequay.Server) httpmock.Responder {
	return srv.HTTPClient().Transport.RoundTrip
}

// methods are the ones Register routes: every method net/http names.
// httpmock keys responders by method and has no wildcard for it.
var methods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace,
}

// Register routes every request on mt (httpmock.DefaultTransport when mt
// is nil) whose URL is under baseURL to srv, whatever its method (of the
// nine net/http names; an extension method gets httpmock's no-responder
// error) and path, query included. baseURL is a scheme (http or https) and
// a host, with an optional port, e.g. "https://quay.io"; the host matches
// in any case, and the scheme's default port may be given or not.
//
// It registers one regexp responder per method, so GetCallCountInfo
// counts each call twice, as for any httpmock regexp responder: under
// "METHOD URL" and under "METHOD =~<pattern>" (see Pattern). Responders
// registered for an exact URL win over these, so a test can still answer
// one URL itself. Registering the same base again replaces the earlier
// server.
//
// It panics if baseURL is not a scheme and host, as httpmock's own
// Register functions panic on a bad pattern.
func Register(mt *httpmock.MockTransport, baseURL string, srv *fakequay.Server) {
	rx, err := Pattern(baseURL)
	if err != nil {
		panic(err)
	}
	if mt == nil {
		mt = httpmock.DefaultTransport
	}
	responder := Responder(srv)
	for _, m := range methods {
		mt.RegisterRegexpResponder(m, rx, responder)
	}
}

// Pattern returns the regular expression Register matches request URLs
// with: baseURL's scheme, its host in any case and its port (optional
// when it is the scheme's default), then the end of the URL or a path,
// query or fragment. It has no capture group, so httpmock passes requests
// on unchanged.
func Pattern(baseURL string) (*regexp.Regexp, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("quaymock: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("quaymock: base URL %q is not a scheme (http or https) and a host, such as https://quay.io", baseURL)
	}
	defaultPort := map[string]string{"http": "80", "https": "443"}[u.Scheme]
	host := u.Hostname()
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	var port string
	switch p := u.Port(); p {
	case "", defaultPort:
		port = `(?::` + defaultPort + `)?`
	default:
		port = `:` + p
	}
	return regexp.Compile(`^` + u.Scheme + `://(?i:` + regexp.QuoteMeta(host) + `)` + port + `(?:[/?#]|\z)`)
}
