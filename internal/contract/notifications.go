package contract

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

// Repository notifications (endpoints/api/repositorynotification.py), on
// the fixture repository NormalUser administers: every case creates its
// own notification and deletes it again.

// notificationRepo is the fixture repository, split; it skips without one.
func (e *env) notificationRepo(t *testing.T) (ns, repo string) {
	t.Helper()
	ns, repo, ok := strings.Cut(e.tgt.Fixtures.Repository, "/")
	if !ok {
		t.Skip("the target names no repository for the notification cases (QUAY_CONTRACT_REPOSITORY)")
	}
	return ns, repo
}

// createNotification creates a slack notification titled by e.name and
// deletes it when t ends.
func (e *env) createNotification(t *testing.T) (ns, repo string, n quay.RepositoryNotification) {
	t.Helper()
	ns, repo = e.notificationRepo(t)
	c := e.quayClient(t, NormalUser)
	n, _, err := c.Notifications.Create(t.Context(), ns, repo, quay.CreateNotificationRequest{Event: quay.EventRepoPush,
		Method: quay.MethodSlack, Config: map[string]any{"url": "https://hooks.example.com/x"}, Title: e.name("notif")})
	wantNoError(t, "Create", err)
	t.Cleanup(func() { _, _ = e.quayClient(t, NormalUser).Notifications.Delete(t.Context(), ns, repo, n.UUID) })
	return ns, repo, n
}

func notificationsCases() []testCase {
	return []testCase{
		{op: "createRepoNotification", name: "repositorynotification.py:79 a created notification is answered, fetched and listed", run: func(t *testing.T, e *env) {
			ns, repo, n := e.createNotification(t)
			want := quay.RepositoryNotification{UUID: n.UUID, Title: n.Title, Event: quay.EventRepoPush, Method: quay.MethodSlack,
				Config: map[string]any{"url": "https://hooks.example.com/x"}, EventConfig: map[string]any{}}
			if diff := cmp.Diff(want, n); diff != "" || n.UUID == "" {
				t.Errorf("Create (-want +got):\n%s", diff)
			}
			c := e.quayClient(t, NormalUser)
			got, _, err := c.Notifications.Get(t.Context(), ns, repo, n.UUID)
			wantNoError(t, "Get", err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
			list, _, err := c.Notifications.List(t.Context(), ns, repo)
			wantNoError(t, "List", err)
			if !containsNotification(list, want) {
				t.Errorf("List = %+v, want it to hold %+v", list, want)
			}
		}},
		{op: "createRepoNotification", name: "notificationmethod.py the method's check is a 400 ApiError", run: func(t *testing.T, e *env) {
			ns, repo := e.notificationRepo(t)
			_, _, err := e.quayClient(t, NormalUser).Notifications.Create(t.Context(), ns, repo,
				quay.CreateNotificationRequest{Event: quay.EventRepoPush, Method: quay.MethodSlack})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Missing Slack Callback URL"})
		}},
		{op: "listRepoNotifications", name: "repositorynotification.py:127 require_repo_admin: the global read-only superuser reads, writes are refused", run: func(t *testing.T, e *env) {
			ns, repo, n := e.createNotification(t)
			c := e.quayClient(t, ReadOnlySuperuser)
			_, _, err := c.Notifications.Get(t.Context(), ns, repo, n.UUID)
			wantNoError(t, "Get", err)
			_, err = c.Notifications.Test(t.Context(), ns, repo, n.UUID)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "testRepoNotification", name: "repositorynotification.py:214 a test is queued; resetting the failures answers 204", run: func(t *testing.T, e *env) {
			ns, repo, n := e.createNotification(t)
			c := e.quayClient(t, NormalUser)
			_, err := c.Notifications.Test(t.Context(), ns, repo, n.UUID)
			wantNoError(t, "Test", err)
			_, err = c.Notifications.ResetFailures(t.Context(), ns, repo, n.UUID)
			wantNoError(t, "ResetFailures", err)
			got, _, err := c.Notifications.Get(t.Context(), ns, repo, n.UUID)
			wantNoError(t, "Get", err)
			if got.NumberOfFailures != 0 {
				t.Errorf("NumberOfFailures = %d, want 0", got.NumberOfFailures)
			}
		}},
		{op: "deleteRepoNotification", name: "repositorynotification.py:160 a deleted notification is gone; deleting it again is a 400", run: func(t *testing.T, e *env) {
			ns, repo, n := e.createNotification(t)
			c := e.quayClient(t, NormalUser)
			_, err := c.Notifications.Delete(t.Context(), ns, repo, n.UUID)
			wantNoError(t, "Delete", err)
			_, _, err = c.Notifications.Get(t.Context(), ns, repo, n.UUID)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, err = c.Notifications.Delete(t.Context(), ns, repo, n.UUID)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request",
				"No repository notification found for: " + ns + ", " + repo + ", " + n.UUID})
			_, err = c.Notifications.ResetFailures(t.Context(), ns, repo, n.UUID)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request",
				"No repository notification found for: " + ns + ", " + repo + ", " + n.UUID})
		}},
	}
}

// containsNotification reports whether list holds want.
func containsNotification(list []quay.RepositoryNotification, want quay.RepositoryNotification) bool {
	for _, n := range list {
		if cmp.Equal(n, want) {
			return true
		}
	}
	return false
}
