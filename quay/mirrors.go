package quay

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// MirrorsService manages repository mirroring: a repository that Quay
// keeps in step with a repository of another registry, by pulling the tags
// that match its patterns at an interval. The routes exist only with
// FEATURE_REPO_MIRROR, and every call needs admin permission on the
// repository.
type MirrorsService service

// Mirror sync statuses, for MirrorConfig.SyncStatus.
const (
	MirrorNeverRun = "NEVER_RUN"
	MirrorSyncNow  = "SYNC_NOW" // asked for by SyncNow, not started yet
	MirrorSyncing  = "SYNCING"
	MirrorSuccess  = "SUCCESS"
	MirrorFail     = "FAIL"
	MirrorCancel   = "CANCEL" // after CancelSync
)

// mirrorDateLayout is the only sync_start_date format Quay parses
// (mirror.py _string_to_dt), always in UTC.
const mirrorDateLayout = "2006-01-02T15:04:05Z"

// MirrorConfig is a repository's mirroring configuration (Get).
type MirrorConfig struct {
	IsEnabled bool `json:"is_enabled"`
	// MirrorType is "PULL", the only kind Quay has.
	MirrorType string `json:"mirror_type"`
	// ExternalReference is "registry[:port]/namespace/repository".
	ExternalReference string `json:"external_reference"`
	// ExternalRegistryUsername is empty without credentials (Quay sends
	// null), and "(invalid. please re-enter)" when Quay cannot decrypt it.
	// Quay never returns the password.
	ExternalRegistryUsername string               `json:"external_registry_username"`
	ExternalRegistryConfig   MirrorRegistryConfig `json:"external_registry_config"`
	// SyncInterval is the time between syncs, in seconds.
	SyncInterval int64 `json:"sync_interval"`
	// SyncStartDate is when the next sync may start; SyncExpirationDate
	// when a running sync times out (zero when none runs).
	SyncStartDate        Timestamp  `json:"sync_start_date"`
	SyncExpirationDate   Timestamp  `json:"sync_expiration_date"`
	SyncRetriesRemaining int        `json:"sync_retries_remaining"`
	SyncStatus           string     `json:"sync_status"` // a Mirror status constant
	RootRule             MirrorRule `json:"root_rule"`
	// RobotUsername is the robot ("namespace+name") that pushes the
	// mirrored images; empty if it was deleted.
	RobotUsername string `json:"robot_username"`
	// SkopeoTimeoutInterval bounds one sync, in seconds.
	SkopeoTimeoutInterval int64 `json:"skopeo_timeout_interval"`
	// ArchitectureFilter lists the platforms mirrored from a manifest list;
	// empty mirrors all of them.
	ArchitectureFilter []string `json:"architecture_filter"`
}

// MirrorRule selects the tags to mirror.
type MirrorRule struct {
	// RuleKind is "tag_glob_csv", the only kind Quay has.
	RuleKind string `json:"rule_kind"`
	// RuleValue holds glob patterns such as "v3.*" or "latest".
	RuleValue []string `json:"rule_value"`
}

// MirrorRegistryConfig says how to reach the external registry. Fields
// that are not set keep Quay's defaults (TLS verified, signatures checked,
// no proxy).
type MirrorRegistryConfig struct {
	VerifyTLS      *bool        `json:"verify_tls,omitempty"`
	UnsignedImages *bool        `json:"unsigned_images,omitempty"`
	Proxy          *MirrorProxy `json:"proxy,omitempty"`
}

// MirrorProxy is the proxy environment of a sync.
type MirrorProxy struct {
	HTTPProxy  string `json:"http_proxy,omitempty"`
	HTTPSProxy string `json:"https_proxy,omitempty"`
	NoProxy    string `json:"no_proxy,omitempty"`
}

// CreateMirrorRequest is the body of Create. ExternalReference,
// TagPatterns, RobotUsername and SkopeoTimeoutInterval are required.
type CreateMirrorRequest struct {
	// ExternalReference is "registry[:port]/namespace/repository", without
	// a scheme. Quay resolves the registry's host name and refuses
	// (400) names it cannot resolve and addresses in private or reserved
	// networks, unless SSRF_ALLOWED_HOSTS lists them.
	ExternalReference        string
	ExternalRegistryUsername string
	ExternalRegistryPassword string
	ExternalRegistryConfig   *MirrorRegistryConfig
	// SyncInterval is the time between syncs, in seconds.
	SyncInterval int64
	// SyncStartDate is when the first sync may start (sent in UTC, to the
	// second); the zero time sends the Unix epoch, that is "now".
	SyncStartDate time.Time
	// TagPatterns are the glob patterns of the tags to mirror.
	TagPatterns []string
	// RobotUsername is a robot of the repository's namespace
	// ("namespace+name"); Quay gives it write permission on the repository.
	RobotUsername string
	// SkopeoTimeoutInterval bounds one sync, in seconds; at least 300.
	SkopeoTimeoutInterval int64
	// IsEnabled nil creates an enabled mirror.
	IsEnabled *bool
	// ArchitectureFilter mirrors only these platforms (amd64, arm64,
	// ppc64le, s390x) of manifest lists; Quay refuses it without
	// FEATURE_SPARSE_INDEX.
	ArchitectureFilter []string
}

// MarshalJSON builds Quay's CreateMirrorConfig body: the rule as root_rule
// and the start date in the one format Quay reads.
func (r CreateMirrorRequest) MarshalJSON() ([]byte, error) {
	patterns := r.TagPatterns
	if patterns == nil {
		patterns = []string{}
	}
	return json.Marshal(struct {
		IsEnabled                *bool                 `json:"is_enabled,omitempty"`
		ExternalReference        string                `json:"external_reference"`
		ExternalRegistryUsername string                `json:"external_registry_username,omitempty"`
		ExternalRegistryPassword string                `json:"external_registry_password,omitempty"`
		ExternalRegistryConfig   *MirrorRegistryConfig `json:"external_registry_config,omitempty"`
		SyncInterval             int64                 `json:"sync_interval"`
		SyncStartDate            string                `json:"sync_start_date"`
		RootRule                 MirrorRule            `json:"root_rule"`
		RobotUsername            string                `json:"robot_username"`
		SkopeoTimeoutInterval    int64                 `json:"skopeo_timeout_interval"`
		ArchitectureFilter       []string              `json:"architecture_filter,omitempty"`
	}{
		r.IsEnabled, r.ExternalReference, r.ExternalRegistryUsername, r.ExternalRegistryPassword,
		r.ExternalRegistryConfig, r.SyncInterval, mirrorDate(r.SyncStartDate),
		MirrorRule{RuleKind: "tag_glob_csv", RuleValue: patterns},
		r.RobotUsername, r.SkopeoTimeoutInterval, r.ArchitectureFilter,
	})
}

// mirrorDate formats t the way Quay parses sync_start_date.
func mirrorDate(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(mirrorDateLayout)
}

// UpdateMirrorRequest is the body of Update: only the fields set change.
type UpdateMirrorRequest struct {
	IsEnabled         *bool
	ExternalReference string
	// ExternalRegistryUsername alone changes the username; with
	// ExternalRegistryPassword it changes both. Quay refuses a password
	// without a username.
	ExternalRegistryUsername *string
	ExternalRegistryPassword *string
	// ClearCredentials removes the username and the password.
	ClearCredentials bool
	// ExternalRegistryConfig changes the fields it sets. Quay drops the
	// first proxy setting sent to a mirror that had no proxy yet (its
	// change_external_registry_config only creates the proxy object then);
	// send it again to store it.
	ExternalRegistryConfig *MirrorRegistryConfig
	SyncInterval           *int64
	// SyncStartDate is sent in UTC, to the second; zero leaves it.
	SyncStartDate time.Time
	// TagPatterns replaces the patterns; nil leaves them.
	TagPatterns []string
	// RobotUsername changes the robot, giving it write permission.
	RobotUsername string
	// SkopeoTimeoutInterval, at least 300; zero leaves it.
	SkopeoTimeoutInterval int64
	// ArchitectureFilter replaces the platform filter; nil leaves it, an
	// empty non-nil slice clears it.
	ArchitectureFilter []string
}

// MarshalJSON sends only the fields set, in Quay's UpdateMirrorConfig shape.
func (r UpdateMirrorRequest) MarshalJSON() ([]byte, error) {
	if r.ClearCredentials && (r.ExternalRegistryUsername != nil || r.ExternalRegistryPassword != nil) {
		return nil, errors.New("quay: UpdateMirrorRequest: ClearCredentials with a username or password")
	}
	body := map[string]any{}
	if r.IsEnabled != nil {
		body["is_enabled"] = *r.IsEnabled
	}
	if r.ExternalReference != "" {
		body["external_reference"] = r.ExternalReference
	}
	if r.ClearCredentials {
		body["external_registry_username"] = nil
		body["external_registry_password"] = nil
	}
	if r.ExternalRegistryUsername != nil {
		body["external_registry_username"] = *r.ExternalRegistryUsername
	}
	if r.ExternalRegistryPassword != nil {
		body["external_registry_password"] = *r.ExternalRegistryPassword
	}
	if r.ExternalRegistryConfig != nil {
		body["external_registry_config"] = r.ExternalRegistryConfig
	}
	if r.SyncInterval != nil {
		body["sync_interval"] = *r.SyncInterval
	}
	if !r.SyncStartDate.IsZero() {
		body["sync_start_date"] = mirrorDate(r.SyncStartDate)
	}
	if r.TagPatterns != nil {
		body["root_rule"] = MirrorRule{RuleKind: "tag_glob_csv", RuleValue: r.TagPatterns}
	}
	if r.RobotUsername != "" {
		body["robot_username"] = r.RobotUsername
	}
	if r.SkopeoTimeoutInterval != 0 {
		body["skopeo_timeout_interval"] = r.SkopeoTimeoutInterval
	}
	if r.ArchitectureFilter != nil {
		body["architecture_filter"] = r.ArchitectureFilter
	}
	return json.Marshal(body)
}

// Get returns a repository's mirroring configuration.
//
// Quay answers 404 for a repository without one.
//
// Quay operation: getRepoMirrorConfig (GET /api/v1/repository/{repository}/mirror)
func (s *MirrorsService) Get(ctx context.Context, namespace, repository string) (MirrorConfig, *Response, error) {
	path, err := repoPath(namespace, repository, "/mirror")
	if err != nil {
		return MirrorConfig{}, nil, err
	}
	var m MirrorConfig
	resp, err := s.client.call(ctx, http.MethodGet, path, nil, &m)
	return m, resp, err
}

// Create makes a repository a mirror of an external repository.
//
// Quay answers 201 with the JSON string "" (discarded), puts the
// repository in state MIRROR (only the mirror robot may push to it then),
// and answers 409 with only {"detail": ...} when the repository is a
// mirror already. Without a robot Quay fails with a 500 after storing the
// tag rule, so Create refuses an empty RobotUsername before sending.
//
// Quay operation: createRepoMirrorConfig (POST /api/v1/repository/{repository}/mirror)
func (s *MirrorsService) Create(ctx context.Context, namespace, repository string, body CreateMirrorRequest) (*Response, error) {
	if body.RobotUsername == "" {
		return nil, errors.New("quay: CreateMirrorRequest needs a RobotUsername")
	}
	path, err := repoPath(namespace, repository, "/mirror")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, body, nil)
}

// Update changes a repository's mirroring configuration.
//
// Quay answers 201 with the JSON string "" (discarded). Its refusals are
// 400s with only {"detail": ...} (a bad date, a timeout under 300 s, a
// password without a username) or {"message": ...} (a robot of another
// namespace, "Invalid robot"; an unknown one). It applies the changes one
// after the other, so a refusal late in the list leaves the earlier ones
// in place. A TagPatterns change goes to the repository's first tag
// rule: after a Create that Quay refused once it had stored its rule (an
// unknown robot, one of another namespace), that is the refused call's
// rule, so the mirror keeps its patterns although Quay answers 201.
//
// Quay operation: changeRepoMirrorConfig (PUT /api/v1/repository/{repository}/mirror)
func (s *MirrorsService) Update(ctx context.Context, namespace, repository string, body UpdateMirrorRequest) (*Response, error) {
	path, err := repoPath(namespace, repository, "/mirror")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPut, path, body, nil)
}

// SyncNow asks for a sync as soon as a mirror worker is free: the status
// becomes SYNC_NOW, with at least one retry.
//
// Quay answers 204, even for a disabled mirror, and 404 while a sync runs
// (SYNCING) or when the repository has no mirror.
//
// Quay operation: syncNow (POST /api/v1/repository/{repository}/mirror/sync-now)
func (s *MirrorsService) SyncNow(ctx context.Context, namespace, repository string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/mirror/sync-now")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, nil, nil)
}

// CancelSync cancels a running or requested sync: the status becomes
// CANCEL and no retries remain.
//
// Quay answers 204, and 404 when no sync is running or requested.
//
// Quay operation: syncCancel (POST /api/v1/repository/{repository}/mirror/sync-cancel)
func (s *MirrorsService) CancelSync(ctx context.Context, namespace, repository string) (*Response, error) {
	path, err := repoPath(namespace, repository, "/mirror/sync-cancel")
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, http.MethodPost, path, nil, nil)
}
