package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// quotaFamily is one of Quay's two quota URL families (§2.14). They behave
// identically and both accept users and organizations: only the route, and
// so the operation's nickname, differs.
type quotaFamily struct {
	noun    string                           // as in the nicknames: "User", "Organization"
	segment string                           // the path segment: "users", "organization" (singular)
	ns      func(string) superuser.Namespace // the client's way to pick the family
}

var quotaFamilies = []quotaFamily{
	{noun: "User", segment: "users", ns: superuser.UserNamespace},
	{noun: "Organization", segment: "organization", ns: superuser.OrgNamespace},
}

// op is the family's nickname for verb ("list", "create", "change", "delete").
func (f quotaFamily) op(verb string) string { return verb + f.noun + "QuotaSuperUser" }

// path is the family's quota collection of namespace name, spelled out from
// §2.14 rather than taken from the client, for requests sent raw.
func (f quotaFamily) path(name string) string {
	return "superuser/" + f.segment + "/" + name + "/quota"
}

// namespaceKind is a kind of namespace a quota can belong to.
type namespaceKind struct {
	name   string // with its article, for case names
	create func(e *env, t *testing.T) string
}

var namespaceKinds = []namespaceKind{
	{name: "a user", create: func(e *env, t *testing.T) string { return e.createUser(t, "quser").Username }},
	{name: "an organization", create: func(e *env, t *testing.T) string { return e.createOrg(t, "qorg") }},
}

// needQuotas skips t on a target without FEATURE_QUOTA_MANAGEMENT, where
// Quay has no quota routes at all (§0, §1.5).
func (e *env) needQuotas(t *testing.T) {
	t.Helper()
	if !e.tgt.QuotaManagement {
		t.Skip("the target runs without FEATURE_QUOTA_MANAGEMENT: Quay has no quota routes")
	}
}

// quotaUser creates a user for a quota case (the namespace a quota is on
// does not change the behaviour of either family).
func (e *env) quotaUser(t *testing.T) string {
	t.Helper()
	e.needQuotas(t)
	return e.createUser(t, "quota").Username
}

// createQuota gives ns a quota and returns it as List shows it: Quay's
// answer to create carries no id (§2.14). It goes with the namespace.
func (e *env) createQuota(t *testing.T, ns superuser.Namespace, req superuser.CreateQuotaRequest) superuser.Quota {
	t.Helper()
	_, err := e.su(t).Quotas.Create(t.Context(), ns, req)
	wantNoError(t, "creating a quota for "+ns.String(), err)
	return e.onlyQuota(t, ns)
}

// onlyQuota returns ns's quota, failing unless List shows exactly one.
func (e *env) onlyQuota(t *testing.T, ns superuser.Namespace) superuser.Quota {
	t.Helper()
	quotas, _, err := e.su(t).Quotas.List(t.Context(), ns)
	wantNoError(t, "List", err)
	if len(quotas) != 1 {
		t.Fatalf("%s has %d quotas %+v, want 1", ns, len(quotas), quotas)
	}
	return quotas[0]
}

// wantNoQuota checks that List shows no quota for ns.
func (e *env) wantNoQuota(t *testing.T, ns superuser.Namespace) {
	t.Helper()
	quotas, _, err := e.su(t).Quotas.List(t.Context(), ns)
	wantNoError(t, "List", err)
	if diff := cmp.Diff([]superuser.Quota{}, quotas); diff != "" {
		t.Errorf("quotas of %s (-want +got):\n%s", ns, diff)
	}
}

// quotaView is the full quota view of a quota made through the API (no
// limits). default_config_exists is the deployment's
// DEFAULT_SYSTEM_REJECT_QUOTA_BYTES != 0, so it is taken from got.
func quotaView(got superuser.Quota, limitBytes int64, limit string) superuser.Quota {
	return superuser.Quota{ID: got.ID, LimitBytes: quay.Int64(limitBytes), Limit: limit,
		Limits: []superuser.QuotaLimit{}, DefaultConfigExists: got.DefaultConfigExists}
}

// wantQuota compares a quota view with what it should be.
func wantQuota(t *testing.T, want, got superuser.Quota) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("quota (-want +got):\n%s", diff)
	}
}

// wantCrash checks err is Quay's unhandled-exception 500: gunicorn's HTML
// page, no JSON error body (§1.3 family G).
func wantCrash(t *testing.T, err error) {
	t.Helper()
	qe, ok := asQuayError(err)
	if !ok {
		t.Fatalf("err = %v, want a *quay.Error", err)
	}
	if !errorsIsServer(err) || qe.StatusCode != http.StatusInternalServerError || qe.Type != "" || qe.Message != "" {
		t.Errorf("got %d type=%q message=%q, want the 500 HTML page of an unhandled exception", qe.StatusCode, qe.Type, qe.Message)
	}
}

// rawLimitBytes is limit_bytes exactly as a raw quota view spells it.
type rawLimitBytes struct {
	LimitBytes json.Number `json:"limit_bytes"`
}

// decodeRaw decodes a raw answer into v, keeping numbers as spelt.
func decodeRaw(t *testing.T, body []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}

const gib = 1 << 30

func quotasCases() []testCase {
	var all []testCase
	for _, f := range quotaFamilies {
		all = append(all, quotaListCases(f)...)
		all = append(all, quotaCreateCases(f)...)
		all = append(all, quotaChangeCases(f)...)
		all = append(all, quotaDeleteCases(f)...)
	}
	return append(all, quotaViewCases()...)
}

func quotaListCases(f quotaFamily) []testCase {
	op := f.op("list")
	return []testCase{
		{op: op, name: "§2.14 [] without a quota, then exactly the one quota", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			e.wantNoQuota(t, ns)
			_, err := e.su(t).Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{LimitBytes: 10 * gib})
			wantNoError(t, "Create", err)
			got := e.onlyQuota(t, ns)
			if got.ID <= 0 {
				t.Errorf("quota id %d", got.ID)
			}
			wantQuota(t, quotaView(got, 10*gib, "10.0 GiB"), got)
		}},
		{op: op, name: "§2.14 an unknown namespace is 404", run: func(t *testing.T, e *env) {
			e.needQuotas(t)
			_, _, err := e.su(t).Quotas.List(t.Context(), f.ns(e.name("ghost")))
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: op, name: "§2.14 a read-only superuser may list", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			ns := f.ns(e.quotaUser(t))
			want := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			got, _, err := gro.Quotas.List(t.Context(), ns)
			wantNoError(t, "List as GRO", err)
			if diff := cmp.Diff([]superuser.Quota{want}, got); diff != "" {
				t.Errorf("(-superuser +read-only superuser):\n%s", diff)
			}
		}},
		{op: op, name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			_, _, err := e.client(t, NormalUser).Quotas.List(t.Context(), ns)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: op, name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			_, _, err := e.client(t, Anonymous).Quotas.List(t.Context(), ns)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
	}
}

func quotaCreateCases(f quotaFamily) []testCase {
	op := f.op("create")
	var cases []testCase
	for _, kind := range namespaceKinds {
		cases = append(cases, testCase{op: op, name: "§2.14 201 on " + kind.name + ", no id: List finds it",
			run: func(t *testing.T, e *env) {
				e.needQuotas(t)
				ns := f.ns(kind.create(e, t))
				resp, err := e.su(t).Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{LimitBytes: 2 * gib})
				wantNoError(t, "Create", err)
				if resp.StatusCode != http.StatusCreated {
					t.Errorf("status %d, want 201 (§4 quirk 2)", resp.StatusCode)
				}
				got := e.onlyQuota(t, ns)
				wantQuota(t, quotaView(got, 2*gib, "2.0 GiB"), got)
			}})
	}
	return append(cases,
		testCase{op: op, name: `§1.4 the answer is the JSON string "Created"`, run: func(t *testing.T, e *env) {
			name := e.quotaUser(t)
			body, err := e.raw(t, Superuser, http.MethodPost, f.path(name), map[string]int64{"limit_bytes": gib})
			wantNoError(t, "POST", err)
			if got := string(bytes.TrimSpace(body)); got != `"Created"` {
				t.Errorf("body %q, want \"Created\"", body)
			}
			got := e.onlyQuota(t, f.ns(name))
			wantQuota(t, quotaView(got, gib, "1.0 GiB"), got)
		}},
		testCase{op: op, name: "§2.14 one quota per namespace", run: func(t *testing.T, e *env) {
			name := e.quotaUser(t)
			first := e.createQuota(t, f.ns(name), superuser.CreateQuotaRequest{LimitBytes: gib})
			_, err := e.su(t).Quotas.Create(t.Context(), f.ns(name), superuser.CreateQuotaRequest{LimitBytes: 2 * gib})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Quota for '" + name + "' already exists"})
			wantQuota(t, first, e.onlyQuota(t, f.ns(name)))
		}},
		testCase{op: op, name: "§1.10 5G is 5e9 bytes (SI decimal)", run: func(t *testing.T, e *env) {
			got := e.createQuota(t, f.ns(e.quotaUser(t)), superuser.CreateQuotaRequest{Limit: "5G"})
			wantQuota(t, quotaView(got, 5_000_000_000, "4.7 GiB"), got)
		}},
		testCase{op: op, name: "§1.10 B, Yi and Zi units are Invalid limit format", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			for _, limit := range []string{"512B", "1 B", "3Yi", "3 YiB", "2Zi", "2ZiB"} {
				_, err := e.su(t).Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{Limit: limit})
				t.Run(limit, func(t *testing.T) {
					wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Invalid limit format"})
				})
			}
			e.wantNoQuota(t, ns)
		}},
		testCase{op: op, name: "§1.10 a decimal limit fails the schema pattern", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			_, err := e.su(t).Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{Limit: "1.5G"})
			qe, ok := asQuayError(err)
			if !ok {
				t.Fatalf("err = %v, want a *quay.Error", err)
			}
			// The detail is jsonschema's multi-line text; its first line is
			// the message, then the pattern in Python's repr (§1.6).
			if !errors.Is(err, quay.ErrBadRequest) || qe.Type != "invalid_request" || !strings.HasPrefix(qe.Detail, "'1.5G' does not match '") {
				t.Errorf("got %d type=%q detail=%q, want 400 invalid_request \"'1.5G' does not match '...'\"", qe.StatusCode, qe.Type, qe.Detail)
			}
			e.wantNoQuota(t, ns)
		}},
		testCase{op: op, name: "§2.14 a limit that is not positive is a 400", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			for _, c := range []struct {
				req  superuser.CreateQuotaRequest
				repr string
			}{
				{superuser.CreateQuotaRequest{LimitBytes: -5}, "-5"},
				{superuser.CreateQuotaRequest{Limit: "0"}, "0.0"}, // bitmath's float
			} {
				_, err := e.su(t).Quotas.Create(t.Context(), ns, c.req)
				t.Run(c.repr, func(t *testing.T) {
					wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Invalid quota size limit value: '" + c.repr + "'"})
				})
			}
			e.wantNoQuota(t, ns)
		}},
		testCase{op: op, name: "§2.14 an unknown namespace is a 500", run: func(t *testing.T, e *env) {
			e.needQuotas(t)
			_, err := e.su(t).Quotas.Create(t.Context(), f.ns(e.name("ghost")), superuser.CreateQuotaRequest{LimitBytes: gib})
			wantCrash(t, err)
		}},
		testCase{op: op, name: "§1.2 a read-only superuser cannot create", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			ns := f.ns(e.quotaUser(t))
			_, err := gro.Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			e.wantNoQuota(t, ns)
		}},
		testCase{op: op, name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			normal := e.client(t, NormalUser)
			ns := f.ns(e.quotaUser(t))
			_, err := normal.Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			e.wantNoQuota(t, ns)
		}},
		testCase{op: op, name: "§1.1 an anonymous create gets the CSRF 403", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			_, err := e.client(t, Anonymous).Quotas.Create(t.Context(), ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			wantCSRF(t, err)
			e.wantNoQuota(t, ns)
		}},
	)
}

func quotaChangeCases(f quotaFamily) []testCase {
	op := f.op("change")
	return []testCase{
		{op: op, name: "§2.14 a limit string answers limit_bytes as a float, read as int64", run: func(t *testing.T, e *env) {
			name := e.quotaUser(t)
			q := e.createQuota(t, f.ns(name), superuser.CreateQuotaRequest{LimitBytes: gib})
			got, _, err := e.su(t).Quotas.Update(t.Context(), f.ns(name), q.ID, superuser.UpdateQuotaRequest{Limit: "5G"})
			wantNoError(t, "Update", err)
			wantQuota(t, quotaView(q, 5_000_000_000, "4.7 GiB"), got)
			// The same change sent raw, to see the float on the wire, and
			// the stored int a later read shows.
			item := fmt.Sprintf("%s/%d", f.path(name), q.ID)
			body, err := e.raw(t, Superuser, http.MethodPut, item, map[string]string{"limit": "5G"})
			wantNoError(t, "PUT", err)
			var changed rawLimitBytes
			decodeRaw(t, body, &changed)
			if changed.LimitBytes != "5000000000.0" {
				t.Errorf("PUT answered limit_bytes %s, want the float 5000000000.0 (§4 quirk 10)", changed.LimitBytes)
			}
			body, err = e.raw(t, Superuser, http.MethodGet, f.path(name), nil)
			wantNoError(t, "GET", err)
			var listed []rawLimitBytes
			decodeRaw(t, body, &listed)
			if len(listed) != 1 || listed[0].LimitBytes != "5000000000" {
				t.Errorf("a later GET shows %s, want limit_bytes as the int 5000000000", body)
			}
		}},
		{op: op, name: "§1.10 limit strings: letters and xB decimal, xi and xiB binary, digits bytes", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			for _, c := range []struct {
				limit string
				bytes int64
				text  string
			}{
				{"5 K", 5000, "4.9 KiB"},
				{"5GB", 5_000_000_000, "4.7 GiB"},
				{"200 Mi", 209_715_200, "200.0 MiB"},
				{"1TiB", 1 << 40, "1.0 TiB"},
				{"100", 100, "100.0 Byte"},
			} {
				got, _, err := e.su(t).Quotas.Update(t.Context(), ns, q.ID, superuser.UpdateQuotaRequest{Limit: c.limit})
				t.Run(c.limit, func(t *testing.T) {
					wantNoError(t, "Update", err)
					wantQuota(t, quotaView(q, c.bytes, c.text), got)
				})
			}
		}},
		{op: op, name: "§2.14 limit_bytes changes the limit; 0 and {} change nothing", run: func(t *testing.T, e *env) {
			name := e.quotaUser(t)
			ns := f.ns(name)
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			got, _, err := e.su(t).Quotas.Update(t.Context(), ns, q.ID, superuser.UpdateQuotaRequest{LimitBytes: 2048})
			wantNoError(t, "Update", err)
			want := quotaView(q, 2048, "2.0 KiB")
			wantQuota(t, want, got)
			for _, req := range []superuser.UpdateQuotaRequest{{Limit: "0"}, {}} {
				got, _, err := e.su(t).Quotas.Update(t.Context(), ns, q.ID, req)
				t.Run(fmt.Sprintf("%+v", req), func(t *testing.T) {
					wantNoError(t, "Update", err)
					wantQuota(t, want, got)
				})
			}
			// The client leaves a zero LimitBytes out; Quay ignores it when sent.
			_, err = e.raw(t, Superuser, http.MethodPut, fmt.Sprintf("%s/%d", f.path(name), q.ID), map[string]int64{"limit_bytes": 0})
			wantNoError(t, `PUT {"limit_bytes": 0}`, err)
			wantQuota(t, want, e.onlyQuota(t, ns))
		}},
		{op: op, name: "§1.10 a B unit is Invalid limit format; the limit stays", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, _, err := e.su(t).Quotas.Update(t.Context(), ns, q.ID, superuser.UpdateQuotaRequest{Limit: "1 B"})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Invalid limit format"})
			wantQuota(t, q, e.onlyQuota(t, ns))
		}},
		{op: op, name: "§2.14 a negative limit is a 400", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, _, err := e.su(t).Quotas.Update(t.Context(), ns, q.ID, superuser.UpdateQuotaRequest{LimitBytes: -5})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Invalid quota size limit value: '-5'"})
			wantQuota(t, q, e.onlyQuota(t, ns))
		}},
		{op: op, name: "§2.14 another namespace's quota id is 404", run: func(t *testing.T, e *env) {
			mine, other := f.ns(e.quotaUser(t)), f.ns(e.quotaUser(t))
			e.createQuota(t, mine, superuser.CreateQuotaRequest{LimitBytes: gib})
			theirs := e.createQuota(t, other, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, _, err := e.su(t).Quotas.Update(t.Context(), mine, theirs.ID, superuser.UpdateQuotaRequest{LimitBytes: 2048})
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			wantQuota(t, theirs, e.onlyQuota(t, other))
		}},
		{op: op, name: "§2.14 an unknown namespace is a 500", run: func(t *testing.T, e *env) {
			e.needQuotas(t)
			_, _, err := e.su(t).Quotas.Update(t.Context(), f.ns(e.name("ghost")), 1, superuser.UpdateQuotaRequest{LimitBytes: 2048})
			wantCrash(t, err)
		}},
		{op: op, name: "§1.2 a read-only superuser cannot change", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, _, err := gro.Quotas.Update(t.Context(), ns, q.ID, superuser.UpdateQuotaRequest{LimitBytes: 2048})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			wantQuota(t, q, e.onlyQuota(t, ns))
		}},
		{op: op, name: "§1.1 an anonymous change gets the CSRF 403", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, _, err := e.client(t, Anonymous).Quotas.Update(t.Context(), ns, q.ID, superuser.UpdateQuotaRequest{LimitBytes: 2048})
			wantCSRF(t, err)
			wantQuota(t, q, e.onlyQuota(t, ns))
		}},
	}
}

func quotaDeleteCases(f quotaFamily) []testCase {
	op := f.op("delete")
	return []testCase{
		{op: op, name: "§2.14 204, then List is empty and a second delete is 404", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			resp, err := e.su(t).Quotas.Delete(t.Context(), ns, q.ID)
			wantNoError(t, "Delete", err)
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("status %d, want 204", resp.StatusCode)
			}
			e.wantNoQuota(t, ns)
			_, err = e.su(t).Quotas.Delete(t.Context(), ns, q.ID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: op, name: "§2.14 another namespace's quota id is 404", run: func(t *testing.T, e *env) {
			mine, other := f.ns(e.quotaUser(t)), f.ns(e.quotaUser(t))
			e.createQuota(t, mine, superuser.CreateQuotaRequest{LimitBytes: gib})
			theirs := e.createQuota(t, other, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, err := e.su(t).Quotas.Delete(t.Context(), mine, theirs.ID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			wantQuota(t, theirs, e.onlyQuota(t, other))
		}},
		{op: op, name: "§2.14 an unknown namespace is a 500", run: func(t *testing.T, e *env) {
			e.needQuotas(t)
			_, err := e.su(t).Quotas.Delete(t.Context(), f.ns(e.name("ghost")), 1)
			wantCrash(t, err)
		}},
		{op: op, name: "§1.2 a read-only superuser cannot delete", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, err := gro.Quotas.Delete(t.Context(), ns, q.ID)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			wantQuota(t, q, e.onlyQuota(t, ns))
		}},
		{op: op, name: "§1.1 an anonymous delete gets the CSRF 403", run: func(t *testing.T, e *env) {
			ns := f.ns(e.quotaUser(t))
			q := e.createQuota(t, ns, superuser.CreateQuotaRequest{LimitBytes: gib})
			_, err := e.client(t, Anonymous).Quotas.Delete(t.Context(), ns, q.ID)
			wantCSRF(t, err)
			wantQuota(t, q, e.onlyQuota(t, ns))
		}},
	}
}

// wantQuotaFields checks the quotas and quota_report a user or organization
// view carries for a namespace whose one quota is q and which stores
// nothing (§1.9).
func wantQuotaFields(t *testing.T, q superuser.Quota, quotas []superuser.QuotaSummary, report *superuser.QuotaReport) {
	t.Helper()
	wantQuotas := []superuser.QuotaSummary{{ID: q.ID, LimitBytes: q.LimitBytes, Limits: []superuser.QuotaLimit{}}}
	if diff := cmp.Diff(wantQuotas, quotas); diff != "" {
		t.Errorf("quotas (-want +got):\n%s", diff)
	}
	if report == nil {
		t.Fatal("no quota_report")
	}
	// The backfill state is the registry's business; it is one of three
	// values, repeated under both keys.
	status := report.BackfillStatus
	if !slices.Contains([]string{"waiting", "running", "complete"}, status) {
		t.Errorf("backfill_status %q", status)
	}
	wantReport := superuser.QuotaReport{QuotaBytes: 0, ConfiguredQuota: new(int64(q.LimitBytes)), RunningBackfill: status, BackfillStatus: status}
	if diff := cmp.Diff(wantReport, *report); diff != "" {
		t.Errorf("quota_report (-want +got):\n%s", diff)
	}
}

func quotaViewCases() []testCase {
	return []testCase{
		{op: "getInstallUser", name: "§1.9 quotas and quota_report show the user's quota", run: func(t *testing.T, e *env) {
			name := e.quotaUser(t)
			before, _, err := e.su(t).Users.Get(t.Context(), name)
			wantNoError(t, "Get", err)
			if before.Quotas == nil || len(before.Quotas) != 0 || before.QuotaReport == nil {
				t.Errorf("without a quota: quotas %#v, quota_report %+v; want [] and a report", before.Quotas, before.QuotaReport)
			}
			q := e.createQuota(t, superuser.UserNamespace(name), superuser.CreateQuotaRequest{LimitBytes: 3 * gib})
			u, _, err := e.su(t).Users.Get(t.Context(), name)
			wantNoError(t, "Get", err)
			wantQuotaFields(t, q, u.Quotas, u.QuotaReport)
		}},
		{op: "listAllOrganizations", name: "§1.9 quotas and quota_report show the organization's quota", alone: true, run: func(t *testing.T, e *env) {
			e.needQuotas(t)
			org := e.createOrg(t, "qview")
			q := e.createQuota(t, superuser.OrgNamespace(org), superuser.CreateQuotaRequest{LimitBytes: 3 * gib})
			for o, err := range e.su(t).Organizations.All(t.Context(), nil) {
				wantNoError(t, "All", err)
				if o.Name == org {
					wantQuotaFields(t, q, o.Quotas, o.QuotaReport)
					return
				}
			}
			t.Errorf("organization %s is not listed", org)
		}},
	}
}
