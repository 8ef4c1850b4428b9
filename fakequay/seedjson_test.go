package fakequay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The seed decoder reads a document in three quick passes (seedjson.go).
// The straightforward decoder it replaced, which unmarshalled every object
// into a map of raw members, is kept below as the reference: on any input,
// valid or not, the two must give the same Seed or the same error.

func refDecodeStrict(data []byte, v any) error {
	if err := checkDuplicateKeys(data); err != nil {
		return err
	}
	return refDecodeValue(json.RawMessage(data), reflect.ValueOf(v).Elem(), "")
}

func refDecodeValue(raw json.RawMessage, dst reflect.Value, path string) error {
	t := dst.Type()
	isNull := bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
	switch {
	case t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textType):
		return refUnmarshalAt(raw, dst, path)
	case t.Kind() == reflect.Pointer:
		if isNull {
			dst.SetZero()
			return nil
		}
		if dst.IsNil() {
			dst.Set(reflect.New(t.Elem()))
		}
		return refDecodeValue(raw, dst.Elem(), path)
	case t.Kind() == reflect.Struct:
		return refDecodeStruct(raw, dst, path)
	case t.Kind() == reflect.Slice && refIsStructish(t.Elem()):
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return typeError(path, t, raw)
		}
		out := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := refDecodeValue(item, out.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	}
	return refUnmarshalAt(raw, dst, path)
}

func refIsStructish(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(unmarshalerType) &&
		!reflect.PointerTo(t).Implements(textType)
}

func refDecodeStruct(raw json.RawMessage, dst reflect.Value, path string) error {
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
		if err := refDecodeValue(val, dst.Field(i), join(path, key)); err != nil {
			return err
		}
	}
	return nil
}

func refUnmarshalAt(raw json.RawMessage, dst reflect.Value, path string) error {
	if err := json.Unmarshal(raw, dst.Addr().Interface()); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return typeError(path, dst.Type(), raw)
		}
		return fmt.Errorf("%s: %v", orRoot(path), strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// seedJSONCorpus is documents that exercise every rule: each kind of
// error, several at once (their order decides which is reported), escapes
// and Unicode in keys and values, nulls for every kind of field, numbers
// that do not fit, duplicates inside free-form metadata. The fuzz corpus
// of FuzzSeed is added to them.
func seedJSONCorpus(t testing.TB) [][]byte {
	docs := []string{
		`{}`, ` { } `, `[]`, `null`, `"x"`, `1`, ``, `{"users": [`, `{} {}`, `{}x`, `{"a":1,}`,
		`{"users": [{"username": "a1", "email": "a@x.io", "verified": false, "enabled": null, "tokens": [{"token": "t", "scopes": ["repo:read"], "application": "ap", "client_id": "c"}]}]}`,
		`{"users": [{"username": "a\u0031", "email": "\u00e9@x.io"}, {"username": "b1", "email": "b@x.io", "tokens": null}]}`,
		`{"users": [{"username": "a1", "email": "a@x.io", "verified": "yes"}]}`,
		`{"users": [{"username": "a1", "email": 5}]}`,
		`{"users": [{"username": "a1"}]}`,
		`{"users": [{"username": null, "email": "a@x.io"}]}`,
		`{"users": [{"username": "a1", "email": "a@x.io", "zz": 1, "aa": 2}]}`,
		`{"users": [{"email": "a@x.io", "zz": 1}]}`,
		`{"users": [{"username": "a1", "email": "a@x.io", "tokens": [{"token": "t", "scopes": "x"}]}]}`,
		`{"users": [{"username": "a1", "email": "a@x.io", "tokens": [{"token": "t", "scopes": ["a", 1]}]}]}`,
		`{"users": [{"username": "a1", "username": "a2", "email": "a@x.io"}]}`,
		`{"users": [{"username": "a1", "email": "a@x.io", "bad": 1}], "x": {"k": 1, "k": 2}}`,
		`{"users": {"username": "a1"}}`, `{"users": null}`, `{"users": [null]}`, `{"users": [1, 2]}`,
		`{"config": {"FEATURE_MAILING": "yes"}}`, `{"config": {"FEATURE_NOPE": true}}`, `{"config": null}`,
		`{"config": {"SUPER_USERS": ["root", null], "DEFAULT_SYSTEM_REJECT_QUOTA_BYTES": 1.5}}`,
		`{"config": {"DEFAULT_SYSTEM_REJECT_QUOTA_BYTES": 99999999999999999999}}`,
		`{"config": {"DEFAULT_SYSTEM_REJECT_QUOTA_BYTES": 1e3, "REPO_MIRROR_WORKER_REPLICAS": null}}`,
		`{"now": "yesterday"}`, `{"now": null}`, `{"now": 5}`, `{"now": "2026-11-28T12:00:00Z"}`,
		`{"organizations": [{"name": "acme", "email": "a@x.io"}], "logs": [{"kind": "k", "datetime": "2026-01-01T00:00:00Z", "metadata": {"a": {"b": 1, "b": 2}}}]}`,
		`{"logs": [{"kind": "k", "datetime": "2026-01-01T00:00:00Z", "metadata":  { "x" : [1, 2, {"y": null}] } }]}`,
		`{"service_keys": [{"service": "s", "created": "2026-11-01T00:00:00Z", "expiration": null, "metadata": {}, "rotation_duration": 60}]}`,
		`{"registry_size": {"size_bytes": -5, "last_ran": "2026-01-01T00:00:00Z", "queued": true}}`,
		`{"repo_mirror": {"workers_active": 2, "repositories": [{"namespace": "acme", "repository": "r", "enabled": false}]}}`,
		`{"changelog": "line\nline \"quoted\" \ud83d\ude00 \ud800"}`,
		"{\"changelog\": \"raw \xff\xfe bytes\"}",
		"{\"us\xe9rs\": []}",
		`{"\u0075sers": [], "users": []}`,
		`{"": 1}`, `{"a.b": 1}`, `[{"k": 1, "k": 2}]`,
	}
	var out [][]byte
	for _, d := range docs {
		out = append(out, []byte(d))
	}
	full := fixtureSeed()
	corpusSeed(&full)
	if doc, err := json.Marshal(full); err == nil {
		out = append(out, doc)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzSeed", "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if doc, ok := fuzzCorpusBytes(data); ok {
			out = append(out, doc)
		}
	}
	return out
}

// fuzzCorpusBytes reads the []byte of a "go test fuzz v1" file.
func fuzzCorpusBytes(file []byte) ([]byte, bool) {
	_, rest, ok := bytes.Cut(file, []byte("\n"))
	rest = bytes.TrimSpace(rest)
	if !ok || !bytes.HasPrefix(rest, []byte("[]byte(")) || !bytes.HasSuffix(rest, []byte(")")) {
		return nil, false
	}
	var s string
	if _, err := fmt.Sscanf(string(rest[len("[]byte("):len(rest)-1]), "%q", &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}

// checkAgainstReference decodes doc both ways and reports any difference.
func checkAgainstReference(t *testing.T, doc []byte) {
	t.Helper()
	decode := func(f func([]byte, any) error) (Seed, string) {
		cfg := DefaultConfig()
		seed := Seed{Config: &cfg}
		if err := f(doc, &seed); err != nil {
			return Seed{}, err.Error()
		}
		return seed, ""
	}
	want, wantErr := decode(refDecodeStrict)
	got, gotErr := decode(decodeStrict)
	if diff := cmp.Diff(wantErr, gotErr); diff != "" {
		t.Fatalf("%q: error (-reference +fast):\n%s", doc, diff)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%q: seed (-reference +fast):\n%s", doc, diff)
	}
}

func TestDecodeStrictMatchesReference(t *testing.T) {
	t.Parallel()
	corpus := seedJSONCorpus(t)
	r := rand.New(rand.NewPCG(9, 9))
	tokens := [][]byte{[]byte("null"), []byte(`"x"`), []byte("1.5"), []byte("{}"), []byte("[]"), []byte(","), []byte(`"username"`), []byte(`"a":1`), []byte("}"), []byte("\\")}
	for _, doc := range corpus {
		checkAgainstReference(t, doc)
		// Mutations: a byte dropped, doubled or replaced by a token.
		for range 40 {
			if len(doc) == 0 {
				break
			}
			i := r.IntN(len(doc))
			var m []byte
			switch r.IntN(3) {
			case 0:
				m = slices.Concat(doc[:i], doc[i+1:])
			case 1:
				m = slices.Concat(doc[:i+1], doc[i:])
			default:
				m = slices.Concat(doc[:i], tokens[r.IntN(len(tokens))], doc[i+1:])
			}
			checkAgainstReference(t, m)
		}
	}
}

// FuzzDecodeStrict checks the fast decoder against the reference on any
// input.
func FuzzDecodeStrict(f *testing.F) {
	for _, doc := range seedJSONCorpus(f) {
		f.Add(doc)
	}
	f.Fuzz(checkAgainstReference)
}

var (
	_ = errors.New
	_ = maps.Keys[map[string]int]
	_ = reflect.TypeOf
	_ = strings.Cut
)

// TestPlainSeedUserIsTheGeneralPath: the users of a seed are decoded
// without reflection when they are plain (issue 14, goal 4); what that
// gives must be what decodeStruct gives, and anything else must be left to
// decodeStruct.
func TestPlainSeedUserIsTheGeneralPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		object string
		plain  bool
	}{
		{`{"username": "a1", "email": "a@x.io"}`, true},
		{`{"email": "a@x.io", "username": "a1", "verified": false, "enabled": true}`, true},
		{` { "username" : "a\u00e9", "email":"a\"b@x.io" , "enabled" : false } `, true},
		{`{"username": "a1", "email": "a@x.io", "tokens": [{"token": "t"}]}`, false},
		{`{"username": "a1"}`, false},
		{`{"username": null, "email": "a@x.io"}`, false},
		{`{"username": "a1", "email": "a@x.io", "verified": null}`, false},
		{`{"username": "a1", "email": "a@x.io", "verified": 1}`, false},
		{`{"username": 5, "email": "a@x.io"}`, false},
		{`{"username": "a1", "email": "a@x.io", "admin": true}`, false},
		{`["a1"]`, false},
		{`{}`, false},
	}
	type decoded struct {
		User  SeedUser // left zero when not plain
		Plain bool
		Err   string // the general path's error, for a plain object none
	}
	for _, tc := range tests {
		d := &strictDecoder{data: []byte(tc.object)}
		start := d.skipSpace(0)
		end := d.valueEnd(start)
		var plain, general SeedUser
		got := decoded{Plain: d.plainSeedUser(start, end, &plain), User: plain}
		want := decoded{Plain: tc.plain}
		if err := d.decode(start, end, reflect.ValueOf(&general).Elem(), &jsonPath{}); err != nil {
			got.Err = err.Error()
		}
		if tc.plain {
			want.User = general
		} else {
			want.Err = got.Err // refused or not, as the general path decides
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-general +plain):\n%s", tc.object, diff)
		}
	}
}
