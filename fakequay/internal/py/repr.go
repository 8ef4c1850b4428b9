package py

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Repr returns Python's repr(v) for a decoded value (see the package
// documentation for the value model): 'abc', True, None, 5, 5.0, 1e+16, inf,
// nan, [1, 2], {'a': 1}. An *Object prints in insertion order; a Go map, which
// has no order, prints with its keys sorted.
func Repr(v any) string {
	return string(appendRepr(nil, v, false, noLimit))
}

// noLimit lets appendRepr write the whole repr.
const noLimit = -1

// appendRepr appends repr(v). With sortDicts every dict prints with sorted keys,
// which is what pprint's one-line form (_safe_repr) does. With a limit other
// than noLimit it may stop early once b is longer than limit bytes, which is
// all PFormat needs to know about a repr that does not fit.
func appendRepr(b []byte, v any, sortDicts bool, limit int) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "None"...)
	case bool:
		if v {
			return append(b, "True"...)
		}
		return append(b, "False"...)
	case string:
		return appendStrRepr(b, v)
	case Int:
		return v.appendDecimal(b)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		return appendFloatRepr(b, v)
	case Float:
		return appendFloatRepr(b, float64(v))
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if limit != noLimit && len(b) > limit {
				return b
			}
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendRepr(b, e, sortDicts, limit)
		}
		return append(b, ']')
	case opaqueRepr:
		return append(b, v...)
	case *Object:
		if v == nil {
			return append(b, "None"...)
		}
		b = append(b, '{')
		for n, i := range v.order(sortDicts) {
			if limit != noLimit && len(b) > limit {
				return b
			}
			if n > 0 {
				b = append(b, ", "...)
			}
			b = appendStrRepr(b, v.keys[i])
			b = append(b, ": "...)
			b = appendRepr(b, v.values[i], sortDicts, limit)
		}
		return append(b, '}')
	}
	return appendRepr(b, canonical(v), sortDicts, limit)
}

// order returns the positions of the keys in insertion order, or in sorted
// key order. Go compares strings bytewise, which for UTF-8 (and the surrogate
// form) is code point order, the order Python sorts str in.
func (o *Object) order(sorted bool) []int {
	idx := make([]int, len(o.keys))
	for i := range idx {
		idx[i] = i
	}
	if sorted {
		slices.SortFunc(idx, func(a, b int) int { return strings.Compare(o.keys[a], o.keys[b]) })
	}
	return idx
}

// appendStrRepr appends Python's repr of a str: single quotes unless the text
// holds a ' and no "; backslash escapes for the quote, the backslash, \t, \n
// and \r; \xNN, \uNNNN or \UNNNNNNNN for every other code point that is not
// printable; printable non-ASCII text stays literal.
func appendStrRepr(b []byte, s string) []byte {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b = append(b, quote)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == quote || c == '\\':
				b = append(b, '\\', c)
			case c == '\t':
				b = append(b, `\t`...)
			case c == '\n':
				b = append(b, `\n`...)
			case c == '\r':
				b = append(b, `\r`...)
			case c < ' ' || c == 0x7F:
				b = appendHexEscape(b, 'x', rune(c), 2)
			default:
				b = append(b, c)
			}
			continue
		}
		r, size := decodeRune(s[i:])
		i += size
		switch {
		case isPrintable(r):
			b = utf8.AppendRune(b, r)
		case r <= 0xFF:
			b = appendHexEscape(b, 'x', r, 2)
		case r <= 0xFFFF:
			b = appendHexEscape(b, 'u', r, 4)
		default:
			b = appendHexEscape(b, 'U', r, 8)
		}
	}
	return append(b, quote)
}

const lowerHex = "0123456789abcdef"

// appendHexEscape appends a backslash, the letter and r in lower-case hex,
// zero-padded to digits places, as Python's repr and json.dumps write them.
func appendHexEscape(b []byte, letter byte, r rune, digits int) []byte {
	b = append(b, '\\', letter)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b = append(b, lowerHex[(r>>shift)&0xF])
	}
	return b
}

// appendFloatRepr appends Python's repr of a float: the shortest digits that
// round-trip, in positional notation while the decimal exponent is between -4
// and 16 (with ".0" when the value is integral), otherwise as d.ddde+XX.
// Non-finite values print as inf, -inf and nan.
func appendFloatRepr(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	var tmp [32]byte
	sci := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64) // [-]d[.ddd]e±XX
	if sci[0] == '-' {
		b = append(b, '-')
		sci = sci[1:]
	}
	e := slices.Index(sci, 'e')
	exp, _ := strconv.Atoi(string(sci[e+1:]))
	var digitBuf [24]byte
	digits := append(digitBuf[:0], sci[0])
	if e > 1 {
		digits = append(digits, sci[2:e]...)
	}
	point := exp + 1 // digits are 0.d1d2... × 10^point
	switch {
	case point <= -4 || point > 16:
		b = append(b, digits[0])
		if len(digits) > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if exp < 0 {
			b = append(b, '-')
			exp = -exp
		} else {
			b = append(b, '+')
		}
		if exp < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(exp), 10)
	case point <= 0:
		b = append(b, "0."...)
		for range -point {
			b = append(b, '0')
		}
		return append(b, digits...)
	case point >= len(digits):
		b = append(b, digits...)
		for range point - len(digits) {
			b = append(b, '0')
		}
		return append(b, ".0"...)
	default:
		b = append(b, digits[:point]...)
		b = append(b, '.')
		return append(b, digits[point:]...)
	}
}
