package fakequay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func withMessages(s *Seed) {
	s.Messages = []SeedMessage{
		{UUID: "3f8a3c4e-1111-4a5b-9c6d-000000000001", Content: "Maintenance tonight", Severity: "warning", MediaType: "text/plain"},
		{UUID: "3f8a3c4e-1111-4a5b-9c6d-000000000002", Content: "**Welcome**", Severity: "info", MediaType: "text/markdown"},
	}
}

const (
	messageMaintenance = `{"uuid": "3f8a3c4e-1111-4a5b-9c6d-000000000001", "content": "Maintenance tonight", "severity": "warning", "media_type": "text/plain"}`
	messageWelcome     = `{"uuid": "3f8a3c4e-1111-4a5b-9c6d-000000000002", "content": "**Welcome**", "severity": "info", "media_type": "text/markdown"}`
)

// Family D answers of flask.abort (reference §1.3).
var (
	replyAbort403 = reply{Status: 403, ContentType: "application/json",
		Body: `{"message": "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."}` + "\n"}
	replyAbort404 = reply{Status: 404, ContentType: "application/json",
		Body: `{"message": "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."}` + "\n"}
	replyEmptyHTML201 = reply{Status: 201, ContentType: "text/html; charset=utf-8"}
	replyEmptyHTML204 = reply{Status: 204, ContentType: "text/html; charset=utf-8"}
	replyAnonymousOff = reply{Status: 401, ContentType: "text/html; charset=utf-8", Body: `{"error": "Anonymous access is not allowed"}`}
	replyReadOnly     = reply{Status: 503, ContentType: "application/json",
		Body: `{"is_readonly":true,"message":"System is currently read-only. Pulls will succeed but all write operations are currently suspended."}` + "\n"}
)

func messagesReply(items ...string) reply {
	body := `{"messages": [`
	for i, m := range items {
		if i > 0 {
			body += ", "
		}
		body += m
	}
	return reply{Status: 200, ContentType: "application/json", Body: body + "]}\n"}
}

func TestGetGlobalMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		seed   func(*Seed)
		config func(*Config)
		token  string
		want   reply
	}{
		{name: "§3 anyone reads the messages, anonymous included", seed: withMessages, token: tokNone,
			want: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§3 a normal user reads them", seed: withMessages, token: tokAlice, want: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§1.2 an unknown token reads them as anonymous", seed: withMessages, token: tokUnknown,
			want: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§3 no messages", token: tokAdmin, want: messagesReply()},
		{name: "§1.1 anonymous access off rejects anonymous callers", seed: withMessages, token: tokNone,
			config: func(c *Config) { c.FeatureAnonymousAccess = false }, want: replyAnonymousOff},
		{name: "§3 the route exists without FEATURE_SUPER_USERS", seed: withMessages, token: tokNone,
			config: func(c *Config) { c.FeatureSuperUsers = false }, want: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§3 no verify_not_prod on the read", seed: withMessages, token: tokNone,
			config: func(c *Config) { c.ServerHostname = "quay.io" }, want: messagesReply(messageMaintenance, messageWelcome)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(s *Seed) {
				if tc.seed != nil {
					tc.seed(s)
				}
				if tc.config != nil {
					tc.config(s.Config)
				}
			})
			checkReply(t, tc.want, h.do("GET", "/api/v1/messages", tc.token, ""))
		})
	}
}

const newMessageBody = `{"message": {"content": "Upgrade at 5pm", "media_type": "text/markdown", "severity": "error"}}`

func TestCreateGlobalMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		config  func(*Config)
		token   string
		body    string
		want    reply
		created bool
	}{
		{name: "§3 a superuser creates: 201, empty text/html", token: tokAdmin, body: newMessageBody,
			want: replyEmptyHTML201, created: true},
		{name: "§3 a normal user gets flask.abort(403)", token: tokAlice, body: newMessageBody, want: replyAbort403},
		{name: "§3 GRO may not write: flask.abort(403)", token: tokAuditor, body: newMessageBody, want: replyAbort403},
		{name: "§1.2 in both lists is GRO only: flask.abort(403)", token: tokBoth, body: newMessageBody, want: replyAbort403},
		{name: "§1.2 superuser token without super:user: flask.abort(403)", token: tokNoScope, body: newMessageBody, want: replyAbort403},
		{name: "§1.1 anonymous write is the CSRF 403", token: tokNone, body: newMessageBody, want: replyCSRF},
		{name: "§1.1 unknown token write is the CSRF 403", token: tokUnknown, body: newMessageBody, want: replyCSRF},
		{name: "§3 without the outer message key: KeyError, 500", token: tokAdmin, body: `{}`, want: replyCrash},
		{name: "§1.3 G: content holding a NUL, which Postgres' driver refuses to bind", token: tokAdmin,
			body: `{"message": {"content": "a\u0000b", "media_type": "text/plain", "severity": "info"}}`, want: replyCrash},
		{name: "§1.6 malformed JSON is family D", token: tokAdmin, body: `{"message":`,
			want: reply{Status: 400, ContentType: "application/json",
				Body: `{"message": "The browser (or proxy) sent a request that this server could not understand."}` + "\n"}},
		{name: "§3 FEATURE_SUPER_USERS off: flask.abort(404), route still there", token: tokAdmin, body: newMessageBody,
			config: func(c *Config) { c.FeatureSuperUsers = false }, want: replyAbort404},
		{name: "§0 verify_not_prod: 404 on a quay.io hostname", token: tokAdmin, body: newMessageBody,
			config: func(c *Config) { c.ServerHostname = "quay.io" }, want: replyNotFound},
		{name: "§1.3 read-only registry answers family F", token: tokAdmin, body: newMessageBody,
			config: func(c *Config) { c.RegistryState = "readonly" }, want: replyReadOnly},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(s *Seed) {
				withMessages(s)
				if tc.config != nil {
					tc.config(s.Config)
				}
			})
			checkReply(t, tc.want, h.do("POST", "/api/v1/messages", tc.token, tc.body))
			want := messagesReply(messageMaintenance, messageWelcome)
			if tc.created {
				want = messagesReply(messageMaintenance, messageWelcome,
					`{"uuid": "<uuid>", "content": "Upgrade at 5pm", "severity": "error", "media_type": "text/markdown"}`)
			}
			got := h.do("GET", "/api/v1/messages", tokNone, "")
			got.Body = normalize(got.Body, `"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "content": "Upgrade`, `"<uuid>", "content": "Upgrade`)
			checkReply(t, want, got)
			// Quay's message endpoints write no audit log.
			if logs := h.logs(); len(logs) != 0 {
				t.Errorf("audit logs written: %+v", logs)
			}
		})
	}
}

func TestDeleteGlobalMessage(t *testing.T) {
	t.Parallel()
	const maintenance = "/api/v1/message/3f8a3c4e-1111-4a5b-9c6d-000000000001"
	tests := []struct {
		name   string
		config func(*Config)
		path   string
		token  string
		want   reply
		left   reply
	}{
		{name: "§3 a superuser deletes: 204, empty text/html", path: maintenance, token: tokAdmin,
			want: replyEmptyHTML204, left: messagesReply(messageWelcome)},
		{name: "§3 an unknown uuid is still 204", path: "/api/v1/message/no-such-uuid", token: tokAdmin,
			want: replyEmptyHTML204, left: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§3 a normal user gets flask.abort(403)", path: maintenance, token: tokAlice,
			want: replyAbort403, left: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§3 GRO gets flask.abort(403)", path: maintenance, token: tokAuditor,
			want: replyAbort403, left: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§1.1 anonymous delete is the CSRF 403", path: maintenance, token: tokNone,
			want: replyCSRF, left: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§1.5 FEATURE_SUPER_USERS off: no such route, the web catch-all's 405", path: maintenance, token: tokAdmin,
			config: func(c *Config) { c.FeatureSuperUsers = false }, want: replyWerkzeug405,
			left: messagesReply(messageMaintenance, messageWelcome)},
		{name: "§1.5 a trailing slash misses the route", path: maintenance + "/", token: tokAdmin,
			want: replyWerkzeug405, left: messagesReply(messageMaintenance, messageWelcome)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(s *Seed) {
				withMessages(s)
				if tc.config != nil {
					tc.config(s.Config)
				}
			})
			checkReply(t, tc.want, h.do("DELETE", tc.path, tc.token, ""))
			checkReply(t, tc.left, h.do("GET", "/api/v1/messages", tokNone, ""))
		})
	}
}

// Quay's Messages.uuid is indexed but not unique, and delete_message drops
// every row with the uuid; the direct API and a seed keep uuids unique.
func TestDirectMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withMessages)
	if err := h.s.AddMessage(SeedMessage{Content: "generated", Severity: "info", MediaType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	errs := map[string]string{}
	for name, m := range map[string]SeedMessage{
		"duplicate uuid": {UUID: "3f8a3c4e-1111-4a5b-9c6d-000000000001", Content: "x", Severity: "info", MediaType: "text/plain"},
		"bad severity":   {Content: "x", Severity: "critical", MediaType: "text/plain"},
	} {
		if err := h.s.AddMessage(m); err != nil {
			errs[name] = err.Error()
		}
	}
	wantErrs := map[string]string{
		"duplicate uuid": `fakequay: AddMessage: uuid "3f8a3c4e-1111-4a5b-9c6d-000000000001" is already used by another message`,
		"bad severity":   `fakequay: AddMessage: severity "critical" is not one of ["info" "warning" "error"]`,
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	got := h.s.Messages()
	if len(got) != 3 || !uuidV4.MatchString(got[2].UUID) {
		t.Fatalf("Messages() = %+v, want the generated message third with a v4 uuid", got)
	}
	want := []Message{
		{UUID: "3f8a3c4e-1111-4a5b-9c6d-000000000001", Content: "Maintenance tonight", Severity: "warning", MediaType: "text/plain"},
		{UUID: "3f8a3c4e-1111-4a5b-9c6d-000000000002", Content: "**Welcome**", Severity: "info", MediaType: "text/markdown"},
		{UUID: got[2].UUID, Content: "generated", Severity: "info", MediaType: "text/plain"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}
}

// A seed's generated uuids come from their own generator, so requests
// after Reset (which rewinds the request generator) cannot repeat them.
func TestSeedMessageUUIDsSurviveReset(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.Messages = []SeedMessage{{Content: "seeded", Severity: "info", MediaType: "text/plain"}}
	})
	seeded := h.s.Messages()[0].UUID
	for range 2 {
		h.s.Reset()
		checkReply(t, replyEmptyHTML201, h.do("POST", "/api/v1/messages", tokAdmin, newMessageBody))
		msgs := h.s.Messages()
		if len(msgs) != 2 || msgs[1].UUID == seeded || !uuidV4.MatchString(seeded) {
			t.Fatalf("after Reset and a create: %+v (seeded uuid %s)", msgs, seeded)
		}
	}
}
