package store

import (
	"errors"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/go-memdb"

	"github.com/quaykit/go-quay/fakequay/internal/pystr"
)

// Quota is a namespace quota (Quay's UserOrganizationQuota with its
// QuotaLimits). Quay allows one per namespace.
type Quota struct {
	ID          int64
	NamespaceID int64
	LimitBytes  int64
	Limits      []QuotaLimit // in id order, which is creation order
}

// QuotaLimit is a warning or reject threshold of a quota.
type QuotaLimit struct {
	ID      int64
	Type    string // "Warning" or "Reject"
	Percent int64
}

func (q *Quota) clone() *Quota {
	c := *q
	c.Limits = slices.Clone(q.Limits)
	return &c
}

func quotasTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableQuotas,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*Quota]{
				key: func(q *Quota) (int64, bool) { return q.ID, true }}},
			indexNamespace: {Name: indexNamespace, Unique: true, Indexer: intIndex[*Quota]{
				key: func(q *Quota) (int64, bool) { return q.NamespaceID, true }}},
		},
	}
}

// Errors of the quota operations besides ErrNotFound, which they return for
// an unknown namespace name.
var (
	// ErrQuotaExists: the namespace already has its one quota.
	ErrQuotaExists = errors.New("store: the namespace already has a quota")
	// ErrNoSuchQuota: the namespace has no quota with the given id.
	ErrNoSuchQuota = errors.New("store: the namespace has no quota with that id")
)

// QuotaSizeError is what Quay's quota model raises for a size it refuses
// (InvalidNamespaceQuota, UnsupportedQuotaSize). Unlike other model errors
// the quota endpoints catch it and answer a 400 ApiError carrying Message
// (request_error(exception=ex)), so it is not a *ModelError.
type QuotaSizeError struct{ Message string }

func (e *QuotaSizeError) Error() string { return e.Message }

// QuotaSize is a quota size as Quay's model receives it: a Python int (any
// size) taken from a JSON body, or a Python float, which is what bitmath
// returns for a "limit" string. Its zero value is the float 0.0.
type QuotaSize struct {
	whole *big.Int // the int; nil for a float
	float float64
}

// IntQuotaSize is the Python int v.
func IntQuotaSize(v *big.Int) QuotaSize { return QuotaSize{whole: new(big.Int).Set(v)} }

// FloatQuotaSize is the Python float v.
func FloatQuotaSize(v float64) QuotaSize { return QuotaSize{float: v} }

// IsFloat reports whether the size is a Python float.
func (q QuotaSize) IsFloat() bool { return q.whole == nil }

// Truthy is Python's bool() of the size: false only for zero.
func (q QuotaSize) Truthy() bool {
	if q.whole != nil {
		return q.whole.Sign() != 0
	}
	return q.float != 0
}

// String is Python's str() of the size ("0", "-5", "0.0", "5000000000.0"),
// which Quay's messages quote.
func (q QuotaSize) String() string {
	if q.whole != nil {
		return q.whole.String()
	}
	return pystr.FormatFloat(q.float)
}

// maxBigint is Postgres' bigint maximum as a float: floats at or above it
// do not fit the column.
const maxBigint = 0x1p63

// storedBytes is what Quay's model makes of a requested size, in its order:
// a size that is not > 0 is InvalidNamespaceQuota; peewee's IntegerField
// then applies int(), which truncates a float and raises OverflowError (a
// crash: nothing catches it) for infinity; Postgres finally refuses a value
// beyond bigint with a DataError, which the model turns into
// UnsupportedQuotaSize.
func (q QuotaSize) storedBytes() (int64, error) {
	positive := q.float > 0 // false for NaN, as in Python
	if q.whole != nil {
		positive = q.whole.Sign() > 0
	}
	if !positive {
		return 0, &QuotaSizeError{Message: "Invalid quota size limit value: '" + q.String() + "'"}
	}
	unsupported := &QuotaSizeError{Message: "Unsupported quota size limit."}
	if q.whole != nil {
		if !q.whole.IsInt64() {
			return 0, unsupported
		}
		return q.whole.Int64(), nil
	}
	if math.IsInf(q.float, 1) {
		return 0, crash("OverflowError: cannot convert float infinity to integer")
	}
	t := math.Trunc(q.float)
	if t >= maxBigint {
		return 0, unsupported
	}
	return int64(t), nil
}

// --- reads -----------------------------------------------------------------

// QuotaOf returns the quota of namespace id, if it has one.
func (r Reader) QuotaOf(namespaceID int64) (*Quota, bool) {
	return first[*Quota](r.txn, tableQuotas, indexNamespace, namespaceID)
}

// QuotaCursor is QuotaOf for callers that ask for namespace ids in
// ascending order, as a page of users or organizations does. It walks the
// quota table's namespace index alongside, seeking only when a quota of a
// namespace it was not asked about lies in the way, so a page where most
// namespaces have no quota costs one seek rather than one lookup each. An
// id not above the previous one gets a plain lookup. It is a value (no
// closure and captured variables to allocate per page).
type QuotaCursor struct {
	r    Reader
	it   memdb.ResultIterator
	head *Quota // the first quota at or after the last id asked; nil: none
	last int64
}

// QuotasInIDOrder returns a cursor at the start of the quota table.
func (r Reader) QuotasInIDOrder() QuotaCursor { return QuotaCursor{r: r} }

// Of returns the quota of namespace id, as QuotaOf does.
func (c *QuotaCursor) Of(id int64) (*Quota, bool) {
	switch {
	case c.it != nil && id <= c.last:
		return c.r.QuotaOf(id)
	case c.it == nil || (c.head != nil && c.head.NamespaceID < id):
		c.it = mustIter(c.r.txn.LowerBound(tableQuotas, indexNamespace, id))
		c.advance()
	}
	c.last = id
	if c.head == nil || c.head.NamespaceID != id {
		return nil, false
	}
	q := c.head
	c.advance()
	return q, true
}

func (c *QuotaCursor) advance() {
	c.head = nil
	if raw := c.it.Next(); raw != nil {
		c.head = raw.(*Quota)
	}
}

// NamespaceQuota is the lookup every superuser quota write starts with
// (get_user_or_org, then namespacequota.get_namespace_quota): the namespace
// named name, else ErrNotFound; then its quota if its id is quotaID, else
// ErrNoSuchQuota.
func (r Reader) NamespaceQuota(name string, quotaID int64) (*Namespace, *Quota, error) {
	return namespaceQuotaTxn(r.txn, name, quotaID)
}

func namespaceQuotaTxn(txn *memdb.Txn, name string, quotaID int64) (*Namespace, *Quota, error) {
	ns, ok := namespaceByNameTxn(txn, name)
	if !ok {
		return nil, nil, ErrNotFound
	}
	q, ok := first[*Quota](txn, tableQuotas, indexNamespace, ns.ID)
	if !ok || q.ID != quotaID {
		return ns, nil, ErrNoSuchQuota
	}
	return ns, q, nil
}

// --- writes ----------------------------------------------------------------

// CreateQuota gives the namespace named name a quota of size, without
// limits, checking in Quay's order (superuser createUserQuotaSuperUser and
// namespacequota.create_namespace_quota): the namespace exists (else
// ErrNotFound), it has no quota yet (else ErrQuotaExists), then the size
// (*QuotaSizeError, or a *CrashError for an infinite float).
func (s *Store) CreateQuota(name string, size QuotaSize) (*Quota, error) {
	var created *Quota
	err := s.write(func(txn *memdb.Txn) error {
		ns, ok := namespaceByNameTxn(txn, name)
		if !ok {
			return ErrNotFound
		}
		if _, exists := first[*Quota](txn, tableQuotas, indexNamespace, ns.ID); exists {
			return ErrQuotaExists
		}
		bytes, err := size.storedBytes()
		if err != nil {
			return err
		}
		created = &Quota{ID: nextIDTxn(txn, seqQuota), NamespaceID: ns.ID, LimitBytes: bytes}
		insert(txn, tableQuotas, created)
		return nil
	})
	return created, err
}

// ResizeQuota sets the limit of quota quotaID of the namespace named name
// (namespacequota.update_namespace_quota_size), after the lookups of
// NamespaceQuota. Its limits are kept. Quay's endpoint skips the call when
// the size is falsy; that is the caller's business.
func (s *Store) ResizeQuota(name string, quotaID int64, size QuotaSize) (*Quota, error) {
	var updated *Quota
	err := s.write(func(txn *memdb.Txn) error {
		_, q, err := namespaceQuotaTxn(txn, name, quotaID)
		if err != nil {
			return err
		}
		bytes, err := size.storedBytes()
		if err != nil {
			return err
		}
		updated = q.clone()
		updated.LimitBytes = bytes
		insert(txn, tableQuotas, updated)
		return nil
	})
	return updated, err
}

// DeleteQuota deletes quota quotaID of the namespace named name with its
// limits (namespacequota.delete_namespace_quota), after the lookups of
// NamespaceQuota. fakequay keeps no quota notifications, the other rows
// Quay deletes with it.
func (s *Store) DeleteQuota(name string, quotaID int64) error {
	return s.write(func(txn *memdb.Txn) error {
		_, q, err := namespaceQuotaTxn(txn, name, quotaID)
		if err != nil {
			return err
		}
		remove(txn, tableQuotas, q)
		return nil
	})
}

// deleteQuotaOfTxn deletes namespace n's quota, if any, with its limits.
func deleteQuotaOfTxn(txn *memdb.Txn, n *Namespace) {
	namespaceID := n.ID
	if q, ok := first[*Quota](txn, tableQuotas, indexNamespace, namespaceID); ok {
		remove(txn, tableQuotas, q)
	}
}
