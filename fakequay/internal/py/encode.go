package py

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Restful encodes v as Flask-RESTful's output_json does, which is Python's
// json.dumps(v) + "\n" (reference §1.4, path 1): separators ", " and ": ",
// keys in insertion order (struct fields in declaration order, *Object in its
// order; Go maps, having none, in sorted order), ensure_ascii, no HTML
// escaping, floats as Python's repr, NaN and ±Inf as NaN and ±Infinity.
// time.Time is an error, as a datetime is for json.dumps: Quay formats dates
// into strings before this encoder sees them.
//
// Struct fields follow encoding/json's rules: the json tag's name, "-",
// omitempty and omitzero, embedded structs promoted. Types implementing
// json.Marshaler are encoded through their JSON, re-written in this style;
// encoding.TextMarshaler gives a string. A nil slice or map is null, as in
// encoding/json; initialise it to get []. The ",string" option is not
// supported.
func Restful(v any) ([]byte, error) { return marshal(v, restfulStyle, true) }

// Jsonify encodes v as Flask 2.3's jsonify does (reference §1.4, path 2):
// compact separators, keys sorted at every level (struct fields by JSON name
// too), ensure_ascii, a trailing "\n", and time.Time as an HTTP date in GMT
// ("Tue, 04 Feb 2025 13:45:10 GMT"), the format of Flask's default() for
// datetimes. Everything else is as for [Restful].
func Jsonify(v any) ([]byte, error) { return marshal(v, jsonifyStyle, true) }

// UnsupportedValueError reports a value neither Python encoder can write.
type UnsupportedValueError struct {
	Value  any
	Reason string
}

// Error names the Go type and why it has no encoding.
func (e *UnsupportedValueError) Error() string {
	return fmt.Sprintf("py: cannot encode %T: %s", e.Value, e.Reason)
}

// encStyle is one of the two Python encoders; it owns its cache of per-type
// encoders because struct field order differs between them.
type encStyle struct {
	sortKeys    bool
	itemSep     string
	keySep      string
	timeAsHTTP  bool
	typeEncoder sync.Map // reflect.Type -> encoderFunc
}

var (
	restfulStyle = &encStyle{itemSep: ", ", keySep: ": "}
	jsonifyStyle = &encStyle{sortKeys: true, itemSep: ",", keySep: ":", timeAsHTTP: true}
)

// maxEncodeDepth bounds nesting so that a cycle through pointers, maps or
// slices fails (json.dumps raises "Circular reference detected") instead of
// recursing forever; any value Decode returns stays well below it.
const maxEncodeDepth = MaxNesting + 1000

type encodeState struct {
	buf   []byte
	style *encStyle
	depth int
}

var encodeStatePool = sync.Pool{New: func() any { return new(encodeState) }}

func marshal(v any, style *encStyle, newline bool) ([]byte, error) {
	e := encodeStatePool.Get().(*encodeState)
	e.buf, e.style, e.depth = e.buf[:0], style, 0
	err := e.any(v)
	var out []byte
	if err == nil {
		out = make([]byte, len(e.buf), len(e.buf)+1)
		copy(out, e.buf)
		if newline {
			out = append(out, '\n')
		}
	}
	if cap(e.buf) <= 1<<20 {
		encodeStatePool.Put(e)
	}
	return out, err
}

// enter counts one level of nesting; leave with e.depth--.
func (e *encodeState) enter() error {
	e.depth++
	if e.depth > maxEncodeDepth {
		return errNestedTooDeeply
	}
	return nil
}

var errNestedTooDeeply = &UnsupportedValueError{Reason: "nested too deeply or circular"}

// any encodes a value, with fast paths for the decoded value model so that
// echoing a request body needs no reflection.
func (e *encodeState) any(v any) error {
	switch v := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.buf = appendJSONString(e.buf, v)
	case bool:
		e.buf = strconv.AppendBool(e.buf, v)
	case Int:
		e.buf = v.appendDecimal(e.buf)
	case float64:
		e.buf = appendJSONFloat(e.buf, v)
	case Float:
		e.buf = appendJSONFloat(e.buf, float64(v))
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, v, 10)
	case []any:
		return e.list(v)
	case *Object:
		return e.object(v)
	default:
		return e.value(reflect.ValueOf(v))
	}
	return nil
}

func (e *encodeState) value(v reflect.Value) error {
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	return e.style.encoderFor(v.Type())(e, v)
}

func (e *encodeState) list(l []any) error {
	if l == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, '[')
	for i, item := range l {
		if i > 0 {
			e.buf = append(e.buf, e.style.itemSep...)
		}
		if err := e.any(item); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	e.depth--
	return nil
}

func (e *encodeState) object(o *Object) error {
	if o == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, '{')
	emit := func(n, i int) error {
		if n > 0 {
			e.buf = append(e.buf, e.style.itemSep...)
		}
		e.buf = appendJSONString(e.buf, o.keys[i])
		e.buf = append(e.buf, e.style.keySep...)
		return e.any(o.values[i])
	}
	if e.style.sortKeys {
		for n, i := range o.order(true) {
			if err := emit(n, i); err != nil {
				return err
			}
		}
	} else {
		for i := range o.keys {
			if err := emit(i, i); err != nil {
				return err
			}
		}
	}
	e.buf = append(e.buf, '}')
	e.depth--
	return nil
}

// appendJSONFloat writes a float as json.dumps does: float.__repr__ for finite
// values, NaN, Infinity and -Infinity otherwise (allow_nan defaults to True).
func appendJSONFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	return appendFloatRepr(b, f)
}

// jsonSafeASCII marks the bytes json.dumps(ensure_ascii=True) copies as they
// are: printable ASCII other than " and \. DEL (0x7F) is escaped.
var jsonSafeASCII = func() (safe [utf8.RuneSelf]bool) {
	for c := ' '; c <= '~'; c++ {
		safe[c] = c != '"' && c != '\\'
	}
	return safe
}()

// appendJSONString writes s as json.dumps(ensure_ascii=True) does: \" \\ \n
// \r \t \b \f, \u00XX for other control characters and DEL, \uXXXX in lower
// case for every non-ASCII code point, a UTF-16 surrogate pair above the BMP.
// Lone surrogates come out as their own \uXXXX escape, as in Python.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && jsonSafeASCII[c] {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			default:
				b = appendHexEscape(b, 'u', rune(c), 4)
			}
			i++
		} else {
			r, size := decodeRune(s[i:])
			if r >= 0x10000 {
				hi, lo := utf16.EncodeRune(r)
				b = appendHexEscape(b, 'u', hi, 4)
				b = appendHexEscape(b, 'u', lo, 4)
			} else {
				b = appendHexEscape(b, 'u', r, 4)
			}
			i += size
		}
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

type encoderFunc func(e *encodeState, v reflect.Value) error

// encoderFor returns the cached encoder for t, building it on first use.
// While a recursive type's encoder is being built, a forwarding function
// stands in for it so that the type can refer to itself.
func (st *encStyle) encoderFor(t reflect.Type) encoderFunc {
	if f, ok := st.typeEncoder.Load(t); ok {
		return f.(encoderFunc)
	}
	var (
		ready sync.WaitGroup
		built encoderFunc
	)
	ready.Add(1)
	forward := encoderFunc(func(e *encodeState, v reflect.Value) error {
		ready.Wait()
		return built(e, v)
	})
	if f, loaded := st.typeEncoder.LoadOrStore(t, forward); loaded {
		return f.(encoderFunc)
	}
	built = st.newEncoder(t)
	ready.Done()
	st.typeEncoder.Store(t, built)
	return built
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	timeType          = reflect.TypeFor[time.Time]()
	numberType        = reflect.TypeFor[json.Number]()
)

func (st *encStyle) newEncoder(t reflect.Type) encoderFunc {
	switch t {
	case reflect.TypeFor[Int](), reflect.TypeFor[Float](), reflect.TypeFor[*Object](), reflect.TypeFor[[]any]():
		return func(e *encodeState, v reflect.Value) error { return e.any(v.Interface()) }
	case timeType:
		return st.timeEncoder
	case numberType:
		return encodeViaDecode(func(v reflect.Value) ([]byte, error) { return []byte(v.String()), nil })
	}
	if t.Implements(marshalerType) {
		return nilSafe(t, encodeViaDecode(func(v reflect.Value) ([]byte, error) {
			return v.Interface().(json.Marshaler).MarshalJSON()
		}))
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(marshalerType) {
		return addressable(encodeViaDecode(func(v reflect.Value) ([]byte, error) {
			return v.Addr().Interface().(json.Marshaler).MarshalJSON()
		}), st.newKindEncoder(t))
	}
	if t.Implements(textMarshalerType) {
		return nilSafe(t, encodeText(func(v reflect.Value) ([]byte, error) {
			return v.Interface().(encoding.TextMarshaler).MarshalText()
		}))
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textMarshalerType) {
		return addressable(encodeText(func(v reflect.Value) ([]byte, error) {
			return v.Addr().Interface().(encoding.TextMarshaler).MarshalText()
		}), st.newKindEncoder(t))
	}
	return st.newKindEncoder(t)
}

// nilSafe writes null for a nil pointer or interface instead of calling a
// method on it.
func nilSafe(t reflect.Type, enc encoderFunc) encoderFunc {
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		return enc
	}
	return func(e *encodeState, v reflect.Value) error {
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return enc(e, v)
	}
}

// addressable uses a pointer-receiver method when the value can be
// addressed, as encoding/json does, and the plain encoding otherwise.
func addressable(withAddr, plain encoderFunc) encoderFunc {
	return func(e *encodeState, v reflect.Value) error {
		if v.CanAddr() {
			return withAddr(e, v)
		}
		return plain(e, v)
	}
}

// encodeViaDecode re-reads a value's own JSON as Python would and writes it
// in the current style, so separators, key order and escapes stay Python's.
func encodeViaDecode(produce func(reflect.Value) ([]byte, error)) encoderFunc {
	return func(e *encodeState, v reflect.Value) error {
		if !v.CanInterface() {
			return &UnsupportedValueError{Value: v.Type().String(), Reason: "unexported value"}
		}
		raw, err := produce(v)
		if err != nil {
			return err
		}
		decoded, err := Decode(raw)
		if err != nil {
			return fmt.Errorf("py: re-reading the JSON of %s: %w", v.Type(), err)
		}
		return e.any(decoded)
	}
}

func encodeText(produce func(reflect.Value) ([]byte, error)) encoderFunc {
	return func(e *encodeState, v reflect.Value) error {
		if !v.CanInterface() {
			return &UnsupportedValueError{Value: v.Type().String(), Reason: "unexported value"}
		}
		text, err := produce(v)
		if err != nil {
			return err
		}
		e.buf = appendJSONString(e.buf, string(text))
		return nil
	}
}

func (st *encStyle) timeEncoder(e *encodeState, v reflect.Value) error {
	if !st.timeAsHTTP {
		return &UnsupportedValueError{Value: v.Type().String(), Reason: "json.dumps cannot encode a datetime; format it as a string"}
	}
	t := v.Interface().(time.Time)
	e.buf = append(e.buf, '"')
	e.buf = t.UTC().AppendFormat(e.buf, http.TimeFormat)
	e.buf = append(e.buf, '"')
	return nil
}

func (st *encStyle) newKindEncoder(t reflect.Type) encoderFunc {
	switch t.Kind() {
	case reflect.Bool:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = strconv.AppendBool(e.buf, v.Bool())
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
			return nil
		}
	case reflect.Float32, reflect.Float64:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = appendJSONFloat(e.buf, v.Float())
			return nil
		}
	case reflect.String:
		return func(e *encodeState, v reflect.Value) error {
			e.buf = appendJSONString(e.buf, v.String())
			return nil
		}
	case reflect.Interface:
		return func(e *encodeState, v reflect.Value) error {
			if v.IsNil() {
				e.buf = append(e.buf, "null"...)
				return nil
			}
			if !v.CanInterface() {
				return &UnsupportedValueError{Value: v.Type().String(), Reason: "unexported value"}
			}
			if err := e.enter(); err != nil {
				return err
			}
			err := e.any(v.Interface())
			e.depth--
			return err
		}
	case reflect.Pointer:
		elem := st.encoderFor(t.Elem())
		return func(e *encodeState, v reflect.Value) error {
			if v.IsNil() {
				e.buf = append(e.buf, "null"...)
				return nil
			}
			if err := e.enter(); err != nil {
				return err
			}
			err := elem(e, v.Elem())
			e.depth--
			return err
		}
	case reflect.Struct:
		return st.newStructEncoder(t)
	case reflect.Map:
		return st.newMapEncoder(t)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(marshalerType) && !reflect.PointerTo(t.Elem()).Implements(textMarshalerType) {
			return encodeBytes
		}
		return st.newSequenceEncoder(t)
	case reflect.Array:
		return st.newSequenceEncoder(t)
	}
	return func(e *encodeState, v reflect.Value) error {
		return &UnsupportedValueError{Value: v.Type().String(), Reason: "no JSON form"}
	}
}

// encodeBytes writes a []byte as encoding/json does, base64 in a string;
// Python has no JSON form for bytes, so this only keeps Go habits working.
func encodeBytes(e *encodeState, v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	e.buf = append(e.buf, '"')
	e.buf = base64.StdEncoding.AppendEncode(e.buf, v.Bytes())
	e.buf = append(e.buf, '"')
	return nil
}

func (st *encStyle) newSequenceEncoder(t reflect.Type) encoderFunc {
	elem := st.encoderFor(t.Elem())
	return func(e *encodeState, v reflect.Value) error {
		if v.Kind() == reflect.Slice && v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		e.buf = append(e.buf, '[')
		for i := range v.Len() {
			if i > 0 {
				e.buf = append(e.buf, e.style.itemSep...)
			}
			if err := elem(e, v.Index(i)); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
		e.depth--
		return nil
	}
}

// newMapEncoder writes a map with its keys sorted: Go maps have no order to
// keep. Keys may be strings, integers or encoding.TextMarshalers, as in
// encoding/json.
func (st *encStyle) newMapEncoder(t reflect.Type) encoderFunc {
	keyString, ok := mapKeyStringer(t.Key())
	if !ok {
		return func(e *encodeState, v reflect.Value) error {
			return &UnsupportedValueError{Value: v.Type().String(), Reason: "map key type has no JSON form"}
		}
	}
	elem := st.encoderFor(t.Elem())
	return func(e *encodeState, v reflect.Value) error {
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		type entry struct {
			key   string
			value reflect.Value
		}
		entries := make([]entry, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			k, err := keyString(it.Key())
			if err != nil {
				return err
			}
			entries = append(entries, entry{k, it.Value()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		e.buf = append(e.buf, '{')
		for i, en := range entries {
			if i > 0 {
				e.buf = append(e.buf, e.style.itemSep...)
			}
			e.buf = appendJSONString(e.buf, en.key)
			e.buf = append(e.buf, e.style.keySep...)
			if err := elem(e, en.value); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
		e.depth--
		return nil
	}
}

func mapKeyStringer(t reflect.Type) (func(reflect.Value) (string, error), bool) {
	if t.Kind() == reflect.String {
		return func(k reflect.Value) (string, error) { return k.String(), nil }, true
	}
	if t.Implements(textMarshalerType) {
		return func(k reflect.Value) (string, error) {
			if k.Kind() == reflect.Pointer && k.IsNil() {
				return "", nil
			}
			text, err := k.Interface().(encoding.TextMarshaler).MarshalText()
			return string(text), err
		}, true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(k reflect.Value) (string, error) { return strconv.FormatInt(k.Int(), 10), nil }, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(k reflect.Value) (string, error) { return strconv.FormatUint(k.Uint(), 10), nil }, true
	}
	return nil, false
}
