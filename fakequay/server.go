package fakequay

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Server is an in-memory Quay. Its zero value is not usable; create one with
// New (no listener) or RunT (listening on loopback for one test).
type Server struct {
	cfg    Config
	store  *store.Store
	clock  *clock
	rand   *random
	logger *slog.Logger
	router *router

	// seed is the state right after loading the seed, for Reset.
	seed     store.Snapshot
	seedTime time.Time

	superuserToken string

	faults  faults
	journal *journal
	panics  atomic.Int64

	mu      sync.Mutex // guards httpSrv
	httpSrv *httptest.Server
}

// defaultRandSeed makes runs repeatable without asking callers for a seed.
const defaultRandSeed = 0x71a7

// New builds a server without listening. Serve it with Handler, or through
// HTTPClient without any socket. Errors name the option or seed entry at fault.
func New(opts ...Option) (*Server, error) {
	o := options{config: DefaultConfig(), randSeed: defaultRandSeed, journalSize: 1000}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	seed, err := o.loadSeed()
	if err != nil {
		return nil, err
	}
	if seed.Config != nil {
		o.config = *seed.Config
	}
	for _, edit := range o.configEdits {
		edit(&o.config)
	}
	if err := o.config.validate(); err != nil {
		return nil, err
	}
	start := o.now
	if start.IsZero() {
		start = seed.Now
	}
	if start.IsZero() {
		start = time.Now()
	}
	logger := o.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:     o.config,
		store:   store.New(),
		clock:   newClock(start, o.wallClock),
		rand:    newRandom(o.randSeed),
		logger:  logger,
		journal: newJournal(o.journalSize),
	}
	s.faults.chance = rand.New(rand.NewPCG(o.randSeed, 0x5eed))
	if err := s.load(seed, o.token); err != nil {
		return nil, err
	}
	s.router = s.buildRouter()
	s.seed = s.store.Snapshot()
	s.seedTime = s.clock.Now()
	return s, nil
}

// RunT starts a server on a loopback port for the duration of test t and
// closes it in t.Cleanup. It fails the test if the options are invalid.
func RunT(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("fakequay.RunT: %v", err)
	}
	s.start()
	t.Cleanup(s.Close)
	return s
}

func (s *Server) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv == nil {
		s.httpSrv = httptest.NewServer(s)
	}
}

// URL returns the base URL of a started server (RunT), e.g.
// "http://127.0.0.1:41234"; a client appends /api/v1 itself. For a server
// built with New and not listening it returns "http://fakequay.invalid",
// which only HTTPClient can reach.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv == nil {
		return "http://fakequay.invalid"
	}
	return s.httpSrv.URL
}

// Close stops the listener, if any, and waits for in-flight requests.
// It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	srv := s.httpSrv
	s.httpSrv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Handler returns the server as an http.Handler, for mounting in a caller's
// own http.Server (the dev-stub binary does this).
func (s *Server) Handler() http.Handler { return s }

// SuperuserToken returns a bearer token with every scope for a superuser:
// the built-in "admin" user's when there is no seed, else the first
// all-scope token of the first user in SUPER_USERS that has one.
func (s *Server) SuperuserToken() string { return s.superuserToken }

// Now returns the fake clock's time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves the fake clock by d, then runs the background work Quay's
// workers would have done meanwhile (namespace purge, registry size).
func (s *Server) Advance(d time.Duration) {
	s.clock.Advance(d)
	s.runWorkers()
}

// SetTime moves the fake clock to t (forwards or backwards), then runs the
// background workers as Advance does.
func (s *Server) SetTime(t time.Time) {
	s.clock.Set(t)
	s.runWorkers()
}

// Reset returns the server to the state right after it loaded its seed
// (or to its built-in state without one), including the clock and the
// random sequence. It costs O(1).
func (s *Server) Reset() {
	if err := s.store.Restore(s.seed); err != nil {
		s.logger.Error("fakequay: reset failed", "err", err)
		return
	}
	s.clock.Set(s.seedTime)
	s.rand.reset()
}

// RunWorkers runs Quay's background workers once, now: the namespace purge
// and, with quota management on, the registry size calculation. Advance and
// SetTime call it; the dev-stub binary calls it every minute.
func (s *Server) RunWorkers() { s.runWorkers() }

// runWorkers does what Quay's background workers do between two moments of
// the fake clock. The registry-size worker is Quay's
// quotaregistrysizeworker, which only runs with FEATURE_QUOTA_MANAGEMENT;
// it polls every minute in Quay, here it runs on every clock move.
func (s *Server) runWorkers() {
	if _, err := s.PurgeDeletedNamespaces(); err != nil {
		s.logger.Error("fakequay: namespace purge failed", "err", err)
	}
	if s.cfg.FeatureQuotaManagement {
		if _, err := s.RunRegistrySizeWorker(); err != nil {
			s.logger.Error("fakequay: registry size calculation failed", "err", err)
		}
	}
}

// PurgeDeletedNamespaces runs Quay's namespace GC now: namespaces pending
// deletion disappear and their names become available again. It returns how
// many it purged.
func (s *Server) PurgeDeletedNamespaces() (int, error) {
	return s.store.PurgeDeletedNamespaces()
}

// RunRegistrySizeWorker runs one pass of Quay's registry-size worker now,
// whatever FEATURE_QUOTA_MANAGEMENT says: a queued calculation completes
// with last_ran at the fake clock's time. It reports whether one was
// queued. fakequay stores no image layers, so the size is the sum of every
// namespace's consumed bytes (quota_report's quota_bytes, the seed's
// used_bytes) where Quay sums its image storage.
func (s *Server) RunRegistrySizeWorker() (bool, error) {
	return s.store.CalculateRegistrySize(s.clock.Now())
}
