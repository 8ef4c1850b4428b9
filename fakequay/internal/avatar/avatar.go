// Package avatar computes the avatar object Quay attaches to users, robots,
// organizations and teams (reference §1.9, "Avatar object";
// avatars/avatars.py BaseAvatar.get_data with the default AVATAR_KIND
// "local").
//
// The hash is the SHA-256 hex digest of the account's email (or its name when
// the email is empty), stripped and lowercased with Python's str semantics;
// the colour is picked from Quay's default 32-colour palette by the hash's
// first byte.
package avatar

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"sync/atomic"

	"github.com/quaykit/go-quay/fakequay/internal/pystr"
)

// Kinds of avatar Quay emits.
const (
	KindUser  = "user"
	KindRobot = "robot"
	KindOrg   = "org"
	KindTeam  = "team"
)

// Colors is Quay's default AVATAR_COLORS palette (config.py DefaultConfig),
// indexed by the first byte of the hash modulo its length.
var Colors = [32]string{
	"#969696", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896",
	"#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7",
	"#bcbd22", "#1f77b4", "#17becf", "#9edae5", "#393b79", "#5254a3", "#6b6ecf", "#9c9ede",
	"#9ecae1", "#31a354", "#b5cf6b", "#a1d99b", "#8c6d31", "#ad494a", "#e7ba52", "#a55194",
}

// Avatar is Quay's avatar object. The field order is the key order Quay's
// Flask-RESTful responses use; jsonify responses (service keys) sort the keys
// instead, which encoding/json does not do for structs.
type Avatar struct {
	Name  string `json:"name"`
	Hash  string `json:"hash"`
	Color string `json:"color"`
	Kind  string `json:"kind"`
}

// hashInputBuffer is large enough for any email Quay's validation accepts
// (254 bytes) once lowercased, so the common path needs no heap buffer.
const hashInputBuffer = 256

// Compute returns the avatar Quay shows for an account called name with the
// given email and kind (one of the Kind constants; it is copied as given).
//
// As in Quay, an empty email falls back to the name, and the hashed text is
// (email or name).strip().lower() with Python's Unicode rules (see
// [pystr.TrimSpace] and [pystr.AppendLower]). Inputs up to 256 bytes cost
// one allocation: the hash string.
//
// The hash and colour of recently seen sources are remembered (see
// recent), since a page of 100 users is read far more often than its
// users change: the SHA-256 is most of the cost of a user's view.
func Compute(name, email, kind string) Avatar {
	source := email
	if source == "" {
		source = name
	}
	slot := &recent[maphash.String(recentSeed, source)%uint64(len(recent))]
	h := slot.Load()
	if h == nil || h.source != source {
		h = hashOf(source)
		slot.Store(h)
	}
	return Avatar{Name: name, Hash: h.hash, Color: h.color, Kind: kind}
}

// hashed is the part of an avatar that depends on its source text.
type hashed struct {
	source, hash, color string
}

// recent is a direct-mapped cache of hashed sources, safe for concurrent
// use: a slot holds the last source that hashed to it. A million-user walk
// only ever misses; it then costs a lookup and an allocation more.
var recent [4096]atomic.Pointer[hashed]

var recentSeed = maphash.MakeSeed()

func hashOf(source string) *hashed {
	var buf [hashInputBuffer]byte
	sum := sha256.Sum256(pystr.AppendLower(buf[:0], pystr.TrimSpace(source)))
	var digest [2 * sha256.Size]byte
	hex.Encode(digest[:], sum[:])
	return &hashed{
		source: source,
		hash:   string(digest[:]),
		// Quay reads ceil(log16(32)) = 2 hex characters, i.e. the first byte.
		color: Colors[int(sum[0])%len(Colors)],
	}
}
