package py

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// CompileRegexp compiles a Python re pattern (a str pattern, so Unicode
// semantics) into a Go regexp that accepts the same strings under [Search]
// and [Match]:
//
//   - \d is any Unicode decimal digit (\p{Nd}), \w any letter, number or "_",
//     \s any code point str.isspace accepts (Go's RE2 classes are ASCII);
//   - $ matches at the end or before a final "\n", \Z only at the end;
//   - {,n} is {0,n}, and a brace that is not a repeat is a literal;
//   - \xhh, \uhhhh, \Uhhhhhhhh and three-digit octal escapes denote code
//     points; escaping an ASCII letter Python does not know is an error, as
//     in Python;
//   - global flags (?aimsu) at the start and scoped flags (?ims-ims:...)
//     work, including ASCII mode for the classes and \b.
//
// Constructs RE2 cannot express return an error: backreferences,
// lookarounds, atomic groups, possessive repeats, conditionals, verbose mode,
// \N{...}, and \b/\B outside ASCII mode (Python's word boundary is Unicode).
// Because $ is translated into a consuming "\n?", the regexp answers
// match/no-match faithfully but the matched text may include that newline.
func CompileRegexp(pattern string) (*regexp.Regexp, error) {
	t := reTranslator{pattern: pattern}
	translated, err := t.translate()
	if err != nil {
		return nil, fmt.Errorf("py: translating regexp %q: %w", pattern, err)
	}
	re, err := regexp.Compile(translated)
	if err != nil {
		return nil, fmt.Errorf("py: regexp %q (as RE2 %q): %w", pattern, translated, err)
	}
	return re, nil
}

// MustCompileRegexp is CompileRegexp for patterns known to be valid; it
// panics otherwise.
func MustCompileRegexp(pattern string) *regexp.Regexp {
	re, err := CompileRegexp(pattern)
	if err != nil {
		panic(err)
	}
	return re
}

// Search is bool(re.search(pattern, s)): a match anywhere in s. jsonschema's
// "pattern" keyword and Quay's password check use it.
func Search(re *regexp.Regexp, s string) bool { return re.MatchString(s) }

// Match is bool(re.match(pattern, s)): a match that starts at the beginning
// of s (but need not reach its end). Quay's username and service-key name
// checks use it (reference §1.10). RE2 reports the leftmost match, so a match
// at 0 exists exactly when the leftmost one starts there.
func Match(re *regexp.Regexp, s string) bool {
	loc := re.FindStringIndex(s)
	return loc != nil && loc[0] == 0
}

// reFlags are the Python flags whose effect the translation implements itself
// rather than leaving to RE2.
type reFlags struct {
	multiline bool // $ and ^ at every line
	ascii     bool // \d \s \w \b are ASCII-only
}

type reTranslator struct {
	pattern string
	src     []rune
	pos     int
	out     strings.Builder
	flags   reFlags
	groups  []reFlags // flags to restore at each open group's ")"
}

func (t *reTranslator) translate() (string, error) {
	for i := 0; i < len(t.pattern); {
		r, size := decodeRune(t.pattern[i:])
		if r >= surrogateMin && r <= surrogateMax {
			return "", fmt.Errorf("surrogate code points cannot be matched by RE2")
		}
		t.src = append(t.src, r)
		i += size
	}
	if err := t.globalFlags(); err != nil {
		return "", err
	}
	for t.pos < len(t.src) {
		r := t.src[t.pos]
		t.pos++
		var err error
		switch r {
		case '\\':
			err = t.escape()
		case '[':
			err = t.class()
		case '(':
			err = t.group()
		case ')':
			if len(t.groups) == 0 {
				return "", fmt.Errorf("unbalanced parenthesis")
			}
			t.flags = t.groups[len(t.groups)-1]
			t.groups = t.groups[:len(t.groups)-1]
			t.out.WriteByte(')')
		case '{':
			t.brace()
		case '}', ']':
			t.out.WriteString(`\` + string(r))
		case '$':
			if t.flags.multiline {
				t.out.WriteString(`(?m:$)`)
			} else {
				t.out.WriteString(`(?:\n?\z)`)
			}
		case '^':
			if t.flags.multiline {
				t.out.WriteString(`(?m:^)`)
			} else {
				t.out.WriteString(`\A`)
			}
		default:
			t.out.WriteRune(r)
		}
		if err != nil {
			return "", err
		}
	}
	return t.out.String(), nil
}

func (t *reTranslator) peek(offset int) (rune, bool) {
	if t.pos+offset < len(t.src) {
		return t.src[t.pos+offset], true
	}
	return 0, false
}

// globalFlags consumes (?flags) groups at the start of the pattern; Python
// 3.11+ rejects them anywhere else.
func (t *reTranslator) globalFlags() error {
	var goFlags string
	for t.pos+2 < len(t.src) && t.src[t.pos] == '(' && t.src[t.pos+1] == '?' {
		end := t.pos + 2
		for end < len(t.src) && strings.ContainsRune("aiLmsux", t.src[end]) {
			end++
		}
		if end == t.pos+2 || end >= len(t.src) || t.src[end] != ')' {
			break
		}
		for _, f := range t.src[t.pos+2 : end] {
			switch f {
			case 'i', 's':
				goFlags += string(f)
			case 'm':
				t.flags.multiline = true
			case 'a':
				t.flags.ascii = true
			case 'u':
			default:
				return fmt.Errorf("flag %q is not supported", f)
			}
		}
		t.pos = end + 1
	}
	if goFlags != "" {
		t.out.WriteString("(?" + goFlags + ")")
	}
	return nil
}

// group translates what follows an opening parenthesis.
func (t *reTranslator) group() error {
	t.groups = append(t.groups, t.flags)
	if next, _ := t.peek(0); next != '?' {
		t.out.WriteByte('(')
		return nil
	}
	kind, _ := t.peek(1)
	switch kind {
	case ':':
		t.pos += 2
		t.out.WriteString("(?:")
		return nil
	case '#':
		for t.pos < len(t.src) && t.src[t.pos] != ')' {
			t.pos++
		}
		if t.pos == len(t.src) {
			return fmt.Errorf("missing ), unterminated comment")
		}
		t.pos++
		t.groups = t.groups[:len(t.groups)-1]
		return nil
	case 'P':
		if name, ok := t.peek(2); ok && name == '<' {
			t.pos += 3
			t.out.WriteString("(?P<")
			return nil
		}
		return fmt.Errorf("named backreferences are not supported by RE2")
	case '=', '!', '<':
		return fmt.Errorf("lookaround assertions are not supported by RE2")
	case '>':
		return fmt.Errorf("atomic groups are not supported by RE2")
	case '(':
		return fmt.Errorf("conditional groups are not supported by RE2")
	}
	return t.scopedFlags()
}

// scopedFlags translates (?flags-flags:...): i and s pass to RE2, m and a
// change this translation until the group closes.
func (t *reTranslator) scopedFlags() error {
	t.pos++ // ?
	var on, off string
	turnOff := false
	for t.pos < len(t.src) {
		f := t.src[t.pos]
		t.pos++
		switch {
		case f == ':':
			if on != "" || off != "" {
				t.out.WriteString("(?" + on)
				if off != "" {
					t.out.WriteString("-" + off)
				}
				t.out.WriteString(":")
			} else {
				t.out.WriteString("(?:")
			}
			return nil
		case f == '-' && !turnOff:
			turnOff = true
		case f == 'i' || f == 's':
			if turnOff {
				off += string(f)
			} else {
				on += string(f)
			}
		case f == 'm':
			t.flags.multiline = !turnOff
		case f == 'a' && !turnOff:
			t.flags.ascii = true
		case f == 'u' && !turnOff:
			t.flags.ascii = false
		case f == ')':
			return fmt.Errorf("global flags not at the start of the expression")
		default:
			return fmt.Errorf("unknown or unsupported flag %q", f)
		}
	}
	return fmt.Errorf("missing -, : or )")
}

// brace translates a "{": a repeat {m}, {m,}, {,n} or {m,n}, or else a
// literal brace.
func (t *reTranslator) brace() {
	end := t.pos
	digits := func() string {
		start := end
		for end < len(t.src) && t.src[end] >= '0' && t.src[end] <= '9' {
			end++
		}
		return string(t.src[start:end])
	}
	lo := digits()
	hi, comma := lo, false
	if end < len(t.src) && t.src[end] == ',' {
		end++
		comma = true
		hi = digits()
	}
	if end >= len(t.src) || t.src[end] != '}' || (!comma && lo == "") {
		t.out.WriteString(`\{`)
		return
	}
	t.pos = end + 1
	if lo == "" {
		lo = "0"
	}
	if comma {
		t.out.WriteString("{" + lo + "," + hi + "}")
	} else {
		t.out.WriteString("{" + lo + "}")
	}
}

// escape translates a backslash sequence outside a class.
func (t *reTranslator) escape() error {
	if t.pos >= len(t.src) {
		return fmt.Errorf("bad escape (end of pattern)")
	}
	c := t.src[t.pos]
	t.pos++
	if cat, ok := t.category(c); ok {
		t.out.WriteString(cat.outside())
		return nil
	}
	switch c {
	case 'A':
		t.out.WriteString(`\A`)
		return nil
	case 'Z':
		t.out.WriteString(`\z`)
		return nil
	case 'b', 'B':
		if !t.flags.ascii {
			return fmt.Errorf(`\%c is a Unicode word boundary, which RE2 cannot express`, c)
		}
		t.out.WriteString(`\` + string(c))
		return nil
	}
	if c >= '1' && c <= '9' {
		r, ok := t.octalOrBackref(c)
		if !ok {
			return fmt.Errorf("backreferences are not supported by RE2")
		}
		t.out.WriteString(literalText(r))
		return nil
	}
	r, err := t.codeEscape(c)
	if err != nil {
		return err
	}
	t.out.WriteString(literalText(r))
	return nil
}

// octalOrBackref reads \NNN (three octal digits) after the first digit c;
// Python reads anything else starting with 1-9 as a group reference.
func (t *reTranslator) octalOrBackref(c rune) (rune, bool) {
	d1, ok1 := t.peek(0)
	d2, ok2 := t.peek(1)
	isOct := func(r rune) bool { return r >= '0' && r <= '7' }
	if !ok1 || !ok2 || !isOct(c) || !isOct(d1) || !isOct(d2) {
		return 0, false
	}
	v := (c-'0')*64 + (d1-'0')*8 + (d2 - '0')
	if v > 0o377 {
		return 0, false
	}
	t.pos += 2
	return v, true
}

// codeEscape decodes the escapes that stand for one code point, alike inside
// and outside classes: \a \f \n \r \t \v \\, \0 octal, \x \u \U, and an
// escaped non-letter standing for itself.
func (t *reTranslator) codeEscape(c rune) (rune, error) {
	switch c {
	case 'a':
		return '\a', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'v':
		return '\v', nil
	case '0':
		v := rune(0)
		for range 2 {
			if d, ok := t.peek(0); ok && d >= '0' && d <= '7' {
				v = v*8 + d - '0'
				t.pos++
			}
		}
		return v, nil
	case 'x':
		return t.hexEscape(2)
	case 'u':
		return t.hexEscape(4)
	case 'U':
		return t.hexEscape(8)
	case 'N':
		return 0, fmt.Errorf(`\N{...} escapes are not supported`)
	}
	if c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
		return 0, fmt.Errorf(`bad escape \%c`, c)
	}
	return c, nil
}

func (t *reTranslator) hexEscape(digits int) (rune, error) {
	if t.pos+digits > len(t.src) {
		return 0, fmt.Errorf("incomplete hex escape")
	}
	v, err := strconv.ParseUint(string(t.src[t.pos:t.pos+digits]), 16, 32)
	if err != nil || v > unicode.MaxRune {
		return 0, fmt.Errorf("bad hex escape %q", string(t.src[t.pos:t.pos+digits]))
	}
	t.pos += digits
	return rune(v), nil
}

// literalText writes one code point so RE2 reads it literally, in or out of
// a class.
func literalText(r rune) string {
	if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
		return string(r)
	}
	return fmt.Sprintf(`\x{%x}`, r)
}

// class translates a character set; t.pos is just past the "[".
func (t *reTranslator) class() error {
	t.out.WriteByte('[')
	if next, _ := t.peek(0); next == '^' {
		t.pos++
		t.out.WriteByte('^')
	}
	empty := true
	for {
		if t.pos >= len(t.src) {
			return fmt.Errorf("unterminated character set")
		}
		r := t.src[t.pos]
		t.pos++
		if r == ']' && !empty {
			t.out.WriteByte(']')
			return nil
		}
		empty = false
		lo, text, isChar, err := t.classItem(r)
		if err != nil {
			return err
		}
		if next, _ := t.peek(0); next != '-' {
			t.out.WriteString(text)
			continue
		}
		t.pos++ // -
		if t.pos >= len(t.src) {
			return fmt.Errorf("unterminated character set")
		}
		if t.src[t.pos] == ']' { // a trailing - is a literal
			t.out.WriteString(text + literalText('-'))
			continue
		}
		r2 := t.src[t.pos]
		t.pos++
		hi, _, isChar2, err := t.classItem(r2)
		if err != nil {
			return err
		}
		if !isChar || !isChar2 || hi < lo {
			return fmt.Errorf("bad character range")
		}
		t.out.WriteString(literalText(lo) + "-" + literalText(hi))
	}
}

// classItem reads one member of a set: a code point (isChar, with its
// value) or a category escape such as \d.
func (t *reTranslator) classItem(r rune) (value rune, text string, isChar bool, err error) {
	if r != '\\' {
		return r, literalText(r), true, nil
	}
	if t.pos >= len(t.src) {
		return 0, "", false, fmt.Errorf("unterminated character set")
	}
	c := t.src[t.pos]
	t.pos++
	if cat, ok := t.category(c); ok {
		return 0, cat.inside(), false, nil
	}
	switch {
	case c == 'b':
		return '\b', literalText('\b'), true, nil
	case c >= '1' && c <= '7':
		v := c - '0'
		for range 2 {
			if d, ok := t.peek(0); ok && d >= '0' && d <= '7' {
				v = v*8 + d - '0'
				t.pos++
			}
		}
		if v > 0o377 {
			return 0, "", false, fmt.Errorf("octal escape value outside of range 0-0o377")
		}
		return v, literalText(v), true, nil
	}
	v, err := t.codeEscape(c)
	if err != nil {
		return 0, "", false, err
	}
	return v, literalText(v), true, nil
}

// reCategory is one of \d \s \w or their negations, as text RE2 reads
// inside a class.
type reCategory struct {
	positive string        // the members, for use inside [...]
	negated  bool          // \D \S \W
	inverse  func() string // the complement, for \D \S \W inside [...]
}

func (c reCategory) outside() string {
	if c.negated {
		return "[^" + c.positive + "]"
	}
	return "[" + c.positive + "]"
}

func (c reCategory) inside() string {
	if c.negated {
		return c.inverse()
	}
	return c.positive
}

func (t *reTranslator) category(c rune) (reCategory, bool) {
	var cat reCategory
	switch c {
	case 'd', 'D':
		if t.flags.ascii {
			cat = reCategory{positive: "0-9", inverse: complementOf([][2]rune{{'0', '9'}})}
		} else {
			cat = reCategory{positive: `\p{Nd}`, inverse: func() string { return `\P{Nd}` }}
		}
	case 's', 'S':
		if t.flags.ascii {
			cat = reCategory{positive: rangesText(asciiSpaceRanges), inverse: complementOf(asciiSpaceRanges)}
		} else {
			cat = reCategory{positive: rangesText(pythonSpaceRanges), inverse: complementOf(pythonSpaceRanges)}
		}
	case 'w', 'W':
		if t.flags.ascii {
			cat = reCategory{positive: rangesText(asciiWordRanges), inverse: complementOf(asciiWordRanges)}
		} else {
			cat = reCategory{positive: `\p{L}\p{N}_`, inverse: unicodeNonWordText}
		}
	default:
		return reCategory{}, false
	}
	cat.negated = unicode.IsUpper(c)
	return cat, true
}

var (
	asciiSpaceRanges = [][2]rune{{'\t', '\r'}, {' ', ' '}}
	asciiWordRanges  = [][2]rune{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
)

func rangesText(ranges [][2]rune) string {
	var b strings.Builder
	for _, r := range ranges {
		b.WriteString(literalText(r[0]))
		if r[1] != r[0] {
			b.WriteString("-" + literalText(r[1]))
		}
	}
	return b.String()
}

// complementOf returns the class text for every code point outside ranges,
// which must be sorted and disjoint.
func complementOf(ranges [][2]rune) func() string {
	return func() string {
		var out [][2]rune
		next := rune(0)
		for _, r := range ranges {
			if r[0] > next {
				out = append(out, [2]rune{next, r[0] - 1})
			}
			next = r[1] + 1
		}
		if next <= unicode.MaxRune {
			out = append(out, [2]rune{next, unicode.MaxRune})
		}
		return rangesText(out)
	}
}

// unicodeNonWordText is the class text for \W inside a set: everything that
// is not a letter, a number or "_". It is computed once, when first needed.
var unicodeNonWordText = sync.OnceValue(func() string {
	var word [][2]rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r == '_' || unicode.In(r, unicode.L, unicode.N) {
			if n := len(word); n > 0 && word[n-1][1] == r-1 {
				word[n-1][1] = r
			} else {
				word = append(word, [2]rune{r, r})
			}
		}
	}
	return complementOf(word)()
})
