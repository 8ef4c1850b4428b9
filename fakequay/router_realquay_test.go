package fakequay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The routing probe: requests to paths below /api that no API rule serves,
// or serves with other methods, with every method, as real Quay answered
// them. testdata/realquay-routing.jsonl holds the answers of Quay at
// ffba0c70e (Flask 2.3.3, Werkzeug 3.0.6, ../shared/realquay), sent without
// credentials; re-record it against a running realquay with
//
//	FAKEQUAY_RECORD_REALQUAY=http://127.0.0.1:PORT go test ./fakequay -run RoutingAgainstRealQuay
//
// Quay runs with its test config, so FEATURE_REPO_MIRROR is on (the replay
// turns it on too) and the names used are ones its fixture lacks.
var routingProbePaths = []string{
	"/api", "/api/", "/api//", "/api///", "/api/x", "/api/x/", "/api/v1", "/api/v1/", "/api/v2/x",
	"/api/v1/nonexistent", "/api/v1/nonexistent/",
	"/api/v1/superuser", "/api/v1/superuser/", "/api/v1/superuser/nonexistent", "/api/v1/superuser/nonexistent/",
	"/api/v1/superuser/users", "/api/v1/superuser/users/", "/api/v1/superuser/users//",
	"/api/v1/superuser/users/alice", "/api/v1/superuser/users/alice/",
	"/api/v1/superuser/users/alice/extra", "/api/v1/superuser/users/alice/extra/", "/api/v1/superuser/users/alice/extra/more",
	"/api/v1/superuser/users/alice/quota", "/api/v1/superuser/users/alice/quota/", "/api/v1/superuser/users/alice//quota",
	"/api/v1/superuser/users/alice/quota/99", "/api/v1/superuser/users/alice/quota/99/", "/api/v1/superuser/users/alice/quota/99/x",
	"/api/v1/superuser/users/logs",
	"/api/v1/superuser/organizations", "/api/v1/superuser/organizations/",
	"/api/v1/superuser/organizations/noorg", "/api/v1/superuser/organizations/noorg/",
	"/api/v1/superuser/organization/noorg/quota", "/api/v1/superuser/organization/noorg/quota/99",
	"/api/v1/superuser/keys", "/api/v1/superuser/keys/", "/api/v1/superuser/keys//",
	"/api/v1/superuser/keys/nokid", "/api/v1/superuser/keys/nokid/", "/api/v1/superuser/keys//nokid", "/api/v1/superuser/keys/nokid/x",
	"/api/v1/superuser/approvedkeys", "/api/v1/superuser/approvedkeys/",
	"/api/v1/superuser/approvedkeys/nokid", "/api/v1/superuser/approvedkeys/nokid/",
	"/api/v1/superuser/takeownership/nouser", "/api/v1/superuser/takeownership/nouser/",
	"/api/v1/superusers/users/nouser/sendrecovery", "/api/v1/superuser/users/nouser/sendrecovery",
	"/api/v1/superuser/logs", "/api/v1/superuser/logs/", "/api/v1/superuser/aggregatelogs",
	"/api/v1/superuser/changelog", "/api/v1/superuser/changelog/", "/api/v1/superuser/registrysize",
	"/api/v1/superuser/registrystatus", "/api/v1/superuser/registrystatus/", "/api/v1/superuser/apptokens",
	"/api/v1/superuser/config", "/api/v1/superuser/config/", "/api/v1/superuser/mirror/health",
	"/api/v1/superuser/abc/logs", "/api/v1/superuser/abc/logs/", "/api/v1/superuser/abc/logs/archive",
	"/api/v1/superuser/abc/logs/archive/", "/api/v1/superuser/abc/status", "/api/v1/superuser/abc/build",
	"/api/v1/superuser/abc/nothing",
	"/api/v1/messages", "/api/v1/messages/", "/api/v1//messages",
	"/api/v1/message/00000000-0000-0000-0000-000000000000", "/api/v1/message/00000000-0000-0000-0000-000000000000/",
	"/api/v1/error/not_found", "/api/v1/error/not_found/",
	"/api/v1//superuser/users/", "/api//v1/superuser/users/", "/api/v1/superuser//users/", "/api/v1/superuser/users///",
	"/api/v1/superuser///keys", "/api/v1/superuser////keys", "/api/v1///superuser/keys",
	"//api/v1/superuser/users/", "///api/v1/superuser/keys", "/api/v1/superuser/keys?x=1",
}

// routingProbeMethods are sent to every probe path.
var routingProbeMethods = []string{"GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"}

// routingProbeOdd are single requests for the redirect URL's encoding: the
// path quoted as werkzeug.urls.quote does (invalid UTF-8 read as U+FFFD per
// maximal subpart), the query through iri_to_uri, and the Host lower-cased
// without the default port. A raw (unescaped) non-ASCII byte in the path
// is left out: Werkzeug's development server, which realquay runs, reads it
// as a Latin-1 character ("\xe9" redirects to "%C3%A9"), where gunicorn, as
// in production and in fakequay, hands the byte through to be decoded as
// UTF-8 ("%EF%BF%BD").
var routingProbeOdd = []struct{ method, target, host string }{
	{"GET", "/api/v1/superuser/users/a%FF%FEb/x", ""},
	{"GET", "/api/v1/superuser/users/a%E2%82b/x", ""},
	{"GET", "/api/v1/superuser/users/a!$&'()*+,;=:@b/x", ""},
	{"GET", "/api/v1/superuser/users/a%25b%20c%22d%3Ce%5Cf%7Bg%7E/x", ""},
	{"GET", "/api/v1/superuser/users/%2E%2E/x", ""},
	{"GET", "/api/v1/superuser/./users/", ""},
	{"GET", "/api/v1/superuser/users?q=1", ""},
	{"GET", "/api/v1/superuser/users?", ""},
	{"GET", "/api/v1/superuser/users?%", ""},
	{"GET", "/api/v1/superuser/users?a=\"b\"&c=%41%zz&d=<x>&e='y'|{}^`", ""},
	{"GET", "/api/v1/superuser/users?x=\xe9", ""},
	{"GET", "/api/v1/superuser/users", "EXAMPLE.com:80"},
}

// probeAnswer is what the replay compares of an answer. Allow is sorted:
// Werkzeug lists the methods in a set's order, which changes with the
// Python process's hash seed. The base URL reads BASE, the web catch-all's
// page (Quay's web UI, which fakequay does not serve) <web UI>, and a 2xx
// JSON body <handler> (the data differs between the fixtures).
type probeAnswer struct {
	Request     string   `json:"request"`
	Status      int      `json:"status"`
	ContentType string   `json:"content_type,omitempty"`
	Location    string   `json:"location,omitempty"`
	Allow       []string `json:"allow,omitempty"`
	CORS        bool     `json:"cors,omitempty"`
	Body        string   `json:"body"`
}

const routingGolden = "testdata/realquay-routing.jsonl"

type probeRequest struct{ method, target, host string }

func routingProbe() []probeRequest {
	var out []probeRequest
	for _, m := range routingProbeMethods {
		for _, p := range routingProbePaths {
			out = append(out, probeRequest{m, p, ""})
		}
	}
	for _, o := range routingProbeOdd {
		out = append(out, probeRequest(o))
	}
	return out
}

// String names the request in the golden file: the target as a Go string
// literal's contents, so that bytes outside UTF-8 survive JSON.
func (p probeRequest) String() string {
	quoted := strconv.QuoteToASCII(p.target)
	s := p.method + " " + quoted[1:len(quoted)-1]
	if p.host != "" {
		s += " (Host: " + p.host + ")"
	}
	return s
}

// TestRoutingAgainstRealQuay replays the probe against fakequay over TCP
// (so that Go's request parsing is part of it) and compares every answer
// with real Quay's: status, Content-Type, Location, Allow, whether CORS
// headers are there, and the body byte for byte.
func TestRoutingAgainstRealQuay(t *testing.T) {
	t.Parallel()
	probe := routingProbe()
	if base := os.Getenv("FAKEQUAY_RECORD_REALQUAY"); base != "" {
		recordRoutingProbe(t, base, probe)
	}
	data, err := os.ReadFile(routingGolden)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]probeAnswer{}
	for line := range bytes.Lines(data) {
		var a probeAnswer
		if err := json.Unmarshal(line, &a); err != nil {
			t.Fatalf("%s: %v", routingGolden, err)
		}
		want[a.Request] = a
	}
	if len(want) != len(probe) {
		t.Fatalf("%s has %d answers for %d requests; re-record it", routingGolden, len(want), len(probe))
	}
	srv := RunT(t, WithSeed(fixtureSeed()), WithConfig(func(c *Config) { c.FeatureRepoMirror = true }))
	addr := strings.TrimPrefix(srv.URL(), "http://")
	for _, p := range probe {
		got, err := probeOnce(addr, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		w, ok := want[p.String()]
		if !ok {
			t.Fatalf("%s: no recorded answer; re-record %s", p, routingGolden)
		}
		if w.Status == http.StatusMethodNotAllowed && w.Body == replyWerkzeug405.Body && seedDependent405(srv, p) {
			// Recorded from a Quay process whose hash seed had Flask-RESTful
			// hand this 405 to Werkzeug; fakequay answers the JSON form.
			w.ContentType, w.CORS, w.Body = contentTypeJSON, true, replyMethodNotAllowedJSON.Body
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%s: fakequay differs from real Quay (-quay +fakequay):\n%s", p, diff)
		}
	}
	if srv.Panics() != 0 {
		t.Errorf("%d panics", srv.Panics())
	}
}

// seedDependent405 reports whether real Quay's answer to p depends on the
// Python process's hash seed: a 405 on a path whose API rule has no GET.
// Flask-RESTful's _should_use_fr_error_handler re-matches the path with
// the first method of the 405's valid_methods, a set; when that is GET or
// HEAD, the web catch-all's redirect is what matches, and the error goes to
// Werkzeug's HTML page instead of Flask-RESTful's JSON one. fakequay always
// answers JSON (see serveAPI).
func seedDependent405(s *Server, p probeRequest) bool {
	if strings.ContainsAny(p.target, "?%") {
		return false
	}
	path := "/" + strings.TrimLeft(p.target, "/")
	m := s.router.match(p.method, path)
	return m.kind == matchMethodNotAllowed && m.api && s.router.match(http.MethodGet, path).kind == matchRedirect
}

// recordRoutingProbe sends the probe to real Quay at base and writes the
// answers to the golden file.
func recordRoutingProbe(t *testing.T, base string, probe []probeRequest) {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // the file is mostly HTML; keep it readable
	for _, p := range probe {
		a, err := probeOnce(u.Host, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(routingGolden, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d answers of %s in %s", len(probe), base, routingGolden)
}

// probeOnce sends p to addr as written, on a connection of its own, and
// reads the answer.
func probeOnce(addr string, p probeRequest) (probeAnswer, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return probeAnswer{}, err
	}
	defer conn.Close()
	host := p.host
	if host == "" {
		host = addr
	}
	if _, err := fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", p.method, p.target, host); err != nil {
		return probeAnswer{}, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: p.method})
	if err != nil {
		return probeAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return probeAnswer{}, err
	}
	baseURL := "http://" + strings.TrimSuffix(strings.ToLower(host), ":80")
	a := probeAnswer{
		Request:     p.String(),
		Status:      resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Location:    strings.ReplaceAll(resp.Header.Get("Location"), baseURL, "BASE"),
		CORS:        resp.Header.Get("Access-Control-Allow-Origin") != "",
		Body:        strings.ReplaceAll(string(body), baseURL, "BASE"),
	}
	if allow := resp.Header.Get("Allow"); allow != "" {
		a.Allow = strings.Split(allow, ", ")
		slices.Sort(a.Allow)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound && (strings.Contains(a.Body, `<html ng-app="quay"`) || a.Body == replyWebPage.Body):
		a.Body = "<web UI>"
	case resp.StatusCode/100 == 2 && a.ContentType == contentTypeJSON:
		a.Body = "<handler>"
	}
	return a, nil
}
