package store

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func messageUUIDs(r Reader) []string {
	out := []string{}
	for _, m := range r.Messages() {
		out = append(out, m.UUID)
	}
	return out
}

func TestMessagesCreateListDelete(t *testing.T) {
	t.Parallel()
	s := New()
	for _, m := range []Message{
		{UUID: "m1", Content: "one", Severity: "info", MediaType: "text/plain"},
		{UUID: "m2", Content: "two", Severity: "critical?", MediaType: "text/markdown"}, // severity is free text in the model
		{UUID: "m1", Content: "again", Severity: "error", MediaType: "text/plain"},      // uuids are not unique in Quay's table
	} {
		if _, err := s.CreateMessage(m); err != nil {
			t.Fatalf("CreateMessage(%s): %v", m.UUID, err)
		}
	}
	want := []*Message{
		{ID: 1, UUID: "m1", Content: "one", Severity: "info", MediaType: "text/plain"},
		{ID: 2, UUID: "m2", Content: "two", Severity: "critical?", MediaType: "text/markdown"},
		{ID: 3, UUID: "m1", Content: "again", Severity: "error", MediaType: "text/plain"},
	}
	if diff := cmp.Diff(want, s.Read().Messages()); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}

	_, err := s.CreateMessage(Message{UUID: "m4", Content: "x", Severity: "info", MediaType: "application/json"})
	var crash *CrashError
	if !errors.As(err, &crash) {
		t.Errorf("unknown media type: error %v, want a *CrashError", err)
	}

	for _, step := range []struct {
		uuid string
		n    int
		left []string
	}{
		{"m1", 2, []string{"m2"}},
		{"m1", 0, []string{"m2"}},
		{"nope", 0, []string{"m2"}},
		{"m2", 1, []string{}},
	} {
		n, err := s.DeleteMessages(step.uuid)
		if err != nil || n != step.n {
			t.Errorf("DeleteMessages(%s) = %d, %v; want %d", step.uuid, n, err, step.n)
		}
		if diff := cmp.Diff(step.left, messageUUIDs(s.Read())); diff != "" {
			t.Errorf("after deleting %s (-want +got):\n%s", step.uuid, diff)
		}
	}
}

func TestAddMessageKeepsInvariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		msg     Message
		wantErr string
	}{
		{"empty uuid", Message{Severity: "info", MediaType: "text/plain"}, "uuid is empty"},
		{"duplicate uuid", Message{UUID: "m1", Severity: "info", MediaType: "text/plain"}, `uuid "m1" is already used by another message`},
		{"unknown severity", Message{UUID: "m2", Severity: "fatal", MediaType: "text/plain"}, `severity "fatal" is not one of ["info" "warning" "error"]`},
		{"unknown media type", Message{UUID: "m2", Severity: "info", MediaType: "text/html"}, `media_type "text/html" is not one of ["text/plain" "text/markdown"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New()
			if _, err := s.CreateMessage(Message{UUID: "m1", Severity: "info", MediaType: "text/plain"}); err != nil {
				t.Fatal(err)
			}
			err := s.Load(func(l *Loader) error { _, err := l.AddMessage(tc.msg); return err })
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("AddMessage error = %v, want %q", err, tc.wantErr)
			}
			if diff := cmp.Diff([]string{"m1"}, messageUUIDs(s.Read())); diff != "" {
				t.Errorf("a failed load kept rows (-want +got):\n%s", diff)
			}
		})
	}
}
