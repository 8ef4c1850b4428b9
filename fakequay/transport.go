package fakequay

import (
	"errors"
	"net/http"
	"net/http/httptest"
)

// HTTPClient returns a client whose requests go straight into the server's
// handler, with no socket: any URL's host is ignored. It serves a server
// built with New as well as one started by RunT, and is several times
// faster than loopback TCP.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: inProcessTransport{handler: s}}
}

// errConnectionDropped is what a client of the in-process transport sees
// when a fault drops the connection (a TCP client sees EOF instead).
var errConnectionDropped = errors.New("fakequay: connection dropped by the server")

// inProcessTransport is an http.RoundTripper that calls a handler directly.
type inProcessTransport struct{ handler http.Handler }

func (t inProcessTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RemoteAddr = "127.0.0.1:1"
	in.RequestURI = req.URL.RequestURI()
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	rec := httptest.NewRecorder()
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			resp, err = nil, errConnectionDropped
		}
	}()
	t.handler.ServeHTTP(rec, in)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	resp = rec.Result()
	resp.Request = req
	if req.Method == http.MethodHead {
		resp.Body = http.NoBody
	}
	return resp, nil
}
