// Package pystr reproduces the few pieces of Python's str semantics that Quay's
// behaviour depends on, so that the fake treats non-ASCII input exactly as
// CPython would: what `\s` and str.strip() call whitespace, what `\d`, int()
// and float() call a digit, and what str.lower() produces.
//
// The character data comes from Go's [unicode] tables (Unicode 15.0 in
// Go 1.26). CPython 3.11 ships Unicode 14.0 and 3.12 ships 15.0, so the only
// possible differences are for characters assigned in Unicode 15.0.
package pystr

import "strings"

// IsSpace reports whether Python considers r whitespace: str.isspace(), the
// `\s` class of a str regular expression, and the characters str.strip() and
// str.split() remove.
//
// The set is Unicode's White_Space property plus the four ASCII information
// separators U+001C..U+001F, which CPython also counts as whitespace.
func IsSpace(r rune) bool {
	switch {
	case r <= 0x20:
		return r == ' ' || (r >= '\t' && r <= '\r') || (r >= 0x1C && r <= 0x1F)
	case r < 0x85:
		return false
	}
	switch r {
	case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// IsFloatSpace reports whether float() and int() ignore r around a number.
// They strip every Python whitespace character except the four ASCII
// information separators U+001C..U+001F: CPython maps non-ASCII whitespace to
// a space but strips only ASCII " \t\n\v\f\r".
func IsFloatSpace(r rune) bool {
	return IsSpace(r) && (r < 0x1C || r > 0x1F)
}

// TrimSpace returns s without the leading and trailing characters that
// Python's str.strip() (called without arguments) removes.
func TrimSpace(s string) string {
	return strings.TrimFunc(s, IsSpace)
}
