package fakequay

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/quaykit/go-quay/fakequay/internal/servicekey"
)

// TestMain proves that servers leave no goroutine behind once closed. The
// process-wide service-key pool refills itself in the background and stops
// once full, so it is waited for rather than ignored.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_ = servicekey.DefaultPool().WaitIdle(ctx) // a timeout shows up as the leak below
		cancel()
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutine leak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
