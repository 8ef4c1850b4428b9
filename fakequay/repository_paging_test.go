package fakequay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestListReposFollowsNextPage follows endpoints/api/repository.py
// RepositoryList.get under endpoints/api/__init__.py page_support: the
// next_page query parameter (page_support's own query_param) resumes the
// list where the last page ended, REPOS_PER_PAGE repositories a page in
// id order, and the last page has no next_page.
func TestListReposFollowsNextPage(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	seed := Seed{Config: &cfg, Now: fixtureTime,
		Users: []SeedUser{{Username: "owner", Email: "owner@example.com", Tokens: []SeedToken{{Token: "owner-token"}}}},
		Organizations: []SeedOrganization{{Name: "acme", Email: "acme@example.com",
			Teams: []SeedTeam{{Name: "owners", Role: "admin", Members: []string{"owner"}}}}}}
	for i := range 250 {
		seed.Repositories = append(seed.Repositories, SeedRepository{Namespace: "acme", Name: fmt.Sprintf("repo%07d", i)})
	}
	s, err := New(WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, s: s, client: s.HTTPClient()}
	var want []string
	for i := range 250 {
		want = append(want, fmt.Sprintf("repo%07d", i))
	}
	var got []string
	var sizes []int
	token := ""
	for range 10 {
		path := "/api/v1/repository?namespace=acme"
		if token != "" {
			path += "&next_page=" + url.QueryEscape(token)
		}
		r := h.do(http.MethodGet, path, "owner-token", "")
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		var page struct {
			Repositories []struct{ Name string }
			NextPage     string `json:"next_page"`
		}
		if err := json.Unmarshal([]byte(r.Body), &page); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page.Repositories))
		for _, repo := range page.Repositories {
			got = append(got, repo.Name)
		}
		if token = page.NextPage; token == "" {
			break
		}
	}
	if diff := cmp.Diff([]int{100, 100, 50}, sizes); diff != "" {
		t.Errorf("page sizes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("repositories (-want +got):\n%s", diff)
	}
}
