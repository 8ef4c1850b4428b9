package pystr

import (
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// pythonWhitespace lists every code point for which CPython's str.isspace()
// is true (printed by `[c for c in range(0x110000) if chr(c).isspace()]`).
var pythonWhitespace = []rune{
	0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0,
	0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
	0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
}

func TestIsSpace_MatchesPythonOverAllCodePoints(t *testing.T) {
	t.Parallel()
	var got []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if IsSpace(r) {
			got = append(got, r)
		}
	}
	if diff := cmp.Diff(pythonWhitespace, got); diff != "" {
		t.Errorf("IsSpace set mismatch (-want +got):\n%s", diff)
	}
}

func TestIsFloatSpace_ExcludesInformationSeparators(t *testing.T) {
	t.Parallel()
	// float("5\x1c") raises ValueError while float("5\u3000") is 5.0.
	var got []rune
	for _, r := range pythonWhitespace {
		if !IsFloatSpace(r) {
			got = append(got, r)
		}
	}
	if diff := cmp.Diff([]rune{0x1C, 0x1D, 0x1E, 0x1F}, got); diff != "" {
		t.Errorf("whitespace float() does not strip (-want +got):\n%s", diff)
	}
	if IsFloatSpace('x') {
		t.Error("IsFloatSpace('x') = true")
	}
}

func TestTrimSpace(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"  alice@example.com\t\n", "alice@example.com"},
		{"\u3000\u00a0admin\u2028", "admin"},
		{"\x1cadmin\x1f", "admin"},
		{"\u200badmin", "\u200badmin"}, // ZERO WIDTH SPACE is not whitespace to Python
		{"a b", "a b"},
		{"", ""},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, TrimSpace(tt.in)); diff != "" {
			t.Errorf("TrimSpace(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestDecimal(t *testing.T) {
	t.Parallel()
	type result struct {
		Value int
		OK    bool
	}
	tests := []struct {
		in   rune
		want result
	}{
		{'0', result{0, true}},
		{'9', result{9, true}},
		{'a', result{0, false}},
		{'/', result{0, false}},
		{'٣', result{3, true}},       // ARABIC-INDIC DIGIT THREE
		{'۹', result{9, true}},       // EXTENDED ARABIC-INDIC DIGIT NINE
		{'९', result{9, true}},       // DEVANAGARI DIGIT NINE
		{'５', result{5, true}},       // FULLWIDTH DIGIT FIVE
		{'𝟎', result{0, true}},       // MATHEMATICAL BOLD DIGIT ZERO (U+1D7CE)
		{'𝟗', result{9, true}},       // U+1D7D7
		{'𝟘', result{0, true}},       // MATHEMATICAL DOUBLE-STRUCK DIGIT ZERO, next run
		{'𝟿', result{9, true}},       // U+1D7FF, last of five adjacent runs
		{'²', result{0, false}},      // superscript: No, not Nd; \d does not match it
		{'½', result{0, false}},      // vulgar fraction
		{'Ⅻ', result{0, false}},      // roman numeral: Nl
		{'〇', result{0, false}},      // IDEOGRAPHIC NUMBER ZERO: Nl
		{0x10FFFF, result{0, false}}, // last code point
	}
	for _, tt := range tests {
		v, ok := Decimal(tt.in)
		if diff := cmp.Diff(tt.want, result{v, ok}); diff != "" {
			t.Errorf("Decimal(%U) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Decimal relies on every Nd range being whole runs of ten starting at zero.
func TestDecimalRangesAreRunsOfTen(t *testing.T) {
	t.Parallel()
	check := func(lo, hi, stride uint32) {
		if stride != 1 || (hi-lo+1)%10 != 0 {
			t.Errorf("unicode.Nd range %U..%U stride %d is not whole runs of ten", lo, hi, stride)
		}
	}
	for _, r := range unicode.Nd.R16 {
		check(uint32(r.Lo), uint32(r.Hi), uint32(r.Stride))
	}
	for _, r := range unicode.Nd.R32 {
		check(r.Lo, r.Hi, r.Stride)
	}
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if _, ok := Decimal(r); ok {
			n++
			if !unicode.Is(unicode.Nd, r) {
				t.Fatalf("Decimal(%U) ok but not Nd", r)
			}
		} else if unicode.Is(unicode.Nd, r) {
			t.Fatalf("Decimal(%U) not ok but Nd", r)
		}
	}
	// CPython 3.11 (Unicode 14) has 660; Unicode 15 adds Kawi and Nag Mundari.
	if diff := cmp.Diff(680, n); diff != "" {
		t.Errorf("number of decimal digits (-want +got):\n%s", diff)
	}
}

func TestAppendASCIIDigits(t *testing.T) {
	t.Parallel()
	type result struct {
		Out string
		OK  bool
	}
	tests := []struct {
		in   string
		want result
	}{
		{"2025", result{"2025", true}},
		{"٢٠٢٥", result{"2025", true}},
		{"1٣", result{"13", true}},
		{"", result{"", true}},
		{"12a", result{"12", false}},
		{"1\xff", result{"1", false}},
	}
	for _, tt := range tests {
		out, ok := AppendASCIIDigits([]byte("x"), tt.in)
		if diff := cmp.Diff(tt.want, result{string(out[1:]), ok}); diff != "" {
			t.Errorf("AppendASCIIDigits(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestAppendLower(t *testing.T) {
	t.Parallel()
	// Expected values are CPython 3.11's str.lower().
	tests := []struct{ in, want string }{
		{"ADMIN@Example.COM", "admin@example.com"},
		{"İstanbul", "i\u0307stanbul"},
		{"ΟΔΟΣ", "οδος"},
		{"ΟΔΟΣ.", "οδος."},
		{"ΣΑ", "σα"},
		{"Σ", "σ"},
		{"AΣ", "aς"},
		{"A\u0301Σ", "a\u0301ς"},
		{"AΣ\u0301", "aς\u0301"},
		{"AΣ\u0301B", "aσ\u0301b"},
		{"A'Σ", "a'ς"},
		{"AΣ1", "aς1"},
		{"ΣΣ", "σς"},
		{"ÀÉÎ", "àéî"},
		{"ǅ", "ǆ"},
		{"Ω", "ω"}, // OHM SIGN
		{"K", "k"}, // KELVIN SIGN
		{"ẞ", "ß"}, // CAPITAL SHARP S
		{"A\xffB", "a\xffb"},
		{"", ""},
	}
	for _, tt := range tests {
		got := string(AppendLower([]byte("prefix:"), tt.in))
		if diff := cmp.Diff("prefix:"+tt.want, got); diff != "" {
			t.Errorf("AppendLower(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Not parallel: AllocsPerRun counts every allocation in the process.
func TestAppendLower_NoAllocationWithRoom(t *testing.T) {
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendLower(buf[:0], "Alice.Σmith@EXAMPLE.com")
	})
	if diff := cmp.Diff(0.0, allocs); diff != "" {
		t.Errorf("allocations (-want +got):\n%s", diff)
	}
}

func FuzzAppendLower(f *testing.F) {
	for _, s := range []string{"AΣ", "İ", "A\xffΣ", "Σ\u0301\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendLower(nil, s)
		// The result is already lowercase: lowering it again changes nothing.
		if again := AppendLower(nil, string(got)); string(again) != string(got) {
			t.Fatalf("AppendLower(%q) = %q, but lowering that gives %q", s, got, again)
		}
	})
}
