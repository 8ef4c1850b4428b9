package py

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
)

// structField is one JSON member of a struct type, after encoding/json's
// rules for tags and embedded structs have been applied.
type structField struct {
	name      string
	index     []int // path through embedded structs
	typ       reflect.Type
	tagged    bool // the name came from a json tag
	depth     int  // embedding depth, for resolving duplicate names
	omitEmpty bool
	omitZero  bool
	quoted    bool // the ",string" option, which Python has no counterpart for
}

// structFields lists the JSON members of t in declaration order. Embedded
// structs without a json name are flattened into their parent; of several
// fields with one name, the shallowest wins, then the only tagged one, and if
// that leaves a tie none is encoded (encoding/json's dominance rule).
func structFields(t reflect.Type) []structField {
	var all []structField
	var walk func(t reflect.Type, index []int, depth int, path map[reflect.Type]bool)
	walk = func(t reflect.Type, index []int, depth int, path map[reflect.Type]bool) {
		path[t] = true
		defer delete(path, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
				if name == "" && ft.Kind() == reflect.Struct {
					if !path[ft] {
						walk(ft, append(slices.Clone(index), i), depth+1, path)
					}
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			f := structField{
				name:   name,
				index:  append(slices.Clone(index), i),
				typ:    sf.Type,
				tagged: name != "",
				depth:  depth,
			}
			if f.name == "" {
				f.name = sf.Name
			}
			for opt := range strings.SplitSeq(opts, ",") {
				switch opt {
				case "omitempty":
					f.omitEmpty = true
				case "omitzero":
					f.omitZero = true
				case "string":
					f.quoted = true
				}
			}
			all = append(all, f)
		}
	}
	walk(t, nil, 0, map[reflect.Type]bool{})

	byName := map[string][]int{}
	for i, f := range all {
		byName[f.name] = append(byName[f.name], i)
	}
	var fields []structField
	for i, f := range all {
		if dominant(all, byName[f.name]) == i {
			fields = append(fields, f)
		}
	}
	return fields
}

// dominant returns which of the fields sharing a name is encoded, or -1.
func dominant(all []structField, candidates []int) int {
	if len(candidates) == 1 {
		return candidates[0]
	}
	minDepth := all[candidates[0]].depth
	for _, c := range candidates {
		minDepth = min(minDepth, all[c].depth)
	}
	winner, tagged, shallow := -1, 0, 0
	for _, c := range candidates {
		if all[c].depth != minDepth {
			continue
		}
		shallow++
		if all[c].tagged {
			tagged++
			winner = c
		}
	}
	switch {
	case shallow == 1:
		for _, c := range candidates {
			if all[c].depth == minDepth {
				return c
			}
		}
	case tagged == 1:
		return winner
	}
	return -1
}

type fieldEncoder struct {
	key       []byte // the encoded name and the key separator
	index     []int
	omitEmpty bool
	omitZero  bool
	encode    encoderFunc
}

func (st *encStyle) newStructEncoder(t reflect.Type) encoderFunc {
	fields := structFields(t)
	if st.sortKeys {
		slices.SortStableFunc(fields, func(a, b structField) int { return cmp.Compare(a.name, b.name) })
	}
	encoders := make([]fieldEncoder, 0, len(fields))
	for _, f := range fields {
		if f.quoted {
			return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
				return b, &UnsupportedValueError{Value: v.Type().String(), Reason: "the json \",string\" option has no Python counterpart"}
			}
		}
		key := appendJSONString(nil, f.name)
		encoders = append(encoders, fieldEncoder{
			key:       append(key, st.keySep...),
			index:     f.index,
			omitEmpty: f.omitEmpty,
			omitZero:  f.omitZero,
			encode:    st.encoderFor(f.typ),
		})
	}
	return func(e *encodeState, b []byte, v reflect.Value) ([]byte, error) {
		b = append(b, '{')
		first := true
		for i := range encoders {
			f := &encoders[i]
			fv, ok := fieldByIndex(v, f.index)
			if !ok || (f.omitEmpty && isEmptyValue(fv)) || (f.omitZero && isZeroValue(fv)) {
				continue
			}
			if !first {
				b = append(b, e.style.itemSep...)
			}
			first = false
			b = append(b, f.key...)
			var err error
			if b, err = f.encode(e, b, fv); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	}
}

// fieldByIndex follows an index path, reporting false when it runs through a
// nil embedded pointer (the promoted fields are then absent).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	if len(index) == 1 {
		return v.Field(index[0]), true
	}
	for n, i := range index {
		if n > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, true
}

// isEmptyValue is encoding/json's test for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

type isZeroer interface{ IsZero() bool }

// isZeroValue is encoding/json's test for omitzero: the type's IsZero method
// if it has one, otherwise the zero value of the type.
func isZeroValue(v reflect.Value) bool {
	if v.CanInterface() {
		if z, ok := v.Interface().(isZeroer); ok {
			if v.Kind() == reflect.Pointer && v.IsNil() {
				return true
			}
			return z.IsZero()
		}
	}
	return v.IsZero()
}
