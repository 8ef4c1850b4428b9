package quay

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://u:SECRET@q.example.com/api/v1/x", "https://" + redacted + "@q.example.com/api/v1/x"},
		{"https://q.example.com/api/v1/x?access_token=SECRET&limit=5", "https://q.example.com/api/v1/x?access_token=" + redacted + "&limit=5"},
		{"https://q.example.com/?a=%zzSECRET", "https://q.example.com/?" + redacted},
		{"https://q.example.com/cb#access_token=SECRET", "https://q.example.com/cb"},
		// Found by FuzzRedactURL: user information "0", and a fragment "0@"
		// that looked like it.
		{"//0@#0@", "//" + redacted + "@"},
		{"https://q.example.com/plain", "https://q.example.com/plain"},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, redactURL(u)); diff != "" {
			t.Errorf("redactURL(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}
