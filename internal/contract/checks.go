package contract

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
)

func asQuayError(err error) (*quay.Error, bool) {
	var qe *quay.Error
	ok := errors.As(err, &qe)
	return qe, ok
}

// apiErr is the part of a family-A ApiError a case checks (reference §1.3).
type apiErr struct {
	Status int
	Type   string
	Detail string
}

// wantAPIError checks err is Quay's ApiError with the given fields and
// matches sentinel.
func wantAPIError(t *testing.T, err error, sentinel error, want apiErr) {
	t.Helper()
	qe, ok := asQuayError(err)
	if !ok {
		t.Fatalf("err = %v, want a *quay.Error", err)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("errors.Is(err, %v) = false for %v", sentinel, err)
	}
	got := apiErr{Status: qe.StatusCode, Type: qe.Type, Detail: qe.Detail}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ApiError (-want +got):\n%s", diff)
	}
}

// wantMessage checks err is a 400 {"message": msg} (family B).
func wantMessage(t *testing.T, err error, msg string) {
	t.Helper()
	qe, ok := asQuayError(err)
	if !ok {
		t.Fatalf("err = %v, want a *quay.Error", err)
	}
	if !errors.Is(err, quay.ErrBadRequest) || qe.StatusCode != 400 || qe.Message != msg || qe.Type != "" {
		t.Errorf("got %d type=%q message=%q, want 400 family B %q", qe.StatusCode, qe.Type, qe.Message, msg)
	}
}

// wantCSRF checks err is the 403 Quay gives a write without credentials
// (family C, reference §1.1).
func wantCSRF(t *testing.T, err error) {
	t.Helper()
	qe, ok := asQuayError(err)
	if !ok {
		t.Fatalf("err = %v, want a *quay.Error", err)
	}
	if !errors.Is(err, quay.ErrForbidden) || qe.ErrorText != "CSRF token was invalid or missing." {
		t.Errorf("got %d error=%q, want 403 CSRF", qe.StatusCode, qe.ErrorText)
	}
}

var (
	errUnauthorized = apiErr{401, "invalid_token", "Requires authentication"}
	errForbidden    = apiErr{403, "insufficient_scope", "Unauthorized"}
	errNotFound     = apiErr{404, "not_found", "Not Found"}
)

// wantNoError fails the test now on err.
func wantNoError(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func errorsIsServer(err error) bool { return errors.Is(err, quay.ErrServer) }
