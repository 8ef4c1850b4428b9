package fakequay

import (
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The bad-input corpus (issue 6, item 3): requests real Quay rejects (or
// accepts without a change), each with the status and error family Quay
// answers and the reference section that decides it. Every case checks the
// reply's shape (shapeOf), that the store is unchanged apart from what
// Quay itself writes before failing, and that the server keeps serving.
//
// Case groups and the sections that decide them:
//
//	transport   §1.6 (content types, empty, truncated and malformed JSON,
//	            duplicate keys, null, encodings, nesting) and nginx's limits
//	            in front of Quay (1 MiB+ bodies: 413; %00 and ".." above the
//	            root: 400; conf/nginx/*.jnj, ngx_http_parse_complex_uri)
//	callers     §1.1 (CSRF before auth, schema before permission), §1.2, §1.3
//	users       §2.2, §2.3, §3 changeInstallUser/takeOwnership/sendrecovery,
//	            §1.10 (names: empty, long, unicode, control characters)
//	orgs        §2.6, §2.7, §1.10, §1.11 (the log written before failing)
//	quotas      §2.14, §1.10 (sizes: zero, negative, huge, wrong types)
//	keys        §2.9–§2.13, §1.10
//	messages    §3 createGlobalMessage, deleteGlobalMessage
//	registry    §2.19
//	paths       §1.5 (%2F, "..", empty and long names, wrong methods)
//	query       §1.7, §1.8 (every query parameter; negative, zero, huge and
//	            malformed values), §2.4, §3 listAllAggregateLogs and
//	            listAllAppTokens, §2.17 (start, read without reqparse)
//
// Where the reference is silent the case names Quay's source or the
// library that decides it (psycopg2 for NUL characters, bcrypt 3.1.7).

// badInput is one corpus case.
type badInput struct {
	name   string // starts with the deciding section
	method string
	path   string // with the query
	token  string
	body   string
	header []string // extra header pairs; a Content-Type here replaces the JSON default
	want   shape
	// logs are the audit-log kinds Quay writes before it fails: it has no
	// transaction around "log, then act" (§1.11). Nothing else may change
	// unless change says what.
	logs []string
	// change edits the dump taken before the request into the one expected
	// after it, for the rare rejection that keeps an earlier step.
	change func(want map[string][]any)
}

// Expected shapes, by family (§1.3).
func apiErr(status int, errType, detail string) shape {
	return shape{Family: famAPIError, Status: status, ErrorType: errType, Detail: detail}
}
func invalid(detail string) shape { return apiErr(400, "invalid_request", detail) }
func model(message string) shape  { return shape{Family: famModel, Status: 400, Message: message} }
func wz(status int, message string) shape {
	return shape{Family: famWerkzeug, Status: status, Message: message}
}
func param(name, help string) shape {
	return shape{Family: famParams, Status: 400, Params: map[string]string{name: help}}
}

var (
	shNotFound      = apiErr(404, "not_found", "Not Found")
	shForbidden     = apiErr(403, "insufficient_scope", "Unauthorized")
	shAnonymous     = apiErr(401, "invalid_token", "Requires authentication")
	shCSRF          = shape{Family: famAbort, Status: 403, Error: "CSRF token was invalid or missing."}
	shCrash         = shape{Family: famCrash, Status: 500}
	shTooLarge      = shape{Family: famNginx, Status: 413}
	shBadURI        = shape{Family: famNginx, Status: 400}
	shWeb404        = shape{Family: famWebPage, Status: 404}
	shWeb405        = shape{Family: famWebMethod, Status: 405}
	shNoRule        = shape{Family: famNoRule, Status: 404}
	shRedirect      = shape{Family: famRedirect, Status: 308}
	shBadJSON       = wz(400, "The browser (or proxy) sent a request that this server could not understand.")
	shNotJSON       = wz(415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.")
	shNoMethod      = wz(405, "The method is not allowed for the requested URL.")
	shAbort403      = wz(403, "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server.")
	shOK            = shape{Family: famRestful, Status: 200}
	shJsonifyOK     = shape{Family: famJsonify, Status: 200}
	shEmpty201      = shape{Family: famEmpty, Status: 201}
	shEmpty204      = shape{Family: famEmpty, Status: 204}
	shMissing       = invalid("Missing JSON body")
	nameRegexIssue  = "Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$"
	nameLengthIssue = "Namespace must be between 2 and 255 characters in length"
	shPassword      = model("Invalid password, password must be at least 8 characters and contain no whitespace.")
	shPageLimit     = invalid("Page limit cannot be above 100")
)

const (
	helpLimitText = "Limit to the number of results to return per page. Max 100."
	helpPageText  = "The page number for the logs"
	// quotaPatternRepr is Python's repr of the quota limit pattern (§1.10).
	quotaPatternRepr = `'^(\\d+\\s?(B|KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB|Ki|Mi|Gi|Ti|Pi|Ei|Zi|Yi|KB|MB|GB|TB|PB|EB|ZB|YB|K|M|G|T|P|E|Z|Y)?)$'`
	text             = "text/plain"
	usersPath        = "/api/v1/superuser/users/"
	orgsPath         = "/api/v1/superuser/organizations/"
	keysPath         = "/api/v1/superuser/keys"
	messagesPath     = "/api/v1/messages"
)

// utf16Body is s encoded as UTF-16LE with a BOM, which json.loads detects.
func utf16Body(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

// corpusSeed is the fixture plus a quota on acme, service keys k1
// (approved) and k2, two global messages, the example builds, the
// organization fixture of the auth matrix and a mirror.
func corpusSeed(s *Seed) {
	s.Config.FeatureSecurityScanner = true
	withAcmeQuota(s)
	seedKeys(s)
	withMessages(s)
	buildFixture(s)
	matrixOrg(s)
	// A mirror pulls with acme+bot, which Quay then refuses to delete.
	s.RepoMirror = &SeedRepoMirroring{Repositories: []SeedRepoMirror{{Namespace: "acme", Repository: "mirrored", InternalRobot: "acme+bot"}}}
}

func badInputs() []badInput {
	long := strings.Repeat("a", 256)
	huge := strings.Repeat("x", 100_000)
	bigJSON := `{"username": "big", "email": "big@example.com"}` + strings.Repeat(" ", 1<<20)
	future := fixtureTime.Add(30 * 24 * time.Hour)
	b := func(name, method, path, token, body string, want shape, header ...string) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want, header: header}
	}
	logged := func(c badInput, kinds ...string) badInput { c.logs = kinds; return c }
	return append([]badInput{
		// transport: §1.6, nginx
		b("§1.6 truncated JSON", "POST", usersPath, tokAdmin, `{"username": "newbie"`, shBadJSON),
		b("§1.6 empty body with a JSON content type", "POST", usersPath, tokAdmin, "", shBadJSON, "Content-Type", "application/json"),
		b("§1.6 no content type", "POST", usersPath, tokAdmin, `{"username": "newbie"}`, shNotJSON, "Content-Type", ""),
		b("§1.6 text/plain", "PUT", orgsPath+"acme", tokAdmin, `{"name": "x"}`, shNotJSON, "Content-Type", text),
		b("§1.6 form encoding", "POST", keysPath, tokAdmin, `service=svc&expiration=`, shNotJSON,
			"Content-Type", "application/x-www-form-urlencoded"),
		b("§1.6 multipart", "PUT", keysPath+"/k1", tokAdmin, `{"name": "x"}`, shNotJSON, "Content-Type", "multipart/form-data; boundary=x"),
		b("§2.13 approval without a body: 415, a JSON body is mandatory", "POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, "", shNotJSON),
		b("§1.6 application/*+json counts as JSON", "POST", usersPath, tokAdmin, `{}`,
			invalid("'username' is a required property"), "Content-Type", "application/vnd.api+json"),
		b("§1.6 the media type is case-insensitive and the charset ignored", "POST", usersPath, tokAdmin, `{}`,
			invalid("'username' is a required property"), "Content-Type", "APPLICATION/JSON; charset=latin-1"),
		b("§1.6 literal null", "POST", usersPath, tokAdmin, `null`, shMissing),
		b("§1.6 literal null on a PUT", "PUT", usersPath+"alice", tokAdmin, `null`, shMissing),
		b("§1.6 trailing data after the value", "POST", usersPath, tokAdmin, `{"username": "x"} {}`, shBadJSON),
		b("§1.6 invalid UTF-8 is a UnicodeDecodeError, a ValueError", "POST", usersPath, tokAdmin, "{\"username\": \"\xff\"}", shBadJSON),
		b("§1.6 UTF-16 with a BOM is detected and decoded", "POST", usersPath, tokAdmin, utf16Body(`{"username": 5}`),
			invalid("5 is not of type 'string'")),
		b("§1.6 single quotes are not JSON", "PUT", orgsPath+"acme", tokAdmin, `{'name': 'x'}`, shBadJSON),
		b("§1.3 G: nesting past Python's recursion limit", "POST", usersPath, tokAdmin,
			strings.Repeat("[", 20000)+strings.Repeat("]", 20000), shCrash),
		b("§1.6 duplicate keys: the last value wins", "POST", usersPath, tokAdmin, `{"username": "dupe", "username": 5}`,
			invalid("5 is not of type 'string'")),
		logged(b("§2.6 duplicate keys: the last name is validated, after the log", "PUT", orgsPath+"acme", tokAdmin,
			`{"name": "fine", "name": "Bad Name"}`, model("Invalid username Bad Name: "+nameRegexIssue)), "org_change_name"),
		b("nginx client_max_body_size 1m: 413 before Quay", "POST", usersPath, tokAdmin, bigJSON, shTooLarge),
		b("nginx 413 comes before the CSRF check", "PUT", orgsPath+"acme", tokNone, bigJSON, shTooLarge),
		b("nginx 413 on a GET with a body", "GET", usersPath, tokAdmin, bigJSON, shTooLarge),
		b("nginx 413 on a path no rule matches", "DELETE", "/api/v1/superuser/nothing", tokAdmin, bigJSON, shTooLarge),

		// callers: §1.1, §1.2
		b("§1.1 anonymous write: CSRF, not 401", "POST", usersPath, tokNone, `{"username": "newbie"}`, shCSRF),
		b("§1.1 unknown token write: CSRF", "DELETE", usersPath+"alice", tokUnknown, "", shCSRF),
		b("§1.1 Basic auth is not read: CSRF", "DELETE", usersPath+"alice", tokNone, "", shCSRF,
			"Authorization", "Basic YWRtaW46cGFzc3dvcmQ="),
		b("§1.1 a JWT bearer without an issuer aborts with 401", "DELETE", usersPath+"alice", tokNone, "",
			shape{Family: famAbort, Status: 401, Error: "Token does not contain issuer"},
			"Authorization", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30."),
		// PyJWT's _load (jwt/api_jws.py line 326) cannot decode a one-character
		// signature: is_jwt (util/security/jwtutil.py line 151) says no JWT,
		// the app-token lookup finds nothing, and the write meets the CSRF
		// check (checked against real Quay).
		b("§1.1 a JWT bearer whose signature is not base64 is no JWT: CSRF", "DELETE", usersPath+"alice", tokNone, "", shCSRF,
			"Authorization", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.x"),
		b("§1.1 schema before permission: a normal user's bad body is 400", "POST", usersPath, tokAlice, `{}`,
			invalid("'username' is a required property")),
		b("§1.2 a normal user's valid body is 403", "POST", usersPath, tokAlice, `{"username": "newbie", "email": "n@example.com"}`, shForbidden),
		b("§1.2 GRO cannot create keys", "POST", keysPath, tokAuditor, `{"service": "svc", "expiration": null}`, shForbidden),
		b("§1.2 superuser token without super:user", "DELETE", orgsPath+"acme", tokNoScope, "", shForbidden),
		b("§3 messages refuse a normal user with flask.abort(403)", "POST", messagesPath, tokAlice,
			`{"message": {"content": "x", "media_type": "text/plain", "severity": "info"}}`, shAbort403),

		// users: §2.2, §1.10
		b("§2.2 username missing", "POST", usersPath, tokAdmin, `{}`, invalid("'username' is a required property")),
		b("§1.6 username a number", "POST", usersPath, tokAdmin, `{"username": 5, "email": "n@example.com"}`, invalid("5 is not of type 'string'")),
		b("§1.6 username null", "POST", usersPath, tokAdmin, `{"username": null}`, invalid("None is not of type 'string'")),
		b("§1.6 username an array", "POST", usersPath, tokAdmin, `{"username": ["a"]}`, invalid("['a'] is not of type 'string'")),
		b("§1.6 username an object", "POST", usersPath, tokAdmin, `{"username": {"a": 1}}`, invalid("{'a': 1} is not of type 'string'")),
		b("§1.6 username a boolean", "POST", usersPath, tokAdmin, `{"username": true}`, invalid("True is not of type 'string'")),
		b("§2.2 a string body passes the typeless schema and crashes", "POST", usersPath, tokAdmin, `"newbie"`, shCrash),
		b("§2.2 an array where the object goes crashes", "POST", usersPath, tokAdmin, `[{"username": "newbie"}]`, shCrash),
		b("§2.2 mailing on: e-mail missing", "POST", usersPath, tokAdmin, `{"username": "newbie"}`, model("Invalid email address: None")),
		b("§1.10 e-mail without @", "POST", usersPath, tokAdmin, `{"username": "newbie", "email": "nope"}`, model("Invalid email address: nope")),
		b("§1.6 e-mail a number", "POST", usersPath, tokAdmin, `{"username": "newbie", "email": 5}`, invalid("5 is not of type 'string'")),
		b("§1.6 e-mail null", "POST", usersPath, tokAdmin, `{"username": "newbie", "email": null}`, invalid("None is not of type 'string'")),
		b("§1.10 e-mail over 254 characters", "POST", usersPath, tokAdmin,
			`{"username": "newbie", "email": "`+strings.Repeat("e", 243)+`@example.com"}`,
			model("Invalid email address: "+strings.Repeat("e", 243)+"@example.com")),
		b("§1.10 e-mail already used", "POST", usersPath, tokAdmin, `{"username": "newbie", "email": "alice@example.com"}`,
			model("Email has already been used: alice@example.com")),
		b("§1.3 G: e-mail holding a NUL (psycopg2 ValueError in the uniqueness query)", "POST", usersPath, tokAdmin,
			`{"username": "newbie", "email": "a\u0000b@example.com"}`, shCrash),
		b("§1.10 uppercase and underscore", "POST", usersPath, tokAdmin, `{"username": "Bad_Name", "email": "n@example.com"}`,
			model("Invalid namespace Bad_Name: "+nameRegexIssue)),
		b("§1.10 empty username", "POST", usersPath, tokAdmin, `{"username": "", "email": "n@example.com"}`,
			model("Invalid namespace : "+nameRegexIssue)),
		b("§1.10 one character", "POST", usersPath, tokAdmin, `{"username": "a", "email": "n@example.com"}`,
			model("Invalid namespace a: "+nameLengthIssue)),
		b("§1.10 256 characters", "POST", usersPath, tokAdmin, `{"username": "`+long+`", "email": "n@example.com"}`,
			model("Invalid namespace "+long+": "+nameLengthIssue)),
		b("§1.10 100 000 characters", "POST", usersPath, tokAdmin, `{"username": "`+huge+`", "email": "n@example.com"}`,
			model("Invalid namespace "+huge+": "+nameLengthIssue)),
		b("§1.10 unicode letters", "POST", usersPath, tokAdmin, `{"username": "ünïcode", "email": "n@example.com"}`,
			model("Invalid namespace ünïcode: "+nameRegexIssue)),
		b("§1.10 a NUL", "POST", usersPath, tokAdmin, `{"username": "a\u0000b", "email": "n@example.com"}`,
			model("Invalid namespace a\x00b: "+nameRegexIssue)),
		b("§1.6 a raw tab inside a JSON string is malformed JSON", "POST", usersPath, tokAdmin,
			"{\"username\": \"tab\tname\", \"email\": \"n@example.com\"}", shBadJSON),
		b("§1.10 an escaped tab", "POST", usersPath, tokAdmin, `{"username": "tab\tname", "email": "n@example.com"}`,
			model("Invalid namespace tab\tname: "+nameRegexIssue)),
		b("§1.10 a newline inside (only a final one passes Python's $)", "POST", usersPath, tokAdmin,
			`{"username": "new\nline", "email": "n@example.com"}`, model("Invalid namespace new\nline: "+nameRegexIssue)),
		b("§1.10 ..", "POST", usersPath, tokAdmin, `{"username": "..", "email": "n@example.com"}`, model("Invalid namespace ..: "+nameRegexIssue)),
		b("§1.10 a slash", "POST", usersPath, tokAdmin, `{"username": "a/b", "email": "n@example.com"}`, model("Invalid namespace a/b: "+nameRegexIssue)),
		b("§1.10 a leading space", "POST", usersPath, tokAdmin, `{"username": " alice", "email": "n@example.com"}`,
			model("Invalid namespace  alice: "+nameRegexIssue)),
		b("§1.10 taken by a user", "POST", usersPath, tokAdmin, `{"username": "alice", "email": "n@example.com"}`,
			model("Username has already been taken by user cannot be reused: alice")),
		b("§1.10 taken by an organization", "POST", usersPath, tokAdmin, `{"username": "acme", "email": "n@example.com"}`,
			model("Username has already been taken by an organization and cannot be reused: acme")),
		b("§2.2 extra fields are allowed; the name still fails", "POST", usersPath, tokAdmin,
			`{"username": "Bad!", "email": "n@example.com", "superuser": true, "extra": [1, {"x": null}]}`, model("Invalid namespace Bad!: "+nameRegexIssue)),

		// users: §3 changeInstallUser, §2.3, takeOwnership, sendrecovery
		b("§3 update body an array", "PUT", usersPath+"alice", tokAdmin, `[]`, invalid("[] is not of type 'object'")),
		b("§3 enabled a string", "PUT", usersPath+"alice", tokAdmin, `{"enabled": "false"}`, invalid("'false' is not of type 'boolean'")),
		b("§3 enabled a number", "PUT", usersPath+"alice", tokAdmin, `{"enabled": 0}`, invalid("0 is not of type 'boolean'")),
		b("§3 password a number", "PUT", usersPath+"alice", tokAdmin, `{"password": 12345678}`, invalid("12345678 is not of type 'string'")),
		logged(b("§1.10 password too short: its log is already written", "PUT", usersPath+"alice", tokAdmin,
			`{"password": "short"}`, shPassword), "user_change_password"),
		logged(b("§1.10 password with whitespace", "PUT", usersPath+"alice", tokAdmin,
			`{"password": "has space in it"}`, shPassword), "user_change_password"),
		logged(b("§1.3 G: password holding a NUL (bcrypt 3.1.7 hashpw)", "PUT", usersPath+"alice", tokAdmin,
			`{"password": "longenough\u0000"}`, shCrash), "user_change_password"),
		b("§3 e-mail taken by another user", "PUT", usersPath+"alice", tokAdmin, `{"email": "admin@example.com"}`,
			model("E-mail address already used")),
		withPasswordOf("alice", logged(b("§3 e-mail taken after a good password: the password step stays", "PUT", usersPath+"alice", tokAdmin,
			`{"password": "longenough", "email": "admin@example.com"}`, model("E-mail address already used")), "user_change_password")),
		b("§1.3 G: e-mail holding a NUL fails user.save()", "PUT", usersPath+"alice", tokAdmin, `{"email": "a\u0000@example.com"}`, shCrash),
		b("§3 a superuser cannot be updated", "PUT", usersPath+"admin", tokAdmin, `{"enabled": false}`, invalid("Cannot update a superuser")),
		b("§3 update unknown user", "PUT", usersPath+"nobody", tokAdmin, `{}`, shNotFound),
		b("§3 update an organization", "PUT", usersPath+"acme", tokAdmin, `{}`, shNotFound),
		b("§3 update a 300-character name", "PUT", usersPath+strings.Repeat("n", 300), tokAdmin, `{}`, shNotFound),
		b("§2.3 a superuser cannot be deleted", "DELETE", usersPath+"admin", tokAdmin, "", invalid("Cannot delete a superuser")),
		b("§2.3 delete an organization as a user", "DELETE", usersPath+"acme", tokAdmin, "", shNotFound),
		b("§2.3 delete unknown", "DELETE", usersPath+"nobody", tokAdmin, "", shNotFound),
		b("§1.5 names are case-sensitive", "DELETE", usersPath+"ALICE", tokAdmin, "", shNotFound),
		b("§1.5 unicode name", "DELETE", usersPath+"%C3%A4lice", tokAdmin, "", shNotFound),
		b("§3 take ownership of a superuser", "POST", "/api/v1/superuser/takeownership/admin", tokAdmin, "", invalid("Cannot take ownership of a superuser")),
		b("§3 take ownership of nobody; a stray body is not read", "POST", "/api/v1/superuser/takeownership/nobody", tokAdmin,
			"garbage", shNotFound, "Content-Type", text),
		b("§3 take ownership of ..", "POST", "/api/v1/superuser/takeownership/..", tokAdmin, "", shNotFound),
		b("§3 recovery mail for a superuser", "POST", "/api/v1/superusers/users/admin/sendrecovery", tokAdmin, "",
			invalid("Cannot send a recovery email for a superuser")),
		b("§3 recovery mail for an organization", "POST", "/api/v1/superusers/users/acme/sendrecovery", tokAdmin, "", shNotFound),
		b("§3 recovery mail for nobody", "POST", "/api/v1/superusers/users/nobody/sendrecovery", tokAlice, "", shForbidden),

		// organizations: §2.6, §2.7
		b("§2.6 rename an unknown name: the log write itself fails", "PUT", orgsPath+"nobody", tokAdmin, `{}`, shCrash),
		logged(b("§2.6 a user is not an organization, after the log", "PUT", orgsPath+"alice", tokAdmin, `{"name": "x"}`,
			model("Organization does not exist: alice")), "org_change_name"),
		logged(b("§2.6 invalid new name", "PUT", orgsPath+"acme", tokAdmin, `{"name": "Bad Name"}`,
			model("Invalid username Bad Name: "+nameRegexIssue)), "org_change_name"),
		logged(b("§2.6 empty new name", "PUT", orgsPath+"acme", tokAdmin, `{"name": ""}`,
			model("Invalid username : "+nameRegexIssue)), "org_change_name"),
		logged(b("§2.6 new name 256 characters", "PUT", orgsPath+"acme", tokAdmin, `{"name": "`+long+`"}`,
			model("Invalid username "+long+": "+nameLengthIssue)), "org_change_name"),
		logged(b("§2.6 new name with a control character", "PUT", orgsPath+"acme", tokAdmin, `{"name": "acme\u0007"}`,
			model("Invalid username acme\a: "+nameRegexIssue)), "org_change_name"),
		logged(b("§2.6 new name taken: IntegrityError, 500", "PUT", orgsPath+"acme", tokAdmin, `{"name": "buynlarge"}`, shCrash),
			"org_change_name"),
		b("§2.6 name a number", "PUT", orgsPath+"acme", tokAdmin, `{"name": 5}`, invalid("5 is not of type 'string'")),
		b("§2.6 name null", "PUT", orgsPath+"acme", tokAdmin, `{"name": null}`, invalid("None is not of type 'string'")),
		b("§2.6 a string where the object goes", "PUT", orgsPath+"acme", tokAdmin, `"acme2"`, invalid("'acme2' is not of type 'object'")),
		b("§2.7 delete a user's name", "DELETE", orgsPath+"alice", tokAdmin, "", shNotFound),
		b("§2.7 delete unknown", "DELETE", orgsPath+"nobody", tokAdmin, "", shNotFound),
		b("§2.7 delete with a %2F in the name: no rule, the web 405", "DELETE", orgsPath+"acme%2Fx", tokAdmin, "", shWeb405),

		// quotas: §2.14
		b("§2.14 create {}", "POST", usersPath+"alice/quota", tokAdmin, `{}`, invalid("'limit_bytes' is a required property")),
		b("§2.14 limit_bytes a string", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": "5"}`, invalid("'5' is not of type 'integer'")),
		b("§2.14 limit_bytes a fraction", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": 5.5}`, invalid("5.5 is not of type 'integer'")),
		b("§2.14 limit_bytes a boolean", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": true}`, invalid("True is not of type 'integer'")),
		b("§2.14 limit_bytes NaN", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": NaN}`, invalid("nan is not of type 'integer'")),
		b("§2.14 limit_bytes 1e400 is infinite", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": 1e400}`, invalid("inf is not of type 'integer'")),
		b("§2.14 limit_bytes zero", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": 0}`, invalid("Invalid quota size limit value: '0'")),
		b("§2.14 limit_bytes negative", "POST", "/api/v1/superuser/organization/alice/quota", tokAdmin, `{"limit_bytes": -5}`,
			invalid("Invalid quota size limit value: '-5'")),
		b("§2.14 limit_bytes a negative whole float", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": -1e3}`,
			invalid("Invalid quota size limit value: '-1000.0'")),
		b("§2.14 limit_bytes past bigint", "POST", usersPath+"alice/quota", tokAdmin, `{"limit_bytes": 99999999999999999999999}`,
			invalid("Unsupported quota size limit.")),
		b("§2.14 limit and limit_bytes both valid fail oneOf", "POST", usersPath+"alice/quota", tokAdmin,
			`{"limit": "5 GB", "limit_bytes": 5}`, invalid(`{'limit': '5 GB', 'limit_bytes': 5} is valid under each of `+
				`{'required': ['limit'], 'properties': {'limit': {'type': 'string', 'description': 'Human readable storage capacity of the organization', 'pattern': `+
				quotaPatternRepr+`}}}, {'required': ['limit_bytes'], 'properties': {'limit_bytes': {'type': 'integer', 'description': 'Number of bytes the organization is allowed'}}}`)),
		b("§1.10 limit with a decimal", "POST", usersPath+"alice/quota", tokAdmin, `{"limit": "1.5G"}`,
			invalid("'1.5G' does not match "+quotaPatternRepr)),
		b("§1.10 limit in bytes passes the pattern, not bitmath", "POST", usersPath+"alice/quota", tokAdmin, `{"limit": "512B"}`,
			invalid("Invalid limit format")),
		b("§1.10 limit in Yi", "POST", usersPath+"alice/quota", tokAdmin, `{"limit": "5 Yi"}`, invalid("Invalid limit format")),
		b("§2.14 an array where the object goes", "POST", usersPath+"alice/quota", tokAdmin, `[5]`, invalid("[5] is not of type 'object'")),
		b("§2.14 create on an unknown namespace: AttributeError, 500", "POST", usersPath+"nobody/quota", tokAdmin, `{"limit_bytes": 1000}`, shCrash),
		b("§2.14 one quota per namespace", "POST", "/api/v1/superuser/organization/acme/quota", tokAdmin, `{"limit_bytes": 1000}`,
			invalid("Quota for 'acme' already exists")),
		b("§2.14 change with an extra key", "PUT", usersPath+"acme/quota/1", tokAdmin, `{"limit_bytes": 5, "extra": 1}`,
			invalid("{} is not allowed for 5")),
		b("§2.14 change to a negative size", "PUT", usersPath+"acme/quota/1", tokAdmin, `{"limit_bytes": -5}`,
			invalid("Invalid quota size limit value: '-5'")),
		b("§2.14 change to zero is silently ignored", "PUT", usersPath+"acme/quota/1", tokAdmin, `{"limit_bytes": 0}`, shOK),
		b("§1.10 change to a size bitmath cannot parse", "PUT", "/api/v1/superuser/organization/acme/quota/1", tokAdmin,
			`{"limit": "5 Yi"}`, invalid("Invalid limit format")),
		b("§2.14 a non-numeric quota id: DataError, 500", "PUT", usersPath+"acme/quota/abc", tokAdmin, `{}`, shCrash),
		b("§2.14 a quota id past bigint matches nothing", "PUT", usersPath+"acme/quota/99999999999999999999", tokAdmin, `{}`, shNotFound),
		b("§2.14 change on an unknown namespace: 500", "PUT", usersPath+"nobody/quota/1", tokAdmin, `{}`, shCrash),
		b("§2.14 delete a negative quota id", "DELETE", usersPath+"acme/quota/-1", tokAdmin, "", shNotFound),
		b("§2.14 delete another namespace's quota", "DELETE", "/api/v1/superuser/organization/alice/quota/1", tokAdmin, "", shNotFound),
		b("nginx 400: %00 in a namespace", "DELETE", usersPath+"acme%00/quota/1", tokAdmin, "", shBadURI),

		// service keys: §2.9–§2.13
		b("§2.9 create {}", "POST", keysPath, tokAdmin, `{}`, invalid("'service' is a required property")),
		b("§2.9 the expiration key is required", "POST", keysPath, tokAdmin, `{"service": "svc"}`, invalid("'expiration' is a required property")),
		b("§2.9 expiration a string", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": "tomorrow"}`,
			invalid("'tomorrow' is not of type 'number'")),
		b("§1.10 friendly name with punctuation", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": null, "name": "bad!name"}`,
			invalid("Invalid service key friendly name: bad!name")),
		b("§2.9 expiration in the past", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": 1}`,
			invalid("Expiration date cannot be in the past")),
		b("§2.9 expiration negative", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": -1}`,
			invalid("Expiration date cannot be in the past")),
		b("§2.9 expiration NaN", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": NaN}`,
			invalid("Invalid expiration date: Invalid value NaN (not a number)")),
		b("§2.9 expiration year 33658", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": 1e12}`,
			invalid("Invalid expiration date: year 33658 is out of range")),
		b("§2.9 expiration past time_t: OverflowError, 500", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": 1e20}`, shCrash),
		b("§1.10 service with capitals: family B, empty message", "POST", keysPath, tokAdmin, `{"service": "My Service", "expiration": null}`, model("")),
		b("§2.9 metadata an array", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": null, "metadata": []}`,
			invalid("[] is not of type 'object'")),
		b("§2.9 notes a number", "POST", keysPath, tokAdmin, `{"service": "svc", "expiration": null, "notes": 5}`, invalid("5 is not of type 'string'")),
		b("§2.11 update expiration in the past", "PUT", keysPath+"/k1", tokAdmin, `{"expiration": 1}`,
			invalid("Cannot have an expiration date in the past")),
		b("§2.11 update to an invalid name", "PUT", keysPath+"/k1", tokAdmin, `{"name": "bad!"}`, invalid("Invalid service key friendly name: bad!")),
		{name: "§2.11 a new expiration stays (and is logged) when the name then fails", method: "PUT", path: keysPath + "/k1", token: tokAdmin,
			body: fmt.Sprintf(`{"expiration": %d, "name": "bad!"}`, future.Unix()),
			want: invalid("Invalid service key friendly name: bad!"), logs: []string{"service_key_extend"},
			change: func(want map[string][]any) {
				for i, row := range want["service_keys"] {
					if k := *row.(*store.ServiceKey); k.Kid == "k1" {
						k.Expiration = &future
						want["service_keys"][i] = &k
					}
				}
			}},
		b("§2.11 metadata a string", "PUT", keysPath+"/k1", tokAdmin, `{"metadata": "x"}`, invalid("'x' is not of type 'object'")),
		b("§2.11 update an unknown kid", "PUT", keysPath+"/nope", tokAdmin, `{}`, shNotFound),
		b("§2.12 delete an unknown kid", "DELETE", keysPath+"/nope", tokAdmin, "", shNotFound),
		b("§1.5 a kid with %2F: no rule, the web 405", "DELETE", keysPath+"/k1%2Fx", tokAdmin, "", shWeb405),
		b("§2.13 approve an unknown kid", "POST", "/api/v1/superuser/approvedkeys/nope", tokAdmin, `{}`, shNotFound),
		b("§2.13 notes a number", "POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, `{"notes": 5}`, invalid("5 is not of type 'string'")),
		b("§2.13 an array where the object goes", "POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, `[]`, invalid("[] is not of type 'object'")),
		b("§1.3 G: approval notes holding a NUL", "POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, `{"notes": "\u0000"}`, shCrash),
		b("§2.13 re-approving changes nothing and answers 201", "POST", "/api/v1/superuser/approvedkeys/k1", tokAdmin, `{"notes": "again"}`, shEmpty201),

		// messages: §3
		b("§3 message without the outer key: KeyError, 500", "POST", messagesPath, tokAdmin, `{}`, shCrash),
		b("§3 media type outside the enum", "POST", messagesPath, tokAdmin,
			`{"message": {"content": "x", "media_type": "text/html", "severity": "info"}}`,
			invalid("'text/html' is not one of ['text/plain', 'text/markdown']")),
		b("§3 severity outside the enum", "POST", messagesPath, tokAdmin,
			`{"message": {"content": "x", "media_type": "text/plain", "severity": "critical"}}`,
			invalid("'critical' is not one of ['info', 'warning', 'error']")),
		b("§3 content a number", "POST", messagesPath, tokAdmin,
			`{"message": {"content": 5, "media_type": "text/plain", "severity": "info"}}`, invalid("5 is not of type 'string'")),
		b("§3 content missing", "POST", messagesPath, tokAdmin,
			`{"message": {"media_type": "text/plain", "severity": "info"}}`, invalid("'content' is a required property")),
		b("§3 message a string", "POST", messagesPath, tokAdmin, `{"message": "hello"}`, invalid("'hello' is not of type 'object'")),
		b("§1.3 G: content holding a NUL", "POST", messagesPath, tokAdmin,
			`{"message": {"content": "a\u0000b", "media_type": "text/plain", "severity": "info"}}`, shCrash),
		b("§3 delete as a normal user", "DELETE", "/api/v1/message/3f8a3c4e-1111-4a5b-9c6d-000000000001", tokAlice, "", shAbort403),
		b("§3 delete an unknown uuid: 204, nothing changes", "DELETE", "/api/v1/message/nope", tokAdmin, "",
			shEmpty204),

		// registry size: §2.19
		b("§2.19 GRO cannot queue", "POST", "/api/v1/superuser/registrysize/", tokAuditor, "", shForbidden),
		b("§2.19 a stray body changes nothing for a normal user", "POST", "/api/v1/superuser/registrysize/", tokAlice, "{", shForbidden),
		b("§1.5 missing trailing slash on a POST: 308", "POST", "/api/v1/superuser/registrysize", tokAdmin, "",
			shRedirect),

		// paths: §1.5
		b("§1.5 the list rule takes no DELETE: an empty name", "DELETE", usersPath, tokAdmin, "", shNoMethod),
		b("§1.5 PATCH is no method of any rule", "PATCH", usersPath+"alice", tokAdmin, `{}`, shNoMethod),
		b("§1.5 .. as a username reaches Quay", "DELETE", usersPath+"..", tokAdmin, "", shNotFound),
		b("§1.5 %2F makes two segments: no rule, the web 405", "PUT", usersPath+"a%2Fb", tokAdmin, `{}`, shWeb405),
		b("§1.5 a trailing slash misses the rule", "DELETE", usersPath+"alice/", tokAdmin, "", shWeb405),
		b("nginx 400: %00 in a path", "DELETE", usersPath+"alice%00", tokAdmin, "", shBadURI),
		b("nginx 400: .. above the root", "DELETE", "/api/v1/../../../superuser/users/alice", tokAdmin, "", shBadURI),
		// §1.5 as corrected against real Quay: the web catch-all takes GET on
		// any path of non-empty segments, so Werkzeug redirects to the path
		// plus "/", which then shows the catch-all's page; other methods get
		// Werkzeug's 405; "//" is merged by a redirect, and what merging
		// cannot mend ("///" only halves) is Werkzeug's 404.
		b("§1.5 unknown path under the API: the web catch-all's 308", "GET", "/api/v1/superuser/nothing/here/at/all", tokAdmin, "", shRedirect),
		b("§1.5 unknown path with its slash: the web catch-all's page", "GET", "/api/v1/superuser/nothing/here/", tokAdmin, "", shWeb404),
		b("§1.5 GET on a rule without GET: the web catch-all's 308", "GET", "/api/v1/superuser/approvedkeys/k1", tokAdmin, "", shRedirect),
		b("§1.5 a method no rule has on a rule without GET: JSON 405", "PATCH", "/api/v1/superuser/approvedkeys/k1", tokAdmin, `{}`, shNoMethod),
		b("§1.5 unknown path, another method: the web 405", "POST", "/api/v1/superuser/nothing/here", tokAdmin, `{}`, shWeb405),
		b("§1.5 a double slash: 308 to the merged path", "DELETE", "/api/v1/superuser/keys//k1", tokAdmin, "", shRedirect),
		b("§1.5 a double slash, a method the merged path lacks: the web 405", "PATCH", "/api/v1//superuser/users/", tokAdmin, `{}`, shWeb405),
		b("§1.5 a triple slash merges to a double one: Werkzeug's 404", "DELETE", "/api/v1/superuser///keys", tokAdmin, "", shNoRule),

		// query parameters: §1.7, §1.8
		b("§1.7 limit not an int", "GET", usersPath+"?limit=abc", tokAdmin, "", param("limit", helpLimitText)),
		b("§1.7 query parsing comes before the permission check", "GET", usersPath+"?limit=abc", tokAlice, "", param("limit", helpLimitText)),
		b("§1.1 but fresh login comes before it: anonymous", "GET", usersPath+"?limit=abc", tokNone, "", shAnonymous),
		b("§1.8 limit above 100", "GET", usersPath+"?limit=101", tokAdmin, "", shPageLimit),
		b("§2.1 the permission check comes before the limit check", "GET", usersPath+"?limit=101", tokAlice, "", shForbidden),
		b("§1.8 limit past int64", "GET", usersPath+"?limit=99999999999999999999999", tokAdmin, "", shPageLimit),
		b("§1.8 limit -1: IndexError, 500", "GET", usersPath+"?limit=-1", tokAdmin, "", shCrash),
		b("§1.8 limit -5: Postgres refuses the LIMIT, 500", "GET", usersPath+"?limit=-5", tokAdmin, "", shCrash),
		b("§1.8 limit 0 answers an empty page", "GET", usersPath+"?limit=0", tokAdmin, "", shOK),
		b("§1.7 a bad value in any position", "GET", usersPath+"?limit=5&limit=x", tokAdmin, "", param("limit", helpLimitText)),
		b("§1.7 limit empty", "GET", usersPath+"?limit=", tokAdmin, "", param("limit", helpLimitText)),
		b("§1.7 limit a fraction", "GET", usersPath+"?limit=1.5", tokAdmin, "", param("limit", helpLimitText)),
		b("§1.7 int() takes spaces, a sign and underscores", "GET", usersPath+"?limit=%20%2B1_0%20", tokAdmin, "", shOK),
		b("§1.7 int() takes Unicode digits", "GET", usersPath+"?limit=%D9%A3", tokAdmin, "", shOK),
		b("§1.7 disabled takes any string", "GET", usersPath+"?disabled=%00%FF", tokAdmin, "", shOK),
		b("§1.8 a garbage page token restarts at the first page", "GET", usersPath+"?next_page=gAAAAA-garbage", tokAdmin, "", shOK),
		b("§2.5 organizations: limit not an int", "GET", orgsPath+"?limit=ten", tokAdmin, "", param("limit", helpLimitText)),
		b("§2.5 organizations: limit above 100", "GET", orgsPath+"?limit=1000", tokAdmin, "", shPageLimit),
		b("§2.5 organizations: a garbage page token", "GET", orgsPath+"?limit=1&next_page=%FF", tokAdmin, "", shOK),
		b("§2.4 page not an int", "GET", "/api/v1/superuser/logs?page=x", tokAdmin, "", param("page", helpPageText)),
		b("§2.4 page negative is ignored", "GET", "/api/v1/superuser/logs?page=-1", tokAdmin, "", shOK),
		b("§2.4 malformed dates are ignored", "GET", "/api/v1/superuser/logs?starttime=13/45/2025&endtime=yesterday", tokAdmin, "", shOK),
		b("§2.4 a garbage page token", "GET", "/api/v1/superuser/logs?next_page=x", tokAdmin, "", shOK),
		b("§3 aggregate logs over more than 31 days: 500", "GET", "/api/v1/superuser/aggregatelogs?starttime=01/01/2020&endtime=12/31/2025",
			tokAdmin, "", shCrash),
		b("§3 aggregate logs: malformed dates are ignored", "GET", "/api/v1/superuser/aggregatelogs?starttime=%00&endtime=", tokAdmin, "", shOK),
		b("§3 app tokens: expiring takes any string", "GET", "/api/v1/superuser/apptokens?expiring=maybe", tokAuditor, "", shOK),
		b("§2.17 start is read without reqparse: ValueError, 500", "GET", "/api/v1/superuser/"+exampleBuildUUID+"/logs?start=abc",
			tokAdmin, "", shCrash),
		b("§2.17 a negative start counts from the end", "GET", "/api/v1/superuser/"+exampleBuildUUID+"/logs?start=-1", tokAdmin, "", shOK),
		b("§2.8 a query on a route without parameters is ignored", "GET", keysPath+"?limit=abc", tokAdmin, "", shJsonifyOK),
	}, slices.Concat(provisioningBadInputs(), robotBadInputs(), contentBadInputs(), namespaceQuotaBadInputs(), userBadInputs(), repositoryBadInputs(), repositoryNotificationBadInputs(), signinBadInputs())...)
}

// TestBadInputCorpus runs the corpus against one server, reset to the seed
// before each case: the cases run in order, not in parallel, since they
// share the server (Reset is O(1); building a server per case would cost an
// RSA key pair each).
func TestBadInputCorpus(t *testing.T) {
	t.Parallel()
	runBadInputs(t, newHarness(t, corpusSeed), badInputs())
}

// runBadInputs runs the cases in order against h's server, reset to its
// seed before each: each answer must have the case's shape, leave the
// store as the case allows and the server serving.
func runBadInputs(t *testing.T, h *harness, cases []badInput) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.on(t)
			h.s.Reset()
			before := h.s.store.Snapshot().Read().Dump()
			got := h.do(tc.method, tc.path, tc.token, tc.body, tc.header...)
			sh, err := shapeOf(tc.method, got)
			if err != nil {
				t.Fatalf("reply has no known shape: %v", err)
			}
			if diff := cmp.Diff(tc.want, sh); diff != "" {
				t.Errorf("reply shape (-want +got):\n%s", diff)
			}
			checkStoreAfter(t, tc, before, h.s.store.Snapshot().Read().Dump())
			checkKeepsServing(h)
		})
	}
}

// checkStoreAfter compares every table after a rejected request with the
// table before it: identical, except for the audit logs Quay writes before
// failing (tc.logs, with the log sequence advanced by as many) and tc.change.
func checkStoreAfter(t *testing.T, tc badInput, before, after map[string][]any) {
	t.Helper()
	want := maps.Clone(before)
	for table, rows := range want {
		want[table] = slices.Clone(rows)
	}
	want["credentials"] = redactCredentials(want["credentials"])
	if tc.change != nil {
		tc.change(want)
	}
	got := maps.Clone(after)
	n := len(before["logs"])
	if len(got["logs"]) < n {
		t.Fatalf("%d audit logs disappeared", n-len(got["logs"]))
	}
	var kinds []string
	for _, row := range got["logs"][n:] {
		kinds = append(kinds, row.(*store.LogEntry).Kind)
	}
	if diff := cmp.Diff(tc.logs, kinds); diff != "" {
		t.Errorf("audit logs written (-want +got):\n%s", diff)
	}
	got["logs"] = got["logs"][:n]
	wantSeq, gotSeq := sequenceValues(want["sequences"]), sequenceValues(got["sequences"])
	wantSeq["log"] += int64(len(kinds))
	if wantSeq["log"] == 0 {
		delete(wantSeq, "log")
	}
	if diff := cmp.Diff(wantSeq, gotSeq); diff != "" {
		t.Errorf("id sequences (-want +got):\n%s", diff)
	}
	delete(want, "sequences")
	delete(got, "sequences")
	got["credentials"] = redactCredentials(got["credentials"])
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("store changed (-want +got):\n%s", diff)
	}
}

// redactCredentials stands a known password for its random salt and hash
// (Hash []byte{1}) and a session id for its random value ("set"), so that
// a case can say a password was stored (withPasswordOf).
func redactCredentials(rows []any) []any {
	out := make([]any, len(rows))
	for i, row := range rows {
		c := *row.(*store.Credential)
		c.Salt = nil
		if c.Hash != nil {
			c.Hash = []byte{1}
		}
		if c.SessionID != "" {
			c.SessionID = "set"
		}
		out[i] = &c
	}
	return out
}

// withPasswordOf expects the case to give the user a new password (and
// so a new session id): change_password.
func withPasswordOf(name string, c badInput) badInput {
	c.change = func(want map[string][]any) {
		editCredential(want, name, func(cr *store.Credential) {
			cr.Hash, cr.SessionID, cr.InvalidLoginAttempts = []byte{1}, "set", 0
		})
	}
	return c
}

// sequenceValues reads the store's id counters from a dump. Their row type
// is the store's own; its two fields are exported, Name and Last.
func sequenceValues(rows []any) map[string]int64 {
	out := map[string]int64{}
	for _, row := range rows {
		v := reflect.ValueOf(row).Elem()
		out[v.FieldByName("Name").String()] = v.FieldByName("Last").Int()
	}
	return out
}

// checkKeepsServing asks for the health check and the users list after a
// case: the server must still answer both, and nothing may have panicked.
func checkKeepsServing(h *harness) {
	h.t.Helper()
	for _, probe := range []struct {
		path, token string
		want        shape
	}{
		{"/health/instance", tokNone, shJsonifyOK},
		{usersPath, tokAdmin, shOK},
	} {
		got, err := shapeOf("GET", h.do("GET", probe.path, probe.token, ""))
		if err != nil || !cmp.Equal(got, probe.want) {
			h.t.Errorf("after the case, GET %s = %+v, %v; want %+v", probe.path, got, err, probe.want)
		}
	}
	if n := h.s.Panics(); n != 0 {
		h.t.Errorf("Panics() = %d", n)
	}
}

// TestBadInputCorpusCoverage holds the corpus to the issue's bar: at least
// 80 cases, every write operation and every query parameter of the fake
// reached by at least one, and every case named after its section. It logs
// how many cases end in each family.
func TestBadInputCorpusCoverage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, corpusSeed)
	cases := badInputs()
	if len(cases) < 80 {
		t.Errorf("%d cases, want at least 80", len(cases))
	}
	wantOps, wantParams := map[string]bool{}, map[string]bool{}
	for _, op := range h.s.Operations() {
		m := h.s.router.match(op.Method, strings.Replace(op.Path, "{repository}", "ns/repo", 1))
		if op.Method != "GET" {
			wantOps[op.Method+" "+op.Path] = true
		}
		for _, q := range m.op.query {
			wantParams[op.Nickname+"?"+q.name] = true
		}
	}
	families := map[family]int{}
	for _, tc := range cases {
		families[tc.want.Family]++
		if !strings.HasPrefix(tc.name, "§") && !strings.HasPrefix(tc.name, "nginx") {
			t.Errorf("case %q names no reference section", tc.name)
		}
		u, err := url.Parse(tc.path)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		m := h.s.router.match(tc.method, u.Path)
		if m.kind != matchFound || m.op == nil || tc.want.Family == famNginx {
			continue // refused before it reached an operation
		}
		delete(wantOps, tc.method+" "+quayRule(m.route.pattern))
		for name := range u.Query() {
			delete(wantParams, m.op.nickname+"?"+name)
		}
	}
	if len(wantOps) != 0 {
		t.Errorf("write operations no case reaches: %v", slices.Sorted(maps.Keys(wantOps)))
	}
	if len(wantParams) != 0 {
		t.Errorf("query parameters no case sets: %v", slices.Sorted(maps.Keys(wantParams)))
	}
	for _, f := range slices.Sorted(maps.Keys(families)) {
		t.Logf("%-32s %3d cases", f, families[f])
	}
	t.Logf("%d cases in all", len(cases))
}
