package fakequay

import (
	"html"
	"net/http"
	"net/url"
)

// Responses for requests that miss the API: Quay's web UI catch-all,
// Werkzeug's strict-slash redirect, and the CORS headers every API answer
// carries (reference §1.5).

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

func unsetCORS(h http.Header) {
	for _, kv := range corsHeaders {
		h.Del(kv[0])
	}
}

// writeWebPage answers a path no API rule matches, as Quay's web catch-all
// does: an HTML page, never JSON; 404 for GET and HEAD, and Werkzeug's HTML
// 405 for other methods (the web routes only serve GET).
func writeWebPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", contentTypeHTML)
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write([]byte("<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n" +
			"<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n"))
		return
	}
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html>\n<head><title>Quay</title></head>\n<body>\n" +
		"<h1>404</h1>\n<p>The page you are looking for does not exist (fakequay serves no web UI).</p>\n" +
		"</body>\n</html>\n"))
}

// writeRedirect is Werkzeug's RequestRedirect for a missing trailing slash:
// 308 to the absolute URL with the slash (query kept), with Werkzeug's HTML
// body. 308 keeps the method and body.
func writeRedirect(w http.ResponseWriter, r *http.Request) {
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path + "/", RawQuery: r.URL.RawQuery}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	target := u.String()
	esc := html.EscapeString(target)
	w.Header().Set("Location", target)
	w.Header().Set("Content-Type", contentTypeHTML)
	w.WriteHeader(http.StatusPermanentRedirect)
	_, _ = w.Write([]byte("<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
		"<p>You should be redirected automatically to the target URL: <a href=\"" + esc + "\">" + esc +
		"</a>. If not, click the link.\n"))
}
