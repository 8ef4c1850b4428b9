package superuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

func TestSystem(t *testing.T) {
	t.Parallel()
	lastCheck := quay.Timestamp{Time: time.Date(2025, time.February, 4, 13, 45, 10, 412345000, time.UTC)}
	runCalls(t, []call{
		{
			name: "ChangeLog", method: "GET", path: "/superuser/changelog/", status: 200, file: "getChangeLog.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.System.ChangeLog(ctx)
			},
			want: "## v3.15.0\n\n- Fixed things.\n",
		},
		{
			name: "Config", method: "GET", path: "/superuser/config", status: 200, file: "configDump.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.System.Config(ctx)
			},
			want: superuser.ConfigDump{
				Config: map[string]json.RawMessage{
					"SERVER_HOSTNAME": json.RawMessage(`"quay.example.com"`), "FEATURE_MAILING": json.RawMessage(`false`),
					"DB_URI": json.RawMessage(`"********** (44)"`), "SUPER_USERS": json.RawMessage(`["admin"]`),
					"DEFAULT_TAG_EXPIRATION": json.RawMessage(`"2w"`),
				},
				Warning: map[string]json.RawMessage{"SOME_UNKNOWN_KEY": json.RawMessage(`42`)},
				Env:     map[string]string{"PATH": "/usr/bin", "PYTHONPATH": "/quay-registry"},
				Schema:  json.RawMessage(`{"type": "object", "properties": {"SERVER_HOSTNAME": {"type": "string"}}}`),
			},
		},
		{
			name: "MirrorHealth healthy (200)", method: "GET", path: "/superuser/mirror/health", status: 200, file: "getSuperUserRepositoryMirrorHealth.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.System.MirrorHealth(ctx)
			},
			want: superuser.MirrorHealth{
				Healthy:      true,
				Workers:      superuser.MirrorWorkers{Active: 2, Configured: 2, Status: "healthy"},
				Repositories: superuser.MirrorRepositories{Total: 10, Syncing: 1, Completed: 9},
				LastCheck:    lastCheck,
				Issues:       []superuser.MirrorIssue{},
			},
		},
		{
			name: "MirrorHealth degraded (503) is an answer", method: "GET", path: "/superuser/mirror/health", status: 503,
			file: "getSuperUserRepositoryMirrorHealth-degraded.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.System.MirrorHealth(ctx)
			},
			want: superuser.MirrorHealth{
				Workers:      superuser.MirrorWorkers{Active: 1, Configured: 2, Status: "degraded"},
				Repositories: superuser.MirrorRepositories{Total: 10, Completed: 5, Failed: 5},
				TagsPending:  3,
				LastCheck:    lastCheck,
				Issues: []superuser.MirrorIssue{
					{Severity: "critical", Message: "50.0% of repositories are failing (threshold: 20.0%)", Timestamp: lastCheck},
					{Severity: "error", Message: "Repository acme/web has exhausted all retry attempts", Timestamp: lastCheck},
				},
			},
		},
	})
}

// TestMirrorHealthDegradedNotRetried: a degraded mirror is a state, not a
// transient failure; even with retries on, MirrorHealth asks once.
func TestMirrorHealthDegradedNotRetried(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t, quay.WithRetry(quay.DefaultRetryPolicy))
	var hits atomic.Int32
	mux.HandleFunc("GET /superuser/mirror/health", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		apitest.WriteFile(t, w, http.StatusServiceUnavailable, "getSuperUserRepositoryMirrorHealth-degraded.json")
	})
	h, _, err := superuser.New(c).System.MirrorHealth(t.Context())
	if err != nil || h.Healthy || hits.Load() != 1 {
		t.Errorf("MirrorHealth = healthy %v, %v after %d requests; want degraded, nil, 1", h.Healthy, err, hits.Load())
	}
}

// TestMirrorHealthProxyPage: a 503 that is not Quay's health summary stays an error.
func TestMirrorHealthProxyPage(t *testing.T) {
	t.Parallel()
	c, mux := apitest.Setup(t)
	mux.HandleFunc("GET /superuser/mirror/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("<html><head><title>503 Service Temporarily Unavailable</title></head></html>"))
	})
	_, resp, err := superuser.New(c).System.MirrorHealth(t.Context())
	var qe *quay.Error
	if !errors.As(err, &qe) || qe.StatusCode != http.StatusServiceUnavailable || resp == nil {
		t.Errorf("MirrorHealth error = %v, want a *quay.Error 503 with the response", err)
	}
}
