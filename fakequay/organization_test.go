package fakequay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOrganizationAgainstRealQuay replays testdata/realquay/organization.json:
// every step's whole reply, as real Quay gave it, and the audit logs.
// Sources are endpoints/api/organization.py unless named otherwise.
func TestOrganizationAgainstRealQuay(t *testing.T) {
	t.Parallel()
	const (
		getOrg        = "Organization.get, org_view"
		members       = "OrganizationMemberList.get"
		member        = "OrganizationMember.get"
		collaborators = "OrganizationCollaboratorList.get"
		create        = "OrganizationList.post, data/model/organization.py create_organization"
		change        = "Organization.put"
		remove        = "OrganizationMember.delete, data/model/organization.py remove_organization_member"
		del           = "Organization.delete, data/model/user.py mark_namespace_for_deletion"
	)
	sources := map[string]string{
		"get-buynlarge-devtable":     getOrg + ": a superuser with FEATURE_SUPERUSERS_FULL_ACCESS sees the admin view",
		"get-buynlarge-reader":       getOrg + ": a member sees the teams, can_view only its own (get_viewable_teams_for_org)",
		"get-buynlarge-freshuser":    getOrg + ": anyone else sees name and avatar",
		"get-buynlarge-anon":         getOrg + ": anonymous callers too",
		"get-buynlarge-gro":          getOrg + ": a global read-only superuser sees the admin view",
		"get-buynlarge-noscope":      getOrg + ": a superuser's token without super:user is nobody special",
		"get-owns-normal":            getOrg + ": the owner",
		"get-owns-normal-ro":         getOrg + ": the owner's repo:read token: team roles capped to none (SCOPE_MAX_TEAM_ROLES)",
		"get-owns-normal-org":        getOrg + ": org:admin alone keeps the admin role",
		"get-owns-randomuser":        getOrg + ": a member of a member team",
		"get-nosuch":                 getOrg + ": get_organization raises, NotFound",
		"get-user-ns":                getOrg + ": a user's name is no organization",
		"members-devtable":           members + ": users only, teams per user, direct permissions",
		"members-reader":             members + ": AdministerOrganizationPermission",
		"members-gro":                members + ": allow_if_global_readonly_superuser",
		"members-owns-normal-ro":     members + ": the owner's repo:read token",
		"members-owns-normal":        members,
		"members-nosuch":             members + ": the permission first, then NotFound",
		"member-reader":              member,
		"member-coolrobot":           member + ": a robot of the organization in no team",
		"member-ownerbot":            member + ": a robot in a team",
		"member-dtrobot":             member + ": another namespace's robot",
		"member-outsideorg":          member + ": a collaborator is no member",
		"member-nosuch":              member + ": get_user finds nothing",
		"member-nosuch-org":          member + ": get_user_or_org finds nothing",
		"member-robot-in-user-ns":    member + ": a user's namespace works too; permissions in id order",
		"member-user-in-user-ns":     member + ": a user in a user's namespace has no teams",
		"member-freshuser-own-robot": member + ": every user administers its own namespace",
		"member-reader-by-reader":    member,
		"collaborators-devtable":     collaborators,
		"collaborators-reader":       collaborators,
		"collaborators-gro":          collaborators,
		"collaborators-nosuch":       collaborators,
		"create-fcorg":               create + `: 201 "Created"`,
		"get-fcorg":                  getOrg + ": the creator owns it",
		"create-dup":                 create + ": the handler's own check",
		"create-user-email":          create + ": find_user_by_email",
		"create-org-email":           create + ": organizations may share an address",
		"create-bad-email":           create + ": validate_email in the handler",
		"create-bad-name":            create + ": create_user_noverify's InvalidUsernameException as an ApiError",
		"create-user-name":           create,
		"create-robot-name":          create + ": get_user finds robots",
		"create-no-useradmin":        create + ": require_user_admin fires before validate_json_request",
		"create-schema":              create + ": validate_json_request",
		"create-anon":                "endpoints/csrf.py csrf_protect: a write without a token",
		"create-contact-email":       create + ": contact_email wins over email",
		"get-fcorg3":                 getOrg,
		"change-fcorg-all":           change + ": invoicing, address, tag expiration, each logged",
		"change-fcorg-badtag":        change + ": change_user_tag_expiration's DataModelException, earlier steps kept",
		"change-fcorg-bademail":      change + ": request_error after invoice_email was saved",
		"change-fcorg-float":         change + ": the view echoes the float the request gave",
		"change-fcorg-clear":         change + ": null clears the address (a uuid is stored)",
		"get-fcorg-after":            getOrg + ": the stored values",
		"change-nosuch-freshuser":    change + ": the permission before the lookup",
		"change-nosuch-devtable":     change + ": full access, then NotFound",
		"change-fcorg-normal":        change,
		"change-fcorg-gro":           change + ": global read-only superusers may not write",
		"change-schema":              change + ": jsonschema's minimum",
		"remove-sole-admin":          remove,
		"remove-robot":               remove + ": get_nonrobot_user",
		"remove-nosuch-user":         remove,
		"remove-nosuch-org":          remove,
		"remove-outsider":            remove + ": a collaborator loses its permissions too",
		"collaborators-after":        collaborators,
		"remove-reader-by-reader":    remove,
		"remove-reader":              remove,
		"members-after":              members,
		"delete-fcorg-normal":        del,
		"delete-nosuch-devtable":     del,
		"delete-nosuch-freshuser":    del + ": the permission first",
		"delete-user-ns":             del + ": get_organization",
		"delete-fcorg-anon":          "endpoints/csrf.py csrf_protect",
		"delete-fcorg":               del,
		"get-fcorg-deleted":          getOrg + ": renamed to a uuid until the namespace GC",
		"create-fcorg-again":         create + ": DeletedNamespace blocks the name",
	}
	clearedAvatar := deviation{why: "the cleared address is a random uuid, which the avatar hashes", random: true,
		pairs: []string{`"hash": "[0-9a-f]{64}", "color": "#[0-9a-f]{6}", "kind": "user"}, "is_admin"`,
			`"hash": "<random>", "color": "<random>", "kind": "user"}, "is_admin"`}}
	deviations := map[string]deviation{
		"get-buynlarge-devtable": notBilled,
		"get-buynlarge-gro":      notBilled,
		"change-fcorg-clear":     clearedAvatar,
		"get-fcorg-after":        clearedAvatar,
	}
	replayRecording(t, "organization.json", sources, deviations)
}

// TestOrganizationWithoutFullAccess: with FEATURE_SUPERUSERS_FULL_ACCESS
// off (Quay's default) a superuser is an ordinary user in organizations it
// is not in, while a global read-only superuser still reads. Checked
// against real Quay started with FEATURE_SUPERUSERS_FULL_ACCESS false.
func TestOrganizationWithoutFullAccess(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		*s = quayFixtureSeed()
		s.Config.FeatureSuperusersFullAccess = false
	})
	minimal := jsonReply(200, `{"name": "orgwithnosuperuser", "email": "", "avatar": {"name": "orgwithnosuperuser", `+
		`"hash": "aa4f46221f2d6c09d373825f68a158a1be789f3cb1a137c1affc8e625dab7b00", "color": "#8c564b", "kind": "user"}, `+
		`"is_admin": false, "is_member": false}`)
	tests := []struct {
		name, method, path, token, body string
		want                            reply
	}{
		{"org_view: no admin view for the superuser", "GET", "/api/v1/organization/orgwithnosuperuser", "QUAY_TOKEN", "", minimal},
		{"members: allow_if_superuser_with_full_access is false", "GET", "/api/v1/organization/orgwithnosuperuser/members", "QUAY_TOKEN", "", replyForbidden},
		{"collaborators", "GET", "/api/v1/organization/orgwithnosuperuser/collaborators", "QUAY_TOKEN", "", replyForbidden},
		{"change", "PUT", "/api/v1/organization/orgwithnosuperuser", "QUAY_TOKEN", `{}`, replyForbidden},
		{"delete", "DELETE", "/api/v1/organization/orgwithnosuperuser", "QUAY_TOKEN", "", replyForbidden},
		{"a global read-only superuser still reads the members", "GET", "/api/v1/organization/orgwithnosuperuser/members",
			"QUAY_READONLY_TOKEN", "", replyOK},
	}
	for _, tc := range tests {
		got := h.do(tc.method, tc.path, tc.token, tc.body)
		if tc.want.Body == "ok" {
			got.Body = "ok"
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// replyOK stands for any 200 JSON reply in tables that check the decision
// only.
var replyOK = reply{Status: 200, ContentType: "application/json", Body: "ok"}

// TestCreateOrganizationFlags covers the configuration createOrganization
// reads: FEATURE_SUPERUSERS_ORG_CREATION_ONLY (organization.py post) and
// FEATURE_MAILING (create_organization's email_required). Not run against
// real Quay, whose test configuration keeps the defaults.
func TestCreateOrganizationFlags(t *testing.T) {
	t.Parallel()
	only := newHarness(t, func(s *Seed) {
		*s = quayFixtureSeed()
		s.Config.FeatureSuperusersOrgCreationOnly = true
	})
	checkReply(t, replyForbidden, only.do("POST", "/api/v1/organization/", "QUAY_USER_TOKEN", `{"name": "neworg"}`))
	checkReply(t, jsonReply(201, `"Created"`), only.do("POST", "/api/v1/organization/", "QUAY_TOKEN", `{"name": "neworg"}`))
	// The organization got its owners team with the creator, and a log.
	teams := only.s.Teams("neworg")
	if diff := cmp.Diff([]Team{{Organization: "neworg", Name: "owners", Role: "admin", Members: []string{"devtable"}}}, teams); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}
	logs := only.logs()
	if last := logs[len(logs)-1]; last.Kind != "org_create" || last.Metadata != `{"email":null,"namespace":"neworg"`+oauthMeta(1) {
		t.Errorf("last log %+v", last)
	}
}
