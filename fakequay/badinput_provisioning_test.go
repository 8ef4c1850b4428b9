package fakequay

import (
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The bad-input corpus of the organization and team API. Case names start
// with the Quay module and method that decide them (endpoints/api/
// organization.py, team.py), their model functions, or the recordings of
// real Quay (testdata/realquay) where the same answer was observed. The
// corpus fixture (matrixOrg) has acme's admin owen, devs member tess, a
// pending invite of admin to devs and robots acme+bot and alice+bot.
func provisioningBadInputs() []badInput {
	const (
		orgPath  = "/api/v1/organization/"
		acme     = orgPath + "acme"
		devs     = acme + "/team/devs"
		owner    = "owen-token"
		member   = "tess-token"
		teamName = "Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$"
	)
	long := strings.Repeat("a", 256)
	b := func(name, method, path, token, body string, want shape, header ...string) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want, header: header}
	}
	logged := func(c badInput, kinds ...string) badInput { c.logs = kinds; return c }
	changed := func(c badInput, edit func(map[string][]any)) badInput { c.change = edit; return c }
	return []badInput{
		// createOrganization: require_user_admin, then validate_json_request
		b("§organization.py createOrganization: truncated JSON", "POST", orgPath, owner, `{"name": "x1"`, shBadJSON),
		b("§organization.py createOrganization: no content type", "POST", orgPath, owner, `{"name": "x1"}`, shNotJSON, "Content-Type", ""),
		b("§organization.py createOrganization: name required", "POST", orgPath, owner, `{}`, invalid("'name' is a required property")),
		b("§organization.py createOrganization: name a number", "POST", orgPath, owner, `{"name": 5}`, invalid("5 is not of type 'string'")),
		b("§organization.py createOrganization: email a number", "POST", orgPath, owner, `{"name": "x1", "email": 5}`, invalid("5 is not of type 'string'")),
		b("§organization.py createOrganization: literal null", "POST", orgPath, owner, `null`, shMissing),
		b("§organization.py createOrganization: a string body", "POST", orgPath, owner, `"x1"`, invalid("'x1' is not of type 'object'")),
		b("§organization.py createOrganization: the model's name check is an ApiError", "POST", orgPath, owner, `{"name": "Bad Name"}`,
			invalid("Invalid namespace Bad Name: "+nameRegexIssue)),
		b("§organization.py createOrganization: an empty name", "POST", orgPath, owner, `{"name": ""}`, invalid("Invalid namespace : "+nameRegexIssue)),
		b("§organization.py createOrganization: 256 characters", "POST", orgPath, owner, `{"name": "`+long+`"}`,
			invalid("Invalid namespace "+long+": "+nameLengthIssue)),
		b("§organization.py createOrganization: a NUL in the name reaches Postgres", "POST", orgPath, owner, `{"name": "x\u00001"}`, shCrash),
		b("§organization.py createOrganization: a name in use", "POST", orgPath, owner, `{"name": "buynlarge"}`,
			invalid("A user or organization with this name already exists")),
		b("§organization.py createOrganization: a robot's name", "POST", orgPath, owner, `{"name": "acme+bot"}`,
			invalid("A user or organization with this name already exists")),
		b("§organization.py createOrganization: validate_email", "POST", orgPath, owner, `{"name": "x1", "email": "nope"}`,
			invalid("Invalid email address")),
		b("§organization.py createOrganization: contact_email wins, and is checked", "POST", orgPath, owner,
			`{"name": "x1", "email": "ok@example.com", "contact_email": "nope"}`, invalid("Invalid email address")),
		b("§organization.py create_organization: a user's address", "POST", orgPath, owner, `{"name": "x1", "email": "alice@example.com"}`,
			invalid("Email has already been used: alice@example.com")),
		b("§organization.py create_organization: a NUL in the address reaches Postgres", "POST", orgPath, owner,
			`{"name": "x1", "email": "a\u0000@example.com"}`, shCrash),
		b("§organization.py createOrganization: require_user_admin before the schema", "POST", orgPath, tokAuditor, `{}`, shForbidden),
		b("§organization.py createOrganization: anonymous", "POST", orgPath, tokNone, `{"name": "x1"}`, shCSRF),

		// changeOrganizationDetails: schema, then permission, then each step
		b("§organization.py changeOrganizationDetails: tag_expiration_s below the minimum", "PUT", acme, owner, `{"tag_expiration_s": -1}`,
			invalid("-1 is less than the minimum of 0")),
		b("§organization.py changeOrganizationDetails: tag_expiration_s a string", "PUT", acme, owner, `{"tag_expiration_s": "86400"}`,
			invalid("'86400' is not of type 'integer'")),
		b("§organization.py changeOrganizationDetails: tag_expiration_s a fraction", "PUT", acme, owner, `{"tag_expiration_s": 1.5}`,
			invalid("1.5 is not of type 'integer'")),
		b("§organization.py change_user_tag_expiration: not an option", "PUT", acme, owner, `{"tag_expiration_s": 5}`,
			model("Invalid tag expiration option")),
		b("§organization.py change_user_tag_expiration: an int past int64", "PUT", acme, owner, `{"tag_expiration_s": 1000000000000000000000}`,
			model("Invalid tag expiration option")),
		b("§organization.py changeOrganizationDetails: invoice_email a string", "PUT", acme, owner, `{"invoice_email": "yes"}`,
			invalid("'yes' is not of type 'boolean'")),
		b("§organization.py changeOrganizationDetails: contact_email a number", "PUT", acme, owner, `{"contact_email": 5}`,
			invalid("5 is not of type 'string', 'null'")),
		b("§organization.py changeOrganizationDetails: an array body", "PUT", acme, owner, `[]`, invalid("[] is not of type 'object'")),
		changed(logged(b("§organization.py changeOrganizationDetails: invoicing is kept when the tag expiration fails (recorded)",
			"PUT", acme, owner, `{"invoice_email": true, "tag_expiration_s": 5}`, model("Invalid tag expiration option")),
			"org_change_invoicing"), editNamespace("acme", func(n *store.Namespace) {
			n.Settings = &store.NamespaceSettings{InvoiceEmail: true, TagExpirationS: store.DefaultTagExpirationS}
		})),
		b("§organization.py changeOrganizationDetails: validate_email", "PUT", acme, owner, `{"email": "bad"}`, invalid("Invalid email address")),
		b("§organization.py changeOrganizationDetails: org.save() binds a NUL", "PUT", acme, owner, `{"email": "a\u0000@example.com"}`, shCrash),
		b("§organization.py change_invoice_email_address: a NUL", "PUT", acme, owner, `{"invoice_email_address": "a\u0000"}`, shCrash),
		b("§organization.py changeOrganizationDetails: a member may not", "PUT", acme, member, `{}`, shForbidden),
		b("§organization.py changeOrganizationDetails: the permission before the lookup", "PUT", orgPath+"nobody", owner, `{}`, shForbidden),
		b("§organization.py changeOrganizationDetails: anonymous", "PUT", acme, tokNone, `{}`, shCSRF),

		// deleteAdminedOrganization, removeOrganizationMember
		b("§organization.py deleteAdminedOrganization: a member may not", "DELETE", acme, member, "", shForbidden),
		b("§organization.py deleteAdminedOrganization: a superuser without full access may not", "DELETE", acme, tokAdmin, "", shForbidden),
		b("§organization.py deleteAdminedOrganization: nobody's organization", "DELETE", orgPath+"nobody", owner, "", shForbidden),
		b("§1.5 deleteAdminedOrganization: a %2F in the name, the web 405", "DELETE", acme+"%2Fx", owner, "", shWeb405),
		b("§organization.py remove_organization_member: the only admin", "DELETE", acme+"/members/owen", owner, "",
			model("Cannot remove user as they are the only organization admin")),
		b("§organization.py removeOrganizationMember: get_nonrobot_user", "DELETE", acme+"/members/acme+bot", owner, "", shNotFound),
		b("§organization.py removeOrganizationMember: unknown", "DELETE", acme+"/members/nobody", owner, "", shNotFound),
		b("§organization.py removeOrganizationMember: a member may not", "DELETE", acme+"/members/owen", member, "", shForbidden),

		// updateOrganizationTeam, deleteOrganizationTeam
		b("§team.py updateOrganizationTeam: the role enum", "PUT", devs, owner, `{"role": "boss"}`,
			invalid("'boss' is not one of ['member', 'creator', 'admin']")),
		b("§team.py updateOrganizationTeam: role required", "PUT", devs, owner, `{}`, invalid("'role' is a required property")),
		b("§team.py updateOrganizationTeam: description a number", "PUT", devs, owner, `{"role": "member", "description": 5}`,
			invalid("5 is not of type 'string'")),
		b("§team.py create_team: the name pattern", "PUT", acme+"/team/Bad", owner, `{"role": "member"}`,
			model("Invalid team name Bad: "+teamName)),
		b("§team.py create_team: the name length", "PUT", acme+"/team/"+long, owner, `{"role": "member"}`,
			model("Invalid team name "+long+": Team must be between 2 and 255 characters in length")),
		b("§team.py create_team: a NUL in the description", "PUT", acme+"/team/qa", owner, `{"role": "member", "description": "\u0000"}`, shCrash),
		changed(logged(b("§team.py set_team_org_permission: the caller's only admin team, after the description (recorded)",
			"PUT", acme+"/team/owners", owner, `{"role": "member", "description": "kept"}`,
			model("Cannot remove admin from team 'owners' because calling user would no longer have admin on org 'acme'")),
			"org_set_team_description"), editTeam("acme", "owners", func(t *store.Team) { t.Description = "kept" })),
		b("§team.py updateOrganizationTeam: nobody's organization", "PUT", orgPath+"nobody/team/devs", owner, `{"role": "member"}`, shForbidden),
		b("§team.py updateOrganizationTeam: one's own user namespace is no organization", "PUT", orgPath+"owen/team/devs", owner,
			`{"role": "member"}`, model("Organization does not exist: owen")),
		b("§team.py updateOrganizationTeam: a member may not", "PUT", devs, member, `{"role": "admin"}`, shForbidden),
		b("§team.py remove_team: the remover's only admin team", "DELETE", acme+"/team/owners", owner, "",
			model("Deleting team 'owners' would remove admin ability for user 'owen' in organization 'acme'")),
		b("§team.py remove_team: unknown team", "DELETE", acme+"/team/nosuch", owner, "", model("Team 'nosuch' is not a team in org 'acme'")),
		b("§team.py deleteOrganizationTeam: a member may not", "DELETE", devs, member, "", shForbidden),

		// team members and invites
		b("§team.py getOrganizationTeamMembers: includePending takes any string", "GET", devs+"/members?includePending=%00", owner, "", shOK),
		b("§team.py updateOrganizationTeamMember: Unknown user", "PUT", devs+"/members/nobody", owner, "", invalid("Unknown user")),
		b("§team.py updateOrganizationTeamMember: an organization is no user", "PUT", devs+"/members/buynlarge", owner, "", invalid("Unknown user")),
		b("§team.py add_or_invite_to_team: another namespace's robot", "PUT", devs+"/members/alice+bot", owner, "",
			model("Cannot add the specified robot to this team, as it is not a member of the organization")),
		b("§team.py add_user_to_team: already a member", "PUT", devs+"/members/tess", owner, "",
			model("User tess is already a member of team devs")),
		b("§team.py updateOrganizationTeamMember: unknown team", "PUT", acme+"/team/nosuch/members/tess", owner, "", shNotFound),
		b("§team.py updateOrganizationTeamMember: a member may not", "PUT", devs+"/members/alice", member, "", shForbidden),
		b("§team.py remove_user_from_team: not in the team", "DELETE", devs+"/members/alice", owner, "",
			model("User alice does not belong to team devs")),
		b("§team.py remove_user_from_team: not from one's only admin team", "DELETE", acme+"/team/owners/members/owen", owner, "",
			model("User cannot remove themselves from their only admin team.")),
		b("§team.py deleteOrganizationTeamMember: unknown member", "DELETE", devs+"/members/nobody", owner, "", shNotFound),
		b("§team.py deleteOrganizationTeamMember: unknown team", "DELETE", acme+"/team/nosuch/members/tess", owner, "", shNotFound),
		b("§team.py inviteTeamMemberEmail: unknown team", "PUT", acme+"/team/nosuch/invite/x@example.com", owner, "", shNotFound),
		b("§team.py inviteTeamMemberEmail: a member may not", "PUT", devs+"/invite/x@example.com", member, "", shForbidden),
		b("§team.py deleteTeamMemberEmailInvite: no such invite", "DELETE", devs+"/invite/x@example.com", owner, "", shNotFound),
		b("§team.py deleteTeamMemberEmailInvite: unknown team", "DELETE", acme+"/team/nosuch/invite/pending@example.com", owner, "", shNotFound),
		b("§team.py acceptOrganizationTeamInvite: unknown code", "PUT", "/api/v1/teaminvite/nope", member, "", model("Invalid confirmation code.")),
		b("§team.py confirm_team_invite: someone else's invite", "PUT", "/api/v1/teaminvite/urn:teaminvite:matrix", member, "",
			model("This invite is intended for user \"admin\".\n                 Please login to that account and try again.")),
		b("§team.py acceptOrganizationTeamInvite: require_user_admin", "PUT", "/api/v1/teaminvite/urn:teaminvite:matrix", tokAuditor, "", shForbidden),
		b("§team.py declineOrganizationTeamInvite: unknown code", "DELETE", "/api/v1/teaminvite/nope", member, "", model("Invalid confirmation code.")),
		b("§team.py delete_team_invite: someone else's invite", "DELETE", "/api/v1/teaminvite/urn:teaminvite:matrix", member, "",
			model("Invalid confirmation code.")),
	}
}

// editNamespace returns a change that rewrites the dumped row of the
// namespace named name.
func editNamespace(name string, edit func(*store.Namespace)) func(map[string][]any) {
	return func(want map[string][]any) {
		for i, row := range want["namespaces"] {
			if n := row.(*store.Namespace); n.Name == name {
				c := *n
				edit(&c)
				want["namespaces"][i] = &c
			}
		}
	}
}

// editTeam returns a change that rewrites the dumped row of the team of
// organization org named name.
func editTeam(org, name string, edit func(*store.Team)) func(map[string][]any) {
	return func(want map[string][]any) {
		var orgID int64
		for _, row := range want["namespaces"] {
			if n := row.(*store.Namespace); n.Name == org {
				orgID = n.ID
			}
		}
		for i, row := range want["teams"] {
			if t := row.(*store.Team); t.Name == name && t.OrgID == orgID {
				c := *t
				edit(&c)
				want["teams"][i] = &c
			}
		}
	}
}
