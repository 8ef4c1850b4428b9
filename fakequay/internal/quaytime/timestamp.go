package quaytime

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// UnixSeconds is calendar.timegm(dt.utctimetuple()): whole seconds since
// the epoch, fractions dropped (rounded down). Quay stores datetimes in
// audit-log metadata this way (§1.11), e.g. a service key's
// "expiration_date".
func UnixSeconds(t time.Time) int64 {
	return t.Unix()
}

// OptionalUnixSeconds is UnixSeconds for an optional datetime: nil (JSON
// null, Python None) stays nil.
func OptionalUnixSeconds(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	s := UnixSeconds(*t)
	return &s
}

// ErrTimestampOverflow is returned by UTCFromTimestamp where Python raises
// OverflowError ("timestamp out of range for platform time_t") or OSError
// (gmtime's EOVERFLOW). Quay does not catch those: the request fails with a
// bare 500 (§2.9, values around 1e18 and beyond).
var ErrTimestampOverflow = errors.New("quaytime: timestamp out of range for platform time_t")

// TimestampValueError is returned by UTCFromTimestamp where Python raises
// ValueError. Quay catches it and answers 400 "Invalid expiration date: "
// followed by Message.
type TimestampValueError struct {
	// Message is Python's exception text, e.g. "year 33658 is out of range".
	Message string
}

func (e *TimestampValueError) Error() string { return e.Message }

// Bounds of glibc's gmtime_r: the year minus 1900 must fit a C int.
const (
	maxTMYear = math.MaxInt32
	minTMYear = math.MinInt32
)

// UTCFromTimestamp is Python's datetime.utcfromtimestamp(seconds), which
// Quay applies to a service key's "expiration" (§2.9, §2.11). Like CPython
// it rounds the fraction to microseconds half-to-even and then:
//   - NaN gives TimestampValueError "Invalid value NaN (not a number)";
//   - ±Inf or a value outside the 64-bit time_t range gives
//     ErrTimestampOverflow, as does a year gmtime cannot represent;
//   - a year outside 1..9999 gives TimestampValueError "year N is out of
//     range", where N is CPython's int arithmetic tm_year + 1900 (it wraps
//     negative for years past 2147483647, as Python reports them).
func UTCFromTimestamp(seconds float64) (time.Time, error) {
	if math.IsNaN(seconds) {
		return time.Time{}, &TimestampValueError{Message: "Invalid value NaN (not a number)"}
	}
	whole, frac := math.Modf(seconds)
	micros := math.RoundToEven(frac * 1e6)
	switch {
	case micros >= 1e6:
		micros -= 1e6
		whole++
	case micros < 0:
		micros += 1e6
		whole--
	}
	// float64(MinInt64) is exactly -2**63; 2**63 itself is out of range.
	if !(whole >= math.MinInt64 && whole < -math.MinInt64) {
		return time.Time{}, ErrTimestampOverflow
	}
	sec := int64(whole)
	year := civilYear(floorDiv(sec, 86400))
	if year-1900 > maxTMYear || year-1900 < minTMYear {
		return time.Time{}, ErrTimestampOverflow
	}
	if year < 1 || year > 9999 {
		reported := int32(year-1900) + 1900 // C int addition, which wraps
		return time.Time{}, &TimestampValueError{Message: fmt.Sprintf("year %d is out of range", reported)}
	}
	return time.Unix(sec, int64(micros)*1000).UTC(), nil
}

// floorDiv is a/b rounded toward negative infinity, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// civilYear returns the proleptic Gregorian year of the day that is days
// after 1970-01-01, without time.Time's range limits (Howard Hinnant's
// civil_from_days).
func civilYear(days int64) int64 {
	z := days + 719468 // days since 0000-03-01
	era := floorDiv(z, 146097)
	dayOfEra := z - era*146097
	yearOfEra := (dayOfEra - dayOfEra/1460 + dayOfEra/36524 - dayOfEra/146096) / 365
	year := yearOfEra + era*400
	dayOfYear := dayOfEra - (365*yearOfEra + yearOfEra/4 - yearOfEra/100)
	monthIndex := (5*dayOfYear + 2) / 153 // 0 = March
	if monthIndex >= 10 {                 // January or February of the next year
		year++
	}
	return year
}
