package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	ms := func(vs ...int) latencies {
		var l latencies
		for _, v := range vs {
			l = append(l, time.Duration(v)*time.Millisecond)
		}
		return l
	}
	tests := []struct {
		name string
		l    latencies
		p    float64
		want time.Duration
	}{
		{"none", nil, 99, 0},
		{"one", ms(7), 50, 7 * time.Millisecond},
		{"median of an odd count, unsorted", ms(3, 1, 2), 50, 2 * time.Millisecond},
		{"p99 of a hundred is the 99th", ms(100, 99, 98, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
			26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57,
			58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89,
			90, 91, 92, 93, 94, 95, 96, 97), 99, 99 * time.Millisecond},
		{"p100 is the max", ms(5, 9, 1), 100, 9 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.l.percentile(tc.p); got != tc.want {
				t.Errorf("percentile(%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

// flat returns samples every second for n seconds of a stub that does not
// change, each edited by edit (nil: none).
func flat(n int, edit func(i int, s *sample)) []sample {
	var out []sample
	for i := 1; i <= n; i++ {
		s := sample{at: time.Duration(i) * time.Second, rssBytes: 20 << 20, heapBytes: 8 << 20, threads: 8, fds: 18,
			goroutines: 14, journalLen: 1000, journalCap: 1000, requests: 100, ok: true,
			lat: latencies{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond, 4 * time.Millisecond}}
		if edit != nil {
			edit(i, &s)
		}
		out = append(out, s)
	}
	return out
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	samples := flat(25, func(i int, s *sample) {
		s.walBytes = int64(i%4) * 1000 // empties every fourth second
		if i >= 12 {
			s.resets = 1
			s.rssBytes = 30 << 20
		}
		if i == 7 {
			s.errs = map[string]int{"user 500": 2}
		}
	})
	type row struct {
		From, To                 time.Duration
		Requests, Unexpected     int
		P99                      time.Duration
		RSS, WAL                 int64
		Compactions, Resets, Ans int
	}
	var got []row
	for _, iv := range summarize(samples, 10*time.Second) {
		got = append(got, row{iv.from, iv.to, iv.requests, iv.unexpected, iv.p99, iv.rss, iv.wal, iv.compactions, iv.resets, iv.answers})
	}
	want := []row{
		// Seconds 4 and 8 empty the journal.
		{0, 10 * time.Second, 1000, 2, 4 * time.Millisecond, 20 << 20, 3000, 2, 0, 10},
		// Second 12 empties it (12%4 == 0) with a reset: not a compaction; 16 and 20 are.
		{10 * time.Second, 20 * time.Second, 1000, 0, 4 * time.Millisecond, 30 << 20, 3000, 2, 1, 10},
		{20 * time.Second, 25 * time.Second, 500, 0, 4 * time.Millisecond, 30 << 20, 3000, 1, 0, 5},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestJudge(t *testing.T) {
	t.Parallel()
	cfg := config{clients: 4, interval: 10 * time.Second, compactBytes: 4096}
	mem := &stub{name: "mem", stderr: newLogTail(5), exited: closed()}
	data := &stub{name: "data", dataDir: "/nowhere", stderr: newLogTail(5), exited: closed()}
	compacting := func(i int, s *sample) { s.walBytes = int64(i%4) * 1000; s.dirBytes = 1 << 20 }
	tests := []struct {
		name     string
		stub     *stub
		samples  []sample
		wantFail []string // the checks that fail
	}{
		{"flat in memory", mem, flat(60, nil), nil},
		{"flat with -data", data, flat(60, compacting), nil},
		{"growth during the warm-up is allowed", mem, flat(60, func(i int, s *sample) {
			if i <= 10 {
				s.rssBytes, s.goroutines = int64(i)<<20, i
			}
		}), nil},
		{"resident memory growing", mem, flat(60, func(i int, s *sample) { s.rssBytes += int64(i) << 20 }),
			[]string{"resident memory flat"}},
		{"a goroutine leak", mem, flat(60, func(i int, s *sample) { s.goroutines += i / 2 }),
			[]string{"goroutines flat"}},
		{"a descriptor leak", mem, flat(60, func(i int, s *sample) { s.fds += i / 2 }),
			[]string{"open file descriptors flat"}},
		{"p99 drifting", mem, flat(60, func(i int, s *sample) { s.lat = latencies{time.Duration(i) * time.Millisecond} }),
			[]string{"p99 latency not drifting"}},
		{"a sample unanswered, an unexpected answer, a panic", mem, flat(60, func(i int, s *sample) {
			if i == 30 {
				s.ok, s.errs, s.panics = false, map[string]int{"page 500": 1}, 1
			}
		}), []string{"stub answered every sample", "no unexpected answers", "no handler panics"}},
		{"the request journal over its bound", mem, flat(60, func(i int, s *sample) { s.journalLen = 1001 }),
			[]string{"request journal within its bound"}},
		{"a journal that never compacts and grows", data, flat(60, func(i int, s *sample) {
			s.walBytes, s.dirBytes = int64(i)*10000, int64(i)<<20
		}), []string{"journal compacts by size", "journal file bounded", "data directory bounded"}},
		{"too short to judge", mem, flat(15, nil), []string{"enough intervals after the warm-up to judge"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var failed []string
			for _, c := range judge(cfg, tc.stub, tc.samples, summarize(tc.samples, cfg.interval)) {
				if !c.pass {
					failed = append(failed, c.what)
				}
			}
			if diff := cmp.Diff(tc.wantFail, failed); diff != "" {
				t.Errorf("failing checks (-want +got):\n%s", diff)
			}
		})
	}
}

// closed is the exited channel of a stub that shut down cleanly.
func closed() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

func TestShort(t *testing.T) {
	t.Parallel()
	got := map[time.Duration]string{}
	for _, d := range []time.Duration{0, 50 * time.Second, 90 * time.Second, 5 * time.Minute, time.Hour, 65 * time.Minute} {
		got[d] = short(d)
	}
	want := map[time.Duration]string{0: "0s", 50 * time.Second: "50s", 90 * time.Second: "1m30s", 5 * time.Minute: "5m",
		time.Hour: "1h", 65 * time.Minute: "1h5m"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestPlot(t *testing.T) {
	t.Parallel()
	cfg := config{clients: 4, rate: 100, interval: 10 * time.Second}
	mem := &stub{name: "mem", samples: flat(30, nil), traffic: newTraffic("", cfg)}
	data := &stub{name: "data", dataDir: "/nowhere", samples: flat(30, func(i int, s *sample) {
		// Other values than mem's, so that no curve hides another.
		s.rssBytes, s.heapBytes, s.goroutines, s.fds, s.journalLen = 30<<20, 12<<20, 19, 23, 500
		s.lat, s.dirBytes = latencies{9 * time.Millisecond}, 3<<20
	}), traffic: newTraffic("", cfg)}
	r := &report{cfg: cfg, took: 30 * time.Second, loads: &loadRange{lo: 1, hi: 2},
		stubs: []stubResult{{stub: mem}, {stub: data}}}
	data0, err := r.plot()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data0))
	if err != nil {
		t.Fatal(err)
	}
	// Seven panels (the data directory's too), each curve in its colour.
	counts := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for name, cols := range stubColors {
				if c := cols[0]; uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
					counts[name]++
				}
			}
		}
	}
	type shape struct {
		W, H                int
		MemDrawn, DataDrawn bool
	}
	got := shape{b.Dx(), b.Dy(), counts["mem"] > 6*plotWidth/2, counts["data"] > 7*plotWidth/2}
	want := shape{plotWidth, marginTop + 7*(panelHeight+panelGap) + marginBelow, true, true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSoakRun runs the whole tool for a few seconds against the real
// binary: both stubs get traffic of every kind, faults and resets, the
// data directory compacts, and both shut down cleanly. Timing bounds are
// not asserted: the machine running the tests may be busy.
func TestSoakRun(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	cfg := config{duration: 8 * time.Second, interval: 2 * time.Second, sample: 500 * time.Millisecond, clients: 3, rate: 150,
		users: 300, resetEvery: 3 * time.Second, faultEvery: time.Second, compactBytes: 4 << 10, targets: []string{"mem", "data"}, out: out}
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), cfg, &stdout, &stderr)
	if err != nil && err != errFailed {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	report := stdout.String()
	must := []string{
		"== mem: in memory", "== data: -data DIR, -compact-bytes 4096",
		"PASS  no unexpected answers: none", "PASS  no handler panics: 0", "PASS  graceful shutdown (SIGTERM, status 0): <nil>",
		"PASS  journal compacts by size", "PASS  request journal within its bound", "PASS  stub answered every sample",
	}
	var missing []string
	for _, m := range must {
		if strings.Count(report, m) == 0 {
			missing = append(missing, m)
		}
	}
	// Every request kind and control call happened on both stubs.
	for _, re := range []string{`page 200: \d+`, `user 200: \d+`, `orgs 200: \d+`, `logs 200: \d+`, `write 200: \d+`,
		`write 204: \d+`, `fault 404: \d+`, `POST /_fakequay/faults 201: \d+`, `DELETE /_fakequay/faults 204: \d+`,
		`POST /_fakequay/reset 204: \d+`} {
		if n := len(regexp.MustCompile(re).FindAllString(report, -1)); n != 2 {
			missing = append(missing, fmt.Sprintf("%s (%d times, want 2)", re, n))
		}
	}
	for _, f := range []string{"report.txt", "samples.csv", "soak.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		t.Errorf("missing from the run:\n%s\n\nreport:\n%s", strings.Join(missing, "\n"), report)
	}
}

// A 404 in a write cycle is the reset's doing when a reset was counted
// after the cycle began, or was counted before but had not answered yet
// (it may land after the cycle's create: the 60-minute soak caught that
// once in 180,000 cycles).
func TestResetMayHaveWiped(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                    string
		genAtStart, doneAtStart int64
		genAtAnswer             int64
		want                    bool
	}{
		{"no reset", 2, 2, 2, false},
		{"a reset counted since the create", 2, 2, 3, true},
		{"a reset in flight at the create", 3, 2, 3, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tr := newTraffic("", config{})
			tr.gen.Store(tc.genAtStart)
			tr.resetsDone.Store(tc.doneAtStart)
			c := &clientState{t: tr}
			c.beginCycle()
			tr.gen.Store(tc.genAtAnswer)
			if got := c.resetMayHaveWiped(); got != tc.want {
				t.Errorf("resetMayHaveWiped() = %v, want %v", got, tc.want)
			}
		})
	}
}
