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

// AppendRestful appends Restful(v) to dst and returns the extended slice.
// A caller that reuses its buffer (a page of users is 48 KB) spares the
// allocation and the copy Restful makes.
func AppendRestful(dst []byte, v any) ([]byte, error) { return appendEncoded(dst, v, restfulStyle) }

// AppendJsonify appends Jsonify(v) to dst, as AppendRestful does.
func AppendJsonify(dst []byte, v any) ([]byte, error) { return appendEncoded(dst, v, jsonifyStyle) }

func appendEncoded(dst []byte, v any, style *encStyle) ([]byte, error) {
	// A RestfulAppender needs no encodeState, which escapes to the heap
	// (fakequay's pages and most of its views are such values).
	if a, ok := v.(RestfulAppender); ok && style.appenders && !nilPointer(v) {
		return append(a.AppendRestful(dst), '\n'), nil
	}
	e := encodeState{style: style}
	b, err := e.any(dst, v)
	if err != nil {
		return dst, err
	}
	return append(b, '\n'), nil
}

// nilPointer reports whether v is a nil pointer, which encodes as null.
func nilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// RestfulAppender is implemented by types that write their own Restful
// encoding, for speed: Restful, AppendRestful and Dumps call the method
// instead of walking the type with reflection (through a pointer, also for
// values they can address). AppendRestful must append exactly what the
// reflective encoding of the value would, with [AppendString] for strings;
// Jsonify ignores it.
type RestfulAppender interface {
	AppendRestful(b []byte) []byte
}

var restfulAppenderType = reflect.TypeFor[RestfulAppender]()

// AppendString appends s as json.dumps writes a string (ensure_ascii).
func AppendString(b []byte, s string) []byte { return appendJSONString(b, s) }

// AppendStringBody appends what AppendString does between the quotes, for
// an encoder that writes the quotes with the text around them.
func AppendStringBody(b []byte, s string) []byte { return appendJSONStringBody(b, s) }

// Dumps is Python's json.dumps(v) with default settings: Restful without
// the trailing newline. Quay uses it for util.http.abort bodies and for
// page-token plaintexts.
func Dumps(v any) ([]byte, error) { return marshal(v, restfulStyle, false) }

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
	appenders   bool     // RestfulAppender methods write the encoding
	typeEncoder sync.Map // reflect.Type -> encoderFunc
}

var (
	restfulStyle = &encStyle{itemSep: ", ", keySep: ": ", appenders: true}
	jsonifyStyle = &encStyle{sortKeys: true, itemSep: ",", keySep: ":", timeAsHTTP: true}
)

// maxEncodeDepth bounds nesting so that a cycle through pointers, maps or
// slices fails (json.dumps raises "Circular reference detected") instead of
// recursing forever; any value Decode returns stays well below it.
const maxEncodeDepth = MaxNesting + 1000

// encodeState carries what an encoding needs besides the output. The output
// itself is passed along and returned, strconv.Append-style, rather than
// kept in this heap object: storing the slice back after every append would
// cost a GC write barrier each time.
type encodeState struct {
	style *encStyle
	depth int
}

// pooledEncoding recycles an encodeState and its output buffer between
// calls, so that an encoding allocates only the bytes it returns.
type pooledEncoding struct {
	state encodeState
	buf   []byte
}

var encodingPool = sync.Pool{New: func() any { return new(pooledEncoding) }}

func marshal(v any, style *encStyle, newline bool) ([]byte, error) {
	p := encodingPool.Get().(*pooledEncoding)
	p.state = encodeState{style: style}
	b, err := p.state.any(p.buf[:0], v)
	var out []byte
	if err == nil {
		out = make([]byte, len(b), len(b)+1)
		copy(out, b)
		if newline {
			out = append(out, '\n')
		}
	}
	if cap(b) <= 1<<20 {
		p.buf = b
		encodingPool.Put(p)
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

// any appends the encoding of a value, with fast paths for the decoded value
// model so that echoing a request body needs no reflection.
func (e *encodeState) any(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case Int:
		return v.appendDecimal(b), nil
	case float64:
		return appendJSONFloat(b, v), nil
	case Float:
		return appendJSONFloat(b, float64(v)), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case []any:
		return e.list(b, v)
	case *Object:
		return e.object(b, v)
	}
	rv := reflect.ValueOf(v)
	return e.style.encoderFor(rv.Type())(e, b, rv)
}

func (e *encodeState) list(b []byte, l []any) ([]byte, error) {
	if l == nil {
		return append(b, "null"...), nil
	}
	if err := e.enter(); err != nil {
		return b, err
	}
	b = append(b, '[')
	for i, item := range l {
		if i > 0 {
			b = append(b, e.style.itemSep...)
		}
		var err error
		if b, err = e.any(b, item); err != nil {
			return b, err
		}
	}
	e.depth--
	return append(b, ']'), nil
}

func (e *encodeState) object(b []byte, o *Object) ([]byte, error) {
	if o == nil {
		return append(b, "null"...), nil
	}
	if err := e.enter(); err != nil {
		return b, err
	}
	order := o.order(e.style.sortKeys)
	b = append(b, '{')
	for n, i := range order {
		if n > 0 {
			b = append(b, e.style.itemSep...)
		}
		b = appendJSONString(b, o.keys[i])
		b = append(b, e.style.keySep...)
		var err error
		if b, err = e.any(b, o.values[i]); err != nil {
			return b, err
		}
	}
	e.depth--
	return append(b, '}'), nil
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

// safeASCII8 reports whether the eight bytes of x are all ones json.dumps
// copies as they are (' ' to '~' but '"' and '\\'), testing them together:
// most strings in a response have nothing to escape.
func safeASCII8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (x - 0x20*ones) &^ x   // high bit set where a byte is < 0x20
	high := x | (x + ones)          // ... where a byte is >= 0x7f (carries only add false alarms)
	quote := x ^ ('"' * ones)       // zero bytes where '"' is
	quote = (quote - ones) &^ quote // high bit set where a byte was zero
	slash := x ^ ('\\' * ones)
	slash = (slash - ones) &^ slash
	return (below|high|quote|slash)&highs == 0
}

// jsonSafeString reports whether json.dumps copies s as it is.
func jsonSafeString(s string) bool {
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= utf8.RuneSelf || !jsonSafeASCII[c] {
				return false
			}
		}
		return true
	}
	for i := 0; i+8 < len(s); i += 8 {
		if !safeASCII8(load8(s[i:])) {
			return false
		}
	}
	return safeASCII8(load8(s[len(s)-8:])) // the last eight bytes, overlapping
}

// load8 reads the first eight bytes of s as a little-endian word.
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// appendJSONString writes s as json.dumps(ensure_ascii=True) does: \" \\ \n
// \r \t \b \f, \u00XX for other control characters and DEL, \uXXXX in lower
// case for every non-ASCII code point, a UTF-16 surrogate pair above the BMP.
// Lone surrogates come out as their own \uXXXX escape, as in Python.
func appendJSONString(b []byte, s string) []byte {
	return append(appendJSONStringBody(append(b, '"'), s), '"')
}

// appendJSONStringBody is appendJSONString without the quotes.
func appendJSONStringBody(b []byte, s string) []byte {
	if jsonSafeString(s) {
		return append(b, s...)
	}
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && safeASCII8(load8(s[i:])) {
			i += 8
			continue
		}
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
	return append(b, s[start:]...)
}

// encoderFunc appends the encoding of v to b.
type encoderFunc func(e *encodeState, b []byte, v reflect.Value) ([]byte, error)

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
	forward := encoderFunc(func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		ready.Wait()
		return built(e, b, v)
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
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			if !v.CanInterface() {
				return b, unexportedValue(v)
			}
			return e.any(b, v.Interface())
		}
	case timeType:
		return st.timeEncoder
	case numberType:
		return encodeViaDecode(func(v reflect.Value) ([]byte, error) { return []byte(v.String()), nil })
	}
	if st.appenders && t.Implements(restfulAppenderType) {
		return nilSafe(t, func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return v.Interface().(RestfulAppender).AppendRestful(b), nil
		})
	}
	if st.appenders && t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(restfulAppenderType) {
		return addressable(func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return v.Addr().Interface().(RestfulAppender).AppendRestful(b), nil
		}, st.newKindEncoder(t))
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

func unexportedValue(v reflect.Value) error {
	return &UnsupportedValueError{Value: v.Type().String(), Reason: "unexported value"}
}

// nilSafe writes null for a nil pointer or interface instead of calling a
// method on it.
func nilSafe(t reflect.Type, enc encoderFunc) encoderFunc {
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		return enc
	}
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return enc(e, b, v)
	}
}

// addressable uses a pointer-receiver method when the value can be
// addressed, as encoding/json does, and the plain encoding otherwise.
func addressable(withAddr, plain encoderFunc) encoderFunc {
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		if v.CanAddr() {
			return withAddr(e, b, v)
		}
		return plain(e, b, v)
	}
}

// encodeViaDecode re-reads a value's own JSON as Python would and writes it
// in the current style, so separators, key order and escapes stay Python's.
func encodeViaDecode(produce func(reflect.Value) ([]byte, error)) encoderFunc {
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		if !v.CanInterface() {
			return b, unexportedValue(v)
		}
		raw, err := produce(v)
		if err != nil {
			return b, err
		}
		decoded, err := Decode(raw)
		if err != nil {
			return b, fmt.Errorf("py: re-reading the JSON of %s: %w", v.Type(), err)
		}
		return e.any(b, decoded)
	}
}

func encodeText(produce func(reflect.Value) ([]byte, error)) encoderFunc {
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		if !v.CanInterface() {
			return b, unexportedValue(v)
		}
		text, err := produce(v)
		if err != nil {
			return b, err
		}
		return appendJSONString(b, string(text)), nil
	}
}

func (st *encStyle) timeEncoder(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
	if !st.timeAsHTTP {
		return b, &UnsupportedValueError{Value: v.Type().String(), Reason: "json.dumps cannot encode a datetime; format it as a string"}
	}
	if !v.CanInterface() {
		return b, unexportedValue(v)
	}
	t := v.Interface().(time.Time)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, http.TimeFormat)
	return append(b, '"'), nil
}

func (st *encStyle) newKindEncoder(t reflect.Type) encoderFunc {
	switch t.Kind() {
	case reflect.Bool:
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return strconv.AppendBool(b, v.Bool()), nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return strconv.AppendInt(b, v.Int(), 10), nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return strconv.AppendUint(b, v.Uint(), 10), nil
		}
	case reflect.Float32, reflect.Float64:
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return appendJSONFloat(b, v.Float()), nil
		}
	case reflect.String:
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return appendJSONString(b, v.String()), nil
		}
	case reflect.Interface:
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			if v.IsNil() {
				return append(b, "null"...), nil
			}
			if !v.CanInterface() {
				return b, unexportedValue(v)
			}
			if err := e.enter(); err != nil {
				return b, err
			}
			b, err := e.any(b, v.Interface())
			e.depth--
			return b, err
		}
	case reflect.Pointer:
		elem := st.encoderFor(t.Elem())
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			if v.IsNil() {
				return append(b, "null"...), nil
			}
			if err := e.enter(); err != nil {
				return b, err
			}
			b, err := elem(e, b, v.Elem())
			e.depth--
			return b, err
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
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		return b, &UnsupportedValueError{Value: v.Type().String(), Reason: "no JSON form"}
	}
}

// encodeBytes writes a []byte as encoding/json does, base64 in a string;
// Python has no JSON form for bytes, so this only keeps Go habits working.
func encodeBytes(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(b, "null"...), nil
	}
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v.Bytes())
	return append(b, '"'), nil
}

func (st *encStyle) newSequenceEncoder(t reflect.Type) encoderFunc {
	elem := st.encoderFor(t.Elem())
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, "null"...), nil
		}
		if err := e.enter(); err != nil {
			return b, err
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, e.style.itemSep...)
			}
			var err error
			if b, err = elem(e, b, v.Index(i)); err != nil {
				return b, err
			}
		}
		e.depth--
		return append(b, ']'), nil
	}
}

// newMapEncoder writes a map with its keys sorted: Go maps have no order to
// keep. Keys may be strings, integers or encoding.TextMarshalers, as in
// encoding/json.
func (st *encStyle) newMapEncoder(t reflect.Type) encoderFunc {
	keyString, ok := mapKeyStringer(t.Key())
	if !ok {
		return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
			return b, &UnsupportedValueError{Value: v.Type().String(), Reason: "map key type has no JSON form"}
		}
	}
	elem := st.encoderFor(t.Elem())
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if err := e.enter(); err != nil {
			return b, err
		}
		type entry struct {
			key   string
			value reflect.Value
		}
		entries := make([]entry, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			k, err := keyString(it.Key())
			if err != nil {
				return b, err
			}
			entries = append(entries, entry{k, it.Value()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		b = append(b, '{')
		for i, en := range entries {
			if i > 0 {
				b = append(b, e.style.itemSep...)
			}
			b = appendJSONString(b, en.key)
			b = append(b, e.style.keySep...)
			var err error
			if b, err = elem(e, b, en.value); err != nil {
				return b, err
			}
		}
		e.depth--
		return append(b, '}'), nil
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
