package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// goal is one row of issue 5's table: how to compute its value from the
// benchmark medians and whether that meets the target.
type goal struct {
	id   int
	what string
	eval func(m *lookup) verdict
}

// verdict is a goal's outcome: the measured value, the target, PASS or
// FAIL, and the absolute numbers behind a ratio.
type verdict struct {
	measured string
	target   string
	pass     bool
	numbers  string
}

// lookup reads benchmark medians for the goals and records the ones that
// were never measured, which fail their goal.
type lookup struct {
	s       samples
	large   int // the large table size, GOQUAY_BENCH_USERS
	missing []string
}

func (l *lookup) get(name, unit string) float64 {
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

// evaluate runs a goal; a goal missing any of its benchmarks fails.
func (g goal) evaluate(s samples, large int) verdict {
	l := &lookup{s: s, large: large}
	v := g.eval(l)
	if len(l.missing) > 0 {
		v.pass = false
		v.measured = "-"
		v.numbers = "not measured: " + strings.Join(l.missing, ", ")
	}
	return v
}

// ratioAtMost is a goal "measured/baseline <= max".
func ratioAtMost(measured, baseline, max float64) verdict {
	r := measured / baseline
	return verdict{measured: fmt.Sprintf("%.2fx", r), target: fmt.Sprintf("<= %.1fx", max), pass: r <= max}
}

// goals is issue 5's table, in its order.
var goals = []goal{
	{1, "start a fake for one test: RunT+Close vs httptest.NewServer+Close", func(m *lookup) verdict {
		runT, base := m.get("BenchmarkStartRunT", "ns/op"), m.get("BenchmarkStartHTTPTestBaseline", "ns/op")
		v := ratioAtMost(runT, base, 1.5)
		v.numbers = fmt.Sprintf("RunT+Close %s, httptest %s", duration(runT), duration(base))
		return v
	}},
	{2, "socket-free transport: users page in-process vs loopback", func(m *lookup) verdict {
		in, tcp := m.get("BenchmarkUsersPageInProcess", "ns/op"), m.get("BenchmarkUsersPageLoopback", "ns/op")
		r := tcp / in
		return verdict{measured: fmt.Sprintf("%.2fx faster", r), target: ">= 3.0x faster", pass: r >= 3,
			numbers: fmt.Sprintf("in-process %s, loopback %s", duration(in), duration(tcp))}
	}},
	{3, "serving cost: users page vs pre-encoded bytes, both loopback", func(m *lookup) verdict {
		tcp, raw := m.get("BenchmarkUsersPageLoopback", "ns/op"), m.get("BenchmarkUsersPagePreEncodedBaseline", "ns/op")
		v := ratioAtMost(tcp, raw, 2)
		v.target += " (aim 1.5x)"
		v.numbers = fmt.Sprintf("fakequay %s, pre-encoded %s", duration(tcp), duration(raw))
		return v
	}},
	{4, "paging cost independent of table size: last page, 1M vs 10k users", func(m *lookup) verdict {
		big, small := m.get(m.sized("BenchmarkUsersLastPage"), "ns/op"), m.get("BenchmarkUsersLastPage/users=10000", "ns/op")
		v := ratioAtMost(big, small, 1.5)
		v.numbers = fmt.Sprintf("%s users %s, 10000 users %s", count(m.large), duration(big), duration(small))
		return v
	}},
	{5, "full walk is linear: Users.All per user, 1M vs 100k users", func(m *lookup) verdict {
		big, small := m.get(m.sized("BenchmarkUsersAllWalk"), "ns/user"), m.get("BenchmarkUsersAllWalk/users=100000", "ns/user")
		v := ratioAtMost(big, small, 1.3)
		v.numbers = fmt.Sprintf("%s users %s/user (%s in all), 100000 users %s/user", count(m.large), duration(big),
			duration(big*float64(m.large)), duration(small))
		return v
	}},
	{6, "memory: heap per seeded user at 1M users", func(m *lookup) verdict {
		perUser := m.get(m.sized("BenchmarkSeedUsers"), "B/user")
		floor := m.get(m.sized("BenchmarkSeedUsersMapBaseline"), "B/user")
		seed := m.get(m.sized("BenchmarkSeedUsers"), "ns/op")
		return verdict{measured: fmt.Sprintf("%.0f B/user", perUser), target: "<= 1024 B/user", pass: perUser <= 1024,
			numbers: fmt.Sprintf("plain Go map of the rows %.0f B/user; seeding %s users took %s", floor, count(m.large), duration(seed))}
	}},
	{7, "client overhead: Users.List vs net/http + json.Unmarshal", func(m *lookup) verdict {
		list, raw := m.get("BenchmarkUsersList", "ns/op"), m.get("BenchmarkUsersListRawBaseline", "ns/op")
		listAllocs, rawAllocs := m.get("BenchmarkUsersList", "allocs/op"), m.get("BenchmarkUsersListRawBaseline", "allocs/op")
		rt, ra := list/raw, listAllocs/rawAllocs
		return verdict{measured: fmt.Sprintf("%.2fx time, %.2fx allocs", rt, ra), target: "<= 1.2x, <= 1.3x",
			pass:    rt <= 1.2 && ra <= 1.3,
			numbers: fmt.Sprintf("List %s %.0f allocs, raw %s %.0f allocs", duration(list), listAllocs, duration(raw), rawAllocs)}
	}},
	{8, "reads do not wait for writes: users-page reads/s, 10% vs 0% writes", func(m *lookup) verdict {
		mixed, pure := m.get("BenchmarkReadsDuringWrites/read=page/writes=10%", "reads/s"), m.get("BenchmarkReadsDuringWrites/read=page/writes=0%", "reads/s")
		userMixed, userPure := m.get("BenchmarkReadsDuringWrites/read=user/writes=10%", "reads/s"), m.get("BenchmarkReadsDuringWrites/read=user/writes=0%", "reads/s")
		r := mixed / pure
		return verdict{measured: fmt.Sprintf("%.2fx", r), target: ">= 0.6x", pass: r >= 0.6,
			numbers: fmt.Sprintf("users pages %.0f/s with writes, %.0f/s without; single users %.0f/s vs %.0f/s (%.2fx)",
				mixed, pure, userMixed, userPure, userMixed/userPure)}
	}},
	{9, "binary cold start to ready line: no seed / 100,000-user seed", func(m *lookup) verdict {
		none, seeded := m.get("BenchmarkColdStart/seed=none", "ns/op"), m.get("BenchmarkColdStart/seed=100000-users", "ns/op")
		floor := m.get("BenchmarkColdStartBaseline", "ns/op")
		return verdict{measured: duration(none) + " / " + duration(seeded), target: "<= 100ms / <= 1s",
			pass:    none <= 100e6 && seeded <= 1e9,
			numbers: "smallest Go HTTP server " + duration(floor)}
	}},
	{10, "service keys: createServiceKey p50 in-process", func(m *lookup) verdict {
		p50, rsa := m.get("BenchmarkCreateServiceKey", "p50-ms"), m.get("BenchmarkRSAGenerateKey", "p50-ms")
		return verdict{measured: fmt.Sprintf("%.3gms", p50), target: "<= 5ms", pass: p50 <= 5,
			numbers: fmt.Sprintf("one RSA-2048 generation %.3gms", rsa)}
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
