package store

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"time"

	"github.com/hashicorp/go-memdb"
	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// Service keys: Quay's data/model/service_keys.py over the ServiceKey and
// ServiceKeyApproval tables (reference §1.9, §2.8–§2.13).

// Quay's defaults for EXPIRED_SERVICE_KEY_TTL_SEC and
// UNAPPROVED_SERVICE_KEY_TTL_SEC.
const (
	// ExpiredServiceKeyTTL is how long an expired key stays visible; after
	// that it is hidden from list and get and collected by GC.
	ExpiredServiceKeyTTL = 7 * 24 * time.Hour
	// UnapprovedServiceKeyTTL is how long an unapproved key survives GC.
	UnapprovedServiceKeyTTL = 24 * time.Hour
)

// The approval types Quay stores: str() of its ServiceKeyApprovalType enum,
// which is what the approval view shows.
const (
	ApprovalSuperuser   = "ServiceKeyApprovalType.SUPERUSER"
	ApprovalKeyRotation = "ServiceKeyApprovalType.KEY_ROTATION"
	ApprovalAutomatic   = "ServiceKeyApprovalType.AUTOMATIC"
)

// ValidApprovalType reports whether t is one of the Approval* constants.
func ValidApprovalType(t string) bool {
	switch t {
	case ApprovalSuperuser, ApprovalKeyRotation, ApprovalAutomatic:
		return true
	}
	return false
}

// ErrServiceKeyAlreadyApproved is Quay's ServiceKeyAlreadyApproved: the key
// has an approval already and nothing was changed.
var ErrServiceKeyAlreadyApproved = errors.New("store: service key already approved")

// ServiceKey is a row of Quay's ServiceKey table joined with its approval.
// Only the public half of the key is ever stored. Rows are immutable once
// stored (see the package comment), Metadata included.
type ServiceKey struct {
	ID      int64 // creation order; Quay's list has no ORDER BY and shows this
	Kid     string
	Name    string
	Service string
	JWK     JWK
	// Metadata is a JSON object (json.dumps of Quay's dict, keys in its
	// insertion order).
	Metadata         json.RawMessage
	Created          time.Time
	Expiration       *time.Time // nil: never expires
	RotationDuration *int64
	Approval         *Approval // nil: unapproved
}

// JWK is the public RSA JSON Web Key Quay stores (Authlib's as_dict()).
type JWK struct {
	Kty string
	E   string
	N   string
	Kid string
}

// Approval is a ServiceKeyApproval row.
type Approval struct {
	ApproverID int64  // 0: none (the approver was deleted)
	Type       string // one of the Approval* constants
	Date       time.Time
	Notes      string
}

func (k *ServiceKey) clone() *ServiceKey {
	c := *k
	return &c
}

// staleExpired is Quay's _stale_expired_keys_clause: the key expired at
// least ExpiredServiceKeyTTL before now.
func (k *ServiceKey) staleExpired(now time.Time) bool {
	return k.Expiration != nil && !k.Expiration.After(now.Add(-ExpiredServiceKeyTTL))
}

// staleUnapproved is Quay's _stale_unapproved_keys_clause without the
// service: unapproved and created at least UnapprovedServiceKeyTTL ago.
func (k *ServiceKey) staleUnapproved(now time.Time) bool {
	return k.Approval == nil && !k.Created.After(now.Add(-UnapprovedServiceKeyTTL))
}

func serviceKeysTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableServiceKeys,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*ServiceKey]{
				key: func(k *ServiceKey) (int64, bool) { return k.ID, true }}},
			indexKid: {Name: indexKid, Unique: true, Indexer: stringIndex[*ServiceKey]{
				key: func(k *ServiceKey) (string, bool) { return k.Kid, true }}},
			indexService: {Name: indexService, Indexer: stringIndex[*ServiceKey]{
				key: func(k *ServiceKey) (string, bool) { return k.Service, true }}},
			indexApprover: {Name: indexApprover, AllowMissing: true, Indexer: intIndex[*ServiceKey]{
				key: func(k *ServiceKey) (int64, bool) {
					if k.Approval == nil || k.Approval.ApproverID == 0 {
						return 0, false
					}
					return k.Approval.ApproverID, true
				}}},
		},
	}
}

// clearApproverTxn is the step of Quay's _delete_user_linked_data that nulls
// the approver of every approval the deleted namespace gave.
func clearApproverTxn(txn *memdb.Txn, n *Namespace) {
	var approved []*ServiceKey
	iterate(mustIter(txn.Get(tableServiceKeys, indexApprover, n.ID)), func(k *ServiceKey) bool {
		approved = append(approved, k)
		return true
	})
	for _, k := range approved {
		c := k.clone()
		a := *k.Approval
		a.ApproverID = 0
		c.Approval = &a
		insert(txn, tableServiceKeys, c)
	}
}

// --- reads -----------------------------------------------------------------

// ListServiceKeys is Quay's list_all_keys at time now: approved and
// unapproved keys, expired or not, except those expired at least
// ExpiredServiceKeyTTL ago; in creation order.
func (r Reader) ListServiceKeys(now time.Time) []*ServiceKey {
	var out []*ServiceKey
	r.AllServiceKeys(func(k *ServiceKey) bool {
		if !k.staleExpired(now) {
			out = append(out, k)
		}
		return true
	})
	return out
}

// VisibleServiceKey is Quay's get_service_key(kid, approved_only=False,
// alive_only=False) at time now: the key unless it expired at least
// ExpiredServiceKeyTTL ago.
func (r Reader) VisibleServiceKey(kid string, now time.Time) (*ServiceKey, bool) {
	k, ok := r.ServiceKey(kid)
	if !ok || k.staleExpired(now) {
		return nil, false
	}
	return k, true
}

// ServiceKey returns the stored key kid, however stale (Quay's
// ServiceKey.get(kid=kid), which deleteServiceKey uses).
func (r Reader) ServiceKey(kid string) (*ServiceKey, bool) {
	return first[*ServiceKey](r.txn, tableServiceKeys, indexKid, kid)
}

// AllServiceKeys calls fn for every stored key in creation order, stale
// ones included, until fn returns false.
func (r Reader) AllServiceKeys(fn func(*ServiceKey) bool) {
	iterate(mustIter(r.txn.LowerBound(tableServiceKeys, indexID, int64(0))), fn)
}

// --- writes ----------------------------------------------------------------

// serviceNameRE is Quay's _SERVICE_NAME_REGEX, ^[a-z0-9_]+$, under Python's
// re.match: "$" also matches just before a final newline.
var serviceNameRE = regexp.MustCompile(`^[a-z0-9_]+\n?\z`)

// ValidServiceName reports whether Quay's model accepts service as a
// service key's service name.
func ValidServiceName(service string) bool { return serviceNameRE.MatchString(service) }

// NewServiceKey describes createServiceKey's model work.
type NewServiceKey struct {
	// Key is the row to store; its ID and Approval are set by the store.
	Key ServiceKey
	// Approval is the auto-approval given right after creation.
	Approval Approval
	// Audit holds the logs written once the key is approved, in order
	// (service_key_create, service_key_approve).
	Audit []Action
}

// CreateServiceKey is Quay's create_service_key followed by
// approve_service_key: an invalid service name is a *ModelError with an
// empty message (ServiceNameInvalid carries none); otherwise the service's
// stale keys are collected, the key is stored with its approval, and the
// audit logs are written. Notes holding a NUL leave the key stored but
// unapproved and fail with a *CrashError, as Quay's two separate writes do. The key's Created time is "now" for the GC.
func (s *Store) CreateServiceKey(in NewServiceKey) (*ServiceKey, error) {
	var created *ServiceKey
	err := s.write(func(txn *memdb.Txn) error {
		if !ValidServiceName(in.Key.Service) {
			return modelError("")
		}
		gcServiceKeysTxn(txn, in.Key.Service, in.Key.Created)
		row := in.Key
		approval := in.Approval
		if hasNUL(approval.Notes) {
			// create_service_key commits the key; approve_service_key's
			// transaction then fails to bind the notes.
			row.Approval = nil
			if _, err := insertServiceKeyTxn(txn, row); err != nil {
				return err
			}
			return keepChanges{nulLiteral()}
		}
		row.Approval = &approval
		k, err := insertServiceKeyTxn(txn, row)
		if err != nil {
			return err
		}
		created = k
		for _, a := range in.Audit {
			if err := logActionTxn(txn, a); err != nil {
				return err
			}
		}
		return nil
	})
	return created, err
}

// insertServiceKeyTxn stores k with the next id. A kid already in use is
// the unique-index violation Quay's database would raise.
func insertServiceKeyTxn(txn *memdb.Txn, k ServiceKey) (*ServiceKey, error) {
	if _, taken := first[*ServiceKey](txn, tableServiceKeys, indexKid, k.Kid); taken {
		return nil, crash(`IntegrityError: duplicate key value violates unique constraint "servicekey_kid"`)
	}
	row := k
	row.ID = nextIDTxn(txn, seqServiceKey)
	// The caller keeps its buffer and approval; the row gets its own copies.
	row.Metadata = slices.Clone(k.Metadata)
	if len(row.Metadata) == 0 {
		row.Metadata = json.RawMessage("{}")
	}
	if k.Approval != nil {
		a := *k.Approval
		row.Approval = &a
	}
	insert(txn, tableServiceKeys, &row)
	return &row, nil
}

// gcServiceKeysTxn is Quay's _gc_expired(service): it deletes the
// service's keys that expired at least ExpiredServiceKeyTTL ago and its
// unapproved keys created at least UnapprovedServiceKeyTTL ago.
func gcServiceKeysTxn(txn *memdb.Txn, service string, now time.Time) {
	var doomed []*ServiceKey
	iterate(mustIter(txn.Get(tableServiceKeys, indexService, service)), func(k *ServiceKey) bool {
		if k.staleExpired(now) || k.staleUnapproved(now) {
			doomed = append(doomed, k)
		}
		return true
	})
	for _, k := range doomed {
		remove(txn, tableServiceKeys, k)
	}
}

// ServiceKeyUpdate describes updateServiceKey's changes, applied in Quay's
// order: the expiration step (set_key_expiration), then the modify step
// (update_service_key). Each step writes its log before its change, as
// Quay does; there is no transaction around the two.
type ServiceKeyUpdate struct {
	// Now decides whether the key is still visible (see VisibleServiceKey).
	Now time.Time

	// SetExpiration runs the expiration step: Expiration replaces the
	// key's (nil clears it).
	SetExpiration bool
	Expiration    *time.Time
	// ExtendLog builds the service_key_extend log from the key as loaded.
	ExtendLog func(loaded *ServiceKey) Action

	// Modify runs the modify step: a non-nil Name replaces the key's, and
	// Metadata is merged into the key's metadata as Python's dict.update
	// does: top-level keys replace, new ones are appended.
	Modify   bool
	Name     *string
	Metadata *py.Object
	// ModifyLog builds the service_key_modify log from the key as loaded.
	ModifyLog func(loaded *ServiceKey) Action
	// ModifyErr, when not nil, fails the modify step with this error after
	// the expiration step was kept: Quay validates the name only then.
	ModifyErr error
}

// UpdateServiceKey applies upd to the visible key kid and returns the key
// as it is afterwards. A key that is missing or hidden is ErrNotFound.
func (s *Store) UpdateServiceKey(kid string, upd ServiceKeyUpdate) (*ServiceKey, error) {
	var updated *ServiceKey
	err := s.write(func(txn *memdb.Txn) error {
		loaded, ok := first[*ServiceKey](txn, tableServiceKeys, indexKid, kid)
		if !ok || loaded.staleExpired(upd.Now) {
			return ErrNotFound
		}
		cur := loaded
		if upd.SetExpiration {
			if err := logActionTxn(txn, upd.ExtendLog(loaded)); err != nil {
				return err
			}
			cur = cur.clone()
			cur.Expiration = upd.Expiration
			insert(txn, tableServiceKeys, cur)
		}
		if upd.Modify {
			if upd.ModifyErr != nil {
				return keepChanges{upd.ModifyErr}
			}
			cur = cur.clone()
			if upd.Name != nil {
				cur.Name = *upd.Name
			}
			if upd.Metadata != nil {
				merged, err := mergeMetadata(cur.Metadata, upd.Metadata)
				if err != nil {
					return err
				}
				cur.Metadata = merged
			}
			insert(txn, tableServiceKeys, cur)
			if err := logActionTxn(txn, upd.ModifyLog(loaded)); err != nil {
				return err
			}
		}
		updated = cur
		return nil
	})
	return updated, err
}

// DeleteServiceKey is Quay's delete_service_key at time now: the key kid,
// however stale, is deleted, then the service's stale keys are collected,
// then audit (built from the deleted key) is written. It returns the
// deleted key; a missing key is ErrNotFound.
func (s *Store) DeleteServiceKey(kid string, now time.Time, audit func(deleted *ServiceKey) Action) (*ServiceKey, error) {
	var deleted *ServiceKey
	err := s.write(func(txn *memdb.Txn) error {
		k, ok := first[*ServiceKey](txn, tableServiceKeys, indexKid, kid)
		if !ok {
			return ErrNotFound
		}
		remove(txn, tableServiceKeys, k)
		gcServiceKeysTxn(txn, k.Service, now)
		deleted = k
		return logActionTxn(txn, audit(k))
	})
	return deleted, err
}

// ApproveServiceKey is Quay's approve_service_key: the key kid, however
// stale or expired, gets approval and audit (built from the key) is
// written. A missing key is ErrNotFound; an approved one is
// ErrServiceKeyAlreadyApproved and nothing is written; notes holding a NUL
// are a *CrashError (the approval's insert cannot bind them).
func (s *Store) ApproveServiceKey(kid string, approval Approval, audit func(*ServiceKey) Action) error {
	return s.write(func(txn *memdb.Txn) error {
		k, ok := first[*ServiceKey](txn, tableServiceKeys, indexKid, kid)
		if !ok {
			return ErrNotFound
		}
		if k.Approval != nil {
			return ErrServiceKeyAlreadyApproved
		}
		if hasNUL(approval.Notes) {
			return nulLiteral()
		}
		approved := k.clone()
		approved.Approval = &approval
		insert(txn, tableServiceKeys, approved)
		return logActionTxn(txn, audit(approved))
	})
}

// mergeMetadata is Python's dict.update of a stored metadata object.
func mergeMetadata(stored json.RawMessage, update *py.Object) (json.RawMessage, error) {
	v, err := py.Decode(stored)
	merged, ok := v.(*py.Object)
	if err != nil || !ok {
		return nil, crash("stored service-key metadata is not a JSON object")
	}
	for k, val := range update.All() {
		merged.Set(k, val)
	}
	out, err := py.Dumps(merged)
	if err != nil {
		return nil, crash("encoding service-key metadata: " + err.Error())
	}
	return out, nil
}
