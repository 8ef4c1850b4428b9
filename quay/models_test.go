package quay_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

// bodies is, per Quay nickname, the shape its answer decodes into: the
// model a method returns, inside the envelope Quay wraps it in.
var bodies = map[string]func() any{
	"createOrganization":           func() any { return new(string) },
	"getOrganization":              func() any { return new(quay.Organization) },
	"changeOrganizationDetails":    func() any { return new(quay.Organization) },
	"getOrganizationMembers":       func() any { return new(struct{ Members []quay.OrganizationMember }) },
	"getOrganizationMember":        func() any { return new(quay.OrganizationMember) },
	"getOrganizationCollaborators": func() any { return new(struct{ Collaborators []quay.Collaborator }) },

	"createRepo": func() any { return new(quay.CreatedRepository) },
	"listRepos": func() any {
		return new(struct {
			Repositories []quay.RepositorySummary
			NextPage     string `json:"next_page"`
		})
	},
	"getRepo":              func() any { return new(quay.Repository) },
	"updateRepo":           func() any { return new(struct{ Success bool }) },
	"changeRepoVisibility": func() any { return new(struct{ Success bool }) },
	"changeRepoState":      func() any { return new(struct{ Success bool }) },

	"getUserRobots":             func() any { return new(struct{ Robots []quay.Robot }) },
	"getOrgRobots":              func() any { return new(struct{ Robots []quay.Robot }) },
	"getUserRobot":              func() any { return new(quay.Robot) },
	"getOrgRobot":               func() any { return new(quay.Robot) },
	"createUserRobot":           func() any { return new(quay.Robot) },
	"createOrgRobot":            func() any { return new(quay.Robot) },
	"regenerateUserRobotToken":  func() any { return new(quay.Robot) },
	"regenerateOrgRobotToken":   func() any { return new(quay.Robot) },
	"getUserRobotPermissions":   func() any { return new(struct{ Permissions []quay.RepositoryPermission }) },
	"getOrgRobotPermissions":    func() any { return new(struct{ Permissions []quay.RepositoryPermission }) },
	"getUserRobotFederation":    func() any { return new([]quay.RobotFederation) },
	"getOrgRobotFederation":     func() any { return new([]quay.RobotFederation) },
	"createUserRobotFederation": func() any { return new([]quay.RobotFederation) },
	"createOrgRobotFederation":  func() any { return new([]quay.RobotFederation) },

	"updateOrganizationTeam":         func() any { return new(quay.Team) },
	"getOrganizationTeamMembers":     func() any { return new(quay.TeamMembers) },
	"updateOrganizationTeamMember":   func() any { return new(quay.TeamMember) },
	"inviteTeamMemberEmail":          func() any { return new(quay.TeamMember) },
	"getOrganizationTeamPermissions": func() any { return new(struct{ Permissions []quay.RepositoryPermission }) },
	"acceptOrganizationTeamInvite":   func() any { return new(quay.TeamInvite) },

	"listRepoUserPermissions": func() any {
		return new(struct {
			Permissions map[string]quay.UserPermission
		})
	},
	"listRepoTeamPermissions": func() any {
		return new(struct {
			Permissions map[string]quay.TeamPermission
		})
	},
	"getUserPermissions":          func() any { return new(quay.UserPermission) },
	"changeUserPermissions":       func() any { return new(quay.UserPermission) },
	"getTeamPermissions":          func() any { return new(struct{ Role string }) },
	"changeTeamPermissions":       func() any { return new(quay.TeamPermission) },
	"getUserTransitivePermission": func() any { return new(struct{ Permissions []struct{ Role string } }) },

	"getOrganizationPrototypePermissions":   func() any { return new(struct{ Prototypes []quay.Prototype }) },
	"createOrganizationPrototypePermission": func() any { return new(quay.Prototype) },
	"updateOrganizationPrototypePermission": func() any { return new(quay.Prototype) },

	"getLoggedInUser":         func() any { return new(quay.User) },
	"getUserInformation":      func() any { return new(quay.User) },
	"userInitialize":          func() any { return new(quay.InitializedUser) },
	"getMatchingEntities":     func() any { return new(struct{ Results []quay.Entity }) },
	"getRegistryCapabilities": func() any { return new(quay.RegistryCapabilities) },

	"listRepoTags": func() any {
		return new(struct {
			Tags          []quay.Tag
			Page          int
			HasAdditional bool `json:"has_additional"`
		})
	},
	"changeTag":            func() any { return new(string) },
	"restoreTag":           func() any { return new(struct{}) },
	"getTagPullStatistics": func() any { return new(quay.TagPullStatistics) },

	"getRepoManifest":           func() any { return new(quay.Manifest) },
	"listManifestLabels":        func() any { return new(struct{ Labels []quay.Label }) },
	"getManifestLabel":          func() any { return new(quay.Label) },
	"addManifestLabel":          func() any { return new(struct{ Label quay.Label }) },
	"getRepoManifestSecurity":   func() any { return new(quay.ManifestSecurity) },
	"getManifestPullStatistics": func() any { return new(quay.ManifestPullStatistics) },

	"listRepoNotifications":  func() any { return new(struct{ Notifications []quay.RepositoryNotification }) },
	"createRepoNotification": func() any { return new(quay.RepositoryNotification) },
	"getRepoNotification":    func() any { return new(quay.RepositoryNotification) },
	"testRepoNotification":   func() any { return new(struct{}) },

	"getRepoMirrorConfig":    func() any { return new(quay.MirrorConfig) },
	"createRepoMirrorConfig": func() any { return new(string) },
	"changeRepoMirrorConfig": func() any { return new(string) },

	"listOrganizationQuota":        func() any { return new([]quay.Quota) },
	"createOrganizationQuota":      func() any { return new(string) },
	"getOrganizationQuota":         func() any { return new(quay.Quota) },
	"changeOrganizationQuota":      func() any { return new(quay.Quota) },
	"listOrganizationQuotaLimit":   func() any { return new([]quay.QuotaLimit) },
	"createOrganizationQuotaLimit": func() any { return new(string) },
	"getOrganizationQuotaLimit":    func() any { return new(quay.QuotaLimit) },
	"changeOrganizationQuotaLimit": func() any { return new(quay.Quota) },
	"listUserQuota":                func() any { return new([]quay.Quota) },
	"getUserQuota":                 func() any { return new(quay.Quota) },
	"listUserQuotaLimit":           func() any { return new([]quay.QuotaLimit) },
	"getUserQuotaLimit":            func() any { return new(quay.Quota) },
}

// TestModelsDecodeEveryField decodes every recorded answer of real Quay
// with unknown fields refused: a key Quay sends that no model field takes
// fails the test. Every recorded file must have a shape here.
func TestModelsDecodeEveryField(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded answers: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		nickname, _, _ := strings.Cut(name, "-")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			shape, ok := bodies[nickname]
			if !ok {
				t.Fatalf("no shape for %s's answer in bodies", nickname)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(shape()); err != nil {
				t.Errorf("decoding %s: %v", file, err)
			}
		})
	}
}
