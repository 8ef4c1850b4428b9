package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/examples/internal/exampletest"
	"github.com/quaykit/go-quay/fakequay"
)

const (
	completeUUID = "5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d"
	archivedUUID = "0a7e2b9c-1111-4c2d-8e3f-5a6b7c8d9e0f"
	brokenUUID   = "c3d4e5f6-2222-4a1b-9c8d-7e6f5a4b3c2d"
)

const completeHeader = `build:       5f0c3c5e-2f4e-4bb9-9d7e-0a4f1f1b2c3d
repository:  acme/web
phase:       complete
started:     2026-11-27T10:00:00Z
name:        abc1234
`

const archivedHeader = `build:       0a7e2b9c-1111-4c2d-8e3f-5a6b7c8d9e0f
repository:  alice/tools
phase:       complete
started:     2026-10-01T08:00:00Z
name:        old build
`

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		token string // "" for the superuser's
		args  []string
		want  func(srv *fakequay.Server) exampletest.Result
	}{{
		// §2.16 build view, §2.17 live log entries.
		name: "complete build",
		args: []string{completeUUID},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Stdout: completeHeader + `
log (5 entries):
2026-11-27 10:00:00.120000 [phase] build-scheduled
2026-11-27 10:00:05.000000 [command] Step 1/2 : FROM alpine
Pulling from library/alpine
2026-11-27 10:00:09.500000 [command] Step 2/2 : RUN make
2026-11-27 10:01:00.000000 [phase] complete
`}
		},
	}, {
		// §2.17: Quay returns the entries from index start on, and the total.
		name: "log from an entry on",
		args: []string{"-start", "3", completeUUID},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Stdout: completeHeader + `
log (5 entries, from entry 3 on):
2026-11-27 10:00:09.500000 [command] Step 2/2 : RUN make
2026-11-27 10:01:00.000000 [phase] complete
`}
		},
	}, {
		// §2.17: an archived log is answered with its URL only.
		name: "archived log",
		args: []string{archivedUUID},
		want: func(srv *fakequay.Server) exampletest.Result {
			return exampletest.Result{Stdout: archivedHeader + `
log archived at ` + srv.URL() + `/logarchive/` + archivedUUID + ` (-archive prints it)
`}
		},
	}, {
		// §3 getRepoBuildLogsArchiveSuperUser streams the archived file.
		name: "archived log read through Quay",
		args: []string{"-archive", "-start", "1", archivedUUID},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Stdout: archivedHeader + `
log (3 entries, from entry 1 on):
[command] Step 1/1 : FROM busybox
[phase] complete
`}
		},
	}, {
		// §1.9 build view: Quay shows a running build whose live status it
		// cannot read as cannot_load, with the error, and no log entries.
		name: "status unreadable",
		args: []string{brokenUUID},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Stdout: `build:       c3d4e5f6-2222-4a1b-9c8d-7e6f5a4b3c2d
repository:  acme/api
phase:       cannot_load
started:     2026-11-28T11:58:00Z
error:       Connection refused (redis:6379)

log (0 entries):
`}
		},
	}, {
		// A global read-only superuser may read builds, but sees Quay's
		// generic text instead of the error.
		name:  "status unreadable, read-only superuser",
		token: "auditor-token",
		args:  []string{brokenUUID},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Stdout: `build:       c3d4e5f6-2222-4a1b-9c8d-7e6f5a4b3c2d
repository:  acme/api
phase:       cannot_load
started:     2026-11-28T11:58:00Z
error:       Redis may be down. Please contact support.

log (0 entries):
`}
		},
	}, {
		// §2.16: getRepoBuildSuperUser answers an unknown build with 404.
		name: "unknown build",
		args: []string{"9e9e9e9e-0000-4000-8000-000000000000"},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "no build has the id 9e9e9e9e-0000-4000-8000-000000000000"}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeedFile("testdata/seed.json"))
			env := exampletest.Env(srv)
			if tt.token != "" {
				env = exampletest.EnvWithToken(srv, tt.token)
			}
			got := exampletest.RunEnv(t, run, env, tt.args...)
			if diff := cmp.Diff(tt.want(srv), got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunUsage: command-line mistakes stop the program before any request.
func TestRunUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want exampletest.Result
	}{{
		name: "no build",
		want: exampletest.Result{Err: "want exactly one build UUID, got 0 arguments"},
	}, {
		name: "two builds",
		args: []string{completeUUID, archivedUUID},
		want: exampletest.Result{Err: "want exactly one build UUID, got 2 arguments"},
	}, {
		name: "negative start",
		args: []string{"-start", "-2", completeUUID},
		want: exampletest.Result{Err: "-start -2: want 0 or more"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t)
			got := exampletest.Run(t, run, srv, tt.args...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]fakequay.Request(nil), srv.Requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}
