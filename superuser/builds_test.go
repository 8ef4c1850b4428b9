package superuser_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

func TestBuilds(t *testing.T) {
	t.Parallel()
	const uuid = "1f6d8c38-5e55-4d6f-9a5e-0b7f4d8b2c11"
	// The §2.15 example.
	manual := superuser.Build{
		ID: uuid, Phase: "complete", Started: new(ts(2025, time.February, 4, 13, 45, 10)), DisplayName: "a1b2c3d",
		Status: map[string]any{}, Subdirectory: "/", DockerfilePath: "/", Context: "/", Tags: []string{"latest"},
		ManualUser: new("alice"), Repository: superuser.BuildRepo{Namespace: "acme", Name: "app"},
	}
	// Every nullable field set: a triggered, failed build seen by a writer.
	triggered := superuser.Build{
		ID: "5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d", Phase: "error", Started: new(ts(2025, time.February, 4, 13, 45, 10)),
		DisplayName: "abc1234", Status: map[string]any{"current_command": 2.0, "total_commands": 3.0},
		Tags: []string{"latest", "v1"}, IsWriter: true,
		Trigger: &superuser.BuildTrigger{
			ID: "7a1e5c2b-3d4f-4e6a-8b9c-0d1e2f3a4b5c", Service: "github", IsActive: true,
			BuildSource: new("acme/web"), RepositoryURL: new("https://github.com/acme/web"),
			Config:    map[string]any{"build_source": "acme/web", "dockerfile_path": "/Dockerfile"},
			CanInvoke: true,
		},
		TriggerMetadata: map[string]any{"commit": "abc1234def"},
		ResourceKey:     new("7d0e1f2a"),
		PullRobot:       &superuser.PullRobot{Name: "acme+puller", Kind: "user", IsRobot: true},
		Repository:      superuser.BuildRepo{Namespace: "acme", Name: "web"},
		Error:           new("Step 2/3 failed"),
		ArchiveURL:      "https://storage.example.com/archive/7d0e1f2a",
	}
	logs := superuser.BuildLogs{Start: 0, Total: 2, Logs: []superuser.BuildLogEntry{
		{Message: "build-scheduled", Type: "phase", Data: map[string]any{"datetime": "2025-02-04 13:45:10.412345"}},
		{Message: "Step 1/3 : FROM alpine", Type: "command", Data: map[string]any{"datetime": "2025-02-04 13:45:11.123456"}},
	}}
	runCalls(t, []call{
		{
			name: "Get", method: "GET", path: "/superuser/" + uuid + "/build", status: 200, file: "getRepoBuildSuperUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Builds.Get(ctx, uuid)
			},
			want: manual,
		},
		{
			name: "Status", method: "GET", path: "/superuser/" + uuid + "/status", status: 200, file: "getRepoBuildStatusSuperUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Builds.Status(ctx, uuid)
			},
			want: triggered,
		},
		{
			name: "Logs", method: "GET", path: "/superuser/" + uuid + "/logs", status: 200, file: "getRepoBuildLogsSuperUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Builds.Logs(ctx, uuid, nil)
			},
			want: logs,
		},
		{
			name: "Logs from an index, archived", method: "GET", path: "/superuser/" + uuid + "/logs", query: url.Values{"start": {"5"}},
			status: 200, file: "getRepoBuildLogsSuperUser-archived.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Builds.Logs(ctx, uuid, &superuser.BuildLogOptions{Start: 5})
			},
			want: superuser.BuildLogs{LogsURL: "https://storage.example.com/logarchive/1f6d8c38?Signature=abc&Expires=1738680000"},
		},
		{
			name: "ArchivedLogs", method: "GET", path: "/superuser/" + uuid + "/logs/archive", status: 200, file: "getRepoBuildLogsArchiveSuperUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Builds.ArchivedLogs(ctx, uuid)
			},
			want: superuser.BuildLogs{Total: 1, Logs: []superuser.BuildLogEntry{{Message: "Step 1/3 : FROM alpine", Type: "command"}}},
		},
	})
}

func TestBuildLogsNegativeStart(t *testing.T) {
	t.Parallel()
	su := noRequest(t)
	if _, _, err := su.Builds.Logs(t.Context(), "b1", &superuser.BuildLogOptions{Start: -1}); err == nil {
		t.Error("Logs with Start -1 succeeded, want an error before sending")
	}
}
