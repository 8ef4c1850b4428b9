package fakequay

import (
	"encoding/json"

	"github.com/quaykit/go-quay/fakequay/internal/avatar"
)

// JSON views of audit logs and builds (reference §1.9, §2.4, §2.15–§2.17,
// §3), in Quay's key order. See wire.go for the conventions.

// logsPageView is listAllLogs' answer.
type logsPageView struct {
	StartTime string    `json:"start_time"`
	EndTime   string    `json:"end_time"`
	Logs      []logView `json:"logs"`
	NextPage  string    `json:"next_page,omitempty"`
}

// logView is Log.to_dict with include_namespace=True. Performer and
// namespace are present only when the row they name still exists.
type logView struct {
	Kind      string            `json:"kind"`
	Metadata  json.RawMessage   `json:"metadata"`
	IP        *string           `json:"ip"`
	Datetime  string            `json:"datetime"`
	Performer *logPerformerView `json:"performer,omitempty"`
	Namespace *logNamespaceView `json:"namespace,omitempty"`
}

type logPerformerView struct {
	Kind    string        `json:"kind"`
	Name    string        `json:"name"`
	IsRobot bool          `json:"is_robot"`
	Avatar  avatar.Avatar `json:"avatar"`
}

type logNamespaceView struct {
	Kind   string        `json:"kind"`
	Name   string        `json:"name"`
	Avatar avatar.Avatar `json:"avatar"`
}

// aggregatedLogsView is listAllAggregateLogs' answer.
type aggregatedLogsView struct {
	Aggregated []aggregatedLogView `json:"aggregated"`
}

// aggregatedLogView is AggregatedLogCount.to_dict.
type aggregatedLogView struct {
	Kind     string `json:"kind"`
	Count    int64  `json:"count"`
	Datetime string `json:"datetime"`
}

// buildView is the superuser build view (superuser_models_interface
// RepositoryBuild.to_dict). Subdirectory, DockerfilePath, Context, Tags,
// ManualUser and TriggerMetadata always hold the defaults Quay shows for
// an empty job config (see call.buildView).
type buildView struct {
	ID             string   `json:"id"`
	Phase          string   `json:"phase"`
	Started        string   `json:"started"`
	DisplayName    string   `json:"display_name"`
	Status         struct{} `json:"status"` // Quay's Redis status, never written by its build manager
	Subdirectory   string   `json:"subdirectory"`
	DockerfilePath string   `json:"dockerfile_path"`
	Context        string   `json:"context"`
	Tags           []string `json:"tags"`
	ManualUser     *string  `json:"manual_user"`
	IsWriter       bool     `json:"is_writer"`
	// Trigger and PullRobot are always null: fakequay models neither build
	// triggers nor robots.
	Trigger         *struct{}           `json:"trigger"`
	TriggerMetadata *struct{}           `json:"trigger_metadata"`
	ResourceKey     *string             `json:"resource_key"`
	PullRobot       *struct{}           `json:"pull_robot"`
	Repository      buildRepositoryView `json:"repository"`
	Error           *string             `json:"error"`
	ArchiveURL      string              `json:"archive_url,omitempty"`
}

type buildRepositoryView struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// buildLogsView is getRepoBuildLogsSuperUser's answer for live logs, and
// the content of an archived log file.
type buildLogsView struct {
	Start int64          `json:"start"`
	Total int            `json:"total"`
	Logs  []buildLogView `json:"logs"`
}

// buildLogView is one build log entry as the build manager stored it.
type buildLogView struct {
	Message string          `json:"message"`
	Type    string          `json:"type,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// buildLogsURLView is getRepoBuildLogsSuperUser's answer once the logs are
// archived.
type buildLogsURLView struct {
	LogsURL string `json:"logs_url"`
}
