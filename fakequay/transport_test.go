package fakequay

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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

// An encoded response in a recycled buffer is handed over, through the
// journal's recorder, rather than copied; once the client closes the body
// the buffer goes back for reuse and the body reads as empty.
func TestInProcessTransportTakesOverEncodedBodies(t *testing.T) {
	t.Parallel()
	handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rec := &recorder{ResponseWriter: w}
		encodeResponse(func(b []byte, v any) ([]byte, error) { return append(b, v.(string)...), nil }, `{"a": 1}`,
			func(buf *[]byte) { (&call{w: rec}).rawBuffer(http.StatusAccepted, contentTypeJSON, buf) })
		if rec.status != http.StatusAccepted {
			t.Errorf("the recorder saw status %d", rec.status)
		}
	})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://x/", nil)
	resp, err := inProcessTransport{handler: handler}.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	owned := resp.Body.(*bodyReader).owned != nil
	first := make([]byte, 3)
	n, _ := resp.Body.Read(first)
	resp.Body.Close()
	after, err := resp.Body.Read(make([]byte, 8))
	type result struct {
		Status, Length, Start string
		Owned                 bool
		AfterClose            int
		AfterErr              error
	}
	got := result{resp.Status, resp.Header.Get("Content-Length"), string(first[:n]), owned, after, err}
	want := result{"202 Accepted", "8", `{"a`, true, 0, io.EOF}
	if diff := cmp.Diff(want, got, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
