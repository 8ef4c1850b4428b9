package store

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestValidUsernameIsTheRegexp holds validUsername to Quay's
// VALID_USERNAME_REGEX as Python's re.match applies it ("$" matching
// before a final newline), on hand-picked names and on random strings of
// the characters that matter.
func TestValidUsernameIsTheRegexp(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^([a-z0-9]+(?:[._-][a-z0-9]+)*)\n?\z`)
	names := []string{"", "a", "alice", "alice\n", "alice\n\n", "\n", "a.b", "a..b", ".a", "a.", "a-b_c.d", "a_-b",
		"Alice", "al ice", "alice\r", "é", "user0000001", "a\nb", "0", "-", "a-\n"}
	r := rand.New(rand.NewPCG(14, 3))
	chars := []string{"a", "z", "0", "9", ".", "_", "-", "\n", "A", " ", "é", "+"}
	for range 50000 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(chars[r.IntN(len(chars))])
		}
		names = append(names, b.String())
	}
	valid := 0
	for _, name := range names {
		want := re.MatchString(name)
		if got := validUsername(name); got != want {
			t.Errorf("validUsername(%q) = %v, the expression says %v", name, got, want)
		}
		if want {
			valid++
		}
	}
	if valid < 1000 {
		t.Errorf("only %d valid names among the random ones: the test is too weak", valid)
	}
}
