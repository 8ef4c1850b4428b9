// Package jsonschema validates request bodies the way Quay does: with
// python-jsonschema 3.2.0's Draft 7 validator, reporting the single error
// jsonschema.exceptions.best_match picks, worded and formatted exactly as
// str(ValidationError) prints it (reference §1.6). Only the keywords Quay's
// schemas that fakequay serves use are implemented; a schema using another
// validation keyword is rejected when parsed rather than half-checked.
package jsonschema

import (
	"fmt"
	"regexp"
	"sync"

	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// Schema is a parsed schema. It keeps the key order of its source, because
// jsonschema checks keywords and properties in dict order and that order
// decides which error is reported. A Schema is immutable and safe for
// concurrent use.
type Schema struct {
	value    any       // the decoded source: *py.Object, or a bool schema
	keywords []keyword // the validation keywords, in source order

	deferred *deferredSource // for Deferred: the text, parsed on first use
}

// deferredSource is the text of a Deferred schema and its one parse.
type deferredSource struct {
	once sync.Once
	text string
}

// keyword is one validation keyword of a schema object.
type keyword struct {
	name  string
	value any // the keyword's value in the source, as jsonschema reports it
	check func(instance any, yield func(*ValidationError) bool) bool
}

// Parse parses a schema from its JSON text. The text is decoded as Python
// would (see py.Decode), so key order and number types are kept. It fails on
// invalid JSON, on values a Draft 7 metaschema would reject for the keywords
// implemented here, and on the validation keywords this package does not
// implement. Annotations and unknown keys (description, id, title, ...) are
// ignored, as jsonschema ignores them.
func Parse(text string) (*Schema, error) {
	v, err := py.Decode([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("jsonschema: %w", err)
	}
	return compile(v, "schema")
}

// MustParse is Parse for schemas written into the program; it panics on
// error.
func MustParse(text string) *Schema {
	s, err := Parse(text)
	if err != nil {
		panic(err)
	}
	return s
}

// Deferred is MustParse on the schema's first use. Parsing Quay's schemas
// when the package loaded was a third of fakequay's start-up work before
// its ready line (issue 14, goal 4); TestQuaySchemasMatchSource parses
// every one of them.
func Deferred(text string) *Schema { return &Schema{deferred: &deferredSource{text: text}} }

// parsed returns s once its deferred text, if any, is parsed.
func (s *Schema) parsed() *Schema {
	if d := s.deferred; d != nil {
		d.once.Do(func() {
			p := MustParse(d.text)
			s.value, s.keywords = p.value, p.keywords
		})
	}
	return s
}

// Value returns the schema as decoded from its text: a *py.Object (or a bool
// for a boolean schema). It is shared; do not modify it.
func (s *Schema) Value() any { return s.parsed().value }

// unsupportedKeywords are the Draft 7 validation keywords jsonschema 3.2.0
// knows and this package does not implement.
var unsupportedKeywords = map[string]bool{
	"$ref": true, "additionalItems": true, "const": true, "contains": true,
	"dependencies": true, "exclusiveMaximum": true, "exclusiveMinimum": true,
	"format": true, "if": true, "maxItems": true,
	"maxProperties": true, "maximum": true, "minItems": true,
	"minProperties": true, "multipleOf": true,
	"patternProperties": true, "propertyNames": true, "uniqueItems": true,
}

// compile builds a Schema from a decoded value; where names the value in
// error messages.
func compile(v any, where string) (*Schema, error) {
	if _, ok := v.(bool); ok {
		return &Schema{value: v}, nil
	}
	obj, ok := v.(*py.Object)
	if !ok {
		return nil, fmt.Errorf("jsonschema: %s: %s is not of type 'object', 'boolean'", where, py.Repr(v))
	}
	s := &Schema{value: obj}
	for name, value := range obj.All() {
		if unsupportedKeywords[name] {
			return nil, fmt.Errorf("jsonschema: %s: keyword %q is not supported", where, name)
		}
		build, known := keywordBuilder(name)
		if !known {
			continue
		}
		check, err := build(value, obj, where+"."+name)
		if err != nil {
			return nil, err
		}
		s.keywords = append(s.keywords, keyword{name: name, value: value, check: check})
	}
	return s, nil
}

type checkFunc = func(instance any, yield func(*ValidationError) bool) bool

// keywordBuilder returns the function compiling an implemented keyword from
// its value and the schema object holding it. It is a switch rather than a
// map so that the package's schema variables, built during package
// initialisation, can use it.
func keywordBuilder(name string) (func(value any, schema *py.Object, where string) (checkFunc, error), bool) {
	switch name {
	case "type":
		return buildType, true
	case "required":
		return buildRequired, true
	case "properties":
		return buildProperties, true
	case "items":
		return buildItems, true
	case "additionalProperties":
		return buildAdditionalProperties, true
	case "pattern":
		return buildPattern, true
	case "enum":
		return buildEnum, true
	case "minLength":
		return buildLength(false), true
	case "maxLength":
		return buildLength(true), true
	case "minimum":
		return buildMinimum, true
	case "oneOf":
		return buildOneOf, true
	case "anyOf":
		return buildAnyOf, true
	case "allOf":
		return buildAllOf, true
	case "not":
		return buildNot, true
	}
	return nil, false
}

// typeNames are Draft 7's simple types.
var typeNames = map[string]bool{
	"array": true, "boolean": true, "integer": true, "null": true,
	"number": true, "object": true, "string": true,
}

func stringList(v any, where string) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("jsonschema: %s: %s is not of type 'array'", where, py.Repr(v))
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("jsonschema: %s: %s is not of type 'string'", where, py.Repr(e))
		}
		out[i] = s
	}
	return out, nil
}

func schemaList(v any, where string) ([]*Schema, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("jsonschema: %s: %s is not a non-empty array", where, py.Repr(v))
	}
	out := make([]*Schema, len(list))
	for i, e := range list {
		s, err := compile(e, fmt.Sprintf("%s[%d]", where, i))
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func compilePattern(v any, where string) (*regexp.Regexp, string, error) {
	pattern, ok := v.(string)
	if !ok {
		return nil, "", fmt.Errorf("jsonschema: %s: %s is not of type 'string'", where, py.Repr(v))
	}
	re, err := py.CompileRegexp(pattern)
	if err != nil {
		return nil, "", fmt.Errorf("jsonschema: %s: %w", where, err)
	}
	return re, pattern, nil
}
