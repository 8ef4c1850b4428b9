package fakequay

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sessionClient is a browser-like client of a fakequay on a real socket:
// a cookie jar, and the CSRF token it last learned.
type sessionClient struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
}

func newSessionClient(t *testing.T, srv *Server) *sessionClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &sessionClient{t: t, base: srv.URL(), client: &http.Client{Jar: jar}}
}

// exchange is what a test compares of one answer: status, body and the
// headers a session changes (Set-Cookie with its value hidden, Vary,
// whether X-Next-CSRF-Token came, Retry-After).
type exchange struct {
	Status     int
	Body       string
	SetCookie  string
	Vary       string
	NextCSRF   bool
	RetryAfter string
}

var cookieValue = regexp.MustCompile(`^_csrf_token=[^;]+`)

// do sends one request as the Ansible collection does (JSON content type,
// X-CSRF-Token when a token is known) and learns X-Next-CSRF-Token.
func (sc *sessionClient) do(method, path, body string, header ...string) exchange {
	sc.t.Helper()
	req, err := http.NewRequestWithContext(sc.t.Context(), method, sc.base+path, strings.NewReader(body))
	if err != nil {
		sc.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if sc.csrf != "" {
		req.Header.Set("X-CSRF-Token", sc.csrf)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := sc.client.Do(req)
	if err != nil {
		sc.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		sc.t.Fatal(err)
	}
	next := resp.Header.Get("X-Next-CSRF-Token")
	if next != "" {
		sc.csrf = next
	}
	cookie := resp.Header.Get("Set-Cookie")
	if cookie != "" {
		cookie = cookieValue.ReplaceAllString(cookie, "_csrf_token=VALUE")
	}
	return exchange{Status: resp.StatusCode, Body: string(b), SetCookie: cookie, Vary: resp.Header.Get("Vary"),
		NextCSRF: next != "", RetryAfter: resp.Header.Get("Retry-After")}
}

// getCSRF is the collection's first step: GET /csrf_token (Quay 3.16 and
// later), keeping the token.
func (sc *sessionClient) getCSRF() exchange {
	sc.t.Helper()
	x := sc.do(http.MethodGet, "/csrf_token", "", "Accept", "*/*")
	var v struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal([]byte(x.Body), &v); err != nil || len(v.CSRFToken) != 64 {
		sc.t.Fatalf("GET /csrf_token: %d %q", x.Status, x.Body)
	}
	sc.csrf = v.CSRFToken
	x.Body = `{"csrf_token":"TOKEN"}` + "\n"
	return x
}

const (
	nonPermanentCookie = "_csrf_token=VALUE; HttpOnly; Path=/; SameSite=Lax"
	csrfFailure        = `{"error": "CSRF token was invalid or missing."}`
	signinOK           = `{"success": true}` + "\n"
	wrongPassword      = `{"needsEmailVerification": false, "invalidCredentials": true, "message": "Invalid Username or Password"}` + "\n"
)

// permanentCookie is the session cookie of a sign-in at t: it expires
// SESSION_TIMEOUT (31 days) later.
func permanentCookie(t time.Time) string {
	return "_csrf_token=VALUE; Expires=" + t.Add(31*24*time.Hour).UTC().Format(http.TimeFormat) + "; HttpOnly; Path=/; SameSite=Lax"
}

// TestAnsibleCollectionSignIn does what the infra.quay_configuration
// collection does with quay_username and quay_password
// (plugins/module_utils/api_module.py authenticate): GET /csrf_token, POST
// /api/v1/signin with the token in X-CSRF-Token and the cookie, then every
// call with the session cookie and X-Next-CSRF-Token, then POST
// /api/v1/signout. The answers are real Quay's (ffba0c70e, the realquay
// harness, curl with a cookie jar): web.py csrf_token, user.py signinUser
// and logout, common.py common_login, Flask's session cookie.
func TestAnsibleCollectionSignIn(t *testing.T) {
	t.Parallel()
	srv := RunT(t, WithSeed(fixtureSeed()))
	sc := newSessionClient(t, srv)
	now := srv.Now()

	got := []exchange{sc.getCSRF()}
	got = append(got, sc.do(http.MethodPost, "/api/v1/signin", `{"username": "admin", "password": "`+adminPassword+`"}`))
	me := sc.do(http.MethodGet, "/api/v1/user/", "")
	if !strings.Contains(me.Body, `"username": "admin"`) {
		t.Errorf("GET /api/v1/user/ with the session: %d %.200s", me.Status, me.Body)
	}
	me.Body = ""
	got = append(got, me)
	org := sc.do(http.MethodPost, "/api/v1/organization/", `{"name": "ansibleorg", "email": "ansible@example.com"}`)
	got = append(got, org)
	users := sc.do(http.MethodGet, "/api/v1/superuser/users/", "")
	users.Body = ""
	got = append(got, users)
	got = append(got, sc.do(http.MethodPost, "/api/v1/signout", ""))
	gone := sc.do(http.MethodGet, "/api/v1/user/", "")
	gone.Body = ""
	got = append(got, gone)

	want := []exchange{
		{Status: 200, Body: `{"csrf_token":"TOKEN"}` + "\n", SetCookie: nonPermanentCookie, Vary: "Cookie"},
		{Status: 200, Body: signinOK, SetCookie: permanentCookie(now), Vary: "Cookie", NextCSRF: true},
		{Status: 200, SetCookie: permanentCookie(now), Vary: "Cookie"},
		{Status: 201, Body: `"Created"` + "\n", SetCookie: permanentCookie(now), Vary: "Cookie"},
		{Status: 200, SetCookie: permanentCookie(now), Vary: "Cookie"},
		// logout_user drops the user from the session, which stays
		// permanent; the user's sessions are invalidated anyway.
		{Status: 200, Body: signinOK, SetCookie: permanentCookie(now), Vary: "Cookie"},
		{Status: 401, SetCookie: permanentCookie(now), Vary: "Cookie"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the collection's conversation (-want +got):\n%s", diff)
	}
}

// TestSessionAnswers walks the answers real Quay gave to sessions (curl
// with a cookie jar against the realquay harness at ffba0c70e): refusals
// of signinUser, the CSRF check, the failed-attempt backoff, signing in
// over a session, fresh login and verifyUser.
func TestSessionAnswers(t *testing.T) {
	t.Parallel()
	seed := fixtureSeed()
	f := false
	seed.Users = append(seed.Users, SeedUser{Username: "unverified", Email: "unverified@example.com", Verified: &f, Password: "unverified-pw"})
	srv := RunT(t, WithSeed(seed))
	sc := newSessionClient(t, srv)
	now := srv.Now()
	type step struct {
		name string
		run  func() exchange
		want exchange
	}
	post := func(path, body string, header ...string) func() exchange {
		return func() exchange { return sc.do(http.MethodPost, path, body, header...) }
	}
	get := func(path string) func() exchange {
		return func() exchange { return sc.do(http.MethodGet, path, "") }
	}
	freshRequired := `{"detail": "Requires fresh login", "error_message": "Requires fresh login", "error_type": "fresh_login_required", ` +
		`"title": "fresh_login_required", "type": "` + srv.URL() + `/api/v1/error/fresh_login_required", "status": 401}` + "\n"
	steps := []step{
		{"signin without a session: CSRF", post("/api/v1/signin", `{"username": "alice", "password": "x"}`),
			exchange{Status: 403, Body: csrfFailure, Vary: "Origin, Cookie"}},
		{"the token", func() exchange { return sc.getCSRF() },
			exchange{Status: 200, Body: `{"csrf_token":"TOKEN"}` + "\n", SetCookie: nonPermanentCookie, Vary: "Cookie"}},
		{"a wrong token: CSRF; flask-login marks the session not fresh", post("/api/v1/signin", `{}`, "X-CSRF-Token", "nope"),
			exchange{Status: 403, Body: csrfFailure, SetCookie: nonPermanentCookie, Vary: "Origin, Cookie"}},
		{"invalid JSON", post("/api/v1/signin", `{"username":`),
			exchange{Status: 400, Body: `{"message": "The browser (or proxy) sent a request that this server could not understand."}` + "\n", Vary: "Cookie"}},
		{"a wrong password", post("/api/v1/signin", `{"username": "alice", "password": "wrong-one"}`),
			exchange{Status: 403, Body: wrongPassword, Vary: "Cookie"}},
		{"again at once: the backoff (0.5 s)", post("/api/v1/signin", `{"username": "alice", "password": "`+alicePassword+`"}`),
			exchange{Status: 429, Body: "Too many login attempts. \nPlease reset your Quay password and try again.", Vary: "Cookie", RetryAfter: "0"}},
		{"an unknown user", post("/api/v1/signin", `{"username": "nobody", "password": "whatever"}`),
			exchange{Status: 403, Body: wrongPassword, Vary: "Cookie"}},
		{"a disabled user", post("/api/v1/signin", `{"username": "dave", "password": "`+davePassword+`"}`),
			exchange{Status: 403, Body: `{"needsEmailVerification": false, "invalidCredentials": true, "message": "This user has been disabled. Please contact your administrator."}` + "\n", Vary: "Cookie"}},
		{"an unverified user", post("/api/v1/signin", `{"username": "unverified", "password": "unverified-pw"}`),
			exchange{Status: 403, Body: `{"needsEmailVerification": true, "invalidCredentials": false, "message": null}` + "\n", Vary: "Cookie"}},
		{"admin signs in", post("/api/v1/signin", `{"username": "admin", "password": "`+adminPassword+`"}`),
			exchange{Status: 200, Body: signinOK, SetCookie: permanentCookie(now), Vary: "Cookie", NextCSRF: true}},
		{"the old token no longer passes", post("/api/v1/signin/verify", `{"password": "x"}`, "X-CSRF-Token", "stale"),
			exchange{Status: 403, Body: `{"error": "CSRF token was invalid or missing. (authorized: user admin)"}`, SetCookie: permanentCookie(now), Vary: "Origin, Cookie"}},
		{"signed in, sign in as alice (1 s after her failure)", func() exchange {
			srv.Advance(time.Second)
			return sc.do(http.MethodPost, "/api/v1/signin", `{"username": "alice", "password": "`+alicePassword+`"}`)
		}, exchange{Status: 200, Body: signinOK, SetCookie: permanentCookie(now.Add(time.Second)), Vary: "Cookie", NextCSRF: true}},
		{"the session is alice's", get("/api/v1/user/"),
			exchange{Status: 200, Body: `{"anonymous": false, "username": "alice", `, SetCookie: permanentCookie(now.Add(time.Second)), Vary: "Cookie"}},
		{"admin again, for the superuser API", post("/api/v1/signin", `{"username": "admin", "password": "`+adminPassword+`"}`),
			exchange{Status: 200, Body: signinOK, SetCookie: permanentCookie(now.Add(time.Second)), Vary: "Cookie", NextCSRF: true}},
		{"a fresh-login read within 10 minutes", get("/api/v1/superuser/users/"),
			exchange{Status: 200, Body: `{"users": [{"kind": "user", "name": "admin`, SetCookie: permanentCookie(now.Add(time.Second)), Vary: "Cookie"}},
		{"11 minutes later: fresh login required", func() exchange {
			srv.Advance(11 * time.Minute)
			return sc.do(http.MethodGet, "/api/v1/superuser/users/", "")
		}, exchange{Status: 401, Body: freshRequired, SetCookie: permanentCookie(now.Add(11*time.Minute + time.Second)), Vary: "Cookie"}},
		{"a fresh-login write too", post("/api/v1/messages", `{"message": {"content": "x", "media_type": "text/plain", "severity": "info"}}`),
			exchange{Status: 401, Body: freshRequired, SetCookie: permanentCookie(now.Add(11*time.Minute + time.Second)), Vary: "Cookie"}},
		{"a read without @require_fresh_login", get("/api/v1/superuser/keys"),
			exchange{Status: 200, Body: `{"keys":[`, SetCookie: permanentCookie(now.Add(11*time.Minute + time.Second)), Vary: "Cookie"}},
		{"verifyUser, wrong password", post("/api/v1/signin/verify", `{"password": "nope"}`),
			exchange{Status: 403, Body: `{"message": "Invalid Username or Password", "invalidCredentials": true}` + "\n", SetCookie: permanentCookie(now.Add(11*time.Minute + time.Second)), Vary: "Cookie"}},
		{"verifyUser, right password after the backoff", func() exchange {
			srv.Advance(time.Second)
			return sc.do(http.MethodPost, "/api/v1/signin/verify", `{"password": "`+adminPassword+`"}`)
		}, exchange{Status: 200, Body: signinOK, SetCookie: permanentCookie(now.Add(11*time.Minute + 2*time.Second)), Vary: "Cookie", NextCSRF: true}},
		{"fresh again", get("/api/v1/superuser/users/"),
			exchange{Status: 200, Body: `{"users": [{"kind": "user", "name": "admin`, SetCookie: permanentCookie(now.Add(11*time.Minute + 2*time.Second)), Vary: "Cookie"}},
		{"a bearer token is never asked for a fresh login", func() exchange {
			return sc.do(http.MethodGet, "/api/v1/superuser/users/", "", "Authorization", "Bearer "+tokAdmin)
		}, exchange{Status: 200, Body: `{"users": [{"kind": "user", "name": "admin`, SetCookie: permanentCookie(now.Add(11*time.Minute + 2*time.Second))}},
	}
	for _, s := range steps {
		got := s.run()
		// A 200 whose wanted body is not a whole one (no trailing
		// newline) is compared by its start.
		if s.want.Status == 200 && !strings.HasSuffix(s.want.Body, "\n") {
			got.Body = got.Body[:min(len(got.Body), len(s.want.Body))]
		}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
	}
}

// TestSigninRouteAndCSRFView pins the answers real Quay gave outside a
// session (curl against the realquay harness): with FEATURE_DIRECT_LOGIN
// off /api/v1/signin is no rule (the web blueprint's 405 for a POST), and
// /csrf_token answers GET, HEAD and OPTIONS itself (its route names
// OPTIONS) and Werkzeug's 405 otherwise.
func TestSigninRouteAndCSRFView(t *testing.T) {
	t.Parallel()
	off := newHarness(t, func(s *Seed) { s.Config.FeatureDirectLogin = false })
	on := newHarness(t, nil)
	tests := []struct {
		name       string
		h          *harness
		method     string
		path       string
		want       int
		wantAllow  string
		wantCookie bool
	}{
		{"FEATURE_DIRECT_LOGIN off: POST /api/v1/signin", off, "POST", "/api/v1/signin", 405, "GET, HEAD, OPTIONS", false},
		{"FEATURE_DIRECT_LOGIN off: verifyUser stays", off, "POST", "/api/v1/signin/verify", 403, "", false},
		{"GET /csrf_token", on, "GET", "/csrf_token", 200, "", true},
		{"OPTIONS /csrf_token is the view's own answer", on, "OPTIONS", "/csrf_token", 200, "", true},
		{"HEAD /csrf_token", on, "HEAD", "/csrf_token", 200, "", true},
		{"POST /csrf_token", on, "POST", "/csrf_token", 405, "OPTIONS, HEAD, GET", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tc.method, "http://"+testHost+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := tc.h.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			type answer struct {
				Status int
				Allow  string
				Cookie bool
			}
			want := answer{tc.want, tc.wantAllow, tc.wantCookie}
			got := answer{resp.StatusCode, resp.Header.Get("Allow"), strings.HasPrefix(resp.Header.Get("Set-Cookie"), "_csrf_token=")}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
