package fakequay

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Quay answers errors in eight body families (reference §1.3). Every error
// fakequay sends is one of the types below; a handler reports one by
// passing it to call.fail, which writes it in its family's exact format.

// quayError is an error that knows how to write itself as Quay would.
type quayError interface {
	error
	write(c *call)
}

// apiError is family A, Quay's ApiException: application/json through
// Flask-RESTful, keys detail, error_message, error_type, title, type, status.
type apiError struct {
	status    int
	errorType string
	detail    string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.errorType, e.detail)
}

func (e *apiError) write(c *call) { c.restful(e.status, e.view(c)) }

func (e *apiError) view(c *call) apiErrorView {
	return apiErrorView{
		Detail:       e.detail,
		ErrorMessage: e.detail,
		ErrorType:    e.errorType,
		Title:        e.errorType,
		Type:         c.externalURL("/api/v1/error/" + e.errorType),
		Status:       e.status,
	}
}

// invalidRequest is InvalidRequest(detail): 400 invalid_request.
func invalidRequest(detail string) error { return &apiError{400, "invalid_request", detail} }

// modelErrorAsInvalidRequest is a handler's `except DataModelException as
// ex: raise InvalidRequest(str(ex))`: a model error becomes 400
// invalid_request with its message; any other error (nil included) is
// returned as it is.
func modelErrorAsInvalidRequest(err error) error {
	var me *store.ModelError
	if errors.As(err, &me) {
		return invalidRequest(me.Message)
	}
	return err
}

// invalidResponse is InvalidResponse(detail): 400 invalid_response.
func invalidResponse(detail string) error { return &apiError{400, "invalid_response", detail} }

// errNotFound is NotFound(): 404 not_found.
var errNotFound = &apiError{404, "not_found", "Not Found"}

// unauthorized is Unauthorized(), whose status depends on the caller: 401
// invalid_token without an authenticated user (or when the "user" is an
// organization), 403 insufficient_scope otherwise.
func unauthorized(who principal) error {
	if who.user == nil || who.user.IsOrg() {
		return &apiError{401, "invalid_token", "Requires authentication"}
	}
	return &apiError{403, "insufficient_scope", "Unauthorized"}
}

// errorDescriptions are the texts of GET /api/v1/error/<type>
// (endpoints/exception.py ERROR_DESCRIPTION).
var errorDescriptions = map[string]string{
	"external_service_timeout": "An external service timed out. Retrying the request may resolve the issue.",
	"invalid_request":          "The request was invalid. It may have contained invalid values or was improperly formatted.",
	"invalid_response":         "The response was invalid.",
	"invalid_token":            "The access token provided was invalid.",
	"expired_token":            "The access token provided has expired.",
	"insufficient_scope":       "The access token did not have sufficient scope to access the requested resource.",
	"fresh_login_required":     "The action requires a fresh login to succeed.",
	"exceeds_license":          "The action was refused because the current license does not allow it.",
	"not_found":                "The resource was not found.",
	"downstream_issue":         "An error occurred in a downstream service.",
	"tag_immutable":            "The tag is immutable and cannot be modified or deleted.",
	"token_rotation_failed":    "Token rotation failed.",
}

// modelMessage is family B (also H): Quay's app-level handlers answer 400
// with a jsonify body {"message": ...}.
type modelMessage struct{ message string }

func (e *modelMessage) Error() string { return "400 " + e.message }

func (e *modelMessage) write(c *call) {
	dropCORS(c.w.Header())
	c.jsonify(400, messageView{Message: e.message})
}

// dropCORS removes the CORS headers serveAPI set: an answer of one of
// Flask's app-level error handlers (endpoints/decorated.py handle_dme,
// handle_readonly), or of no handler at all (an unhandled exception), does
// not pass through crossorigin (util/request.py), which only the API's
// views and Flask-RESTful's handle_error (endpoints/api/__init__.py line
// 66) carry.
func dropCORS(h http.Header) {
	for _, kv := range corsHeaders {
		delete(h, kv[0])
	}
}

// abortError is family C, util.http.abort: json.dumps({"error": msg}) with
// Content-Type text/html and no trailing newline.
type abortError struct {
	status  int
	message string
}

func (e *abortError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func (e *abortError) write(c *call) {
	c.w.Header().Set("Vary", "Origin")
	c.raw(e.status, contentTypeHTML, pyDumps(errorTextView{Error: e.message}))
}

var (
	errCSRF      = &abortError{403, "CSRF token was invalid or missing."}
	errAnonymous = &abortError{401, "Anonymous access is not allowed"}
	errXHR       = &abortError{400, "API calls must be invoked with an X-Requested-With header if called from a browser"}
)

// werkzeugError is family D: a Werkzeug HTTPException rendered by
// Flask-RESTful as {"message": description}.
type werkzeugError struct {
	status  int
	message string
}

func (e *werkzeugError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func (e *werkzeugError) write(c *call) { c.restful(e.status, messageView{Message: e.message}) }

var (
	errMethodNotAllowed = &werkzeugError{405, "The method is not allowed for the requested URL."}
	errNotJSON          = &werkzeugError{415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."}
	errBadJSON          = &werkzeugError{400, "The browser (or proxy) sent a request that this server could not understand."}
	errForbiddenAbort   = &werkzeugError{403, "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."}
	errNotFoundAbort    = &werkzeugError{404, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."}
)

// paramError is family E: reqparse reports a bad query parameter with the
// parameter's help text, not the parse error.
type paramError struct{ name, help string }

func (e *paramError) Error() string { return "400 bad query parameter " + e.name }

func (e *paramError) write(c *call) {
	c.restful(400, paramErrorView{Message: map[string]string{e.name: e.help}})
}

// readOnlyError is family F, answered to writes while REGISTRY_STATE is
// "readonly".
type readOnlyError struct{}

func (readOnlyError) Error() string { return "503 registry is read-only" }

func (readOnlyError) write(c *call) {
	dropCORS(c.w.Header())
	c.jsonify(503, readOnlyView{IsReadonly: true,
		Message: "System is currently read-only. Pulls will succeed but all write operations are currently suspended."})
}

// crashError is family G: an unhandled Python exception escapes Flask and
// gunicorn answers with its own small HTML page.
type crashError struct{ reason string }

func (e *crashError) Error() string { return "500 unhandled exception: " + e.reason }

func (e *crashError) write(c *call) {
	c.logger().Warn("fakequay: answering as Quay's unhandled exception", "reason", e.reason)
	dropCORS(c.w.Header())
	writeGunicornError(c.w, http.StatusInternalServerError)
}

// gunicornPage is gunicorn's error page (gunicorn/util.py write_error),
// which is what a client sees when Quay's app crashes.
func gunicornPage(status int) string {
	reason := http.StatusText(status)
	return "<html>\n  <head>\n    <title>" + reason + "</title>\n  </head>\n  <body>\n    <h1><p>" +
		reason + "</p></h1>\n    \n  </body>\n</html>\n"
}

// nginxPage is the error page nginx in front of Quay answers with when it
// rate-limits (429) or cannot reach Quay (502, 503, 504).
func nginxPage(status int) string {
	title := strconv.Itoa(status) + " " + http.StatusText(status)
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

func writeGunicornError(w http.ResponseWriter, status int) {
	body := gunicornPage(status)
	h := w.Header()
	h.Set("Content-Type", "text/html")
	h.Set("Connection", "close")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// asQuayError maps any error a handler or the store returns to the family
// Quay would answer with. Errors fakequay does not recognise are crashes:
// that is what an unexpected exception is in Quay.
func asQuayError(err error) quayError {
	var qe quayError
	if errors.As(err, &qe) {
		return qe
	}
	var me *store.ModelError
	if errors.As(err, &me) {
		return &modelMessage{message: me.Message}
	}
	var ce *store.CrashError
	if errors.As(err, &ce) {
		return &crashError{reason: ce.Reason}
	}
	return &crashError{reason: err.Error()}
}

// errRequiresAuthentication is getLoggedInUser's InvalidToken("Requires
// authentication", payload={"session_required": False}): family A with the
// payload's key first, as ApiException.to_dict starts from the payload.
var errRequiresAuthentication = &payloadError{apiError{401, "invalid_token", "Requires authentication"}}

// payloadError is an apiError raised with payload {"session_required":
// false}, the only payload the served operations raise.
type payloadError struct{ apiError }

func (e *payloadError) write(c *call) {
	v := e.view(c)
	o := py.NewObject()
	o.Set("session_required", false)
	o.Set("detail", v.Detail)
	o.Set("error_message", v.ErrorMessage)
	o.Set("error_type", v.ErrorType)
	o.Set("title", v.Title)
	o.Set("type", v.Type)
	o.Set("status", v.Status)
	c.restful(e.status, o)
}
