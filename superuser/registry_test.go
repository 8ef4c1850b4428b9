package superuser_test

import (
	"context"
	"encoding/json"
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

func TestRegistrySizeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"size_bytes":73400320000,"last_ran":1738676710123,"queued":false,"running":true}`,
		`{"size_bytes":0,"last_ran":null,"queued":true,"running":false}`,
	} {
		var size superuser.RegistrySize
		if err := json.Unmarshal([]byte(in), &size); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(size)
		if err != nil || string(out) != in {
			t.Errorf("round trip of %s = %s, %v", in, out, err)
		}
	}
}
