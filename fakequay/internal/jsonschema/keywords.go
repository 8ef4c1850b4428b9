package jsonschema

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// Each build function below compiles one keyword; the check it returns
// yields that keyword's errors in the order jsonschema 3.2.0's
// _validators.py yields them, with the same messages.

// isType is jsonschema 3.2.0's Draft 7 type checker. bool is neither
// integer nor number; a float is an integer when it is integral (5.0, but not
// inf or nan): Draft 6 and 7 redefine "integer" that way in _types.py.
func isType(instance any, name string) bool {
	switch v := instance.(type) {
	case nil:
		return name == "null"
	case bool:
		return name == "boolean"
	case string:
		return name == "string"
	case py.Int:
		return name == "integer" || name == "number"
	case float64:
		return name == "number" || (name == "integer" && !math.IsInf(v, 0) && v == math.Trunc(v))
	case []any:
		return name == "array"
	case *py.Object:
		return name == "object"
	}
	return false
}

func buildType(value any, _ *py.Object, where string) (checkFunc, error) {
	var names []string
	if name, ok := value.(string); ok {
		names = []string{name}
	} else {
		list, err := stringList(value, where)
		if err != nil || len(list) == 0 {
			return nil, fmt.Errorf("jsonschema: %s: %s is not a type or a non-empty list of types", where, py.Repr(value))
		}
		names = list
	}
	reprs := make([]string, len(names))
	for i, n := range names {
		if !typeNames[n] {
			return nil, fmt.Errorf("jsonschema: %s: %s is not a Draft 7 type", where, py.Repr(n))
		}
		reprs[i] = py.Repr(n)
	}
	typeList := strings.Join(reprs, ", ")
	return func(instance any, yield func(*ValidationError) bool) bool {
		for _, n := range names {
			if isType(instance, n) {
				return true
			}
		}
		return yield(newError(fmt.Sprintf("%s is not of type %s", py.Repr(instance), typeList)))
	}, nil
}

func buildRequired(value any, _ *py.Object, where string) (checkFunc, error) {
	names, err := stringList(value, where)
	if err != nil {
		return nil, err
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		obj, ok := instance.(*py.Object)
		if !ok {
			return true
		}
		for _, name := range names {
			if !obj.Has(name) && !yield(newError(py.Repr(name)+" is a required property")) {
				return false
			}
		}
		return true
	}, nil
}

type property struct {
	name   string
	schema *Schema
}

func compileProperties(value any, where string) ([]property, error) {
	obj, ok := value.(*py.Object)
	if !ok {
		return nil, fmt.Errorf("jsonschema: %s: %s is not of type 'object'", where, py.Repr(value))
	}
	var props []property
	for name, sub := range obj.All() {
		s, err := compile(sub, where+"."+name)
		if err != nil {
			return nil, err
		}
		props = append(props, property{name, s})
	}
	return props, nil
}

func buildProperties(value any, _ *py.Object, where string) (checkFunc, error) {
	props, err := compileProperties(value, where)
	if err != nil {
		return nil, err
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		obj, ok := instance.(*py.Object)
		if !ok {
			return true
		}
		for _, p := range props {
			if v, ok := obj.Get(p.name); ok && !p.schema.descend(v, p.name, p.name, yield) {
				return false
			}
		}
		return true
	}, nil
}

// buildItems is Draft 7's items: one schema every element of an array
// must pass (the error path gains the element's index), or an array of
// schemas the elements must pass position by position (the schema path
// gains the index too).
func buildItems(value any, _ *py.Object, where string) (checkFunc, error) {
	if list, ok := value.([]any); ok {
		subs := make([]*Schema, len(list))
		for i, e := range list {
			s, err := compile(e, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			subs[i] = s
		}
		return func(instance any, yield func(*ValidationError) bool) bool {
			arr, ok := instance.([]any)
			if !ok {
				return true
			}
			for i := 0; i < len(arr) && i < len(subs); i++ {
				if !subs[i].descend(arr[i], i, i, yield) {
					return false
				}
			}
			return true
		}, nil
	}
	sub, err := compile(value, where)
	if err != nil {
		return nil, err
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		arr, ok := instance.([]any)
		if !ok {
			return true
		}
		for i, e := range arr {
			if !sub.descend(e, i, noPath, yield) {
				return false
			}
		}
		return true
	}, nil
}

// buildAdditionalProperties checks the keys the sibling "properties" does not
// name. jsonschema collects them in a Python set, whose order for several
// keys depends on string hashing (randomised per process); this port reports
// them in the instance's order.
func buildAdditionalProperties(value any, schema *py.Object, where string) (checkFunc, error) {
	sub, err := compile(value, where)
	if err != nil {
		return nil, err
	}
	var known *py.Object
	if props, ok := schema.Get("properties"); ok {
		known, _ = props.(*py.Object)
	}
	_, isSchemaObject := value.(*py.Object)
	forbidden := value == false
	return func(instance any, yield func(*ValidationError) bool) bool {
		obj, ok := instance.(*py.Object)
		if !ok {
			return true
		}
		var extras []string
		for k := range obj.All() {
			if !known.Has(k) {
				extras = append(extras, k)
			}
		}
		switch {
		case isSchemaObject:
			for _, k := range extras {
				v, _ := obj.Get(k)
				if !sub.descend(v, k, noPath, yield) {
					return false
				}
			}
		case forbidden && len(extras) > 0:
			reprs := make([]string, len(extras))
			for i, k := range extras {
				reprs[i] = py.Repr(k)
			}
			verb := "was"
			if len(extras) > 1 {
				verb = "were"
			}
			return yield(newError(fmt.Sprintf("Additional properties are not allowed (%s %s unexpected)", strings.Join(reprs, ", "), verb)))
		}
		return true
	}, nil
}

func buildPattern(value any, _ *py.Object, where string) (checkFunc, error) {
	re, pattern, err := compilePattern(value, where)
	if err != nil {
		return nil, err
	}
	patternRepr := py.Repr(pattern)
	return func(instance any, yield func(*ValidationError) bool) bool {
		s, ok := instance.(string)
		if !ok || py.Search(re, s) {
			return true
		}
		return yield(newError(py.Repr(s) + " does not match " + patternRepr))
	}, nil
}

// buildEnum compares with Python's ==, except that, as in jsonschema, an
// instance equal to 0 or 1 only matches a member that is equal to it with
// True and False kept apart from 1 and 0.
func buildEnum(value any, _ *py.Object, where string) (checkFunc, error) {
	members, ok := value.([]any)
	if !ok {
		return nil, fmt.Errorf("jsonschema: %s: %s is not of type 'array'", where, py.Repr(value))
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		zeroOrOne := py.Equal(instance, py.NewInt(0)) || py.Equal(instance, py.NewInt(1))
		for _, m := range members {
			if zeroOrOne {
				if unboolEqual(instance, m) {
					return true
				}
			} else if py.Equal(instance, m) {
				return true
			}
		}
		return yield(newError(fmt.Sprintf("%s is not one of %s", py.Repr(instance), py.Repr(members))))
	}, nil
}

// unboolEqual is jsonschema's unbool(a) == unbool(b): True and False equal
// only themselves.
func unboolEqual(a, b any) bool {
	ab, aIsBool := a.(bool)
	bb, bIsBool := b.(bool)
	if aIsBool || bIsBool {
		return aIsBool && bIsBool && ab == bb
	}
	return py.Equal(a, b)
}

func buildLength(isMax bool) func(any, *py.Object, string) (checkFunc, error) {
	return func(value any, _ *py.Object, where string) (checkFunc, error) {
		limit, ok := value.(py.Int)
		n, fits := limit.Int64()
		if !ok || !fits || n < 0 {
			return nil, fmt.Errorf("jsonschema: %s: %s is not a non-negative integer", where, py.Repr(value))
		}
		return func(instance any, yield func(*ValidationError) bool) bool {
			s, ok := instance.(string)
			if !ok {
				return true
			}
			switch length := int64(py.Len(s)); {
			case isMax && length > n:
				return yield(newError(py.Repr(s) + " is too long"))
			case !isMax && length < n:
				return yield(newError(py.Repr(s) + " is too short"))
			}
			return true
		}, nil
	}
}

func buildAllOf(value any, _ *py.Object, where string) (checkFunc, error) {
	subs, err := schemaList(value, where)
	if err != nil {
		return nil, err
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		for i, sub := range subs {
			if !sub.descend(instance, noPath, i, yield) {
				return false
			}
		}
		return true
	}, nil
}

// collectBranch returns every error of one branch of anyOf/oneOf, with the
// branch index prepended to their schema paths.
func collectBranch(sub *Schema, index int, instance any) []*ValidationError {
	var errs []*ValidationError
	sub.descend(instance, noPath, index, func(e *ValidationError) bool {
		errs = append(errs, e)
		return true
	})
	return errs
}

func buildAnyOf(value any, _ *py.Object, where string) (checkFunc, error) {
	subs, err := schemaList(value, where)
	if err != nil {
		return nil, err
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		var all []*ValidationError
		for i, sub := range subs {
			errs := collectBranch(sub, i, instance)
			if len(errs) == 0 {
				return true
			}
			all = append(all, errs...)
		}
		e := newError(py.Repr(instance) + " is not valid under any of the given schemas")
		e.Context = all
		return yield(e)
	}, nil
}

// buildOneOf reports no valid branch (with every branch's errors as context)
// or, separately, several valid ones: those after the first valid branch,
// then the first valid branch itself, as jsonschema lists them.
func buildOneOf(value any, _ *py.Object, where string) (checkFunc, error) {
	subs, err := schemaList(value, where)
	if err != nil {
		return nil, err
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		var all []*ValidationError
		firstValid := -1
		for i, sub := range subs {
			errs := collectBranch(sub, i, instance)
			if len(errs) == 0 {
				firstValid = i
				break
			}
			all = append(all, errs...)
		}
		if firstValid < 0 {
			e := newError(py.Repr(instance) + " is not valid under any of the given schemas")
			e.Context = all
			return yield(e)
		}
		var reprs []string
		for _, sub := range subs[firstValid+1:] {
			if sub.isValid(instance) {
				reprs = append(reprs, py.Repr(sub.value))
			}
		}
		if len(reprs) == 0 {
			return true
		}
		reprs = append(reprs, py.Repr(subs[firstValid].value))
		return yield(newError(py.Repr(instance) + " is valid under each of " + strings.Join(reprs, ", ")))
	}, nil
}

func buildNot(value any, _ *py.Object, where string) (checkFunc, error) {
	sub, err := compile(value, where)
	if err != nil {
		return nil, err
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		if !sub.isValid(instance) {
			return true
		}
		return yield(newError(py.Repr(sub.value) + " is not allowed for " + py.Repr(instance)))
	}, nil
}

// buildMinimum is Draft 7's minimum: a number (not a bool) below the limit
// fails with "%r is less than the minimum of %r"; Python compares an int
// with a float exactly, and NaN never compares less.
func buildMinimum(value any, _ *py.Object, where string) (checkFunc, error) {
	if !isType(value, "number") {
		return nil, fmt.Errorf("jsonschema: %s: %s is not of type 'number'", where, py.Repr(value))
	}
	return func(instance any, yield func(*ValidationError) bool) bool {
		if !isType(instance, "number") || !pyLess(instance, value) {
			return true
		}
		return yield(newError(py.Repr(instance) + " is less than the minimum of " + py.Repr(value)))
	}, nil
}

// pyLess is Python's a < b for two numbers, each a py.Int or a float64.
func pyLess(a, b any) bool {
	fa, aFloat := a.(float64)
	fb, bFloat := b.(float64)
	if (aFloat && math.IsNaN(fa)) || (bFloat && math.IsNaN(fb)) {
		return false
	}
	if aFloat && bFloat {
		return fa < fb
	}
	if !aFloat && !bFloat {
		return a.(py.Int).Cmp(b.(py.Int)) < 0
	}
	return exactFloat(a).Cmp(exactFloat(b)) < 0
}

// exactFloat is a number as an exact big.Float (infinities included).
func exactFloat(v any) *big.Float {
	if f, ok := v.(float64); ok {
		return new(big.Float).SetFloat64(f)
	}
	return new(big.Float).SetInt(v.(py.Int).Big())
}
