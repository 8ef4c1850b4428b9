package fakequay

import (
	"fmt"
	"testing"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/image"
)

const registrySizePath = "/api/v1/superuser/registrysize/"

var (
	// §2.18: the literal Quay answers without a row (running before queued).
	replyNoRegistrySize = jsonReply(200, `{"size_bytes": 0, "last_ran": null, "running": false, "queued": false}`)
	// §2.19: 201/202 carry the JSON string "".
	replyQueued        = jsonReply(201, `""`)
	replyAlreadyQueued = jsonReply(202, `""`)
)

// withRegistrySize seeds the §2.18 example row.
func withRegistrySize(queued, running bool) func(*Seed) {
	return func(s *Seed) {
		lastRan := time.Date(2025, 2, 4, 13, 45, 10, 123456789, time.UTC)
		s.RegistrySize = &SeedRegistrySize{SizeBytes: 73400320000, LastRan: &lastRan, Queued: queued, Running: running}
	}
}

func TestGetRegistrySize(t *testing.T) {
	t.Parallel()
	example := jsonReply(200, `{"size_bytes": 73400320000, "last_ran": 1738676710123, "queued": false, "running": false}`)
	tests := []struct {
		name  string
		seed  func(*Seed)
		token string
		want  reply
	}{
		{name: "§2.18 no row", token: tokAdmin, want: replyNoRegistrySize},
		{name: "§2.18 a row: last_ran in epoch ms, queued before running", seed: withRegistrySize(false, false), token: tokAdmin, want: example},
		{name: "§2.18 a running row", seed: withRegistrySize(false, true), token: tokAdmin,
			want: jsonReply(200, `{"size_bytes": 73400320000, "last_ran": 1738676710123, "queued": false, "running": true}`)},
		{name: "§2.18 GRO reads", seed: withRegistrySize(false, false), token: tokAuditor, want: example},
		{name: "§1.2 in both lists reads", seed: withRegistrySize(false, false), token: tokBoth, want: example},
		{name: "§1.2 anonymous is 401", token: tokNone, want: replyUnauthorized},
		{name: "§1.2 unknown token is 401", token: tokUnknown, want: replyUnauthorized},
		{name: "§1.2 normal user is 403", token: tokAlice, want: replyForbidden},
		{name: "§1.2 superuser token without super:user is 403", token: tokNoScope, want: replyForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.seed)
			checkReply(t, tc.want, h.do("GET", registrySizePath, tc.token, ""))
		})
	}
}

func TestQueueRegistrySizeCalculation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		seed  func(*Seed)
		token string
		want  reply
		after reply // the GET that follows
	}{
		{name: "§2.19 no row: 201, and a queued row without last_ran", token: tokAdmin, want: replyQueued,
			after: jsonReply(200, `{"size_bytes": 0, "last_ran": null, "queued": true, "running": false}`)},
		{name: "§2.19 idle row: 201, figures kept", seed: withRegistrySize(false, false), token: tokAdmin, want: replyQueued,
			after: jsonReply(200, `{"size_bytes": 73400320000, "last_ran": 1738676710123, "queued": true, "running": false}`)},
		{name: "§2.19 queued row: 202", seed: withRegistrySize(true, false), token: tokAdmin, want: replyAlreadyQueued,
			after: jsonReply(200, `{"size_bytes": 73400320000, "last_ran": 1738676710123, "queued": true, "running": false}`)},
		{name: "§2.19 running row: 202", seed: withRegistrySize(false, true), token: tokAdmin, want: replyAlreadyQueued,
			after: jsonReply(200, `{"size_bytes": 73400320000, "last_ran": 1738676710123, "queued": false, "running": true}`)},
		{name: "§1.3 anonymous write is CSRF", token: tokNone, want: replyCSRF, after: replyNoRegistrySize},
		{name: "§1.2 unknown token write is CSRF", token: tokUnknown, want: replyCSRF, after: replyNoRegistrySize},
		{name: "§2.19 normal user is 403", token: tokAlice, want: replyForbidden, after: replyNoRegistrySize},
		{name: "§2.19 GRO is 403", token: tokAuditor, want: replyForbidden, after: replyNoRegistrySize},
		{name: "§1.2 in both lists is 403", token: tokBoth, want: replyForbidden, after: replyNoRegistrySize},
		{name: "§1.2 superuser token without super:user is 403", token: tokNoScope, want: replyForbidden, after: replyNoRegistrySize},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tc.seed)
			checkReply(t, tc.want, h.do("POST", registrySizePath, tc.token, ""))
			checkReply(t, tc.after, h.do("GET", registrySizePath, tokAdmin, ""))
		})
	}
}

// §2.19: the worker runs when the clock moves, only for a queued row, and
// records the sum of the namespaces' consumed bytes at the fake time.
func TestRegistrySizeWorkerOnAdvance(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAcmeQuota) // acme consumes 5 MiB
	if err := h.s.SetNamespaceUsage("alice", 1000); err != nil {
		t.Fatal(err)
	}
	get := func(want string) {
		t.Helper()
		checkReply(t, jsonReply(200, want), h.do("GET", registrySizePath, tokAdmin, ""))
	}
	h.s.Advance(time.Minute)
	checkReply(t, replyNoRegistrySize, h.do("GET", registrySizePath, tokAdmin, ""))

	checkReply(t, replyQueued, h.do("POST", registrySizePath, tokAdmin, ""))
	checkReply(t, replyAlreadyQueued, h.do("POST", registrySizePath, tokAdmin, ""))
	h.s.Advance(time.Minute) // 2026-11-28T12:02:00Z
	get(`{"size_bytes": 5243880, "last_ran": 1795867320000, "queued": false, "running": false}`)

	if err := h.s.SetNamespaceUsage("buynlarge", 7); err != nil {
		t.Fatal(err)
	}
	h.s.Advance(time.Hour) // nothing queued: nothing recomputed
	get(`{"size_bytes": 5243880, "last_ran": 1795867320000, "queued": false, "running": false}`)

	checkReply(t, replyQueued, h.do("POST", registrySizePath, tokAdmin, ""))
	get(`{"size_bytes": 5243880, "last_ran": 1795867320000, "queued": true, "running": false}`)
	h.s.SetTime(time.Date(2026, 12, 1, 0, 0, 0, 5_000_000, time.UTC))
	get(`{"size_bytes": 5243887, "last_ran": 1796083200005, "queued": false, "running": false}`)
}

// §2.19: with FEATURE_QUOTA_MANAGEMENT off the worker never runs, so the
// row stays queued and every later POST answers 202. The routes exist all
// the same (no quota gate, §2.18).
func TestRegistrySizeWithoutQuotaManagement(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAcmeQuota, WithConfig(func(c *Config) { c.FeatureQuotaManagement = false }))
	queued := jsonReply(200, `{"size_bytes": 0, "last_ran": null, "queued": true, "running": false}`)
	checkReply(t, replyQueued, h.do("POST", registrySizePath, tokAdmin, ""))
	h.s.Advance(24 * time.Hour)
	checkReply(t, queued, h.do("GET", registrySizePath, tokAdmin, ""))
	checkReply(t, replyAlreadyQueued, h.do("POST", registrySizePath, tokAdmin, ""))

	// An explicit run is the caller's choice and does the work.
	ran, err := h.s.RunRegistrySizeWorker()
	if err != nil || !ran {
		t.Fatalf("RunRegistrySizeWorker = %v, %v; want true, nil", ran, err)
	}
	checkReply(t, jsonReply(200, `{"size_bytes": 5242880, "last_ran": 1795953600000, "queued": false, "running": false}`),
		h.do("GET", registrySizePath, tokAdmin, ""))
}

// §1.5, §4 quirk 14: registrysize/ is slash-terminated, so a request
// without the slash is redirected with 308, for both methods.
func TestRegistrySizeTrailingSlash(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	for _, method := range []string{"GET", "POST"} {
		got := h.do(method, "/api/v1/superuser/registrysize?x=1", tokAdmin, "")
		want := reply{Status: 308, ContentType: "text/html; charset=utf-8", Body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n" +
			"<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: " +
			`<a href="http://quay.test/api/v1/superuser/registrysize/?x=1">http://quay.test/api/v1/superuser/registrysize/?x=1</a>. If not, click the link.` + "\n"}
		checkReply(t, want, got)
	}
	checkReply(t, jsonReply(405, `{"message": "The method is not allowed for the requested URL."}`),
		h.do("DELETE", registrySizePath, tokAdmin, ""))
}

// §2.18, §2.19: nicknames and @require_fresh_login on both methods.
func TestRegistrySizeOperations(t *testing.T) {
	t.Parallel()
	checkOperations(t, []opCase{
		{"GET", registrySizePath, "getRegistrySize", true},
		{"POST", registrySizePath, "queueRegistrySizeCalculation", true},
	})
}

// TestRegistrySizeFromContent follows data/model/quota.py
// sum_registry_size (SUM(ImageStorage.image_size)): a blob pushed into two
// namespaces counts in each namespace's size (update_sizes) but once in
// the registry's, since Quay stores it once. The harness runs no
// quotaregistrysizeworker, so the API never shows a new size; Quay's own
// sum_registry_size, run on the harness database (2026-12-08), grew by
// config + layers (578 + 1300) for one image pushed into devtable, and by
// nothing when the same image then went into buynlarge and a second
// devtable repository.
func TestRegistrySizeFromContent(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	base := LayerSpec{Seed: "base", Size: 100}
	a1 := ImageSpec{Layers: []LayerSpec{base, {Seed: "a1", Size: 50}}}
	b1 := ImageSpec{Layers: []LayerSpec{base, {Seed: "b1", Size: 70}}}
	cfg := func(sp ImageSpec) int64 {
		s, err := sp.build()
		if err != nil {
			t.Fatal(err)
		}
		img, err := image.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		return img.Config.Size
	}
	for _, p := range []struct {
		ns, repo string
		spec     ImageSpec
	}{{"alice", "a", a1}, {"acme", "a", a1}, {"acme", "b", b1}} {
		if _, err := h.s.AddImage(SeedImage{Namespace: p.ns, Repository: p.repo, Tag: "latest", Platforms: []ImageSpec{p.spec}}); err != nil {
			t.Fatal(err)
		}
	}
	checkReply(t, replyQueued, h.do("POST", registrySizePath, tokAdmin, ""))
	if ran, err := h.s.RunRegistrySizeWorker(); err != nil || !ran {
		t.Fatalf("RunRegistrySizeWorker = %v, %v; want true, nil", ran, err)
	}
	want := cfg(a1) + 150 + cfg(b1) + 70
	checkReply(t, jsonReply(200, fmt.Sprintf(`{"size_bytes": %d, "last_ran": %d, "queued": false, "running": false}`, want, fixtureTime.UnixMilli())),
		h.do("GET", registrySizePath, tokAdmin, ""))
}
