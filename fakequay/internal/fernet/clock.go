package fernet

import (
	"math/bits"
	"time"
)

// The timestamp checks compare Python integers, which never overflow: a
// token's timestamp is any uint64, and adding a TTL or the clock skew to it
// (or to now) can exceed int64. int128 keeps the sums exact.
type int128 struct {
	hi int64
	lo uint64
}

func int128FromInt64(v int64) int128   { return int128{hi: v >> 63, lo: uint64(v)} }
func int128FromUint64(v uint64) int128 { return int128{lo: v} }

func (a int128) add(b int128) int128 {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	return int128{hi: a.hi + b.hi + int64(carry), lo: lo}
}

func (a int128) less(b int128) bool {
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo)
}

// unixSecondsTruncated is Python's int(time.time()): seconds since the epoch,
// truncated toward zero.
func unixSecondsTruncated(now time.Time) int64 {
	sec := now.Unix()
	if sec < 0 && now.Nanosecond() != 0 {
		sec++
	}
	return sec
}

// expired is cryptography's `timestamp + ttl < current_time`. Quay's ttl is
// a float number of seconds; since the other two are integers, comparing with
// the ttl rounded down to whole seconds gives the same answer.
func expired(stamp uint64, ttl time.Duration, current int64) bool {
	ttlSec := int64(ttl / time.Second)
	if ttl%time.Second < 0 {
		ttlSec--
	}
	sum := int128FromUint64(stamp).add(int128FromInt64(ttlSec))
	return sum.less(int128FromInt64(current))
}

// fromFuture is cryptography's `current_time + _MAX_CLOCK_SKEW < timestamp`.
func fromFuture(stamp uint64, current int64) bool {
	limit := int128FromInt64(current).add(int128FromInt64(int64(MaxClockSkew / time.Second)))
	return limit.less(int128FromUint64(stamp))
}
