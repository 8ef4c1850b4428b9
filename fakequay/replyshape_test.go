package fakequay

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// A classifier of replies: every answer fakequay gives must be one of the
// error families of reference §1.3 (plus the pages nginx, gunicorn and
// Werkzeug answer with in front of or around Quay, §1.5) or a documented
// success shape (§1.4). The bad-input corpus compares shapes; the fuzz and
// stress tests require that every reply has one. The checks are exact:
// a JSON body must be byte for byte what its encoder produces for its
// decoded value, so a Flask-RESTful body cannot pass as a jsonify one.

// family names a reply shape.
type family string

const (
	famAPIError   family = "A ApiError"            // application/json, six keys, Flask-RESTful
	famModel      family = "B model message"       // 400 jsonify {"message": str}
	famAbort      family = "C util.http.abort"     // text/html json.dumps {"error": str}
	famWerkzeug   family = "D Werkzeug message"    // Flask-RESTful {"message": str}
	famParams     family = "E reqparse"            // 400 Flask-RESTful {"message": {param: help}}
	famReadOnly   family = "F read-only"           // 503 jsonify {"is_readonly": true, ...}
	famCrash      family = "G gunicorn 500"        // gunicorn's HTML page
	famNginx      family = "nginx error page"      // 400, 413, 429, 502-504 HTML
	famWebPage    family = "web catch-all 404"     // HTML, the web catch-all's view (GET, HEAD)
	famWebMethod  family = "Werkzeug HTML 405"     // HTML, rules match the path but not the method
	famNoRule     family = "Werkzeug HTML 404"     // HTML, no rule matches the path at all
	famRedirect   family = "Werkzeug 308 redirect" // HTML, a slash to add or slashes to merge
	famDetail     family = "view's (dict, status)" // Flask-RESTful {"detail": str} a view returns itself (mirror.py)
	famRestful    family = "success: Flask-RESTful JSON"
	famJsonify    family = "success: jsonify"
	famDumps      family = "success: json.dumps (send_file)"
	famEmpty      family = "success: empty body"
	famHeadAnswer family = "HEAD answer" // no body to inspect
	// The sign-in refusals (user.py conduct_signin, VerifyUser.post): 403
	// Flask-RESTful JSON with invalidCredentials; and the app's 429 text
	// page for too many failed sign-ins (decorated.py).
	famSigninRefusal family = "403 sign-in refusal"
	famTooManyLogins family = "429 too many login attempts"
)

// shape is what a test compares of a reply: its family and the fields that
// family carries. Detail is the first line of an ApiError's detail (schema
// failures append the failing schema and instance, which the jsonschema
// package's golden tests cover).
type shape struct {
	Family    family
	Status    int
	ErrorType string            `json:",omitempty"`
	Detail    string            `json:",omitempty"`
	Message   string            `json:",omitempty"`
	Params    map[string]string `json:",omitempty"`
	Error     string            `json:",omitempty"`
}

// apiErrorStatus is the ApiError classes of §1.3: error_type → status.
var apiErrorStatus = map[string][]int{
	"invalid_request":      {400},
	"invalid_response":     {400},
	"invalid_token":        {401},
	"fresh_login_required": {401},
	"insufficient_scope":   {403},
	"not_found":            {404},
}

var (
	werkzeugStatuses = []int{400, 403, 404, 405, 415}
	abortStatuses    = []int{400, 401, 403}
	nginxStatuses    = []int{400, 413, 429, 502, 503, 504}
	successStatuses  = []int{200, 201, 202, 204}
)

// The HTML pages are the harness's (replyCrash, replyWebPage,
// replyWerkzeug404, replyWerkzeug405), written out by hand from gunicorn's
// util.write_error, Werkzeug 3.0's HTTPException.get_body and fakequay's web
// stand-in; redirectPage is Werkzeug's RequestRedirect body, whose link is
// an absolute URL without "//" in its path, shown as its own text.
var redirectPage = regexp.MustCompile(`\A<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n` +
	`<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: ` +
	`<a href="(http://[^/"]+(?:/[^/"?]+)*/?(?:\?[^"]*)?)">([^<]*)</a>. If not, click the link.\n\z`)

// nginxErrorPage is nginx's page for status with server_tokens off.
func nginxErrorPage(status int) string {
	title := fmt.Sprintf("%d %s", status, http.StatusText(status))
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// shapeOf names the shape of a reply to method, or says why it has none.
func shapeOf(method string, r reply) (shape, error) {
	s := shape{Status: r.Status}
	if method == http.MethodHead {
		// The transport drops HEAD bodies; the status and type must still
		// be ones a GET could have had.
		switch r.ContentType {
		case contentTypeJSON, contentTypeHTML, "text/html":
			s.Family = famHeadAnswer
			return s, nil
		}
		return s, fmt.Errorf("HEAD answered with content type %q", r.ContentType)
	}
	switch r.ContentType {
	case contentTypeJSON:
		return classifyJSON(s, []byte(r.Body))
	case contentTypeHTML:
		return classifyHTMLUTF8(s, r.Body)
	case "text/html":
		switch {
		case r.Status == 500 && r.Body == replyCrash.Body:
			s.Family = famCrash
			return s, nil
		case slices.Contains(nginxStatuses, r.Status) && r.Body == nginxErrorPage(r.Status):
			s.Family = famNginx
			return s, nil
		}
	}
	return s, fmt.Errorf("no known shape: %d %q %.200q", r.Status, r.ContentType, r.Body)
}

func classifyJSON(s shape, body []byte) (shape, error) {
	if len(body) == 0 {
		if s.Status != http.StatusNoContent {
			return s, fmt.Errorf("empty application/json body with status %d", s.Status)
		}
		s.Family = famEmpty
		return s, nil
	}
	v, err := py.Decode(body)
	if err != nil {
		return s, fmt.Errorf("application/json body is not JSON: %v: %.200q", err, body)
	}
	restful := encodedAs(py.Restful, v, body)
	jsonify := encodedAs(py.Jsonify, v, body)
	obj, _ := v.(*py.Object)
	keys := obj.Keys()
	str := func(k string) string { x, _ := obj.Get(k); t, _ := x.(string); return t }
	isStr := func(k string) bool { x, _ := obj.Get(k); _, ok := x.(string); return ok }

	// An ApiError raised with a payload (getLoggedInUser's InvalidToken)
	// starts with the payload's keys: ApiException.to_dict begins with it.
	apiKeys := keys
	if len(keys) > 0 && keys[0] == "session_required" {
		if sr, _ := obj.Get("session_required"); sr != false {
			return s, fmt.Errorf("session_required %s: %s", py.Repr(sr), body)
		}
		apiKeys = keys[1:]
	}
	switch {
	case restful && slices.Equal(apiKeys, []string{"detail", "error_message", "error_type", "title", "type", "status"}):
		s.Family, s.ErrorType = famAPIError, str("error_type")
		s.Detail, _, _ = strings.Cut(str("detail"), "\n")
		status, _ := obj.Get("status")
		switch {
		case !slices.Contains(apiErrorStatus[s.ErrorType], s.Status):
			return s, fmt.Errorf("ApiError %q with status %d", s.ErrorType, s.Status)
		case !py.Equal(status, py.NewInt(int64(s.Status))):
			return s, fmt.Errorf("ApiError status member %s, HTTP status %d", py.Repr(status), s.Status)
		case !isStr("detail") || str("detail") != str("error_message") || str("title") != s.ErrorType:
			return s, fmt.Errorf("ApiError members disagree: %s", body)
		case str("type") != "http://"+testHost+"/api/v1/error/"+s.ErrorType:
			return s, fmt.Errorf("ApiError type %q", str("type"))
		}
		return s, nil
	case jsonify && slices.Equal(keys, []string{"message"}) && isStr("message"):
		s.Family, s.Message = famModel, str("message")
		if s.Status != 400 {
			return s, fmt.Errorf("model message with status %d", s.Status)
		}
		return s, nil
	case restful && slices.Equal(keys, []string{"message"}) && isStr("message"):
		s.Family, s.Message = famWerkzeug, str("message")
		if !slices.Contains(werkzeugStatuses, s.Status) {
			return s, fmt.Errorf("Werkzeug message with status %d", s.Status)
		}
		return s, nil
	case restful && slices.Equal(keys, []string{"message"}):
		inner, _ := obj.Get("message")
		params, ok := inner.(*py.Object)
		if !ok || params.Len() == 0 || s.Status != 400 {
			return s, fmt.Errorf("reqparse-like body %s with status %d", body, s.Status)
		}
		s.Family, s.Params = famParams, map[string]string{}
		for k, help := range params.All() {
			h, ok := help.(string)
			if !ok {
				return s, fmt.Errorf("reqparse help for %q is not a string: %s", k, body)
			}
			s.Params[k] = h
		}
		return s, nil
	case restful && slices.Equal(keys, []string{"detail"}) && isStr("detail") && (s.Status == 400 || s.Status == 409):
		s.Family, s.Detail = famDetail, str("detail")
		return s, nil
	case restful && s.Status == 403 && (slices.Equal(keys, []string{"needsEmailVerification", "invalidCredentials", "message"}) ||
		slices.Equal(keys, []string{"message", "invalidCredentials"})):
		s.Family = famSigninRefusal
		if m, ok := obj.Get("message"); ok && m != nil {
			s.Message, _ = m.(string)
		}
		return s, nil
	case jsonify && slices.Equal(keys, []string{"is_readonly", "message"}):
		s.Family, s.Message = famReadOnly, str("message")
		if ro, _ := obj.Get("is_readonly"); ro != true || s.Status != 503 {
			return s, fmt.Errorf("read-only body %s with status %d", body, s.Status)
		}
		return s, nil
	}
	// Success bodies. Mirror health answers its summary with 503 when
	// degraded (§3), the one non-2xx success shape.
	degradedHealth := s.Status == 503 && restful && slices.Contains(keys, "healthy")
	if !slices.Contains(successStatuses, s.Status) && !degradedHealth {
		return s, fmt.Errorf("JSON body %.200q with status %d fits no error family", body, s.Status)
	}
	switch {
	case restful:
		s.Family = famRestful
	case jsonify:
		s.Family = famJsonify
	case encodedAs(py.Dumps, v, body) && slices.Equal(keys, []string{"start", "total", "logs"}):
		// Only the archived build logs come through send_file.
		s.Family = famDumps
	default:
		return s, fmt.Errorf("JSON body is in no encoder's format: %.200q", body)
	}
	return s, nil
}

func encodedAs(enc func(any) ([]byte, error), v any, body []byte) bool {
	b, err := enc(v)
	return err == nil && bytes.Equal(b, body)
}

func classifyHTMLUTF8(s shape, body string) (shape, error) {
	switch {
	case body == "":
		// make_response("", code): approveServiceKey 201, deleteServiceKey
		// and the global-message writes; OPTIONS answers 200.
		if s.Status != 200 && s.Status != 201 && s.Status != 204 {
			return s, fmt.Errorf("empty text/html body with status %d", s.Status)
		}
		s.Family = famEmpty
		return s, nil
	case body == replyWerkzeug405.Body && s.Status == 405:
		s.Family = famWebMethod
		return s, nil
	case body == "Too many login attempts. \nPlease reset your Quay password and try again." && s.Status == 429:
		s.Family = famTooManyLogins
		return s, nil
	case body == replyWerkzeug404.Body && s.Status == 404:
		s.Family = famNoRule
		return s, nil
	case body == replyWebPage.Body && s.Status == 404:
		s.Family = famWebPage
		return s, nil
	case s.Status == 308:
		m := redirectPage.FindStringSubmatch(body)
		if m == nil || m[1] != m[2] {
			return s, fmt.Errorf("308 with body %.200q", body)
		}
		s.Family = famRedirect
		return s, nil
	}
	v, err := py.Decode([]byte(body))
	obj, _ := v.(*py.Object)
	if err == nil && encodedAs(py.Dumps, v, []byte(body)) && slices.Equal(obj.Keys(), []string{"error"}) {
		e, _ := obj.Get("error")
		msg, ok := e.(string)
		if ok && slices.Contains(abortStatuses, s.Status) {
			s.Family, s.Error = famAbort, msg
			return s, nil
		}
	}
	return s, fmt.Errorf("no known text/html shape: %d %.200q", s.Status, body)
}

// TestShapeOf pins the classifier on the families' exact bytes and on
// near misses that must be refused.
func TestShapeOf(t *testing.T) {
	t.Parallel()
	jsonR := func(status int, body string) reply { return reply{status, contentTypeJSON, body} }
	tests := []struct {
		name    string
		method  string
		r       reply
		want    shape
		wantErr string
	}{
		{"A", "GET", replyNotFound, shape{Family: famAPIError, Status: 404, ErrorType: "not_found", Detail: "Not Found"}, ""},
		{"A with getLoggedInUser's payload", "GET", jsonR(401, `{"session_required": false, "detail": "Requires authentication", "error_message": "Requires authentication", "error_type": "invalid_token", "title": "invalid_token", "type": "http://quay.test/api/v1/error/invalid_token", "status": 401}`+"\n"),
			shape{Family: famAPIError, Status: 401, ErrorType: "invalid_token", Detail: "Requires authentication"}, ""},
		{"A with a payload that is not Quay's", "GET", jsonR(401, `{"session_required": true, "detail": "Requires authentication", "error_message": "Requires authentication", "error_type": "invalid_token", "title": "invalid_token", "type": "http://quay.test/api/v1/error/invalid_token", "status": 401}`+"\n"),
			shape{Status: 401}, "session_required True"},
		{"A, first line of a multi-line detail", "POST", apiErrorReply(400, "invalid_request", "'username' is a required property\n\nFailed"),
			shape{Family: famAPIError, Status: 400, ErrorType: "invalid_request", Detail: "'username' is a required property"}, ""},
		{"B", "POST", modelErrorReply("Username is not available"), shape{Family: famModel, Status: 400, Message: "Username is not available"}, ""},
		{"C", "POST", replyCSRF, shape{Family: famAbort, Status: 403, Error: "CSRF token was invalid or missing."}, ""},
		{"D", "POST", jsonR(415, `{"message": "Did not attempt"}`+"\n"), shape{Family: famWerkzeug, Status: 415, Message: "Did not attempt"}, ""},
		{"E", "GET", jsonR(400, `{"message": {"limit": "Max 100."}}`+"\n"),
			shape{Family: famParams, Status: 400, Params: map[string]string{"limit": "Max 100."}}, ""},
		{"F", "POST", jsonR(503, `{"is_readonly":true,"message":"read-only"}`+"\n"), shape{Family: famReadOnly, Status: 503, Message: "read-only"}, ""},
		{"G", "POST", replyCrash, shape{Family: famCrash, Status: 500}, ""},
		{"nginx", "POST", reply{429, "text/html", nginxErrorPage(429)}, shape{Family: famNginx, Status: 429}, ""},
		{"204 JSON", "DELETE", replyNoContent, shape{Family: famEmpty, Status: 204}, ""},
		{"201 text/html", "POST", reply{201, contentTypeHTML, ""}, shape{Family: famEmpty, Status: 201}, ""},
		{"Flask-RESTful success", "GET", jsonR(200, `{"users": [], "n": 5.0}`+"\n"), shape{Family: famRestful, Status: 200}, ""},
		{"jsonify success", "GET", jsonR(200, `{"b":1,"a":2}`+"\n"), shape{}, "in no encoder's format"},
		{"jsonify success, sorted", "GET", jsonR(200, `{"a":2,"b":1}`+"\n"), shape{Family: famJsonify, Status: 200}, ""},
		{"send_file success", "GET", jsonR(200, `{"start": 0, "total": 0, "logs": []}`), shape{Family: famDumps, Status: 200}, ""},
		{"HEAD", "HEAD", reply{401, contentTypeJSON, ""}, shape{Family: famHeadAnswer, Status: 401}, ""},
		{"308 keeps the query", "GET", reply{308, contentTypeHTML, "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n" +
			"<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: " +
			`<a href="http://quay.test/api/v1/superuser/users/?limit=1&amp;x=2">http://quay.test/api/v1/superuser/users/?limit=1&amp;x=2</a>. ` +
			"If not, click the link.\n"}, shape{Family: famRedirect, Status: 308}, ""},
		{"308 to merged slashes", "GET", replyRedirect("/api/v1/superuser/keys/k1"), shape{Family: famRedirect, Status: 308}, ""},
		{"308 to a path still holding //", "GET", replyRedirect("/api/v1/superuser//keys"), shape{}, "308 with body"},
		{"308 whose text is not its link", "GET", reply{308, contentTypeHTML, strings.Replace(
			replyRedirect("/api/v1/superuser/users/").Body, "users/<", "keys/<", 1)}, shape{}, "308 with body"},
		{"Werkzeug's 404", "GET", replyWerkzeug404, shape{Family: famNoRule, Status: 404}, ""},
		{"the web catch-all's page", "GET", replyWebPage, shape{Family: famWebPage, Status: 404}, ""},

		{"A through jsonify", "GET", jsonR(404, `{"detail":"Not Found","error_message":"Not Found","error_type":"not_found","status":404,"title":"not_found","type":"http://quay.test/api/v1/error/not_found"}`+"\n"),
			shape{}, "fits no error family"},
		{"A with a status member that disagrees", "GET", reply{403, contentTypeJSON, strings.Replace(replyNotFound.Body, "404}", "403}", 1)},
			shape{}, `ApiError "not_found" with status 403`},
		{"A with a foreign type URL", "GET", reply{404, contentTypeJSON, strings.Replace(replyNotFound.Body, testHost, "evil.test", 1)},
			shape{}, "ApiError type"},
		{"B with a 404", "GET", reply{404, contentTypeJSON, modelErrorReply("x").Body}, shape{}, "model message with status 404"},
		{"D with a 500", "GET", jsonR(500, `{"message": "boom"}`+"\n"), shape{}, "Werkzeug message with status 500"},
		{"C with a newline", "POST", reply{403, contentTypeHTML, replyCSRF.Body + "\n"}, shape{}, "no known text/html shape"},
		{"JSON without Quay's newline", "GET", jsonR(200, `{"users": []}`), shape{}, "in no encoder's format"},
		{"empty JSON 200", "GET", jsonR(200, ""), shape{}, "empty application/json body"},
		{"plain text", "GET", reply{500, "text/plain; charset=utf-8", "Internal Server Error\n"}, shape{}, "no known shape"},
		{"gunicorn page with the wrong type", "GET", reply{500, contentTypeHTML, replyCrash.Body}, shape{}, "no known text/html shape"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := shapeOf(tc.method, tc.r)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("shapeOf = %+v, %v; want an error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("shapeOf (-want +got):\n%s", diff)
			}
		})
	}
}
