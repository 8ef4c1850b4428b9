package snapshot

import (
	"context"
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

type logView struct {
	Kind      string          `json:"kind"`
	Metadata  json.RawMessage `json:"metadata"`
	IP        *string         `json:"ip"`
	Datetime  quay.Timestamp  `json:"datetime"`
	Performer *struct {
		Name    string `json:"name"`
		IsRobot bool   `json:"is_robot"`
	} `json:"performer"`
	Namespace *struct {
		Name string `json:"name"`
	} `json:"namespace"`
}

// readLogs reads the audit logs of Options.LogsFrom..LogsTo one day at a
// time: listAllAggregateLogs says which days have logs and how many, then
// listAllLogs lists each such day. Quay's paging skips entries (after a
// page that ends inside a run of equal times it offsets the next query by
// the page size, reference §2.4), so reading a day at a time is what gets
// every log of a day with up to 20; a day whose listing comes up short is
// reported.
//
// Quay lists newest first and shows whole seconds; the seed gets the logs
// oldest first, so that fakequay, which breaks ties between equal times by
// newest id first, lists the logs of one second in the order Quay did.
//
// A log whose performer or namespace is not a seeded user or organization
// (a robot, say) is left out with a warning: the seed cannot name it.
func readLogs(ctx context.Context, r *reader) error {
	days, err := r.logDays(ctx)
	if err != nil {
		return err
	}
	for _, d := range days {
		var dayLogs []fakequay.SeedLog
		listed := 0
		q := url.Values{"starttime": {day(d.day)}, "endtime": {day(d.day)}}
		err := pages(ctx, func(ctx context.Context, token string) (string, error) {
			var page struct {
				Logs     []logView `json:"logs"`
				NextPage string    `json:"next_page"`
			}
			if err := r.get(ctx, withPage("superuser/logs", q, token), &page); err != nil {
				return "", err
			}
			listed += len(page.Logs)
			for _, l := range page.Logs {
				if lg, ok := r.seedLog(l); ok {
					dayLogs = append(dayLogs, lg)
				}
			}
			return page.NextPage, nil
		})
		if err != nil {
			return err
		}
		if d.count >= 0 && listed < d.count {
			r.warnf("audit logs of %s: Quay counts %d but listed %d (its paging skips entries that share a time)",
				d.day.Format(time.DateOnly), d.count, listed)
		}
		slices.Reverse(dayLogs)
		r.seed.Logs = append(r.seed.Logs, dayLogs...)
	}
	return nil
}

// logDay is a day with audit logs and how many Quay counts (-1: unknown).
type logDay struct {
	day   time.Time
	count int
}

// logDays returns the days of Options.LogsFrom..LogsTo that have logs,
// oldest first; every day when the aggregate counts are not readable. It
// asks for one calendar month at a time: Quay refuses ranges over 31 days,
// and dates each count with the start's year and month plus the day of
// the month (table_logs_model.get_aggregated_log_counts), which is right
// only within one month.
func (r *reader) logDays(ctx context.Context) ([]logDay, error) {
	from, to := midnight(r.opts.LogsFrom), midnight(r.opts.LogsTo)
	var days []logDay
	for start := from; !start.After(to); start = start.AddDate(0, 1, 1-start.Day()) {
		end := start.AddDate(0, 1, -start.Day()) // the month's last day
		if end.After(to) {
			end = to
		}
		var agg struct {
			Aggregated []struct {
				Count    int            `json:"count"`
				Datetime quay.Timestamp `json:"datetime"`
			} `json:"aggregated"`
		}
		q := url.Values{"starttime": {day(start)}, "endtime": {day(end)}}
		ok, err := r.getIfReadable(ctx, "superuser/aggregatelogs?"+q.Encode(), "audit-log counts (every day is listed instead)", &agg)
		if err != nil {
			return nil, err
		}
		if !ok {
			return everyDay(from, to), nil
		}
		counts := map[time.Time]int{}
		for _, a := range agg.Aggregated {
			counts[midnight(a.Datetime.Time)] += a.Count
		}
		for _, d := range slices.SortedFunc(maps.Keys(counts), time.Time.Compare) {
			days = append(days, logDay{day: d, count: counts[d]})
		}
	}
	return days, nil
}

func everyDay(from, to time.Time) []logDay {
	var days []logDay
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		days = append(days, logDay{day: d, count: -1})
	}
	return days
}

func midnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (r *reader) seedLog(l logView) (fakequay.SeedLog, bool) {
	lg := fakequay.SeedLog{Kind: l.Kind, Datetime: l.Datetime.Time}
	if l.IP != nil {
		lg.IP = *l.IP
	}
	if string(l.Metadata) != "{}" && string(l.Metadata) != "null" {
		lg.Metadata = compact(l.Metadata)
	}
	if p := l.Performer; p != nil {
		if _, ok := r.users[p.Name]; !ok || p.IsRobot {
			r.warnf("audit log %s of %s left out: its performer %s is not a user the seed has", l.Kind, l.Datetime.Format(time.DateTime), p.Name)
			return lg, false
		}
		lg.Performer = p.Name
	}
	if ns := l.Namespace; ns != nil {
		if !r.hasNamespace(ns.Name) {
			r.warnf("audit log %s of %s left out: its namespace %s is not one the seed has", l.Kind, l.Datetime.Format(time.DateTime), ns.Name)
			return lg, false
		}
		lg.Namespace = ns.Name
	}
	return lg, true
}

func (r *reader) hasNamespace(name string) bool {
	return slices.ContainsFunc(r.views, func(ns namespace) bool { return ns.Name == name })
}
