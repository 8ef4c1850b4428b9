package store

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// Repository notifications (Quay's RepositoryNotification,
// data/model/notification.py): one row per notification of a repository,
// found by its uuid from any repository, as Quay's get_repo_notification
// does.

// RepoNotification is a repository notification.
type RepoNotification struct {
	ID           int64
	UUID         string
	NamespaceID  int64
	RepositoryID int64
	Event        string // ExternalNotificationEvent name, e.g. "repo_push"
	Method       string // ExternalNotificationMethod name, e.g. "webhook"
	// Config and EventConfig are config_json and event_config_json, the
	// text json.dumps wrote.
	Config      json.RawMessage
	EventConfig json.RawMessage
	Title       *string // nil: NULL
	// NumberOfFailures is number_of_failures, which the notification
	// worker raises and resetRepositoryNotificationFailures zeroes.
	NumberOfFailures int64
	// TestsQueued counts the test notifications testRepoNotification put on
	// Quay's notification queue (fakequay keeps no queue and sends none).
	TestsQueued int64
}

func (n *RepoNotification) clone() *RepoNotification {
	c := *n
	if n.Title != nil {
		t := *n.Title
		c.Title = &t
	}
	return &c
}

// indexRepoNotifications: (namespace id, repository id, notification id),
// a repository's notifications in creation order.
const indexRepoNotifications = "repository_notification"

func repoNotificationsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableRepoNotifications,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*RepoNotification]{
				key: func(n *RepoNotification) (int64, bool) { return n.ID, true }}},
			indexUUID: {Name: indexUUID, Unique: true, Indexer: stringIndex[*RepoNotification]{
				key: func(n *RepoNotification) (string, bool) { return n.UUID, true }}},
			indexRepoNotifications: {Name: indexRepoNotifications, Unique: true, Indexer: keyIndex[*RepoNotification]{
				key: func(n *RepoNotification) (rowKey, bool) {
					return keyOf().id(n.NamespaceID).id(n.RepositoryID).id(n.ID), true
				}}},
		},
	}
}

// RepoNotifications returns the notifications of repository repo, in
// creation order (list_repo_notifications).
func (r Reader) RepoNotifications(repo *Repository) []*RepoNotification {
	var out []*RepoNotification
	walkPrefix(r.txn, tableRepoNotifications, indexRepoNotifications, keyOf().id(repo.NamespaceID).id(repo.ID),
		func(n *RepoNotification) bool {
			out = append(out, n)
			return true
		})
	return out
}

// RepoNotificationByUUID returns the notification with uuid, of whichever
// repository (get_repo_notification).
func (r Reader) RepoNotificationByUUID(uuid string) (*RepoNotification, bool) {
	return first[*RepoNotification](r.txn, tableRepoNotifications, indexUUID, uuid)
}

// CreateRepoNotification stores n for repository repoName of namespace
// namespaceID (create_repo_notification), with a new id; ErrNotFound when
// the repository does not exist. audit is written with it.
func (s *Store) CreateRepoNotification(namespaceID int64, repoName string, n RepoNotification, audit *Action) (*RepoNotification, error) {
	var out *RepoNotification
	err := s.write(func(txn *memdb.Txn) error {
		repo, ok := repositoryTxn(txn, namespaceID, repoName)
		if !ok {
			return ErrNotFound
		}
		row := n.clone()
		row.ID = nextIDTxn(txn, seqRepoNotification)
		row.NamespaceID, row.RepositoryID = namespaceID, repo.ID
		insert(txn, tableRepoNotifications, row)
		out = row
		return logOptionalTxn(txn, audit)
	})
	return out, err
}

// repoNotificationOfTxn is the lookup of delete_repo_notification and
// reset_notification_number_of_failures: the notification uuid, else
// ErrNotFound; one of another repository than (namespaceID, repoName) is
// errOtherRepo.
func repoNotificationOfTxn(txn *memdb.Txn, namespaceID int64, repoName, uuid string, errOtherRepo error) (*RepoNotification, error) {
	n, ok := first[*RepoNotification](txn, tableRepoNotifications, indexUUID, uuid)
	if !ok {
		return nil, ErrNotFound
	}
	repo, ok := repositoryTxn(txn, namespaceID, repoName)
	if !ok || n.NamespaceID != namespaceID || n.RepositoryID != repo.ID {
		return nil, errOtherRepo
	}
	return n, nil
}

// DeleteRepoNotification deletes notification uuid of repository repoName
// of namespace namespaceID (delete_repo_notification): ErrNotFound for an
// unknown uuid and for another repository's (Quay's model raises
// InvalidNotificationException for both, which the endpoint answers
// alike). audit is built from the deleted row.
func (s *Store) DeleteRepoNotification(namespaceID int64, repoName, uuid string, audit func(*RepoNotification) Action) error {
	return s.write(func(txn *memdb.Txn) error {
		n, err := repoNotificationOfTxn(txn, namespaceID, repoName, uuid, ErrNotFound)
		if err != nil {
			return err
		}
		remove(txn, tableRepoNotifications, n)
		if audit != nil {
			return logActionTxn(txn, audit(n))
		}
		return nil
	})
}

// ResetRepoNotificationFailures sets the failures of notification uuid to
// zero (reset_notification_number_of_failures): ErrNotFound for an unknown
// uuid; another repository's is the model's InvalidNotificationException,
// which nothing catches (a *ModelError). audit is built from the row.
func (s *Store) ResetRepoNotificationFailures(namespaceID int64, repoName, uuid string, audit func(*RepoNotification) Action) error {
	return s.write(func(txn *memdb.Txn) error {
		n, err := repoNotificationOfTxn(txn, namespaceID, repoName, uuid,
			modelError("No repository notification found with uuid: "+uuid))
		if err != nil {
			return err
		}
		c := n.clone()
		c.NumberOfFailures = 0
		insert(txn, tableRepoNotifications, c)
		if audit != nil {
			return logActionTxn(txn, audit(c))
		}
		return nil
	})
}

// QueueTestRepoNotification records a test notification of uuid, of
// whichever repository (queue_test_notification); ErrNotFound when no
// notification has that uuid.
func (s *Store) QueueTestRepoNotification(uuid string) (*RepoNotification, error) {
	var out *RepoNotification
	err := s.write(func(txn *memdb.Txn) error {
		n, ok := first[*RepoNotification](txn, tableRepoNotifications, indexUUID, uuid)
		if !ok {
			return ErrNotFound
		}
		c := n.clone()
		c.TestsQueued++
		insert(txn, tableRepoNotifications, c)
		out = c
		return nil
	})
	return out, err
}

// deleteRepoNotificationsOfTxn drops the notifications of repository repo
// (they go with it in Quay's purge).
func deleteRepoNotificationsOfTxn(txn *memdb.Txn, repo *Repository) {
	var doomed []*RepoNotification
	walkPrefix(txn, tableRepoNotifications, indexRepoNotifications, keyOf().id(repo.NamespaceID).id(repo.ID),
		func(n *RepoNotification) bool {
			doomed = append(doomed, n)
			return true
		})
	for _, n := range doomed {
		remove(txn, tableRepoNotifications, n)
	}
}

// AddRepoNotification adds notification n of repository repoName of
// namespace namespaceID, with its uuid, as a snapshot read it.
func (l *Loader) AddRepoNotification(namespaceID int64, repoName string, n RepoNotification) (*RepoNotification, error) {
	if n.UUID == "" {
		return nil, fmt.Errorf("uuid is empty")
	}
	if _, taken := first[*RepoNotification](l.txn, tableRepoNotifications, indexUUID, n.UUID); taken {
		return nil, fmt.Errorf("uuid %q is already used by another notification", n.UUID)
	}
	repo, ok := repositoryTxn(l.txn, namespaceID, repoName)
	if !ok {
		return nil, fmt.Errorf("repository %q does not exist", repoName)
	}
	row := n.clone()
	row.ID = nextIDTxn(l.txn, seqRepoNotification)
	row.NamespaceID, row.RepositoryID = namespaceID, repo.ID
	insert(l.txn, tableRepoNotifications, row)
	return row, nil
}
