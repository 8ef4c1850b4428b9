package store

import (
	"github.com/hashicorp/go-memdb"
)

// RepoPermission is a row of Quay's RepositoryPermission table: a role on
// one repository for a user, a robot or a team. It carries both ids of its
// repository (the repositories table's primary key) so that a namespace's
// permissions are one prefix of the key.
type RepoPermission struct {
	ID          int64
	NamespaceID int64
	RepoID      int64
	Entity      Entity
	Role        Role
}

// Two indexes, both unique (Quay's (user, repository) and (team,
// repository) unique indexes):
//   - id, (namespace, repository, entity): the permission of one entity on
//     one repository, a repository's permissions, a namespace's;
//   - entity, (entity, namespace, repository): an entity's permissions, in
//     one namespace or everywhere, for the cascades and the member views.
//
// Listings show permissions in id order (Quay's queries have no ORDER BY;
// its databases return them as stored), so they sort what they walk.
func repoPermissionsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableRepoPermissions,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*RepoPermission]{
				key: func(p *RepoPermission) (rowKey, bool) {
					return p.Entity.key(keyOf().id(p.NamespaceID).id(p.RepoID)), true
				}}},
			indexEntity: {Name: indexEntity, Unique: true, Indexer: keyIndex[*RepoPermission]{
				key: func(p *RepoPermission) (rowKey, bool) {
					return p.Entity.key(keyOf()).id(p.NamespaceID).id(p.RepoID), true
				}}},
		},
	}
}

func permissionTxn(txn *memdb.Txn, repo *Repository, e Entity) (*RepoPermission, bool) {
	return first[*RepoPermission](txn, tableRepoPermissions, indexID, e.key(keyOf().id(repo.NamespaceID).id(repo.ID)))
}

// putPermissionTxn is __set_entity_repo_permission: the entity's
// permission on repo gets role, keeping its id when it had one.
func putPermissionTxn(txn *memdb.Txn, repo *Repository, e Entity, role Role) *RepoPermission {
	p := &RepoPermission{NamespaceID: repo.NamespaceID, RepoID: repo.ID, Entity: e, Role: role}
	if old, ok := permissionTxn(txn, repo, e); ok {
		p.ID = old.ID
	} else {
		p.ID = nextIDTxn(txn, seqRepoPermission)
	}
	insert(txn, tableRepoPermissions, p)
	return p
}

// collectPermissions returns the permissions whose key in index starts with
// prefix.
func collectPermissions(txn *memdb.Txn, index string, prefix rowKey) []*RepoPermission {
	var out []*RepoPermission
	walkPrefix(txn, tableRepoPermissions, index, prefix, func(p *RepoPermission) bool {
		out = append(out, p)
		return true
	})
	return out
}

func removePermissions(txn *memdb.Txn, doomed []*RepoPermission) {
	for _, p := range doomed {
		remove(txn, tableRepoPermissions, p)
	}
}

// deletePermissionsOfTxn removes every permission of the entity, in every
// namespace.
func deletePermissionsOfTxn(txn *memdb.Txn, e Entity) {
	removePermissions(txn, collectPermissions(txn, indexEntity, e.key(keyOf())))
}

// deletePermissionsInTxn removes the entity's permissions on the
// repositories of one namespace (remove_organization_member's first step).
func deletePermissionsInTxn(txn *memdb.Txn, e Entity, namespaceID int64) {
	removePermissions(txn, collectPermissions(txn, indexEntity, e.key(keyOf()).id(namespaceID)))
}

// deleteRepositoryPermissionsTxn removes every permission on repo.
func deleteRepositoryPermissionsTxn(txn *memdb.Txn, repo *Repository) {
	removePermissions(txn, collectPermissions(txn, indexID, keyOf().id(repo.NamespaceID).id(repo.ID)))
}

// --- reads -----------------------------------------------------------------

// Permission returns the entity's permission on repo.
func (r Reader) Permission(repo *Repository, e Entity) (*RepoPermission, bool) {
	return permissionTxn(r.txn, repo, e)
}

// RepositoryPermissions returns the permissions on repo, in id order.
func (r Reader) RepositoryPermissions(repo *Repository) []*RepoPermission {
	out := collectPermissions(r.txn, indexID, keyOf().id(repo.NamespaceID).id(repo.ID))
	sortByID(out, func(p *RepoPermission) int64 { return p.ID })
	return out
}

// NamespacePermissions returns the permissions on every repository of the
// namespace, in id order (Quay's list_organization_member_permissions
// walks them all).
func (r Reader) NamespacePermissions(namespaceID int64) []*RepoPermission {
	out := collectPermissions(r.txn, indexID, keyOf().id(namespaceID))
	sortByID(out, func(p *RepoPermission) int64 { return p.ID })
	return out
}

// PermissionsOf returns the entity's permissions, in every namespace when
// namespaceID is 0, else in that one, in id order.
func (r Reader) PermissionsOf(e Entity, namespaceID int64) []*RepoPermission {
	prefix := e.key(keyOf())
	if namespaceID != 0 {
		prefix = prefix.id(namespaceID)
	}
	out := collectPermissions(r.txn, indexEntity, prefix)
	sortByID(out, func(p *RepoPermission) int64 { return p.ID })
	return out
}

// CountPermissionsOf returns how many permissions the entity holds (a
// team's repo_count).
func (r Reader) CountPermissionsOf(e Entity) int {
	n := 0
	walkPrefix(r.txn, tableRepoPermissions, indexEntity, e.key(keyOf()), func(*RepoPermission) bool {
		n++
		return true
	})
	return n
}
