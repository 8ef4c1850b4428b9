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

// samples collects every value measured for each benchmark and unit over
// all runs, so that noise can be tamed with medians.
type samples map[string]map[string][]float64

// addOutput adds the results found in a go test output stream, echoing
// every line to echo when it is not nil.
func (s samples) addOutput(r io.Reader, echo io.Writer) (cpu string) {
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
			s.add(res)
		}
	}
	return cpu
}

func (s samples) add(r result) {
	if s[r.name] == nil {
		s[r.name] = map[string][]float64{}
	}
	for unit, v := range r.metrics {
		s[r.name][unit] = append(s[r.name][unit], v)
	}
}

// median returns the median of the values of name in unit, and how many
// there were (0: never measured).
func (s samples) median(name, unit string) (float64, int) {
	vs := slices.Clone(s[name][unit])
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
