package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// goal is one row of the goal table: how to compute its value from the
// benchmark results and whether that meets the target.
type goal struct {
	id   int
	what string
	eval func(m *lookup) verdict
}

// verdict is a goal's outcome: the measured value, the target, the
// absolute numbers behind a ratio, and the margin: how far the value is
// inside its target, as a factor (1.2 is 20% to spare, 0.8 is 20% short;
// the smallest of several targets). A goal passes when its margin is at
// least 1.
type verdict struct {
	measured string
	target   string
	margin   float64
	numbers  string
	at       round // the round judged; zero for medians
}

func (v verdict) pass() bool { return v.margin >= 1 }

// atMost is the margin of "measured <= limit".
func atMost(measured, limit float64) float64 { return limit / measured }

// atLeast is the margin of "measured >= floor".
func atLeast(measured, floor float64) float64 { return measured / floor }

// lookup reads benchmark values for the goals: the medians over every
// round, or the values of one round. It records the benchmarks that were
// never measured, which fail their goal.
type lookup struct {
	s       samples
	large   int    // the large table size, GOQUAY_BENCH_USERS
	round   *round // nil: medians
	first   *[2]string
	missing []string
}

func (l *lookup) get(name, unit string) float64 {
	if l.first == nil {
		l.first = &[2]string{name, unit}
	}
	if l.round != nil {
		v, ok := l.s.at(name, unit, *l.round)
		if !ok {
			l.missing = append(l.missing, name+" ("+unit+")")
			return math.NaN()
		}
		return v
	}
	v, n := l.s.median(name, unit)
	if n == 0 {
		l.missing = append(l.missing, name+" ("+unit+")")
		return math.NaN()
	}
	return v
}

// sized names a sub-benchmark at the large table size.
func (l *lookup) sized(bench string) string {
	return bench + "/users=" + strconv.Itoa(l.large)
}

// sizedOf names a sub-benchmark of a table of another kind ("repos") at
// the large table size.
func (l *lookup) sizedOf(bench, unit string) string {
	return bench + "/" + unit + "=" + strconv.Itoa(l.large)
}

// judgement is a goal judged on the medians and on each round alone.
type judgement struct {
	median verdict
	rounds []verdict // one per round in which every benchmark of the goal ran
}

// worst and best are the rounds with the smallest and largest margin.
func (j judgement) worst() (verdict, bool) { return j.extreme(-1) }
func (j judgement) best() (verdict, bool)  { return j.extreme(1) }

func (j judgement) extreme(sign float64) (verdict, bool) {
	if len(j.rounds) == 0 {
		return verdict{}, false
	}
	return slices.MaxFunc(j.rounds, func(a, b verdict) int {
		return cmpFloat(sign*a.margin, sign*b.margin)
	}), true
}

// passing counts the rounds that meet the goal.
func (j judgement) passing() int {
	n := 0
	for _, v := range j.rounds {
		if v.pass() {
			n++
		}
	}
	return n
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b || (math.IsNaN(a) && !math.IsNaN(b)):
		return -1
	case a > b || (math.IsNaN(b) && !math.IsNaN(a)):
		return 1
	}
	return 0
}

// evaluate judges a goal on the medians, then on every round in which all
// of its benchmarks ran; a goal missing any benchmark fails.
func (g goal) evaluate(s samples, large int) judgement {
	l := &lookup{s: s, large: large}
	j := judgement{median: g.eval(l)}
	if len(l.missing) > 0 {
		j.median.margin = math.NaN()
		j.median.measured = "-"
		j.median.numbers = "not measured: " + strings.Join(l.missing, ", ")
		return j
	}
	for _, r := range s.rounds(l.first[0], l.first[1]) {
		rl := &lookup{s: s, large: large, round: &r}
		if v := g.eval(rl); len(rl.missing) == 0 {
			v.at = r
			j.rounds = append(j.rounds, v)
		}
	}
	return j
}

// ratio formats a ratio of two measurements.
func ratio(r float64) string { return fmt.Sprintf("%.2fx", r) }

// goals is issue 5's table, in its order, with the targets issue 14
// tightened (its goal numbers in brackets), then the repository and
// content goals of issues 11 and 12.
var goals = []goal{
	{1, "start a fake for one test: RunT+Close vs httptest.NewServer+Close [14.5]", func(m *lookup) verdict {
		runT, base := m.get("BenchmarkStartPaired", "runt-ns/op"), m.get("BenchmarkStartPaired", "httptest-ns/op")
		return verdict{measured: ratio(runT / base), target: "<= 1.2x", margin: atMost(runT/base, 1.2),
			numbers: fmt.Sprintf("RunT+Close %s, httptest %s", duration(runT), duration(base))}
	}},
	{2, "socket-free transport: users page in-process vs loopback", func(m *lookup) verdict {
		in, tcp := m.get("BenchmarkUsersPagePaired", "inprocess-ns/op"), m.get("BenchmarkUsersPagePaired", "loopback-ns/op")
		r := tcp / in
		return verdict{measured: fmt.Sprintf("%.2fx faster", r), target: ">= 3.0x faster", margin: atLeast(r, 3),
			numbers: fmt.Sprintf("in-process %s, loopback %s", duration(in), duration(tcp))}
	}},
	{3, "serving cost: users page vs pre-encoded bytes, both loopback [14.1]", func(m *lookup) verdict {
		tcp, raw := m.get("BenchmarkUsersPagePaired", "loopback-ns/op"), m.get("BenchmarkUsersPagePaired", "preencoded-ns/op")
		return verdict{measured: ratio(tcp / raw), target: "<= 1.25x", margin: atMost(tcp/raw, 1.25),
			numbers: fmt.Sprintf("fakequay %s, pre-encoded %s", duration(tcp), duration(raw))}
	}},
	{4, "paging cost independent of table size: last page, 1M vs 10k users", func(m *lookup) verdict {
		big, small := m.get(m.sized("BenchmarkUsersLastPage"), "ns/op"), m.get("BenchmarkUsersLastPage/users=10000", "ns/op")
		return verdict{measured: ratio(big / small), target: "<= 1.5x", margin: atMost(big/small, 1.5),
			numbers: fmt.Sprintf("%s users %s, 10000 users %s", count(m.large), duration(big), duration(small))}
	}},
	{5, "full walk is linear: Users.All per user, 1M vs 100k users", func(m *lookup) verdict {
		big, small := m.get(m.sized("BenchmarkUsersAllWalk"), "ns/user"), m.get("BenchmarkUsersAllWalk/users=100000", "ns/user")
		return verdict{measured: ratio(big / small), target: "<= 1.3x", margin: atMost(big/small, 1.3),
			numbers: fmt.Sprintf("%s users %s/user (%s in all), 100000 users %s/user", count(m.large), duration(big),
				duration(big*float64(m.large)), duration(small))}
	}},
	{6, "memory: heap per seeded user at 1M users [14.3]", func(m *lookup) verdict {
		perUser := m.get(m.sized("BenchmarkSeedUsers"), "B/user")
		floor := m.get(m.sized("BenchmarkSeedUsersMapBaseline"), "B/user")
		seed := m.get(m.sized("BenchmarkSeedUsers"), "ns/op")
		return verdict{measured: fmt.Sprintf("%.0f B/user", perUser), target: "<= 400 B/user", margin: atMost(perUser, 400),
			numbers: fmt.Sprintf("plain Go map of the rows %.0f B/user; seeding %s users took %s", floor, count(m.large), duration(seed))}
	}},
	{7, "client overhead: Users.List vs net/http + json.Unmarshal [14.5]", func(m *lookup) verdict {
		list, raw := m.get("BenchmarkUsersListPaired", "list-ns/op"), m.get("BenchmarkUsersListPaired", "raw-ns/op")
		listAllocs, rawAllocs := m.get("BenchmarkUsersList", "allocs/op"), m.get("BenchmarkUsersListRawBaseline", "allocs/op")
		rt, ra := list/raw, listAllocs/rawAllocs
		return verdict{measured: fmt.Sprintf("%.2fx time, %.2fx allocs", rt, ra), target: "<= 1.1x, <= 1.1x",
			margin:  min(atMost(rt, 1.1), atMost(ra, 1.1)),
			numbers: fmt.Sprintf("List %s %.0f allocs, raw %s %.0f allocs", duration(list), listAllocs, duration(raw), rawAllocs)}
	}},
	{8, "reads do not wait for writes: users-page reads/s, 10% vs 0% writes [14.2]", func(m *lookup) verdict {
		mixed, pure := m.get("BenchmarkReadsDuringWritesPaired", "writes-reads/s"), m.get("BenchmarkReadsDuringWritesPaired", "nowrites-reads/s")
		return verdict{measured: ratio(mixed / pure), target: ">= 0.8x", margin: atLeast(mixed/pure, 0.8),
			numbers: fmt.Sprintf("users pages %.0f/s with writes, %.0f/s without", mixed, pure)}
	}},
	{9, "binary cold start to ready line: no seed vs smallest Go HTTP server / 100,000-user seed [14.4]", func(m *lookup) verdict {
		none, seeded := m.get("BenchmarkColdStartPaired", "none-ns/op"), m.get("BenchmarkColdStartPaired", "seeded-ns/op")
		floor := m.get("BenchmarkColdStartPaired", "baseline-ns/op")
		return verdict{measured: ratio(none/floor) + " / " + duration(seeded), target: "<= 2x / <= 250ms",
			margin:  min(atMost(none/floor, 2), atMost(seeded, 250e6)),
			numbers: fmt.Sprintf("no seed %s, smallest Go HTTP server %s", duration(none), duration(floor))}
	}},
	{10, "service keys: createServiceKey p50 in-process", func(m *lookup) verdict {
		p50, rsa := m.get("BenchmarkCreateServiceKey", "p50-ms"), m.get("BenchmarkRSAGenerateKey", "p50-ms")
		return verdict{measured: fmt.Sprintf("%.3gms", p50), target: "<= 5ms", margin: atMost(p50, 5),
			numbers: fmt.Sprintf("one RSA-2048 generation %.3gms", rsa)}
	}},
	{11, "listRepos (namespace) last page independent of size: 1M vs 10k repositories [11]", func(m *lookup) verdict {
		big, small := m.get("BenchmarkReposLastPagePaired", "large-ns/op"), m.get("BenchmarkReposLastPagePaired", "small-ns/op")
		return verdict{measured: ratio(big / small), target: "<= 1.5x", margin: atMost(big/small, 1.5),
			numbers: fmt.Sprintf("%s repositories %s, 10000 repositories %s", count(m.large), duration(big), duration(small))}
	}},
	{12, "permission decision (getRepo via a team) independent of size: 1M vs 10k repositories, 1% as many teams [11]", func(m *lookup) verdict {
		big, small := m.get("BenchmarkRepoReadPermissionPaired", "large-ns/op"), m.get("BenchmarkRepoReadPermissionPaired", "small-ns/op")
		return verdict{measured: ratio(big / small), target: "<= 1.5x", margin: atMost(big/small, 1.5),
			numbers: fmt.Sprintf("%s repositories %s, 10000 repositories %s", count(m.large), duration(big), duration(small))}
	}},
	{13, "memory: heap per seeded repository at 1M repositories [11]", func(m *lookup) verdict {
		perRepo := m.get(m.sizedOf("BenchmarkSeedRepos", "repos"), "B/repo")
		seed := m.get(m.sizedOf("BenchmarkSeedRepos", "repos"), "ns/op")
		return verdict{measured: fmt.Sprintf("%.0f B/repo", perRepo), target: "<= 1024 B/repo", margin: atMost(perRepo, 1024),
			numbers: fmt.Sprintf("seeding %s repositories took %s", count(m.large), duration(seed))}
	}},
	{14, "listRepoTags last page independent of size: 100k vs 1k tags [12]", func(m *lookup) verdict {
		big, small := m.get("BenchmarkTagsLastPagePaired", "large-ns/op"), m.get("BenchmarkTagsLastPagePaired", "small-ns/op")
		return verdict{measured: ratio(big / small), target: "<= 1.5x", margin: atMost(big/small, 1.5),
			numbers: fmt.Sprintf("100000 tags %s, 1000 tags %s", duration(big), duration(small))}
	}},
	{15, "push quota accounting is O(image): push into 10k vs 100 images [12]", func(m *lookup) verdict {
		big, small := m.get("BenchmarkPushPaired", "large-ns/op"), m.get("BenchmarkPushPaired", "small-ns/op")
		return verdict{measured: ratio(big / small), target: "<= 1.5x", margin: atMost(big/small, 1.5),
			numbers: fmt.Sprintf("namespace of 10000 images %s, of 100 images %s", duration(big), duration(small))}
	}},
}

// duration formats nanoseconds with three significant digits.
func duration(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "?"
	case ns >= 1e9:
		return fmt.Sprintf("%.3gs", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3gms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3gµs", ns/1e3)
	}
	return fmt.Sprintf("%.3gns", ns)
}

// count formats a number of users with thousands separators.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
