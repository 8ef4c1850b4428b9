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

// restoreBuiltin gives the server the built-in state for token, if one was
// loaded before, and reports whether it did.
func (s *Server) restoreBuiltin(token string) bool {
	builtinStates.Lock()
	snap, ok := builtinStates.byToken[token]
	builtinStates.Unlock()
	if !ok {
		return false
	}
	s.store.Restore(snap)
	s.seed = snap // immutable: Reset may return to it as well as to a copy
	s.superuserToken = token
	return true
}

// keepBuiltin remembers the state the server just loaded as the built-in
// state for token.
func (s *Server) keepBuiltin(token string) {
	builtinStates.Lock()
	defer builtinStates.Unlock()
	if builtinStates.byToken == nil {
		builtinStates.byToken = map[string]store.Snapshot{}
	}
	if len(builtinStates.byToken) < maxBuiltinStates {
		builtinStates.byToken[token] = s.store.Snapshot()
	}
}

// hasRows reports whether the seed has any row to load, as opposed to
// configuration alone.
func (seed Seed) hasRows() bool {
	return len(seed.Users) > 0 || len(seed.Organizations) > 0 || len(seed.Quotas) > 0 ||
		len(seed.ServiceKeys) > 0 || len(seed.Builds) > 0 || len(seed.Logs) > 0 || seed.RegistrySize != nil ||
		len(seed.AppTokens) > 0 || len(seed.Messages) > 0 || seed.RepoMirror != nil ||
		len(seed.Robots) > 0 || len(seed.Repositories) > 0 || len(seed.Prototypes) > 0 ||
		len(seed.Images) > 0 || len(seed.Manifests) > 0 || len(seed.Notifications) > 0 ||
		len(seed.SecurityScans) > 0
}
