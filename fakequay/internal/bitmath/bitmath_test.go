package bitmath

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestParseLimit checks every unit of LimitPattern, with and without the
// optional space, and the edges of Python's \d, \s, $ and float(). Expected
// values were printed by CPython 3.11 running bitmath 1.3.3.1's
// parse_string_unsafe(s).to_Byte().value, and re.search(LimitPattern, s) for
// ErrPattern (§1.10, §2.14).
func TestParseLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    float64
		wantErr error
	}{
		{"3B", 0, ErrInvalidFormat},
		{"3 B", 0, ErrInvalidFormat},
		{"3KiB", 3072.0, nil},
		{"3 KiB", 3072.0, nil},
		{"3MiB", 3145728.0, nil},
		{"3 MiB", 3145728.0, nil},
		{"3GiB", 3221225472.0, nil},
		{"3 GiB", 3221225472.0, nil},
		{"3TiB", 3298534883328.0, nil},
		{"3 TiB", 3298534883328.0, nil},
		{"3PiB", 3377699720527872.0, nil},
		{"3 PiB", 3377699720527872.0, nil},
		{"3EiB", 0x1.8000000000000p+61, nil},
		{"3 EiB", 0x1.8000000000000p+61, nil},
		{"3ZiB", 0, ErrInvalidFormat},
		{"3 ZiB", 0, ErrInvalidFormat},
		{"3YiB", 0, ErrInvalidFormat},
		{"3 YiB", 0, ErrInvalidFormat},
		{"3Ki", 3072.0, nil},
		{"3 Ki", 3072.0, nil},
		{"3Mi", 3145728.0, nil},
		{"3 Mi", 3145728.0, nil},
		{"3Gi", 3221225472.0, nil},
		{"3 Gi", 3221225472.0, nil},
		{"3Ti", 3298534883328.0, nil},
		{"3 Ti", 3298534883328.0, nil},
		{"3Pi", 3377699720527872.0, nil},
		{"3 Pi", 3377699720527872.0, nil},
		{"3Ei", 0x1.8000000000000p+61, nil},
		{"3 Ei", 0x1.8000000000000p+61, nil},
		{"3Zi", 0, ErrInvalidFormat},
		{"3 Zi", 0, ErrInvalidFormat},
		{"3Yi", 0, ErrInvalidFormat},
		{"3 Yi", 0, ErrInvalidFormat},
		{"3KB", 3000.0, nil},
		{"3 KB", 3000.0, nil},
		{"3MB", 3000000.0, nil},
		{"3 MB", 3000000.0, nil},
		{"3GB", 3000000000.0, nil},
		{"3 GB", 3000000000.0, nil},
		{"3TB", 3000000000000.0, nil},
		{"3 TB", 3000000000000.0, nil},
		{"3PB", 3000000000000000.0, nil},
		{"3 PB", 3000000000000000.0, nil},
		{"3EB", 0x1.4d1120d7b1600p+61, nil},
		{"3 EB", 0x1.4d1120d7b1600p+61, nil},
		{"3ZB", 0x1.4542ba12a337cp+71, nil},
		{"3 ZB", 0x1.4542ba12a337cp+71, nil},
		{"3YB", 0x1.3da329b633647p+81, nil},
		{"3 YB", 0x1.3da329b633647p+81, nil},
		{"3K", 3000.0, nil},
		{"3 K", 3000.0, nil},
		{"3M", 3000000.0, nil},
		{"3 M", 3000000.0, nil},
		{"3G", 3000000000.0, nil},
		{"3 G", 3000000000.0, nil},
		{"3T", 3000000000000.0, nil},
		{"3 T", 3000000000000.0, nil},
		{"3P", 3000000000000000.0, nil},
		{"3 P", 3000000000000000.0, nil},
		{"3E", 0x1.4d1120d7b1600p+61, nil},
		{"3 E", 0x1.4d1120d7b1600p+61, nil},
		{"3Z", 0x1.4542ba12a337cp+71, nil},
		{"3 Z", 0x1.4542ba12a337cp+71, nil},
		{"3Y", 0x1.3da329b633647p+81, nil},
		{"3 Y", 0x1.3da329b633647p+81, nil},
		{"100", 100.0, nil},
		{"0", 0.0, nil},
		{"0G", 0.0, nil},
		{"007G", 7000000000.0, nil},
		{"5\n", 5.0, nil},
		{"5G\n", 0, ErrInvalidFormat},
		{"5 \n", 5.0, nil},
		{"5\nG", 5000000000.0, nil},
		{"5\n\n", 5.0, nil},
		{"5\u00a0G", 5000000000.0, nil},
		{"٥G", 5000000000.0, nil},
		{"٥", 5.0, nil},
		{"5\u3000", 5.0, nil},
		{strings.Repeat("1", 400), math.Inf(1), nil},
		{strings.Repeat("1", 400) + "Y", math.Inf(1), nil},
		{"5\u001cG", 0, ErrInvalidFormat},
		{"5\u001c", 0, ErrInvalidFormat},
		{"5\u2028", 5.0, nil},
		{"9007199254740993", 0x1.0000000000000p+53, nil},
		{"123456789012345678901234567890K", 0x1.858f9996fadf3p+106, nil},
		{"5b", 0, ErrPattern},
		{"5 KiB\n", 0, ErrInvalidFormat},
		{"5KiB\n", 0, ErrInvalidFormat},
		{"1.5G", 0, ErrPattern},
		{"", 0, ErrPattern},
		{" 5G", 0, ErrPattern},
		{"5  G", 0, ErrPattern},
		{"5GiB ", 0, ErrPattern},
		{"G", 0, ErrPattern},
		{"-5", 0, ErrPattern},
		{"+5", 0, ErrPattern},
		{"5g", 0, ErrPattern},
		{"5kB", 0, ErrPattern},
		{"5 k", 0, ErrPattern},
		{"1e3", 0, ErrPattern},
		{"5\r", 5.0, nil},
		{"5\rG", 5000000000.0, nil},
		{"5\t", 5.0, nil},
		{"1٣Mi", 13631488.0, nil},
		{"5\u0085", 5.0, nil},
		{"5\u0085G", 5000000000.0, nil},
		{"5\n\nG", 0, ErrPattern},
		{"5G\n\n", 0, ErrPattern},
		{"1_000", 0, ErrPattern},
		{"５G", 5000000000.0, nil},
		{"5\u200bG", 0, ErrPattern},
		{"inf", 0, ErrPattern},
		{"18446744073709551616", 0x1.0000000000000p+64, nil},
		{"9223372036854775807", 0x1.0000000000000p+63, nil},
	}
	type result struct {
		Bytes float64
		Err   error
	}
	for _, tt := range tests {
		got, err := ParseLimit(tt.in)
		if diff := cmp.Diff(result{tt.want, tt.wantErr}, result{got, err}, cmpopts.EquateErrors()); diff != "" {
			t.Errorf("ParseLimit(%q) (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.wantErr != ErrPattern, MatchLimitPattern(tt.in)); diff != "" {
			t.Errorf("MatchLimitPattern(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// The reference's worked examples (§1.10).
func TestParseLimit_ReferenceExamples(t *testing.T) {
	t.Parallel()
	tests := map[string]float64{
		"5G": 5e9, "5GB": 5e9, "5 K": 5000, "200 Mi": 209715200, "1TiB": 1099511627776, "100": 100,
	}
	for in, want := range tests {
		got, err := ParseLimit(in)
		if err != nil {
			t.Errorf("ParseLimit(%q): %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseLimit(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func FuzzParseLimit(f *testing.F) {
	for _, s := range []string{"5G", "5 KiB", "1Yi", "5\n", "٥G", "5\x1cG", "1.5G", "", "5G\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseLimit(s)
		switch {
		case err == ErrPattern:
			if MatchLimitPattern(s) {
				t.Fatalf("ParseLimit(%q) = ErrPattern but MatchLimitPattern is true", s)
			}
		case err == ErrInvalidFormat:
			if !MatchLimitPattern(s) {
				t.Fatalf("ParseLimit(%q) = ErrInvalidFormat but the pattern fails", s)
			}
		case err != nil:
			t.Fatalf("ParseLimit(%q): unexpected error %v", s, err)
		default:
			if got < 0 || math.IsNaN(got) {
				t.Fatalf("ParseLimit(%q) = %v, want a non-negative size", s, got)
			}
			if _, err := BestPrefix(got); err != nil && !math.IsInf(got*8, 0) {
				t.Fatalf("BestPrefix(ParseLimit(%q) = %v): %v", s, got, err)
			}
		}
	})
}

func TestBestPrefix(t *testing.T) {
	t.Parallel()
	// Expected values were printed by CPython 3.11 running bitmath 1.3.3.1's
	// Byte(x).best_prefix().format("{value:.1f} {unit}") (§1.9 "limit").
	tests := []struct {
		in      float64
		want    string
		wantErr error
	}{
		{0.0, "0.0 Bit", nil},
		{math.Copysign(0, -1), "0.0 Bit", nil},
		{0x1.0000000000000p-1, "4.0 Bit", nil},
		{-0x1.0000000000000p-1, "-4.0 Bit", nil},
		{0x1.56e1fc2f8f359p-997, "0.0 Bit", nil},
		{-0x1.56e1fc2f8f359p-997, "-0.0 Bit", nil},
		{0x0.0000000000001p-1022, "0.0 Bit", nil},
		{0x1.fae147ae147aep-1, "7.9 Bit", nil},
		{1.0, "1.0 Byte", nil},
		{0x1.4000000000000p+0, "1.2 Byte", nil},
		{0x1.c000000000000p+0, "1.8 Byte", nil},
		{500.0, "500.0 Byte", nil},
		{1023.0, "1023.0 Byte", nil},
		{0x1.fff3333333333p+9, "1023.9 Byte", nil},
		{1024.0, "1.0 KiB", nil},
		{1025.0, "1.0 KiB", nil},
		{1280.0, "1.2 KiB", nil},
		{1792.0, "1.8 KiB", nil},
		{5000.0, "4.9 KiB", nil},
		{0x1.9999800000000p+16, "102.4 KiB", nil},
		{1048575.0, "1024.0 KiB", nil},
		{1048576.0, "1.0 MiB", nil},
		{5000000000.0, "4.7 GiB", nil},
		{10737418240.0, "10.0 GiB", nil},
		{5100273664.0, "4.8 GiB", nil},
		{1125899906842620.0, "1024.0 TiB", nil},
		{1125899906842621.0, "1.0 PiB", nil},
		{1125899906842623.0, "1.0 PiB", nil},
		{1125899906842624.0, "1.0 PiB", nil},
		{0x1.0000000000000p+60, "1.0 EiB", nil},
		{0x1.0000000000000p+70, "1024.0 EiB", nil},
		{0x1.a784379d99db4p+79, "867361.7 EiB", nil},
		{0x1.93e5939a08ceap+99, "867361737988.4 EiB", nil},
		{0x1.0000000000000p+63, "8.0 EiB", nil},
		{0x1.1ccf385ebc8a0p+1023, "", ErrTooLarge},
		{-0x1.1ccf385ebc8a0p+1023, "", ErrTooLarge},
		{0x1.fffffffffffffp+1023, "", ErrTooLarge},
		{0x1.fffffffffffffp+1020, "19490628022799995996812365244065527562568694697137994752537165470472142745405788031674925259418996111237529716618975719780596447349207119391060370869625346260854899615712439042989721651055282541581302784315734204560113203817762046501168840120541048943581780256427147393013629822848987037696.0 EiB", nil},
		{0x1.0000000000000p+1021, "", ErrTooLarge},
		{-5.0, "-5.0 Byte", nil},
		{-1024.0, "-1.0 KiB", nil},
		{-1000000000.0, "-953.7 MiB", nil},
		{-1125899906842621.0, "-1.0 PiB", nil},
		{0x1.ffffffffffffbp+9, "1024.0 Byte", nil},
		{0x1.ffffffffffffcp+9, "1.0 KiB", nil},
		{0x1.ffffffffffff7p+19, "1024.0 KiB", nil},
		{0x1.ffffffffffff8p+19, "1.0 MiB", nil},
		{0x1.fffffffffffe7p+29, "1024.0 MiB", nil},
		{0x1.fffffffffffe8p+29, "1.0 GiB", nil},
		{0x1.fffffffffffefp+39, "1024.0 GiB", nil},
		{0x1.ffffffffffff0p+39, "1.0 TiB", nil},
		{0x1.fffffffffffe7p+49, "1024.0 TiB", nil},
		{1125899906842621.0, "1.0 PiB", nil},
		{0x1.fffffffffffcfp+59, "1024.0 PiB", nil},
		{0x1.fffffffffffd0p+59, "1.0 EiB", nil},
		{math.Inf(1), "", ErrTooLarge},
		{math.Inf(-1), "", ErrTooLarge},
		{math.NaN(), "", ErrTooLarge},
	}
	type result struct {
		Text string
		Err  error
	}
	for _, tt := range tests {
		got, err := BestPrefix(tt.in)
		if diff := cmp.Diff(result{tt.want, tt.wantErr}, result{got, err}, cmpopts.EquateErrors()); diff != "" {
			t.Errorf("BestPrefix(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// The reference's worked examples (§1.9, §2.14).
func TestBestPrefix_ReferenceExamples(t *testing.T) {
	t.Parallel()
	tests := map[float64]string{10737418240: "10.0 GiB", 5000: "4.9 KiB", 5e9: "4.7 GiB", 500: "500.0 Byte"}
	for in, want := range tests {
		got, err := BestPrefix(in)
		if err != nil {
			t.Errorf("BestPrefix(%v): %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("BestPrefix(%v) (-want +got):\n%s", in, diff)
		}
	}
}

var sinkText string

func BenchmarkBestPrefix(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkText, _ = BestPrefix(10737418240)
	}
}

func BenchmarkParseLimit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseLimit("200 MiB")
	}
}
