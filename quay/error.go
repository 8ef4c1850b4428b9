package quay

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Sentinels for errors.Is. An *Error matches every sentinel its answer fits:
// a 503 in read-only mode is ErrReadOnly and ErrServer; a 401 asking for a
// fresh login is ErrFreshLoginRequired and ErrUnauthorized.
var (
	ErrBadRequest         = errors.New("quay: bad request")           // 400
	ErrUnauthorized       = errors.New("quay: unauthorized")          // 401
	ErrForbidden          = errors.New("quay: forbidden")             // 403
	ErrNotFound           = errors.New("quay: not found")             // 404
	ErrRateLimited        = errors.New("quay: rate limited")          // 429
	ErrServer             = errors.New("quay: server error")          // 5xx
	ErrReadOnly           = errors.New("quay: registry is read-only") // 503 with is_readonly
	ErrFreshLoginRequired = errors.New("quay: fresh login required")  // 401 fresh_login_required
	// ErrRepositoryNotWritable is the 503 Quay answers a tag or label write
	// on a repository whose state is READ_ONLY or MIRROR
	// (disallow_for_non_normal_repositories). It also matches ErrServer.
	ErrRepositoryNotWritable = errors.New("quay: repository is read-only or mirrored")
)

// repositoryStateMessage starts the message of Quay's repository-state 503,
// "Repository is in read only or mirror mode: 1" (the state as a number).
const repositoryStateMessage = "Repository is in read only or mirror mode"

// MaxErrorBody is how much of an error answer's body an [Error] keeps.
const MaxErrorBody = 1 << 20

// Error is a non-2xx answer from Quay. Quay answers errors in several shapes
// (reference §1.3); Error keeps whichever fields the body carried and never
// fails to decode, whatever the body (JSON, HTML, plain text, empty or cut off).
type Error struct {
	StatusCode int    // HTTP status
	Method     string // request method
	URL        string // request URL with secrets redacted

	// Family A, Quay's ApiError: {"detail", "error_message", "error_type", "title", "type", "status"}.
	Type   string // error_type, e.g. "not_found", "invalid_request", "fresh_login_required"
	Title  string // title (Quay sets it to error_type)
	Detail string // detail, or error_message when detail is absent

	// Message is the text of {"message": "..."} bodies: model errors
	// (family B), Werkzeug errors (D), read-only mode (F) and app handlers (H).
	Message string
	// ParamErrors maps each rejected query parameter to Quay's help text for
	// it, from {"message": {"param": "help"}} bodies (family E).
	ParamErrors map[string]string
	// ErrorText is the text of {"error": "..."} bodies (family C: CSRF,
	// anonymous access, browser XHR checks), which Quay sends as text/html.
	ErrorText string
	// ReadOnly reports the 503 Quay sends for every write while the
	// registry is in read-only mode (family F, {"is_readonly": true}).
	ReadOnly bool

	// RetryAfter is what the Retry-After header asked for (zero if absent).
	RetryAfter time.Duration
	// Attempts is how many times the request was sent before giving up.
	Attempts int
	// Body is the raw body, at most MaxErrorBody bytes; Truncated reports a cut.
	Body      []byte
	Truncated bool
}

// apiErrorBody covers every JSON error family of reference §1.3 at once.
type apiErrorBody struct {
	Detail       string          `json:"detail"`
	ErrorMessage string          `json:"error_message"`
	ErrorType    string          `json:"error_type"`
	Title        string          `json:"title"`
	Message      json.RawMessage `json:"message"`
	Error        json.RawMessage `json:"error"`
	IsReadOnly   bool            `json:"is_readonly"`
}

// newError builds an Error from a status and a (possibly truncated) body. It
// never fails: whatever does not decode as JSON is kept as raw text.
func newError(status int, method, redactedURL string, body []byte, truncated bool) *Error {
	e := &Error{StatusCode: status, Method: method, URL: redactedURL, Body: body, Truncated: truncated}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return e // HTML, plain text, empty: Error() summarises Body
	}
	var b apiErrorBody
	if json.Unmarshal(trimmed, &b) != nil {
		return e // truncated or malformed JSON
	}
	e.Type, e.Title = b.ErrorType, b.Title
	e.Detail = cmp.Or(b.Detail, b.ErrorMessage)
	e.ReadOnly = b.IsReadOnly
	if len(b.Message) > 0 {
		var s string
		var params map[string]string
		switch {
		case json.Unmarshal(b.Message, &s) == nil:
			e.Message = s
		case json.Unmarshal(b.Message, &params) == nil:
			e.ParamErrors = params
		default:
			e.Message = string(b.Message)
		}
	}
	if len(b.Error) > 0 {
		var s string
		if json.Unmarshal(b.Error, &s) == nil {
			e.ErrorText = s
		} else {
			e.ErrorText = string(b.Error)
		}
	}
	return e
}

// Error returns "quay: METHOD URL: STATUS TEXT: what Quay said".
func (e *Error) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "quay: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if s := e.summary(); s != "" {
		sb.WriteString(": ")
		sb.WriteString(s)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&sb, " (retry after %v)", e.RetryAfter)
	}
	return sb.String()
}

// summary is the most specific thing the body said, on one line.
func (e *Error) summary() string {
	switch {
	case e.Type != "" && e.Detail != "":
		return e.Type + ": " + oneLine(e.Detail, 300)
	case e.Type != "":
		return e.Type
	case e.Detail != "":
		return oneLine(e.Detail, 300)
	case e.Message != "":
		return oneLine(e.Message, 300)
	case len(e.ParamErrors) > 0:
		parts := make([]string, 0, len(e.ParamErrors))
		for _, k := range slices.Sorted(maps.Keys(e.ParamErrors)) {
			parts = append(parts, k+": "+e.ParamErrors[k])
		}
		return oneLine(strings.Join(parts, "; "), 300)
	case e.ErrorText != "":
		return oneLine(e.ErrorText, 300)
	case len(bytes.TrimSpace(e.Body)) == 0:
		return "empty body"
	}
	if t := htmlTitle(e.Body); t != "" {
		return oneLine(t, 120)
	}
	return oneLine(string(e.Body), 120)
}

// htmlTitle returns the text of the first <title> element, or "". The tag
// is matched without regard to ASCII case on a copy of the same length, so
// that offsets found in it hold in body (bytes.ToLower would resize
// invalid UTF-8 and some letters, such as 'İ').
func htmlTitle(body []byte) string {
	lower := make([]byte, len(body))
	for i, c := range body {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	start := bytes.Index(lower, []byte("<title>"))
	if start < 0 {
		return ""
	}
	start += len("<title>")
	end := bytes.Index(lower[start:], []byte("</title>"))
	if end < 0 {
		return ""
	}
	return string(body[start : start+end])
}

// oneLine collapses whitespace and cuts s to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Is reports whether the error fits target, one of the package's sentinels.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrReadOnly:
		return e.StatusCode == http.StatusServiceUnavailable && e.ReadOnly
	case ErrFreshLoginRequired:
		return e.StatusCode == http.StatusUnauthorized && e.Type == "fresh_login_required"
	case ErrRepositoryNotWritable:
		return e.repositoryState()
	}
	return false
}

// repositoryState reports Quay's 503 for a write to a repository in state
// READ_ONLY or MIRROR.
func (e *Error) repositoryState() bool {
	return e.StatusCode == http.StatusServiceUnavailable && strings.HasPrefix(e.Message, repositoryStateMessage)
}
