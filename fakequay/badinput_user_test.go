package fakequay

// The bad-input corpus of the lookups: endpoints/api/search.py's entity
// search and user.py's getUserInformation. Their query parameters are a
// string and truthy_bool flags, which accept anything (reqparse never
// refuses them); what no user or organization matches is an empty list
// or a 404. Checked against real Quay by the differential
// (internal/conformance plan_users.go).
func userBadInputs() []badInput {
	b := func(name, path, token string, want shape) badInput {
		return badInput{name: name, method: "GET", path: path, token: token, want: want}
	}
	return []badInput{
		// web.py user_initialize: @route_show_if(FEATURE_USER_INITIALIZE),
		// off by default, is the web blueprint's 404 page before the body
		// is read. The refusals of an empty registry are web_user_test.go's.
		{name: "§web.py user_initialize: FEATURE_USER_INITIALIZE off", method: "POST", path: "/api/v1/user/initialize",
			token: tokNone, body: `{"username": 5}`, want: shWeb404},
		b("§search.py getMatchingEntities: an unknown namespace is a user search",
			"/api/v1/entities/a?namespace=nosuch%00%FF", tokAlice, shOK),
		b("§search.py getMatchingEntities: includeTeams and includeOrgs take any string (truthy_bool)",
			"/api/v1/entities/a?namespace=acme&includeTeams=%FF&includeOrgs=", tokNone, shOK),
		b("§search.py getMatchingEntities: a prefix of wildcards and non-ASCII", "/api/v1/entities/%25_%C3%A9%E2%98%83", tokNone, shOK),
		b("§user.py getUserInformation: an organization's name is abort(404)", "/api/v1/users/acme", tokAlice,
			wz(404, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.")),
	}
}
