package fernet

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The fernet/spec acceptance vectors (generate.json, verify.json,
// invalid.json) share this key and these instants.
const specSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="

var (
	specNow   = time.Date(1985, 10, 26, 1, 20, 0, 0, time.FixedZone("PDT", -7*3600))
	specToken = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="
	specIV    = [16]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
)

func mustNew(t testing.TB, key string) *Fernet {
	t.Helper()
	f, err := New(key)
	if err != nil {
		t.Fatalf("New(%q): %v", key, err)
	}
	return f
}

// generate.json.
func TestEncrypt_SpecGenerate(t *testing.T) {
	t.Parallel()
	got := mustNew(t, specSecret).Encrypt([]byte("hello"), specNow, specIV)
	if diff := cmp.Diff(specToken, got); diff != "" {
		t.Errorf("Encrypt (-want +got):\n%s", diff)
	}
}

// verify.json.
func TestDecrypt_SpecVerify(t *testing.T) {
	t.Parallel()
	got, err := mustNew(t, specSecret).Decrypt(specToken, specNow.Add(time.Second), 60*time.Second)
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	if diff := cmp.Diff("hello", string(got)); diff != "" {
		t.Errorf("Decrypt (-want +got):\n%s", diff)
	}
}

// invalid.json, each with the specific reason Decrypt reports.
func TestDecrypt_SpecInvalid(t *testing.T) {
	t.Parallel()
	now := specNow.Add(time.Second)
	tests := []struct {
		desc  string
		token string
		now   time.Time
		want  error
	}{
		{"incorrect mac", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==", now, ErrSignature},
		{"too short", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==", now, ErrSignature},
		{"invalid base64", "%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==", now, ErrBase64},
		{"payload size not multiple of block size", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm", now, ErrPadding},
		{"payload padding error", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==", now, ErrPadding},
		{"far-future TS (unacceptable clock skew)", "gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==", now, ErrFuture},
		{"expired TTL", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==", specNow.Add(91 * time.Second), ErrExpired},
		{"incorrect IV (causes padding error)", "gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==", now, ErrPadding},
	}
	f := mustNew(t, specSecret)
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			t.Parallel()
			got, err := f.Decrypt(tt.token, tt.now, 60*time.Second)
			if diff := cmp.Diff(tt.want, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("Decrypt error (-want +got):\n%s", diff)
			}
			if !errors.Is(err, ErrInvalidToken) {
				t.Errorf("error %v does not wrap ErrInvalidToken", err)
			}
			if got != nil {
				t.Errorf("Decrypt returned plaintext %q with an error", got)
			}
		})
	}
}

// quayTime is 2025-02-04T13:45:10Z, the instant of the reference's examples.
var (
	quayTime = time.Unix(1738676710, 0).UTC()
	quayIV   = [16]byte{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}
)

// Tokens made by Python's cryptography (Fernet._encrypt_from_parts with
// QuayPageTokenKey, timestamp 1738676710, IV 0x10..0x1f): ours must be
// byte-identical so real Quay and the fake accept each other's tokens.
func TestEncrypt_MatchesPythonWithQuayKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, plaintext, token string
	}{
		{"empty", "",
			"gAAAAABnohnmEBESExQVFhcYGRobHB0eH6yHwAd4vETvEig5AFQvVvpO43A-oZcSQVNFgEELsPkMB450dkdO9ZzVRFCfYxTDiA=="},
		{"users page token", `{"start_index": 42, "page_number": 1, "is_datetime": false, "offset_val": 0}`,
			"gAAAAABnohnmEBESExQVFhcYGRobHB0eHyktDEpXYyfqVjmBCQ2-nCeCclEjj99JbiUevnDtIt9N-wDrlYk1pjSs0-iMIsEdMtWRFnt8onuPonkDslvZ49fIMvQ_rAxw9--_rHBb61i9-tsYdNX-ULtkieE6lYqMyGb8GWQ8ZyxaohZS68OFJLI="},
		{"logs next-table token", `{"tti": 1}`,
			"gAAAAABnohnmEBESExQVFhcYGRobHB0eH2l2QWKaiIxIuZOOj_xLK3Fo_p5Yzp2Q5EuclOk1pDCpc4iHSLN5dwzi6AjRpsHP1Q=="},
		{"whole block gets a full padding block", strings.Repeat("x", 16),
			"gAAAAABnohnmEBESExQVFhcYGRobHB0eH0622xmjlJwkce964WPmmJ5IwUX8AeIimctImTc4i0wD96R145LKog0q9aKEMwyWMiE2dL2V0TqU-IKX9H2p0zI="},
	}
	f := mustNew(t, QuayPageTokenKey)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.token, f.Encrypt([]byte(tt.plaintext), quayTime, quayIV)); diff != "" {
				t.Errorf("Encrypt (-want +got):\n%s", diff)
			}
			got, err := f.Decrypt(tt.token, quayTime, QuayPageTokenTTL)
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if diff := cmp.Diff(tt.plaintext, string(got)); diff != "" {
				t.Errorf("Decrypt (-want +got):\n%s", diff)
			}
		})
	}
}

// Which spellings and instants Python accepts, checked against
// cryptography's decrypt_at_time(token, 172800, now).
func TestDecrypt_PythonLeniencyAndTimeBoundaries(t *testing.T) {
	t.Parallel()
	const token = "gAAAAABnohnmEBESExQVFhcYGRobHB0eH2l2QWKaiIxIuZOOj_xLK3Fo_p5Yzp2Q5EuclOk1pDCpc4iHSLN5dwzi6AjRpsHP1Q=="
	type result struct {
		Plaintext string
		Err       error
	}
	ok := result{Plaintext: `{"tti": 1}`}
	tests := []struct {
		name  string
		token string
		now   time.Time
		want  result
	}{
		{"as issued", token, quayTime, ok},
		{"padding stripped is incorrect padding", strings.TrimRight(token, "="), quayTime, result{Err: ErrBase64}},
		{"spaces, newline and percent are skipped", token[:10] + " \n%" + token[10:], quayTime, ok},
		{"data after the padding is ignored", token + "AAAA", quayTime, ok},
		{"standard alphabet is accepted", strings.NewReplacer("-", "+", "_", "/").Replace(token), quayTime, ok},
		{"last second of the TTL", token, quayTime.Add(QuayPageTokenTTL), ok},
		{"sub-second past the TTL still counts as the same second", token, quayTime.Add(QuayPageTokenTTL + 999*time.Millisecond), ok},
		{"one second past the TTL", token, quayTime.Add(QuayPageTokenTTL + time.Second), result{Err: ErrExpired}},
		{"issued 60 s in the future", token, quayTime.Add(-60 * time.Second), ok},
		{"issued 61 s in the future", token, quayTime.Add(-61 * time.Second), result{Err: ErrFuture}},
		{"empty", "", quayTime, result{Err: ErrVersion}},
		{"wrong version byte", "AAAAAABnohnm", quayTime, result{Err: ErrVersion}},
		{"version only", "gA==", quayTime, result{Err: ErrTruncated}},
		{"one data character", "g", quayTime, result{Err: ErrBase64}},
	}
	f := mustNew(t, QuayPageTokenKey)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pt, err := f.Decrypt(tt.token, tt.now, QuayPageTokenTTL)
			got := result{Plaintext: string(pt), Err: err}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("Decrypt (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecrypt_ForeignKeyFailsSignature(t *testing.T) {
	t.Parallel()
	token := mustNew(t, QuayPageTokenKey).Encrypt([]byte(`{"tti": 1}`), quayTime, quayIV)
	_, err := mustNew(t, specSecret).Decrypt(token, quayTime, QuayPageTokenTTL)
	if diff := cmp.Diff(ErrSignature, err, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("Decrypt error (-want +got):\n%s", diff)
	}
}

// The time checks must not overflow for timestamps near 2^64 or clocks far
// from 1970.
func TestDecrypt_ExtremeTimestamps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stamp uint64
		now   int64
		ttl   time.Duration
		want  error
	}{
		{"max uint64 timestamp is from the future", 1<<64 - 1, 1738676710, QuayPageTokenTTL, ErrFuture},
		{"max uint64 timestamp with max clock", 1<<64 - 1, 1<<63 - 1, QuayPageTokenTTL, ErrFuture},
		{"timestamp 0 expired", 0, 1738676710, QuayPageTokenTTL, ErrExpired},
		{"timestamp 0 at epoch", 0, 0, 0, nil},
		{"clock at max int64 sees everything expired", 1738676710, 1<<63 - 1, QuayPageTokenTTL, ErrExpired},
		{"negative ttl rounds down", 100, 99, -1500 * time.Millisecond, ErrExpired},
		{"negative ttl boundary", 100, 98, -1500 * time.Millisecond, nil},
		{"clock before 1970 rejects any 1970s token as future", 61, 0, 0, ErrFuture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got error
			current := tt.now
			switch {
			case expired(tt.stamp, tt.ttl, current):
				got = ErrExpired
			case fromFuture(tt.stamp, current):
				got = ErrFuture
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("time checks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnixSecondsTruncated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want int64
	}{
		{time.Unix(10, 999_999_999), 10},
		{time.Unix(-2, 500_000_000), -1}, // -1.5 s: int() truncates toward zero
		{time.Unix(-2, 0), -2},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, unixSecondsTruncated(tt.in)); diff != "" {
			t.Errorf("unixSecondsTruncated(%v) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		key     string
		wantErr bool
	}{
		{"quay default", QuayPageTokenKey, false},
		{"padding stripped", strings.TrimRight(QuayPageTokenKey, "="), true},
		{"whitespace inside is skipped, as in Python", QuayPageTokenKey[:8] + "\n" + QuayPageTokenKey[8:], false},
		{"16 bytes", "AAAAAAAAAAAAAAAAAAAAAA==", true},
		{"empty", "", true},
	}
	for _, tt := range tests {
		_, err := New(tt.key)
		if diff := cmp.Diff(tt.wantErr, err != nil); diff != "" {
			t.Errorf("New(%q) error = %v (-wantErr +gotErr):\n%s", tt.key, err, diff)
		}
	}
}

func TestDecodeBase64_MatchesPython(t *testing.T) {
	t.Parallel()
	// Expected values are base64.urlsafe_b64decode's results in CPython 3.11.
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"", "", false},
		{"QQ==", "A", false},
		{"QQ", "", true},
		{"QUI=", "AB", false},
		{"QUI", "", true},
		{"QUJD", "ABC", false},
		{"Q", "", true},
		{"QQ=", "", true},
		{"QQ==QUJD", "A", false},
		{"Q=Q==", "A", false},
		{"QR==", "A", false},
		{"Q U J D", "ABC", false},
		{"QQ===", "A", false},
		{"=QQ==", "A", false},
		{"Q=UJD", "ABC", false},
		{"-_-_", "\xfb\xff\xbf", false},
		{"+/+/", "\xfb\xff\xbf", false},
	}
	for _, tt := range tests {
		got, err := decodeBase64(tt.in)
		if diff := cmp.Diff(tt.wantErr, err != nil); diff != "" {
			t.Errorf("decodeBase64(%q) error = %v (-wantErr +gotErr):\n%s", tt.in, err, diff)
			continue
		}
		if diff := cmp.Diff(tt.want, string(got)); !tt.wantErr && diff != "" {
			t.Errorf("decodeBase64(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestEncrypt_PanicsBeforeEpoch(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("Encrypt before 1970 did not panic")
		}
	}()
	mustNew(t, QuayPageTokenKey).Encrypt(nil, time.Unix(-1, 0), quayIV)
}

func FuzzDecrypt(f *testing.F) {
	fe := mustNew(f, QuayPageTokenKey)
	f.Add(fe.Encrypt([]byte(`{"tti": 1}`), quayTime, quayIV), int64(0))
	f.Add(specToken, int64(1))
	f.Add("gA==", int64(-5))
	f.Add("%%%", int64(3600))
	f.Fuzz(func(t *testing.T, token string, offset int64) {
		pt, err := fe.Decrypt(token, quayTime.Add(time.Duration(offset)*time.Second), QuayPageTokenTTL)
		if err != nil {
			if !errors.Is(err, ErrInvalidToken) || pt != nil {
				t.Fatalf("Decrypt(%q) = %q, %v", token, pt, err)
			}
			return
		}
		// Whatever decrypts must re-encrypt to a token that decrypts the same.
		again, err := fe.Decrypt(fe.Encrypt(pt, quayTime, quayIV), quayTime, QuayPageTokenTTL)
		if err != nil || string(again) != string(pt) {
			t.Fatalf("round trip of %q: %q, %v", pt, again, err)
		}
	})
}

var sinkToken string

func BenchmarkEncryptDecrypt100(b *testing.B) {
	f := mustNew(b, QuayPageTokenKey)
	plaintext := []byte(strings.Repeat("p", 100))
	b.ReportAllocs()
	for b.Loop() {
		sinkToken = f.Encrypt(plaintext, quayTime, quayIV)
		if _, err := f.Decrypt(sinkToken, quayTime, QuayPageTokenTTL); err != nil {
			b.Fatal(err)
		}
	}
}
