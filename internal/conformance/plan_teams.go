package conformance

import (
	"net/http"
	"net/url"
)

// Organizations and their teams (endpoints/api/organization.py,
// endpoints/api/team.py). The reads run against the fixture organization
// and one of its teams, as every caller. The writes work in an
// organization the normal user creates, and so administers, and, for the
// invite codes, in the organization TestDifferential prepares before its
// snapshot (InviteOrg): Quay shows an invite's code only in the invited
// user's notifications, which the snapshot reads (fakequay/snapshot).

// teamsOrg is the organization the team writes create.
const teamsOrg = "dfteams"

// The organization whose teams hold the pending invites of the normal
// user that the plan declines and accepts: TestDifferential makes it
// before its snapshot (prepareInvites), as the superuser.
const (
	InviteOrg         = "dfinvites"
	InviteDeclineTeam = "dfdecline"
	InviteAcceptTeam  = "dfaccept"
)

// teamReads adds the organization and team reads of the starting state.
func (p *planner) teamReads() {
	fx := p.fx
	if fx.Org == "" {
		return
	}
	org := api + "/organization/" + fx.Org
	p.read("getOrganization", "valid", org, Callers...)
	p.read("getOrganization", "unknown id", api+"/organization/nosuch", Superuser, Anonymous)
	p.read("getOrganization", "a user's namespace", api+"/organization/"+fx.Superuser)
	p.read("getOrganization", "trailing slash", org+"/")
	p.read("getOrganizationMembers", "valid", org+"/members", Callers...)
	p.read("getOrganizationMembers", "unknown id", api+"/organization/nosuch/members", Superuser, User)
	p.read("getOrganizationCollaborators", "valid", org+"/collaborators", Callers...)
	p.read("getOrganizationCollaborators", "unknown id", api+"/organization/nosuch/collaborators")
	if fx.OrgTeamMember != "" {
		p.read("getOrganizationMember", "valid", org+"/members/"+fx.OrgTeamMember, Callers...)
	}
	if fx.OrgRobot != "" {
		p.read("getOrganizationMember", "a robot of the organization", org+"/members/"+url.PathEscape(fx.Org+"+"+fx.OrgRobot))
	}
	if fx.Invitee != "" {
		p.read("getOrganizationMember", "a user who is no member", org+"/members/"+fx.Invitee)
	}
	p.read("getOrganizationMember", "unknown id", org+"/members/nobody", Superuser, User)
	p.read("getOrganizationMember", "a user's namespace", api+"/organization/"+fx.Superuser+"/members/"+fx.Superuser)
	if fx.OrgTeam == "" {
		return
	}
	team := org + "/team/" + fx.OrgTeam
	p.read("getOrganizationTeamMembers", "valid", team+"/members", Callers...)
	p.read("getOrganizationTeamMembers", "includePending=true", team+"/members?includePending=true", Callers...)
	p.read("getOrganizationTeamMembers", "includePending=maybe", team+"/members?includePending=maybe")
	p.read("getOrganizationTeamMembers", "unknown team", org+"/team/nosuch/members", Superuser, User)
	p.read("getOrganizationTeamMembers", "an unknown organization", api+"/organization/nosuch/team/"+fx.OrgTeam+"/members")
	p.read("getOrganizationTeamPermissions", "valid", team+"/permissions", Callers...)
	p.read("getOrganizationTeamPermissions", "unknown team", org+"/team/nosuch/permissions")
}

// teamWrites adds the organization and team writes.
func (p *planner) teamWrites() {
	fx := p.fx
	if fx.Invitee == "" {
		return // the normal user's name is unknown
	}
	org := api + "/organization/" + teamsOrg
	team := org + "/team/dfteam"
	// except adds s as every caller but the superuser (who may, with full
	// access) and the normal user (the organization's administrator).
	except := func(s Step) {
		for _, c := range []Caller{ReadOnly, NoScope, Anonymous, Invalid} {
			o := s
			o.Caller, o.Class, o.Capture = c, "caller", nil
			p.write(o)
		}
	}
	asUser := func(s Step) {
		except(s)
		s.Caller = User
		p.write(s)
	}
	p.write(Step{Op: "createOrganization", Class: "valid", Caller: User, Method: http.MethodPost, Path: api + "/organization/",
		Body: `{"name": "` + teamsOrg + `", "email": "` + teamsOrg + `@example.org"}`})

	// changeOrganizationDetails: the schema, the permission, then each field.
	const change = "changeOrganizationDetails"
	p.bodies(change, http.MethodPut, org,
		[2]string{"wrong type", `{"email": 5}`},
		[2]string{"wrong type", `{"invoice_email": "yes"}`},
		[2]string{"wrong type", `{"tag_expiration_s": "1d"}`},
		[2]string{"bad value", `{"email": "nope"}`},
		[2]string{"bad value", `{"tag_expiration_s": 5}`},
		[2]string{"extra field", `{"extra": 1}`},
	)
	p.transport(change, http.MethodPut, org, `{}`)
	p.bodies(change, http.MethodPut, api+"/organization/nosuch", [2]string{"unknown id", `{"invoice_email": true}`})
	asUser(Step{Op: change, Class: "valid", Method: http.MethodPut, Path: org,
		Body: `{"email": "` + teamsOrg + `2@example.org", "invoice_email": true}`})
	p.write(Step{Op: change, Class: "valid", Method: http.MethodPut, Path: org, Body: `{"tag_expiration_s": 1209600}`})
	for _, c := range Callers {
		p.write(Step{Op: "getOrganization", Class: "after changeOrganizationDetails", Caller: c, Method: http.MethodGet, Path: org})
	}

	// updateOrganizationTeam creates, then updates.
	const update = "updateOrganizationTeam"
	p.bodies(update, http.MethodPut, team,
		[2]string{"missing field", `{}`},
		[2]string{"missing field", `{"description": "x"}`},
		[2]string{"bad value", `{"role": "boss"}`},
		[2]string{"wrong type", `{"role": "member", "description": 5}`},
		[2]string{"wrong type", `{"role": null}`},
	)
	p.transport(update, http.MethodPut, team, `{"role": "member"}`)
	p.bodies(update, http.MethodPut, api+"/organization/nosuch/team/dfteam", [2]string{"an unknown organization", `{"role": "member"}`})
	asUser(Step{Op: update, Class: "valid", Method: http.MethodPut, Path: team, Body: `{"role": "member", "description": "The **team**"}`})
	p.write(Step{Op: update, Class: "valid", Method: http.MethodPut, Path: team, Body: `{"role": "creator", "description": "Changed"}`})
	p.write(Step{Op: update, Class: "unchanged", Caller: User, Method: http.MethodPut, Path: team, Body: `{"role": "creator"}`})
	p.write(Step{Op: update, Class: "valid", Caller: User, Method: http.MethodPut, Path: org + "/team/dfgone", Body: `{"role": "admin"}`})
	p.check("getOrganization", "after updateOrganizationTeam", org)

	// A robot of the organization to add.
	p.write(Step{Op: "createOrgRobot", Class: "valid", Caller: User, Method: http.MethodPut, Path: org + "/robots/dfbot",
		Capture: captureField("tokdfbot", "token")})
	const member = "updateOrganizationTeamMember"
	bot := url.PathEscape(teamsOrg + "+dfbot")
	p.write(Step{Op: member, Class: "unknown id", Caller: User, Method: http.MethodPut, Path: team + "/members/nobody"})
	p.write(Step{Op: member, Class: "unknown team", Caller: User, Method: http.MethodPut, Path: org + "/team/nosuch/members/" + bot})
	if fx.OrgRobot != "" && fx.Org != "" {
		p.write(Step{Op: member, Class: "a robot of another organization", Caller: User, Method: http.MethodPut,
			Path: team + "/members/" + url.PathEscape(fx.Org+"+"+fx.OrgRobot)})
	}
	asUser(Step{Op: member, Class: "valid", Method: http.MethodPut, Path: team + "/members/" + bot})
	// The normal user is in the organization (its owners team): added.
	p.write(Step{Op: member, Class: "valid", Caller: User, Method: http.MethodPut, Path: team + "/members/" + fx.Invitee})
	// The superuser is not: invited.
	p.write(Step{Op: member, Class: "valid", Caller: User, Method: http.MethodPut, Path: team + "/members/" + fx.Superuser})
	p.write(Step{Op: member, Class: "again", Caller: User, Method: http.MethodPut, Path: team + "/members/" + bot})

	// inviteTeamMemberEmail: any address, each call another invite.
	const invite = "inviteTeamMemberEmail"
	email := team + "/invite/dfinvitee@example.com"
	p.write(Step{Op: invite, Class: "unknown team", Caller: User, Method: http.MethodPut, Path: org + "/team/nosuch/invite/dfinvitee@example.com"})
	p.write(Step{Op: invite, Class: "not an address", Caller: User, Method: http.MethodPut, Path: team + "/invite/not-an-address"})
	asUser(Step{Op: invite, Class: "valid", Method: http.MethodPut, Path: email})
	p.write(Step{Op: invite, Class: "valid", Method: http.MethodPut, Path: team + "/invite/dfother@example.com"})
	for _, c := range Callers {
		p.write(Step{Op: "getOrganizationTeamMembers", Class: "after the additions, with pending", Caller: c, Method: http.MethodGet,
			Path: team + "/members?includePending=true"})
	}
	p.check("getOrganizationTeamMembers", "after the additions", team+"/members")
	for _, c := range []Caller{Superuser, User, ReadOnly} {
		p.write(Step{Op: "getOrganizationMembers", Class: "after the additions", Caller: c, Method: http.MethodGet, Path: org + "/members"})
	}
	p.check("getOrganizationMember", "a member", org+"/members/"+fx.Invitee)
	p.check("getOrganizationMember", "a robot member", org+"/members/"+bot)
	p.check("getOrganizationMember", "an invited user", org+"/members/"+fx.Superuser)
	p.check("getOrganizationCollaborators", "after the additions", org+"/collaborators")
	p.check("getOrganizationTeamPermissions", "valid", team+"/permissions")
	p.check("getOrganization", "after the additions", org)

	// deleteTeamMemberEmailInvite
	const delInvite = "deleteTeamMemberEmailInvite"
	p.write(Step{Op: delInvite, Class: "unknown id", Caller: User, Method: http.MethodDelete, Path: team + "/invite/nobody@example.com"})
	asUser(Step{Op: delInvite, Class: "valid", Method: http.MethodDelete, Path: email})
	p.write(Step{Op: delInvite, Class: "again", Caller: User, Method: http.MethodDelete, Path: email})
	p.check("getOrganizationTeamMembers", "after deleteTeamMemberEmailInvite", team+"/members?includePending=true")

	// deleteOrganizationTeamMember: a member, then an invited user's invite.
	const delMember = "deleteOrganizationTeamMember"
	p.write(Step{Op: delMember, Class: "unknown id", Caller: User, Method: http.MethodDelete, Path: team + "/members/nobody"})
	p.write(Step{Op: delMember, Class: "not a member", Caller: User, Method: http.MethodDelete, Path: team + "/members/" + url.PathEscape(fx.Org)})
	asUser(Step{Op: delMember, Class: "valid", Method: http.MethodDelete, Path: team + "/members/" + bot})
	p.write(Step{Op: delMember, Class: "an invited user", Caller: User, Method: http.MethodDelete, Path: team + "/members/" + fx.Superuser})
	p.write(Step{Op: delMember, Class: "again", Caller: User, Method: http.MethodDelete, Path: team + "/members/" + bot})
	p.check("getOrganizationTeamMembers", "after deleteOrganizationTeamMember", team+"/members?includePending=true")

	// deleteOrganizationTeam
	const delTeam = "deleteOrganizationTeam"
	p.write(Step{Op: delTeam, Class: "unknown team", Caller: User, Method: http.MethodDelete, Path: org + "/team/nosuch"})
	p.write(Step{Op: delTeam, Class: "the last admin team", Caller: User, Method: http.MethodDelete, Path: org + "/team/owners"})
	asUser(Step{Op: delTeam, Class: "valid", Method: http.MethodDelete, Path: org + "/team/dfgone"})
	p.write(Step{Op: delTeam, Class: "again", Caller: User, Method: http.MethodDelete, Path: org + "/team/dfgone"})
	p.check("getOrganization", "after deleteOrganizationTeam", org)

	p.inviteWrites()

	// removeOrganizationMember's refusals (its valid request is in
	// inviteWrites), then the organization goes.
	const remove = "removeOrganizationMember"
	p.write(Step{Op: remove, Class: "unknown id", Caller: User, Method: http.MethodDelete, Path: org + "/members/nobody"})
	p.write(Step{Op: remove, Class: "a robot", Caller: User, Method: http.MethodDelete, Path: org + "/members/" + bot})
	p.write(Step{Op: remove, Class: "a user in no team", Caller: User, Method: http.MethodDelete, Path: org + "/members/" + fx.Superuser})
	p.write(Step{Op: remove, Class: "an unknown organization", Method: http.MethodDelete, Path: api + "/organization/nosuch/members/" + fx.Invitee})
	for _, c := range []Caller{ReadOnly, NoScope, Anonymous, Invalid} {
		p.write(Step{Op: remove, Class: "caller", Caller: c, Method: http.MethodDelete, Path: org + "/members/" + fx.Invitee})
	}
	p.write(Step{Op: "deleteAdminedOrganization", Class: "valid", Caller: User, Method: http.MethodDelete, Path: org})
	p.check("getOrganization", "after deleteAdminedOrganization", org)
}

// inviteWrites: the normal user declines one invite and accepts the other
// (which also joins it to every team of the organization it is invited
// to), then the superuser removes it from the organization again.
func (p *planner) inviteWrites() {
	fx := p.fx
	if fx.DeclineCode == "" || fx.AcceptCode == "" {
		return
	}
	code := func(c string) string { return api + "/teaminvite/" + url.PathEscape(c) }
	org := api + "/organization/" + InviteOrg
	const decline, accept = "declineOrganizationTeamInvite", "acceptOrganizationTeamInvite"
	for _, c := range []Caller{NoScope, Anonymous, Invalid} {
		p.write(Step{Op: decline, Class: "caller", Caller: c, Method: http.MethodDelete, Path: code(fx.DeclineCode)})
		p.write(Step{Op: accept, Class: "caller", Caller: c, Method: http.MethodPut, Path: code(fx.AcceptCode)})
	}
	p.write(Step{Op: decline, Class: "unknown id", Caller: User, Method: http.MethodDelete, Path: code("urn:teaminvite:nosuch")})
	p.write(Step{Op: accept, Class: "unknown id", Caller: User, Method: http.MethodPut, Path: code("nosuch")})
	// Another user's invite: the superuser may not use it.
	p.write(Step{Op: decline, Class: "another user's invite", Method: http.MethodDelete, Path: code(fx.DeclineCode)})
	p.write(Step{Op: accept, Class: "another user's invite", Method: http.MethodPut, Path: code(fx.AcceptCode)})
	p.write(Step{Op: decline, Class: "valid", Caller: User, Method: http.MethodDelete, Path: code(fx.DeclineCode)})
	p.write(Step{Op: decline, Class: "again", Caller: User, Method: http.MethodDelete, Path: code(fx.DeclineCode)})
	p.check("getOrganizationTeamMembers", "after declineOrganizationTeamInvite", org+"/team/"+InviteDeclineTeam+"/members?includePending=true")
	p.write(Step{Op: accept, Class: "valid", Caller: User, Method: http.MethodPut, Path: code(fx.AcceptCode)})
	p.write(Step{Op: accept, Class: "again", Caller: User, Method: http.MethodPut, Path: code(fx.AcceptCode)})
	p.check("getOrganizationTeamMembers", "after acceptOrganizationTeamInvite", org+"/team/"+InviteAcceptTeam+"/members?includePending=true")
	p.check("getOrganizationMembers", "after acceptOrganizationTeamInvite", org+"/members")
	p.check("getOrganizationMember", "after acceptOrganizationTeamInvite", org+"/members/"+fx.Invitee)

	const remove = "removeOrganizationMember"
	for _, c := range []Caller{User, ReadOnly, NoScope, Anonymous, Invalid} {
		p.write(Step{Op: remove, Class: "caller", Caller: c, Method: http.MethodDelete, Path: org + "/members/" + fx.Invitee})
	}
	p.write(Step{Op: remove, Class: "valid", Method: http.MethodDelete, Path: org + "/members/" + fx.Invitee})
	p.write(Step{Op: remove, Class: "again", Method: http.MethodDelete, Path: org + "/members/" + fx.Invitee})
	p.check("getOrganizationMembers", "after removeOrganizationMember", org+"/members")
	p.check("getOrganizationTeamMembers", "after removeOrganizationMember", org+"/team/"+InviteAcceptTeam+"/members")
}
