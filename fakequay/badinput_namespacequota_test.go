package fakequay

// The bad-input corpus of the namespace quota API (endpoints/api/
// namespacequota.py). The corpus fixture runs without
// FEATURE_SUPERUSERS_FULL_ACCESS, so a body the schema accepts meets the
// permission check (allow_if_superuser_with_full_access) and is refused;
// validate_json_request runs before it. acme has quota 1 with limits 1
// and 2 (withAcmeQuota).
func namespaceQuotaBadInputs() []badInput {
	const (
		org   = "/api/v1/organization/acme/quota"
		owner = "owen-token"
	)
	b := func(name, method, path, token, body string, want shape, header ...string) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want, header: header}
	}
	return []badInput{
		// createOrganizationQuota: NewOrgQuota, then the permission
		b("§namespacequota.py createOrganizationQuota: {}", "POST", org, tokAdmin, `{}`, invalid("'limit_bytes' is a required property")),
		b("§namespacequota.py createOrganizationQuota: limit_bytes a string", "POST", org, tokAdmin, `{"limit_bytes": "5"}`,
			invalid("'5' is not of type 'integer'")),
		b("§namespacequota.py createOrganizationQuota: truncated JSON", "POST", org, tokAdmin, `{"limit_bytes": 5`, shBadJSON),
		b("§namespacequota.py createOrganizationQuota: no content type", "POST", org, tokAdmin, `{"limit_bytes": 5}`, shNotJSON, "Content-Type", ""),
		b("§namespacequota.py createOrganizationQuota: literal null", "POST", org, tokAdmin, `null`, shMissing),
		b("§namespacequota.py createOrganizationQuota: an admin is no superuser", "POST", org, owner, `{"limit_bytes": 5}`, shForbidden),
		b("§namespacequota.py createOrganizationQuota: without FULL_ACCESS", "POST", org, tokAdmin, `{"limit_bytes": 5}`, shForbidden),
		b("§namespacequota.py createOrganizationQuota: anonymous", "POST", org, tokNone, `{"limit_bytes": 5}`, shCSRF),
		// changeOrganizationQuota: UpdateOrgQuota forbids extra keys
		b("§namespacequota.py changeOrganizationQuota: an extra key", "PUT", org+"/1", tokAdmin, `{"limit_bytes": 5, "x": 1}`,
			invalid("{} is not allowed for 5")),
		b("§namespacequota.py changeOrganizationQuota: without FULL_ACCESS", "PUT", org+"/1", tokAdmin, `{"limit_bytes": 5}`, shForbidden),
		b("§namespacequota.py deleteOrganizationQuota: an admin is no superuser", "DELETE", org+"/1", owner, ``, shForbidden),
		// limits: NewOrgQuotaLimit requires both keys
		b("§namespacequota.py createOrganizationQuotaLimit: {}", "POST", org+"/1/limit", tokAdmin, `{}`, invalid("'type' is a required property")),
		b("§namespacequota.py createOrganizationQuotaLimit: a string percent", "POST", org+"/1/limit", tokAdmin,
			`{"type": "Warning", "threshold_percent": "5"}`, invalid("'5' is not of type 'integer'")),
		b("§namespacequota.py createOrganizationQuotaLimit: a numeric type", "POST", org+"/1/limit", tokAdmin,
			`{"type": 5, "threshold_percent": 5}`, invalid("5 is not of type 'string'")),
		b("§namespacequota.py createOrganizationQuotaLimit: without FULL_ACCESS", "POST", org+"/1/limit", tokAdmin,
			`{"type": "Warning", "threshold_percent": 5}`, shForbidden),
		b("§namespacequota.py changeOrganizationQuotaLimit: a fractional percent", "PUT", org+"/1/limit/1", tokAdmin,
			`{"threshold_percent": 5.5}`, invalid("5.5 is not of type 'integer'")),
		b("§namespacequota.py changeOrganizationQuotaLimit: an admin is no superuser", "PUT", org+"/1/limit/1", owner, `{}`, shForbidden),
		b("§namespacequota.py deleteOrganizationQuotaLimit: anonymous", "DELETE", org+"/1/limit/1", tokNone, ``, shCSRF),
	}
}
