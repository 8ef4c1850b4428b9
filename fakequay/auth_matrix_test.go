package fakequay

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The auth matrix of reference §1.2: every route the server registers, for
// every kind of caller, ends in the auth outcome Quay gives. Each request
// is valid apart from who sends it, so a request that gets past auth shows
// its own domain answer (200, 201, 204, 404 for a missing row, ...).

// outcome is the auth verdict of one reply.
type outcome string

const (
	passed        outcome = "passed auth"
	unauth401     outcome = "401 ApiError invalid_token"
	forbidden403  outcome = "403 ApiError insufficient_scope"
	csrf403       outcome = "403 CSRF (family C)"
	abortForbid   outcome = "403 Werkzeug abort (family D)"
	readOnlyClass outcome = "503 read-only"
)

func classify(r reply) outcome {
	switch {
	case r.Status == 401 && strings.Contains(r.Body, `"error_type": "invalid_token"`):
		return unauth401
	case r.Status == 403 && strings.Contains(r.Body, `"error_type": "insufficient_scope"`):
		return forbidden403
	case r.Status == 403 && r.Body == `{"error": "CSRF token was invalid or missing."}`:
		return csrf403
	case r.Status == 403 && strings.HasPrefix(r.Body, `{"message": "You don't have the permission`):
		return abortForbid
	}
	return passed
}

// Caller columns.
var matrixCallers = []struct{ name, token string }{
	{"anonymous", tokNone},
	{"invalid token", tokUnknown},
	{"disabled user's token", tokDisabled},
	{"normal user", tokAlice},
	{"superuser without super:user", tokNoScope},
	{"global read-only superuser", tokAuditor},
	{"superuser", tokAdmin},
	{"organization admin", "owen-token"},
	{"team member", "tess-token"},
}

// Outcome rows per kind of operation, in matrixCallers order.
var (
	// allow_if_any_superuser reads: GRO by name, superusers by scope.
	readAnySuperuser = []outcome{unauth401, unauth401, unauth401, forbidden403, forbidden403, passed, passed, forbidden403, forbidden403}
	// SuperUserPermission writes: CSRF first for anyone without a valid token.
	writeSuperuser = []outcome{csrf403, csrf403, csrf403, forbidden403, forbidden403, forbidden403, passed, forbidden403, forbidden403}
	// listAllAppTokens: GRO, or a superuser with FULL_ACCESS (on here).
	readAppTokens = []outcome{unauth401, unauth401, unauth401, forbidden403, forbidden403, passed, passed, forbidden403, forbidden403}
	// Global-message writes abort with Werkzeug's 403 for non-superusers.
	writeMessages = []outcome{csrf403, csrf403, csrf403, abortForbid, abortForbid, abortForbid, passed, abortForbid, abortForbid}
	// CSRF for callers without a valid token, then anyone: signinUser
	// (@anon_allowed), logout.
	writeAnyone = []outcome{csrf403, csrf403, csrf403, passed, passed, passed, passed, passed, passed}
	// No auth at all: getGlobalMessages, scRegistryStatus, getErrorDescription, getOrganization.
	open = []outcome{passed, passed, passed, passed, passed, passed, passed, passed, passed}

	// The organization and team API (permissions.go). Writes:
	// AdministerOrganizationPermission or a superuser with full access
	// (GRO is no writer).
	writeOrgAdmin = []outcome{csrf403, csrf403, csrf403, forbidden403, forbidden403, forbidden403, passed, passed, forbidden403}
	// Member listings, collaborators, team permissions: admins, GRO and
	// superusers with full access.
	readOrgAdmin = []outcome{unauth401, unauth401, unauth401, forbidden403, forbidden403, passed, passed, passed, forbidden403}
	// A team's members: also the team's own members (ViewTeamPermission).
	// createRepo: CreateRepositoryPermission (a creator or admin team) or
	// a superuser with full access.
	writeCreateRepo = []outcome{csrf403, csrf403, csrf403, forbidden403, forbidden403, forbidden403, passed, passed, forbidden403}
	// require_repo_write: tess has write on acme/web.
	writeRepo = []outcome{csrf403, csrf403, csrf403, forbidden403, forbidden403, forbidden403, passed, passed, passed}
	readTeam  = []outcome{unauth401, unauth401, unauth401, forbidden403, forbidden403, passed, passed, passed, passed}
	// require_user_admin: any user whose token has user:admin (the GRO's
	// has repo:read only; admin-noscope has user:admin).
	writeUserAdmin = []outcome{csrf403, csrf403, csrf403, passed, passed, forbidden403, passed, passed, passed}
	readUserAdmin  = []outcome{unauth401, unauth401, unauth401, passed, passed, forbidden403, passed, passed, passed}
	// getLoggedInUser (user.py 398): UserReadPermission for the caller, and
	// InvalidToken (401) for anyone refused, users included (the GRO's
	// token has no user:read).
	readLoggedInUser = []outcome{unauth401, unauth401, unauth401, passed, passed, unauth401, passed, passed, passed}
	// An organization's robots list: OrganizationMemberPermission, GRO or a
	// superuser with full access.
	readOrgMember = []outcome{unauth401, unauth401, unauth401, forbidden403, forbidden403, passed, passed, passed, passed}
	// getOrgRobotPermissions: require_user_admin, then admins, GRO and
	// superusers with full access, the rest refused with abort(403).
	readOrgRobotPermissions = []outcome{unauth401, unauth401, unauth401, abortForbid, abortForbid, forbidden403, passed, passed, abortForbid}
	// require_repo_read(allow_for_superuser=True,
	// allow_for_global_readonly_superuser=True) on acme/web, a private
	// repository tess may write and devs may read: the organization's
	// admins, anyone with a permission, GRO and superusers with full
	// access (a superuser's token without super:user is no superuser).
	readRepo = []outcome{unauth401, unauth401, unauth401, forbidden403, forbidden403, passed, passed, passed, passed}
	// require_repo_admin(allow_for_superuser=True,
	// allow_for_global_readonly_superuser=True) on acme/web
	// (repositorynotification.py's reads): tess only writes it. Observed
	// on real Quay: freshuser, the no-super:user token 403, the GRO 200.
	readRepoAdmin = []outcome{unauth401, unauth401, unauth401, forbidden403, forbidden403, passed, passed, passed, forbidden403}
	// require_repo_admin(allow_for_superuser=True): its writes; the GRO is
	// refused, and a write without a valid token meets the CSRF check
	// first (observed on real Quay).
	writeRepoAdmin = []outcome{csrf403, csrf403, csrf403, forbidden403, forbidden403, forbidden403, passed, passed, forbidden403}
)

// matrixOrg adds to the matrix fixture an organization admin (owen, in
// acme's owners), a team member (tess, in acme's devs, with a permission on
// acme/web), pending invites, and robots: acme+bot, alice's alice+bot and
// the superuser's admin+bot.
func matrixOrg(s *Seed) {
	s.Users = append(s.Users,
		SeedUser{Username: "owen", Email: "owen@example.com", Tokens: []SeedToken{{Token: "owen-token"}}},
		SeedUser{Username: "tess", Email: "tess@example.com", Tokens: []SeedToken{{Token: "tess-token"}}})
	s.Organizations[0].Teams = []SeedTeam{
		{Name: "owners", Role: "admin", Members: []string{"owen"}},
		{Name: "devs", Role: "member", Members: []string{"tess"}, Invites: []SeedTeamInvite{
			{User: "admin", Inviter: "owen", Code: "urn:teaminvite:matrix"},
			{Email: "pending@example.com", Inviter: "owen"}}},
	}
	s.Repositories = append(s.Repositories, SeedRepository{Namespace: "acme", Name: "web",
		Permissions: &SeedRepoPermissions{Users: map[string]string{"tess": "write"}, Teams: map[string]string{"devs": "read"}}})
	s.Robots = append(s.Robots, SeedRobot{Name: "acme+bot"}, SeedRobot{Name: "alice+bot"}, SeedRobot{Name: "admin+bot"})
	// acme/web:latest, a manifest with one label.
	s.Manifests = append(s.Manifests, SeedManifest{Namespace: "acme", Repository: "web", Digest: matrixDigest,
		ManifestData:         `{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "layers": []}`,
		LayersCompressedSize: new(int64), Labels: []SeedLabel{{ID: "matrix-label", Key: "k", Value: "v"}, {ID: "matrix-api-label", Key: "k3", Value: "v", SourceType: "api"}},
		Tags: []SeedTag{{Name: "latest", StartTS: fixtureTime.Unix()}}})
	s.Prototypes = append(s.Prototypes, SeedPrototype{Organization: "acme", Delegate: SeedDelegate{Kind: "team", Name: "devs"},
		Role: "read", UUID: "3f8a3c4e-2222-4a5b-9c6d-000000000001"})
	s.Notifications = append(s.Notifications, SeedRepoNotification{UUID: "matrix-notification", Namespace: "acme",
		Repository: "web", Event: "repo_push", Method: "slack", Config: json.RawMessage(`{"url": "x"}`)})
}

// matrixDigest is the digest of acme/web:latest in matrixOrg.
const matrixDigest = "sha256:feed"

func TestAuthMatrix(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	edit := func(s *Seed) {
		s.Config.FeatureRepoMirror = true
		s.Config.FeatureSecurityScanner = true
		s.Config.FeatureSuperuserConfigDump = true
		s.Config.FeatureSuperusersFullAccess = true
		s.Config.FeatureUserInitialize = true
		s.Quotas = []SeedQuota{{Namespace: "acme", LimitBytes: 1 << 30, Limits: []SeedQuotaLimit{{Type: "Warning", LimitPercent: 80}}},
			{Namespace: "admin", LimitBytes: 1 << 30, Limits: []SeedQuotaLimit{{Type: "Reject", LimitPercent: 90}}}}
		s.ServiceKeys = []SeedServiceKey{{Kid: "k1", Service: "svc", Created: created, ApprovedBy: "admin"}}
		s.Builds = []SeedBuild{{UUID: "b1", Namespace: "acme", Repository: "web", Phase: "complete", Archived: true,
			Logs: []SeedBuildLog{{Message: "step", Type: "command"}}}}
		s.Messages = []SeedMessage{{UUID: "m1", Content: "hi", Severity: "info", MediaType: "text/plain"}}
		matrixOrg(s)
		// acme/mirrored is a mirror whose sync was asked for, so that
		// both sync-now and sync-cancel succeed; acme/web has none yet.
		s.Repositories = append(s.Repositories, SeedRepository{Namespace: "acme", Name: "mirrored"})
		s.Robots = append(s.Robots, SeedRobot{Name: "acme+mirrorbot"})
		s.RepoMirror = &SeedRepoMirroring{Repositories: []SeedRepoMirror{{Namespace: "acme", Repository: "mirrored",
			Status: "SYNC_NOW", InternalRobot: "acme+mirrorbot", ExternalReference: "8.8.8.8/lib/app", SyncInterval: 60,
			SkopeoTimeoutInterval: 300, TagPatterns: []string{"*"}}}}
	}
	// One valid request per operation: path values and a body that passes
	// the operation's schema.
	requests := map[string]struct{ path, body string }{
		"listAllUsers":                       {"/api/v1/superuser/users/", ""},
		"createInstallUser":                  {"/api/v1/superuser/users/", `{"username": "newbie", "email": "n@example.com"}`},
		"getInstallUser":                     {"/api/v1/superuser/users/alice", ""},
		"changeInstallUser":                  {"/api/v1/superuser/users/alice", `{}`},
		"deleteInstallUser":                  {"/api/v1/superuser/users/alice", ""},
		"sendInstallUserRecoveryEmail":       {"/api/v1/superusers/users/alice/sendrecovery", ""},
		"takeOwnership":                      {"/api/v1/superuser/takeownership/acme", ""},
		"listAllOrganizations":               {"/api/v1/superuser/organizations/", ""},
		"changeOrganization":                 {"/api/v1/superuser/organizations/acme", `{}`},
		"deleteOrganization":                 {"/api/v1/superuser/organizations/buynlarge", ""},
		"listServiceKeys":                    {"/api/v1/superuser/keys", ""},
		"createServiceKey":                   {"/api/v1/superuser/keys", `{"service": "svc", "expiration": null}`},
		"getServiceKey":                      {"/api/v1/superuser/keys/k1", ""},
		"updateServiceKey":                   {"/api/v1/superuser/keys/k1", `{}`},
		"deleteServiceKey":                   {"/api/v1/superuser/keys/k1", ""},
		"approveServiceKey":                  {"/api/v1/superuser/approvedkeys/k1", `{}`},
		"listUserQuotaSuperUser":             {"/api/v1/superuser/users/acme/quota", ""},
		"listOrganizationQuotaSuperUser":     {"/api/v1/superuser/organization/acme/quota", ""},
		"createUserQuotaSuperUser":           {"/api/v1/superuser/users/alice/quota", `{"limit_bytes": 1000}`},
		"createOrganizationQuotaSuperUser":   {"/api/v1/superuser/organization/alice/quota", `{"limit_bytes": 1000}`},
		"changeUserQuotaSuperUser":           {"/api/v1/superuser/users/acme/quota/1", `{}`},
		"changeOrganizationQuotaSuperUser":   {"/api/v1/superuser/organization/acme/quota/1", `{}`},
		"deleteUserQuotaSuperUser":           {"/api/v1/superuser/users/acme/quota/1", ""},
		"deleteOrganizationQuotaSuperUser":   {"/api/v1/superuser/organization/acme/quota/1", ""},
		"listAllLogs":                        {"/api/v1/superuser/logs", ""},
		"listAllAggregateLogs":               {"/api/v1/superuser/aggregatelogs", ""},
		"getRepoBuildSuperUser":              {"/api/v1/superuser/b1/build", ""},
		"getRepoBuildStatusSuperUser":        {"/api/v1/superuser/b1/status", ""},
		"getRepoBuildLogsSuperUser":          {"/api/v1/superuser/b1/logs", ""},
		"getRepoBuildLogsArchiveSuperUser":   {"/api/v1/superuser/b1/logs/archive", ""},
		"getRegistrySize":                    {"/api/v1/superuser/registrysize/", ""},
		"queueRegistrySizeCalculation":       {"/api/v1/superuser/registrysize/", ""},
		"scRegistryStatus":                   {"/api/v1/superuser/registrystatus", ""},
		"listAllAppTokens":                   {"/api/v1/superuser/apptokens", ""},
		"getGlobalMessages":                  {"/api/v1/messages", ""},
		"createGlobalMessage":                {"/api/v1/messages", `{"message": {"content": "x", "media_type": "text/plain", "severity": "info"}}`},
		"deleteGlobalMessage":                {"/api/v1/message/m1", ""},
		"getChangeLog":                       {"/api/v1/superuser/changelog/", ""},
		"GET /api/v1/superuser/config":       {"/api/v1/superuser/config", ""},
		"getSuperUserRepositoryMirrorHealth": {"/api/v1/superuser/mirror/health", ""},
		"getErrorDescription":                {"/api/v1/error/not_found", ""},

		"createOrganization":             {"/api/v1/organization/", `{"name": "neworg"}`},
		"getOrganization":                {"/api/v1/organization/acme", ""},
		"changeOrganizationDetails":      {"/api/v1/organization/acme", `{}`},
		"deleteAdminedOrganization":      {"/api/v1/organization/acme", ""},
		"getOrganizationMembers":         {"/api/v1/organization/acme/members", ""},
		"getOrganizationMember":          {"/api/v1/organization/acme/members/tess", ""},
		"removeOrganizationMember":       {"/api/v1/organization/acme/members/tess", ""},
		"getOrganizationCollaborators":   {"/api/v1/organization/acme/collaborators", ""},
		"updateOrganizationTeam":         {"/api/v1/organization/acme/team/devs", `{"role": "member"}`},
		"deleteOrganizationTeam":         {"/api/v1/organization/acme/team/devs", ""},
		"getOrganizationTeamMembers":     {"/api/v1/organization/acme/team/devs/members", ""},
		"updateOrganizationTeamMember":   {"/api/v1/organization/acme/team/devs/members/alice", ""},
		"deleteOrganizationTeamMember":   {"/api/v1/organization/acme/team/devs/members/tess", ""},
		"inviteTeamMemberEmail":          {"/api/v1/organization/acme/team/devs/invite/x@example.com", ""},
		"deleteTeamMemberEmailInvite":    {"/api/v1/organization/acme/team/devs/invite/pending@example.com", ""},
		"getOrganizationTeamPermissions": {"/api/v1/organization/acme/team/devs/permissions", ""},
		"acceptOrganizationTeamInvite":   {"/api/v1/teaminvite/urn:teaminvite:matrix", ""},
		"declineOrganizationTeamInvite":  {"/api/v1/teaminvite/urn:teaminvite:matrix", ""},

		"getUserRobots":             {"/api/v1/user/robots", ""},
		"getUserRobot":              {"/api/v1/user/robots/bot", ""},
		"createUserRobot":           {"/api/v1/user/robots/newbot", `{}`},
		"deleteUserRobot":           {"/api/v1/user/robots/bot", ""},
		"getUserRobotPermissions":   {"/api/v1/user/robots/bot/permissions", ""},
		"regenerateUserRobotToken":  {"/api/v1/user/robots/bot/regenerate", ""},
		"getUserRobotFederation":    {"/api/v1/user/robots/bot/federation", ""},
		"createUserRobotFederation": {"/api/v1/user/robots/bot/federation", `[{"issuer": "https://ci.example", "subject": "s"}]`},
		"deleteUserRobotFederation": {"/api/v1/user/robots/bot/federation", ""},
		"getOrgRobots":              {"/api/v1/organization/acme/robots", ""},
		"getOrgRobot":               {"/api/v1/organization/acme/robots/bot", ""},
		"createOrgRobot":            {"/api/v1/organization/acme/robots/newbot", `{}`},
		"deleteOrgRobot":            {"/api/v1/organization/acme/robots/bot", ""},
		"getOrgRobotPermissions":    {"/api/v1/organization/acme/robots/bot/permissions", ""},
		"regenerateOrgRobotToken":   {"/api/v1/organization/acme/robots/bot/regenerate", ""},
		"getOrgRobotFederation":     {"/api/v1/organization/acme/robots/bot/federation", ""},
		"createOrgRobotFederation":  {"/api/v1/organization/acme/robots/bot/federation", `[{"issuer": "https://ci.example", "subject": "s"}]`},
		"deleteOrgRobotFederation":  {"/api/v1/organization/acme/robots/bot/federation", ""},

		"listRepoTags":                 {"/api/v1/repository/acme/web/tag/", ""},
		"getRepoManifest":              {"/api/v1/repository/acme/web/manifest/" + matrixDigest, ""},
		"listManifestLabels":           {"/api/v1/repository/acme/web/manifest/" + matrixDigest + "/labels", ""},
		"getRepoManifestSecurity":      {"/api/v1/repository/acme/web/manifest/" + matrixDigest + "/security", ""},
		"getManifestLabel":             {"/api/v1/repository/acme/web/manifest/" + matrixDigest + "/labels/matrix-label", ""},
		"changeTag":                    {"/api/v1/repository/acme/web/tag/latest", `{"manifest_digest": "` + matrixDigest + `"}`},
		"deleteFullTag":                {"/api/v1/repository/acme/web/tag/latest", ""},
		"addManifestLabel":             {"/api/v1/repository/acme/web/manifest/" + matrixDigest + "/labels", `{"key": "k2", "value": "v", "media_type": null}`},
		"deleteManifestLabel":          {"/api/v1/repository/acme/web/manifest/" + matrixDigest + "/labels/matrix-api-label", ""},
		"removeTagFromTimemachine":     {"/api/v1/repository/acme/web/tag/latest/expire", `{"is_alive": true}`},
		"restoreTag":                   {"/api/v1/repository/acme/web/tag/latest/restore", `{"manifest_digest": "` + matrixDigest + `"}`},
		"listOrganizationQuota":        {"/api/v1/organization/acme/quota", ""},
		"createOrganizationQuota":      {"/api/v1/organization/buynlarge/quota", `{"limit_bytes": 1000}`},
		"getOrganizationQuota":         {"/api/v1/organization/acme/quota/1", ""},
		"changeOrganizationQuota":      {"/api/v1/organization/acme/quota/1", `{}`},
		"deleteOrganizationQuota":      {"/api/v1/organization/acme/quota/1", ""},
		"listOrganizationQuotaLimit":   {"/api/v1/organization/acme/quota/1/limit", ""},
		"createOrganizationQuotaLimit": {"/api/v1/organization/acme/quota/1/limit", `{"type": "Reject", "threshold_percent": 100}`},
		"getOrganizationQuotaLimit":    {"/api/v1/organization/acme/quota/1/limit/1", ""},
		"changeOrganizationQuotaLimit": {"/api/v1/organization/acme/quota/1/limit/1", `{}`},
		"deleteOrganizationQuotaLimit": {"/api/v1/organization/acme/quota/1/limit/1", ""},
		"listUserQuota":                {"/api/v1/user/quota", ""},
		"getUserQuota":                 {"/api/v1/user/quota/2", ""},
		"listUserQuotaLimit":           {"/api/v1/user/quota/2/limit", ""},
		"getUserQuotaLimit":            {"/api/v1/user/quota/2/limit/2", ""},
		"getLoggedInUser":              {"/api/v1/user/", ""},
		"getUserInformation":           {"/api/v1/users/alice", ""},
		"getMatchingEntities":          {"/api/v1/entities/a?namespace=acme&includeTeams=true", ""},
		"getRegistryCapabilities":      {"/api/v1/registry/capabilities", ""},
		// A web blueprint route: no token or CSRF check; the store is not
		// empty, so everyone gets the same refusal.
		"POST /api/v1/user/initialize": {"/api/v1/user/initialize", `{"username": "first", "password": "password"}`},
		"createRepo":                   {"/api/v1/repository", `{"namespace": "acme", "repository": "new", "visibility": "private", "description": ""}`},
		"listRepos":                    {"/api/v1/repository?namespace=acme", ""},
		"getRepo":                      {"/api/v1/repository/acme/web", ""},
		"updateRepo":                   {"/api/v1/repository/acme/web", `{"description": "x"}`},
		"deleteRepository":             {"/api/v1/repository/acme/web", ""},
		"changeRepoVisibility":         {"/api/v1/repository/acme/web/changevisibility", `{"visibility": "public"}`},
		"changeRepoState":              {"/api/v1/repository/acme/web/changestate", `{"state": "READ_ONLY"}`},
		"getRepoMirrorConfig":          {"/api/v1/repository/acme/mirrored/mirror", ""},
		"createRepoMirrorConfig": {"/api/v1/repository/acme/web/mirror", `{"external_reference": "8.8.8.8/lib/app", ` +
			`"sync_interval": 60, "sync_start_date": "2026-12-08T00:00:00Z", "root_rule": {"rule_kind": "tag_glob_csv", ` +
			`"rule_value": ["*"]}, "robot_username": "acme+bot", "skopeo_timeout_interval": 300}`},
		"changeRepoMirrorConfig": {"/api/v1/repository/acme/mirrored/mirror", `{"sync_interval": 120}`},
		"syncNow":                {"/api/v1/repository/acme/mirrored/mirror/sync-now", ""},
		"syncCancel":             {"/api/v1/repository/acme/mirrored/mirror/sync-cancel", ""},

		"listRepoUserPermissions":     {"/api/v1/repository/acme/web/permissions/user/", ""},
		"listRepoTeamPermissions":     {"/api/v1/repository/acme/web/permissions/team/", ""},
		"getUserTransitivePermission": {"/api/v1/repository/acme/web/permissions/user/tess/transitive", ""},
		"getUserPermissions":          {"/api/v1/repository/acme/web/permissions/user/tess", ""},
		"changeUserPermissions":       {"/api/v1/repository/acme/web/permissions/user/alice", `{"role": "read"}`},
		"deleteUserPermissions":       {"/api/v1/repository/acme/web/permissions/user/tess", ""},
		"getTeamPermissions":          {"/api/v1/repository/acme/web/permissions/team/devs", ""},
		"changeTeamPermissions":       {"/api/v1/repository/acme/web/permissions/team/devs", `{"role": "write"}`},
		"deleteTeamPermissions":       {"/api/v1/repository/acme/web/permissions/team/devs", ""},

		"getOrganizationPrototypePermissions":   {"/api/v1/organization/acme/prototypes", ""},
		"createOrganizationPrototypePermission": {"/api/v1/organization/acme/prototypes", `{"role": "read", "delegate": {"kind": "user", "name": "tess"}}`},
		"updateOrganizationPrototypePermission": {"/api/v1/organization/acme/prototypes/3f8a3c4e-2222-4a5b-9c6d-000000000001", `{"role": "write"}`},
		"deleteOrganizationPrototypePermission": {"/api/v1/organization/acme/prototypes/3f8a3c4e-2222-4a5b-9c6d-000000000001", ""},
		"listRepoNotifications":                 {"/api/v1/repository/acme/web/notification/", ""},
		"createRepoNotification": {"/api/v1/repository/acme/web/notification/",
			`{"event": "repo_push", "method": "slack", "config": {"url": "x"}, "eventConfig": {}}`},
		"getRepoNotification":                 {"/api/v1/repository/acme/web/notification/matrix-notification", ""},
		"deleteRepoNotification":              {"/api/v1/repository/acme/web/notification/matrix-notification", ""},
		"resetRepositoryNotificationFailures": {"/api/v1/repository/acme/web/notification/matrix-notification", ""},
		"testRepoNotification":                {"/api/v1/repository/acme/web/notification/matrix-notification/test", ""},

		// Password sign-in: CSRF first for callers without a valid token
		// (a bearer skips it). Every caller may sign in as admin; only
		// admin verifies admin's password, the others get 403
		// invalidCredentials, which is past auth.
		"signinUser": {"/api/v1/signin", `{"username": "admin", "password": "` + adminPassword + `"}`},
		"verifyUser": {"/api/v1/signin/verify", `{"password": "` + adminPassword + `"}`},
		"logout":     {"/api/v1/signout", ""},
	}
	expected := func(nickname, method string) []outcome {
		switch nickname {
		case "getGlobalMessages", "scRegistryStatus", "getErrorDescription":
			return open
		case "createGlobalMessage", "deleteGlobalMessage":
			return writeMessages
		case "listAllAppTokens":
			return readAppTokens
		case "getOrganization", "listRepos", "getUserInformation", "POST /api/v1/user/initialize", "getMatchingEntities", "getRegistryCapabilities":
			return open
		case "signinUser", "logout":
			return writeAnyone
		case "verifyUser":
			return writeUserAdmin
		case "getLoggedInUser":
			return readLoggedInUser
		case "createRepo":
			return writeCreateRepo
		case "getRepo":
			return readTeam // require_repo_read: tess writes, GRO and full-access superusers read
		case "updateRepo", "changeTag", "deleteFullTag", "restoreTag", "addManifestLabel", "deleteManifestLabel",
			"removeTagFromTimemachine":
			return writeRepo // require_repo_write(allow_for_superuser=True)
		case "listRepoUserPermissions", "listRepoTeamPermissions", "getUserTransitivePermission", "getUserPermissions",
			"getTeamPermissions", "getOrganizationPrototypePermissions":
			return readOrgAdmin // require_repo_admin with allow_for_global_readonly_superuser: tess only writes
		case "deleteRepository", "changeRepoVisibility", "changeRepoState", "changeUserPermissions", "deleteUserPermissions",
			"changeTeamPermissions", "deleteTeamPermissions", "createOrganizationPrototypePermission",
			"updateOrganizationPrototypePermission", "deleteOrganizationPrototypePermission":
			return writeOrgAdmin // require_repo_admin: owen administers acme's repositories
		case "createOrganization", "acceptOrganizationTeamInvite", "declineOrganizationTeamInvite":
			return writeUserAdmin
		case "getOrganizationMembers", "getOrganizationMember", "getOrganizationCollaborators", "getOrganizationTeamPermissions":
			return readOrgAdmin
		case "getOrganizationTeamMembers":
			return readTeam
		case "getUserRobots", "getUserRobot", "getUserRobotPermissions", "getUserRobotFederation":
			return readUserAdmin
		case "createUserRobot", "deleteUserRobot", "regenerateUserRobotToken", "createUserRobotFederation",
			"deleteUserRobotFederation":
			return writeUserAdmin
		case "getOrgRobots":
			return readOrgMember
		case "listOrganizationQuota", "getOrganizationQuota", "listOrganizationQuotaLimit", "getOrganizationQuotaLimit":
			// namespacequota.py: OrganizationMemberPermission, GRO or a
			// superuser with full access.
			return readOrgMember
		case "listUserQuota", "getUserQuota", "listUserQuotaLimit", "getUserQuotaLimit":
			return readUserAdmin
		case "getOrgRobot", "getOrgRobotFederation":
			return readOrgAdmin
		case "getOrgRobotPermissions":
			return readOrgRobotPermissions
		case "listRepoTags", "getRepoManifest", "listManifestLabels", "getManifestLabel", "getRepoManifestSecurity":
			return readRepo
		case "listRepoNotifications", "getRepoNotification", "getRepoMirrorConfig":
			return readRepoAdmin
		case "createRepoNotification", "deleteRepoNotification", "resetRepositoryNotificationFailures", "testRepoNotification",
			"createRepoMirrorConfig", "changeRepoMirrorConfig", "syncNow", "syncCancel":
			return writeRepoAdmin
		case "createOrgRobot", "deleteOrgRobot", "regenerateOrgRobotToken", "createOrgRobotFederation", "deleteOrgRobotFederation":
			return writeOrgAdmin
		case "changeOrganizationDetails", "deleteAdminedOrganization", "removeOrganizationMember", "updateOrganizationTeam",
			"deleteOrganizationTeam", "updateOrganizationTeamMember", "deleteOrganizationTeamMember", "inviteTeamMemberEmail",
			"deleteTeamMemberEmailInvite":
			return writeOrgAdmin
		}
		if method == "GET" {
			return readAnySuperuser
		}
		return writeSuperuser
	}
	ops := newHarness(t, edit).s.Operations()
	if len(ops) != len(requests) {
		t.Errorf("the server registers %d operations, the matrix has requests for %d", len(ops), len(requests))
	}
	for _, op := range ops {
		key := op.Nickname
		if key == "" { // the operations Quay gives no nickname
			key = op.Method + " " + op.Path
		}
		req, ok := requests[key]
		if !ok {
			t.Errorf("no matrix request for %+v", op)
			continue
		}
		t.Run(op.Method+" "+op.Path, func(t *testing.T) {
			t.Parallel()
			want := expected(key, op.Method)
			h := newHarness(t, edit)
			var got []outcome
			var super reply
			for _, caller := range matrixCallers {
				h.s.Reset() // writes must not leak from one caller's cell to the next
				r := h.do(op.Method, req.path, caller.token, req.body)
				got = append(got, classify(r))
				if caller.token == tokAdmin {
					super = r
				}
			}
			// The requests are valid, so the superuser's succeeds; but for
			// the bootstrap, which no caller can pass in a registry with users.
			if super.Status >= 300 && !(key == "POST /api/v1/user/initialize" && super.Status == 400) {
				t.Errorf("superuser got %d %s", super.Status, super.Body)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("outcomes by caller %v (-want +got):\n%s", callerNames(), diff)
			}
		})
	}
}

func callerNames() []string {
	var out []string
	for _, c := range matrixCallers {
		out = append(out, c.name)
	}
	return out
}
