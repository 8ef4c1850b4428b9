package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/examples/internal/exampletest"
	"github.com/quaykit/go-quay/fakequay"
)

// seed has entries around the edges of November 2026: the first and last
// second of the month are in a -from 2026-11-01 -to 2026-11-30 window,
// the seconds just outside are not. extra are more entries.
func seed(extra ...fakequay.SeedLog) fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	cfg.GlobalReadonlySuperUsers = []string{"auditor"}
	return fakequay.Seed{
		Config: &cfg,
		Now:    time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC),
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: "admin-token"}}},
			{Username: "auditor", Email: "auditor@example.com", Tokens: []fakequay.SeedToken{{Token: "auditor-token"}}},
			{Username: "alice", Email: "alice@example.com"},
		},
		Organizations: []fakequay.SeedOrganization{{Name: "acme", Email: "acme@example.com"}},
		Logs: append([]fakequay.SeedLog{
			{Kind: "push_repo", Namespace: "acme", Performer: "alice", IP: "10.0.0.5",
				Datetime: time.Date(2026, 10, 31, 23, 59, 59, 0, time.UTC), Metadata: json.RawMessage(`{"repo":"web","tag":"v0"}`)},
			{Kind: "push_repo", Namespace: "acme", Performer: "alice", IP: "10.0.0.5",
				Datetime: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Metadata: json.RawMessage(`{"repo":"web","tag":"v1"}`)},
			{Kind: "user_create", Namespace: "alice", Performer: "admin", IP: "10.0.0.1",
				Datetime: time.Date(2026, 11, 15, 9, 30, 0, 0, time.UTC), Metadata: json.RawMessage(`{"username":"alice","email":"alice@example.com","superuser":"admin"}`)},
			{Kind: "pull_repo", Namespace: "acme",
				Datetime: time.Date(2026, 11, 15, 10, 0, 0, 0, time.UTC), Metadata: json.RawMessage(`{"repo":"web","<tag>":"&"}`)},
			{Kind: "org_create", Namespace: "acme", Performer: "admin",
				Datetime: time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)},
			{Kind: "push_repo", Namespace: "acme", Performer: "alice", IP: "10.0.0.5",
				Datetime: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Metadata: json.RawMessage(`{"repo":"web","tag":"v2"}`)},
		}, extra...),
	}
}

const (
	lineOrgCreate = `{"datetime":"2026-11-30T23:59:59Z","kind":"org_create","namespace":"acme","namespace_kind":"org","performer":"admin","metadata":{}}` + "\n"
	linePull      = `{"datetime":"2026-11-15T10:00:00Z","kind":"pull_repo","namespace":"acme","namespace_kind":"org","metadata":{"<tag>":"&","repo":"web"}}` + "\n"
	lineUser      = `{"datetime":"2026-11-15T09:30:00Z","kind":"user_create","namespace":"alice","namespace_kind":"user","performer":"admin","ip":"10.0.0.1","metadata":{"email":"alice@example.com","superuser":"admin","username":"alice"}}` + "\n"
	linePush      = `{"datetime":"2026-11-01T00:00:00Z","kind":"push_repo","namespace":"acme","namespace_kind":"org","performer":"alice","ip":"10.0.0.5","metadata":{"repo":"web","tag":"v1"}}` + "\n"
)

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		token     string // "" for the superuser's
		args      []string
		want      exampletest.Result
		wantQuery string // of the first listAllLogs request
	}{{
		// §2.4: the end date is inclusive; the client sends MM/DD/YYYY.
		name: "month",
		args: []string{"-from", "2026-11-01", "-to", "2026-11-30"},
		want: exampletest.Result{
			Stdout: lineOrgCreate + linePull + lineUser + linePush,
			Stderr: "exported 4 entries from 2026-11-01 to 2026-11-30 (inclusive) to stdout\n",
		},
		wantQuery: "endtime=11%2F30%2F2026&starttime=11%2F01%2F2026",
	}, {
		name: "one day",
		args: []string{"-from", "2026-11-15"},
		want: exampletest.Result{
			Stdout: linePull + lineUser,
			Stderr: "exported 2 entries from 2026-11-15 to 2026-11-15 (inclusive) to stdout\n",
		},
		wantQuery: "endtime=11%2F15%2F2026&starttime=11%2F15%2F2026",
	}, {
		name:      "read-only superuser, stdout as -",
		token:     "auditor-token",
		args:      []string{"-from", "2026-11-02", "-to", "2026-11-14", "-out", "-"},
		want:      exampletest.Result{Stderr: "exported 0 entries from 2026-11-02 to 2026-11-14 (inclusive) to stdout\n"},
		wantQuery: "endtime=11%2F14%2F2026&starttime=11%2F02%2F2026",
	}, {
		name: "no -from",
		want: exampletest.Result{Err: "-from is required"},
	}, {
		name: "not a day",
		args: []string{"-from", "11/01/2026"},
		want: exampletest.Result{Err: `-from "11/01/2026": want a day as YYYY-MM-DD`},
	}, {
		name: "inverted window",
		args: []string{"-from", "2026-11-27", "-to", "2026-11-01"},
		want: exampletest.Result{Err: "-to 2026-11-01 is before -from 2026-11-27"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
			env := exampletest.Env(srv)
			if tt.token != "" {
				env = exampletest.EnvWithToken(srv, tt.token)
			}
			got := exampletest.RunEnv(t, run, env, tt.args...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			var firstQuery string
			for _, r := range srv.Requests() {
				if r.Operation == "listAllLogs" {
					firstQuery = r.Query
					break
				}
			}
			if diff := cmp.Diff(tt.wantQuery, firstQuery); diff != "" {
				t.Errorf("first listAllLogs query (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunEveryPage: Quay pages the log 20 entries at a time and ends with
// an empty page after the last full one (§2.4); every entry is exported
// once, newest first.
func TestRunEveryPage(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	var logs []fakequay.SeedLog
	var want []string
	for i := range 45 {
		at := start.Add(time.Duration(i) * time.Minute)
		logs = append(logs, fakequay.SeedLog{Kind: "pull_repo", Namespace: "acme", Performer: "alice",
			Datetime: at, Metadata: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))})
		want = append([]string{at.Format(time.RFC3339)}, want...)
	}
	srv := fakequay.RunT(t, fakequay.WithSeed(seed(logs...)))
	out := filepath.Join(t.TempDir(), "export.jsonl")

	res := exampletest.Run(t, run, srv, "-from", "2026-11-20", "-out", out)
	wantRes := exampletest.Result{Stderr: "exported 45 entries from 2026-11-20 to 2026-11-20 (inclusive) to " + out + "\n"}
	if diff := cmp.Diff(wantRes, res); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fs.FileMode(0o600), info.Mode().Perm()); diff != "" {
		t.Errorf("file mode (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, datetimes(t, out)); diff != "" {
		t.Errorf("exported entries (-want +got):\n%s", diff)
	}
	var pages int
	for _, r := range srv.Requests() {
		if r.Operation == "listAllLogs" {
			pages++
		}
	}
	if diff := cmp.Diff(4, pages); diff != "" { // 20 + 20 + 5 + the empty last page
		t.Errorf("listAllLogs requests (-want +got):\n%s", diff)
	}
}

// datetimes returns the datetime of every line of a JSON Lines file.
func datetimes(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, r.Datetime)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// pageQuery matches the query of a request URL in an error message.
var pageQuery = regexp.MustCompile(`\?[^ ]*:`)

// TestRunFailsWithoutFile: when a page fails part-way, no file appears, and
// an existing one is left as it was.
func TestRunFailsWithoutFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing string // content of the -out file before the run; "" for none
	}{{name: "new file"}, {name: "existing file", existing: "previous export\n"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs []fakequay.SeedLog
			for i := range 30 {
				logs = append(logs, fakequay.SeedLog{Kind: "pull_repo", Namespace: "acme",
					Datetime: time.Date(2026, 11, 20, 0, i, 0, 0, time.UTC)})
			}
			srv := fakequay.RunT(t, fakequay.WithSeed(seed(logs...)))
			// The second page answers gunicorn's 500, which GETs are not retried on.
			if _, err := srv.InjectFault(fakequay.Fault{Operation: "listAllLogs", Status: 500, After: 1}); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			out := filepath.Join(dir, "export.jsonl")
			if tt.existing != "" {
				if err := os.WriteFile(out, []byte(tt.existing), 0o600); err != nil {
					t.Fatal(err)
				}
			}

			res := exampletest.Run(t, run, srv, "-from", "2026-11-20", "-out", out)
			res.Err = pageQuery.ReplaceAllString(res.Err, "?QUERY:") // holds an opaque page token
			wantRes := exampletest.Result{Err: "after 20 entries: quay: listing stopped (resume from PageError.NextPage): quay: GET " +
				srv.URL() + "/api/v1/superuser/logs?QUERY: 500 Internal Server Error: Internal Server Error"}
			if diff := cmp.Diff(wantRes, res); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			data, err := os.ReadFile(out)
			switch {
			case tt.existing == "" && !errors.Is(err, fs.ErrNotExist):
				t.Errorf("-out file exists after a failed export: %q, %v", data, err)
			case tt.existing != "" && string(data) != tt.existing:
				t.Errorf("-out file = %q, %v; want it unchanged, %q", data, err, tt.existing)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			wantNames := []string(nil)
			if tt.existing != "" {
				wantNames = []string{"export.jsonl"}
			}
			if diff := cmp.Diff(wantNames, names); diff != "" {
				t.Errorf("files left in the directory (-want +got):\n%s", diff)
			}
		})
	}
}
