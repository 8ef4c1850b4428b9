package quaymock_test

import (
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jarcoal/httpmock"
	"go.uber.org/goleak"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/fakequay/quaymock"
)

// TestMain proves that requests through the bridge leave no goroutine
// behind (httpmock runs a cancellable request's responder on goroutines
// of its own).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	base       = "https://quay.io"
	tokAdmin   = "admin-token"   // superuser, every scope
	tokNoScope = "admin-noscope" // superuser, without super:user
)

func seed() fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	return fakequay.Seed{
		Config: &cfg,
		Now:    time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{
				{Token: tokAdmin}, {Token: tokNoScope, Scopes: []string{"repo:read", "user:read"}}}},
			{Username: "alice", Email: "alice@example.com"},
		},
	}
}

func newServer(t *testing.T, opts ...fakequay.Option) *fakequay.Server {
	t.Helper()
	srv, err := fakequay.New(append([]fakequay.Option{fakequay.WithSeed(seed())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// answer is what a client sees of a response.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

// do sends one request through client and reads the whole answer.
func do(t *testing.T, client *http.Client, method, url, token, body string) (answer, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}, nil
}

// mustDo is do for requests that must get an answer.
func mustDo(t *testing.T, client *http.Client, method, url, token, body string) answer {
	t.Helper()
	a, err := do(t, client, method, url, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return a
}

// mockedClient returns a client of its own over a fresh MockTransport on
// which base reaches srv: no global is touched, so tests using it run in
// parallel.
func mockedClient(srv *fakequay.Server) (*http.Client, *httpmock.MockTransport) {
	mt := httpmock.NewMockTransport()
	quaymock.Register(mt, base, srv)
	return &http.Client{Transport: mt}, mt
}

// The bridge under httpmock.Activate: code that sends
// https://quay.io/api/v1/... through http.DefaultClient gets exactly what
// the same request gets through HTTPClient from a twin server (status,
// headers, body; redirects followed alike), the fake's state changes, its
// journal records the same requests, httpmock counts the calls, and a
// request to another host gets httpmock's own error.
//
// Not parallel: httpmock.Activate replaces http.DefaultTransport for the
// whole test binary until the test ends. Go starts parallel tests only
// after every sequential test has finished, so none can see the swap.
func TestDefaultClientUnderActivate(t *testing.T) {
	if httpmock.Disabled() {
		t.Skip("GONOMOCKS is set: httpmock.Activate would leave the real network in place")
	}
	viaMock, twin := newServer(t), newServer(t)
	httpmock.Activate(t)
	quaymock.Register(nil, base, viaMock)
	direct := twin.HTTPClient()

	big := `{"username": "` + strings.Repeat("x", 2<<20) + `"}`
	steps := []struct {
		method, path, token, body string
		wantStatus                int
	}{
		{"POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "carol", "email": "carol@example.com"}`, 200},
		{"GET", "/api/v1/superuser/users/carol", tokAdmin, "", 200},
		{"PUT", "/api/v1/superuser/users/carol", tokAdmin, `{"enabled": false}`, 200},
		{"GET", "/api/v1/superuser/users/nobody", tokAdmin, "", 404},
		{"GET", "/api/v1/superuser/users/carol", tokNoScope, "", 403},
		{"GET", "/api/v1/superuser/organizations?limit=1", tokAdmin, "", 200}, // 308 to the slashed path, followed
		{"HEAD", "/api/v1/superuser/users/", tokAdmin, "", 200},
		{"POST", "/api/v1/superuser/users/", tokAdmin, big, 413}, // nginx's limit, before any check
		{"GET", "/health/instance", "", "", 200},
	}
	for _, st := range steps {
		got := mustDo(t, http.DefaultClient, st.method, base+st.path, st.token, st.body)
		want := mustDo(t, direct, st.method, base+st.path, st.token, st.body)
		if diff := cmp.Diff(want, got); diff != "" || got.Status != st.wantStatus {
			t.Errorf("%s %s: status %d, want %d; answer through httpmock (-HTTPClient +httpmock):\n%s",
				st.method, st.path, got.Status, st.wantStatus, diff)
		}
	}

	// Quay's error type links name the host the request named.
	got := mustDo(t, http.DefaultClient, "GET", base+"/api/v1/superuser/users/nobody", tokAdmin, "")
	wantBody := `{"detail": "Not Found", "error_message": "Not Found", "error_type": "not_found", "title": "not_found", ` +
		`"type": "https://quay.io/api/v1/error/not_found", "status": 404}` + "\n"
	if diff := cmp.Diff(wantBody, got.Body); diff != "" {
		t.Errorf("404 body (-want +got):\n%s", diff)
	}

	// The state changed, and both journals saw the same requests.
	u, ok := viaMock.User("carol")
	if diff := cmp.Diff([]any{true, false}, []any{ok, u.Enabled}); diff != "" {
		t.Errorf("carol exists, enabled (-want +got):\n%s", diff)
	}
	ignoreDuration := cmpopts.IgnoreFields(fakequay.Request{}, "Duration")
	journal := viaMock.Requests()
	if diff := cmp.Diff(twin.Requests(), journal[:len(journal)-1], ignoreDuration); diff != "" {
		t.Errorf("journal (-HTTPClient +httpmock):\n%s", diff)
	}

	// httpmock counted every call: under the URL it caught and under the
	// pattern that matched; the redirect's two requests count as two.
	rx, err := quaymock.Pattern(base)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := map[string]int{
		"GET =~" + rx.String():                                     7,
		"POST =~" + rx.String():                                    2,
		"PUT =~" + rx.String():                                     1,
		"HEAD =~" + rx.String():                                    1,
		"GET " + base + "/api/v1/superuser/users/carol":            2,
		"GET " + base + "/api/v1/superuser/users/nobody":           2,
		"GET " + base + "/api/v1/superuser/organizations?limit=1":  1,
		"GET " + base + "/api/v1/superuser/organizations/?limit=1": 1,
		"GET " + base + "/health/instance":                         1,
		"HEAD " + base + "/api/v1/superuser/users/":                1,
		"POST " + base + "/api/v1/superuser/users/":                2,
		"PUT " + base + "/api/v1/superuser/users/carol":            1,
		"DELETE =~" + rx.String():                                  0, "PATCH =~" + rx.String(): 0, "OPTIONS =~" + rx.String(): 0,
		"CONNECT =~" + rx.String(): 0, "TRACE =~" + rx.String(): 0,
	}
	if diff := cmp.Diff(wantCounts, httpmock.GetCallCountInfo()); diff != "" {
		t.Errorf("GetCallCountInfo (-want +got):\n%s", diff)
	}

	// Another host is not Quay: httpmock answers it with its own error,
	// and the fake never sees it.
	before := len(viaMock.Requests())
	_, err = do(t, http.DefaultClient, "GET", "https://quay.example.com/api/v1/superuser/users/", tokAdmin, "")
	if !errors.Is(err, httpmock.NoResponderFound) {
		t.Errorf("another host: error %v, want httpmock.NoResponderFound", err)
	}
	if diff := cmp.Diff(before, len(viaMock.Requests())); diff != "" {
		t.Errorf("journal length after a request to another host (-want +got):\n%s", diff)
	}
}

// Reset returns the server to its seed for requests through the bridge.
func TestResetThroughTheBridge(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client, _ := mockedClient(srv)
	mustDo(t, client, "POST", base+"/api/v1/superuser/users/", tokAdmin, `{"username": "carol", "email": "carol@example.com"}`)
	before := mustDo(t, client, "GET", base+"/api/v1/superuser/users/carol", tokAdmin, "").Status

	srv.Reset()
	after := mustDo(t, client, "GET", base+"/api/v1/superuser/users/carol", tokAdmin, "").Status
	if diff := cmp.Diff([]int{200, 404}, []int{before, after}); diff != "" {
		t.Errorf("carol's status before and after Reset (-want +got):\n%s", diff)
	}
}

// Injected faults answer through the bridge as through HTTPClient: an
// nginx 503 page once, then the real answer; a dropped connection is an
// error; the journal marks both.
func TestFaultsThroughTheBridge(t *testing.T) {
	t.Parallel()
	srv, twin := newServer(t), newServer(t)
	client, _ := mockedClient(srv)
	direct := twin.HTTPClient()
	for _, s := range []*fakequay.Server{srv, twin} {
		if _, err := s.InjectFault(fakequay.Fault{Operation: "listAllUsers", Status: 503, Times: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.InjectFault(fakequay.Fault{Operation: "getInstallUser", Drop: true}); err != nil {
			t.Fatal(err)
		}
	}
	users := base + "/api/v1/superuser/users/"
	var statuses []int
	for range 2 {
		got := mustDo(t, client, "GET", users, tokAdmin, "")
		want := mustDo(t, direct, "GET", users, tokAdmin, "")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("answer (-HTTPClient +httpmock):\n%s", diff)
		}
		statuses = append(statuses, got.Status)
	}
	if diff := cmp.Diff([]int{503, 200}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}

	_, err := do(t, client, "GET", users+"alice", tokAdmin, "")
	_, twinErr := do(t, direct, "GET", users+"alice", tokAdmin, "")
	if diff := cmp.Diff(fmt.Sprint(twinErr), fmt.Sprint(err)); diff != "" || err == nil {
		t.Errorf("dropped connection: error %v (-HTTPClient +httpmock):\n%s", err, diff)
	}

	type entry struct {
		Operation string
		Status    int
		Fault     bool
	}
	var got []entry
	for _, r := range srv.Requests() {
		got = append(got, entry{r.Operation, r.Status, r.Fault})
	}
	want := []entry{{"listAllUsers", 503, true}, {"listAllUsers", 200, false}, {"getInstallUser", 0, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
}

// Register covers every method net/http names and no other host; a
// responder registered for an exact URL still wins over the fake.
func TestRegisterRoutes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client, mt := mockedClient(srv)
	mt.RegisterResponder("GET", base+"/api/v1/superuser/users/alice", httpmock.NewStringResponder(418, "mine"))

	tests := []struct {
		method, url string
		want        string // status, or the error
	}{
		{"GET", base + "/api/v1/superuser/users/alice", "418"},
		{"GET", base + "/api/v1/superuser/users/admin", "200"},
		{"DELETE", base + "/api/v1/superuser/users/alice", "204"},
		{"PATCH", base + "/api/v1/superuser/users/alice", "405"},
		{"OPTIONS", base + "/api/v1/superuser/users/alice", "200"},
		{"TRACE", base + "/api/v1/superuser/users/alice", "405"},
		{"PROPFIND", base + "/api/v1/superuser/users/alice", `Propfind "https://quay.io/api/v1/superuser/users/alice": ` +
			`no responder found for method "PROPFIND", but one matches method "GET"`},
		{"GET", "http://quay.io/api/v1/superuser/users/admin", `Get "http://quay.io/api/v1/superuser/users/admin": no responder found`},
		{"GET", "https://quay.io.example.com/api/v1/superuser/users/admin",
			`Get "https://quay.io.example.com/api/v1/superuser/users/admin": no responder found`},
	}
	for _, tc := range tests { // in order: the DELETE changes the server the later cases share
		t.Run(tc.method+" "+tc.url, func(t *testing.T) {
			a, err := do(t, client, tc.method, tc.url, tokAdmin, "")
			got := fmt.Sprint(a.Status)
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A server configured as quay.io answers its superuser API as quay.io
// does: 404 from verify_not_prod (endpoints/api/__init__.py), while
// operations without that decorator still answer.
func TestServerConfiguredAsQuayIO(t *testing.T) {
	t.Parallel()
	srv := newServer(t, fakequay.WithConfig(func(c *fakequay.Config) { c.ServerHostname = "quay.io" }))
	client, _ := mockedClient(srv)
	got := []int{
		mustDo(t, client, "GET", base+"/api/v1/superuser/users/", tokAdmin, "").Status,
		mustDo(t, client, "GET", base+"/api/v1/messages", "", "").Status,
	}
	if diff := cmp.Diff([]int{404, 200}, got); diff != "" {
		t.Errorf("listAllUsers, getGlobalMessages (-want +got):\n%s", diff)
	}
}

// Pattern matches the base's scheme and host (any case), its default port
// given or not, and nothing that merely starts with the same letters.
func TestPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base  string
		match map[string]bool
	}{
		{"https://quay.io", map[string]bool{
			"https://quay.io":                 true,
			"https://quay.io/":                true,
			"https://quay.io?x=1":             true,
			"https://QUAY.IO/api/v1/x":        true,
			"https://quay.io:443/api/v1/x":    true,
			"https://quay.io:8443/api/v1/x":   false,
			"http://quay.io/api/v1/x":         false,
			"https://quay.io.example.com/":    false,
			"https://quay.iox/":               false,
			"https://xquay.io/":               false,
			"/api/v1/x":                       false,
			"https://user@quay.io/api/v1/x":   false,
			"https://quay.io#fragment":        true,
			"https://quay.io/api/v1/x?y#frag": true,
		}},
		{"https://quay.io:443/", map[string]bool{"https://quay.io/x": true, "https://quay.io:443/x": true}},
		{"http://127.0.0.1:8080", map[string]bool{"http://127.0.0.1:8080/x": true, "http://127.0.0.1/x": false}},
		{"http://[::1]:8080", map[string]bool{"http://[::1]:8080/x": true, "http://[::2]:8080/x": false}},
	}
	for _, tc := range tests {
		t.Run(tc.base, func(t *testing.T) {
			t.Parallel()
			rx, err := quaymock.Pattern(tc.base)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for u := range tc.match {
				got[u] = rx.MatchString(u)
			}
			if diff := cmp.Diff(tc.match, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", rx, diff)
			}
		})
	}
}

// A base that is not a scheme and a host is refused: Pattern returns an
// error and Register panics with it.
func TestBadBaseURL(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, b := range []string{"quay.io", "ftp://quay.io", "https://", "https://quay.io/api/v1", "https://quay.io?x=1",
		"https://quay.io/#x", "https://u:p@quay.io", "https://quay.io/?", "://"} {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			_, err := quaymock.Pattern(b)
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				quaymock.Register(httpmock.NewMockTransport(), b, srv)
			}()
			if err == nil || fmt.Sprint(recovered) != err.Error() {
				t.Errorf("Pattern error %v; Register panicked with %v, want the same error", err, recovered)
			}
		})
	}
}

// The bridge is the only place in fakequay that imports httpmock, so that
// fakequay's users and its binary do not: no other non-test file under
// fakequay/ imports it (and nothing else the module depends on does).
func TestOnlyTheBridgeImportsHTTPMock(t *testing.T) {
	t.Parallel()
	var importers []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || filepath.Base(path) == "quaymock") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if strings.Contains(imp.Path.Value, "jarcoal/httpmock") {
				importers = append(importers, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string(nil), importers); diff != "" {
		t.Errorf("files importing httpmock (-want +got):\n%s", diff)
	}
}
