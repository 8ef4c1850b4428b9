package conformance

import "net/http"

// readSteps adds every read: each GET operation with valid input as every
// caller, then its bad-input classes as the superuser, against the
// starting state.
func (p *planner) readSteps() {
	fx := p.fx
	all := Callers

	// Users and organizations (§2.1, §2.5, getInstallUser).
	p.read("listAllUsers", "valid", usersPath, all...)
	p.pageLimits("listAllUsers", usersPath)
	p.read("listAllUsers", "disabled=false", usersPath+"?disabled=false")
	p.read("listAllUsers", "disabled any string", usersPath+"?disabled=%00%FF")
	for _, limit := range []string{"99999999999999999999999", "1.5", "", "%20%2B1_0%20", "%D9%A3", "5&limit=x"} {
		p.read("listAllUsers", "limit "+limit, usersPath+"?limit="+limit)
	}
	p.read("listAllUsers", "query parsing before permission", usersPath+"?limit=abc", User, Anonymous)
	p.read("listAllUsers", "garbage page token", usersPath+"?next_page=gAAAAA-garbage")
	p.read("listAllUsers", "trailing slash", toggleSlash(usersPath))
	if fx.User != "" {
		p.read("getInstallUser", "valid", usersPath+fx.User, all...)
		p.read("getInstallUser", "trailing slash", usersPath+fx.User+"/")
		p.read("GET "+usersPath+"{username}/extra", "unknown path below a rule", usersPath+fx.User+"/extra")
	}
	p.read("getInstallUser", "a superuser", usersPath+fx.Superuser)
	p.read("getInstallUser", "unknown id", usersPath+"nobody")
	if fx.Org != "" {
		p.read("getInstallUser", "an organization's name", usersPath+fx.Org)
	}
	p.read("listAllOrganizations", "valid", orgsPath, all...)
	p.pageLimits("listAllOrganizations", orgsPath)
	p.read("listAllOrganizations", "garbage page token", orgsPath+"?limit=1&next_page=%FF")
	p.read("listAllOrganizations", "trailing slash", toggleSlash(orgsPath))

	// Quotas (§2.14).
	if fx.QuotaUser != "" {
		p.read("listUserQuotaSuperUser", "valid", usersPath+fx.QuotaUser+"/quota", all...)
		p.read("listOrganizationQuotaSuperUser", "a user through the organization route", orgQuotaPath+fx.QuotaUser+"/quota")
	}
	if fx.QuotaOrg != "" {
		p.read("listOrganizationQuotaSuperUser", "valid", orgQuotaPath+fx.QuotaOrg+"/quota", all...)
		p.read("listUserQuotaSuperUser", "an organization through the user route", usersPath+fx.QuotaOrg+"/quota")
		p.read("GET "+orgQuotaPath+"{namespace}/quota/{quota_id}", "GET on a rule without GET", orgQuotaPath+fx.QuotaOrg+"/quota/"+fx.QuotaOrgID)
	}
	if fx.User != "" {
		p.read("listUserQuotaSuperUser", "no quota", usersPath+fx.User+"/quota")
	}
	p.read("listUserQuotaSuperUser", "unknown id", usersPath+"nobody/quota")
	p.read("listOrganizationQuotaSuperUser", "unknown id", orgQuotaPath+"nobody/quota")
	p.read("listUserQuotaSuperUser", "trailing slash", usersPath+fx.Superuser+"/quota/")

	// Service keys (§2.8, §2.10).
	p.read("listServiceKeys", "valid", keysPath, all...)
	p.read("listServiceKeys", "a query on a route without parameters", keysPath+"?limit=abc")
	p.read("listServiceKeys", "trailing slash", toggleSlash(keysPath))
	for i, kid := range fx.Kids {
		callers := []Caller{Superuser}
		if i == 0 {
			callers = all
		}
		p.read("getServiceKey", "valid", keysPath+"/"+kid, callers...)
	}
	p.read("getServiceKey", "unknown id", keysPath+"/nope")
	if fx.Approved != "" {
		p.read("getServiceKey", "trailing slash", keysPath+"/"+fx.Approved+"/")
		p.read("GET "+approvePath+"{kid}", "GET on a rule without GET", approvePath+fx.Approved)
	}

	// Audit logs (§2.4, listAllAggregateLogs).
	p.read("listAllLogs", "valid", logsPath, all...)
	p.read("listAllLogs", "explicit dates", logsPath+"?starttime={weekago}&endtime={today}")
	p.read("listAllLogs", "a range across a month boundary", logsPath+"?starttime={monthstart}&endtime={today}")
	p.read("listAllLogs", "page abc", logsPath+"?page=abc")
	p.read("listAllLogs", "page -1", logsPath+"?page=-1")
	p.read("listAllLogs", "malformed dates", logsPath+"?starttime=13/45/2025&endtime=yesterday")
	p.read("listAllLogs", "end before start", logsPath+"?starttime={today}&endtime={weekago}")
	p.read("listAllLogs", "garbage page token", logsPath+"?next_page=x")
	p.read("listAllLogs", "trailing slash", logsPath+"/")
	p.read("listAllAggregateLogs", "valid", aggPath, all...)
	p.read("listAllAggregateLogs", "explicit dates", aggPath+"?starttime={weekago}&endtime={today}")
	p.read("listAllAggregateLogs", "a range across a month boundary", aggPath+"?starttime={lastmonth}&endtime={today}")
	p.read("listAllAggregateLogs", "more than 31 days", aggPath+"?starttime=01/01/2020&endtime=12/31/2025")
	p.read("listAllAggregateLogs", "malformed dates", aggPath+"?starttime=%00&endtime=")

	// Builds (§2.15–§2.17).
	for i, uuid := range p.fx.Builds {
		base := api + "/superuser/" + uuid
		callers := []Caller{Superuser}
		if i == 0 {
			callers = all
		}
		p.read("getRepoBuildSuperUser", "valid", base+"/build", callers...)
		p.read("getRepoBuildStatusSuperUser", "valid", base+"/status", callers...)
		p.plan.Reads = append(p.plan.Reads, p.buildLogSteps(base, callers)...)
		if i == 0 {
			p.read("getRepoBuildSuperUser", "trailing slash", base+"/build/")
		}
	}
	unknownBuild := api + "/superuser/00000000-0000-0000-0000-000000000000"
	for _, suffix := range []string{"/build", "/status", "/logs", "/logs/archive"} {
		p.read(map[string]string{"/build": "getRepoBuildSuperUser", "/status": "getRepoBuildStatusSuperUser",
			"/logs": "getRepoBuildLogsSuperUser", "/logs/archive": "getRepoBuildLogsArchiveSuperUser"}[suffix], "unknown id", unknownBuild+suffix)
	}

	// The registry, app tokens, messages and the system (§2.18–§2.20, §3).
	p.read("getRegistrySize", "valid", sizePath, all...)
	p.read("getRegistrySize", "trailing slash", toggleSlash(sizePath))
	p.read("scRegistryStatus", "valid", api+"/superuser/registrystatus", all...)
	p.read("listAllAppTokens", "valid", api+"/superuser/apptokens", all...)
	for _, v := range []string{"true", "false", "maybe"} {
		p.read("listAllAppTokens", "expiring="+v, api+"/superuser/apptokens?expiring="+v)
	}
	p.read("getGlobalMessages", "valid", messagesPath, all...)
	p.read("getGlobalMessages", "trailing slash", messagesPath+"/")
	if fx.Message != "" {
		p.read("GET "+messagePath+"{uuid}", "GET on a rule without GET", messagePath+fx.Message)
	}
	p.read("getChangeLog", "valid", api+"/superuser/changelog/", all...)
	p.read("GET "+api+"/superuser/config", "valid", api+"/superuser/config", all...)
	if fx.RepoMirror {
		p.read("getSuperUserRepositoryMirrorHealth", "valid", api+"/superuser/mirror/health", all...)
	}
	for _, kind := range []string{"not_found", "invalid_token", "no_such_error"} {
		p.read("getErrorDescription", "valid", api+"/error/"+kind, Superuser, Anonymous)
	}

	p.robotReads()
	p.teamReads()
	p.contentReads()
	p.notificationReads()
	p.mirrorReads()
	p.namespaceQuotaReads()
	p.userReads()
	p.repositoryReads()

	// Paths no GET rule serves (§1.5).
	p.read("GET "+api+"/superuser/{unknown}", "unknown path", api+"/superuser/nothing/here/at/all")
	p.read("GET "+api+"/superuser//users/", "double slash", api+"/superuser//users/")
	if fx.Org != "" {
		p.read("GET "+orgsPath+"{name}", "GET on a rule without GET", orgsPath+fx.Org)
		p.read("GET "+api+"/superuser/takeownership/{namespace}", "GET on a rule without GET", api+"/superuser/takeownership/"+fx.Org)
	}
	if fx.Mailing && fx.User != "" {
		p.read("GET "+api+"/superusers/users/{username}/sendrecovery", "GET on a rule without GET", api+"/superusers/users/"+fx.User+"/sendrecovery")
	}
}

// buildLogSteps reads a build's log and its archive; the start parameter
// is read without reqparse (§2.17).
func (p *planner) buildLogSteps(base string, callers []Caller) []Step {
	var steps []Step
	add := func(op, class, path string, cs ...Caller) {
		for _, c := range cs {
			steps = append(steps, Step{Op: op, Class: class, Caller: c, Method: http.MethodGet, Path: path})
		}
	}
	add("getRepoBuildLogsSuperUser", "valid", base+"/logs", callers...)
	add("getRepoBuildLogsArchiveSuperUser", "valid", base+"/logs/archive", callers...)
	if len(callers) > 1 {
		for _, start := range []string{"abc", "-1", "2"} {
			add("getRepoBuildLogsSuperUser", "start="+start, base+"/logs?start="+start, Superuser)
		}
	}
	return steps
}
