package quaytime

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var example = time.Date(2025, time.February, 4, 13, 45, 10, 987654321, time.UTC)

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       time.Time
		rfc2822  string
		httpDate string
	}{
		// §1.4 examples; the fraction is dropped, not rounded.
		{"reference example", example, "Tue, 04 Feb 2025 13:45:10 -0000", "Tue, 04 Feb 2025 13:45:10 GMT"},
		{"converted to UTC", example.In(time.FixedZone("X", -5*3600)), "Tue, 04 Feb 2025 13:45:10 -0000", "Tue, 04 Feb 2025 13:45:10 GMT"},
		{"epoch", time.Unix(0, 0), "Thu, 01 Jan 1970 00:00:00 -0000", "Thu, 01 Jan 1970 00:00:00 GMT"},
		{"before the epoch, fraction rounds down", time.Unix(-1, 500_000_000), "Wed, 31 Dec 1969 23:59:59 -0000", "Wed, 31 Dec 1969 23:59:59 GMT"},
		{"every field two digits", time.Date(2026, 11, 1, 2, 3, 4, 0, time.UTC), "Sun, 01 Nov 2026 02:03:04 -0000", "Sun, 01 Nov 2026 02:03:04 GMT"},
		{"year 1 as Python's %04d", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "Mon, 01 Jan 0001 00:00:00 -0000", "Mon, 01 Jan 0001 00:00:00 GMT"},
		{"last second of 9999", time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC), "Fri, 31 Dec 9999 23:59:59 -0000", "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"year 0 (Go only)", time.Date(0, 3, 1, 0, 0, 0, 0, time.UTC), "Wed, 01 Mar 0000 00:00:00 -0000", "Wed, 01 Mar 0000 00:00:00 GMT"},
		{"negative year as %04d", time.Date(-5, 3, 1, 0, 0, 0, 0, time.UTC), "Wed, 01 Mar -005 00:00:00 -0000", "Wed, 01 Mar -005 00:00:00 GMT"},
		{"five-digit year", time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC), "Mon, 01 Jan 12345 00:00:00 -0000", "Mon, 01 Jan 12345 00:00:00 GMT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.rfc2822, FormatRFC2822(tt.in)); diff != "" {
				t.Errorf("FormatRFC2822 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.httpDate, FormatHTTPDate(tt.in)); diff != "" {
				t.Errorf("FormatHTTPDate (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff("x"+tt.rfc2822, string(AppendRFC2822([]byte("x"), tt.in))); diff != "" {
				t.Errorf("AppendRFC2822 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff("x"+tt.httpDate, string(AppendHTTPDate([]byte("x"), tt.in))); diff != "" {
				t.Errorf("AppendHTTPDate (-want +got):\n%s", diff)
			}
		})
	}
}

// Both spellings must be readable by Go clients with the standard layouts
// the design names (time.RFC1123Z for -0000, http.ParseTime for GMT).
func TestFormat_ParsesWithStandardLayouts(t *testing.T) {
	t.Parallel()
	want := example.Truncate(time.Second)
	got, err := time.Parse(time.RFC1123Z, FormatRFC2822(example))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) {
		t.Errorf("RFC1123Z round trip = %v, want %v", got, want)
	}
	got, err = http.ParseTime(FormatHTTPDate(example))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) {
		t.Errorf("http.ParseTime round trip = %v, want %v", got, want)
	}
}

// Not parallel: AllocsPerRun counts every allocation in the process.
func TestAppend_NoAllocationWithRoom(t *testing.T) {
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendRFC2822(buf[:0], example)
		buf = AppendHTTPDate(buf[:0], example)
	})
	if diff := cmp.Diff(0.0, allocs); diff != "" {
		t.Errorf("allocations (-want +got):\n%s", diff)
	}
}

func TestParseLogsDate(t *testing.T) {
	t.Parallel()
	// Expected results are CPython 3.11's
	// datetime.strptime(value + " UTC", "%m/%d/%Y %Z") with TZ=UTC (§2.4).
	date := func(y int, m time.Month, d int) string {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	tests := []struct {
		in   string
		want string // "" when Python raises ValueError
	}{
		{"02/03/2025", date(2025, 2, 3)},
		{"2/3/2025", date(2025, 2, 3)},
		{"12/31/2025", date(2025, 12, 31)},
		{"1/2/2025", date(2025, 1, 2)},
		{"1/31/2025", date(2025, 1, 31)},
		{"10/10/2010", date(2010, 10, 10)},
		{"09/09/1999", date(1999, 9, 9)},
		{"2025-02-03", ""},
		{"01/02/2025 UTC", ""},
		{"01/02/2025 GMT", ""},
		{"01/02/2025 utc", ""},
		{"01/02/2025 ", date(2025, 1, 2)},
		{"01/02/2025\t\n", date(2025, 1, 2)},
		{"01/02/2025\u3000", date(2025, 1, 2)},
		{"01/02/2025\x1c", date(2025, 1, 2)}, // \s includes the information separators
		{"01/02/2025\u0085", date(2025, 1, 2)},
		{"01/02/2025\u200b", ""}, // ZERO WIDTH SPACE is not \s
		{"01/ 2/2025", date(2025, 1, 2)},
		{"01/2 /2025", ""},
		{" 1/02/2025", ""},
		{"1 /02/2025", ""},
		{"02/30/2025", ""},
		{"02/29/2024", date(2024, 2, 29)},
		{"02/29/2025", ""},
		{"4/31/2025", ""},
		{"13/01/2025", ""},
		{"00/01/2025", ""},
		{"01/00/2025", ""},
		{"01/32/2025", ""},
		{"010/02/2025", ""},
		{"01/002/2025", ""},
		{"01/02/ 2025", ""},
		{"01/1٣/2025", date(2025, 1, 13)}, // [12]\d: \d is Unicode
		{"01/2５/2025", date(2025, 1, 25)},
		{"01/١٣/2025", ""}, // the first day digit is ASCII-only
		{"01/3١/2025", ""}, // so is 3[01]
		{"١/02/2025", ""},  // and the month
		{"01/02/٢٠٢٥", date(2025, 1, 2)},
		{"01/02/２０２５", date(2025, 1, 2)},
		{"01/02/0000", ""}, // datetime has no year 0
		{"01/02/0001", date(1, 1, 2)},
		{"01/02/9999", date(9999, 1, 2)},
		{"01/02/20255", ""},
		{"01/02/202", ""},
		{"01/02/2025x", ""},
		{"01/02/2025\x00", ""},
		{"01-02-2025", ""},
		{"", ""},
		{"+1/02/2025", ""},
		{"01/02/2025\xff", ""},
	}
	for _, tt := range tests {
		got, ok := ParseLogsDate(tt.in)
		var gotText string
		if ok {
			gotText = got.Format(time.DateOnly)
			if got.Location() != time.UTC || !got.Equal(got.Truncate(24*time.Hour)) {
				t.Errorf("ParseLogsDate(%q) = %v, want midnight UTC", tt.in, got)
			}
		}
		if diff := cmp.Diff(tt.want, gotText); diff != "" {
			t.Errorf("ParseLogsDate(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func FuzzParseLogsDate(f *testing.F) {
	for _, s := range []string{"02/03/2025", "1/ 2/2025 ", "01/1٣/٢٠٢٥", "02/30/2025", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseLogsDate(s)
		if !ok {
			return
		}
		// Any accepted date is a real date whose canonical spelling parses
		// to the same day.
		canonical := fmt.Sprintf("%02d/%02d/%04d", got.Month(), got.Day(), got.Year())
		again, ok := ParseLogsDate(canonical)
		if !ok || !again.Equal(got) {
			t.Fatalf("ParseLogsDate(%q) = %v, but %q gives %v, %v", s, got, canonical, again, ok)
		}
	})
}

func TestUnixSeconds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want int64
	}{
		{example, 1738676710},
		{time.Unix(-1, 500_000_000), -1}, // utctimetuple drops the fraction of 23:59:59.5
		{time.Unix(0, 0).In(time.FixedZone("X", 3600)), 0},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, UnixSeconds(tt.in)); diff != "" {
			t.Errorf("UnixSeconds(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
	if got := OptionalUnixSeconds(nil); got != nil {
		t.Errorf("OptionalUnixSeconds(nil) = %v, want nil", *got)
	}
	if diff := cmp.Diff(int64(1738676710), *OptionalUnixSeconds(&example)); diff != "" {
		t.Errorf("OptionalUnixSeconds (-want +got):\n%s", diff)
	}
}

func TestUTCFromTimestamp(t *testing.T) {
	t.Parallel()
	// Expected results are CPython 3.11's datetime.utcfromtimestamp on
	// 64-bit Linux (§2.9).
	at := func(sec int64, micros int64) time.Time { return time.Unix(sec, micros*1000).UTC() }
	tests := []struct {
		in   float64
		want result
	}{
		{0, result{Time: at(0, 0)}},
		{1738676710, result{Time: at(1738676710, 0)}},
		{1738676710.5, result{Time: at(1738676710, 500000)}},
		{1e12, result{ValueError: "year 33658 is out of range"}},
		{253402300799, result{Time: at(253402300799, 0)}},
		{253402300799.9999995, result{ValueError: "year 10000 is out of range"}},
		{253402300800, result{ValueError: "year 10000 is out of range"}},
		{-62135596800, result{Time: at(-62135596800, 0)}},
		{-62135596801, result{ValueError: "year 0 is out of range"}},
		{1.5e-6, result{Time: at(0, 2)}}, // half to even
		{2.5e-6, result{Time: at(0, 2)}},
		{5e-7, result{Time: at(0, 0)}},
		{-5e-7, result{Time: at(0, 0)}},
		{-1.5, result{Time: at(-2, 500000)}},
		{1e-7, result{Time: at(0, 0)}},
		{1.0000005, result{Time: at(1, 1)}},
		{1.0000025, result{Time: at(1, 2)}},
		{1e16, result{ValueError: "year 316889355 is out of range"}},
		{1 << 53, result{ValueError: "year 285428751 is out of range"}},
		{67767976233316800, result{ValueError: "year 2147483647 is out of range"}},
		{67768036191676792, result{ValueError: "year -2147481749 is out of range"}}, // tm_year + 1900 wraps
		{67768036191676800, result{Overflow: true}},                                 // gmtime's EOVERFLOW
		{-67768040609740800, result{ValueError: "year -2147481748 is out of range"}},
		{-67768040609740808, result{Overflow: true}},
		{1e18, result{Overflow: true}},
		{9.3e18, result{Overflow: true}},
		{-9.3e18, result{Overflow: true}},
		{math.Exp2(63), result{Overflow: true}},
		{-math.Exp2(63), result{Overflow: true}},
		{math.Inf(1), result{Overflow: true}},
		{math.Inf(-1), result{Overflow: true}},
		{math.NaN(), result{ValueError: "Invalid value NaN (not a number)"}},
	}
	for _, tt := range tests {
		got, err := UTCFromTimestamp(tt.in)
		if diff := cmp.Diff(tt.want, describeTimestamp(got, err)); diff != "" {
			t.Errorf("UTCFromTimestamp(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// result is UTCFromTimestamp's outcome in comparable form.
type result struct {
	Time       time.Time
	ValueError string // TimestampValueError's message
	Overflow   bool   // ErrTimestampOverflow
}

func describeTimestamp(t time.Time, err error) result {
	var valueErr *TimestampValueError
	switch {
	case errors.As(err, &valueErr):
		return result{Time: t, ValueError: valueErr.Message}
	case errors.Is(err, ErrTimestampOverflow):
		return result{Time: t, Overflow: true}
	case err != nil:
		return result{Time: t, ValueError: "unexpected error: " + err.Error()}
	}
	return result{Time: t}
}

func FuzzUTCFromTimestamp(f *testing.F) {
	for _, v := range []float64{0, 1738676710.25, -1.5, 1e12, 6.7768036191676799e16, 1e300} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, seconds float64) {
		got, err := UTCFromTimestamp(seconds)
		if err != nil {
			return
		}
		if got.Year() < 1 || got.Year() > 9999 || got.Nanosecond()%1000 != 0 {
			t.Fatalf("UTCFromTimestamp(%v) = %v", seconds, got)
		}
		// Within a microsecond of the input (rounding to microseconds).
		delta := float64(got.Unix()) - seconds + float64(got.Nanosecond())/1e9
		if math.Abs(delta) > 1e-6+math.Abs(seconds)*1e-15 {
			t.Fatalf("UTCFromTimestamp(%v) = %v, off by %v s", seconds, got, delta)
		}
	})
}

var sinkBytes []byte

func BenchmarkAppendRFC2822(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		sinkBytes = AppendRFC2822(buf[:0], example)
	}
}

var sinkString string

func BenchmarkFormatRFC2822(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = FormatRFC2822(example)
	}
}

// BenchmarkFormatRFC2822TimeFormatBaseline is the same text through
// time.Format, the obvious alternative.
func BenchmarkFormatRFC2822TimeFormatBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkString = example.UTC().Format("Mon, 02 Jan 2006 15:04:05") + " -0000"
	}
}

func BenchmarkParseLogsDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseLogsDate("02/03/2025")
	}
}
