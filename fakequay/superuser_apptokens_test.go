package fakequay

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The app tokens every listAllAppTokens test starts from (fixture time is
// Sat, 28 Nov 2026 12:00:00): one expiring in a day, one that never
// expires, one already expired and one expiring in a week.
func withAppTokens(s *Seed) {
	at := func(d time.Duration) *time.Time { t := fixtureTime.Add(d); return &t }
	s.AppTokens = []SeedAppToken{
		{UUID: "a1000000-0000-4000-8000-000000000001", Title: "ci", User: "alice",
			Created: fixtureTime.Add(-48 * time.Hour), Expiration: at(24 * time.Hour), LastAccessed: at(-time.Hour)},
		{UUID: "a1000000-0000-4000-8000-000000000002", Title: "laptop", User: "admin",
			Created: fixtureTime.Add(-72 * time.Hour)},
		{UUID: "a1000000-0000-4000-8000-000000000003", Title: "old", User: "alice",
			Created: fixtureTime.Add(-30 * 24 * time.Hour), Expiration: at(-time.Hour)},
		{UUID: "a1000000-0000-4000-8000-000000000004", Title: "far", User: "dave",
			Created: fixtureTime.Add(-24 * time.Hour), Expiration: at(7 * 24 * time.Hour)},
	}
}

// The tokens' views (reference §3 listAllAppTokens: uuid, title,
// last_accessed, created, expiration; RFC 2822 "-0000" dates or null).
const (
	tokenCI     = `{"uuid": "a1000000-0000-4000-8000-000000000001", "title": "ci", "last_accessed": "Sat, 28 Nov 2026 11:00:00 -0000", "created": "Thu, 26 Nov 2026 12:00:00 -0000", "expiration": "Sun, 29 Nov 2026 12:00:00 -0000"}`
	tokenLaptop = `{"uuid": "a1000000-0000-4000-8000-000000000002", "title": "laptop", "last_accessed": null, "created": "Wed, 25 Nov 2026 12:00:00 -0000", "expiration": null}`
	tokenOld    = `{"uuid": "a1000000-0000-4000-8000-000000000003", "title": "old", "last_accessed": null, "created": "Thu, 29 Oct 2026 12:00:00 -0000", "expiration": "Sat, 28 Nov 2026 11:00:00 -0000"}`
	tokenFar    = `{"uuid": "a1000000-0000-4000-8000-000000000004", "title": "far", "last_accessed": null, "created": "Fri, 27 Nov 2026 12:00:00 -0000", "expiration": "Sat, 05 Dec 2026 12:00:00 -0000"}`
)

func tokensReply(onlyExpiring string, tokens ...string) reply {
	body := `{"tokens": [`
	for i, t := range tokens {
		if i > 0 {
			body += ", "
		}
		body += t
	}
	return reply{Status: 200, ContentType: "application/json", Body: body + `], "only_expiring": ` + onlyExpiring + "}\n"}
}

func TestListAllAppTokens(t *testing.T) {
	t.Parallel()
	all := tokensReply("null", tokenCI, tokenLaptop, tokenOld, tokenFar)
	fullAccess := func(c *Config) { c.FeatureSuperusersFullAccess = true }
	expiration := func(v string) func(*Config) { return func(c *Config) { c.AppSpecificTokenExpiration = &v } }
	tests := []struct {
		name   string
		config func(*Config)
		path   string
		token  string
		want   reply
	}{
		{name: "§3 GRO lists every user's tokens, whatever its token's scopes", token: tokAuditor, want: all},
		{name: "§1.2 a user in both lists is GRO and may list", token: tokBoth, want: all},
		{name: "§0 a regular superuser needs FEATURE_SUPERUSERS_FULL_ACCESS", token: tokAdmin, want: replyForbidden},
		{name: "§0 with full access a superuser lists", config: fullAccess, token: tokAdmin, want: all},
		{name: "§1.2 full access still needs super:user on the token", config: fullAccess, token: tokNoScope, want: replyForbidden},
		{name: "§3 normal user is 403", config: fullAccess, token: tokAlice, want: replyForbidden},
		{name: "§1.2 anonymous read is 401", token: tokNone, want: replyUnauthorized},
		{name: "§1.2 unknown token is anonymous", token: tokUnknown, want: replyUnauthorized},
		{name: "§1.2 disabled user's token is anonymous", token: tokDisabled, want: replyUnauthorized},
		{name: "§3 expiring: unexpired tokens within 10% of 4w (2.8 days)", path: "?expiring=true", token: tokAuditor,
			want: tokensReply("true", tokenCI)},
		{name: "§3 only_expiring echoes a false expiring", path: "?expiring=false", token: tokAuditor,
			want: tokensReply("false", tokenCI, tokenLaptop, tokenOld, tokenFar)},
		{name: "§1.7 truthy_bool: any other string is true", path: "?expiring=nope", token: tokAuditor,
			want: tokensReply("true", tokenCI)},
		{name: "§1.7 the first of repeated values wins", path: "?expiring=0&expiring=1", token: tokAuditor,
			want: tokensReply("false", tokenCI, tokenLaptop, tokenOld, tokenFar)},
		{name: "§0 APP_SPECIFIC_TOKEN_EXPIRATION 100w widens the window to 10w", config: expiration("100w"),
			path: "?expiring=1", token: tokAuditor, want: tokensReply("true", tokenCI, tokenFar)},
		{name: "§0 APP_SPECIFIC_TOKEN_EXPIRATION 10h narrows the window to 1h", config: expiration("10h"),
			path: "?expiring=1", token: tokAuditor, want: tokensReply("true")},
		{name: "§0 an empty APP_SPECIFIC_TOKEN_EXPIRATION falls back to 4w", config: expiration(""),
			path: "?expiring=1", token: tokAuditor, want: tokensReply("true", tokenCI)},
		{name: "§0 a malformed APP_SPECIFIC_TOKEN_EXPIRATION crashes the expiring listing", config: expiration("4 weeks"),
			path: "?expiring=1", token: tokAuditor, want: replyCrash},
		{name: "§0 a malformed APP_SPECIFIC_TOKEN_EXPIRATION is not read without expiring", config: expiration("4 weeks"),
			token: tokAuditor, want: all},
		{name: "§0 a window past year 9999 overflows Python's datetime", config: expiration("999999999d"),
			path: "?expiring=1", token: tokAuditor, want: replyCrash},
		{name: "§1.5 FEATURE_APP_SPECIFIC_TOKENS off leaves the route unregistered",
			config: func(c *Config) { c.FeatureAppSpecificTokens = false }, token: tokAuditor,
			want: replyRedirect("/api/v1/superuser/apptokens/")}, // the web catch-all's GET (§1.5)
		{name: "§0 FEATURE_SUPER_USERS off leaves the route unregistered",
			config: func(c *Config) { c.FeatureSuperUsers = false }, token: tokAuditor,
			want: replyRedirect("/api/v1/superuser/apptokens/")},
		{name: "§0 no verify_not_prod: answers on a quay.io hostname",
			config: func(c *Config) { c.ServerHostname = "quay.io" }, token: tokAuditor, want: all},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(s *Seed) {
				withAppTokens(s)
				if tc.config != nil {
					tc.config(s.Config)
				}
			})
			checkReply(t, tc.want, h.do("GET", "/api/v1/superuser/apptokens"+tc.path, tc.token, ""))
		})
	}
}

// §3: the expiring window moves with the fake clock: a token leaves it when
// it expires and enters it once its expiration is within the window
// (inclusive), never before.
func TestListAllAppTokensExpiringFollowsTheClock(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAppTokens)
	window := 67*time.Hour + 12*time.Minute // ceil(10% of 4w) = 241920 s
	steps := []struct {
		name    string
		advance time.Duration // from the fixture time
		want    reply
	}{
		{"§3 at the start only ci is inside", 0, tokensReply("true", tokenCI)},
		{"§3 a token expiring exactly now is expired", 24 * time.Hour, tokensReply("true")},
		{"§3 one second short of far's window", 7*24*time.Hour - window - time.Second, tokensReply("true")},
		{"§3 far's expiration on the window's edge is inside", 7*24*time.Hour - window, tokensReply("true", tokenFar)},
		{"§3 far after it expired", 7*24*time.Hour + time.Microsecond, tokensReply("true")},
	}
	for _, st := range steps {
		h.s.SetTime(fixtureTime.Add(st.advance))
		t.Run(st.name, func(t *testing.T) {
			checkReply(t, st.want, h.do("GET", "/api/v1/superuser/apptokens?expiring=true", tokAuditor, ""))
		})
	}
}

// §2.3 with §3: a deleted user's tokens stay listed until the namespace GC
// purges the user, which Advance runs.
func TestListAllAppTokensAfterUserDeletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAppTokens)
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, ""))
	checkReply(t, tokensReply("null", tokenCI, tokenLaptop, tokenOld, tokenFar),
		h.do("GET", "/api/v1/superuser/apptokens", tokAuditor, ""))
	h.s.Advance(time.Minute)
	checkReply(t, tokensReply("null", tokenLaptop, tokenFar), h.do("GET", "/api/v1/superuser/apptokens", tokAuditor, ""))
}

func TestQuayTimedelta(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   int64
		wantOK bool
	}{
		{"4w", 2419200, true},
		{"10d", 864000, true},
		{"36h", 129600, true},
		{"90m", 5400, true},
		{"45s", 45, true},
		{"1y", 31536000, true},
		{" 2 d", 172800, true}, // int(" 2 ") is 2
		{"2d ", 0, false},      // the unit is the last character
		{" 2d", 172800, true},
		{"+3h", 10800, true},
		{"-1d", -86400, true},
		{"1_0s", 10, true},
		{"٣d", 259200, true}, // Python's int() takes Unicode digits
		{"d", 0, false},
		{"", 0, false},
		{"5", 0, false},
		{"5x", 0, false},
		{"5.5h", 0, false},
		{"999999999d", 999999999 * 86400, true},
		{"1000000000d", 0, false},
		{"142857142w", 142857142 * 604800, true},
		{"142857143w", 0, false},
		{"-999999999d", -999999999 * 86400, true},
		{"-86399999913601s", 0, false},
		{"99999999999999999999999s", 0, false},
	}
	for _, tc := range tests {
		got, ok := quayTimedelta(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("quayTimedelta(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

// §3: the window is ceil(10% of the lifetime) seconds, at least one.
func TestAppTokensExpiringBy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		setting *string
		want    time.Duration
	}{
		{nil, 241920 * time.Second},
		{ptr("1d"), 8640 * time.Second},
		{ptr("5s"), time.Second},  // ceil(0.5)
		{ptr("0s"), time.Second},  // ceil(0) is 0, so Quay takes 1
		{ptr("-5s"), time.Second}, // ceil(-0.5) is 0 too
		{ptr("-5d"), -43200 * time.Second},
	}
	for _, tc := range tests {
		s := &Server{cfg: DefaultConfig()}
		s.cfg.AppSpecificTokenExpiration = tc.setting
		got, err := s.appTokensExpiringBy(fixtureTime)
		if err != nil || !got.Equal(fixtureTime.Add(tc.want)) {
			t.Errorf("setting %v: got %v, %v; want now%+v", tc.setting, got, err, tc.want)
		}
	}
}

func TestAppTokenSeedSection(t *testing.T) {
	t.Parallel()
	doc := `{"config": {"SUPER_USERS": ["admin"], "GLOBAL_READONLY_SUPER_USERS": ["auditor"]},
	  "now": "2026-11-28T12:00:00Z",
	  "users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "t"}]},
	            {"username": "auditor", "email": "auditor@example.com", "tokens": [{"token": "a"}]}],
	  "app_tokens": [{"uuid": "a1000000-0000-4000-8000-000000000002", "title": "laptop", "user": "admin", "created": "2026-11-25T12:00:00Z"},
	                 {"title": "ci", "user": "auditor", "created": "2026-11-26T12:00:00Z",
	                  "expiration": "2026-11-29T12:00:00Z", "last_accessed": null}]}`
	seed, err := ParseSeed([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddAppToken(SeedAppToken{Title: "direct", User: "admin", Created: fixtureTime}); err != nil {
		t.Fatal(err)
	}
	got := s.AppTokens()
	if len(got) != 3 || !uuidV4.MatchString(got[1].UUID) || !uuidV4.MatchString(got[2].UUID) || got[1].UUID == got[2].UUID {
		t.Fatalf("AppTokens() = %+v, want generated v4 uuids for the 2nd and 3rd", got)
	}
	want := []AppToken{
		{UUID: "a1000000-0000-4000-8000-000000000002", Title: "laptop", User: "admin", Created: fixtureTime.Add(-72 * time.Hour)},
		{UUID: got[1].UUID, Title: "ci", User: "auditor", Created: fixtureTime.Add(-48 * time.Hour), Expiration: fixtureTime.Add(24 * time.Hour)},
		{UUID: got[2].UUID, Title: "direct", User: "admin", Created: fixtureTime},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AppTokens (-want +got):\n%s", diff)
	}

	parseErrs := []struct{ doc, want string }{
		{`{"app_tokens": [{"user": "admin", "created": "2026-11-25T12:00:00Z"}]}`, "app_tokens[0].title: missing required field"},
		{`{"app_tokens": [{"title": "x", "user": "admin"}]}`, "app_tokens[0].created: missing required field"},
		{`{"app_tokens": [{"title": "x", "user": "admin", "created": "2026-11-25T12:00:00Z", "secret": "s"}]}`, "app_tokens[0].secret: unknown field"},
	}
	for _, tc := range parseErrs {
		if _, err := ParseSeed([]byte(tc.doc)); err == nil || err.Error() != tc.want {
			t.Errorf("ParseSeed(%s) error = %v, want %q", tc.doc, err, tc.want)
		}
	}
	loadErrs := []struct {
		tokens []SeedAppToken
		want   string
	}{
		{[]SeedAppToken{{Title: "x", User: "ghost", Created: fixtureTime}}, `app_tokens[0].user: "ghost" is not a seeded user`},
		{[]SeedAppToken{{Title: "x", User: "acme", Created: fixtureTime}}, `app_tokens[0].user: "acme" is not a seeded user`},
		{[]SeedAppToken{{UUID: "u", Title: "x", User: "alice", Created: fixtureTime}, {UUID: "u", Title: "y", User: "alice", Created: fixtureTime}},
			`app_tokens[1]: uuid "u" is already used by another app token`},
	}
	for _, tc := range loadErrs {
		seed := fixtureSeed()
		seed.AppTokens = tc.tokens
		if _, err := New(WithSeed(seed)); err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("New error = %v, want suffix %q", err, tc.want)
		}
	}
	if err := s.AddAppToken(SeedAppToken{Title: "x", User: "ghost", Created: fixtureTime}); err == nil ||
		err.Error() != `fakequay: AddAppToken.user: "ghost" is not a seeded user` {
		t.Errorf("AddAppToken(ghost) error = %v", err)
	}
}
