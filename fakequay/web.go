package fakequay

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Responses for requests no API rule serves: the page of Quay's web
// catch-all views, Werkzeug's 404, 405 and 308 redirect, and the CORS
// headers every API answer carries (reference §1.5, corrected against real
// Quay).

// corsHeaders are util/request.py crossorigin's headers with no CORS_ORIGIN.
var corsHeaders = [][2]string{
	{"Access-Control-Allow-Origin", "*"},
	{"Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, POST, PUT"},
	{"Access-Control-Max-Age", "21600"},
	{"Access-Control-Allow-Headers", "AUTHORIZATION, CONTENT-TYPE, X-REQUESTED-WITH"},
}

// setCORS sets the CORS headers as Header.Set would, with one allocation
// for all their values. The values are not shared between responses: the
// in-process transport hands a response's header map to the client, which
// may change it.
func setCORS(h http.Header) {
	vals := make([]string, len(corsHeaders))
	for i, kv := range corsHeaders {
		vals[i] = kv[1]
		h[kv[0]] = vals[i : i+1 : i+1]
	}
}

// writeWebPage answers as a view of Quay's web UI would: under /api that
// is the catch-all (endpoints/web.py redirect_to_repository and
// redirect_to_namespace), which renders the UI with a 404 because no
// namespace "api" exists. fakequay serves no UI and sends a page of its
// own with that status. fakequay does not route the web UI's other paths:
// GET and HEAD there get the same page, OPTIONS too, and other methods
// Werkzeug's 405 (the web routes serve GET).
func writeWebPage(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		writeWerkzeugError(w, http.StatusMethodNotAllowed)
		return
	}
	writeWebNotFound(w)
}

// writeWebNotFound is the web blueprint's 404 handler
// (not_found_error_display), whatever the method: the page of
// writeWebPage.
func writeWebNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", contentTypeHTML)
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html>\n<head><title>Quay</title></head>\n<body>\n" +
		"<h1>404</h1>\n<p>The page you are looking for does not exist (fakequay serves no web UI).</p>\n" +
		"</body>\n</html>\n"))
}

// Werkzeug's own error pages (werkzeug.exceptions), which answer what no
// rule serves: NotFound when no rule matches the path, MethodNotAllowed
// when rules match but not the method.
var werkzeugPages = map[int]string{
	http.StatusNotFound: "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n" +
		"<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
	http.StatusMethodNotAllowed: "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n" +
		"<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n",
}

// writeWerkzeugError writes Werkzeug's HTML page for status (404 or 405);
// a 405's Allow header is the caller's to set.
func writeWerkzeugError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", contentTypeHTML)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(werkzeugPages[status]))
}

// writeRedirect is Werkzeug's RequestRedirect to path (the request's path
// plus a slash, or with its slashes merged): 308, which keeps the method and
// body, with Werkzeug's HTML body. MapAdapter.make_redirect_url builds the
// URL from the request's scheme, its Host (lower-cased, without the
// scheme's default port), the path quoted as werkzeug.urls.quote does and
// the query string as sent; the Location header is that URL through
// iri_to_uri, the body shows it unconverted. Unlike url_for, it keeps the
// request's scheme as it is (an X-Forwarded-Proto of "ftp" makes an ftp://
// Location in real Quay).
func writeRedirect(w http.ResponseWriter, r *http.Request, path string) {
	scheme := requestScheme(r)
	base := scheme + "://" + externalHost(scheme, r.Host) + pyQuote(pyDecodeUTF8(path), pathSafe)
	location, shown := base, base
	if r.URL.RawQuery != "" {
		// WSGI hands the query over as Latin-1 text.
		query := latin1ToUTF8(r.URL.RawQuery)
		location += "?" + pyQuote(query, querySafe)
		shown += "?" + query
	}
	esc := html.EscapeString(shown)
	w.Header().Set("Location", location)
	w.Header().Set("Content-Type", contentTypeHTML)
	w.WriteHeader(http.StatusPermanentRedirect)
	_, _ = w.Write([]byte("<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
		"<p>You should be redirected automatically to the target URL: <a href=\"" + esc + "\">" + esc +
		"</a>. If not, click the link.\n"))
}

// The characters urllib.parse.quote leaves alone besides letters, digits
// and "_.-~": MapAdapter.match's for the redirect path, iri_to_uri's for
// the query.
const (
	pathSafe  = "!$&'()*+,/:;=@"
	querySafe = "%!$&'()*+,/:;=?@"
)

// pyQuote is Python's urllib.parse.quote(s, safe): every UTF-8 byte of s
// outside the unreserved characters and safe becomes %XX.
func pyQuote(s, safe string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~"+safe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// latin1ToUTF8 reads each byte of s as the Latin-1 character it stands for.
func latin1ToUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// pyDecodeUTF8 is bytes.decode("utf-8", "replace"), which Werkzeug applies
// to the path: each maximal ill-formed subsequence becomes one U+FFFD
// (so "\xff\xfe" is two, a truncated "\xe2\x82" one), where Go's
// decoder replaces byte by byte.
func pyDecodeUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if r, n := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || n > 1 {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteRune(utf8.RuneError)
		i += ill(s[i:])
	}
	return b.String()
}

// ill is the length of the maximal ill-formed subsequence s starts with:
// a lead byte and the continuation bytes that could still have completed it
// (Unicode's "maximal subpart" practice, which CPython follows).
func ill(s string) int {
	c := s[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF) // the range of the second byte
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c >= 0xE0 && c <= 0xEF:
		need = 2
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F
		}
	case c >= 0xF0 && c <= 0xF4:
		need = 3
		if c == 0xF0 {
			lo = 0x90
		} else if c == 0xF4 {
			hi = 0x8F
		}
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lo || s[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}
