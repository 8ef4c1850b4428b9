package fakequay

import (
	"regexp"
	"testing"
)

// Reset returns the random sequence to where the seed left it: the same
// requests after a Reset produce the same generated values, and none of the
// values the seed itself drew.
func TestResetReplaysTheRandomSequenceFromTheSeed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Seed) {
		s.Messages = []SeedMessage{{Content: "hello", Severity: "info", MediaType: "text/plain"}}
	})
	password := regexp.MustCompile(`"password": "([A-Z0-9]{32})"`)
	create := func() string {
		got := h.do("POST", "/api/v1/superuser/users/", tokAdmin, `{"username": "newbie", "email": "n@example.com"}`)
		m := password.FindStringSubmatch(got.Body)
		if m == nil {
			t.Fatalf("create: %d %s", got.Status, got.Body)
		}
		return m[1]
	}
	first := create()
	h.s.Reset()
	if again := create(); again != first {
		t.Errorf("after Reset the generated password is %q, want the same %q", again, first)
	}
	seeded := h.s.Messages()[0].UUID
	h.s.Reset()
	if got := h.s.rand.uuid(); got == seeded {
		t.Errorf("after Reset the generator hands out the seed's UUID %s again", got)
	}
}
