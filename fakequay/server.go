package fakequay

import (
	"fmt"
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
	changelog      string // what getChangeLog answers
	// secretKeyValue is Flask's SECRET_KEY (see secretKey), drawn when the
	// config dump first shows it or a session is first signed.
	secretKeyOnce   sync.Once
	secretKeyValue  string
	secretKeyStream [2]uint64 // the PCG seed it is drawn with

	faults  faults
	journal *journal
	panics  atomic.Int64
	memo    atomic.Pointer[viewMemo] // see viewmemo.go; nil until a page is listed

	// persist is the data directory (WithDataDir), or nil: then nothing
	// touches the disk.
	persist *persister

	mu      sync.Mutex // guards httpSrv
	httpSrv *httptest.Server
}

// discardLogger is the logger of a server given none.
var discardLogger = slog.New(slog.DiscardHandler)

// defaultRandSeed makes runs repeatable without asking callers for a seed.
const defaultRandSeed = 0x71a7

// New builds a server without listening. Serve it with Handler, or through
// HTTPClient without any socket. Errors name the option or seed entry at fault.
func New(opts ...Option) (*Server, error) {
	o := options{config: DefaultConfig(), randSeed: defaultRandSeed, journalSize: 1000,
		compactBytes: DefaultCompactionThreshold}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	logger := o.logger
	if logger == nil {
		logger = discardLogger
	}
	if o.dataDir == "" {
		return newFromSeed(&o, logger)
	}
	p, err := openPersister(o.dataDir, o.compactBytes, logger)
	if err != nil {
		return nil, err
	}
	s, err := newPersistent(&o, logger, p)
	if err != nil {
		p.abandon()
		return nil, err
	}
	return s, nil
}

// newFromSeed builds a server whose state starts from the seed. It takes
// o by pointer, as the others below do: each copy of it was an allocation.
func newFromSeed(o *options, logger *slog.Logger) (*Server, error) {
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
	now := time.Now() // one reading for the start and the anchor: it is not free
	start := o.now
	if start.IsZero() {
		start = seed.Now
	}
	if start.IsZero() {
		start = now
	}
	s := newServer(o, logger, o.config, newClock(start, now, o.wallClock), 0)
	if err := s.load(seed, o.token); err != nil {
		return nil, err
	}
	s.changelog = o.changelogText(seed)
	s.router = s.buildRouter()
	s.rand.mark()
	if s.seed == (store.Snapshot{}) { // restoreBuiltin sets it to the state it shares
		s.seed = s.store.Snapshot()
	}
	s.seedTime = s.clock.Now()
	return s, nil
}

// newPersistent builds a server on a locked data directory: from the seed
// when the directory is empty (then saving that state as the first), else
// from the directory's state.
func newPersistent(o *options, logger *slog.Logger, p *persister) (*Server, error) {
	has, err := p.hasState()
	if err != nil {
		return nil, fmt.Errorf("fakequay: data directory: %w", err)
	}
	var s *Server
	if !has {
		if s, err = newFromSeed(o, logger); err != nil {
			return nil, err
		}
		p.clock = s.clock
		base := baseMeta{Config: s.cfg, SuperuserToken: s.superuserToken, SeedTime: s.seedTime, Changelog: s.changelog}
		if err := p.initialize(s.seed.Read(), base, runState{Clock: s.clock.state()}); err != nil {
			return nil, err
		}
		logger.Info("fakequay: data directory was empty: started from the seed and saved it", "dir", p.dir)
	} else {
		if s, err = restoreServer(o, logger, p); err != nil {
			return nil, err
		}
	}
	s.persist = p
	s.store.SetCommitHook(p.commit)
	return s, nil
}

// restoreServer builds a server from a data directory's state. The boot
// count goes up and is saved before the server hands out any random value.
func restoreServer(o *options, logger *slog.Logger, p *persister) (*Server, error) {
	r, err := p.load()
	if err != nil {
		return nil, err
	}
	cfg := r.baseMeta.Config
	for _, edit := range o.configEdits {
		edit(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	boot := r.run.Boot + 1
	now := time.Now()
	s := newServer(o, logger, cfg, newClock(now, now, o.wallClock), boot)
	s.clock.resume(r.run.Clock)
	if err := s.store.Restore(r.state); err != nil {
		return nil, err
	}
	s.router = s.buildRouter()
	s.seed, s.seedTime, s.superuserToken = r.base, r.baseMeta.SeedTime, r.baseMeta.SuperuserToken
	s.changelog = r.baseMeta.Changelog
	if o.changelog != nil {
		s.changelog = *o.changelog
	}
	p.clock, p.boot = s.clock, boot
	if err := p.saveRun(); err != nil {
		return nil, err
	}
	if o.seed != nil || o.seedFile != "" || o.token != "" || !o.now.IsZero() {
		logger.Info("fakequay: the data directory holds a state, which wins: the seed, token and start time "+
			"given are used only on a first start, and were not loaded", "dir", p.dir)
	}
	logger.Info("fakequay: restored the data directory's state", "dir", p.dir, "boot", boot,
		"journal_records_replayed", r.replayed, "torn_bytes_dropped", r.tornBytes, "now", s.clock.Now())
	return s, nil
}

func newServer(o *options, logger *slog.Logger, cfg Config, clk *clock, boot uint64) *Server {
	s := &Server{
		cfg:     cfg,
		store:   store.New(),
		clock:   clk,
		rand:    newRandom(o.randSeed, boot),
		logger:  logger,
		journal: newJournal(o.journalSize),
	}
	s.faults.pcg.Seed(o.randSeed, 0x5eed^boot)
	s.secretKeyStream = [2]uint64{o.randSeed, 0x5ec2e7 ^ boot}
	return s
}

// secretKey is Flask's SECRET_KEY as Quay generates it, drawn on first
// use from a stream of its own, so that the key does not shift the values
// s.rand hands out.
func (s *Server) secretKey() string {
	s.secretKeyOnce.Do(func() {
		s.secretKeyValue = flaskSecretKey(rand.New(rand.NewPCG(s.secretKeyStream[0], s.secretKeyStream[1])))
	})
	return s.secretKeyValue
}

// RunT starts a server on a loopback port for the duration of test t and
// closes it in t.Cleanup. It fails the test if the options are invalid.
func RunT(t testing.TB, opts ...Option) *Server {
	s, err := New(opts...)
	if err != nil {
		t.Helper() // only here: it walks the stack, and most calls succeed
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
// With a data directory it then snapshots the state, closes the journal and
// releases the directory; later writes fail. It is safe to call more than
// once.
func (s *Server) Close() {
	s.mu.Lock()
	srv := s.httpSrv
	s.httpSrv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
	if s.persist != nil {
		if err := s.persist.close(s.store); err != nil {
			s.logger.Error("fakequay: closing the data directory", "err", err)
		}
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
	s.logError("advancing the clock", s.moveClock(func(c *clock) { c.Advance(d) }))
}

// SetTime moves the fake clock to t (forwards or backwards), then runs the
// background workers as Advance does.
func (s *Server) SetTime(t time.Time) {
	s.logError("setting the clock", s.moveClock(func(c *clock) { c.Set(t) }))
}

// moveClock moves the clock, saves where it stands in the data directory,
// if any (putting it back if that fails), and runs the workers.
func (s *Server) moveClock(move func(*clock)) error {
	prev := s.clock.state()
	move(s.clock)
	if s.persist != nil {
		if err := s.persist.saveRun(); err != nil {
			s.clock.resume(prev)
			return err
		}
	}
	s.runWorkers()
	return nil
}

// Reset returns the server to the state right after it loaded its seed
// (or to its built-in state without one), including the clock and the
// random sequence. It costs O(1), plus a snapshot with a data directory,
// where the reset is durable before it is visible.
func (s *Server) Reset() { s.logError("resetting", s.reset()) }

func (s *Server) reset() error {
	prev := s.clock.state()
	s.clock.Set(s.seedTime)
	// With a data directory, Restore's snapshot saves the clock set above
	// in the same file as the state: both survive a crash, or neither.
	if err := s.store.Restore(s.seed); err != nil {
		s.clock.resume(prev)
		return err
	}
	s.rand.reset()
	return nil
}

func (s *Server) logError(what string, err error) {
	if err != nil {
		s.logger.Error("fakequay: "+what+" failed", "err", err)
	}
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
