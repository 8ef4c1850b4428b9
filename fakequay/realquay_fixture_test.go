package fakequay

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
	"github.com/quaykit/go-quay/internal/testutil"
)

// Replaying recordings of real Quay (testdata/realquay): the fixture below
// mirrors the parts of Quay's initdb state the recorded steps touch, with
// the same names, e-mails (so the same avatars), team descriptions, quota
// ids and permission order, and a token for each recorded caller named
// after it.

// quayFixtureSeed is initdb's state as far as the recordings see it.
func quayFixtureSeed() Seed {
	cfg := DefaultConfig()
	cfg.SuperUsers = []string{"devtable"}
	cfg.GlobalReadonlySuperUsers = []string{"globalreadonlysuperuser"}
	cfg.FeatureSuperusersFullAccess = true // Quay's test config, which realquay runs
	tok := func(secret string, scopes ...string) SeedToken { return SeedToken{Token: secret, Scopes: scopes} }
	user := func(name, email string, tokens ...SeedToken) SeedUser {
		return SeedUser{Username: name, Email: email, Tokens: tokens}
	}
	used := int64(184)
	robot := func(name, token string, created time.Time) SeedRobot {
		return SeedRobot{Name: name, Token: token, Created: created}
	}
	return Seed{
		Config: &cfg,
		Now:    fixtureTime,
		Users: []SeedUser{
			user("devtable", "jschorr@devtable.com", tok("QUAY_TOKEN"), tok("QUAY_NOSCOPE_TOKEN", "repo:read", "user:read")),
			user("public", "jacob.moshenko@gmail.com"),
			user("freshuser", "jschorr+test@devtable.com", tok("QUAY_USER_TOKEN")),
			user("randomuser", "no4@thanks.com", tok("TOK_RANDOM")),
			user("reader", "no1@thanks.com", tok("TOK_READER")),
			user("creator", "noc@thanks.com", tok("TOK_CREATOR")),
			user("member", "nod@thanks.com", tok("TOK_MEMBER")),
			user("outsideorg", "no2@thanks.com", tok("TOK_OUTSIDE")),
			user("globalreadonlysuperuser", "globalreadonlysuperuser+test@devtable.com", tok("QUAY_READONLY_TOKEN")),
			user("normaluser", "normaluser+test@devtable.com", tok("TOK_NORMAL"), tok("TOK_NORMAL_RO", "repo:read", "user:read"),
				tok("TOK_NORMAL_ORG", "org:admin"), tok("TOK_NORMAL_UA", "user:admin")),
		},
		Organizations: []SeedOrganization{
			{Name: "buynlarge", Email: "quay@devtable.com", Teams: []SeedTeam{
				{Name: "owners", Role: "admin", Description: "Owners have unfetterd access across the entire org.",
					Members: []string{"devtable", "buynlarge+ownerbot"}},
				{Name: "creators", Role: "creator", Description: "Creators of orgrepo.", Members: []string{"creator", "buynlarge+creatorbot"}},
				{Name: "readers", Role: "member", Description: "Readers of orgrepo.", Members: []string{"public", "reader"},
					Invites: []SeedTeamInvite{{User: "outsideorg", Inviter: "devtable"}}},
				{Name: "synced", Role: "member", Description: "Some synced team."},
			}},
			{Name: "orgwithnosuperuser", Email: "orgwithnosuperuser@devtable.com", Teams: []SeedTeam{
				{Name: "owners", Role: "admin", Members: []string{"normaluser"}},
				{Name: "readers", Role: "member", Description: "Readers of neworg.", Members: []string{"randomuser"}},
			}},
		},
		// The robots' tokens and creation times are initdb's, as the
		// pristine database holds them.
		Robots: []SeedRobot{
			robot("devtable+dtrobot", "WL36RTVN0TSFO5N92RABHZHDO2S2QP7W5VRTHSR2P75BP5TBOD1111PMBRMVMW8L", initdbUsers),
			robot("devtable+dtrobot2", "R4J0ZR4RZP5BT50XSNSQEUT3NEVACEEOJ4IUWFCG6WQA93Z13DLH7RDDTL7OADLE", initdbUsers),
			robot("freshuser+anotherrobot", "L33CLH3DCE879U65NHVELQU1AA297581XVS8MUWYKGNO6NNMBQURIGM5NRCYO8Y9", initdbUsers),
			robot("buynlarge+coolrobot", "82HRAEL8W3MPHH1SFLDBVH95CW8B56K0MHADVNSE27LQIH2D21J2Y1IN8I2F6KHN", initdbOrgs),
			robot("buynlarge+neworgrobot", "T303HJVF6CXQVF1NE8KO7814TKM87OTFAOZCUVQ77RTGENI6KQBK241DO8UM5ALV", initdbOrgs),
			robot("buynlarge+ownerbot", "N5M37A5W9DQSAM3L3ICG7JR8DJPHH2KGGLE5EDB3VC0HF9EN335G39QOJH47OK3V", initdbOrgs),
			robot("buynlarge+creatorbot", "9I1PHP99RZ3IQ10NFPZV42AHG3BBW2ZGP4KW37J1NLDXQ9ZSFIIDJMH2TQYMDRLI", initdbOrgs),
		},
		// initdb's mirror of devtable/mirrored pulls with dtrobot.
		RepoMirror: &SeedRepoMirroring{Repositories: []SeedRepoMirror{
			{Namespace: "devtable", Repository: "mirrored", InternalRobot: "devtable+dtrobot"}}},
		Repositories: []SeedRepository{
			{Namespace: "devtable", Name: "sharedtags", Permissions: &SeedRepoPermissions{
				Users: map[string]string{"public": "read"}, Robots: map[string]string{"devtable+dtrobot": "read"}}},
			{Namespace: "devtable", Name: "complex", Permissions: &SeedRepoPermissions{
				Users: map[string]string{"public": "read"}, Robots: map[string]string{"devtable+dtrobot": "read"}}},
			{Namespace: "devtable", Name: "mirrored", State: "MIRROR", Permissions: &SeedRepoPermissions{
				Robots: map[string]string{"devtable+dtrobot": "write", "devtable+dtrobot2": "write"}}},
			{Namespace: "buynlarge", Name: "orgrepo", Permissions: &SeedRepoPermissions{
				Teams: map[string]string{"readers": "read"}, Users: map[string]string{"outsideorg": "read"}}},
			{Namespace: "buynlarge", Name: "anotherorgrepo"},
		},
		Prototypes: []SeedPrototype{
			{Organization: "buynlarge", ActivatingUser: "devtable", Delegate: SeedDelegate{Kind: "user", Name: "public"}, Role: "read"},
			{Organization: "buynlarge", ActivatingUser: "devtable", Delegate: SeedDelegate{Kind: "team", Name: "readers"}, Role: "read"},
			{Organization: "buynlarge", ActivatingUser: "public", Delegate: SeedDelegate{Kind: "user", Name: "devtable"}, Role: "write"},
		},
		// Quota ids follow initdb's order: buynlarge 1, randomuser 2,
		// orgwithnosuperuser 3.
		Quotas: []SeedQuota{
			{Namespace: "buynlarge", LimitBytes: 3000, Limits: []SeedQuotaLimit{{Type: "Warning", LimitPercent: 50}}, UsedBytes: &used},
			{Namespace: "randomuser", LimitBytes: 6000, Limits: []SeedQuotaLimit{{Type: "Reject", LimitPercent: 90}}},
			{Namespace: "orgwithnosuperuser", LimitBytes: 3000, Limits: []SeedQuotaLimit{{Type: "Warning", LimitPercent: 50}}},
		},
	}
}

// When initdb made the robots of the pristine database: the users' and
// the organizations' (listings show them to the second).
var (
	initdbUsers = time.Date(2026, 12, 7, 17, 7, 40, 0, time.UTC)
	initdbOrgs  = time.Date(2026, 12, 7, 17, 7, 44, 0, time.UTC)
)

// recording is a file of testdata/realquay.
type recording struct {
	Steps []recordedStep `json:"steps"`
	Logs  []recordedLog  `json:"logs"`
}

type recordedStep struct {
	Name        string  `json:"name"`
	Method      string  `json:"method"`
	Path        string  `json:"path"`
	Token       string  `json:"token"`
	RequestBody *string `json:"request_body"`
	// RequestContentType is the body's Content-Type when not
	// application/json.
	RequestContentType string `json:"request_content_type"`
	Status             int    `json:"status"`
	ContentType        string `json:"content_type"`
	Body               string `json:"body"`
}

type recordedLog struct {
	Kind      string          `json:"kind"`
	Namespace *string         `json:"namespace"`
	Performer *string         `json:"performer"`
	Metadata  json.RawMessage `json:"metadata"`
}

// deviation is where fakequay's answer to a recorded step differs from the
// recording for a reason the test names: the pairs (a regular expression,
// its replacement) rewrite the recorded reply, and also fakequay's when
// random is set (a value drawn at random on both sides).
type deviation struct {
	why    string
	pairs  []string
	random bool
}

// notBilled: initdb gives buynlarge a Stripe customer id; fakequay has no
// billing, so every organization is a free account.
var notBilled = deviation{why: "fakequay has no billing (initdb sets buynlarge's stripe_id)",
	pairs: []string{`"is_free_account": false`, `"is_free_account": true`}}

// Robots get a random e-mail at creation (a uuid4 in Quay, the seeded
// generator in fakequay), which their avatar hashes; so does an
// organization whose address is cleared.
var (
	robotAvatarRE = regexp.MustCompile(`"hash": "[0-9a-f]{64}", "color": "#[0-9a-f]{6}", "kind": "robot"`)
	recordedHost  = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	uuidRE        = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)
)

func normalizeRecorded(body string) string {
	return robotAvatarRE.ReplaceAllString(body, `"hash": "<random>", "color": "<random>", "kind": "robot"`)
}

// replayRecording runs every step of the recording on a fresh fixture, in
// order, and compares each whole reply and then the audit logs the steps
// wrote. sources names the Quay code each step follows; every step needs
// one.
func replayRecording(t *testing.T, file string, sources map[string]string, deviations map[string]deviation) {
	t.Helper()
	replayWith(t, file, replay{sources: sources, deviations: deviations})
}

// replay is how replayWith runs a recording.
type replay struct {
	sources    map[string]string
	deviations map[string]deviation
	// setup applies steps of areas fakequay does not serve (yet) through
	// the direct API instead, leaving their replies uncompared; the
	// recording's logs of the kinds setupLogs names are theirs and are
	// left out of the comparison.
	setup     map[string]func(*harness)
	setupLogs []string
	// normalize, when set, rewrites both sides of every reply: values
	// drawn at random on each side (tokens, creation times).
	normalize func(string) string
	// postgres gives fakequay's reply to steps whose answer the database
	// decides, where Quay on Postgres answers otherwise than realquay's
	// SQLite (README: what Postgres decides).
	postgres map[string]reply
}

// replayWith is replayRecording with setup steps and a normalisation.
func replayWith(t *testing.T, file string, rp replay) {
	t.Helper()
	rec := testutil.JSONFile[recording]("testdata/realquay/" + file)(t)
	h := newHarness(t, func(s *Seed) { *s = quayFixtureSeed() })
	codes := map[string]string{} // the first invite code each caller received
	codeRE := regexp.MustCompile(`\{code:(\w+)\}`)
	sources, deviations := rp.sources, rp.deviations
	for _, st := range rec.Steps {
		source, ok := sources[st.Name]
		if !ok {
			t.Errorf("step %s names no Quay source", st.Name)
		}
		if apply, ok := rp.setup[st.Name]; ok {
			apply(h)
			continue
		}
		path := codeRE.ReplaceAllStringFunc(st.Path, func(m string) string {
			tok := codeRE.FindStringSubmatch(m)[1]
			if _, ok := codes[tok]; !ok {
				codes[tok] = h.firstInviteCode(tok)
			}
			return codes[tok]
		})
		body := ""
		if st.RequestBody != nil {
			body = *st.RequestBody
		}
		want := reply{Status: st.Status, ContentType: st.ContentType, Body: recordedHost.ReplaceAllString(st.Body, "http://"+testHost)}
		if st.Status == 500 {
			// realquay runs in TESTING mode, where Flask shows Werkzeug's
			// page; a production Quay answers through gunicorn.
			want = replyCrash
		}
		if pg, ok := rp.postgres[st.Name]; ok {
			want = pg
		}
		var header []string
		if st.RequestContentType != "" {
			header = []string{"Content-Type", st.RequestContentType}
		}
		got := h.do(st.Method, path, strings.TrimPrefix(st.Token, "RAW:"), body, header...)
		if rp.normalize != nil {
			want.Body, got.Body = rp.normalize(want.Body), rp.normalize(got.Body)
		}
		if d, ok := deviations[st.Name]; ok {
			want.Body = normalize(want.Body, d.pairs...)
			if d.random {
				got.Body = normalize(got.Body, d.pairs...)
			}
		}
		want.Body, got.Body = normalizeRecorded(want.Body), normalizeRecorded(got.Body)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("step %s (%s %s as %s; %s) (-real Quay +fakequay):\n%s", st.Name, st.Method, st.Path, st.Token, source, diff)
		}
	}
	logs := rec.Logs[:0:0]
	for _, l := range rec.Logs {
		if !slices.Contains(rp.setupLogs, l.Kind) {
			logs = append(logs, l)
		}
	}
	h.compareLogs(logs)
}

// firstInviteCode is the code of the oldest pending invite addressed to the
// user of token.
func (h *harness) firstInviteCode(token string) string {
	h.t.Helper()
	rd := h.s.store.Read()
	tok, ok := rd.Token(token)
	if !ok {
		h.t.Fatalf("no token %s", token)
	}
	var code string
	var id int64
	rd.AllNamespaces(func(n *store.Namespace) bool {
		for _, t := range rd.Teams(n.ID) {
			for _, inv := range rd.TeamInvites(t.ID) {
				if inv.UserID == tok.UserID && (code == "" || inv.ID < id) {
					code, id = inv.Token, inv.ID
				}
			}
		}
		return true
	})
	if code == "" {
		h.t.Fatalf("no invite for the user of %s", token)
	}
	return code
}

// compareLogs checks the audit logs the fake wrote since the fixture
// against the recording: kind, account (a deleted namespace's tombstone
// name as "<deleted>"), performer and metadata (in Quay's key order,
// without the oauth_token_* keys).
func (h *harness) compareLogs(want []recordedLog) {
	h.t.Helper()
	type row struct{ Kind, Namespace, Performer, Metadata string }
	name := func(s string) string { return uuidRE.ReplaceAllString(s, "<deleted>") }
	var wantRows, gotRows []row
	for _, l := range want {
		var buf bytes.Buffer
		if err := json.Compact(&buf, l.Metadata); err != nil {
			h.t.Fatal(err)
		}
		wantRows = append(wantRows, row{l.Kind, name(deref(l.Namespace, "")), deref(l.Performer, ""), buf.String()})
	}
	for _, l := range h.logs() {
		v, err := py.Decode([]byte(l.Metadata))
		if err != nil {
			h.t.Fatal(err)
		}
		obj := v.(*py.Object)
		for _, k := range obj.Keys() {
			if strings.HasPrefix(k, "oauth_token") {
				obj.Delete(k)
			}
		}
		meta, err := py.Dumps(obj)
		if err != nil {
			h.t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, meta); err != nil {
			h.t.Fatal(err)
		}
		gotRows = append(gotRows, row{l.Kind, name(l.Account), l.Performer, buf.String()})
	}
	if diff := cmp.Diff(wantRows, gotRows); diff != "" {
		h.t.Errorf("audit logs (-real Quay +fakequay):\n%s", diff)
	}
}
