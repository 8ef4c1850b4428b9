package main

import (
	"bufio"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// result is one line of `go test -bench` output in the standard benchmark
// format: "BenchmarkName-8  1000  1234 ns/op  56 B/op  7 allocs/op  ...".
type result struct {
	name    string             // without the -GOMAXPROCS suffix
	metrics map[string]float64 // value by unit: ns/op, B/op, allocs/op and custom ones
}

// procsSuffix is the "-N" go test appends to names when GOMAXPROCS > 1.
var procsSuffix = regexp.MustCompile(`-\d+$`)

// parseLine reads one benchmark result line; ok is false for every other
// line (headers, PASS, logs) and for malformed ones.
func parseLine(line string) (result, bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") || len(fields)%2 != 0 {
		return result{}, false
	}
	if _, err := strconv.ParseInt(fields[1], 10, 64); err != nil {
		return result{}, false
	}
	r := result{name: procsSuffix.ReplaceAllString(fields[0], ""), metrics: map[string]float64{}}
	for i := 2; i < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return result{}, false
		}
		r.metrics[fields[i+1]] = v
	}
	return r, true
}

// round names where a value was measured: the benchmark invocation (run)
// and, within it, the how-manieth result of that benchmark (rep, for
// -count above 1). A goal compares a benchmark with its baseline within one
// round, since both ran side by side under the same load.
type round struct{ run, rep int }

// value is one measurement and the round it belongs to.
type value struct {
	at round
	v  float64
}

// samples collects every value measured for each benchmark and unit over
// all runs, so that noise can be tamed with medians and each round judged
// on its own.
type samples map[string]map[string][]value

// addOutput adds the results found in the output of invocation run,
// echoing every line to echo when it is not nil.
func (s samples) addOutput(run int, r io.Reader, echo io.Writer) (cpu string) {
	reps := map[string]int{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if echo != nil {
			_, _ = io.WriteString(echo, line+"\n")
		}
		if c, ok := strings.CutPrefix(line, "cpu: "); ok {
			cpu = c
		}
		if res, ok := parseLine(line); ok {
			s.add(round{run, reps[res.name]}, res)
			reps[res.name]++
		}
	}
	return cpu
}

func (s samples) add(at round, r result) {
	if s[r.name] == nil {
		s[r.name] = map[string][]value{}
	}
	for unit, v := range r.metrics {
		s[r.name][unit] = append(s[r.name][unit], value{at, v})
	}
}

// median returns the median of the values of name in unit, and how many
// there were (0: never measured).
func (s samples) median(name, unit string) (float64, int) {
	vs := make([]float64, 0, len(s[name][unit]))
	for _, v := range s[name][unit] {
		vs = append(vs, v.v)
	}
	if len(vs) == 0 {
		return 0, 0
	}
	slices.Sort(vs)
	mid := len(vs) / 2
	if len(vs)%2 == 1 {
		return vs[mid], len(vs)
	}
	return (vs[mid-1] + vs[mid]) / 2, len(vs)
}

// at returns the value of name in unit measured in round at.
func (s samples) at(name, unit string, at round) (float64, bool) {
	for _, v := range s[name][unit] {
		if v.at == at {
			return v.v, true
		}
	}
	return 0, false
}

// rounds lists, in order, every round in which name was measured in unit.
func (s samples) rounds(name, unit string) []round {
	var out []round
	for _, v := range s[name][unit] {
		out = append(out, v.at)
	}
	return out
}
