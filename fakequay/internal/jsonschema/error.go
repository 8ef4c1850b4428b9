package jsonschema

import (
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// ValidationError is jsonschema 3.2.0's ValidationError as best_match returns
// it. Paths are relative to the error's parent (for an error picked from an
// anyOf/oneOf context, to the instance that anyOf/oneOf checked), which is
// what str() prints.
type ValidationError struct {
	// Message is the first line, e.g. "'username' is a required property".
	Message string
	// Validator is the keyword that failed, e.g. "required"; "" for a false
	// boolean schema, where Python has None.
	Validator string
	// ValidatorValue is that keyword's value in the schema.
	ValidatorValue any
	// Instance is the value that failed.
	Instance any
	// Schema is the schema object holding the keyword.
	Schema any
	// Path leads from the checked instance to Instance: property names
	// (string) and array indexes (int).
	Path []any
	// SchemaPath leads from the checked schema to the keyword, inclusive.
	SchemaPath []any
	// Context holds the errors of every branch of a failed anyOf/oneOf.
	Context []*ValidationError

	filled bool // Validator..Schema were set by the keyword that failed
}

func newError(message string) *ValidationError {
	return &ValidationError{Message: message}
}

// Error returns str(ValidationError), which Quay puts verbatim into the
// ApiError detail (reference §1.6):
//
//	<message>
//
//	Failed validating '<keyword>' in schema<path to the schema>:
//	    <pprint of the schema, width 72>
//
//	On instance<path to the instance>:
//	    <pprint of the instance, width 72>
func (e *ValidationError) Error() string {
	validator := "None"
	if e.Validator != "" {
		validator = py.Repr(e.Validator)
	}
	var b strings.Builder
	b.WriteString(e.Message)
	b.WriteString("\n\nFailed validating ")
	b.WriteString(validator)
	b.WriteString(" in schema")
	b.WriteString(formatAsIndex(e.SchemaPath[:max(len(e.SchemaPath)-1, 0)]))
	b.WriteString(":\n")
	b.WriteString(indent(py.PFormat(e.Schema, 72)))
	b.WriteString("\n\nOn instance")
	b.WriteString(formatAsIndex(e.Path))
	b.WriteString(":\n")
	b.WriteString(indent(py.PFormat(e.Instance, 72)))
	return b.String()
}

// formatAsIndex is jsonschema's _utils.format_as_index: [1]['limit'], or ""
// for no indices.
func formatAsIndex(indices []any) string {
	if len(indices) == 0 {
		return ""
	}
	reprs := make([]string, len(indices))
	for i, index := range indices {
		reprs[i] = py.Repr(index)
	}
	return "[" + strings.Join(reprs, "][") + "]"
}

// indent is jsonschema's _utils.indent: four spaces before every line. The
// pformat output it receives has no line breaks other than "\n", since repr
// escapes the rest.
func indent(text string) string {
	return "    " + strings.ReplaceAll(text, "\n", "\n    ")
}
