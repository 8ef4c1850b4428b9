package superuser

import (
	"context"
	"net/http"

	"github.com/quaykit/go-quay/quay"
)

// MessagesService manages the global messages Quay's web UI shows every user.
type MessagesService service

// Message is a global message.
type Message struct {
	UUID    string `json:"uuid"`
	Content string `json:"content"`
	// Severity is "info", "warning" or "error".
	Severity string `json:"severity"`
	// MediaType is "text/plain" or "text/markdown".
	MediaType string `json:"media_type"`
}

// CreateMessageRequest is the body of Create. Every field is required.
type CreateMessageRequest struct {
	Content   string `json:"content"`
	Severity  string `json:"severity"`   // "info", "warning" or "error"
	MediaType string `json:"media_type"` // "text/plain" or "text/markdown"
}

// List returns every global message. Quay answers it to anyone, signed in or not.
//
// Quay operation: getGlobalMessages (GET /api/v1/messages)
func (s *MessagesService) List(ctx context.Context) ([]Message, *quay.Response, error) {
	var out struct {
		Messages []Message `json:"messages"`
	}
	resp, err := send(ctx, s.client, http.MethodGet, "messages", nil, &out)
	return out.Messages, resp, err
}

// Create posts a global message.
//
// Quay answers 201 with an empty body and does not return the message or its
// UUID: call List to find it. Global read-only superusers get 403.
//
// Quay operation: createGlobalMessage (POST /api/v1/messages)
func (s *MessagesService) Create(ctx context.Context, body CreateMessageRequest) (*quay.Response, error) {
	wrapped := struct {
		Message CreateMessageRequest `json:"message"`
	}{body}
	return send(ctx, s.client, http.MethodPost, "messages", wrapped, nil)
}

// Delete removes the global message with id uuid.
//
// Quay answers 204 even when no message has that UUID.
//
// Quay operation: deleteGlobalMessage (DELETE /api/v1/message/{uuid})
func (s *MessagesService) Delete(ctx context.Context, uuid string) (*quay.Response, error) {
	path, err := pathf("message/%s", uuid)
	if err != nil {
		return nil, err
	}
	return send(ctx, s.client, http.MethodDelete, path, nil, nil)
}
