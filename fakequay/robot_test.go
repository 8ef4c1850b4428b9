package fakequay

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The fixture robots' tokens and creation times, which both sides share;
// every other token and creation time a robot answer shows was drawn or
// taken when the step ran, on each side.
var (
	robotTokenRE   = regexp.MustCompile(`"token": "[A-Z0-9]{64}"`)
	robotCreatedRE = regexp.MustCompile(`"created": "[^"]*"`)
	fixtureRobots  = func() (tokens, created []string) {
		for _, rb := range quayFixtureSeed().Robots {
			tokens = append(tokens, `"token": "`+rb.Token+`"`)
			created = append(created, `"created": "`+*formatDate(rb.Created)+`"`)
		}
		return tokens, created
	}
)

// normalizeNewRobots hides the tokens and creation times of robots the
// steps made or regenerated.
func normalizeNewRobots(body string) string {
	tokens, created := fixtureRobots()
	body = robotTokenRE.ReplaceAllStringFunc(body, func(m string) string {
		if slices.Contains(tokens, m) {
			return m
		}
		return `"token": "<new>"`
	})
	return robotCreatedRE.ReplaceAllStringFunc(body, func(m string) string {
		if slices.Contains(created, m) {
			return m
		}
		return `"created": "<now>"`
	})
}

// TestRobotAgainstRealQuay replays testdata/realquay/robot.json: every
// step's whole reply, as real Quay gave it, and the audit logs. Sources
// are endpoints/api/robot.py and data/model/user.py unless named
// otherwise. The four setup steps create two repositories of buynlarge
// and grant buynlarge+ownerbot permissions on them (repository.py and
// permission.py, which fakequay does not serve yet) through the direct
// API, with the permissions createRepo gives (the creator's admin and
// buynlarge's default permissions for devtable).
func TestRobotAgainstRealQuay(t *testing.T) {
	t.Parallel()
	const (
		ulist      = "UserRobotList.get, list_entity_robot_permission_teams"
		uget       = "UserRobot.get, get_robot_and_metadata"
		ucreate    = "UserRobot.put, create_robot"
		udelete    = "UserRobot.delete"
		uperms     = "UserRobotPermissions.get"
		uregen     = "RegenerateUserRobot.post"
		ufedGet    = "UserRobotFederation.get"
		ufedSet    = "UserRobotFederation.post"
		ufedDelete = "UserRobotFederation.delete"
		olist      = "OrgRobotList.get, list_entity_robot_permission_teams"
		oget       = "OrgRobot.get, get_org_robot"
		ocreate    = "OrgRobot.put, create_org_robot"
		odelete    = "OrgRobot.delete"
		operms     = "OrgRobotPermissions.get"
		oregen     = "RegenerateOrgRobot.post"
		ofedGet    = "OrgRobotFederation.get"
		ofedSet    = "OrgRobotFederation.post"
		ofedDelete = "OrgRobotFederation.delete"
	)
	sources := map[string]string{
		"ulist":                             ulist + ": the caller's robots in creation order (last_accessed DESC, all NULL), with tokens",
		"ulist-perms":                       ulist + ": each robot's teams and repositories (permissions in repository order)",
		"ulist-notoken":                     ulist + ": token=false",
		"ulist-perms-notoken":               ulist + ": truthy_bool: 1 and 0",
		"ulist-limit1":                      ulist + ": limit counts robots without permissions",
		"ulist-limit0":                      ulist + ": LIMIT 0",
		"ulist-limit-neg":                   ulist + ": SQLite's LIMIT -1 is no limit",
		"ulist-limit-big":                   ulist + ": an int past SQLite's INTEGER: OverflowError",
		"ulist-limit-bad":                   ulist + ": reqparse's int: the help text",
		"ulist-limit1-perms":                ulist + ": with permissions the limit counts joined rows: one repository of three",
		"ulist-limit2-perms":                ulist + ": two joined rows",
		"ulist-limit3-perms":                ulist + ": three rows: dtrobot complete, dtrobot2 cut",
		"ulist-fresh":                       ulist,
		"ulist-anon":                        ulist + ": require_user_admin: nobody is 401",
		"ulist-robot-token":                 ulist + ": a robot token is no OAuth token: anonymous (auth/oauth.py validate_oauth_token)",
		"ulist-noscope":                     ulist + ": require_user_admin needs user:admin",
		"ulist-org-scope":                   ulist + ": org:admin alone is not user:admin",
		"ulist-ua-scope":                    ulist + ": a user without robots",
		"ulist-readonly":                    ulist + ": a global read-only superuser's own robots",
		"uget":                              uget + ": get_robot_and_metadata: token and unstructured_metadata ({} by default)",
		"uget-unknown":                      uget + ": lookup_robot's InvalidRobotException, uncaught: 400 {message}",
		"uget-unicode":                      uget + ": lookup_robot: a name that is not ASCII is no robot",
		"uget-plus":                         uget + ": format_robot_username of a name with a plus finds nothing",
		"uget-other-users":                  uget + ": the caller's namespace only",
		"uget-anon":                         uget,
		"uget-noscope":                      uget,
		"uget-ua-scope":                     uget,
		"ucreate":                           ucreate + ": create_user_robot: the answer echoes the request's description and metadata",
		"ucreate-again":                     ucreate + ": create_robot: Existing robot, request_error",
		"ucreate-nobody":                    ucreate + ": validate_json_request(optional=True): no body; metadata answered null, stored {}",
		"ucreate-empty-object":              ucreate + ": an empty object is falsy: create_data {}",
		"ucreate-description-only":          ucreate,
		"ucreate-empty-metadata":            ucreate + ": {} is echoed",
		"ucreate-null-description":          ucreate + ": the schema's type",
		"ucreate-null-metadata":             ucreate + ": the schema's type",
		"ucreate-metadata-string":           ucreate,
		"ucreate-description-number":        ucreate,
		"ucreate-description-long":          ucreate + ": the schema's maxLength",
		"ucreate-description-255":           ucreate + ": maxLength counts code points",
		"ucreate-array":                     ucreate + ": an array is no object",
		"ucreate-string":                    ucreate,
		"ucreate-null":                      ucreate + ": get_json(silent=True) of null is None: no body",
		"ucreate-malformed":                 ucreate + ": get_json(silent=True) swallows the parse error: no body",
		"ucreate-text-plain":                ucreate + ": get_json(silent=True) without a JSON content type: no body",
		"ucreate-extra-keys":                ucreate + ": other keys are ignored",
		"ucreate-bad-name":                  ucreate + ": validate_username's pattern, InvalidRobotException as request_error",
		"ucreate-short-name":                ucreate + ": validate_username's length",
		"ucreate-long-name":                 ucreate + ": validate_username's length",
		"ucreate-plus-name":                 ucreate + ": validate_username's pattern",
		"ucreate-newline-name":              ucreate + ": re.match's $ before a final newline: the name keeps it",
		"ucreate-bad-name-bad-body":         ucreate + ": the schema before the name",
		"ucreate-anon":                      ucreate + ": endpoints/csrf.py csrf_protect",
		"ucreate-noscope":                   ucreate + ": require_user_admin before the body",
		"ucreate-noscope-bad-body":          ucreate + ": require_user_admin before the body",
		"ucreate-robot-token":               ucreate + ": a robot token is anonymous: csrf_protect",
		"ulist-fresh-after":                 ulist + ": creation order",
		"uget-created":                      uget,
		"uget-created-nobody":               uget + ": RobotAccountMetadata stores {} for no metadata",
		"uget-newline":                      uget + ": the name with its newline",
		"uperms":                            uperms + ": list_robot_permissions, in repository order",
		"uperms-none":                       uperms,
		"uperms-unknown":                    uperms,
		"uperms-anon":                       uperms,
		"uperms-noscope":                    uperms,
		"uregen":                            uregen + ": regenerate_robot_token: a new token; the answer has no metadata",
		"uregen-unknown":                    uregen,
		"uregen-anon":                       uregen,
		"uregen-noscope":                    uregen,
		"uregen-with-body":                  uregen + ": a body is ignored",
		"uget-after-regen":                  uget + ": the metadata stays",
		"ufed-get-empty":                    ufedGet + ": get_robot_federation_config: [] by default",
		"ufed-set":                          ufedSet + ": _parse_federation_config keeps issuer and subject; create_robot_federation_config",
		"ufed-get":                          ufedGet,
		"ufed-set-duplicate":                ufedSet + ": _parse_federation_config: a repeated (issuer, subject)",
		"ufed-set-not-url":                  ufedSet + ": _parse_federation_config: the issuer's scheme",
		"ufed-set-empty-issuer":             ufedSet + ": _parse_federation_config: empty strings are missing",
		"ufed-set-missing-subject":          ufedSet + ": the schema's required",
		"ufed-set-subject-number":           ufedSet + ": the schema's type",
		"ufed-set-object":                   ufedSet + ": the schema's array",
		"ufed-set-item-string":              ufedSet + ": the schema's items",
		"ufed-set-item-empty":               ufedSet + ": the schema's required",
		"ufed-set-nobody":                   ufedSet + ": validate_json_request(optional=False): get_json without a JSON content type is 415",
		"ufed-set-null":                     ufedSet + ": Missing JSON body",
		"ufed-set-malformed":                ufedSet + ": get_json's BadRequest",
		"ufed-set-unknown":                  ufedSet + ": lookup_robot after the entries are checked",
		"ufed-set-unknown-bad":              ufedSet + ": the entries before lookup_robot",
		"ufed-get-unknown":                  ufedGet,
		"ufed-get-anon":                     ufedGet,
		"ufed-set-anon":                     ufedSet + ": endpoints/csrf.py csrf_protect",
		"ufed-set-noscope-bad":              ufedSet + ": require_user_admin before the body",
		"ufed-get-after-errors":             ufedGet + ": refusals change nothing",
		"ufed-delete":                       ufedDelete + ": delete_robot_federation_config: an empty configuration",
		"ufed-get-deleted":                  ufedGet,
		"ufed-delete-again":                 ufedDelete + ": 204 again, logged again",
		"ufed-delete-unknown":               ufedDelete,
		"ufed-set-empty-list":               ufedSet + ": an empty list is a configuration too, logged as create",
		"ufed-delete-noscope":               ufedDelete,
		"udelete":                           udelete + ": robot_has_mirror, delete_robot",
		"udelete-again":                     udelete + ": robot_has_mirror's lookup_robot: InvalidRobotException",
		"udelete-mirror-robot":              udelete + ": robot_has_mirror: devtable/mirrored pulls with dtrobot",
		"udelete-anon":                      udelete,
		"udelete-noscope":                   udelete,
		"udelete-with-permission":           udelete + ": delete_instance takes the robot's permission on devtable/mirrored",
		"ulist-after-delete":                ulist + ": dtrobot2 gone",
		"ucreate-again-deleted":             ucreate + ": the name is free again",
		"uperms-recreated":                  uperms + ": the old permission went with the old robot",
		"uget-deleted":                      uget + ": lookup_robot",
		"setup-create-r1":                   "repository.py createRepo (applied through the direct API)",
		"setup-create-r2":                   "repository.py createRepo (applied through the direct API)",
		"setup-grant-r2":                    "permission.py changeUserPermissions (applied with the repository)",
		"setup-grant-r1":                    "permission.py changeUserPermissions (applied with the repository)",
		"team-add-ownerbot":                 "team.py TeamMember.put: an organization's robot joins at once",
		"olist":                             olist + ": OrganizationMemberPermission; an admin gets tokens",
		"olist-perms":                       olist + ": two teams, two repositories: joined rows permission-major",
		"olist-notoken":                     olist,
		"olist-limit1-perms":                olist + ": rows: one per robot without permissions or teams",
		"olist-limit2-perms":                olist,
		"olist-limit3-perms":                olist + ": ownerbot's first row: r1 with owners",
		"olist-limit4-perms":                olist + ": r1 with owners, r1 with readers",
		"olist-limit5-perms":                olist + ": r2 with owners",
		"olist-limit6-perms":                olist + ": r2 with readers",
		"olist-limit2":                      olist + ": limit counts robots without permissions",
		"olist-member":                      olist + ": a member: no tokens",
		"olist-member-perms":                olist + ": a member: no permissions either",
		"olist-creator":                     olist + ": a creator is a member",
		"olist-outside":                     olist + ": no member",
		"olist-readonly":                    olist + ": allow_if_global_readonly_superuser: no tokens",
		"olist-readonly-perms":              olist + ": a global read-only superuser sees permissions",
		"olist-noscope":                     olist + ": the team role capped by repo:read user:read; no super:user",
		"olist-fresh":                       olist + ": no member",
		"olist-anon":                        olist + ": Unauthorized for nobody is 401",
		"olist-robot-token":                 olist + ": a robot token is anonymous",
		"olist-nosuch-org":                  olist + ": a superuser with full access; the list is a name match: []",
		"olist-user-namespace":              olist + ": every user administers its own namespace: its robots",
		"olist-other-user-namespace":        olist + ": another user's namespace",
		"olist-limit-bad":                   olist + ": parse_args before the permission check",
		"ocreate":                           ocreate + ": create_org_robot",
		"ocreate-exists":                    ocreate + ": Existing robot",
		"ocreate-normal":                    ocreate + ": an owner",
		"ocreate-superuser-nonmember":       ocreate + ": allow_if_superuser_with_full_access; the name's pattern",
		"ocreate-superuser-nonmember-2":     ocreate + ": allow_if_superuser_with_full_access",
		"ocreate-org-scope":                 ocreate + ": org:admin alone administers",
		"ocreate-normal-ro":                 ocreate + ": repo:read user:read caps the owners team",
		"ocreate-normal-ua":                 ocreate + ": user:admin alone does not administer",
		"ocreate-member":                    ocreate,
		"ocreate-creator":                   ocreate,
		"ocreate-member-bad-body":           ocreate + ": validate_json_request before the permission check",
		"ocreate-readonly":                  ocreate + ": global read-only superusers may not write",
		"ocreate-noscope":                   ocreate,
		"ocreate-anon":                      ocreate + ": endpoints/csrf.py csrf_protect",
		"ocreate-nosuch-org":                ocreate + ": get_organization's InvalidOrganizationException is no InvalidRobotException: 400 {message}",
		"ocreate-user-namespace":            ocreate + ": a user's name is no organization",
		"ocreate-bad-name":                  ocreate + ": validate_username",
		"ocreate-bad-name-nonadmin":         ocreate + ": the permission before the name",
		"ocreate-nosuch-org-bad-name":       ocreate + ": get_organization before the name",
		"ocreate-malformed":                 ocreate + ": get_json(silent=True): no body",
		"olist-normal":                      olist + ": creation order",
		"olist-superuser-nonmember":         olist + ": a superuser with full access gets tokens",
		"olist-random-member":               olist + ": a member: no tokens, no permissions",
		"olist-normal-ro":                   olist,
		"olist-normal-org":                  olist + ": org:admin: tokens",
		"olist-normal-ua":                   olist + ": user:admin alone is no member",
		"oget":                              oget + ": get_org_robot: token and metadata",
		"oget-fixture":                      oget + ": {} for a robot created without metadata",
		"oget-readonly":                     oget + ": allow_if_global_readonly_superuser: no token",
		"oget-member":                       oget + ": AdministerOrganizationPermission",
		"oget-noscope":                      oget,
		"oget-anon":                         oget,
		"oget-unknown":                      oget + ": lookup_robot",
		"oget-unknown-member":               oget + ": the permission first",
		"oget-unicode":                      oget + ": lookup_robot's ASCII check",
		"oget-nosuch-org":                   oget + ": get_organization",
		"oget-user-namespace":               oget + ": get_organization: a user's name is no organization",
		"oget-superuser-nonmember":          oget + ": a superuser with full access gets the token",
		"oget-normal":                       oget,
		"oget-normal-org":                   oget,
		"oget-normal-ro":                    oget,
		"oget-random-member":                oget + ": a member is no admin",
		"operms":                            operms + ": list_robot_permissions in repository order (r1's permission was granted second)",
		"operms-none":                       operms,
		"operms-readonly":                   operms + ": allow_if_global_readonly_superuser",
		"operms-member":                     operms + ": abort(403), Flask's Forbidden",
		"operms-member-unknown":             operms + ": abort(403) before the lookup",
		"operms-noscope":                    operms + ": require_user_admin",
		"operms-org-scope":                  operms + ": require_user_admin: org:admin is not enough",
		"operms-normal":                     operms,
		"operms-superuser-nonmember":        operms,
		"operms-unknown":                    operms + ": get_org_robot's lookup_robot",
		"operms-nosuch-org":                 operms + ": get_organization",
		"operms-user-namespace":             operms + ": get_organization",
		"operms-anon":                       operms,
		"oregen":                            oregen + ": regenerate_org_robot_token",
		"oregen-normal":                     oregen,
		"oregen-superuser-nonmember":        oregen + ": allow_if_superuser_with_full_access",
		"oregen-member":                     oregen,
		"oregen-readonly":                   oregen + ": global read-only superusers may not write",
		"oregen-noscope":                    oregen,
		"oregen-anon":                       oregen + ": endpoints/csrf.py csrf_protect",
		"oregen-unknown":                    oregen + ": regenerate_robot_token's lookup",
		"oregen-nosuch-org":                 oregen + ": get_organization",
		"oregen-user-namespace":             oregen + ": get_organization",
		"oget-after-regen":                  oget + ": the new token; the metadata stays",
		"ofed-get-empty":                    ofedGet,
		"ofed-set":                          ofedSet,
		"ofed-get":                          ofedGet,
		"ofed-get-readonly":                 ofedGet + ": allow_if_global_readonly_superuser",
		"ofed-get-member":                   ofedGet,
		"ofed-get-noscope":                  ofedGet,
		"ofed-get-anon":                     ofedGet,
		"ofed-set-replace":                  ofedSet + ": the whole configuration is replaced",
		"ofed-set-duplicate":                ofedSet,
		"ofed-set-not-url":                  ofedSet,
		"ofed-set-member":                   ofedSet + ": the permission before the entries",
		"ofed-set-member-bad":               ofedSet + ": validate_json_request before the permission",
		"ofed-set-member-not-url":           ofedSet + ": the permission before the entries",
		"ofed-set-readonly":                 ofedSet + ": global read-only superusers may not write",
		"ofed-set-unknown":                  ofedSet + ": lookup_robot",
		"ofed-set-unknown-not-url":          ofedSet + ": the entries before lookup_robot",
		"ofed-set-nosuch-org":               ofedSet + ": only the robot's name is looked up",
		"ofed-set-user-namespace":           ofedSet + ": a user's robot, through its owner's name (no organization check)",
		"ofed-get-user-namespace":           ofedGet,
		"ufed-get-via-org":                  ufedGet + ": getUserRobotFederation sees what the organization route set",
		"ofed-set-superuser-nonmember":      ofedSet + ": allow_if_superuser_with_full_access",
		"ofed-get-normal":                   ofedGet,
		"ofed-get-unknown":                  ofedGet,
		"ofed-get-unknown-member":           ofedGet + ": the permission first",
		"ofed-delete-member":                ofedDelete,
		"ofed-delete-readonly":              ofedDelete,
		"ofed-delete":                       ofedDelete,
		"ofed-get-deleted":                  ofedGet,
		"ofed-delete-unknown":               ofedDelete,
		"ofed-delete-nosuch-org":            ofedDelete,
		"ofed-delete-anon":                  ofedDelete + ": endpoints/csrf.py csrf_protect",
		"oget-federated":                    oget + ": federation is not part of the robot view",
		"odelete":                           odelete + ": robot_has_mirror, delete_robot",
		"odelete-again":                     odelete + ": robot_has_mirror's lookup_robot",
		"odelete-member":                    odelete,
		"odelete-readonly":                  odelete,
		"odelete-noscope":                   odelete,
		"odelete-anon":                      odelete + ": endpoints/csrf.py csrf_protect",
		"odelete-nosuch-org":                odelete + ": no organization check: lookup_robot",
		"odelete-user-namespace":            odelete + ": a user's robot goes through its owner's name",
		"odelete-mirror-robot-via-org":      odelete + ": robot_has_mirror",
		"odelete-superuser-nonmember":       odelete + ": allow_if_superuser_with_full_access",
		"odelete-with-team-and-permissions": odelete + ": delete_instance takes the robot's team memberships and permissions",
		"team-members-after-delete":         "ownerbot left readers",
		"team-owners-after-delete":          "and owners",
		"ocreate-recreate":                  ocreate + ": the name is free again",
		"operms-recreated":                  operms + ": the old robot's permissions went with it",
		"olist-after-delete":                olist + ": the new ownerbot is last: creation order",
		"like-org-underscore":               "organization.py OrganizationList.post",
		"like-org-dash":                     "organization.py OrganizationList.post",
		"like-org-letter":                   "organization.py OrganizationList.post",
		"like-robot-dash":                   ocreate,
		"like-robot-letter":                 ocreate,
		"like-list":                         olist + ": _list_entity_robots matches username ** 'rb_x+%': LIKE's _ is any character",
		"like-list-tokens":                  olist + ": the other organizations' robots come with their tokens",
		"like-list-upper":                   olist + ": LIKE ignores case; a superuser with full access",
		"like-list-upper-readonly":          olist + ": a global read-only superuser",
		"like-list-percent":                 olist + ": a name of % matches every robot, in creation order",
		"like-list-percent-limit":           olist + ": every namespace starting with b",
		"like-get":                          oget + ": lookup_robot is exact",
		"like-delete":                       odelete + ": robot_has_mirror's lookup_robot is exact",
		"org-create":                        "organization.py OrganizationList.post",
		"org-robot":                         ocreate + ": create_org_robot",
		"org-robot-federation":              ofedSet + ": create_robot_federation_config",
		"org-delete":                        "organization.py Organization.delete: mark_namespace_for_deletion's _delete_user_linked_data deletes the robots",
		"org-robot-after-delete":            oget + ": get_organization: the organization is renamed",
		"org-robots-after-delete":           olist + ": no robot named robotorg+ is left",
		"org-robot-federation-after-delete": ofedGet + ": lookup_robot: the robot is gone",
		"org-robot-delete-after-delete":     odelete + ": lookup_robot: the robot is gone",
	}
	newRepo := func(name, visibility string, role string) func(*harness) {
		return func(h *harness) {
			desc := ""
			if err := h.s.AddRepository(SeedRepository{Namespace: "buynlarge", Name: name, Visibility: visibility,
				Description: &desc, Permissions: &SeedRepoPermissions{
					Users:  map[string]string{"devtable": "admin", "public": "read"},
					Teams:  map[string]string{"readers": "read"},
					Robots: map[string]string{"buynlarge+ownerbot": role}}}); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	replayWith(t, "robot.json", replay{
		sources: sources,
		setup: map[string]func(*harness){
			"setup-create-r1": newRepo("r1", "private", "read"),
			"setup-create-r2": newRepo("r2", "public", "write"),
			"setup-grant-r2":  func(*harness) {}, // granted with the repository
			"setup-grant-r1":  func(*harness) {},
		},
		setupLogs: []string{"create_repo", "change_repo_permission"},
		normalize: normalizeNewRobots,
		// SQLite reads LIMIT -1 as no limit; Postgres refuses a negative
		// LIMIT with a DataError nothing catches.
		postgres: map[string]reply{"ulist-limit-neg": replyCrash},
	})
}

// aliceOwnsAcme makes alice an administrator of acme.
func aliceOwnsAcme(s *Seed) {
	s.Organizations[0].Teams = []SeedTeam{{Name: "owners", Role: "admin", Members: []string{"alice"}}}
}

// What Postgres refuses inside create_robot's transaction, which
// create_robot wraps in a DataModelException (400 {"message"}): a NUL in
// the description (psycopg2 cannot bind it) and a full name past the
// username column's 255 characters. realquay runs SQLite, which stores
// both, so these answers follow Quay's code and Postgres's messages and
// could not be checked against the running real Quay. Nothing is
// created and nothing is logged.
func TestCreateRobotPostgresRefusals(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 250) // "alice+" and 250 characters: 256
	tests := []struct {
		name, path, body string
		want             reply
	}{
		{"a NUL in the description", "/api/v1/user/robots/nul", `{"description": "a\u0000b"}`,
			modelErrorReply("A string literal cannot contain NUL (0x00) characters.")},
		{"a full name past 255 characters", "/api/v1/user/robots/" + long, ``,
			modelErrorReply("value too long for type character varying(255)\n")},
		{"an organization's robot too", "/api/v1/organization/acme/robots/nul", `{"description": "\u0000"}`,
			modelErrorReply("A string literal cannot contain NUL (0x00) characters.")},
		{"a NUL in the metadata is escaped JSON: stored", "/api/v1/user/robots/nulmeta", `{"unstructured_metadata": {"k": "\u0000"}}`,
			reply{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, aliceOwnsAcme)
			got := h.do("PUT", tt.path, tokAlice, tt.body)
			if tt.want.Status == 0 {
				if got.Status != 201 || len(h.s.Robots("alice")) != 1 {
					t.Fatalf("got %d, robots %v; want 201 and the robot", got.Status, h.s.Robots("alice"))
				}
				if diff := cmp.Diff(`{"k":"\u0000"}`, string(h.s.Robots("alice")[0].UnstructuredMetadata)); diff != "" {
					t.Errorf("stored metadata (-want +got):\n%s", diff)
				}
				return
			}
			checkReply(t, tt.want, got)
			if n := len(h.s.Robots("alice")) + len(h.s.Robots("acme")); n != 0 {
				t.Errorf("%d robots were created", n)
			}
			if logs := h.logs(); len(logs) != 0 {
				t.Errorf("logs written: %v", logs)
			}
		})
	}
}

// A robot's list position follows its last use: ORDER BY last_accessed
// DESC, which Postgres sorts with the never used (NULL) first, here in
// creation order. realquay's SQLite puts NULLs last: there a docker login
// as buynlarge+neworgrobot (checked by hand) gave it a last_accessed and
// moved it before the never used robots. The fake has no registry to sign
// robots in, so the seed sets last_accessed.
func TestRobotListOrderFollowsLastUse(t *testing.T) {
	t.Parallel()
	early, late := fixtureTime.Add(-48*time.Hour), fixtureTime.Add(-time.Hour)
	h := newHarness(t, func(s *Seed) {
		aliceOwnsAcme(s)
		s.Robots = []SeedRobot{
			{Name: "acme+first", Created: fixtureTime, Token: strings.Repeat("A", 64)},
			{Name: "acme+second", Created: fixtureTime, LastAccessed: &early, Token: strings.Repeat("B", 64)},
			{Name: "acme+third", Created: fixtureTime, Token: strings.Repeat("C", 64)},
			{Name: "acme+fourth", Created: fixtureTime, LastAccessed: &late, Token: strings.Repeat("D", 64)},
		}
	})
	entry := func(short, lastAccessed string) string {
		return `{"name": "acme+` + short + `", "created": "Sat, 28 Nov 2026 12:00:00 -0000", "last_accessed": ` +
			lastAccessed + `, "description": ""}`
	}
	want := jsonReply(200, `{"robots": [`+entry("first", "null")+", "+entry("third", "null")+", "+
		entry("fourth", `"Sat, 28 Nov 2026 11:00:00 -0000"`)+", "+entry("second", `"Thu, 26 Nov 2026 12:00:00 -0000"`)+`]}`)
	checkReply(t, want, h.do("GET", "/api/v1/organization/acme/robots?token=false", tokAlice, ""))
	// The limit takes the first in that order.
	checkReply(t, jsonReply(200, `{"robots": [`+entry("first", "null")+", "+entry("third", "null")+", "+
		entry("fourth", `"Sat, 28 Nov 2026 11:00:00 -0000"`)+`]}`),
		h.do("GET", "/api/v1/organization/acme/robots?token=false&limit=3", tokAlice, ""))
}

// Regenerating a token replaces it: the robot's password for the registry
// is the new one, the old one no longer verifies, and every read shows the
// new one (the recording can only show that both answers hold a token).
func TestRegenerateRobotTokenReplacesIt(t *testing.T) {
	t.Parallel()
	old := strings.Repeat("O", 64)
	h := newHarness(t, func(s *Seed) {
		aliceOwnsAcme(s)
		s.Robots = []SeedRobot{{Name: "acme+ci", Token: old}}
	})
	got := h.do("POST", "/api/v1/organization/acme/robots/ci/regenerate", tokAlice, "")
	var answer struct{ Token string }
	if err := json.Unmarshal([]byte(got.Body), &answer); err != nil || got.Status != 200 {
		t.Fatalf("regenerate: %d %s", got.Status, got.Body)
	}
	rd := h.s.store.Read()
	_, oldOK := rd.VerifyRobot("acme+ci", old)
	_, newOK := rd.VerifyRobot("acme+ci", answer.Token)
	rb, _ := h.s.Robot("acme+ci")
	read := h.do("GET", "/api/v1/organization/acme/robots/ci", tokAlice, "")
	type state struct {
		OldVerifies, NewVerifies bool
		Stored                   string
		ReadShowsNew             bool
	}
	want := state{OldVerifies: false, NewVerifies: true, Stored: answer.Token, ReadShowsNew: true}
	gotState := state{oldOK, newOK, rb.Token, strings.Contains(read.Body, `"token": "`+answer.Token+`"`)}
	if diff := cmp.Diff(want, gotState); diff != "" || answer.Token == old || len(answer.Token) != 64 {
		t.Errorf("after regenerating %q -> %q (-want +got):\n%s", old, answer.Token, diff)
	}
}

// The seed's robot extensions: last use, federation and a mirror's
// internal robot, read back through the direct API and the endpoints, and
// the seed's refusals.
func TestSeedRobotExtensions(t *testing.T) {
	t.Parallel()
	used := fixtureTime.Add(-time.Hour)
	h := newHarness(t, func(s *Seed) {
		aliceOwnsAcme(s)
		s.Robots = []SeedRobot{{Name: "acme+puller", Token: strings.Repeat("P", 64), LastAccessed: &used,
			Federation: []SeedRobotFederation{{Issuer: "https://ci.example", Subject: "main"}}}}
		s.RepoMirror = &SeedRepoMirroring{Repositories: []SeedRepoMirror{{Namespace: "acme", Repository: "web", InternalRobot: "acme+puller"}}}
	})
	rb, _ := h.s.Robot("acme+puller")
	if diff := cmp.Diff(Robot{Name: "acme+puller", Token: strings.Repeat("P", 64), UnstructuredMetadata: json.RawMessage("{}"),
		Created: fixtureTime, LastAccessed: used, Federation: []SeedRobotFederation{{Issuer: "https://ci.example", Subject: "main"}}}, rb); diff != "" {
		t.Errorf("direct API (-want +got):\n%s", diff)
	}
	checkReply(t, jsonReply(200, `[{"issuer": "https://ci.example", "subject": "main"}]`),
		h.do("GET", "/api/v1/organization/acme/robots/puller/federation", tokAlice, ""))
	checkReply(t, apiErrorReply(400, "invalid_request", "Robot is being used by a mirror"),
		h.do("DELETE", "/api/v1/organization/acme/robots/puller", tokAlice, ""))

	for _, tt := range []struct {
		name    string
		edit    func(*Seed)
		wantErr string
	}{
		{"an issuer that is no URL", func(s *Seed) {
			s.Robots = []SeedRobot{{Name: "acme+xx", Federation: []SeedRobotFederation{{Issuer: "ci.example", Subject: "s"}}}}
		}, "robots[0].federation[0]: Issuer must be a URL (http:// or https://)"},
		{"an empty subject", func(s *Seed) {
			s.Robots = []SeedRobot{{Name: "acme+xx", Federation: []SeedRobotFederation{{Issuer: "https://ci.example", Subject: ""}}}}
		}, "robots[0].federation[0]: Missing one or more required fields (issuer, subject)"},
		{"a mirror robot of another namespace", func(s *Seed) {
			s.Robots = []SeedRobot{{Name: "buynlarge+xx"}}
			s.RepoMirror = &SeedRepoMirroring{Repositories: []SeedRepoMirror{{Namespace: "acme", Repository: "web", InternalRobot: "buynlarge+xx"}}}
		}, `repo_mirror.repositories[0].internal_robot: "buynlarge+xx" is not a seeded robot of acme`},
	} {
		seed := fixtureSeed()
		tt.edit(&seed)
		_, err := New(WithSeed(seed))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: New = %v; want an error containing %q", tt.name, err, tt.wantErr)
		}
	}
}
