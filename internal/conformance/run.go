package conformance

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Plan is a differential run's requests: Reads run first, a few at a time,
// against the starting state; Writes then run one at a time, in order.
type Plan struct {
	Reads, Writes []Step
	// Vars are placeholders every step may use from the start (the dates
	// of log queries).
	Vars map[string]string
}

// Outcome is how one step's answers compare.
type Outcome int

// The outcomes.
const (
	Identical Outcome = iota
	// Explained answers differ only in ways a Class explains.
	Explained
	// Differing answers have a difference nothing explains.
	Differing
)

// Result is one step's answers and how they compare.
type Result struct {
	Step       Step
	Real, Fake *Response
	Outcome    Outcome
	// Diffs are the unexplained differences; Classes explain the others
	// (one entry per explained difference).
	Diffs   []Diff
	Classes []Class
}

// Run sends every step of plan to real and fake and compares the answers.
// parallel bounds the reads in flight at once.
func Run(ctx context.Context, plan Plan, real, fake *Target, parallel int) ([]Result, error) {
	results := make([]Result, len(plan.Reads)+len(plan.Writes))
	realVars, fakeVars := maps.Clone(plan.Vars), maps.Clone(plan.Vars)
	if realVars == nil {
		realVars, fakeVars = map[string]string{}, map[string]string{}
	}

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	sem := make(chan struct{}, max(parallel, 1))
	for i, s := range plan.Reads {
		if s.Write() || s.Capture != nil || s.CaptureHeader != nil {
			return nil, fmt.Errorf("read step %s writes or captures; it belongs with the writes", s)
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			r, err := runStep(ctx, s, real, fake, realVars, fakeVars)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			results[i] = r
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for i, s := range plan.Writes {
		r, err := runStep(ctx, s, real, fake, realVars, fakeVars)
		if err != nil {
			return nil, err
		}
		if s.Capture != nil || s.CaptureHeader != nil {
			if s.Capture != nil {
				maps.Copy(realVars, s.Capture(r.Real.Body))
				maps.Copy(fakeVars, s.Capture(r.Fake.Body))
			}
			if s.CaptureHeader != nil {
				maps.Copy(realVars, s.CaptureHeader(r.Real.Header))
				maps.Copy(fakeVars, s.CaptureHeader(r.Fake.Header))
			}
			// Compared again now that this answer's own values have names.
			r = judge(s, r.Real, r.Fake, realVars, fakeVars)
		}
		results[len(plan.Reads)+i] = r
	}
	return results, nil
}

// runStep sends s to both servers at once and compares the answers.
// During the reads the variable maps are only read.
func runStep(ctx context.Context, s Step, real, fake *Target, realVars, fakeVars map[string]string) (Result, error) {
	var (
		fr   *Response
		ferr error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		fr, ferr = fake.send(ctx, s, fakeVars)
	}()
	rr, rerr := real.send(ctx, s, realVars)
	<-done
	if err := cmp.Or(rerr, ferr); err != nil {
		return Result{}, err
	}
	return judge(s, rr, fr, realVars, fakeVars), nil
}

func judge(s Step, real, fake *Response, realVars, fakeVars map[string]string) Result {
	r := Result{Step: s, Real: real, Fake: fake}
	diffs := Compare(real, fake, realVars, fakeVars)
	r.Diffs, r.Classes = Classify(s, real, fake, diffs)
	switch {
	case len(r.Diffs) > 0:
		r.Outcome = Differing
	case len(r.Classes) > 0:
		r.Outcome = Explained
	}
	return r
}

// Summary counts a run's results.
type Summary struct {
	Compared, Identical int
	// Unjudgeable and Known count the explained steps by the class of
	// their first explained difference.
	Unjudgeable, Known map[string]int
	// Differing holds the differing steps by operation.
	Differing map[string][]Result
}

// Summarize counts results.
func Summarize(results []Result) Summary {
	s := Summary{Compared: len(results), Unjudgeable: map[string]int{}, Known: map[string]int{}, Differing: map[string][]Result{}}
	for _, r := range results {
		switch r.Outcome {
		case Identical:
			s.Identical++
		case Explained:
			c := r.Classes[0]
			if c.Kind == Known {
				s.Known[c.Name]++
			} else {
				s.Unjudgeable[c.Name]++
			}
		case Differing:
			s.Differing[r.Step.Op] = append(s.Differing[r.Step.Op], r)
		}
	}
	return s
}

// String is the report: the counts, the explained steps by class, and each
// differing operation with the number of its differing steps and the
// first one's differences.
func (s Summary) String() string {
	var b strings.Builder
	differing := 0
	for _, rs := range s.Differing {
		differing += len(rs)
	}
	fmt.Fprintf(&b, "requests compared: %d\nidentical: %d\nunjudgeable here: %d\nknown differences (README): %d\ndiffering: %d\n",
		s.Compared, s.Identical, total(s.Unjudgeable), total(s.Known), differing)
	for _, group := range []struct {
		title  string
		counts map[string]int
	}{{"unjudgeable, by class", s.Unjudgeable}, {"known differences, by class", s.Known}} {
		if len(group.counts) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s:\n", group.title)
		for _, name := range slices.Sorted(maps.Keys(group.counts)) {
			fmt.Fprintf(&b, "  %4d  %s\n", group.counts[name], name)
		}
	}
	if differing > 0 {
		fmt.Fprintf(&b, "differing, by operation (one example each):\n")
	}
	for _, op := range slices.Sorted(maps.Keys(s.Differing)) {
		rs := s.Differing[op]
		fmt.Fprintf(&b, "  %4d  %s\n        e.g. %s\n", len(rs), op, rs[0].Step)
		for _, d := range rs[0].Diffs {
			fmt.Fprintf(&b, "          %s\n", d)
		}
	}
	return b.String()
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
