package fakequay

import (
	"math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// random is the server's seeded source of every random value it hands out
// (UUIDs, generated passwords, codes, page-token IVs), so a run with the same
// seed and the same requests produces the same answers.
type random struct {
	mu  sync.Mutex
	r   *rand.ChaCha8
	key [32]byte
	// marked is the generator's state at mark, which reset returns to; nil
	// until the first mark: then reset starts over from key.
	marked []byte
}

func newRandom(seed, boot uint64) *random {
	var key [32]byte
	for i := range 8 {
		key[i] = byte(seed >> (8 * i))
		key[8+i] = byte(boot >> (8 * i))
	}
	return &random{r: rand.NewChaCha8(key), key: key}
}

// mark remembers the current position in the sequence. The server marks it
// once its seed is loaded, so that Reset does not hand out again the values
// the seed already took.
func (rd *random) mark() {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	state, err := rd.r.MarshalBinary()
	if err != nil {
		panic("fakequay: saving the random state: " + err.Error())
	}
	rd.marked = state
}

// reset returns the sequence to the last mark (used by Server.Reset).
func (rd *random) reset() {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if rd.marked == nil {
		rd.r.Seed(rd.key)
		return
	}
	if err := rd.r.UnmarshalBinary(rd.marked); err != nil {
		panic("fakequay: restoring the random state: " + err.Error())
	}
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
	var stack [64]byte // the usual lengths, without a second allocation
	b := stack[:0]
	if n > len(stack) {
		b = make([]byte, 0, n)
	}
	b = b[:n]
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
