package fakequay

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The socket-free transport answers as a server over TCP would: status,
// headers as they were when the status was written, a sniffed Content-Type
// when the handler set none, no body for HEAD, and the request body closed.
func TestInProcessTransportAnswersLikeAServer(t *testing.T) {
	t.Parallel()
	type answer struct {
		Status        string
		Header        http.Header
		ContentLength int64
		Body          string
		BodyClosed    bool
	}
	tests := []struct {
		name    string
		method  string
		handler http.HandlerFunc
		want    answer
	}{
		{"body with its length", http.MethodGet, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "3")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, "{}\n")
		}, answer{Status: "201 Created", Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"3"}},
			ContentLength: 3, Body: "{}\n", BodyClosed: true}},
		{"type sniffed, length unknown, writes appended", http.MethodPost, func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "<html>")
			_, _ = io.WriteString(w, "</html>")
		}, answer{Status: "200 OK", Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			ContentLength: -1, Body: "<html></html>", BodyClosed: true}},
		{"headers set after the status are ignored", http.MethodGet, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusAccepted)
			w.Header().Set("X-Late", "1")
			_, _ = io.WriteString(w, "ok")
		}, answer{Status: "202 Accepted", Header: http.Header{"Content-Type": {"text/plain"}},
			ContentLength: -1, Body: "ok", BodyClosed: true}},
		{"no body for HEAD", http.MethodHead, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "3")
			_, _ = io.WriteString(w, "{}\n")
		}, answer{Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"3"}},
			ContentLength: 3, BodyClosed: true}},
		{"status only", http.MethodDelete, func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}, answer{Status: "204 No Content", Header: http.Header{}, ContentLength: -1, BodyClosed: true}},
		{"nothing written", http.MethodGet, func(http.ResponseWriter, *http.Request) {},
			answer{Status: "200 OK", Header: http.Header{}, ContentLength: -1, BodyClosed: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := &closeRecorder{Reader: strings.NewReader("request body")}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, "http://fakequay.invalid/x", body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := inProcessTransport{handler: tc.handler}.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			ans := answer{Status: resp.Status, Header: resp.Header, ContentLength: resp.ContentLength,
				Body: string(got), BodyClosed: body.closed}
			if diff := cmp.Diff(tc.want, ans); diff != "" || resp.Request != req {
				t.Errorf("(-want +got):\n%s\nresp.Request is the caller's request: %v", diff, resp.Request == req)
			}
		})
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }
