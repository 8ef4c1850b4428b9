package py

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// MaxNesting is how deeply arrays and objects may nest before [Decode]
// returns [ErrNesting]. CPython's JSON scanner counts each level against the
// interpreter's C recursion limit (8000 in release builds of CPython 3.12) and
// raises RecursionError when it runs out; the exact depth also depends on how
// deep Quay's call stack already is, so this bound is approximate.
const MaxNesting = 8000

// maxIntDigits is CPython's default limit on the digits int() converts
// (sys.int_info.default_max_str_digits); json.loads raises ValueError past it.
const maxIntDigits = 4300

// ErrNesting reports a body nested deeper than MaxNesting. Python raises
// RecursionError there, which is not a ValueError: Flask does not turn it into
// a 400, so Quay answers 500 (reference §1.3, family G).
var ErrNesting = errors.New("py: JSON nested too deeply (Python raises RecursionError)")

// SyntaxError is a body Python's json.loads rejects with a ValueError
// (JSONDecodeError, or UnicodeDecodeError while decoding the bytes); Flask
// answers those with 400 (reference §1.6). Msg is the Python message where
// there is one.
type SyntaxError struct {
	Msg    string
	Offset int // byte offset in the (UTF-8) text where the problem was found
}

// Error describes the problem and where it was found.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("py: %s (byte %d)", e.Msg, e.Offset)
}

// Decode parses a request body exactly as Flask's request.get_json does, which
// is Python's json.loads on the raw bytes:
//
//   - the encoding is detected as json.detect_encoding does (a UTF-8 BOM is
//     skipped; UTF-16 and UTF-32 bodies, with or without BOM, are accepted) and
//     surrogate code points are let through ("surrogatepass");
//   - NaN, Infinity and -Infinity are accepted as floats, and exponents too
//     large for a float give ±Inf;
//   - a number with a fraction or exponent is a float64 (5.0), any other is an
//     [Int] (5), of any size up to Python's 4300-digit conversion limit;
//   - objects become *[Object]: keys in first-occurrence order, a repeated key
//     keeping its first position and its last value;
//   - leading and trailing JSON whitespace is allowed; anything else after the
//     value, control characters inside strings, and invalid escapes or UTF-8
//     are errors.
//
// Lone surrogates from \uD800-style escapes or raw bytes are stored as
// described in the package documentation. Errors are *[SyntaxError] or
// [ErrNesting]. Decode never panics.
func Decode(data []byte) (any, error) {
	text, err := transcode(data)
	if err != nil {
		return nil, err
	}
	d := decoder{s: text}
	d.skipSpace()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos != len(d.s) {
		return nil, d.fail("Extra data", d.pos)
	}
	return v, nil
}

// decoder walks UTF-8 text (surrogates in their three-byte form); its grammar
// and error positions follow CPython's C scanner (Modules/_json.c).
type decoder struct {
	s   []byte
	pos int
}

func (d *decoder) fail(msg string, at int) error {
	return &SyntaxError{Msg: msg, Offset: at}
}

// skipSpace skips JSON whitespace, which is only space, tab, LF and CR.
func (d *decoder) skipSpace() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) hasLiteral(lit string) bool {
	return len(d.s)-d.pos >= len(lit) && string(d.s[d.pos:d.pos+len(lit)]) == lit
}

func (d *decoder) value(depth int) (any, error) {
	if d.pos >= len(d.s) {
		return nil, d.fail("Expecting value", d.pos)
	}
	switch c := d.s[d.pos]; {
	case c == '"':
		return d.str()
	case c == '{' || c == '[':
		if depth >= MaxNesting {
			return nil, ErrNesting
		}
		if c == '{' {
			return d.object(depth + 1)
		}
		return d.array(depth + 1)
	case c == '-' && d.hasLiteral("-Infinity"):
		d.pos += len("-Infinity")
		return math.Inf(-1), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	for _, lit := range literals {
		if d.hasLiteral(lit.text) {
			d.pos += len(lit.text)
			return lit.value, nil
		}
	}
	return nil, d.fail("Expecting value", d.pos)
}

var literals = []struct {
	text  string
	value any
}{
	{"null", nil}, {"true", true}, {"false", false},
	{"NaN", math.NaN()}, {"Infinity", math.Inf(1)},
}

func (d *decoder) object(depth int) (any, error) {
	d.pos++ // {
	o := &Object{}
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == '}' {
		d.pos++
		return o, nil
	}
	for {
		if d.pos >= len(d.s) || d.s[d.pos] != '"' {
			return nil, d.fail("Expecting property name enclosed in double quotes", d.pos)
		}
		key, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != ':' {
			return nil, d.fail("Expecting ':' delimiter", d.pos)
		}
		d.pos++
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		o.Set(key, v)
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == '}' {
			d.pos++
			return o, nil
		}
		if d.pos >= len(d.s) || d.s[d.pos] != ',' {
			return nil, d.fail("Expecting ',' delimiter", d.pos)
		}
		d.pos++
		d.skipSpace()
	}
}

func (d *decoder) array(depth int) (any, error) {
	d.pos++ // [
	list := []any{}
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == ']' {
		d.pos++
		return list, nil
	}
	for {
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == ']' {
			d.pos++
			return list, nil
		}
		if d.pos >= len(d.s) || d.s[d.pos] != ',' {
			return nil, d.fail("Expecting ',' delimiter", d.pos)
		}
		d.pos++
		d.skipSpace()
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number matches -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? with ASCII
// digits. A "." or exponent that is not followed by a digit is left
// unconsumed, so it then fails as extra data, as in CPython.
func (d *decoder) number() (any, error) {
	s, start := d.s, d.pos
	i := start
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	case i < len(s) && s[i] == '0':
		i++
	default:
		return nil, d.fail("Expecting value", start)
	}
	isFloat := false
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		isFloat = true
		for i += 2; i < len(s) && isDigit(s[i]); i++ {
		}
	}
	if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if s[j] == '-' || s[j] == '+' {
			j++
		}
		digitsFrom := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j > digitsFrom {
			isFloat = true
			i = j
		}
	}
	d.pos = i
	text := s[start:i]
	if isFloat {
		f, err := strconv.ParseFloat(string(text), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, d.fail("invalid float literal", start)
		}
		return f, nil // out of range gives ±Inf or 0, like Python's float()
	}
	digits := text
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) <= 18 {
		var n int64
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		if text[0] == '-' {
			n = -n
		}
		return NewInt(n), nil
	}
	if len(digits) > maxIntDigits {
		return nil, d.fail(fmt.Sprintf("Exceeds the limit (%d digits) for integer string conversion: value has %d digits", maxIntDigits, len(digits)), start)
	}
	n, ok := new(big.Int).SetString(string(text), 10)
	if !ok {
		return nil, d.fail("invalid integer literal", start)
	}
	return NewBigInt(n), nil
}

// str reads a string starting at the opening quote. The common case, no
// escapes, is one scan and one copy.
func (d *decoder) str() (string, error) {
	s, start := d.s, d.pos
	i := start + 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return string(s[start+1 : i]), nil
		case c == '\\':
			return d.escapedStr(start, i)
		case c < 0x20:
			return "", d.fail("Invalid control character at", i)
		case c >= utf8.RuneSelf:
			n, err := d.codePointLen(i)
			if err != nil {
				return "", err
			}
			i += n
		default:
			i++
		}
	}
	return "", d.fail("Unterminated string starting at", start)
}

// escapedStr continues str from the first backslash at i.
func (d *decoder) escapedStr(start, i int) (string, error) {
	s := d.s
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, s[start+1:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return string(buf), nil
		case c == '\\':
			if i+1 >= len(s) {
				return "", d.fail("Unterminated string starting at", start)
			}
			esc := s[i+1]
			if esc == 'u' {
				var r rune
				var err error
				r, i, err = d.unicodeEscape(i)
				if err != nil {
					return "", err
				}
				buf = appendCodePoint(buf, r)
				continue
			}
			b, ok := simpleEscapes[esc]
			if !ok {
				return "", d.fail("Invalid \\escape", i)
			}
			buf = append(buf, b)
			i += 2
		case c < 0x20:
			return "", d.fail("Invalid control character at", i)
		case c >= utf8.RuneSelf:
			n, err := d.codePointLen(i)
			if err != nil {
				return "", err
			}
			buf = append(buf, s[i:i+n]...)
			i += n
		default:
			buf = append(buf, c)
			i++
		}
	}
	return "", d.fail("Unterminated string starting at", start)
}

var simpleEscapes = map[byte]byte{
	'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
}

// unicodeEscape decodes the \uXXXX escape whose backslash is at i, joining it
// with an immediately following \uXXXX low surrogate when it is a high one,
// and returns the code point and the index after what it consumed. Like
// CPython it needs at least one more character after the escape, and it
// leaves a second escape that is not a low surrogate for the next round.
func (d *decoder) unicodeEscape(i int) (rune, int, error) {
	s := d.s
	if i+6 >= len(s) {
		return 0, 0, d.fail("Invalid \\uXXXX escape", i)
	}
	r, ok := hex4(s[i+2 : i+6])
	if !ok {
		return 0, 0, d.fail("Invalid \\uXXXX escape", i)
	}
	i += 6
	if r >= 0xD800 && r <= 0xDBFF && i+6 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
		low, ok := hex4(s[i+2 : i+6])
		if !ok {
			return 0, 0, d.fail("Invalid \\uXXXX escape", i)
		}
		if low >= 0xDC00 && low <= 0xDFFF {
			return 0x10000 + (r-0xD800)<<10 + (low - 0xDC00), i + 6, nil
		}
	}
	return r, i, nil
}

func hex4(h []byte) (rune, bool) {
	var r rune
	for _, c := range h {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// codePointLen validates the multi-byte code point at i: UTF-8, or a surrogate
// in its three-byte form, which Python's "surrogatepass" decoding accepts.
func (d *decoder) codePointLen(i int) (int, error) {
	if isSurrogateForm(d.s[i:]) {
		return 3, nil
	}
	r, n := utf8.DecodeRune(d.s[i:])
	if r == utf8.RuneError && n <= 1 {
		return 0, d.fail("'utf-8' codec can't decode the bytes", i)
	}
	return n, nil
}
