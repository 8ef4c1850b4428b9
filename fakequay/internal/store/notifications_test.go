package store

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The model functions of repository notifications (data/model/notification.py):
// uuids are found from any repository by get_repo_notification, while delete
// and reset check the repository (InvalidNotificationException).
func TestRepoNotifications(t *testing.T) {
	t.Parallel()
	s := loadUsers(t, "alice") // alice is namespace 2, acme 3
	err := s.Load(func(l *Loader) error {
		if _, err := l.AddRepository(Repository{NamespaceID: 2, Name: "web"}); err != nil {
			return err
		}
		_, err := l.AddRepository(Repository{NamespaceID: 2, Name: "api"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	title := "CI"
	n := RepoNotification{UUID: "u1", Event: "repo_push", Method: "webhook", Config: json.RawMessage(`{"url": "http://x"}`),
		EventConfig: json.RawMessage(`{}`), Title: &title}
	if _, err := s.CreateRepoNotification(2, "nosuch", n, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("create on an unknown repository: err = %v, want ErrNotFound", err)
	}
	created, err := s.CreateRepoNotification(2, "web", n, nil)
	if err != nil {
		t.Fatal(err)
	}
	web, _ := s.Read().Repository(2, "web")
	want := n
	want.ID, want.NamespaceID, want.RepositoryID = 1, 2, web.ID
	if diff := cmp.Diff(&want, created); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	second := RepoNotification{UUID: "u2", Event: "build_failure", Method: "slack", Config: json.RawMessage(`{"url": "s"}`), EventConfig: json.RawMessage(`{}`)}
	if _, err := s.CreateRepoNotification(2, "web", second, nil); err != nil {
		t.Fatal(err)
	}
	if got := len(s.Read().RepoNotifications(web)); got != 2 {
		t.Errorf("web has %d notifications, want 2", got)
	}
	if got, ok := s.Read().RepoNotificationByUUID("u2"); !ok || got.ID != 2 {
		t.Errorf("by uuid: %+v %v", got, ok)
	}

	// Another repository's uuid: delete finds nothing, reset is the model's error.
	if err := s.DeleteRepoNotification(2, "api", "u1", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete through another repository: err = %v, want ErrNotFound", err)
	}
	var me *ModelError
	if err := s.ResetRepoNotificationFailures(2, "api", "u1", nil); !errors.As(err, &me) || me.Message != "No repository notification found with uuid: u1" {
		t.Errorf("reset through another repository: err = %v", err)
	}
	if err := s.ResetRepoNotificationFailures(2, "web", "nosuch", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("reset of an unknown uuid: err = %v, want ErrNotFound", err)
	}
	queued, err := s.QueueTestRepoNotification("u1")
	if err != nil || queued.TestsQueued != 1 {
		t.Errorf("test queued: %+v, %v", queued, err)
	}
	if err := s.DeleteRepoNotification(2, "web", "u1", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Read().RepoNotificationByUUID("u1"); ok {
		t.Error("u1 is still there after its delete")
	}
	if _, err := s.QueueTestRepoNotification("u1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("test of a deleted notification: err = %v, want ErrNotFound", err)
	}
}
