package fakequay

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The shared fixture: one server per test, reached through the socket-free
// client, with a caller of every kind the auth model distinguishes
// (reference §1.2).
const (
	tokAdmin   = "admin-token"   // superuser, every scope
	tokNoScope = "admin-noscope" // superuser, token without super:user

	// The seeded users' passwords (POST /api/v1/signin).
	adminPassword = "admin-password"
	alicePassword = "alice-password"
	davePassword  = "dave-password"
	tokAlice      = "alice-token"   // normal user
	tokAuditor    = "auditor-token" // global read-only superuser, repo:read only
	tokBoth       = "both-token"    // in SUPER_USERS and GLOBAL_READONLY_SUPER_USERS
	tokDisabled   = "dave-token"    // disabled user: treated as anonymous
	tokUnknown    = "no-such-token" // unknown bearer: anonymous
	tokNone       = ""              // no Authorization header
)

var fixtureTime = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func fixtureSeed() Seed {
	cfg := DefaultConfig()
	cfg.SuperUsers = []string{"admin", "both"}
	cfg.GlobalReadonlySuperUsers = []string{"auditor", "both"}
	f := false
	return Seed{
		Config: &cfg,
		Now:    fixtureTime,
		Users: []SeedUser{
			{Username: "admin", Email: "admin@example.com", Password: adminPassword, Tokens: []SeedToken{
				{Token: tokAdmin},
				{Token: tokNoScope, Scopes: []string{"repo:read", "user:admin"}},
			}},
			{Username: "alice", Email: "alice@example.com", Password: alicePassword, Tokens: []SeedToken{{Token: tokAlice}}},
			{Username: "auditor", Email: "auditor@example.com", Tokens: []SeedToken{{Token: tokAuditor, Scopes: []string{"repo:read"}}}},
			{Username: "both", Email: "both@example.com", Tokens: []SeedToken{{Token: tokBoth}}},
			{Username: "dave", Email: "dave@example.com", Enabled: &f, Password: davePassword, Tokens: []SeedToken{{Token: tokDisabled}}},
		},
		Organizations: []SeedOrganization{
			{Name: "acme", Email: "acme@example.com"},
			{Name: "buynlarge", Email: "buynlarge@example.com"},
		},
	}
}

type harness struct {
	t      *testing.T
	s      *Server
	client *http.Client
}

// newHarness builds a server from the fixture seed (edited by edit, if
// given) plus opts.
func newHarness(t *testing.T, edit func(*Seed), opts ...Option) *harness {
	t.Helper()
	seed := fixtureSeed()
	if edit != nil {
		edit(&seed)
	}
	s, err := New(append([]Option{WithSeed(seed)}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	client := s.HTTPClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &harness{t: t, s: s, client: client}
}

// reply is what a client sees of a response.
type reply struct {
	Status      int
	ContentType string
	Body        string
}

const testHost = "quay.test"

// do sends a request; a non-empty body is sent as application/json unless
// header says otherwise.
func (h *harness) do(method, path, token, body string, header ...string) reply {
	h.t.Helper()
	r, err := send(h.t.Context(), h.client, method, path, token, body, header...)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// send is do for any goroutine: it reports failure instead of ending the test.
func send(ctx context.Context, client *http.Client, method, path, token, body string, header ...string) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, method, "http://"+testHost+path, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: string(b)}, nil
}

// Expected replies of the error families (reference §1.3).

func apiErrorReply(status int, errType, detail string) reply {
	b, _ := json.Marshal(detail)
	d := string(b)
	return reply{Status: status, ContentType: "application/json", Body: `{"detail": ` + d + `, "error_message": ` + d +
		`, "error_type": "` + errType + `", "title": "` + errType + `", "type": "http://` + testHost +
		`/api/v1/error/` + errType + `", "status": ` + itoa(status) + "}\n"}
}

func modelErrorReply(message string) reply {
	b, _ := json.Marshal(map[string]string{"message": message})
	return reply{Status: 400, ContentType: "application/json", Body: string(b) + "\n"}
}

var (
	replyUnauthorized = apiErrorReply(401, "invalid_token", "Requires authentication")
	replyForbidden    = apiErrorReply(403, "insufficient_scope", "Unauthorized")
	replyNotFound     = apiErrorReply(404, "not_found", "Not Found")
	replyCSRF         = reply{Status: 403, ContentType: "text/html; charset=utf-8", Body: `{"error": "CSRF token was invalid or missing."}`}
	replyCrash        = reply{Status: 500, ContentType: "text/html", Body: "<html>\n  <head>\n    <title>Internal Server Error</title>\n  </head>\n  <body>\n    <h1><p>Internal Server Error</p></h1>\n    \n  </body>\n</html>\n"}
	replyNoContent    = reply{Status: 204, ContentType: "application/json"}
)

// What no API rule serves (§1.5, corrected against real Quay): the web
// catch-all view's page (Quay's web UI with a 404; fakequay's own body),
// Werkzeug's 404 and 405 pages, and its 308 redirect.
var (
	replyWebPage = reply{Status: 404, ContentType: "text/html; charset=utf-8",
		Body: "<!DOCTYPE html>\n<html>\n<head><title>Quay</title></head>\n<body>\n<h1>404</h1>\n" +
			"<p>The page you are looking for does not exist (fakequay serves no web UI).</p>\n</body>\n</html>\n"}
	replyWerkzeug404 = reply{Status: 404, ContentType: "text/html; charset=utf-8",
		Body: "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n" +
			"<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"}
	replyWerkzeug405 = reply{Status: 405, ContentType: "text/html; charset=utf-8",
		Body: "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n" +
			"<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n"}
	replyMethodNotAllowedJSON = jsonReply(405, `{"message": "The method is not allowed for the requested URL."}`)
)

// replyRedirect is Werkzeug's 308 to target (a path and query) on the
// harness's host.
func replyRedirect(target string) reply {
	url := "http://quay.test" + target
	return reply{Status: 308, ContentType: "text/html; charset=utf-8",
		Body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
			"<p>You should be redirected automatically to the target URL: <a href=\"" + url + "\">" + url +
			"</a>. If not, click the link.\n"}
}

// jsonReply is an application/json reply with body plus Quay's newline.
func jsonReply(status int, body string) reply {
	return reply{Status: status, ContentType: "application/json", Body: body + "\n"}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// normalize replaces generated values (matched by re) with a placeholder so
// the rest of a body can be compared exactly.
func normalize(body string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		body = regexp.MustCompile(pairs[i]).ReplaceAllString(body, pairs[i+1])
	}
	return body
}

func checkReply(t *testing.T, want, got reply) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reply mismatch (-want +got):\n%s", diff)
	}
}

// loggedAction is an audit row as a test checks it: names resolved now.
type loggedAction struct {
	Kind      string
	Account   string // current name of the account, "" when none resolves
	Performer string
	IP        string
	Metadata  string
}

// logs returns every audit row written so far, oldest first.
func (h *harness) logs() []loggedAction {
	h.t.Helper()
	rd := h.s.store.Read()
	name := func(id int64) string {
		if n, ok := rd.NamespaceByID(id); ok {
			return n.Name
		}
		return ""
	}
	var out []loggedAction
	rd.AllLogs(func(e *store.LogEntry) bool {
		out = append(out, loggedAction{Kind: e.Kind, Account: name(e.AccountID), Performer: name(e.PerformerID),
			IP: e.IP, Metadata: string(e.Metadata)})
		return true
	})
	return out
}

// oauthMeta is the suffix c.action appends for a fixture token (ids in
// seed order: admin-token is token 1).
func oauthMeta(tokenID int) string {
	return `,"oauth_token_id":` + itoa(tokenID) + `,"oauth_token_application_id":"FAKEQUAYCLIENTID0001","oauth_token_application":"fakequay"}`
}
