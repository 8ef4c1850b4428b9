package store

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Robot is a robot account: in Quay a row of the User table (robot=True,
// username "namespace+shortname") with its RobotAccountToken and
// RobotAccountMetadata. fakequay keeps robots out of the namespaces table,
// so that user listings and the namespaces' hash indexes never see them,
// and stores the short name under the owning namespace's id: the full name
// follows the namespace's current name, which is what Quay's
// change_username achieves by renaming every robot with its namespace.
//
// Robot ids come from the namespace sequence, as Quay's User ids do, so an
// Entity id is unique across users and robots.
type Robot struct {
	ID        int64
	OwnerID   int64 // the user or organization the robot belongs to
	ShortName string
	// Email is the random address Quay gives a robot's User row; avatars
	// hash it.
	Email       string
	Token       string // RobotAccountToken.token, the robot's password
	Description string
	// Metadata is RobotAccountMetadata.unstructured_json, a JSON object.
	Metadata     json.RawMessage
	Created      time.Time
	LastAccessed time.Time // zero: never used
}

// RobotName is Quay's format_robot_username.
func RobotName(namespace, shortName string) string { return namespace + "+" + shortName }

// ParseRobotName splits "namespace+shortname" at its first "+" (Quay's
// parse_robot_username); ok is false for a name without one.
func ParseRobotName(name string) (namespace, shortName string, ok bool) {
	return strings.Cut(name, "+")
}

// Redacted returns the robot with its token hidden, for state dumps.
func (rb *Robot) Redacted() any {
	c := *rb
	c.Token = "REDACTED"
	return &c
}

func robotsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableRobots,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*Robot]{
				key: func(rb *Robot) (rowKey, bool) { return keyOf().id(rb.ID), true }}},
			// (owner, short name): a robot by name, and a namespace's robots
			// in name order.
			indexOwner: {Name: indexOwner, Unique: true, Indexer: keyIndex[*Robot]{
				key: func(rb *Robot) (rowKey, bool) { return keyOf().id(rb.OwnerID).name(rb.ShortName), true }}},
		},
	}
}

// robotByNameTxn is Quay's lookup_robot: the robot named
// "namespace+shortname", and its namespace.
func robotByNameTxn(txn *memdb.Txn, name string) (*Robot, *Namespace, bool) {
	ns, short, ok := ParseRobotName(name)
	if !ok {
		return nil, nil, false
	}
	owner, ok := namespaceByNameTxn(txn, ns)
	if !ok {
		return nil, nil, false
	}
	rb, ok := first[*Robot](txn, tableRobots, indexOwner, keyOf().id(owner.ID).name(short))
	if !ok {
		return nil, nil, false
	}
	return rb, owner, true
}

// Robot returns the robot named "namespace+shortname" and its namespace.
func (r Reader) Robot(name string) (*Robot, *Namespace, bool) { return robotByNameTxn(r.txn, name) }

// Robots calls fn for each robot of the namespace with the given id, in
// short-name order, until fn returns false.
func (r Reader) Robots(ownerID int64, fn func(*Robot) bool) {
	walkPrefix(r.txn, tableRobots, indexOwner, keyOf().id(ownerID), fn)
}

// VerifyRobot is Quay's verify_robot for a robot token: the robot named
// name whose token is token. The registry accepts robots this way (Basic
// auth); the API never does, where a robot token is no OAuth token.
func (r Reader) VerifyRobot(name, token string) (*Robot, bool) {
	rb, _, ok := robotByNameTxn(r.txn, name)
	if !ok || rb.Token != token {
		return nil, false
	}
	return rb, true
}

// NewRobot describes create_robot's model call.
type NewRobot struct {
	Namespace   string // the owning user or organization
	ShortName   string
	Description string
	Metadata    json.RawMessage // a JSON object; nil stores {}
	Token       string          // the generated (or given) token
	Email       string          // the random address Quay stores
	Created     time.Time
	// Audit is written after the robot is created (create_robot's log),
	// when its Kind is set.
	Audit Action
}

// CreateRobot is Quay's create_robot: the short name must be a valid
// username and the robot must not exist yet. Failures are *ModelError with
// Quay's InvalidRobotException messages.
func (s *Store) CreateRobot(in NewRobot) (*Robot, error) {
	var created *Robot
	err := s.write(func(txn *memdb.Txn) error {
		if issue := usernameIssue(in.ShortName); issue != "" {
			return modelError("The name for the robot '" + in.ShortName + "' is invalid: " + issue)
		}
		owner, ok := namespaceByNameTxn(txn, in.Namespace)
		if !ok {
			return ErrNotFound
		}
		if _, taken := first[*Robot](txn, tableRobots, indexOwner, keyOf().id(owner.ID).name(in.ShortName)); taken {
			return modelError("Existing robot with name: " + RobotName(owner.Name, in.ShortName))
		}
		created = insertRobotTxn(txn, owner.ID, in)
		if in.Audit.Kind != "" {
			return logActionTxn(txn, in.Audit)
		}
		return nil
	})
	return created, err
}

func insertRobotTxn(txn *memdb.Txn, ownerID int64, in NewRobot) *Robot {
	metadata := in.Metadata
	if len(metadata) == 0 {
		metadata = json.RawMessage("{}")
	}
	description := in.Description
	if n := len([]rune(description)); n > 255 {
		description = string([]rune(description)[:255]) // description[0:255]
	}
	rb := &Robot{
		ID:          nextIDTxn(txn, seqNamespace),
		OwnerID:     ownerID,
		ShortName:   in.ShortName,
		Email:       in.Email,
		Token:       in.Token,
		Description: description,
		Metadata:    metadata,
		Created:     in.Created.UTC().Truncate(time.Microsecond),
	}
	insert(txn, tableRobots, rb)
	return rb
}

// DeleteRobot is Quay's delete_robot: the robot goes, and with it every row
// that names it (its repository permissions, its team memberships, the
// default permissions it activates or receives). audit, when its Kind is
// set, is written after.
func (s *Store) DeleteRobot(name string, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		rb, _, ok := robotByNameTxn(txn, name)
		if !ok {
			return ErrNotFound
		}
		deleteRobotTxn(txn, rb)
		if audit.Kind != "" {
			return logActionTxn(txn, audit)
		}
		return nil
	})
}

// deleteRobotTxn removes a robot with what hangs off it (User.delete_instance
// for a robot: the rows whose foreign key allows robots).
func deleteRobotTxn(txn *memdb.Txn, rb *Robot) {
	e := RobotEntity(rb.ID)
	deletePermissionsOfTxn(txn, e)
	deleteMembershipsOfTxn(txn, e)
	deletePrototypesNamingTxn(txn, e)
	remove(txn, tableRobots, rb)
}

// deleteRobotsOfTxn deletes every robot of namespace n (part of Quay's
// _delete_user_linked_data).
func deleteRobotsOfTxn(txn *memdb.Txn, n *Namespace) {
	var doomed []*Robot
	walkPrefix(txn, tableRobots, indexOwner, keyOf().id(n.ID), func(rb *Robot) bool {
		doomed = append(doomed, rb)
		return true
	})
	for _, rb := range doomed {
		deleteRobotTxn(txn, rb)
	}
}
