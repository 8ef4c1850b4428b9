// Package svcaccount makes sure a service account (a Quay user that CI
// logs in as) exists and is enabled on the company's Quay.
//
// It is written the way much code that calls Quay is: it builds its URLs
// from a constant production URL and sends them through
// http.DefaultClient, so a test cannot hand it a server or a client. Its
// tests run it anyway, against fakequay, by putting fakequay behind
// httpmock (fakequay/quaymock): the code keeps its URL, and the tests get
// Quay's real answers, its state and its request journal.
// migration_test.go shows what the same code's canned-JSON test missed.
package svcaccount

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// BaseURL is the Quay this package talks to.
const BaseURL = "https://quay.example.com"

// Result is what Ensure did.
type Result struct {
	// Created is set when the account did not exist and Ensure created it;
	// Password is then the password Quay generated for it.
	Created  bool
	Password string
	// Reenabled is set when the account existed, disabled, and Ensure
	// enabled it.
	Reenabled bool
}

// Error is Quay refusing a request.
type Error struct {
	Method, Path string
	Status       int
	// Type is Quay's error_type (e.g. "insufficient_scope"), empty for the
	// answers that carry only a message.
	Type    string
	Message string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("svcaccount: %s %s: %d", e.Method, e.Path, e.Status)
	if e.Type != "" {
		s += " " + e.Type
	}
	return s + ": " + e.Message
}

// Ensure makes sure the user name exists and is enabled, creating it with
// email if it does not exist. token is a superuser's OAuth token with the
// super:user scope. Running it again changes nothing.
func Ensure(ctx context.Context, token, name, email string) (Result, error) {
	path := "/api/v1/superuser/users/" + url.PathEscape(name)
	var user struct {
		Enabled bool `json:"enabled"`
	}
	err := call(ctx, token, http.MethodGet, path, nil, &user)
	var qe *Error
	if errors.As(err, &qe) && qe.Status == http.StatusNotFound {
		var created struct {
			Password string `json:"password"`
		}
		body := map[string]string{"username": name, "email": email}
		if err := call(ctx, token, http.MethodPost, "/api/v1/superuser/users/", body, &created); err != nil {
			return Result{}, err
		}
		return Result{Created: true, Password: created.Password}, nil
	}
	if err != nil || user.Enabled {
		return Result{}, err
	}
	if err := call(ctx, token, http.MethodPut, path, map[string]bool{"enabled": true}, nil); err != nil {
		return Result{}, err
	}
	return Result{Reenabled: true}, nil
}

// call sends one request to Quay and decodes its 200 answer into out (if
// not nil). Any other status is an *Error.
func call(ctx context.Context, token, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, BaseURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return refusal(method, path, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// refusal reads Quay's error answers, which come in more than one shape:
// ApiErrors ({"error_type": ..., "error_message": ..., "detail": ...}) for
// authentication, permissions and missing things; {"message": ...} for
// what the data model refuses, such as a name already taken;
// {"error": ...} for a few others; and nginx's HTML pages in front of Quay.
func refusal(method, path string, status int, body []byte) *Error {
	var b struct {
		ErrorType    string `json:"error_type"`
		ErrorMessage string `json:"error_message"`
		Detail       string `json:"detail"`
		Message      string `json:"message"`
		Error        string `json:"error"`
	}
	_ = json.Unmarshal(body, &b) // an HTML page leaves every field empty
	e := &Error{Method: method, Path: path, Status: status, Type: b.ErrorType}
	for _, m := range []string{b.ErrorMessage, b.Detail, b.Message, b.Error, http.StatusText(status)} {
		if m != "" {
			e.Message = m
			break
		}
	}
	return e
}
