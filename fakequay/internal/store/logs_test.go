package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var logBase = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// loadLogs stores one log per offset from logBase, with ids 1, 2, ... in
// that order, and returns the store.
func loadLogs(t *testing.T, offsets ...time.Duration) *Store {
	t.Helper()
	s := New()
	err := s.Load(func(l *Loader) error {
		for _, off := range offsets {
			l.AddLog(LogEntry{Kind: "push_repo", Time: logBase.Add(off)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func walkIDs(rd Reader, start, end time.Time, from LogKey, limit int) []int64 {
	var ids []int64
	rd.LogsNewestFirst(start, end, from, func(e *LogEntry) bool {
		ids = append(ids, e.ID)
		return limit == 0 || len(ids) < limit
	})
	return ids
}

// §2.4: the filter is start <= datetime < end, newest first; logs sharing a
// datetime come by descending id, and a walk can resume at any (time, id).
func TestLogsNewestFirst(t *testing.T) {
	t.Parallel()
	s := loadLogs(t,
		-time.Microsecond,             // 1: just before the window
		0,                             // 2: the window's first instant
		time.Hour,                     // 3
		time.Hour,                     // 4: ties with 3
		time.Hour,                     // 5: ties with 3
		24*time.Hour-time.Microsecond, // 6: the window's last instant
		24*time.Hour,                  // 7: the window's end, excluded
	)
	end := logBase.Add(24 * time.Hour)
	hour := logBase.Add(time.Hour).UnixMicro()
	tests := []struct {
		name       string
		start, end time.Time
		from       LogKey
		limit      int
		want       []int64
	}{
		{name: "§2.4 whole window, newest first, ties by id", start: logBase, end: end, want: []int64{6, 5, 4, 3, 2}},
		{name: "§2.4 resume inside a tie", start: logBase, end: end, from: LogKey{Micros: hour, ID: 4}, want: []int64{4, 3, 2}},
		{name: "§2.4 resume at a datetime, all its ties", start: logBase, end: end, from: LogKey{Micros: hour, ID: 1 << 62}, want: []int64{5, 4, 3, 2}},
		{name: "§2.4 a position past the end is clamped to it", start: logBase, end: end, from: LogKey{Micros: end.UnixMicro() + 5, ID: 99}, want: []int64{6, 5, 4, 3, 2}},
		{name: "§2.4 stop when fn says so", start: logBase, end: end, limit: 2, want: []int64{6, 5}},
		{name: "§2.4 inverted window is empty", start: end, end: logBase, want: nil},
		{name: "§2.4 empty window", start: logBase.Add(2 * time.Hour), end: logBase.Add(3 * time.Hour), want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := walkIDs(s.Read(), tc.start, tc.end, tc.from, tc.limit)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

// Pages that resume from the next row's key see every row exactly once,
// even when newer logs arrive between pages (they are above the cursor)
// and older ones too (they are below it and show up later).
func TestLogsNewestFirstPagingWhileWriting(t *testing.T) {
	t.Parallel()
	offsets := make([]time.Duration, 10)
	for i := range offsets {
		offsets[i] = time.Duration(i) * time.Minute / 2 // ties in pairs
		offsets[i] -= offsets[i] % time.Minute
	}
	s := loadLogs(t, offsets...)
	start, end := logBase.Add(-time.Hour), logBase.Add(time.Hour)
	var seen []int64
	var from LogKey
	for page := 0; ; page++ {
		if page > 20 {
			t.Fatal("paging did not end")
		}
		var rows []*LogEntry
		s.Read().LogsNewestFirst(start, end, from, func(e *LogEntry) bool {
			rows = append(rows, e)
			return len(rows) <= 3
		})
		for _, e := range rows[:min(3, len(rows))] {
			seen = append(seen, e.ID)
		}
		if len(rows) <= 3 {
			break
		}
		from = rows[3].Key()
		if page == 0 {
			_ = s.Load(func(l *Loader) error {
				l.AddLog(LogEntry{Kind: "newer", Time: logBase.Add(30 * time.Minute)})  // id 11: above the cursor
				l.AddLog(LogEntry{Kind: "older", Time: logBase.Add(-30 * time.Minute)}) // id 12: below it
				return nil
			})
		}
	}
	want := []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 12}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("walk (-want +got):\n%s", diff)
	}
}

// §3 listAllAggregateLogs: counts per (day of month, kind); the 3rd of two
// months share a group, as with Quay's EXTRACT(day).
func TestLogCountsByDayOfMonth(t *testing.T) {
	t.Parallel()
	s := New()
	feb3 := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	mar3 := time.Date(2026, 3, 3, 23, 59, 0, 0, time.UTC)
	feb20 := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	_ = s.Load(func(l *Loader) error {
		for _, e := range []LogEntry{
			{Kind: "push_repo", Time: feb3}, {Kind: "pull_repo", Time: feb3}, {Kind: "push_repo", Time: mar3},
			{Kind: "push_repo", Time: feb20}, {Kind: "pull_repo", Time: feb20.Add(-time.Microsecond)},
			{Kind: "push_repo", Time: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)}, // at the end: excluded
		} {
			l.AddLog(e)
		}
		return nil
	})
	got := s.Read().LogCountsByDayOfMonth(feb3, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC))
	want := []LogDayCount{
		{Day: 3, Kind: "pull_repo", Count: 1},
		{Day: 3, Kind: "push_repo", Count: 2},
		{Day: 19, Kind: "pull_repo", Count: 1},
		{Day: 20, Kind: "push_repo", Count: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

// Log rows keep microsecond precision and get "{}" metadata when none.
func TestAddLogNormalises(t *testing.T) {
	t.Parallel()
	s := New()
	var got []LogEntry
	_ = s.Load(func(l *Loader) error {
		l.AddLog(LogEntry{Kind: "k", Time: time.Date(2026, 1, 2, 3, 4, 5, 6789, time.FixedZone("X", 3600))})
		return nil
	})
	s.Read().AllLogs(func(e *LogEntry) bool { got = append(got, *e); return true })
	want := []LogEntry{{ID: 1, Kind: "k", Time: time.Date(2026, 1, 2, 2, 4, 5, 6000, time.UTC), Metadata: []byte("{}")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// A page of the (time, id) walk costs the same at any position and table
// size: go test -run '^$' -bench LogsNewestFirstPage ./fakequay/internal/store/
func BenchmarkLogsNewestFirstPage(b *testing.B) {
	for _, size := range []int{1_000, 100_000} {
		s := New()
		_ = s.Load(func(l *Loader) error {
			for i := range size {
				l.AddLog(LogEntry{Kind: "push_repo", Time: logBase.Add(time.Duration(i) * time.Second)})
			}
			return nil
		})
		start, end := logBase, logBase.Add(time.Duration(size)*time.Second)
		positions := map[string]LogKey{
			"first": {},
			"last":  {Micros: logBase.Add(19 * time.Second).UnixMicro(), ID: 20}, // the oldest 20 logs
		}
		for _, which := range []string{"first", "last"} {
			b.Run(fmt.Sprintf("logs=%d/page=%s", size, which), func(b *testing.B) {
				rd := s.Read()
				for b.Loop() {
					n := 0
					rd.LogsNewestFirst(start, end, positions[which], func(*LogEntry) bool {
						n++
						return n <= 20
					})
					if n != 21 && n != 20 {
						b.Fatalf("walked %d rows", n)
					}
				}
			})
		}
	}
}
