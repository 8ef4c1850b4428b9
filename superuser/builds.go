package superuser

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/quaykit/go-quay/quay"
)

// BuildsService reads any repository build by its UUID.
type BuildsService service

// Build is Quay's superuser view of a repository build (reference §1.9).
type Build struct {
	ID string `json:"id"` // the build UUID
	// Phase is one of error, internalerror, build-scheduled, unpacking,
	// pulling, building, pushing, waiting, complete, cancelled, or the
	// synthetic cannot_load and expired.
	Phase string `json:"phase"`
	// Started is nil before the build started.
	Started     *quay.Timestamp `json:"started"`
	DisplayName string          `json:"display_name"`
	// Status is the build manager's live status for running phases, else empty.
	Status map[string]any `json:"status"`
	// Subdirectory, DockerfilePath, Context, Tags, ManualUser and
	// TriggerMetadata come from the build's job config, which Quay's
	// superuser views fail to read (superuser_models_pre_oci.py passes the
	// job-config string where the build is expected): Quay answers "", [],
	// null and null for every build. The fields are kept for a Quay that
	// fixes this; Subdirectory and DockerfilePath both hold the build
	// subdirectory, and ManualUser is who started the build by hand.
	Subdirectory   string   `json:"subdirectory"`
	DockerfilePath string   `json:"dockerfile_path"`
	Context        string   `json:"context"`
	Tags           []string `json:"tags"`
	ManualUser     *string  `json:"manual_user"`
	// IsWriter and ArchiveURL depend on the caller's own repository
	// permissions: a superuser has them only as a repository member or with
	// FEATURE_SUPERUSERS_FULL_ACCESS. ArchiveURL is the uploaded build
	// context's URL (the job config's archive_url is never shown, see above).
	IsWriter bool `json:"is_writer"`
	// Trigger is nil for builds not started by a trigger.
	Trigger         *BuildTrigger  `json:"trigger"`
	TriggerMetadata map[string]any `json:"trigger_metadata"`
	ResourceKey     *string        `json:"resource_key"`
	PullRobot       *PullRobot     `json:"pull_robot"`
	Repository      BuildRepo      `json:"repository"`
	// Error is the failure message; nil unless the build failed.
	Error      *string `json:"error"`
	ArchiveURL string  `json:"archive_url,omitempty"`
}

// BuildTrigger is the trigger that started a build.
type BuildTrigger struct {
	ID       string `json:"id"`
	Service  string `json:"service"` // e.g. "github", "custom-git"
	IsActive bool   `json:"is_active"`
	// BuildSource and RepositoryURL are nil unless the caller can read the
	// repository.
	BuildSource   *string `json:"build_source"`
	RepositoryURL *string `json:"repository_url"`
	// Config is empty unless the caller administers the repository.
	Config    map[string]any `json:"config"`
	CanInvoke bool           `json:"can_invoke"`
	PullRobot *PullRobot     `json:"pull_robot,omitempty"`
}

// PullRobot is the robot a build pulls its base images with.
type PullRobot struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"` // always "user"
	IsRobot bool   `json:"is_robot"`
}

// BuildRepo names the repository a build belongs to.
type BuildRepo struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// BuildLogs is the log of a build, in one of two forms: the entries
// themselves (Start, Total, Logs), or, once Quay has archived them, only
// LogsURL, a signed storage URL to fetch them from.
type BuildLogs struct {
	Start int             `json:"start"`
	Total int             `json:"total"` // entries the build has in all
	Logs  []BuildLogEntry `json:"logs"`
	// LogsURL is set instead of the entries when the logs are archived.
	LogsURL string `json:"logs_url,omitempty"`
}

// BuildLogEntry is one line of a build log.
type BuildLogEntry struct {
	Message string `json:"message"`
	// Type is "phase", "command", "error" or empty.
	Type string `json:"type,omitempty"`
	// Data holds extra fields; the build manager puts "datetime" there, as
	// Python's str(datetime) ("2025-02-04 13:45:10.412345", local time of
	// the builder).
	Data map[string]any `json:"data,omitempty"`
}

// BuildLogOptions selects the part of the log that Logs returns.
type BuildLogOptions struct {
	// Start is the index of the first entry to return (0: from the start).
	Start int
}

// buildPath is the path of one of a build's superuser routes.
func buildPath(uuid, leaf string) (string, error) {
	return pathf("superuser/%s/"+leaf, uuid)
}

// Get returns the build with id uuid.
//
// Quay answers 404 for an unknown build.
//
// Quay operation: getRepoBuildSuperUser (GET /api/v1/superuser/{build_uuid}/build)
func (s *BuildsService) Get(ctx context.Context, uuid string) (Build, *quay.Response, error) {
	return s.build(ctx, uuid, "build")
}

// Status returns the build with id uuid, like Get.
//
// Unlike Get, Quay answers an unknown build with 400 invalid_response
// ("Unable to locate a build by id: ..."), not 404.
//
// Quay operation: getRepoBuildStatusSuperUser (GET /api/v1/superuser/{build_uuid}/status)
func (s *BuildsService) Status(ctx context.Context, uuid string) (Build, *quay.Response, error) {
	return s.build(ctx, uuid, "status")
}

func (s *BuildsService) build(ctx context.Context, uuid, leaf string) (Build, *quay.Response, error) {
	path, err := buildPath(uuid, leaf)
	if err != nil {
		return Build{}, nil, err
	}
	var b Build
	resp, err := send(ctx, s.client, http.MethodGet, path, nil, &b)
	return b, resp, err
}

// Logs returns a build's log entries from opts.Start on, or the URL of its archived log.
//
// Quay answers an unknown build with 400 invalid_response, not 404.
//
// Quay operation: getRepoBuildLogsSuperUser (GET /api/v1/superuser/{build_uuid}/logs)
func (s *BuildsService) Logs(ctx context.Context, uuid string, opts *BuildLogOptions) (BuildLogs, *quay.Response, error) {
	path, err := buildPath(uuid, "logs")
	if err != nil {
		return BuildLogs{}, nil, err
	}
	q := url.Values{}
	if opts != nil {
		if opts.Start < 0 {
			return BuildLogs{}, nil, errors.New("superuser: BuildLogOptions.Start must not be negative")
		}
		if opts.Start > 0 {
			q.Set("start", strconv.Itoa(opts.Start))
		}
	}
	var l BuildLogs
	resp, err := send(ctx, s.client, http.MethodGet, withQuery(path, q), nil, &l)
	return l, resp, err
}

// ArchivedLogs returns a build's archived log, which Quay streams from storage.
//
// Quay answers 400 invalid_response for an unknown build and, with "Archived
// logs not available", for a build whose log is not archived.
//
// Quay operation: getRepoBuildLogsArchiveSuperUser (GET /api/v1/superuser/{build_uuid}/logs/archive)
func (s *BuildsService) ArchivedLogs(ctx context.Context, uuid string) (BuildLogs, *quay.Response, error) {
	path, err := buildPath(uuid, "logs/archive")
	if err != nil {
		return BuildLogs{}, nil, err
	}
	var l BuildLogs
	resp, err := send(ctx, s.client, http.MethodGet, path, nil, &l)
	return l, resp, err
}
