package quay_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"

	"github.com/quaykit/go-quay/fakequay"
)

// operation is one Quay operation the package's services call.
type operation struct {
	module    string // Quay's source file: endpoints/api/<module>.py, or endpoints/web.py
	nickname  string // "(none)" for a route without one
	method    string
	path      string // in full, with Quay's parameter names
	goMethods []string
	// fakequay: the fake serves the operation. The README's fakequay column
	// must then say "yes"; until then it must not.
	fakequay bool
}

// operations is every operation of the API every Quay user has that the
// client wraps (issues 11 and 12, less the session sign-in the client does
// not need), with the Go methods that call it.
var operations = []operation{
	{"organization", "createOrganization", "POST", "/api/v1/organization/", []string{"OrganizationsService.Create"}, true},
	{"organization", "getOrganization", "GET", "/api/v1/organization/{orgname}", []string{"OrganizationsService.Get"}, true},
	{"organization", "changeOrganizationDetails", "PUT", "/api/v1/organization/{orgname}", []string{"OrganizationsService.Update"}, true},
	{"organization", "deleteAdminedOrganization", "DELETE", "/api/v1/organization/{orgname}", []string{"OrganizationsService.Delete"}, true},
	{"organization", "getOrganizationMembers", "GET", "/api/v1/organization/{orgname}/members", []string{"OrganizationsService.ListMembers"}, true},
	{"organization", "getOrganizationMember", "GET", "/api/v1/organization/{orgname}/members/{membername}", []string{"OrganizationsService.GetMember"}, true},
	{"organization", "removeOrganizationMember", "DELETE", "/api/v1/organization/{orgname}/members/{membername}", []string{"OrganizationsService.RemoveMember"}, true},
	{"organization", "getOrganizationCollaborators", "GET", "/api/v1/organization/{orgname}/collaborators", []string{"OrganizationsService.ListCollaborators"}, true},
	{"repository", "createRepo", "POST", "/api/v1/repository", []string{"RepositoriesService.Create"}, true},
	{"repository", "listRepos", "GET", "/api/v1/repository", []string{"RepositoriesService.List", "RepositoriesService.All"}, true},
	{"repository", "getRepo", "GET", "/api/v1/repository/{repository}", []string{"RepositoriesService.Get"}, true},
	{"repository", "updateRepo", "PUT", "/api/v1/repository/{repository}", []string{"RepositoriesService.Update"}, true},
	{"repository", "deleteRepository", "DELETE", "/api/v1/repository/{repository}", []string{"RepositoriesService.Delete"}, true},
	{"repository", "changeRepoVisibility", "POST", "/api/v1/repository/{repository}/changevisibility", []string{"RepositoriesService.ChangeVisibility"}, true},
	{"repository", "changeRepoState", "PUT", "/api/v1/repository/{repository}/changestate", []string{"RepositoriesService.ChangeState"}, true},
	{"robot", "getUserRobots", "GET", "/api/v1/user/robots", []string{"RobotsService.ListUser"}, true},
	{"robot", "getOrgRobots", "GET", "/api/v1/organization/{orgname}/robots", []string{"RobotsService.ListOrg"}, true},
	{"robot", "getUserRobot", "GET", "/api/v1/user/robots/{robot_shortname}", []string{"RobotsService.GetUser"}, true},
	{"robot", "getOrgRobot", "GET", "/api/v1/organization/{orgname}/robots/{robot_shortname}", []string{"RobotsService.GetOrg"}, true},
	{"robot", "createUserRobot", "PUT", "/api/v1/user/robots/{robot_shortname}", []string{"RobotsService.CreateUser"}, true},
	{"robot", "createOrgRobot", "PUT", "/api/v1/organization/{orgname}/robots/{robot_shortname}", []string{"RobotsService.CreateOrg"}, true},
	{"robot", "deleteUserRobot", "DELETE", "/api/v1/user/robots/{robot_shortname}", []string{"RobotsService.DeleteUser"}, true},
	{"robot", "deleteOrgRobot", "DELETE", "/api/v1/organization/{orgname}/robots/{robot_shortname}", []string{"RobotsService.DeleteOrg"}, true},
	{"robot", "getUserRobotPermissions", "GET", "/api/v1/user/robots/{robot_shortname}/permissions", []string{"RobotsService.ListUserPermissions"}, true},
	{"robot", "getOrgRobotPermissions", "GET", "/api/v1/organization/{orgname}/robots/{robot_shortname}/permissions", []string{"RobotsService.ListOrgPermissions"}, true},
	{"robot", "regenerateUserRobotToken", "POST", "/api/v1/user/robots/{robot_shortname}/regenerate", []string{"RobotsService.RegenerateUserToken"}, true},
	{"robot", "regenerateOrgRobotToken", "POST", "/api/v1/organization/{orgname}/robots/{robot_shortname}/regenerate", []string{"RobotsService.RegenerateOrgToken"}, true},
	{"robot", "getUserRobotFederation", "GET", "/api/v1/user/robots/{robot_shortname}/federation", []string{"RobotsService.GetUserFederation"}, true},
	{"robot", "getOrgRobotFederation", "GET", "/api/v1/organization/{orgname}/robots/{robot_shortname}/federation", []string{"RobotsService.GetOrgFederation"}, true},
	{"robot", "createUserRobotFederation", "POST", "/api/v1/user/robots/{robot_shortname}/federation", []string{"RobotsService.SetUserFederation"}, true},
	{"robot", "createOrgRobotFederation", "POST", "/api/v1/organization/{orgname}/robots/{robot_shortname}/federation", []string{"RobotsService.SetOrgFederation"}, true},
	{"robot", "deleteUserRobotFederation", "DELETE", "/api/v1/user/robots/{robot_shortname}/federation", []string{"RobotsService.DeleteUserFederation"}, true},
	{"robot", "deleteOrgRobotFederation", "DELETE", "/api/v1/organization/{orgname}/robots/{robot_shortname}/federation", []string{"RobotsService.DeleteOrgFederation"}, true},
	{"team", "updateOrganizationTeam", "PUT", "/api/v1/organization/{orgname}/team/{teamname}", []string{"TeamsService.Update"}, true},
	{"team", "deleteOrganizationTeam", "DELETE", "/api/v1/organization/{orgname}/team/{teamname}", []string{"TeamsService.Delete"}, true},
	{"team", "getOrganizationTeamMembers", "GET", "/api/v1/organization/{orgname}/team/{teamname}/members", []string{"TeamsService.ListMembers"}, true},
	{"team", "updateOrganizationTeamMember", "PUT", "/api/v1/organization/{orgname}/team/{teamname}/members/{membername}", []string{"TeamsService.AddMember"}, true},
	{"team", "deleteOrganizationTeamMember", "DELETE", "/api/v1/organization/{orgname}/team/{teamname}/members/{membername}", []string{"TeamsService.RemoveMember"}, true},
	{"team", "getOrganizationTeamPermissions", "GET", "/api/v1/organization/{orgname}/team/{teamname}/permissions", []string{"TeamsService.ListPermissions"}, true},
	{"team", "inviteTeamMemberEmail", "PUT", "/api/v1/organization/{orgname}/team/{teamname}/invite/{email}", []string{"TeamsService.Invite"}, true},
	{"team", "deleteTeamMemberEmailInvite", "DELETE", "/api/v1/organization/{orgname}/team/{teamname}/invite/{email}", []string{"TeamsService.DeleteInvite"}, true},
	{"team", "acceptOrganizationTeamInvite", "PUT", "/api/v1/teaminvite/{code}", []string{"TeamsService.AcceptInvite"}, true},
	{"team", "declineOrganizationTeamInvite", "DELETE", "/api/v1/teaminvite/{code}", []string{"TeamsService.DeclineInvite"}, true},
	{"permission", "listRepoUserPermissions", "GET", "/api/v1/repository/{repository}/permissions/user/", []string{"PermissionsService.ListUsers"}, true},
	{"permission", "getUserPermissions", "GET", "/api/v1/repository/{repository}/permissions/user/{username}", []string{"PermissionsService.GetUser"}, true},
	{"permission", "getUserTransitivePermission", "GET", "/api/v1/repository/{repository}/permissions/user/{username}/transitive", []string{"PermissionsService.GetUserTransitive"}, true},
	{"permission", "changeUserPermissions", "PUT", "/api/v1/repository/{repository}/permissions/user/{username}", []string{"PermissionsService.SetUser"}, true},
	{"permission", "deleteUserPermissions", "DELETE", "/api/v1/repository/{repository}/permissions/user/{username}", []string{"PermissionsService.DeleteUser"}, true},
	{"permission", "listRepoTeamPermissions", "GET", "/api/v1/repository/{repository}/permissions/team/", []string{"PermissionsService.ListTeams"}, true},
	{"permission", "getTeamPermissions", "GET", "/api/v1/repository/{repository}/permissions/team/{teamname}", []string{"PermissionsService.GetTeam"}, true},
	{"permission", "changeTeamPermissions", "PUT", "/api/v1/repository/{repository}/permissions/team/{teamname}", []string{"PermissionsService.SetTeam"}, true},
	{"permission", "deleteTeamPermissions", "DELETE", "/api/v1/repository/{repository}/permissions/team/{teamname}", []string{"PermissionsService.DeleteTeam"}, true},
	{"prototype", "getOrganizationPrototypePermissions", "GET", "/api/v1/organization/{orgname}/prototypes", []string{"PrototypesService.List"}, true},
	{"prototype", "createOrganizationPrototypePermission", "POST", "/api/v1/organization/{orgname}/prototypes", []string{"PrototypesService.Create"}, true},
	{"prototype", "updateOrganizationPrototypePermission", "PUT", "/api/v1/organization/{orgname}/prototypes/{prototypeid}", []string{"PrototypesService.Update"}, true},
	{"prototype", "deleteOrganizationPrototypePermission", "DELETE", "/api/v1/organization/{orgname}/prototypes/{prototypeid}", []string{"PrototypesService.Delete"}, true},
	{"user", "getLoggedInUser", "GET", "/api/v1/user/", []string{"UsersService.Current"}, true},
	{"user", "getUserInformation", "GET", "/api/v1/users/{username}", []string{"UsersService.Get"}, true},
	{"web", "(none)", "POST", "/api/v1/user/initialize", []string{"UsersService.Initialize"}, true},
	{"search", "getMatchingEntities", "GET", "/api/v1/entities/{prefix}", []string{"EntitiesService.Search"}, true},
	{"capabilities", "getRegistryCapabilities", "GET", "/api/v1/registry/capabilities", []string{"RegistryService.Capabilities"}, true},
	{"tag", "listRepoTags", "GET", "/api/v1/repository/{repository}/tag/", []string{"TagsService.List", "TagsService.All"}, true},
	{"tag", "changeTag", "PUT", "/api/v1/repository/{repository}/tag/{tag}", []string{"TagsService.Move", "TagsService.SetExpiration", "TagsService.SetImmutable"}, true},
	{"tag", "deleteFullTag", "DELETE", "/api/v1/repository/{repository}/tag/{tag}", []string{"TagsService.Delete"}, true},
	{"tag", "restoreTag", "POST", "/api/v1/repository/{repository}/tag/{tag}/restore", []string{"TagsService.Restore"}, true},
	{"tag", "removeTagFromTimemachine", "POST", "/api/v1/repository/{repository}/tag/{tag}/expire", []string{"TagsService.Purge"}, true},
	{"tag", "getTagPullStatistics", "GET", "/api/v1/repository/{repository}/tag/{tag}/pull_statistics", []string{"TagsService.PullStatistics"}, false},
	{"manifest", "getRepoManifest", "GET", "/api/v1/repository/{repository}/manifest/{manifestref}", []string{"ManifestsService.Get"}, true},
	{"manifest", "listManifestLabels", "GET", "/api/v1/repository/{repository}/manifest/{manifestref}/labels", []string{"ManifestsService.ListLabels"}, true},
	{"manifest", "getManifestLabel", "GET", "/api/v1/repository/{repository}/manifest/{manifestref}/labels/{labelid}", []string{"ManifestsService.GetLabel"}, true},
	{"manifest", "addManifestLabel", "POST", "/api/v1/repository/{repository}/manifest/{manifestref}/labels", []string{"ManifestsService.AddLabel"}, true},
	{"manifest", "deleteManifestLabel", "DELETE", "/api/v1/repository/{repository}/manifest/{manifestref}/labels/{labelid}", []string{"ManifestsService.DeleteLabel"}, true},
	{"manifest", "getManifestPullStatistics", "GET", "/api/v1/repository/{repository}/manifest/{manifestref}/pull_statistics", []string{"ManifestsService.PullStatistics"}, false},
	{"secscan", "getRepoManifestSecurity", "GET", "/api/v1/repository/{repository}/manifest/{manifestref}/security", []string{"ManifestsService.Security"}, true},
	{"repositorynotification", "listRepoNotifications", "GET", "/api/v1/repository/{repository}/notification/", []string{"NotificationsService.List"}, true},
	{"repositorynotification", "createRepoNotification", "POST", "/api/v1/repository/{repository}/notification/", []string{"NotificationsService.Create"}, true},
	{"repositorynotification", "getRepoNotification", "GET", "/api/v1/repository/{repository}/notification/{uuid}", []string{"NotificationsService.Get"}, true},
	{"repositorynotification", "deleteRepoNotification", "DELETE", "/api/v1/repository/{repository}/notification/{uuid}", []string{"NotificationsService.Delete"}, true},
	{"repositorynotification", "resetRepositoryNotificationFailures", "POST", "/api/v1/repository/{repository}/notification/{uuid}", []string{"NotificationsService.ResetFailures"}, true},
	{"repositorynotification", "testRepoNotification", "POST", "/api/v1/repository/{repository}/notification/{uuid}/test", []string{"NotificationsService.Test"}, true},
	{"mirror", "getRepoMirrorConfig", "GET", "/api/v1/repository/{repository}/mirror", []string{"MirrorsService.Get"}, true},
	{"mirror", "createRepoMirrorConfig", "POST", "/api/v1/repository/{repository}/mirror", []string{"MirrorsService.Create"}, true},
	{"mirror", "changeRepoMirrorConfig", "PUT", "/api/v1/repository/{repository}/mirror", []string{"MirrorsService.Update"}, true},
	{"mirror", "syncNow", "POST", "/api/v1/repository/{repository}/mirror/sync-now", []string{"MirrorsService.SyncNow"}, true},
	{"mirror", "syncCancel", "POST", "/api/v1/repository/{repository}/mirror/sync-cancel", []string{"MirrorsService.CancelSync"}, true},
	{"namespacequota", "listOrganizationQuota", "GET", "/api/v1/organization/{orgname}/quota", []string{"QuotasService.ListOrg"}, true},
	{"namespacequota", "createOrganizationQuota", "POST", "/api/v1/organization/{orgname}/quota", []string{"QuotasService.CreateOrg"}, true},
	{"namespacequota", "getOrganizationQuota", "GET", "/api/v1/organization/{orgname}/quota/{quota_id}", []string{"QuotasService.GetOrg"}, true},
	{"namespacequota", "changeOrganizationQuota", "PUT", "/api/v1/organization/{orgname}/quota/{quota_id}", []string{"QuotasService.UpdateOrg"}, true},
	{"namespacequota", "deleteOrganizationQuota", "DELETE", "/api/v1/organization/{orgname}/quota/{quota_id}", []string{"QuotasService.DeleteOrg"}, true},
	{"namespacequota", "listOrganizationQuotaLimit", "GET", "/api/v1/organization/{orgname}/quota/{quota_id}/limit", []string{"QuotasService.ListOrgLimits"}, true},
	{"namespacequota", "createOrganizationQuotaLimit", "POST", "/api/v1/organization/{orgname}/quota/{quota_id}/limit", []string{"QuotasService.CreateOrgLimit"}, true},
	{"namespacequota", "getOrganizationQuotaLimit", "GET", "/api/v1/organization/{orgname}/quota/{quota_id}/limit/{limit_id}", []string{"QuotasService.GetOrgLimit"}, true},
	{"namespacequota", "changeOrganizationQuotaLimit", "PUT", "/api/v1/organization/{orgname}/quota/{quota_id}/limit/{limit_id}", []string{"QuotasService.UpdateOrgLimit"}, true},
	{"namespacequota", "deleteOrganizationQuotaLimit", "DELETE", "/api/v1/organization/{orgname}/quota/{quota_id}/limit/{limit_id}", []string{"QuotasService.DeleteOrgLimit"}, true},
	{"namespacequota", "listUserQuota", "GET", "/api/v1/user/quota", []string{"QuotasService.ListUser"}, true},
	{"namespacequota", "getUserQuota", "GET", "/api/v1/user/quota/{quota_id}", []string{"QuotasService.GetUser"}, true},
	{"namespacequota", "listUserQuotaLimit", "GET", "/api/v1/user/quota/{quota_id}/limit", []string{"QuotasService.ListUserLimits"}, true},
	{"namespacequota", "getUserQuotaLimit", "GET", "/api/v1/user/quota/{quota_id}/limit/{limit_id}", []string{"QuotasService.GetUserLimit"}, true},
}

// wantOperations is how many operations each Quay module contributes.
var wantOperations = map[string]int{
	"organization": 8,
	"repository":   7,
	"robot":        18,
	"team":         10,
	"permission":   9,
	"prototype":    4,
	"user":         2,
	"web":          1,
	"search":       1,
	"capabilities": 1,
	"tag":          6,
	"manifest":     6,
	"secscan":      1,

	"repositorynotification": 6,
	"mirror":                 5,
	"namespacequota":         14,
}

// TestOperationTable pins the table itself: no operation twice, and the
// number per Quay module that issue 11 lists.
func TestOperationTable(t *testing.T) {
	t.Parallel()
	perModule := map[string]int{}
	seen := map[string]bool{}
	for _, op := range operations {
		perModule[op.module]++
		key := op.method + " " + op.path
		if seen[key] || (op.nickname != "(none)" && seen[op.nickname]) {
			t.Errorf("duplicate operation %s %s", op.nickname, key)
		}
		seen[key], seen[op.nickname] = true, true
	}
	if diff := cmp.Diff(wantOperations, perModule); diff != "" {
		t.Errorf("operations per Quay module (-want +got):\n%s", diff)
	}
}

// TestOperationCoverage parses the package's source and compares the
// operations its doc comments name with the table: it fails when one is
// missing, wrong or extra, and when a service method's comment does not have
// the agreed shape.
func TestOperationCoverage(t *testing.T) {
	t.Parallel()
	var want []apitest.DocOperation
	for _, op := range operations {
		for _, m := range op.goMethods {
			want = append(want, apitest.DocOperation{Nickname: op.nickname, Method: op.method, Path: op.path, GoMethod: m})
		}
	}
	got, services := apitest.DocOperations(t, "github.com/quaykit/go-quay/quay")
	if services == 0 {
		t.Error("found no service types")
	}
	apitest.CheckDocOperations(t, want, got)
}

// TestFakequayServesMarkedOperations checks the table's fakequay column both
// ways: the fake answers each operation marked as served under Quay's
// nickname, method and path, and none of the others. Mark an operation
// once fakequay serves it; the README's column follows
// (TestReadmeCoverageTable).
func TestFakequayServesMarkedOperations(t *testing.T) {
	t.Parallel()
	// WithConfig gives it the feature flags Quay's defaults lack that an
	// operation needs: FEATURE_REPO_MIRROR for changeRepoState,
	// FEATURE_SECURITY_SCANNER for getRepoManifestSecurity.
	srv, err := fakequay.New(fakequay.WithConfig(func(c *fakequay.Config) {
		c.FeatureRepoMirror = true
		c.FeatureSecurityScanner = true
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	served := map[fakequay.Operation]bool{}
	for _, op := range srv.Operations() {
		served[op] = true
	}
	for _, op := range operations {
		nickname := op.nickname
		if nickname == "(none)" {
			nickname = ""
		}
		want := fakequay.Operation{Nickname: nickname, Method: op.method, Path: op.path}
		switch {
		case op.fakequay && !served[want]:
			t.Errorf("fakequay does not serve %+v, which the table marks as served", want)
		case !op.fakequay && served[want]:
			t.Errorf("fakequay serves %+v, which the table (and so the README) says it does not yet", want)
		}
	}
}

// readmeSection is the heading of the README's coverage table for this package.
const readmeSection = "### The rest of the API"

// TestReadmeCoverageTable keeps the README's second coverage table in step
// with the operation table: the same operations, methods and paths, every
// Go method named in the client column, and "yes" in the fakequay column
// exactly for the operations marked as served.
func TestReadmeCoverageTable(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n"+readmeSection+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", readmeSection)
	}
	if end := regexp.MustCompile(`(?m)^#`).FindStringIndex(section); end != nil {
		section = section[:end[0]]
	}
	row := regexp.MustCompile("(?m)^\\| (\\S+|\\(no nickname\\)) \\| `(GET|POST|PUT|DELETE) ([^`]+)` \\| (.+) \\| (.+) \\|$")
	type entry struct{ client, fakequay string }
	rows := map[string]entry{}
	var got []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		nickname := m[1]
		if nickname == "(no nickname)" {
			nickname = "(none)"
		}
		key := nickname + " " + m[2] + " /api/v1" + m[3]
		got = append(got, key)
		rows[key] = entry{m[4], m[5]}
	}
	var want []string
	for _, op := range operations {
		key := op.nickname + " " + op.method + " " + op.path
		want = append(want, key)
		r, ok := rows[key]
		if !ok {
			continue // reported by the diff below
		}
		for _, m := range op.goMethods {
			short := strings.TrimSuffix(m[:strings.Index(m, ".")], "Service") + m[strings.Index(m, "."):]
			if !strings.Contains(r.client, "`"+short+"`") && !strings.Contains(r.client, "`"+short+"(") {
				t.Errorf("README row %s: client column %q does not name %s", key, r.client, short)
			}
		}
		if says := strings.HasPrefix(r.fakequay, "yes"); says != op.fakequay {
			t.Errorf("README row %s: fakequay column %q, but the table marks it served: %v", key, r.fakequay, op.fakequay)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README %q table (-operations +README):\n%s", readmeSection, diff)
	}
}
