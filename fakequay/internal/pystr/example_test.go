package pystr_test

import (
	"fmt"

	"github.com/quaykit/go-quay/fakequay/internal/pystr"
)

func Example() {
	fmt.Println(string(pystr.AppendLower(nil, pystr.TrimSpace("\u3000ΟΔΟΣ@Example.GR "))))
	d, ok := pystr.Decimal('٣')
	fmt.Println(d, ok)
	fmt.Println(pystr.FormatFloat(5e9), pystr.FormatFloat(1e16))
	// Output:
	// οδος@example.gr
	// 3 true
	// 5000000000.0 1e+16
}
