package py

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPFormatMatchesPython(t *testing.T) {
	t.Parallel()
	for _, g := range goldenValues(t) {
		for width, want := range g.pformat {
			w, err := strconv.Atoi(width)
			if err != nil {
				t.Fatalf("golden width %q: %v", width, err)
			}
			if diff := cmp.Diff(want, PFormat(g.value, w)); diff != "" {
				t.Errorf("PFormat(%q, %d) mismatch (-want +got):\n%s", g.body, w, diff)
			}
		}
	}
}

func TestPFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		v     any
		width int
		want  string
	}{
		{"fits on one line, keys sorted", object("b", NewInt(1), "a", NewInt(2)), 80, "{'a': 2, 'b': 1}"},
		{"dict one key per line", object("b", NewInt(1), "a", NewInt(2)), 10, "{'a': 2,\n 'b': 1}"},
		{"list one item per line", []any{"xxxx", "yyyy"}, 10, "['xxxx',\n 'yyyy']"},
		{"empty containers never break", []any{NewObject(), []any{}, ""}, 1, "[{},\n [],\n '']"},
		{
			"top-level string in parentheses",
			"The email address of the user being created", 30,
			"('The email address of the '\n 'user being created')",
		},
		{
			"string value aligned after its key",
			object("description", "The username of the user being created"), 40,
			"{'description': 'The username of the '\n                'user being created'}",
		},
		{
			"string lines split at line ends",
			"one\ntwo\n", 8,
			"('one\\n'\n 'two\\n')",
		},
		{
			"quote choice counted over the whole piece",
			"it's x \"y\"", 10,
			"(\"it's x \"\n '\"y\"')",
		},
		{"unbreakable word overflows", "abcdefghijklmnop", 5, "'abcdefghijklmnop'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, PFormat(tt.v, tt.width)); diff != "" {
				t.Errorf("PFormat mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitLinesKeepEnds(t *testing.T) {
	t.Parallel()
	got := splitLinesKeepEnds("a\r\nb\rc\nd\ve\ff\x1cg\x1dh\x1ei\u0085j\u2028k\u2029l")
	want := strings.SplitAfter("a\r\n|b\r|c\n|d\v|e\f|f\x1c|g\x1d|h\x1e|i\u0085|j\u2028|k\u2029|l", "|")
	for i := range want {
		want[i] = strings.TrimSuffix(want[i], "|")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("splitLinesKeepEnds mismatch (-want +got):\n%s", diff)
	}
}

// BenchmarkPFormatDeepNesting formats the deepest list Decode accepts; the
// one-line repr is only built as far as the width needs, so this stays
// linear in the depth (it was quadratic, about 1 s, before).
func BenchmarkPFormatDeepNesting(b *testing.B) {
	v, err := Decode([]byte(strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = PFormat(v, 72)
	}
}
