package store

import (
	"fmt"

	"github.com/hashicorp/go-memdb"
)

// Composite keys. The provisioning tables (repositories, teams, members,
// permissions, prototypes) are found by tuples: a repository by (namespace,
// name), a permission by (namespace, repository, entity), a member's teams by
// (user, organization). A key is the tuple's parts written one after the
// other so that byte order is tuple order: ids as appendNibbles writes them
// (16 bytes, each below 16), names NUL-terminated (so "bob" is not a prefix
// of "bobby"). A tuple's leading parts are then a prefix of the key, and a
// walk of every row sharing them is one go-memdb prefix (or LowerBound)
// scan: the rows of one namespace, one team, one user.
//
// Names may hold any byte but NUL; the write methods and the loader refuse
// names Quay refuses, and every name Quay accepts is NUL-free.

// rowKey is a composite key.
type rowKey []byte

// keyOf starts a key.
func keyOf() rowKey { return make(rowKey, 0, 2*nibbleKeyBytes+8) }

// id appends an id (any non-negative int64).
func (k rowKey) id(v int64) rowKey { return appendNibbles(k, uint64(v)) }

// name appends a NUL-terminated name.
func (k rowKey) name(s string) rowKey { return append(append(k, s...), 0) }

// kind appends one byte, e.g. the kind of a permission's entity.
func (k rowKey) kind(b byte) rowKey { return append(k, b) }

// keyIndex indexes a row by the composite key its function builds; ok
// false leaves the row out of the index. Lookups pass one argument, a key
// built the same way (or its leading parts, for a prefix walk with the
// index name plus "_prefix" or for LowerBound).
type keyIndex[T any] struct {
	key func(T) (rowKey, bool)
}

func (ix keyIndex[T]) FromObject(raw any) (bool, []byte, error) {
	row, ok := raw.(T)
	if !ok {
		return false, nil, fmt.Errorf("key index: unexpected %T", raw)
	}
	k, ok := ix.key(row)
	if !ok {
		return false, nil, nil
	}
	return true, k, nil
}

func (ix keyIndex[T]) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("key index: want 1 argument, got %d", len(args))
	}
	k, ok := args[0].(rowKey)
	if !ok {
		return nil, fmt.Errorf("key index: argument is %T, want rowKey", args[0])
	}
	return k, nil
}

// PrefixFromArgs makes the index usable with go-memdb's "_prefix" lookups:
// the argument is the leading parts of a key.
func (ix keyIndex[T]) PrefixFromArgs(args ...any) ([]byte, error) { return ix.FromArgs(args...) }

// walkPrefix calls fn for each row of table whose key in index starts
// with prefix, in key order, until fn returns false.
func walkPrefix[T any](txn *memdb.Txn, table, index string, prefix rowKey, fn func(T) bool) {
	iterate(mustIter(txn.Get(table, index+"_prefix", prefix)), fn)
}

// keysIndex indexes a row under every composite key its function builds
// (go-memdb's MultiIndexer): none leaves the row out. Lookups and prefix
// walks take one key, as keyIndex's do.
type keysIndex[T any] struct {
	keys func(T) []rowKey
}

func (ix keysIndex[T]) FromObject(raw any) (bool, [][]byte, error) {
	row, ok := raw.(T)
	if !ok {
		return false, nil, fmt.Errorf("keys index: unexpected %T", raw)
	}
	keys := ix.keys(row)
	if len(keys) == 0 {
		return false, nil, nil
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return true, out, nil
}

func (ix keysIndex[T]) FromArgs(args ...any) ([]byte, error) { return keyIndex[T]{}.FromArgs(args...) }

// PrefixFromArgs makes the index usable with "_prefix" lookups.
func (ix keysIndex[T]) PrefixFromArgs(args ...any) ([]byte, error) {
	return keyIndex[T]{}.FromArgs(args...)
}
