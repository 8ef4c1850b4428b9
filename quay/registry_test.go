package quay_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
)

func TestRegistry(t *testing.T) {
	t.Parallel()
	runCalls(t, []call{
		{
			name: "Capabilities", method: "GET", path: "/registry/capabilities", status: 200, file: "getRegistryCapabilities.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Registry.Capabilities(ctx)
			},
			want: quay.RegistryCapabilities{
				SparseManifests:     quay.SparseManifests{RequiredArchitectures: []string{}},
				MirrorArchitectures: []string{"amd64", "arm64", "ppc64le", "s390x"},
			},
		},
	})
}
