package superuser_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

var buynlargeAvatar = superuser.Avatar{Name: "buynlarge", Hash: "66da75c6cfc9424388183b1baf1dba2fec09ebc1c86cd15fb14cd8855ed3833b", Color: "#d62728", Kind: "org"}

func TestOrganizations(t *testing.T) {
	t.Parallel()
	buynlarge := superuser.Organization{Name: "buynlarge", Email: "buynlarge@example.com", Avatar: buynlargeAvatar}
	megacorp := buynlarge
	megacorp.Name, megacorp.Avatar.Name = "megacorp", "megacorp"
	runCalls(t, []call{
		{
			name: "List", method: "GET", path: "/superuser/organizations/", query: url.Values{"limit": {"50"}, "next_page": {"prev"}},
			status: 200, file: "listAllOrganizations.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				orgs, resp, err := su.Organizations.List(ctx, &superuser.OrganizationListOptions{Limit: 50, NextPage: "prev"})
				if err == nil && resp.NextPage != "gAAAAABrCm1qOrgPageToken2" {
					t.Errorf("NextPage = %q, want the body's next_page", resp.NextPage)
				}
				return orgs, resp, err
			},
			want: []superuser.Organization{buynlarge},
		},
		{
			name: "Update renames", method: "PUT", path: "/superuser/organizations/buynlarge", body: `{"name": "megacorp"}`,
			status: 200, file: "changeOrganization.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Organizations.Update(ctx, "buynlarge", superuser.UpdateOrganizationRequest{Name: "megacorp"})
			},
			want: megacorp,
		},
		{
			name: "Delete", method: "DELETE", path: "/superuser/organizations/buynlarge", status: 204,
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				resp, err := su.Organizations.Delete(ctx, "buynlarge")
				return nil, resp, err
			},
		},
	})
}

func TestOrganizationsAll(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t)
	var queries []string
	mux.HandleFunc("GET /superuser/organizations/", func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		if r.URL.Query().Get("next_page") == "" {
			apitest.WriteJSON(w, http.StatusOK, []byte(`{"organizations": [{"name": "a"}, {"name": "b"}], "next_page": "t1"}`))
			return
		}
		apitest.WriteJSON(w, http.StatusOK, []byte(`{"organizations": [{"name": "c"}]}`))
	})
	opts := &superuser.OrganizationListOptions{}
	var names []string
	for org, err := range superuser.New(c).Organizations.All(t.Context(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, org.Name)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, names); diff != "" {
		t.Errorf("organizations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"limit=100", "limit=100&next_page=t1"}, queries); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if *opts != (superuser.OrganizationListOptions{}) {
		t.Errorf("All changed the caller's options: %+v", *opts)
	}
}
