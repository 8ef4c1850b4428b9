package fakequay

import (
	"encoding/json"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// mirrorConfigView is RepoMirrorResource.get's answer (ViewMirrorConfig),
// in Quay's key order.
type mirrorConfigView struct {
	IsEnabled              bool            `json:"is_enabled"`
	MirrorType             string          `json:"mirror_type"`
	ExternalReference      string          `json:"external_reference"`
	ExternalRegistryUser   *string         `json:"external_registry_username"`
	ExternalRegistryConfig json.RawMessage `json:"external_registry_config"`
	SyncInterval           int64           `json:"sync_interval"`
	SyncStartDate          *string         `json:"sync_start_date"`
	SyncExpirationDate     *string         `json:"sync_expiration_date"`
	SyncRetriesRemaining   int64           `json:"sync_retries_remaining"`
	SyncStatus             string          `json:"sync_status"`
	RootRule               mirrorRuleView  `json:"root_rule"`
	RobotUsername          *string         `json:"robot_username"`
	SkopeoTimeoutInterval  int64           `json:"skopeo_timeout_interval"`
	ArchitectureFilter     []string        `json:"architecture_filter"`
}

// mirrorRuleView is the root rule as get shows it: always tag_glob_csv.
type mirrorRuleView struct {
	RuleKind  string   `json:"rule_kind"`
	RuleValue []string `json:"rule_value"`
}

// detailView is the {"detail": ...} dict mirror.py returns with a status
// for its own refusals, without the ApiError keys.
type detailView struct {
	Detail string `json:"detail"`
}

// mirrorDate is RepoMirrorResource._dt_to_string: isoformat() of the naive
// UTC datetime (microseconds only when not zero), then "Z".
func mirrorDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	u := t.UTC()
	layout := "2006-01-02T15:04:05"
	if u.Nanosecond()/1000 != 0 {
		layout += ".000000"
	}
	s := u.Format(layout) + "Z"
	return &s
}

// mirrorConfigOf builds get's view of m; robot is the mirror robot's full
// name ("" when it has none).
func mirrorConfigOf(m *store.RepoMirror, robot string) mirrorConfigView {
	v := mirrorConfigView{
		IsEnabled:              m.Enabled,
		MirrorType:             "PULL",
		ExternalReference:      m.ExternalReference,
		ExternalRegistryUser:   m.Username,
		ExternalRegistryConfig: json.RawMessage(m.RegistryConfig),
		SyncInterval:           m.SyncInterval,
		SyncStartDate:          mirrorDate(m.SyncStartDate),
		SyncExpirationDate:     mirrorDate(m.SyncExpirationDate),
		SyncRetriesRemaining:   m.SyncRetriesRemaining,
		SyncStatus:             m.Status.String(),
		RootRule:               mirrorRuleView{RuleKind: "tag_glob_csv", RuleValue: m.TagPatterns},
		SkopeoTimeoutInterval:  m.SkopeoTimeout,
		ArchitectureFilter:     m.ArchitectureFilter,
	}
	if len(v.ExternalRegistryConfig) == 0 {
		v.ExternalRegistryConfig = json.RawMessage("{}")
	}
	if v.RootRule.RuleValue == nil {
		v.RootRule.RuleValue = []string{}
	}
	if v.ArchitectureFilter == nil {
		v.ArchitectureFilter = []string{}
	}
	if robot != "" {
		v.RobotUsername = &robot
	}
	return v
}
