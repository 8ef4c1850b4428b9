// Package quaytime reproduces how Quay writes, reads and converts times
// (reference §1.4, §1.11, §2.4, §2.9):
//
//   - FormatRFC2822 and FormatHTTPDate (with Append variants for hot paths)
//     are the two date spellings in Quay's JSON: format_date's
//     "Tue, 04 Feb 2025 13:45:10 -0000" on the Flask-RESTful path, and
//     jsonify's "Tue, 04 Feb 2025 13:45:10 GMT" for service keys;
//   - ParseLogsDate is listAllLogs' strptime(value + " UTC", "%m/%d/%Y %Z");
//   - UnixSeconds is how datetimes are stored in audit-log metadata, and
//     UTCFromTimestamp is Python's datetime.utcfromtimestamp, which turns a
//     service key's "expiration" into a date (with Python's errors).
//
// Quay's datetimes are naive UTC with no fractional seconds in any of these
// spellings, so every function here works on the UTC instant and truncates
// to the second.
package quaytime

import "time"

var (
	weekdayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	monthNames   = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// rfc2822Len is the length of "Tue, 04 Feb 2025 13:45:10 -0000"; the
// HTTP-date is two bytes shorter.
const rfc2822Len = 31

// AppendRFC2822 appends t in Quay's format_date form,
// email.utils.formatdate(calendar.timegm(dt.utctimetuple())), e.g.
// "Tue, 04 Feb 2025 13:45:10 -0000": the UTC time, fractional seconds
// dropped, and the "-0000" zone RFC 2822 uses for "UTC, origin unknown".
// It allocates only when dst lacks room.
func AppendRFC2822(dst []byte, t time.Time) []byte {
	return append(appendDateTime(dst, t), " -0000"...)
}

// FormatRFC2822 returns t in Quay's format_date form; see AppendRFC2822.
func FormatRFC2822(t time.Time) string {
	var buf [rfc2822Len + 8]byte
	return string(AppendRFC2822(buf[:0], t))
}

// AppendHTTPDate appends t the way Flask's jsonify writes a datetime
// (werkzeug.http.http_date), e.g. "Tue, 04 Feb 2025 13:45:10 GMT": the UTC
// time with fractional seconds dropped. It allocates only when dst lacks
// room.
func AppendHTTPDate(dst []byte, t time.Time) []byte {
	return append(appendDateTime(dst, t), " GMT"...)
}

// FormatHTTPDate returns t as Flask's jsonify writes it; see AppendHTTPDate.
func FormatHTTPDate(t time.Time) string {
	var buf [rfc2822Len + 8]byte
	return string(AppendHTTPDate(buf[:0], t))
}

// appendDateTime appends "Tue, 04 Feb 2025 13:45:10", the part both forms
// share, for the UTC time of t.
//
// The year is written like Python's "%04d": at least four digits, so year
// 1 is "0001". (Python datetimes cannot hold other years; Go times can, and
// get the same rule. glibc's strftime, which http_date uses, may leave
// years below 1000 unpadded on some Python versions; no Quay date is that
// old.)
func appendDateTime(dst []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	dst = append(dst, weekdayNames[t.Weekday()]...)
	dst = append(dst, ", "...)
	dst = appendTwoDigits(dst, day)
	dst = append(dst, ' ')
	dst = append(dst, monthNames[month-1]...)
	dst = append(dst, ' ')
	dst = appendYear(dst, year)
	dst = append(dst, ' ')
	dst = appendTwoDigits(dst, hour)
	dst = append(dst, ':')
	dst = appendTwoDigits(dst, minute)
	dst = append(dst, ':')
	return appendTwoDigits(dst, second)
}

func appendTwoDigits(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// appendYear writes year as Python's "%04d" does: zero-padded to a width of
// four including any minus sign.
func appendYear(dst []byte, year int) []byte {
	var digits [20]byte
	i := len(digits)
	negative := year < 0
	v := uint64(year)
	if negative {
		v = -v
	}
	for v >= 10 {
		i--
		digits[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	digits[i] = byte('0' + v)
	width := len(digits) - i
	if negative {
		dst = append(dst, '-')
		width++
	}
	for ; width < 4; width++ {
		dst = append(dst, '0')
	}
	return append(dst, digits[i:]...)
}
