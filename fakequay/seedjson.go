package fakequay

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// decodeStrict decodes a JSON document into v (a pointer to a struct) the
// way a seed file must be read: unknown keys, duplicate keys, values of the
// wrong type, missing required fields (tag `seed:"required"`) and trailing
// data are errors, each naming its JSON path, e.g.
// "users[2].tokens[0].scopes: want []string, got string". Fields absent from
// the document keep the values v already holds, so defaults can be preset.
func decodeStrict(data []byte, v any) error {
	if err := checkDuplicateKeys(data); err != nil {
		return err
	}
	return decodeValue(json.RawMessage(data), reflect.ValueOf(v).Elem(), "")
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func decodeValue(raw json.RawMessage, dst reflect.Value, path string) error {
	t := dst.Type()
	isNull := bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
	switch {
	case t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textType):
		return unmarshalAt(raw, dst, path)
	case t.Kind() == reflect.Pointer:
		if isNull {
			dst.SetZero()
			return nil
		}
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		return decodeValue(raw, dst.Elem(), path)
	case t.Kind() == reflect.Struct:
		return decodeStruct(raw, dst, path)
	case t.Kind() == reflect.Slice && isStructish(t.Elem()):
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return typeError(path, t, raw)
		}
		out := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeValue(item, out.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	}
	return unmarshalAt(raw, dst, path)
}

func isStructish(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(unmarshalerType) &&
		!reflect.PointerTo(t).Implements(textType)
}

func decodeStruct(raw json.RawMessage, dst reflect.Value, path string) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return typeError(path, dst.Type(), raw)
	}
	t := dst.Type()
	known := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		known[name] = i
		val, present := members[name]
		if f.Tag.Get("seed") == "required" && (!present || bytes.Equal(bytes.TrimSpace(val), []byte("null"))) {
			return fmt.Errorf("%s: missing required field", join(path, name))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(members)) {
		val := members[key]
		i, ok := known[key]
		if !ok {
			return fmt.Errorf("%s: unknown field", join(path, key))
		}
		if err := decodeValue(val, dst.Field(i), join(path, key)); err != nil {
			return err
		}
	}
	return nil
}

func unmarshalAt(raw json.RawMessage, dst reflect.Value, path string) error {
	if err := json.Unmarshal(raw, dst.Addr().Interface()); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return typeError(path, dst.Type(), raw)
		}
		return fmt.Errorf("%s: %v", orRoot(path), strings.TrimPrefix(err.Error(), "json: "))
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
	if _, err := dec.Token(); err == nil {
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
