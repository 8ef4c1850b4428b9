package servicekey

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The example key of RFC 7638 §3.1 and its published thumbprint.
const (
	rfcN          = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
	rfcThumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
)

func TestThumbprint_RFC7638Example(t *testing.T) {
	t.Parallel()
	got := Thumbprint(PublicJWK{E: "AQAB", Kty: "RSA", N: rfcN, Kid: "ignored"})
	if diff := cmp.Diff(rfcThumbprint, got); diff != "" {
		t.Errorf("Thumbprint (-want +got):\n%s", diff)
	}
}

// Authlib's json.dumps(ensure_ascii=False) leaves non-ASCII as is and
// escapes quotes; so does Thumbprint (values computed with CPython 3.11).
func TestThumbprint_EscapesLikePython(t *testing.T) {
	t.Parallel()
	tests := []struct {
		jwk  PublicJWK
		want string
	}{
		{PublicJWK{E: `a"b`, Kty: "RSA", N: "é<&>"}, "hLrcUvlH55AQwvwSlB2MIsiMR4cMcV0FkyllwP_hgbo"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Thumbprint(tt.jwk)); diff != "" {
			t.Errorf("Thumbprint(%+v) (-want +got):\n%s", tt.jwk, diff)
		}
	}
}

func TestPublicJWK_JSONIsSorted(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(PublicJWK{E: "AQAB", Kid: "k", Kty: "RSA", N: "nn"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"e":"AQAB","kid":"k","kty":"RSA","n":"nn"}`, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	b, err = json.Marshal(PublicJWK{E: "AQAB", Kty: "RSA", N: "nn"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"e":"AQAB","kty":"RSA","n":"nn"}`, string(b)); diff != "" {
		t.Errorf("JSON without kid (-want +got):\n%s", diff)
	}
}

func TestParsePublicJWK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    PublicJWK
		wantErr string // substring of the error; "" for success
	}{
		{"rfc example", `{"kty":"RSA","n":"` + rfcN + `","e":"AQAB"}`,
			PublicJWK{E: "AQAB", Kty: "RSA", N: rfcN}, ""},
		{"with kid", `{"kty":"RSA","n":"` + rfcN + `","e":"AQAB","kid":"k1"}`,
			PublicJWK{E: "AQAB", Kid: "k1", Kty: "RSA", N: rfcN}, ""},
		{"not json", `{`, PublicJWK{}, "jwk: unexpected end of JSON input"},
		{"array", `[]`, PublicJWK{}, "jwk: json: cannot unmarshal array"},
		{"null", `null`, PublicJWK{}, "jwk: not a JSON object"},
		{"missing n", `{"kty":"RSA","e":"AQAB"}`, PublicJWK{}, `jwk: missing "n"`},
		{"missing kty", `{"n":"AQAB","e":"AQAB"}`, PublicJWK{}, `jwk: missing "kty"`},
		{"ec key", `{"kty":"EC","n":"AQAB","e":"AQAB"}`, PublicJWK{}, `jwk: kty "EC" is not supported`},
		{"private member", `{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB"}`, PublicJWK{}, `jwk: unsupported member "d"`},
		{"other member", `{"kty":"RSA","n":"AQAB","e":"AQAB","use":"sig"}`, PublicJWK{}, `jwk: unsupported member "use"`},
		{"n not a string", `{"kty":"RSA","n":5,"e":"AQAB"}`, PublicJWK{}, `jwk: "n" must be a string`},
		{"padded n", `{"kty":"RSA","n":"AQAB==","e":"AQAB"}`, PublicJWK{}, `jwk: "n": not unpadded base64url`},
		{"standard alphabet", `{"kty":"RSA","n":"ab+/","e":"AQAB"}`, PublicJWK{}, `jwk: "n": not unpadded base64url`},
		{"zero exponent", `{"kty":"RSA","n":"AQAB","e":"AA"}`, PublicJWK{}, `jwk: "e": not a positive integer`},
		{"empty n", `{"kty":"RSA","n":"","e":"AQAB"}`, PublicJWK{}, `jwk: "n": not a positive integer`},
		{"kid not a string", `{"kty":"RSA","n":"AQAB","e":"AQAB","kid":1}`, PublicJWK{}, `jwk: "kid" must be a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePublicJWK([]byte(tt.in))
			var gotErr string
			if err != nil {
				gotErr = err.Error()
				if tt.wantErr != "" && strings.Contains(gotErr, tt.wantErr) {
					gotErr = tt.wantErr
				}
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Errorf("ParsePublicJWK error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParsePublicJWK (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParsePublicJWK(f *testing.F) {
	f.Add(`{"kty":"RSA","n":"` + rfcN + `","e":"AQAB"}`)
	f.Add(`{"kty":"RSA","n":"AQAB","e":"AA","kid":null}`)
	f.Fuzz(func(t *testing.T, in string) {
		jwk, err := ParsePublicJWK([]byte(in))
		if err != nil {
			return
		}
		// Whatever is accepted survives a JSON round trip unchanged and has
		// a 43-character thumbprint.
		b, err := json.Marshal(jwk)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParsePublicJWK(b)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", b, err)
		}
		if diff := cmp.Diff(jwk, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		if n := len(Thumbprint(jwk)); n != 43 {
			t.Fatalf("thumbprint length %d", n)
		}
	})
}
