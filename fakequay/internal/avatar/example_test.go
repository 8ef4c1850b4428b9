package avatar_test

import (
	"fmt"

	"github.com/quaykit/go-quay/fakequay/internal/avatar"
)

func ExampleCompute() {
	a := avatar.Compute("alice", "Alice@Example.com", avatar.KindUser)
	fmt.Println(a.Hash[:12], a.Color, a.Kind)
	// Output: ff8d9819fc0e #a55194 user
}
