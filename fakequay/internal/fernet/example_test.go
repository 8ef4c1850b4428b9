package fernet_test

import (
	"fmt"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/fernet"
)

// A fake server makes and reads page tokens with its own clock and IVs.
func Example() {
	f, err := fernet.New(fernet.QuayPageTokenKey)
	if err != nil {
		panic(err)
	}
	now := time.Date(2025, 2, 4, 13, 45, 10, 0, time.UTC)
	var iv [16]byte // from the server's seeded randomness
	token := f.Encrypt([]byte(`{"tti": 1}`), now, iv)

	plaintext, err := f.Decrypt(token, now.Add(time.Hour), fernet.QuayPageTokenTTL)
	fmt.Println(string(plaintext), err)

	_, err = f.Decrypt(token, now.Add(49*time.Hour), fernet.QuayPageTokenTTL)
	fmt.Println(err)
	// Output:
	// {"tti": 1} <nil>
	// fernet: invalid token: older than the TTL
}
