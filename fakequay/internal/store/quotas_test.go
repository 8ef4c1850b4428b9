package store

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testTime = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// newQuotaStore returns a store holding users alice (id 1) and dave
// (disabled, id 2) and organization acme (id 3); acme has a 10 GiB quota
// with two limits and 5 MiB consumed.
func newQuotaStore(t *testing.T) *Store {
	t.Helper()
	s := New()
	err := s.Load(func(l *Loader) error {
		for _, n := range []Namespace{
			{Name: "alice", Kind: KindUser, Email: "alice@example.com", Enabled: true},
			{Name: "dave", Kind: KindUser, Email: "dave@example.com", Enabled: false},
			{Name: "acme", Kind: KindOrg, Email: "acme@example.com", Enabled: true},
		} {
			if _, err := l.AddNamespace(n); err != nil {
				return err
			}
		}
		if _, err := l.SetQuota(Quota{NamespaceID: 3, LimitBytes: 10 << 30, Limits: []QuotaLimit{
			{Type: "Warning", Percent: 80}, {Type: "Reject", Percent: 100}}}); err != nil {
			return err
		}
		return l.SetNamespaceSize(3, NamespaceSize{Bytes: 5 << 20, BackfillStarted: true, BackfillComplete: true})
	})
	if err != nil {
		t.Fatalf("loading: %v", err)
	}
	return s
}

// quotasByNamespace is every quota row, keyed by namespace id.
func quotasByNamespace(s *Store) map[int64]Quota {
	out := map[int64]Quota{}
	rd := s.Read()
	rd.AllNamespaces(func(n *Namespace) bool {
		if q, ok := rd.QuotaOf(n.ID); ok {
			out[n.ID] = *q
		}
		return true
	})
	// A quota whose namespace row is gone would be missed above: count rows.
	rows := 0
	iterate(mustIter(rd.txn.Get(tableQuotas, indexID)), func(*Quota) bool { rows++; return true })
	if rows != len(out) {
		out[-1] = Quota{ID: int64(rows - len(out))} // dangling quotas show up as key -1
	}
	return out
}

var acmeQuota = Quota{ID: 1, NamespaceID: 3, LimitBytes: 10 << 30, Limits: []QuotaLimit{
	{ID: 1, Type: "Warning", Percent: 80}, {ID: 2, Type: "Reject", Percent: 100}}}

func sizeError(msg string) error { return &QuotaSizeError{Message: msg} }

// errText flattens an error for comparison: its type and message.
func errText(err error) string {
	switch e := err.(type) {
	case nil:
		return ""
	case *QuotaSizeError:
		return "QuotaSizeError: " + e.Message
	case *CrashError:
		return "CrashError: " + e.Reason
	}
	return err.Error()
}

func bigInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return v
}

// §2.14 create and §1.10: the checks of create_namespace_quota, in order.
func TestCreateQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		namespace string
		size      QuotaSize
		wantErr   error
		wantBytes int64
	}{
		{name: "§2.14 int size", namespace: "alice", size: IntQuotaSize(big.NewInt(5000)), wantBytes: 5000},
		{name: "§2.14 float size from bitmath", namespace: "alice", size: FloatQuotaSize(5e9), wantBytes: 5000000000},
		{name: "§2.14 bigint maximum fits", namespace: "alice", size: IntQuotaSize(big.NewInt(math.MaxInt64)), wantBytes: math.MaxInt64},
		{name: "peewee's int() truncates a float", namespace: "alice", size: FloatQuotaSize(2.9), wantBytes: 2},
		{name: "§2.14 unknown namespace", namespace: "nobody", size: IntQuotaSize(big.NewInt(1)), wantErr: ErrNotFound},
		{name: "§2.14 one quota per namespace, checked before the size", namespace: "acme", size: IntQuotaSize(big.NewInt(0)), wantErr: ErrQuotaExists},
		{name: "§2.14 zero int", namespace: "alice", size: IntQuotaSize(big.NewInt(0)), wantErr: sizeError("Invalid quota size limit value: '0'")},
		{name: "§2.14 negative int", namespace: "alice", size: IntQuotaSize(big.NewInt(-5)), wantErr: sizeError("Invalid quota size limit value: '-5'")},
		{name: "§2.14 zero float from limit", namespace: "alice", size: FloatQuotaSize(0), wantErr: sizeError("Invalid quota size limit value: '0.0'")},
		{name: "NaN is not > 0", namespace: "alice", size: FloatQuotaSize(math.NaN()), wantErr: sizeError("Invalid quota size limit value: 'nan'")},
		{name: "§2.14 huge negative int quoted in full", namespace: "alice", size: IntQuotaSize(bigInt("-100000000000000000000")),
			wantErr: sizeError("Invalid quota size limit value: '-100000000000000000000'")},
		{name: "§2.14 int beyond bigint", namespace: "alice", size: IntQuotaSize(bigInt("9223372036854775808")),
			wantErr: sizeError("Unsupported quota size limit.")},
		{name: "§2.14 float beyond bigint", namespace: "alice", size: FloatQuotaSize(1e19), wantErr: sizeError("Unsupported quota size limit.")},
		{name: "float 2**63 is beyond bigint", namespace: "alice", size: FloatQuotaSize(0x1p63), wantErr: sizeError("Unsupported quota size limit.")},
		{name: "infinity crashes in int()", namespace: "alice", size: FloatQuotaSize(math.Inf(1)),
			wantErr: crash("OverflowError: cannot convert float infinity to integer")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newQuotaStore(t)
			before := quotasByNamespace(s)
			got, err := s.CreateQuota(tc.namespace, tc.size, nil)
			if tc.wantErr != nil {
				if diff := cmp.Diff(errText(tc.wantErr), errText(err)); diff != "" {
					t.Fatalf("error (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(before, quotasByNamespace(s)); diff != "" {
					t.Errorf("a failed create changed the quotas (-before +after):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateQuota: %v", err)
			}
			want := Quota{ID: 2, NamespaceID: 1, LimitBytes: tc.wantBytes, Limits: []QuotaLimit{}}
			if diff := cmp.Diff(want, *got, cmpQuota); diff != "" {
				t.Errorf("created (-want +got):\n%s", diff)
			}
			stored, _ := s.Read().QuotaOf(1)
			if diff := cmp.Diff(want, *stored, cmpQuota); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpQuota treats nil and empty limit lists alike.
var cmpQuota = cmp.Transformer("limits", func(l []QuotaLimit) []QuotaLimit {
	if l == nil {
		return []QuotaLimit{}
	}
	return l
})

// §4 quirk 10: one quota per namespace, whichever way it is added.
func TestOneQuotaPerNamespace(t *testing.T) {
	t.Parallel()
	s := newQuotaStore(t)
	if _, err := s.CreateQuota("alice", IntQuotaSize(big.NewInt(100)), nil); err != nil {
		t.Fatalf("first create: %v", err)
	}
	if _, err := s.CreateQuota("alice", IntQuotaSize(big.NewInt(200)), nil); !errors.Is(err, ErrQuotaExists) {
		t.Errorf("second create: %v, want ErrQuotaExists", err)
	}
	err := s.Load(func(l *Loader) error {
		_, err := l.SetQuota(Quota{NamespaceID: 1, LimitBytes: 300})
		return err
	})
	if diff := cmp.Diff("namespace: already has a quota", errText(err)); diff != "" {
		t.Errorf("Loader.SetQuota (-want +got):\n%s", diff)
	}
	want := map[int64]Quota{3: acmeQuota, 1: {ID: 2, NamespaceID: 1, LimitBytes: 100}}
	if diff := cmp.Diff(want, quotasByNamespace(s), cmpQuota); diff != "" {
		t.Errorf("quotas (-want +got):\n%s", diff)
	}
}

// §2.14 change: lookups, then the size rules; limits and id are kept.
func TestResizeQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		namespace string
		quotaID   int64
		size      QuotaSize
		wantErr   string
		wantBytes int64
	}{
		{name: "§2.14 int", namespace: "acme", quotaID: 1, size: IntQuotaSize(big.NewInt(1 << 40)), wantBytes: 1 << 40},
		{name: "§2.14 float", namespace: "acme", quotaID: 1, size: FloatQuotaSize(5e9), wantBytes: 5e9},
		{name: "§2.14 unknown namespace", namespace: "nobody", quotaID: 1, size: IntQuotaSize(big.NewInt(1)), wantErr: ErrNotFound.Error()},
		{name: "§2.14 quota of another namespace", namespace: "alice", quotaID: 1, size: IntQuotaSize(big.NewInt(1)), wantErr: ErrNoSuchQuota.Error()},
		{name: "§2.14 unknown quota id", namespace: "acme", quotaID: 2, size: IntQuotaSize(big.NewInt(1)), wantErr: ErrNoSuchQuota.Error()},
		{name: "§2.14 lookup before the size check", namespace: "acme", quotaID: 9, size: IntQuotaSize(big.NewInt(-5)), wantErr: ErrNoSuchQuota.Error()},
		{name: "§2.14 negative", namespace: "acme", quotaID: 1, size: IntQuotaSize(big.NewInt(-5)),
			wantErr: "QuotaSizeError: Invalid quota size limit value: '-5'"},
		{name: "§2.14 beyond bigint", namespace: "acme", quotaID: 1, size: FloatQuotaSize(3e24),
			wantErr: "QuotaSizeError: Unsupported quota size limit."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newQuotaStore(t)
			got, err := s.ResizeQuota(tc.namespace, tc.quotaID, tc.size, nil)
			if diff := cmp.Diff(tc.wantErr, errText(err)); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			want := acmeQuota
			if err == nil {
				want.LimitBytes = tc.wantBytes
				if diff := cmp.Diff(want, *got); diff != "" {
					t.Errorf("returned (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(map[int64]Quota{3: want}, quotasByNamespace(s)); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
		})
	}
}

// §2.14 delete: the quota goes with its limits; lookups as for change.
func TestDeleteQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		namespace string
		quotaID   int64
		wantErr   error
		want      map[int64]Quota
	}{
		{name: "§2.14 deletes quota and limits", namespace: "acme", quotaID: 1, want: map[int64]Quota{}},
		{name: "§2.14 unknown namespace", namespace: "nobody", quotaID: 1, wantErr: ErrNotFound, want: map[int64]Quota{3: acmeQuota}},
		{name: "§2.14 quota of another namespace", namespace: "alice", quotaID: 1, wantErr: ErrNoSuchQuota, want: map[int64]Quota{3: acmeQuota}},
		{name: "§2.14 unknown id", namespace: "acme", quotaID: 7, wantErr: ErrNoSuchQuota, want: map[int64]Quota{3: acmeQuota}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newQuotaStore(t)
			if err := s.DeleteQuota(tc.namespace, tc.quotaID, nil); !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Fatalf("DeleteQuota: %v, want %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, quotasByNamespace(s)); diff != "" {
				t.Errorf("quotas (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("ids are never reused", func(t *testing.T) {
		t.Parallel()
		s := newQuotaStore(t)
		if err := s.DeleteQuota("acme", 1, nil); err != nil {
			t.Fatal(err)
		}
		q, err := s.CreateQuota("acme", IntQuotaSize(big.NewInt(7)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if q.ID != 2 {
			t.Errorf("new quota id %d, want 2", q.ID)
		}
	})
}

// A namespace's deletion takes its quota with it (Quay deletes dependent
// rows), except for a disabled user, which Quay's
// mark_namespace_for_deletion leaves untouched; the purge removes any
// quota added afterwards through the tombstone name.
func TestQuotaCascade(t *testing.T) {
	t.Parallel()
	audit := func(account string) Action { return Action{Kind: "delete", Account: account, Time: testTime} }
	tests := []struct {
		name string
		act  func(s *Store) error
		want map[int64]Quota
	}{
		{name: "§2.7 deleting an org drops its quota", act: func(s *Store) error {
			return s.DeleteOrganization("acme", audit("acme"), Tombstone{Name: "tomb-acme", Email: "x"})
		}, want: map[int64]Quota{}},
		{name: "§2.3 deleting a user drops its quota", act: func(s *Store) error {
			if _, err := s.CreateQuota("alice", IntQuotaSize(big.NewInt(9)), nil); err != nil {
				return err
			}
			return s.DeleteUser("alice", audit("alice"), Tombstone{Name: "tomb-alice", Email: "y"})
		}, want: map[int64]Quota{3: acmeQuota}},
		{name: "§4 quirk 7 deleting a disabled user changes nothing", act: func(s *Store) error {
			if _, err := s.CreateQuota("dave", IntQuotaSize(big.NewInt(9)), nil); err != nil {
				return err
			}
			return s.DeleteUser("dave", audit("dave"), Tombstone{Name: "tomb-dave", Email: "z"})
		}, want: map[int64]Quota{3: acmeQuota, 2: {ID: 2, NamespaceID: 2, LimitBytes: 9}}},
		{name: "the purge drops a quota added through the tombstone name", act: func(s *Store) error {
			if err := s.DeleteOrganization("acme", audit("acme"), Tombstone{Name: "tomb-acme", Email: "x"}); err != nil {
				return err
			}
			if _, err := s.CreateQuota("tomb-acme", IntQuotaSize(big.NewInt(9)), nil); err != nil {
				return err
			}
			_, err := s.PurgeDeletedNamespaces()
			return err
		}, want: map[int64]Quota{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newQuotaStore(t)
			if err := tc.act(s); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, quotasByNamespace(s), cmpQuota); diff != "" {
				t.Errorf("quotas (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoaderQuotaRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		quota   Quota
		replace bool
		wantErr string
		want    map[int64]Quota
	}{
		{name: "unknown namespace", quota: Quota{NamespaceID: 42, LimitBytes: 1}, wantErr: "namespace: id 42 does not exist"},
		{name: "limit must be positive", quota: Quota{NamespaceID: 1}, wantErr: "limit_bytes: must be positive, got 0"},
		{name: "limit type", quota: Quota{NamespaceID: 1, LimitBytes: 1, Limits: []QuotaLimit{{Type: "warning", Percent: 5}}},
			wantErr: `limits[0].type: "warning" is not "Warning" or "Reject"`},
		{name: "limit percent above 100", quota: Quota{NamespaceID: 1, LimitBytes: 1, Limits: []QuotaLimit{
			{Type: "Warning", Percent: 5}, {Type: "Reject", Percent: 101}}},
			wantErr: "limits[1].limit_percent: 101 is not between 1 and 100"},
		{name: "limit percent zero", quota: Quota{NamespaceID: 1, LimitBytes: 1, Limits: []QuotaLimit{{Type: "Reject", Percent: 0}}},
			wantErr: "limits[0].limit_percent: 0 is not between 1 and 100"},
		{name: "duplicate limit", quota: Quota{NamespaceID: 1, LimitBytes: 1, Limits: []QuotaLimit{
			{Type: "Warning", Percent: 50}, {Type: "Reject", Percent: 50}, {Type: "Warning", Percent: 50}}},
			wantErr: "limits[2]: same type and limit_percent as limits[0]"},
		{name: "set adds with new ids", quota: Quota{ID: 99, NamespaceID: 1, LimitBytes: 7, Limits: []QuotaLimit{{ID: 99, Type: "Reject", Percent: 100}}},
			want: map[int64]Quota{3: acmeQuota, 1: {ID: 2, NamespaceID: 1, LimitBytes: 7, Limits: []QuotaLimit{{ID: 3, Type: "Reject", Percent: 100}}}}},
		{name: "replace keeps the quota id, renews limit ids", replace: true,
			quota: Quota{NamespaceID: 3, LimitBytes: 7, Limits: []QuotaLimit{{Type: "Warning", Percent: 90}}},
			want:  map[int64]Quota{3: {ID: 1, NamespaceID: 3, LimitBytes: 7, Limits: []QuotaLimit{{ID: 3, Type: "Warning", Percent: 90}}}}},
		{name: "replace adds when there is none", replace: true, quota: Quota{NamespaceID: 1, LimitBytes: 7},
			want: map[int64]Quota{3: acmeQuota, 1: {ID: 2, NamespaceID: 1, LimitBytes: 7}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newQuotaStore(t)
			err := s.Load(func(l *Loader) error {
				var err error
				if tc.replace {
					_, err = l.ReplaceQuota(tc.quota)
				} else {
					_, err = l.SetQuota(tc.quota)
				}
				return err
			})
			if diff := cmp.Diff(tc.wantErr, errText(err)); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			want := tc.want
			if tc.wantErr != "" {
				want = map[int64]Quota{3: acmeQuota}
			}
			if diff := cmp.Diff(want, quotasByNamespace(s), cmpQuota); diff != "" {
				t.Errorf("quotas (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQuotaSizePython(t *testing.T) {
	t.Parallel()
	type out struct {
		Str    string
		Truthy bool
		Float  bool
	}
	tests := []struct {
		size QuotaSize
		want out
	}{
		{IntQuotaSize(big.NewInt(0)), out{"0", false, false}},
		{IntQuotaSize(big.NewInt(-5)), out{"-5", true, false}},
		{FloatQuotaSize(0), out{"0.0", false, true}},
		{FloatQuotaSize(math.Copysign(0, -1)), out{"-0.0", false, true}},
		{FloatQuotaSize(5e9), out{"5000000000.0", true, true}},
		{FloatQuotaSize(3e24), out{"3e+24", true, true}},
		{FloatQuotaSize(math.NaN()), out{"nan", true, true}},
		{QuotaSize{}, out{"0.0", false, true}},
	}
	for _, tc := range tests {
		got := out{tc.size.String(), tc.size.Truthy(), tc.size.IsFloat()}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%#v (-want +got):\n%s", tc.size, diff)
		}
	}
}
