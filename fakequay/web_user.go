package fakequay

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The first-user bootstrap: endpoints/web.py user_initialize, a route of
// Quay's web blueprint (no nickname, no API decorators), which operators
// and the mirror registry call on a new, empty registry.

func webUserRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/user/initialize", web: true, ops: map[string]*operation{
			http.MethodPost: {nickname: "", handle: (*Server).userInitialize},
		}},
	}
}

// initializeScopes are the scopes of the token user_initialize makes.
var initializeScopes = []string{"org:admin", "repo:admin", "repo:create", "repo:read", "repo:write", "super:user", "user:admin", "user:read"}

// userInitialize: web.py user_initialize (line 1067). In Quay's order:
// @route_show_if(FEATURE_USER_INITIALIZE) (the web 404 page), database
// auth, an empty User table, then request.get_json() and create_user with
// auto_verify; each refusal is jsonify({"message": ...}) with 400. With
// "access_token" (any truthy value) the answer carries an OAuth token with
// every scope, of an application named "automation" whose client id is
// the username. The new user is signed in (common_login): a session cookie
// and its CSRF token in X-Next-CSRF-Token.
func (s *Server) userInitialize(c *call) error {
	if !s.cfg.FeatureUserInitialize {
		writeWebNotFound(c.w)
		return nil
	}
	if s.cfg.AuthenticationType != "Database" {
		c.jsonify(http.StatusBadRequest, messageView{Message: "Cannot initialize user in a non-database auth system"})
		return nil
	}
	notEmpty := false
	c.read.AllNamespaces(func(*store.Namespace) bool {
		notEmpty = true
		return false
	})
	if notEmpty {
		c.jsonify(http.StatusBadRequest, messageView{Message: "Cannot initialize user in a non-empty database"})
		return nil
	}
	body, err := c.webJSONBody()
	if err != nil {
		return err
	}
	data, ok := asObject(body)
	if !ok {
		return &crashError{reason: "TypeError: user_data is not a dict"}
	}
	username, uok := data.get("username")
	password, pok := data.get("password")
	if !uok || !pok {
		return &crashError{reason: "KeyError: username or password"}
	}
	name, nameOK := username.(string)
	pw, pwOK := password.(string)
	emailValue, _ := data.get("email")
	var email *string
	switch e := emailValue.(type) {
	case nil:
	case string:
		email = &e
	default:
		if s.cfg.FeatureMailing {
			return &crashError{reason: "TypeError: expected string or bytes-like object"}
		}
	}
	if !pwOK || !nameOK {
		return &crashError{reason: "TypeError: expected string or bytes-like object"}
	}
	in := store.NewUser{Username: name, Email: email, RequireEmail: s.cfg.FeatureMailing, Time: c.now}
	if !s.cfg.FeatureMailing && (email == nil || *email == "") {
		in.PlaceholderEmail = s.rand.uuid()
	}
	var token *store.Token
	if v, _ := data.get("access_token"); py.Truthy(v) {
		token = &store.Token{Secret: s.rand.chars(40, alphanumeric), Scopes: initializeScopes,
			Application: "automation", ClientID: name}
	}
	created, err := s.store.InitializeUser(in, *newPassword(pw), token)
	if err != nil {
		var me *store.ModelError
		switch {
		case errors.Is(err, store.ErrNotEmpty):
			c.jsonify(http.StatusBadRequest, messageView{Message: "Cannot initialize user in a non-empty database"})
			return nil
		case errors.As(err, &me):
			c.jsonify(http.StatusBadRequest, messageView{Message: "Failed to initialize user: " + me.Message})
			return nil
		}
		return err
	}
	v := py.NewObject()
	if token != nil {
		v.Set("access_token", token.Secret)
	}
	v.Set("email", emailValue)
	v.Set("encrypted_password", s.encryptUserPassword(pw))
	v.Set("username", name)
	if !c.commonLogin(created) {
		// Cannot happen: the new user is verified (auto_verify).
		c.jsonify(http.StatusBadRequest, messageView{Message: "Could not login. Failed to initialize user"})
		return nil
	}
	c.jsonify(http.StatusOK, v)
	return nil
}

// webJSONBody is Flask's request.get_json() in a view outside the API,
// where Werkzeug's HTML pages answer its errors: 415 without a JSON
// content type, 400 for a body json.loads refuses.
func (c *call) webJSONBody() (any, error) {
	if !isJSONContentType(c.r.Header.Get("Content-Type")) {
		return nil, &webError{http.StatusUnsupportedMediaType, "Unsupported Media Type",
			"Did not attempt to load JSON data because the request Content-Type was not &#39;application/json&#39;."}
	}
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		return nil, &webError{http.StatusBadRequest, "Bad Request", "The browser (or proxy) sent a request that this server could not understand."}
	}
	v, err := py.Decode(data)
	if errors.Is(err, py.ErrNesting) {
		return nil, &crashError{reason: "RecursionError: maximum recursion depth exceeded while decoding JSON"}
	}
	if err != nil {
		return nil, &webError{http.StatusBadRequest, "Bad Request", "The browser (or proxy) sent a request that this server could not understand."}
	}
	if v == nil {
		return nil, &crashError{reason: "TypeError: 'NoneType' object is not subscriptable"}
	}
	return v, nil
}

// webError is a Werkzeug HTTPException raised in a web view: its HTML page.
type webError struct {
	status      int
	name, descr string
}

func (e *webError) Error() string { return e.name }

func (e *webError) write(c *call) {
	page := "<!doctype html>\n<html lang=en>\n<title>" + strconv.Itoa(e.status) + " " + e.name + "</title>\n<h1>" + e.name +
		"</h1>\n<p>" + e.descr + "</p>\n"
	c.raw(e.status, contentTypeHTML, []byte(page))
}
