package conformance

import (
	"encoding/json"
	"net/http"
)

// Namespace quotas through the normal API (endpoints/api/namespacequota.py).
// The reads run on the fixture's quota (an organization's, with a limit);
// the writes work in an organization the normal user creates, while the
// superuser quota writes' quotas still exist: SQLite hands the id of a
// deleted last row to the next one, Postgres's sequence and fakequay do
// not, so nothing here is created after something was deleted.

// nsQuotaOrg is the organization the namespace quota writes create.
const nsQuotaOrg = "dfnsquota"

// namespaceQuotaReads adds the reads of the starting state.
func (p *planner) namespaceQuotaReads() {
	fx := p.fx
	userQuota := api + "/user/quota"
	p.read("listUserQuota", "valid", userQuota, Callers...)
	p.read("getUserQuota", "unknown id", userQuota+"/999999", Superuser, User, Anonymous)
	p.read("listUserQuotaLimit", "unknown id", userQuota+"/999999/limit", Superuser, User)
	p.read("getUserQuotaLimit", "unknown id", userQuota+"/999999/limit/999999", Superuser, User)
	p.read("listOrganizationQuota", "an unknown organization", api+"/organization/nosuch/quota")
	p.read("listOrganizationQuota", "a user's namespace", api+"/organization/"+fx.Superuser+"/quota")
	p.read("getOrganizationQuota", "unknown id", api+"/organization/nosuch/quota/1")
	if fx.Org != "" && fx.Org != fx.QuotaOrg {
		p.read("listOrganizationQuota", "no quota", api+"/organization/"+fx.Org+"/quota", Superuser, User, ReadOnly)
	}
	if fx.QuotaOrg == "" {
		return
	}
	org := api + "/organization/" + fx.QuotaOrg + "/quota"
	quota := org + "/" + fx.QuotaOrgID
	p.read("listOrganizationQuota", "valid", org, Callers...)
	p.read("getOrganizationQuota", "valid", quota, Callers...)
	p.read("getOrganizationQuota", "unknown id", org+"/999999")
	p.read("listOrganizationQuotaLimit", "valid", quota+"/limit", Callers...)
	p.read("listOrganizationQuotaLimit", "unknown id", org+"/999999/limit")
	// The superuser's own quota routes look in the caller's namespace:
	// another namespace's quota id is not found there.
	p.read("getUserQuota", "another namespace's quota", userQuota+"/"+fx.QuotaOrgID, Superuser, User)
	if fx.QuotaOrgLimitID == "" {
		return
	}
	p.read("getOrganizationQuotaLimit", "valid", quota+"/limit/"+fx.QuotaOrgLimitID, Callers...)
	p.read("getOrganizationQuotaLimit", "unknown id", quota+"/limit/999999")
	p.read("getOrganizationQuotaLimit", "an unknown quota", org+"/999999/limit/"+fx.QuotaOrgLimitID)
	p.read("getUserQuotaLimit", "another namespace's quota", userQuota+"/"+fx.QuotaOrgID+"/limit/"+fx.QuotaOrgLimitID, Superuser)
}

// namespaceQuotaWrites adds the writes; quotaWrites calls it while its own
// quotas exist.
func (p *planner) namespaceQuotaWrites() {
	org := api + "/organization/" + nsQuotaOrg + "/quota"
	quota := org + "/{nsq}"
	limits := quota + "/limit"
	// except adds s as every caller but the superuser: only a superuser
	// with full access writes here, the organization's administrator not.
	except := func(s Step) {
		for _, c := range Callers[1:] {
			o := s
			o.Caller, o.Class, o.Capture = c, "caller", nil
			p.write(o)
		}
	}
	p.write(Step{Op: "createOrganization", Class: "valid", Caller: User, Method: http.MethodPost, Path: api + "/organization/",
		Body: `{"name": "` + nsQuotaOrg + `", "email": "` + nsQuotaOrg + `@example.org"}`})

	// createOrganizationQuota: the schema, the permission, the size, then
	// the organization.
	const create = "createOrganizationQuota"
	p.bodies(create, http.MethodPost, org,
		[2]string{"missing field", `{}`},
		[2]string{"wrong type", `{"limit_bytes": "5"}`},
		[2]string{"wrong type", `{"limit_bytes": 5.5}`},
		[2]string{"both forms", `{"limit": "5 GB", "limit_bytes": 5}`},
		[2]string{"bad value", `{"limit_bytes": 0}`},
		[2]string{"bad value", `{"limit_bytes": -5}`},
		[2]string{"bad value", `{"limit": "1.5G"}`},
		[2]string{"bad value", `{"limit_bytes": 5, "limit": null}`},
	)
	p.transport(create, http.MethodPost, org, `{"limit": "10 MiB"}`)
	p.bodies(create, http.MethodPost, api+"/organization/nosuch/quota", [2]string{"an unknown organization", `{"limit_bytes": 1000}`})
	p.bodies(create, http.MethodPost, api+"/organization/"+p.fx.Superuser+"/quota", [2]string{"a user's namespace", `{"limit_bytes": 1000}`})
	valid := Step{Op: create, Class: "valid", Method: http.MethodPost, Path: org, Body: `{"limit": "10 MiB"}`}
	except(valid)
	p.write(valid)
	p.bodies(create, http.MethodPost, org, [2]string{"taken", `{"limit_bytes": 1000}`})
	for _, c := range Callers {
		p.write(Step{Op: "listOrganizationQuota", Class: "after createOrganizationQuota", Caller: c, Method: http.MethodGet, Path: org,
			Capture: captureQuotaID("nsq")})
	}
	for _, c := range Callers {
		p.write(Step{Op: "getOrganizationQuota", Class: "after createOrganizationQuota", Caller: c, Method: http.MethodGet, Path: quota})
	}

	// changeOrganizationQuota.
	const change = "changeOrganizationQuota"
	p.bodies(change, http.MethodPut, quota,
		[2]string{"wrong type", `{"limit_bytes": "5"}`},
		[2]string{"bad value", `{"limit_bytes": -5}`},
		[2]string{"bad value", `{"limit": "5 Yi"}`},
		[2]string{"extra field", `{"limit_bytes": 5, "extra": 1}`},
	)
	p.transport(change, http.MethodPut, quota, `{"limit_bytes": 20000000}`)
	p.bodies(change, http.MethodPut, org+"/999999", [2]string{"unknown id", `{}`})
	p.bodies(change, http.MethodPut, api+"/organization/nosuch/quota/{nsq}", [2]string{"an unknown organization", `{}`})
	vchange := Step{Op: change, Class: "valid", Method: http.MethodPut, Path: quota, Body: `{"limit_bytes": 20000000}`}
	except(vchange)
	p.write(vchange)
	p.bodies(change, http.MethodPut, quota,
		[2]string{"valid", `{}`},
		[2]string{"valid", `{"limit_bytes": 0}`},
		[2]string{"valid", `{"limit": "5 GiB"}`})
	p.check("getOrganizationQuota", "after changeOrganizationQuota", quota)

	// createOrganizationQuotaLimit: the duplicate filter validates before
	// the model does, and a falsy percent or type filters on nothing.
	const climit = "createOrganizationQuotaLimit"
	p.bodies(climit, http.MethodPost, limits,
		[2]string{"missing field", `{}`},
		[2]string{"missing field", `{"type": "Warning"}`},
		[2]string{"wrong type", `{"type": 5, "threshold_percent": 50}`},
		[2]string{"wrong type", `{"type": "Warning", "threshold_percent": "50"}`},
		[2]string{"wrong type", `{"type": "Warning", "threshold_percent": 50.5}`},
		[2]string{"bad value", `{"type": "Warning", "threshold_percent": 150}`},
		[2]string{"bad value", `{"type": "Warning", "threshold_percent": -5}`},
		[2]string{"bad value", `{"type": "nope", "threshold_percent": 50}`},
		[2]string{"bad value", `{"type": "", "threshold_percent": 50}`},
		[2]string{"bad value", `{"type": "Warning", "threshold_percent": 0}`},
	)
	p.transport(climit, http.MethodPost, limits, `{"type": "Warning", "threshold_percent": 80}`)
	p.bodies(climit, http.MethodPost, org+"/999999/limit", [2]string{"unknown id", `{"type": "Warning", "threshold_percent": 80}`})
	vlimit := Step{Op: climit, Class: "valid", Method: http.MethodPost, Path: limits, Body: `{"type": "Warning", "threshold_percent": 80}`}
	except(vlimit)
	p.write(vlimit)
	p.bodies(climit, http.MethodPost, limits,
		[2]string{"taken", `{"type": "warning", "threshold_percent": 80}`},
		[2]string{"valid", `{"type": "reject", "threshold_percent": 95.0}`},
		[2]string{"taken", `{"type": "Reject", "threshold_percent": 0}`},
		[2]string{"taken", `{"type": "", "threshold_percent": 95}`},
	)
	for _, c := range Callers {
		p.write(Step{Op: "listOrganizationQuotaLimit", Class: "after createOrganizationQuotaLimit", Caller: c, Method: http.MethodGet, Path: limits,
			Capture: captureLimitIDs("nsl1", "nsl2")})
	}
	for _, c := range Callers {
		p.write(Step{Op: "getOrganizationQuotaLimit", Class: "after createOrganizationQuotaLimit", Caller: c, Method: http.MethodGet, Path: limits + "/{nsl1}"})
	}
	p.write(Step{Op: "getOrganizationQuotaLimit", Class: "unknown id", Method: http.MethodGet, Path: limits + "/999999"})
	if p.fx.QuotaOrgLimitID != "" {
		p.write(Step{Op: "getOrganizationQuotaLimit", Class: "another quota's limit", Method: http.MethodGet, Path: limits + "/" + p.fx.QuotaOrgLimitID})
	}
	p.check("getOrganizationQuota", "after createOrganizationQuotaLimit", quota)

	// changeOrganizationQuotaLimit: it answers with the quota; a type saved
	// before a refused threshold stays.
	const chlimit = "changeOrganizationQuotaLimit"
	p.bodies(chlimit, http.MethodPut, limits+"/{nsl1}",
		[2]string{"wrong type", `{"type": 5}`},
		[2]string{"wrong type", `{"threshold_percent": "5"}`},
		[2]string{"bad value", `{"type": "nope"}`},
		[2]string{"bad value", `{"threshold_percent": 0}`},
		[2]string{"bad value", `{"threshold_percent": 101}`},
	)
	p.transport(chlimit, http.MethodPut, limits+"/{nsl1}", `{"threshold_percent": 70}`)
	p.bodies(chlimit, http.MethodPut, limits+"/999999", [2]string{"unknown id", `{}`})
	if p.fx.QuotaOrgLimitID != "" {
		p.bodies(chlimit, http.MethodPut, limits+"/"+p.fx.QuotaOrgLimitID, [2]string{"another quota's limit", `{}`})
	}
	vchlimit := Step{Op: chlimit, Class: "valid", Method: http.MethodPut, Path: limits + "/{nsl1}", Body: `{"threshold_percent": 70}`}
	except(vchlimit)
	p.write(vchlimit)
	p.bodies(chlimit, http.MethodPut, limits+"/{nsl1}",
		[2]string{"valid", `{}`},
		[2]string{"valid", `{"type": "REJECT", "threshold_percent": 60.0}`},
		[2]string{"half applied", `{"type": "Warning", "threshold_percent": 500}`},
	)
	p.check("listOrganizationQuotaLimit", "after changeOrganizationQuotaLimit", limits)

	// The caller's own quota: the superuser gets one through the superuser
	// API and a limit through the organization route, which takes any
	// namespace (get_quota joins by name).
	p.namespaceQuotaUserReads()

	// deleteOrganizationQuotaLimit, then the quota, then the organization.
	const dlimit = "deleteOrganizationQuotaLimit"
	p.write(Step{Op: dlimit, Class: "unknown id", Method: http.MethodDelete, Path: limits + "/999999"})
	if p.fx.QuotaOrgLimitID != "" {
		p.write(Step{Op: dlimit, Class: "another quota's limit", Method: http.MethodDelete, Path: limits + "/" + p.fx.QuotaOrgLimitID})
	}
	vdlimit := Step{Op: dlimit, Class: "valid", Method: http.MethodDelete, Path: limits + "/{nsl1}"}
	except(vdlimit)
	p.write(vdlimit)
	p.write(Step{Op: dlimit, Class: "again", Method: http.MethodDelete, Path: limits + "/{nsl1}"})
	p.check("listOrganizationQuotaLimit", "after deleteOrganizationQuotaLimit", limits)

	const dquota = "deleteOrganizationQuota"
	p.write(Step{Op: dquota, Class: "unknown id", Method: http.MethodDelete, Path: org + "/999999"})
	p.write(Step{Op: dquota, Class: "an unknown organization", Method: http.MethodDelete, Path: api + "/organization/nosuch/quota/{nsq}"})
	vdquota := Step{Op: dquota, Class: "valid", Method: http.MethodDelete, Path: quota}
	except(vdquota)
	p.write(vdquota)
	p.write(Step{Op: dquota, Class: "again", Method: http.MethodDelete, Path: quota})
	p.check("listOrganizationQuota", "after deleteOrganizationQuota", org)
	p.write(Step{Op: "deleteAdminedOrganization", Class: "valid", Caller: User, Method: http.MethodDelete, Path: api + "/organization/" + nsQuotaOrg})
}

// namespaceQuotaUserReads gives the superuser a quota with a limit, reads
// it through /user/quota as each caller, and deletes it through the
// organization route.
func (p *planner) namespaceQuotaUserReads() {
	su := p.fx.Superuser
	suQuota := api + "/organization/" + su + "/quota"
	p.write(Step{Op: "createUserQuotaSuperUser", Class: "valid", Method: http.MethodPost, Path: usersPath + su + "/quota", Body: `{"limit_bytes": 4096}`})
	p.write(Step{Op: "listUserQuota", Class: "after createUserQuotaSuperUser", Method: http.MethodGet, Path: api + "/user/quota",
		Capture: captureQuotaID("suq")})
	p.write(Step{Op: "createOrganizationQuotaLimit", Class: "a user's namespace", Method: http.MethodPost, Path: suQuota + "/{suq}/limit",
		Body: `{"type": "Warning", "threshold_percent": 75}`})
	p.write(Step{Op: "getOrganizationQuota", Class: "a user's namespace", Method: http.MethodGet, Path: suQuota + "/{suq}"})
	p.write(Step{Op: "listOrganizationQuota", Class: "a user's namespace", Method: http.MethodGet, Path: suQuota})
	user := api + "/user/quota"
	for _, c := range Callers {
		p.write(Step{Op: "listUserQuota", Class: "valid", Caller: c, Method: http.MethodGet, Path: user})
		p.write(Step{Op: "getUserQuota", Class: "valid", Caller: c, Method: http.MethodGet, Path: user + "/{suq}"})
		p.write(Step{Op: "listUserQuotaLimit", Class: "valid", Caller: c, Method: http.MethodGet, Path: user + "/{suq}/limit",
			Capture: captureLimitIDs("sul")})
	}
	for _, c := range Callers {
		p.write(Step{Op: "getUserQuotaLimit", Class: "valid", Caller: c, Method: http.MethodGet, Path: user + "/{suq}/limit/{sul}"})
	}
	p.write(Step{Op: "getUserQuotaLimit", Class: "unknown id", Method: http.MethodGet, Path: user + "/{suq}/limit/999999"})
	p.write(Step{Op: "getUserQuotaLimit", Class: "another quota's limit", Method: http.MethodGet, Path: user + "/{suq}/limit/{nsl2}"})
	p.write(Step{Op: "deleteOrganizationQuota", Class: "a user's namespace", Method: http.MethodDelete, Path: suQuota + "/{suq}"})
	p.write(Step{Op: "listUserQuota", Class: "after deleteOrganizationQuota", Method: http.MethodGet, Path: user})
}

// captureLimitIDs captures the ids of a limit list's first limits.
func captureLimitIDs(names ...string) func([]byte) map[string]string {
	return func(body []byte) map[string]string {
		var v []struct {
			ID json.Number `json:"id"`
		}
		if json.Unmarshal(body, &v) != nil {
			return nil
		}
		out := map[string]string{}
		for i, name := range names {
			if i < len(v) {
				out[name] = v[i].ID.String()
			}
		}
		return out
	}
}
