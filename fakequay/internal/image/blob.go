package image

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sync"
)

// Blob is one blob a push uploads (a layer or a config): its descriptor and
// its content. Generated content is not held in memory; Reader produces it
// again on each call.
type Blob struct {
	Descriptor
	data []byte // the content, when the description gave it
	seed string // otherwise the seed of generated content
}

// Reader returns the blob's content from the start.
func (b Blob) Reader() io.Reader {
	if b.data != nil {
		return bytes.NewReader(b.data)
	}
	return io.LimitReader(newFiller(b.seed), b.Size)
}

// Bytes returns the blob's content. For a large generated layer this
// allocates its whole size; prefer Reader.
func (b Blob) Bytes() []byte {
	if b.data != nil {
		return bytes.Clone(b.data)
	}
	buf := make([]byte, b.Size)
	io.ReadFull(newFiller(b.seed), buf) // a filler never fails or ends
	return buf
}

// The generated content of a layer is the AES-256-CTR keystream under the
// key sha256(seed) with a zero counter block: fast (a gigabyte takes well
// under a second), fixed by standards rather than by a Go version, and
// reproducible in any language (the tests check it against Python's
// cryptography package). Any prefix of the stream is the content of the
// same seed at a smaller size.
func newFiller(seed string) io.Reader {
	key := sha256.Sum256([]byte(seed))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err) // unreachable: a 32-byte key is always valid
	}
	return &filler{stream: cipher.NewCTR(block, make([]byte, aes.BlockSize))}
}

type filler struct{ stream cipher.Stream }

func (f *filler) Read(p []byte) (int, error) {
	clear(p)
	f.stream.XORKeyStream(p, p)
	return len(p), nil
}

// fillerDigests memoizes the digest of generated content by seed and size,
// so that building the same large layer again costs nothing.
var fillerDigests sync.Map // fillerKey -> Digest

type fillerKey struct {
	seed string
	size int64
}

func fillerDigest(seed string, size int64) Digest {
	k := fillerKey{seed, size}
	if d, ok := fillerDigests.Load(k); ok {
		return d.(Digest)
	}
	h := sha256.New()
	io.CopyN(h, newFiller(seed), size) // a filler never fails or ends
	d := Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
	fillerDigests.Store(k, d)
	return d
}
