package fakequay

import (
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Global messages: reference §3 getGlobalMessages, createGlobalMessage and
// deleteGlobalMessage (endpoints/api/globalmessages.py). They write no
// audit log, and refuse non-superusers with flask.abort(403) (family D)
// rather than an ApiError.

func messageRoutes() []*route {
	// /messages is registered whatever FEATURE_SUPER_USERS says; only the
	// single-message route is gated on it.
	return []*route{{pattern: "/api/v1/messages", ops: map[string]*operation{
		http.MethodGet: {nickname: "getGlobalMessages", anyHost: true, handle: (*Server).getGlobalMessages},
		http.MethodPost: {nickname: "createGlobalMessage", freshLogin: true, schema: schemaCreateMessage,
			handle: (*Server).createGlobalMessage},
	}}, {pattern: "/api/v1/message/{uuid}", when: superUsersFeature, ops: map[string]*operation{
		http.MethodDelete: {nickname: "deleteGlobalMessage", freshLogin: true, handle: (*Server).deleteGlobalMessage},
	}}}
}

// getGlobalMessages: §3. Anyone may read the messages, anonymous callers
// included.
func (s *Server) getGlobalMessages(c *call) error {
	rows := c.read.Messages()
	out := globalMessageListView{Messages: make([]globalMessageView, len(rows))}
	for i, m := range rows {
		out.Messages[i] = globalMessageView{UUID: m.UUID, Content: m.Content, Severity: m.Severity, MediaType: m.MediaType}
	}
	c.restful(http.StatusOK, out)
	return nil
}

// createGlobalMessage: §3. 201 with an empty text/html body. With
// FEATURE_SUPER_USERS off Quay answers flask.abort(404), after validating
// the body.
func (s *Server) createGlobalMessage(c *call) error {
	if !s.cfg.FeatureSuperUsers {
		return errNotFoundAbort
	}
	if !c.isSuperuser() {
		return errForbiddenAbort
	}
	// The CreateMessage schema makes "message" optional but its members
	// required, so a body without it passes validation and then fails Quay's
	// request.get_json()["message"] with a KeyError.
	body, _ := asObject(c.body)
	inner, _ := body.get("message")
	req, ok := asObject(inner)
	if !ok {
		return &crashError{reason: "KeyError: 'message'"}
	}
	severity, ok1 := req.str("severity")
	mediaType, ok2 := req.str("media_type")
	content, ok3 := req.str("content")
	if !ok1 || !ok2 || !ok3 {
		return &crashError{reason: "KeyError: a message member the schema requires is missing"}
	}
	if _, err := s.store.CreateMessage(store.Message{UUID: s.rand.uuid(), Content: content,
		Severity: severity, MediaType: mediaType}); err != nil {
		return err
	}
	c.empty(http.StatusCreated, contentTypeHTML)
	return nil
}

// deleteGlobalMessage: §3. 204 with an empty text/html body, whether or
// not a message has that uuid.
func (s *Server) deleteGlobalMessage(c *call) error {
	if !c.isSuperuser() {
		return errForbiddenAbort
	}
	if _, err := s.store.DeleteMessages(c.param("uuid")); err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeHTML)
	return nil
}
