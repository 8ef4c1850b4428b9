package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay"
)

// `fakequay snapshot` writes a seed file that a second fakequay loads into
// the first one's state, with the -add-token tokens, and lists on stderr
// what it could not read.
func TestSnapshotWritesALoadableSeed(t *testing.T) {
	t.Parallel()
	src := fakequay.RunT(t, fakequay.WithSeedFile(writeSeed(t, `{"config": {"SUPER_USERS": ["admin"]},
	  "now": "2026-11-28T12:00:00Z",
	  "users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "seed-token"}]},
	            {"username": "alice", "email": "alice@example.com", "enabled": false}],
	  "organizations": [{"name": "acme", "email": "acme@example.com"}],
	  "logs": [{"kind": "push_repo", "namespace": "acme", "performer": "alice", "datetime": "2026-11-27T10:00:00Z"}]}`)))
	config := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(config, []byte(`{"APP_SPECIFIC_TOKEN_EXPIRATION": "4w"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"snapshot", "-url", src.URL(), "-logs-from", "2026-11-01", "-logs-to", "2026-11-28",
		"-config", config, "-add-token", "user=admin,token=seed-token", "-add-token", "user=alice,token=alice-token,scopes=repo:read user:read"},
		func(k string) string { return map[string]string{"QUAY_TOKEN": "seed-token"}[k] }, &stdout, &stderr)
	if err != nil {
		t.Fatalf("snapshot: %v\n%s", err, stderr.String())
	}
	seed, err := fakequay.ParseSeed(stdout.Bytes())
	if err != nil {
		t.Fatalf("output is not a seed file: %v\n%s", err, stdout.String())
	}
	if got := *seed.Config.AppSpecificTokenExpiration; got != "4w" {
		t.Errorf("-config: APP_SPECIFIC_TOKEN_EXPIRATION = %q", got)
	}
	copied, err := fakequay.New(fakequay.WithSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(src.Users(), copied.Users()); diff != "" {
		t.Errorf("users (-source +copy):\n%s", diff)
	}
	if diff := cmp.Diff(src.Logs(), copied.Logs()); diff != "" {
		t.Errorf("logs (-source +copy):\n%s", diff)
	}
	if got := copied.SuperuserToken(); got != "seed-token" {
		t.Errorf("the copy's superuser token is %q", got)
	}
	if !strings.Contains(stderr.String(), "fakequay snapshot: feature flags: GET /config answered 404") {
		t.Errorf("stderr does not say what was not read:\n%s", stderr.String())
	}
}

func TestSnapshotRejectsBadInvocations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no url", []string{"-token", "t"}, "snapshot: -url is required"},
		{"no token", []string{"-url", "http://127.0.0.1:1"}, "snapshot: -token (or QUAY_TOKEN) is required: a superuser's token with the super:user scope"},
		{"bad url", []string{"-url", "ftp://x", "-token", "t"}, `snapshot: -url: quay: base URL "ftp://x": scheme must be http or https (want the registry root, e.g. "https://quay.example.com")`},
		{"bad day", []string{"-url", "http://127.0.0.1:1", "-token", "t", "-logs-from", "11/01/2026"},
			`snapshot: -logs-from "11/01/2026": want YYYY-MM-DD`},
		{"token without a user", []string{"-url", "http://127.0.0.1:1", "-token", "t", "-add-token", "token=secret"},
			`snapshot: -add-token: token "token=<redacted>": user= is required`},
		{"unknown token key", []string{"-url", "http://127.0.0.1:1", "-token", "t", "-add-token", "user=a,token=secret,scope=x"},
			`snapshot: -add-token: token "user=a,token=<redacted>,scope=x": unknown key "scope" (want user, token, scopes, application, client_id)`},
		{"missing config file", []string{"-url", "http://127.0.0.1:1", "-token", "t", "-config", "/nonexistent/c.json"},
			"snapshot: -config: open /nonexistent/c.json: no such file or directory"},
		{"stray argument", []string{"now"}, `snapshot: unexpected argument "now" (flags only; see -h)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := run(t.Context(), append([]string{"snapshot"}, tc.args...), func(string) string { return "" }, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("snapshot succeeded")
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
