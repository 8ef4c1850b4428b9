package snapshot

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/quaykit/go-quay/fakequay"
)

// readNotifications reads the notifications of every repository the seed
// holds (listRepoNotifications, which needs the repository's admin: a
// superuser with FEATURE_SUPERUSERS_FULL_ACCESS), uuids, titles,
// configurations and failure counts kept. A repository whose list the
// caller may not read is seeded without.
func readNotifications(ctx context.Context, r *reader) error {
	repos := r.seed.Repositories
	found := make([][]fakequay.SeedRepoNotification, len(repos))
	hidden := make([]int, len(repos))
	err := forEach(ctx, len(repos), func(ctx context.Context, i int) error {
		repo := repos[i]
		var list struct {
			Notifications []struct {
				UUID             string          `json:"uuid"`
				Title            *string         `json:"title"`
				Event            string          `json:"event"`
				Method           string          `json:"method"`
				Config           json.RawMessage `json:"config"`
				EventConfig      json.RawMessage `json:"event_config"`
				NumberOfFailures int64           `json:"number_of_failures"`
			} `json:"notifications"`
		}
		path := "repository/" + url.PathEscape(repo.Namespace) + "/" + url.PathEscape(repo.Name) + "/notification/"
		if err := r.get(ctx, path, &list); err != nil {
			if !unreadable(err) {
				return err
			}
			hidden[i] = 1
			return nil
		}
		for _, n := range list.Notifications {
			found[i] = append(found[i], fakequay.SeedRepoNotification{UUID: n.UUID, Namespace: repo.Namespace,
				Repository: repo.Name, Event: n.Event, Method: n.Method, Title: n.Title, Config: n.Config,
				EventConfig: n.EventConfig, NumberOfFailures: n.NumberOfFailures})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, ns := range found {
		r.seed.Notifications = append(r.seed.Notifications, ns...)
	}
	if n := sum(hidden); n > 0 {
		r.warnf("notifications: the notifications of %d repositories cannot be read (the caller needs their admin); they are seeded without", n)
	}
	return nil
}
