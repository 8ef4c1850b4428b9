package fakequay

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreateInstallUser(t *testing.T) {
	t.Parallel()
	created := func(email string) reply {
		return reply{200, "application/json", `{"username": "newbie", "email": ` + email +
			`, "password": "<PW>", "encrypted_password": "<ENC>"}` + "\n"}
	}
	mailingOff := func(s *Seed) { s.Config.FeatureMailing = false }
	ldap := func(s *Seed) { s.Config.AuthenticationType = "LDAP" }
	tests := []struct {
		name  string
		edit  func(*Seed)
		token string
		body  string
		want  reply
	}{
		{"§2.2 200 (not 201) with a generated password", nil, tokAdmin,
			`{"username": "newbie", "email": "newbie@example.com"}`, created(`"newbie@example.com"`)},
		{"§2.2 mailing off: no e-mail needed, echoed as null", mailingOff, tokAdmin,
			`{"username": "newbie"}`, created("null")},
		{"§2.2 mailing on: a missing e-mail is family B", nil, tokAdmin,
			`{"username": "newbie"}`, modelErrorReply("Invalid email address: None")},
		// Checked against real Quay (FEATURE_MAILING on in its test config).
		{"§2.2 mailing on: an empty e-mail is family B", nil, tokAdmin,
			`{"username": "newbie", "email": ""}`, modelErrorReply("Invalid email address: ")},
		{"§2.2 mailing off: an empty e-mail is echoed as sent", mailingOff, tokAdmin,
			`{"username": "newbie", "email": ""}`, created(`""`)},
		{"§1.10 e-mail structure checked before the username", nil, tokAdmin,
			`{"username": "Bad Name", "email": "nope"}`, modelErrorReply("Invalid email address: nope")},
		{"§1.10 username pattern", nil, tokAdmin, `{"username": "Bad_Name", "email": "b@example.com"}`,
			modelErrorReply("Invalid namespace Bad_Name: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$")},
		{"§1.10 username length", nil, tokAdmin, `{"username": "a", "email": "b@example.com"}`,
			modelErrorReply("Invalid namespace a: Namespace must be between 2 and 255 characters in length")},
		{"§1.10 name taken by a user", nil, tokAdmin, `{"username": "alice", "email": "b@example.com"}`,
			modelErrorReply("Username has already been taken by user cannot be reused: alice")},
		{"§1.10 name taken by an organization", nil, tokAdmin, `{"username": "acme", "email": "b@example.com"}`,
			modelErrorReply("Username has already been taken by an organization and cannot be reused: acme")},
		{"§1.10 e-mail already used", nil, tokAdmin, `{"username": "newbie", "email": "alice@example.com"}`,
			modelErrorReply("Email has already been used: alice@example.com")},
		// Postgres' partial unique index user_email_unique_non_org; the
		// SQLite schema of realquay has no such index and creates the user,
		// so real Quay here cannot judge this answer.
		{"§1.10 mailing off: the database's unique index answers", mailingOff, tokAdmin,
			`{"username": "newbie", "email": "alice@example.com"}`,
			modelErrorReply("duplicate key value violates unique constraint \"user_email_unique_non_org\"\nDETAIL:  Key (email)=(alice@example.com) already exists.\n")},
		{"§2.2 non-database auth: 400 even for a normal user", ldap, tokAlice, `{"username": "newbie"}`,
			apiErrorReply(400, "invalid_request", "Cannot create a user in a non-database auth system")},
		{"§1.2 normal user", nil, tokAlice, `{"username": "newbie", "email": "n@example.com"}`, replyForbidden},
		{"§1.2 GRO cannot write", nil, tokAuditor, `{"username": "newbie", "email": "n@example.com"}`, replyForbidden},
		{"§1.2 in both lists: cannot write", nil, tokBoth, `{"username": "newbie", "email": "n@example.com"}`, replyForbidden},
		{"§1.2 superuser token without super:user", nil, tokNoScope, `{"username": "newbie", "email": "n@example.com"}`, replyForbidden},
		{"§1.1 anonymous write gets the CSRF 403", nil, tokNone, `{"username": "newbie"}`, replyCSRF},
		{"§1.1 invalid token write gets the CSRF 403", nil, tokUnknown, `{"username": "newbie"}`, replyCSRF},
		{"§1.2 disabled user's token is anonymous", nil, tokDisabled, `{"username": "newbie"}`, replyCSRF},
		{"§1.6 literal null", nil, tokAdmin, `null`, apiErrorReply(400, "invalid_request", "Missing JSON body")},
		{"§1.6 malformed JSON", nil, tokAdmin, `{"username": `,
			reply{400, "application/json", `{"message": "The browser (or proxy) sent a request that this server could not understand."}` + "\n"}},
		{"§2.2 an array passes the schema and crashes", nil, tokAdmin, `[1, 2]`, replyCrash},
		{"§1.3 G: mailing on, an e-mail holding a NUL breaks the uniqueness query", nil, tokAdmin,
			`{"username": "newbie", "email": "a\u0000b@example.com"}`, replyCrash},
		{"§1.3 B: mailing off, User.create's ValueError is wrapped as a model error", mailingOff, tokAdmin,
			`{"username": "newbie", "email": "a\u0000b@example.com"}`,
			modelErrorReply("A string literal cannot contain NUL (0x00) characters.")},
		{"§1.3 G: nesting past Python's recursion limit is a RecursionError, not a 400", nil, tokAdmin,
			strings.Repeat("[", 20000) + strings.Repeat("]", 20000), replyCrash},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.edit)
			got := h.do("POST", "/api/v1/superuser/users/", tc.token, tc.body)
			got.Body = normalize(got.Body, `"password": "[A-Z0-9]{32}"`, `"password": "<PW>"`,
				`"encrypted_password": "[A-Za-z0-9+/]{107}="`, `"encrypted_password": "<ENC>"`)
			checkReply(t, tc.want, got)
		})
	}
}

func TestCreateInstallUserEffects(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "newbie", "email": "newbie@example.com"}`)
	// §2.2: listed at once, unverified with MAILING on, one confirmation mail.
	got, ok := h.s.User("newbie")
	if !ok || got.Verified || !got.Enabled {
		t.Errorf("User(newbie) = %+v, %v; want enabled and unverified", got, ok)
	}
	mails := h.s.Mails()
	if len(mails) != 1 || mails[0].Kind != "confirm_email" || mails[0].To != "newbie@example.com" {
		t.Errorf("outbox = %+v", mails)
	}
	// §2.2 / §1.11: the user_create log on the new user's account.
	want := []loggedAction{{Kind: "user_create", Account: "newbie", Performer: "admin", IP: "127.0.0.1",
		Metadata: `{"email":"newbie@example.com","username":"newbie","superuser":"admin"` + oauthMeta(1)}}
	if diff := cmp.Diff(want, h.logs()); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
	// The generated password is 32 characters of [A-Z0-9].
	if !regexp.MustCompile(`^\{"username": "n2", "email": "n2@example.com", "password": "[A-Z0-9]{32}"`).
		MatchString(h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "n2", "email": "n2@example.com"}`).Body) {
		t.Error("generated password is not 32 characters of [A-Z0-9]")
	}
}

// §2.2 with FEATURE_MAILING off: data/model/user.py create_user_noverify
// stores `email or str(uuid.uuid4())`, so an empty e-mail becomes a random
// UUID and never collides with the next one; the answer and the user_create
// log show the "" that was sent. Checked against real Quay (ffba0c70e,
// FEATURE_MAILING false): two creates with "email": "" both answer 200, and
// getInstallUser shows a UUID.
func TestCreateInstallUserEmptyEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) { s.Config.FeatureMailing = false })
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	stored := map[string]bool{}
	for _, name := range []string{"empty1", "empty2"} {
		got := h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "`+name+`", "email": ""}`)
		got.Body = normalize(got.Body, `"password": "[A-Z0-9]{32}"`, `"password": "<PW>"`,
			`"encrypted_password": "[A-Za-z0-9+/]{107}="`, `"encrypted_password": "<ENC>"`)
		checkReply(t, reply{200, "application/json", `{"username": "` + name +
			`", "email": "", "password": "<PW>", "encrypted_password": "<ENC>"}` + "\n"}, got)
		u, ok := h.s.User(name)
		if !ok || !uuidRE.MatchString(u.Email) || !u.Verified {
			t.Errorf("User(%s) = %+v, %v; want a verified user with a random UUID e-mail", name, u, ok)
		}
		stored[u.Email] = true
	}
	if len(stored) != 2 {
		t.Errorf("stored e-mails %v; want two different UUIDs", stored)
	}
	var metas []string
	for _, l := range h.logs() {
		metas = append(metas, l.Metadata)
	}
	want := []string{
		`{"email":"","username":"empty1","superuser":"admin"` + oauthMeta(1),
		`{"email":"","username":"empty2","superuser":"admin"` + oauthMeta(1),
	}
	if diff := cmp.Diff(want, metas); diff != "" {
		t.Errorf("user_create logs (-want +got):\n%s", diff)
	}
}

func TestChangeInstallUser(t *testing.T) {
	t.Parallel()
	// §3 changeInstallUser: the answer is the view from *before* the update.
	h := newHarness(t, nil)
	got := h.do("PUT", "/api/v1/superuser/users/alice", tokAdmin, `{"enabled": false, "email": "new@example.com", "password": "longenough"}`)
	got.Body = normalize(got.Body, `"encrypted_password": "[A-Za-z0-9+/=]+"`, `"encrypted_password": "<ENC>"`)
	wantBody := `{"kind": "user", "name": "alice", "username": "alice", "email": "new@example.com", "verified": true, ` +
		`"avatar": {"name": "alice", "hash": "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", "color": "#a55194", "kind": "user"}, ` +
		`"super_user": false, "global_readonly_super_user": false, "enabled": true, ` +
		`"quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null, "running_backfill": "waiting", "backfill_status": "waiting"}, ` +
		`"encrypted_password": "<ENC>"}` + "\n"
	checkReply(t, reply{200, "application/json", wantBody}, got)
	after, _ := h.s.User("alice")
	if diff := cmp.Diff(User{ID: 2, Username: "alice", Email: "new@example.com", Verified: true, Enabled: false}, after); diff != "" {
		t.Errorf("alice after the update (-want +got):\n%s", diff)
	}
	wantLogs := []loggedAction{
		{"user_change_password", "alice", "admin", "127.0.0.1", `{"username":"alice","superuser":"admin"` + oauthMeta(1)},
		{"user_change_email", "alice", "admin", "127.0.0.1", `{"old_email":"alice@example.com","email":"new@example.com","superuser":"admin"` + oauthMeta(1)},
		{"user_disable", "alice", "admin", "127.0.0.1", `{"username":"alice","superuser":"admin"` + oauthMeta(1)},
	}
	if diff := cmp.Diff(wantLogs, h.logs()); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

func TestChangeInstallUserErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		path     string
		token    string
		body     string
		want     reply
		wantLogs []string // kinds written
		wantUser User     // alice afterwards
	}{
		{"§3 unknown user", "/api/v1/superuser/users/nobody", tokAdmin, `{}`, replyNotFound, nil, aliceBefore},
		{"§3 an organization is not a user", "/api/v1/superuser/users/acme", tokAdmin, `{}`, replyNotFound, nil, aliceBefore},
		{"§3 cannot update a superuser", "/api/v1/superuser/users/admin", tokAdmin, `{"enabled": false}`,
			apiErrorReply(400, "invalid_request", "Cannot update a superuser"), nil, aliceBefore},
		{"§1.10 bad password: 400 after its log was written", "/api/v1/superuser/users/alice", tokAdmin, `{"password": "short"}`,
			modelErrorReply("Invalid password, password must be at least 8 characters and contain no whitespace."),
			[]string{"user_change_password"}, aliceBefore},
		{"§3 duplicate e-mail keeps the password change before it", "/api/v1/superuser/users/alice", tokAdmin,
			`{"password": "longenough", "email": "admin@example.com"}`, modelErrorReply("E-mail address already used"),
			[]string{"user_change_password"}, aliceBefore},
		{"§1.3 G: a password holding a NUL fails bcrypt's hashpw after its log", "/api/v1/superuser/users/alice", tokAdmin,
			`{"password": "longenough\u0000"}`, replyCrash, []string{"user_change_password"}, aliceBefore},
		{"§1.3 G: an e-mail holding a NUL fails user.save(), not as the IntegrityError", "/api/v1/superuser/users/alice",
			tokAdmin, `{"password": "longenough", "email": "a\u0000@example.com"}`, replyCrash,
			[]string{"user_change_password"}, aliceBefore},
		{"§3 e-mail format is not checked", "/api/v1/superuser/users/alice", tokAdmin, `{"email": "not an email"}`,
			reply{Status: 200}, []string{"user_change_email"},
			User{ID: 2, Username: "alice", Email: "not an email", Verified: true, Enabled: true}},
		{"§1.2 normal user", "/api/v1/superuser/users/alice", tokAlice, `{}`, replyForbidden, nil, aliceBefore},
		{"§1.1 anonymous", "/api/v1/superuser/users/alice", tokNone, `{}`, replyCSRF, nil, aliceBefore},
		{"§1.6 wrong content type", "/api/v1/superuser/users/alice", tokAdmin, "",
			reply{415, "application/json", `{"message": "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."}` + "\n"},
			nil, aliceBefore},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			got := h.do("PUT", tc.path, tc.token, tc.body)
			if tc.want.Body == "" && tc.want.Status == 200 {
				got = reply{Status: got.Status}
			}
			checkReply(t, tc.want, got)
			var kinds []string
			for _, l := range h.logs() {
				kinds = append(kinds, l.Kind)
			}
			if diff := cmp.Diff(tc.wantLogs, kinds); diff != "" {
				t.Errorf("logs (-want +got):\n%s", diff)
			}
			alice, _ := h.s.User("alice")
			if diff := cmp.Diff(tc.wantUser, alice); diff != "" {
				t.Errorf("alice (-want +got):\n%s", diff)
			}
		})
	}
}

var aliceBefore = User{ID: 2, Username: "alice", Email: "alice@example.com", Verified: true, Enabled: true}

func TestDeleteInstallUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, ""))
	// §2.3: gone at once from GET and both list variants.
	checkReply(t, replyNotFound, h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""))
	for query, want := range map[string][]string{
		"":                {"admin", "auditor", "both", "dave"},
		"?disabled=false": {"admin", "auditor", "both"},
	} {
		names, _ := userNames(t, h.do("GET", "/api/v1/superuser/users/"+query, tokAdmin, "").Body)
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("list%s (-want +got):\n%s", query, diff)
		}
	}
	// The name stays blocked, the e-mail is free, until the purge.
	checkReply(t, modelErrorReply("Username is not available"),
		h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "alice", "email": "x@example.com"}`))
	if got := h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "alice2", "email": "alice@example.com"}`); got.Status != 200 {
		t.Errorf("old e-mail not free: %d %s", got.Status, got.Body)
	}
	// The log was written before the rename: it now shows the UUID name.
	logs := h.logs()
	if logs[0].Kind != "user_delete" || !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(logs[0].Account) ||
		logs[0].Metadata != `{"username":"alice"`+oauthMeta(1) {
		t.Errorf("user_delete log = %+v", logs[0])
	}
	h.s.Advance(1)
	if got := h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "alice", "email": "x@example.com"}`); got.Status != 200 {
		t.Errorf("name not free after the purge: %d %s", got.Status, got.Body)
	}
	// After the purge the old log resolves to no namespace at all.
	if got := h.logs()[0].Account; got != "" {
		t.Errorf("purged account still resolves to %q", got)
	}
}

func TestDeleteInstallUserQuirks(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	// §2.3 quirk: deleting a disabled user is a silent no-op that logs.
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/users/dave", tokAdmin, ""))
	dave, ok := h.s.User("dave")
	if !ok || dave.PendingDeletion {
		t.Errorf("dave after delete: %+v, %v; want unchanged", dave, ok)
	}
	if logs := h.logs(); len(logs) != 1 || logs[0].Kind != "user_delete" || logs[0].Account != "dave" {
		t.Errorf("logs = %+v", logs)
	}
	for _, tc := range []struct {
		name, path, token string
		want              reply
	}{
		{"§2.3 a superuser, even oneself", "/api/v1/superuser/users/admin", tokAdmin, apiErrorReply(400, "invalid_request", "Cannot delete a superuser")},
		{"§2.3 GRO users are not protected: 204", "/api/v1/superuser/users/auditor", tokAdmin, replyNoContent},
		{"§2.3 an organization is 404", "/api/v1/superuser/users/acme", tokAdmin, replyNotFound},
		{"§2.3 GRO cannot delete", "/api/v1/superuser/users/alice", tokBoth, replyForbidden},
		{"§2.3 anonymous", "/api/v1/superuser/users/alice", tokNone, replyCSRF},
	} {
		checkReply(t, tc.want, h.do("DELETE", tc.path, tc.token, ""))
	}
}

func TestSendRecoveryEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	checkReply(t, reply{200, "application/json", `{"email": "alice@example.com"}` + "\n"},
		h.do("POST", "/api/v1/superusers/users/alice/sendrecovery", tokAdmin, ""))
	if m := h.s.Mails(); len(m) != 1 || m[0].Kind != "recovery" || m[0].To != "alice@example.com" || len(m[0].Code) != 32 {
		t.Errorf("outbox = %+v", m)
	}
	checkReply(t, replyNotFound, h.do("POST", "/api/v1/superusers/users/nobody/sendrecovery", tokAdmin, ""))
	checkReply(t, apiErrorReply(400, "invalid_request", "Cannot send a recovery email for a superuser"),
		h.do("POST", "/api/v1/superusers/users/admin/sendrecovery", tokAdmin, ""))
	// The singular "superuser" path does not exist (§5).
	if got := h.do("POST", "/api/v1/superuser/users/alice/sendrecovery", tokAdmin, ""); got.ContentType != "text/html; charset=utf-8" {
		t.Errorf("singular path answered %d %s", got.Status, got.ContentType)
	}
	// §3: the route exists only with FEATURE_MAILING.
	off := newHarness(t, func(s *Seed) { s.Config.FeatureMailing = false })
	if got := off.do("POST", "/api/v1/superusers/users/alice/sendrecovery", tokAdmin, ""); got.Status != 405 || got.ContentType != "text/html; charset=utf-8" {
		t.Errorf("mailing off: %d %s, want the web catch-all", got.Status, got.ContentType)
	}
	ldap := newHarness(t, func(s *Seed) { s.Config.AuthenticationType = "LDAP" })
	checkReply(t, apiErrorReply(400, "invalid_request", "Cannot send a recovery e-mail for non-database auth"),
		ldap.do("POST", "/api/v1/superusers/users/alice/sendrecovery", tokAlice, ""))
}

func TestTakeOwnership(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	// §3: jsonify body; a user becomes an organization.
	checkReply(t, reply{200, "application/json", `{"namespace":"alice"}` + "\n"},
		h.do("POST", "/api/v1/superuser/takeownership/alice", tokAdmin, ""))
	if _, ok := h.s.Organization("alice"); !ok {
		t.Error("alice is not an organization after takeOwnership")
	}
	checkReply(t, reply{200, "application/json", `{"namespace":"acme"}` + "\n"},
		h.do("POST", "/api/v1/superuser/takeownership/acme", tokAdmin, ""))
	want := []loggedAction{
		{"take_ownership", "admin", "admin", "127.0.0.1", `{"entity_id":2,"namespace":"alice","was_user":true,"superuser":"admin"` + oauthMeta(1)},
		{"take_ownership", "admin", "admin", "127.0.0.1", `{"entity_id":6,"namespace":"acme","was_user":false,"superuser":"admin"` + oauthMeta(1)},
	}
	if diff := cmp.Diff(want, h.logs()); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
	checkReply(t, replyNotFound, h.do("POST", "/api/v1/superuser/takeownership/nobody", tokAdmin, ""))
	// The superuser check comes first, even for a name with no namespace.
	checkReply(t, apiErrorReply(400, "invalid_request", "Cannot take ownership of a superuser"),
		h.do("POST", "/api/v1/superuser/takeownership/both", tokAdmin, ""))
	checkReply(t, replyForbidden, h.do("POST", "/api/v1/superuser/takeownership/acme", tokAuditor, ""))
}
