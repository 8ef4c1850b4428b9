package store

import (
	"strings"

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

// --- writes (data/model/permission.py) ---------------------------------------

// existingRepositoryTxn is _basequery.get_existing_repository: a missing
// repository (or namespace) is Quay's unhandled Repository.DoesNotExist.
func existingRepositoryTxn(txn *memdb.Txn, ns, name string) (*Namespace, *Repository, error) {
	n, ok := namespaceByNameTxn(txn, ns)
	if ok {
		if r, ok := repositoryTxn(txn, n.ID, name); ok && r.State != RepositoryMarkedForDeletion {
			return n, r, nil
		}
	}
	return nil, nil, crash("Repository matching query does not exist (" + ns + "/" + name + ")")
}

// SetUserPermission is Quay's set_user_repo_permission, then the log: the
// user or robot named username gets role on the repository. The
// namespace's own name, an unknown name and a robot of another namespace
// are *ModelError. A name User.get finds that is an organization gets the
// permission too, as in Quay.
func (s *Store) SetUserPermission(ns, repo, username string, role Role, audit Action) (*RepoPermission, Account, error) {
	var p *RepoPermission
	var who Account
	err := s.write(func(txn *memdb.Txn) error {
		if username == ns {
			return modelError("Namespace owner must always be admin.")
		}
		acct, ok := accountByNameTxn(txn, username)
		if !ok {
			n, isNS := namespaceByNameTxn(txn, username)
			if !isNS {
				return modelError("Invalid username: " + username)
			}
			acct = Account{ID: n.ID, Name: n.Name, Email: n.Email}
		}
		if acct.Robot {
			if owner, _, _ := strings.Cut(acct.Name, "+"); owner != ns {
				return modelError("Cannot add robot " + username + " under namespace " + ns)
			}
		}
		_, r, err := existingRepositoryTxn(txn, ns, repo)
		if err != nil {
			return err
		}
		p, who = putPermissionTxn(txn, r, acct.Entity(), role), acct
		return logActionTxn(txn, audit)
	})
	return p, who, err
}

// SetTeamPermission is Quay's set_team_repo_permission, then the log.
func (s *Store) SetTeamPermission(ns, repo, team string, role Role, audit Action) (*RepoPermission, error) {
	var p *RepoPermission
	err := s.write(func(txn *memdb.Txn) error {
		n, ok := namespaceByNameTxn(txn, ns)
		var t *Team
		if ok {
			t, ok = teamByNameTxn(txn, n.ID, team)
		}
		if !ok {
			return modelError("No team " + team + " in organization " + ns)
		}
		_, r, err := existingRepositoryTxn(txn, ns, repo)
		if err != nil {
			return err
		}
		p = putPermissionTxn(txn, r, TeamEntity(t.ID), role)
		return logActionTxn(txn, audit)
	})
	return p, err
}

// DeleteUserPermission is Quay's delete_user_permission, then the log.
func (s *Store) DeleteUserPermission(ns, repo, username string, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		if username == ns {
			return modelError("Namespace owner must always be admin.")
		}
		p, ok := userPermissionByNameTxn(txn, ns, repo, username)
		if !ok {
			return modelError("User does not have permission for repo.")
		}
		remove(txn, tableRepoPermissions, p)
		return logActionTxn(txn, audit)
	})
}

// DeleteTeamPermission is Quay's delete_team_permission, then the log.
func (s *Store) DeleteTeamPermission(ns, repo, team string, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		p, ok := teamPermissionByNameTxn(txn, ns, repo, team)
		if !ok {
			return modelError("Team does not have permission for repo.")
		}
		remove(txn, tableRepoPermissions, p)
		return logActionTxn(txn, audit)
	})
}

// userPermissionByNameTxn is __entity_permission_repo_query for a user,
// robot or organization by name.
func userPermissionByNameTxn(txn *memdb.Txn, ns, repo, username string) (*RepoPermission, bool) {
	n, ok := namespaceByNameTxn(txn, ns)
	if !ok {
		return nil, false
	}
	r, ok := repositoryTxn(txn, n.ID, repo)
	if !ok {
		return nil, false
	}
	var e Entity
	if acct, ok := accountByNameTxn(txn, username); ok {
		e = acct.Entity()
	} else if other, ok := namespaceByNameTxn(txn, username); ok {
		e = UserEntity(other.ID)
	} else {
		return nil, false
	}
	return permissionTxn(txn, r, e)
}

// teamPermissionByNameTxn is __entity_permission_repo_query for a team
// of the repository's namespace.
func teamPermissionByNameTxn(txn *memdb.Txn, ns, repo, team string) (*RepoPermission, bool) {
	n, ok := namespaceByNameTxn(txn, ns)
	if !ok {
		return nil, false
	}
	r, ok := repositoryTxn(txn, n.ID, repo)
	if !ok {
		return nil, false
	}
	t, ok := teamByNameTxn(txn, n.ID, team)
	if !ok {
		return nil, false
	}
	return permissionTxn(txn, r, TeamEntity(t.ID))
}

// UserPermissionByName returns the permission of the user, robot or
// organization named username on the repository (get_user_reponame_permission).
func (r Reader) UserPermissionByName(ns, repo, username string) (*RepoPermission, bool) {
	return userPermissionByNameTxn(r.txn, ns, repo, username)
}

// TeamPermissionByName returns the team's permission on the repository
// (get_team_reponame_permission).
func (r Reader) TeamPermissionByName(ns, repo, team string) (*RepoPermission, bool) {
	return teamPermissionByNameTxn(r.txn, ns, repo, team)
}
