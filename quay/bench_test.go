package quay_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
)

// BenchmarkDo measures what the client adds to one GET that decodes a page
// of 100 users (token, rate-limit and cool-down checks, tracing, error
// handling), beside the same request made with bare net/http as the baseline.
func BenchmarkDo(b *testing.B) {
	user := `{"kind": "user", "name": "alice", "username": "alice", "email": "alice@example.com", "verified": true, "avatar": {"name": "alice", "hash": "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", "color": "#a55194", "kind": "user"}, "super_user": false, "global_readonly_super_user": false, "enabled": true}`
	page := []byte(`{"users": [` + strings.Repeat(user+", ", 99) + user + `]}` + "\n")
	c, mux := apitest.Setup(b, quay.WithToken("bench-token"))
	mux.HandleFunc("GET /superuser/users/", func(w http.ResponseWriter, r *http.Request) {
		apitest.WriteJSON(w, http.StatusOK, page)
	})
	type pageOf struct {
		Users []map[string]any `json:"users"`
	}

	b.Run("quay.Client", func(b *testing.B) {
		for b.Loop() {
			req, err := c.NewRequest(b.Context(), http.MethodGet, "superuser/users/?limit=100", nil)
			if err != nil {
				b.Fatal(err)
			}
			var p pageOf
			if _, err := c.Do(req, &p); err != nil || len(p.Users) != 100 {
				b.Fatalf("Do = %d users, %v", len(p.Users), err)
			}
		}
	})
	b.Run("net/http baseline", func(b *testing.B) {
		url := c.BaseURL().String() + "api/v1/superuser/users/?limit=100"
		for b.Loop() {
			req, err := http.NewRequestWithContext(b.Context(), http.MethodGet, url, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer bench-token")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var p pageOf
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil || len(p.Users) != 100 {
				b.Fatalf("decode = %d users, %v", len(p.Users), err)
			}
		}
	})
}
