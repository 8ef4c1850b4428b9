package fakequay

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Real Quay runs behind nginx (conf/nginx/*.jnj), which refuses some
// requests before Quay sees them: a URI it cannot normalise (400) and a
// body above its size limit (413). fakequay answers those first, with
// nginx's pages, for every path but its own /_fakequay/ controls.

// nginxRefuses answers the requests nginx would refuse, in nginx's order
// (the request line is parsed before the body size is checked), and
// reports whether it did.
func nginxRefuses(w http.ResponseWriter, r *http.Request) bool {
	if !nginxAcceptsURI(r.URL.Path) {
		writeNginxError(w, http.StatusBadRequest)
		return true
	}
	return !limitBody(w, r)
}

// nginxAcceptsURI is ngx_http_parse_complex_uri's verdict on the decoded
// path: a NUL (from %00) is invalid, and so is a ".." segment that would
// climb above the root (nginx merges dot segments and repeated slashes
// while it decodes). Other paths reach Quay exactly as the client wrote
// them: proxy_pass without a URI forwards the original request URI.
func nginxAcceptsURI(path string) bool {
	if strings.IndexByte(path, 0) >= 0 {
		return false
	}
	if !strings.Contains(path, "..") {
		return true // only a ".." segment can climb: most paths need no split
	}
	depth := 0
	for seg := range strings.SplitSeq(path, "/") {
		switch seg {
		case "", ".":
		case "..":
			if depth == 0 {
				return false
			}
			depth--
		default:
			depth++
		}
	}
	return true
}

// maxRequestBody is nginx's client_max_body_size for everything Quay's
// nginx proxies to the web app. Quay's conf/nginx/*.jnj raise it only for
// /push (5M) and the registry's blob and layer routes; /api/ and the web
// catch-all keep nginx's default of 1m, and Flask has no MAX_CONTENT_LENGTH.
const maxRequestBody = 1 << 20

// limitBody is nginx's body-size check, which runs before the request
// reaches Quay at all (so before routing, auth and rate limiting):
// a declared Content-Length above the limit is refused without reading a
// byte; a body of unknown length (chunked) is buffered, as nginx buffers it
// before proxying, but never past the limit plus one byte. Refusals get
// nginx's HTML 413. It reports whether the request may go on; r.Body then
// yields at most maxRequestBody bytes.
func limitBody(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength > maxRequestBody {
		writeNginxError(w, http.StatusRequestEntityTooLarge)
		return false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	if r.ContentLength > 0 {
		// Like nginx, read exactly the declared length (net/http's server
		// already does; the in-process transport passes the body as is).
		r.Body = readCloser{io.LimitReader(r.Body, r.ContentLength), r.Body}
		return true
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if len(buf) > maxRequestBody {
		writeNginxError(w, http.StatusRequestEntityTooLarge)
		return false
	}
	if err != nil {
		// The client went away mid-body; nginx drops such a request.
		panic(http.ErrAbortHandler)
	}
	r.Body = readCloser{bytes.NewReader(buf), r.Body}
	r.ContentLength = int64(len(buf))
	return true
}

// readCloser reads from one reader and closes the original body.
type readCloser struct {
	io.Reader
	io.Closer
}

// writeNginxError answers with nginx's own error page. After a 400 or 413
// nginx closes the connection rather than read what else the client sends.
func writeNginxError(w http.ResponseWriter, status int) {
	body := nginxPage(status)
	h := w.Header()
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Connection", "close")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
