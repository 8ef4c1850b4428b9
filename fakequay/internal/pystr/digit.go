package pystr

import (
	"sort"
	"unicode"
)

// Decimal returns the value of r as a decimal digit and whether it is one,
// in Python's sense: the characters `\d` matches in a str regular expression
// and that int() and float() accept as digits, e.g. '٣' (U+0663) is 3.
//
// Those are exactly Unicode's Nd (decimal number) characters. Unicode
// guarantees that they come in contiguous runs of ten, from 0 to 9, so a
// digit's value is its distance from the start of its range in [unicode.Nd],
// taken modulo 10 (TestDecimalRangesAreRunsOfTen holds the tables to that).
func Decimal(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x80 {
		return 0, false
	}
	t := unicode.Nd
	if r <= 0xFFFF {
		i := sort.Search(len(t.R16), func(i int) bool { return rune(t.R16[i].Hi) >= r })
		if i < len(t.R16) && rune(t.R16[i].Lo) <= r {
			return int(r-rune(t.R16[i].Lo)) % 10, true
		}
		return 0, false
	}
	i := sort.Search(len(t.R32), func(i int) bool { return rune(t.R32[i].Hi) >= r })
	if i < len(t.R32) && rune(t.R32[i].Lo) <= r {
		return int(r-rune(t.R32[i].Lo)) % 10, true
	}
	return 0, false
}

// AppendASCIIDigits appends the ASCII form of the Python decimal digits in s
// to dst (so "٢٠٢٥" becomes "2025") and reports whether every rune of s was
// such a digit.
func AppendASCIIDigits(dst []byte, s string) ([]byte, bool) {
	for _, r := range s {
		d, ok := Decimal(r)
		if !ok {
			return dst, false
		}
		dst = append(dst, byte('0'+d))
	}
	return dst, true
}
