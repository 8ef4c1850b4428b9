package store

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Repository mirroring, as far as Quay's mirror-health summary sees it: one
// row per mirrored repository (Quay's RepoMirrorConfig with the state of its
// Repository) and the number of mirror workers reporting in. The health
// figures Quay reads from Prometheus (pending tags, active workers) are kept
// here as plain state, so they change only when a seed or the direct API
// changes them.

// MirrorStatus is a mirror's sync status (Quay's RepoMirrorStatus).
type MirrorStatus int8

// Mirror statuses, with Quay's values.
const (
	MirrorCancel   MirrorStatus = -2
	MirrorFail     MirrorStatus = -1
	MirrorNeverRun MirrorStatus = 0
	MirrorSuccess  MirrorStatus = 1
	MirrorSyncing  MirrorStatus = 2
	MirrorSyncNow  MirrorStatus = 3
)

var mirrorStatusNames = map[MirrorStatus]string{
	MirrorCancel: "CANCEL", MirrorFail: "FAIL", MirrorNeverRun: "NEVER_RUN",
	MirrorSuccess: "SUCCESS", MirrorSyncing: "SYNCING", MirrorSyncNow: "SYNC_NOW",
}

// String returns Quay's name for the status, e.g. "NEVER_RUN".
func (s MirrorStatus) String() string {
	if name, ok := mirrorStatusNames[s]; ok {
		return name
	}
	return fmt.Sprintf("MirrorStatus(%d)", int8(s))
}

// ParseMirrorStatus returns the status Quay names name, e.g. "SUCCESS".
func ParseMirrorStatus(name string) (MirrorStatus, bool) {
	for s, n := range mirrorStatusNames {
		if n == name {
			return s, true
		}
	}
	return 0, false
}

// RepositoryState is a repository's state (Quay's RepositoryState). Only
// repositories in MIRROR state count as mirrored.
type RepositoryState int8

// Repository states, with Quay's values.
const (
	RepositoryNormal            RepositoryState = 0
	RepositoryReadOnly          RepositoryState = 1
	RepositoryMirror            RepositoryState = 2
	RepositoryMarkedForDeletion RepositoryState = 3
	RepositoryOrgMirror         RepositoryState = 4
)

var repositoryStateNames = map[RepositoryState]string{
	RepositoryNormal: "NORMAL", RepositoryReadOnly: "READ_ONLY", RepositoryMirror: "MIRROR",
	RepositoryMarkedForDeletion: "MARKED_FOR_DELETION", RepositoryOrgMirror: "ORG_MIRROR",
}

// String returns Quay's name for the state, e.g. "MIRROR".
func (s RepositoryState) String() string {
	if name, ok := repositoryStateNames[s]; ok {
		return name
	}
	return fmt.Sprintf("RepositoryState(%d)", int8(s))
}

// ParseRepositoryState returns the state Quay names name, e.g. "MIRROR".
func ParseRepositoryState(name string) (RepositoryState, bool) {
	for s, n := range repositoryStateNames {
		if n == name {
			return s, true
		}
	}
	return 0, false
}

// RepoMirror is the mirror configuration of one repository.
type RepoMirror struct {
	ID          int64
	NamespaceID int64
	Repository  string
	// State is the repository's state; a mirror counts only in MIRROR.
	State   RepositoryState
	Enabled bool
	Status  MirrorStatus
	// PendingTags is the repository's quay_repository_mirror_pending_tags
	// gauge: tags the mirror worker still has to copy.
	PendingTags int64
	// InternalRobotID is the robot the mirror pulls with (0: none known),
	// a robot of the mirror's namespace; Quay refuses to delete it.
	InternalRobotID int64
	// SyncRetriesRemaining, SyncExpirationDate and SyncTransactionID are
	// RepoMirrorConfig's sync_retries_remaining, sync_expiration_date (nil:
	// NULL) and sync_transaction_id, which the sync-now and sync-cancel
	// transitions set.
	SyncRetriesRemaining int64
	SyncExpirationDate   *time.Time
	SyncTransactionID    string

	// The configuration createRepoMirrorConfig stores (RepoMirrorConfig's
	// columns): ExternalReference is "registry[:port]/namespace/repo";
	// Username and Password are the external registry's credentials (nil:
	// NULL; Quay keeps them encrypted and shows only the username);
	// RegistryConfig is external_registry_config as JSON text ("{}" when
	// empty, nil for a mirror that only the mirror-health seed knows);
	// ArchitectureFilter is architecture_filter; SyncInterval and
	// SkopeoTimeout are seconds; SyncStartDate is when the next sync may
	// start (nil: NULL); TagPatterns is the root rule's rule_value.
	ExternalReference  string
	Username           *string
	Password           *string
	RegistryConfig     []byte
	ArchitectureFilter []string
	SyncInterval       int64
	SkopeoTimeout      int64
	SyncStartDate      *time.Time
	TagPatterns        []string
}

// clone returns a copy of m that shares nothing mutable with it.
func (m *RepoMirror) clone() *RepoMirror {
	c := *m
	if c.SyncExpirationDate != nil {
		t := *c.SyncExpirationDate
		c.SyncExpirationDate = &t
	}
	if c.SyncStartDate != nil {
		t := *c.SyncStartDate
		c.SyncStartDate = &t
	}
	if c.Username != nil {
		u := *c.Username
		c.Username = &u
	}
	if c.Password != nil {
		p := *c.Password
		c.Password = &p
	}
	c.RegistryConfig = slices.Clone(c.RegistryConfig)
	c.ArchitectureFilter = slices.Clone(c.ArchitectureFilter)
	c.TagPatterns = slices.Clone(c.TagPatterns)
	return &c
}

// mirrorWorkers is the single row holding how many mirror workers report in
// (the sum of Quay's quay_repository_mirror_workers_active gauges).
type mirrorWorkers struct {
	ID     int64
	Active int64
}

const mirrorWorkersRowID = 1

func repoMirrorsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableRepoMirrors,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*RepoMirror]{
				key: func(m *RepoMirror) (int64, bool) { return m.ID, true }}},
			indexNamespace: {Name: indexNamespace, Indexer: intIndex[*RepoMirror]{
				key: func(m *RepoMirror) (int64, bool) { return m.NamespaceID, true }}},
			// Quay's RepoMirrorConfig.repository is unique: one mirror per
			// repository.
			indexRepository: {Name: indexRepository, Unique: true, Indexer: stringIndex[*RepoMirror]{
				key: func(m *RepoMirror) (string, bool) { return repositoryKey(m.NamespaceID, m.Repository), true }}},
		},
	}
}

func mirrorWorkersTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableMirrorWorkers,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*mirrorWorkers]{
				key: func(w *mirrorWorkers) (int64, bool) { return w.ID, true }}},
		},
	}
}

// repositoryKey joins a namespace id and a repository name into one index
// key; a NUL cannot occur in either part.
func repositoryKey(namespaceID int64, repository string) string {
	return fmt.Sprintf("%d\x00%s", namespaceID, repository)
}

// MirrorCounts are the totals of Quay's mirror-health summary
// (_mirror_status_counts).
type MirrorCounts struct {
	Total     int64
	Syncing   int64
	Completed int64 // status SUCCESS
	Failed    int64 // status FAIL
	NeverRun  int64
}

// MirrorCounts counts the enabled mirrors of repositories in MIRROR state,
// by status, as Quay's aggregate query does. CANCEL and SYNC_NOW count
// towards Total only.
func (r Reader) MirrorCounts() MirrorCounts {
	var c MirrorCounts
	r.RepoMirrors(func(m *RepoMirror) bool {
		if !m.Enabled || m.State != RepositoryMirror {
			return true
		}
		c.Total++
		switch m.Status {
		case MirrorSyncing:
			c.Syncing++
		case MirrorSuccess:
			c.Completed++
		case MirrorFail:
			c.Failed++
		case MirrorNeverRun:
			c.NeverRun++
		}
		return true
	})
	return c
}

// MirrorPendingTags sums every repository's pending-tags gauge. Like
// Quay's metric reader it looks at every reporting repository, whether or
// not its mirror is enabled.
func (r Reader) MirrorPendingTags() int64 {
	var total int64
	r.RepoMirrors(func(m *RepoMirror) bool {
		total += m.PendingTags
		return true
	})
	return total
}

// MirrorWorkersActive is how many mirror workers report in (0 until set).
func (r Reader) MirrorWorkersActive() int64 {
	w, ok := first[*mirrorWorkers](r.txn, tableMirrorWorkers, indexID, int64(mirrorWorkersRowID))
	if !ok {
		return 0
	}
	return w.Active
}

// RepoMirrors calls fn for each repository mirror in id order until fn
// returns false.
func (r Reader) RepoMirrors(fn func(*RepoMirror) bool) {
	iterate(mustIter(r.txn.LowerBound(tableRepoMirrors, indexID, int64(0))), fn)
}

// PutRepoMirror stores the mirror of an existing namespace's repository,
// replacing (and keeping the id of) any mirror that repository already has.
func (l *Loader) PutRepoMirror(m RepoMirror) (*RepoMirror, error) {
	if _, ok := namespaceByIDTxn(l.txn, m.NamespaceID); !ok {
		return nil, fmt.Errorf("mirror namespace %d does not exist", m.NamespaceID)
	}
	if m.Repository == "" {
		return nil, fmt.Errorf("repository is empty")
	}
	if _, ok := mirrorStatusNames[m.Status]; !ok {
		return nil, fmt.Errorf("unknown mirror status %v", m.Status)
	}
	if _, ok := repositoryStateNames[m.State]; !ok {
		return nil, fmt.Errorf("unknown repository state %v", m.State)
	}
	if m.PendingTags < 0 {
		return nil, fmt.Errorf("pending_tags is negative: %d", m.PendingTags)
	}
	if m.InternalRobotID != 0 {
		rb, ok := first[*Robot](l.txn, tableRobots, indexID, keyOf().id(m.InternalRobotID))
		if !ok || rb.OwnerID != m.NamespaceID {
			return nil, fmt.Errorf("robot %d is no robot of the mirror's namespace", m.InternalRobotID)
		}
	}
	row := m
	if old, ok := first[*RepoMirror](l.txn, tableRepoMirrors, indexRepository, repositoryKey(m.NamespaceID, m.Repository)); ok {
		row.ID = old.ID
	} else {
		row.ID = nextIDTxn(l.txn, seqRepoMirror)
	}
	insert(l.txn, tableRepoMirrors, &row)
	return &row, nil
}

// SetMirrorWorkersActive sets how many mirror workers report in.
func (l *Loader) SetMirrorWorkersActive(n int64) error {
	if n < 0 {
		return fmt.Errorf("workers_active is negative: %d", n)
	}
	insert(l.txn, tableMirrorWorkers, &mirrorWorkers{ID: mirrorWorkersRowID, Active: n})
	return nil
}

// deleteMirrorsOfTxn deletes the mirrors of namespace id's repositories.
// Quay's mark_namespace_for_deletion deletes every mirror whose robot the
// namespace owns, and a mirror's robot must belong to its repository's
// namespace, so that is all of them.
func deleteMirrorsOfTxn(txn *memdb.Txn, n *Namespace) {
	if _, err := txn.DeleteAll(tableRepoMirrors, indexNamespace, n.ID); err != nil {
		panic("store: delete mirrors: " + err.Error())
	}
}

// ErrMirrorSyncRefused: the mirror's status does not allow the requested
// sync transition (Quay's model returns None, which mirror.py answers
// with NotFound).
var ErrMirrorSyncRefused = errors.New("store: the mirror's sync status does not allow that")

// MirrorSyncNow is repo_mirror.update_sync_status_to_sync_now on the mirror
// of repository name in namespace id namespaceID: refused
// (ErrMirrorSyncRefused) while the mirror is SYNCING; otherwise the status
// becomes SYNC_NOW with no expiration, at least one retry remaining and the
// new transaction id txnID. No mirror is ErrNotFound. audit, when not nil,
// is written with the change (mirror.py's repo_mirror_config_changed).
func (s *Store) MirrorSyncNow(namespaceID int64, name, txnID string, audit *Action) (*RepoMirror, error) {
	return s.mirrorSync(namespaceID, name, audit, func(m *RepoMirror) bool {
		if m.Status == MirrorSyncing {
			return false
		}
		m.Status = MirrorSyncNow
		m.SyncExpirationDate = nil
		m.SyncRetriesRemaining = max(m.SyncRetriesRemaining, 1)
		m.SyncTransactionID = txnID
		return true
	})
}

// MirrorSyncCancel is repo_mirror.update_sync_status_to_cancel: only a
// mirror that is SYNCING or SYNC_NOW is cancelled (else
// ErrMirrorSyncRefused), its status becoming CANCEL with no expiration, no
// retries left and the new transaction id txnID.
func (s *Store) MirrorSyncCancel(namespaceID int64, name, txnID string, audit *Action) (*RepoMirror, error) {
	return s.mirrorSync(namespaceID, name, audit, func(m *RepoMirror) bool {
		if m.Status != MirrorSyncing && m.Status != MirrorSyncNow {
			return false
		}
		m.Status = MirrorCancel
		m.SyncExpirationDate = nil
		m.SyncRetriesRemaining = 0
		m.SyncTransactionID = txnID
		return true
	})
}

func (s *Store) mirrorSync(namespaceID int64, name string, audit *Action, change func(*RepoMirror) bool) (*RepoMirror, error) {
	var out *RepoMirror
	err := s.write(func(txn *memdb.Txn) error {
		m, ok := first[*RepoMirror](txn, tableRepoMirrors, indexRepository, repositoryKey(namespaceID, name))
		if !ok {
			return ErrNotFound
		}
		c := m.clone()
		if !change(c) {
			return ErrMirrorSyncRefused
		}
		insert(txn, tableRepoMirrors, c)
		out = c
		return logOptionalTxn(txn, audit)
	})
	return out, err
}

// RepoMirrorOf returns the mirror of repository name in namespace id
// namespaceID, if it has one.
func (r Reader) RepoMirrorOf(namespaceID int64, name string) (*RepoMirror, bool) {
	return first[*RepoMirror](r.txn, tableRepoMirrors, indexRepository, repositoryKey(namespaceID, name))
}

// ErrMirrorExists: the repository has a mirror already.
var ErrMirrorExists = errors.New("store: the repository has a mirror already")

// CreateRepoMirror is the store half of createRepoMirrorConfig
// (repo_mirror.enable_mirroring_for_repository after
// _setup_robot_for_mirroring): the robot m.InternalRobotID gets write
// permission on the repository unless it has write or admin already, the
// mirror is stored with a new id, retries 3 and status NEVER_RUN unless m
// says otherwise, the repository goes to state MIRROR, and audit is
// logged. A repository that does not exist is ErrNotFound, one with a
// mirror ErrMirrorExists.
func (s *Store) CreateRepoMirror(m RepoMirror, audit Action) (*RepoMirror, error) {
	var out *RepoMirror
	err := s.write(func(txn *memdb.Txn) error {
		repo, ok := repositoryTxn(txn, m.NamespaceID, m.Repository)
		if !ok || repo.State == RepositoryMarkedForDeletion {
			return ErrNotFound
		}
		if _, ok := first[*RepoMirror](txn, tableRepoMirrors, indexRepository, repositoryKey(m.NamespaceID, m.Repository)); ok {
			return ErrMirrorExists
		}
		grantMirrorRobotTxn(txn, repo, m.InternalRobotID)
		row := m.clone()
		row.ID = nextIDTxn(txn, seqRepoMirror)
		row.State = RepositoryMirror
		insert(txn, tableRepoMirrors, row)
		if repo.State != RepositoryMirror {
			r := *repo
			r.State = RepositoryMirror
			putRepositoryTxn(txn, repo, &r)
		}
		out = row
		return logActionTxn(txn, audit)
	})
	return out, err
}

// grantMirrorRobotTxn is _setup_robot_for_mirroring's grant: the robot
// gets write permission on repo unless it has write or admin.
func grantMirrorRobotTxn(txn *memdb.Txn, repo *Repository, robotID int64) {
	if robotID == 0 {
		return
	}
	if p, ok := permissionTxn(txn, repo, RobotEntity(robotID)); !ok || p.Role == RoleRead {
		putPermissionTxn(txn, repo, RobotEntity(robotID), RoleWrite)
	}
}

// MirrorChange is one change of changeRepoMirrorConfig: Apply changes the
// mirror's copy, and Audit, when not nil, is logged after it.
type MirrorChange struct {
	Apply func(*RepoMirror)
	Audit *Action
}

// ChangeRepoMirror applies the changes of changeRepoMirrorConfig to the
// mirror of repository name in namespace id namespaceID in one
// transaction, in order, each followed by its log; grantRobotID, when not
// 0, is the new robot, which gets write permission as on creation. No
// repository or no mirror is ErrNotFound.
func (s *Store) ChangeRepoMirror(namespaceID int64, name string, grantRobotID int64, changes []MirrorChange) (*RepoMirror, error) {
	var out *RepoMirror
	err := s.write(func(txn *memdb.Txn) error {
		repo, ok := repositoryTxn(txn, namespaceID, name)
		if !ok || repo.State == RepositoryMarkedForDeletion {
			return ErrNotFound
		}
		m, ok := first[*RepoMirror](txn, tableRepoMirrors, indexRepository, repositoryKey(namespaceID, name))
		if !ok {
			return ErrNotFound
		}
		grantMirrorRobotTxn(txn, repo, grantRobotID)
		c := m.clone()
		for _, ch := range changes {
			if ch.Apply != nil {
				ch.Apply(c)
			}
			if err := logOptionalTxn(txn, ch.Audit); err != nil {
				return err
			}
		}
		insert(txn, tableRepoMirrors, c)
		out = c
		return nil
	})
	return out, err
}

// renameMirrorTxn moves the mirror of repository from to the name to,
// with the repository's new state: a mirror belongs to its repository
// row, which a deletion renames.
func renameMirrorTxn(txn *memdb.Txn, namespaceID int64, from, to string, state RepositoryState) {
	m, ok := first[*RepoMirror](txn, tableRepoMirrors, indexRepository, repositoryKey(namespaceID, from))
	if !ok {
		return
	}
	c := m.clone()
	c.Repository, c.State = to, state
	remove(txn, tableRepoMirrors, m)
	insert(txn, tableRepoMirrors, c)
}

// FailMirrorCreate is what a createRepoMirrorConfig that fails after
// create_rule leaves: the rule, an orphan, and, when robotID is not 0,
// _setup_robot_for_mirroring's grant (the robot gets write permission on
// the repository unless it has write or admin).
func (s *Store) FailMirrorCreate(namespaceID int64, name string, robotID int64) error {
	return s.write(func(txn *memdb.Txn) error {
		repo, ok := repositoryTxn(txn, namespaceID, name)
		if !ok {
			return ErrNotFound
		}
		grantMirrorRobotTxn(txn, repo, robotID)
		r := *repo
		r.OrphanMirrorRules++
		putRepositoryTxn(txn, repo, &r)
		return nil
	})
}
