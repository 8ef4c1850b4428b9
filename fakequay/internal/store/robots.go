package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
	// Federation is the federation_config of the robot's FederatedLogin
	// metadata: the OIDC issuers and subjects it may sign in with. Nil and
	// empty both mean none (Quay answers [] for either).
	Federation []RobotFederation
}

// RobotFederation is one entry of a robot's federation configuration.
type RobotFederation struct {
	Issuer  string
	Subject string
}

func (rb *Robot) clone() *Robot {
	c := *rb
	c.Federation = slices.Clone(rb.Federation)
	return &c
}

// Messages of Quay's robot model functions (data/model/user.py).
const (
	// msgRobotNotFound is lookup_robot's InvalidRobotException.
	msgRobotNotFound = "Could not find robot with specified username"
	// msgPostgresNUL is what psycopg2 raises binding a string with a NUL,
	// which create_robot wraps in a DataModelException.
	msgPostgresNUL = "A string literal cannot contain NUL (0x00) characters."
	// msgPostgresTooLong is Postgres' refusal of a username longer than
	// the User.username column (varchar(255)), wrapped the same way.
	msgPostgresTooLong = "value too long for type character varying(255)\n"
)

// ErrRobotHasMirror reports that a repository mirror pulls with the robot
// (repo_mirror.robot_has_mirror), which Quay refuses to delete.
var ErrRobotHasMirror = errors.New("store: robot is used by a mirror")

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

// lookupRobotTxn is Quay's lookup_robot: the robot named name, or its
// InvalidRobotException (a DataModelException, so a 400 {"message"} when
// nothing catches it).
func lookupRobotTxn(txn *memdb.Txn, name string) (*Robot, *Namespace, error) {
	rb, owner, ok := robotByNameTxn(txn, name)
	if !ok {
		return nil, nil, modelError(msgRobotNotFound)
	}
	return rb, owner, nil
}

// Robot returns the robot named "namespace+shortname" and its namespace.
func (r Reader) Robot(name string) (*Robot, *Namespace, bool) { return robotByNameTxn(r.txn, name) }

// LookupRobot is Quay's lookup_robot: the robot named name, or a
// *ModelError with Quay's message.
func (r Reader) LookupRobot(name string) (*Robot, *Namespace, error) {
	return lookupRobotTxn(r.txn, name)
}

// Robots calls fn for each robot of the namespace with the given id, in
// short-name order, until fn returns false.
func (r Reader) Robots(ownerID int64, fn func(*Robot) bool) {
	walkPrefix(r.txn, tableRobots, indexOwner, keyOf().id(ownerID), fn)
}

// OwnedRobot is a robot with its namespace.
type OwnedRobot struct {
	Robot *Robot
	Owner *Namespace
}

// Name is the robot's full name, "namespace+shortname".
func (o OwnedRobot) Name() string { return RobotName(o.Owner.Name, o.Robot.ShortName) }

// RobotsLike returns the robots Quay's _list_entity_robots finds for an
// entity name: those whose full name matches the SQL pattern name+"+%"
// (peewee's ** operator, LIKE in SQLite and ILIKE in Postgres). So "_" in
// name matches any one character and "%" any run of them, and letters
// match either case: robots of other namespaces can answer, which is
// Quay's behaviour (an organization named "a_b" lists the robots of
// "a-b"). The robots come in Quay's order, ORDER BY last_accessed DESC, as
// Postgres sorts it: the never used (NULL, which Postgres puts first in
// descending order; SQLite puts them last) in creation order, then the
// others, most recently used first.
//
// A name without a wildcard is one namespace's robots; only a wildcard
// costs a walk of every robot.
func (r Reader) RobotsLike(name string) []OwnedRobot {
	var out []OwnedRobot
	if !strings.ContainsAny(name, "%_") {
		owner, ok := namespaceByNameTxn(r.txn, asciiLower(name))
		if !ok {
			return nil
		}
		walkPrefix(r.txn, tableRobots, indexOwner, keyOf().id(owner.ID), func(rb *Robot) bool {
			out = append(out, OwnedRobot{rb, owner})
			return true
		})
	} else {
		pattern := name + "+%"
		owners := map[int64]*Namespace{}
		iterate(mustIter(r.txn.Get(tableRobots, indexID)), func(rb *Robot) bool {
			owner, seen := owners[rb.OwnerID]
			if !seen {
				owner, _ = namespaceByIDTxn(r.txn, rb.OwnerID)
				owners[rb.OwnerID] = owner
			}
			if owner != nil && sqlLike(pattern, RobotName(owner.Name, rb.ShortName)) {
				out = append(out, OwnedRobot{rb, owner})
			}
			return true
		})
	}
	slices.SortFunc(out, func(a, b OwnedRobot) int {
		aUsed, bUsed := !a.Robot.LastAccessed.IsZero(), !b.Robot.LastAccessed.IsZero()
		switch {
		case aUsed != bUsed:
			if aUsed {
				return 1
			}
			return -1
		case aUsed:
			if c := b.Robot.LastAccessed.Compare(a.Robot.LastAccessed); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Robot.ID, b.Robot.ID)
	})
	return out
}

// asciiLower folds ASCII letters only, as SQLite's LIKE does.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// sqlLike is SQLite's LIKE without an ESCAPE clause: "%" matches any run of
// characters, "_" any one character, ASCII letters match either case. It
// is the greedy wildcard match that backs up to the last "%" only, so a
// pattern of many "%" costs no more than one.
func sqlLike(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && p[pi] == '%':
			star, mark = pi, ti
			pi++
		case pi < len(p) && (p[pi] == '_' || asciiLowerRune(p[pi]) == asciiLowerRune(t[ti])):
			pi++
			ti++
		case star >= 0:
			pi, mark = star+1, mark+1
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

func asciiLowerRune(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// PermissionsByRepository returns the entity's repository permissions in
// repository order: how Quay's queries that start from the user find them
// (through RepositoryPermission's (user, repository) index), which
// list_robot_permissions and the robots list show.
func (r Reader) PermissionsByRepository(e Entity) []*RepoPermission {
	return collectPermissions(r.txn, indexEntity, e.key(keyOf()))
}

// RobotHasMirror is Quay's robot_has_mirror: whether a repository mirror
// pulls with the robot.
func (r Reader) RobotHasMirror(rb *Robot) bool { return robotHasMirrorTxn(r.txn, rb) }

// robotHasMirrorTxn looks in the robot's namespace only: a mirror's robot
// belongs to its repository's namespace.
func robotHasMirrorTxn(txn *memdb.Txn, rb *Robot) bool {
	found := false
	iterate(mustIter(txn.Get(tableRepoMirrors, indexNamespace, rb.OwnerID)), func(m *RepoMirror) bool {
		found = m.InternalRobotID == rb.ID
		return !found
	})
	return found
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
	Namespace string // the owning user or organization
	// Organization makes the namespace an organization's
	// (create_org_robot's get_organization runs first).
	Organization bool
	ShortName    string
	Description  string
	Metadata     json.RawMessage // a JSON object; nil stores {}
	Token        string          // the generated (or given) token
	Email        string          // the random address Quay stores
	Created      time.Time
	// Audit is written after the robot is created (create_robot's log),
	// when its Kind is set.
	Audit Action
}

// InvalidRobotError is Quay's InvalidRobotException from create_robot,
// which the robot endpoints turn into a request error (family A) where
// other model errors stay family B.
type InvalidRobotError struct{ Message string }

func (e *InvalidRobotError) Error() string { return e.Message }

// CreateRobot is Quay's create_org_robot and create_user_robot: for an
// organization's robot the organization must exist (a *ModelError
// "Organization does not exist: ..."), the short name must be a valid
// username and the robot must not exist yet (an *InvalidRobotError with
// Quay's text). Postgres' refusals inside create_robot's transaction
// (a NUL in the description, a full name past the username column) are
// *ModelError with the driver's text, as create_robot wraps them.
func (s *Store) CreateRobot(in NewRobot) (*Robot, error) {
	var created *Robot
	err := s.write(func(txn *memdb.Txn) error {
		owner, ok := namespaceByNameTxn(txn, in.Namespace)
		if in.Organization && (!ok || !owner.IsOrg()) {
			return modelError("Organization does not exist: " + in.Namespace)
		}
		if !ok {
			return ErrNotFound
		}
		if issue := usernameIssue(in.ShortName); issue != "" {
			return &InvalidRobotError{"The name for the robot '" + in.ShortName + "' is invalid: " + issue}
		}
		name := RobotName(owner.Name, in.ShortName)
		if _, taken := first[*Robot](txn, tableRobots, indexOwner, keyOf().id(owner.ID).name(in.ShortName)); taken {
			return &InvalidRobotError{"Existing robot with name: " + name}
		}
		switch {
		case utf8.RuneCountInString(name) > maxUsernameLength:
			return modelError(msgPostgresTooLong)
		case strings.IndexByte(in.Description, 0) >= 0:
			return modelError(msgPostgresNUL)
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

// DeleteRobot is the robot endpoints' delete: robot_has_mirror (the
// robot must exist: ErrNotFound, and no mirror may pull with it:
// ErrRobotHasMirror), then delete_robot: the robot goes, and with it every
// row that names it (its repository permissions, its team memberships, the
// default permissions it activates or receives). audit, when its Kind is
// set, is written after.
func (s *Store) DeleteRobot(name string, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		rb, _, ok := robotByNameTxn(txn, name)
		if !ok {
			return ErrNotFound
		}
		if robotHasMirrorTxn(txn, rb) {
			return ErrRobotHasMirror
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

// RobotTokenChange describes regenerate_robot_token.
type RobotTokenChange struct {
	Namespace string // the owning user or organization
	// Organization makes the namespace an organization's
	// (regenerate_org_robot_token's get_organization runs first).
	Organization bool
	ShortName    string
	Token        string // the new token
	Email        string // the new random address Quay gives the robot
	Audit        Action // written after, when its Kind is set
}

// RegenerateRobotToken is Quay's regenerate_robot_token: the robot gets a
// new token and a new random e-mail (so a new avatar). Its refusals are
// *ModelError: no such organization, no such robot.
func (s *Store) RegenerateRobotToken(in RobotTokenChange) (*Robot, error) {
	var out *Robot
	err := s.write(func(txn *memdb.Txn) error {
		if in.Organization {
			if owner, ok := namespaceByNameTxn(txn, in.Namespace); !ok || !owner.IsOrg() {
				return modelError("Organization does not exist: " + in.Namespace)
			}
		}
		rb, _, err := lookupRobotTxn(txn, RobotName(in.Namespace, in.ShortName))
		if err != nil {
			return err
		}
		out = rb.clone()
		out.Token, out.Email = in.Token, in.Email
		insert(txn, tableRobots, out)
		if in.Audit.Kind != "" {
			return logActionTxn(txn, in.Audit)
		}
		return nil
	})
	return out, err
}

// SetRobotFederation is Quay's create_robot_federation_config (and, with
// an empty config, delete_robot_federation_config): the robot named name
// gets config in place of its federation configuration. The robot must
// exist (a *ModelError).
func (s *Store) SetRobotFederation(name string, config []RobotFederation, audit Action) (*Robot, error) {
	var out *Robot
	err := s.write(func(txn *memdb.Txn) error {
		rb, _, err := lookupRobotTxn(txn, name)
		if err != nil {
			return err
		}
		out = rb.clone()
		out.Federation = slices.Clone(config)
		insert(txn, tableRobots, out)
		if audit.Kind != "" {
			return logActionTxn(txn, audit)
		}
		return nil
	})
	return out, err
}
