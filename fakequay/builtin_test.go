package fakequay

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Servers without seed rows share the loaded built-in state (design §4:
// one superuser "admin" and its token), yet each one's writes stay its own,
// and each token gets its own state.
func TestServersWithoutSeedRowsStartAlikeAndStayApart(t *testing.T) {
	t.Parallel()
	newServer := func(token string) *Server {
		t.Helper()
		s, err := New(WithToken(token))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	status := func(s *Server, token string) int {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://x/api/v1/superuser/users/", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	names := func(s *Server) []string {
		var out []string
		for _, u := range s.Users() {
			out = append(out, u.Username)
		}
		return out
	}
	first := newServer("builtin-token-1")
	if err := first.AddUser(SeedUser{Username: "bob", Email: "bob@example.com"}); err != nil {
		t.Fatal(err)
	}
	second := newServer("builtin-token-1")
	other := newServer("builtin-token-2")
	type state struct {
		Users            []string
		Token            string
		Status1, Status2 int
	}
	got := []state{
		{names(first), first.SuperuserToken(), status(first, "builtin-token-1"), status(first, "builtin-token-2")},
		{names(second), second.SuperuserToken(), status(second, "builtin-token-1"), status(second, "builtin-token-2")},
		{names(other), other.SuperuserToken(), status(other, "builtin-token-1"), status(other, "builtin-token-2")},
	}
	want := []state{
		{[]string{"admin", "bob"}, "builtin-token-1", 200, 401},
		{[]string{"admin"}, "builtin-token-1", 200, 401},
		{[]string{"admin"}, "builtin-token-2", 401, 200},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
