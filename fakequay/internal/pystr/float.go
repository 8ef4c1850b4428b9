package pystr

import (
	"math"
	"strconv"
	"strings"
)

// FormatFloat returns Python's repr(f), which is also how json.dumps and
// str() write a float: the shortest digits that round-trip, in positional
// form with at least one decimal ("5000000000.0", "0.0001") while the
// decimal exponent is in [-4, 16), and otherwise in exponent form with at
// least two exponent digits ("1e+16", "1.5e-05"). Quay shows such floats
// where bitmath produced a size (§2.14: "limit_bytes": 5000000000.0).
//
// Non-finite values give "inf", "-inf" and "nan"; json.dumps writes those as
// Infinity, -Infinity and NaN instead.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	// 'e' with precision -1 gives the shortest round-trip digits, which is
	// what Python's repr uses too: "-d.ddde±XX".
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	sign := ""
	if sci[0] == '-' {
		sign, sci = "-", sci[1:]
	}
	mantissa, expText, _ := strings.Cut(sci, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.Replace(mantissa, ".", "", 1)
	point := exp + 1 // digits[:point] is the integer part

	var b strings.Builder
	b.WriteString(sign)
	switch {
	case point <= -4 || point > 16:
		b.WriteString(mantissa)
		b.WriteByte('e')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
	case point <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -point))
		b.WriteString(digits)
	case point < len(digits):
		b.WriteString(digits[:point])
		b.WriteByte('.')
		b.WriteString(digits[point:])
	default:
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", point-len(digits)))
		b.WriteString(".0")
	}
	return b.String()
}
