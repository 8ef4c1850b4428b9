package store

import (
	"slices"

	"github.com/hashicorp/go-memdb"
)

// DeleteOrganization marks the organization named name for deletion after
// writing audit (Quay's deleteOrganization). A name that is not an
// organization is ErrNotFound and writes nothing.
func (s *Store) DeleteOrganization(name string, audit Action, tomb Tombstone) error {
	return s.write(func(txn *memdb.Txn) error {
		org, ok := first[*Namespace](txn, tableNamespaces, indexName, name)
		if !ok || !org.IsOrg() {
			return ErrNotFound
		}
		if err := logActionTxn(txn, audit); err != nil {
			return err
		}
		markDeletedTxn(txn, org, audit.Time, tomb)
		return nil
	})
}

// RenameOrganization is changeOrganization's model work, in Quay's order:
// write audit (a name matching no namespace at all is a crash: Quay's
// log_action raises DoesNotExist); load the organization (a user's name is
// *ModelError "Organization does not exist", with the log kept); then, when
// newName is not nil, validate it and rename. A new name already in use is a
// crash (Quay hits the unique index), again with the log kept. Names pending
// deletion are not checked, as in Quay.
func (s *Store) RenameOrganization(name string, newName *string, audit Action) (*Namespace, error) {
	var org *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		if err := logActionTxn(txn, audit); err != nil {
			return err
		}
		cur, ok := first[*Namespace](txn, tableNamespaces, indexName, name)
		if !ok || !cur.IsOrg() {
			return keepChanges{modelError("Organization does not exist: " + name)}
		}
		org = cur
		if newName == nil {
			return nil
		}
		if issue := usernameIssue(*newName); issue != "" {
			return keepChanges{modelError("Invalid username " + *newName + ": " + issue)}
		}
		if other, taken := first[*Namespace](txn, tableNamespaces, indexName, *newName); taken && other.ID != cur.ID {
			return keepChanges{crash(`IntegrityError: duplicate key value violates unique constraint "user_username"`)}
		}
		renamed := cur.clone()
		renamed.Name = *newName
		insert(txn, tableNamespaces, renamed)
		org = renamed
		return nil
	})
	return org, err
}

// Ownership is the outcome of TakeOwnership.
type Ownership struct {
	EntityID int64
	WasUser  bool
}

// TakeOwnership makes user callerID an owner of the namespace named name
// (Quay's takeOwnership): an organization gains the caller in its owners
// team; a user is converted into an organization (password cleared) whose
// owners team is the caller. audit is written on the caller's account.
func (s *Store) TakeOwnership(name string, callerID int64, audit func(Ownership) Action) (Ownership, error) {
	var out Ownership
	err := s.write(func(txn *memdb.Txn) error {
		n, ok := first[*Namespace](txn, tableNamespaces, indexName, name)
		if !ok {
			return ErrNotFound
		}
		out = Ownership{EntityID: n.ID, WasUser: n.IsUser()}
		owned := n.clone()
		if n.IsUser() {
			owned.Kind = KindOrg
			owned.HasPassword = false
			owned.Admins = []int64{callerID}
		} else if !slices.Contains(n.Admins, callerID) {
			owned.Admins = append(slices.Clone(n.Admins), callerID)
		}
		insert(txn, tableNamespaces, owned)
		return logActionTxn(txn, audit(out))
	})
	return out, err
}

// PurgeDeletedNamespaces is Quay's namespace GC worker: it removes every
// namespace pending deletion, freeing its original name. Their audit logs
// stay and no longer resolve to a namespace. It returns how many it purged.
func (s *Store) PurgeDeletedNamespaces() (int, error) {
	purged := 0
	err := s.write(func(txn *memdb.Txn) error {
		var doomed []*Namespace
		iterate(mustIter(txn.LowerBound(tableNamespaces, indexDeletedName, "")), func(n *Namespace) bool {
			doomed = append(doomed, n)
			return true
		})
		for _, n := range doomed {
			for _, cascade := range namespacePurgedCascades {
				cascade(txn, n)
			}
			remove(txn, tableNamespaces, n)
		}
		purged = len(doomed)
		return nil
	})
	return purged, err
}
