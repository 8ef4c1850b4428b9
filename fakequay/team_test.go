package fakequay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTeamAgainstRealQuay replays testdata/realquay/team.json: every step's
// whole reply, as real Quay gave it, and the audit logs. Sources are
// endpoints/api/team.py and data/model/team.py unless named otherwise.
func TestTeamAgainstRealQuay(t *testing.T) {
	t.Parallel()
	const (
		update  = "OrganizationTeam.put"
		del     = "OrganizationTeam.delete, remove_team"
		members = "TeamMemberList.get"
		add     = "TeamMember.put, handle_addinvite_team, add_or_invite_to_team"
		remove  = "TeamMember.delete, remove_user_from_team"
		invite  = "InviteTeamMember.put"
		uninv   = "InviteTeamMember.delete, delete_team_email_invite"
		perms   = "TeamPermissions.get, data/model/permission.py list_team_permissions"
		accept  = "TeamMemberInvite.put, try_accept_invite, confirm_team_invite"
		decline = "TeamMemberInvite.delete, delete_team_invite"
	)
	sources := map[string]string{
		"create-devs":                update + ": create_team; new_team true",
		"update-devs":                update + ": description, then set_team_org_permission",
		"update-devs-same":           update + ": nothing changes, nothing is logged",
		"create-bad-name":            update + ": validate_team_name's pattern (its message says Namespace)",
		"create-short-name":          update + ": validate_team_name's length",
		"create-bad-role":            update + ": the schema's enum",
		"create-no-role":             update + ": the schema's required role",
		"downgrade-owners-sole":      update + ": set_team_org_permission keeps the caller's only admin team; the description change stays",
		"create-nosuch-org":          update + ": get_organization's InvalidOrganizationException",
		"create-user-ns":             update + ": a user's name is no organization",
		"create-own-user-ns":         update + ": every user administers its own namespace, which is still no organization",
		"create-reader":              update + ": AdministerOrganizationPermission",
		"create-gro":                 update + ": global read-only superusers may not write",
		"create-normal-ro":           update + ": the owner's repo:read token",
		"create-anon":                "endpoints/csrf.py csrf_protect",
		"create-ops-superuser":       update + ": allow_if_superuser_with_full_access",
		"delete-owners-sole":         del + ": the remover's only admin team",
		"delete-nosuch":              del + ": InvalidTeamException",
		"delete-nosuch-org":          del,
		"delete-owners-superuser":    del + ": a remover in no admin team indexes an empty list (IndexError)",
		"delete-ops-reader":          del,
		"delete-ops":                 del + ": another admin team of the remover's",
		"members-devs-empty":         members,
		"add-reader":                 add + ": an org member is added at once",
		"add-outsideorg":             add + ": anyone else is invited (FEATURE_MAILING, FEATURE_REQUIRE_TEAM_INVITE)",
		"add-outsideorg-again":       add + ": another invite",
		"add-coolrobot":              add + ": the organization's robot is added; member_view's kind stays user",
		"add-dtrobot":                add + ": another namespace's robot",
		"add-reader-again":           add + ": UserAlreadyInTeam",
		"add-nosuch":                 add + ": get_user",
		"add-org":                    add + ": get_user finds no organization",
		"add-nosuch-team":            add + ": get_organization_team",
		"add-by-reader":              add,
		"invite-email":               invite + ": invite_view",
		"invite-email-again":         invite,
		"invite-email-nosuch-team":   invite,
		"invite-email-reader":        invite,
		"members-devs-pending":       members + ": members in the order they joined, then the invites",
		"members-devs":               members,
		"members-devs-reader":        members + ": ViewTeamPermission; includePending needs an admin",
		"members-readers-creator":    members + ": another team's member",
		"members-nosuch-devtable":    members,
		"members-nosuch-reader":      members + ": the permission first",
		"members-devs-gro":           members + ": global read-only superusers read, can_edit false",
		"members-owners-anon":        members + ": Unauthorized for nobody is 401",
		"permissions-readers":        perms,
		"permissions-readers-reader": perms + ": AdministerOrganizationPermission",
		"permissions-readers-gro":    perms,
		"permissions-nosuch":         perms,
		"permissions-devs":           perms,
		"uninvite-email":             uninv,
		"uninvite-email-again":       uninv + ": the second invite",
		"uninvite-email-none":        uninv,
		"uninvite-email-nosuch-team": uninv,
		"remove-outsideorg-invite":   remove + ": delete_team_user_invite comes first",
		"remove-outsideorg-invite2":  remove,
		"remove-outsideorg-none":     remove,
		"remove-reader":              remove,
		"remove-coolrobot":           remove,
		"remove-nosuch":              remove,
		"remove-nosuch-team":         remove,
		"remove-self-owner":          remove + ": not from one's only admin team",
		"remove-by-reader":           remove,
		"invite-normaluser":          add,
		"accept-wrong-user":          accept + ": find_matching_team_invite",
		"accept-unknown":             accept + ": lookup_team_invite",
		"accept-no-useradmin":        accept + ": require_user_admin",
		"accept-anon":                "endpoints/csrf.py csrf_protect",
		"decline-wrong-user":         decline + ": lookup_team_invite with the user",
		"accept":                     accept,
		"accept-again":               accept,
		"members-devs-after-accept":  members,
		"invite-randomuser":          add,
		"decline":                    decline,
		"decline-again":              decline,
		"get-buynlarge-after":        "organization.py Organization.get",
		"delete-devs":                del,
		"members-devs-deleted":       members,
	}
	replayRecording(t, "team.json", sources, map[string]deviation{"get-buynlarge-after": notBilled})
}

// TestTeamMailingFlags: without FEATURE_MAILING (or without
// FEATURE_REQUIRE_TEAM_INVITE) a user outside the organization is added at
// once and the invite routes do not exist; with it, an invite puts Quay's
// invitation mail in the outbox. The mailing-off answers were checked
// against real Quay started with FEATURE_MAILING false; the outbox stands
// for send_org_invite_email, which realquay (TESTING) does not send.
func TestTeamMailingFlags(t *testing.T) {
	t.Parallel()
	for _, edit := range []func(*Config){
		func(c *Config) { c.FeatureMailing = false },
		func(c *Config) { c.FeatureRequireTeamInvite = false },
	} {
		h := newHarness(t, func(s *Seed) { *s = quayFixtureSeed(); edit(s.Config) })
		checkReply(t, jsonReply(200, `{"name": "reader", "kind": "user", "is_robot": false, "avatar": {"name": "reader", `+
			`"hash": "b6ef8d700d042020048aff1fb8a99f9ba3dcc211d4b57908cfcf15b64efe6e3c", "color": "#6b6ecf", "kind": "user"}, "invited": false}`),
			h.do("PUT", "/api/v1/organization/orgwithnosuperuser/team/readers/members/reader", "TOK_NORMAL", ""))
		if len(h.s.Mails()) != 0 {
			t.Errorf("mails %+v", h.s.Mails())
		}
	}
	off := newHarness(t, func(s *Seed) { *s = quayFixtureSeed(); s.Config.FeatureMailing = false })
	for _, path := range []string{"/api/v1/organization/buynlarge/team/readers/invite/a@example.com", "/api/v1/teaminvite/x"} {
		if got := off.do("PUT", path, "QUAY_TOKEN", ""); got.Status != 405 || got.ContentType != "text/html; charset=utf-8" {
			t.Errorf("PUT %s with mailing off: %d %s, want the web catch-all's 405", path, got.Status, got.ContentType)
		}
	}

	on := newHarness(t, func(s *Seed) { *s = quayFixtureSeed() })
	on.do("PUT", "/api/v1/organization/buynlarge/team/creators/members/outsideorg", "QUAY_TOKEN", "")
	on.do("PUT", "/api/v1/organization/buynlarge/team/creators/invite/new@example.com", "QUAY_TOKEN", "")
	var got []Mail
	for _, m := range on.s.Mails() {
		m.Code = normalize(m.Code, uuidRE.String(), "<uuid>")
		got = append(got, m)
	}
	want := []Mail{
		{Kind: "org_invite", To: "no2@thanks.com", Username: "outsideorg", Code: "urn:teaminvite:<uuid>", Time: fixtureTime,
			Organization: "buynlarge", Team: "creators", Inviter: "devtable"},
		{Kind: "org_invite", To: "new@example.com", Username: "new@example.com", Code: "urn:teaminvite:<uuid>", Time: fixtureTime,
			Organization: "buynlarge", Team: "creators", Inviter: "devtable"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
}
