package fakequay

import (
	"math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// random is the server's seeded source of every random value it hands out
// (UUIDs, generated passwords, codes, page-token IVs), so a run with the same
// seed and the same requests produces the same answers.
//
// With a data directory, each start of the server is a new boot and draws
// from its own sequence (the boot number is part of the key): a restarted
// server must not hand out the UUIDs and codes it handed out before, which
// its restored state may still hold.
type random struct {
	mu   sync.Mutex
	seed uint64
	boot uint64
	r    *rand.ChaCha8
}

func newRandom(seed, boot uint64) *random {
	rd := &random{seed: seed, boot: boot}
	rd.reset()
	return rd
}

// reset restarts the boot's sequence (used by Server.Reset).
func (rd *random) reset() {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	var key [32]byte
	for i := range 8 {
		key[i] = byte(rd.seed >> (8 * i))
		key[8+i] = byte(rd.boot >> (8 * i))
	}
	rd.r = rand.NewChaCha8(key)
}

// Read fills p with random bytes; it never fails.
func (rd *random) Read(p []byte) (int, error) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	return rd.r.Read(p)
}

// uuid returns a random (version 4) UUID string, as Python's str(uuid4()).
func (rd *random) uuid() string {
	return uuid.Must(uuid.NewRandomFromReader(rd)).String()
}

// chars returns n characters drawn uniformly from alphabet.
func (rd *random) chars(n int, alphabet string) string {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	b := make([]byte, n)
	gen := rand.New(rd.r)
	for i := range b {
		b[i] = alphabet[gen.IntN(len(alphabet))]
	}
	return string(b)
}

const (
	upperDigits  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)
