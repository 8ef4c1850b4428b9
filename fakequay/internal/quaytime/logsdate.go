package quaytime

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/quaykit/go-quay/fakequay/internal/pystr"
)

// ParseLogsDate parses a listAllLogs starttime/endtime value the way Quay
// does, datetime.strptime(value + " UTC", "%m/%d/%Y %Z") (§2.4, endpoints/
// api/logs.py), and returns midnight UTC of that date. It returns false
// wherever Python raises ValueError; Quay then silently uses the default.
//
// CPython's _strptime turns the format into the regular expression
//
//	(1[0-2]|0[1-9]|[1-9])/(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])/(\d\d\d\d)\s+(utc|gmt)
//
// (case-insensitive, anchored at the start, the whole string required), so:
//   - the month is 1-12 with an optional leading zero, ASCII only;
//   - the day is 1-31 with an optional leading zero or space ("01/ 2/2025");
//     a two-digit day starting with 1 or 2 may end in any Unicode digit
//     ("1٣" is 13), because \d is Unicode-aware in Python 3;
//   - the year is exactly four Unicode digits ("٢٠٢٥" is 2025);
//   - only whitespace may follow (the appended " UTC" supplies the zone),
//     so "01/02/2025 UTC" and ISO dates fail;
//   - the date must exist ("02/30/2025" fails) and year 0 is rejected.
func ParseLogsDate(value string) (time.Time, bool) {
	monthText, rest, ok := strings.Cut(value, "/")
	if !ok {
		return time.Time{}, false
	}
	dayText, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return time.Time{}, false
	}
	month, ok := parseMonth(monthText)
	if !ok {
		return time.Time{}, false
	}
	day, ok := parseDay(dayText)
	if !ok {
		return time.Time{}, false
	}
	year, rest, ok := parseYear(rest)
	if !ok || strings.TrimLeftFunc(rest, pystr.IsSpace) != "" {
		return time.Time{}, false
	}
	// datetime(year, month, day) rejects year 0 and days past the month's end.
	if year < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC), true
}

// parseMonth matches %m: 1[0-2]|0[1-9]|[1-9], ASCII digits only.
func parseMonth(s string) (time.Month, bool) {
	switch {
	case len(s) == 1 && s[0] >= '1' && s[0] <= '9':
		return time.Month(s[0] - '0'), true
	case len(s) == 2 && s[0] == '0' && s[1] >= '1' && s[1] <= '9':
		return time.Month(s[1] - '0'), true
	case len(s) == 2 && s[0] == '1' && s[1] >= '0' && s[1] <= '2':
		return time.Month(10 + s[1] - '0'), true
	}
	return 0, false
}

// parseDay matches %d: 3[01]|[12]\d|0[1-9]|[1-9]| [1-9], where \d is any
// Unicode decimal digit and the others are ASCII.
func parseDay(s string) (int, bool) {
	switch {
	case len(s) == 1 && s[0] >= '1' && s[0] <= '9':
		return int(s[0] - '0'), true
	case len(s) == 2 && (s[0] == '0' || s[0] == ' ') && s[1] >= '1' && s[1] <= '9':
		return int(s[1] - '0'), true
	case len(s) == 2 && s[0] == '3' && (s[1] == '0' || s[1] == '1'):
		return 30 + int(s[1]-'0'), true
	case len(s) >= 2 && (s[0] == '1' || s[0] == '2'):
		r, size := utf8.DecodeRuneInString(s[1:])
		d, ok := pystr.Decimal(r)
		if !ok || 1+size != len(s) {
			return 0, false
		}
		return int(s[0]-'0')*10 + d, true
	}
	return 0, false
}

// parseYear matches %Y, exactly four Unicode decimal digits, at the start of
// s and returns the rest.
func parseYear(s string) (int, string, bool) {
	year := 0
	for range 4 {
		r, size := utf8.DecodeRuneInString(s)
		d, ok := pystr.Decimal(r)
		if !ok {
			return 0, "", false
		}
		year = year*10 + d
		s = s[size:]
	}
	return year, s, true
}

// daysIn returns the number of days in month of year (proleptic Gregorian,
// as Python's datetime uses).
func daysIn(month time.Month, year int) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
