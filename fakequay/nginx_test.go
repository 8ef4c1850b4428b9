package fakequay

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// countingReader is a request body that records how much of it the server
// read: size bytes of filler after prefix, or an endless stream when size
// is negative.
type countingReader struct {
	prefix string
	size   int64
	read   atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	done := r.read.Load()
	if r.size >= 0 && done >= int64(len(r.prefix))+r.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && (r.size < 0 || done+int64(n) < int64(len(r.prefix))+r.size) {
		if pos := done + int64(n); pos < int64(len(r.prefix)) {
			p[n] = r.prefix[pos]
		} else {
			p[n] = ' '
		}
		n++
	}
	r.read.Add(int64(n))
	return n, nil
}

var (
	replyNginx400 = reply{Status: 400, ContentType: "text/html", Body: nginxErrorPage(400)}
	replyNginx413 = reply{Status: 413, ContentType: "text/html", Body: nginxErrorPage(413)}
)

// TestNginxBodyLimit: nginx's client_max_body_size (1m for /api/ in Quay's
// conf/nginx) refuses a body before Quay runs any check, and fakequay never
// reads more of such a body than the limit plus one byte: none of it when
// Content-Length declares the size, limit+1 bytes of a body of unknown
// length (which nginx buffers before proxying).
func TestNginxBodyLimit(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	schemaFailure := `{"username": 5}`
	tooLarge := shape{Family: famNginx, Status: 413}
	schemaError := shape{Family: famAPIError, Status: 400, ErrorType: "invalid_request", Detail: "5 is not of type 'string'"}
	tests := []struct {
		name     string
		method   string
		path     string
		token    string
		declared bool  // send Content-Length; otherwise the length is unknown
		size     int64 // total body size, -1 for endless
		want     shape
		wantRead int64 // bytes the server read of the body
	}{
		{"declared 1 MiB + 1: refused unread", "POST", "/api/v1/superuser/users/", tokAdmin, true, limit + 1,
			tooLarge, 0},
		{"declared 1 GiB: refused unread", "POST", "/api/v1/superuser/users/", tokAdmin, true, 1 << 30,
			tooLarge, 0},
		{"endless body of unknown length: refused after limit+1 bytes", "POST", "/api/v1/superuser/users/", tokAdmin,
			false, -1, tooLarge, limit + 1},
		{"unknown length 1 MiB + 1", "PUT", "/api/v1/superuser/organizations/acme", tokAdmin, false, limit + 1,
			tooLarge, limit + 1},
		{"exactly 1 MiB declared reaches Quay's schema check", "POST", "/api/v1/superuser/users/", tokAdmin, true, limit,
			schemaError, limit},
		{"exactly 1 MiB of unknown length reaches Quay too", "POST", "/api/v1/superuser/users/", tokAdmin, false, limit,
			schemaError, limit},
		{"before the CSRF check: anonymous", "POST", "/api/v1/superuser/users/", tokNone, true, limit + 1,
			tooLarge, 0},
		{"before routing: a GET with a body", "GET", "/api/v1/superuser/users/", tokAdmin, true, limit + 1,
			tooLarge, 0},
		{"before routing: a path no rule matches", "DELETE", "/api/v1/superuser/nothing/here", tokAdmin, false, -1,
			tooLarge, limit + 1},
		{"outside the API: the health check", "POST", "/health/instance", tokNone, true, limit + 1,
			tooLarge, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			body := &countingReader{prefix: schemaFailure, size: tc.size - int64(len(schemaFailure))}
			if tc.size < 0 {
				body.size = -1
			}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, "http://"+testHost+tc.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tc.declared {
				req.ContentLength = tc.size
			}
			req.Header.Set("Content-Type", "application/json")
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := h.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			got, err := shapeOf(tc.method, reply{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reply shape (-want +got):\n%s", diff)
			}
			if read := body.read.Load(); read != tc.wantRead {
				t.Errorf("the server read %d bytes of the body, want %d", read, tc.wantRead)
			}
			if resp.StatusCode == 413 && resp.Header.Get("Connection") != "close" {
				t.Errorf("Connection = %q, want close: nginx stops reading after a 413", resp.Header.Get("Connection"))
			}
		})
	}
}

// TestNginxBodyLimitOverSocket checks the limit where it matters most, on a
// real connection: a declared oversized body is refused while the client
// has sent none of it (were the server reading, the reply would never
// come), and a chunked body as soon as it passes the limit, before the
// final chunk.
func TestNginxBodyLimitOverSocket(t *testing.T) {
	t.Parallel()
	seed := fixtureSeed()
	s := RunT(t, WithSeed(seed))
	addr := strings.TrimPrefix(s.URL(), "http://")
	tests := []struct {
		name string
		send func(w *bufio.Writer)
	}{
		{"Content-Length above the limit, no body sent", func(w *bufio.Writer) {
			fmt.Fprintf(w, "POST /api/v1/superuser/users/ HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", testHost, tokAdmin, 1<<20+1)
		}},
		{"chunked, one chunk past the limit, no final chunk", func(w *bufio.Writer) {
			fmt.Fprintf(w, "POST /api/v1/superuser/users/ HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n",
				testHost, tokAdmin, 1<<20+1, strings.Repeat(" ", 1<<20+1))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
				t.Fatal(err)
			}
			w := bufio.NewWriter(conn)
			tc.send(w)
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no reply while the body is incomplete: %v", err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			checkReply(t, replyNginx413, reply{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)})
		})
	}
	if n := s.Panics(); n != 0 {
		t.Errorf("Panics() = %d", n)
	}
}

// TestNginxURI: nginx refuses a path whose decoding holds a NUL or climbs
// above the root (ngx_http_parse_complex_uri); every other path reaches
// Quay as the client wrote it, where Werkzeug matches decoded segments.
func TestNginxURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method string
		path   string
		want   reply
	}{
		{"§1.5 %00 in a path variable", "GET", "/api/v1/superuser/users/a%00b", replyNginx400},
		{"§1.5 %00 in a write's path", "DELETE", "/api/v1/superuser/organizations/acme%00", replyNginx400},
		{"§1.5 .. above the root", "GET", "/api/../../etc/passwd", replyNginx400},
		{"§1.5 %2e%2e above the root", "GET", "/%2e%2e/api/v1/superuser/users/", replyNginx400},
		{"§1.5 .. that stays below the root reaches Quay as a username", "GET", "/api/v1/superuser/users/..",
			replyNotFound},
		{"§1.5 %2F decodes to a slash, and no API rule has that many segments: the web catch-all's 308", "GET",
			"/api/v1/superuser/users/acme%2Fx", replyRedirect("/api/v1/superuser/users/acme/x/")},
		{"§1.5 %2F in a write: the web catch-all's 405", "DELETE",
			"/api/v1/superuser/users/acme%2Fx", replyWerkzeug405},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			checkReply(t, tc.want, h.do(tc.method, tc.path, tokAdmin, ""))
		})
	}
}

// TestNginxAcceptsURI pins the normalisation rules themselves.
func TestNginxAcceptsURI(t *testing.T) {
	t.Parallel()
	got := map[string]bool{}
	for _, p := range []string{"/", "/a/..", "/a/../..", "/..", "/a//../..", "/./a", "/a/./../b", "/a\x00", "/a/b/../../c"} {
		got[p] = nginxAcceptsURI(p)
	}
	want := map[string]bool{"/": true, "/a/..": true, "/a/../..": false, "/..": false, "/a//../..": false,
		"/./a": true, "/a/./../b": true, "/a\x00": false, "/a/b/../../c": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("nginxAcceptsURI (-want +got):\n%s", diff)
	}
}
