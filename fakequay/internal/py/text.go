package py

import (
	"unicode"
	"unicode/utf8"
)

// Surrogate code points, which Python strings may hold on their own.
const (
	surrogateMin = 0xD800
	surrogateMax = 0xDFFF
)

// decodeRune reads one Python code point from the start of s. Besides UTF-8 it
// accepts the three-byte form of a surrogate code point (see the package
// documentation). Any other invalid byte reads as (utf8.RuneError, 1), and an
// empty s as (utf8.RuneError, 0).
func decodeRune(s string) (rune, int) {
	if s == "" {
		return utf8.RuneError, 0
	}
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	if isSurrogateForm(s) {
		return 0xD000 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(s)
}

// isSurrogateForm reports whether s starts with the three-byte form of a
// surrogate code point: 0xED, then 0xA0..0xBF, then a continuation byte.
func isSurrogateForm[T string | []byte](s T) bool {
	return len(s) >= 3 && s[0] == 0xED && s[1] >= 0xA0 && s[1] <= 0xBF && s[2]&0xC0 == 0x80
}

// appendCodePoint appends the encoding of one code point, writing surrogates
// in their three-byte form instead of utf8.AppendRune's U+FFFD.
func appendCodePoint(b []byte, r rune) []byte {
	if r >= surrogateMin && r <= surrogateMax {
		return append(b, 0xED, 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
	}
	return utf8.AppendRune(b, r)
}

// Len is Python's len(s): the number of code points, a surrogate counting as
// one.
func Len(s string) int {
	n := 0
	for i := 0; i < len(s); n++ {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := decodeRune(s[i:])
		i += size
	}
	return n
}

// isSpace is Python's str.isspace for one code point, which is also what \s
// matches in a str pattern: the code points whose bidirectional class is WS, B
// or S, or whose category is Zs.
func isSpace(r rune) bool {
	for _, span := range pythonSpaceRanges {
		if r < span[0] {
			return false
		}
		if r <= span[1] {
			return true
		}
	}
	return false
}

// pythonSpaceRanges lists, in order, the code points str.isspace accepts
// (Unicode 15.0) as inclusive ranges; isSpace and the regexp classes use it.
var pythonSpaceRanges = [][2]rune{
	{'\t', '\r'}, {0x1C, ' '}, {0x85, 0x85}, {0xA0, 0xA0}, {0x1680, 0x1680},
	{0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F},
	{0x3000, 0x3000},
}

// isPrintable is Python's str.isprintable for one code point: everything but
// the categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs, except that the ASCII
// space is printable. Go's unicode.IsPrint draws exactly that line, and Go
// 1.26 and Python 3.12 share the Unicode 15.0 tables.
func isPrintable(r rune) bool {
	return unicode.IsPrint(r)
}
