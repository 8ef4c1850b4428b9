package store

import (
	"strings"
	"testing"
)

// sqlLike is SQLite's LIKE as Quay's robot lists use it (a name ** "x+%"):
// the wildcards, ASCII case folding only, whole-string matching, and a
// pattern of many wildcards answered without backtracking through them all.
func TestSQLLike(t *testing.T) {
	t.Parallel()
	many := strings.Repeat("%", 5000) + "b"
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"rb_x+%", "rb-x+bot", true},
		{"rb_x+%", "rbax+other", true},
		{"rb_x+%", "rb+x+bot", true},
		{"rb_x+%", "rbx+bot", false},
		{"rb_x+%", "rb-xy+bot", false},
		{"RB-X+%", "rb-x+bot", true},
		{"É+%", "é+bot", false}, // SQLite folds ASCII only
		{"%+%", "acme+bot", true},
		{"%+%", "acme", false},
		{"b%+%", "buynlarge+coolrobot", true},
		{"b%+%", "acme+b", false},
		{"acme+%", "acme+", true},
		{"acme+%", "acmex+bot", false},
		{"a%b%c", "aXbYc", true},
		{"a%b%c", "aXbY", false},
		{"_", "é", true}, // one character, not one byte
		{"", "", true},
		{"%", "", true},
		{many, strings.Repeat("a", 5000), false},
		{many, strings.Repeat("a", 5000) + "b", true},
	}
	for _, tt := range tests {
		if got := sqlLike(tt.pattern, tt.s); got != tt.want {
			t.Errorf("sqlLike(%.20q, %.20q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
