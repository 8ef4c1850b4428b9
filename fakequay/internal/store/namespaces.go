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
// table's primary key is (listing, id): each list is then one range of the
// key that a page walks from its token's id in O(limit), and a namespace
// costs one radix-tree leaf instead of one per list (issue 5, goal 6).
// Names and user e-mails are found through hash indexes (hashindex.go).
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

func namespacesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableNamespaces,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: listingIDIndex{}},
			indexDeletedName: {Name: indexDeletedName, Unique: true, AllowMissing: true, Indexer: stringIndex[*Namespace]{
				key: func(n *Namespace) (string, bool) { return n.OriginalName, n.Deleted }}},
		},
	}
}

// listingIDIndex is the namespaces table's primary key, (listing, id):
// the listing byte, then the id as appendNibbles writes it.
type listingIDIndex struct{}

func (listingIDIndex) FromObject(raw any) (bool, []byte, error) {
	n, ok := raw.(*Namespace)
	if !ok {
		return false, nil, fmt.Errorf("listing index: unexpected %T", raw)
	}
	return true, encodeListingID(n.listing(), n.ID), nil
}

func (listingIDIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("listing index: want 2 arguments, got %d", len(args))
	}
	l, ok1 := args[0].(listing)
	id, ok2 := args[1].(int64)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("listing index: arguments are %T, %T, want listing, int64", args[0], args[1])
	}
	return encodeListingID(l, id), nil
}

func encodeListingID(l listing, id int64) []byte {
	return appendNibbles(append(make([]byte, 0, 1+nibbleKeyBytes), byte(l)), uint64(id))
}

// namespaceByIDTxn returns the namespace with the given id, whatever its
// state.
func namespaceByIDTxn(txn *memdb.Txn, id int64) (*Namespace, bool) {
	for _, l := range lookupOrder {
		if n, ok := first[*Namespace](txn, tableNamespaces, indexID, l, id); ok {
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
		remove(txn, tableNamespaces, old)
	}
	if n != nil {
		insert(txn, tableNamespaces, n)
	}
	namesIndex.update(txn, old, n)
	userEmailsIndex.update(txn, old, n)
}

// walkListings calls fn for the namespaces in the given lists whose id is
// >= fromID, in ascending id order across the lists, until fn returns
// false. Each list is walked from fromID and the walks are merged, so the
// cost is O(rows visited).
func walkListings(txn *memdb.Txn, lists []listing, fromID int64, fn func(*Namespace) bool) {
	type walk struct {
		list listing
		it   memdb.ResultIterator
		head *Namespace // nil once the list is done
	}
	advance := func(w *walk) {
		w.head = nil
		if raw := w.it.Next(); raw != nil {
			if n := raw.(*Namespace); n.listing() == w.list {
				w.head = n
			}
		}
	}
	walks := make([]walk, len(lists))
	for i, l := range lists {
		walks[i] = walk{list: l, it: mustIter(txn.LowerBound(tableNamespaces, indexID, l, fromID))}
		advance(&walks[i])
	}
	for {
		var next *walk
		for i := range walks {
			if w := &walks[i]; w.head != nil && (next == nil || w.head.ID < next.head.ID) {
				next = w
			}
		}
		if next == nil {
			return
		}
		n := next.head
		advance(next)
		if !fn(n) {
			return
		}
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
	if _, ok := first[*Namespace](txn, tableNamespaces, indexDeletedName, name); ok {
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
