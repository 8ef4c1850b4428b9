package servicekey

import (
	"context"
	"sync"
)

// DefaultPoolCapacity is how many keys the process-wide pool keeps ready.
const DefaultPoolCapacity = 8

// RefillFunction is the fully qualified name of the function the pool's
// background goroutine runs. A goroutine-leak check that may see the pool
// still filling (it stops by itself once the pool is full, after at most
// capacity key generations) can ignore it:
//
//	goleak.VerifyNone(t, goleak.IgnoreAnyFunction(servicekey.RefillFunction))
//
// or wait for it to finish first with (*Pool).WaitIdle. (In the instant
// between the go statement and the goroutine's first step its stack shows
// only a compiler-generated wrapper; goleak's retries outlast that.)
const RefillFunction = "github.com/quaykit/go-quay/fakequay/internal/servicekey.(*Pool).refill"

// Pool hands out freshly generated keys, each to exactly one caller, and
// generates replacements ahead of demand on one background goroutine.
//
// A Pool costs nothing until it is first used: no goroutine and no key
// exists before the first Get or Warm. After that, whenever it holds fewer
// keys than its capacity, a single goroutine (running RefillFunction)
// generates keys until the pool is full again and then exits, so an idle
// pool has no goroutine. When the pool is empty, Get generates a key in the
// caller's goroutine instead of waiting.
//
// Keys are random and used once, so one pool may serve any number of fake
// servers; Generate uses a process-wide one. A Pool is safe for concurrent
// use.
type Pool struct {
	capacity int
	generate func() (*Key, error)

	mu    sync.Mutex
	ready []*Key
	// refillDone is non-nil while the refill goroutine runs and is closed
	// when it exits.
	refillDone chan struct{}
}

// NewPool returns a pool that keeps up to capacity keys ready. With
// capacity 0 it never generates ahead: every Get generates synchronously.
func NewPool(capacity int) *Pool {
	return newPoolWith(capacity, newKey)
}

func newPoolWith(capacity int, generate func() (*Key, error)) *Pool {
	return &Pool{capacity: max(capacity, 0), generate: generate}
}

var defaultPool = NewPool(DefaultPoolCapacity)

// DefaultPool returns the process-wide pool Generate uses.
func DefaultPool() *Pool { return defaultPool }

// Generate returns a new 2048-bit service key from the process-wide pool, as
// createServiceKey needs (§2.9). It is fast when the pool has a key ready
// and otherwise generates one synchronously (tens of milliseconds); either
// way it tops the pool up in the background.
func Generate(ctx context.Context) (*Key, error) {
	return defaultPool.Get(ctx)
}

// Get returns a key nobody else has been given: a ready one if there is
// one, otherwise one generated now. It also starts the background refill
// if the pool is below capacity. ctx is checked before any work; a
// synchronous generation, once started, runs to completion.
func (p *Pool) Get(ctx context.Context) (*Key, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	var key *Key
	if n := len(p.ready); n > 0 {
		key = p.ready[n-1]
		p.ready[n-1] = nil
		p.ready = p.ready[:n-1]
	}
	p.startRefillLocked()
	p.mu.Unlock()
	if key != nil {
		return key, nil
	}
	return p.generate()
}

// Warm starts filling the pool in the background without taking a key, for
// callers that know keys will be needed soon (a seed with service keys, a
// test about to create many). It returns at once.
func (p *Pool) Warm() {
	p.mu.Lock()
	p.startRefillLocked()
	p.mu.Unlock()
}

// Ready returns how many keys are ready to be handed out.
func (p *Pool) Ready() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ready)
}

// WaitIdle blocks until no refill goroutine is running (the pool is full or
// a generation failed) or ctx is done.
func (p *Pool) WaitIdle(ctx context.Context) error {
	p.mu.Lock()
	done := p.refillDone
	p.mu.Unlock()
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startRefillLocked starts the refill goroutine if the pool is below
// capacity and none is running. p.mu must be held.
func (p *Pool) startRefillLocked() {
	if p.refillDone != nil || len(p.ready) >= p.capacity {
		return
	}
	done := make(chan struct{})
	p.refillDone = done
	go p.refill(done)
}

// refill generates keys until the pool is full, then exits. A generation
// error (the system's randomness failing) also ends it; the next Get starts
// a new one.
func (p *Pool) refill(done chan struct{}) {
	defer close(done)
	for {
		key, err := p.generate()
		p.mu.Lock()
		if err == nil && len(p.ready) < p.capacity {
			p.ready = append(p.ready, key)
		}
		finished := err != nil || len(p.ready) >= p.capacity
		if finished {
			p.refillDone = nil
		}
		p.mu.Unlock()
		if finished {
			return
		}
	}
}
