package store

import (
	"github.com/hashicorp/go-memdb"
)

// Repositories are found by (namespace, name) through a hash index, as
// namespaces are found by name (hashindex.go): a go-memdb index would cost
// a radix leaf per repository, about 350 bytes, a third of a repository's
// heap at a million of them (issue 11: under 1 KiB each). A bucket entry
// costs 24 bytes: the repository's id and the full hash of its key; the
// namespace id, which every lookup has, completes the primary key.
var repoNamesIndex = hashIndex{table: tableRepositoryNames}

// repoNameHash is the 64-bit FNV-1a of the namespace id and the name.
func repoNameHash(namespaceID int64, name string) uint64 {
	h := uint64(14695981039346656037)
	for shift := 56; shift >= 0; shift -= 8 {
		h ^= uint64(byte(uint64(namespaceID) >> shift))
		h *= 1099511628211
	}
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return h
}

// repositoryTxn returns the repository of the namespace named name.
func repositoryTxn(txn *memdb.Txn, namespaceID int64, name string) (*Repository, bool) {
	kh := repoNameHash(namespaceID, name)
	b := repoNamesIndex.bucketAt(txn, bucketOf(kh))
	if b == nil {
		return nil, false
	}
	for _, e := range b.Entries {
		if e.KeyHash != kh {
			continue
		}
		if r, ok := repositoryByIDTxn(txn, namespaceID, e.ID); ok && r.Name == name {
			return r, true
		}
	}
	return nil, false
}

// indexRepositoryNameTxn moves the name index from old to r, two versions
// of one repository (nil old: r is new; nil r: old is gone).
func indexRepositoryNameTxn(txn *memdb.Txn, old, r *Repository) {
	if old != nil && r != nil && old.Name == r.Name {
		return
	}
	if old != nil {
		repoNamesIndex.put(txn, bucketOf(repoNameHash(old.NamespaceID, old.Name)), bucketEntry{ID: old.ID})
	}
	if r != nil {
		kh := repoNameHash(r.NamespaceID, r.Name)
		repoNamesIndex.put(txn, bucketOf(kh), bucketEntry{ID: r.ID, KeyHash: kh, Listing: repoEntry})
	}
}

// repoEntry marks a live entry of the repository-name index (bucketEntry's
// Listing, which the namespaces' indexes use for the primary key, only
// needs to be non-zero here).
const repoEntry listing = 1

// rebuildRepositoryNames recomputes the repository-name index from the
// repositories table.
func rebuildRepositoryNames(txn *memdb.Txn) {
	rebuildBuckets(txn, tableRepositoryNames, func(add func(bucketEntry)) {
		iterate(mustIter(txn.Get(tableRepositories, indexID)), func(r *Repository) bool {
			add(bucketEntry{ID: r.ID, KeyHash: repoNameHash(r.NamespaceID, r.Name), Listing: repoEntry})
			return true
		})
	})
}

// checkRepositoryNames reports every repository the name index does not
// lead to, and index entries that lead to none.
func (r Reader) checkRepositoryNames(fail func(string, ...any)) {
	entries := 0
	eachBucket(r.txn, tableRepositoryNames, func(b *bucket) bool {
		entries += len(b.Entries)
		return true
	})
	repos := 0
	iterate(mustIter(r.txn.Get(tableRepositories, indexID)), func(repo *Repository) bool {
		repos++
		if found, ok := repositoryTxn(r.txn, repo.NamespaceID, repo.Name); !ok || found.ID != repo.ID {
			fail("repository %d (%s): the name index does not find it", repo.ID, repo.Name)
		}
		return true
	})
	if entries != repos {
		fail("the repository-name index holds %d entries for %d repositories", entries, repos)
	}
}
