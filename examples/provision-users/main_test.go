package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/examples/internal/exampletest"
	"github.com/quaykit/go-quay/fakequay"
)

// seed is the registry every test starts from: the superuser admin, an
// enabled user bob, a disabled user dora and an organization acme.
func seed() fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	return fakequay.Seed{
		Config: &cfg,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: "admin-token"}}},
			{Username: "bob", Email: "bob@example.com", Tokens: []fakequay.SeedToken{{Token: "bob-token"}}},
			{Username: "dora", Email: "dora@example.com", Enabled: new(false)},
		},
		Organizations: []fakequay.SeedOrganization{{Name: "acme", Email: "acme@example.com"}},
	}
}

// writeCSV writes content to a file in a fresh directory and returns its path.
func writeCSV(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// account is the part of a user's state these tests check.
type account struct {
	Email   string
	Enabled bool
}

// accounts returns the state of the named users in srv; a missing user is absent.
func accounts(srv *fakequay.Server, names ...string) map[string]account {
	out := map[string]account{}
	for _, name := range names {
		if u, ok := srv.User(name); ok {
			out[name] = account{Email: u.Email, Enabled: u.Enabled}
		}
	}
	return out
}

// writes returns the operations of the requests that were not reads.
func writes(srv *fakequay.Server) []string {
	var ops []string
	for _, r := range srv.Requests() {
		if r.Method != "GET" {
			ops = append(ops, r.Method+" "+r.Path)
		}
	}
	return ops
}

// mixedCSV has a row of every kind; the line numbers in the outputs below
// refer to it.
const mixedCSV = `username,email,enabled
# new hires
alice,alice@example.com
carol,carol@example.com,false

bob,bob@example.com
dora,dora@example.com,true
Eve,eve@example.com
frank,not-an-address
acme,acme-admin@example.com
gina,gina@example.com,maybe
alice,alice2@example.com
hank
ivan,
`

var checkedUsers = []string{"alice", "carol", "bob", "dora", "Eve", "frank", "acme", "gina", "hank", "ivan"}

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string // before the CSV path
		csv       string
		want      exampletest.Result
		wantUsers map[string]account
		wantWrite []string
	}{{
		// Quay's own messages for invalid rows: §1.10 (namespace regex,
		// e-mail validation with FEATURE_MAILING, name taken by an org).
		name: "mixed file",
		csv:  mixedCSV,
		want: exampletest.Result{
			Stdout: `line 3: alice: created
line 4: carol: created, disabled
line 6: bob: exists
line 7: dora: exists, now enabled
line 8: Eve: failed: Invalid namespace Eve: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$
line 9: frank: failed: Invalid email address: not-an-address
line 10: acme: failed: Username has already been taken by an organization and cannot be reused: acme
line 11: gina: failed: enabled is "maybe", want true or false
line 12: alice: failed: username alice is already on line 3
line 13: hank: failed: want 2 or 3 fields (username,email[,enabled]), got 1
line 14: ivan: failed: Invalid email address: None
2 created, 1 updated, 1 unchanged, 7 failed
`,
			Err: "7 of 11 rows failed",
		},
		wantUsers: map[string]account{
			"alice": {Email: "alice@example.com", Enabled: true},
			"carol": {Email: "carol@example.com", Enabled: false},
			"bob":   {Email: "bob@example.com", Enabled: true},
			"dora":  {Email: "dora@example.com", Enabled: true},
		},
		wantWrite: []string{
			"POST /api/v1/superuser/users/",     // alice
			"POST /api/v1/superuser/users/",     // carol
			"PUT /api/v1/superuser/users/carol", // disable carol
			"PUT /api/v1/superuser/users/dora",  // enable dora
			"POST /api/v1/superuser/users/",     // Eve, refused
			"POST /api/v1/superuser/users/",     // frank, refused
			"POST /api/v1/superuser/users/",     // acme, refused
			"POST /api/v1/superuser/users/",     // ivan, refused
		},
	}, {
		name: "dry run changes nothing",
		args: []string{"-dry-run"},
		csv:  mixedCSV,
		want: exampletest.Result{
			Stdout: `line 3: alice: would create
line 4: carol: would create, disabled
line 6: bob: exists
line 7: dora: exists, would enable
line 8: Eve: would create
line 9: frank: would create
line 10: acme: would create
line 11: gina: failed: enabled is "maybe", want true or false
line 12: alice: failed: username alice is already on line 3
line 13: hank: failed: want 2 or 3 fields (username,email[,enabled]), got 1
line 14: ivan: would create
dry run, nothing changed: 6 to create, 1 to update, 1 unchanged, 3 failed
`,
			Err: "3 of 11 rows failed",
		},
		wantUsers: map[string]account{
			"bob":  {Email: "bob@example.com", Enabled: true},
			"dora": {Email: "dora@example.com", Enabled: false},
		},
	}, {
		name: "existing users only",
		csv:  "bob,bob@example.com,true\ndora,dora@example.com,false\n",
		want: exampletest.Result{Stdout: "line 1: bob: exists\nline 2: dora: exists\n0 created, 0 updated, 2 unchanged, 0 failed\n"},
		wantUsers: map[string]account{
			"bob":  {Email: "bob@example.com", Enabled: true},
			"dora": {Email: "dora@example.com", Enabled: false},
		},
	}, {
		name: "disable an existing user",
		csv:  "bob,bob@example.com,false\n",
		want: exampletest.Result{Stdout: "line 1: bob: exists, now disabled\n0 created, 1 updated, 0 unchanged, 0 failed\n"},
		wantUsers: map[string]account{
			"bob":  {Email: "bob@example.com", Enabled: false},
			"dora": {Email: "dora@example.com", Enabled: false},
		},
		wantWrite: []string{"PUT /api/v1/superuser/users/bob"},
	}, {
		// Quay refuses to change a superuser (changeInstallUser).
		name: "superuser cannot be disabled",
		csv:  "admin,admin@example.com,false\n",
		want: exampletest.Result{
			Stdout: "line 1: admin: failed: exists, but disable failed: Cannot update a superuser\n0 created, 0 updated, 0 unchanged, 1 failed\n",
			Err:    "1 of 1 row failed",
		},
		wantUsers: map[string]account{
			"bob":  {Email: "bob@example.com", Enabled: true},
			"dora": {Email: "dora@example.com", Enabled: false},
		},
		wantWrite: []string{"PUT /api/v1/superuser/users/admin"},
	}, {
		name: "not a CSV file",
		csv:  "alice,\"alice@example.com\nbob",
		want: exampletest.Result{Err: `PATH: not a valid CSV file: record on line 1; parse error on line 2, column 4: extraneous or missing " in quoted-field`},
		wantUsers: map[string]account{
			"bob":  {Email: "bob@example.com", Enabled: true},
			"dora": {Email: "dora@example.com", Enabled: false},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
			path := writeCSV(t, tt.csv)
			got := exampletest.Run(t, run, srv, append(tt.args, path)...)
			got.Err = strings.ReplaceAll(got.Err, path, "PATH")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantUsers, accounts(srv, checkedUsers...)); diff != "" {
				t.Errorf("users (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWrite, writes(srv)); diff != "" {
				t.Errorf("write requests (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunTwice: a second run over the same file finds every user in place
// and sends no write at all.
func TestRunTwice(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
	path := writeCSV(t, "alice,alice@example.com\ncarol,carol@example.com,false\nbob,bob@example.com\n")

	first := exampletest.Run(t, run, srv, path)
	wantFirst := exampletest.Result{Stdout: "line 1: alice: created\nline 2: carol: created, disabled\nline 3: bob: exists\n2 created, 0 updated, 1 unchanged, 0 failed\n"}
	if diff := cmp.Diff(wantFirst, first); diff != "" {
		t.Fatalf("first run (-want +got):\n%s", diff)
	}
	srv.ClearRequests()

	second := exampletest.Run(t, run, srv, path)
	wantSecond := exampletest.Result{Stdout: "line 1: alice: exists\nline 2: carol: exists\nline 3: bob: exists\n0 created, 0 updated, 3 unchanged, 0 failed\n"}
	if diff := cmp.Diff(wantSecond, second); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string(nil), writes(srv)); diff != "" {
		t.Errorf("second run's write requests (-want +got):\n%s", diff)
	}
}

// TestPasswordsFile: the generated passwords (§2.2: 32 characters of
// [A-Z0-9]) land in a new 0600 file, never on stdout, and an existing file
// is not overwritten.
func TestPasswordsFile(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
	path := writeCSV(t, "alice,alice@example.com\nbob,bob@example.com\ncarol,carol@example.com\n")
	pwPath := filepath.Join(t.TempDir(), "passwords.csv")

	got := exampletest.Run(t, run, srv, "-passwords", pwPath, path)
	want := exampletest.Result{Stdout: "line 1: alice: created\nline 2: bob: exists\nline 3: carol: created\n2 created, 0 updated, 1 unchanged, 0 failed\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	info, err := os.Stat(pwPath)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(os.FileMode(0o600), info.Mode().Perm()); diff != "" {
		t.Errorf("passwords file mode (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(pwPath)
	if err != nil {
		t.Fatal(err)
	}
	masked := regexp.MustCompile(`,[A-Z0-9]{32}\n`).ReplaceAllString(string(data), ",PASSWORD\n")
	if diff := cmp.Diff("alice,PASSWORD\ncarol,PASSWORD\n", masked); diff != "" {
		t.Errorf("passwords file (-want +got):\n%s", diff)
	}

	again := exampletest.Run(t, run, srv, "-passwords", pwPath, path)
	wantAgain := exampletest.Result{Err: "-passwords: open " + pwPath + ": file exists"}
	if diff := cmp.Diff(wantAgain, again); diff != "" {
		t.Errorf("run with an existing passwords file (-want +got):\n%s", diff)
	}
}

// TestRunStops: errors that would fail every row stop the run at the first,
// and command-line mistakes stop it before it starts.
func TestRunStops(t *testing.T) {
	t.Parallel()
	noEnv := func(string) string { return "" }
	tests := []struct {
		name string
		env  func(srv *fakequay.Server) func(string) string
		args []string // "CSV" stands for the file's path
		want func(srv *fakequay.Server) exampletest.Result
	}{{
		name: "unknown token",
		env:  func(srv *fakequay.Server) func(string) string { return exampletest.EnvWithToken(srv, "no-such-token") },
		args: []string{"CSV"},
		want: func(srv *fakequay.Server) exampletest.Result {
			return exampletest.Result{
				Stdout: "0 created, 0 updated, 0 unchanged, 0 failed\n",
				Err:    "line 1: alice: quay: GET " + srv.URL() + "/api/v1/superuser/users/alice: 401 Unauthorized: invalid_token: Requires authentication (stopped; later rows were not processed)",
			}
		},
	}, {
		// §1.2: a normal user gets 403 from every superuser endpoint.
		name: "token of a user who is not a superuser",
		env:  func(srv *fakequay.Server) func(string) string { return exampletest.EnvWithToken(srv, "bob-token") },
		args: []string{"CSV"},
		want: func(srv *fakequay.Server) exampletest.Result {
			return exampletest.Result{
				Stdout: "0 created, 0 updated, 0 unchanged, 0 failed\n",
				Err:    "line 1: alice: quay: GET " + srv.URL() + "/api/v1/superuser/users/alice: 403 Forbidden: insufficient_scope: Unauthorized (stopped; later rows were not processed)",
			}
		},
	}, {
		name: "no environment",
		env:  func(*fakequay.Server) func(string) string { return noEnv },
		args: []string{"CSV"},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "set QUAY_URL (the registry's root URL) and QUAY_TOKEN (a superuser OAuth token)"}
		},
	}, {
		name: "no file",
		env:  exampletest.Env,
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "want exactly one CSV file, got 0 arguments"}
		},
	}, {
		name: "passwords with dry run",
		env:  exampletest.Env,
		args: []string{"-dry-run", "-passwords", "p.csv", "CSV"},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "-passwords with -dry-run: a dry run creates no users, so there are no passwords to save"}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
			path := writeCSV(t, "alice,alice@example.com\ncarol,carol@example.com\n")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "CSV", path)
			}
			got := exampletest.RunEnv(t, run, tt.env(srv), args...)
			if diff := cmp.Diff(tt.want(srv), got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string(nil), writes(srv)); diff != "" {
				t.Errorf("write requests (-want +got):\n%s", diff)
			}
		})
	}
}
