package store

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
)

// The row codec turns stored rows into bytes and back, for persistence. It
// walks a row's Go type with reflection, so a new table needs no codec
// code: only its line in rowTypes. Decoding gives back exactly what was
// encoded: times to the nanosecond, json.RawMessage bytes as they were,
// nil and empty slices and maps apart, nil and non-nil pointers apart.
//
// Encoding, by the value's static type (varints as encoding/binary writes
// them):
//
//	bool                  one byte, 0 or 1
//	int kinds             varint; uint kinds: uvarint
//	float kinds           8 bytes: the IEEE 754 bits of the float64, little-endian
//	string                uvarint length, then the bytes (any bytes, valid UTF-8 or not)
//	slice, map            uvarint 0 for nil, else 1 + length, then the elements;
//	                      byte slices (json.RawMessage too) as raw bytes; map
//	                      entries sorted by encoded key, so equal maps encode equally
//	array                 the elements
//	pointer               0 for nil, else 1 and the element
//	interface             the dynamic type's name in dynamicTypes ("" for nil), then the value
//	encoding.BinaryMarshaler (time.Time)   uvarint length, then MarshalBinary's bytes
//	struct                uvarint number of exported fields, then for each its
//	                      name, its reflect.Kind as one byte, and its value
//
// Structs are matched by field name, so a field added to a row type later
// decodes as its zero value from older files, while a field that is gone or
// whose kind changed is an error: never a silently wrong row.

// maxCodecDepth bounds nesting on decode, so corrupt input cannot exhaust
// the stack. Go's encoding/json, which produced any nested metadata, stops
// at the same depth.
const maxCodecDepth = 10000

// dynamicTypes are the types an interface field (service-key metadata, a
// map[string]any) may hold, by the name the codec writes. They are what
// the request decoder produces for JSON; a decoder that produces another
// type needs a line here, or persisting such a row fails loudly.
var dynamicTypes = map[string]reflect.Type{
	"bool":        reflect.TypeFor[bool](),
	"string":      reflect.TypeFor[string](),
	"float64":     reflect.TypeFor[float64](),
	"int":         reflect.TypeFor[int](),
	"int64":       reflect.TypeFor[int64](),
	"json.Number": reflect.TypeFor[json.Number](),
	"object":      reflect.TypeFor[map[string]any](),
	"array":       reflect.TypeFor[[]any](),
}

var dynamicNames = func() map[reflect.Type]string {
	m := make(map[reflect.Type]string, len(dynamicTypes))
	for name, t := range dynamicTypes {
		m[t] = name
	}
	return m
}()

var (
	binaryMarshaler   = reflect.TypeFor[encoding.BinaryMarshaler]()
	binaryUnmarshaler = reflect.TypeFor[encoding.BinaryUnmarshaler]()
)

// isBinaryValue reports whether t encodes through MarshalBinary.
func isBinaryValue(t reflect.Type) bool {
	return t.Kind() != reflect.Pointer && t.Implements(binaryMarshaler) && reflect.PointerTo(t).Implements(binaryUnmarshaler)
}

// checkCodable reports why values of t cannot be encoded, or nil. Tests run
// it over every row type, so an unsupported field fails a test, not a write.
func checkCodable(t reflect.Type) error {
	return checkCodableAt(t, t.String(), map[reflect.Type]bool{})
}

func checkCodableAt(t reflect.Type, path string, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	if isBinaryValue(t) {
		return nil
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64, reflect.Interface,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return nil
	case reflect.Pointer, reflect.Slice:
		return checkCodableAt(t.Elem(), path+"[]", seen)
	case reflect.Array:
		if t.Len() == 0 {
			return fmt.Errorf("%s: zero-length array", path)
		}
		return checkCodableAt(t.Elem(), path+"[]", seen)
	case reflect.Map:
		if err := checkCodableAt(t.Key(), path+" key", seen); err != nil {
			return err
		}
		return checkCodableAt(t.Elem(), path+"[key]", seen)
	case reflect.Struct:
		for f := range t.Fields() {
			if !f.IsExported() {
				return fmt.Errorf("%s.%s: unexported field, which the codec cannot restore", path, f.Name)
			}
			if err := checkCodableAt(f.Type, path+"."+f.Name, seen); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%s: %s values cannot be persisted", path, t.Kind())
}

// structField is one exported field of a struct type, as the codec sees it.
type structField struct {
	index int
	name  string
	kind  reflect.Kind
}

type structInfo struct {
	fields []structField
	byName map[string]structField
}

var structInfos sync.Map // reflect.Type -> *structInfo

func infoOf(t reflect.Type) *structInfo {
	if v, ok := structInfos.Load(t); ok {
		return v.(*structInfo)
	}
	info := &structInfo{byName: map[string]structField{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		sf := structField{index: i, name: f.Name, kind: f.Type.Kind()}
		info.fields = append(info.fields, sf)
		info.byName[f.Name] = sf
	}
	v, _ := structInfos.LoadOrStore(t, info)
	return v.(*structInfo)
}

// appendValue appends the encoding of v (of its static type) to b.
func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	t := v.Type()
	if isBinaryValue(t) {
		data, err := v.Interface().(encoding.BinaryMarshaler).MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		return appendBytes(b, data), nil
	}
	switch t.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return binary.AppendUvarint(b, v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float())), nil
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0), nil
		}
		return appendValue(append(b, 1), v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return append(b, 0), nil
		}
		b = binary.AppendUvarint(b, uint64(v.Len())+1)
		if t.Elem().Kind() == reflect.Uint8 {
			return append(b, v.Bytes()...), nil
		}
		return appendElems(b, v)
	case reflect.Array:
		return appendElems(b, v)
	case reflect.Map:
		return appendMap(b, v)
	case reflect.Interface:
		if v.IsNil() {
			return appendString(b, ""), nil
		}
		e := v.Elem()
		name, ok := dynamicNames[e.Type()]
		if !ok {
			return nil, fmt.Errorf("no codec for a %s held in an interface (add it to dynamicTypes)", e.Type())
		}
		return appendValue(appendString(b, name), e)
	case reflect.Struct:
		info := infoOf(t)
		b = binary.AppendUvarint(b, uint64(len(info.fields)))
		for _, f := range info.fields {
			b = append(appendString(b, f.name), byte(f.kind))
			var err error
			if b, err = appendValue(b, v.Field(f.index)); err != nil {
				return nil, fmt.Errorf("%s.%s: %w", t, f.name, err)
			}
		}
		return b, nil
	}
	return nil, fmt.Errorf("%s values cannot be persisted", t)
}

func appendElems(b []byte, v reflect.Value) ([]byte, error) {
	for i := range v.Len() {
		var err error
		if b, err = appendValue(b, v.Index(i)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// appendMap writes entries sorted by their encoded key: Go's map order is
// random, and equal states should give equal files.
func appendMap(b []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(b, 0), nil
	}
	type entry struct{ key, val []byte }
	entries := make([]entry, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		k, err := appendValue(nil, it.Key())
		if err != nil {
			return nil, err
		}
		val, err := appendValue(nil, it.Value())
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry{k, val})
	}
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
	b = binary.AppendUvarint(b, uint64(len(entries))+1)
	for _, e := range entries {
		b = append(append(b, e.key...), e.val...)
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendBytes(b, data []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(data))), data...)
}

// errCorrupt marks input that is not a valid encoding.
var errCorrupt = errors.New("corrupt encoding")

// decoder reads what appendValue wrote.
type decoder struct {
	b     []byte
	depth int
}

func (d *decoder) fail(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errCorrupt, fmt.Sprintf(format, args...))
}

func (d *decoder) byte() (byte, error) {
	if len(d.b) == 0 {
		return 0, d.fail("unexpected end of data")
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c, nil
}

func (d *decoder) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		return 0, d.fail("bad uvarint")
	}
	d.b = d.b[n:]
	return v, nil
}

func (d *decoder) varint() (int64, error) {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		return 0, d.fail("bad varint")
	}
	d.b = d.b[n:]
	return v, nil
}

// bytes returns the next n bytes, which alias the input.
func (d *decoder) bytes(n uint64) ([]byte, error) {
	if n > uint64(len(d.b)) {
		return nil, d.fail("length %d exceeds the %d bytes left", n, len(d.b))
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out, nil
}

func (d *decoder) string() (string, error) {
	n, err := d.uvarint()
	if err != nil {
		return "", err
	}
	b, err := d.bytes(n)
	return string(b), err
}

// count reads a slice or map header: nil, or a length no larger than the
// bytes left (every element takes at least one byte).
func (d *decoder) count() (n int, isNil bool, err error) {
	v, err := d.uvarint()
	if err != nil {
		return 0, false, err
	}
	if v == 0 {
		return 0, true, nil
	}
	if v-1 > uint64(len(d.b)) {
		return 0, false, d.fail("count %d exceeds the %d bytes left", v-1, len(d.b))
	}
	return int(v - 1), false, nil
}

// value decodes into v, which must be settable.
func (d *decoder) value(v reflect.Value) error {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxCodecDepth {
		return d.fail("nested deeper than %d", maxCodecDepth)
	}
	t := v.Type()
	if isBinaryValue(t) {
		n, err := d.uvarint()
		if err != nil {
			return err
		}
		data, err := d.bytes(n)
		if err != nil {
			return err
		}
		if err := v.Addr().Interface().(encoding.BinaryUnmarshaler).UnmarshalBinary(data); err != nil {
			return d.fail("%s: %v", t, err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		c, err := d.byte()
		if err != nil {
			return err
		}
		if c > 1 {
			return d.fail("bool byte %d", c)
		}
		v.SetBool(c == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := d.varint()
		if err != nil {
			return err
		}
		if v.OverflowInt(n) {
			return d.fail("%d overflows %s", n, t)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := d.uvarint()
		if err != nil {
			return err
		}
		if v.OverflowUint(n) {
			return d.fail("%d overflows %s", n, t)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		b, err := d.bytes(8)
		if err != nil {
			return err
		}
		v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(b)))
	case reflect.String:
		s, err := d.string()
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Pointer:
		c, err := d.byte()
		if err != nil {
			return err
		}
		switch c {
		case 0:
			v.SetZero()
			return nil
		case 1:
			p := reflect.New(t.Elem())
			if err := d.value(p.Elem()); err != nil {
				return err
			}
			v.Set(p)
		default:
			return d.fail("pointer flag %d", c)
		}
	case reflect.Slice:
		n, isNil, err := d.count()
		if err != nil || isNil {
			return err
		}
		if t.Elem().Kind() == reflect.Uint8 {
			b, err := d.bytes(uint64(n))
			if err != nil {
				return err
			}
			v.SetBytes(bytes.Clone(b))
			return nil
		}
		s := reflect.MakeSlice(t, n, n)
		for i := range n {
			if err := d.value(s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			if err := d.value(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		n, isNil, err := d.count()
		if err != nil || isNil {
			return err
		}
		m := reflect.MakeMapWithSize(t, n)
		for range n {
			k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			if err := d.value(k); err != nil {
				return err
			}
			if err := d.value(e); err != nil {
				return err
			}
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Interface:
		name, err := d.string()
		if err != nil {
			return err
		}
		if name == "" {
			v.SetZero()
			return nil
		}
		dt, ok := dynamicTypes[name]
		if !ok {
			return d.fail("unknown dynamic type %q", name)
		}
		if !dt.Implements(t) {
			return d.fail("a %s cannot be held in a %s", dt, t)
		}
		e := reflect.New(dt).Elem()
		if err := d.value(e); err != nil {
			return err
		}
		v.Set(e)
	case reflect.Struct:
		return d.structValue(v)
	default:
		return fmt.Errorf("%s values cannot be persisted", t)
	}
	return nil
}

func (d *decoder) structValue(v reflect.Value) error {
	t := v.Type()
	info := infoOf(t)
	n, err := d.uvarint()
	if err != nil {
		return err
	}
	if n > uint64(len(d.b)) {
		return d.fail("field count %d exceeds the %d bytes left", n, len(d.b))
	}
	for range n {
		name, err := d.string()
		if err != nil {
			return err
		}
		kind, err := d.byte()
		if err != nil {
			return err
		}
		f, ok := info.byName[name]
		if !ok {
			return fmt.Errorf("%s has no field %s (written by a fakequay whose rows differ)", t, name)
		}
		if reflect.Kind(kind) != f.kind {
			return fmt.Errorf("%s.%s is a %s, the data holds a %s (written by a fakequay whose rows differ)",
				t, name, f.kind, reflect.Kind(kind))
		}
		if err := d.value(v.Field(f.index)); err != nil {
			return fmt.Errorf("%s.%s: %w", t, name, err)
		}
	}
	return nil
}
