package fakequay

import "github.com/quaykit/go-quay/fakequay/internal/py"

// JSON views of app tokens, global messages and the system endpoints
// (reference §3), in Quay's key order (see wire.go).

// appTokenView is Quay's _token_view. Dates are RFC 2822 "-0000" or null.
type appTokenView struct {
	UUID         string  `json:"uuid"`
	Title        string  `json:"title"`
	LastAccessed *string `json:"last_accessed"`
	Created      *string `json:"created"`
	Expiration   *string `json:"expiration"`
}

// appTokenListView is listAllAppTokens' answer; OnlyExpiring echoes the
// parsed expiring parameter, null when it was not given.
type appTokenListView struct {
	Tokens       []appTokenView `json:"tokens"`
	OnlyExpiring *bool          `json:"only_expiring"`
}

// globalMessageView is GlobalMessage.to_dict.
type globalMessageView struct {
	UUID      string `json:"uuid"`
	Content   string `json:"content"`
	Severity  string `json:"severity"`
	MediaType string `json:"media_type"`
}

type globalMessageListView struct {
	Messages []globalMessageView `json:"messages"`
}

type changelogView struct {
	Log string `json:"log"`
}

// registryStatusView is scRegistryStatus' answer: provider_id appears only
// when setup is complete.
type registryStatusView struct {
	ProviderID string `json:"provider_id,omitempty"`
	Status     string `json:"status"`
}

// configDumpView is the config dump's answer. Config and Warning keep
// app.config's order (see configDump).
type configDumpView struct {
	Config  *py.Object        `json:"config"`
	Warning *py.Object        `json:"warning"`
	Env     map[string]string `json:"env"`
	Schema  configSchemaView  `json:"schema"`
}

// configSchemaView is a JSON schema of the configuration keys, in the shape
// and key order of Quay's CONFIG_SCHEMA.
type configSchemaView struct {
	Type        string                    `json:"type"`
	Description string                    `json:"description"`
	Required    []string                  `json:"required"`
	Properties  map[string]configProperty `json:"properties"`
}

// configProperty describes one key; Type is a JSON-schema type name or a
// list of them.
type configProperty struct {
	Type        any    `json:"type"`
	Description string `json:"description"`
}

// mirrorHealthView is get_mirror_health_data's summary.
type mirrorHealthView struct {
	Healthy      bool              `json:"healthy"`
	Workers      mirrorWorkersView `json:"workers"`
	Repositories mirrorCountsView  `json:"repositories"`
	TagsPending  int64             `json:"tags_pending"`
	LastCheck    string            `json:"last_check"`
	Issues       []mirrorIssueView `json:"issues"`
}

type mirrorWorkersView struct {
	Active     int64  `json:"active"`
	Configured int64  `json:"configured"`
	Status     string `json:"status"`
}

type mirrorCountsView struct {
	Total     int64 `json:"total"`
	Syncing   int64 `json:"syncing"`
	Completed int64 `json:"completed"`
	Failed    int64 `json:"failed"`
	NeverRun  int64 `json:"never_run"`
}

type mirrorIssueView struct {
	Severity  string `json:"severity"`
	Message   string `json:"message"`
	Timestamp string `json:"timestamp"`
}

// capabilitiesView is getRegistryCapabilities' answer.
type capabilitiesView struct {
	SparseManifests     sparseManifestsView `json:"sparse_manifests"`
	MirrorArchitectures []string            `json:"mirror_architectures"`
}

type sparseManifestsView struct {
	Supported                    bool     `json:"supported"`
	RequiredArchitectures        []string `json:"required_architectures"`
	OptionalArchitecturesAllowed bool     `json:"optional_architectures_allowed"`
}
