package store

import (
	"fmt"
)

// The indexers below are typed replacements for go-memdb's reflection-based
// ones: each reads one field through a plain function, so a renamed field is
// a compile error rather than a runtime index failure, and a filter can keep
// a row out of an index entirely (the row's "ok" is false). Filtered indexes
// are what let a page walk only the rows a list shows, in O(limit).

// intIndex indexes a row by a non-negative int64 encoded big-endian, so that
// byte order equals numeric order and LowerBound walks ascending ids, four
// bits per byte (see appendNibbles).
type intIndex[T any] struct {
	key func(T) (int64, bool)
}

func (ix intIndex[T]) FromObject(raw any) (bool, []byte, error) {
	row, ok := raw.(T)
	if !ok {
		return false, nil, fmt.Errorf("int index: unexpected %T", raw)
	}
	v, ok := ix.key(row)
	if !ok {
		return false, nil, nil
	}
	return true, encodeInt(v), nil
}

func (ix intIndex[T]) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("int index: want 1 argument, got %d", len(args))
	}
	v, ok := args[0].(int64)
	if !ok {
		return nil, fmt.Errorf("int index: argument is %T, want int64", args[0])
	}
	return encodeInt(v), nil
}

func encodeInt(v int64) []byte {
	return appendNibbles(make([]byte, 0, nibbleKeyBytes), uint64(v))
}

// nibbleKeyBytes is the length of a 64-bit number written by appendNibbles.
const nibbleKeyBytes = 16

// appendNibbles writes v big-endian, four bits per byte. go-memdb's radix
// tree then has at most 16 edges per node rather than 256. A write copies
// every node on its path, so on tables of sequential ids (logs, namespaces)
// and on the hash-index bucket tables each write copied two or three
// nodes of 256 edges, 4 KB each; the narrower tree copies a few hundred
// bytes a level, and the leading zero nibbles share one node.
func appendNibbles(b []byte, v uint64) []byte {
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, byte(v>>shift)&0xf)
	}
	return b
}

// stringIndex indexes a row by an exact, case-sensitive string. The key is
// NUL-terminated so that "bob" is not a prefix match of "bobby" when the
// index is not unique.
type stringIndex[T any] struct {
	key func(T) (string, bool)
}

func (ix stringIndex[T]) FromObject(raw any) (bool, []byte, error) {
	row, ok := raw.(T)
	if !ok {
		return false, nil, fmt.Errorf("string index: unexpected %T", raw)
	}
	v, ok := ix.key(row)
	if !ok {
		return false, nil, nil
	}
	return true, encodeString(v), nil
}

func (ix stringIndex[T]) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("string index: want 1 argument, got %d", len(args))
	}
	v, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("string index: argument is %T, want string", args[0])
	}
	return encodeString(v), nil
}

func encodeString(v string) []byte {
	b := make([]byte, 0, len(v)+1)
	return append(append(b, v...), 0)
}

// timeIDIndex orders rows by (time in microseconds, id): a total order in
// which ReverseLowerBound walks newest first without ever sorting.
type timeIDIndex[T any] struct {
	key func(T) (micros, id int64)
}

func (ix timeIDIndex[T]) FromObject(raw any) (bool, []byte, error) {
	row, ok := raw.(T)
	if !ok {
		return false, nil, fmt.Errorf("time index: unexpected %T", raw)
	}
	micros, id := ix.key(row)
	return true, encodeTimeID(micros, id), nil
}

func (ix timeIDIndex[T]) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("time index: want 2 arguments, got %d", len(args))
	}
	micros, ok1 := args[0].(int64)
	id, ok2 := args[1].(int64)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("time index: arguments are %T, %T, want int64, int64", args[0], args[1])
	}
	return encodeTimeID(micros, id), nil
}

// encodeTimeID flips the sign bit so that negative times (before 1970) still
// sort before positive ones byte-wise.
func encodeTimeID(micros, id int64) []byte {
	b := make([]byte, 0, 2*nibbleKeyBytes)
	b = appendNibbles(b, uint64(micros)^(1<<63))
	return appendNibbles(b, uint64(id))
}
