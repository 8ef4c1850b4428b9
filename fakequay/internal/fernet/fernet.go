// Package fernet implements Fernet tokens (https://github.com/fernet/spec),
// byte-compatible with Python's cryptography.fernet, which Quay uses to make
// its opaque next_page tokens (reference §1.8, util/pagination.py).
//
// A token is the URL-safe base64 (with padding) of
//
//	0x80 ‖ timestamp (8 bytes, big-endian Unix seconds) ‖ IV (16) ‖
//	AES-128-CBC ciphertext of the PKCS#7-padded message ‖
//	HMAC-SHA256 of everything before it (32)
//
// under a 32-byte key whose first half signs and second half encrypts.
//
// The fake has its own clock and seeded randomness, so Encrypt takes the time
// and IV from the caller instead of reading them itself. Decrypt follows
// cryptography's checks in cryptography's order and accepts exactly the token
// spellings Python's lenient base64 decoder accepts, so a token that Quay
// would silently ignore (and answer with the first page) fails here too.
package fernet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"sync"
	"time"
)

// QuayPageTokenKey is the default PAGE_TOKEN_KEY in Quay's config.py. Tokens
// made with it decrypt in a real Quay that kept the default, and vice versa.
const QuayPageTokenKey = "0OYrc16oBuksR8T3JGB-xxYSlZ2-7I_zzqrLzggBJ58="

// QuayPageTokenTTL is how long Quay accepts a page token (util/pagination.py
// _PAGE_TOKEN_TTL, two days).
const QuayPageTokenTTL = 48 * time.Hour

// MaxClockSkew is how far in the future a token's timestamp may lie before
// Decrypt rejects it (cryptography's _MAX_CLOCK_SKEW).
const MaxClockSkew = 60 * time.Second

const (
	version  = 0x80
	tsEnd    = 1 + 8       // end of version and timestamp
	ivEnd    = tsEnd + 16  // end of the IV
	macSize  = sha256.Size // 32
	minToken = ivEnd + macSize + aes.BlockSize
)

// Errors returned by Decrypt. Each wraps ErrInvalidToken, the one error
// Python raises for all of them (cryptography.fernet.InvalidToken).
var (
	ErrInvalidToken = errors.New("fernet: invalid token")
	ErrBase64       = fmt.Errorf("%w: bad base64", ErrInvalidToken)
	ErrVersion      = fmt.Errorf("%w: not version 0x80", ErrInvalidToken)
	ErrTruncated    = fmt.Errorf("%w: too short for a timestamp", ErrInvalidToken)
	ErrExpired      = fmt.Errorf("%w: older than the TTL", ErrInvalidToken)
	ErrFuture       = fmt.Errorf("%w: timestamp too far in the future", ErrInvalidToken)
	ErrSignature    = fmt.Errorf("%w: HMAC mismatch", ErrInvalidToken)
	ErrPadding      = fmt.Errorf("%w: bad ciphertext length or padding", ErrInvalidToken)
)

// Fernet encrypts and decrypts tokens under one key. It is safe for
// concurrent use.
type Fernet struct {
	signingKey []byte
	block      cipher.Block
	macs       sync.Pool // keyed HMAC-SHA256 states (see sum)
}

// New returns a Fernet for key, the URL-safe base64 of 32 bytes (the form of
// QuayPageTokenKey). Like Python's Fernet(key) it decodes leniently and
// requires exactly 32 bytes.
func New(key string) (*Fernet, error) {
	raw, err := decodeBase64(key)
	if err != nil {
		return nil, fmt.Errorf("fernet: key: %w", err)
	}
	if len(raw) != 32 {
		return nil, fmt.Errorf("fernet: key must be 32 url-safe base64-encoded bytes, got %d", len(raw))
	}
	block, err := aes.NewCipher(raw[16:])
	if err != nil {
		return nil, fmt.Errorf("fernet: %w", err)
	}
	return &Fernet{signingKey: raw[:16], block: block}, nil
}

// Encrypt returns the token for plaintext created at now (truncated to whole
// seconds) with the given IV. Callers must use a fresh IV for every token;
// the fake draws it from its seeded randomness.
//
// Encrypt panics if now is before 1970, which the unsigned timestamp cannot
// hold (Python raises struct.error there).
func (f *Fernet) Encrypt(plaintext []byte, now time.Time, iv [16]byte) string {
	sec := now.Unix()
	if sec < 0 {
		panic(fmt.Sprintf("fernet: cannot encode a time before 1970: %v", now))
	}
	padLen := aes.BlockSize - len(plaintext)%aes.BlockSize
	raw := make([]byte, ivEnd+len(plaintext)+padLen, ivEnd+len(plaintext)+padLen+macSize)
	raw[0] = version
	binary.BigEndian.PutUint64(raw[1:tsEnd], uint64(sec))
	copy(raw[tsEnd:ivEnd], iv[:])
	body := raw[ivEnd:]
	copy(body, plaintext)
	for i := len(plaintext); i < len(body); i++ {
		body[i] = byte(padLen)
	}
	// CBC by hand, in place: cipher.NewCBCEncrypter would allocate.
	prev := iv[:]
	for i := 0; i < len(body); i += aes.BlockSize {
		blk := body[i : i+aes.BlockSize]
		subtle.XORBytes(blk, blk, prev)
		f.block.Encrypt(blk, blk)
		prev = blk
	}
	raw = f.mac(raw)
	var out [256]byte
	return string(base64.URLEncoding.AppendEncode(out[:0], raw))
}

// Decrypt returns the plaintext of token, checked as cryptography's
// Fernet.decrypt(token, ttl) would at the time now: a token is rejected when
// its timestamp plus ttl is before now, or when its timestamp is more than
// MaxClockSkew after now. Every failure wraps ErrInvalidToken.
func (f *Fernet) Decrypt(token string, now time.Time, ttl time.Duration) ([]byte, error) {
	data, err := decodeBase64(token)
	switch {
	case err != nil:
		return nil, ErrBase64
	case len(data) == 0 || data[0] != version:
		return nil, ErrVersion
	case len(data) < tsEnd:
		return nil, ErrTruncated
	}
	stamp := binary.BigEndian.Uint64(data[1:tsEnd])
	current := unixSecondsTruncated(now)
	if expired(stamp, ttl, current) {
		return nil, ErrExpired
	}
	if fromFuture(stamp, current) {
		return nil, ErrFuture
	}
	if len(data) < macSize {
		return nil, ErrSignature
	}
	signed, sig := data[:len(data)-macSize], data[len(data)-macSize:]
	var sum [macSize]byte
	if !hmac.Equal(f.sum(sum[:0], signed), sig) {
		return nil, ErrSignature
	}
	// Python slices data[9:25] and data[25:-32]; with a valid MAC and fewer
	// than 57 bytes the ciphertext is empty, which fails unpadding.
	if len(data) < minToken || (len(signed)-ivEnd)%aes.BlockSize != 0 {
		return nil, ErrPadding
	}
	body := make([]byte, len(signed)-ivEnd)
	cipher.NewCBCDecrypter(f.block, signed[tsEnd:ivEnd]).CryptBlocks(body, signed[ivEnd:])
	n, ok := unpaddedLen(body)
	if !ok {
		return nil, ErrPadding
	}
	return body[:n], nil
}

// mac appends the HMAC of raw to raw (in place when raw has the capacity).
func (f *Fernet) mac(raw []byte) []byte { return f.sum(raw, raw) }

// sum appends the HMAC of data to b. The keyed HMAC states are recycled:
// Reset takes one back to the key's state without hashing the key again,
// which hmac.New does (two SHA-256 blocks) on every call.
func (f *Fernet) sum(b, data []byte) []byte {
	h, _ := f.macs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, f.signingKey)
	}
	h.Write(data)
	b = h.Sum(b)
	h.Reset()
	f.macs.Put(h)
	return b
}

// unpaddedLen checks PKCS#7 padding in constant time with respect to the
// padding bytes and returns the message length.
func unpaddedLen(body []byte) (int, bool) {
	pad := int(body[len(body)-1])
	good := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, aes.BlockSize)
	for i := 1; i <= aes.BlockSize; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i, pad)
		same := subtle.ConstantTimeByteEq(body[len(body)-i], byte(pad))
		// Where i is inside the padding the byte must equal pad.
		good &= same | (inPad ^ 1)
	}
	return len(body) - pad, good == 1
}
