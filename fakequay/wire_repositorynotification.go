package fakequay

import (
	"encoding/json"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// notificationView is RepositoryNotification.to_dict, keys in its order.
type notificationView struct {
	UUID             string          `json:"uuid"`
	Title            *string         `json:"title"`
	Event            string          `json:"event"`
	Method           string          `json:"method"`
	Config           json.RawMessage `json:"config"`
	EventConfig      json.RawMessage `json:"event_config"`
	NumberOfFailures int64           `json:"number_of_failures"`
}

// notificationListView is listRepoNotifications' answer.
type notificationListView struct {
	Notifications []notificationView `json:"notifications"`
}

// notificationOf is to_dict of n: the configurations json.loads'd back,
// {} for text that is no JSON.
func notificationOf(n *store.RepoNotification) notificationView {
	loads := func(raw json.RawMessage) json.RawMessage {
		if _, err := py.Decode(raw); err != nil {
			return json.RawMessage("{}")
		}
		return raw
	}
	return notificationView{UUID: n.UUID, Title: n.Title, Event: n.Event, Method: n.Method,
		Config: loads(n.Config), EventConfig: loads(n.EventConfig), NumberOfFailures: n.NumberOfFailures}
}
