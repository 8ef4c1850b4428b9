package store

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// EntityKind tells what an Entity is. Quay keeps users and robots in one
// User table and grants permissions to a user (robots included) or a team;
// fakequay keeps robots in a table of their own (robots.go), so an entity
// says which table its id belongs to.
type EntityKind uint8

// Entity kinds. The byte values are part of the index keys.
const (
	EntityUser  EntityKind = 'u'
	EntityRobot EntityKind = 'r'
	EntityTeam  EntityKind = 't'
)

func (k EntityKind) String() string {
	switch k {
	case EntityUser:
		return "user"
	case EntityRobot:
		return "robot"
	case EntityTeam:
		return "team"
	}
	return fmt.Sprintf("EntityKind(%d)", uint8(k))
}

// Entity is who a permission or a default permission is granted to: a user,
// a robot or a team, by id. Users and robots share Quay's User id sequence,
// so their ids never collide; team ids have their own.
type Entity struct {
	Kind EntityKind
	ID   int64
}

// UserEntity is the user (or organization) with the given id.
func UserEntity(id int64) Entity { return Entity{Kind: EntityUser, ID: id} }

// RobotEntity is the robot with the given id.
func RobotEntity(id int64) Entity { return Entity{Kind: EntityRobot, ID: id} }

// TeamEntity is the team with the given id.
func TeamEntity(id int64) Entity { return Entity{Kind: EntityTeam, ID: id} }

// IsUserLike reports whether the entity is a user or a robot: what Quay's
// User-table foreign keys (RepositoryPermission.user, TeamMember.user,
// PermissionPrototype.delegate_user) hold.
func (e Entity) IsUserLike() bool { return e.Kind == EntityUser || e.Kind == EntityRobot }

func (e Entity) key(k rowKey) rowKey { return k.kind(byte(e.Kind)).id(e.ID) }

// Account is a user or a robot as the views show them: what Quay's User
// rows give member, permission and collaborator views.
type Account struct {
	ID    int64
	Name  string // the username, or "namespace+shortname" for a robot
	Email string // the avatar's source
	Robot bool
}

// Entity returns the account as an entity.
func (a Account) Entity() Entity {
	if a.Robot {
		return RobotEntity(a.ID)
	}
	return UserEntity(a.ID)
}

// accountOfTxn resolves a user or robot entity; a namespace pending
// deletion still resolves (under its tombstone name), as Quay's joins do.
func accountOfTxn(txn *memdb.Txn, e Entity) (Account, bool) {
	switch e.Kind {
	case EntityUser:
		n, ok := namespaceByIDTxn(txn, e.ID)
		if !ok {
			return Account{}, false
		}
		return Account{ID: n.ID, Name: n.Name, Email: n.Email}, true
	case EntityRobot:
		rb, ok := first[*Robot](txn, tableRobots, indexID, keyOf().id(e.ID))
		if !ok {
			return Account{}, false
		}
		owner, ok := namespaceByIDTxn(txn, rb.OwnerID)
		if !ok {
			return Account{}, false
		}
		return Account{ID: rb.ID, Name: RobotName(owner.Name, rb.ShortName), Email: rb.Email, Robot: true}, true
	}
	return Account{}, false
}

// Account returns the user or robot e names.
func (r Reader) Account(e Entity) (Account, bool) { return accountOfTxn(r.txn, e) }

// accountByNameTxn is Quay's get_user: a user or a robot (never an
// organization) by name.
func accountByNameTxn(txn *memdb.Txn, name string) (Account, bool) {
	if rb, owner, ok := robotByNameTxn(txn, name); ok {
		return Account{ID: rb.ID, Name: RobotName(owner.Name, rb.ShortName), Email: rb.Email, Robot: true}, true
	}
	n, ok := namespaceByNameTxn(txn, name)
	if !ok || !n.IsUser() {
		return Account{}, false
	}
	return Account{ID: n.ID, Name: n.Name, Email: n.Email}, true
}

// UserOrRobot is Quay's get_user: the user or robot named name; an
// organization's name finds nothing.
func (r Reader) UserOrRobot(name string) (Account, bool) { return accountByNameTxn(r.txn, name) }
