package fakequay

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDirectQuotas(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAcmeQuota)

	got, err := h.s.SetQuota(Quota{ID: 99, Namespace: "alice", LimitBytes: 5000,
		Limits: []QuotaLimit{{ID: 99, Type: "Reject", LimitPercent: 90}}})
	if err != nil {
		t.Fatal(err)
	}
	wantAlice := Quota{ID: 2, Namespace: "alice", LimitBytes: 5000, Limits: []QuotaLimit{{ID: 3, Type: "Reject", LimitPercent: 90}}}
	if diff := cmp.Diff(wantAlice, got); diff != "" {
		t.Errorf("SetQuota (-want +got):\n%s", diff)
	}
	// The API sees it (§2.14 list view).
	checkReply(t, jsonReply(200, `[{"id": 2, "limit_bytes": 5000, "limit": "4.9 KiB", "default_config": false, `+
		`"limits": [{"id": 3, "type": "Reject", "limit_percent": 90}], "default_config_exists": false}]`),
		h.do("GET", "/api/v1/superuser/users/alice/quota", tokAdmin, ""))

	// Replacing keeps the quota id; limits are renewed.
	got, err = h.s.SetQuota(Quota{Namespace: "acme", LimitBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	wantAcme := Quota{ID: 1, Namespace: "acme", LimitBytes: 1 << 20, Limits: []QuotaLimit{}}
	if diff := cmp.Diff(wantAcme, got); diff != "" {
		t.Errorf("SetQuota replace (-want +got):\n%s", diff)
	}
	read, ok := h.s.Quota("acme")
	if diff := cmp.Diff(wantAcme, read); !ok || diff != "" {
		t.Errorf("Quota(acme) = _, %v (-want +got):\n%s", ok, diff)
	}

	deleted, err := h.s.DeleteQuota("alice")
	if err != nil || !deleted {
		t.Fatalf("DeleteQuota(alice) = %v, %v", deleted, err)
	}
	if _, ok := h.s.Quota("alice"); ok {
		t.Error("alice still has a quota")
	}
	if deleted, err := h.s.DeleteQuota("alice"); err != nil || deleted {
		t.Errorf("second DeleteQuota(alice) = %v, %v; want false, nil", deleted, err)
	}

	// Reset returns to the seed.
	h.s.Reset()
	read, ok = h.s.Quota("acme")
	wantSeed := Quota{ID: 1, Namespace: "acme", LimitBytes: 10 << 30, Limits: []QuotaLimit{
		{ID: 1, Type: "Warning", LimitPercent: 80}, {ID: 2, Type: "Reject", LimitPercent: 100}}}
	if diff := cmp.Diff(wantSeed, read); !ok || diff != "" {
		t.Errorf("after Reset (-want +got):\n%s", diff)
	}
}

func TestDirectQuotaErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withAcmeQuota)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{name: "unknown namespace", call: func() error { _, err := h.s.SetQuota(Quota{Namespace: "nobody", LimitBytes: 1}); return err },
			want: `fakequay: SetQuota: namespace "nobody" does not exist`},
		{name: "non-positive limit", call: func() error { _, err := h.s.SetQuota(Quota{Namespace: "alice"}); return err },
			want: "fakequay: SetQuota: limit_bytes: must be positive, got 0"},
		{name: "bad limit type", call: func() error {
			_, err := h.s.SetQuota(Quota{Namespace: "alice", LimitBytes: 1, Limits: []QuotaLimit{{Type: "Soft", LimitPercent: 1}}})
			return err
		}, want: `fakequay: SetQuota: limits[0].type: "Soft" is not "Warning" or "Reject"`},
		{name: "usage of an unknown namespace", call: func() error { return h.s.SetNamespaceUsage("nobody", 1) },
			want: `fakequay: SetNamespaceUsage: namespace "nobody" does not exist`},
		{name: "negative usage", call: func() error { return h.s.SetNamespaceUsage("alice", -1) },
			want: "fakequay: SetNamespaceUsage: size must not be negative, got -1"},
		{name: "queued and running", call: func() error { return h.s.SetRegistrySize(RegistrySize{Queued: true, Running: true}) },
			want: "fakequay: SetRegistrySize: running: cannot be true while queued is"},
		{name: "negative registry size", call: func() error { return h.s.SetRegistrySize(RegistrySize{SizeBytes: -1}) },
			want: "fakequay: SetRegistrySize: size_bytes: must not be negative, got -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
	// Nothing changed.
	if _, ok := h.s.Quota("alice"); ok {
		t.Error("a failed SetQuota left a quota")
	}
	if _, ok := h.s.RegistrySize(); ok {
		t.Error("a failed SetRegistrySize left a row")
	}
}

func TestDirectRegistrySize(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	if _, ok := h.s.RegistrySize(); ok {
		t.Fatal("a fresh server has a registry-size row")
	}
	in := RegistrySize{SizeBytes: 42, LastRan: time.Date(2026, 1, 2, 3, 4, 5, 678_901_234, time.FixedZone("X", 3600)), Queued: true}
	if err := h.s.SetRegistrySize(in); err != nil {
		t.Fatal(err)
	}
	got, ok := h.s.RegistrySize()
	want := RegistrySize{SizeBytes: 42, LastRan: time.Date(2026, 1, 2, 2, 4, 5, 678_000_000, time.UTC), Queued: true}
	if diff := cmp.Diff(want, got); !ok || diff != "" {
		t.Errorf("RegistrySize() (-want +got):\n%s", diff)
	}
	checkReply(t, jsonReply(200, `{"size_bytes": 42, "last_ran": 1767319445678, "queued": true, "running": false}`),
		h.do("GET", registrySizePath, tokAdmin, ""))

	ran, err := h.s.RunRegistrySizeWorker()
	if err != nil || !ran {
		t.Fatalf("RunRegistrySizeWorker = %v, %v", ran, err)
	}
	got, _ = h.s.RegistrySize()
	if diff := cmp.Diff(RegistrySize{SizeBytes: 0, LastRan: fixtureTime}, got); diff != "" {
		t.Errorf("after the worker (-want +got):\n%s", diff)
	}
	if ran, err := h.s.RunRegistrySizeWorker(); err != nil || ran {
		t.Errorf("second run = %v, %v; want false, nil (nothing queued)", ran, err)
	}
}
