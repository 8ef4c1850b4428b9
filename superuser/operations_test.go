package superuser_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"

	"github.com/quaykit/go-quay/fakequay"
)

// operations is every operation of the reference's sections 2 and 3 except
// scShutdownContainer, with the Go methods that call it. Paths are written
// out in full, with Quay's parameter names.
var operations = []struct {
	section   string
	nickname  string
	method    string
	path      string
	goMethods []string
}{
	{"2.1", "listAllUsers", "GET", "/api/v1/superuser/users/", []string{"UsersService.List", "UsersService.All"}},
	{"2.2", "createInstallUser", "POST", "/api/v1/superuser/users/", []string{"UsersService.Create"}},
	{"2.3", "deleteInstallUser", "DELETE", "/api/v1/superuser/users/{username}", []string{"UsersService.Delete"}},
	{"2.4", "listAllLogs", "GET", "/api/v1/superuser/logs", []string{"LogsService.List", "LogsService.All"}},
	{"2.5", "listAllOrganizations", "GET", "/api/v1/superuser/organizations/", []string{"OrganizationsService.List", "OrganizationsService.All"}},
	{"2.6", "changeOrganization", "PUT", "/api/v1/superuser/organizations/{name}", []string{"OrganizationsService.Update"}},
	{"2.7", "deleteOrganization", "DELETE", "/api/v1/superuser/organizations/{name}", []string{"OrganizationsService.Delete"}},
	{"2.8", "listServiceKeys", "GET", "/api/v1/superuser/keys", []string{"ServiceKeysService.List"}},
	{"2.9", "createServiceKey", "POST", "/api/v1/superuser/keys", []string{"ServiceKeysService.Create"}},
	{"2.10", "getServiceKey", "GET", "/api/v1/superuser/keys/{kid}", []string{"ServiceKeysService.Get"}},
	{"2.11", "updateServiceKey", "PUT", "/api/v1/superuser/keys/{kid}", []string{"ServiceKeysService.Update"}},
	{"2.12", "deleteServiceKey", "DELETE", "/api/v1/superuser/keys/{kid}", []string{"ServiceKeysService.Delete"}},
	{"2.13", "approveServiceKey", "POST", "/api/v1/superuser/approvedkeys/{kid}", []string{"ServiceKeysService.Approve"}},
	{"2.14", "listUserQuotaSuperUser", "GET", "/api/v1/superuser/users/{namespace}/quota", []string{"QuotasService.List"}},
	{"2.14", "listOrganizationQuotaSuperUser", "GET", "/api/v1/superuser/organization/{namespace}/quota", []string{"QuotasService.List"}},
	{"2.14", "createUserQuotaSuperUser", "POST", "/api/v1/superuser/users/{namespace}/quota", []string{"QuotasService.Create"}},
	{"2.14", "createOrganizationQuotaSuperUser", "POST", "/api/v1/superuser/organization/{namespace}/quota", []string{"QuotasService.Create"}},
	{"2.14", "changeUserQuotaSuperUser", "PUT", "/api/v1/superuser/users/{namespace}/quota/{quota_id}", []string{"QuotasService.Update"}},
	{"2.14", "changeOrganizationQuotaSuperUser", "PUT", "/api/v1/superuser/organization/{namespace}/quota/{quota_id}", []string{"QuotasService.Update"}},
	{"2.14", "deleteUserQuotaSuperUser", "DELETE", "/api/v1/superuser/users/{namespace}/quota/{quota_id}", []string{"QuotasService.Delete"}},
	{"2.14", "deleteOrganizationQuotaSuperUser", "DELETE", "/api/v1/superuser/organization/{namespace}/quota/{quota_id}", []string{"QuotasService.Delete"}},
	{"2.15", "getRepoBuildStatusSuperUser", "GET", "/api/v1/superuser/{build_uuid}/status", []string{"BuildsService.Status"}},
	{"2.16", "getRepoBuildSuperUser", "GET", "/api/v1/superuser/{build_uuid}/build", []string{"BuildsService.Get"}},
	{"2.17", "getRepoBuildLogsSuperUser", "GET", "/api/v1/superuser/{build_uuid}/logs", []string{"BuildsService.Logs"}},
	{"2.18", "getRegistrySize", "GET", "/api/v1/superuser/registrysize/", []string{"RegistryService.Size"}},
	{"2.19", "queueRegistrySizeCalculation", "POST", "/api/v1/superuser/registrysize/", []string{"RegistryService.QueueSizeCalculation"}},
	{"3", "getInstallUser", "GET", "/api/v1/superuser/users/{username}", []string{"UsersService.Get"}},
	{"3", "changeInstallUser", "PUT", "/api/v1/superuser/users/{username}", []string{"UsersService.Update"}},
	{"3", "sendInstallUserRecoveryEmail", "POST", "/api/v1/superusers/users/{username}/sendrecovery", []string{"UsersService.SendRecoveryEmail"}},
	{"3", "takeOwnership", "POST", "/api/v1/superuser/takeownership/{namespace}", []string{"UsersService.TakeOwnership"}},
	{"3", "listAllAggregateLogs", "GET", "/api/v1/superuser/aggregatelogs", []string{"LogsService.Aggregate"}},
	{"3", "getChangeLog", "GET", "/api/v1/superuser/changelog/", []string{"SystemService.ChangeLog"}},
	{"3", "listAllAppTokens", "GET", "/api/v1/superuser/apptokens", []string{"AppTokensService.List"}},
	{"3", "getRepoBuildLogsArchiveSuperUser", "GET", "/api/v1/superuser/{build_uuid}/logs/archive", []string{"BuildsService.ArchivedLogs"}},
	{"3", "(none)", "GET", "/api/v1/superuser/config", []string{"SystemService.Config"}},
	{"3", "getSuperUserRepositoryMirrorHealth", "GET", "/api/v1/superuser/mirror/health", []string{"SystemService.MirrorHealth"}},
	{"3", "scRegistryStatus", "GET", "/api/v1/superuser/registrystatus", []string{"RegistryService.Status"}},
	{"3", "getGlobalMessages", "GET", "/api/v1/messages", []string{"MessagesService.List"}},
	{"3", "createGlobalMessage", "POST", "/api/v1/messages", []string{"MessagesService.Create"}},
	{"3", "deleteGlobalMessage", "DELETE", "/api/v1/message/{uuid}", []string{"MessagesService.Delete"}},
}

// TestOperationTable pins the table itself to the reference: 26 operations
// from section 2 (the 8 quota nicknames included) and 14 from section 3.
func TestOperationTable(t *testing.T) {
	t.Parallel()
	perSection := map[string]int{}
	seen := map[string]bool{}
	for _, op := range operations {
		if op.section == "3" {
			perSection["3"]++
		} else {
			perSection["2"]++
		}
		key := op.method + " " + op.path
		if seen[key] || seen[op.nickname] {
			t.Errorf("duplicate operation %s %s", op.nickname, key)
		}
		seen[key], seen[op.nickname] = true, true
		if op.nickname == "scShutdownContainer" {
			t.Error("scShutdownContainer is excluded from the client")
		}
	}
	if diff := cmp.Diff(map[string]int{"2": 26, "3": 14}, perSection); diff != "" {
		t.Errorf("operations per reference section (-want +got):\n%s", diff)
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
	got, services := apitest.DocOperations(t, "github.com/quaykit/go-quay/superuser")
	if services != 10 {
		t.Errorf("found %d service types, want 10", services)
	}
	apitest.CheckDocOperations(t, want, got)
}

// TestFakequayServesEveryOperation checks the README's "fakequay" column:
// with every feature flag on, the fake answers each operation of the table
// under Quay's nickname, method and path (the config dump has no nickname).
func TestFakequayServesEveryOperation(t *testing.T) {
	t.Parallel()
	srv, err := fakequay.New(fakequay.WithConfig(func(c *fakequay.Config) {
		c.FeatureRepoMirror = true
		c.FeatureSuperuserConfigDump = true
	}))
	if err != nil {
		t.Fatal(err)
	}
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
		if !served[want] {
			t.Errorf("fakequay does not serve %+v", want)
		}
	}
}

// TestReadmeCoverageTable keeps the README's coverage table in step with
// the operation table: the same operations, methods and paths.
func TestReadmeCoverageTable(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| (\\S+|\\(no nickname\\)) \\| (GET|POST|PUT|DELETE) `([^`]+)` \\|")
	var got []string
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		nickname := m[1]
		if nickname == "(no nickname)" {
			nickname = "(none)"
		}
		got = append(got, nickname+" "+m[2]+" /api/v1"+m[3])
	}
	var want []string
	for _, op := range operations {
		want = append(want, op.nickname+" "+op.method+" "+op.path)
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README coverage table (-operations +README):\n%s", diff)
	}
}
