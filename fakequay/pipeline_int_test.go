package fakequay

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pythonInt is Python's int(str) as reqparse applies it to int query
// parameters (reference §1.3 family E): the plain-digit fast path and the
// general one agree at their border.
func TestPythonInt(t *testing.T) {
	t.Parallel()
	type result struct {
		N  int64
		OK bool
	}
	tests := map[string]result{
		"100": {100, true}, " 42\n": {42, true}, "+7": {7, true}, "-3": {-3, true}, "0007": {7, true},
		"1_000": {1000, true}, "1__0": {0, false}, "_1": {0, false}, "1_": {0, false}, "": {0, false},
		"-": {0, false}, "abc": {0, false}, "1.5": {0, false}, "٣": {3, true}, "1٣": {13, true},
		"123456789012345678":    {123456789012345678, true},
		"-123456789012345678":   {-123456789012345678, true},
		"1234567890123456789":   {1234567890123456789, true},
		"9223372036854775808":   {math.MaxInt64, true},
		"-99999999999999999999": {math.MinInt64, true},
	}
	got := map[string]result{}
	for in := range tests {
		n, ok := pythonInt(in)
		got[in] = result{n, ok}
	}
	if diff := cmp.Diff(tests, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
