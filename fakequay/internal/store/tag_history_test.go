package store

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestTagHistoryPagesMatchSortedTags follows data/model/oci/tag.py
// list_repository_tag_history: every page of the stored history (with and
// without filters) is the page of the repository's visible tags sorted by
// lifetime_start_ms descending, then name, at OFFSET limit*(page-1), after
// pushes (several tags starting in one millisecond), moves, deletions,
// expirations and hidden tags, across chunk splits and emptied chunks.
func TestTagHistoryPagesMatchSortedTags(t *testing.T) {
	t.Parallel()
	s := loadUsers(t, "alice")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := start
	hiddenTags := 0
	push := func(tag string, hidden bool) {
		t.Helper()
		err := s.Load(func(l *Loader) error {
			m, err := l.Push(Push{Namespace: "alice", Repository: "app", CreateRepository: true, Now: now,
				Manifests: []NewManifest{{Digest: "sha256:" + tag, MediaType: "m"}}, Tag: map[bool]string{false: tag}[hidden]})
			if err != nil || !hidden {
				return err
			}
			repo, _ := l.Read().Repository(m.NamespaceID, "app")
			// A hidden tag's name is unique, as Quay's temporary tags' are.
			hiddenTags++
			_, err = l.AddTag(repo, Tag{Name: fmt.Sprintf("hidden-%d", hiddenTags), ManifestID: m.ID, StartMs: epochMs(now), Hidden: true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 700 {
		push(fmt.Sprintf("t%03d", r.IntN(400)), i%50 == 0)
		if r.IntN(3) == 0 {
			now = now.Add(time.Millisecond)
		}
	}
	ns, _ := s.Read().Namespace("alice")
	repo, _ := s.Read().Repository(ns.ID, "app")
	for i := range 150 {
		name := fmt.Sprintf("t%03d", r.IntN(400))
		switch i % 2 {
		case 0:
			err := s.DeleteTag(repo, name, now, Action{})
			if err != nil && err != ErrNoTag {
				t.Fatal(err)
			}
		case 1:
			end := now.Add(time.Hour)
			_, err := s.SetTagExpiration(repo, name, &end, now, func(*int64) Action { return Action{} })
			if err != nil && err != ErrNoTag {
				t.Fatal(err)
			}
		}
		now = now.Add(time.Millisecond)
	}
	if err := s.Read().CheckInvariants(); err != nil {
		t.Fatal(err)
	}
	var all []*Tag
	s.Read().Tags(repo, func(tag *Tag) bool {
		if !tag.Hidden {
			all = append(all, tag)
		}
		return true
	})
	slices.SortStableFunc(all, func(a, b *Tag) int {
		if c := cmp.Compare(b.StartMs, a.StartMs); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	later := now.Add(30 * time.Minute)
	t5 := "t005"
	queries := []TagHistoryQuery{
		{Limit: 100, Now: later},
		{Limit: 7, Now: later},
		{Limit: 100, Now: later, ActiveOnly: true},
		{Limit: 3, Now: later, Specific: &t5},
		{Limit: 50, Now: later, FilterOp: "like", FilterValue: "T1"},
		{Limit: 50, Now: later, FilterOp: "eq", FilterValue: "t010"},
	}
	for _, q := range queries {
		var want []*Tag
		for _, tag := range all {
			switch {
			case q.ActiveOnly && !tag.AliveAt(epochMs(q.Now)),
				q.Specific != nil && tag.Name != *q.Specific,
				q.FilterOp == "eq" && tag.Name != q.FilterValue,
				q.FilterOp == "like" && !containsFold(tag.Name, q.FilterValue):
				continue
			}
			want = append(want, tag)
		}
		for page := 1; page <= len(want)/q.Limit+2; page++ {
			q.Page = page
			from := min(q.Limit*(page-1), len(want))
			wantRows := want[from:min(from+q.Limit, len(want))]
			wantMore := from+q.Limit < len(want)
			rows, more := s.Read().TagHistory(repo, q)
			if diff := gocmp.Diff(wantRows, rows, cmpopts.EquateEmpty()); diff != "" || more != wantMore {
				t.Fatalf("%+v: more %v, want %v; rows (-want +got):\n%s", q, more, wantMore, diff)
			}
		}
	}
}
