package fakequay

import (
	cryptorand "crypto/rand"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Password sign-in (endpoints/api/user.py Signin, VerifyUser, Signout) and
// the web view that hands out the CSRF token a session needs
// (endpoints/web.py csrf_token). Sessions themselves are in session.go.

func signinRoutes() []*route {
	return []*route{
		// @show_if(features.DIRECT_LOGIN): without it the rule does not
		// exist, and the path is the web catch-all's.
		{pattern: "/api/v1/signin", when: func(c *Config) bool { return c.FeatureDirectLogin }, ops: map[string]*operation{
			http.MethodPost: {nickname: "signinUser", anonAllowed: true, readonlyAllowed: true,
				schema: schemaSigninUser, handle: (*Server).signinUser},
		}},
		{pattern: "/api/v1/signin/verify", ops: map[string]*operation{
			http.MethodPost: {nickname: "verifyUser", readonlyAllowed: true, guard: requireUserAdmin,
				schema: schemaVerifyUser, handle: (*Server).verifyUser},
		}},
		{pattern: "/api/v1/signout", ops: map[string]*operation{
			http.MethodPost: {nickname: "logout", handle: (*Server).logout},
		}},
	}
}

// signinResultView is conduct_signin's refusal, in its key order.
type signinResultView struct {
	NeedsEmailVerification bool    `json:"needsEmailVerification"`
	InvalidCredentials     bool    `json:"invalidCredentials"`
	Message                *string `json:"message"`
}

// verifyRefusalView is VerifyUser.post's refusal, in its key order.
type verifyRefusalView struct {
	Message            string `json:"message"`
	InvalidCredentials bool   `json:"invalidCredentials"`
}

// invalidCredentialsMessage is DatabaseUsers.verify_credentials' message.
const invalidCredentialsMessage = "Invalid Username or Password"

// signinUser: Signin.post (user.py 877) and conduct_signin. An empty body
// ({}) never gets here (the schema requires both fields), so the NotFound
// for a falsy body cannot happen. invite_code is read but has no effect:
// handle_invite_code looks the whole "urn" up as an invite token, which no
// invite has. The refusals are 403 with conduct_signin's three keys; a
// user inside its failed-attempt backoff gets the app's 429 text page.
func (s *Server) signinUser(c *call) error {
	body, _ := asObject(c.body)
	username, _ := body.str("username")
	password, _ := body.str("password")
	found, message, err := s.verifyAndLinkUser(c, username, password)
	if err != nil {
		return err
	}
	if found == nil {
		c.restful(http.StatusForbidden, signinResultView{InvalidCredentials: true, Message: &message})
		return nil
	}
	if !c.commonLogin(found) {
		// login_user refuses an unverified user (is_active): the
		// message is conduct_signin's error_message, None.
		c.restful(http.StatusForbidden, signinResultView{NeedsEmailVerification: true})
		return nil
	}
	// ACTION_LOG_AUDIT_LOGINS (default true): log_action's performer is
	// the caller the request authenticated as, not the user signing in.
	a := c.action("login_success", found.Name, meta().set("type", "quayauth").set("useragent", c.r.UserAgent()))
	if err := s.store.LogAction(a); err != nil {
		return err
	}
	c.restful(http.StatusOK, successView{Success: true})
	return nil
}

// verifyAndLinkUser is UserAuthentication.verify_and_link_user for the
// Database engine: verify_user, then a disabled user is refused with its
// own message. Other engines check passwords against services fakequay
// does not have, so every password is wrong there.
func (s *Server) verifyAndLinkUser(c *call, nameOrEmail, password string) (*store.Namespace, string, error) {
	if s.cfg.AuthenticationType != "Database" {
		return nil, invalidCredentialsMessage, nil
	}
	u, err := s.store.VerifyUser(nameOrEmail, password, c.now)
	if err != nil {
		return nil, "", asTooManyAttempts(err)
	}
	if u == nil {
		return nil, invalidCredentialsMessage, nil
	}
	if !u.Enabled {
		return nil, "This user has been disabled. Please contact your administrator.", nil
	}
	return u, "", nil
}

// tooManyAttemptsError is the app's handler for TooManyLoginAttemptsException
// (endpoints/decorated.py handle_too_many_login_attempts, under
// @crossorigin): a 429 text page with Retry-After in whole seconds.
type tooManyAttemptsError struct{ retryAfter time.Duration }

func (e *tooManyAttemptsError) Error() string { return "429 too many login attempts" }

func (e *tooManyAttemptsError) write(c *call) {
	c.w.Header().Set("Retry-After", strconv.FormatInt(int64(e.retryAfter/time.Second), 10))
	c.raw(http.StatusTooManyRequests, contentTypeHTML,
		[]byte("Too many login attempts. \nPlease reset your Quay password and try again."))
}

// asTooManyAttempts turns the store's refusal into the app's answer.
func asTooManyAttempts(err error) error {
	var tm *store.TooManyAttemptsError
	if errors.As(err, &tm) {
		return &tooManyAttemptsError{retryAfter: tm.RetryAfter}
	}
	return err
}

// verifyUser: VerifyUser.post (user.py 921), @require_user_admin: the
// caller's password again (confirm_existing_user), then common_login,
// which makes the session's login fresh. A bearer caller gets a session
// too, as in Quay.
func (s *Server) verifyUser(c *call) error {
	body, _ := asObject(c.body)
	password, _ := body.str("password")
	found, message, err := s.verifyAndLinkUser(c, c.who.user.Name, password)
	if err != nil {
		return err
	}
	if found == nil {
		c.restful(http.StatusForbidden, verifyRefusalView{Message: message, InvalidCredentials: true})
		return nil
	}
	if !c.commonLogin(found) {
		c.restful(http.StatusForbidden, messageView{Message: "Could not verify user."})
		return nil
	}
	c.restful(http.StatusOK, successView{Success: true})
	return nil
}

// logout: Signout.post (user.py 955). The caller's user, session or bearer
// alike, has every session invalidated (a new uuid), the session forgets
// its user, and a logout_success log is written.
func (s *Server) logout(c *call) error {
	c.session = true // logout_user reads the session
	if u := c.who.user; u != nil {
		if err := s.store.InvalidateSessions(u.ID, newSessionID()); err != nil {
			return err
		}
	}
	c.logoutUser()
	if u := c.who.user; u != nil {
		if err := s.store.LogAction(c.action("logout_success", u.Name, meta())); err != nil {
			return err
		}
	}
	c.restful(http.StatusOK, successView{Success: true})
	return nil
}

// csrfTokenView is the csrf_token view's answer.
type csrfTokenView struct {
	CSRFToken string `json:"csrf_token"`
}

// serveCSRFToken is endpoints/web.py csrf_token, GET and OPTIONS (the view
// answers OPTIONS itself) and HEAD (Flask adds it to GET): the session's
// CSRF token, made when it has none, as jsonify writes it. crossorigin
// (anonymous=False) adds no CORS headers without CORS_ORIGIN. Other
// methods get Werkzeug's 405.
func (s *Server) serveCSRFToken(w http.ResponseWriter, r *http.Request, tr *trace) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		w.Header().Set("Allow", "OPTIONS, HEAD, GET")
		writeWerkzeugError(w, http.StatusMethodNotAllowed)
		return
	}
	tr.operation = "GET /csrf_token"
	c := &call{s: s, w: w, r: r, now: s.clock.Now()}
	c.sess = s.openSession(r, c.now, &c.sessBuf)
	c.jsonify(http.StatusOK, csrfTokenView{CSRFToken: c.csrfToken(false)})
}

// errFreshLogin is FreshLoginRequired: 401 fresh_login_required.
var errFreshLogin = &apiError{401, "fresh_login_required", "Requires fresh login"}

// needsFreshLogin is require_fresh_login's test for a session caller: the
// session's login_time (datetime.min when absent) is older than
// FRESH_LOGIN_TIMEOUT, the engine supports fresh login (not AppToken) and
// the user has a password (has_password_set; never under OIDC).
func (c *call) needsFreshLogin() bool {
	timeout, _ := quayTimedelta(c.s.cfg.FreshLoginTimeout)
	if !c.sess.LoginTime.IsZero() && !c.sess.LoginTime.Before(c.now.Add(-time.Duration(timeout)*time.Second)) {
		return false
	}
	switch c.s.cfg.AuthenticationType {
	case "AppToken", "OIDC":
		return false
	case "Database":
		return c.who.user.HasPassword
	}
	return true
}

// csrfError is verify_csrf's abort(403): util.http.abort appends the
// authenticated caller, "(authorized: user NAME)" for a session.
func csrfError(who principal) error {
	if who.user == nil {
		return errCSRF
	}
	return &abortError{403, errCSRF.message + " (authorized: user " + who.user.Name + ")"}
}

// verifyCSRF is endpoints/csrf.py verify_csrf: the session's _csrf_token
// against the request's _csrf_token value (the query's; fakequay does not
// read form bodies) or else its X-CSRF-Token header, compared with
// hmac.compare_digest, which refuses (a TypeError, 500) strings that are
// not ASCII.
func (c *call) verifyCSRF() error {
	c.session = true
	token := c.sess.CSRF
	found := ""
	if v, ok := c.r.URL.Query()["_csrf_token"]; ok && len(v) > 0 {
		found = v[0]
	}
	if found == "" {
		found = c.r.Header.Get("X-CSRF-Token")
	}
	if token == "" || found == "" {
		return csrfError(c.who)
	}
	if !isASCII(found) {
		return &crashError{reason: "TypeError: comparing strings with non-ASCII characters is not supported"}
	}
	if found != token {
		return csrfError(c.who)
	}
	return nil
}

// newPassword is password with a fresh salt. Salts and session ids come
// from crypto/rand, not the server's seeded sequence: nobody sees them,
// and drawing them there would shift every value handed out after.
func newPassword(password string) *store.Password {
	salt := make([]byte, 16)
	_, _ = cryptorand.Read(salt)
	return &store.Password{Plain: password, Salt: salt}
}

// newSessionID is a user's new uuid after invalidate_all_sessions.
func newSessionID() string { return uuid.NewString() }
