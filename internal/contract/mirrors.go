package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/quay"
)

// Repository mirroring (endpoints/api/mirror.py with
// data/model/repo_mirror.py), in an organization the normal user creates
// with a public repository and a robot of its own: a mirror cannot be
// deleted through the API, so each case mirrors a repository of its own
// organization, which the superuser deletes (mirror and all) when it ends.
// The sources are IP literals: real Quay resolves a host name and a test
// harness without DNS refuses every name.

// mirrorStart is the sync_start_date the cases send.
var mirrorStart = time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)

// needMirroring skips a case on a target without FEATURE_REPO_MIRROR.
func (e *env) needMirroring(t *testing.T) {
	t.Helper()
	if e.tgt.RepoMirror == MirrorDisabled {
		t.Skip("the target has FEATURE_REPO_MIRROR off")
	}
}

// mirrorRepo creates an organization with the public repository "app"
// and the robot "puller"; it returns the organization and the robot's
// full name.
func (e *env) mirrorRepo(t *testing.T) (org, robot string) {
	t.Helper()
	e.needMirroring(t)
	org = e.userOrg(t, "mirror")
	e.repo(t, org, "app")
	rb := e.orgRobot(t, org, "puller", quay.CreateRobotRequest{})
	return org, rb.Name
}

// mirrorRequest is the creation body the cases send.
func mirrorRequest(robot string) quay.CreateMirrorRequest {
	return quay.CreateMirrorRequest{ExternalReference: "8.8.8.8:5000/coreos/etcd", SyncInterval: 3600,
		SyncStartDate: mirrorStart, TagPatterns: []string{"v3.*"}, RobotUsername: robot, SkopeoTimeoutInterval: 300}
}

// createdMirror is what getRepoMirrorConfig shows for mirrorRequest.
func createdMirror(robot string) quay.MirrorConfig {
	return quay.MirrorConfig{IsEnabled: true, MirrorType: "PULL", ExternalReference: "8.8.8.8:5000/coreos/etcd",
		SyncInterval: 3600, SyncStartDate: quay.Timestamp{Time: mirrorStart}, SyncRetriesRemaining: 3,
		SyncStatus: quay.MirrorNeverRun, RootRule: quay.MirrorRule{RuleKind: "tag_glob_csv", RuleValue: []string{"v3.*"}},
		RobotUsername: robot, SkopeoTimeoutInterval: 300, ArchitectureFilter: []string{}}
}

// mirrored creates the mirror of mirrorRepo's repository.
func (e *env) mirrored(t *testing.T) (org, robot string) {
	t.Helper()
	org, robot = e.mirrorRepo(t)
	_, err := e.quayClient(t, NormalUser).Mirrors.Create(t.Context(), org, "app", mirrorRequest(robot))
	wantNoError(t, "Create", err)
	return org, robot
}

// wantDetail checks err is a (dict, status) answer of mirror.py: only
// {"detail": ...}.
func wantDetail(t *testing.T, err error, sentinel error, status int, detail string) {
	t.Helper()
	qe, ok := asQuayError(err)
	if !ok {
		t.Fatalf("err = %v, want a *quay.Error", err)
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Errorf("errors.Is(err, %v) = false for %v", sentinel, err)
	}
	if diff := cmp.Diff(apiErr{Status: status, Detail: detail}, apiErr{Status: qe.StatusCode, Type: qe.Type, Detail: qe.Detail}); diff != "" {
		t.Errorf("mirror.py refusal (-want +got):\n%s", diff)
	}
}

func mirrorsCases() []testCase {
	return []testCase{
		{op: "createRepoMirrorConfig", name: "mirror.py:post creates the mirror, puts the repository in MIRROR state and gives the robot write", run: func(t *testing.T, e *env) {
			org, robot := e.mirrored(t)
			c := e.quayClient(t, NormalUser)
			got, _, err := c.Mirrors.Get(t.Context(), org, "app")
			wantNoError(t, "Get", err)
			if diff := cmp.Diff(createdMirror(robot), got); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
			repo, _, err := c.Repositories.Get(t.Context(), org, "app", nil)
			wantNoError(t, "Repositories.Get", err)
			if repo.State != quay.RepositoryStateMirror {
				t.Errorf("repository state = %q, want MIRROR", repo.State)
			}
			perm, _, err := c.Permissions.GetUser(t.Context(), org, "app", robot)
			wantNoError(t, "Permissions.GetUser", err)
			if perm.Role != "write" {
				t.Errorf("robot role = %q, want write", perm.Role)
			}
		}},
		{op: "createRepoMirrorConfig", name: "mirror.py:post a second mirror is a 409 with only a detail (Quay's typo kept)", run: func(t *testing.T, e *env) {
			org, robot := e.mirrored(t)
			_, err := e.quayClient(t, NormalUser).Mirrors.Create(t.Context(), org, "app", mirrorRequest(robot))
			wantDetail(t, err, nil, 409, "Mirror configuration already exits for repository "+org+"/app")
		}},
		{op: "createRepoMirrorConfig", name: "ssrf.py a private address is refused with SSRF_GENERIC_ERROR", run: func(t *testing.T, e *env) {
			org, robot := e.mirrorRepo(t)
			req := mirrorRequest(robot)
			req.ExternalReference = "10.1.2.3/coreos/etcd"
			_, err := e.quayClient(t, NormalUser).Mirrors.Create(t.Context(), org, "app", req)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "The provided registry location is not allowed"})
			req.ExternalReference = "8.8.8.8"
			_, err = e.quayClient(t, NormalUser).Mirrors.Create(t.Context(), org, "app", req)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "External registry reference must include a repository path"})
		}},
		{op: "createRepoMirrorConfig", name: "mirror.py:_validate_robot_for_mirroring another namespace's robot, an unknown one", run: func(t *testing.T, e *env) {
			org, _ := e.mirrorRepo(t)
			_, otherRobot := e.mirrorRepo(t)
			c := e.quayClient(t, NormalUser)
			_, err := c.Mirrors.Create(t.Context(), org, "app", mirrorRequest(otherRobot))
			wantMessage(t, err, "Invalid robot")
			_, err = c.Mirrors.Create(t.Context(), org, "app", mirrorRequest(org+"+nosuch"))
			wantMessage(t, err, "Could not find robot with specified username")
			_, _, err = c.Mirrors.Get(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "changeRepoMirrorConfig", name: "mirror.py:put changes each field; the first proxy value only creates the proxy object", run: func(t *testing.T, e *env) {
			org, robot := e.mirrored(t)
			c := e.quayClient(t, NormalUser)
			off, user, interval := false, "puller", int64(7200)
			later := time.Date(2026, 12, 9, 6, 30, 0, 0, time.UTC)
			no, yes := false, true
			update := quay.UpdateMirrorRequest{IsEnabled: &off, ExternalRegistryUsername: &user, SyncInterval: &interval,
				SyncStartDate: later, TagPatterns: []string{"v3.5.*", "latest"},
				ExternalRegistryConfig: &quay.MirrorRegistryConfig{VerifyTLS: &no, UnsignedImages: &yes,
					Proxy: &quay.MirrorProxy{HTTPSProxy: "http://proxy.example.com:3128"}}}
			_, err := c.Mirrors.Update(t.Context(), org, "app", update)
			wantNoError(t, "Update", err)
			update = quay.UpdateMirrorRequest{ExternalRegistryConfig: &quay.MirrorRegistryConfig{
				Proxy: &quay.MirrorProxy{HTTPSProxy: "http://proxy.example.com:3128", NoProxy: "localhost"}}}
			_, err = c.Mirrors.Update(t.Context(), org, "app", update)
			wantNoError(t, "Update proxy", err)
			got, _, err := c.Mirrors.Get(t.Context(), org, "app")
			wantNoError(t, "Get", err)
			want := createdMirror(robot)
			want.IsEnabled, want.ExternalRegistryUsername, want.SyncInterval = false, "puller", 7200
			want.SyncStartDate = quay.Timestamp{Time: later}
			want.RootRule.RuleValue = []string{"v3.5.*", "latest"}
			want.ExternalRegistryConfig = quay.MirrorRegistryConfig{VerifyTLS: &no, UnsignedImages: &yes,
				Proxy: &quay.MirrorProxy{HTTPSProxy: "http://proxy.example.com:3128", NoProxy: "localhost"}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
		}},
		{op: "changeRepoMirrorConfig", name: "mirror.py:put refusals are details, checked before any change", run: func(t *testing.T, e *env) {
			org, robot := e.mirrored(t)
			c := e.quayClient(t, NormalUser)
			pw := "secret"
			_, err := c.Mirrors.Update(t.Context(), org, "app", quay.UpdateMirrorRequest{ExternalRegistryPassword: &pw})
			wantDetail(t, err, quay.ErrBadRequest, 400, "Unable to set a new password without also specifying a username.")
			off := false
			_, err = c.Mirrors.Update(t.Context(), org, "app", quay.UpdateMirrorRequest{IsEnabled: &off, TagPatterns: []string{}})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request",
				"validation failed: rule_value for TAG_GLOB_CSV must be a list with at least one rule"})
			got, _, err := c.Mirrors.Get(t.Context(), org, "app")
			wantNoError(t, "Get", err)
			if diff := cmp.Diff(createdMirror(robot), got); diff != "" {
				t.Errorf("Get after the refusals (-want +got):\n%s", diff)
			}
		}},
		{op: "syncNow", name: "repo_mirror.py:update_sync_status_to_sync_now, then _to_cancel; nothing to cancel is a 404", run: func(t *testing.T, e *env) {
			org, robot := e.mirrored(t)
			c := e.quayClient(t, NormalUser)
			_, err := c.Mirrors.CancelSync(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, err = c.Mirrors.SyncNow(t.Context(), org, "app")
			wantNoError(t, "SyncNow", err)
			got, _, err := c.Mirrors.Get(t.Context(), org, "app")
			wantNoError(t, "Get", err)
			want := createdMirror(robot)
			want.SyncStatus = quay.MirrorSyncNow
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after SyncNow (-want +got):\n%s", diff)
			}
			_, err = c.Mirrors.CancelSync(t.Context(), org, "app")
			wantNoError(t, "CancelSync", err)
			got, _, err = c.Mirrors.Get(t.Context(), org, "app")
			wantNoError(t, "Get", err)
			want.SyncStatus, want.SyncRetriesRemaining = quay.MirrorCancel, 0
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after CancelSync (-want +got):\n%s", diff)
			}
			_, err = c.Mirrors.CancelSync(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "syncCancel", name: "mirror.py a repository without a mirror is a 404 for every operation", run: func(t *testing.T, e *env) {
			org, _ := e.mirrorRepo(t)
			c := e.quayClient(t, NormalUser)
			_, _, err := c.Mirrors.Get(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, err = c.Mirrors.SyncNow(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, err = c.Mirrors.CancelSync(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			sec := int64(60)
			_, err = c.Mirrors.Update(t.Context(), org, "app", quay.UpdateMirrorRequest{SyncInterval: &sec})
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getRepoMirrorConfig", name: "mirror.py @show_if(REPO_MIRROR): without the feature .../mirror is getRepo of a repository app/mirror", run: func(t *testing.T, e *env) {
			if e.tgt.RepoMirror != MirrorDisabled {
				t.Skip("the target has FEATURE_REPO_MIRROR on")
			}
			org := e.userOrg(t, "mirror")
			e.repo(t, org, "app")
			_, _, err := e.quayClient(t, NormalUser).Mirrors.Get(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getRepoMirrorConfig", name: "mirror.py require_repo_admin: the global read-only superuser reads but may not sync", run: func(t *testing.T, e *env) {
			org, robot := e.mirrored(t)
			c := e.quayClient(t, ReadOnlySuperuser)
			got, _, err := c.Mirrors.Get(t.Context(), org, "app")
			wantNoError(t, "Get", err)
			if diff := cmp.Diff(createdMirror(robot), got); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
			_, err = c.Mirrors.SyncNow(t.Context(), org, "app")
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
	}
}
