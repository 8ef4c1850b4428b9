package superuser_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// logsPage1 is the page of listAllLogs.json (§2.4 example).
var logsPage1 = superuser.LogPage{
	StartTime: ts(2025, time.February, 3, 0, 0, 0),
	EndTime:   ts(2025, time.February, 5, 0, 0, 0),
	Logs: []superuser.LogEntry{
		{
			Kind: "user_create",
			Metadata: map[string]any{
				"email": "newbie@example.com", "username": "newbie", "superuser": "admin",
				"oauth_token_id": 7.0, "oauth_token_application_id": "5V8OJ2ZQ1KXG3Y0L7M9N", "oauth_token_application": "automation",
			},
			IP:        "10.0.0.5",
			Datetime:  ts(2025, time.February, 4, 13, 45, 10),
			Performer: &superuser.LogPerformer{Kind: "user", Name: "admin", Avatar: adminAvatar},
			Namespace: &superuser.LogNamespace{Kind: "user", Name: "newbie", Avatar: superuser.Avatar{
				Name: "newbie", Hash: "3c1a6ba23ca4ae68a7cd0b3cb5a8e7d0d4cbea9c7a2f1e6a58f4cbf1d9b3a7e2", Color: "#31a354", Kind: "user",
			}},
		},
		{Kind: "pull_repo", Metadata: map[string]any{}, Datetime: ts(2025, time.February, 4, 12, 0, 0)},
	},
}

func TestLogs(t *testing.T) {
	t.Parallel()
	// 23:30 at UTC-5 is already the next day in UTC: Quay takes UTC dates.
	est := time.FixedZone("EST", -5*3600)
	start := time.Date(2025, time.February, 2, 23, 30, 0, 0, est)
	end := time.Date(2025, time.February, 4, 9, 0, 0, 0, time.UTC)
	runCalls(t, []call{
		{
			name: "List window and token", method: "GET", path: "/superuser/logs",
			query:  url.Values{"starttime": {"02/03/2025"}, "endtime": {"02/04/2025"}, "next_page": {"tok"}},
			status: 200, file: "listAllLogs.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				page, resp, err := su.Logs.List(ctx, &superuser.LogListOptions{StartTime: start, EndTime: end, NextPage: "tok"})
				if err == nil && resp.NextPage != "gAAAAABrCm1qPEw5NKSSAJ2LkIQulaknfvQvb-g6CQff_Hk1Etp--bouuLICZOnwD-0I1YFBXsdZFhhn9KV23ZF6cG9KZNY5bg==" {
					t.Errorf("NextPage = %q, want the body's next_page", resp.NextPage)
				}
				return page, resp, err
			},
			want: logsPage1,
		},
		{
			name: "List defaults", method: "GET", path: "/superuser/logs", status: 200, file: "listAllLogs-empty.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Logs.List(ctx, nil)
			},
			want: superuser.LogPage{StartTime: logsPage1.StartTime, EndTime: logsPage1.EndTime, Logs: []superuser.LogEntry{}},
		},
		{
			name: "Aggregate", method: "GET", path: "/superuser/aggregatelogs",
			query: url.Values{"starttime": {"02/03/2025"}, "endtime": {"02/04/2025"}}, status: 200, file: "listAllAggregateLogs.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Logs.Aggregate(ctx, &superuser.AggregateLogOptions{StartTime: start, EndTime: end})
			},
			want: []superuser.AggregatedLog{
				{Kind: "push_repo", Count: 12, Datetime: ts(2025, time.February, 4, 0, 0, 0)},
				{Kind: "user_create", Count: 1, Datetime: ts(2025, time.February, 3, 0, 0, 0)},
			},
		},
	})
}

// TestLogsAllEndsOnEmptyPage follows Quay's quirk (§2.4): the last page with
// entries still carries a token, which leads to an empty page without one.
func TestLogsAllEndsOnEmptyPage(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t)
	var tokens []string
	mux.HandleFunc("GET /superuser/logs", func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("next_page")
		tokens = append(tokens, tok)
		if got := r.URL.Query().Get("starttime"); got != "01/31/2025" {
			t.Errorf("starttime = %q on page %q, want the caller's window on every page", got, tok)
		}
		switch tok {
		case "":
			apitest.WriteFile(t, w, http.StatusOK, "listAllLogs.json")
		default:
			apitest.WriteFile(t, w, http.StatusOK, "listAllLogs-empty.json")
		}
	})
	opts := &superuser.LogListOptions{StartTime: time.Date(2025, time.January, 31, 0, 0, 0, 0, time.UTC)}
	before := *opts
	var kinds []string
	for entry, err := range superuser.New(c).Logs.All(t.Context(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, entry.Kind)
	}
	if diff := cmp.Diff([]string{"user_create", "pull_repo"}, kinds); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	wantTokens := []string{"", "gAAAAABrCm1qPEw5NKSSAJ2LkIQulaknfvQvb-g6CQff_Hk1Etp--bouuLICZOnwD-0I1YFBXsdZFhhn9KV23ZF6cG9KZNY5bg=="}
	if diff := cmp.Diff(wantTokens, tokens); diff != "" {
		t.Errorf("tokens requested (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, *opts); diff != "" {
		t.Errorf("All changed the caller's options (-before +after):\n%s", diff)
	}
}

func TestLogsAllError(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t)
	mux.HandleFunc("GET /superuser/logs", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("next_page") == "" {
			apitest.WriteFile(t, w, http.StatusOK, "listAllLogs.json")
			return
		}
		apitest.WriteJSON(w, http.StatusBadRequest, []byte(`{"message": {"page": "The page number for the logs"}}`))
	})
	n := 0
	var err error
	for _, err = range superuser.New(c).Logs.All(t.Context(), nil) {
		if err != nil {
			break
		}
		n++
	}
	var pe *quay.PageError
	if !errors.As(err, &pe) || pe.NextPage == "" || !errors.Is(err, quay.ErrBadRequest) || n != 2 {
		t.Errorf("after %d entries, error = %v; want 2 entries then a PageError with the token", n, err)
	}
}
