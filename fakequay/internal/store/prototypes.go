package store

import (
	"github.com/hashicorp/go-memdb"
)

// Prototype is a row of Quay's PermissionPrototype table: a default
// permission of an organization. When a user creates a repository there,
// the prototypes activated by that user, or by anyone (ActivatingUserID
// 0), grant their delegate (a user, robot or team) their role on it.
type Prototype struct {
	ID               int64
	OrgID            int64
	UUID             string
	ActivatingUserID int64 // 0: applies whoever creates the repository
	Delegate         Entity
	Role             Role
}

// Indexes: id, (organization, id): an organization's prototypes in
// creation order, the order Quay applies and lists them in; uuid (Quay's
// prototype routes name them by it); delegate, (delegate, id) and
// activating, (activating user, id): the cascades when a team, user or
// robot goes.
func prototypesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tablePrototypes,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*Prototype]{
				key: func(p *Prototype) (rowKey, bool) { return keyOf().id(p.OrgID).id(p.ID), true }}},
			indexUUID: {Name: indexUUID, Indexer: stringIndex[*Prototype]{
				key: func(p *Prototype) (string, bool) { return p.UUID, true }}},
			indexDelegate: {Name: indexDelegate, Unique: true, Indexer: keyIndex[*Prototype]{
				key: func(p *Prototype) (rowKey, bool) { return p.Delegate.key(keyOf()).id(p.ID), true }}},
			indexActivating: {Name: indexActivating, Unique: true, AllowMissing: true, Indexer: keyIndex[*Prototype]{
				key: func(p *Prototype) (rowKey, bool) {
					return keyOf().id(p.ActivatingUserID).id(p.ID), p.ActivatingUserID != 0
				}}},
		},
	}
}

// Prototypes returns the organization's prototypes in creation order
// (Quay's get_prototype_permissions).
func (r Reader) Prototypes(orgID int64) []*Prototype {
	var out []*Prototype
	walkPrefix(r.txn, tablePrototypes, indexID, keyOf().id(orgID), func(p *Prototype) bool {
		out = append(out, p)
		return true
	})
	return out
}

// Prototype returns the organization's prototype with the given uuid
// (Quay's get_prototype_permission).
func (r Reader) Prototype(orgID int64, uuid string) (*Prototype, bool) {
	var found *Prototype
	iterate(mustIter(r.txn.Get(tablePrototypes, indexUUID, uuid)), func(p *Prototype) bool {
		if p.OrgID == orgID {
			found = p
			return false
		}
		return true
	})
	return found, found != nil
}

// deletePrototypesNamingTxn removes the prototypes that delegate to the
// entity or, for a user or robot, that it activates.
func deletePrototypesNamingTxn(txn *memdb.Txn, e Entity) {
	var doomed []*Prototype
	collect := func(p *Prototype) bool { doomed = append(doomed, p); return true }
	walkPrefix(txn, tablePrototypes, indexDelegate, e.key(keyOf()), collect)
	if e.IsUserLike() {
		walkPrefix(txn, tablePrototypes, indexActivating, keyOf().id(e.ID), collect)
	}
	seen := map[int64]bool{}
	for _, p := range doomed {
		if !seen[p.ID] {
			seen[p.ID] = true
			remove(txn, tablePrototypes, p)
		}
	}
}

// deletePrototypesOfOrgTxn removes an organization's own prototypes.
func deletePrototypesOfOrgTxn(txn *memdb.Txn, n *Namespace) {
	var doomed []*Prototype
	walkPrefix(txn, tablePrototypes, indexID, keyOf().id(n.ID), func(p *Prototype) bool {
		doomed = append(doomed, p)
		return true
	})
	for _, p := range doomed {
		remove(txn, tablePrototypes, p)
	}
}

// CreatePrototype is Quay's add_prototype_permission, then the log: p
// (its ID aside) becomes a default permission of its organization.
func (s *Store) CreatePrototype(p Prototype, audit Action) (*Prototype, error) {
	row := p
	err := s.write(func(txn *memdb.Txn) error {
		row.ID = nextIDTxn(txn, seqPrototype)
		insert(txn, tablePrototypes, &row)
		return logActionTxn(txn, audit)
	})
	return &row, err
}

// UpdatePrototypeRole is Quay's update_prototype_permission, then the log
// audit makes from the prototype as it was. A prototype the organization
// does not have is ErrNotFound.
func (s *Store) UpdatePrototypeRole(orgID int64, uuid string, role Role, audit func(old *Prototype) Action) (*Prototype, error) {
	var updated *Prototype
	err := s.write(func(txn *memdb.Txn) error {
		old, ok := Reader{txn: txn}.Prototype(orgID, uuid)
		if !ok {
			return ErrNotFound
		}
		row := *old
		row.Role = role
		insert(txn, tablePrototypes, &row)
		updated = &row
		return logActionTxn(txn, audit(old))
	})
	return updated, err
}

// DeletePrototype is Quay's delete_prototype_permission, then the log
// audit makes from the deleted prototype. A prototype the organization
// does not have is ErrNotFound.
func (s *Store) DeletePrototype(orgID int64, uuid string, audit func(old *Prototype) Action) error {
	return s.write(func(txn *memdb.Txn) error {
		old, ok := Reader{txn: txn}.Prototype(orgID, uuid)
		if !ok {
			return ErrNotFound
		}
		remove(txn, tablePrototypes, old)
		return logActionTxn(txn, audit(old))
	})
}
