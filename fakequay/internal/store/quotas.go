package store

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"strings"

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

// Float64 is Python's float() of the size.
func (q QuotaSize) Float64() float64 {
	if q.whole != nil {
		f, _ := new(big.Float).SetInt(q.whole).Float64()
		return f
	}
	return q.float
}

// Int is the size's int, nil for a float.
func (q QuotaSize) Int() *big.Int {
	if q.whole == nil {
		return nil
	}
	return new(big.Int).Set(q.whole)
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
//
// audit, when not nil, is the log row of the write (the organization
// endpoint's org_create_quota), written with it.
func (s *Store) CreateQuota(name string, size QuotaSize, audit *Action) (*Quota, error) {
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
		return logOptionalTxn(txn, audit)
	})
	return created, err
}

// ResizeQuota sets the limit of quota quotaID of the namespace named name
// (namespacequota.update_namespace_quota_size), after the lookups of
// NamespaceQuota. Its limits are kept. Quay's endpoint skips the call when
// the size is falsy; that is the caller's business. audit, when not nil,
// is built from the quota before the change and written with it.
func (s *Store) ResizeQuota(name string, quotaID int64, size QuotaSize, audit func(before *Quota) Action) (*Quota, error) {
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
		if audit != nil {
			return logActionTxn(txn, audit(q))
		}
		return nil
	})
	return updated, err
}

// DeleteQuota deletes quota quotaID of the namespace named name with its
// limits (namespacequota.delete_namespace_quota), after the lookups of
// NamespaceQuota. fakequay keeps no quota notifications, the other rows
// Quay deletes with it. audit, when not nil, is built from the deleted
// quota and written with it.
func (s *Store) DeleteQuota(name string, quotaID int64, audit func(deleted *Quota) Action) error {
	return s.write(func(txn *memdb.Txn) error {
		_, q, err := namespaceQuotaTxn(txn, name, quotaID)
		if err != nil {
			return err
		}
		remove(txn, tableQuotas, q)
		if audit != nil {
			return logActionTxn(txn, audit(q))
		}
		return nil
	})
}

// logOptionalTxn writes a's log row when a is not nil.
func logOptionalTxn(txn *memdb.Txn, a *Action) error {
	if a == nil {
		return nil
	}
	return logActionTxn(txn, *a)
}

// deleteQuotaOfTxn deletes namespace n's quota, if any, with its limits.
func deleteQuotaOfTxn(txn *memdb.Txn, n *Namespace) {
	namespaceID := n.ID
	if q, ok := first[*Quota](txn, tableQuotas, indexNamespace, namespaceID); ok {
		remove(txn, tableQuotas, q)
	}
}

// --- quota limits ------------------------------------------------------------

// Quay's quota limit messages (data/model/namespacequota.py).
const (
	msgLimitThreshold = "Quota limit threshold must be between 1 and 100"
	msgLimitType      = "Quota type must be one of [Warning, Reject]"
)

// ErrQuotaLimitExists: createOrganizationQuotaLimit found a limit its
// filter matches ("Quota limit already exists").
var ErrQuotaLimitExists = errors.New("store: quota limit already exists")

// ErrNoSuchQuotaLimit: no limit has the id asked for.
var ErrNoSuchQuotaLimit = errors.New("store: no quota limit with that id")

// quotaTypeName is namespacequota._quota_type: the canonical name of a
// type given in any case. No non-ASCII letter lowers to an ASCII one of
// "warning" or "reject" in Python (U+0130 lowers to two code points), so
// ASCII lowering is str.lower here.
func quotaTypeName(name string) (string, bool) {
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			return "", false
		}
	}
	switch strings.ToLower(name) {
	case "warning":
		return "Warning", true
	case "reject":
		return "Reject", true
	}
	return "", false
}

// percentInRange is Quay's "percent_of_limit > 0 and <= 100" (false for
// NaN, as in Python).
func percentInRange(p float64) bool { return p > 0 && p <= 100 }

// QuotaLimitLookup is get_namespace_quota's lookup followed by
// get_namespace_quota_limit's: ErrNoSuchQuota (Quay's NotFound) for an
// unknown namespace or quota, ErrNoSuchQuotaLimit for an unknown limit id,
// and a *ModelError with no message (InvalidNamespaceQuota()) for a limit
// of another quota, since limit ids are global.
func (r Reader) QuotaLimitLookup(name string, quotaID, limitID int64) (*Quota, QuotaLimit, error) {
	return quotaLimitTxn(r.txn, name, quotaID, limitID)
}

// OrgQuota is get_quota of the organization endpoints: the quota quotaID
// of the namespace named name, else ErrNoSuchQuota (also for an unknown
// namespace: Quay's query joins User by name).
func (r Reader) OrgQuota(name string, quotaID int64) (*Quota, error) {
	_, q, err := namespaceQuotaTxn(r.txn, name, quotaID)
	if err != nil {
		return nil, ErrNoSuchQuota
	}
	return q, nil
}

func quotaLimitTxn(txn *memdb.Txn, name string, quotaID, limitID int64) (*Quota, QuotaLimit, error) {
	_, q, err := namespaceQuotaTxn(txn, name, quotaID)
	if err != nil {
		return nil, QuotaLimit{}, ErrNoSuchQuota
	}
	for _, lim := range q.Limits {
		if lim.ID == limitID {
			return q, lim, nil
		}
	}
	// Not this quota's: is it another's? Limits live inside their quota
	// rows, so this walks the quotas (a refusal path only).
	it := mustIter(txn.Get(tableQuotas, indexID))
	for raw := it.Next(); raw != nil; raw = it.Next() {
		for _, lim := range raw.(*Quota).Limits {
			if lim.ID == limitID {
				return nil, QuotaLimit{}, modelError("")
			}
		}
	}
	return nil, QuotaLimit{}, ErrNoSuchQuotaLimit
}

// LimitPercent is a threshold_percent as Quay's model compares it: the
// JSON number as a float (an int past the float range is ±Inf, which
// compares the same way), and whether Python sees it as true.
type LimitPercent float64

// CreateQuotaLimit is createOrganizationQuotaLimit after its permission
// check, in Quay's order: the quota (ErrNoSuchQuota); the duplicate
// filter of get_namespace_quota_limit_list, which validates a true
// percent and a non-empty type (uncaught *ModelError) and then refuses a
// limit of that type and percent (ErrQuotaLimitExists; a falsy percent or
// empty type filters on nothing); then create_namespace_quota_limit's own
// checks (*QuotaSizeError, which the endpoint catches as a 400). audit is
// written with the new limit.
func (s *Store) CreateQuotaLimit(name string, quotaID int64, typ string, percent LimitPercent, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		_, q, err := namespaceQuotaTxn(txn, name, quotaID)
		if err != nil {
			return ErrNoSuchQuota
		}
		p := float64(percent)
		if p != 0 && !percentInRange(p) {
			return modelError(msgLimitThreshold)
		}
		canonical, typeOK := quotaTypeName(typ)
		if typ != "" && !typeOK {
			return modelError(msgLimitType)
		}
		for _, lim := range q.Limits {
			if (typ == "" || lim.Type == canonical) && (p == 0 || float64(lim.Percent) == p) {
				return ErrQuotaLimitExists
			}
		}
		if !percentInRange(p) {
			return &QuotaSizeError{Message: msgLimitThreshold}
		}
		if !typeOK {
			return &QuotaSizeError{Message: msgLimitType}
		}
		updated := q.clone()
		updated.Limits = append(updated.Limits, QuotaLimit{ID: nextIDTxn(txn, seqQuotaLimit), Type: canonical, Percent: int64(p)})
		insert(txn, tableQuotas, updated)
		return logActionTxn(txn, audit)
	})
}

// QuotaLimitChange is a changeOrganizationQuotaLimit body: nil fields are
// absent keys.
type QuotaLimitChange struct {
	Type    *string
	Percent *LimitPercent
}

// ChangeQuotaLimit is changeOrganizationQuotaLimit after its permission
// check: the lookups of QuotaLimitLookup, then the type (an uncaught
// *ModelError for an unknown one), then the threshold (the same for one
// out of 1..100). Quay saves the type before it checks the threshold, so
// a refused threshold keeps a new type (keepChanges). audit, built from
// the limit before the change, is written when both succeed. It returns
// the quota as it is after the change.
func (s *Store) ChangeQuotaLimit(name string, quotaID, limitID int64, ch QuotaLimitChange, audit func(before QuotaLimit) Action) (*Quota, error) {
	var out *Quota
	err := s.write(func(txn *memdb.Txn) error {
		q, before, err := quotaLimitTxn(txn, name, quotaID, limitID)
		if err != nil {
			return err
		}
		updated := q.clone()
		i := slices.IndexFunc(updated.Limits, func(l QuotaLimit) bool { return l.ID == limitID })
		if ch.Type != nil {
			canonical, ok := quotaTypeName(*ch.Type)
			if !ok {
				return modelError(msgLimitType)
			}
			updated.Limits[i].Type = canonical
			insert(txn, tableQuotas, updated)
			out = updated
		}
		if ch.Percent != nil {
			p := float64(*ch.Percent)
			if !percentInRange(p) {
				if ch.Type != nil {
					return keepChanges{modelError(msgLimitThreshold)}
				}
				return modelError(msgLimitThreshold)
			}
			updated = updated.clone()
			updated.Limits[i].Percent = int64(p)
			insert(txn, tableQuotas, updated)
		}
		out = updated
		return logActionTxn(txn, audit(before))
	})
	return out, err
}

// DeleteQuotaLimit is deleteOrganizationQuotaLimit after its permission
// check: the lookups of QuotaLimitLookup, then the limit goes. audit is
// built from the deleted limit.
func (s *Store) DeleteQuotaLimit(name string, quotaID, limitID int64, audit func(deleted QuotaLimit) Action) error {
	return s.write(func(txn *memdb.Txn) error {
		q, lim, err := quotaLimitTxn(txn, name, quotaID, limitID)
		if err != nil {
			return err
		}
		updated := q.clone()
		updated.Limits = slices.DeleteFunc(updated.Limits, func(l QuotaLimit) bool { return l.ID == limitID })
		insert(txn, tableQuotas, updated)
		return logActionTxn(txn, audit(lim))
	})
}
