package servicekey_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/servicekey"
)

func ExampleGenerate() {
	key, err := servicekey.Generate(context.Background())
	if err != nil {
		panic(err)
	}
	fmt.Println(len(key.Kid), key.Kid == servicekey.Thumbprint(key.JWK), len(key.JWK.N), key.JWK.E)
	fmt.Println(strings.SplitN(key.PrivatePEM, "\n", 2)[0])
	fmt.Println(strings.SplitN(key.PublicPEM, "\n", 2)[0])
	// The pool refills itself in the background; wait so the example leaves
	// no goroutine behind.
	if err := servicekey.DefaultPool().WaitIdle(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// 43 true 342 AQAB
	// -----BEGIN RSA PRIVATE KEY-----
	// -----BEGIN PUBLIC KEY-----
}

func ExampleParsePublicJWK() {
	jwk, err := servicekey.ParsePublicJWK([]byte(`{"kty":"RSA","e":"AQAB","n":"` +
		"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw" +
		`"}`))
	if err != nil {
		panic(err)
	}
	// A seeded key without a kid gets the thumbprint, as a generated one would.
	fmt.Println(servicekey.Thumbprint(jwk))
	// Output: NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
}
