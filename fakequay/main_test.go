package fakequay

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain proves that servers leave no goroutine behind once closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
