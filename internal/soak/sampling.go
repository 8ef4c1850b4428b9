package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// latencies are request durations.
type latencies []time.Duration

// percentile returns the p-th percentile (0 to 100) by the nearest-rank
// method, or 0 for none.
func (l latencies) percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	rank := int(p/100*float64(len(s)) + 0.999999)
	return s[min(max(rank, 1), len(s))-1]
}

// loadRange is the lowest and highest load average seen.
type loadRange struct {
	mu     sync.Mutex
	lo, hi float64
	n      int
}

func (r *loadRange) add(v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 || v < r.lo {
		r.lo = v
	}
	if r.n == 0 || v > r.hi {
		r.hi = v
	}
	r.n++
}

// sampleLoop samples every stub each cfg.sample until ctx ends, printing a
// progress line per report interval, and returns the load averages seen.
func sampleLoop(ctx context.Context, cfg config, stubs []*stub, started time.Time, progress io.Writer) *loadRange {
	loads := &loadRange{}
	hc := &http.Client{Timeout: 10 * time.Second}
	tick := time.NewTicker(cfg.sample)
	defer tick.Stop()
	nextLine := cfg.interval
	for {
		select {
		case <-ctx.Done():
			return loads
		case <-tick.C:
		}
		if ctx.Err() != nil {
			return loads // the run ended with this tick: the clients are stopping
		}
		at := time.Since(started)
		if l, ok := loadAverage(); ok {
			loads.add(l)
		}
		for _, s := range stubs {
			smp := s.measure(context.WithoutCancel(ctx), at, hc)
			s.mu.Lock()
			s.samples = append(s.samples, smp)
			s.mu.Unlock()
		}
		if at >= nextLine {
			nextLine += cfg.interval
			for _, s := range stubs {
				last := s.samples[len(s.samples)-1]
				fmt.Fprintf(progress, "soak: %s %-4s rss %s, goroutines %d, fds %d, p99 %s, journal %d\n",
					at.Round(time.Second), s.name, mib(last.rssBytes), last.goroutines, last.fds,
					last.lat.percentile(99).Round(10*time.Microsecond), last.journalLen)
			}
		}
	}
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
