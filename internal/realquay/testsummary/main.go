// Command testsummary reads a `go test -json` stream on stdin and prints
// what a conformance run needs to show: what the top-level tests logged
// themselves (the settings a live run assumed, the differential test's
// counts), how many test cases passed,
// how many were skipped and why (grouped by reason), and the whole output
// of every failed case. It exits 1 when a case failed or the stream reports a failed
// package, so a make target can run `go test -json ... | testsummary`.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
)

// event is one line of test2json's output.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// summary is what a stream said, per leaf test case.
type summary struct {
	passed, failed []string
	skipped        map[string][]string // reason -> cases
	output         map[string]*strings.Builder
	notes          []string // what top-level tests logged
	packageFailed  bool
	parents        map[string]bool // tests that have subtests: not cases themselves
}

func main() {
	s, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	s.print(os.Stdout)
	if len(s.failed) > 0 || s.packageFailed {
		os.Exit(1)
	}
}

func read(r io.Reader) (*summary, error) {
	s := &summary{skipped: map[string][]string{}, output: map[string]*strings.Builder{}, parents: map[string]bool{}}
	type result struct{ test, action string }
	var results []result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// go test writes build errors as plain text.
			fmt.Println(sc.Text())
			continue
		}
		if e.Test == "" {
			if e.Action == "fail" {
				s.packageFailed = true
			}
			if e.Action == "output" && strings.HasPrefix(e.Output, "FAIL") {
				fmt.Print(e.Output)
			}
			continue
		}
		for i := range len(e.Test) {
			if e.Test[i] == '/' {
				s.parents[e.Test[:i]] = true
			}
		}
		switch e.Action {
		case "output":
			b := s.output[e.Test]
			if b == nil {
				b = &strings.Builder{}
				s.output[e.Test] = b
			}
			b.WriteString(e.Output)
		case "pass", "fail", "skip":
			results = append(results, result{e.Test, e.Action})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, r := range results {
		if !strings.Contains(r.test, "/") && (s.parents[r.test] || r.action == "pass") {
			s.notes = append(s.notes, ownOutput(s.output[r.test])...)
		}
		if s.parents[r.test] && r.action != "fail" {
			continue
		}
		switch r.action {
		case "pass":
			s.passed = append(s.passed, r.test)
		case "fail":
			if !s.parents[r.test] {
				s.failed = append(s.failed, r.test)
			}
		case "skip":
			reason := skipReason(s.output[r.test])
			s.skipped[reason] = append(s.skipped[reason], r.test)
		}
	}
	return s, nil
}

// skipLine is the file:line: message line t.Skip writes.
var skipLine = regexp.MustCompile(`^\s+\S+\.go:\d+: (.*)$`)

// logLines returns the t.Log messages in out.
func logLines(out *strings.Builder) []string {
	var lines []string
	if out == nil {
		return nil
	}
	for line := range strings.Lines(out.String()) {
		if m := skipLine.FindStringSubmatch(strings.TrimRight(line, "\n")); m != nil {
			lines = append(lines, m[1])
		}
	}
	return lines
}

// framing matches the lines go test writes around a test's own output.
var framing = regexp.MustCompile(`^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|FAIL|SKIP))`)

// ownOutput is what a test wrote itself: its log lines, continuation lines
// of multi-line logs included, without go test's framing.
func ownOutput(out *strings.Builder) []string {
	if out == nil {
		return nil
	}
	var lines []string
	for line := range strings.Lines(out.String()) {
		line = strings.TrimRight(line, "\n")
		if framing.MatchString(line) || strings.TrimSpace(line) == "" {
			continue
		}
		if m := skipLine.FindStringSubmatch(line); m != nil {
			line = m[1]
		}
		lines = append(lines, line)
	}
	return lines
}

// skipReason is the message a case skipped with, or "(no reason given)".
func skipReason(out *strings.Builder) string {
	if out == nil {
		return "(no reason given)"
	}
	lines := logLines(out)
	if len(lines) == 0 {
		return "(no reason given)"
	}
	return lines[len(lines)-1]
}

func (s *summary) print(w io.Writer) {
	skipped := 0
	for _, cases := range s.skipped {
		skipped += len(cases)
	}
	for _, note := range s.notes {
		fmt.Fprintf(w, "  %s\n", note)
	}
	fmt.Fprintf(w, "%d passed, %d skipped, %d failed\n", len(s.passed), skipped, len(s.failed))
	reasons := slices.SortedFunc(maps.Keys(s.skipped), func(a, b string) int {
		return cmp.Or(cmp.Compare(len(s.skipped[b]), len(s.skipped[a])), strings.Compare(a, b))
	})
	for _, reason := range reasons {
		fmt.Fprintf(w, "  skipped %3d: %s\n", len(s.skipped[reason]), reason)
	}
	for _, name := range s.failed {
		fmt.Fprintf(w, "\nFAILED %s\n%s", name, s.output[name])
	}
}
