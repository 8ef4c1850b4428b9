package superuser

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/quaykit/go-quay/quay"
)

// SystemService reads Quay's change log, configuration and mirror health.
type SystemService service

// ConfigDump is Quay's running configuration as the config dump shows it.
// Quay masks secret-looking values as asterisks followed by the length,
// e.g. "********** (44)".
type ConfigDump struct {
	// Config holds the keys Quay's config schema knows, Warning the others.
	// Values are kept as raw JSON; unmarshal the ones you need.
	Config  map[string]json.RawMessage `json:"config"`
	Warning map[string]json.RawMessage `json:"warning"`
	// Env is the Quay process's environment.
	Env map[string]string `json:"env"`
	// Schema is Quay's config JSON schema.
	Schema json.RawMessage `json:"schema"`
}

// MirrorHealth summarises repository mirroring across the registry.
type MirrorHealth struct {
	// Healthy is false when over 20% of the mirrors that ran are failing or
	// mirror workers are missing.
	Healthy      bool               `json:"healthy"`
	Workers      MirrorWorkers      `json:"workers"`
	Repositories MirrorRepositories `json:"repositories"`
	// TagsPending is a metric total; Quay sends it as a float when it is not whole.
	TagsPending float64        `json:"tags_pending"`
	LastCheck   quay.Timestamp `json:"last_check"`
	Issues      []MirrorIssue  `json:"issues"`
}

// MirrorWorkers counts the mirror workers.
type MirrorWorkers struct {
	Active     int    `json:"active"`
	Configured int    `json:"configured"`
	Status     string `json:"status"` // "healthy" or "degraded"
}

// MirrorRepositories counts the enabled mirror configurations by state.
type MirrorRepositories struct {
	Total     int `json:"total"`
	Syncing   int `json:"syncing"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
	NeverRun  int `json:"never_run"`
}

// MirrorIssue is one problem the health check found.
type MirrorIssue struct {
	Severity  string         `json:"severity"` // "critical", "error" or "warning"
	Message   string         `json:"message"`
	Timestamp quay.Timestamp `json:"timestamp"`
}

// ChangeLog returns the text of the CHANGELOG.md Quay ships with.
//
// Quay operation: getChangeLog (GET /api/v1/superuser/changelog/)
func (s *SystemService) ChangeLog(ctx context.Context) (string, *quay.Response, error) {
	var out struct {
		Log string `json:"log"`
	}
	resp, err := send(ctx, s.client, http.MethodGet, "superuser/changelog/", nil, &out)
	return out.Log, resp, err
}

// Config returns Quay's running configuration and environment.
//
// Quay answers 403, even to superusers, unless FEATURE_SUPERUSER_CONFIGDUMP
// is on. The route has no operation name and is absent from Quay's API
// discovery document.
//
// Quay operation: (none) (GET /api/v1/superuser/config)
func (s *SystemService) Config(ctx context.Context) (ConfigDump, *quay.Response, error) {
	var dump ConfigDump
	resp, err := send(ctx, s.client, http.MethodGet, "superuser/config", nil, &dump)
	return dump, resp, err
}

// MirrorHealth returns the registry-wide health of repository mirroring.
//
// Quay answers 200 when mirroring is healthy and 503 with the same body when
// it is degraded. Both are answers, not errors: MirrorHealth decodes the 503
// body, returns a nil error and does not retry; check Healthy (and
// Response.StatusCode if you need the status). A 503 whose body is not a
// health summary (a proxy's page, say) is returned as a *quay.Error. The
// route exists only with FEATURE_REPO_MIRROR.
//
// Quay operation: getSuperUserRepositoryMirrorHealth (GET /api/v1/superuser/mirror/health)
func (s *SystemService) MirrorHealth(ctx context.Context) (MirrorHealth, *quay.Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodGet, "superuser/mirror/health", nil)
	if err != nil {
		return MirrorHealth{}, nil, err
	}
	var h MirrorHealth
	resp, err := s.client.DoAccepting(req, &h, http.StatusServiceUnavailable)
	return h, resp, err
}
