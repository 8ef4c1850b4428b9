package fakequay

import (
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// PyJWT's base64url_decode (jwt/utils.py line 25) over Python 3.11's
// lenient base64.urlsafe_b64decode: the wants are what /usr/bin/python3
// (3.11.2, the realquay harness's) printed for each input.
func TestPyBase64URLDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string // want: hex, or "ERR" for a binascii.Error
	}{
		{"", ""}, {"x", "ERR"}, {"xy", "c7"}, {"xyz", "c72c"}, {"e30", "7b7d"},
		{"eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0", "7b22747970223a224a5754222c22616c67223a226e6f6e65227d"},
		{"ab=c", "ERR"}, {"ab==cd", "69"}, {"a.b", "ERR"}, {"ab.c", "ERR"}, {"a!b", "ERR"}, {"a=bc", "ERR"},
		{"abc=d", "69b7"}, {"ab=", "69"}, {"abcd=", "69b71d"}, {"abcde", "ERR"}, {"ab_-+/", "69bffefb"},
		{"a==", "ERR"}, {"abc==x", "69b7"}, {"=abc", "ERR"}, {"a=b=c=d", "69b7"},
	}
	for _, tc := range tests {
		got := "ERR"
		if b, ok := pyBase64URLDecode(tc.in); ok {
			got = hex.EncodeToString(b)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("pyBase64URLDecode(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// is_jwt (util/security/jwtutil.py line 147): PyJWT's get_unverified_header
// must load all three segments, the header must be a JSON object with typ
// jwt or at+jwt; the issuer comes from the payload.
func TestJWTIssuer(t *testing.T) {
	t.Parallel()
	const hdr = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0" // {"typ":"JWT","alg":"none"}
	tests := []struct {
		name, token string
		wantIss     string
		wantJWT     bool
	}{
		{"no issuer", hdr + ".e30.", "", true},
		{"an issuer", hdr + ".eyJpc3MiOiJodHRwczovL2lkcCJ9.sig", "https://idp", true},
		{"a one-character signature is not base64", hdr + ".e30.x", "", false},
		{"a dot in the payload: cut at the last dot, then the first", hdr + ".e3.0.", "", false},
		{"two segments", hdr + ".e30", "", false},
		{"a header that is null", "bnVsbA.e30.", "", false},
		{"a header without typ", "e30.e30.", "", false},
		{"typ at+jwt", "eyJ0eXAiOiJhdCtqd3QifQ.e30.", "", true},
	}
	for _, tc := range tests {
		iss, isJWT := jwtIssuer(tc.token)
		if diff := cmp.Diff([2]any{tc.wantIss, tc.wantJWT}, [2]any{iss, isJWT}); diff != "" {
			t.Errorf("%s: jwtIssuer(%q) (-want +got):\n%s", tc.name, tc.token, diff)
		}
	}
}
