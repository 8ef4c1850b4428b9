package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/examples/internal/exampletest"
	"github.com/quaykit/go-quay/fakequay"
)

const (
	mib = 1 << 20
	gib = 1 << 30
)

// seed is a registry with namespaces in every state the report tells
// apart. editConfig, when not nil, changes its configuration.
func seed(editConfig func(*fakequay.Config)) fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	cfg.GlobalReadonlySuperUsers = []string{"auditor"}
	if editConfig != nil {
		editConfig(&cfg)
	}
	return fakequay.Seed{
		Config: &cfg,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: "admin-token"}}},
			{Username: "auditor", Email: "auditor@example.com", Tokens: []fakequay.SeedToken{{Token: "auditor-token"}}},
			{Username: "alice", Email: "alice@example.com"},
		},
		Organizations: []fakequay.SeedOrganization{
			{Name: "acme", Email: "acme@example.com"},
			{Name: "bigco", Email: "bigco@example.com"},
			{Name: "full", Email: "full@example.com"},
			{Name: "empty", Email: "empty@example.com"},
		},
		Quotas: []fakequay.SeedQuota{
			{Namespace: "acme", LimitBytes: 10 * gib, UsedBytes: new(int64(5 * mib)),
				Limits: []fakequay.SeedQuotaLimit{{Type: "Warning", LimitPercent: 80}, {Type: "Reject", LimitPercent: 100}}},
			{Namespace: "bigco", LimitBytes: 1 * gib, UsedBytes: new(int64(600 * mib)),
				Limits: []fakequay.SeedQuotaLimit{{Type: "Warning", LimitPercent: 50}, {Type: "Warning", LimitPercent: 75}}},
			{Namespace: "full", LimitBytes: 100 * mib, UsedBytes: new(int64(95 * mib)),
				Limits: []fakequay.SeedQuotaLimit{{Type: "Reject", LimitPercent: 90}}},
			// Never counted: Quay's backfill is still "waiting" (§1.9 quota_report).
			{Namespace: "alice", LimitBytes: 500 * mib},
		},
	}
}

const wantTable = `NAMESPACE  KIND          LIMIT      USED       PERCENT  WARNING  REJECT  STATUS
acme       organization  10.0 GiB   5.0 MiB    0.0%     80%      100%    ok
bigco      organization  1.0 GiB    600.0 MiB  58.6%    50%,75%  -       warning
full       organization  100.0 MiB  95.0 MiB   95.0%    -        90%     reject
empty      organization  -          (waiting)  -        -        -       no quota
admin      user          -          (waiting)  -        -        -       no quota
auditor    user          -          (waiting)  -        -        -       no quota
alice      user          500.0 MiB  (waiting)  -        -        -       not counted
`

func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		editConfig func(*fakequay.Config)
		token      string // "" for the superuser's
		args       []string
		want       exampletest.Result
	}{{
		name: "table",
		want: exampletest.Result{Stdout: wantTable},
	}, {
		// §1.2: a global read-only superuser may read both lists.
		name:  "read-only superuser",
		token: "auditor-token",
		want:  exampletest.Result{Stdout: wantTable},
	}, {
		// §1.9: without its own quota a namespace's configured_quota is
		// DEFAULT_SYSTEM_REJECT_QUOTA_BYTES.
		name:       "registry-wide default quota",
		editConfig: func(c *fakequay.Config) { c.DefaultSystemRejectQuotaBytes = 2 * gib },
		want: exampletest.Result{Stdout: `NAMESPACE  KIND          LIMIT              USED       PERCENT  WARNING  REJECT  STATUS
acme       organization  10.0 GiB           5.0 MiB    0.0%     80%      100%    ok
bigco      organization  1.0 GiB            600.0 MiB  58.6%    50%,75%  -       warning
full       organization  100.0 MiB          95.0 MiB   95.0%    -        90%     reject
empty      organization  2.0 GiB (default)  (waiting)  -        -        -       not counted
admin      user          2.0 GiB (default)  (waiting)  -        -        -       not counted
auditor    user          2.0 GiB (default)  (waiting)  -        -        -       not counted
alice      user          500.0 MiB          (waiting)  -        -        -       not counted
`},
	}, {
		// §0/§1.9: without quota management the views carry no quota fields.
		name:       "quota management off",
		editConfig: func(c *fakequay.Config) { c.FeatureQuotaManagement = false },
		want:       exampletest.Result{Err: "this registry reports no quotas: it does not run with FEATURE_QUOTA_MANAGEMENT (and FEATURE_EDIT_QUOTA)"},
	}, {
		name: "json",
		args: []string{"-json"},
		want: exampletest.Result{Stdout: `[
  {
    "namespace": "acme",
    "kind": "organization",
    "limit_bytes": 10737418240,
    "limit_source": "namespace",
    "used_bytes": 5242880,
    "usage_counted": "complete",
    "percent": 0.048828125,
    "warning_percents": [
      80
    ],
    "reject_percents": [
      100
    ],
    "status": "ok"
  },
  {
    "namespace": "bigco",
    "kind": "organization",
    "limit_bytes": 1073741824,
    "limit_source": "namespace",
    "used_bytes": 629145600,
    "usage_counted": "complete",
    "percent": 58.59375,
    "warning_percents": [
      50,
      75
    ],
    "reject_percents": [],
    "status": "warning"
  },
  {
    "namespace": "full",
    "kind": "organization",
    "limit_bytes": 104857600,
    "limit_source": "namespace",
    "used_bytes": 99614720,
    "usage_counted": "complete",
    "percent": 95,
    "warning_percents": [],
    "reject_percents": [
      90
    ],
    "status": "reject"
  },
  {
    "namespace": "empty",
    "kind": "organization",
    "limit_bytes": null,
    "used_bytes": null,
    "usage_counted": "waiting",
    "percent": null,
    "warning_percents": [],
    "reject_percents": [],
    "status": "no quota"
  },
  {
    "namespace": "admin",
    "kind": "user",
    "limit_bytes": null,
    "used_bytes": null,
    "usage_counted": "waiting",
    "percent": null,
    "warning_percents": [],
    "reject_percents": [],
    "status": "no quota"
  },
  {
    "namespace": "auditor",
    "kind": "user",
    "limit_bytes": null,
    "used_bytes": null,
    "usage_counted": "waiting",
    "percent": null,
    "warning_percents": [],
    "reject_percents": [],
    "status": "no quota"
  },
  {
    "namespace": "alice",
    "kind": "user",
    "limit_bytes": 524288000,
    "limit_source": "namespace",
    "used_bytes": null,
    "usage_counted": "waiting",
    "percent": null,
    "warning_percents": [],
    "reject_percents": [],
    "status": "not counted"
  }
]
`},
	}, {
		name: "argument",
		args: []string{"acme"},
		want: exampletest.Result{Err: `unexpected argument "acme" (flags only)`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed(tt.editConfig)))
			env := exampletest.Env(srv)
			if tt.token != "" {
				env = exampletest.EnvWithToken(srv, tt.token)
			}
			got := exampletest.RunEnv(t, run, env, tt.args...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunEveryPage: with more namespaces than one page holds (100, §1.8),
// the report still lists each exactly once, reading the pages one by one.
func TestRunEveryPage(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeed(seed(nil)))
	var want []string
	for _, n := range []string{"acme", "bigco", "full", "empty"} {
		want = append(want, "organization "+n)
	}
	for i := range 120 {
		name := fmt.Sprintf("org%03d", i)
		if err := srv.AddOrganization(fakequay.SeedOrganization{Name: name, Email: name + "@example.com"}); err != nil {
			t.Fatal(err)
		}
		want = append(want, "organization "+name)
	}
	want = append(want, "user admin", "user auditor", "user alice")
	for i := range 230 {
		name := fmt.Sprintf("user%03d", i)
		if err := srv.AddUser(fakequay.SeedUser{Username: name, Email: name + "@example.com"}); err != nil {
			t.Fatal(err)
		}
		want = append(want, "user "+name)
	}

	res := exampletest.Run(t, run, srv, "-json")
	if res.Err != "" || res.Stderr != "" {
		t.Fatalf("run: %+v", res)
	}
	var rows []usage
	if err := json.Unmarshal([]byte(res.Stdout), &rows); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range rows {
		got = append(got, u.Kind+" "+u.Namespace)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("namespaces (-want +got):\n%s", diff)
	}

	pages := map[string]int{}
	for _, r := range srv.Requests() {
		pages[r.Operation]++
	}
	if diff := cmp.Diff(map[string]int{"listAllOrganizations": 2, "listAllUsers": 3}, pages); diff != "" {
		t.Errorf("requests per operation (-want +got):\n%s", diff)
	}
}
