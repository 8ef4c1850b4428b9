package svcaccount_test

// This file is the README's migration guide ("Testing code that talks to
// Quay"), compiled and run.
//
// ensureFromDocs is the first version of svcaccount.Ensure, written from
// Red Hat's API docs page and from what its author once saw Quay answer by
// hand. It has three mistakes:
//
//  1. it wants 201 from createInstallUser, as the docs page says; Quay
//     answers 200 (superuser.py SuperUserList.post);
//  2. it enables an account with {"enable": true}: Quay's UpdateUser schema
//     lets unknown keys through, so Quay answers 200 and changes nothing;
//  3. it reads every error as {"message": ...}, the shape of the 400 its
//     author had seen; Quay's permission errors are ApiErrors
//     ({"error_message": ..., "detail": ...}), so a 403 reads as no reason.
//
// TestEnsureFromDocsCanned is the test it shipped with: canned JSON, one
// answer per URL, as the docs page and the author's memory describe Quay.
// It passes. TestFakequayFindsTheMistakes makes the same calls against
// fakequay, and each mistake shows.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"

	"github.com/quaykit/go-quay/examples/testing/svcaccount"
)

// ensureFromDocs is svcaccount.Ensure as first written (see above).
func ensureFromDocs(ctx context.Context, token, name, email string) (svcaccount.Result, error) {
	users := svcaccount.BaseURL + "/api/v1/superuser/users/"
	status, body, err := send(ctx, token, http.MethodGet, users+name, "")
	if err != nil {
		return svcaccount.Result{}, err
	}
	switch status {
	case http.StatusOK:
		var u struct {
			Enabled bool `json:"enabled"`
		}
		if err := json.Unmarshal(body, &u); err != nil || u.Enabled {
			return svcaccount.Result{}, err
		}
		status, body, err = send(ctx, token, http.MethodPut, users+name, `{"enable": true}`) // mistake 2
		if err != nil {
			return svcaccount.Result{}, err
		}
		if status != http.StatusOK {
			return svcaccount.Result{}, docsError(status, body)
		}
		return svcaccount.Result{Reenabled: true}, nil
	case http.StatusNotFound:
		status, body, err = send(ctx, token, http.MethodPost, users, fmt.Sprintf(`{"username": %q, "email": %q}`, name, email))
		if err != nil {
			return svcaccount.Result{}, err
		}
		if status != http.StatusCreated { // mistake 1
			return svcaccount.Result{}, docsError(status, body)
		}
		var created struct {
			Password string `json:"password"`
		}
		err = json.Unmarshal(body, &created)
		return svcaccount.Result{Created: true, Password: created.Password}, err
	}
	return svcaccount.Result{}, docsError(status, body)
}

// docsError is mistake 3: every error body read as {"message": ...}.
func docsError(status int, body []byte) error {
	var e struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &e)
	return fmt.Errorf("quay: %d: %s", status, e.Message)
}

// send is one request through http.DefaultClient.
func send(ctx context.Context, token, method, url, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json") // without it Quay answers 415
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// TestEnsureFromDocsCanned is the canned-JSON test: it passes, and proves
// only that the code agrees with the answers its author wrote down.
func TestEnsureFromDocsCanned(t *testing.T) {
	httpmock.Activate(t)
	users := svcaccount.BaseURL + "/api/v1/superuser/users/"
	httpmock.RegisterResponder("GET", users+"ci-new", httpmock.NewStringResponder(404, `{"message": "Not Found"}`))
	httpmock.RegisterResponder("POST", users, httpmock.NewStringResponder(201,
		`{"username": "ci-new", "email": "ci-new@example.com", "password": "s3cret"}`))
	httpmock.RegisterResponder("GET", users+"ci-old", httpmock.NewStringResponder(200, `{"username": "ci-old", "enabled": false}`))
	httpmock.RegisterResponder("PUT", users+"ci-old", httpmock.NewStringResponder(200, `{"username": "ci-old", "enabled": true}`))
	httpmock.RegisterResponder("GET", users+"ci-locked", httpmock.NewStringResponder(403, `{"message": "insufficient scope"}`))

	tests := []struct {
		user    string
		want    svcaccount.Result
		wantErr string
	}{
		{user: "ci-new", want: svcaccount.Result{Created: true, Password: "s3cret"}},
		{user: "ci-old", want: svcaccount.Result{Reenabled: true}},
		{user: "ci-locked", wantErr: "quay: 403: insufficient scope"},
	}
	for _, tt := range tests {
		got, err := ensureFromDocs(t.Context(), "token", tt.user, tt.user+"@example.com")
		if diff := cmp.Diff(tt.wantErr, errText(err)); diff != "" {
			t.Errorf("%s: error (-want +got):\n%s", tt.user, diff)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: result (-want +got):\n%s", tt.user, diff)
		}
	}
	if diff := cmp.Diff(1, httpmock.GetCallCountInfo()["PUT "+users+"ci-old"]); diff != "" {
		t.Errorf("PUT requests to enable ci-old (-want +got):\n%s", diff)
	}
}

// TestFakequayFindsTheMistakes runs ensureFromDocs against fakequay: the
// same calls, now answered as Quay answers them, with state to check.
func TestFakequayFindsTheMistakes(t *testing.T) {
	tests := []struct {
		name, user, token string
		want              svcaccount.Result
		wantErr           string
		wantAccount       account
	}{{
		// The account was created, yet the code reports a failure and the
		// generated password is lost.
		name: "1. a wrong status", user: "ci-new", token: tokAdmin,
		wantErr:     "quay: 200: ",
		wantAccount: account{Exists: true, Email: "ci-new@example.com", Enabled: true},
	}, {
		// The code reports the account enabled; it is still disabled.
		name: "2. a missing side effect", user: "ci-old", token: tokAdmin,
		want:        svcaccount.Result{Reenabled: true},
		wantAccount: account{Exists: true, Email: "ci-old@example.com", Enabled: false},
	}, {
		// Quay said why (insufficient_scope: Unauthorized); the code lost it.
		name: "3. an error body misread", user: "ci-new", token: tokNoScope,
		wantErr: "quay: 403: ",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fake(t)
			got, err := ensureFromDocs(t.Context(), tt.token, tt.user, tt.user+"@example.com")
			if diff := cmp.Diff(tt.wantErr, errText(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAccount, accountOf(srv, tt.user)); diff != "" {
				t.Errorf("account afterwards (-want +got):\n%s", diff)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
