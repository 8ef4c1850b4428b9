package fakequay

import (
	"sync"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// A server without seed rows holds only the built-in admin and its token:
// the same state for every server given that token, and the default token
// comes from the default random seed. Most tests start such a server, so
// the state is loaded once per token and later servers start from a
// snapshot of it in O(1) (issue 5, goal 1). Snapshots are immutable;
// each server writes on its own copy.

// builtinStates maps an admin token to the state loaded for it.
var builtinStates struct {
	sync.Mutex
	byToken map[string]store.Snapshot
}

// maxBuiltinStates bounds the cache: a suite drawing a random token per
// server would otherwise grow it without end.
const maxBuiltinStates = 64

// loadBuiltin gives the server the built-in state for token, running load
// to make it the first time.
func (s *Server) loadBuiltin(token string, load func() error) error {
	builtinStates.Lock()
	snap, ok := builtinStates.byToken[token]
	builtinStates.Unlock()
	if ok {
		s.store.Restore(snap)
		s.superuserToken = token
		return nil
	}
	if err := load(); err != nil {
		return err
	}
	builtinStates.Lock()
	defer builtinStates.Unlock()
	if builtinStates.byToken == nil {
		builtinStates.byToken = map[string]store.Snapshot{}
	}
	if len(builtinStates.byToken) < maxBuiltinStates {
		builtinStates.byToken[token] = s.store.Snapshot()
	}
	return nil
}

// hasRows reports whether the seed has any row to load, as opposed to
// configuration alone.
func (seed Seed) hasRows() bool {
	return len(seed.Users) > 0 || len(seed.Organizations) > 0 || len(seed.Quotas) > 0 ||
		len(seed.ServiceKeys) > 0 || len(seed.Builds) > 0 || len(seed.Logs) > 0 || seed.RegistrySize != nil ||
		len(seed.AppTokens) > 0 || len(seed.Messages) > 0 || seed.RepoMirror != nil ||
		len(seed.Robots) > 0 || len(seed.Repositories) > 0 || len(seed.Prototypes) > 0
}
