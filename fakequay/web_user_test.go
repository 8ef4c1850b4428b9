package fakequay

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// emptyRegistry is a registry before its first user: no namespace at all,
// with the bootstrap on (as test/testconfig.py has it).
func emptyRegistry(s *Seed) {
	cfg := s.Config
	*s = Seed{Config: cfg}
	s.Config.FeatureUserInitialize = true
}

const initPath = "/api/v1/user/initialize"

// TestUserInitializeRefusals: web.py user_initialize's refusals, each
// leaving the registry empty. The non-empty answer and the feature flag's
// 404 are checked against real Quay by the differential; the others only
// against Quay's source (the harness's database is never empty).
func TestUserInitializeRefusals(t *testing.T) {
	t.Parallel()
	const badPassword = "Failed to initialize user: Invalid password, password must be at least 8 characters and contain no whitespace."
	jsonMsg := func(status int, msg string) reply {
		b, _ := json.Marshal(map[string]string{"message": msg})
		return reply{Status: status, ContentType: contentTypeJSON, Body: string(b) + "\n"}
	}
	tests := []struct {
		name   string
		edit   func(*Seed)
		body   string
		header []string
		want   reply
	}{
		{name: "web.py 1073: FEATURE_USER_INITIALIZE off is the web 404", edit: func(s *Seed) { emptyRegistry(s); s.Config.FeatureUserInitialize = false },
			body: `{"username": "first", "password": "password"}`, want: reply{Status: 404, ContentType: contentTypeHTML}},
		{name: "web.py 1079: not database auth", edit: func(s *Seed) { emptyRegistry(s); s.Config.AuthenticationType = "LDAP" },
			body: `{"username": "first", "password": "password"}`, want: jsonMsg(400, "Cannot initialize user in a non-database auth system")},
		{name: "web.py 1084: a registry with users, before the body is read", edit: func(s *Seed) { s.Config.FeatureUserInitialize = true },
			body: `not json`, want: jsonMsg(400, "Cannot initialize user in a non-empty database")},
		{name: "web.py 1089: get_json without a JSON content type is Werkzeug's 415 page", edit: emptyRegistry,
			body: `{"username": "first", "password": "password"}`, header: []string{"Content-Type", "text/plain"},
			want: reply{Status: 415, ContentType: contentTypeHTML, Body: "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n" +
				"<h1>Unsupported Media Type</h1>\n<p>Did not attempt to load JSON data because the request Content-Type was not &#39;application/json&#39;.</p>\n"}},
		{name: "web.py 1089: malformed JSON is Werkzeug's 400 page", edit: emptyRegistry, body: `{"username": `,
			want: reply{Status: 400, ContentType: contentTypeHTML, Body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n" +
				"<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n"}},
		{name: "web.py 1093: a missing password is a KeyError", edit: emptyRegistry, body: `{"username": "first"}`,
			want: reply{Status: 500, ContentType: "text/html", Body: gunicornPage(500)}},
		{name: "user.py create_user: the password first", edit: emptyRegistry, body: `{"username": "Bad!", "password": "short"}`,
			want: jsonMsg(400, badPassword)},
		{name: "user.py create_user: whitespace in the password", edit: emptyRegistry, body: `{"username": "first", "password": "pass word"}`,
			want: jsonMsg(400, badPassword)},
		{name: "user.py create_user_noverify: FEATURE_MAILING requires an e-mail", edit: emptyRegistry,
			body: `{"username": "first", "password": "password"}`, want: jsonMsg(400, "Failed to initialize user: Invalid email address: None")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.edit)
			before := h.s.store.Read()
			users := 0
			before.AllNamespaces(func(*store.Namespace) bool { users++; return true })
			got := h.do("POST", initPath, "", tc.body, tc.header...)
			if tc.want.Status == 404 {
				got.Body = "" // the web UI's page, fakequay's own
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			after := 0
			h.s.store.Read().AllNamespaces(func(*store.Namespace) bool { after++; return true })
			if after != users {
				t.Errorf("%d namespaces after the refusal, %d before", after, users)
			}
		})
	}
}

// TestUserInitializeCreatesTheFirstUser: the first user is verified, its
// answer echoes the request, and the access token it asks for acts for it
// with every scope; a second call finds the registry no longer empty.
func TestUserInitializeCreatesTheFirstUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) { emptyRegistry(s); s.Config.FeatureMailing = false })
	got := h.do("POST", initPath, "", `{"username": "first", "password": "password", "access_token": true}`)
	var body map[string]any
	if err := json.Unmarshal([]byte(got.Body), &body); err != nil || got.Status != 200 {
		t.Fatalf("got %d %s", got.Status, got.Body)
	}
	token, _ := body["access_token"].(string)
	if len(token) != 40 || body["encrypted_password"] == "" {
		t.Errorf("access_token %q, encrypted_password %q", token, body["encrypted_password"])
	}
	delete(body, "access_token")
	delete(body, "encrypted_password")
	if diff := cmp.Diff(map[string]any{"email": nil, "username": "first"}, body); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
	tok, ok := h.s.store.Read().Token(token)
	if !ok {
		t.Fatal("the access token is not stored")
	}
	if diff := cmp.Diff([]string{"org:admin", "repo:admin", "repo:create", "repo:read", "repo:write", "super:user", "user:admin", "user:read"},
		tok.Scopes); diff != "" || tok.Application != "automation" || tok.ClientID != "first" {
		t.Errorf("token %+v, scopes (-want +got):\n%s", tok, diff)
	}
	me := h.do("GET", "/api/v1/user/", token, "")
	var view struct {
		Username string `json:"username"`
		Verified bool   `json:"verified"`
		HasPW    bool   `json:"has_password_set"`
	}
	if err := json.Unmarshal([]byte(me.Body), &view); err != nil || me.Status != 200 {
		t.Fatalf("getLoggedInUser: %d %s", me.Status, me.Body)
	}
	if diff := cmp.Diff(struct {
		Username        string
		Verified, HasPW bool
	}{"first", true, true}, struct {
		Username        string
		Verified, HasPW bool
	}{view.Username, view.Verified, view.HasPW}); diff != "" {
		t.Errorf("the new user (-want +got):\n%s", diff)
	}
	again := h.do("POST", initPath, "", `{"username": "second", "password": "password"}`)
	if diff := cmp.Diff(reply{Status: 400, ContentType: contentTypeJSON,
		Body: `{"message":"Cannot initialize user in a non-empty database"}` + "\n"}, again); diff != "" {
		t.Errorf("second call (-want +got):\n%s", diff)
	}
}
