package fakequay

import "strings"

// The bad-input corpus of the robot API. Case names start with the Quay
// module and method that decide them (endpoints/api/robot.py and the model
// functions of data/model/user.py); the answers were observed in the
// recording testdata/realquay/robot.json, except where a case says
// Postgres. The corpus fixture (matrixOrg) has robots acme+bot, alice+bot
// and admin+bot, acme's admin owen and devs member tess; corpusSeed adds a
// mirror of acme/mirrored that pulls with acme+bot.
func robotBadInputs() []badInput {
	const (
		user   = "/api/v1/user/robots/"
		org    = "/api/v1/organization/acme/robots/"
		owner  = "owen-token"
		member = "tess-token"
	)
	long := strings.Repeat("a", 256)
	b := func(name, method, path, token, body string, want shape, header ...string) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want, header: header}
	}
	return []badInput{
		// createUserRobot: require_user_admin, then the optional schema, then create_robot
		b("§robot.py createUserRobot: description a number", "PUT", user+"x1", tokAlice, `{"description": 5}`,
			invalid("5 is not of type 'string'")),
		b("§robot.py createUserRobot: description past 255", "PUT", user+"x1", tokAlice, `{"description": "`+long+`"}`,
			invalid("'"+long+"' is too long")),
		b("§robot.py createUserRobot: metadata a string", "PUT", user+"x1", tokAlice, `{"unstructured_metadata": "x"}`,
			invalid("'x' is not of type 'object'")),
		b("§robot.py createUserRobot: metadata null", "PUT", user+"x1", tokAlice, `{"unstructured_metadata": null}`,
			invalid("None is not of type 'object'")),
		b("§robot.py createUserRobot: an array body", "PUT", user+"x1", tokAlice, `[]`, invalid("[] is not of type 'object'")),
		b("§robot.py createUserRobot: nesting past the recursion limit (silent does not catch RecursionError)", "PUT", user+"x1", tokAlice,
			strings.Repeat("[", 20000)+strings.Repeat("]", 20000), shCrash),
		b("§robot.py create_robot: the name's pattern", "PUT", user+"Bad", tokAlice, ``,
			invalid("The name for the robot 'Bad' is invalid: "+nameRegexIssue)),
		b("§robot.py create_robot: a plus in the name", "PUT", user+"a+b", tokAlice, ``,
			invalid("The name for the robot 'a+b' is invalid: "+nameRegexIssue)),
		b("§robot.py create_robot: one character", "PUT", user+"a", tokAlice, ``,
			invalid("The name for the robot 'a' is invalid: "+nameLengthIssue)),
		b("§robot.py create_robot: 256 characters", "PUT", user+long, tokAlice, ``,
			invalid("The name for the robot '"+long+"' is invalid: "+nameLengthIssue)),
		b("§robot.py create_robot: an existing robot", "PUT", user+"bot", tokAlice, `{"description": "again"}`,
			invalid("Existing robot with name: alice+bot")),
		b("§robot.py create_robot: Postgres refuses a NUL in the description", "PUT", user+"x1", tokAlice, `{"description": "a\u0000"}`,
			model("A string literal cannot contain NUL (0x00) characters.")),
		b("§robot.py create_robot: Postgres refuses a full name past 255 characters", "PUT", user+long[:250], tokAlice, ``,
			model("value too long for type character varying(255)\n")),
		b("§robot.py createUserRobot: require_user_admin before the body", "PUT", user+"x1", tokAuditor, `{"description": 5}`, shForbidden),
		b("§robot.py createUserRobot: anonymous", "PUT", user+"x1", tokNone, ``, shCSRF),

		// createOrgRobot: the optional schema, then the permission, then create_org_robot
		b("§robot.py createOrgRobot: the schema before the permission", "PUT", org+"x1", member, `{"unstructured_metadata": []}`,
			invalid("[] is not of type 'object'")),
		b("§robot.py createOrgRobot: a member is no admin", "PUT", org+"x1", member, `{}`, shForbidden),
		b("§robot.py createOrgRobot: the permission before the name", "PUT", org+"X", member, ``, shForbidden),
		b("§robot.py create_org_robot: a user's namespace is no organization", "PUT", "/api/v1/organization/alice/robots/x1", tokAlice, ``,
			model("Organization does not exist: alice")),
		b("§robot.py create_org_robot: get_organization before the name", "PUT", "/api/v1/organization/alice/robots/X", tokAlice, ``,
			model("Organization does not exist: alice")),
		b("§robot.py create_robot: an organization's existing robot", "PUT", org+"bot", owner, ``, invalid("Existing robot with name: acme+bot")),
		b("§robot.py create_robot: an organization robot's name", "PUT", org+"x_", owner, ``,
			invalid("The name for the robot 'x_' is invalid: "+nameRegexIssue)),

		// deletes: robot_has_mirror's lookup, then the mirror
		b("§robot.py deleteUserRobot: lookup_robot", "DELETE", user+"nosuch", tokAlice, "", model("Could not find robot with specified username")),
		b("§robot.py deleteOrgRobot: robot_has_mirror", "DELETE", org+"bot", owner, "", invalid("Robot is being used by a mirror")),
		b("§robot.py deleteOrgRobot: lookup_robot", "DELETE", org+"nosuch", owner, "", model("Could not find robot with specified username")),
		b("§robot.py deleteOrgRobot: a member", "DELETE", org+"bot", member, "", shForbidden),
		b("§robot.py deleteUserRobot: anonymous", "DELETE", user+"bot", tokNone, "", shCSRF),

		// regenerate
		b("§robot.py regenerate_robot_token: lookup", "POST", user+"nosuch/regenerate", tokAlice, "", model("Could not find robot with specified username")),
		b("§robot.py regenerateOrgRobotToken: get_organization", "POST", "/api/v1/organization/alice/robots/bot/regenerate", tokAlice, "",
			model("Organization does not exist: alice")),
		b("§robot.py regenerateOrgRobotToken: lookup", "POST", org+"nosuch/regenerate", owner, "", model("Could not find robot with specified username")),
		b("§robot.py regenerateOrgRobotToken: a member", "POST", org+"bot/regenerate", member, "", shForbidden),

		// federation: the schema (required), the permission, _parse_federation_config, lookup_robot
		b("§robot.py createUserRobotFederation: an object", "POST", user+"bot/federation", tokAlice, `{"issuer": "https://a", "subject": "s"}`,
			invalid("{'issuer': 'https://a', 'subject': 's'} is not of type 'array'")),
		b("§robot.py createUserRobotFederation: subject required", "POST", user+"bot/federation", tokAlice, `[{"issuer": "https://a"}]`,
			invalid("'subject' is a required property")),
		b("§robot.py createUserRobotFederation: an item not an object", "POST", user+"bot/federation", tokAlice, `["https://a"]`,
			invalid("'https://a' is not of type 'object'")),
		b("§robot.py createUserRobotFederation: literal null", "POST", user+"bot/federation", tokAlice, `null`, shMissing),
		b("§robot.py createUserRobotFederation: truncated JSON", "POST", user+"bot/federation", tokAlice, `[`, shBadJSON),
		b("§robot.py createUserRobotFederation: no content type", "POST", user+"bot/federation", tokAlice, `[]`, shNotJSON, "Content-Type", ""),
		b("§robot.py _parse_federation_config: an empty issuer", "POST", user+"bot/federation", tokAlice, `[{"issuer": "", "subject": "s"}]`,
			invalid("Missing one or more required fields (issuer, subject)")),
		b("§robot.py _parse_federation_config: an issuer that is no URL", "POST", user+"bot/federation", tokAlice, `[{"issuer": "ftp://a", "subject": "s"}]`,
			invalid("Issuer must be a URL (http:// or https://)")),
		b("§robot.py _parse_federation_config: a repeated entry", "POST", user+"bot/federation", tokAlice,
			`[{"issuer": "https://a", "subject": "s"}, {"issuer": "https://a", "subject": "s"}]`, invalid("Duplicate federation config entry")),
		b("§robot.py createUserRobotFederation: the entries before lookup_robot", "POST", user+"nosuch/federation", tokAlice,
			`[{"issuer": "a", "subject": "s"}]`, invalid("Issuer must be a URL (http:// or https://)")),
		b("§robot.py createUserRobotFederation: lookup_robot", "POST", user+"nosuch/federation", tokAlice, `[]`,
			model("Could not find robot with specified username")),
		b("§robot.py createOrgRobotFederation: the schema before the permission", "POST", org+"bot/federation", member, `[{}]`,
			invalid("'issuer' is a required property")),
		b("§robot.py createOrgRobotFederation: the permission before the entries", "POST", org+"bot/federation", member,
			`[{"issuer": "a", "subject": "s"}]`, shForbidden),
		b("§robot.py createOrgRobotFederation: lookup_robot", "POST", org+"nosuch/federation", owner, `[]`,
			model("Could not find robot with specified username")),
		b("§robot.py deleteUserRobotFederation: lookup_robot", "DELETE", user+"nosuch/federation", tokAlice, "",
			model("Could not find robot with specified username")),
		b("§robot.py deleteOrgRobotFederation: lookup_robot", "DELETE", org+"nosuch/federation", owner, "",
			model("Could not find robot with specified username")),
		b("§robot.py deleteOrgRobotFederation: a member", "DELETE", org+"bot/federation", member, "", shForbidden),

		// the lists' query: reqparse
		b("§robot.py getUserRobots: limit not an int", "GET", "/api/v1/user/robots?permissions=yes&token=no&limit=1e3", tokAlice, "",
			param("limit", "If specified, the number of robots to return.")),
		b("§robot.py getUserRobots: a limit past SQLite's integers (OverflowError)", "GET", "/api/v1/user/robots?limit=99999999999999999999", tokAlice, "",
			shCrash),
		b("§robot.py getUserRobots: Postgres refuses a negative LIMIT (SQLite reads it as none)", "GET", "/api/v1/user/robots?limit=-1", tokAlice, "",
			shCrash),
		b("§robot.py getOrgRobots: parse_args before the permission", "GET", "/api/v1/organization/acme/robots?permissions=1&token=0&limit=x", tokNone, "",
			param("limit", "If specified, the number of robots to return.")),
	}
}
