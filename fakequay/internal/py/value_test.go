package py

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestObject checks Python dict semantics below and above the size at which
// an Object starts keeping an index.
func TestObject(t *testing.T) {
	t.Parallel()
	for _, size := range []int{3, smallObject + 5} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			o := NewObject()
			var want [][2]any
			for i := range size {
				k := fmt.Sprintf("k%d", i)
				o.Set(k, i)
				want = append(want, [2]any{k, i})
			}
			o.Set("k1", "replaced") // keeps its place
			want[1][1] = "replaced"
			deleted, deletedAgain := o.Delete("k0"), o.Delete("k0")
			o.Set("k0", "again") // goes last
			want = append(want[1:], [2]any{"k0", "again"})

			var got [][2]any
			for k, v := range o.All() {
				got = append(got, [2]any{k, v})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("pairs mismatch (-want +got):\n%s", diff)
			}
			v, ok := o.Get("k1")
			gotFacts := []any{deleted, deletedAgain, o.Len(), v, ok, o.Has("k0"), o.Has("missing")}
			wantFacts := []any{true, false, size, "replaced", true, true, false}
			if diff := cmp.Diff(wantFacts, gotFacts); diff != "" {
				t.Errorf("[Delete Delete Len Get.v Get.ok Has Has] mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInt(t *testing.T) {
	t.Parallel()
	huge, _ := new(big.Int).SetString("-170141183460469231731687303715884105728", 10)
	small := NewInt(-42)
	large := NewBigInt(huge)
	fitting := NewBigInt(big.NewInt(99))
	got := []any{
		small.String(), large.String(), large.Sign(), small.Sign(), NewInt(0).Sign(),
		large.Cmp(small), small.Cmp(large), fitting.Cmp(NewInt(99)),
	}
	n, fits := fitting.Int64()
	_, largeFits := large.Int64()
	got = append(got, n, fits, largeFits)
	want := []any{
		"-42", "-170141183460469231731687303715884105728", -1, -1, 0,
		-1, 1, 0,
		int64(99), true, false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Int results mismatch (-want +got):\n%s", diff)
	}
	b := large.Big()
	b.Add(b, big.NewInt(1))
	if diff := cmp.Diff(huge.String(), large.String()); diff != "" {
		t.Errorf("modifying Big() changed the Int (-want +got):\n%s", diff)
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	twoTo53 := NewInt(1 << 53)
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"True == 1", true, NewInt(1), true},
		{"True == 1.0", true, 1.0, true},
		{"False == 0", false, NewInt(0), true},
		{"1 == 1.0", NewInt(1), 1.0, true},
		{"2**53 == 2.0**53", twoTo53, float64(1 << 53), true},
		{"2**53+1 != 2.0**53", NewInt(1<<53 + 1), float64(1 << 53), false},
		{"big int == float", NewBigInt(new(big.Int).Lsh(big.NewInt(1), 80)), math.Ldexp(1, 80), true},
		{"nan != nan", math.NaN(), math.NaN(), false},
		{"inf == inf", math.Inf(1), math.Inf(1), true},
		{"int != str", NewInt(1), "1", false},
		{"None == None", nil, nil, true},
		{"None != False", nil, false, false},
		{"lists elementwise", []any{NewInt(1), "a"}, []any{1.0, "a"}, true},
		{"lists differ in length", []any{NewInt(1)}, []any{}, false},
		{"dicts ignore order", object("a", NewInt(1), "b", nil), object("b", nil, "a", true), true},
		{"dicts differ", object("a", NewInt(1)), object("a", NewInt(2)), false},
		{"Go kinds", []string{"x"}, []any{"x"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, Equal(tt.a, tt.b)); diff != "" {
				t.Errorf("Equal(%s, %s) mismatch (-want +got):\n%s", Repr(tt.a), Repr(tt.b), diff)
			}
		})
	}
}

func TestLenAndIsSpace(t *testing.T) {
	t.Parallel()
	got := []int{Len(""), Len("abc"), Len("é日😀"), Len("\xed\xa0\x80x"), Len("\xff")}
	if diff := cmp.Diff([]int{0, 3, 3, 2, 1}, got); diff != "" {
		t.Errorf("Len mismatch (-want +got):\n%s", diff)
	}
	var spaces []rune
	for r := rune(0); r <= 0x10FFFF; r++ {
		if isSpace(r) {
			spaces = append(spaces, r)
		}
	}
	want := []rune{0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
		0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
		0x2028, 0x2029, 0x202f, 0x205f, 0x3000} // [c for c in range(0x110000) if chr(c).isspace()]
	if diff := cmp.Diff(want, spaces); diff != "" {
		t.Errorf("isSpace set mismatch (-want +got):\n%s", diff)
	}
}

// Truthy answers as Python's bool() does for every kind json.loads makes.
func TestTruthy(t *testing.T) {
	t.Parallel()
	full := NewObject()
	full.Set("k", nil)
	cases := []struct {
		name string
		v    any
		want bool
	}{
		{"None", nil, false},
		{"False", false, false},
		{"True", true, true},
		{"0", NewInt(0), false},
		{"-1", NewInt(-1), true},
		{"0.0", 0.0, false},
		{"0.5", 0.5, true},
		{"empty string", "", false},
		{"string", "0", true},
		{"empty list", []any{}, false},
		{"list", []any{nil}, true},
		{"empty dict", NewObject(), false},
		{"dict", full, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Truthy(tc.v); got != tc.want {
				t.Errorf("Truthy(%v) = %v, want %v", tc.v, got, tc.want)
			}
		})
	}
}
