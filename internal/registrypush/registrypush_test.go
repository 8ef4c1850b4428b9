package registrypush

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// registry is a small in-memory registry with Quay's token flow, for
// checking the requests the client sends (in order) and what it stores.
// It answers as real Quay answered in the measurements of
// fakequay/internal/image/quay_live_test.go: 401 with a Bearer challenge
// on /v2/, tokens from /v2/auth with basic auth, 202 + Location for upload
// steps, 201 + Docker-Content-Digest for blob and manifest PUTs, 202 for a
// tag DELETE.
type registry struct {
	t    *testing.T
	srv  *httptest.Server
	mu   sync.Mutex
	log  []string
	blob map[string][]byte
	man  map[string]string // repo/ref -> media type + "\n" + bytes
	tags map[string][]string
	up   map[string][]byte
	// deny, when set, is answered (403 DENIED) to requests whose
	// "METHOD path" has this prefix.
	deny string
	// expireTokens makes the next request with a token answer 401 once.
	expireTokens bool
	ids          int
}

func newRegistry(t *testing.T) *registry {
	r := &registry{t: t, blob: map[string][]byte{}, man: map[string]string{}, tags: map[string][]string{}, up: map[string][]byte{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

func (r *registry) record(req *http.Request, extra string) {
	line := req.Method + " " + req.URL.Path
	if q := req.URL.RawQuery; q != "" {
		line += "?" + q
	}
	line += extra
	r.log = append(r.log, line)
}

func (r *registry) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	body, _ := io.ReadAll(req.Body)
	challenge := `Bearer realm="` + r.srv.URL + `/v2/auth",service="test.registry"`
	if req.URL.Path == "/v2/auth" {
		user, pass, _ := req.BasicAuth()
		r.record(req, " basic="+user+":"+pass)
		if pass != "password" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"errors":[{"code":"UNAUTHORIZED","detail":{},"message":"Invalid Username or Password"}]}`)
			return
		}
		r.ids++
		fmt.Fprintf(w, `{"token":"tok%d"}`, r.ids)
		return
	}
	auth := req.Header.Get("Authorization")
	extra := ""
	if ct := req.Header.Get("Content-Type"); ct != "" {
		extra += " type=" + ct
	}
	if cr := req.Header.Get("Content-Range"); cr != "" {
		extra += " range=" + cr
	}
	if len(body) > 0 {
		extra += fmt.Sprintf(" body=%d", len(body))
	}
	r.record(req, " auth="+auth+extra)
	if req.URL.Path == "/v2/" || auth == "" || r.expireTokens {
		r.expireTokens = false
		w.Header().Set("WWW-Authenticate", challenge)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, "true")
		return
	}
	if r.deny != "" && strings.HasPrefix(req.Method+" "+req.URL.Path, r.deny) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"errors":[{"code":"DENIED","detail":{},"message":"Quota has been exceeded on namespace"}]}`)
		return
	}
	rest := strings.TrimPrefix(req.URL.Path, "/v2/")
	switch {
	case strings.Contains(rest, "/blobs/uploads/"):
		repo, id, _ := strings.Cut(rest, "/blobs/uploads/")
		switch req.Method {
		case http.MethodPost:
			r.ids++
			id = fmt.Sprint("u", r.ids)
			r.up[id] = nil
			w.Header().Set("Location", "/v2/"+repo+"/blobs/uploads/"+id)
			w.WriteHeader(http.StatusAccepted)
		case http.MethodPatch:
			r.up[id] = append(r.up[id], body...)
			// Relative, then absolute Locations: both must be followed.
			w.Header().Set("Location", r.srv.URL+"/v2/"+repo+"/blobs/uploads/"+id)
			w.WriteHeader(http.StatusAccepted)
		case http.MethodPut:
			data := append(r.up[id], body...)
			d := req.URL.Query().Get("digest")
			if sha(data) != d {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"errors":[{"code":"DIGEST_INVALID","detail":{},"message":"provided digest did not match uploaded content"}]}`)
				return
			}
			r.blob[repo+"@"+d] = data
			w.Header().Set("Docker-Content-Digest", d)
			w.WriteHeader(http.StatusCreated)
		}
	case strings.Contains(rest, "/blobs/"):
		repo, d, _ := strings.Cut(rest, "/blobs/")
		if _, ok := r.blob[repo+"@"+d]; !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusOK)
	case strings.Contains(rest, "/manifests/"):
		repo, ref, _ := strings.Cut(rest, "/manifests/")
		switch req.Method {
		case http.MethodPut:
			d := sha(body)
			r.man[repo+"@"+d] = req.Header.Get("Content-Type") + "\n" + string(body)
			if !strings.HasPrefix(ref, "sha256:") {
				r.man[repo+":"+ref] = r.man[repo+"@"+d]
				r.tags[repo] = append(r.tags[repo], ref)
			}
			w.Header().Set("Docker-Content-Digest", d)
			w.WriteHeader(http.StatusCreated)
		case http.MethodGet:
			key := repo + ":" + ref
			if strings.HasPrefix(ref, "sha256:") {
				key = repo + "@" + ref
			}
			m, ok := r.man[key]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprint(w, `{"errors":[{"code":"MANIFEST_UNKNOWN","detail":{},"message":"manifest unknown"}]}`)
				return
			}
			mt, b, _ := strings.Cut(m, "\n")
			w.Header().Set("Content-Type", mt)
			w.Header().Set("Docker-Content-Digest", sha([]byte(b)))
			fmt.Fprint(w, b)
		case http.MethodDelete:
			delete(r.man, repo+":"+ref)
			w.WriteHeader(http.StatusAccepted)
		}
	case strings.HasSuffix(rest, "/tags/list"):
		repo := strings.TrimSuffix(rest, "/tags/list")
		fmt.Fprintf(w, `{"name":%q,"tags":[%s]}`, repo, quoteAll(r.tags[repo]))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ",")
}

func (r *registry) takeLog() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.log
	r.log = nil
	return l
}

func newClient(t *testing.T, r *registry, opts ...Option) *Client {
	t.Helper()
	c, err := New(r.srv.URL, "devtable", "password", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testImage() (Image, []byte, []byte) {
	layer := []byte("0123456789")
	config := []byte(`{"architecture":"amd64"}`)
	man := []byte(`{"schemaVersion":2,"layers":["` + sha(layer) + `"]}`)
	return Image{
		Manifest: Manifest{MediaType: "application/vnd.docker.distribution.manifest.v2+json", Bytes: man, Digest: sha(man)},
		Blobs:    []Blob{BytesBlob(sha(layer), layer), BytesBlob(sha(config), config)},
	}, layer, config
}

// TestPushMonolithic checks the whole flow of a first push: discovery,
// one token for the push scope, HEAD then POST + PUT per blob, the
// manifest PUT with its media type; and that a second push of the same
// image uploads no blob.
func TestPushMonolithic(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	c := newClient(t, r)
	img, layer, config := testImage()
	d, err := c.Push(t.Context(), "devtable/app", "v1", img)
	if err != nil {
		t.Fatal(err)
	}
	if d != img.Manifest.Digest {
		t.Errorf("digest = %s, want %s", d, img.Manifest.Digest)
	}
	L, C := sha(layer), sha(config)
	want := []string{
		"GET /v2/ auth=",
		"GET /v2/auth?scope=repository%3Adevtable%2Fapp%3Apull%2Cpush&service=test.registry basic=devtable:password",
		"HEAD /v2/devtable/app/blobs/" + L + " auth=Bearer tok1",
		"POST /v2/devtable/app/blobs/uploads/ auth=Bearer tok1",
		"PUT /v2/devtable/app/blobs/uploads/u2?digest=" + strings.Replace(L, ":", "%3A", 1) + " auth=Bearer tok1 type=application/octet-stream body=10",
		"HEAD /v2/devtable/app/blobs/" + C + " auth=Bearer tok1",
		"POST /v2/devtable/app/blobs/uploads/ auth=Bearer tok1",
		"PUT /v2/devtable/app/blobs/uploads/u3?digest=" + strings.Replace(C, ":", "%3A", 1) + " auth=Bearer tok1 type=application/octet-stream body=24",
		fmt.Sprintf("PUT /v2/devtable/app/manifests/v1 auth=Bearer tok1 type=application/vnd.docker.distribution.manifest.v2+json body=%d", len(img.Manifest.Bytes)),
	}
	if diff := cmp.Diff(want, r.takeLog()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}

	if _, err := c.Push(t.Context(), "devtable/app", "v2", img); err != nil {
		t.Fatal(err)
	}
	want = []string{
		"HEAD /v2/devtable/app/blobs/" + L + " auth=Bearer tok1",
		"HEAD /v2/devtable/app/blobs/" + C + " auth=Bearer tok1",
		fmt.Sprintf("PUT /v2/devtable/app/manifests/v2 auth=Bearer tok1 type=application/vnd.docker.distribution.manifest.v2+json body=%d", len(img.Manifest.Bytes)),
	}
	if diff := cmp.Diff(want, r.takeLog()); diff != "" {
		t.Errorf("second push (-want +got):\n%s", diff)
	}
}

// TestPushChunked checks PATCHes with inclusive Content-Ranges, following
// each new Location (absolute here), then an empty closing PUT.
func TestPushChunked(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	c := newClient(t, r, WithChunkSize(4))
	layer := []byte("0123456789")
	ok, err := c.PushBlob(t.Context(), "org/repo", BytesBlob(sha(layer), layer))
	if err != nil || !ok {
		t.Fatalf("PushBlob = %v, %v", ok, err)
	}
	L := sha(layer)
	want := []string{
		"GET /v2/ auth=",
		"GET /v2/auth?scope=repository%3Aorg%2Frepo%3Apull%2Cpush&service=test.registry basic=devtable:password",
		"HEAD /v2/org/repo/blobs/" + L + " auth=Bearer tok1",
		"POST /v2/org/repo/blobs/uploads/ auth=Bearer tok1",
		"PATCH /v2/org/repo/blobs/uploads/u2 auth=Bearer tok1 type=application/octet-stream range=0-3 body=4",
		"PATCH /v2/org/repo/blobs/uploads/u2 auth=Bearer tok1 type=application/octet-stream range=4-7 body=4",
		"PATCH /v2/org/repo/blobs/uploads/u2 auth=Bearer tok1 type=application/octet-stream range=8-9 body=2",
		"PUT /v2/org/repo/blobs/uploads/u2?digest=" + strings.Replace(L, ":", "%3A", 1) + " auth=Bearer tok1",
	}
	if diff := cmp.Diff(want, r.takeLog()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if got := string(r.blob["org/repo@"+L]); got != string(layer) {
		t.Errorf("stored %q, want %q", got, layer)
	}
}

// TestPushIndex checks that children go first, by digest, then the list
// under its tag; and that reading back gives the same bytes and digest.
func TestPushIndex(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	c := newClient(t, r)
	child := func(arch string) Image {
		cfg := []byte(`{"architecture":"` + arch + `"}`)
		m := []byte(`{"config":"` + sha(cfg) + `"}`)
		return Image{Manifest: Manifest{MediaType: "application/vnd.oci.image.manifest.v1+json", Bytes: m, Digest: sha(m)},
			Blobs: []Blob{BytesBlob(sha(cfg), cfg)}}
	}
	a, b := child("amd64"), child("arm64")
	list := []byte(`{"manifests":["` + a.Manifest.Digest + `","` + b.Manifest.Digest + `"]}`)
	ix := Index{Manifest: Manifest{MediaType: "application/vnd.oci.image.index.v1+json", Bytes: list, Digest: sha(list)}, Children: []Image{a, b}}
	d, err := c.PushIndex(t.Context(), "o/multi", "v1", ix)
	if err != nil {
		t.Fatal(err)
	}
	var puts []string
	for _, l := range r.takeLog() {
		if strings.HasPrefix(l, "PUT /v2/o/multi/manifests/") {
			puts = append(puts, strings.Fields(l)[1])
		}
	}
	want := []string{"/v2/o/multi/manifests/" + a.Manifest.Digest, "/v2/o/multi/manifests/" + b.Manifest.Digest, "/v2/o/multi/manifests/v1"}
	if diff := cmp.Diff(want, puts); diff != "" {
		t.Errorf("manifest PUTs (-want +got):\n%s", diff)
	}
	got, err := c.GetManifest(t.Context(), "o/multi", "v1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ix.Manifest, got); diff != "" || d != ix.Manifest.Digest {
		t.Errorf("GetManifest (-pushed +read), push digest %s:\n%s", d, diff)
	}
	tags, err := c.Tags(t.Context(), "o/multi")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v1"}, tags); diff != "" {
		t.Errorf("Tags (-want +got):\n%s", diff)
	}
}

// TestTokenRefresh checks that a 401 on a request with a token fetches a
// new token and sends the request again, once, with the body re-read.
func TestTokenRefresh(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	c := newClient(t, r)
	img, _, _ := testImage()
	img.Blobs = nil
	if _, err := c.Push(t.Context(), "u/r", "a", img); err != nil {
		t.Fatal(err)
	}
	r.takeLog()
	r.mu.Lock()
	r.expireTokens = true
	r.mu.Unlock()
	if _, err := c.PutManifest(t.Context(), "u/r", "b", img.Manifest); err != nil {
		t.Fatal(err)
	}
	n := len(img.Manifest.Bytes)
	want := []string{
		fmt.Sprintf("PUT /v2/u/r/manifests/b auth=Bearer tok1 type=application/vnd.docker.distribution.manifest.v2+json body=%d", n),
		"GET /v2/auth?scope=repository%3Au%2Fr%3Apull%2Cpush&service=test.registry basic=devtable:password",
		fmt.Sprintf("PUT /v2/u/r/manifests/b auth=Bearer tok2 type=application/vnd.docker.distribution.manifest.v2+json body=%d", n),
	}
	if diff := cmp.Diff(want, r.takeLog()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestErrors checks that a registry's refusal comes back as *Error with
// its status, body and codes, and that a 404 is ErrNotFound.
func TestErrors(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	c := newClient(t, r)
	img, _, _ := testImage()
	r.deny = "POST /v2/q/full/blobs/uploads/"
	_, err := c.Push(t.Context(), "q/full", "v1", img)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	want := &Error{Method: "POST", URL: r.srv.URL + "/v2/q/full/blobs/uploads/", Status: 403,
		Body:   []byte(`{"errors":[{"code":"DENIED","detail":{},"message":"Quota has been exceeded on namespace"}]}`),
		Errors: []ErrorCode{{Code: "DENIED", Message: "Quota has been exceeded on namespace", Detail: []byte("{}")}}}
	if got := e.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Header Content-Type = %q", got)
	}
	e.Header = nil // Date and the like: not under test
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if !e.Code("DENIED") || e.Code("UNAUTHORIZED") || errors.Is(err, ErrNotFound) {
		t.Errorf("Code(DENIED)=%v Code(UNAUTHORIZED)=%v Is(ErrNotFound)=%v", e.Code("DENIED"), e.Code("UNAUTHORIZED"), errors.Is(err, ErrNotFound))
	}
	if got := e.Error(); got != "registrypush: POST "+r.srv.URL+"/v2/q/full/blobs/uploads/: status 403; DENIED: Quota has been exceeded on namespace" {
		t.Errorf("Error() = %q", got)
	}

	_, err = c.GetManifest(t.Context(), "q/full", "nope")
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &e) || !e.Code("MANIFEST_UNKNOWN") {
		t.Errorf("GetManifest of a missing tag: %v", err)
	}

	bad, err := New(r.srv.URL, "devtable", "wrong")
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Tags(t.Context(), "q/full")
	if !errors.As(err, &e) || e.Status != http.StatusUnauthorized || !e.Code("UNAUTHORIZED") {
		t.Errorf("wrong password: %v", err)
	}
}

func TestDeleteTag(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	c := newClient(t, r)
	img, _, _ := testImage()
	if _, err := c.Push(t.Context(), "d/r", "gone", img); err != nil {
		t.Fatal(err)
	}
	r.takeLog()
	if err := c.DeleteTag(t.Context(), "d/r", "gone"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"DELETE /v2/d/r/manifests/gone auth=Bearer tok1"}, r.takeLog()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if _, err := c.GetManifest(t.Context(), "d/r", "gone"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetManifest after delete: %v", err)
	}
}

func TestParseBearer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want challenge
		ok   bool
	}{
		{`Bearer realm="http://127.0.0.1:18170/v2/auth",service="127.0.0.1:18170"`, challenge{"http://127.0.0.1:18170/v2/auth", "127.0.0.1:18170"}, true},
		{`bearer realm="https://r/a", service="s", scope="repository:a/b:pull"`, challenge{"https://r/a", "s"}, true},
		{`Bearer service=s,realm=https://r/token`, challenge{"https://r/token", "s"}, true},
		{`Bearer realm="a,b",service="c=d"`, challenge{"a,b", "c=d"}, true},
		{`Basic realm="x"`, challenge{}, false},
		{`Bearer service="s"`, challenge{service: "s"}, false},
		{`Bearer realm="unterminated`, challenge{}, false},
		{``, challenge{}, false},
	}
	for _, tt := range tests {
		got, ok := parseBearer(tt.in)
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(challenge{})); diff != "" || ok != tt.ok {
			t.Errorf("parseBearer(%q) ok=%v (want %v) (-want +got):\n%s", tt.in, ok, tt.ok, diff)
		}
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "127.0.0.1:8080", "ftp://host", "http://", "http://[::1"} {
		if c, err := New(u, "", ""); err == nil {
			t.Errorf("New(%q) = %v, want an error", u, c)
		}
	}
}

// TestAnonymousRegistry checks a registry that answers GET /v2/ with 200:
// no token is fetched and no Authorization header is sent.
func TestAnonymousRegistry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		seen = append(seen, req.Method+" "+req.URL.Path+" auth="+req.Header.Get("Authorization"))
		mu.Unlock()
		if req.URL.Path == "/v2/" {
			return
		}
		fmt.Fprint(w, `{"tags":["a"]}`)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	tags, err := c.Tags(t.Context(), "x/y")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff([]any{[]string{"a"}, []string{"GET /v2/ auth=", "GET /v2/x/y/tags/list auth="}}, []any{tags, seen}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
