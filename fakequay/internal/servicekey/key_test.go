package servicekey

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// realKey is one generated 2048-bit key shared by the tests that inspect a
// key's encoding, so the suite pays for RSA generation once.
var realKey = sync.OnceValues(newKey)

func TestNewKey_MatchesQuaysShapes(t *testing.T) {
	t.Parallel()
	key, err := realKey()
	if err != nil {
		t.Fatal(err)
	}

	block, rest := pem.Decode([]byte(key.PrivatePEM))
	if block == nil || len(rest) != 0 {
		t.Fatalf("PrivatePEM is not exactly one PEM block: %q", key.PrivatePEM)
	}
	private, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatalf("PrivatePEM is not PKCS#1: %v", err)
	}
	block, rest = pem.Decode([]byte(key.PublicPEM))
	if block == nil || len(rest) != 0 {
		t.Fatalf("PublicPEM is not exactly one PEM block: %q", key.PublicPEM)
	}
	public, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatalf("PublicPEM is not SubjectPublicKeyInfo: %v", err)
	}
	if !private.PublicKey.Equal(public) {
		t.Error("PublicPEM does not hold PrivatePEM's public key")
	}

	n, err := base64.RawURLEncoding.DecodeString(key.JWK.N)
	if err != nil {
		t.Fatalf("JWK n: %v", err)
	}
	type shape struct {
		PrivateHeader, PublicHeader string
		EndsInNewline               bool
		Bits, E                     int
		JWKNLength, KidLength       int
		JWKMatchesKey, KidIsThumb   bool
		KidInJWK                    string
	}
	want := shape{
		PrivateHeader: "-----BEGIN RSA PRIVATE KEY-----\n", PublicHeader: "-----BEGIN PUBLIC KEY-----\n",
		EndsInNewline: true, Bits: 2048, E: 65537, JWKNLength: 342, KidLength: 43,
		JWKMatchesKey: true, KidIsThumb: true, KidInJWK: key.Kid,
	}
	got := shape{
		PrivateHeader: key.PrivatePEM[:len(want.PrivateHeader)],
		PublicHeader:  key.PublicPEM[:len(want.PublicHeader)],
		EndsInNewline: strings.HasSuffix(key.PrivatePEM, "-----END RSA PRIVATE KEY-----\n") &&
			strings.HasSuffix(key.PublicPEM, "-----END PUBLIC KEY-----\n"),
		Bits:          private.N.BitLen(),
		E:             private.E,
		JWKNLength:    len(key.JWK.N),
		KidLength:     len(key.Kid),
		JWKMatchesKey: new(big.Int).SetBytes(n).Cmp(private.N) == 0 && key.JWK.E == "AQAB" && key.JWK.Kty == "RSA",
		KidIsThumb:    key.Kid == Thumbprint(key.JWK),
		KidInJWK:      key.JWK.Kid,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("key shape (-want +got):\n%s", diff)
	}

	// The stored JWK serialises as §2.8 shows it: sorted, four members.
	b, err := json.Marshal(key.JWK)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"e":"AQAB","kid":"` + key.Kid + `","kty":"RSA","n":"` + key.JWK.N + `"}`
	if diff := cmp.Diff(wantJSON, string(b)); diff != "" {
		t.Errorf("JWK JSON (-want +got):\n%s", diff)
	}
	// And a seed may carry it back in.
	parsed, err := ParsePublicJWK(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(key.JWK, parsed); diff != "" {
		t.Errorf("ParsePublicJWK of a generated JWK (-want +got):\n%s", diff)
	}
}

// The private key signs and the public half verifies, so a client can use
// what createServiceKey returns.
func TestNewKey_Usable(t *testing.T) {
	t.Parallel()
	key, err := realKey()
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(key.PrivatePEM))
	private, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := private.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	block, _ = pem.Decode([]byte(key.PublicPEM))
	public, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	digest := make([]byte, 32)
	sig, err := rsa.SignPKCS1v15(nil, private, crypto.SHA256, digest)
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPKCS1v15(public.(*rsa.PublicKey), crypto.SHA256, digest, sig); err != nil {
		t.Errorf("signature does not verify with PublicPEM: %v", err)
	}
}
