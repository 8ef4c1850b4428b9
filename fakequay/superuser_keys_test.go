package fakequay

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay/internal/servicekey"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Service keys: reference §2.8–§2.13, §1.9, §4 quirk 11.

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The seeded keys: k1 is the reference's §2.8 example key (approved by
// admin); k2 is unapproved, created an hour before the fixture's now.
func seedKeys(s *Seed) {
	exp := at("2027-02-04T00:00:00Z")
	approved := at("2026-11-02T09:30:00Z")
	s.ServiceKeys = append(s.ServiceKeys,
		SeedServiceKey{Kid: "k1", Service: "my_service", Name: "ci signing key", Metadata: json.RawMessage(`{"team":"platform"}`),
			Created: at("2026-11-01T00:00:00Z"), Expiration: &exp, ApprovedBy: "admin", ApprovedDate: &approved, Notes: "for CI"},
		SeedServiceKey{Kid: "k2", Service: "other", Created: fixtureTime.Add(-time.Hour)},
	)
}

const (
	// adminApprover is admin's superuser user view as jsonify writes it,
	// with quota management on (fakequay's default).
	adminApprover = `{"avatar":{"color":"#98df8a","hash":"258d8dc916db8cea2cafb6c3cd0cb0246efe061421dbd83ec3a350428cabda4f","kind":"user","name":"admin"},` +
		`"email":"admin@example.com","enabled":true,"global_readonly_super_user":false,"kind":"user","name":"admin",` +
		`"quota_report":{"backfill_status":"waiting","configured_quota":null,"quota_bytes":0,"running_backfill":"waiting"},"quotas":[],` +
		`"super_user":true,"username":"admin","verified":true}`
	// k1View is the §2.8 example key with the fixture's values.
	k1View = `{"approval":{"approval_type":"ServiceKeyApprovalType.SUPERUSER","approved_date":"Mon, 02 Nov 2026 09:30:00 GMT",` +
		`"approver":` + adminApprover + `,"notes":"for CI"},"created_date":"Sun, 01 Nov 2026 00:00:00 GMT",` +
		`"expiration_date":"Thu, 04 Feb 2027 00:00:00 GMT","jwk":{"e":"AQAB","kid":"k1","kty":"RSA","n":"<n>"},"kid":"k1",` +
		`"metadata":{"team":"platform"},"name":"ci signing key","rotation_duration":null,"service":"my_service"}`
	k2View = `{"approval":null,"created_date":"Sat, 28 Nov 2026 11:00:00 GMT","expiration_date":null,` +
		`"jwk":{"e":"AQAB","kid":"k2","kty":"RSA","n":"<n>"},"kid":"k2","metadata":{},"name":"","rotation_duration":null,"service":"other"}`
)

// on returns h reporting to t, for subtests that share a server.
func (h *harness) on(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}

// normalizeKey replaces the generated parts of a service-key body: a 2048-bit
// modulus is always 342 base64url characters.
func normalizeKey(body string) string {
	return normalize(body, `"n":"[A-Za-z0-9_-]{342}"`, `"n":"<n>"`)
}

var (
	replyCreatedEmpty = reply{Status: 201, ContentType: "text/html; charset=utf-8"}
	replyDeletedHTML  = reply{Status: 204, ContentType: "text/html; charset=utf-8"}
)

// keyLog is one audit-log row as a test compares it.
type keyLog struct {
	Kind      string
	Account   string
	Performer string
	IP        string
	Metadata  string
}

// serviceKeyLogs reads the store's service_key_* logs, oldest first.
func serviceKeyLogs(h *harness) []keyLog {
	rd := h.s.store.Read()
	name := func(id int64) string {
		if n, ok := rd.NamespaceByID(id); ok {
			return n.Name
		}
		return ""
	}
	out := []keyLog{}
	rd.AllLogs(func(e *store.LogEntry) bool {
		if strings.HasPrefix(e.Kind, "service_key_") {
			out = append(out, keyLog{Kind: e.Kind, Account: name(e.AccountID), Performer: name(e.PerformerID), IP: e.IP, Metadata: string(e.Metadata)})
		}
		return true
	})
	return out
}

// adminLog is a service-key log written by admin through its all-scope
// token (id 1): the account is the lowest user id, admin again (§1.11).
func adminLog(kind, metadata string) keyLog {
	return keyLog{Kind: kind, Account: "admin", Performer: "admin", IP: "127.0.0.1",
		Metadata: strings.TrimSuffix(metadata, "}") + `,"oauth_token_id":1,"oauth_token_application_id":"FAKEQUAYCLIENTID0001","oauth_token_application":"fakequay"}`}
}

// §2.8, §2.10, §1.9: whole bodies against the reference's example shape.
func TestServiceKeyViews(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		path        string
		token       string
		opts        []Option
		withoutKeys bool
		want        reply
	}{
		{name: "§2.8 list: jsonify, sorted keys, GMT dates, unapproved key has approval null",
			path: "/api/v1/superuser/keys", token: tokAdmin,
			want: jsonReply(200, `{"keys":[`+k1View+`,`+k2View+`]}`)},
		{name: "§2.8 GRO lists whatever its token's scopes", path: "/api/v1/superuser/keys", token: tokAuditor,
			want: jsonReply(200, `{"keys":[`+k1View+`,`+k2View+`]}`)},
		{name: "§2.10 get", path: "/api/v1/superuser/keys/k1", token: tokAdmin, want: jsonReply(200, k1View)},
		{name: "§2.10 get unapproved: approval null", path: "/api/v1/superuser/keys/k2", token: tokBoth, want: jsonReply(200, k2View)},
		{name: "§2.10 unknown kid", path: "/api/v1/superuser/keys/nope", token: tokAdmin, want: replyNotFound},
		{name: "§1.9 quota management off: approver without quotas, exactly the §2.8 example",
			path: "/api/v1/superuser/keys/k1", token: tokAdmin,
			opts: []Option{WithConfig(func(c *Config) { c.FeatureQuotaManagement = false })},
			want: jsonReply(200, `{"approval":{"approval_type":"ServiceKeyApprovalType.SUPERUSER","approved_date":"Mon, 02 Nov 2026 09:30:00 GMT",`+
				`"approver":{"avatar":{"color":"#98df8a","hash":"258d8dc916db8cea2cafb6c3cd0cb0246efe061421dbd83ec3a350428cabda4f","kind":"user","name":"admin"},`+
				`"email":"admin@example.com","enabled":true,"global_readonly_super_user":false,"kind":"user","name":"admin","super_user":true,"username":"admin","verified":true},`+
				`"notes":"for CI"},"created_date":"Sun, 01 Nov 2026 00:00:00 GMT","expiration_date":"Thu, 04 Feb 2027 00:00:00 GMT",`+
				`"jwk":{"e":"AQAB","kid":"k1","kty":"RSA","n":"<n>"},"kid":"k1","metadata":{"team":"platform"},"name":"ci signing key",`+
				`"rotation_duration":null,"service":"my_service"}`)},
		{name: "§2.8 no keys", path: "/api/v1/superuser/keys", token: tokAdmin, withoutKeys: true,
			want: jsonReply(200, `{"keys":[]}`)},
	}
	// Reads change nothing, so the cases with the default seed share one
	// server (each key costs an RSA generation).
	shared := newHarness(t, seedKeys)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := shared.on(t)
			if tc.withoutKeys || tc.opts != nil {
				edit := seedKeys
				if tc.withoutKeys {
					edit = nil
				}
				h = newHarness(t, edit, tc.opts...)
			}
			got := h.do("GET", tc.path, tc.token, "")
			got.Body = normalizeKey(got.Body)
			checkReply(t, tc.want, got)
		})
	}
}

// §1.2, §2.8–§2.13: every caller kind on every operation. Reads admit any
// superuser; writes need SuperUserPermission, and anonymous writes hit
// CSRF first.
func TestServiceKeyAuth(t *testing.T) {
	t.Parallel()
	ops := []struct {
		name         string
		method, path string
		body         string
		write        bool
		success      int
	}{
		{"§2.8 listServiceKeys", "GET", "/api/v1/superuser/keys", "", false, 200},
		{"§2.9 createServiceKey", "POST", "/api/v1/superuser/keys", `{"service":"svc","expiration":null}`, true, 200},
		{"§2.10 getServiceKey", "GET", "/api/v1/superuser/keys/k1", "", false, 200},
		{"§2.11 updateServiceKey", "PUT", "/api/v1/superuser/keys/k1", `{"name":"x"}`, true, 200},
		{"§2.12 deleteServiceKey", "DELETE", "/api/v1/superuser/keys/k1", "", true, 204},
		{"§2.13 approveServiceKey", "POST", "/api/v1/superuser/approvedkeys/k2", `{}`, true, 201},
	}
	callers := []struct {
		name        string
		token       string
		read, write *reply // nil: success
	}{
		{"anonymous", tokNone, &replyUnauthorized, &replyCSRF},
		{"unknown token", tokUnknown, &replyUnauthorized, &replyCSRF},
		{"disabled user's token", tokDisabled, &replyUnauthorized, &replyCSRF},
		{"normal user", tokAlice, &replyForbidden, &replyForbidden},
		{"superuser without super:user", tokNoScope, &replyForbidden, &replyForbidden},
		{"GRO", tokAuditor, nil, &replyForbidden},
		{"in both lists (GRO only)", tokBoth, nil, &replyForbidden},
		{"superuser", tokAdmin, nil, nil},
	}
	// A refused call changes nothing (checked through the logs), so each
	// operation's callers share one server; the superuser goes last.
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, seedKeys)
			for _, who := range callers {
				got := h.do(op.method, op.path, who.token, op.body)
				want := who.read
				if op.write {
					want = who.write
				}
				if want == nil {
					if got.Status != op.success {
						t.Errorf("%s: status %d, want %d; body %s", who.name, got.Status, op.success, got.Body)
					}
					continue
				}
				if diff := cmp.Diff(*want, got); diff != "" {
					t.Errorf("%s: reply mismatch (-want +got):\n%s", who.name, diff)
				}
				if logs := serviceKeyLogs(h); len(logs) != 0 {
					t.Fatalf("%s: a refused call logged %v", who.name, logs)
				}
			}
		})
	}
}

var (
	privatePEMRE = regexp.MustCompile(`"private_key":"(-----BEGIN RSA PRIVATE KEY-----\\n[A-Za-z0-9+/=\\n]+-----END RSA PRIVATE KEY-----\\n)"`)
	publicPEMRE  = regexp.MustCompile(`"public_key":"(-----BEGIN PUBLIC KEY-----\\n[A-Za-z0-9+/=\\n]+-----END PUBLIC KEY-----\\n)"`)
	kidRE        = regexp.MustCompile(`"kid":"([A-Za-z0-9_-]{43})"`)
)

// normalizeCreated replaces the generated kid and PEMs of a create answer.
func normalizeCreated(body string) string {
	body = privatePEMRE.ReplaceAllString(body, `"private_key":"<private>"`)
	body = publicPEMRE.ReplaceAllString(body, `"public_key":"<public>"`)
	return kidRE.ReplaceAllString(body, `"kid":"<kid>"`)
}

// §2.9: the whole create answer, the key it stores, and its two logs.
func TestCreateServiceKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	got := h.do("POST", "/api/v1/superuser/keys", tokAdmin,
		`{"service":"my_service","name":"ci signing key","expiration":1801699200.5,"metadata":{"team":"platform","creator":"someone else"},"notes":"for CI"}`)
	kid := kidRE.FindStringSubmatch(got.Body)
	private := privatePEMRE.FindStringSubmatch(got.Body)
	public := publicPEMRE.FindStringSubmatch(got.Body)
	got.Body = normalizeCreated(got.Body)
	checkReply(t, jsonReply(200, `{"kid":"<kid>","name":"ci signing key","private_key":"<private>","public_key":"<public>","service":"my_service"}`), got)
	if kid == nil || private == nil || public == nil {
		t.Fatalf("create answer lacks kid or PEMs: %s", got.Body)
	}
	n := checkKeyPair(t, kid[1], unescapeJSON(t, private[1]), unescapeJSON(t, public[1]))

	stored := h.do("GET", "/api/v1/superuser/keys/"+kid[1], tokAdmin, "")
	want := `{"approval":{"approval_type":"ServiceKeyApprovalType.SUPERUSER","approved_date":"Sat, 28 Nov 2026 12:00:00 GMT",` +
		`"approver":` + adminApprover + `,"notes":"for CI"},"created_date":"Sat, 28 Nov 2026 12:00:00 GMT",` +
		`"expiration_date":"Thu, 04 Feb 2027 00:00:00 GMT","jwk":{"e":"AQAB","kid":"` + kid[1] + `","kty":"RSA","n":"` + n + `"},"kid":"` + kid[1] + `",` +
		`"metadata":{"created_by":"Quay Superuser Panel","creator":"admin","ip":"127.0.0.1","team":"platform"},"name":"ci signing key",` +
		`"rotation_duration":null,"service":"my_service"}`
	checkReply(t, jsonReply(200, want), stored)

	meta := `{"kid":"` + kid[1] + `","preshared":true,"service":"my_service","name":"ci signing key","expiration_date":1801699200,"auto_approved":true}`
	if diff := cmp.Diff([]keyLog{adminLog("service_key_create", meta), adminLog("service_key_approve", meta)}, serviceKeyLogs(h)); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

func unescapeJSON(t *testing.T, s string) string {
	t.Helper()
	var out string
	if err := json.Unmarshal([]byte(`"`+s+`"`), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkKeyPair proves the PEMs are one 2048-bit RSA key whose RFC 7638
// thumbprint is kid, and returns its modulus as the JWK writes it.
func checkKeyPair(t *testing.T, kid, privatePEM, publicPEM string) string {
	t.Helper()
	block, rest := pem.Decode([]byte(privatePEM))
	if block == nil || len(rest) != 0 {
		t.Fatalf("private key is not one PEM block: %q", privatePEM)
	}
	private, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatalf("private key is not PKCS#1: %v", err)
	}
	block, rest = pem.Decode([]byte(publicPEM))
	if block == nil || len(rest) != 0 {
		t.Fatalf("public key is not one PEM block: %q", publicPEM)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatalf("public key is not PKIX: %v", err)
	}
	if !private.PublicKey.Equal(pub) || private.N.BitLen() != 2048 || private.E != 65537 {
		t.Fatalf("key pair mismatch or wrong size: %d bits, e=%d", private.N.BitLen(), private.E)
	}
	n := base64.RawURLEncoding.EncodeToString(private.N.Bytes())
	e := base64.RawURLEncoding.EncodeToString(big.NewInt(int64(private.E)).Bytes())
	sum := sha256.Sum256([]byte(`{"e":"` + e + `","kty":"RSA","n":"` + n + `"}`))
	if thumb := base64.RawURLEncoding.EncodeToString(sum[:]); thumb != kid {
		t.Errorf("kid %s is not the key's thumbprint %s", kid, thumb)
	}
	return n
}

// §2.9, §1.10: each check, in Quay's order, and the families they answer in.
func TestCreateServiceKeyErrors(t *testing.T) {
	t.Parallel()
	now := fixtureTime.Unix()
	tests := []struct {
		name string
		body string
		want reply
	}{
		{name: "§1.10 invalid friendly name", body: `{"service":"svc","expiration":null,"name":"bad!name"}`,
			want: apiErrorReply(400, "invalid_request", "Invalid service key friendly name: bad!name")},
		{name: "§1.10 punctuation outside the class", body: `{"service":"svc","expiration":null,"name":"semi;colon"}`,
			want: apiErrorReply(400, "invalid_request", "Invalid service key friendly name: semi;colon")},
		{name: "§2.9 the name is checked before the expiration",
			body: `{"service":"Bad","expiration":0,"name":"x!"}`,
			want: apiErrorReply(400, "invalid_request", "Invalid service key friendly name: x!")},
		{name: "§2.9 expiration equal to now is in the past",
			body: `{"service":"svc","expiration":` + itoa(int(now)) + `}`,
			want: apiErrorReply(400, "invalid_request", "Expiration date cannot be in the past")},
		{name: "§2.9 the expiration is checked before the service",
			body: `{"service":"Bad","expiration":0}`,
			want: apiErrorReply(400, "invalid_request", "Expiration date cannot be in the past")},
		{name: "§2.9 out-of-range year", body: `{"service":"svc","expiration":1e12}`,
			want: apiErrorReply(400, "invalid_request", "Invalid expiration date: year 33658 is out of range")},
		{name: "§2.9 year 10000", body: `{"service":"svc","expiration":253402300800}`,
			want: apiErrorReply(400, "invalid_request", "Invalid expiration date: year 10000 is out of range")},
		{name: "§2.9 year 0", body: `{"service":"svc","expiration":-62135596801}`,
			want: apiErrorReply(400, "invalid_request", "Invalid expiration date: year 0 is out of range")},
		{name: "§2.9 gmtime overflow is an unhandled OSError", body: `{"service":"svc","expiration":1e17}`, want: replyCrash},
		{name: "§2.9 time_t overflow is an unhandled OverflowError", body: `{"service":"svc","expiration":1e19}`, want: replyCrash},
		{name: "§2.9 a float beyond float64 is infinite: OverflowError", body: `{"service":"svc","expiration":1e400}`, want: replyCrash},
		{name: "§2.9 an int beyond float64: float() raises OverflowError",
			body: `{"service":"svc","expiration":1` + strings.Repeat("0", 400) + `}`, want: replyCrash},
		{name: "§1.10 invalid service: family B with an empty message",
			body: `{"service":"My-Service","expiration":null}`, want: modelErrorReply("")},
		{name: "§1.10 empty service", body: `{"service":"","expiration":null}`, want: modelErrorReply("")},
		{name: "§1.10 two final newlines", body: `{"service":"svc\n\n","expiration":null}`, want: modelErrorReply("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			got := h.do("POST", "/api/v1/superuser/keys", tokAdmin, tc.body)
			checkReply(t, tc.want, got)
			if keys := h.s.ServiceKeys(); len(keys) != 0 {
				t.Errorf("a failed create stored %d keys", len(keys))
			}
			if logs := serviceKeyLogs(h); len(logs) != 0 {
				t.Errorf("a failed create logged %v", logs)
			}
		})
	}
}

// §1.10: the friendly-name class under Python's re: \s is Unicode
// whitespace (str.isspace), letters and digits are ASCII only.
func TestValidServiceKeyName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"", true},
		{"ci signing key", true},
		{"a-b_c:d/e 09 AZ", true},
		{"tab\tnewline\nfinal\n", true},
		{"em\u2003space", true},
		{"line\u2028separator", true},
		{"unit\x1fseparator", true}, // str.isspace() is true for \x1c-\x1f
		{"café", false},
		{"١٢٣", false}, // Arabic-Indic digits: Python's [0-9] is ASCII
		{"semi;colon", false},
		{"dot.", false},
		{"zero\u200bwidth", false}, // U+200B is not whitespace in Python
	}
	for _, tc := range tests {
		if got := validServiceKeyName(tc.name); got != tc.want {
			t.Errorf("validServiceKeyName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// §2.9, §1.10: edge values Quay accepts.
func TestCreateServiceKeyAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body            string
		wantName, wantService string
		wantExpiration        *time.Time
	}{
		{name: "§2.9 null expiration never expires; name defaults to empty",
			body: `{"service":"svc","expiration":null}`, wantService: "svc"},
		{name: "§1.10 Python's $ admits one final newline in the service",
			body: `{"service":"svc\n","expiration":null}`, wantService: "svc\n"},
		{name: "§1.10 Unicode whitespace and :/-_ in the name",
			body: `{"service":"svc","expiration":null,"name":"a\u2003b:c/d-e_f\n"}`, wantName: "a\u2003b:c/d-e_f\n", wantService: "svc"},
		{name: "§2.9 a fractional expiration keeps microseconds",
			body:        `{"service":"svc","expiration":1801699200.25}`,
			wantService: "svc", wantExpiration: ptr(at("2027-02-04T00:00:00.25Z"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			got := h.do("POST", "/api/v1/superuser/keys", tokAdmin, tc.body)
			if got.Status != 200 {
				t.Fatalf("status %d: %s", got.Status, got.Body)
			}
			keys := h.s.ServiceKeys()
			if len(keys) != 1 {
				t.Fatalf("%d keys stored", len(keys))
			}
			k := keys[0]
			if diff := cmp.Diff([]any{tc.wantName, tc.wantService, tc.wantExpiration}, []any{k.Name, k.Service, k.Expiration}); diff != "" {
				t.Errorf("name, service, expiration (-want +got):\n%s", diff)
			}
		})
	}
}

// §2.8, §2.10–§2.13, §4 quirk 11: a key that expired 7 days ago vanishes
// from list, get and update, but delete and approve still find it.
func TestServiceKeyWeekAfterExpiry(t *testing.T) {
	t.Parallel()
	expiring := func(s *Seed) {
		exp := fixtureTime.Add(time.Hour)
		s.ServiceKeys = []SeedServiceKey{{Kid: "soon", Service: "svc", Created: fixtureTime.Add(-48 * time.Hour), Expiration: &exp}}
	}
	h := newHarness(t, expiring)
	h.s.Advance(time.Hour + store.ExpiredServiceKeyTTL - time.Microsecond)
	if got := h.do("GET", "/api/v1/superuser/keys/soon", tokAdmin, ""); got.Status != 200 {
		t.Fatalf("a microsecond before the week is up: %d %s", got.Status, got.Body)
	}
	h.s.Advance(time.Microsecond)
	checkReply(t, jsonReply(200, `{"keys":[]}`), h.do("GET", "/api/v1/superuser/keys", tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("GET", "/api/v1/superuser/keys/soon", tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("PUT", "/api/v1/superuser/keys/soon", tokAdmin, `{"name":"x"}`))
	checkReply(t, replyCreatedEmpty, h.do("POST", "/api/v1/superuser/approvedkeys/soon", tokAdmin, `{}`))
	checkReply(t, replyDeletedHTML, h.do("DELETE", "/api/v1/superuser/keys/soon", tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("DELETE", "/api/v1/superuser/keys/soon", tokAdmin, ""))
	want := []keyLog{
		adminLog("service_key_approve", `{"kid":"soon","service":"svc","name":"","expiration_date":1795870800}`),
		adminLog("service_key_delete", `{"kid":"soon","service":"svc","name":"","created_date":1795694400,"expiration_date":1795870800}`),
	}
	if diff := cmp.Diff(want, serviceKeyLogs(h)); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// §2.9 step 3, §2.12: create and delete collect the same service's keys
// expired a week ago and unapproved keys a day old; other services' keys
// and fresher ones stay.
func TestServiceKeyGC(t *testing.T) {
	t.Parallel()
	seed := func(s *Seed) {
		expired := fixtureTime.Add(-store.ExpiredServiceKeyTTL)
		recent := fixtureTime.Add(-store.ExpiredServiceKeyTTL + time.Second)
		s.ServiceKeys = []SeedServiceKey{
			{Kid: "svc-expired-week", Service: "svc", Created: fixtureTime.Add(-30 * 24 * time.Hour), Expiration: &expired, ApprovedBy: "admin"},
			{Kid: "svc-expired-recently", Service: "svc", Created: fixtureTime.Add(-30 * 24 * time.Hour), Expiration: &recent, ApprovedBy: "admin"},
			{Kid: "svc-unapproved-day", Service: "svc", Created: fixtureTime.Add(-store.UnapprovedServiceKeyTTL)},
			{Kid: "svc-unapproved-fresh", Service: "svc", Created: fixtureTime.Add(-store.UnapprovedServiceKeyTTL + time.Second)},
			{Kid: "other-expired-week", Service: "other", Created: fixtureTime.Add(-30 * 24 * time.Hour), Expiration: &expired, ApprovedBy: "admin"},
			{Kid: "other-unapproved-day", Service: "other", Created: fixtureTime.Add(-48 * time.Hour)},
			{Kid: "victim", Service: "svc", Created: fixtureTime.Add(-time.Hour), ApprovedBy: "admin"},
		}
	}
	kids := func(h *harness) []string {
		out := []string{}
		for _, k := range h.s.ServiceKeys() {
			out = append(out, k.Kid)
		}
		return out
	}
	tests := []struct {
		name                 string
		method, path, body   string
		wantStatus           int
		wantKidsPrefix       []string
		wantCreatedExtraKeys int
	}{
		{name: "§2.9 create collects", method: "POST", path: "/api/v1/superuser/keys", body: `{"service":"svc","expiration":null}`,
			wantStatus:     200,
			wantKidsPrefix: []string{"svc-expired-recently", "svc-unapproved-fresh", "other-expired-week", "other-unapproved-day", "victim"}, wantCreatedExtraKeys: 1},
		{name: "§2.12 delete collects", method: "DELETE", path: "/api/v1/superuser/keys/victim",
			wantStatus:     204,
			wantKidsPrefix: []string{"svc-expired-recently", "svc-unapproved-fresh", "other-expired-week", "other-unapproved-day"}},
		{name: "§2.13 approve does not collect", method: "POST", path: "/api/v1/superuser/approvedkeys/svc-unapproved-day", body: `{}`,
			wantStatus: 201,
			wantKidsPrefix: []string{"svc-expired-week", "svc-expired-recently", "svc-unapproved-day", "svc-unapproved-fresh",
				"other-expired-week", "other-unapproved-day", "victim"}},
	}
	// Seven keys cost seven RSA generations: the cases share one server and
	// each starts from the seed again (Reset), so they run in sequence.
	shared := newHarness(t, seed)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shared.s.Reset()
			h := shared.on(t)
			if got := h.do(tc.method, tc.path, tokAdmin, tc.body); got.Status != tc.wantStatus {
				t.Fatalf("status %d: %s", got.Status, got.Body)
			}
			got := kids(h)
			if len(got) != len(tc.wantKidsPrefix)+tc.wantCreatedExtraKeys {
				t.Fatalf("keys %v, want %v plus %d new", got, tc.wantKidsPrefix, tc.wantCreatedExtraKeys)
			}
			if diff := cmp.Diff(tc.wantKidsPrefix, got[:len(tc.wantKidsPrefix)]); diff != "" {
				t.Errorf("remaining keys (-want +got):\n%s", diff)
			}
		})
	}
}

// §2.11: each step's effect, its logs and the answer (the re-read key).
func TestUpdateServiceKey(t *testing.T) {
	t.Parallel()
	k1With := func(replacements ...string) string {
		return strings.NewReplacer(replacements...).Replace(k1View)
	}
	const (
		k1Exp    = `"expiration_date":"Thu, 04 Feb 2027 00:00:00 GMT"`
		k1Meta   = `"metadata":{"team":"platform"}`
		k1Name   = `"name":"ci signing key"`
		k1ExpLog = `1801699200`
	)
	tests := []struct {
		name     string
		kid      string
		body     string
		want     reply
		wantLogs []keyLog
		// after is the key's view afterwards when the answer is an error.
		after string
	}{
		{name: "§2.11 empty body changes nothing and logs nothing", kid: "k1", body: `{}`,
			want: jsonReply(200, k1View), wantLogs: []keyLog{}},
		{name: "§2.11 new expiration: service_key_extend", kid: "k1", body: `{"expiration":1796472000}`,
			want: jsonReply(200, k1With(k1Exp, `"expiration_date":"Sat, 05 Dec 2026 12:00:00 GMT"`)),
			wantLogs: []keyLog{adminLog("service_key_extend",
				`{"kid":"k1","service":"my_service","name":"ci signing key","expiration_date":1796472000,"old_expiration_date":`+k1ExpLog+`}`)}},
		{name: "§2.11 null expiration clears it", kid: "k1", body: `{"expiration":null}`,
			want: jsonReply(200, k1With(k1Exp, `"expiration_date":null`)),
			wantLogs: []keyLog{adminLog("service_key_extend",
				`{"kid":"k1","service":"my_service","name":"ci signing key","expiration_date":null,"old_expiration_date":`+k1ExpLog+`}`)}},
		{name: "§2.11 past expiration: update's own wording, nothing applied", kid: "k1", body: `{"expiration":1795867200,"name":"new"}`,
			want: apiErrorReply(400, "invalid_request", "Cannot have an expiration date in the past"), wantLogs: []keyLog{}, after: k1View},
		{name: "§2.11 out-of-range expiration", kid: "k1", body: `{"expiration":1e12}`,
			want: apiErrorReply(400, "invalid_request", "Invalid expiration date: year 33658 is out of range"), wantLogs: []keyLog{}, after: k1View},
		{name: "§2.11 metadata is shallow-merged: service_key_modify", kid: "k1", body: `{"metadata":{"team":"infra","tier":{"a":1}}}`,
			want: jsonReply(200, k1With(k1Meta, `"metadata":{"team":"infra","tier":{"a":1}}`)),
			wantLogs: []keyLog{adminLog("service_key_modify",
				`{"kid":"k1","service":"my_service","name":"ci signing key","expiration_date":`+k1ExpLog+`}`)}},
		{name: "§2.11 empty name clears it", kid: "k1", body: `{"name":""}`,
			want:     jsonReply(200, k1With(k1Name, `"name":""`)),
			wantLogs: []keyLog{adminLog("service_key_modify", `{"kid":"k1","service":"my_service","name":"","expiration_date":`+k1ExpLog+`}`)}},
		{name: "§1.6 a null name fails PutServiceKey's schema before anything runs", kid: "k1", body: `{"name":null}`,
			want: apiErrorReply(400, "invalid_request", "None is not of type 'string'\n\n"+
				"Failed validating 'type' in schema['properties']['name']:\n"+
				"    {'description': 'The friendly name of a service key', 'type': 'string'}\n\n"+
				"On instance['name']:\n    None"), wantLogs: []keyLog{}},
		{name: "§2.11 both steps share one metadata dict", kid: "k1", body: `{"expiration":1796472000,"name":"renamed"}`,
			want: jsonReply(200, k1With(k1Exp, `"expiration_date":"Sat, 05 Dec 2026 12:00:00 GMT"`, k1Name, `"name":"renamed"`)),
			wantLogs: []keyLog{
				adminLog("service_key_extend", `{"kid":"k1","service":"my_service","name":"renamed","expiration_date":1796472000,"old_expiration_date":`+k1ExpLog+`}`),
				adminLog("service_key_modify", `{"kid":"k1","service":"my_service","name":"renamed","expiration_date":1796472000,"old_expiration_date":`+k1ExpLog+`}`),
			}},
		{name: "§2.11 an invalid name still leaves the new expiration applied", kid: "k1", body: `{"expiration":1796472000,"name":"bad!"}`,
			want: apiErrorReply(400, "invalid_request", "Invalid service key friendly name: bad!"),
			wantLogs: []keyLog{adminLog("service_key_extend",
				`{"kid":"k1","service":"my_service","name":"bad!","expiration_date":1796472000,"old_expiration_date":`+k1ExpLog+`}`)},
			after: k1With(k1Exp, `"expiration_date":"Sat, 05 Dec 2026 12:00:00 GMT"`)},
		{name: "§2.11 unapproved key", kid: "k2", body: `{"name":"named"}`,
			want:     jsonReply(200, strings.Replace(k2View, `"name":""`, `"name":"named"`, 1)),
			wantLogs: []keyLog{adminLog("service_key_modify", `{"kid":"k2","service":"other","name":"named","expiration_date":null}`)}},
		{name: "§2.11 unknown kid", kid: "nope", body: `{"name":"x"}`, want: replyNotFound, wantLogs: []keyLog{}},
	}
	// The cases share one server and each starts from the seed again
	// (Reset), so they run in sequence.
	shared := newHarness(t, seedKeys)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shared.s.Reset()
			h := shared.on(t)
			got := h.do("PUT", "/api/v1/superuser/keys/"+tc.kid, tokAdmin, tc.body)
			got.Body = normalizeKey(got.Body)
			checkReply(t, tc.want, got)
			if diff := cmp.Diff(tc.wantLogs, serviceKeyLogs(h)); diff != "" {
				t.Errorf("logs (-want +got):\n%s", diff)
			}
			if tc.after != "" {
				after := h.do("GET", "/api/v1/superuser/keys/"+tc.kid, tokAdmin, "")
				after.Body = normalizeKey(after.Body)
				checkReply(t, jsonReply(200, tc.after), after)
			}
		})
	}
}

// §2.12: 204 with an empty text/html body; the log carries both dates as
// Unix seconds.
func TestDeleteServiceKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, seedKeys)
	checkReply(t, replyDeletedHTML, h.do("DELETE", "/api/v1/superuser/keys/k1", tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("GET", "/api/v1/superuser/keys/k1", tokAdmin, ""))
	checkReply(t, replyNotFound, h.do("DELETE", "/api/v1/superuser/keys/k1", tokAdmin, ""))
	checkReply(t, replyDeletedHTML, h.do("DELETE", "/api/v1/superuser/keys/k2", tokAdmin, ""))
	want := []keyLog{
		adminLog("service_key_delete", `{"kid":"k1","service":"my_service","name":"ci signing key","created_date":1793491200,"expiration_date":1801699200}`),
		adminLog("service_key_delete", `{"kid":"k2","service":"other","name":"","created_date":1795863600,"expiration_date":null}`),
	}
	if diff := cmp.Diff(want, serviceKeyLogs(h)); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// §2.13: 201 with an empty text/html body; a second approval is a silent
// 201 that changes and logs nothing; a JSON body is mandatory.
func TestApproveServiceKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, seedKeys)
	checkReply(t, replyCreatedEmpty, h.do("POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, `{"notes":"looks fine"}`))
	checkReply(t, replyCreatedEmpty, h.do("POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, `{"notes":"again"}`))
	checkReply(t, replyCreatedEmpty, h.do("POST", "/api/v1/superuser/approvedkeys/k1", tokAdmin, `{}`))
	checkReply(t, replyNotFound, h.do("POST", "/api/v1/superuser/approvedkeys/nope", tokAdmin, `{}`))
	checkReply(t, jsonReply(415, `{"message": "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."}`),
		h.do("POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, ""))
	checkReply(t, jsonReply(400, `{"message": "The browser (or proxy) sent a request that this server could not understand."}`),
		h.do("POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, "", "Content-Type", "application/json"))

	got := h.do("GET", "/api/v1/superuser/keys/k2", tokAdmin, "")
	got.Body = normalizeKey(got.Body)
	want := strings.Replace(k2View, `"approval":null`, `"approval":{"approval_type":"ServiceKeyApprovalType.SUPERUSER",`+
		`"approved_date":"Sat, 28 Nov 2026 12:00:00 GMT","approver":`+adminApprover+`,"notes":"looks fine"}`, 1)
	checkReply(t, jsonReply(200, want), got)
	got = h.do("GET", "/api/v1/superuser/keys/k1", tokAdmin, "")
	got.Body = normalizeKey(got.Body)
	checkReply(t, jsonReply(200, k1View), got)
	wantLogs := []keyLog{adminLog("service_key_approve", `{"kid":"k2","service":"other","name":"","expiration_date":null}`)}
	if diff := cmp.Diff(wantLogs, serviceKeyLogs(h)); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// §1.3 G: Postgres' driver refuses to bind notes holding a NUL. Quay's
// create commits the key before approve_service_key fails, so the key stays,
// unapproved and unlogged; a failed approval changes nothing; an approved
// key is never re-approved, so its notes are never bound.
func TestServiceKeyNotesWithNUL(t *testing.T) {
	t.Parallel()
	h := newHarness(t, seedKeys)
	checkReply(t, replyCrash, h.do("POST", "/api/v1/superuser/keys", tokAdmin,
		`{"service":"svc","expiration":null,"notes":"a\u0000b"}`))
	checkReply(t, replyCrash, h.do("POST", "/api/v1/superuser/approvedkeys/k2", tokAdmin, `{"notes":"\u0000"}`))
	checkReply(t, replyCreatedEmpty, h.do("POST", "/api/v1/superuser/approvedkeys/k1", tokAdmin, `{"notes":"\u0000"}`))
	type keyState struct {
		Service  string
		Approved bool
	}
	var got []keyState
	for _, k := range h.s.ServiceKeys() {
		got = append(got, keyState{k.Service, k.Approval != nil})
	}
	want := []keyState{{"my_service", true}, {"other", false}, {"svc", false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if logs := serviceKeyLogs(h); len(logs) != 0 {
		t.Errorf("logged %v", logs)
	}
}

// §1.9: the approver is the full user view as it is now; once the approver
// is deleted it is null (Quay nulls it when marking the user for deletion).
func TestServiceKeyApproverLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.ServiceKeys = []SeedServiceKey{{Kid: "ka", Service: "svc", Created: fixtureTime, ApprovedBy: "alice", Notes: "n"}}
	})
	approvalOf := func() string {
		got := h.do("GET", "/api/v1/superuser/keys/ka", tokAdmin, "")
		var v struct {
			Approval json.RawMessage `json:"approval"`
		}
		if err := json.Unmarshal([]byte(got.Body), &v); err != nil {
			t.Fatalf("%d %s: %v", got.Status, got.Body, err)
		}
		return string(v.Approval)
	}
	aliceApprover := `{"approval_type":"ServiceKeyApprovalType.SUPERUSER","approved_date":"Sat, 28 Nov 2026 12:00:00 GMT",` +
		`"approver":{"avatar":{"color":"#a55194","hash":"ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976","kind":"user","name":"alice"},` +
		`"email":"alice@example.com","enabled":%s,"global_readonly_super_user":false,"kind":"user","name":"alice",` +
		`"quota_report":{"backfill_status":"waiting","configured_quota":null,"quota_bytes":0,"running_backfill":"waiting"},"quotas":[],` +
		`"super_user":false,"username":"alice","verified":true},"notes":"n"}`
	if diff := cmp.Diff(strings.Replace(aliceApprover, "%s", "true", 1), approvalOf()); diff != "" {
		t.Errorf("approval (-want +got):\n%s", diff)
	}
	if got := h.do("PUT", "/api/v1/superuser/users/alice", tokAdmin, `{"enabled":false}`); got.Status != 200 {
		t.Fatalf("disable alice: %d %s", got.Status, got.Body)
	}
	if diff := cmp.Diff(strings.Replace(aliceApprover, "%s", "false", 1), approvalOf()); diff != "" {
		t.Errorf("approval by a disabled user (-want +got):\n%s", diff)
	}
	if got := h.do("PUT", "/api/v1/superuser/users/alice", tokAdmin, `{"enabled":true}`); got.Status != 200 {
		t.Fatalf("enable alice: %d %s", got.Status, got.Body)
	}
	checkReply(t, replyNoContent, h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, ""))
	want := `{"approval_type":"ServiceKeyApprovalType.SUPERUSER","approved_date":"Sat, 28 Nov 2026 12:00:00 GMT","approver":null,"notes":"n"}`
	if diff := cmp.Diff(want, approvalOf()); diff != "" {
		t.Errorf("approval after the approver's deletion (-want +got):\n%s", diff)
	}
	if _, err := h.s.PurgeDeletedNamespaces(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, approvalOf()); diff != "" {
		t.Errorf("approval after the purge (-want +got):\n%s", diff)
	}
}

// §1.11: the oauth_token_* keys name the token the caller used, after
// Quay's own keys, on both create logs.
func TestServiceKeyLogsNameTheToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.Users[0].Tokens = append(s.Users[0].Tokens, SeedToken{Token: "ci-token", Application: "ci", ClientID: "CICLIENT"})
	})
	got := h.do("POST", "/api/v1/superuser/keys", "ci-token", `{"service":"svc","expiration":null}`)
	kid := kidRE.FindStringSubmatch(got.Body)
	if got.Status != 200 || kid == nil {
		t.Fatalf("create: %d %s", got.Status, got.Body)
	}
	meta := `{"kid":"` + kid[1] + `","preshared":true,"service":"svc","name":"","expiration_date":null,"auto_approved":true,` +
		`"oauth_token_id":3,"oauth_token_application_id":"CICLIENT","oauth_token_application":"ci"}`
	want := []keyLog{
		{Kind: "service_key_create", Account: "admin", Performer: "admin", IP: "127.0.0.1", Metadata: meta},
		{Kind: "service_key_approve", Account: "admin", Performer: "admin", IP: "127.0.0.1", Metadata: meta},
	}
	if diff := cmp.Diff(want, serviceKeyLogs(h)); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// BenchmarkCreateServiceKey measures createServiceKey end to end in-process
// (HTTP client over the socket-free transport, pipeline, key from the warm
// pool, store write, jsonify) and reports its median as p50-ms. Every
// created key costs the pool one RSA generation to replace it, off the
// clock; run it with a fixed count, e.g. -benchtime 40x.
func BenchmarkCreateServiceKey(b *testing.B) {
	s, err := New(WithSeed(fixtureSeed()))
	if err != nil {
		b.Fatal(err)
	}
	client := s.HTTPClient()
	pool := servicekey.DefaultPool()
	body := `{"service":"bench","name":"bench key","expiration":null}`
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		if pool.Ready() == 0 {
			b.StopTimer()
			pool.Warm()
			if err := pool.WaitIdle(b.Context()); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		start := time.Now()
		req, _ := http.NewRequestWithContext(b.Context(), "POST", "http://"+testHost+"/api/v1/superuser/keys", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokAdmin)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		durations = append(durations, time.Since(start))
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	reportP50(b, durations)
}

// BenchmarkRSAGenerateKey is the baseline: generating the 2048-bit key
// directly, which is what createServiceKey would cost without the pool.
func BenchmarkRSAGenerateKey(b *testing.B) {
	durations := make([]time.Duration, 0, b.N)
	for range b.N {
		start := time.Now()
		if _, err := rsa.GenerateKey(rand.Reader, 2048); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	reportP50(b, durations)
}

func reportP50(b *testing.B, durations []time.Duration) {
	if len(durations) == 0 {
		return
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
}

// design §4 seed file: service_keys entries, their defaults and the errors
// that name the JSON path.
func TestSeedServiceKeys(t *testing.T) {
	t.Parallel()
	seedJSON := func(keys string) []byte {
		return []byte(`{"config":{"SUPER_USERS":["admin"]},"now":"2026-11-28T12:00:00Z",` +
			`"users":[{"username":"admin","email":"admin@example.com","tokens":[{"token":"t"}]}],` +
			`"organizations":[{"name":"acme","email":"acme@example.com"}],"service_keys":` + keys + `}`)
	}
	tests := []struct {
		name    string
		keys    string
		wantErr string
	}{
		{name: "created is required", keys: `[{"kid":"k1","service":"svc"}]`, wantErr: "service_keys[0].created: missing required field"},
		{name: "service must match Quay's rule", keys: `[{"service":"Bad","created":"2026-11-01T00:00:00Z"}]`,
			wantErr: `service_keys[0].service: "Bad" does not match ^[a-z0-9_]+$`},
		{name: "metadata must be an object", keys: `[{"service":"svc","created":"2026-11-01T00:00:00Z","metadata":[1]}]`,
			wantErr: "service_keys[0].metadata: not a JSON object"},
		{name: "approved_by must be a seeded user", keys: `[{"service":"svc","created":"2026-11-01T00:00:00Z","approved_by":"zed"}]`,
			wantErr: `service_keys[0].approved_by: "zed" is not a seeded user`},
		{name: "an organization cannot approve", keys: `[{"service":"svc","created":"2026-11-01T00:00:00Z","approved_by":"acme"}]`,
			wantErr: `service_keys[0].approved_by: "acme" is not a seeded user`},
		{name: "approval_type must be one of Quay's", keys: `[{"service":"svc","created":"2026-11-01T00:00:00Z","approved_by":"admin","approval_type":"Super User API"}]`,
			wantErr: `service_keys[0].approval_type: "Super User API" is not one of "ServiceKeyApprovalType.SUPERUSER", "ServiceKeyApprovalType.KEY_ROTATION", "ServiceKeyApprovalType.AUTOMATIC"`},
		{name: "approval fields need approved_by", keys: `[{"service":"svc","created":"2026-11-01T00:00:00Z","notes":"n"}]`,
			wantErr: "service_keys[0].approved_by: approved_by or approval_type required with approved_date or notes"},
		{name: "duplicate kid", keys: `[{"kid":"k1","service":"svc","created":"2026-11-01T00:00:00Z"},{"kid":"k1","service":"svc","created":"2026-11-01T00:00:00Z"}]`,
			wantErr: `service_keys[1].kid: "k1" is already used by another service key`},
		{name: "unknown key", keys: `[{"service":"svc","created":"2026-11-01T00:00:00Z","expires":null}]`,
			wantErr: "service_keys[0].expires: unknown field"},
		{name: "bad type", keys: `[{"service":5,"created":"2026-11-01T00:00:00Z"}]`,
			wantErr: "service_keys[0].service: want a string, got the number 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seed, err := ParseSeed(seedJSON(tc.keys))
			if err == nil {
				_, err = New(WithSeed(seed))
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
		})
	}

	t.Run("defaults", func(t *testing.T) {
		t.Parallel()
		seed, err := ParseSeed(seedJSON(`[{"kid":"k1","service":"svc","created":"2026-11-01T00:00:00Z","expiration":null,` +
			`"approved_by":"admin","metadata":{"a":[1,{"b":null}]}},` +
			`{"service":"svc","name":"second","created":"2026-11-02T00:00:00.1234567Z","expiration":"2027-01-01T00:00:00Z",` +
			`"approved_by":"admin","approval_type":"ServiceKeyApprovalType.AUTOMATIC","approved_date":"2026-11-03T00:00:00Z","notes":"n","rotation_duration":3600}]`))
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(WithSeed(seed))
		if err != nil {
			t.Fatal(err)
		}
		got := s.ServiceKeys()
		if len(got) != 2 {
			t.Fatalf("%d keys", len(got))
		}
		if len(got[0].JWK.N) != 342 || len(got[1].Kid) != 43 || got[1].JWK.Kid != got[1].Kid {
			t.Fatalf("generated parts: n %d chars, kid %q, jwk kid %q", len(got[0].JWK.N), got[1].Kid, got[1].JWK.Kid)
		}
		want := []ServiceKey{
			{Kid: "k1", Service: "svc", JWK: ServiceKeyJWK{Kty: "RSA", E: "AQAB", N: got[0].JWK.N, Kid: "k1"},
				Metadata: json.RawMessage(`{"a":[1,{"b":null}]}`), Created: at("2026-11-01T00:00:00Z"),
				Approval: &ServiceKeyApproval{Approver: "admin", Type: "ServiceKeyApprovalType.SUPERUSER", Date: at("2026-11-01T00:00:00Z")}},
			{Kid: got[1].Kid, Name: "second", Service: "svc", JWK: ServiceKeyJWK{Kty: "RSA", E: "AQAB", N: got[1].JWK.N, Kid: got[1].Kid},
				Metadata: json.RawMessage(`{}`), Created: at("2026-11-02T00:00:00.123456Z"), Expiration: ptr(at("2027-01-01T00:00:00Z")),
				RotationDuration: ptr(int64(3600)),
				Approval:         &ServiceKeyApproval{Approver: "admin", Type: "ServiceKeyApprovalType.AUTOMATIC", Date: at("2026-11-03T00:00:00Z"), Notes: "n"}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("seeded keys (-want +got):\n%s", diff)
		}
	})
}

// The direct Go API: AddServiceKey hands back the private half, which the
// server does not keep; the readers see hidden keys too.
func TestDirectServiceKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	exp := fixtureTime.Add(-30 * 24 * time.Hour)
	key, private, err := h.s.AddServiceKey(SeedServiceKey{Service: "svc", Created: fixtureTime.Add(-60 * 24 * time.Hour), Expiration: &exp})
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(private))
	if block == nil {
		t.Fatalf("private key is not PEM: %q", private)
	}
	rsaKey, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if n := base64.RawURLEncoding.EncodeToString(rsaKey.N.Bytes()); n != key.JWK.N {
		t.Errorf("private key does not match the stored JWK")
	}
	got, ok := h.s.ServiceKey(key.Kid)
	if !ok {
		t.Fatal("the hidden key is not found")
	}
	if diff := cmp.Diff(key, got); diff != "" {
		t.Errorf("ServiceKey (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]ServiceKey{key}, h.s.ServiceKeys()); diff != "" {
		t.Errorf("ServiceKeys (-want +got):\n%s", diff)
	}
	checkReply(t, replyNotFound, h.do("GET", "/api/v1/superuser/keys/"+key.Kid, tokAdmin, ""))
	if logs := serviceKeyLogs(h); len(logs) != 0 {
		t.Errorf("AddServiceKey logged %v", logs)
	}
	_, _, err = h.s.AddServiceKey(SeedServiceKey{Service: "svc", Created: fixtureTime, ApprovedBy: "nobody"})
	if want := `fakequay: AddServiceKey: approved_by: "nobody" is not a seeded user`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if _, ok := h.s.ServiceKey("missing"); ok {
		t.Error("a missing kid was found")
	}
}
