package py

import (
	"fmt"
	"iter"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Int is a Python int: an integer of any size. Values that fit an int64 are
// held without allocation; larger ones in a big.Int. The zero value is 0.
// Compare Ints with [Int.Cmp] or [Equal], not with ==.
type Int struct {
	small int64
	big   *big.Int // non-nil only when the value does not fit an int64
}

// NewInt returns the Int with value v.
func NewInt(v int64) Int { return Int{small: v} }

// NewBigInt returns the Int with value v; v is copied, and may be nil for 0.
func NewBigInt(v *big.Int) Int {
	if v == nil {
		return Int{}
	}
	if v.IsInt64() {
		return Int{small: v.Int64()}
	}
	return Int{big: new(big.Int).Set(v)}
}

// Int64 returns the value and whether it fits an int64.
func (i Int) Int64() (int64, bool) {
	if i.big != nil {
		return 0, false
	}
	return i.small, true
}

// Big returns the value as a new big.Int the caller may modify.
func (i Int) Big() *big.Int {
	if i.big != nil {
		return new(big.Int).Set(i.big)
	}
	return big.NewInt(i.small)
}

// Sign returns -1, 0 or +1 as the value is negative, zero or positive.
func (i Int) Sign() int {
	if i.big != nil {
		return i.big.Sign()
	}
	switch {
	case i.small < 0:
		return -1
	case i.small > 0:
		return 1
	}
	return 0
}

// Cmp compares i and j and returns -1, 0 or +1.
func (i Int) Cmp(j Int) int {
	if i.big == nil && j.big == nil {
		switch {
		case i.small < j.small:
			return -1
		case i.small > j.small:
			return 1
		}
		return 0
	}
	return i.Big().Cmp(j.Big())
}

// String returns the decimal digits, as Python's str(int) does.
func (i Int) String() string {
	return string(i.appendDecimal(nil))
}

func (i Int) appendDecimal(b []byte) []byte {
	if i.big != nil {
		return i.big.Append(b, 10)
	}
	return strconv.AppendInt(b, i.small, 10)
}

// equalFloat is Python's int == float: exact, so 2**53 + 1 != 2.0**53.
func (i Int) equalFloat(f float64) bool {
	if math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) {
		return false
	}
	if i.big == nil && math.Abs(f) < 1<<62 {
		return int64(f) == i.small // exact: f is integral and well inside int64
	}
	fb, _ := new(big.Float).SetFloat64(f).Int(nil)
	return fb.Cmp(i.Big()) == 0
}

// MarshalJSON writes the decimal digits, so an Int also encodes correctly
// through encoding/json.
func (i Int) MarshalJSON() ([]byte, error) {
	return i.appendDecimal(nil), nil
}

// Object is a Python dict with string keys, as json.loads builds it: keys keep
// the order of their first insertion, and setting an existing key replaces its
// value in place. The zero value is an empty dict ready to use. An Object is
// not safe for concurrent writes.
type Object struct {
	keys   []string
	values []any
	index  map[string]int // key -> position; built once the dict is no longer small
}

// smallObject is the size up to which lookups scan the keys instead of
// keeping an index; request bodies are almost always this small.
const smallObject = 8

// NewObject returns an empty dict.
func NewObject() *Object { return &Object{} }

// Len returns the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

func (o *Object) position(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Get returns the value stored under key, and whether key is present.
func (o *Object) Get(key string) (any, bool) {
	if i := o.position(key); i >= 0 {
		return o.values[i], true
	}
	return nil, false
}

// Has reports whether key is present (Python's key in d).
func (o *Object) Has(key string) bool { return o.position(key) >= 0 }

// Set is Python's d[key] = value: a new key goes last, an existing key keeps
// its position and takes the new value.
func (o *Object) Set(key string, value any) {
	if i := o.position(key); i >= 0 {
		o.values[i] = value
		return
	}
	o.keys = append(o.keys, key)
	o.values = append(o.values, value)
	switch {
	case o.index != nil:
		o.index[key] = len(o.keys) - 1
	case len(o.keys) > smallObject:
		o.index = make(map[string]int, 2*len(o.keys))
		for i, k := range o.keys {
			o.index[k] = i
		}
	}
}

// Delete is Python's d.pop(key, None): it removes key if present, keeping the
// order of the others, and reports whether it was there.
func (o *Object) Delete(key string) bool {
	i := o.position(key)
	if i < 0 {
		return false
	}
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.values = append(o.values[:i], o.values[i+1:]...)
	if o.index != nil {
		delete(o.index, key)
		for j := i; j < len(o.keys); j++ {
			o.index[o.keys[j]] = j
		}
	}
	return true
}

// Keys returns a copy of the keys in order.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return append([]string(nil), o.keys...)
}

// All yields the key/value pairs in order.
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		if o == nil {
			return
		}
		for i, k := range o.keys {
			if !yield(k, o.values[i]) {
				return
			}
		}
	}
}

// MarshalJSON encodes the dict in order, in the Flask-RESTful style, so an
// Object also encodes correctly through encoding/json (which then compacts
// it).
func (o *Object) MarshalJSON() ([]byte, error) {
	return marshal(o, restfulStyle, false)
}

// Float is a Python float for use in response views: every encoder in this
// package writes it as Python's repr does (5000000000.0, 1e+16), which is how
// json.dumps writes floats (reference §2.14: limit_bytes after a PUT with
// "limit"). Plain float64 values are written the same way; Float documents
// the intent and keeps the format when the value goes through encoding/json.
type Float float64

// String returns Python's repr of the float.
func (f Float) String() string { return string(appendFloatRepr(nil, float64(f))) }

// MarshalJSON writes Python's repr. NaN and infinities have no encoding/json
// form and return an error; this package's encoders write them as
// NaN/Infinity/-Infinity, as json.dumps does.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, &UnsupportedValueError{Value: f, Reason: "encoding/json cannot hold NaN or Infinity"}
	}
	return appendFloatRepr(nil, v), nil
}

// canonical maps the Go kinds Repr, PFormat and Equal accept onto the decoded
// value model: sized numbers to Int or float64, slices and arrays to []any,
// maps with string keys to an *Object in sorted key order, pointers to what
// they point at. A value with no Python counterpart becomes an opaqueRepr
// shaped like Python's default repr, <T object>, so nothing panics.
func canonical(v any) any {
	switch v := v.(type) {
	case nil, bool, string, Int, float64, []any, *Object, opaqueRepr:
		return v
	case Float:
		return float64(v)
	case *big.Int:
		if v == nil {
			return nil
		}
		return NewBigInt(v)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool()
	case reflect.String:
		return rv.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return NewInt(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return NewBigInt(new(big.Int).SetUint64(u))
		}
		return NewInt(int64(u))
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil
		}
		list := make([]any, rv.Len())
		for i := range list {
			list[i] = rv.Index(i).Interface()
		}
		return list
	case reflect.Map:
		if rv.IsNil() || rv.Type().Key().Kind() != reflect.String {
			break
		}
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		o := NewObject()
		for _, k := range keys {
			o.Set(k.String(), rv.MapIndex(k).Interface())
		}
		return o
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return canonical(rv.Elem().Interface())
	}
	return opaqueRepr(fmt.Sprintf("<%T object>", v))
}

// opaqueRepr is the repr of a Go value Python has no type for; it prints as is.
type opaqueRepr string

// Truthy is Python's bool() of a decoded JSON value: false for None,
// False, zero, and empty strings, arrays and objects.
func Truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case Int:
		return x.Sign() != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case *Object:
		return x.Len() > 0
	}
	return true
}
