package fakequay

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Quota fixtures: acme (id 6) has quota 1 of 10 GiB with limits 1 and 2 and
// consumes 5 MiB; no other namespace has a quota.
func withAcmeQuota(s *Seed) {
	used := int64(5 << 20)
	s.Quotas = []SeedQuota{{Namespace: "acme", LimitBytes: 10 << 30, UsedBytes: &used, Limits: []SeedQuotaLimit{
		{Type: "Warning", LimitPercent: 80}, {Type: "Reject", LimitPercent: 100}}}}
}

// acmeQuotaJSON is acme's full quota view, as in the §2.14 list example.
const acmeQuotaJSON = `{"id": 1, "limit_bytes": 10737418240, "limit": "10.0 GiB", "default_config": false, ` +
	`"limits": [{"id": 1, "type": "Warning", "limit_percent": 80}, {"id": 2, "type": "Reject", "limit_percent": 100}], ` +
	`"default_config_exists": false}`

var (
	replyCreated         = jsonReply(201, `"Created"`)
	replyInvalidLimit    = apiErrorReply(400, "invalid_request", "Invalid limit format")
	replyUnsupportedSize = apiErrorReply(400, "invalid_request", "Unsupported quota size limit.")
)

func invalidSizeReply(shown string) reply {
	return apiErrorReply(400, "invalid_request", "Invalid quota size limit value: '"+shown+"'")
}

// quotaFamilies runs fn once per URL family (§2.14: both accept users and
// organizations and behave byte for byte the same).
func quotaFamilies(t *testing.T, fn func(t *testing.T, prefix string)) {
	for _, f := range quotaPathFamilies {
		t.Run(f.noun, func(t *testing.T) {
			t.Parallel()
			fn(t, f.prefix)
		})
	}
}

// quotaCase is one request against a fresh fixture, with the reply
// expected and, when after is set, the list view of afterNS afterwards
// (which proves what a write did or did not change).
type quotaCase struct {
	name    string
	method  string
	path    string // after the family prefix
	token   string
	body    string
	want    reply
	afterNS string
	after   string
}

func runQuotaCases(t *testing.T, tests []quotaCase, edit func(*Seed), opts ...Option) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			quotaFamilies(t, func(t *testing.T, prefix string) {
				h := newHarness(t, func(s *Seed) {
					withAcmeQuota(s)
					if edit != nil {
						edit(s)
					}
				}, opts...)
				want := tc.want // "<prefix>" stands for the family's prefix
				want.Body = strings.ReplaceAll(want.Body, "<prefix>", prefix)
				checkReply(t, want, h.do(tc.method, prefix+tc.path, tc.token, tc.body))
				if tc.afterNS != "" {
					checkReply(t, jsonReply(200, tc.after), h.do("GET", prefix+tc.afterNS+"/quota", tokAdmin, ""))
				}
			})
		})
	}
}

func TestListQuotas(t *testing.T) {
	t.Parallel()
	get := func(name, path, token string, want reply) quotaCase {
		return quotaCase{name: name, method: "GET", path: path, token: token, want: want}
	}
	runQuotaCases(t, []quotaCase{
		get("§2.14 an organization's one quota", "acme/quota", tokAdmin, jsonReply(200, "["+acmeQuotaJSON+"]")),
		get("§2.14 no quota is an empty array", "alice/quota", tokAdmin, jsonReply(200, "[]")),
		get("§2.14 a disabled user is still found", "dave/quota", tokAdmin, jsonReply(200, "[]")),
		get("§2.14 unknown namespace is 404", "nobody/quota", tokAdmin, replyNotFound),
		get("§1.2 GRO reads whatever its token's scopes", "acme/quota", tokAuditor, jsonReply(200, "["+acmeQuotaJSON+"]")),
		get("§1.2 in both lists: GRO, still reads", "acme/quota", tokBoth, jsonReply(200, "["+acmeQuotaJSON+"]")),
		get("§2.14 anonymous is 401", "acme/quota", tokNone, replyUnauthorized),
		get("§1.2 unknown token is anonymous", "acme/quota", tokUnknown, replyUnauthorized),
		get("§1.2 disabled user's token is anonymous", "acme/quota", tokDisabled, replyUnauthorized),
		get("§2.14 normal user is 403", "acme/quota", tokAlice, replyForbidden),
		get("§1.2 superuser token without super:user is 403", "acme/quota", tokNoScope, replyForbidden),
		get("§1.2 permission before the namespace lookup", "nobody/quota", tokAlice, replyForbidden),
		get("§1.5 a trailing slash misses the API", "acme/quota/", tokAdmin, replyWebPage),
		{name: "§1.5 wrong method is 405 JSON", method: "PATCH", path: "acme/quota", token: tokAdmin,
			want: jsonReply(405, `{"message": "The method is not allowed for the requested URL."}`)},
	}, nil)
}

// §0 DEFAULT_SYSTEM_REJECT_QUOTA_BYTES sets default_config_exists, but the
// superuser list never shows the default in place of a missing quota.
func TestListQuotasSystemDefault(t *testing.T) {
	t.Parallel()
	withDefault := func(s *Seed) { s.Config.DefaultSystemRejectQuotaBytes = 1 << 30 }
	runQuotaCases(t, []quotaCase{
		{name: "§1.9 default_config_exists", method: "GET", path: "acme/quota", token: tokAdmin,
			want: jsonReply(200, "["+strings.Replace(acmeQuotaJSON, `"default_config_exists": false`, `"default_config_exists": true`, 1)+"]")},
		{name: "§2.14 no substitution of the default", method: "GET", path: "alice/quota", token: tokAdmin, want: jsonReply(200, "[]")},
	}, withDefault)
}

// quotaOfAlice is the list view of a quota POSTed for alice (id 2, the next
// after acme's).
func quotaOfAlice(limitBytes, limit string) string {
	return `[{"id": 2, "limit_bytes": ` + limitBytes + `, "limit": "` + limit +
		`", "default_config": false, "limits": [], "default_config_exists": false}]`
}

func TestCreateQuota(t *testing.T) {
	t.Parallel()
	post := func(name, ns, token, body string, want reply, after string) quotaCase {
		tc := quotaCase{name: name, method: "POST", path: ns + "/quota", token: token, body: body, want: want, after: after}
		if ns != "nobody" {
			tc.afterNS = ns
		}
		return tc
	}
	none := "[]"
	acme := "[" + acmeQuotaJSON + "]"
	runQuotaCases(t, []quotaCase{
		post("§2.14 limit_bytes", "alice", tokAdmin, `{"limit_bytes": 5000}`, replyCreated, quotaOfAlice("5000", "4.9 KiB")),
		post("§2.14 both families create for orgs too", "buynlarge", tokAdmin, `{"limit_bytes": 500}`, replyCreated,
			`[{"id": 2, "limit_bytes": 500, "limit": "500.0 Byte", "default_config": false, "limits": [], "default_config_exists": false}]`),
		post("§1.10 single letters are SI: 5G", "alice", tokAdmin, `{"limit": "5G"}`, replyCreated, quotaOfAlice("5000000000", "4.7 GiB")),
		post("§1.10 xB is SI: 5 K", "alice", tokAdmin, `{"limit": "5 K"}`, replyCreated, quotaOfAlice("5000", "4.9 KiB")),
		post("§1.10 Mi is binary", "alice", tokAdmin, `{"limit": "200 Mi"}`, replyCreated, quotaOfAlice("209715200", "200.0 MiB")),
		post("§1.10 TiB is binary", "alice", tokAdmin, `{"limit": "1TiB"}`, replyCreated, quotaOfAlice("1099511627776", "1.0 TiB")),
		post("§1.10 a bare number is bytes", "alice", tokAdmin, `{"limit": "100"}`, replyCreated, quotaOfAlice("100", "100.0 Byte")),
		post("§2.14 the bigint maximum fits", "alice", tokAdmin, `{"limit_bytes": 9223372036854775807}`, replyCreated,
			quotaOfAlice("9223372036854775807", "8.0 EiB")),
		post("§1.6 Draft 7 takes 5.0 as an integer", "alice", tokAdmin, `{"limit_bytes": 5.0}`, replyCreated, quotaOfAlice("5", "5.0 Byte")),
		post("§1.10 B fails bitmath", "alice", tokAdmin, `{"limit": "512B"}`, replyInvalidLimit, none),
		post("§1.10 1 B fails bitmath", "alice", tokAdmin, `{"limit": "1 B"}`, replyInvalidLimit, none),
		post("§1.10 Yi fails bitmath", "alice", tokAdmin, `{"limit": "1Yi"}`, replyInvalidLimit, none),
		post("§1.10 YiB fails bitmath", "alice", tokAdmin, `{"limit": "2 YiB"}`, replyInvalidLimit, none),
		post("§2.14 one quota per namespace", "acme", tokAdmin, `{"limit_bytes": 1}`,
			apiErrorReply(400, "invalid_request", "Quota for 'acme' already exists"), acme),
		post("§2.14 existence is checked before the value", "acme", tokAdmin, `{"limit_bytes": 0}`,
			apiErrorReply(400, "invalid_request", "Quota for 'acme' already exists"), acme),
		post("§2.14 zero", "alice", tokAdmin, `{"limit_bytes": 0}`, invalidSizeReply("0"), none),
		post("§2.14 negative", "alice", tokAdmin, `{"limit_bytes": -5}`, invalidSizeReply("-5"), none),
		post("§2.14 zero from limit is a float", "alice", tokAdmin, `{"limit": "0"}`, invalidSizeReply("0.0"), none),
		post("§2.14 0G from limit", "alice", tokAdmin, `{"limit": "0G"}`, invalidSizeReply("0.0"), none),
		post("§1.6 a negative float", "alice", tokAdmin, `{"limit_bytes": -5.0}`, invalidSizeReply("-5.0"), none),
		// Postgres' DataError, which the model turns into
		// UnsupportedQuotaSize. Real Quay on SQLite (realquay) cannot judge
		// these: sqlite3 raises OverflowError, which nothing catches (500).
		post("§2.14 beyond bigint", "alice", tokAdmin, `{"limit_bytes": 9223372036854775808}`, replyUnsupportedSize, none),
		post("§2.14 10^19 is beyond bigint", "alice", tokAdmin, `{"limit_bytes": 10000000000000000000}`, replyUnsupportedSize, none),
		post("§2.14 beyond bigint from limit: 10E", "alice", tokAdmin, `{"limit": "10E"}`, replyUnsupportedSize, none),
		post("§2.14 3 YB is a float beyond bigint", "alice", tokAdmin, `{"limit": "3 YB"}`, replyUnsupportedSize, none),
		post("peewee int() of an infinite limit crashes", "alice", tokAdmin, `{"limit": "`+strings.Repeat("1", 400)+`"}`, replyCrash, none),
		post("§2.14 unknown namespace is 500", "nobody", tokAdmin, `{"limit_bytes": 5}`, replyCrash, ""),
		post("§2.14 bitmath runs before the namespace lookup", "nobody", tokAdmin, `{"limit": "512B"}`, replyInvalidLimit, ""),
		// NewNamespaceQuota's oneOf: a valid integer limit_bytes satisfies
		// the first branch without constraining "limit", which the handler
		// still prefers (superuser.py post, bitmath parse_string_unsafe).
		post("oneOf loophole: a numeric limit wins", "alice", tokAdmin, `{"limit_bytes": 5, "limit": 7}`, replyCreated, quotaOfAlice("7", "7.0 Byte")),
		post("oneOf loophole: a null limit", "alice", tokAdmin, `{"limit_bytes": 5, "limit": null}`, replyInvalidLimit, none),
		post("oneOf loophole: false is 0.0", "alice", tokAdmin, `{"limit_bytes": 5, "limit": false}`, invalidSizeReply("0.0"), none),
		post("§1.3 anonymous write is CSRF", "alice", tokNone, `{"limit_bytes": 5}`, replyCSRF, none),
		post("§1.2 unknown token write is CSRF", "alice", tokUnknown, `{"limit_bytes": 5}`, replyCSRF, none),
		post("§1.2 disabled user's write is CSRF", "alice", tokDisabled, `{"limit_bytes": 5}`, replyCSRF, none),
		post("§2.14 normal user is 403", "alice", tokAlice, `{"limit_bytes": 5}`, replyForbidden, none),
		post("§1.2 GRO cannot write", "alice", tokAuditor, `{"limit_bytes": 5}`, replyForbidden, none),
		post("§1.2 in both lists cannot write", "alice", tokBoth, `{"limit_bytes": 5}`, replyForbidden, none),
		post("§1.2 superuser token without super:user", "alice", tokNoScope, `{"limit_bytes": 5}`, replyForbidden, none),
		post("§1.1 permission before bitmath", "alice", tokAlice, `{"limit": "512B"}`, replyForbidden, none),
		post("§1.6 a body without a JSON content type", "alice", tokAdmin, "", reply{Status: 415, ContentType: "application/json",
			Body: `{"message": "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."}` + "\n"}, none),
	}, nil)
}

func TestChangeQuota(t *testing.T) {
	t.Parallel()
	put := func(name, path, token, body string, want reply, after string) quotaCase {
		return quotaCase{name: name, method: "PUT", path: path, token: token, body: body, want: want, afterNS: "acme", after: after}
	}
	acme := "[" + acmeQuotaJSON + "]"
	ok := jsonReply(200, acmeQuotaJSON)
	resized := func(limitBytes, limit string) string {
		return strings.Replace(strings.Replace(acmeQuotaJSON, "10737418240", limitBytes, 1), "10.0 GiB", limit, 1)
	}
	runQuotaCases(t, []quotaCase{
		put("§2.14 limit_bytes", "acme/quota/1", tokAdmin, `{"limit_bytes": 21474836480}`,
			jsonReply(200, resized("21474836480", "20.0 GiB")), "["+resized("21474836480", "20.0 GiB")+"]"),
		put("§2.14 limit answers a float, later reads an int", "acme/quota/1", tokAdmin, `{"limit": "5G"}`,
			jsonReply(200, resized("5000000000.0", "4.7 GiB")), "["+resized("5000000000", "4.7 GiB")+"]"),
		put("§1.10 a float past 1e16 is in exponent form, like repr", "acme/quota/1", tokAdmin, `{"limit": "3 EiB"}`,
			jsonReply(200, resized("3.458764513820541e+18", "3.0 EiB")), "["+resized("3458764513820540928", "3.0 EiB")+"]"),
		put("§1.6 Draft 7 integer 5.0 stays a float in the answer", "acme/quota/1", tokAdmin, `{"limit_bytes": 5.0}`,
			jsonReply(200, resized("5.0", "5.0 Byte")), "["+resized("5", "5.0 Byte")+"]"),
		put("§2.14 0 is a silent no-op", "acme/quota/1", tokAdmin, `{"limit_bytes": 0}`, ok, acme),
		put(`§2.14 "0" is a silent no-op`, "acme/quota/1", tokAdmin, `{"limit": "0"}`, ok, acme),
		put("§2.14 {} is a no-op", "acme/quota/1", tokAdmin, `{}`, ok, acme),
		put("§2.14 negative", "acme/quota/1", tokAdmin, `{"limit_bytes": -5}`, invalidSizeReply("-5"), acme),
		// Postgres' DataError; SQLite's OverflowError would be a 500 (see
		// TestCreateQuota).
		put("§2.14 beyond bigint", "acme/quota/1", tokAdmin, `{"limit_bytes": 100000000000000000000}`, replyUnsupportedSize, acme),
		put("§2.14 10^19 is beyond bigint", "acme/quota/1", tokAdmin, `{"limit_bytes": 10000000000000000000}`, replyUnsupportedSize, acme),
		put("§2.14 beyond bigint from limit", "acme/quota/1", tokAdmin, `{"limit": "10E"}`, replyUnsupportedSize, acme),
		put("peewee int() of an infinite limit crashes", "acme/quota/1", tokAdmin, `{"limit": "`+strings.Repeat("9", 400)+`"}`, replyCrash, acme),
		put("§1.10 B fails bitmath", "acme/quota/1", tokAdmin, `{"limit": "512B"}`, replyInvalidLimit, acme),
		put("§2.14 unknown namespace is 500", "nobody/quota/1", tokAdmin, `{"limit_bytes": 5}`, replyCrash, acme),
		put("§2.14 a quota of another namespace is 404", "alice/quota/1", tokAdmin, `{"limit_bytes": 5}`, replyNotFound, acme),
		put("§2.14 unknown quota id is 404", "acme/quota/2", tokAdmin, `{"limit_bytes": 5}`, replyNotFound, acme),
		put("§2.14 the lookups come before bitmath", "acme/quota/2", tokAdmin, `{"limit": "512B"}`, replyNotFound, acme),
		// Postgres refuses to compare an integer column with 'abc'
		// (DataError, unhandled); SQLite compares and finds nothing, so
		// realquay answers 404 and cannot judge this.
		put("§2.14 a non-numeric quota_id is a DB error", "acme/quota/abc", tokAdmin, `{"limit_bytes": 5}`, replyCrash, acme),
		put("peewee int(): a huge quota_id matches nothing", "acme/quota/99999999999999999999", tokAdmin, `{"limit_bytes": 5}`, replyNotFound, acme),
		put("peewee int(): spaces around the id", "acme/quota/%201%20", tokAdmin, `{}`, ok, acme),
		put("peewee int(): a leading zero", "acme/quota/01", tokAdmin, `{}`, ok, acme),
		put("§1.3 anonymous write is CSRF", "acme/quota/1", tokNone, `{"limit_bytes": 5}`, replyCSRF, acme),
		put("§2.14 normal user is 403", "acme/quota/1", tokAlice, `{"limit_bytes": 5}`, replyForbidden, acme),
		put("§1.2 GRO cannot write", "acme/quota/1", tokAuditor, `{"limit_bytes": 5}`, replyForbidden, acme),
		put("§1.2 superuser token without super:user", "acme/quota/1", tokNoScope, `{"limit_bytes": 5}`, replyForbidden, acme),
		put("§1.1 permission before the namespace lookup", "nobody/quota/1", tokAlice, `{"limit_bytes": 5}`, replyForbidden, acme),
	}, nil)
}

func TestDeleteQuota(t *testing.T) {
	t.Parallel()
	del := func(name, path, token string, want reply, after string) quotaCase {
		return quotaCase{name: name, method: "DELETE", path: path, token: token, want: want, afterNS: "acme", after: after}
	}
	acme := "[" + acmeQuotaJSON + "]"
	runQuotaCases(t, []quotaCase{
		del("§2.14 204 with an empty body", "acme/quota/1", tokAdmin, replyNoContent, "[]"),
		del("§2.14 unknown namespace is 500", "nobody/quota/1", tokAdmin, replyCrash, acme),
		del("§2.14 a quota of another namespace is 404", "buynlarge/quota/1", tokAdmin, replyNotFound, acme),
		del("§2.14 unknown quota id is 404", "acme/quota/7", tokAdmin, replyNotFound, acme),
		del("§2.14 a non-numeric quota_id is a DB error (Postgres; SQLite would say 404)", "acme/quota/one", tokAdmin, replyCrash, acme),
		del("§2.14 anonymous write is CSRF", "acme/quota/1", tokNone, replyCSRF, acme),
		del("§2.14 normal user is 403", "acme/quota/1", tokAlice, replyForbidden, acme),
		del("§2.14 GRO is 403", "acme/quota/1", tokAuditor, replyForbidden, acme),
		del("§1.2 superuser token without super:user", "acme/quota/1", tokNoScope, replyForbidden, acme),
		// The quota rule has no GET, but the web catch-all does: Werkzeug
		// redirects to the slashed path (checked against real Quay).
		{name: "§1.5 GET on a quota id is the web catch-all's 308", method: "GET", path: "acme/quota/1", token: tokAdmin,
			want: replyRedirect("<prefix>acme/quota/1/"), afterNS: "acme", after: acme},
		del("§1.5 a trailing slash misses the API", "acme/quota/1/", tokAdmin, replyWerkzeug405, acme),
	}, nil)
}

// §2.14: a deleted quota frees the namespace for a new one, whose id is
// new; ids are never reused.
func TestQuotaRecreate(t *testing.T) {
	t.Parallel()
	quotaFamilies(t, func(t *testing.T, prefix string) {
		h := newHarness(t, withAcmeQuota)
		checkReply(t, replyNoContent, h.do("DELETE", prefix+"acme/quota/1", tokAdmin, ""))
		checkReply(t, replyCreated, h.do("POST", prefix+"acme/quota", tokAdmin, `{"limit": "1 Gi"}`))
		checkReply(t, jsonReply(200, `[{"id": 2, "limit_bytes": 1073741824, "limit": "1.0 GiB", "default_config": false, "limits": [], "default_config_exists": false}]`),
			h.do("GET", prefix+"acme/quota", tokAdmin, ""))
		checkReply(t, replyNotFound, h.do("DELETE", prefix+"acme/quota/1", tokAdmin, ""))
	})
}

// §0, §2.14: the four routes exist only with FEATURE_QUOTA_MANAGEMENT and
// FEATURE_EDIT_QUOTA; otherwise the web catch-all answers, and user views
// carry no quota keys.
func TestQuotaRoutesGate(t *testing.T) {
	t.Parallel()
	gates := []struct {
		name string
		edit func(*Config)
	}{
		{name: "§0 FEATURE_QUOTA_MANAGEMENT off", edit: func(c *Config) { c.FeatureQuotaManagement = false }},
		{name: "§0 FEATURE_EDIT_QUOTA off", edit: func(c *Config) { c.FeatureEditQuota = false }},
	}
	for _, g := range gates {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			quotaFamilies(t, func(t *testing.T, prefix string) {
				h := newHarness(t, withAcmeQuota, WithConfig(g.edit))
				checkReply(t, replyRedirect(prefix+"acme/quota/"), h.do("GET", prefix+"acme/quota", tokAdmin, ""))
				checkReply(t, replyWerkzeug405, h.do("POST", prefix+"alice/quota", tokAdmin, `{"limit_bytes": 5}`))
				checkReply(t, replyWerkzeug405, h.do("PUT", prefix+"acme/quota/1", tokAdmin, `{"limit_bytes": 5}`))
				checkReply(t, replyWerkzeug405, h.do("DELETE", prefix+"acme/quota/1", tokAdmin, ""))
				noQuotaKeys := strings.Replace(aliceView, `, "quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null, "running_backfill": "waiting", "backfill_status": "waiting"}`, "", 1)
				checkReply(t, jsonReply(200, noQuotaKeys), h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""))
			})
		})
	}
}

// §1.9: quota writes show at once in the short quota view and quota_report
// of getInstallUser and listAllOrganizations.
func TestQuotaWritesShowInNamespaceViews(t *testing.T) {
	t.Parallel()
	aliceWith := func(quotas, configured string) string {
		return strings.Replace(aliceView, `"quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null,`,
			`"quotas": `+quotas+`, "quota_report": {"quota_bytes": 0, "configured_quota": `+configured+`,`, 1)
	}
	const (
		acmeOrg = `{"name": "acme", "email": "acme@example.com", "avatar": {"name": "acme", ` +
			`"hash": "4d422ac9aaabde4adbf99f387b90be363633fb7ce7411bea5437f95bd46f1640", "color": "#f7b6d2", "kind": "org"}, `
		buynlargeOrg = `{"name": "buynlarge", "email": "buynlarge@example.com", "avatar": {"name": "buynlarge", ` +
			`"hash": "66da75c6cfc9424388183b1baf1dba2fec09ebc1c86cd15fb14cd8855ed3833b", "color": "#d62728", "kind": "org"}, ` +
			`"quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null, "running_backfill": "waiting", "backfill_status": "waiting"}}`
	)
	orgs := func(acmeQuotas, configured string) string {
		return `{"organizations": [` + acmeOrg + `"quotas": ` + acmeQuotas + `, "quota_report": {"quota_bytes": 5242880, ` +
			`"configured_quota": ` + configured + `, "running_backfill": "complete", "backfill_status": "complete"}}, ` + buynlargeOrg + `]}`
	}
	acmeShort := func(limitBytes string) string {
		return `[{"id": 1, "limit_bytes": ` + limitBytes + `, "limits": [{"id": 1, "type": "Warning", "limit_percent": 80}, {"id": 2, "type": "Reject", "limit_percent": 100}]}]`
	}
	quotaFamilies(t, func(t *testing.T, prefix string) {
		h := newHarness(t, withAcmeQuota)
		user := func(want string) {
			t.Helper()
			checkReply(t, jsonReply(200, want), h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""))
		}
		orgList := func(want string) {
			t.Helper()
			checkReply(t, jsonReply(200, want), h.do("GET", "/api/v1/superuser/organizations/", tokAdmin, ""))
		}
		orgList(orgs(acmeShort("10737418240"), "10737418240"))

		checkReply(t, replyCreated, h.do("POST", prefix+"alice/quota", tokAdmin, `{"limit": "5G"}`))
		user(aliceWith(`[{"id": 2, "limit_bytes": 5000000000, "limits": []}]`, "5000000000"))

		checkReply(t, jsonReply(200, `{"id": 2, "limit_bytes": 1073741824.0, "limit": "1.0 GiB", "default_config": false, "limits": [], "default_config_exists": false}`),
			h.do("PUT", prefix+"alice/quota/2", tokAdmin, `{"limit": "1Gi"}`))
		user(aliceWith(`[{"id": 2, "limit_bytes": 1073741824, "limits": []}]`, "1073741824"))

		checkReply(t, replyNoContent, h.do("DELETE", prefix+"alice/quota/2", tokAdmin, ""))
		user(aliceView)

		checkReply(t, jsonReply(200, strings.Replace(acmeQuotaJSON, "10737418240, \"limit\": \"10.0 GiB\"", "2048, \"limit\": \"2.0 KiB\"", 1)),
			h.do("PUT", prefix+"acme/quota/1", tokAdmin, `{"limit_bytes": 2048}`))
		orgList(orgs(acmeShort("2048"), "2048"))

		checkReply(t, replyNoContent, h.do("DELETE", prefix+"acme/quota/1", tokAdmin, ""))
		orgList(orgs("[]", "null"))
	})
}

// §1.9: without a quota, quota_report's configured_quota falls back to
// DEFAULT_SYSTEM_REJECT_QUOTA_BYTES, so deleting the quota shows it.
func TestQuotaDeleteShowsSystemDefault(t *testing.T) {
	t.Parallel()
	quotaFamilies(t, func(t *testing.T, prefix string) {
		h := newHarness(t, func(s *Seed) { s.Config.DefaultSystemRejectQuotaBytes = 1 << 30 })
		checkReply(t, replyCreated, h.do("POST", prefix+"alice/quota", tokAdmin, `{"limit_bytes": 77}`))
		withQuota := strings.Replace(aliceView, `"quotas": [], "quota_report": {"quota_bytes": 0, "configured_quota": null,`,
			`"quotas": [{"id": 1, "limit_bytes": 77, "limits": []}], "quota_report": {"quota_bytes": 0, "configured_quota": 77,`, 1)
		checkReply(t, jsonReply(200, withQuota), h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""))
		checkReply(t, replyNoContent, h.do("DELETE", prefix+"alice/quota/1", tokAdmin, ""))
		withDefault := strings.Replace(aliceView, `"configured_quota": null`, `"configured_quota": 1073741824`, 1)
		checkReply(t, jsonReply(200, withDefault), h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""))
	})
}

// §1.11, §2.14: none of the four operations writes an audit log.
func TestQuotaOperationsWriteNoLogs(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAcmeQuota)
	countLogs := func() int {
		n := 0
		h.s.store.Read().AllLogs(func(*store.LogEntry) bool { n++; return true })
		return n
	}
	before := countLogs()
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/api/v1/superuser/users/alice/quota", `{"limit_bytes": 5}`},
		{"PUT", "/api/v1/superuser/organization/alice/quota/2", `{"limit_bytes": 6}`},
		{"GET", "/api/v1/superuser/users/alice/quota", ""},
		{"DELETE", "/api/v1/superuser/organization/alice/quota/2", ""},
	} {
		if got := h.do(r.method, r.path, tokAdmin, r.body); got.Status >= 300 {
			t.Fatalf("%s %s: %d %s", r.method, r.path, got.Status, got.Body)
		}
	}
	if after := countLogs(); after != before {
		t.Errorf("logs: %d before, %d after; want no new log", before, after)
	}
}

// opCase is the operation routing finds for a request, with the
// decorator flags that change check order.
type opCase struct {
	method, path string
	nickname     string
	freshLogin   bool
}

func checkOperations(t *testing.T, tests []opCase) {
	t.Helper()
	h := newHarness(t, nil)
	for _, tc := range tests {
		m := h.s.router.match(tc.method, tc.path)
		if m.kind != matchFound {
			t.Errorf("%s %s: no operation", tc.method, tc.path)
			continue
		}
		got := opCase{method: tc.method, path: tc.path, nickname: m.op.nickname, freshLogin: m.op.freshLogin}
		if diff := cmp.Diff(tc, got, cmp.AllowUnexported(opCase{})); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tc.method, tc.path, diff)
		}
	}
}

// §2.14 nickname table (users path first) and the decorators of
// endpoints/api/superuser.py: the quota delete alone has no
// @require_fresh_login.
func TestQuotaOperations(t *testing.T) {
	t.Parallel()
	checkOperations(t, []opCase{
		{"GET", "/api/v1/superuser/users/acme/quota", "listUserQuotaSuperUser", true},
		{"POST", "/api/v1/superuser/users/acme/quota", "createUserQuotaSuperUser", true},
		{"PUT", "/api/v1/superuser/users/acme/quota/1", "changeUserQuotaSuperUser", true},
		{"DELETE", "/api/v1/superuser/users/acme/quota/1", "deleteUserQuotaSuperUser", false},
		{"GET", "/api/v1/superuser/organization/acme/quota", "listOrganizationQuotaSuperUser", true},
		{"POST", "/api/v1/superuser/organization/acme/quota", "createOrganizationQuotaSuperUser", true},
		{"PUT", "/api/v1/superuser/organization/acme/quota/1", "changeOrganizationQuotaSuperUser", true},
		{"DELETE", "/api/v1/superuser/organization/acme/quota/1", "deleteOrganizationQuotaSuperUser", false},
	})
}
