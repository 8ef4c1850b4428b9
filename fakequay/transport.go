package fakequay

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net/http"
	"strconv"
)

// HTTPClient returns a client whose requests go straight into the server's
// handler, with no socket: any URL's host reaches the server, which builds
// the URLs in its answers (error type links, redirects) from the host and
// scheme the request named, as Quay does. It serves a server built with New
// as well as one started by RunT, and is several times faster than loopback
// TCP.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: inProcessTransport{handler: s}}
}

// errConnectionDropped is what a client of the in-process transport sees
// when a fault drops the connection (a TCP client sees EOF instead).
var errConnectionDropped = errors.New("fakequay: connection dropped by the server")

// inProcessTransport is an http.RoundTripper that calls a handler directly.
type inProcessTransport struct{ handler http.Handler }

func (t inProcessTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.Body != nil {
		defer req.Body.Close() // a RoundTripper always closes the body
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	// A shallow copy is enough: the server reads a request, never changes
	// it, so the copy may share the caller's headers and URL.
	in := *req
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RemoteAddr = "127.0.0.1:1"
	in.RequestURI = req.URL.RequestURI()
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	if req.URL.Scheme == "https" {
		// The request reaches the handler as over TLS, as
		// httptest.NewRequest makes one, so the URLs the server builds
		// (error type links, redirects) carry the scheme the caller used.
		in.TLS = &tls.ConnectionState{Version: tls.VersionTLS13, HandshakeComplete: true, ServerName: req.URL.Hostname()}
	}
	w := &responseBuffer{header: http.Header{}}
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			resp, err = nil, errConnectionDropped
		}
	}()
	t.handler.ServeHTTP(w, &in)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	return w.response(req), nil
}

// responseBuffer is the http.ResponseWriter of the in-process transport:
// httptest.ResponseRecorder's behaviour (headers fixed at WriteHeader,
// Content-Type sniffed when the handler sets none) without its costs. It
// takes over fakequay's encoded responses without copying them (takeBody)
// and sizes other bodies from Content-Length.
type responseBuffer struct {
	header http.Header // what the handler sets; frozen once the status is written
	late   http.Header // what Header returns after that, and is ignored
	status int
	body   []byte
	owned  *[]byte // the recycled buffer body lives in, if taken over
}

// bodyTaker is a writer that can take over a recycled response buffer.
type bodyTaker interface{ takeBody(buf *[]byte) }

// bodyTakerOf finds a bodyTaker under w's wrappers.
func bodyTakerOf(w http.ResponseWriter) (bodyTaker, bool) {
	for {
		if t, ok := w.(bodyTaker); ok {
			return t, true
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil, false
		}
		w = u.Unwrap()
	}
}

// takeBody makes buf the body, unless something was written already.
func (w *responseBuffer) takeBody(buf *[]byte) {
	if w.body != nil {
		_, _ = w.Write(*buf)
		releaseBuffer(buf)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.body, w.owned = *buf, buf
}

func (w *responseBuffer) Header() http.Header {
	if w.status == 0 {
		return w.header
	}
	if w.late == nil {
		w.late = w.header.Clone()
	}
	return w.late
}

func (w *responseBuffer) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *responseBuffer) Write(p []byte) (int, error) {
	if w.body == nil && len(p) > 0 {
		if _, typed := w.header["Content-Type"]; !typed && w.header.Get("Transfer-Encoding") == "" {
			w.header.Set("Content-Type", http.DetectContentType(p))
		}
		size := len(p)
		if n, err := strconv.Atoi(w.header.Get("Content-Length")); err == nil && n > size {
			size = n
		}
		w.body = make([]byte, 0, size)
	}
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, p...)
	return len(p), nil
}

// response is the answer as the client sees it.
func (w *responseBuffer) response(req *http.Request) *http.Response {
	w.WriteHeader(http.StatusOK)
	resp := &http.Response{
		Status:     strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode: w.status,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     w.header,
		Body:       http.NoBody,
		Request:    req,
	}
	resp.ContentLength = -1
	if n, err := strconv.ParseInt(w.header.Get("Content-Length"), 10, 64); err == nil {
		resp.ContentLength = n
	}
	if len(w.body) == 0 || req.Method == http.MethodHead {
		if w.owned != nil {
			releaseBuffer(w.owned)
		}
		return resp
	}
	body := &bodyReader{owned: w.owned}
	body.Reset(w.body)
	resp.Body = body
	return resp
}

// bodyReader is a response body held in memory.
type bodyReader struct {
	bytes.Reader
	owned *[]byte // the recycled buffer the body lives in, given back on Close
}

func (r *bodyReader) Close() error {
	if r.owned != nil {
		r.Reset(nil)
		releaseBuffer(r.owned)
		r.owned = nil
	}
	return nil
}
