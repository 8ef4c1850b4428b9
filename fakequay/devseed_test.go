package fakequay

import "testing"

// TestDevSeedLoads keeps the seed `make run` uses valid.
func TestDevSeedLoads(t *testing.T) {
	t.Parallel()
	s, err := New(WithSeedFile("testdata/dev-seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.SuperuserToken(); got != "dev-admin-token" {
		t.Errorf("SuperuserToken() = %q, want the token the Makefile advertises", got)
	}
}
