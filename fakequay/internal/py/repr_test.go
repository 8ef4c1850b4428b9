package py

import (
	"math"
	"math/big"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReprMatchesPython(t *testing.T) {
	t.Parallel()
	for _, g := range goldenValues(t) {
		if diff := cmp.Diff(g.repr, Repr(g.value)); diff != "" {
			t.Errorf("Repr(%q) mismatch (-want +got):\n%s", g.body, diff)
		}
	}
}

func TestFloatReprMatchesPython(t *testing.T) {
	t.Parallel()
	for _, f := range readGolden(t).Floats {
		bits, err := strconv.ParseUint(f.Bits, 16, 64)
		if err != nil {
			t.Fatalf("golden bits %q: %v", f.Bits, err)
		}
		v := math.Float64frombits(bits)
		if diff := cmp.Diff(f.Repr, Repr(v)); diff != "" {
			t.Errorf("Repr(%v) mismatch (-want +got):\n%s", v, diff)
		}
	}
}

type notPython struct{ A int }

func TestRepr(t *testing.T) {
	t.Parallel()
	big2to70 := new(big.Int).Lsh(big.NewInt(1), 70)
	var nilObject *Object
	var nilPointer *int
	seven := 7
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"None", nil, "None"},
		{"True", true, "True"},
		{"False", false, "False"},
		{"int", NewInt(-5), "-5"},
		{"big int", NewBigInt(big2to70), "1180591620717411303424"},
		{"float keeps .0", 5.0, "5.0"},
		{"Float type", Float(5e9), "5000000000.0"},
		{"float32 widened", float32(0.1), "0.10000000149011612"},
		{"exponent form", 1e16, "1e+16"},
		{"small exponent form", 1.5e-5, "1.5e-05"},
		{"inf", math.Inf(1), "inf"},
		{"nan", math.NaN(), "nan"},
		{"plain string", "abc", "'abc'"},
		{"single quote switches to double", "it's", `"it's"`},
		{"both quotes keep single", `it's "x"`, `'it\'s "x"'`},
		{"backslash and controls", "a\\b\n\r\t\x00\x7f", `'a\\b\n\r\t\x00\x7f'`},
		{"non-ASCII printable stays", "café 日本 😀", "'café 日本 😀'"},
		{"non-printable escapes by size", "\u0085\u00ad\u2028\U000E0001", `'\x85\xad\u2028\U000e0001'`},
		{"lone surrogate", "\xed\xa0\x80", `'\ud800'`},
		{"invalid byte reads as U+FFFD", "\xff", "'\ufffd'"},
		{"list", []any{NewInt(1), "a", nil}, "[1, 'a', None]"},
		{"dict in order", object("b", NewInt(1), "a", []any{}), "{'b': 1, 'a': []}"},
		{"nil dict", nilObject, "None"},
		{"string slice", []string{"text/plain", "text/markdown"}, "['text/plain', 'text/markdown']"},
		{"go map sorted", map[string]any{"b": 1, "a": true}, "{'a': True, 'b': 1}"},
		{"sized ints", []any{int8(-3), uint16(4), uint64(math.MaxUint64)}, "[-3, 4, 18446744073709551615]"},
		{"pointer followed", &seven, "7"},
		{"nil pointer", nilPointer, "None"},
		{"no Python counterpart", notPython{1}, "<py.notPython object>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, Repr(tt.v)); diff != "" {
				t.Errorf("Repr mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
