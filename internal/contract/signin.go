package contract

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Password sign-in (endpoints/api/user.py signinUser, verifyUser, logout;
// endpoints/web.py csrf_token), as the Ansible collection
// infra.quay_configuration does it (plugins/module_utils/api_module.py):
// GET /csrf_token, POST /api/v1/signin with the token in X-CSRF-Token and
// the session cookie, then the API with the cookie and the token the
// sign-in answered in X-Next-CSRF-Token. The Go client has no sessions:
// these cases speak HTTP with a cookie jar.

func signinCases() []testCase {
	return []testCase{
		// alone: logout ends every session of the user, the other
		// sign-in cases' included.
		{op: "signinUser", name: "the Ansible collection's sign-in, API calls with the session, verify, sign-out", alone: true,
			run: func(t *testing.T, e *env) {
				s := e.session(t)
				user := e.tgt.Fixtures.SignIn.User
				s.csrfToken()
				got := []answer{
					s.post("/api/v1/signin", `{"username": "`+user+`", "password": "`+e.tgt.Fixtures.SignIn.Password+`"}`),
				}
				me := s.get("/api/v1/user/")
				var view struct {
					Username string `json:"username"`
				}
				if err := json.Unmarshal([]byte(me.Body), &view); err != nil || view.Username != user {
					t.Errorf("GET /api/v1/user/ in the session: %d %.200s; want the view of %s", me.Status, me.Body, user)
				}
				got = append(got,
					s.post("/api/v1/signin/verify", `{"password": "`+e.tgt.Fixtures.SignIn.Password+`"}`),
					s.post("/api/v1/signout", ""))
				after := s.get("/api/v1/user/")
				after.Body = after.Body[:min(len(after.Body), len(`{"session_required": false`))]
				got = append(got, after)
				want := []answer{
					{Status: 200, Body: `{"success": true}` + "\n", NextCSRF: true},
					{Status: 200, Body: `{"success": true}` + "\n", NextCSRF: true},
					{Status: 200, Body: `{"success": true}` + "\n"},
					{Status: 401, Body: `{"session_required": false`},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("sign-in, verify, sign-out, then the API (-want +got):\n%s", diff)
				}
			}},
		{op: "signinUser", name: "an unknown user is 403 invalidCredentials", run: func(t *testing.T, e *env) {
			s := e.session(t)
			s.csrfToken()
			got := s.post("/api/v1/signin", `{"username": "`+e.name("nobody")+`", "password": "whatever1"}`)
			want := answer{Status: 403, Body: `{"needsEmailVerification": false, "invalidCredentials": true, "message": "Invalid Username or Password"}` + "\n"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		}},
		{op: "signinUser", name: "without the session's CSRF token: 403", run: func(t *testing.T, e *env) {
			s := e.session(t)
			got := []answer{s.post("/api/v1/signin", `{"username": "x", "password": "x"}`)}
			s.csrfToken()
			s.csrf = "not-the-token"
			got = append(got, s.post("/api/v1/signin", `{"username": "x", "password": "x"}`))
			want := []answer{
				{Status: 403, Body: `{"error": "CSRF token was invalid or missing."}`},
				{Status: 403, Body: `{"error": "CSRF token was invalid or missing."}`},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("no session, then a wrong token (-want +got):\n%s", diff)
			}
		}},
		{op: "verifyUser", name: "a session older than FRESH_LOGIN_TIMEOUT must verify for @require_fresh_login", needsClock: true,
			run: func(t *testing.T, e *env) {
				s := e.session(t)
				s.csrfToken()
				s.post("/api/v1/signin", `{"username": "`+e.tgt.Fixtures.SignIn.User+`", "password": "`+e.tgt.Fixtures.SignIn.Password+`"}`)
				// listAllUsers carries @require_fresh_login, which
				// decides before the superuser check.
				got := []int{s.get("/api/v1/superuser/users/").Status}
				e.tgt.Clock(t, 11*time.Minute)
				stale := s.get("/api/v1/superuser/users/")
				got = append(got, stale.Status)
				if !strings.Contains(stale.Body, `"error_type": "fresh_login_required"`) {
					t.Errorf("stale session: %.300s", stale.Body)
				}
				got = append(got, s.post("/api/v1/signin/verify", `{"password": "`+e.tgt.Fixtures.SignIn.Password+`"}`).Status,
					s.get("/api/v1/superuser/users/").Status)
				if diff := cmp.Diff([]int{403, 401, 200, 403}, got); diff != "" {
					t.Errorf("statuses: fresh, stale, verify, fresh again (-want +got):\n%s", diff)
				}
			}},
	}
}

// sessionClient is a client with a cookie jar and the CSRF token it last
// learned.
type sessionClient struct {
	t      *testing.T
	url    string
	client *http.Client
	csrf   string
}

// answer is what a sign-in case compares of an answer.
type answer struct {
	Status   int
	Body     string
	NextCSRF bool // the answer carried X-Next-CSRF-Token
}

// session returns a cookie-jar client of the target; it skips the case
// when the target names no user who signs in.
func (e *env) session(t *testing.T) *sessionClient {
	t.Helper()
	if e.tgt.Fixtures.SignIn.User == "" {
		t.Skip("the target names no user who signs in with a password")
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	if e.tgt.HTTPClient != nil {
		c.Transport = e.tgt.HTTPClient.Transport
	}
	return &sessionClient{t: t, url: strings.TrimSuffix(e.tgt.URL, "/"), client: c}
}

func (s *sessionClient) do(method, path, body string, accept string) answer {
	s.t.Helper()
	req, err := http.NewRequestWithContext(s.t.Context(), method, s.url+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	if s.csrf != "" {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	next := resp.Header.Get("X-Next-CSRF-Token")
	if next != "" {
		s.csrf = next
	}
	return answer{Status: resp.StatusCode, Body: string(b), NextCSRF: next != ""}
}

func (s *sessionClient) get(path string) answer {
	return s.do(http.MethodGet, path, "", "application/json")
}

func (s *sessionClient) post(path, body string) answer {
	return s.do(http.MethodPost, path, body, "application/json")
}

// csrfToken is the collection's first request: the session's CSRF token.
func (s *sessionClient) csrfToken() {
	s.t.Helper()
	a := s.do(http.MethodGet, "/csrf_token", "", "*/*")
	var v struct {
		Token string `json:"csrf_token"`
	}
	if err := json.Unmarshal([]byte(a.Body), &v); a.Status != http.StatusOK || err != nil || v.Token == "" {
		s.t.Fatalf("GET /csrf_token: %d %.200q", a.Status, a.Body)
	}
	s.csrf = v.Token
}
