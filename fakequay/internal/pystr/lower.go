package pystr

import (
	"unicode"
	"unicode/utf8"
)

const (
	capitalSigma    = 'Σ' // U+03A3
	smallSigma      = 'σ' // U+03C3
	finalSmallSigma = 'ς' // U+03C2
	capitalIWithDot = 'İ' // U+0130
)

// AppendLower appends Python's s.lower() to dst as UTF-8 and returns the
// extended slice; it allocates only if dst lacks room.
//
// Python lowercases with Unicode's full case mapping, which differs from
// [strings.ToLower] in two places that matter for real input, and both are
// reproduced here:
//   - 'İ' (U+0130) becomes two code points, "i̇" (U+0069 U+0307), not 'i';
//   - 'Σ' (U+03A3) becomes the final form 'ς' when it ends a word (the
//     Final_Sigma condition: preceded by a cased letter and not followed by
//     one, ignoring case-ignorable characters in between), and 'σ' otherwise.
//
// Invalid UTF-8 bytes are copied through unchanged, which keeps the result
// byte-identical for strings that never were valid Python text.
func AppendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, c)
		case r == capitalIWithDot:
			dst = append(dst, 'i', 0xCC, 0x87) // U+0069 U+0307
		case r == capitalSigma:
			dst = utf8.AppendRune(dst, lowerSigma(s, i, i+size))
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += size
	}
	return dst
}

// lowerSigma chooses the lowercase form of the capital sigma at s[start:end]
// the way CPython's handle_capital_sigma does: final when a cased character
// comes before it and none comes after it, skipping case-ignorable ones.
func lowerSigma(s string, start, end int) rune {
	casedBefore := false
	for i := start; i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		if !isCaseIgnorable(r) {
			casedBefore = isCased(r)
			break
		}
	}
	if !casedBefore {
		return smallSigma
	}
	for i := end; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !isCaseIgnorable(r) {
			if isCased(r) {
				return smallSigma
			}
			break
		}
	}
	return finalSmallSigma
}

// isCased reports Unicode's Cased property: Lowercase, Uppercase or
// Titlecase letters.
func isCased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// isCaseIgnorable reports Unicode's Case_Ignorable property: marks, format
// characters, modifier letters and symbols, and the Word_Break MidLetter,
// MidNumLet and Single_Quote characters (apostrophes, periods, colons).
func isCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
