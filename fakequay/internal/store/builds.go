package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Build is a repository build: Quay's RepositoryBuild row, the parts of its
// job_config the API shows, and the Redis list of its log entries. The
// repository is a namespace id plus a name, so a view always shows the
// namespace's current name, as Quay's join does.
type Build struct {
	UUID        string
	NamespaceID int64
	Repository  string
	Phase       string // one of BuildPhases
	DisplayName string
	Started     time.Time
	ResourceKey *string // the uploaded build context's user-file id, if any

	// job_config keys.
	Tags            []string        // docker_tags
	ManualUser      *string         // manual_user; nil for triggered builds
	Subdirectory    string          // build_subdir
	Context         string          // context
	ArchiveURL      string          // archive_url; "" when absent
	TriggerMetadata json.RawMessage // trigger_metadata; nil when absent

	// RetriesRemaining is whether the build's queue item still has retries,
	// which is what keeps an "internalerror" build from showing "expired".
	RetriesRemaining bool

	// StatusError, when set, makes Redis fail for this build: reading the
	// status of a non-terminal build raises BuildStatusRetrievalError with
	// this text (Quay then shows phase "cannot_load"), and reading its log
	// entries fails too (Quay then shows none).
	StatusError string

	// LogsArchived is set once the log archiver has moved the entries to
	// storage; Logs then holds what was archived.
	LogsArchived bool
	Logs         []BuildLogEntry
}

// BuildLogEntry is one entry of a build's log list, as the build manager
// appends it: a message, an optional type and optional data (a JSON object,
// keys in order).
type BuildLogEntry struct {
	Message string
	Type    string // "", "phase", "command" or "error"
	Data    json.RawMessage
}

// Build phases (data/database.py BUILD_PHASE).
const (
	PhaseError          = "error"
	PhaseInternalError  = "internalerror"
	PhaseBuildScheduled = "build-scheduled"
	PhaseUnpacking      = "unpacking"
	PhasePulling        = "pulling"
	PhaseBuilding       = "building"
	PhasePushing        = "pushing"
	PhaseWaiting        = "waiting"
	PhaseComplete       = "complete"
	PhaseCancelled      = "cancelled"
)

// BuildPhases lists every phase a build row can hold.
var BuildPhases = []string{
	PhaseError, PhaseInternalError, PhaseBuildScheduled, PhaseUnpacking, PhasePulling,
	PhaseBuilding, PhasePushing, PhaseWaiting, PhaseComplete, PhaseCancelled,
}

// Build log entry types (data/buildlogs.py); an entry may also have none.
var BuildLogTypes = []string{"phase", "command", "error"}

// IsTerminalPhase is BUILD_PHASE.is_terminal_phase: Quay reads no live
// status for a build in one of these phases.
func IsTerminalPhase(phase string) bool {
	switch phase {
	case PhaseComplete, PhaseError, PhaseInternalError, PhaseCancelled:
		return true
	}
	return false
}

// isFinishedPhase is the build manager's ARCHIVABLE_BUILD_PHASES: once a
// build reaches one, its phase never changes again.
func isFinishedPhase(phase string) bool {
	return phase == PhaseComplete || phase == PhaseError || phase == PhaseCancelled
}

func (b *Build) clone() *Build {
	c := *b
	return &c
}

func buildsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableBuilds,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: stringIndex[*Build]{
				key: func(b *Build) (string, bool) { return b.UUID, true }}},
			indexNamespace: {Name: indexNamespace, Indexer: intIndex[*Build]{
				key: func(b *Build) (int64, bool) { return b.NamespaceID, true }}},
		},
	}
}

// dropBuildRetriesTxn: mark_namespace_for_deletion deletes the namespace's
// queue items, so its builds have no retries left; the builds themselves
// stay until the namespace is purged.
func dropBuildRetriesTxn(txn *memdb.Txn, n *Namespace) {
	var retrying []*Build
	iterate(mustIter(txn.Get(tableBuilds, indexNamespace, n.ID)), func(b *Build) bool {
		if b.RetriesRemaining {
			retrying = append(retrying, b)
		}
		return true
	})
	for _, b := range retrying {
		c := b.clone()
		c.RetriesRemaining = false
		insert(txn, tableBuilds, c)
	}
}

// deleteBuildsOfTxn drops a purged namespace's builds, as Quay's namespace
// GC does when it deletes the namespace's repositories.
func deleteBuildsOfTxn(txn *memdb.Txn, n *Namespace) {
	if _, err := txn.DeleteAll(tableBuilds, indexNamespace, n.ID); err != nil {
		panic("store: delete builds: " + err.Error())
	}
}

// Build returns the build with the given uuid (Quay's get_repository_build)
// together with its namespace. A build whose namespace has been purged is
// not found: Quay's namespace GC deletes the repositories and their builds.
func (r Reader) Build(uuid string) (*Build, *Namespace, bool) {
	return buildTxn(r.txn, uuid)
}

func buildTxn(txn *memdb.Txn, uuid string) (*Build, *Namespace, bool) {
	b, ok := first[*Build](txn, tableBuilds, indexID, uuid)
	if !ok {
		return nil, nil, false
	}
	ns, ok := first[*Namespace](txn, tableNamespaces, indexID, b.NamespaceID)
	if !ok {
		return nil, nil, false
	}
	return b, ns, true
}

// validateBuild checks the invariants every stored build keeps. Errors
// start with the field at fault.
func validateBuild(txn *memdb.Txn, b *Build) error {
	switch {
	case b.UUID == "":
		return fmt.Errorf("uuid: required")
	case b.Repository == "":
		return fmt.Errorf("repository: required")
	case !slices.Contains(BuildPhases, b.Phase):
		return fmt.Errorf("phase: %q is not one of %v", b.Phase, BuildPhases)
	}
	if _, ok := first[*Namespace](txn, tableNamespaces, indexID, b.NamespaceID); !ok {
		return fmt.Errorf("namespace: id %d does not exist", b.NamespaceID)
	}
	for i, e := range b.Logs {
		if err := validateBuildLogType(e.Type); err != nil {
			return fmt.Errorf("logs[%d].%w", i, err)
		}
	}
	return nil
}

func validateBuildLogType(t string) error {
	if t != "" && !slices.Contains(BuildLogTypes, t) {
		return fmt.Errorf("type: %q is not one of %v", t, BuildLogTypes)
	}
	return nil
}

// AppendBuildLog appends e to the log list of build uuid, as the build
// manager's append_log_message does. Archived logs cannot grow.
func (s *Store) AppendBuildLog(uuid string, e BuildLogEntry) error {
	if err := validateBuildLogType(e.Type); err != nil {
		return err
	}
	return s.updateBuild(uuid, func(b *Build) error {
		if b.LogsArchived {
			return fmt.Errorf("build %s: logs are archived", uuid)
		}
		b.Logs = append(slices.Clip(b.Logs), e)
		return nil
	})
}

// SetBuildPhase moves build uuid to phase and appends the phase entry, as
// the build manager's update_job_phase does: a build already in a finished
// phase (complete, error, cancelled) is refused, and moving to the phase it
// is in changes nothing. It reports whether the phase changed.
func (s *Store) SetBuildPhase(uuid, phase string, entry BuildLogEntry) (bool, error) {
	if !slices.Contains(BuildPhases, phase) {
		return false, fmt.Errorf("phase %q is not one of %v", phase, BuildPhases)
	}
	changed := false
	err := s.updateBuild(uuid, func(b *Build) error {
		switch {
		case isFinishedPhase(b.Phase):
			return fmt.Errorf("build %s is already %s", uuid, b.Phase)
		case b.Phase == phase:
			return nil
		}
		b.Phase = phase
		if !b.LogsArchived {
			b.Logs = append(slices.Clip(b.Logs), entry)
		}
		changed = true
		return nil
	})
	return changed, err
}

// ArchiveBuildLogs does what Quay's build-logs archiver does for one build:
// it marks the logs archived, keeping the entries as the archive's content.
func (s *Store) ArchiveBuildLogs(uuid string) error {
	return s.updateBuild(uuid, func(b *Build) error {
		if b.LogsArchived {
			return fmt.Errorf("build %s: logs are already archived", uuid)
		}
		b.LogsArchived = true
		return nil
	})
}

// updateBuild applies change to a copy of build uuid and stores the copy.
func (s *Store) updateBuild(uuid string, change func(*Build) error) error {
	return s.write(func(txn *memdb.Txn) error {
		b, _, ok := buildTxn(txn, uuid)
		if !ok {
			return fmt.Errorf("build %s: %w", uuid, ErrNotFound)
		}
		c := b.clone()
		if err := change(c); err != nil {
			return err
		}
		insert(txn, tableBuilds, c)
		return nil
	})
}
