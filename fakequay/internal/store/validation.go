package store

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/quaykit/go-quay/fakequay/internal/pystr"
)

// Quay's util/validation.py rules, in Python's semantics.

// usernamePattern is Quay's VALID_USERNAME_REGEX as Quay writes it in messages.
const usernamePattern = `^([a-z0-9]+(?:[._-][a-z0-9]+)*)$`

// validUsername reports whether name matches usernamePattern under
// Python's re.match, where "$" also matches just before a final newline
// ("alice\n" is a valid Quay username): runs of [a-z0-9] joined by single
// '.', '_' or '-'. It is written out rather than a regular expression,
// which took a tenth of loading a 100,000-user seed;
// TestValidUsernameIsTheRegexp holds it to the expression.
func validUsername(name string) bool {
	s := strings.TrimSuffix(name, "\n")
	if s == "" {
		return false
	}
	prevSep := true // a separator may not come first
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			prevSep = false
		case c == '.' || c == '_' || c == '-':
			if prevSep {
				return false
			}
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep // nor last
}

const (
	minUsernameLength = 2
	maxUsernameLength = 255
)

// usernameIssue returns why name is not a valid namespace name, or "" if it
// is: the regular expression is checked first, then the length in code points.
func usernameIssue(name string) string {
	if !validUsername(name) {
		return "Namespace must match expression " + usernamePattern
	}
	if n := utf8.RuneCountInString(name); n < minUsernameLength || n > maxUsernameLength {
		return fmt.Sprintf("Namespace must be between %d and %d characters in length", minUsernameLength, maxUsernameLength)
	}
	return ""
}

// ValidEmail is Quay's validate_email: no character checks, only
// structure.
func ValidEmail(email string) bool { return validEmail(email) }

func validEmail(email string) bool {
	if email == "" || utf8.RuneCountInString(email) > 254 {
		return false
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || strings.Contains(domain, "@") || local == "" || domain == "" {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return true
}

// invalidPasswordMessage is Quay's INVALID_PASSWORD_MESSAGE.
const invalidPasswordMessage = "Invalid password, password must be at least 8 characters and contain no whitespace."

// validPassword is Quay's validate_password: no whitespace (Python's \s on
// str patterns, i.e. str.isspace) and more than 7 code points.
func validPassword(pw string) bool {
	for _, r := range pw {
		if pystr.IsSpace(r) {
			return false
		}
	}
	return utf8.RuneCountInString(pw) > 7
}

// nulLiteralMessage is the ValueError psycopg2 raises, before the query is
// sent, for a str parameter holding a NUL: Postgres text cannot store one.
// Quay binds most strings it stores or looks up this way; JSON columns are
// safe, since json.dumps escapes the NUL.
const nulLiteralMessage = "A string literal cannot contain NUL (0x00) characters."

// nulLiteral is the unhandled ValueError of binding a string with a NUL.
func nulLiteral() error { return crash("ValueError: " + nulLiteralMessage) }

// hasNUL reports whether s would make psycopg2 (or bcrypt 3.1.7's hashpw)
// raise ValueError.
func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }
