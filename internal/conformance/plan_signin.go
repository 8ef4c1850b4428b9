package conformance

import (
	"net/http"
	"strings"
)

// Password sign-in (endpoints/api/user.py signinUser, verifyUser, logout;
// endpoints/web.py csrf_token) as the Ansible collection
// infra.quay_configuration does it: GET /csrf_token, POST /api/v1/signin
// with the token in X-CSRF-Token and the session cookie, then the API with
// the cookie and X-Next-CSRF-Token. The steps are anonymous requests that
// carry the cookie themselves (Header), each server's own, captured from
// its Set-Cookie. A snapshot cannot read passwords: TestDifferential gives
// the fake's users the password QUAY_PASSWORD names (the harness's
// "password"); without one the plan signs nobody in.

// The session cookie's name (Quay's SESSION_COOKIE_NAME).
const sessionCookieName = "_csrf_token"

// captureSession captures the session cookie the answer sets as {session}
// and a new CSRF token as {csrf}.
func captureSession(h http.Header) map[string]string {
	out := map[string]string{}
	for _, c := range h.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(c, sessionCookieName+"="); ok {
			v, _, _ = strings.Cut(v, ";")
			out["session"] = v
		}
	}
	if t := h.Get("X-Next-CSRF-Token"); t != "" {
		out["csrf"] = t
	}
	return out
}

// withSession is the headers of a request in the session: its cookie and
// its CSRF token.
var withSession = []string{"Cookie", sessionCookieName + "={session}", "X-CSRF-Token", "{csrf}"}

// signinWrites adds the sign-in conversation. It runs first among the
// writes, while the fixture's users still have their passwords.
func (p *planner) signinWrites() {
	fx := p.fx
	const signin, verify, signout = api + "/signin", api + "/signin/verify", api + "/signout"
	creds := func(user, password string) string {
		return `{"username": "` + user + `", "password": "` + password + `"}`
	}
	post := func(op, class, path, body string, header ...string) Step {
		return Step{Op: op, Class: class, Caller: Anonymous, Method: http.MethodPost, Path: path, Body: body, Header: header}
	}

	// Without a session, and bad bodies (a bearer skips the CSRF check).
	p.write(post("signinUser", "no session: CSRF", signin, creds(fx.Superuser, "x")))
	p.transport("signinUser", http.MethodPost, signin, creds("nosuchuser", "x"))
	p.bodies("signinUser", http.MethodPost, signin,
		[2]string{"missing field", `{"username": "x"}`},
		[2]string{"missing field", `{}`},
		[2]string{"wrong type", `{"username": 5, "password": "x"}`},
		[2]string{"invite_code wrong type", `{"username": "x", "password": "x", "invite_code": 1}`})
	p.transport("verifyUser", http.MethodPost, verify, `{"password": "x"}`)
	p.bodies("verifyUser", http.MethodPost, verify, [2]string{"missing field", `{}`})
	p.write(post("logout", "no session: CSRF", signout, ""))

	// The session's CSRF token.
	p.write(Step{Op: "GET /csrf_token", Class: "valid", Caller: Anonymous, Method: http.MethodGet, Path: "/csrf_token",
		Capture: captureField("csrf", "csrf_token"), CaptureHeader: captureSession})
	p.write(post("signinUser", "wrong CSRF token", signin, creds(fx.Superuser, "x"),
		"Cookie", sessionCookieName+"={session}", "X-CSRF-Token", "wrong"))
	p.write(post("signinUser", "CSRF token without the cookie", signin, creds(fx.Superuser, "x"), "X-CSRF-Token", "{csrf}"))
	p.write(post("signinUser", "malformed JSON in the session", signin, `{"username":`, withSession...))
	p.write(post("signinUser", "unknown user", signin, creds("nosuchuser", "whatever1"), withSession...))
	if fx.Password == "" {
		p.write(post("signinUser", "valid", signin, creds(fx.Superuser, "not-the-password"), withSession...))
		p.write(post("logout", "valid", signout, "", withSession...))
		p.write(Step{Op: "verifyUser", Class: "valid", Caller: User, Method: http.MethodPost, Path: verify, Body: `{"password": "not-the-password"}`})
		return
	}
	if fx.User != "" {
		// A wrong password. The backoff after it (verify_user's 429
		// within 0.5 s) depends on how fast each server answers, so the
		// plan does not sign that user in again; fakequay's tests pin it.
		p.write(post("signinUser", "wrong password", signin, creds(fx.User, "not-the-password"), withSession...))
	}
	if fx.DisabledUser != "" {
		p.write(post("signinUser", "disabled user", signin, creds(fx.DisabledUser, fx.Password), withSession...))
	}
	signed := post("signinUser", "valid", signin, creds(fx.Superuser, fx.Password), withSession...)
	signed.CaptureHeader = captureSession
	p.write(signed)
	p.write(post("verifyUser", "the old token after signing in", verify, `{"password": "x"}`,
		"Cookie", sessionCookieName+"={session}", "X-CSRF-Token", "stale"))
	read := Step{Op: "listAllUsers", Class: "a session, fresh login", Caller: Anonymous, Method: http.MethodGet, Path: usersPath,
		Header: []string{"Cookie", sessionCookieName + "={session}"}}
	p.write(read)
	verified := post("verifyUser", "valid", verify, `{"password": "`+fx.Password+`"}`, withSession...)
	verified.CaptureHeader = captureSession
	p.write(verified)
	p.write(post("verifyUser", "wrong password", verify, `{"password": "not-the-password"}`, withSession...))
	if fx.ReadOnlyUser != "" {
		p.write(Step{Op: "verifyUser", Class: "a bearer, wrong password", Caller: ReadOnly, Method: http.MethodPost, Path: verify,
			Body: `{"password": "not-the-password"}`})
	}
	out := post("logout", "valid", signout, "", withSession...)
	out.CaptureHeader = captureSession
	p.write(out)
	read.Class = "after signing out"
	read.Header = []string{"Cookie", sessionCookieName + "={session}"}
	p.write(read)
	p.write(post("logout", "a signed-out session again", signout, "", withSession...))
	p.write(Step{Op: "logout", Class: "a bearer", Caller: User, Method: http.MethodPost, Path: signout})
}
