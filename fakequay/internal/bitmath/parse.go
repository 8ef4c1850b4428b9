// Package bitmath reproduces the two pieces of the Python bitmath library
// (version 1.3.3.1, the one Quay pins) that show in Quay's quota API
// (reference §1.10 and §2.14):
//
//   - ParseLimit: bitmath.parse_string_unsafe(limit).to_Byte().value, which
//     turns a quota "limit" string such as "5 GiB" into a number of bytes;
//   - BestPrefix: bitmath.Byte(n).best_prefix() formatted as
//     "{value:.1f} {unit}", the "limit" string of a quota view.
//
// Both follow the library's arithmetic step by step in float64, as Python
// does, so results and rounding are identical.
package bitmath

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quaykit/go-quay/fakequay/internal/pystr"
)

// LimitPattern is the JSON-schema pattern Quay's quota endpoints apply to
// "limit" before calling bitmath (NewNamespaceQuota, UpdateNamespaceQuota),
// exactly as written in Quay's source, for schema error messages.
const LimitPattern = `^(\d+\s?(B|KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB|Ki|Mi|Gi|Ti|Pi|Ei|Zi|Yi|KB|MB|GB|TB|PB|EB|ZB|YB|K|M|G|T|P|E|Z|Y)?)$`

var (
	// ErrPattern means the string does not match LimitPattern; Quay rejects
	// it in schema validation, before bitmath sees it.
	ErrPattern = errors.New("bitmath: limit does not match the schema pattern")
	// ErrInvalidFormat means the string matches LimitPattern but bitmath
	// raises ValueError; Quay answers 400 "Invalid limit format".
	ErrInvalidFormat = errors.New("bitmath: invalid limit format")
)

// limitUnits are the unit alternatives of LimitPattern.
var limitUnits = map[string]bool{
	"B": true, "KiB": true, "MiB": true, "GiB": true, "TiB": true, "PiB": true, "EiB": true, "ZiB": true, "YiB": true,
	"Ki": true, "Mi": true, "Gi": true, "Ti": true, "Pi": true, "Ei": true, "Zi": true, "Yi": true,
	"KB": true, "MB": true, "GB": true, "TB": true, "PB": true, "EB": true, "ZB": true, "YB": true,
	"K": true, "M": true, "G": true, "T": true, "P": true, "E": true, "Z": true, "Y": true,
}

// limitParts is a string that matches LimitPattern, taken apart.
type limitParts struct {
	digits  string // one or more Unicode decimal digits (Python's \d)
	space   string // "" or one Python whitespace character (\s)
	unit    string // "" or one of limitUnits
	newline bool   // a final "\n", which Python's $ allows
}

// splitLimit matches s against LimitPattern with Python's re semantics:
// \d and \s are Unicode-aware, and $ also matches before a final newline.
func splitLimit(s string) (limitParts, bool) {
	if p, ok := splitLimitBody(s); ok {
		return p, true
	}
	if body, ok := strings.CutSuffix(s, "\n"); ok {
		if p, ok := splitLimitBody(body); ok {
			p.newline = true
			return p, true
		}
	}
	return limitParts{}, false
}

// splitLimitBody matches s against `\d+\s?(unit)?` as a whole.
func splitLimitBody(s string) (limitParts, bool) {
	var p limitParts
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := pystr.Decimal(r); !ok {
			break
		}
		i += size
	}
	if i == 0 {
		return p, false
	}
	p.digits, s = s[:i], s[i:]
	if r, size := utf8.DecodeRuneInString(s); size > 0 && pystr.IsSpace(r) {
		p.space, s = s[:size], s[size:]
	}
	if s != "" && !limitUnits[s] {
		return p, false
	}
	p.unit = s
	return p, true
}

// MatchLimitPattern reports whether s matches LimitPattern the way Python's
// re.search does, i.e. whether Quay's schema validation accepts it.
func MatchLimitPattern(s string) bool {
	_, ok := splitLimit(s)
	return ok
}

// unitFactor is the number of bytes in one unit, in the spelling bitmath
// normalises to: single letters and "xB" become SI ("kB", "MB", ...), "xi"
// and "xiB" become NIST ("KiB", ...). bitmath 1.3.3.1 has no "ZiB" or "YiB"
// classes, so those units fail, as does a bare "B" (normalised to "B", which
// is neither two nor three characters long).
var unitFactor = map[string]float64{
	"kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15, "EB": 1e18, "ZB": 1e21, "YB": 1e24,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40, "PiB": 1 << 50, "EiB": 1 << 60,
}

// ParseLimit returns the number of bytes Quay computes for a quota "limit"
// string, bitmath.parse_string_unsafe(s).to_Byte().value: "5G" and "5 GB" are
// 5e9 (SI), "200 Mi" is 209715200 (binary), "100" is 100, and digit strings
// too long for a float64 give +Inf, as Python's float() does.
//
// A string that fails LimitPattern gives ErrPattern. A string that passes it
// but that bitmath rejects gives ErrInvalidFormat: a "B" unit ("512B",
// "1 B"), "Zi"/"ZiB"/"Yi"/"YiB", a unit followed by the final newline the
// pattern allows ("5G\n"), and the whitespace characters U+001C..U+001F,
// which the pattern's \s accepts but float() does not strip.
func ParseLimit(s string) (float64, error) {
	p, ok := splitLimit(s)
	if !ok {
		return 0, ErrPattern
	}
	// The number is float() of the digits and the optional space after
	// them, which float() strips unless it is one of U+001C..U+001F.
	if p.space != "" && !pystr.IsFloatSpace(firstRune(p.space)) {
		return 0, ErrInvalidFormat
	}
	value := parseDigits(p.digits)
	// Without a unit bitmath's first attempt, float(s), succeeds.
	if p.unit == "" {
		return value, nil
	}
	// Otherwise bitmath splits at the first letter and the unit runs to the
	// end of the string, so a trailing newline makes it unknown.
	if p.newline {
		return 0, ErrInvalidFormat
	}
	factor, ok := unitFactor[normalizeUnit(p.unit)]
	if !ok {
		return 0, ErrInvalidFormat
	}
	return value * factor, nil
}

// normalizeUnit is bitmath's unit clean-up: drop trailing 'B'/'b', append
// 'B', and spell the SI kilo as 'k'.
func normalizeUnit(unit string) string {
	u := strings.TrimRight(unit, "Bb") + "B"
	if len(u) == 2 && u[0] == 'K' {
		u = "kB"
	}
	return u
}

// parseDigits is Python's float() of a string of Unicode decimal digits.
func parseDigits(digits string) float64 {
	ascii, _ := pystr.AppendASCIIDigits(make([]byte, 0, len(digits)), digits)
	// Only the range error is possible, and its ±Inf is Python's answer.
	f, err := strconv.ParseFloat(string(ascii), 64)
	if err != nil && !math.IsInf(f, 0) {
		panic("bitmath: digits did not parse: " + err.Error())
	}
	return f
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
