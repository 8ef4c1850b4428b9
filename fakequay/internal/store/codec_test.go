package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-memdb"
)

// TestEveryTableHasARowType fails when a table is added to tableSchemas
// without its line in rowTypes, or with a row type the codec or the table's
// id index cannot handle.
func TestEveryTableHasARowType(t *testing.T) {
	t.Parallel()
	var tables []string
	for _, schema := range tableSchemas {
		ts := schema()
		tables = append(tables, ts.Name)
		t.Run(ts.Name, func(t *testing.T) {
			t.Parallel()
			typ, ok := rowTypes[ts.Name]
			if !ok {
				t.Fatalf("table %s has no entry in rowTypes (rowtypes.go): persistence cannot store its rows", ts.Name)
			}
			if typ.Kind() != reflect.Pointer || typ.Elem().Kind() != reflect.Struct {
				t.Fatalf("rowTypes[%s] = %s, want a pointer to a struct", ts.Name, typ)
			}
			if err := checkCodable(typ); err != nil {
				t.Fatalf("rowTypes[%s]: %v", ts.Name, err)
			}
			if ts.Name == tableNamespaces {
				return // stores chunks of its rows (namespace_chunks.go); a Rebuild chunks them
			}
			// The id index must accept the type: a wrong type in rowTypes
			// would otherwise only show when a state is restored.
			id := ts.Indexes[indexID].Indexer.(memdb.SingleIndexer)
			if _, _, err := id.FromObject(reflect.New(typ.Elem()).Interface()); err != nil {
				t.Errorf("rowTypes[%s] = %s, which the table's id index rejects: %v", ts.Name, typ, err)
			}
		})
	}
	var extra []string
	for name := range rowTypes {
		if !slices.Contains(tables, name) {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		t.Errorf("rowTypes names tables that tableSchemas does not have: %v", extra)
	}
}

// TestRowTypesRoundTrip encodes a row of every table with every field set
// (filled by reflection, so a new table or field is covered without
// editing this test) and decodes it back.
func TestRowTypesRoundTrip(t *testing.T) {
	t.Parallel()
	for table, typ := range rowTypes {
		t.Run(table, func(t *testing.T) {
			t.Parallel()
			row := reflect.New(typ.Elem())
			seq := 0
			fillValue(row.Elem(), &seq)
			b, err := appendRow(nil, table, row.Interface())
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			d := &decoder{b: b}
			got, err := decodeRow(d, table)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if err := d.end(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(row.Interface(), got, exactTimes); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// exactTimes compares times by instant, location and monotonic-free
// representation, stricter than time.Time.Equal, which cmp uses otherwise.
var exactTimes = cmp.Comparer(func(a, b time.Time) bool {
	return a.Equal(b) && a.Location().String() == b.Location().String() && a.Nanosecond() == b.Nanosecond()
})

// fillValue sets every part of v to a non-zero value that differs from its
// neighbours, so a field the codec dropped or swapped shows in a diff.
func fillValue(v reflect.Value, seq *int) {
	*seq++
	n := *seq
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(time.Date(2026, 11, 28, 12, n%60, 7, 123456000+n, time.UTC)))
		return
	}
	if v.Type() == reflect.TypeFor[json.RawMessage]() {
		v.SetBytes([]byte(fmt.Sprintf("{ \"k%d\" : \"<&>\\u00e9\" }", n)))
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(n) + 0.25)
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d\xff", n)) // invalid UTF-8 must survive too
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillValue(p.Elem(), seq)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fillValue(s.Index(0), seq)
		fillValue(s.Index(1), seq)
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			fillValue(v.Index(i), seq)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fillValue(k, seq)
			fillValue(e, seq)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Interface:
		v.Set(reflect.ValueOf(allDynamicValues(n)))
	case reflect.Struct:
		for i := range v.NumField() {
			fillValue(v.Field(i), seq)
		}
	}
}

// allDynamicValues is a JSON-like object holding every dynamic type.
func allDynamicValues(n int) map[string]any {
	return map[string]any{
		"bool": true, "string": fmt.Sprint("v", n), "float": 1.5, "int": 7, "int64": int64(-8),
		"number": json.Number("12345678901234567890123"), "null": nil,
		"array": []any{nil, "x", json.Number("1"), []any{}, map[string]any{}},
		"empty": map[string]any{}, "nested": map[string]any{"deep": []any{map[string]any{"k": false}}},
	}
}

// TestCodecKeepsWhatJSONWouldLose covers the values a JSON round trip
// would change: nil against empty, pointers to zero values, raw JSON bytes,
// nanoseconds, the zero time, special floats and non-UTF-8 strings.
func TestCodecKeepsWhatJSONWouldLose(t *testing.T) {
	t.Parallel()
	type inner struct{ A int64 }
	type row struct {
		NilSlice   []string
		EmptySlice []string
		NilMap     map[string]any
		EmptyMap   map[string]any
		NilBytes   json.RawMessage
		EmptyBytes json.RawMessage
		Raw        json.RawMessage
		ZeroPtr    *int64
		NilPtr     *int64
		StructPtr  *inner
		Zero       time.Time
		Nanos      time.Time
		Local      time.Time
		Floats     []float64
		Text       string
		Any        any
		NilAny     any
	}
	zero := int64(0)
	want := row{
		EmptySlice: []string{}, EmptyMap: map[string]any{}, EmptyBytes: json.RawMessage{},
		Raw:     json.RawMessage("{\n  \"b\": \"<script>&amp;\",  \"a\": 1.0e0 }"),
		ZeroPtr: &zero, StructPtr: &inner{},
		Nanos:  time.Date(2026, 11, 28, 12, 0, 0, 123456789, time.UTC),
		Local:  time.Date(2026, 11, 28, 12, 0, 0, 1000, time.FixedZone("", -5*3600)),
		Floats: []float64{math.Inf(1), math.Inf(-1), math.Copysign(0, -1), math.MaxFloat64, math.SmallestNonzeroFloat64},
		Text:   "\xff\xfe not UTF-8 \x00",
		Any:    []any{float64(1), json.Number("1"), int64(1), 1, "1", true, nil},
	}
	b, err := appendValue(nil, reflect.ValueOf(want))
	if err != nil {
		t.Fatal(err)
	}
	var got row
	d := &decoder{b: b}
	if err := d.value(reflect.ValueOf(&got).Elem()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, exactTimes); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if math.Signbit(got.Floats[2]) != true {
		t.Errorf("-0 came back as %v", got.Floats[2])
	}
	nan, err := appendValue(nil, reflect.ValueOf(math.NaN()))
	if err != nil {
		t.Fatal(err)
	}
	var f float64
	if err := (&decoder{b: nan}).value(reflect.ValueOf(&f).Elem()); err != nil || !math.IsNaN(f) {
		t.Errorf("NaN came back as %v (err %v)", f, err)
	}
}

// TestCodecRefusesWhatItCannotRestore: types and values it cannot persist
// are errors at encode time, and data that does not fit the type is an
// error at decode time, never a wrong row.
func TestCodecRefusesWhatItCannotRestore(t *testing.T) {
	t.Parallel()
	type hidden struct {
		A int
		b int
	}
	_ = hidden{b: 1} // b exists to be refused
	type withChan struct{ C chan int }
	type unknownDynamic struct{ V any }
	checkTests := []struct {
		name string
		typ  reflect.Type
		want string
	}{
		{"unexported field", reflect.TypeFor[hidden](), "store.hidden.b: unexported field, which the codec cannot restore"},
		{"channel", reflect.TypeFor[withChan](), "store.withChan.C: chan values cannot be persisted"},
		{"zero-length array", reflect.TypeFor[[0]int](), "[0]int: zero-length array"},
	}
	for _, tc := range checkTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := checkCodable(tc.typ)
			if err == nil {
				t.Fatal("checkCodable accepted it")
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}

	_, err := appendValue(nil, reflect.ValueOf(unknownDynamic{V: uint8(1)}))
	if want := "store.unknownDynamic.V: no codec for a uint8 held in an interface (add it to dynamicTypes)"; err == nil || err.Error() != want {
		t.Errorf("unregistered dynamic type: error %v, want %q", err, want)
	}

	type v1 struct {
		Name string
		Old  int64
	}
	type v2 struct{ Name string }
	type v3 struct {
		Name int64
	}
	type v4 struct {
		Name  string
		Old   int64
		Added []string
	}
	enc, err := appendValue(nil, reflect.ValueOf(v1{Name: "n", Old: 3}))
	if err != nil {
		t.Fatal(err)
	}
	decodeTests := []struct {
		name    string
		into    any
		want    any    // the decoded value, on success
		wantErr string // "" means success
	}{
		{"field gone", &v2{}, nil, "store.v2 has no field Old (written by a fakequay whose rows differ)"},
		{"kind changed", &v3{}, nil, "store.v3.Name is a int64, the data holds a string (written by a fakequay whose rows differ)"},
		{"field added", &v4{}, &v4{Name: "n", Old: 3}, ""},
	}
	for _, tc := range decodeTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := (&decoder{b: enc}).value(reflect.ValueOf(tc.into).Elem())
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, tc.into); diff != "" {
					t.Errorf("decoded (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("decoded %+v, want error %q", tc.into, tc.wantErr)
			}
			if diff := cmp.Diff(tc.wantErr, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecoderRejectsEveryTruncation: cutting an encoded row anywhere is an
// error, never a shorter row.
func TestDecoderRejectsEveryTruncation(t *testing.T) {
	t.Parallel()
	row := reflect.New(rowTypes[tableServiceKeys].Elem())
	seq := 0
	fillValue(row.Elem(), &seq)
	b, err := appendRow(nil, tableServiceKeys, row.Interface())
	if err != nil {
		t.Fatal(err)
	}
	for cut := range len(b) {
		d := &decoder{b: b[:cut]}
		_, err := decodeRow(d, tableServiceKeys)
		if err == nil {
			err = d.end()
		}
		if !errors.Is(err, errCorrupt) {
			t.Fatalf("decoding the first %d of %d bytes: error %v, want a corrupt-encoding error", cut, len(b), err)
		}
	}
}

func TestDecoderBoundsNesting(t *testing.T) {
	t.Parallel()
	// "array" holding "array" ... deeper than the limit: each level is the
	// name "array" and a count of 1.
	level := appendString(nil, "array")
	level = append(level, 2)
	var b []byte
	for range maxCodecDepth + 1 {
		b = append(b, level...)
	}
	b = append(b, appendString(nil, "")...)
	var v any
	err := (&decoder{b: b}).value(reflect.ValueOf(&v).Elem())
	if err == nil || !strings.Contains(err.Error(), "nested deeper than 10000") {
		t.Errorf("error %v, want a nesting error", err)
	}
}
