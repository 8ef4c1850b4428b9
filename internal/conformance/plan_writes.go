package conformance

import (
	"net/http"
	"strings"
	"unicode/utf16"
)

// utf16Body is s encoded as UTF-16LE with a BOM, which json.loads detects.
func utf16Body(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

// writeSteps adds the writes, in the order they run: for each area the
// refused callers and bad inputs first, then the valid request, then what
// it changed. Everything the plan creates it deletes again.
func (p *planner) writeSteps() {
	p.signinWrites()
	p.userWrites()
	p.organizationWrites()
	p.quotaWrites()
	p.serviceKeyWrites()
	p.messageWrites()
	p.registryWrites()
	p.robotWrites()
	p.teamWrites()
	p.userAreaWrites()
	p.repositoryWrites()
	p.notificationWrites()
	p.mirrorWrites()
	p.labelWrites()
	p.contentWrites()
	p.methodAndPathWrites()
	p.deleteWrites()
	p.check("listAllLogs", "after the writes", logsPath)
	p.check("listAllLogs", "after the writes, today", logsPath+"?starttime={today}&endtime={today}")
	p.check("listAllAggregateLogs", "after the writes", aggPath)
}

// userWrites: createInstallUser (§2.2), changeInstallUser (§3),
// sendInstallUserRecoveryEmail and takeOwnership (§3).
func (p *planner) userWrites() {
	fx := p.fx
	const op = "createInstallUser"
	valid := `{"username": "` + newUser + `", "email": "` + newUser + `@example.com"}`
	long := strings.Repeat("a", 256)
	p.bodies(op, http.MethodPost, usersPath,
		[2]string{"missing field", `{}`},
		[2]string{"missing field", `{"username": "dfnomail"}`},
		[2]string{"wrong type", `{"username": 5, "email": "n@example.com"}`},
		[2]string{"wrong type", `{"username": null}`},
		[2]string{"wrong type", `{"username": ["a"]}`},
		[2]string{"wrong type", `{"username": "dfx", "email": 5}`},
		[2]string{"wrong type", `"dfuser"`},
		[2]string{"extra field", `{"username": "Bad!", "email": "n@example.com", "superuser": true, "extra": [1, {"x": null}]}`},
		[2]string{"duplicate keys", `{"username": "dfdupe", "username": 5}`},
		[2]string{"bad value", `{"username": "dfnomail", "email": "nope"}`},
		[2]string{"bad value", `{"username": "Bad_Name", "email": "n@example.com"}`},
		[2]string{"bad value", `{"username": "", "email": "n@example.com"}`},
		[2]string{"bad value", `{"username": "a", "email": "n@example.com"}`},
		[2]string{"bad value", `{"username": "` + long + `", "email": "n@example.com"}`},
		[2]string{"bad value", `{"username": "ünïcode", "email": "n@example.com"}`},
		[2]string{"bad value", `{"username": "a\u0000b", "email": "n@example.com"}`},
		[2]string{"taken", `{"username": "` + fx.Superuser + `", "email": "n@example.com"}`},
	)
	if fx.Org != "" {
		p.bodies(op, http.MethodPost, usersPath, [2]string{"taken", `{"username": "` + fx.Org + `", "email": "n@example.com"}`})
	}
	if fx.UserEmail != "" {
		p.bodies(op, http.MethodPost, usersPath, [2]string{"taken", `{"username": "dfmailtaken", "email": "` + fx.UserEmail + `"}`})
	}
	p.transport(op, http.MethodPost, usersPath, valid)
	// The rest of §1.6's transport classes, on one operation: they are
	// decided before any handler runs.
	p.bodies(op, http.MethodPost, usersPath,
		[2]string{"trailing data", `{"username": "dfx"} {}`},
		[2]string{"invalid UTF-8", "{\"username\": \"\xff\"}"},
		[2]string{"UTF-16 with a BOM", utf16Body(`{"username": 5}`)},
		[2]string{"single quotes", `{'username': 'dfx'}`},
		[2]string{"nesting past the recursion limit", strings.Repeat("[", 20000) + strings.Repeat("]", 20000)},
	)
	if !fx.Harness {
		// psycopg2 refuses a NUL in a string (a 500); SQLite stores it, so
		// the harness would make a user the fake does not.
		p.bodies(op, http.MethodPost, usersPath, [2]string{"a NUL in the e-mail", `{"username": "dfnul", "email": "a\u0000b@example.com"}`})
	}
	for _, ct := range []string{"application/vnd.api+json", "APPLICATION/JSON; charset=latin-1", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		p.write(Step{Op: op, Class: "content type " + ct, Method: http.MethodPost, Path: usersPath, Body: `{}`, Header: []string{"Content-Type", ct}})
	}
	// Credentials Quay does not take on the API: Basic auth, and a JWT
	// bearer with no issuer.
	p.write(Step{Op: op, Class: "Basic auth", Caller: Anonymous, Method: http.MethodPost, Path: usersPath, Body: valid,
		Header: []string{"Authorization", "Basic ZGV2dGFibGU6cGFzc3dvcmQ="}})
	p.write(Step{Op: op, Class: "a JWT bearer without an issuer", Caller: Anonymous, Method: http.MethodPost, Path: usersPath, Body: valid,
		Header: []string{"Authorization", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30."}})
	p.write(Step{Op: op, Class: "a JWT bearer whose signature is not base64", Caller: Anonymous, Method: http.MethodPost, Path: usersPath, Body: valid,
		Header: []string{"Authorization", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.x"}})
	p.guarded(Step{Op: op, Class: "valid", Method: http.MethodPost, Path: usersPath, Body: valid})
	p.check("getInstallUser", "after createInstallUser", usersPath+newUser)
	p.bodies(op, http.MethodPost, usersPath, [2]string{"taken", valid})
	// An empty e-mail: Quay stores a uuid in its place (data/model/user.py
	// create_user_noverify, "email or uuid4()"), so two such users coexist.
	p.bodies(op, http.MethodPost, usersPath,
		[2]string{"empty e-mail", `{"username": "dfnomail1", "email": ""}`},
		[2]string{"empty e-mail", `{"username": "dfnomail2", "email": ""}`})
	p.check("listAllUsers", "after createInstallUser", usersPath)

	const change = "changeInstallUser"
	target := usersPath + newUser
	p.bodies(change, http.MethodPut, target,
		[2]string{"wrong type", `{"enabled": "false"}`},
		[2]string{"wrong type", `{"enabled": 0}`},
		[2]string{"wrong type", `{"password": 12345678}`},
		[2]string{"wrong type", `{"email": null}`},
		[2]string{"bad value", `{"password": "short"}`},
		[2]string{"bad value", `{"password": "has space in it"}`},
		[2]string{"extra field", `{"extra": 1}`},
	)
	if fx.UserEmail != "" && !fx.Harness {
		// Postgres refuses a second user with an e-mail through a partial
		// unique index a migration makes; the harness's SQLite tables come
		// from the peewee models, which lack it, so there the change
		// succeeds and every later view of the user would differ.
		p.bodies(change, http.MethodPut, target, [2]string{"taken", `{"email": "` + fx.UserEmail + `"}`})
	}
	p.transport(change, http.MethodPut, target, `{"enabled": true}`)
	p.bodies(change, http.MethodPut, usersPath+fx.Superuser, [2]string{"a superuser", `{"enabled": false}`})
	p.bodies(change, http.MethodPut, usersPath+"nobody", [2]string{"unknown id", `{}`})
	if fx.Org != "" {
		p.bodies(change, http.MethodPut, usersPath+fx.Org, [2]string{"an organization's name", `{}`})
	}
	p.guarded(Step{Op: change, Class: "valid", Method: http.MethodPut, Path: target, Body: `{"enabled": false}`})
	p.bodies(change, http.MethodPut, target,
		[2]string{"valid", `{"email": "dfuser1-new@example.com"}`},
		[2]string{"valid", `{"password": "longenough1"}`},
		[2]string{"valid", `{"enabled": true}`})
	p.check("getInstallUser", "after changeInstallUser", target)

	if fx.Mailing {
		const send = "sendInstallUserRecoveryEmail"
		path := api + "/superusers/users/"
		p.write(Step{Op: send, Class: "a superuser", Method: http.MethodPost, Path: path + fx.Superuser + "/sendrecovery"})
		p.write(Step{Op: send, Class: "unknown id", Method: http.MethodPost, Path: path + "nobody/sendrecovery"})
		p.write(Step{Op: send, Class: "caller", Caller: User, Method: http.MethodPost, Path: path + "nobody/sendrecovery"})
		if fx.Org != "" {
			p.write(Step{Op: send, Class: "an organization's name", Method: http.MethodPost, Path: path + fx.Org + "/sendrecovery"})
		}
		p.guarded(Step{Op: send, Class: "valid", Method: http.MethodPost, Path: path + newUser + "/sendrecovery"})
	}

	const take = "takeOwnership"
	takePath := api + "/superuser/takeownership/"
	p.write(Step{Op: "createInstallUser", Class: "valid", Method: http.MethodPost, Path: usersPath,
		Body: `{"username": "` + newOwner + `", "email": "` + newOwner + `@example.com"}`})
	p.write(Step{Op: take, Class: "a superuser", Method: http.MethodPost, Path: takePath + fx.Superuser})
	p.write(Step{Op: take, Class: "unknown id", Method: http.MethodPost, Path: takePath + "nobody"})
	p.write(Step{Op: take, Class: "a stray body", Method: http.MethodPost, Path: takePath + "nobody", Body: "garbage",
		Header: []string{"Content-Type", "text/plain"}})
	p.guarded(Step{Op: take, Class: "valid", Method: http.MethodPost, Path: takePath + newOwner})
	p.check("listAllOrganizations", "after takeOwnership", orgsPath)
}

// organizationWrites: changeOrganization (§2.6).
func (p *planner) organizationWrites() {
	const op = "changeOrganization"
	target := orgsPath + newOwner
	p.bodies(op, http.MethodPut, target,
		[2]string{"wrong type", `{"name": 5}`},
		[2]string{"wrong type", `{"name": null}`},
		[2]string{"wrong type", `"dforg3"`},
		[2]string{"bad value", `{"name": "Bad Name"}`},
		[2]string{"bad value", `{"name": ""}`},
		[2]string{"bad value", `{"name": "dforg\u0007"}`},
		[2]string{"extra field", `{"extra": 1}`},
	)
	p.transport(op, http.MethodPut, target, `{}`)
	p.bodies(op, http.MethodPut, orgsPath+newUser, [2]string{"a user's name", `{"name": "dfx"}`})
	p.bodies(op, http.MethodPut, orgsPath+"nobody", [2]string{"unknown id", `{}`})
	if p.fx.Org != "" {
		p.bodies(op, http.MethodPut, target, [2]string{"taken", `{"name": "` + p.fx.Org + `"}`})
	}
	p.guarded(Step{Op: op, Class: "valid", Method: http.MethodPut, Path: target, Body: `{"name": "` + newOrg + `"}`})
	p.check("listAllOrganizations", "after changeOrganization", orgsPath)
}

// quotaWrites: the quota operations of §2.14, through both URL families.
func (p *planner) quotaWrites() {
	const create = "createUserQuotaSuperUser"
	path := usersPath + newUser + "/quota"
	p.bodies(create, http.MethodPost, path,
		[2]string{"missing field", `{}`},
		[2]string{"wrong type", `{"limit_bytes": "5"}`},
		[2]string{"wrong type", `{"limit_bytes": 5.5}`},
		[2]string{"wrong type", `{"limit_bytes": true}`},
		[2]string{"bad value", `{"limit_bytes": 0}`},
		[2]string{"bad value", `{"limit_bytes": -5}`},
		[2]string{"bad value", `{"limit_bytes": -1e3}`},
		[2]string{"both forms", `{"limit": "5 GB", "limit_bytes": 5}`},
		[2]string{"bad value", `{"limit": "1.5G"}`},
		[2]string{"bad value", `{"limit": "512B"}`},
		[2]string{"bad value", `{"limit": "5 Yi"}`},
		[2]string{"extra field", `{"limit_bytes": 1000, "extra": 1}`},
	)
	// A limit past bigint: Postgres refuses it (400 Unsupported quota size
	// limit), SQLite's integer overflows on its own terms.
	p.write(Step{Op: create, Class: "bad value", Method: http.MethodPost, Path: path, Body: `{"limit_bytes": 99999999999999999999999}`,
		Judge: "SQLite: a limit past bigint overflows SQLite's integer, not Postgres's bigint"})
	p.transport(create, http.MethodPost, path, `{"limit_bytes": 1000}`)
	p.bodies(create, http.MethodPost, usersPath+"nobody/quota", [2]string{"unknown id", `{"limit_bytes": 1000}`})
	p.guarded(Step{Op: create, Class: "valid", Method: http.MethodPost, Path: path, Body: `{"limit_bytes": 1000}`})
	p.bodies(create, http.MethodPost, path, [2]string{"taken", `{"limit_bytes": 1000}`})
	p.write(Step{Op: "listUserQuotaSuperUser", Class: "after createUserQuotaSuperUser", Method: http.MethodGet, Path: path,
		Capture: captureQuotaID("quota")})

	const change = "changeUserQuotaSuperUser"
	quota := path + "/{quota}"
	p.bodies(change, http.MethodPut, quota,
		[2]string{"wrong type", `{"limit_bytes": "5"}`},
		[2]string{"bad value", `{"limit_bytes": -5}`},
		[2]string{"bad value", `{"limit_bytes": 0}`},
		[2]string{"bad value", `{"limit": "5 Yi"}`},
		[2]string{"extra field", `{"limit_bytes": 5, "extra": 1}`},
	)
	p.transport(change, http.MethodPut, quota, `{"limit_bytes": 2000}`)
	// A non-numeric id: Postgres raises DataError (a 500); SQLite compares
	// the text with the integer column and finds nothing.
	p.write(Step{Op: change, Class: "unknown id", Method: http.MethodPut, Path: path + "/abc", Body: `{}`,
		Judge: "SQLite: a non-numeric quota id matches nothing in SQLite; Postgres raises DataError"})
	p.write(Step{Op: change, Class: "unknown id", Method: http.MethodPut, Path: path + "/99999999999999999999", Body: `{}`,
		Judge: "SQLite: an id past bigint overflows SQLite's integer (a 500); Postgres finds no such quota"})
	p.bodies(change, http.MethodPut, usersPath+"nobody/quota/{quota}", [2]string{"unknown id", `{}`})
	p.guarded(Step{Op: change, Class: "valid", Method: http.MethodPut, Path: quota, Body: `{"limit_bytes": 2000}`})
	p.bodies(change, http.MethodPut, quota,
		[2]string{"valid", `{"limit": "5 GiB"}`},
		[2]string{"valid", `{"limits": [{"type": "Warning", "threshold_percent": 80}]}`})
	p.check("listUserQuotaSuperUser", "after changeUserQuotaSuperUser", path)
	p.check("getInstallUser", "after changeUserQuotaSuperUser", usersPath+newUser)

	// The organization family, on the organization takeOwnership made,
	// while the user's quota still exists: SQLite hands a deleted row's id
	// to the next row, Postgres's sequence does not.
	orgPath := orgQuotaPath + newOrg + "/quota"
	p.guarded(Step{Op: "createOrganizationQuotaSuperUser", Class: "valid", Method: http.MethodPost, Path: orgPath, Body: `{"limit": "10 MiB"}`})
	p.bodies("createOrganizationQuotaSuperUser", http.MethodPost, orgPath, [2]string{"taken", `{"limit_bytes": 1000}`})
	p.write(Step{Op: "listOrganizationQuotaSuperUser", Class: "after createOrganizationQuotaSuperUser", Method: http.MethodGet, Path: orgPath,
		Capture: captureQuotaID("orgquota")})
	p.guarded(Step{Op: "changeOrganizationQuotaSuperUser", Class: "valid", Method: http.MethodPut, Path: orgPath + "/{orgquota}",
		Body: `{"limit_bytes": 20000000}`})
	p.bodies("changeOrganizationQuotaSuperUser", http.MethodPut, orgPath+"/{orgquota}",
		[2]string{"bad value", `{"limit": "1.5G"}`}, [2]string{"wrong type", `{"limit_bytes": 5.5}`})
	p.check("listAllOrganizations", "after createOrganizationQuotaSuperUser", orgsPath)
	p.namespaceQuotaWrites()

	const del = "deleteUserQuotaSuperUser"
	p.write(Step{Op: del, Class: "unknown id", Method: http.MethodDelete, Path: path + "/-1"})
	if p.fx.QuotaOrg != "" {
		p.write(Step{Op: "deleteOrganizationQuotaSuperUser", Class: "another namespace's quota", Method: http.MethodDelete,
			Path: orgQuotaPath + p.fx.QuotaOrg + "/quota/{quota}"})
	}
	p.guarded(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: quota})
	p.write(Step{Op: del, Class: "unknown id", Method: http.MethodDelete, Path: quota})
	p.check("listUserQuotaSuperUser", "after deleteUserQuotaSuperUser", path)

	p.guarded(Step{Op: "deleteOrganizationQuotaSuperUser", Class: "valid", Method: http.MethodDelete, Path: orgPath + "/{orgquota}"})
}

// serviceKeyWrites: createServiceKey, updateServiceKey, approveServiceKey
// and deleteServiceKey (§2.9–§2.13).
func (p *planner) serviceKeyWrites() {
	const create = "createServiceKey"
	p.bodies(create, http.MethodPost, keysPath,
		[2]string{"missing field", `{}`},
		[2]string{"missing field", `{"service": "dfservice"}`},
		[2]string{"wrong type", `{"service": "dfservice", "expiration": "tomorrow"}`},
		[2]string{"wrong type", `{"service": 5, "expiration": null}`},
		[2]string{"wrong type", `{"service": "dfservice", "expiration": null, "metadata": []}`},
		[2]string{"wrong type", `{"service": "dfservice", "expiration": null, "notes": 5}`},
		[2]string{"bad value", `{"service": "dfservice", "expiration": null, "name": "bad!name"}`},
		[2]string{"bad value", `{"service": "dfservice", "expiration": 1}`},
		[2]string{"bad value", `{"service": "dfservice", "expiration": -1}`},
		[2]string{"bad value", `{"service": "dfservice", "expiration": NaN}`},
		[2]string{"bad value", `{"service": "dfservice", "expiration": 1e12}`},
		[2]string{"bad value", `{"service": "dfservice", "expiration": 1e20}`},
		[2]string{"bad value", `{"service": "My Service", "expiration": null}`},
		[2]string{"extra field", `{"service": "dfservice", "expiration": null, "extra": 1, "name": "Bad Name!"}`},
	)
	valid := `{"service": "dfservice", "expiration": null, "name": "dfkey", "metadata": {"created_by": "conformance", "n": [1, 2]}, "notes": "made by the differential test"}`
	p.transport(create, http.MethodPost, keysPath, valid)
	p.guarded(Step{Op: create, Class: "valid", Method: http.MethodPost, Path: keysPath, Body: valid, Capture: captureField("kid", "kid")})
	key := keysPath + "/{kid}"
	p.check("getServiceKey", "after createServiceKey", key)
	p.check("listServiceKeys", "after createServiceKey", keysPath)

	const update = "updateServiceKey"
	p.bodies(update, http.MethodPut, key,
		[2]string{"bad value", `{"expiration": 1}`},
		[2]string{"bad value", `{"name": "bad!"}`},
		[2]string{"wrong type", `{"metadata": "x"}`},
		[2]string{"wrong type", `{"expiration": "soon"}`},
		[2]string{"extra field", `{"extra": 1}`},
	)
	p.transport(update, http.MethodPut, key, `{"name": "renamed"}`)
	p.bodies(update, http.MethodPut, keysPath+"/nope", [2]string{"unknown id", `{}`})
	p.guarded(Step{Op: update, Class: "valid", Method: http.MethodPut, Path: key, Body: `{"name": "renamed", "metadata": {"a": 1}}`})
	p.check("getServiceKey", "after updateServiceKey", key)

	const approve = "approveServiceKey"
	approveKey := approvePath + "{kid}"
	p.bodies(approve, http.MethodPost, approveKey,
		[2]string{"wrong type", `{"notes": 5}`},
		[2]string{"wrong type", `[]`},
		[2]string{"bad value", `{"notes": "\u0000"}`},
	)
	p.write(Step{Op: approve, Class: "no body", Method: http.MethodPost, Path: approveKey})
	p.bodies(approve, http.MethodPost, approvePath+"nope", [2]string{"unknown id", `{}`})
	p.guarded(Step{Op: approve, Class: "valid", Method: http.MethodPost, Path: approveKey, Body: `{"notes": "approved by the differential test"}`})
	p.bodies(approve, http.MethodPost, approveKey, [2]string{"again", `{"notes": "again"}`})
	if p.fx.Unapproved != "" {
		// Approving a fixture key changes it for the rest of the run on
		// both servers alike.
		p.bodies(approve, http.MethodPost, approvePath+p.fx.Unapproved, [2]string{"valid", `{}`})
		p.check("getServiceKey", "after approveServiceKey", keysPath+"/"+p.fx.Unapproved)
	}
	p.check("getServiceKey", "after approveServiceKey", key)

	const del = "deleteServiceKey"
	p.write(Step{Op: del, Class: "unknown id", Method: http.MethodDelete, Path: keysPath + "/nope"})
	p.guarded(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: key})
	p.check("getServiceKey", "after deleteServiceKey", key)
}

// messageWrites: createGlobalMessage and deleteGlobalMessage (§3).
func (p *planner) messageWrites() {
	const create = "createGlobalMessage"
	msg := func(content, mediaType, severity string) string {
		return `{"message": {"content": ` + content + `, "media_type": "` + mediaType + `", "severity": "` + severity + `"}}`
	}
	p.bodies(create, http.MethodPost, messagesPath,
		[2]string{"missing field", `{}`},
		[2]string{"missing field", `{"message": {"media_type": "text/plain", "severity": "info"}}`},
		[2]string{"wrong type", `{"message": "hello"}`},
		[2]string{"wrong type", msg(`5`, "text/plain", "info")},
		[2]string{"bad value", msg(`"x"`, "text/html", "info")},
		[2]string{"bad value", msg(`"x"`, "text/plain", "critical")},
	)
	// An unknown member is allowed: this creates a message, removed again
	// below.
	p.bodies(create, http.MethodPost, messagesPath,
		[2]string{"extra field", `{"message": {"content": "extra member", "media_type": "text/plain", "severity": "info", "extra": 1}}`})
	p.write(Step{Op: "getGlobalMessages", Class: "after createGlobalMessage", Method: http.MethodGet, Path: messagesPath,
		Capture: captureMessage("extramessage", "extra member")})
	valid := msg(`"differential test message"`, "text/markdown", "warning")
	p.transport(create, http.MethodPost, messagesPath, valid)
	p.guarded(Step{Op: create, Class: "valid", Method: http.MethodPost, Path: messagesPath, Body: valid})
	p.write(Step{Op: "getGlobalMessages", Class: "after createGlobalMessage", Method: http.MethodGet, Path: messagesPath,
		Capture: captureMessage("message", "differential test message")})

	const del = "deleteGlobalMessage"
	p.write(Step{Op: del, Class: "unknown id", Method: http.MethodDelete, Path: messagePath + "nope"})
	p.guarded(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: messagePath + "{message}"})
	p.write(Step{Op: del, Class: "valid", Method: http.MethodDelete, Path: messagePath + "{extramessage}"})
	p.check("getGlobalMessages", "after deleteGlobalMessage", messagesPath)
}

// registryWrites: queueRegistrySizeCalculation (§2.19).
func (p *planner) registryWrites() {
	const op = "queueRegistrySizeCalculation"
	p.write(Step{Op: op, Class: "trailing slash", Method: http.MethodPost, Path: toggleSlash(sizePath)})
	p.write(Step{Op: op, Class: "a stray body", Caller: User, Method: http.MethodPost, Path: sizePath, Body: "{"})
	p.guarded(Step{Op: op, Class: "valid", Method: http.MethodPost, Path: sizePath})
	p.check("getRegistrySize", "after queueRegistrySizeCalculation", sizePath)
	p.write(Step{Op: op, Class: "again", Method: http.MethodPost, Path: sizePath})
}

// methodAndPathWrites: methods no rule of a path takes, trailing slashes
// and encoded slashes on write routes, and what nginx refuses (§1.5).
func (p *planner) methodAndPathWrites() {
	wrong := func(op, method, path, body string) {
		p.write(Step{Op: op, Class: "wrong method", Method: method, Path: path, Body: body})
	}
	wrong("listAllUsers", http.MethodDelete, usersPath, "")
	wrong("getInstallUser", http.MethodPatch, usersPath+newUser, `{}`)
	wrong("listServiceKeys", http.MethodPut, keysPath, `{}`)
	wrong("getServiceKey", http.MethodPost, keysPath+"/nope", `{}`)
	wrong("getGlobalMessages", http.MethodDelete, messagesPath, "")
	wrong("deleteGlobalMessage", http.MethodPut, messagePath+"nope", `{}`)
	wrong("listAllLogs", http.MethodPost, logsPath, `{}`)
	wrong("getRegistrySize", http.MethodDelete, sizePath, "")
	wrong("changeOrganization", http.MethodPost, orgsPath+newOrg, `{}`)
	wrong("takeOwnership", http.MethodDelete, api+"/superuser/takeownership/"+newOrg, "")
	wrong("approveServiceKey", http.MethodPut, approvePath+"nope", `{}`)
	wrong("listUserQuotaSuperUser", http.MethodPut, usersPath+newUser+"/quota", `{}`)
	wrong("getRepoBuildSuperUser", http.MethodDelete, api+"/superuser/00000000-0000-0000-0000-000000000000/build", "")

	slash := func(op, method, path string) {
		p.write(Step{Op: op, Class: "trailing slash", Method: method, Path: path})
	}
	slash("deleteInstallUser", http.MethodDelete, usersPath+newUser+"/")
	slash("deleteServiceKey", http.MethodDelete, keysPath+"/nope/")
	slash("createServiceKey", http.MethodPost, keysPath+"/")
	slash("createInstallUser", http.MethodPost, toggleSlash(usersPath))
	slash("deleteOrganization", http.MethodDelete, orgsPath+newOrg+"/")
	p.write(Step{Op: "deleteInstallUser", Class: "encoded slash", Method: http.MethodDelete, Path: usersPath + "a%2Fb"})
	p.write(Step{Op: "deleteInstallUser", Class: "dot-dot name", Method: http.MethodDelete, Path: usersPath + ".."})
	p.write(Step{Op: "deleteInstallUser", Class: "unicode name", Method: http.MethodDelete, Path: usersPath + "%C3%A4lice"})
	p.write(Step{Op: "deleteInstallUser", Class: "names are case-sensitive", Method: http.MethodDelete, Path: usersPath + strings.ToUpper(newUser)})
	p.write(Step{Op: "deleteInstallUser", Class: "NUL in the path", Method: http.MethodDelete, Path: usersPath + "dfx%00"})
	// nginx refuses it before Quay reads it; without nginx Quay must refuse
	// it too, or it would change the state one side only.
	p.write(Step{Op: "createInstallUser", Class: "a body over 1 MiB", Method: http.MethodPost, Path: usersPath,
		Body: `{"email": "dfbig@example.com"}` + strings.Repeat(" ", 1<<20)})
}

// deleteWrites: deleteInstallUser (§2.3) and deleteOrganization (§2.7), of
// what the plan made.
func (p *planner) deleteWrites() {
	const delUser = "deleteInstallUser"
	p.write(Step{Op: delUser, Class: "a superuser", Method: http.MethodDelete, Path: usersPath + p.fx.Superuser})
	p.write(Step{Op: delUser, Class: "unknown id", Method: http.MethodDelete, Path: usersPath + "nobody"})
	p.write(Step{Op: delUser, Class: "an organization's name", Method: http.MethodDelete, Path: usersPath + newOrg})
	p.guarded(Step{Op: delUser, Class: "valid", Method: http.MethodDelete, Path: usersPath + newUser})
	p.write(Step{Op: delUser, Class: "again", Method: http.MethodDelete, Path: usersPath + newUser})
	p.check("getInstallUser", "after deleteInstallUser", usersPath+newUser)
	for _, name := range []string{"dfnomail1", "dfnomail2"} {
		p.write(Step{Op: delUser, Class: "valid", Method: http.MethodDelete, Path: usersPath + name})
	}

	const delOrg = "deleteOrganization"
	p.write(Step{Op: delOrg, Class: "a user's name", Method: http.MethodDelete, Path: orgsPath + p.fx.Superuser})
	p.write(Step{Op: delOrg, Class: "unknown id", Method: http.MethodDelete, Path: orgsPath + "nobody"})
	p.guarded(Step{Op: delOrg, Class: "valid", Method: http.MethodDelete, Path: orgsPath + newOrg})
	p.check("listAllOrganizations", "after deleteOrganization", orgsPath)
	p.check("listAllUsers", "after the deletes", usersPath)
}
