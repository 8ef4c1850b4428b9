package superuser_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

func TestAppTokens(t *testing.T) {
	t.Parallel()
	tokens := []superuser.AppToken{
		{
			UUID: "0e6f2b7c-5d4a-4e3b-9a1c-2b3c4d5e6f70", Title: "ci",
			LastAccessed: new(ts(2025, time.February, 4, 13, 45, 10)),
			Created:      ts(2025, time.February, 3, 8, 0, 0),
			Expiration:   new(ts(2025, time.March, 3, 8, 0, 0)),
		},
		{UUID: "1f7a3c8d-6e5b-4f4c-8b2d-3c4d5e6f7081", Title: "laptop", Created: ts(2025, time.February, 3, 9, 0, 0)},
	}
	runCalls(t, []call{
		{
			name: "List", method: "GET", path: "/superuser/apptokens", status: 200, file: "listAllAppTokens.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.AppTokens.List(ctx, nil)
			},
			want: tokens,
		},
		{
			name: "List expiring", method: "GET", path: "/superuser/apptokens", query: url.Values{"expiring": {"true"}},
			status: 200, file: "listAllAppTokens.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.AppTokens.List(ctx, &superuser.AppTokenListOptions{Expiring: new(true)})
			},
			want: tokens,
		},
		{
			name: "List expiring false", method: "GET", path: "/superuser/apptokens", query: url.Values{"expiring": {"false"}},
			status: 200, file: "listAllAppTokens.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.AppTokens.List(ctx, &superuser.AppTokenListOptions{Expiring: new(false)})
			},
			want: tokens,
		},
	})
}
