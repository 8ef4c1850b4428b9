package quaytime_test

import (
	"fmt"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/quaytime"
)

func Example() {
	t := time.Date(2025, 2, 4, 13, 45, 10, 500, time.UTC)
	fmt.Println(quaytime.FormatRFC2822(t))
	fmt.Println(quaytime.FormatHTTPDate(t))

	start, ok := quaytime.ParseLogsDate("2/3/2025")
	fmt.Println(start, ok)
	_, ok = quaytime.ParseLogsDate("2025-02-03")
	fmt.Println(ok)
	// Output:
	// Tue, 04 Feb 2025 13:45:10 -0000
	// Tue, 04 Feb 2025 13:45:10 GMT
	// 2025-02-03 00:00:00 +0000 UTC true
	// false
}

func ExampleUTCFromTimestamp() {
	_, err := quaytime.UTCFromTimestamp(1e12)
	fmt.Println("Invalid expiration date: " + err.Error())
	// Output: Invalid expiration date: year 33658 is out of range
}
