package jsonschema

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// TestQuaySchemasMatchSource proves the transcriptions in quay_schemas.go
// are Quay's schemas: same keys, order, values and pattern text as Python's
// repr of the originals.
func TestQuaySchemasMatchSource(t *testing.T) {
	t.Parallel()
	g := readGolden(t)
	if diff := cmp.Diff(len(g.Schemas), len(quaySchemas)); diff != "" {
		t.Errorf("schema count mismatch (-want +got):\n%s", diff)
	}
	for name, want := range g.Schemas {
		s, ok := quaySchemas[name]
		if !ok {
			t.Errorf("schema %s is missing", name)
			continue
		}
		if diff := cmp.Diff(want, py.Repr(s.Value())); diff != "" {
			t.Errorf("%s differs from Quay's source (-want +got):\n%s", name, diff)
		}
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, wantInError string
	}{
		{"not JSON", `{"type": }`, "Expecting value"},
		{"not a schema", `[1]`, "is not of type 'object', 'boolean'"},
		{"unknown type name", `{"type": "text"}`, "'text' is not a Draft 7 type"},
		{"empty type list", `{"type": []}`, "is not a type or a non-empty list of types"},
		{"required not a list", `{"required": "a"}`, "is not of type 'array'"},
		{"required item not a string", `{"required": [1]}`, "1 is not of type 'string'"},
		{"properties not an object", `{"properties": []}`, "is not of type 'object'"},
		{"nested bad schema", `{"properties": {"a": 5}}`, "schema.properties.a: 5 is not of type 'object', 'boolean'"},
		{"empty oneOf", `{"oneOf": []}`, "is not a non-empty array"},
		{"bad pattern", `{"pattern": "(?<=a)b"}`, "lookaround"},
		{"negative minLength", `{"minLength": -1}`, "is not a non-negative integer"},
		{"unsupported keyword", `{"maxItems": 1}`, `keyword "maxItems" is not supported`},
		{"bad items schema", `{"items": [{"type": "integer"}, 5]}`, "schema.items[1]: 5 is not of type 'object', 'boolean'"},
		{"unsupported $ref", `{"$ref": "#/definitions/x"}`, `keyword "$ref" is not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.text)
			if err == nil {
				t.Fatalf("Parse(%s) = %v; want an error", tt.text, s)
			}
			if !strings.Contains(err.Error(), tt.wantInError) {
				t.Errorf("Parse(%s) error %q does not mention %q", tt.text, err, tt.wantInError)
			}
		})
	}
}

func TestParseIgnoresAnnotations(t *testing.T) {
	t.Parallel()
	s := MustParse(`{"id": "X", "description": "d", "title": "t", "itemType": {"type": "object"}, "type": "object"}`)
	got := []string{}
	for _, kw := range s.keywords {
		got = append(got, kw.name)
	}
	if diff := cmp.Diff([]string{"type"}, got); diff != "" {
		t.Errorf("compiled keywords mismatch (-want +got):\n%s", diff)
	}
}

func TestMustParsePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		err, _ := recover().(error)
		var syntax *py.SyntaxError
		if !errors.As(err, &syntax) {
			t.Errorf("MustParse panicked with %v; want a wrapped py.SyntaxError", err)
		}
	}()
	MustParse(`{`)
}
