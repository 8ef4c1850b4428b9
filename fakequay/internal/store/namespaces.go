package store

import (
	"fmt"
	"time"

	"github.com/hashicorp/go-memdb"
)

// NamespaceKind tells users from organizations. Quay keeps both (and
// robots, which fakequay keeps in a table of their own: robots.go) in one
// User table with one id sequence.
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
//
// The fields are ordered to pack the row into few bytes: a store seeded
// with a million users holds a million of them.
type Namespace struct {
	ID    int64
	Name  string // current username; a random UUID once marked for deletion
	Email string

	// Size is the namespace's QuotaNamespaceSize row, or nil when Quay has
	// never computed one (quota_report then says "waiting" and 0 bytes).
	Size *NamespaceSize

	// Settings holds the columns only the organization and user views
	// show; nil is Quay's defaults for all of them.
	Settings *NamespaceSettings

	OriginalName string // the name before deletion; blocks reuse until purge
	DeletedAt    time.Time

	Kind     NamespaceKind
	Verified bool
	Enabled  bool

	// HasPassword is false for organizations and for users converted to one
	// (takeOwnership clears the password hash).
	HasPassword bool

	// Deleted is true from deleteInstallUser/deleteOrganization until the
	// namespace GC purges the row (Quay's DeletedNamespace marker).
	Deleted bool
}

// NamespaceSettings are User-table columns beyond name and e-mail that
// the organization view shows to admins.
type NamespaceSettings struct {
	InvoiceEmail        bool
	InvoiceEmailAddress *string // nil: NULL
	// TagExpirationS is removed_tag_expiration_s.
	TagExpirationS int64
}

// DefaultTagExpirationS is removed_tag_expiration_s as Quay's default
// DEFAULT_TAG_EXPIRATION ("2w") sets it: two weeks.
const DefaultTagExpirationS = 14 * 24 * 60 * 60

// Setting returns the namespace's settings, Quay's defaults when it has
// none of its own.
func (n *Namespace) Setting() NamespaceSettings {
	if n.Settings == nil {
		return NamespaceSettings{TagExpirationS: DefaultTagExpirationS}
	}
	return *n.Settings
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

// listing is the list of the API a namespace appears in. The namespaces
// table is ordered by (listing, id): each list is then one range of the
// table that a page walks from its token's id in O(limit)
// (namespace_chunks.go). Names, user e-mails and the original names of
// namespaces pending deletion are found through hash indexes
// (hashindex.go).
type listing uint8

const (
	listedUser         listing = iota + 1 // enabled, not pending deletion
	listedDisabledUser                    // disabled, not pending deletion
	listedOrg                             // not pending deletion
	listedDeleted                         // user or organization pending deletion
)

// lookupOrder is every listing, likeliest first: finding a namespace by id
// tries them in turn.
var lookupOrder = []listing{listedUser, listedOrg, listedDisabledUser, listedDeleted}

// idOrder is every listing, for walks of all namespaces in id order.
var idOrder = []listing{listedUser, listedDisabledUser, listedOrg, listedDeleted}

func (n *Namespace) listing() listing {
	switch {
	case n.Deleted:
		return listedDeleted
	case n.IsOrg():
		return listedOrg
	case n.Enabled:
		return listedUser
	}
	return listedDisabledUser
}

// namespaceByIDTxn returns the namespace with the given id, whatever its
// state.
func namespaceByIDTxn(txn *memdb.Txn, id int64) (*Namespace, bool) {
	for _, l := range lookupOrder {
		if n, ok := namespaceAtTxn(txn, l, id); ok {
			return n, true
		}
	}
	return nil, false
}

// namespaceByNameTxn returns the namespace currently named name.
func namespaceByNameTxn(txn *memdb.Txn, name string) (*Namespace, bool) {
	return namesIndex.find(txn, name)
}

// putNamespaceTxn stores n in place of old, two versions of one namespace
// (nil old: n is new; nil n: old is removed), and keeps the hash indexes
// in step. Every write of the namespaces table goes through here.
func putNamespaceTxn(txn *memdb.Txn, old, n *Namespace) {
	if old != nil && (n == nil || old.listing() != n.listing()) {
		removeFromChunk(txn, old)
	}
	if n != nil {
		storeInChunk(txn, n)
	}
	for _, ix := range hashIndexes {
		ix.update(txn, old, n)
	}
}

// --- reads -----------------------------------------------------------------

// Namespace returns the user or organization currently named name (Quay's
// get_user_or_org). Namespaces pending deletion carry a UUID name, so their
// old name finds nothing.
func (r Reader) Namespace(name string) (*Namespace, bool) {
	return namespaceByNameTxn(r.txn, name)
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
	return namespaceByIDTxn(r.txn, id)
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
// in the filter's lists, so a page costs O(page size).
func (r Reader) Users(filter UserFilter, fromID int64, fn func(*Namespace) bool) {
	lists := []listing{listedUser, listedDisabledUser}
	if filter == UsersEnabled {
		lists = lists[:1]
	}
	walkListings(r.txn, lists, fromID, fn)
}

// Organizations calls fn for each organization not pending deletion whose id
// is >= fromID, in ascending id order, until fn returns false.
func (r Reader) Organizations(fromID int64, fn func(*Namespace) bool) {
	walkListings(r.txn, []listing{listedOrg}, fromID, fn)
}

// AllNamespaces calls fn for every namespace row, pending deletion included,
// in id order.
func (r Reader) AllNamespaces(fn func(*Namespace) bool) {
	walkListings(r.txn, idOrder, 0, fn)
}

// nameBlockedTxn reports the model error create_user raises for a name that
// is taken by a user or organization, or held by one pending deletion.
func nameBlockedTxn(txn *memdb.Txn, name string) error {
	if n, ok := namespaceByNameTxn(txn, name); ok {
		if n.IsOrg() {
			return modelError("Username has already been taken by an organization and cannot be reused: " + name)
		}
		return modelError("Username has already been taken by user cannot be reused: " + name)
	}
	if _, ok := deletedNamesIndex.find(txn, name); ok {
		return modelError("Username is not available")
	}
	return nil
}

// userEmailTakenTxn reports whether a user other than exceptID already uses
// email (Quay's partial unique index user_email_unique_non_org).
func userEmailTakenTxn(txn *memdb.Txn, email string, exceptID int64) bool {
	taken := false
	userEmailsIndex.each(txn, email, func(n *Namespace) bool {
		taken = n.ID != exceptID
		return !taken
	})
	return taken
}
