package image_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/fakequay/internal/image"
)

// viewSide is one registry the views test pushes into and reads: real Quay
// or fakequay, behind the same API calls.
type viewSide struct {
	name   string
	t      *testing.T
	url    string
	token  string
	client *http.Client
	push   func(t *testing.T, repo, tag string, specs ...image.Spec) string // the tagged digest
}

func (s *viewSide) api(method, path string, body any, want int) []byte {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	// Without cancel: the cleanup calls this after the test context ends.
	req, err := http.NewRequestWithContext(context.WithoutCancel(s.t.Context()), method, s.url+"/api/v1/"+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		s.t.Fatalf("%s: %s %s: %d %s, want %d", s.name, method, path, resp.StatusCode, out, want)
	}
	return out
}

// repoEntry is a repository list entry with last_modified and popularity
// (RepositoryBaseElement.to_dict and add_quota_view).
type repoEntry struct {
	Namespace    string    `json:"namespace"`
	Name         string    `json:"name"`
	Description  *string   `json:"description"`
	IsPublic     bool      `json:"is_public"`
	Kind         string    `json:"kind"`
	State        string    `json:"state"`
	LastModified *int64    `json:"last_modified"`
	Popularity   float64   `json:"popularity"`
	IsStarred    bool      `json:"is_starred"`
	QuotaReport  repoQuota `json:"quota_report"`
}

// views are what the test compares between the two registries after each
// step: the organization's repository list and its quota_report in the
// superuser organization list and in getOrganization.
type views struct {
	Repositories []repoEntry
	OrgQuota     quotaReport
	GetOrgQuota  quotaReport
}

// read collects the views of org. Each repository's last_modified must be
// the newest start_ts among its alive tags (listRepoTags, on the same
// registry); it is then kept only as present (0) or null, since the two
// registries push at different instants.
func (s *viewSide) read(org string) views {
	s.t.Helper()
	var list struct {
		Repositories []repoEntry `json:"repositories"`
	}
	dec := json.NewDecoder(bytes.NewReader(s.api("GET", "repository?namespace="+org+"&last_modified=true&popularity=true", nil, 200)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		s.t.Fatalf("%s: listRepos: %v", s.name, err)
	}
	slices.SortFunc(list.Repositories, func(a, b repoEntry) int { return strings.Compare(a.Name, b.Name) })
	for i, r := range list.Repositories {
		var tags struct {
			Tags []tagEntry `json:"tags"`
		}
		if err := json.Unmarshal(s.api("GET", fmt.Sprintf("repository/%s/%s/tag/?onlyActiveTags=true", org, r.Name), nil, 200), &tags); err != nil {
			s.t.Fatal(err)
		}
		var newest *int64
		for _, tg := range tags.Tags {
			if newest == nil || tg.StartTS > *newest {
				newest = ptr(tg.StartTS)
			}
		}
		if !cmp.Equal(newest, r.LastModified) {
			s.t.Errorf("%s: %s last_modified = %v, want the newest alive tag's start_ts %v", s.name, r.Name, deref(r.LastModified), deref(newest))
		}
		if r.LastModified != nil {
			list.Repositories[i].LastModified = ptr(int64(0))
		}
	}
	var orgs struct {
		Organizations []struct {
			Name        string      `json:"name"`
			QuotaReport quotaReport `json:"quota_report"`
		} `json:"organizations"`
	}
	if err := json.Unmarshal(s.api("GET", "superuser/organizations/", nil, 200), &orgs); err != nil {
		s.t.Fatal(err)
	}
	v := views{Repositories: list.Repositories}
	for _, o := range orgs.Organizations {
		if o.Name == org {
			v.OrgQuota = o.QuotaReport
		}
	}
	var got struct {
		QuotaReport quotaReport `json:"quota_report"`
	}
	if err := json.Unmarshal(s.api("GET", "organization/"+org, nil, 200), &got); err != nil {
		s.t.Fatal(err)
	}
	v.GetOrgQuota = got.QuotaReport
	return v
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// fakeSide is fakequay with the harness's users and flags that matter
// here: devtable, a superuser with full access, pushing.
func fakeSide(t *testing.T) *viewSide {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"devtable"}
	cfg.FeatureSuperusersFullAccess = true
	cfg.FeatureImmutableTags = true
	srv, err := fakequay.New(fakequay.WithSeed(fakequay.Seed{Config: &cfg,
		Users: []fakequay.SeedUser{{Username: "devtable", Email: "devtable@example.com", Tokens: []fakequay.SeedToken{{Token: "devtable-token"}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s := &viewSide{name: "fakequay", t: t, url: srv.URL(), token: "devtable-token", client: srv.HTTPClient()}
	s.push = func(t *testing.T, repo, tag string, specs ...image.Spec) string {
		t.Helper()
		var plats []fakequay.ImageSpec
		for _, sp := range specs {
			is := fakequay.ImageSpec{Architecture: sp.Architecture}
			for _, l := range sp.Layers {
				is.Layers = append(is.Layers, fakequay.LayerSpec{Seed: l.Seed, Size: l.Size})
			}
			plats = append(plats, is)
		}
		ns, name, _ := cutRepo(repo)
		p, err := srv.AddImage(fakequay.SeedImage{Namespace: ns, Repository: name, Tag: tag, Pusher: "devtable", Platforms: plats})
		if err != nil {
			t.Fatal(err)
		}
		return p.Digest
	}
	return s
}

func cutRepo(repo string) (string, string, bool) {
	i := bytes.IndexByte([]byte(repo), '/')
	if i < 0 {
		return repo, "", false
	}
	return repo[:i], repo[i+1:], true
}

// TestLiveQuayListViewsFromContent pushes the same images into a real
// Quay (the realquay harness; see quayLive) and into fakequay, step by
// step, and compares what each computes from them: listRepos'
// last_modified (registry_oci_model.get_most_recent_tag_lifetime_start:
// the newest alive tag's start, in seconds), popularity
// (get_repositories_action_sums over RepositoryActionCount, which only the
// action-counter worker fills: 0.0 without it) and quota_report
// (get_repository_sizes, kept by data/model/quota.py update_sizes at each
// manifest creation), and the organization's quota_report in the
// superuser list and getOrganization (namespacequota.py
// get_quota_for_view).
func TestLiveQuayListViewsFromContent(t *testing.T) {
	q := liveQuay(t)
	real := &viewSide{name: "real Quay", t: t, url: q.url, token: q.token, client: http.DefaultClient,
		push: func(t *testing.T, repo, tag string, specs ...image.Spec) string {
			t.Helper()
			if len(specs) == 1 {
				img, err := image.Build(specs[0])
				if err != nil {
					t.Fatal(err)
				}
				if _, err := q.reg.Push(t.Context(), repo, tag, pushable(img)); err != nil {
					t.Fatal(err)
				}
				return string(img.Digest)
			}
			ix, err := image.BuildIndex(image.IndexSpec{Manifests: specs})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := q.reg.PushIndex(t.Context(), repo, tag, pushableIndex(ix)); err != nil {
				t.Fatal(err)
			}
			return string(ix.Digest)
		}}
	fake := fakeSide(t)
	org := "views" + q.run
	seed := func(s string) string { return q.run + "/views/" + s }
	base := image.Layer{Seed: seed("base"), Size: 100}
	a1 := image.Spec{Layers: []image.Layer{base, {Seed: seed("a1"), Size: 50}}}
	b1 := image.Spec{Layers: []image.Layer{base, {Seed: seed("b1"), Size: 70}}}
	a2 := image.Spec{Layers: []image.Layer{base, {Seed: seed("a2"), Size: 30}}}
	m1 := image.Spec{Layers: []image.Layer{base, {Seed: seed("m1"), Size: 40}}}
	m2 := image.Spec{Architecture: "arm64", Layers: []image.Layer{base, {Seed: seed("m2"), Size: 60}}}
	steps := []struct {
		name string
		run  func(t *testing.T, s *viewSide)
	}{
		{"an organization with a quota and no content", func(t *testing.T, s *viewSide) {
			s.api("POST", "organization/", map[string]string{"name": org, "email": org + "@example.com"}, 201)
			s.api("POST", "organization/"+org+"/quota", map[string]int64{"limit_bytes": 100000}, 201)
		}},
		{"a first push", func(t *testing.T, s *viewSide) { s.push(t, org+"/a", "v1", a1) }},
		{"a shared blob in a second repository", func(t *testing.T, s *viewSide) { s.push(t, org+"/b", "v1", b1) }},
		{"a second manifest in the first repository", func(t *testing.T, s *viewSide) { s.push(t, org+"/a", "v2", a2) }},
		{"an existing manifest under a new tag", func(t *testing.T, s *viewSide) { s.push(t, org+"/a", "latest", a1) }},
		{"a manifest list", func(t *testing.T, s *viewSide) { s.push(t, org+"/multi", "m", m1, m2) }},
		{"an empty repository", func(t *testing.T, s *viewSide) {
			s.api("POST", "repository", map[string]string{"namespace": org, "repository": "empty", "visibility": "private", "description": ""}, 201)
		}},
		{"deleting the newest tag: last_modified falls back, sizes stay", func(t *testing.T, s *viewSide) {
			s.api("DELETE", "repository/"+org+"/a/tag/latest", nil, 204)
		}},
		{"deleting every tag of a repository: last_modified null", func(t *testing.T, s *viewSide) {
			s.api("DELETE", "repository/"+org+"/b/tag/v1", nil, 204)
		}},
	}
	t.Cleanup(func() { real.t = t; real.api("DELETE", "organization/"+org, nil, 204) })
	for _, st := range steps {
		ok := t.Run(st.name, func(t *testing.T) {
			got := map[string]views{}
			for _, s := range []*viewSide{real, fake} {
				s.t = t
				st.run(t, s)
				got[s.name] = s.read(org)
			}
			b, _ := json.Marshal(got[real.name])
			t.Logf("real Quay: %s", b)
			if diff := cmp.Diff(got[real.name], got[fake.name]); diff != "" {
				t.Errorf("views (-real Quay +fakequay):\n%s", diff)
			}
		})
		if !ok {
			break
		}
	}
}
