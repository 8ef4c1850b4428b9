package fakequay

import (
	"strings"
	"testing"
)

// The namespace quota API (endpoints/api/namespacequota.py) on the
// withAcmeQuota fixture: acme's quota 1 has limits 1 (Warning 80) and 2
// (Reject 100); alice's quota 2 (added by withAliceQuota) has limit 3.

// withAliceQuota also turns on FEATURE_SUPERUSERS_FULL_ACCESS (Quay's test
// config has it), without which no one writes organization quotas.
func withAliceQuota(s *Seed) {
	withAcmeQuota(s)
	s.Config.FeatureSuperusersFullAccess = true
	s.Quotas = append(s.Quotas, SeedQuota{Namespace: "alice", LimitBytes: 1000, Limits: []SeedQuotaLimit{{Type: "Warning", LimitPercent: 50}}})
}

const aliceQuotaJSON = `{"id": 2, "limit_bytes": 1000, "limit": "1000.0 Byte", "default_config": false, ` +
	`"limits": [{"id": 3, "type": "Warning", "limit_percent": 50}], "default_config_exists": false}`

type nsQuotaStep struct {
	method, path, token, body string
	want                      reply
}

func TestNamespaceQuota(t *testing.T) {
	t.Parallel()
	const org = "/api/v1/organization/acme/quota"
	acmeWith := func(limits string) string {
		return strings.Replace(acmeQuotaJSON,
			`[{"id": 1, "type": "Warning", "limit_percent": 80}, {"id": 2, "type": "Reject", "limit_percent": 100}]`, limits, 1)
	}
	orgLimitsMsg := "Invalid limit format, use a number followed by a unit (e.g. 1GiB)"
	tests := []struct {
		name  string
		steps []nsQuotaStep
	}{
		{"listOrganizationQuota: a member-or-superuser read of the one quota (namespacequota.py:98)", []nsQuotaStep{
			{"GET", org, tokAdmin, "", jsonReply(200, "["+acmeQuotaJSON+"]")},
			{"GET", org, tokAuditor, "", jsonReply(200, "["+acmeQuotaJSON+"]")},
			{"GET", org, tokAlice, "", replyForbidden},
			{"GET", org, tokNone, "", replyUnauthorized},
		}},
		{"listOrganizationQuota: only organizations (get_organization, :110)", []nsQuotaStep{
			{"GET", "/api/v1/organization/alice/quota", tokAdmin, "", replyNotFound},
			{"GET", "/api/v1/organization/nosuch/quota", tokAdmin, "", replyNotFound},
		}},
		{"createOrganizationQuota: one quota per organization (:150)", []nsQuotaStep{
			{"POST", org, tokAdmin, `{"limit_bytes": 1000}`, apiErrorReply(400, "invalid_request", "Organization quota for 'acme' already exists")},
			{"POST", "/api/v1/organization/alice/quota", tokAdmin, `{"limit_bytes": 1000}`, replyNotFound},
			{"POST", "/api/v1/organization/acme/quota", tokAdmin, `{"limit_bytes": 5, "limit": null}`, apiErrorReply(400, "invalid_request", orgLimitsMsg)},
		}},
		{"createOrganizationQuota: superusers with full access only (:133)", []nsQuotaStep{
			{"POST", "/api/v1/organization/buynlarge/quota", tokAlice, `{"limit_bytes": 1000}`, replyForbidden},
			{"POST", "/api/v1/organization/buynlarge/quota", tokAdmin, `{"limit_bytes": 0}`,
				apiErrorReply(400, "invalid_request", "Invalid quota size limit value: '0'")},
			{"POST", "/api/v1/organization/buynlarge/quota", tokAdmin, `{"limit": "2 KiB"}`, replyCreated},
			{"GET", "/api/v1/organization/buynlarge/quota", tokAdmin, "",
				jsonReply(200, `[{"id": 3, "limit_bytes": 2048, "limit": "2.0 KiB", "default_config": false, "limits": [], "default_config_exists": false}]`)},
		}},
		{"getOrganizationQuota and changeOrganizationQuota: any namespace's quota by id (get_quota, :62)", []nsQuotaStep{
			{"GET", org + "/1", tokAdmin, "", jsonReply(200, acmeQuotaJSON)},
			{"GET", org + "/2", tokAdmin, "", replyNotFound},
			{"PUT", org + "/1", tokAdmin, `{"limit": "5 GiB"}`, jsonReply(200, strings.Replace(strings.Replace(acmeQuotaJSON,
				`"limit_bytes": 10737418240`, `"limit_bytes": 5368709120.0`, 1), `"10.0 GiB"`, `"5.0 GiB"`, 1))},
			{"PUT", org + "/1", tokAdmin, `{}`, jsonReply(200, strings.Replace(strings.Replace(acmeQuotaJSON,
				`"limit_bytes": 10737418240`, `"limit_bytes": 5368709120`, 1), `"10.0 GiB"`, `"5.0 GiB"`, 1))},
			{"PUT", org + "/1", tokAdmin, `{"limit_bytes": -5}`, apiErrorReply(400, "invalid_request", "Invalid quota size limit value: '-5'")},
		}},
		{"deleteOrganizationQuota: the quota and its limits go (:270)", []nsQuotaStep{
			{"DELETE", org + "/1", tokAlice, "", replyForbidden},
			{"DELETE", org + "/1", tokAdmin, "", replyNoContent},
			{"DELETE", org + "/1", tokAdmin, "", replyNotFound},
			{"GET", org, tokAdmin, "", jsonReply(200, "[]")},
			{"GET", org + "/1/limit/1", tokAdmin, "", replyNotFound},
		}},
		{"createOrganizationQuotaLimit: the duplicate filter validates first (:340)", []nsQuotaStep{
			{"POST", org + "/1/limit", tokAdmin, `{"type": "warning", "threshold_percent": 80}`, apiErrorReply(400, "invalid_request", "Quota limit already exists")},
			{"POST", org + "/1/limit", tokAdmin, `{"type": "nope", "threshold_percent": 50}`, modelErrorReply("Quota type must be one of [Warning, Reject]")},
			{"POST", org + "/1/limit", tokAdmin, `{"type": "Warning", "threshold_percent": 150}`, modelErrorReply("Quota limit threshold must be between 1 and 100")},
			// A falsy percent filters on the type alone.
			{"POST", org + "/1/limit", tokAdmin, `{"type": "Warning", "threshold_percent": 0}`, apiErrorReply(400, "invalid_request", "Quota limit already exists")},
			// An empty type filters on nothing; the model then refuses it.
			{"POST", org + "/1/limit", tokAdmin, `{"type": "", "threshold_percent": 50}`, apiErrorReply(400, "invalid_request", "Quota type must be one of [Warning, Reject]")},
			{"POST", org + "/1/limit", tokAdmin, `{"type": "reject", "threshold_percent": 95.0}`, replyCreated},
			{"GET", org + "/1/limit", tokAdmin, "", jsonReply(200, `[{"id": 1, "type": "Warning", "limit_percent": 80}, `+
				`{"id": 2, "type": "Reject", "limit_percent": 100}, {"id": 4, "type": "Reject", "limit_percent": 95}]`)},
		}},
		{"getOrganizationQuotaLimit: limit ids are global; another quota's is InvalidNamespaceQuota() (:405)", []nsQuotaStep{
			{"GET", org + "/1/limit/2", tokAuditor, "", jsonReply(200, `{"id": 2, "type": "Reject", "limit_percent": 100}`)},
			{"GET", org + "/1/limit/3", tokAdmin, "", modelErrorReply("")},
			{"GET", org + "/1/limit/9", tokAdmin, "", replyNotFound},
		}},
		{"changeOrganizationQuotaLimit: answers with the quota; a type saved before a refused threshold stays (:425)", []nsQuotaStep{
			{"PUT", org + "/1/limit/1", tokAdmin, `{"threshold_percent": 70}`,
				jsonReply(200, acmeWith(`[{"id": 1, "type": "Warning", "limit_percent": 70}, {"id": 2, "type": "Reject", "limit_percent": 100}]`))},
			{"PUT", org + "/1/limit/1", tokAdmin, `{"type": "REJECT", "threshold_percent": 500}`, modelErrorReply("Quota limit threshold must be between 1 and 100")},
			{"GET", org + "/1/limit/1", tokAdmin, "", jsonReply(200, `{"id": 1, "type": "Reject", "limit_percent": 70}`)},
			{"PUT", org + "/1/limit/1", tokAdmin, `{"type": "nope"}`, modelErrorReply("Quota type must be one of [Warning, Reject]")},
		}},
		{"deleteOrganizationQuotaLimit (:470)", []nsQuotaStep{
			{"DELETE", org + "/1/limit/1", tokAdmin, "", replyNoContent},
			{"DELETE", org + "/1/limit/1", tokAdmin, "", replyNotFound},
			{"GET", org + "/1", tokAdmin, "", jsonReply(200, acmeWith(`[{"id": 2, "type": "Reject", "limit_percent": 100}]`))},
		}},
		{"the caller's own quota (UserQuotaList ... UserQuotaLimit, :510)", []nsQuotaStep{
			{"GET", "/api/v1/user/quota", tokAlice, "", jsonReply(200, "["+aliceQuotaJSON+"]")},
			{"GET", "/api/v1/user/quota", tokAdmin, "", jsonReply(200, "[]")},
			{"GET", "/api/v1/user/quota/2", tokAlice, "", jsonReply(200, aliceQuotaJSON)},
			{"GET", "/api/v1/user/quota/1", tokAlice, "", replyNotFound},
			{"GET", "/api/v1/user/quota/2/limit", tokAlice, "", jsonReply(200, `[{"id": 3, "type": "Warning", "limit_percent": 50}]`)},
			// getUserQuotaLimit answers with the quota's view.
			{"GET", "/api/v1/user/quota/2/limit/3", tokAlice, "", jsonReply(200, aliceQuotaJSON)},
			{"GET", "/api/v1/user/quota/2/limit/1", tokAlice, "", modelErrorReply("")},
			{"GET", "/api/v1/user/quota", tokNone, "", replyUnauthorized},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, withAliceQuota)
			for i, st := range tc.steps {
				got := h.do(st.method, st.path, st.token, st.body)
				if got.Status != st.want.Status || got.Body != st.want.Body {
					t.Errorf("step %d %s %s:", i, st.method, st.path)
					checkReply(t, st.want, got)
				}
			}
		})
	}
}
