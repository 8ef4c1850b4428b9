package image_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/quaykit/go-quay/fakequay/internal/image"
	"github.com/quaykit/go-quay/internal/registrypush"
)

// quayLive talks to a real Quay: its API with a superuser token and its
// registry as a user with a password. The live tests run only when
// QUAY_URL, QUAY_TOKEN, QUAY_REGISTRY_USER and QUAY_REGISTRY_PASSWORD are
// set; against the realquay harness that is
//
//	. /tmp/realquay/tokens.env; QUAY_URL=http://127.0.0.1:PORT \
//	QUAY_REGISTRY_USER=devtable QUAY_REGISTRY_PASSWORD=password \
//	go test -run LiveQuay ./fakequay/internal/image
type quayLive struct {
	t        *testing.T
	url      string
	token    string
	user     string
	password string
	reg      *registrypush.Client
	// run is a fresh suffix, so that names and layer seeds are new on
	// every run against the same server.
	run string
}

func liveQuay(t *testing.T) *quayLive {
	t.Helper()
	env := map[string]string{}
	for _, k := range []string{"QUAY_URL", "QUAY_TOKEN", "QUAY_REGISTRY_USER", "QUAY_REGISTRY_PASSWORD"} {
		env[k] = os.Getenv(k)
		if env[k] == "" {
			t.Skipf("%s is not set: skipping the live Quay test (see quayLive)", k)
		}
	}
	reg, err := registrypush.New(env["QUAY_URL"], env["QUAY_REGISTRY_USER"], env["QUAY_REGISTRY_PASSWORD"])
	if err != nil {
		t.Fatal(err)
	}
	var b [4]byte
	rand.Read(b[:])
	return &quayLive{t: t, url: strings.TrimRight(env["QUAY_URL"], "/"), token: env["QUAY_TOKEN"],
		user: env["QUAY_REGISTRY_USER"], password: env["QUAY_REGISTRY_PASSWORD"], reg: reg, run: hex.EncodeToString(b[:])}
}

// api sends one API call and returns its status and body.
func (q *quayLive) api(method, path string, body any) (int, []byte) {
	q.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			q.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	// Without cancel: cleanups call this after the test context ends.
	req, err := http.NewRequestWithContext(context.WithoutCancel(q.t.Context()), method, q.url+"/api/v1/"+path, r)
	if err != nil {
		q.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+q.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		q.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		q.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// get fetches path, wants a 200, and decodes the body into v, refusing
// fields v does not name (so the key set is pinned too).
func (q *quayLive) get(path string, v any) {
	q.t.Helper()
	status, body := q.api(http.MethodGet, path, nil)
	if status != http.StatusOK {
		q.t.Fatalf("GET %s: %d %s", path, status, body)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, loose := v.(*map[string]any); !loose {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		q.t.Fatalf("GET %s: decoding %s: %v", path, body, err)
	}
}

// must sends a write and wants the given status.
func (q *quayLive) must(method, path string, body any, want int) []byte {
	q.t.Helper()
	status, out := q.api(method, path, body)
	if status != want {
		q.t.Fatalf("%s %s: %d %s, want %d", method, path, status, out, want)
	}
	return out
}

func pushable(img *image.Image) registrypush.Image {
	out := registrypush.Image{Manifest: registrypush.Manifest{MediaType: img.MediaType, Bytes: img.Bytes, Digest: string(img.Digest)}}
	for _, b := range img.Blobs() {
		out.Blobs = append(out.Blobs, registrypush.Blob{Digest: string(b.Digest), Size: b.Size, Open: b.Reader})
	}
	return out
}

func pushableIndex(ix *image.Index) registrypush.Index {
	out := registrypush.Index{Manifest: registrypush.Manifest{MediaType: ix.MediaType, Bytes: ix.Bytes, Digest: string(ix.Digest)}}
	for _, m := range ix.Manifests {
		out.Children = append(out.Children, pushable(m))
	}
	return out
}

// quotaReport is the quota_report of the superuser user and organization
// lists (data/model/namespacequota.py get_quota_for_view).
type quotaReport struct {
	QuotaBytes      int64  `json:"quota_bytes"`
	ConfiguredQuota *int64 `json:"configured_quota"`
	RunningBackfill string `json:"running_backfill"`
	BackfillStatus  string `json:"backfill_status"`
}

// repoQuota is the quota_report of a repository list entry
// (endpoints/api/repository_models_pre_oci.py add_quota_view).
type repoQuota struct {
	QuotaBytes      int64  `json:"quota_bytes"`
	ConfiguredQuota *int64 `json:"configured_quota"`
}

func (q *quayLive) orgQuota(org string) quotaReport {
	q.t.Helper()
	var body struct {
		Organizations []struct {
			Name        string       `json:"name"`
			QuotaReport *quotaReport `json:"quota_report"`
		} `json:"organizations"`
	}
	q.getLoose("superuser/organizations/", &body)
	for _, o := range body.Organizations {
		if o.Name == org && o.QuotaReport != nil {
			return *o.QuotaReport
		}
	}
	q.t.Fatalf("organization %s (with a quota_report) not in the superuser list", org)
	return quotaReport{}
}

func (q *quayLive) userQuota(user string) quotaReport {
	q.t.Helper()
	var body struct {
		Users []struct {
			Username    string       `json:"username"`
			QuotaReport *quotaReport `json:"quota_report"`
		} `json:"users"`
	}
	q.getLoose("superuser/users/", &body)
	for _, u := range body.Users {
		if u.Username == user && u.QuotaReport != nil {
			return *u.QuotaReport
		}
	}
	q.t.Fatalf("user %s (with a quota_report) not in the superuser list", user)
	return quotaReport{}
}

// repoQuota returns the quota_report of ns/name from the repository list,
// following next_page.
func (q *quayLive) repoQuota(ns, name string) repoQuota {
	q.t.Helper()
	token := ""
	for range 50 {
		var body struct {
			Repositories []struct {
				Name        string     `json:"name"`
				QuotaReport *repoQuota `json:"quota_report"`
			} `json:"repositories"`
			NextPage string `json:"next_page"`
		}
		path := "repository?namespace=" + url.QueryEscape(ns)
		if token != "" {
			path += "&next_page=" + url.QueryEscape(token)
		}
		q.getLoose(path, &body)
		for _, r := range body.Repositories {
			if r.Name == name && r.QuotaReport != nil {
				return *r.QuotaReport
			}
		}
		if token = body.NextPage; token == "" {
			break
		}
	}
	q.t.Fatalf("repository %s/%s (with a quota_report) not in the repository list", ns, name)
	return repoQuota{}
}

// getLoose is get without the unknown-field check, for lists whose other
// entries and fields are not under test.
func (q *quayLive) getLoose(path string, v any) {
	q.t.Helper()
	status, body := q.api(http.MethodGet, path, nil)
	if status != http.StatusOK {
		q.t.Fatalf("GET %s: %d %s", path, status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		q.t.Fatalf("GET %s: decoding: %v", path, err)
	}
}

// tagEntry is one tag of listRepoTags (endpoints/api/tag.py _tag_dict).
type tagEntry struct {
	Name                   string          `json:"name"`
	Reversion              bool            `json:"reversion"`
	Immutable              bool            `json:"immutable"`
	StartTS                int64           `json:"start_ts"`
	EndTS                  *int64          `json:"end_ts,omitempty"`
	ManifestDigest         string          `json:"manifest_digest"`
	IsManifestList         bool            `json:"is_manifest_list"`
	Size                   *int64          `json:"size"`
	LastModified           string          `json:"last_modified"`
	Expiration             *string         `json:"expiration,omitempty"`
	IsSparse               *bool           `json:"is_sparse,omitempty"`
	ChildManifestCount     *int            `json:"child_manifest_count,omitempty"`
	PresentChildCount      *int            `json:"present_child_count,omitempty"`
	ChildManifestsPresence map[string]bool `json:"child_manifests_presence,omitempty"`
}

func (q *quayLive) tags(repo string, onlyActive bool) []tagEntry {
	q.t.Helper()
	var body struct {
		Tags          []tagEntry `json:"tags"`
		Page          int        `json:"page"`
		HasAdditional bool       `json:"has_additional"`
	}
	q.get(fmt.Sprintf("repository/%s/tag/?onlyActiveTags=%t", repo, onlyActive), &body)
	return body.Tags
}

func ptr[T any](v T) *T { return &v }
