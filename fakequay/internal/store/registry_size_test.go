package store

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ms(v int64) *int64 { return &v }

// registrySizeOf returns the row, or nil.
func registrySizeOf(s *Store) *RegistrySize {
	rs, _ := s.Read().RegistrySize()
	return rs
}

func loadRegistrySize(t *testing.T, s *Store, rs *RegistrySize) {
	t.Helper()
	if rs == nil {
		return
	}
	if err := s.Load(func(l *Loader) error { return l.SetRegistrySize(*rs) }); err != nil {
		t.Fatal(err)
	}
}

// §2.19: the outcomes of queue_registry_size_calculation.
func TestQueueRegistrySizeCalculation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		start       *RegistrySize
		wantAlready bool
		want        *RegistrySize
	}{
		{name: "§2.19 no row: insert a queued one", want: &RegistrySize{Queued: true}},
		{name: "§2.19 idle row becomes queued, keeping its figures",
			start: &RegistrySize{SizeBytes: 70, CompletedMs: ms(1738676710123)},
			want:  &RegistrySize{SizeBytes: 70, Queued: true, CompletedMs: ms(1738676710123)}},
		{name: "§2.19 queued row: already queued", start: &RegistrySize{SizeBytes: 70, Queued: true},
			wantAlready: true, want: &RegistrySize{SizeBytes: 70, Queued: true}},
		{name: "§2.19 running row: already queued", start: &RegistrySize{Running: true},
			wantAlready: true, want: &RegistrySize{Running: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New()
			loadRegistrySize(t, s, tc.start)
			already, err := s.QueueRegistrySizeCalculation()
			if err != nil {
				t.Fatal(err)
			}
			if already != tc.wantAlready {
				t.Errorf("alreadyQueued = %v, want %v", already, tc.wantAlready)
			}
			if diff := cmp.Diff(tc.want, registrySizeOf(s)); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

// §2.19: the worker runs only for a queued, idle row and sums the
// namespaces' consumed bytes.
func TestCalculateRegistrySize(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 2, 4, 13, 45, 10, 123456789, time.UTC)
	tests := []struct {
		name    string
		sizes   []int64 // consumed bytes of extra namespaces
		start   *RegistrySize
		wantRan bool
		wantErr string
		want    *RegistrySize
	}{
		{name: "§2.19 no row: nothing to do"},
		{name: "§2.19 idle row: nothing to do", start: &RegistrySize{SizeBytes: 1},
			want: &RegistrySize{SizeBytes: 1}},
		{name: "§2.19 running row is left alone", start: &RegistrySize{SizeBytes: 1, Running: true},
			want: &RegistrySize{SizeBytes: 1, Running: true}},
		{name: "§2.19 queued row: sum and record the time in ms", sizes: []int64{100, 23},
			start: &RegistrySize{SizeBytes: 1, Queued: true, CompletedMs: ms(5)}, wantRan: true,
			want: &RegistrySize{SizeBytes: 5<<20 + 123, CompletedMs: ms(1738676710123)}},
		{name: "a sum beyond bigint leaves the row running", sizes: []int64{math.MaxInt64},
			start: &RegistrySize{SizeBytes: 1, Queued: true}, wantRan: true, wantErr: "CrashError: DataError: bigint out of range",
			want: &RegistrySize{SizeBytes: 1, Running: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newQuotaStore(t) // acme consumes 5 MiB
			err := s.Load(func(l *Loader) error {
				for i, size := range tc.sizes {
					n, err := l.AddNamespace(Namespace{Name: "org" + string(rune('a'+i)), Kind: KindOrg, Enabled: true})
					if err != nil {
						return err
					}
					if err := l.SetNamespaceSize(n.ID, NamespaceSize{Bytes: size}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			loadRegistrySize(t, s, tc.start)
			ran, err := s.CalculateRegistrySize(now)
			if diff := cmp.Diff(tc.wantErr, errText(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if ran != tc.wantRan {
				t.Errorf("ran = %v, want %v", ran, tc.wantRan)
			}
			if diff := cmp.Diff(tc.want, registrySizeOf(s)); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

// A deleted namespace's consumption no longer counts.
func TestCalculateRegistrySizeSkipsDeleted(t *testing.T) {
	t.Parallel()
	s := newQuotaStore(t)
	if err := s.DeleteOrganization("acme", Action{Kind: "org_delete", Account: "acme", Time: testTime}, Tombstone{Name: "t", Email: "t"}); err != nil {
		t.Fatal(err)
	}
	loadRegistrySize(t, s, &RegistrySize{SizeBytes: 9, Queued: true})
	if _, err := s.CalculateRegistrySize(testTime); err != nil {
		t.Fatal(err)
	}
	want := &RegistrySize{SizeBytes: 0, CompletedMs: ms(testTime.UnixMilli())}
	if diff := cmp.Diff(want, registrySizeOf(s)); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
}

func TestLoaderRegistrySizeRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      RegistrySize
		wantErr string
	}{
		{name: "negative size", in: RegistrySize{SizeBytes: -1}, wantErr: "size_bytes: must not be negative, got -1"},
		{name: "queued and running", in: RegistrySize{Queued: true, Running: true}, wantErr: "running: cannot be true while queued is"},
		{name: "valid", in: RegistrySize{SizeBytes: 3, Running: true, CompletedMs: ms(4)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New()
			err := s.Load(func(l *Loader) error { return l.SetRegistrySize(tc.in) })
			if diff := cmp.Diff(tc.wantErr, errText(err)); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			var want *RegistrySize
			if tc.wantErr == "" {
				want = &tc.in
			}
			if diff := cmp.Diff(want, registrySizeOf(s)); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoaderNamespaceSizeRules(t *testing.T) {
	t.Parallel()
	s := newQuotaStore(t)
	err := s.Load(func(l *Loader) error { return l.SetNamespaceSize(1, NamespaceSize{Bytes: -3}) })
	if diff := cmp.Diff("size must not be negative, got -3", errText(err)); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if n, _ := s.Read().NamespaceByID(1); n.Size != nil {
		t.Errorf("size stored despite the error: %+v", *n.Size)
	}
}
