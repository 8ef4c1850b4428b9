package bitmath_test

import (
	"fmt"

	"github.com/quaykit/go-quay/fakequay/internal/bitmath"
)

// A quota PUT with {"limit": "5G"} stores 5e9 bytes and shows "4.7 GiB".
func Example() {
	bytes, err := bitmath.ParseLimit("5G")
	if err != nil {
		panic(err)
	}
	limit, err := bitmath.BestPrefix(bytes)
	fmt.Println(bytes, limit, err)

	_, err = bitmath.ParseLimit("512B")
	fmt.Println(err)
	// Output:
	// 5e+09 4.7 GiB <nil>
	// bitmath: invalid limit format
}
