package conformance

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Caller is one identity the plan sends requests as.
type Caller string

// The callers: the realquay harness has a token for each of the first four.
const (
	Superuser Caller = "superuser"                                        // QUAY_TOKEN: a superuser, every scope
	User      Caller = "user"                                             // QUAY_USER_TOKEN: a normal user, every scope
	ReadOnly  Caller = "readonly"                                         // QUAY_READONLY_TOKEN: a global read-only superuser
	NoScope   Caller = "noscope"                                          // QUAY_NOSCOPE_TOKEN: the superuser, without super:user
	Anonymous Caller = "anonymous"                                        // no Authorization header
	Invalid   Caller = "badtoken"                                         // a bearer token that matches none
	unknownTk        = "quayinvalidtoken0000doesnotmatchanytokencode0000" // Invalid's token, in Quay's 48-character form
)

// Callers are every caller, in the order plans use them.
var Callers = []Caller{Superuser, User, ReadOnly, NoScope, Anonymous, Invalid}

// Step is one request of a plan.
type Step struct {
	// Op is the Quay operation the request is aimed at (its nickname, or
	// "METHOD rule" for a path no operation serves), and Class the input
	// class: "valid", "caller", "missing field", "limit 101", ...
	Op, Class string
	Caller    Caller
	Method    string
	// Path is below the server root, with its query, escaped as it goes on
	// the wire. It and Body may hold {var} placeholders for values an
	// earlier step captured.
	Path string
	Body string
	// Header holds extra header pairs, whose values may hold {var}
	// placeholders too. A request with a body gets Content-Type:
	// application/json unless Header sets one ("" for none).
	Header []string
	// Capture names values of the answer that later steps use ({var}); the
	// two servers' values differ when random and are normalised to the
	// variable's name.
	Capture func(body []byte) map[string]string
	// CaptureHeader names values of the answer's headers the same way: a
	// session cookie (Set-Cookie) and its CSRF token (X-Next-CSRF-Token).
	CaptureHeader func(h http.Header) map[string]string
	// Judge, when set, explains any difference in this step's answers
	// from the realquay harness as one it cannot judge, e.g. "SQLite:
	// ..."; it names why. Against another Quay it has no effect.
	Judge string
}

// Write reports whether the step may change state: everything but GET
// runs in the sequential phase.
func (s Step) Write() bool { return s.Method != http.MethodGet }

// String names the step for reports: method, path, caller, class.
func (s Step) String() string {
	return fmt.Sprintf("%s %s as %s (%s, %s)", s.Method, s.Path, s.Caller, s.Op, s.Class)
}

// Response is what one server answered.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Target is a server a plan runs against.
type Target struct {
	// Base is the server's root URL.
	Base string
	// Host, when set, is sent as the Host header instead of Base's: the
	// fakequay then builds the URLs in its answers (error types, archive
	// URLs, redirects) for the real Quay's host, as Quay does for its own.
	Host string
	// Tokens holds each caller's bearer token (Anonymous has none).
	Tokens map[Caller]string
	// Client sends the requests; it must not follow redirects.
	Client *http.Client
}

// send performs one step against t, with vars filling its placeholders.
func (t *Target) send(ctx context.Context, s Step, vars map[string]string) (*Response, error) {
	path, body := fill(s.Path, vars), fill(s.Body, vars)
	u, err := url.Parse(t.Base)
	if err != nil {
		return nil, err
	}
	rawPath, rawQuery, _ := strings.Cut(path, "?")
	// The path goes out exactly as written: %2F, %00 and ".." reach the
	// server as they would from curl.
	if u.Path, err = url.PathUnescape(rawPath); err != nil {
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	u.RawPath = rawPath
	u.RawQuery = rawQuery
	var rd io.Reader
	if s.Body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, s.Method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	req.URL = u
	if t.Host != "" {
		req.Host = t.Host
	}
	if tok := t.Tokens[s.Caller]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if s.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(s.Header); i += 2 {
		if s.Header[i+1] == "" {
			req.Header.Del(s.Header[i])
			continue
		}
		req.Header.Set(s.Header[i], fill(s.Header[i+1], vars))
	}
	resp, err := t.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: reading the answer: %w", s, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// fill replaces {var} placeholders with vars' values; a placeholder whose
// variable was never captured (the step that makes it failed) becomes
// "missing-var", so the request still goes out and the difference shows.
// Braces around anything but a variable name (JSON) are left alone.
func fill(s string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s, '}')
		if end < 0 || !isVarName(s[1:end]) {
			b.WriteByte('{')
			s = s[1:]
			continue
		}
		if v, ok := vars[s[1:end]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString("missing-" + s[1:end])
		}
		s = s[end+1:]
	}
}

// isVarName: placeholders are lower-case letters and digits, so JSON
// bodies ({"a": 1}) are never taken for one.
func isVarName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
