package main

import (
	"bytes"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		line   string
		want   result
		wantOK bool
	}{
		{"standard with benchmem", "BenchmarkStartRunT-2   \t 31977\t     36421 ns/op\t    3200 B/op\t      44 allocs/op",
			result{name: "BenchmarkStartRunT", metrics: map[string]float64{"ns/op": 36421, "B/op": 3200, "allocs/op": 44}}, true},
		{"sub-benchmark with custom metric", "BenchmarkSeedUsers/users=10000-2  5  248960287 ns/op  2169 B/user",
			result{name: "BenchmarkSeedUsers/users=10000", metrics: map[string]float64{"ns/op": 248960287, "B/user": 2169}}, true},
		{"name ending in a dash word keeps it", "BenchmarkColdStart/seed=100000-users-2  1  2939010159 ns/op",
			result{name: "BenchmarkColdStart/seed=100000-users", metrics: map[string]float64{"ns/op": 2939010159}}, true},
		{"GOMAXPROCS 1 has no suffix", "BenchmarkUsersLastPage/users=1000000  100  5000 ns/op",
			result{name: "BenchmarkUsersLastPage/users=1000000", metrics: map[string]float64{"ns/op": 5000}}, true},
		{"fractional metric", "BenchmarkCreateServiceKey-2  40  328171 ns/op  0.06800 p50-ms",
			result{name: "BenchmarkCreateServiceKey", metrics: map[string]float64{"ns/op": 328171, "p50-ms": 0.068}}, true},
		{"header", "goos: linux", result{}, false},
		{"verbose run line", "=== RUN   BenchmarkStartRunT", result{}, false},
		{"name only (a benchmark that logged)", "BenchmarkStartRunT", result{}, false},
		{"unit without value", "BenchmarkX-2  10  100 ns/op  B/op", result{}, false},
		{"not a number", "BenchmarkX-2  10  fast ns/op", result{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseLine(tc.line)
			if ok != tc.wantOK {
				t.Fatalf("parseLine(%q) ok = %v, want %v", tc.line, ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(result{})); diff != "" {
				t.Errorf("parseLine(%q) (-want +got):\n%s", tc.line, diff)
			}
		})
	}
}

func TestSamplesMedian(t *testing.T) {
	t.Parallel()
	out := strings.Join([]string{
		"goos: linux", "cpu: Test CPU",
		"BenchmarkA-2  10  300 ns/op", "BenchmarkA-2  10  100 ns/op", "BenchmarkA-2  10  200 ns/op",
		"BenchmarkB-2  10  10 ns/op", "BenchmarkB-2  10  40 ns/op",
		"PASS",
	}, "\n")
	s := samples{}
	var echo bytes.Buffer
	cpu := s.addOutput(strings.NewReader(out), &echo)
	type stat struct {
		Median float64
		N      int
	}
	median := func(name string) stat { m, n := s.median(name, "ns/op"); return stat{m, n} }
	got := map[string]any{"cpu": cpu, "A": median("BenchmarkA"), "B": median("BenchmarkB"), "C": median("BenchmarkC"), "echo": echo.String()}
	want := map[string]any{"cpu": "Test CPU", "A": stat{200, 3}, "B": stat{25, 2}, "C": stat{0, 0}, "echo": out + "\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// passing holds a value for every benchmark the goals read, each meeting
// its goal, for a large size of 1000 users.
func passing() samples {
	s := samples{}
	for _, line := range []string{
		"BenchmarkStartRunT-2 1 40000 ns/op", "BenchmarkStartHTTPTestBaseline-2 1 36000 ns/op",
		"BenchmarkUsersPageInProcess-2 1 30000 ns/op", "BenchmarkUsersPageLoopback-2 1 120000 ns/op",
		"BenchmarkUsersPagePreEncodedBaseline-2 1 80000 ns/op",
		"BenchmarkUsersLastPage/users=10000-2 1 30000 ns/op", "BenchmarkUsersLastPage/users=1000-2 1 31000 ns/op",
		"BenchmarkUsersAllWalk/users=100000-2 1 100 ns/op 1000 ns/user", "BenchmarkUsersAllWalk/users=1000-2 1 100 ns/op 1100 ns/user",
		"BenchmarkSeedUsers/users=1000-2 1 2000000 ns/op 700 B/user", "BenchmarkSeedUsersMapBaseline/users=1000-2 1 100 ns/op 240 B/user",
		"BenchmarkUsersList-2 1 110 ns/op 1 B/op 110 allocs/op", "BenchmarkUsersListRawBaseline-2 1 100 ns/op 1 B/op 100 allocs/op",
		"BenchmarkReadsDuringWrites/read=page/writes=0%-2 1 10 ns/op 1000 reads/s", "BenchmarkReadsDuringWrites/read=page/writes=10%-2 1 10 ns/op 800 reads/s",
		"BenchmarkReadsDuringWrites/read=user/writes=0%-2 1 10 ns/op 1000 reads/s", "BenchmarkReadsDuringWrites/read=user/writes=10%-2 1 10 ns/op 500 reads/s",
		"BenchmarkColdStart/seed=none-2 1 6000000 ns/op", "BenchmarkColdStart/seed=100000-users-2 1 600000000 ns/op",
		"BenchmarkColdStartBaseline-2 1 3000000 ns/op",
		"BenchmarkCreateServiceKey-2 1 100 ns/op 0.07 p50-ms", "BenchmarkRSAGenerateKey-2 1 100 ns/op 100 p50-ms",
	} {
		r, ok := parseLine(line)
		if !ok {
			panic("bad fixture line " + line)
		}
		s.add(r)
	}
	return s
}

func TestGoalsJudgeTheMedians(t *testing.T) {
	t.Parallel()
	type row struct {
		Measured string
		Pass     bool
	}
	judge := func(s samples) map[int]row {
		out := map[int]row{}
		for _, g := range goals {
			v := g.evaluate(s, 1000)
			out[g.id] = row{v.measured, v.pass}
		}
		return out
	}
	allPass := map[int]row{
		1: {"1.11x", true}, 2: {"4.00x faster", true}, 3: {"1.50x", true}, 4: {"1.03x", true},
		5: {"1.10x", true}, 6: {"700 B/user", true}, 7: {"1.10x time, 1.10x allocs", true}, 8: {"0.80x", true},
		9: {"6ms / 600ms", true}, 10: {"0.07ms", true},
	}
	tests := []struct {
		name string
		edit []string // lines added to the passing samples (medians move)
		drop string   // benchmark removed from them
		want map[int]row
	}{
		{name: "every goal met", want: allPass},
		{name: "a slow start fails goal 1", edit: []string{
			"BenchmarkStartRunT-2 1 90000 ns/op", "BenchmarkStartRunT-2 1 90000 ns/op",
		}, want: with(allPass, 1, row{"2.50x", false})},
		{name: "too many allocations fail goal 7 even when fast enough", edit: []string{
			"BenchmarkUsersList-2 1 110 ns/op 1 B/op 200 allocs/op", "BenchmarkUsersList-2 1 110 ns/op 1 B/op 200 allocs/op",
		}, want: with(allPass, 7, row{"1.10x time, 2.00x allocs", false})},
		{name: "a slow seeded start fails goal 9", edit: []string{
			"BenchmarkColdStart/seed=100000-users-2 1 2000000000 ns/op", "BenchmarkColdStart/seed=100000-users-2 1 2000000000 ns/op",
		}, want: with(allPass, 9, row{"6ms / 2s", false})},
		{name: "a missing baseline fails its goal", drop: "BenchmarkUsersPagePreEncodedBaseline",
			want: with(allPass, 3, row{"-", false})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := passing()
			for _, line := range tc.edit {
				r, _ := parseLine(line)
				s.add(r)
			}
			delete(s, tc.drop)
			if diff := cmp.Diff(tc.want, judge(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// with returns a copy of m with k set to v.
func with[K comparable, V any](m map[K]V, k K, v V) map[K]V {
	out := maps.Clone(m)
	out[k] = v
	return out
}
