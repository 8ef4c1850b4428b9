package quay_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestNotifications(t *testing.T) {
	t.Parallel()
	fixture := quay.RepositoryNotification{
		UUID: "f383b58b-93ab-41d5-9d0a-8e8daa09ec53", Event: quay.EventRepoPush, Method: quay.MethodQuayNotification,
		Config: map[string]any{}, EventConfig: map[string]any{},
	}
	webhook := quay.RepositoryNotification{
		UUID: "ff3a3f48-59e5-4438-8ea9-7343fa32fd42", Title: "CI hook", Event: quay.EventRepoPush, Method: quay.MethodWebhook,
		Config: map[string]any{"url": "https://hooks.example.com/quay"}, EventConfig: map[string]any{},
	}
	email := quay.RepositoryNotification{
		UUID: "dc055a16-b825-4c53-9b15-74f7f6c8e8d3", Title: "Expiring images", Event: quay.EventRepoImageExpiry, Method: quay.MethodEmail,
		Config: map[string]any{"email": "jschorr@devtable.com"}, EventConfig: map[string]any{"days": float64(5)},
	}
	slack := quay.RepositoryNotification{
		UUID: "7364bd10-9291-4ec7-9159-3839a5f9960b", Event: quay.EventBuildSuccess, Method: quay.MethodSlack,
		Config: map[string]any{"url": "https://hooks.slack.com/x"}, EventConfig: map[string]any{"ref-regex": "heads/main"},
	}
	const base = "/repository/devtable/simple/notification/"
	runCalls(t, []call{
		{
			name: "List", method: "GET", path: base, status: 200, file: "listRepoNotifications.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Notifications.List(ctx, "devtable", "simple")
			},
			want: []quay.RepositoryNotification{fixture},
		},
		{
			name: "List several methods", method: "GET", path: base, status: 200, file: "listRepoNotifications-several.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Notifications.List(ctx, "devtable", "simple")
			},
			want: []quay.RepositoryNotification{fixture, webhook, email, slack},
		},
		{
			name: "Create a webhook", method: "POST", path: base,
			body:   `{"event": "repo_push", "method": "webhook", "config": {"url": "https://hooks.example.com/quay"}, "eventConfig": {}, "title": "CI hook"}`,
			status: 201, file: "createRepoNotification.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Notifications.Create(ctx, "devtable", "simple", quay.CreateNotificationRequest{
					Event: quay.EventRepoPush, Method: quay.MethodWebhook, Title: "CI hook",
					Config: map[string]any{"url": "https://hooks.example.com/quay"},
				})
			},
			want: webhook,
		},
		{
			name: "Create an e-mail with an event config", method: "POST", path: base,
			body:   `{"event": "repo_image_expiry", "method": "email", "config": {"email": "jschorr@devtable.com"}, "eventConfig": {"days": 5}, "title": "Expiring images"}`,
			status: 201, file: "createRepoNotification-email.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Notifications.Create(ctx, "devtable", "simple", quay.CreateNotificationRequest{
					Event: quay.EventRepoImageExpiry, Method: quay.MethodEmail, Title: "Expiring images",
					Config: map[string]any{"email": "jschorr@devtable.com"}, EventConfig: map[string]any{"days": 5},
				})
			},
			want: email,
		},
		{
			name: "Create for a team, untitled", method: "POST", path: "/repository/buynlarge/orgrepo/notification/",
			body:   `{"event": "vulnerability_found", "method": "quay_notification", "config": {"target": {"name": "owners", "kind": "team"}}, "eventConfig": {"level": 3}}`,
			status: 201, file: "createRepoNotification-team.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Notifications.Create(ctx, "buynlarge", "orgrepo", quay.CreateNotificationRequest{
					Event: quay.EventVulnerabilityFound, Method: quay.MethodQuayNotification,
					Config:      map[string]any{"target": map[string]any{"name": "owners", "kind": "team"}},
					EventConfig: map[string]any{"level": 3},
				})
			},
			want: quay.RepositoryNotification{
				UUID: "a842e65c-65e9-4885-964f-7964f161c2a2", Event: quay.EventVulnerabilityFound, Method: quay.MethodQuayNotification,
				Config:      map[string]any{"target": map[string]any{"name": "owners", "kind": "team"}},
				EventConfig: map[string]any{"level": float64(3)},
			},
		},
		{
			name: "Create sends {} for nil configs", method: "POST", path: base,
			body:   `{"event": "repo_push", "method": "quay_notification", "config": {}, "eventConfig": {}}`,
			status: 201, file: "getRepoNotification.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Notifications.Create(ctx, "devtable", "simple", quay.CreateNotificationRequest{Event: quay.EventRepoPush, Method: quay.MethodQuayNotification})
			},
			want: fixture,
		},
		{
			name: "Get", method: "GET", path: base + "f383b58b-93ab-41d5-9d0a-8e8daa09ec53", status: 200, file: "getRepoNotification.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Notifications.Get(ctx, "devtable", "simple", "f383b58b-93ab-41d5-9d0a-8e8daa09ec53")
			},
			want: fixture,
		},
		{
			name: "Delete", method: "DELETE", path: base + "ff3a3f48-59e5-4438-8ea9-7343fa32fd42", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Notifications.Delete(ctx, "devtable", "simple", "ff3a3f48-59e5-4438-8ea9-7343fa32fd42")
				return nil, resp, err
			},
		},
		{
			name: "ResetFailures", method: "POST", path: base + "ff3a3f48-59e5-4438-8ea9-7343fa32fd42", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Notifications.ResetFailures(ctx, "devtable", "simple", "ff3a3f48-59e5-4438-8ea9-7343fa32fd42")
				return nil, resp, err
			},
		},
		{
			name: "Test", method: "POST", path: base + "ff3a3f48-59e5-4438-8ea9-7343fa32fd42/test", status: 200, file: "testRepoNotification.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Notifications.Test(ctx, "devtable", "simple", "ff3a3f48-59e5-4438-8ea9-7343fa32fd42")
				return nil, resp, err
			},
		},
	})
}

func TestNotificationsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c := noRequest(t)
	tests := map[string]func(ctx context.Context) error{
		"List without a repository": func(ctx context.Context) error {
			_, _, err := c.Notifications.List(ctx, "a", "")
			return err
		},
		"Create without a namespace": func(ctx context.Context) error {
			_, _, err := c.Notifications.Create(ctx, "", "b", quay.CreateNotificationRequest{})
			return err
		},
		"Get without a UUID": func(ctx context.Context) error {
			_, _, err := c.Notifications.Get(ctx, "a", "b", "")
			return err
		},
		// An empty UUID would turn DELETE .../notification/x into DELETE
		// .../notification/, a route with no DELETE.
		"Delete without a UUID": func(ctx context.Context) error {
			_, err := c.Notifications.Delete(ctx, "a", "b", "")
			return err
		},
		// An empty UUID would turn the reset into a Create.
		"ResetFailures without a UUID": func(ctx context.Context) error {
			_, err := c.Notifications.ResetFailures(ctx, "a", "b", "")
			return err
		},
		"Test without a UUID": func(ctx context.Context) error {
			_, err := c.Notifications.Test(ctx, "a", "b", "")
			return err
		},
	}
	for name, call := range tests {
		if err := call(t.Context()); err == nil {
			t.Errorf("%s: no error, want one before sending", name)
		}
	}
}
