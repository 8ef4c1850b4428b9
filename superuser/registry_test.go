package superuser_test

import (
	"context"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

func TestRegistry(t *testing.T) {
	t.Parallel()
	runCalls(t, []call{
		{
			name: "Size", method: "GET", path: "/superuser/registrysize/", status: 200, file: "getRegistrySize.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Registry.Size(ctx)
			},
			want: superuser.RegistrySize{SizeBytes: 73400320000, LastRan: new(time.UnixMilli(1738676710123).UTC())},
		},
		{
			name: "Size never calculated", method: "GET", path: "/superuser/registrysize/", status: 200, file: "getRegistrySize-never.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Registry.Size(ctx)
			},
			want: superuser.RegistrySize{Queued: true},
		},
		{
			name: "QueueSizeCalculation queued (201)", method: "POST", path: "/superuser/registrysize/", status: 201, file: "queueRegistrySizeCalculation.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Registry.QueueSizeCalculation(ctx)
			},
			want: true,
		},
		{
			name: "QueueSizeCalculation already pending (202)", method: "POST", path: "/superuser/registrysize/", status: 202, file: "queueRegistrySizeCalculation.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Registry.QueueSizeCalculation(ctx)
			},
			want: false,
		},
		{
			name: "Status", method: "GET", path: "/superuser/registrystatus", status: 200, file: "scRegistryStatus.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Registry.Status(ctx)
			},
			want: superuser.RegistryStatus{Status: "ready", ProviderID: "file"},
		},
	})
}
