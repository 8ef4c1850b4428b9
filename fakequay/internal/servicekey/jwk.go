package servicekey

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// PublicJWK is the public RSA JSON Web Key Quay stores with a service key
// and shows as its "jwk" (§1.9 Service key). Quay stores Authlib's
// RSAKey.as_dict() of the generated key, which keeps only the public members
// e and n plus kty and kid; the fields are in the sorted key order of
// Flask's jsonify, so encoding/json writes them exactly as Quay does.
//
// When Quay is handed an explicit kid, the JWK carries that kid instead of
// the thumbprint; set Kid accordingly.
type PublicJWK struct {
	E   string `json:"e"`
	Kid string `json:"kid,omitempty"`
	Kty string `json:"kty"`
	N   string `json:"n"`
}

// Thumbprint returns the RFC 7638 JWK thumbprint of an RSA key, which Quay
// uses as a generated key's kid: the unpadded base64url SHA-256 of
// {"e":"…","kty":"RSA","n":"…"} (Authlib's Key.thumbprint, members in sorted
// order, no whitespace). It is always 43 characters long.
//
// The members are taken verbatim, as Authlib does. Their JSON escaping
// matches Python's json.dumps for every string ParsePublicJWK accepts
// (base64url text).
func Thumbprint(jwk PublicJWK) string {
	var canonical bytes.Buffer
	canonical.WriteString(`{"e":`)
	writeJSONString(&canonical, jwk.E)
	canonical.WriteString(`,"kty":`)
	writeJSONString(&canonical, jwk.Kty)
	canonical.WriteString(`,"n":`)
	writeJSONString(&canonical, jwk.N)
	canonical.WriteByte('}')
	sum := sha256.Sum256(canonical.Bytes())
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
}

// jwkMembers are the members ParsePublicJWK accepts: the ones Quay stores
// for a generated key.
var jwkMembers = map[string]bool{"e": true, "kid": true, "kty": true, "n": true}

// ParsePublicJWK validates a public RSA JWK given in a seed file and returns
// it. It requires a JSON object whose kty is "RSA" and whose n and e are
// unpadded base64url encodings of positive integers; kid is optional (empty
// when absent; Thumbprint gives the value a generated key would have).
// Any other member is rejected, private ones ("d", "p", ...) above all,
// since Quay never stores a service key's private half.
//
// Quay's own key server is laxer (it checks only that kty, n and e exist);
// the seed loader is the only caller, and a seed with a typo should fail
// loudly.
func ParsePublicJWK(data []byte) (PublicJWK, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return PublicJWK{}, fmt.Errorf("jwk: %w", err)
	}
	if members == nil {
		return PublicJWK{}, errors.New("jwk: not a JSON object")
	}
	var unknown []string
	for name := range members {
		if !jwkMembers[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return PublicJWK{}, fmt.Errorf("jwk: unsupported member %q (only e, kid, kty and n)", unknown[0])
	}
	var jwk PublicJWK
	fields := []struct {
		name     string
		dst      *string
		required bool
	}{{"kty", &jwk.Kty, true}, {"n", &jwk.N, true}, {"e", &jwk.E, true}, {"kid", &jwk.Kid, false}}
	for _, f := range fields {
		raw, ok := members[f.name]
		if !ok {
			if f.required {
				return PublicJWK{}, fmt.Errorf("jwk: missing %q", f.name)
			}
			continue
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return PublicJWK{}, fmt.Errorf("jwk: %q must be a string", f.name)
		}
	}
	if jwk.Kty != "RSA" {
		return PublicJWK{}, fmt.Errorf("jwk: kty %q is not supported (only RSA)", jwk.Kty)
	}
	for _, m := range []struct{ name, value string }{{"n", jwk.N}, {"e", jwk.E}} {
		if err := checkBase64URLUint(m.value); err != nil {
			return PublicJWK{}, fmt.Errorf("jwk: %q: %w", m.name, err)
		}
	}
	return jwk, nil
}

// checkBase64URLUint checks RFC 7518's Base64urlUInt form: unpadded
// base64url of a big-endian integer, here required to be positive.
func checkBase64URLUint(s string) error {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return fmt.Errorf("not unpadded base64url: %w", err)
	}
	for _, b := range raw {
		if b != 0 {
			return nil
		}
	}
	return errors.New("not a positive integer")
}
