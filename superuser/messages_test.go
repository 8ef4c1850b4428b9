package superuser_test

import (
	"context"
	"testing"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

func TestMessages(t *testing.T) {
	t.Parallel()
	runCalls(t, []call{
		{
			name: "List", method: "GET", path: "/messages", status: 200, file: "getGlobalMessages.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Messages.List(ctx)
			},
			want: []superuser.Message{{UUID: "b3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", Content: "Maintenance **tonight**", Severity: "warning", MediaType: "text/markdown"}},
		},
		{
			// §3: the fields sit under an outer "message" key.
			name: "Create", method: "POST", path: "/messages",
			body:   `{"message": {"content": "Maintenance **tonight**", "severity": "warning", "media_type": "text/markdown"}}`,
			status: 201,
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				resp, err := su.Messages.Create(ctx, superuser.CreateMessageRequest{Content: "Maintenance **tonight**", Severity: "warning", MediaType: "text/markdown"})
				return nil, resp, err
			},
		},
		{
			name: "Delete", method: "DELETE", path: "/message/b3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", status: 204,
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				resp, err := su.Messages.Delete(ctx, "b3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
				return nil, resp, err
			},
		},
	})
}
