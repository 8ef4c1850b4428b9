package store

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/hashicorp/go-memdb"
)

// LogEntry is a row of Quay's audit log (LogEntry3). Account and performer
// are ids, not names, as in Quay: a log shows the namespace's current name,
// and once the namespace is purged the log has no namespace at all.
type LogEntry struct {
	ID          int64
	Kind        string
	AccountID   int64 // 0: none
	PerformerID int64 // 0: none
	IP          string
	Time        time.Time
	Metadata    json.RawMessage // a JSON object in Quay's key order
}

// LogKey is a log's position in newest-first order.
type LogKey struct {
	Micros int64
	ID     int64
}

// Key returns e's position in newest-first order.
func (e *LogEntry) Key() LogKey { return LogKey{Micros: e.Time.UnixMicro(), ID: e.ID} }

// logsTableSchema keys logs by (time, id), the order listAllLogs pages in.
// A log never changes once written, so that key is stable, and one index
// is all an audit log costs a write: every API write logs, and a second
// index (by id) was a second radix tree to copy nodes of per write.
func logsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableLogs,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: timeIDIndex[*LogEntry]{
				key: func(e *LogEntry) (int64, int64) { return e.Time.UnixMicro(), e.ID }}},
		},
	}
}

// insertLogTxn assigns e the next log id and stores it. Times keep
// microsecond precision, like Quay's datetime column.
func insertLogTxn(txn *memdb.Txn, e *LogEntry) {
	e.ID = nextIDTxn(txn, seqLog)
	e.Time = e.Time.UTC().Truncate(time.Microsecond)
	if len(e.Metadata) == 0 {
		e.Metadata = json.RawMessage("{}")
	}
	insert(txn, tableLogs, e)
}

// LogsNewestFirst calls fn for each log with start <= time < end, newest
// first, beginning at the log at or before `from` (the zero key means "from
// the newest"), until fn returns false. The walk seeks straight to its start
// through the (time, id) index, so a page costs O(page size).
func (r Reader) LogsNewestFirst(start, end time.Time, from LogKey, fn func(*LogEntry) bool) {
	upper := LogKey{Micros: end.UnixMicro() - 1, ID: math.MaxInt64}
	if from != (LogKey{}) && (from.Micros < upper.Micros || (from.Micros == upper.Micros && from.ID < upper.ID)) {
		upper = from
	}
	startMicros := start.UnixMicro()
	it := mustIter(r.txn.ReverseLowerBound(tableLogs, indexID, upper.Micros, upper.ID))
	iterate(it, func(e *LogEntry) bool {
		if e.Time.UnixMicro() < startMicros {
			return false
		}
		return fn(e)
	})
}

// AllLogs calls fn for every log in id order. It sorts them (logs are kept
// in time order): it serves inspection and tests, not pages.
func (r Reader) AllLogs(fn func(*LogEntry) bool) {
	var all []*LogEntry
	iterate(mustIter(r.txn.Get(tableLogs, indexID)), func(e *LogEntry) bool { all = append(all, e); return true })
	slices.SortFunc(all, func(a, b *LogEntry) int { return cmp.Compare(a.ID, b.ID) })
	for _, e := range all {
		if !fn(e) {
			return
		}
	}
}

// LogDayCount is how many logs of one kind fell on one day of the month.
type LogDayCount struct {
	Day   int // 1-31
	Kind  string
	Count int64
}

// LogCountsByDayOfMonth is Quay's get_aggregated_logs: the logs with
// start <= time < end counted per (day of the month, kind). The day is SQL's
// EXTRACT(day ...), so the 3rd of two different months share a group, as in
// Quay. Postgres returns GROUP BY groups in no defined order; these come by
// day, then kind. The walk costs O(logs in the window).
func (r Reader) LogCountsByDayOfMonth(start, end time.Time) []LogDayCount {
	type group struct {
		day  int
		kind string
	}
	counts := map[group]int64{}
	r.LogsNewestFirst(start, end, LogKey{}, func(e *LogEntry) bool {
		counts[group{day: e.Time.Day(), kind: e.Kind}]++
		return true
	})
	out := make([]LogDayCount, 0, len(counts))
	for g, n := range counts {
		out = append(out, LogDayCount{Day: g.day, Kind: g.kind, Count: n})
	}
	slices.SortFunc(out, func(a, b LogDayCount) int {
		if c := cmp.Compare(a.Day, b.Day); c != 0 {
			return c
		}
		return cmp.Compare(a.Kind, b.Kind)
	})
	return out
}
