package superuser

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/quaykit/go-quay/quay"
)

// LogsService reads the registry-wide audit log.
type LogsService service

// LogEntry is one audit log entry (reference §1.9).
type LogEntry struct {
	// Kind is the action, e.g. "push_repo", "user_create"; "unknown" if Quay
	// does not know the kind.
	Kind string `json:"kind"`
	// Metadata describes the action. Dates in it are Unix seconds; when the
	// caller used an OAuth token it also holds oauth_token_id,
	// oauth_token_application_id and oauth_token_application.
	Metadata map[string]any `json:"metadata"`
	// IP is the caller's address; "" when Quay recorded none (null).
	IP       string         `json:"ip"`
	Datetime quay.Timestamp `json:"datetime"`
	// Performer is the user (or robot) who acted; nil for anonymous actions.
	Performer *LogPerformer `json:"performer,omitempty"`
	// Namespace is the account the action concerns; nil when it no longer resolves.
	Namespace *LogNamespace `json:"namespace,omitempty"`
}

// LogPerformer is who performed a logged action. Name is the account's
// current name: after a deletion or rename, older entries show the new one.
type LogPerformer struct {
	Kind    string `json:"kind"` // always "user", robots included
	Name    string `json:"name"`
	IsRobot bool   `json:"is_robot"`
	Avatar  Avatar `json:"avatar"`
}

// LogNamespace is the account a logged action concerns.
type LogNamespace struct {
	Kind   string `json:"kind"` // "org" or "user"
	Name   string `json:"name"`
	Avatar Avatar `json:"avatar"`
}

// LogPage is one page of the audit log.
type LogPage struct {
	// StartTime and EndTime are the window Quay searched, after its
	// defaults and the extra day it adds to the end.
	StartTime quay.Timestamp `json:"start_time"`
	EndTime   quay.Timestamp `json:"end_time"`
	// Logs are newest first, at most 20 per page.
	Logs []LogEntry `json:"logs"`
	// SearchUnavailable and Message are set by search-backed log models
	// (e.g. Splunk) that are not configured for search.
	SearchUnavailable bool   `json:"search_unavailable,omitempty"`
	Message           string `json:"message,omitempty"`
}

// LogListOptions selects the window List and All read.
type LogListOptions struct {
	// StartTime is the first day of the window (its UTC date counts;
	// Quay takes dates only). Zero leaves Quay's default: 24 hours ago.
	StartTime time.Time
	// EndTime is the last day of the window, inclusive (its UTC date
	// counts). Zero leaves Quay's default: today, in fact up to tomorrow.
	EndTime time.Time
	// NextPage is the token of the page to fetch; empty for the first page.
	NextPage string
}

// AggregateLogOptions selects the window Aggregate counts over.
type AggregateLogOptions struct {
	// StartTime and EndTime work as in LogListOptions. With Quay's
	// database log model a window over 31 days makes it answer 500.
	StartTime time.Time
	EndTime   time.Time
}

// AggregatedLog counts the entries of one kind on one day.
type AggregatedLog struct {
	Kind     string         `json:"kind"`
	Count    int            `json:"count"`
	Datetime quay.Timestamp `json:"datetime"`
}

// logPage is the body of listAllLogs.
type logPage struct {
	LogPage
	NextPage string `json:"next_page"`
}

// windowQuery renders a log window the way Quay parses it: MM/DD/YYYY, no zone
// (Quay appends " UTC" itself and silently ignores anything else).
func windowQuery(start, end time.Time) url.Values {
	q := url.Values{}
	if !start.IsZero() {
		q.Set("starttime", start.UTC().Format("01/02/2006"))
	}
	if !end.IsZero() {
		q.Set("endtime", end.UTC().Format("01/02/2006"))
	}
	return q
}

// List returns one page (up to 20 entries, newest first) of the registry-wide audit log.
//
// Response.NextPage holds the token of the next page. Quay hands out a token
// on the last non-empty page too, which then leads to an empty page without
// one. A malformed window is not an error in Quay: it silently searches its
// default window, so check the page's StartTime and EndTime.
//
// Quay operation: listAllLogs (GET /api/v1/superuser/logs)
func (s *LogsService) List(ctx context.Context, opts *LogListOptions) (LogPage, *quay.Response, error) {
	var o LogListOptions
	if opts != nil {
		o = *opts
	}
	q := windowQuery(o.StartTime, o.EndTime)
	if o.NextPage != "" {
		q.Set("next_page", o.NextPage)
	}
	var page logPage
	resp, err := send(ctx, s.client, http.MethodGet, withQuery("superuser/logs", q), nil, &page)
	if err != nil {
		return LogPage{}, resp, err
	}
	resp.NextPage = page.NextPage
	return page.LogPage, resp, nil
}

// All iterates over every audit log entry in the window, newest first.
//
// opts is copied, never changed. The walk follows Quay's tokens through the
// empty page it ends with, and stops at the first error, a *quay.PageError
// whose NextPage resumes it.
//
// Quay operation: listAllLogs (GET /api/v1/superuser/logs)
func (s *LogsService) All(ctx context.Context, opts *LogListOptions) iter.Seq2[LogEntry, error] {
	var o LogListOptions
	if opts != nil {
		o = *opts
	}
	return quay.All(ctx, o.NextPage, func(ctx context.Context, token string) ([]LogEntry, *quay.Response, error) {
		page := o
		page.NextPage = token
		p, resp, err := s.List(ctx, &page)
		return p.Logs, resp, err
	})
}

// Aggregate counts the audit log entries in a window by kind and day.
//
// Quay operation: listAllAggregateLogs (GET /api/v1/superuser/aggregatelogs)
func (s *LogsService) Aggregate(ctx context.Context, opts *AggregateLogOptions) ([]AggregatedLog, *quay.Response, error) {
	var o AggregateLogOptions
	if opts != nil {
		o = *opts
	}
	var out struct {
		Aggregated []AggregatedLog `json:"aggregated"`
	}
	resp, err := send(ctx, s.client, http.MethodGet, withQuery("superuser/aggregatelogs", windowQuery(o.StartTime, o.EndTime)), nil, &out)
	return out.Aggregated, resp, err
}
