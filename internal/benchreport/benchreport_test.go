package main

import (
	"bytes"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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
	cpu := s.addOutput(1, strings.NewReader(out), &echo)
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
// its goal, for a large size of 1000 users, all measured in run 1.
func passing() samples {
	s := samples{}
	addLines(s, 1, []string{
		"BenchmarkStartPaired-2 1 76000 ns/op 40000 runt-ns/op 36000 httptest-ns/op",
		"BenchmarkUsersPagePaired-2 1 250000 ns/op 30000 inprocess-ns/op 120000 loopback-ns/op 100000 preencoded-ns/op",
		"BenchmarkUsersLastPage/users=10000-2 1 30000 ns/op", "BenchmarkUsersLastPage/users=1000-2 1 31000 ns/op",
		"BenchmarkUsersAllWalk/users=100000-2 1 100 ns/op 1000 ns/user", "BenchmarkUsersAllWalk/users=1000-2 1 100 ns/op 1100 ns/user",
		"BenchmarkSeedUsers/users=1000-2 1 2000000 ns/op 350 B/user", "BenchmarkSeedUsersMapBaseline/users=1000-2 1 100 ns/op 240 B/user",
		"BenchmarkUsersList-2 1 105 ns/op 1 B/op 105 allocs/op", "BenchmarkUsersListRawBaseline-2 1 100 ns/op 1 B/op 100 allocs/op",
		"BenchmarkUsersListPaired-2 1 205 ns/op 105 list-ns/op 100 raw-ns/op",
		"BenchmarkReadsDuringWritesPaired-2 1 10 ns/op 1000 nowrites-reads/s 850 writes-reads/s",
		"BenchmarkColdStartPaired-2 1 210000000 ns/op 6000000 none-ns/op 200000000 seeded-ns/op 4000000 baseline-ns/op",
		"BenchmarkCreateServiceKey-2 1 100 ns/op 0.07 p50-ms", "BenchmarkRSAGenerateKey-2 1 100 ns/op 100 p50-ms",
		"BenchmarkReposLastPagePaired-2 1 420000 ns/op 200000 small-ns/op 220000 large-ns/op",
		"BenchmarkRepoReadPermissionPaired-2 1 88000 ns/op 40000 small-ns/op 48000 large-ns/op",
		"BenchmarkSeedRepos/repos=1000-2 1 3000000 ns/op 900 B/repo",
		"BenchmarkTagsLastPagePaired-2 1 840000 ns/op 400000 small-ns/op 440000 large-ns/op",
		"BenchmarkPushPaired-2 1 200000 ns/op 130000 large-ns/op 100000 small-ns/op",
	})
	return s
}

// addLines adds benchmark output lines as the output of invocation run.
func addLines(s samples, run int, lines []string) {
	for _, line := range lines {
		if _, ok := parseLine(line); !ok {
			panic("bad fixture line " + line)
		}
	}
	s.addOutput(run, strings.NewReader(strings.Join(lines, "\n")), nil)
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
			v := g.evaluate(s, 1000).median
			out[g.id] = row{v.measured, v.pass()}
		}
		return out
	}
	allPass := map[int]row{
		1: {"1.11x", true}, 2: {"4.00x faster", true}, 3: {"1.20x", true}, 4: {"1.03x", true},
		5: {"1.10x", true}, 6: {"350 B/user", true}, 7: {"1.05x time, 1.05x allocs", true}, 8: {"0.85x", true},
		9: {"1.50x / 200ms", true}, 10: {"0.07ms", true}, 11: {"1.10x", true}, 12: {"1.20x", true},
		13: {"900 B/repo", true}, 14: {"1.10x", true}, 15: {"1.30x", true},
	}
	tests := []struct {
		name string
		edit []string // lines added to the passing samples, each in a run of its own (medians move)
		drop string   // benchmark removed from them
		want map[int]row
	}{
		{name: "every goal met", want: allPass},
		{name: "a slow start fails goal 1", edit: []string{
			"BenchmarkStartPaired-2 1 1 ns/op 90000 runt-ns/op 36000 httptest-ns/op",
			"BenchmarkStartPaired-2 1 1 ns/op 90000 runt-ns/op 36000 httptest-ns/op",
		}, want: with(allPass, 1, row{"2.50x", false})},
		{name: "too many allocations fail goal 7 even when fast enough", edit: []string{
			"BenchmarkUsersList-2 1 105 ns/op 1 B/op 200 allocs/op", "BenchmarkUsersList-2 1 105 ns/op 1 B/op 200 allocs/op",
		}, want: with(allPass, 7, row{"1.05x time, 2.00x allocs", false})},
		{name: "a tag page that grows with the repository fails goal 14", edit: []string{
			"BenchmarkTagsLastPagePaired-2 1 1 ns/op 400000 small-ns/op 49000000 large-ns/op",
			"BenchmarkTagsLastPagePaired-2 1 1 ns/op 400000 small-ns/op 49000000 large-ns/op",
		}, want: with(allPass, 14, row{"122.50x", false})},
		{name: "a push that walks the namespace fails goal 15", edit: []string{
			"BenchmarkPushPaired-2 1 1 ns/op 53000000 large-ns/op 420000 small-ns/op",
			"BenchmarkPushPaired-2 1 1 ns/op 53000000 large-ns/op 420000 small-ns/op",
		}, want: with(allPass, 15, row{"126.19x", false})},
		{name: "more than a KiB per repository fails goal 13", edit: []string{
			"BenchmarkSeedRepos/repos=1000-2 1 3000000 ns/op 1100 B/repo", "BenchmarkSeedRepos/repos=1000-2 1 3000000 ns/op 1100 B/repo",
		}, want: with(allPass, 13, row{"1100 B/repo", false})},
		{name: "a slow seeded start fails goal 9", edit: []string{
			"BenchmarkColdStartPaired-2 1 1 ns/op 6000000 none-ns/op 300000000 seeded-ns/op 4000000 baseline-ns/op",
			"BenchmarkColdStartPaired-2 1 1 ns/op 6000000 none-ns/op 300000000 seeded-ns/op 4000000 baseline-ns/op",
		}, want: with(allPass, 9, row{"1.50x / 300ms", false})},
		{name: "an unseeded start beyond twice the smallest server fails goal 9", edit: []string{
			"BenchmarkColdStartPaired-2 1 1 ns/op 9000000 none-ns/op 200000000 seeded-ns/op 4000000 baseline-ns/op",
			"BenchmarkColdStartPaired-2 1 1 ns/op 9000000 none-ns/op 200000000 seeded-ns/op 4000000 baseline-ns/op",
		}, want: with(allPass, 9, row{"2.25x / 200ms", false})},
		{name: "a missing benchmark fails its goals", drop: "BenchmarkUsersPagePaired",
			want: with(with(allPass, 2, row{"-", false}), 3, row{"-", false})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := passing()
			for i, line := range tc.edit {
				addLines(s, 2+i, []string{line})
			}
			delete(s, tc.drop)
			if diff := cmp.Diff(tc.want, judge(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestGoalsJudgeEachRound(t *testing.T) {
	t.Parallel()
	type spread struct {
		Median, Best, Worst string
		WorstPass           bool
		WorstRun            int
		Met, Rounds         int
	}
	tests := []struct {
		name string
		goal int
		runs [][]string // the output of runs 2, 3, ... beside passing's run 1
		want spread
	}{
		{name: "one slow round out of three fails at the worst, not at the median", goal: 1, runs: [][]string{
			{"BenchmarkStartPaired-2 1 1 ns/op 50000 runt-ns/op 36000 httptest-ns/op"},
			{"BenchmarkStartPaired-2 1 1 ns/op 38000 runt-ns/op 36000 httptest-ns/op"},
		}, want: spread{Median: "1.11x", Best: "1.06x", Worst: "1.39x", WorstRun: 2, Met: 2, Rounds: 3}},
		{name: "a round without its baseline is not judged", goal: 7, runs: [][]string{
			{"BenchmarkUsersListPaired-2 1 1 ns/op 200 list-ns/op 100 raw-ns/op"},
		}, want: spread{Median: "1.52x time, 1.05x allocs", Best: "1.05x time, 1.05x allocs", Worst: "1.05x time, 1.05x allocs",
			WorstPass: true, WorstRun: 1, Met: 1, Rounds: 1}},
		{name: "the worst of a higher-is-better goal is its lowest ratio", goal: 8, runs: [][]string{
			{"BenchmarkReadsDuringWritesPaired-2 1 10 ns/op 1000 nowrites-reads/s 700 writes-reads/s"},
			{"BenchmarkReadsDuringWritesPaired-2 1 10 ns/op 1000 nowrites-reads/s 900 writes-reads/s"},
		}, want: spread{Median: "0.85x", Best: "0.90x", Worst: "0.70x", WorstRun: 2, Met: 2, Rounds: 3}},
		{name: "several targets: the worst round is the one with the least margin on any", goal: 9, runs: [][]string{
			{"BenchmarkColdStartPaired-2 1 1 ns/op 7600000 none-ns/op 100000000 seeded-ns/op 4000000 baseline-ns/op"},
			{"BenchmarkColdStartPaired-2 1 1 ns/op 4000000 none-ns/op 240000000 seeded-ns/op 4000000 baseline-ns/op"},
		}, want: spread{Median: "1.50x / 200ms", Best: "1.50x / 200ms", Worst: "1.00x / 240ms", WorstPass: true, WorstRun: 3, Met: 3, Rounds: 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := passing()
			for i, lines := range tc.runs {
				addLines(s, 2+i, lines)
			}
			j := goals[tc.goal-1].evaluate(s, 1000)
			worst, _ := j.worst()
			best, _ := j.best()
			got := spread{Median: j.median.measured, Best: best.measured, Worst: worst.measured, WorstPass: worst.pass(),
				WorstRun: worst.at.run, Met: j.passing(), Rounds: len(j.rounds)}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReportShowsTheWorstRound(t *testing.T) {
	t.Parallel()
	s := passing()
	addLines(s, 2, []string{"BenchmarkStartPaired-2 1 1 ns/op 50000 runt-ns/op 36000 httptest-ns/op"})
	addLines(s, 3, []string{"BenchmarkStartPaired-2 1 1 ns/op 38000 runt-ns/op 36000 httptest-ns/op"})
	tests := []struct {
		name    string
		strict  bool
		wantErr error
	}{
		{"the median decides the exit status", false, nil},
		{"strict fails on a worst round", true, errGoalsFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &runner{users: 1000, s: s, loads: map[int]float64{1: 0.5, 2: 6.25, 3: 1}}
			var out bytes.Buffer
			err := report(&out, r, 3, tc.strict, 0)
			type summary struct {
				Err         error
				Goal1, Tail string
			}
			got := summary{Err: err}
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(line, "1 ") {
					fields := strings.Split(line, "  ")
					var kept []string
					for _, f := range fields {
						if f = strings.TrimSpace(f); f != "" {
							kept = append(kept, f)
						}
					}
					got.Goal1 = strings.Join(kept[2:8], " | ")
				}
				if strings.HasPrefix(line, "holding at every round") {
					got.Tail = line
				}
			}
			want := summary{Err: tc.wantErr,
				Goal1: "<= 1.2x | 1.11x | PASS | 1.06x .. 1.39x | 2/3 | FAIL (load 6.2)",
				Tail:  "holding at every round: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15; at the median only: 1; failing at the median: none"}
			if diff := cmp.Diff(want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("(-want +got):\n%s\n%s", diff, out.String())
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
