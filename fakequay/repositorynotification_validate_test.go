package fakequay

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// createRepoNotification's checks (repositorynotification.py:79 and
// notificationmethod.py), each answer observed on real Quay (realquay,
// POST /api/v1/repository/devtable/simple/notification/) unless the case
// says otherwise.
func TestValidateNotification(t *testing.T) {
	t.Parallel()
	h := newHarness(t, matrixOrg)
	r := h.s.store.Read()
	tests := []struct {
		name, ns, event, method, config string
		want                            string // "" valid, "crash", else the ApiError detail
	}{
		{"get_method: an unknown method is InvalidNotificationMethodException", "alice", "repo_push", "nope", `{}`, "crash"},
		{"the method's check comes before the event's row", "alice", "nope", "slack", `{}`, "Missing Slack Callback URL"},
		{"ExternalNotificationEvent.get: an unknown event", "alice", "nope", "slack", `{"url": "x"}`, "crash"},
		{"webhook: no url", "alice", "repo_push", "webhook", `{}`, "Missing webhook URL"},
		{"webhook: an empty url", "alice", "repo_push", "webhook", `{"url": ""}`, "Missing webhook URL"},
		{"webhook: ftp", "alice", "repo_push", "webhook", `{"url": "ftp://a"}`, "Invalid webhook URL"},
		{"webhook: localhost in any case, with a port", "alice", "repo_push", "webhook", `{"url": "http://LocalHost:80/x"}`, "Invalid webhook URL"},
		{"webhook: 127.0.0.1 behind userinfo", "alice", "repo_push", "webhook", `{"url": "https://u:p@127.0.0.1/x"}`, "Invalid webhook URL"},
		{"webhook: no host is hostname None (.lower() raises)", "alice", "repo_push", "webhook", `{"url": "http:///x"}`, "crash"},
		{"webhook: a scheme in capitals is lowercased", "alice", "repo_push", "webhook", `{"url": "HTTP://example.com/h"}`, ""},
		{"webhook: a template that is no JSON", "alice", "repo_push", "webhook", `{"url": "http://example.com/h", "template": "{"}`,
			"Could not parse template: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
		{"webhook: a JSON template", "alice", "repo_push", "webhook", `{"url": "http://example.com/h", "template": "{\"a\": 1}"}`, ""},
		{"email: no address", "alice", "repo_push", "email", `{}`, "Missing e-mail address"},
		{"email: no authorized address (fakequay keeps none)", "alice", "repo_push", "email", `{"email": "a@b.c"}`,
			"The specified e-mail address is not authorized to receive notifications for this repository"},
		{"quay_notification: no target", "alice", "repo_push", "quay_notification", `{}`, "Missing target"},
		{"quay_notification: a target without kind", "alice", "repo_push", "quay_notification", `{"target": {"name": "x"}}`, "Missing target"},
		{"quay_notification: an unknown user", "alice", "repo_push", "quay_notification", `{"target": {"kind": "user", "name": "nosuch"}}`, "Unknown user nosuch"},
		{"quay_notification: an organization is no user", "alice", "repo_push", "quay_notification", `{"target": {"kind": "user", "name": "acme"}}`, "Unknown user acme"},
		{"quay_notification: a user", "alice", "repo_push", "quay_notification", `{"target": {"kind": "user", "name": "tess"}}`, ""},
		{"quay_notification: another namespace's organization (a pair unpacked as three)", "alice", "repo_push", "quay_notification",
			`{"target": {"kind": "org", "name": "acme"}}`, "crash"},
		{"quay_notification: the repository's organization (not observed: devtable is a user)", "acme", "repo_push", "quay_notification",
			`{"target": {"kind": "org", "name": "acme"}}`, ""},
		{"quay_notification: an unknown organization (not observed)", "acme", "repo_push", "quay_notification",
			`{"target": {"kind": "org", "name": "nosuch"}}`, "Unknown organization nosuch"},
		{"quay_notification: an unknown team", "alice", "repo_push", "quay_notification", `{"target": {"kind": "team", "name": "nosuch"}}`, "Unknown team nosuch"},
		{"quay_notification: a team of the repository's organization (not observed)", "acme", "repo_push", "quay_notification",
			`{"target": {"kind": "team", "name": "devs"}}`, ""},
		{"quay_notification: an unknown kind (None unpacked)", "alice", "repo_push", "quay_notification", `{"target": {"kind": "other", "name": "x"}}`, "crash"},
		{"flowdock: no token", "alice", "repo_push", "flowdock", `{}`, "Missing Flowdock API Token"},
		{"hipchat: no room", "alice", "repo_push", "hipchat", `{"notification_token": "t"}`, "Missing Hipchat Room ID"},
		{"hipchat: no token", "alice", "repo_push", "hipchat", `{"room_id": "r"}`, "Missing Hipchat Room Notification Token"},
		{"slack: no url", "alice", "repo_push", "slack", `{}`, "Missing Slack Callback URL"},
		{"slack: any url", "alice", "build_failure", "slack", `{"url": "x"}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v, err := py.Decode([]byte(tc.config))
			if err != nil {
				t.Fatal(err)
			}
			cfg, _ := asObject(v)
			got := ""
			switch err := validateNotification(r, tc.ns, tc.event, tc.method, cfg).(type) {
			case nil:
			case *crashError:
				got = "crash"
			case *apiError:
				got = err.detail
			default:
				t.Fatalf("unexpected error %T %v", err, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
