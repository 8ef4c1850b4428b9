package fakequay_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/quaykit/go-quay/fakequay"
)

// PushImage puts content into the fake as a registry push would: here a
// two-layer image, then a manifest list over two platforms, both read back
// through listRepoTags.
func ExampleServer_PushImage() {
	srv, err := fakequay.New(fakequay.WithSeed(fakequay.Seed{
		Users: []fakequay.SeedUser{{Username: "alice", Email: "alice@example.com",
			Tokens: []fakequay.SeedToken{{Token: "alice-token"}}}},
	}))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	base := fakequay.ImageSpec{Labels: map[string]string{"maintainer": "alice"},
		Layers: []fakequay.LayerSpec{{Seed: "os", Size: 1000}, {Seed: "app", Size: 250}}}
	img, err := srv.PushImage("alice", "app", "v1", base)
	if err != nil {
		panic(err)
	}
	arm := fakequay.ImageSpec{Architecture: "arm64", Layers: []fakequay.LayerSpec{{Seed: "os-arm", Size: 900}}}
	list, err := srv.PushImage("alice", "app", "multi", base, arm)
	if err != nil {
		panic(err)
	}
	fmt.Println(img.MediaType)
	fmt.Println(list.MediaType, len(list.Children), "children")

	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/v1/repository/alice/app/tag/", nil)
	req.Header.Set("Authorization", "Bearer alice-token")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var page struct {
		Tags []struct {
			Name           string `json:"name"`
			ManifestDigest string `json:"manifest_digest"`
			IsManifestList bool   `json:"is_manifest_list"`
			Size           *int64 `json:"size"`
		} `json:"tags"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		panic(err)
	}
	for _, t := range page.Tags {
		size := "null"
		if t.Size != nil {
			size = fmt.Sprint(*t.Size)
		}
		fmt.Println(t.Name, t.IsManifestList, size, t.ManifestDigest == img.Digest || t.ManifestDigest == list.Digest)
	}
	// Output:
	// application/vnd.docker.distribution.manifest.v2+json
	// application/vnd.docker.distribution.manifest.list.v2+json 2 children
	// multi true null true
	// v1 false 1250 true
}
