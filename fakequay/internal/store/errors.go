package store

import "errors"

// ErrNotFound reports that the row an operation names does not exist (or is
// hidden, e.g. pending deletion). Handlers map it to whatever Quay answers
// for that operation; it is not always a 404.
var ErrNotFound = errors.New("store: not found")

// ModelError is a failure that Quay's data-model layer raises as a
// DataModelException (or a subclass), which Quay answers with 400
// {"message": Message}: error family B of the reference (§1.3).
type ModelError struct{ Message string }

func (e *ModelError) Error() string { return e.Message }

func modelError(msg string) error { return &ModelError{Message: msg} }

// CrashError is a failure that escapes Quay's handlers as an unhandled
// Python exception (peewee DoesNotExist, IntegrityError, AttributeError...),
// which gunicorn answers with a bare HTML 500: error family G (§1.3).
type CrashError struct{ Reason string }

func (e *CrashError) Error() string { return "unhandled exception: " + e.Reason }

func crash(reason string) error { return &CrashError{Reason: reason} }
