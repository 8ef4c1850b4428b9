package quay_test

import (
	"context"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
)

func TestMirrors(t *testing.T) {
	t.Parallel()
	fixture := quay.MirrorConfig{
		IsEnabled: true, MirrorType: "PULL", ExternalReference: "quay.io/coreos/etcd", ExternalRegistryUsername: "fakeusername",
		SyncInterval: 86400, SyncStartDate: quay.Timestamp{Time: time.Date(2026, time.December, 7, 17, 7, 45, 316763000, time.UTC)},
		SyncRetriesRemaining: 3, SyncStatus: quay.MirrorNeverRun,
		RootRule:      quay.MirrorRule{RuleKind: "tag_glob_csv", RuleValue: []string{"latest", "3.3*"}},
		RobotUsername: "devtable+dtrobot", SkopeoTimeoutInterval: 600, ArchitectureFilter: []string{},
	}
	created := quay.MirrorConfig{
		IsEnabled: true, MirrorType: "PULL", ExternalReference: "8.8.8.8:5000/coreos/etcd",
		SyncInterval: 3600, SyncStartDate: quay.Timestamp{Time: time.Date(2026, time.December, 8, 0, 0, 0, 0, time.UTC)},
		SyncRetriesRemaining: 3, SyncStatus: quay.MirrorNeverRun,
		RootRule:      quay.MirrorRule{RuleKind: "tag_glob_csv", RuleValue: []string{"v3.*"}},
		RobotUsername: "devtable+dtrobot2", SkopeoTimeoutInterval: 300, ArchitectureFilter: []string{},
	}
	// After Update with a whole proxy: Quay dropped http_proxy, the first
	// proxy key, because the mirror had no proxy yet.
	updated := created
	updated.IsEnabled = false
	updated.ExternalRegistryUsername = "puller"
	updated.ExternalRegistryConfig = quay.MirrorRegistryConfig{
		VerifyTLS: new(false), UnsignedImages: new(true),
		Proxy: &quay.MirrorProxy{HTTPSProxy: "http://proxy.example.com:3128", NoProxy: "localhost"},
	}
	updated.SyncInterval = 7200
	updated.SyncStartDate = quay.Timestamp{Time: time.Date(2026, time.December, 9, 6, 30, 0, 0, time.UTC)}
	updated.RootRule.RuleValue = []string{"v3.5.*", "latest"}
	// Then http_proxy sent again, SyncNow and CancelSync.
	cancelled := updated
	cancelled.ExternalRegistryConfig.Proxy = &quay.MirrorProxy{HTTPProxy: "http://p2.example.com:3128", HTTPSProxy: "http://proxy.example.com:3128", NoProxy: "localhost"}
	cancelled.SyncRetriesRemaining = 0
	cancelled.SyncStatus = quay.MirrorCancel

	get := func(repo string) func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
		return func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
			return c.Mirrors.Get(ctx, "devtable", repo)
		}
	}
	runCalls(t, []call{
		{name: "Get the fixture mirror", method: "GET", path: "/repository/devtable/mirrored/mirror", status: 200, file: "getRepoMirrorConfig.json", do: get("mirrored"), want: fixture},
		{name: "Get a created mirror", method: "GET", path: "/repository/devtable/simple/mirror", status: 200, file: "getRepoMirrorConfig-created.json", do: get("simple"), want: created},
		{name: "Get an updated mirror", method: "GET", path: "/repository/devtable/simple/mirror", status: 200, file: "getRepoMirrorConfig-updated.json", do: get("simple"), want: updated},
		{name: "Get a cancelled sync", method: "GET", path: "/repository/devtable/simple/mirror", status: 200, file: "getRepoMirrorConfig-cancelled.json", do: get("simple"), want: cancelled},
		{
			name: "Create", method: "POST", path: "/repository/devtable/simple/mirror",
			body: `{"external_reference": "8.8.8.8:5000/coreos/etcd", "sync_interval": 3600, "sync_start_date": "2026-12-08T00:00:00Z",
				"root_rule": {"rule_kind": "tag_glob_csv", "rule_value": ["v3.*"]}, "skopeo_timeout_interval": 300, "robot_username": "devtable+dtrobot2"}`,
			status: 201, file: "createRepoMirrorConfig.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Mirrors.Create(ctx, "devtable", "simple", quay.CreateMirrorRequest{
					ExternalReference: "8.8.8.8:5000/coreos/etcd", SyncInterval: 3600,
					SyncStartDate: time.Date(2026, time.December, 8, 1, 0, 0, 999, time.FixedZone("CET", 3600)),
					TagPatterns:   []string{"v3.*"}, RobotUsername: "devtable+dtrobot2", SkopeoTimeoutInterval: 300,
				})
				return nil, resp, err
			},
		},
		{
			name: "Create with every optional field", method: "POST", path: "/repository/acme/web/mirror",
			body: `{"is_enabled": false, "external_reference": "registry.example.com/team/web", "external_registry_username": "puller",
				"external_registry_password": "s3cret", "external_registry_config": {"verify_tls": false, "proxy": {"https_proxy": "http://proxy:3128"}},
				"sync_interval": 0, "sync_start_date": "1970-01-01T00:00:00Z", "root_rule": {"rule_kind": "tag_glob_csv", "rule_value": []},
				"robot_username": "acme+mirror", "skopeo_timeout_interval": 600, "architecture_filter": ["amd64", "arm64"]}`,
			status: 201, file: "createRepoMirrorConfig.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Mirrors.Create(ctx, "acme", "web", quay.CreateMirrorRequest{
					IsEnabled: new(false), ExternalReference: "registry.example.com/team/web",
					ExternalRegistryUsername: "puller", ExternalRegistryPassword: "s3cret",
					ExternalRegistryConfig: &quay.MirrorRegistryConfig{VerifyTLS: new(false), Proxy: &quay.MirrorProxy{HTTPSProxy: "http://proxy:3128"}},
					RobotUsername:          "acme+mirror", SkopeoTimeoutInterval: 600, ArchitectureFilter: []string{"amd64", "arm64"},
				})
				return nil, resp, err
			},
		},
		{
			name: "Update", method: "PUT", path: "/repository/devtable/simple/mirror",
			body: `{"is_enabled": false, "sync_interval": 7200, "external_registry_username": "puller", "external_registry_password": "s3cret",
				"external_registry_config": {"verify_tls": false, "unsigned_images": true, "proxy": {"https_proxy": "http://proxy.example.com:3128", "no_proxy": "localhost"}},
				"root_rule": {"rule_kind": "tag_glob_csv", "rule_value": ["v3.5.*", "latest"]}, "sync_start_date": "2026-12-09T06:30:00Z"}`,
			status: 201, file: "changeRepoMirrorConfig.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Mirrors.Update(ctx, "devtable", "simple", quay.UpdateMirrorRequest{
					IsEnabled: new(false), SyncInterval: new(int64(7200)),
					ExternalRegistryUsername: new("puller"), ExternalRegistryPassword: new("s3cret"),
					ExternalRegistryConfig: &quay.MirrorRegistryConfig{
						VerifyTLS: new(false), UnsignedImages: new(true),
						Proxy: &quay.MirrorProxy{HTTPSProxy: "http://proxy.example.com:3128", NoProxy: "localhost"},
					},
					TagPatterns: []string{"v3.5.*", "latest"}, SyncStartDate: time.Date(2026, time.December, 9, 6, 30, 0, 0, time.UTC),
				})
				return nil, resp, err
			},
		},
		{
			name: "Update the reference, robot and timeout, clearing filter and credentials", method: "PUT", path: "/repository/devtable/simple/mirror",
			body: `{"external_reference": "registry.example.com/a/b", "robot_username": "devtable+dtrobot", "skopeo_timeout_interval": 900,
				"architecture_filter": [], "external_registry_username": null, "external_registry_password": null}`,
			status: 201, file: "changeRepoMirrorConfig.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Mirrors.Update(ctx, "devtable", "simple", quay.UpdateMirrorRequest{
					ExternalReference: "registry.example.com/a/b", RobotUsername: "devtable+dtrobot", SkopeoTimeoutInterval: 900,
					ArchitectureFilter: []string{}, ClearCredentials: true,
				})
				return nil, resp, err
			},
		},
		{
			name: "Update with nothing set sends {}", method: "PUT", path: "/repository/devtable/simple/mirror", body: `{}`,
			status: 201, file: "changeRepoMirrorConfig.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Mirrors.Update(ctx, "devtable", "simple", quay.UpdateMirrorRequest{})
				return nil, resp, err
			},
		},
		{
			name: "SyncNow", method: "POST", path: "/repository/devtable/simple/mirror/sync-now", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Mirrors.SyncNow(ctx, "devtable", "simple")
				return nil, resp, err
			},
		},
		{
			name: "CancelSync", method: "POST", path: "/repository/devtable/simple/mirror/sync-cancel", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Mirrors.CancelSync(ctx, "devtable", "simple")
				return nil, resp, err
			},
		},
	})
}

func TestMirrorsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c := noRequest(t)
	tests := map[string]func(ctx context.Context) error{
		"Get without a repository": func(ctx context.Context) error {
			_, _, err := c.Mirrors.Get(ctx, "a", "")
			return err
		},
		// Quay would store the rule, then fail with a 500.
		"Create without a robot": func(ctx context.Context) error {
			_, err := c.Mirrors.Create(ctx, "a", "b", quay.CreateMirrorRequest{ExternalReference: "r.example.com/a/b", SkopeoTimeoutInterval: 300})
			return err
		},
		"Create without a namespace": func(ctx context.Context) error {
			_, err := c.Mirrors.Create(ctx, "", "b", quay.CreateMirrorRequest{RobotUsername: "a+r"})
			return err
		},
		"Update clearing and setting credentials": func(ctx context.Context) error {
			_, err := c.Mirrors.Update(ctx, "a", "b", quay.UpdateMirrorRequest{ClearCredentials: true, ExternalRegistryUsername: new("u")})
			return err
		},
		"Update without a repository": func(ctx context.Context) error {
			_, err := c.Mirrors.Update(ctx, "a", "", quay.UpdateMirrorRequest{})
			return err
		},
		"SyncNow without a namespace": func(ctx context.Context) error {
			_, err := c.Mirrors.SyncNow(ctx, "", "b")
			return err
		},
		"CancelSync without a repository": func(ctx context.Context) error {
			_, err := c.Mirrors.CancelSync(ctx, "a", "")
			return err
		},
	}
	for name, call := range tests {
		if err := call(t.Context()); err == nil {
			t.Errorf("%s: no error, want one before sending", name)
		}
	}
}
