package fakequay

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// decodeStrict decodes a JSON document into v (a pointer to a struct) the
// way a seed file must be read: unknown keys, duplicate keys, values of the
// wrong type, missing required fields (tag `seed:"required"`) and trailing
// data are errors, each naming its JSON path, e.g.
// "users[2].tokens[0].scopes: want []string, got string". Fields absent from
// the document keep the values v already holds, so defaults can be preset.
//
// The checks come in a fixed order, which decides the error a document
// with several problems gets: syntax and duplicate keys first, in document
// order (checkDuplicateKeys); then, depth first, each object's missing
// required fields (in field order) and its members in sorted key order.
//
// It reads a valid document in two linear passes (json.Valid, then the
// decoding, which checks each object it reads for duplicate keys and hands
// the values it leaves to encoding/json to the duplicate scan) without
// building intermediate values or paths: a 100,000-user seed file is read
// in a small fraction of a second (issue 14, goal 4). A document with any
// problem is read again, the duplicate scan first and then the decoding,
// so that the problems are reported in their order. Only a document
// json.Valid rejects goes through the token walk, which names where it
// breaks.
func decodeStrict(data []byte, v any) error {
	if !json.Valid(data) {
		if err := checkDuplicateKeys(data); err != nil {
			return err
		}
		return errors.New("(document): invalid JSON") // the token walk found nothing wrong
	}
	d := &strictDecoder{data: data, checkKeys: true}
	start := d.skipSpace(0)
	end := d.valueEnd(start)
	dst := reflect.ValueOf(v).Elem()
	if d.decode(start, end, dst, &jsonPath{}) == nil {
		return nil
	}
	dst.SetZero()
	d.checkKeys = false
	if err := d.duplicates(start, end, &jsonPath{}); err != nil {
		return err
	}
	return d.decode(start, end, dst, &jsonPath{})
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// jsonPath is where a value sits in the document, built only when an
// error names it: a member key or an array index under parent.
type jsonPath struct {
	parent *jsonPath // nil for the document
	key    string
	index  int
	item   bool // index, not key
}

func (p *jsonPath) member(key string) jsonPath { return jsonPath{parent: p, key: key} }
func (p *jsonPath) element(i int) jsonPath     { return jsonPath{parent: p, index: i, item: true} }

// String renders the path as the decoding errors name it ("" for the
// document): users[2].tokens[0].scopes.
func (p *jsonPath) String() string { return p.render(false) }

// walkString renders it as the duplicate-key walk does, which writes an
// index under the document as "(document)[i]".
func (p *jsonPath) walkString() string { return p.render(true) }

func (p *jsonPath) render(walk bool) string {
	if p.parent == nil {
		return ""
	}
	parent := p.parent.render(walk)
	switch {
	case !p.item:
		return join(parent, p.key)
	case walk:
		return orRoot(parent) + "[" + strconv.Itoa(p.index) + "]"
	}
	return parent + "[" + strconv.Itoa(p.index) + "]"
}

// strictDecoder reads a document that json.Valid accepted, so it can skip
// values without checking their syntax.
type strictDecoder struct {
	data []byte
	// checkKeys makes decode refuse duplicate keys, in the objects it reads
	// and, through duplicates, in the values it leaves to encoding/json.
	checkKeys bool
}

// errDuplicateKey is decode's refusal under checkKeys; decodeStrict then
// finds the first duplicate with its path.
var errDuplicateKey = errors.New("duplicate key")

// repeatsKey reports whether two of the members share a key.
func repeatsKey(ms []member) bool {
	if len(ms) > 16 {
		seen := make(map[string]bool, len(ms))
		for _, m := range ms {
			if seen[m.key] {
				return true
			}
			seen[m.key] = true
		}
		return false
	}
	for i, m := range ms {
		for _, prev := range ms[:i] {
			if prev.key == m.key {
				return true
			}
		}
	}
	return false
}

// member is an object member: its key and the span of its value.
type member struct {
	key        string
	start, end int
}

func (d *strictDecoder) skipSpace(i int) int {
	for i < len(d.data) {
		switch d.data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// valueEnd returns where the value starting at i ends.
func (d *strictDecoder) valueEnd(i int) int {
	switch d.data[i] {
	case '"':
		return d.stringEnd(i)
	case '{', '[':
		depth := 0
		for ; i < len(d.data); i++ {
			switch d.data[i] {
			case '"':
				i = d.stringEnd(i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(d.data) {
		switch d.data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// stringEnd returns where the string starting with the quote at i ends.
func (d *strictDecoder) stringEnd(i int) int {
	for i++; i < len(d.data); i++ {
		switch d.data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// stringAt decodes the string spanning start to end as encoding/json does;
// only strings of printable ASCII without escapes are taken as they are.
func (d *strictDecoder) stringAt(start, end int) string {
	raw := d.data[start+1 : end-1]
	for _, c := range raw {
		if c < ' ' || c > '~' || c == '\\' {
			var s string
			_ = json.Unmarshal(d.data[start:end], &s) // valid JSON: cannot fail
			return s
		}
	}
	return string(raw)
}

// members lists the members of the object spanning start to end, in
// document order, into buf.
func (d *strictDecoder) members(start, end int, buf []member) []member {
	i := d.skipSpace(start + 1)
	for d.data[i] != '}' {
		keyEnd := d.stringEnd(i)
		key := d.stringAt(i, keyEnd)
		vs := d.skipSpace(d.skipSpace(keyEnd) + 1) // past the colon
		ve := d.valueEnd(vs)
		buf = append(buf, member{key: key, start: vs, end: ve})
		i = d.skipSpace(ve)
		if d.data[i] == ',' {
			i = d.skipSpace(i + 1)
		}
	}
	return buf
}

// elements lists the spans of the array's elements spanning start to end.
func (d *strictDecoder) elements(start, end int) [][2]int {
	var out [][2]int
	i := d.skipSpace(start + 1)
	for d.data[i] != ']' {
		ve := d.valueEnd(i)
		out = append(out, [2]int{i, ve})
		i = d.skipSpace(ve)
		if d.data[i] == ',' {
			i = d.skipSpace(i + 1)
		}
	}
	return out
}

// duplicates reports the first key that appears twice in one object, in
// document order, with the path checkDuplicateKeys gives it.
func (d *strictDecoder) duplicates(start, end int, path *jsonPath) error {
	switch d.data[start] {
	case '{':
		var buf [16]member
		ms := d.members(start, end, buf[:0])
		var seen map[string]bool
		if len(ms) > len(buf) {
			seen = make(map[string]bool, len(ms))
		}
		for i, m := range ms {
			dup := false
			if seen != nil {
				dup = seen[m.key]
				seen[m.key] = true
			} else {
				for _, prev := range ms[:i] {
					dup = dup || prev.key == m.key
				}
			}
			if dup {
				p := path.member(m.key)
				return fmt.Errorf("%s: duplicate key", p.walkString())
			}
			p := path.member(m.key)
			if err := d.duplicates(m.start, m.end, &p); err != nil {
				return err
			}
		}
	case '[':
		for i, e := range d.elements(start, end) {
			p := path.element(i)
			if err := d.duplicates(e[0], e[1], &p); err != nil {
				return err
			}
		}
	}
	return nil
}

// decode sets dst from the value spanning start to end.
func (d *strictDecoder) decode(start, end int, dst reflect.Value, path *jsonPath) error {
	raw := d.data[start:end]
	null := string(raw) == "null"
	t := dst.Type()
	switch {
	case t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textType):
		return d.unmarshalAt(start, end, dst, path)
	case t.Kind() == reflect.Pointer:
		if null {
			dst.SetZero()
			return nil
		}
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		return d.decode(start, end, dst.Elem(), path)
	case t.Kind() == reflect.Struct:
		return d.decodeStruct(start, end, dst, path)
	case t.Kind() == reflect.Slice && isStructish(t.Elem()):
		if raw[0] != '[' && !null {
			return typeError(path.String(), t, raw)
		}
		var items [][2]int
		if !null {
			items = d.elements(start, end)
		}
		out := reflect.MakeSlice(t, len(items), len(items))
		users, _ := out.Interface().([]SeedUser)
		for i, item := range items {
			if users != nil && d.plainSeedUser(item[0], item[1], &users[i]) {
				continue
			}
			p := path.element(i)
			if err := d.decode(item[0], item[1], out.Index(i), &p); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	// What encoding/json does with the commonest scalars, without a call
	// into it: null leaves them alone, another JSON type is a type error.
	case t.Kind() == reflect.String && (raw[0] == '"' || null):
		if !null {
			dst.SetString(d.stringAt(start, end))
		}
		return nil
	case t.Kind() == reflect.Bool && (string(raw) == "true" || string(raw) == "false" || null):
		if !null {
			dst.SetBool(raw[0] == 't')
		}
		return nil
	}
	return d.unmarshalAt(start, end, dst, path)
}

// unmarshalAt leaves the value spanning start to end to encoding/json,
// after the duplicate scan under checkKeys.
func (d *strictDecoder) unmarshalAt(start, end int, dst reflect.Value, path *jsonPath) error {
	if d.checkKeys && d.duplicates(start, end, path) != nil {
		return errDuplicateKey
	}
	return unmarshalAt(d.data[start:end], dst, path)
}

// plainSeedUser decodes the user object spanning start to end into u
// without reflection, when it is the usual kind: both required strings,
// booleans for verified and enabled, nothing else (issue 14, goal 4: a
// seed's users are most of a large seed). It reports false, leaving u
// alone, for any other object, which decodeStruct then decodes or refuses
// with the error it names.
func (d *strictDecoder) plainSeedUser(start, end int, u *SeedUser) bool {
	if d.data[start] != '{' {
		return false
	}
	var buf [8]member
	ms := d.members(start, end, buf[:0])
	if repeatsKey(ms) {
		return false
	}
	var (
		username, email   string
		hasName, hasEmail bool
		verified, enabled *bool
	)
	for _, m := range ms {
		raw := d.data[m.start:m.end]
		switch m.key {
		case "username", "email":
			if raw[0] != '"' {
				return false
			}
			if m.key == "username" {
				username, hasName = d.stringAt(m.start, m.end), true
			} else {
				email, hasEmail = d.stringAt(m.start, m.end), true
			}
		case "verified", "enabled":
			b, ok := plainBool(raw)
			if !ok {
				return false
			}
			if m.key == "verified" {
				verified = new(b)
			} else {
				enabled = new(b)
			}
		default:
			return false // tokens, unknown keys: the general path
		}
	}
	if !hasName || !hasEmail {
		return false // the general path names the missing field
	}
	u.Username, u.Email = username, email
	if verified != nil {
		u.Verified = verified
	}
	if enabled != nil {
		u.Enabled = enabled
	}
	return true
}

// plainBool reads a JSON true or false.
func plainBool(raw []byte) (value, ok bool) {
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func isStructish(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(unmarshalerType) &&
		!reflect.PointerTo(t).Implements(textType)
}

// seedFields is what decodeStruct needs of a struct type: its fields by
// JSON name, and the required ones in declaration order.
type seedFields struct {
	byName   map[string]int
	required []string
}

var seedFieldsCache sync.Map // reflect.Type -> *seedFields

func seedFieldsOf(t reflect.Type) *seedFields {
	if f, ok := seedFieldsCache.Load(t); ok {
		return f.(*seedFields)
	}
	f := &seedFields{byName: map[string]int{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		f.byName[name] = i
		if sf.Tag.Get("seed") == "required" {
			f.required = append(f.required, name)
		}
	}
	seedFieldsCache.Store(t, f)
	return f
}

func (d *strictDecoder) decodeStruct(start, end int, dst reflect.Value, path *jsonPath) error {
	if d.data[start] != '{' {
		return typeError(path.String(), dst.Type(), d.data[start:end])
	}
	fields := seedFieldsOf(dst.Type())
	var buf [16]member
	ms := d.members(start, end, buf[:0])
	if d.checkKeys && repeatsKey(ms) {
		return errDuplicateKey
	}
	for _, name := range fields.required {
		i := slices.IndexFunc(ms, func(m member) bool { return m.key == name })
		if i < 0 || string(d.data[ms[i].start:ms[i].end]) == "null" {
			p := path.member(name)
			return fmt.Errorf("%s: missing required field", p.String())
		}
	}
	slices.SortFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
	for _, m := range ms {
		p := path.member(m.key)
		i, ok := fields.byName[m.key]
		if !ok {
			return fmt.Errorf("%s: unknown field", p.String())
		}
		if err := d.decode(m.start, m.end, dst.Field(i), &p); err != nil {
			return err
		}
	}
	return nil
}

// unmarshalAt leaves a value to encoding/json; its errors name path.
func unmarshalAt(raw json.RawMessage, dst reflect.Value, path *jsonPath) error {
	if err := json.Unmarshal(raw, dst.Addr().Interface()); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return typeError(path.String(), dst.Type(), raw)
		}
		return fmt.Errorf("%s: %v", orRoot(path.String()), strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func typeError(path string, want reflect.Type, raw json.RawMessage) error {
	return fmt.Errorf("%s: want %s, got %s", orRoot(path), describeType(want), describeJSON(raw))
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		if t.PkgPath() == "time" {
			return "an RFC 3339 time"
		}
		return "an object"
	case reflect.Map:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Pointer:
		return describeType(t.Elem())
	}
	return t.String()
}

func describeJSON(raw json.RawMessage) string {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return "nothing"
	}
	switch s[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "the number " + string(s)
}

// join appends key to path: ".key" for a plain key, and `["key"]` (Go
// quoting) for any other, so that an empty key or one holding ".", "[" or
// ": " still makes an unambiguous path.
func join(path, key string) string {
	if key == "" || strings.IndexFunc(key, func(r rune) bool {
		return !(r == '_' || r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	}) >= 0 {
		return orRoot(path) + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "(document)"
	}
	return path
}

// checkDuplicateKeys walks the document's tokens and reports the first key
// that appears twice in one object, or a syntax error, with its path.
func checkDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := walkTokens(dec, ""); err != nil {
		return err
	}
	// Anything but the end after the value, valid JSON or not, is trailing
	// data; "{}x" used to pass here and fail later as a type error.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("(document): unexpected data after the top-level value")
	}
	return nil
}

func walkTokens(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(path, err)
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return syntaxError(path, err)
			}
			key := k.(string)
			if seen[key] {
				return fmt.Errorf("%s: duplicate key", join(path, key))
			}
			seen[key] = true
			if err := walkTokens(dec, join(path, key)); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := walkTokens(dec, orRoot(path)+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	if err != nil {
		return syntaxError(path, err)
	}
	return nil
}

func syntaxError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of the document"
	}
	return fmt.Errorf("%s: invalid JSON: %s", orRoot(path), msg)
}
