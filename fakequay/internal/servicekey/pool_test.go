package servicekey

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

// TestMain proves that no pool goroutine outlives its work: every test
// waits for the pools it used to be idle, so nothing may be left running.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// countingGenerator stands in for RSA generation in the pool tests: it
// returns distinct cheap keys, counts calls, and can be made to block or
// fail, so the tests exercise the pool's concurrency without burning CPU.
type countingGenerator struct {
	calls   atomic.Int64
	entered chan struct{} // when non-nil, each call sends on it first
	gate    chan struct{} // when non-nil, each call waits for a value
	fail    atomic.Bool
}

var errGenerate = errors.New("generation failed")

func (g *countingGenerator) generate() (*Key, error) {
	if g.entered != nil {
		g.entered <- struct{}{}
	}
	if g.gate != nil {
		<-g.gate
	}
	n := g.calls.Add(1)
	if g.fail.Load() {
		return nil, errGenerate
	}
	return &Key{Kid: fmt.Sprintf("key-%d", n)}, nil
}

func waitIdle(t *testing.T, p *Pool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := p.WaitIdle(ctx); err != nil {
		t.Fatalf("WaitIdle: %v", err)
	}
}

func TestPool_UnusedCostsNothing(t *testing.T) {
	t.Parallel()
	var g countingGenerator
	p := newPoolWith(4, g.generate)
	type state struct {
		Calls   int64
		Ready   int
		Running bool
	}
	p.mu.Lock()
	got := state{g.calls.Load(), len(p.ready), p.refillDone != nil}
	p.mu.Unlock()
	if diff := cmp.Diff(state{}, got); diff != "" {
		t.Errorf("fresh pool (-want +got):\n%s", diff)
	}
}

func TestPool_ColdGetGeneratesInlineThenFills(t *testing.T) {
	t.Parallel()
	var g countingGenerator
	p := newPoolWith(4, g.generate)
	key, err := p.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if key == nil {
		t.Fatal("Get returned no key")
	}
	waitIdle(t, p)
	type state struct {
		Calls int64
		Ready int
	}
	// One key for the caller, four generated ahead.
	if diff := cmp.Diff(state{Calls: 5, Ready: 4}, state{g.calls.Load(), p.Ready()}); diff != "" {
		t.Errorf("after a cold Get (-want +got):\n%s", diff)
	}
}

func TestPool_WarmGetDoesNotWaitForGeneration(t *testing.T) {
	t.Parallel()
	g := countingGenerator{gate: make(chan struct{})}
	p := newPoolWith(2, g.generate)
	p.Warm()
	g.gate <- struct{}{}
	g.gate <- struct{}{}
	waitIdle(t, p)

	// Every generation now blocks; a Get must still succeed at once, from
	// the ready keys, while the refill it starts waits at the gate.
	first, err := p.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := []string{first.Kid, second.Kid}
	slices.Sort(got)
	if diff := cmp.Diff([]string{"key-1", "key-2"}, got); diff != "" {
		t.Errorf("keys from a warm pool (-want +got):\n%s", diff)
	}
	g.gate <- struct{}{}
	g.gate <- struct{}{}
	waitIdle(t, p)
	if diff := cmp.Diff(2, p.Ready()); diff != "" {
		t.Errorf("ready after refill (-want +got):\n%s", diff)
	}
}

func TestPool_ConcurrentGetsGetDistinctKeys(t *testing.T) {
	t.Parallel()
	var g countingGenerator
	p := newPoolWith(4, g.generate)
	const callers = 64
	kids := make([]string, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			key, err := p.Get(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			kids[i] = key.Kid
		})
	}
	wg.Wait()
	waitIdle(t, p)
	slices.Sort(kids)
	if diff := cmp.Diff(callers, len(slices.Compact(kids))); diff != "" {
		t.Errorf("distinct keys handed out (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(int64(callers+4), g.calls.Load()); diff != "" {
		t.Errorf("generations: one per caller plus a full pool (-want +got):\n%s", diff)
	}
}

func TestPool_ZeroCapacityNeverGeneratesAhead(t *testing.T) {
	t.Parallel()
	var g countingGenerator
	p := newPoolWith(0, g.generate)
	for range 3 {
		if _, err := p.Get(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	p.Warm()
	waitIdle(t, p)
	type state struct {
		Calls int64
		Ready int
	}
	if diff := cmp.Diff(state{Calls: 3}, state{g.calls.Load(), p.Ready()}); diff != "" {
		t.Errorf("capacity 0 (-want +got):\n%s", diff)
	}
}

func TestPool_GenerationErrors(t *testing.T) {
	t.Parallel()
	var g countingGenerator
	g.fail.Store(true)
	p := newPoolWith(3, g.generate)
	_, err := p.Get(t.Context())
	if diff := cmp.Diff(errGenerate.Error(), fmt.Sprint(err)); diff != "" {
		t.Errorf("Get on an empty pool with failing generation (-want +got):\n%s", diff)
	}
	// The refill gives up after its first failure instead of spinning.
	waitIdle(t, p)
	if calls := g.calls.Load(); calls > 2 {
		t.Errorf("generations after failure = %d, want at most 2 (caller and one refill attempt)", calls)
	}
	// Once generation works again the next Get refills the pool.
	g.fail.Store(false)
	if _, err := p.Get(t.Context()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, p)
	if diff := cmp.Diff(3, p.Ready()); diff != "" {
		t.Errorf("ready after recovery (-want +got):\n%s", diff)
	}
}

func TestPool_GetHonoursCancelledContext(t *testing.T) {
	t.Parallel()
	var g countingGenerator
	p := newPoolWith(2, g.generate)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := p.Get(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(int64(0), g.calls.Load()); diff != "" {
		t.Errorf("generations (-want +got):\n%s", diff)
	}
}

func TestPool_WaitIdleHonoursContext(t *testing.T) {
	t.Parallel()
	g := countingGenerator{gate: make(chan struct{})}
	p := newPoolWith(1, g.generate)
	p.Warm()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if err := p.WaitIdle(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitIdle while generation blocks: %v, want DeadlineExceeded", err)
	}
	close(g.gate)
	waitIdle(t, p)
}

// RefillFunction must name the goroutine exactly as goleak sees it, or the
// documented IgnoreAnyFunction option would not work. Not parallel: goleak
// inspects every goroutine in the process.
func TestRefillFunction_NamesTheGoroutine(t *testing.T) {
	before := goleak.IgnoreCurrent()
	g := countingGenerator{entered: make(chan struct{}), gate: make(chan struct{})}
	p := newPoolWith(1, g.generate)
	p.Warm()
	<-g.entered // the refill goroutine is running and now waits at the gate

	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	if !strings.Contains(stacks, RefillFunction+"(") {
		t.Errorf("no goroutine runs %s; stacks:\n%s", RefillFunction, stacks)
	}
	if err := goleak.Find(before); err == nil {
		t.Error("goleak did not see the running refill goroutine")
	}
	if err := goleak.Find(before, goleak.IgnoreAnyFunction(RefillFunction)); err != nil {
		t.Errorf("goleak with IgnoreAnyFunction(RefillFunction): %v", err)
	}
	close(g.gate)
	waitIdle(t, p)
}

// Generate uses the real process-wide pool: one real key for the caller,
// then the pool fills with DefaultPoolCapacity more in the background.
func TestGenerate_DefaultPool(t *testing.T) {
	t.Parallel()
	key, err := Generate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Thumbprint(key.JWK), key.Kid); diff != "" {
		t.Errorf("kid (-want +got):\n%s", diff)
	}
	waitIdle(t, DefaultPool())
	if diff := cmp.Diff(DefaultPoolCapacity, DefaultPool().Ready()); diff != "" {
		t.Errorf("default pool after one Generate (-want +got):\n%s", diff)
	}
	second, err := Generate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if second.Kid == key.Kid {
		t.Error("Generate returned the same key twice")
	}
	waitIdle(t, DefaultPool())
}
