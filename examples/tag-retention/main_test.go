package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/examples/internal/exampletest"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// wallNow stands for the wall clock the time machine window is measured
// from: the fake's clock starts an hour before it.
var wallNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func init() { now = func() time.Time { return wallNow } }

// registry is a fakequay whose user owner (token owner-token) has
// owner/app with v1 to v5 pushed a minute apart (v1 oldest), then latest,
// all at start plus minutes; v2 and v4 share an image.
func registry(t *testing.T, start time.Time) *fakequay.Server {
	t.Helper()
	cfg := fakequay.DefaultConfig()
	srv := fakequay.RunT(t, fakequay.WithSeed(fakequay.Seed{
		Config: &cfg,
		Now:    start,
		Users: []fakequay.SeedUser{
			{Username: "owner", Email: "owner@example.com", Tokens: []fakequay.SeedToken{{Token: "owner-token"}}},
		},
	}))
	for i, tag := range []string{"v1", "v2", "v3", "v4", "v5", "latest"} {
		srv.Advance(time.Minute)
		seed := tag
		if tag == "v4" {
			seed = "v2"
		}
		if _, err := srv.PushImage("owner", "app", tag, fakequay.ImageSpec{Layers: []fakequay.LayerSpec{{Seed: seed, Size: int64(100 * (i + 1))}}}); err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

// alive is the names of the repository's alive tags, in creation order.
func alive(srv *fakequay.Server) []string {
	var names []string
	now := srv.Now()
	for _, tag := range srv.Tags("owner", "app") {
		if tag.End == nil || tag.End.After(now) {
			names = append(names, tag.Name)
		}
	}
	return names
}

func digest(t *testing.T, srv *fakequay.Server, name string) string {
	t.Helper()
	for _, tag := range srv.Tags("owner", "app") {
		if tag.Name == name {
			return tag.ManifestDigest
		}
	}
	t.Fatalf("no tag %s", name)
	return ""
}

// TestPruneThenUndo keeps the two newest v* tags, deletes v1 to v3 (never
// latest, which does not match), then -undo restores exactly those three at
// their manifests, and a second -undo finds nothing to do.
func TestPruneThenUndo(t *testing.T) {
	t.Parallel()
	srv := registry(t, wallNow.Add(-time.Hour))
	env := exampletest.EnvWithToken(srv, "owner-token")
	d1, d2, d3 := digest(t, srv, "v1"), digest(t, srv, "v2"), digest(t, srv, "v3")
	type outcome struct {
		Result exampletest.Result
		Alive  []string
	}
	step := func(args ...string) outcome {
		t.Helper()
		res := exampletest.RunEnv(t, run, env, args...)
		srv.Advance(time.Second)
		return outcome{res, alive(srv)}
	}
	got := []outcome{
		step("-keep", "2", "-match", "v*", "-dry-run", "owner/app"),
		step("-keep", "2", "-match", "v*", "owner/app"),
		step("-keep", "2", "-match", "v*", "owner/app"),
		step("-match", "v*", "-undo", "-dry-run", "owner/app"),
		step("-match", "v*", "-undo", "owner/app"),
		step("-match", "v*", "-undo", "owner/app"),
	}
	all := []string{"v1", "v2", "v3", "v4", "v5", "latest"}
	pruned := []string{"v4", "v5", "latest"}
	want := []outcome{
		{exampletest.Result{Stdout: `owner/app: 5 of 6 tags match "v*", keeping the newest 2
keep v5 (since 2026-03-01T11:05:00Z)
keep v4 (since 2026-03-01T11:04:00Z)
would delete v3 (since 2026-03-01T11:03:00Z, ` + d3 + `)
would delete v2 (since 2026-03-01T11:02:00Z, ` + d2 + `)
would delete v1 (since 2026-03-01T11:01:00Z, ` + d1 + `)
owner/app: 2 kept, 3 would be deleted
`}, all},
		{exampletest.Result{Stdout: `owner/app: 5 of 6 tags match "v*", keeping the newest 2
keep v5 (since 2026-03-01T11:05:00Z)
keep v4 (since 2026-03-01T11:04:00Z)
delete v3 (since 2026-03-01T11:03:00Z, ` + d3 + `)
delete v2 (since 2026-03-01T11:02:00Z, ` + d2 + `)
delete v1 (since 2026-03-01T11:01:00Z, ` + d1 + `)
owner/app: 2 kept, 3 deleted
`}, pruned},
		{exampletest.Result{Stdout: `owner/app: 2 of 3 tags match "v*", keeping the newest 2
keep v5 (since 2026-03-01T11:05:00Z)
keep v4 (since 2026-03-01T11:04:00Z)
owner/app: 2 kept, 0 deleted
`}, pruned},
		{exampletest.Result{Stdout: `would restore v3 (` + d3 + `, ended 2026-03-01T11:06:01Z)
would restore v2 (` + d2 + `, ended 2026-03-01T11:06:01Z)
would restore v1 (` + d1 + `, ended 2026-03-01T11:06:01Z)
owner/app: 3 would be restored
`}, pruned},
		{exampletest.Result{Stdout: `restore v3 (` + d3 + `, ended 2026-03-01T11:06:01Z)
restore v2 (` + d2 + `, ended 2026-03-01T11:06:01Z)
restore v1 (` + d1 + `, ended 2026-03-01T11:06:01Z)
owner/app: 3 restored
`}, append(pruned, "v3", "v2", "v1")},
		{exampletest.Result{Stdout: "owner/app: 0 restored\n"}, append(pruned, "v3", "v2", "v1")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestUndoLeavesTagsOutsideTheWindow: a tag deleted longer ago than the
// namespace's time machine window (two weeks by default) and a purged one
// are reported and left alone; one deleted within it is restored.
func TestUndoLeavesTagsOutsideTheWindow(t *testing.T) {
	t.Parallel()
	srv := registry(t, wallNow.Add(-20*24*time.Hour))
	env := exampletest.EnvWithToken(srv, "owner-token")
	d2, d3 := digest(t, srv, "v2"), digest(t, srv, "v3")
	c := exampletest.RunEnv(t, run, env, "-keep", "4", "-match", "v*", "owner/app") // deletes v1
	if c.Err != "" {
		t.Fatal(c.Err)
	}
	srv.SetTime(wallNow.Add(-time.Hour))
	if res := exampletest.RunEnv(t, run, env, "-keep", "2", "-match", "v*", "owner/app"); res.Err != "" { // deletes v2, v3
		t.Fatal(res.Err)
	}
	c2, err := quay.NewClient(srv.URL(), quay.WithToken("owner-token"), quay.WithHTTPClient(srv.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Tags.Purge(t.Context(), "owner", "app", "v2", quay.PurgeTagRequest{ManifestDigest: d2}); err != nil {
		t.Fatal(err)
	}
	got := exampletest.RunEnv(t, run, env, "-match", "v*", "-undo", "owner/app")
	// Purge ends v2 a millisecond before the window: in whole seconds, a
	// second before it.
	want := exampletest.Result{Stdout: `skip v2: ended 2026-02-15T10:59:59Z, outside the time machine window of 336h0m0s
skip v1: ended 2026-02-09T12:06:00Z, outside the time machine window of 336h0m0s
restore v3 (` + d3 + `, ended 2026-03-01T11:00:00Z)
owner/app: 1 restored
`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBadArguments are refused before any request.
func TestBadArguments(t *testing.T) {
	t.Parallel()
	srv := registry(t, wallNow.Add(-time.Hour))
	env := exampletest.EnvWithToken(srv, "owner-token")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-match", "v[", "owner/app"}, `-match "v[": syntax error in pattern`},
		{[]string{"owner"}, `"owner" is not NAMESPACE/REPOSITORY`},
		{[]string{"-keep", "-1", "owner/app"}, "-keep -1: want 0 or more"},
		{[]string{}, "want exactly one NAMESPACE/REPOSITORY, got 0 arguments"},
	}
	for _, tc := range tests {
		got := exampletest.RunEnv(t, run, env, tc.args...)
		if diff := cmp.Diff(tc.want, got.Err); diff != "" || got.Stdout != "" {
			t.Errorf("%q: stdout %q, error (-want +got):\n%s", tc.args, got.Stdout, diff)
		}
	}
	if diff := cmp.Diff([]string{"v1", "v2", "v3", "v4", "v5", "latest"}, alive(srv)); diff != "" {
		t.Errorf("tags changed (-want +got):\n%s", diff)
	}
}
