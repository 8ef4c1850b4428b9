package quay

import (
	"context"
	"net/http"
)

// NotificationsService manages a repository's notifications: what Quay
// does (a webhook, an e-mail, a Slack message, ...) when an event happens
// in the repository (a push, a build, a vulnerability, ...). Quay has no
// update: to change a notification, delete it and create another.
type NotificationsService service

// Notification events, for CreateNotificationRequest.Event. Quay's
// notifications/notificationevent.py names them.
const (
	EventRepoPush              = "repo_push"
	EventBuildQueued           = "build_queued"
	EventBuildStart            = "build_start"
	EventBuildSuccess          = "build_success"
	EventBuildFailure          = "build_failure"
	EventBuildCancelled        = "build_cancelled"
	EventVulnerabilityFound    = "vulnerability_found"
	EventRepoMirrorSyncStarted = "repo_mirror_sync_started"
	EventRepoMirrorSyncSuccess = "repo_mirror_sync_success"
	EventRepoMirrorSyncFailed  = "repo_mirror_sync_failed"
	EventRepoImageExpiry       = "repo_image_expiry"
)

// Notification methods, for CreateNotificationRequest.Method, with the
// Config keys each one needs (notifications/notificationmethod.py).
const (
	// MethodQuayNotification notifies Quay users in the UI. Config:
	// {"target": {"name": ..., "kind": "user" | "team" | "org"}}; a team
	// must be of the repository's organization.
	MethodQuayNotification = "quay_notification"
	// MethodEmail sends an e-mail. Config: {"email": ...}, an address
	// confirmed as authorized for the repository.
	MethodEmail = "email"
	// MethodWebhook POSTs JSON. Config: {"url": "http(s)://..."} and an
	// optional "template" for the body.
	MethodWebhook = "webhook"
	// MethodSlack posts to Slack. Config: {"url": ...}, the incoming webhook.
	MethodSlack = "slack"
	// MethodFlowdock posts to Flowdock. Config: {"flow_api_token": ...}.
	MethodFlowdock = "flowdock"
	// MethodHipChat posts to HipChat. Config: {"notification_token": ...,
	// "room_id": ...}.
	MethodHipChat = "hipchat"
)

// RepositoryNotification is a notification of a repository.
type RepositoryNotification struct {
	UUID string `json:"uuid"`
	// Title is empty when none was given (Quay sends null).
	Title  string `json:"title"`
	Event  string `json:"event"`  // an Event constant
	Method string `json:"method"` // a Method constant
	// Config is the method's configuration, EventConfig the event's (for
	// example {"level": 3} for vulnerability_found, {"ref-regex": ...} for
	// builds, {"days": 5} for repo_image_expiry).
	Config      map[string]any `json:"config"`
	EventConfig map[string]any `json:"event_config"`
	// NumberOfFailures counts failed deliveries since the last reset; Quay
	// stops delivering after three.
	NumberOfFailures int `json:"number_of_failures"`
}

// CreateNotificationRequest is the body of Create.
type CreateNotificationRequest struct {
	Event  string `json:"event"`  // an Event constant
	Method string `json:"method"` // a Method constant
	// Config and EventConfig are required by Quay; nil sends {}.
	Config      map[string]any `json:"config"`
	EventConfig map[string]any `json:"eventConfig"`
	Title       string         `json:"title,omitempty"`
}

// withEmptyConfigs replaces nil configs by empty objects, which Quay's
// schema requires.
func (r CreateNotificationRequest) withEmptyConfigs() CreateNotificationRequest {
	if r.Config == nil {
		r.Config = map[string]any{}
	}
	if r.EventConfig == nil {
		r.EventConfig = map[string]any{}
	}
	return r
}

// List returns a repository's notifications. It needs admin permission on
// the repository.
//
// Quay does not check that the repository exists: for one that does not,
// a caller who passes the permission check (a superuser) gets an empty list.
//
// Quay operation: listRepoNotifications (GET /api/v1/repository/{repository}/notification/)
func (s *NotificationsService) List(ctx context.Context, namespace, repository string) ([]RepositoryNotification, *Response, error) {
	path, err := repoPath(namespace, repository, "/notification/")
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Notifications []RepositoryNotification `json:"notifications"`
	}
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &out)
	return out.Notifications, resp, err
}

// Create adds a notification to a repository and returns it.
//
// Quay answers 201, and 400 with the method's complaint when its Config
// does not validate ("Missing webhook URL", "Unknown team owners", an
// e-mail address not authorized for the repository). An unknown method or
// event makes Quay fail with a 500.
//
// Quay operation: createRepoNotification (POST /api/v1/repository/{repository}/notification/)
func (s *NotificationsService) Create(ctx context.Context, namespace, repository string, body CreateNotificationRequest) (RepositoryNotification, *Response, error) {
	path, err := repoPath(namespace, repository, "/notification/")
	if err != nil {
		return RepositoryNotification{}, nil, err
	}
	var n RepositoryNotification
	resp, err := s.client.call(ctx, http.MethodPost, path, body.withEmptyConfigs(), &n)
	return n, resp, err
}

// Get returns a notification by its UUID.
//
// Quay looks the UUID up across all repositories: a notification of
// another repository is returned too, provided the caller administers the
// repository of the path. It answers 404 for an unknown UUID.
//
// Quay operation: getRepoNotification (GET /api/v1/repository/{repository}/notification/{uuid})
func (s *NotificationsService) Get(ctx context.Context, namespace, repository, uuid string) (RepositoryNotification, *Response, error) {
	path, err := repoPath(namespace, repository, "/notification/%s", uuid)
	if err != nil {
		return RepositoryNotification{}, nil, err
	}
	var n RepositoryNotification
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &n)
	return n, resp, err
}

// Delete removes a notification from a repository.
//
// Quay answers 204, and 400 (not 404) for a UUID that is not a
// notification of this repository.
//
// Quay operation: deleteRepoNotification (DELETE /api/v1/repository/{repository}/notification/{uuid})
func (s *NotificationsService) Delete(ctx context.Context, namespace, repository, uuid string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/notification/%s", uuid)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodDelete, path, nil, nil)
}

// ResetFailures sets a notification's failure count back to zero, so that
// Quay delivers it again.
//
// Quay answers 204, and 400 (not 404) for a UUID it does not know or that
// belongs to another repository.
//
// Quay operation: resetRepositoryNotificationFailures (POST /api/v1/repository/{repository}/notification/{uuid})
func (s *NotificationsService) ResetFailures(ctx context.Context, namespace, repository, uuid string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/notification/%s", uuid)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, nil, nil)
}

// Test queues a delivery of the notification with sample event data.
//
// Quay answers {} (discarded) once the test is queued; delivery happens in
// the background. It answers 400 for an unknown UUID and, like Get, finds a
// notification of another repository too.
//
// Quay operation: testRepoNotification (POST /api/v1/repository/{repository}/notification/{uuid}/test)
func (s *NotificationsService) Test(ctx context.Context, namespace, repository, uuid string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/notification/%s/test", uuid)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, nil, nil)
}
