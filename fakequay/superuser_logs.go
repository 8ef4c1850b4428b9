package fakequay

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/quaytime"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Audit logs: reference §2.4 (listAllLogs), §3 (listAllAggregateLogs), the
// log entry view of §1.9 and quirk 8 of §4.

// logsPerPage is TableLogsModel's fixed page size; listAllLogs has no limit.
const logsPerPage = 20

// maxAggregateWindow is TableLogsModel's MAXIMUM_RANGE_SIZE (31 days).
const maxAggregateWindow = 31 * 24 * time.Hour

func logRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/superuser/logs", ops: map[string]*operation{
			http.MethodGet: {nickname: "listAllLogs", freshLogin: true, paged: true, query: []queryParam{
				{name: "next_page", kind: paramString, help: "The page token for the next page"},
				{name: "page", kind: paramInt, help: "The page number for the logs", def: int64(1)},
				{name: "endtime", kind: paramString, help: "Latest time to which to get logs (%m/%d/%Y %Z)"},
				{name: "starttime", kind: paramString, help: "Earliest time from which to get logs (%m/%d/%Y %Z)"},
			}, handle: (*Server).listAllLogs},
		}},
		{pattern: "/api/v1/superuser/aggregatelogs", ops: map[string]*operation{
			http.MethodGet: {nickname: "listAllAggregateLogs", freshLogin: true, query: []queryParam{
				{name: "endtime", kind: paramString, help: "Latest time to which to get logs. (%m/%d/%Y %Z)"},
				{name: "starttime", kind: paramString, help: "Earliest time from which to get logs. (%m/%d/%Y %Z)"},
			}, handle: (*Server).listAllAggregateLogs},
		}},
	}
}

// listAllLogs: §2.4. The page parameter is parsed (a non-integer is a 400)
// and then ignored, as in Quay.
func (s *Server) listAllLogs(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	start, end, err := c.logsWindow()
	if err != nil {
		return err
	}
	tok, err := decodeLogsPageToken(c.page)
	if err != nil {
		return err
	}
	logs, next, err := lookupLogs(c.read, start, end, tok)
	if err != nil {
		return err
	}
	out := logsPageView{
		StartTime: quaytime.FormatRFC2822(start),
		EndTime:   quaytime.FormatRFC2822(end),
		Logs:      make([]logView, len(logs)),
	}
	for i, e := range logs {
		out.Logs[i] = logEntryView(c.read, e)
	}
	if next != nil {
		out.NextPage = s.encryptPageToken(next, c.now)
	}
	c.restful(http.StatusOK, out)
	return nil
}

// listAllAggregateLogs: §3. A window longer than 31 days raises
// InvalidLogsDateRangeError, which nothing catches: a 500.
func (s *Server) listAllAggregateLogs(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	start, end, err := c.logsWindow()
	if err != nil {
		return err
	}
	if end.Sub(start) > maxAggregateWindow {
		return &crashError{reason: "InvalidLogsDateRangeError: Cannot lookup aggregated logs over a period longer than a month"}
	}
	counts := c.read.LogCountsByDayOfMonth(start, end)
	out := aggregatedLogsView{Aggregated: make([]aggregatedLogView, len(counts))}
	for i, n := range counts {
		day, err := aggregateDate(start, n.Day)
		if err != nil {
			return err
		}
		out.Aggregated[i] = aggregatedLogView{Kind: n.Kind, Count: n.Count, Datetime: quaytime.FormatRFC2822(day)}
	}
	c.restful(http.StatusOK, out)
	return nil
}

// logsWindow is _validate_logs_arguments: each bound is parsed as
// strptime(value + " UTC", "%m/%d/%Y %Z") and silently defaults when that
// fails (start: now − 1 day, end: now); one day is then added to the end, so
// an explicit end date is inclusive. Nothing checks that start <= end.
func (c *call) logsWindow() (start, end time.Time, err error) {
	start, ok := c.logsDate("starttime")
	if !ok {
		start = c.now.Add(-24 * time.Hour)
	}
	end, ok = c.logsDate("endtime")
	if !ok {
		end = c.now
	}
	end = end.Add(24 * time.Hour)
	if end.Year() > 9999 {
		return time.Time{}, time.Time{}, &crashError{reason: "OverflowError: date value out of range"}
	}
	return start, end, nil
}

func (c *call) logsDate(name string) (time.Time, bool) {
	v, ok := c.strQuery(name)
	if !ok {
		return time.Time{}, false
	}
	return quaytime.ParseLogsDate(v)
}

// aggregateDate is the date TableLogsModel.get_aggregated_log_counts gives
// a day-of-month group: that day in the start's month, or in the next month
// when the day comes before the start's day. A day the start's month does
// not have is Python's ValueError from datetime(): a 500. (relativedelta's
// clamping to the next month's end never comes into play: a log of an
// earlier day lies in the next month, which has that day.)
func aggregateDate(start time.Time, day int) (time.Time, error) {
	if day > daysInMonth(start.Year(), start.Month()) {
		return time.Time{}, &crashError{reason: "ValueError: day is out of range for month"}
	}
	month := start.Month()
	if day < start.Day() {
		month++
	}
	return time.Date(start.Year(), month, day, 0, 0, 0, 0, time.UTC), nil
}

func daysInMonth(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// logEntryView is Log.to_dict(avatar, include_namespace=True): performer
// and namespace are looked up by id now (Quay's LEFT OUTER JOINs), so they
// show current names and vanish once their row is purged. The performer is
// always kind "user"; fakequay has no robots, so is_robot is false.
func logEntryView(rd store.Reader, e *store.LogEntry) logView {
	v := logView{Kind: e.Kind, Metadata: e.Metadata, Datetime: quaytime.FormatRFC2822(e.Time)}
	if e.IP != "" {
		ip := e.IP
		v.IP = &ip
	}
	if p, ok := rd.NamespaceByID(e.PerformerID); ok {
		v.Performer = &logPerformerView{Kind: "user", Name: p.Name, IsRobot: false,
			Avatar: avatar.Compute(p.Name, p.Email, avatar.KindUser)}
	}
	if n, ok := rd.NamespaceByID(e.AccountID); ok {
		kind := avatar.KindUser
		if n.IsOrg() {
			kind = avatar.KindOrg
		}
		v.Namespace = &logNamespaceView{Kind: kind, Name: n.Name, Avatar: avatar.Compute(n.Name, n.Email, kind)}
	}
	return v
}

// Paging (§2.4). Quay's database logs model reads three tables, LogEntry3
// then the legacy LogEntry2 and LogEntry, which fakequay keeps empty: when
// the first runs out, the page carries a {"tti": n} ("table index") token
// pointing at the next table, and following it yields an empty page. That
// is why the last non-empty page still has a next_page.

// logTables is len(LOG_MODELS); table 0 is the only one holding rows.
const logTables = 3

// logsPositionToken is the plaintext of a position token: Quay's paginate
// keys, in Quay's order, plus start_id, the id of the first log of the next
// page. Quay restarts at start_index and skips offset_val rows, which loses
// or repeats logs that share a datetime (common under a clock that stands
// still); the fake seeks to the exact (datetime, id) and only records
// offset_val as Quay would.
type logsPositionToken struct {
	StartIndex string `json:"start_index"`
	PageNumber int64  `json:"page_number"`
	IsDatetime bool   `json:"is_datetime"`
	OffsetVal  int64  `json:"offset_val"`
	StartID    int64  `json:"start_id"`
}

// logsTableToken is the plaintext of a table-index token.
type logsTableToken struct {
	TTI int64 `json:"tti"`
}

// logsCursor is a decoded page token: where the next page starts.
type logsCursor struct {
	table      *int64       // the token's tti, when it names a table
	from       store.LogKey // zero: from the newest log
	skip       int64        // rows to skip first (Quay's OFFSET)
	pageNumber int64
	offsetVal  int64
}

// decodeLogsPageToken parses a decrypted token as decrypt_page_token and
// paginate do. Text that is not JSON, or JSON null, means "no token" (the
// first page). A token of another shape, which only a holder of the
// page-token key could make, crashes Quay with a TypeError, AttributeError
// or dateutil ParserError: a 500. A position token without start_id (one
// Quay itself minted) is followed Quay's way: all rows at start_index, less
// the first offset_val.
func decodeLogsPageToken(plain []byte) (*logsCursor, error) {
	if plain == nil || !json.Valid(plain) || bytes.Equal(bytes.TrimSpace(plain), []byte("null")) {
		return nil, nil
	}
	var tok struct {
		StartIndex *string `json:"start_index"`
		PageNumber int64   `json:"page_number"`
		IsDatetime bool    `json:"is_datetime"`
		OffsetVal  int64   `json:"offset_val"`
		StartID    *int64  `json:"start_id"`
		TTI        *int64  `json:"tti"`
	}
	malformed := &crashError{reason: "TypeError: malformed logs page token"}
	if err := json.Unmarshal(plain, &tok); err != nil {
		return nil, malformed
	}
	cur := &logsCursor{table: tok.TTI, pageNumber: tok.PageNumber, offsetVal: tok.OffsetVal}
	if tok.StartIndex != nil {
		t, ok := parseISOStart(*tok.StartIndex)
		if !ok || !tok.IsDatetime {
			return nil, malformed
		}
		cur.from = store.LogKey{Micros: t.UnixMicro(), ID: math.MaxInt64}
	}
	if tok.StartID != nil {
		cur.from.ID = *tok.StartID
	} else {
		cur.skip = max(tok.OffsetVal, 0)
	}
	return cur, nil
}

// lookupLogs is TableLogsModel.lookup_logs: read the table the token names
// (LogEntry3 by default) and, while the page is empty, move on to the next
// table, handing out a table-index token whenever a table runs out. Table
// indexes are Python list indexes, negative ones included; one out of range
// is an IndexError. The token returned is plaintext, nil on the last page.
func lookupLogs(rd store.Reader, start, end time.Time, cur *logsCursor) ([]*store.LogEntry, []byte, error) {
	var (
		logs  []*store.LogEntry
		next  []byte
		table int64
	)
	for len(logs) == 0 && table < logTables-1 {
		if cur != nil && cur.table != nil {
			table = *cur.table
		}
		if table < -logTables || table >= logTables {
			return nil, nil, &crashError{reason: "IndexError: list index out of range (logs page token table index)"}
		}
		var rest *logsCursor
		next = nil
		if (table+logTables)%logTables == 0 {
			logs, rest, next = walkLogTable(rd, start, end, cur)
		}
		if rest == nil && table < logTables-1 {
			rest = &logsCursor{table: ptrTo(table + 1)}
			next = pyDumps(logsTableToken{TTI: table + 1})
		}
		cur = rest
	}
	return logs, next, nil
}

// walkLogTable is modelutil.paginate over the logs, newest first: it reads
// one row past the page, whose position starts the next page. The walk
// seeks straight to the cursor's (datetime, id), so it costs O(page).
func walkLogTable(rd store.Reader, start, end time.Time, cur *logsCursor) ([]*store.LogEntry, *logsCursor, []byte) {
	if cur == nil {
		cur = &logsCursor{}
	}
	skip := cur.skip
	rows := make([]*store.LogEntry, 0, logsPerPage+1)
	rd.LogsNewestFirst(start, end, cur.from, func(e *store.LogEntry) bool {
		if skip > 0 {
			skip--
			return true
		}
		rows = append(rows, e)
		return len(rows) <= logsPerPage
	})
	if len(rows) <= logsPerPage {
		return rows, nil, nil
	}
	first, last := rows[logsPerPage], rows[logsPerPage-1]
	pos := logsPositionToken{
		StartIndex: isoStart(first.Time),
		PageNumber: cur.pageNumber + 1,
		IsDatetime: true,
		OffsetVal:  cur.offsetVal,
		StartID:    first.ID,
	}
	if first.Time.Equal(last.Time) {
		pos.OffsetVal += logsPerPage
	}
	rest := &logsCursor{from: first.Key(), pageNumber: pos.PageNumber, offsetVal: pos.OffsetVal}
	return rows[:logsPerPage], rest, pyDumps(pos)
}

// isoStart is Python's datetime.isoformat() + "Z", as paginate_query
// writes start_index: microseconds only when there are some.
func isoStart(t time.Time) string {
	if t.Nanosecond() == 0 {
		return t.UTC().Format("2006-01-02T15:04:05") + "Z"
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000") + "Z"
}

// parseISOStart reads a start_index back, ignoring any zone as
// dateutil.parser.parse(..., ignoretz=True) does.
func parseISOStart(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), true
}

func ptrTo[T any](v T) *T { return &v }
