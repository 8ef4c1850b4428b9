package pystr

import (
	"math"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormatFloat(t *testing.T) {
	t.Parallel()
	// Expected values are CPython 3.11's repr() of the same float64.
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{5e9, "5000000000.0"}, // §2.14 PUT with "limit": "5G"
		{1e15, "1000000000000000.0"},
		{1e16, "1e+16"},
		{0x1.1c37937e07fffp+53, "9999999999999998.0"},
		{1.5e16, "1.5e+16"},
		{0x1.b69b4ba630f35p+56, "1.2345678901234568e+17"},
		{0.0001, "0.0001"},
		{0.00001, "1e-05"},
		{1.5e-05, "1.5e-05"},
		{0.1, "0.1"},
		{1.0 / 3, "0.3333333333333333"},
		{1 << 53, "9007199254740992.0"},
		{1e22, "1e+22"},
		{1e23, "1e+23"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{5e-324, "5e-324"},
		{1e-07, "1e-07"},
		{0x1.858f9996fadf3p+106, "1.2345678901234569e+32"},
		{3072, "3072.0"},
		{209715200, "209715200.0"},
		{1e24, "1e+24"},
		{-5, "-5.0"},
		{1e100, "1e+100"},
		{123.456, "123.456"},
		{0x1.a36e2eb1c432cp-14, "9.999999999999999e-05"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, FormatFloat(tt.in)); diff != "" {
			t.Errorf("FormatFloat(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func FuzzFormatFloat(f *testing.F) {
	f.Add(5e9)
	f.Add(1e-5)
	f.Add(-0.5)
	f.Fuzz(func(t *testing.T, x float64) {
		s := FormatFloat(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		// Python's repr round-trips, and so must ours.
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(back) != math.Float64bits(x) {
			t.Fatalf("FormatFloat(%v) = %q, which parses back as %v, %v", x, s, back, err)
		}
	})
}
