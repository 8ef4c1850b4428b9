package fakequay

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestJournalRecordsAndRedacts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.do("GET", "/api/v1/superuser/users/?limit=2&access_token=s3cret", tokAdmin, "")
	h.do("GET", "/api/v1/superuser/users/alice", tokAlice, "")
	h.do("GET", "/nowhere", tokNone, "")
	want := []Request{
		{Time: fixtureTime, Method: "GET", Path: "/api/v1/superuser/users/", Query: "access_token=REDACTED&limit=2",
			Operation: "listAllUsers", Caller: "admin", Status: 200},
		{Time: fixtureTime, Method: "GET", Path: "/api/v1/superuser/users/alice", Operation: "getInstallUser",
			Caller: "alice", Status: 403},
		{Time: fixtureTime, Method: "GET", Path: "/nowhere", Status: 404},
	}
	if diff := cmp.Diff(want, h.s.Requests(), cmpopts.IgnoreFields(Request{}, "Duration")); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
	for _, r := range h.s.Requests() {
		if strings.Contains(r.Query, "s3cret") || strings.Contains(r.Caller, "token") {
			t.Errorf("journal leaks a secret: %+v", r)
		}
	}
	h.s.ClearRequests()
	if got := h.s.Requests(); len(got) != 0 {
		t.Errorf("after ClearRequests: %v", got)
	}
}

func TestJournalIsBounded(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, WithJournalSize(3))
	for _, p := range []string{"/a", "/b", "/c", "/d", "/e"} {
		h.do("GET", p, tokNone, "")
	}
	var paths []string
	for _, r := range h.s.Requests() {
		paths = append(paths, r.Path)
	}
	if diff := cmp.Diff([]string{"/c", "/d", "/e"}, paths); diff != "" {
		t.Errorf("journal keeps (-want +got):\n%s", diff)
	}
}

// The server's request log (WithLogger) never carries a credential: the
// caller appears by name and secret query values are redacted.
func TestRequestLogRedactsSecrets(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	h := newHarness(t, nil, WithLogger(slog.New(slog.NewJSONHandler(&buf, nil))))
	h.do("GET", "/api/v1/superuser/users/?access_token=s3cret-query", tokAdmin, "")
	h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "x1", "email": "x@example.com"}`)
	h.do("GET", "/api/v1/superuser/users/", tokUnknown, "")
	logged := buf.String()
	for _, secret := range []string{tokAdmin, tokUnknown, "s3cret-query"} {
		if strings.Contains(logged, secret) {
			t.Errorf("the request log contains %q:\n%s", secret, logged)
		}
	}
	if !strings.Contains(logged, `"caller":"admin"`) || !strings.Contains(logged, "REDACTED") {
		t.Errorf("the log lacks the caller or the redaction marker:\n%s", logged)
	}
}
