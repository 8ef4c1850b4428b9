package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// The bounds the verdict checks. The run after the first interval (the
// warm-up: heap growth to its working size, connection pools filling) is
// cut in two halves, and the later half may not exceed the earlier one by
// more than these.
const (
	rssGrowth       = 0.10    // resident memory: 10% ...
	rssSlack        = 8 << 20 // ... plus 8 MiB (a GC cycle's swing)
	countSlack      = 8       // goroutines and descriptors: clients plus 8
	p99Growth       = 1.5     // the median interval p99: 1.5x ...
	p99Slack        = time.Millisecond
	dirGrowth       = 0.10 // data directory: 10% ...
	dirSlack        = 1 << 20
	walOvershoot    = 256 << 10 // the journal file: -compact-bytes plus one commit's worth
	minPostWarmupIv = 2
)

// interval sums up the samples of one report interval.
type interval struct {
	from, to                     time.Duration
	requests, unexpected         int
	p50, p99, max                time.Duration
	rss, heap                    int64
	goroutines, threads, fds     int
	journalLen, journalCap       int
	wal, dir                     int64
	compactions, resets, answers int
}

// summarize cuts a stub's samples into report intervals.
func summarize(samples []sample, every time.Duration) []interval {
	var out []interval
	var lat latencies
	for i, s := range samples {
		k := int((s.at - 1) / every)
		for len(out) <= k {
			out = append(out, interval{from: time.Duration(len(out)) * every, to: time.Duration(len(out)+1) * every})
			lat = nil
		}
		iv := &out[k]
		lat = append(lat, s.lat...)
		iv.requests += s.requests
		for _, n := range s.errs {
			iv.unexpected += n
		}
		iv.p50, iv.p99, iv.max = lat.percentile(50), lat.percentile(99), lat.percentile(100)
		iv.rss, iv.heap = max(iv.rss, s.rssBytes), max(iv.heap, s.heapBytes)
		iv.goroutines, iv.threads, iv.fds = max(iv.goroutines, s.goroutines), max(iv.threads, s.threads), max(iv.fds, s.fds)
		iv.journalLen, iv.journalCap = max(iv.journalLen, s.journalLen), max(iv.journalCap, s.journalCap)
		iv.wal, iv.dir = max(iv.wal, s.walBytes), max(iv.dir, s.dirBytes)
		if s.ok {
			iv.answers++
		}
		if i > 0 {
			prev := samples[i-1]
			if s.resets != prev.resets {
				iv.resets++
			} else if s.walBytes < prev.walBytes {
				iv.compactions++ // the journal emptied with no reset: a compaction by size
			}
		}
	}
	if n := len(out); n > 0 && len(samples) > 0 {
		out[n-1].to = min(out[n-1].to, samples[len(samples)-1].at.Round(time.Second)) // a partial last interval
	}
	return out
}

// check is one line of the verdict.
type check struct {
	what   string
	pass   bool
	detail string
}

// stubResult is a stub's intervals and checks.
type stubResult struct {
	stub      *stub
	intervals []interval
	checks    []check
}

// report is the whole run's outcome.
type report struct {
	cfg     config
	started time.Time
	took    time.Duration
	loads   *loadRange
	stubs   []stubResult
	pass    bool
}

func buildReport(cfg config, stubs []*stub, started time.Time, loads *loadRange) *report {
	r := &report{cfg: cfg, started: started, took: time.Since(started), loads: loads, pass: true}
	for _, s := range stubs {
		s.mu.Lock()
		samples := slices.Clone(s.samples)
		s.mu.Unlock()
		res := stubResult{stub: s, intervals: summarize(samples, cfg.interval)}
		res.checks = judge(cfg, s, samples, res.intervals)
		for _, c := range res.checks {
			r.pass = r.pass && c.pass
		}
		r.stubs = append(r.stubs, res)
	}
	return r
}

// judge checks a stub against the bounds.
func judge(cfg config, s *stub, samples []sample, ivs []interval) []check {
	var out []check
	add := func(what string, pass bool, format string, args ...any) {
		out = append(out, check{what: what, pass: pass, detail: fmt.Sprintf(format, args...)})
	}
	post := []interval{}
	if len(ivs) > 1 {
		post = ivs[1:]
	}
	if len(post) < minPostWarmupIv {
		add("enough intervals after the warm-up to judge", false, "%d (want at least %d; run longer)", len(post), minPostWarmupIv)
		return out
	}
	a, b := post[:len(post)/2], post[len(post)/2:]
	peak := func(ivs []interval, f func(interval) int64) int64 {
		var m int64
		for _, iv := range ivs {
			m = max(m, f(iv))
		}
		return m
	}
	rssA, rssB := peak(a, func(iv interval) int64 { return iv.rss }), peak(b, func(iv interval) int64 { return iv.rss })
	rssLimit := int64(float64(rssA)*(1+rssGrowth)) + rssSlack
	add("resident memory flat", rssB <= rssLimit, "peak %s in the later half, %s in the earlier (bound %s = +%.0f%% + %s)",
		mib(rssB), mib(rssA), mib(rssLimit), rssGrowth*100, mib(rssSlack))
	countSlackN := int64(cfg.clients + countSlack)
	for _, c := range []struct {
		what string
		f    func(interval) int64
	}{
		{"goroutines flat", func(iv interval) int64 { return int64(iv.goroutines) }},
		{"open file descriptors flat", func(iv interval) int64 { return int64(iv.fds) }},
	} {
		va, vb := peak(a, c.f), peak(b, c.f)
		add(c.what, vb <= va+countSlackN, "peak %d in the later half, %d in the earlier (bound +%d: clients + %d)",
			vb, va, countSlackN, countSlack)
	}
	medianP99 := func(ivs []interval) time.Duration {
		var l latencies
		for _, iv := range ivs {
			l = append(l, iv.p99)
		}
		return l.percentile(50)
	}
	pa, pb := medianP99(a), medianP99(b)
	pLimit := time.Duration(float64(pa)*p99Growth) + p99Slack
	add("p99 latency not drifting", pb <= pLimit, "median interval p99 %s in the later half, %s in the earlier (bound %s = %.1fx + %s)",
		pb.Round(time.Microsecond), pa.Round(time.Microsecond), pLimit.Round(time.Microsecond), p99Growth, p99Slack)

	var answered, overCap, maxLen, capacity int
	var panics int64
	var walMax int64
	for _, smp := range samples {
		if smp.ok {
			answered++
		}
		if smp.journalLen > smp.journalCap {
			overCap++
		}
		maxLen, capacity, panics = max(maxLen, smp.journalLen), max(capacity, smp.journalCap), max(panics, smp.panics)
		walMax = max(walMax, smp.walBytes)
	}
	add("stub answered every sample", answered == len(samples), "%d of %d samples", answered, len(samples))
	add("request journal within its bound", overCap == 0 && capacity > 0, "at most %d entries, bound %d", maxLen, capacity)
	errs := map[string]int{}
	for _, smp := range samples {
		for k, n := range smp.errs {
			errs[k] += n
		}
	}
	add("no unexpected answers", len(errs) == 0, "%s", describeCounts(errs))
	add("no handler panics", panics == 0, "%d", panics)
	warnings, errors := s.stderr.counts()
	add("no warnings or errors logged", warnings == 0 && errors == 0, "%d warnings, %d errors", warnings, errors)
	add("graceful shutdown (SIGTERM, status 0)", s.cleanExit(), "%v", s.waitErr)
	if s.dataDir != "" {
		compactions := 0
		for _, iv := range ivs {
			compactions += iv.compactions
		}
		add("journal compacts by size", compactions > 0, "%d compactions seen (at -compact-bytes %d), besides resets", compactions, cfg.compactBytes)
		walLimit := cfg.compactBytes + walOvershoot
		add("journal file bounded", walMax <= walLimit, "at most %s (bound %s = -compact-bytes + %s)", mib(walMax), mib(walLimit), mib(walOvershoot))
		da, db := peak(a, func(iv interval) int64 { return iv.dir }), peak(b, func(iv interval) int64 { return iv.dir })
		dirLimit := int64(float64(da)*(1+dirGrowth)) + dirSlack
		add("data directory bounded", db <= dirLimit, "peak %s in the later half, %s in the earlier (bound %s = +%.0f%% + %s)",
			mib(db), mib(da), mib(dirLimit), dirGrowth*100, mib(dirSlack))
	}
	return out
}

func describeCounts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// write prints the report to w and saves it, the samples and the plot in
// dir.
func (r *report) write(w io.Writer, dir string) error {
	var text bytes.Buffer
	r.print(&text)
	if _, err := w.Write(text.Bytes()); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.txt"), text.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "samples.csv"), r.csv(), 0o644); err != nil {
		return err
	}
	png, err := r.plot()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "soak.png"), png, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwrote %s, %s and %s\n", filepath.Join(dir, "report.txt"), filepath.Join(dir, "samples.csv"), filepath.Join(dir, "soak.png"))
	return nil
}

func (r *report) print(w io.Writer) {
	c := r.cfg
	fmt.Fprintf(w, "fakequay soak (make soak), started %s, ran %s\n", r.started.Format(time.RFC3339), r.took.Round(time.Second))
	fmt.Fprintf(w, "%d CPUs, %s/%s, %s; load average (1 min) during the run: %.2f to %.2f\n", runtime.NumCPU(),
		runtime.GOOS, runtime.GOARCH, runtime.Version(), r.loads.lo, r.loads.hi)
	fmt.Fprintf(w, "per stub: %d users seeded, %d clients, %.0f req/s, a reset every %s, a fault every %s; samples every %s\n",
		c.users, c.clients, c.rate, c.resetEvery, c.faultEvery, c.sample)
	fmt.Fprintf(w, "the first interval is the warm-up; each line shows the interval's peaks and its latencies (fault requests excluded)\n")
	for _, res := range r.stubs {
		s := res.stub
		title := s.name + ": in memory"
		if s.dataDir != "" {
			title = fmt.Sprintf("%s: -data DIR, -compact-bytes %d", s.name, c.compactBytes)
		}
		fmt.Fprintf(w, "\n== %s\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		header := "interval\trequests\tunexpected\tp50\tp99\tmax\trss\theap\tgoroutines\tthreads\tfds\tjournal\t"
		if s.dataDir != "" {
			header += "wal\tdir\tcompactions\t"
		}
		fmt.Fprintln(tw, header)
		for _, iv := range res.intervals {
			line := fmt.Sprintf("%s-%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d/%d\t",
				short(iv.from), short(iv.to), iv.requests, iv.unexpected, ms(iv.p50), ms(iv.p99), ms(iv.max),
				mib(iv.rss), mib(iv.heap), iv.goroutines, iv.threads, iv.fds, iv.journalLen, iv.journalCap)
			if s.dataDir != "" {
				line += fmt.Sprintf("%s\t%s\t%d\t", mib(iv.wal), mib(iv.dir), iv.compactions)
			}
			fmt.Fprintln(tw, line)
		}
		_ = tw.Flush()
		s.traffic.mu.Lock()
		fmt.Fprintf(w, "requests by kind and status: %s\n", describeCounts(s.traffic.totals))
		fmt.Fprintf(w, "control calls: %s\n", describeCounts(s.traffic.control))
		s.traffic.mu.Unlock()
		for _, ck := range res.checks {
			fmt.Fprintf(w, "%s  %s: %s\n", passFail(ck.pass), ck.what, ck.detail)
		}
	}
	verdict := "PASS: every stub stayed flat within the bounds above"
	if !r.pass {
		verdict = "FAIL: see the checks above"
	}
	fmt.Fprintf(w, "\n%s\n", verdict)
}

func (r *report) csv() []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.Write([]string{"stub", "seconds", "rss_bytes", "heap_bytes", "goroutines", "threads", "fds", "journal_length",
		"wal_bytes", "dir_bytes", "requests", "unexpected", "p50_us", "p99_us", "resets"})
	for _, res := range r.stubs {
		res.stub.mu.Lock()
		for _, s := range res.stub.samples {
			unexpected := 0
			for _, n := range s.errs {
				unexpected += n
			}
			_ = cw.Write([]string{res.stub.name, strconv.FormatFloat(s.at.Seconds(), 'f', 1, 64),
				strconv.FormatInt(s.rssBytes, 10), strconv.FormatInt(s.heapBytes, 10), strconv.Itoa(s.goroutines),
				strconv.Itoa(s.threads), strconv.Itoa(s.fds), strconv.Itoa(s.journalLen), strconv.FormatInt(s.walBytes, 10),
				strconv.FormatInt(s.dirBytes, 10), strconv.Itoa(s.requests), strconv.Itoa(unexpected),
				strconv.FormatInt(s.lat.percentile(50).Microseconds(), 10), strconv.FormatInt(s.lat.percentile(99).Microseconds(), 10),
				strconv.FormatInt(s.resets, 10)})
		}
		res.stub.mu.Unlock()
	}
	cw.Flush()
	return b.Bytes()
}

func passFail(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/1e6) }

// short formats an offset into the run: 5m0s as 5m, 1h0m0s as 1h.
func short(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
