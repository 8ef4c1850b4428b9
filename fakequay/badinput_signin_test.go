package fakequay

import (
	"slices"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The bad-input corpus of password sign-in: endpoints/api/user.py
// signinUser, verifyUser and logout, sent with bearer tokens (which skip
// the CSRF check; session callers are user_signin_test.go's). Checked
// against real Quay with curl (README, "Sessions and fresh login") and by
// the differential (internal/conformance plan_signin.go).
func signinBadInputs() []badInput {
	b := func(name, path, token, body string, want shape, header ...string) badInput {
		return badInput{name: name, method: "POST", path: path, token: token, body: body, want: want, header: header}
	}
	logged := func(c badInput, kinds ...string) badInput { c.logs = kinds; return c }
	const signin, verify, signout = "/api/v1/signin", "/api/v1/signin/verify", "/api/v1/signout"
	refused := func(message string) shape { return shape{Family: famSigninRefusal, Status: 403, Message: message} }
	const wrong = "Invalid Username or Password"
	required := func(field string) shape { return invalid("'" + field + "' is a required property") }
	return []badInput{
		// signinUser: csrf_protect first, then the schema, then
		// verify_user (data/model/user.py), whose failures count.
		b("§user.py signinUser: anonymous without a session is CSRF", signin, tokNone,
			`{"username": "alice", "password": "`+alicePassword+`"}`, shCSRF),
		failedLogin("alice", b("§user.py signinUser: a wrong password counts a failed attempt", signin, tokAdmin,
			`{"username": "alice", "password": "wrong-password"}`, refused(wrong))),
		b("§user.py signinUser: an unknown user", signin, tokAdmin, `{"username": "nobody", "password": "whatever1"}`, refused(wrong)),
		b("§user.py signinUser: a non-ASCII name is no user (verify_user)", signin, tokAdmin,
			`{"username": "alicé", "password": "`+alicePassword+`"}`, refused(wrong)),
		failedLogin("acme", b("§user.py signinUser: an organization has no password", signin, tokAdmin,
			`{"username": "acme", "password": "whatever1"}`, refused(wrong))),
		failedLogin("auditor", b("§user.py signinUser: a user without a known password", signin, tokAdmin,
			`{"username": "auditor", "password": "whatever1"}`, refused(wrong))),
		b("§users/__init__.py verify_and_link_user: a disabled user, right password", signin, tokAdmin,
			`{"username": "dave", "password": "`+davePassword+`"}`,
			refused("This user has been disabled. Please contact your administrator.")),
		logged(b("§user.py signinUser: by e-mail, right password", signin, tokAdmin,
			`{"username": "alice@example.com", "password": "`+alicePassword+`"}`, shOK), "login_success"),
		logged(b("§user.py signinUser: invite_code is read and changes nothing", signin, tokAdmin,
			`{"username": "alice", "password": "`+alicePassword+`", "invite_code": "teaminvite:x"}`, shOK), "login_success"),
		b("§1.3 G: a NUL in the password (bcrypt's ValueError)", signin, tokAdmin,
			`{"username": "alice", "password": "a\u0000b"}`, shCrash),
		b("§1.6 signinUser: no password", signin, tokAdmin, `{"username": "alice"}`, required("password")),
		b("§1.6 signinUser: empty object", signin, tokAdmin, `{}`, required("username")),
		b("§1.6 signinUser: a number for the name", signin, tokAdmin, `{"username": 5, "password": "x"}`,
			invalid("5 is not of type 'string'")),
		b("§1.6 signinUser: invite_code a number", signin, tokAdmin, `{"username": "a", "password": "x", "invite_code": 1}`,
			invalid("1 is not of type 'string'")),
		b("§1.6 signinUser: truncated JSON", signin, tokAdmin, `{"username":`, shBadJSON),
		b("§1.6 signinUser: text/plain", signin, tokAdmin, `{}`, shNotJSON, "Content-Type", text),

		// verifyUser: @require_user_admin before the schema.
		b("§user.py verifyUser: anonymous is CSRF", verify, tokNone, `{"password": "x"}`, shCSRF),
		b("§user.py verifyUser: without user:admin", verify, tokAuditor, `{"password": "x"}`, shForbidden),
		failedLogin("alice", b("§user.py verifyUser: a wrong password", verify, tokAlice, `{"password": "nope-nope"}`,
			shape{Family: famSigninRefusal, Status: 403, Message: wrong})),
		b("§user.py verifyUser: the right password", verify, tokAlice, `{"password": "`+alicePassword+`"}`, shOK),
		b("§1.6 verifyUser: no password", verify, tokAlice, `{}`, required("password")),
		b("§1.6 verifyUser: a list", verify, tokAlice, `[]`, invalid("[] is not of type 'object'")),

		// logout: no checks beyond CSRF; a bearer caller's sessions all
		// end (invalidate_all_sessions).
		b("§user.py logout: anonymous is CSRF", signout, tokNone, "", shCSRF),
		b("§user.py logout: an unknown token is anonymous, so CSRF", signout, tokUnknown, "", shCSRF),
		sessionsEnded("alice", logged(b("§user.py logout: a bearer ends the user's sessions", signout, tokAlice,
			"", shOK), "logout_success")),
	}
}

// failedLogin expects verify_user to count a failed attempt of the user
// named name at the harness's fixed time.
func failedLogin(name string, c badInput) badInput {
	c.change = func(want map[string][]any) {
		editCredential(want, name, func(cr *store.Credential) {
			cr.InvalidLoginAttempts++
			cr.LastInvalidLogin = fixtureTime
		})
	}
	return c
}

// sessionsEnded expects the user's session id to change.
func sessionsEnded(name string, c badInput) badInput {
	c.change = func(want map[string][]any) {
		editCredential(want, name, func(cr *store.Credential) { cr.SessionID = "set" })
	}
	return c
}

// editCredential edits (or adds) the redacted credential row of the
// namespace named name in a store dump.
func editCredential(want map[string][]any, name string, edit func(*store.Credential)) {
	for _, row := range want["namespaces"] {
		n := row.(*store.Namespace)
		if n.Name != name {
			continue
		}
		for i, r := range want["credentials"] {
			if cr := *r.(*store.Credential); cr.UserID == n.ID {
				edit(&cr)
				want["credentials"][i] = &cr
				return
			}
		}
		cr := store.Credential{UserID: n.ID}
		edit(&cr)
		want["credentials"] = append(want["credentials"], &cr)
		slices.SortFunc(want["credentials"], func(a, b any) int {
			return int(a.(*store.Credential).UserID - b.(*store.Credential).UserID)
		})
	}
}
