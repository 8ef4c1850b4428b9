package store

import (
	"fmt"
	"time"

	"github.com/hashicorp/go-memdb"
)

// NamespaceKind tells users from organizations. Quay keeps both (and robots,
// which fakequay does not model) in one User table with one id sequence.
type NamespaceKind uint8

// Namespace kinds.
const (
	KindUser NamespaceKind = iota + 1
	KindOrg
)

func (k NamespaceKind) String() string {
	switch k {
	case KindUser:
		return "user"
	case KindOrg:
		return "org"
	}
	return fmt.Sprintf("NamespaceKind(%d)", uint8(k))
}

// Namespace is a row of Quay's User table: a user or an organization.
// Rows are immutable once stored (see the package comment).
type Namespace struct {
	ID       int64
	Name     string // current username; a random UUID once marked for deletion
	Kind     NamespaceKind
	Email    string
	Verified bool
	Enabled  bool

	// HasPassword is false for organizations and for users converted to one
	// (takeOwnership clears the password hash).
	HasPassword bool

	// Size is the namespace's QuotaNamespaceSize row, or nil when Quay has
	// never computed one (quota_report then says "waiting" and 0 bytes).
	Size *NamespaceSize

	// Admins are the members of an organization's owners team, by user id.
	Admins []int64

	// Deleted is true from deleteInstallUser/deleteOrganization until the
	// namespace GC purges the row (Quay's DeletedNamespace marker).
	Deleted      bool
	OriginalName string // the name before deletion; blocks reuse until purge
	DeletedAt    time.Time

	CreatedAt time.Time
}

// NamespaceSize is a namespace's consumed storage as Quay's quota worker
// reports it.
type NamespaceSize struct {
	Bytes            int64
	BackfillStarted  bool
	BackfillComplete bool
}

// IsUser reports whether the namespace is a (non-robot) user.
func (n *Namespace) IsUser() bool { return n.Kind == KindUser }

// IsOrg reports whether the namespace is an organization.
func (n *Namespace) IsOrg() bool { return n.Kind == KindOrg }

func (n *Namespace) clone() *Namespace {
	c := *n
	return &c
}

func namespacesTableSchema() *memdb.TableSchema {
	id := func(n *Namespace) (int64, bool) { return n.ID, true }
	return &memdb.TableSchema{
		Name: tableNamespaces,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*Namespace]{key: id}},
			indexName: {Name: indexName, Unique: true, Indexer: stringIndex[*Namespace]{
				key: func(n *Namespace) (string, bool) { return n.Name, true }}},
			indexUsers: {Name: indexUsers, Unique: true, AllowMissing: true, Indexer: intIndex[*Namespace]{
				key: func(n *Namespace) (int64, bool) { return n.ID, n.IsUser() && !n.Deleted }}},
			indexEnabledUsers: {Name: indexEnabledUsers, Unique: true, AllowMissing: true, Indexer: intIndex[*Namespace]{
				key: func(n *Namespace) (int64, bool) { return n.ID, n.IsUser() && n.Enabled }}},
			indexOrgs: {Name: indexOrgs, Unique: true, AllowMissing: true, Indexer: intIndex[*Namespace]{
				key: func(n *Namespace) (int64, bool) { return n.ID, n.IsOrg() && !n.Deleted }}},
			indexDeletedName: {Name: indexDeletedName, Unique: true, AllowMissing: true, Indexer: stringIndex[*Namespace]{
				key: func(n *Namespace) (string, bool) { return n.OriginalName, n.Deleted }}},
			indexUserEmail: {Name: indexUserEmail, AllowMissing: true, Indexer: stringIndex[*Namespace]{
				key: func(n *Namespace) (string, bool) { return n.Email, n.IsUser() }}},
		},
	}
}

// --- reads -----------------------------------------------------------------

// Namespace returns the user or organization currently named name (Quay's
// get_user_or_org). Namespaces pending deletion carry a UUID name, so their
// old name finds nothing.
func (r Reader) Namespace(name string) (*Namespace, bool) {
	return first[*Namespace](r.txn, tableNamespaces, indexName, name)
}

// User returns the user named name (Quay's get_nonrobot_user): not an org.
func (r Reader) User(name string) (*Namespace, bool) {
	n, ok := r.Namespace(name)
	if !ok || !n.IsUser() {
		return nil, false
	}
	return n, true
}

// Organization returns the organization named name (Quay's get_organization).
func (r Reader) Organization(name string) (*Namespace, bool) {
	n, ok := r.Namespace(name)
	if !ok || !n.IsOrg() {
		return nil, false
	}
	return n, true
}

// NamespaceByID returns the namespace with the given id, whatever its state.
func (r Reader) NamespaceByID(id int64) (*Namespace, bool) {
	return first[*Namespace](r.txn, tableNamespaces, indexID, id)
}

// UserFilter selects the users listAllUsers shows.
type UserFilter uint8

// User filters (Quay's get_active_users with disabled=true/false).
const (
	// UsersNotDeleted lists every user except those pending deletion,
	// disabled users included (disabled=true, the default).
	UsersNotDeleted UserFilter = iota
	// UsersEnabled lists enabled users only (disabled=false); users pending
	// deletion are disabled, so they are excluded too.
	UsersEnabled
)

// Users calls fn for each user the filter selects whose id is >= fromID, in
// ascending id order, until fn returns false. The walk starts at fromID
// through the filter's index, so a page costs O(page size).
func (r Reader) Users(filter UserFilter, fromID int64, fn func(*Namespace) bool) {
	index := indexUsers
	if filter == UsersEnabled {
		index = indexEnabledUsers
	}
	iterate(mustIter(r.txn.LowerBound(tableNamespaces, index, fromID)), fn)
}

// Organizations calls fn for each organization not pending deletion whose id
// is >= fromID, in ascending id order, until fn returns false.
func (r Reader) Organizations(fromID int64, fn func(*Namespace) bool) {
	iterate(mustIter(r.txn.LowerBound(tableNamespaces, indexOrgs, fromID)), fn)
}

// AllNamespaces calls fn for every namespace row, pending deletion included,
// in id order.
func (r Reader) AllNamespaces(fn func(*Namespace) bool) {
	iterate(mustIter(r.txn.LowerBound(tableNamespaces, indexID, int64(0))), fn)
}

// nameBlockedTxn reports the model error create_user raises for a name that
// is taken by a user or organization, or held by one pending deletion.
func nameBlockedTxn(txn *memdb.Txn, name string) error {
	if n, ok := first[*Namespace](txn, tableNamespaces, indexName, name); ok {
		if n.IsOrg() {
			return modelError("Username has already been taken by an organization and cannot be reused: " + name)
		}
		return modelError("Username has already been taken by user cannot be reused: " + name)
	}
	if _, ok := first[*Namespace](txn, tableNamespaces, indexDeletedName, name); ok {
		return modelError("Username is not available")
	}
	return nil
}

// userEmailTakenTxn reports whether a user other than exceptID already uses
// email (Quay's partial unique index user_email_unique_non_org).
func userEmailTakenTxn(txn *memdb.Txn, email string, exceptID int64) bool {
	taken := false
	iterate(mustIter(txn.Get(tableNamespaces, indexUserEmail, email)), func(n *Namespace) bool {
		taken = n.ID != exceptID
		return !taken
	})
	return taken
}
