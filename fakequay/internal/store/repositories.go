package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/go-memdb"
)

// RepositoryKind is a repository's kind (Quay's RepositoryKind table).
type RepositoryKind uint8

// Repository kinds.
const (
	KindImage RepositoryKind = iota
	KindApplication
)

// String returns Quay's name for the kind.
func (k RepositoryKind) String() string {
	switch k {
	case KindImage:
		return "image"
	case KindApplication:
		return "application"
	}
	return fmt.Sprintf("RepositoryKind(%d)", uint8(k))
}

// ParseRepositoryKind returns the kind Quay names name.
func ParseRepositoryKind(name string) (RepositoryKind, bool) {
	switch name {
	case "image":
		return KindImage, true
	case "application":
		return KindApplication, true
	}
	return 0, false
}

// Repository is a row of Quay's Repository table. It is small on purpose:
// a registry may hold a million of them (issue 11: under 1 KiB of heap
// each, indexes included).
type Repository struct {
	ID          int64
	NamespaceID int64
	Name        string
	// Description is nil for Quay's NULL (create_repository's default).
	Description  *string
	Public       bool // Visibility "public"; "private" otherwise
	Kind         RepositoryKind
	State        RepositoryState
	TrustEnabled bool
	// SizeBytes is the repository's QuotaRepositorySize row (size_bytes,
	// backfill complete): made on its first manifest with blobs, then kept
	// by each new manifest (update_sizes); nil without a row, which the
	// repository list shows as 0.
	SizeBytes *int64
	// OrphanMirrorRules counts the RepoMirrorRule rows a failed
	// createRepoMirrorConfig left (it creates the rule before it checks the
	// robot). Quay's change_rule updates the repository's first rule, so
	// once there is one, a mirror's own rule no longer changes.
	OrphanMirrorRules int64
}

// The repositories table has two go-memdb indexes, each a radix leaf per
// row, and a hash index (repo_names.go):
//   - id, (namespace id, repository id): a namespace's repositories in id
//     order, the order listRepos pages in, walked from the page token's id;
//     permissions carry both ids, so they find their repository here;
//   - public, (repository id), public repositories only: listRepos'
//     public=true across namespaces, in id order;
//   - the name index, (namespace id, name): getRepo and every repository
//     route.
func repositoriesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableRepositories,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*Repository]{
				key: func(r *Repository) (rowKey, bool) { return keyOf().id(r.NamespaceID).id(r.ID), true }}},
			indexPublic: {Name: indexPublic, Unique: true, AllowMissing: true, Indexer: keyIndex[*Repository]{
				key: func(r *Repository) (rowKey, bool) { return keyOf().id(r.ID), r.Public }}},
		},
	}
}

func repositoryByIDTxn(txn *memdb.Txn, namespaceID, id int64) (*Repository, bool) {
	return first[*Repository](txn, tableRepositories, indexID, keyOf().id(namespaceID).id(id))
}

// putRepositoryTxn stores r in place of old (nil old: r is new; nil r: old
// is removed) and keeps the name index in step. Every write of the
// repositories table goes through here.
func putRepositoryTxn(txn *memdb.Txn, old, r *Repository) {
	if old != nil && (r == nil || old.Public != r.Public) {
		remove(txn, tableRepositories, old) // the public index must drop it
	}
	if r != nil {
		insert(txn, tableRepositories, r)
	}
	indexRepositoryNameTxn(txn, old, r)
}

// --- reads -----------------------------------------------------------------

// Repository returns the repository name of the namespace with the given id
// (Quay's get_repository, by namespace id).
func (r Reader) Repository(namespaceID int64, name string) (*Repository, bool) {
	return repositoryTxn(r.txn, namespaceID, name)
}

// RepositoryByID returns the repository with the given ids.
func (r Reader) RepositoryByID(namespaceID, id int64) (*Repository, bool) {
	return repositoryByIDTxn(r.txn, namespaceID, id)
}

// Repositories calls fn for each repository of the namespace whose id is
// >= fromID, in id order, until fn returns false. The walk starts at fromID,
// so a page costs O(page size) whatever the namespace holds.
func (r Reader) Repositories(namespaceID, fromID int64, fn func(*Repository) bool) {
	it := mustIter(r.txn.LowerBound(tableRepositories, indexID, keyOf().id(namespaceID).id(fromID)))
	iterate(it, func(repo *Repository) bool {
		return repo.NamespaceID == namespaceID && fn(repo)
	})
}

// PublicRepositories calls fn for each public repository whose id is >=
// fromID, in id order across namespaces, until fn returns false.
func (r Reader) PublicRepositories(fromID int64, fn func(*Repository) bool) {
	iterate(mustIter(r.txn.LowerBound(tableRepositories, indexPublic, keyOf().id(fromID))), fn)
}

// --- writes ----------------------------------------------------------------

// ErrRepositoryExists is create_repository's answer (None) for a name the
// namespace already uses.
var ErrRepositoryExists = errors.New("store: the repository already exists")

// NewRepository describes create_repository's model call.
type NewRepository struct {
	Namespace   string
	Name        string
	Public      bool
	Kind        RepositoryKind
	Description *string
	// CreatorID is the creating user (0: none). A user (not an
	// organization) gets admin on the repository and, when it is not the
	// namespace itself, the organization's default permissions apply.
	CreatorID int64
	// Audit, when its Kind is set, is written after (create_repo's log).
	Audit Action
}

// CreateRepository is Quay's create_repository: the repository, the
// creator's admin permission, then the namespace's default permissions
// (apply_default_permissions). A namespace that does not exist is a crash
// (User.get raises); a name in use is ErrRepositoryExists.
func (s *Store) CreateRepository(in NewRepository) (*Repository, error) {
	var created *Repository
	err := s.write(func(txn *memdb.Txn) error {
		ns, ok := namespaceByNameTxn(txn, in.Namespace)
		if !ok {
			return crash("User matching query does not exist (create_repository " + in.Namespace + ")")
		}
		if _, exists := repositoryTxn(txn, ns.ID, in.Name); exists {
			return ErrRepositoryExists
		}
		created = &Repository{ID: nextIDTxn(txn, seqRepository), NamespaceID: ns.ID, Name: in.Name,
			Description: in.Description, Public: in.Public, Kind: in.Kind}
		putRepositoryTxn(txn, nil, created)
		creator, hasCreator := namespaceByIDTxn(txn, in.CreatorID)
		if hasCreator && creator.IsUser() {
			putPermissionTxn(txn, created, UserEntity(creator.ID), RoleAdmin)
			if creator.Name != ns.Name {
				applyDefaultPermissionsTxn(txn, created, creator)
			}
		}
		if in.Audit.Kind != "" {
			return logActionTxn(txn, in.Audit)
		}
		return nil
	})
	return created, err
}

// applyDefaultPermissionsTxn is Quay's apply_default_permissions: the
// organization's prototypes that apply to the creator (activated by it, or
// by anyone) grant their role, team ones first. For each delegate a
// prototype activated by the creator wins over a general one; among
// general ones the first (by id) wins, among the creator's the last. The
// creator's own admin permission is never replaced.
func applyDefaultPermissionsTxn(txn *memdb.Txn, repo *Repository, creator *Namespace) {
	for _, teams := range []bool{true, false} {
		var order []Entity
		final := map[Entity]Role{}
		walkPrefix(txn, tablePrototypes, indexID, keyOf().id(repo.NamespaceID), func(p *Prototype) bool {
			if (p.Delegate.Kind == EntityTeam) != teams || (p.ActivatingUserID != 0 && p.ActivatingUserID != creator.ID) {
				return true
			}
			if _, seen := final[p.Delegate]; seen && p.ActivatingUserID == 0 {
				return true
			}
			if _, seen := final[p.Delegate]; !seen {
				order = append(order, p.Delegate)
			}
			final[p.Delegate] = p.Role
			return true
		})
		for _, d := range order {
			if d == UserEntity(creator.ID) {
				continue // the creating user always gets admin anyway
			}
			putPermissionTxn(txn, repo, d, final[d])
		}
	}
}

// deleteRepositoriesOfTxn removes every repository of namespace n with its
// permissions and content (the namespace GC's purge_repository of each).
func deleteRepositoriesOfTxn(txn *memdb.Txn, n *Namespace) {
	var doomed []*Repository
	walkPrefix(txn, tableRepositories, indexID, keyOf().id(n.ID), func(r *Repository) bool {
		doomed = append(doomed, r)
		return true
	})
	for _, r := range doomed {
		deleteRepositoryContentTxn(txn, r)
		deleteRepositoryPermissionsTxn(txn, r)
		deleteRepoNotificationsOfTxn(txn, r)
		putRepositoryTxn(txn, r, nil)
	}
}

// sortByID sorts rows with an ID by it.
func sortByID[T any](rows []T, id func(T) int64) {
	slices.SortFunc(rows, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
}

// updateRepositoryTxn is get_repository followed by a change and save: the
// repository of namespace ns named name gets change applied, and audit is
// logged. A repository that does not exist is ErrNotFound.
func (s *Store) updateRepository(ns, name string, change func(*Repository), audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		n, ok := namespaceByNameTxn(txn, ns)
		if !ok {
			return ErrNotFound
		}
		old, ok := repositoryTxn(txn, n.ID, name)
		if !ok {
			return ErrNotFound
		}
		r := *old
		change(&r)
		putRepositoryTxn(txn, old, &r)
		if r.State != old.State {
			renameMirrorTxn(txn, n.ID, name, name, r.State) // the mirror counts only in MIRROR
		}
		if audit.Kind != "" {
			return logActionTxn(txn, audit)
		}
		return nil
	})
}

// SetRepositoryDescription is Quay's set_description, then the log.
func (s *Store) SetRepositoryDescription(ns, name, description string, audit Action) error {
	return s.updateRepository(ns, name, func(r *Repository) { r.Description = &description }, audit)
}

// SetRepositoryVisibility is Quay's set_repository_visibility, then the
// log.
func (s *Store) SetRepositoryVisibility(ns, name string, public bool, audit Action) error {
	return s.updateRepository(ns, name, func(r *Repository) { r.Public = public }, audit)
}

// SetRepositoryState is Quay's set_repository_state, then the log.
func (s *Store) SetRepositoryState(ns, name string, state RepositoryState, audit Action) error {
	return s.updateRepository(ns, name, func(r *Repository) { r.State = state }, audit)
}

// MarkRepositoryForDeletion is Quay's mark_repository_for_deletion: the
// repository is renamed to deletedName (a fresh uuid4) and marked
// MARKED_FOR_DELETION, which hides it from every lookup by name and every
// listing; its permissions stay until the repository GC, which fakequay
// does not run, as Quay's test mode does not. A repository that does not
// exist is no error (Quay returns None). Then the log, in both cases.
func (s *Store) MarkRepositoryForDeletion(ns, name, deletedName string, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		if n, ok := namespaceByNameTxn(txn, ns); ok {
			if old, ok := repositoryTxn(txn, n.ID, name); ok && old.State != RepositoryMarkedForDeletion {
				r := *old
				r.Name, r.State = deletedName, RepositoryMarkedForDeletion
				putRepositoryTxn(txn, old, &r)
				renameMirrorTxn(txn, n.ID, name, deletedName, RepositoryMarkedForDeletion)
			}
		}
		return logActionTxn(txn, audit)
	})
}
