package bitmath

import (
	"errors"
	"math"
	"strconv"
)

// ErrTooLarge is returned by BestPrefix where bitmath raises and Quay
// answers 500: for ±Inf and NaN (int(math.log(...)) fails), and for sizes
// whose number of bits, bytes*8, overflows to ±Inf (format() computes
// bin(int(bits)) for every format string).
var ErrTooLarge = errors.New("bitmath: size has no best prefix")

// nistUnits are bitmath 1.3.3.1's NIST_PREFIXES as Byte units; it stops at
// exbibytes, so anything larger is shown in EiB.
var nistUnits = [...]string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// prefixThresholds[k-1] is the smallest float64 x for which bitmath's
// int(math.log(x, 1024)) is at least k. math.log(x, 1024) is
// log(x)/log(1024) in floating point, so it reaches k a few ulps below
// 1024**k: 1125899906842621 (2**50 - 3) bytes already shows as "1.0 PiB".
// The values were found by bisection over CPython 3.11's math.log (glibc's
// correctly rounded log, as in Quay's images) and are checked against
// Python-computed answers in the tests.
var prefixThresholds = [len(nistUnits)]float64{
	0x1.ffffffffffffcp+9,  // 1024 - 4 ulps
	0x1.ffffffffffff8p+19, // 1024**2 - 8 ulps
	0x1.fffffffffffe8p+29, // 1024**3 - 24 ulps
	0x1.ffffffffffff0p+39, // 1024**4 - 16 ulps
	0x1.fffffffffffe8p+49, // 1024**5 - 24 ulps
	0x1.fffffffffffd0p+59, // 1024**6 - 48 ulps
}

// BestPrefix returns bitmath.Byte(bytes).best_prefix() formatted with
// "{value:.1f} {unit}", the "limit" text of Quay's quota view (§1.9): for
// example "10.0 GiB" for 10737418240, "4.9 KiB" for 5000, "4.7 GiB" for 5e9
// and "500.0 Byte" for 500. Units are always singular.
//
// Following bitmath: a size below one byte in absolute value is shown in
// bits ("0.0 Bit" for 0, "4.0 Bit" for 0.5); negative sizes keep their sign
// ("-1.0 KiB"); sizes of 1024 EiB and more stay in EiB ("1024.0 EiB"); and
// the value is rounded half-to-even on its exact binary value, like Python's
// format, which strconv matches. Sizes bitmath cannot format give
// ErrTooLarge.
func BestPrefix(bytes float64) (string, error) {
	bits := bytes * 8
	if math.IsNaN(bits) || math.IsInf(bits, 0) {
		return "", ErrTooLarge
	}
	size := math.Abs(bytes)
	if size < 1 {
		// Bit.from_other(self): the value in bits; a zero (even -0.0) is
		// falsy there and becomes a plain 0.
		if bits == 0 {
			bits = 0
		}
		return formatValue(bits, "Bit"), nil
	}
	index := 0
	for index < len(prefixThresholds) && size >= prefixThresholds[index] {
		index++
	}
	if index == 0 {
		return formatValue(bytes, "Byte"), nil
	}
	// to_KiB() and friends convert through bits: (bytes*8)/8/unit.
	value := bits / 8 / math.Ldexp(1, 10*index)
	return formatValue(value, nistUnits[index-1]), nil
}

// formatValue is Python's "{:.1f} {}".format(value, unit) for finite values.
func formatValue(value float64, unit string) string {
	return strconv.FormatFloat(value, 'f', 1, 64) + " " + unit
}
