package jsonschema

import (
	"slices"

	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// Validate checks instance, a value as py.Decode returns it, against the
// schema. It returns nil when the instance is valid, and otherwise the error
// jsonschema 3.2.0's validate() raises: best_match over all errors.
func (s *Schema) Validate(instance any) *ValidationError {
	var errs []*ValidationError
	s.parsed().iterErrors(instance, func(e *ValidationError) bool {
		errs = append(errs, e)
		return true
	})
	return bestMatch(errs)
}

// iterErrors is jsonschema's Validator.iter_errors: it yields the errors of
// every keyword in source order, filling in the keyword, its value, the
// instance and the schema on errors the keyword itself created, and
// prepending the keyword to every error's schema path. It stops and returns
// false as soon as yield does.
func (s *Schema) iterErrors(instance any, yield func(*ValidationError) bool) bool {
	if allow, ok := s.value.(bool); ok {
		if allow {
			return true
		}
		return yield(&ValidationError{
			Message:  "False schema does not allow " + py.Repr(instance),
			Instance: instance,
			Schema:   false,
			filled:   true,
		})
	}
	for _, kw := range s.keywords {
		ok := kw.check(instance, func(e *ValidationError) bool {
			if !e.filled {
				e.Validator, e.ValidatorValue, e.Instance, e.Schema = kw.name, kw.value, instance, s.value
				e.filled = true
			}
			e.SchemaPath = slices.Insert(e.SchemaPath, 0, any(kw.name))
			return yield(e)
		})
		if !ok {
			return false
		}
	}
	return true
}

// isValid stops at the first error, as jsonschema's is_valid does.
func (s *Schema) isValid(instance any) bool {
	valid := true
	s.iterErrors(instance, func(*ValidationError) bool {
		valid = false
		return false
	})
	return valid
}

// noPath marks a descent that adds no element to a path, Python's None.
var noPath = struct{}{}

// descend is jsonschema's Validator.descend: the errors of a subschema, with
// path and schemaPath (unless noPath) prepended to their relative paths.
func (s *Schema) descend(instance any, path, schemaPath any, yield func(*ValidationError) bool) bool {
	return s.iterErrors(instance, func(e *ValidationError) bool {
		if path != noPath {
			e.Path = slices.Insert(e.Path, 0, path)
		}
		if schemaPath != noPath {
			e.SchemaPath = slices.Insert(e.SchemaPath, 0, schemaPath)
		}
		return yield(e)
	})
}

// weakKeywords are best_match's WEAK_MATCHES: errors from them rank below
// others at the same depth, and are preferred when descending into a
// context.
var weakKeywords = map[string]bool{"anyOf": true, "oneOf": true}

// relevanceCmp compares jsonschema's relevance key, the tuple
// (-len(path), validator not in WEAK_MATCHES); STRONG_MATCHES is empty.
func relevanceCmp(a, b *ValidationError) int {
	if la, lb := len(a.Path), len(b.Path); la != lb {
		if la < lb {
			return 1
		}
		return -1
	}
	wa, wb := weakKeywords[a.Validator], weakKeywords[b.Validator]
	switch {
	case wa == wb:
		return 0
	case wa:
		return -1
	}
	return 1
}

// bestMatch is jsonschema.exceptions.best_match: the most relevant error
// (the first of equals, as Python's max keeps), then, while it has a context,
// the least relevant error of that context (the first of equals, as min
// keeps): the deepest, preferring anyOf/oneOf.
func bestMatch(errs []*ValidationError) *ValidationError {
	if len(errs) == 0 {
		return nil
	}
	best := errs[0]
	for _, e := range errs[1:] {
		if relevanceCmp(e, best) > 0 {
			best = e
		}
	}
	for len(best.Context) > 0 {
		next := best.Context[0]
		for _, e := range best.Context[1:] {
			if relevanceCmp(e, next) < 0 {
				next = e
			}
		}
		best = next
	}
	return best
}
