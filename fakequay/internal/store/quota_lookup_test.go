package store

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// QuotasInIDOrder answers what QuotaOf answers, for ascending ids with and
// without quotas between them, and for ids asked out of order.
func TestQuotasInIDOrderAgreesWithQuotaOf(t *testing.T) {
	t.Parallel()
	s := New()
	err := s.Load(func(l *Loader) error {
		for i := 1; i <= 12; i++ {
			kind := KindUser
			if i%3 == 0 {
				kind = KindOrg
			}
			n, err := l.AddNamespace(Namespace{Name: "ns" + strconv.Itoa(i), Kind: kind, Email: strconv.Itoa(i) + "@x.io", Enabled: true})
			if err != nil {
				return err
			}
			if i%2 == 0 || i == 7 {
				if _, err := l.SetQuota(Quota{NamespaceID: n.ID, LimitBytes: int64(i) << 20}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Read()
	tests := []struct {
		name string
		ids  []int64
	}{
		{"every id", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}},
		{"quota holders skipped between asks", []int64{1, 5, 7, 11, 12}},
		{"only quota holders", []int64{2, 4, 6}},
		{"ids beyond the last quota", []int64{13, 20}},
		{"the same id twice, then an earlier one", []int64{4, 4, 2, 8}},
	}
	limit := func(q *Quota, ok bool) int64 {
		if !ok {
			return -1
		}
		return q.LimitBytes >> 20
	}
	for _, tc := range tests {
		cursor := r.QuotasInIDOrder()
		var got, want []int64
		for _, id := range tc.ids {
			got = append(got, limit(cursor.Of(id)))
			want = append(want, limit(r.QuotaOf(id)))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: limits in MiB, -1 for none (-want +got):\n%s", tc.name, diff)
		}
	}
}
