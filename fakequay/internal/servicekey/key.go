// Package servicekey makes the RSA keys behind Quay's createServiceKey
// (reference §1.9 "Service key", §2.9) and validates keys given in seed
// files.
//
// A Quay-generated service key is a fresh 2048-bit RSA key (exponent 65537)
// whose kid is its RFC 7638 thumbprint. Quay stores only the public JWK and
// returns the private key once, as PKCS#1 PEM, with the public key as
// SubjectPublicKeyInfo PEM.
//
// Generating such a key takes about 55 ms of CPU, too slow for a fake that
// should answer in a few milliseconds, so Generate takes keys from a
// process-wide Pool that generates ahead in the background; see Pool for
// when that costs CPU and how tests account for its goroutine.
package servicekey

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
)

// KeyBits is the RSA modulus size Quay uses
// (JsonWebKey.generate_key("RSA", 2048, ...)).
const KeyBits = 2048

// Key is a generated service key.
type Key struct {
	// Kid is the key's RFC 7638 thumbprint, as Quay assigns it.
	Kid string
	// JWK is the public JWK Quay stores and lists, with Kid in it.
	JWK PublicJWK
	// PrivatePEM is the private key as PKCS#1 PEM
	// ("-----BEGIN RSA PRIVATE KEY-----"), ending in a newline; Quay returns
	// it once, from createServiceKey, and never stores it.
	PrivatePEM string
	// PublicPEM is the public key as SubjectPublicKeyInfo PEM
	// ("-----BEGIN PUBLIC KEY-----"), ending in a newline.
	PublicPEM string
}

// newKey generates a key synchronously; this is the expensive step.
func newKey() (*Key, error) {
	private, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, fmt.Errorf("servicekey: generate RSA key: %w", err)
	}
	return keyFromRSA(private)
}

// keyFromRSA describes private the way Quay presents a generated key.
func keyFromRSA(private *rsa.PrivateKey) (*Key, error) {
	publicDER, err := x509.MarshalPKIXPublicKey(&private.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("servicekey: encode public key: %w", err)
	}
	jwk := PublicJWK{
		E:   base64URLUint(big.NewInt(int64(private.E))),
		Kty: "RSA",
		N:   base64URLUint(private.N),
	}
	jwk.Kid = Thumbprint(jwk)
	return &Key{
		Kid: jwk.Kid,
		JWK: jwk,
		PrivatePEM: string(pem.EncodeToMemory(&pem.Block{
			Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(private),
		})),
		PublicPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicDER})),
	}, nil
}

// base64URLUint is Authlib's int_to_base64: the minimal big-endian bytes of
// v, unpadded base64url. A 2048-bit modulus gives 342 characters, 65537
// gives "AQAB".
func base64URLUint(v *big.Int) string {
	return base64.RawURLEncoding.EncodeToString(v.Bytes())
}
