package fakequay

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The hand-written encodings of wire_append.go write what py's reflective
// Flask-RESTful encoding of the same view writes, for random values of
// every field: tricky strings, null and empty lists, missing pointers.
func TestViewAppendersMatchReflection(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 5))
	check := func(view any, appender py.RestfulAppender) {
		t.Helper()
		want, err := py.Restful(view) // a value: py cannot take its address, so it reflects
		if err != nil {
			t.Fatal(err)
		}
		got := string(appender.AppendRestful(nil)) + "\n"
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Fatalf("%T (-reflection +appender):\n%s", view, diff)
		}
	}
	for range 2000 {
		var u userView
		fillRandom(r, reflect.ValueOf(&u).Elem())
		check(u, &u)
		var o orgView
		fillRandom(r, reflect.ValueOf(&o).Elem())
		check(o, &o)
	}
}

var randomStrings = []string{"", "alice", "Ünïcödé", `quote " and \ backslash`, "tab\tnew\nline\x00\x7f", "emoji 😀", "</script>"}

// fillRandom sets every exported field reachable from v at random.
func fillRandom(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(randomStrings[r.IntN(len(randomStrings))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int64:
		v.SetInt([]int64{0, 1, -7, 1 << 40, -1 << 63}[r.IntN(5)])
	case reflect.Pointer:
		if r.IntN(3) > 0 {
			v.Set(reflect.New(v.Type().Elem()))
			fillRandom(r, v.Elem())
		}
	case reflect.Slice:
		if r.IntN(4) > 0 {
			n := r.IntN(3)
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := range n {
				fillRandom(r, v.Index(i))
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillRandom(r, v.Field(i))
			}
		}
	default:
		panic("fillRandom: no case for " + v.Kind().String())
	}
}

// The users and organizations pages, built and encoded a namespace at a
// time, read as py's reflective encoding of the page views would: with
// quotas (limits, used bytes, none) and without quota views at all.
func TestPageViewsMatchReflection(t *testing.T) {
	t.Parallel()
	used := int64(5 << 20)
	edit := func(seed *Seed) {
		seed.Quotas = []SeedQuota{
			{Namespace: "alice", LimitBytes: 1 << 30, Limits: []SeedQuotaLimit{{Type: "Warning", LimitPercent: 80}, {Type: "Reject", LimitPercent: 100}}, UsedBytes: &used},
			{Namespace: "acme", LimitBytes: 2 << 30},
			{Namespace: "dave", LimitBytes: 3 << 30, UsedBytes: &used},
		}
	}
	for _, quotaViews := range []bool{true, false} {
		h := newHarness(t, edit, WithConfig(func(c *Config) {
			c.FeatureQuotaManagement = quotaViews
			c.DefaultSystemRejectQuotaBytes = 7
		}))
		s, rd := h.s, h.s.store.Read()
		var users, orgs []*store.Namespace
		rd.Users(store.UsersNotDeleted, 0, func(n *store.Namespace) bool { users = append(users, n); return true })
		rd.Organizations(0, func(n *store.Namespace) bool { orgs = append(orgs, n); return true })
		for _, next := range []string{"", "token"} {
			pages := []struct {
				reflective any
				appender   py.RestfulAppender
			}{
				{userListView{Users: s.userViews(rd, users), NextPage: next}, &userPageView{views: s.newPageViews(rd), rows: users, next: next}},
				{orgListView{Organizations: s.orgViews(rd, orgs), NextPage: next}, &orgPageView{views: s.newPageViews(rd), rows: orgs, next: next}},
				{userListView{Users: []userView{}, NextPage: next}, &userPageView{views: s.newPageViews(rd), next: next}},
			}
			for _, p := range pages {
				want, err := py.Restful(p.reflective)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(string(want), string(p.appender.AppendRestful(nil))+"\n"); diff != "" {
					t.Errorf("quota views %v, next %q, %T (-reflection +appender):\n%s", quotaViews, next, p.reflective, diff)
				}
			}
		}
	}
}
