package servicekey

import (
	"crypto/rand"
	"crypto/rsa"
	"slices"
	"testing"
	"time"
)

// reportPercentiles adds p50 and p90 of the measured latencies to the
// benchmark's output.
func reportPercentiles(b *testing.B, latencies []time.Duration) {
	b.Helper()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(latencies[len(latencies)*9/10].Nanoseconds()), "p90-ns")
}

// BenchmarkRSAGenerateBaseline is the cost every cold createServiceKey pays:
// one 2048-bit RSA generation, nothing else.
func BenchmarkRSAGenerateBaseline(b *testing.B) {
	for b.Loop() {
		if _, err := rsa.GenerateKey(rand.Reader, KeyBits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerateCold is Get on a pool that holds nothing (capacity 0):
// generation plus PEM and JWK encoding, in the caller's goroutine.
func BenchmarkGenerateCold(b *testing.B) {
	p := NewPool(0)
	var latencies []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := p.Get(b.Context()); err != nil {
			b.Fatal(err)
		}
		latencies = append(latencies, time.Since(start))
	}
	reportPercentiles(b, latencies)
}

// BenchmarkGenerateWarmPool is Get when a key is ready: the pool's own
// overhead, with the background refill running as it does in use. The
// refill recycles one real key so that the benchmark measures taking, not
// generating.
func BenchmarkGenerateWarmPool(b *testing.B) {
	key, err := realKey()
	if err != nil {
		b.Fatal(err)
	}
	p := newPoolWith(DefaultPoolCapacity, func() (*Key, error) {
		k := *key
		return &k, nil
	})
	p.Warm()
	if err := p.WaitIdle(b.Context()); err != nil {
		b.Fatal(err)
	}
	var latencies []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := p.Get(b.Context()); err != nil {
			b.Fatal(err)
		}
		latencies = append(latencies, time.Since(start))
	}
	reportPercentiles(b, latencies)
	if err := p.WaitIdle(b.Context()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGenerateBurst20 is a test that creates 20 service keys back to
// back with real generation, starting from a full pool of the default size:
// the first keys come from the pool, later ones race the refill and the
// synchronous fallback. Each iteration refills the pool untimed first, so
// one iteration costs about 28 RSA generations of CPU; run it with a small
// -benchtime such as 3x.
func BenchmarkGenerateBurst20(b *testing.B) {
	const burst = 20
	p := NewPool(DefaultPoolCapacity)
	var latencies []time.Duration
	for b.Loop() {
		b.StopTimer()
		p.Warm()
		if err := p.WaitIdle(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for range burst {
			start := time.Now()
			if _, err := p.Get(b.Context()); err != nil {
				b.Fatal(err)
			}
			latencies = append(latencies, time.Since(start))
		}
	}
	reportPercentiles(b, latencies)
	if err := p.WaitIdle(b.Context()); err != nil {
		b.Fatal(err)
	}
}
