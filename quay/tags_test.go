package quay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
)

// unix is a Timestamp at sec seconds since the epoch.
func unix(sec int64) quay.Timestamp { return quay.Timestamp{Time: time.Unix(sec, 0).UTC()} }

// liveTag is a history entry that has not ended, as Quay lists it
// (FEATURE_IMMUTABLE_TAGS on, so "immutable" is present and false).
func liveTag(name string, start int64, digest string, size int64) quay.Tag {
	return quay.Tag{Name: name, StartTS: start, ManifestDigest: digest, Size: size, LastModified: unix(start)}
}

// ended gives t an end (a deletion, a move or an expiry).
func ended(t quay.Tag, end int64) quay.Tag {
	t.EndTS, t.Expiration = end, unix(end)
	return t
}

// reverted marks t as made by restoreTag.
func reverted(t quay.Tag) quay.Tag {
	t.Reversion = true
	return t
}

// listTags calls Tags.List and also returns Response.NextPage.
func listTags(ns, repo string, opts *quay.TagListOptions) func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
	return func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
		tags, resp, err := c.Tags.List(ctx, ns, repo, opts)
		if err != nil {
			return nil, resp, err
		}
		return tagPage{tags, resp.NextPage}, resp, nil
	}
}

type tagPage struct {
	Tags     []quay.Tag
	NextPage string
}

func TestTags(t *testing.T) {
	t.Parallel()
	const (
		simpleLatest = "sha256:450116fa516373affeb3b051523fa331ee9bea66d4ac4ca43fcd5f3323fdb2c3"
		rewritten    = "sha256:1dfa429b96d28d736bf67fa9a42665b83038c70e89a48ff4b37c44a8c40efde2"
	)
	multiarch := liveTag("v1", 1796665593, "sha256:4bdc47a49705dac58fce9bad75df275fadaaa2f469c3b8d8741f099f6dc11f75", 0)
	multiarch.IsManifestList = true
	multiarch.ChildManifestCount, multiarch.PresentChildCount = 2, 2
	multiarch.ChildManifestsPresence = map[string]bool{
		"sha256:2a30e49443245be987c439d4a9535024308637ab55452642010a9b0084063ada": true,
		"sha256:88f22c7698b52bd2d9f9b6b5f0b193a08c4f658219063dff24c7c526afb17c9c": true,
	}
	historyLatest := liveTag("latest", 1796663262, "sha256:45b4a850cb378ad86e97003552a067dbc9e5de71942e39e1e48ba4c6994aacb8", 207)

	runCalls(t, []call{
		{
			name: "List", method: "GET", path: "/repository/devtable/simple/tag/", status: 200, file: "listRepoTags.json",
			do: listTags("devtable", "simple", nil),
			want: tagPage{Tags: []quay.Tag{
				liveTag("prod", 1796663262, "sha256:3950cc631045fada72e8344015345dd021985155ddbc58b9211d3adda27f9589", 92),
				liveTag("latest", 1796663262, simpleLatest, 92),
			}},
		},
		{
			name: "List the history with a replaced tag", method: "GET", path: "/repository/devtable/history/tag/",
			query:  url.Values{"specificTag": {"latest"}},
			status: 200, file: "listRepoTags-history.json",
			do: listTags("devtable", "history", &quay.TagListOptions{SpecificTag: "latest"}),
			want: tagPage{Tags: []quay.Tag{
				historyLatest,
				ended(liveTag("latest", 1796663261, "sha256:4f91d9878d3eeba79a0cbd7b54cbe26ce265b462ec5cdb985ebd642ae345b61f", 138), 1796663262),
			}},
		},
		{
			name: "List only active tags", method: "GET", path: "/repository/devtable/history/tag/",
			query:  url.Values{"onlyActiveTags": {"true"}},
			status: 200, file: "listRepoTags-active.json",
			do:   listTags("devtable", "history", &quay.TagListOptions{OnlyActiveTags: true}),
			want: tagPage{Tags: []quay.Tag{historyLatest}},
		},
		{
			// Real Quay's page 2 of 17 tags in pages of 5: has_additional.
			name: "List a middle page", method: "GET", path: "/repository/devtable/superwide/tag/",
			query:  url.Values{"limit": {"5"}, "page": {"2"}},
			status: 200, file: "listRepoTags-page2.json",
			do: listTags("devtable", "superwide", &quay.TagListOptions{Limit: 5, Page: 2}),
			want: tagPage{NextPage: "3", Tags: []quay.Tag{
				liveTag("latest13", 1796663265, "sha256:6b302c55cc9fbe83aa758419bb4ad65a7b2cbd1f3e800926d6f954a3cee7b8ae", 46),
				liveTag("latest10", 1796663265, "sha256:2c86eebd737a628bb9511e895709121547efe22e4c1bb05862a2765b511add63", 46),
				liveTag("latest9", 1796663264, "sha256:581028482ccbfb629e3719be72e9ef02bed7148a30980bd4ac6ef399114f3e1d", 46),
				liveTag("latest8", 1796663264, "sha256:59b3e44daa3d1bebdb207193c743bce47bbb7648d8ab3f8c85918d31842ba347", 46),
				liveTag("latest7", 1796663264, "sha256:201e44e5fc28c671cfe0498b91bcc1b213cb8da3405f8ea9ecfb12fc3cfec23f", 46),
			}},
		},
		{
			name: "List the last page", method: "GET", path: "/repository/devtable/superwide/tag/",
			query:  url.Values{"limit": {"5"}, "page": {"4"}},
			status: 200, file: "listRepoTags-last.json",
			do: listTags("devtable", "superwide", &quay.TagListOptions{Limit: 5, Page: 4}),
			want: tagPage{Tags: []quay.Tag{
				liveTag("latest3", 1796663264, "sha256:b639a32191411ef7dafa5e5bd4e765b5b8543c3f2cc41531e32b64669c1948c3", 46),
				liveTag("latest2", 1796663264, "sha256:37354ef380d8f3952f96710950832c67d90fd3c77dd91b3025a9f442c99efea5", 230),
			}},
		},
		{
			// like: is a substring match: "test1" is in "latest1x".
			name: "List names containing", method: "GET", path: "/repository/devtable/superwide/tag/",
			query:  url.Values{"filter_tag_name": {"like:test1"}},
			status: 200, file: "listRepoTags-like.json",
			do: listTags("devtable", "superwide", &quay.TagListOptions{NameContains: "test1"}),
			want: tagPage{Tags: []quay.Tag{
				liveTag("latest18", 1796663265, "sha256:761e5f110be8f151ddc5333a9544c8a89ce27fe78f07c1593083f929c6a15195", 46),
				liveTag("latest17", 1796663265, "sha256:7d16204a5f432e49ea5f46ebd7370a5d9e6553699195c99038c5da8c21dfb238", 46),
				liveTag("latest16", 1796663265, "sha256:264e89caa5c20c3991fd4090d85d7637cf60adce446443ca71b93c9c7a6f3d00", 46),
				liveTag("latest15", 1796663265, "sha256:41f4dd9d51a31cb8b8a682b379f48089800fbe87c8b1586d132bb5bfb42aacb3", 46),
				liveTag("latest14", 1796663265, "sha256:a24abf968ce43cea6faca0462a9e81838ad87b8225aec5a194e282b91acf4bd5", 46),
				liveTag("latest13", 1796663265, "sha256:6b302c55cc9fbe83aa758419bb4ad65a7b2cbd1f3e800926d6f954a3cee7b8ae", 46),
				liveTag("latest10", 1796663265, "sha256:2c86eebd737a628bb9511e895709121547efe22e4c1bb05862a2765b511add63", 46),
				liveTag("latest12", 1796663264, "sha256:4639acfb504590e93aaaba8c556b83e8d8cdb9f4c8cd154cc06d3a66ddc00a18", 115),
				liveTag("latest11", 1796663264, "sha256:0843300ce6b30615bfc6fc3824981d177dc252052c6f723805310d090ded2298", 69),
			}},
		},
		{
			name: "List a manifest list (size null)", method: "GET", path: "/repository/devtable/multiarch/tag/",
			query:  url.Values{"filter_tag_name": {"eq:v1"}},
			status: 200, file: "listRepoTags-manifestlist.json",
			do:   listTags("devtable", "multiarch", &quay.TagListOptions{NameEquals: "v1"}),
			want: tagPage{Tags: []quay.Tag{multiarch}},
		},
		{
			name: "List a restored tag", method: "GET", path: "/repository/devtable/simple/tag/",
			query:  url.Values{"specificTag": {"newtag"}, "limit": {"2"}},
			status: 200, file: "listRepoTags-reversion.json",
			do: listTags("devtable", "simple", &quay.TagListOptions{SpecificTag: "newtag", Limit: 2}),
			want: tagPage{NextPage: "2", Tags: []quay.Tag{
				reverted(liveTag("newtag", 1796665691, rewritten, 92)),
				ended(liveTag("newtag", 1796665661, rewritten, 92), 1796665690),
			}},
		},
		{
			name: "List a tag that will expire", method: "GET", path: "/repository/devtable/content/tag/",
			query:  url.Values{"specificTag": {"v1"}},
			status: 200, file: "listRepoTags-expiring.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				// Page 1 is the default: not sent.
				return listTags("devtable", "content", &quay.TagListOptions{SpecificTag: "v1", Page: 1})(ctx, c)
			},
			want: tagPage{Tags: []quay.Tag{
				ended(liveTag("v1", 1796665595, "sha256:b8b5a0d7cde012bc3e9b33061b64477566dbb4d2b817437d398c3ef9155630b1", 103), 1797000000),
			}},
		},
		{
			name: "Move", method: "PUT", path: "/repository/devtable/simple/tag/newtag",
			body:   `{"manifest_digest": "` + simpleLatest + `"}`,
			status: 201, file: "changeTag.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.Move(ctx, "devtable", "simple", "newtag", simpleLatest)
				return nil, resp, err
			},
		},
		{
			name: "SetExpiration", method: "PUT", path: "/repository/devtable/content/tag/v1",
			body:   `{"expiration": 1797000000}`,
			status: 201, file: "changeTag.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.SetExpiration(ctx, "devtable", "content", "v1", time.Unix(1797000000, 999).In(time.FixedZone("X", 3600)))
				return nil, resp, err
			},
		},
		{
			name: "SetExpiration to the zero time removes it", method: "PUT", path: "/repository/devtable/content/tag/v1",
			body:   `{"expiration": null}`,
			status: 201, file: "changeTag.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.SetExpiration(ctx, "devtable", "content", "v1", time.Time{})
				return nil, resp, err
			},
		},
		{
			name: "SetImmutable", method: "PUT", path: "/repository/devtable/simple/tag/newtag",
			body:   `{"immutable": true}`,
			status: 201, file: "changeTag.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.SetImmutable(ctx, "devtable", "simple", "newtag", true)
				return nil, resp, err
			},
		},
		{
			name: "SetImmutable false", method: "PUT", path: "/repository/devtable/simple/tag/newtag",
			body:   `{"immutable": false}`,
			status: 201, file: "changeTag.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.SetImmutable(ctx, "devtable", "simple", "newtag", false)
				return nil, resp, err
			},
		},
		{
			name: "Delete", method: "DELETE", path: "/repository/devtable/simple/tag/newtag", status: 204,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.Delete(ctx, "devtable", "simple", "newtag")
				return nil, resp, err
			},
		},
		{
			name: "Restore", method: "POST", path: "/repository/devtable/simple/tag/newtag/restore",
			body:   `{"manifest_digest": "` + rewritten + `"}`,
			status: 200, file: "restoreTag.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.Restore(ctx, "devtable", "simple", "newtag", rewritten)
				return nil, resp, err
			},
		},
		{
			// Real Quay answers 200 with the body "" (testdata has no file
			// for a body of two quotes; the status and empty decode matter).
			name: "Purge ended entries", method: "POST", path: "/repository/devtable/simple/tag/newtag/expire",
			body:   `{"manifest_digest": "` + rewritten + `"}`,
			status: 200,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.Purge(ctx, "devtable", "simple", "newtag", quay.PurgeTagRequest{ManifestDigest: rewritten})
				return nil, resp, err
			},
		},
		{
			name: "Purge the live tag with its platform manifests", method: "POST", path: "/repository/devtable/multiarch/tag/v1/expire",
			body:   `{"is_alive": true, "include_submanifests": true}`,
			status: 200,
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				resp, err := c.Tags.Purge(ctx, "devtable", "multiarch", "v1", quay.PurgeTagRequest{Alive: true, IncludeSubmanifests: true})
				return nil, resp, err
			},
		},
		{
			name: "PullStatistics", method: "GET", path: "/repository/devtable/simple/tag/latest/pull_statistics",
			status: 200, file: "getTagPullStatistics.json",
			do: func(ctx context.Context, c *quay.Client) (any, *quay.Response, error) {
				return c.Tags.PullStatistics(ctx, "devtable", "simple", "latest")
			},
			want: quay.TagPullStatistics{TagName: "latest", CurrentManifestDigest: simpleLatest},
		},
	})
}

// TestTagsPurgeAnswer decodes the JSON string "" real Quay answers
// removeTagFromTimemachine with (tag.py TagTimeMachineDelete.post).
func TestTagsPurgeAnswer(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t)
	mux.HandleFunc("POST /repository/devtable/simple/tag/newtag/expire", func(w http.ResponseWriter, r *http.Request) {
		apitest.WriteJSON(w, http.StatusOK, []byte(`""`+"\n"))
	})
	resp, err := c.Tags.Purge(t.Context(), "devtable", "simple", "newtag", quay.PurgeTagRequest{ManifestDigest: "sha256:1"})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("Purge = %v, %v; want 200", resp, err)
	}
}

// TestTagsRefusedBeforeSending covers options and arguments the client
// rejects without a request: each would get a 400 or a silent clamp from
// Quay, or address the wrong resource.
func TestTagsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c := noRequest(t)
	tests := map[string]func(ctx context.Context) error{
		"limit above 100": func(ctx context.Context) error {
			_, _, err := c.Tags.List(ctx, "a", "b", &quay.TagListOptions{Limit: 101})
			return err
		},
		"negative limit": func(ctx context.Context) error {
			_, _, err := c.Tags.List(ctx, "a", "b", &quay.TagListOptions{Limit: -1})
			return err
		},
		"negative page": func(ctx context.Context) error {
			_, _, err := c.Tags.List(ctx, "a", "b", &quay.TagListOptions{Page: -1})
			return err
		},
		"both name filters": func(ctx context.Context) error {
			_, _, err := c.Tags.List(ctx, "a", "b", &quay.TagListOptions{NameContains: "x", NameEquals: "y"})
			return err
		},
		"empty repository": func(ctx context.Context) error {
			_, _, err := c.Tags.List(ctx, "a", "", nil)
			return err
		},
		"Move without a digest": func(ctx context.Context) error {
			_, err := c.Tags.Move(ctx, "a", "b", "t", "")
			return err
		},
		"Move without a tag": func(ctx context.Context) error {
			_, err := c.Tags.Move(ctx, "a", "b", "", "sha256:1")
			return err
		},
		"SetExpiration without a tag": func(ctx context.Context) error {
			_, err := c.Tags.SetExpiration(ctx, "a", "b", "", time.Now())
			return err
		},
		"SetImmutable without a namespace": func(ctx context.Context) error {
			_, err := c.Tags.SetImmutable(ctx, "", "b", "t", true)
			return err
		},
		"Delete without a tag": func(ctx context.Context) error {
			_, err := c.Tags.Delete(ctx, "a", "b", "")
			return err
		},
		"Restore without a digest": func(ctx context.Context) error {
			_, err := c.Tags.Restore(ctx, "a", "b", "t", "")
			return err
		},
		"Restore without a tag": func(ctx context.Context) error {
			_, err := c.Tags.Restore(ctx, "a", "b", "", "sha256:1")
			return err
		},
		"Purge ended entries without a digest": func(ctx context.Context) error {
			_, err := c.Tags.Purge(ctx, "a", "b", "t", quay.PurgeTagRequest{})
			return err
		},
		"Purge without a tag": func(ctx context.Context) error {
			_, err := c.Tags.Purge(ctx, "a", "b", "", quay.PurgeTagRequest{Alive: true})
			return err
		},
		"PullStatistics without a tag": func(ctx context.Context) error {
			_, _, err := c.Tags.PullStatistics(ctx, "a", "b", "")
			return err
		},
	}
	for name, call := range tests {
		if err := call(t.Context()); err == nil {
			t.Errorf("%s: no error, want one before sending", name)
		}
	}
	if _, _, err := c.Tags.List(t.Context(), "a", "b", &quay.TagListOptions{Limit: 101}); !errors.Is(err, quay.ErrInvalidLimit) {
		t.Errorf("Limit 101: error %v, want ErrInvalidLimit", err)
	}
}

// pagedTags serves tags t0, t1, ... of a repository in pages of size with
// Quay's page/has_additional paging (tag.py ListRepositoryTags.get).
func pagedTags(t *testing.T, total, size int, serve func(page int) int) (*quay.Client, func() []url.Values) {
	t.Helper()
	c, mux := apitest.Setup(t)
	var (
		mu      sync.Mutex
		queries []url.Values
	)
	mux.HandleFunc("GET /repository/acme/web/tag/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Query())
		mu.Unlock()
		page := 1
		if p := r.URL.Query().Get("page"); p != "" {
			page, _ = strconv.Atoi(p)
		}
		if serve != nil {
			if status := serve(page); status != http.StatusOK {
				w.WriteHeader(status)
				return
			}
		}
		body := `{"tags": [`
		start := (page - 1) * size
		for i := start; i < min(start+size, total); i++ {
			if i > start {
				body += ", "
			}
			body += fmt.Sprintf(`{"name": "t%d", "reversion": false, "manifest_digest": "sha256:%d", "is_manifest_list": false, "size": 1}`, i, i)
		}
		body += fmt.Sprintf(`], "page": %d, "has_additional": %t}`, page, start+size < total)
		apitest.WriteJSON(w, http.StatusOK, []byte(body+"\n"))
	})
	return c, func() []url.Values {
		mu.Lock()
		defer mu.Unlock()
		return queries
	}
}

func tagNames(seq func(func(quay.Tag, error) bool)) ([]string, error) {
	var names []string
	for tag, err := range seq {
		if err != nil {
			return names, err
		}
		names = append(names, tag.Name)
	}
	return names, nil
}

func TestTagsAll(t *testing.T) {
	t.Parallel()
	c, queries := pagedTags(t, 5, 2, nil)
	opts := &quay.TagListOptions{Limit: 2, OnlyActiveTags: true}
	before := *opts
	got, err := tagNames(c.Tags.All(t.Context(), "acme", "web", opts))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"t0", "t1", "t2", "t3", "t4"}, got); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	want := []url.Values{
		{"limit": {"2"}, "onlyActiveTags": {"true"}},
		{"limit": {"2"}, "onlyActiveTags": {"true"}, "page": {"2"}},
		{"limit": {"2"}, "onlyActiveTags": {"true"}, "page": {"3"}},
	}
	if diff := cmp.Diff(want, queries()); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, *opts); diff != "" {
		t.Errorf("All changed the caller's options (-before +after):\n%s", diff)
	}
}

func TestTagsAllResumes(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	fail.Store(true)
	c, _ := pagedTags(t, 6, 2, func(page int) int {
		if page == 2 && fail.Load() {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	got, err := tagNames(c.Tags.All(t.Context(), "acme", "web", &quay.TagListOptions{Limit: 2}))
	var pe *quay.PageError
	if !errors.As(err, &pe) || pe.NextPage != "2" || !errors.Is(err, quay.ErrServer) {
		t.Fatalf("error = %v, want a PageError at page 2 wrapping the 500", err)
	}
	if diff := cmp.Diff([]string{"t0", "t1"}, got); diff != "" {
		t.Errorf("tags before the error (-want +got):\n%s", diff)
	}
	fail.Store(false)
	page, _ := strconv.Atoi(pe.NextPage)
	rest, err := tagNames(c.Tags.All(t.Context(), "acme", "web", &quay.TagListOptions{Limit: 2, Page: page}))
	if err != nil || !cmp.Equal([]string{"t2", "t3", "t4", "t5"}, rest) {
		t.Errorf("resumed walk = %v, %v; want [t2 t3 t4 t5]", rest, err)
	}
}

func TestTagAlive(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	tests := []struct {
		name string
		tag  quay.Tag
		want bool
	}{
		{"no end", quay.Tag{StartTS: 900}, true},
		{"ends later", quay.Tag{StartTS: 900, EndTS: 1001}, true},
		{"ends now", quay.Tag{StartTS: 900, EndTS: 1000}, false},
		{"ended", quay.Tag{StartTS: 900, EndTS: 950}, false},
		{"purged: end before start", quay.Tag{StartTS: 900, EndTS: 100}, false},
		{"starts later", quay.Tag{StartTS: 1001}, false},
	}
	for _, tt := range tests {
		if got := tt.tag.Alive(now); got != tt.want {
			t.Errorf("%s: Alive = %v, want %v", tt.name, got, tt.want)
		}
	}
}
