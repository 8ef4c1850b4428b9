package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantCode   int
		wantStderr string
	}{
		{name: "success", err: nil, wantCode: 0},
		{name: "help", err: flag.ErrHelp, wantCode: 0},
		{name: "usage", err: Usagef("want one file, got %d", 2), wantCode: 2, wantStderr: "prog: want one file, got 2\n"},
		{name: "bad flag, already printed", err: &UsageError{err: errors.New("flag provided but not defined: -x"), printed: true}, wantCode: 2},
		{name: "failure", err: errors.New("3 of 5 rows failed"), wantCode: 1, wantStderr: "prog: 3 of 5 rows failed\n"},
		{name: "wrapped usage", err: fmt.Errorf("parsing: %w", Usagef("bad day")), wantCode: 2, wantStderr: "prog: parsing: bad day\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			code := exitCode("prog", tt.err, &stderr)
			if diff := cmp.Diff([]any{tt.wantCode, tt.wantStderr}, []any{code, stderr.String()}); diff != "" {
				t.Errorf("exit code and stderr (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string
		wantErr   string
		wantUsage bool // the error is a *UsageError
		wantHelp  bool // the error is flag.ErrHelp
	}{
		{name: "ok", args: []string{"-n", "3"}},
		{name: "unknown flag", args: []string{"-x"}, wantErr: "flag provided but not defined: -x", wantUsage: true},
		{name: "bad value", args: []string{"-n", "three"}, wantErr: `invalid value "three" for flag -n: parse error`, wantUsage: true},
		{name: "help", args: []string{"-h"}, wantErr: "flag: help requested", wantHelp: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := NewFlagSet("prog", "prog [-n N]", io.Discard)
			fs.Int("n", 0, "a number")
			err := Parse(fs, tt.args)
			var usage *UsageError
			got := []any{errorText(err), errors.As(err, &usage), errors.Is(err, flag.ErrHelp)}
			want := []any{tt.wantErr, tt.wantUsage, tt.wantHelp}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error, usage, help (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewFlagSetUsage(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	fs := NewFlagSet("prog", "prog [-n N] FILE", &stderr)
	fs.Int("n", 0, "a `number`")
	fs.Usage()
	want := `usage: prog [-n N] FILE

Environment: QUAY_URL (registry root URL), QUAY_TOKEN (superuser OAuth token).

Flags:
  -n number
    	a number
`
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
}

func TestNewClient(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t)
	tests := []struct {
		name     string
		env      map[string]string
		wantUser string
		wantErr  string
	}{{
		name:     "both set",
		env:      map[string]string{EnvURL: srv.URL(), EnvToken: srv.SuperuserToken()},
		wantUser: "admin",
	}, {
		name:    "no token",
		env:     map[string]string{EnvURL: srv.URL()},
		wantErr: "set QUAY_URL (the registry's root URL) and QUAY_TOKEN (a superuser OAuth token)",
	}, {
		name:    "no URL",
		env:     map[string]string{EnvToken: "t"},
		wantErr: "set QUAY_URL (the registry's root URL) and QUAY_TOKEN (a superuser OAuth token)",
	}, {
		name:    "API URL instead of the root",
		env:     map[string]string{EnvURL: srv.URL() + "/api/v1", EnvToken: "t"},
		wantErr: "QUAY_URL: " + apiSuffixError(srv.URL()+"/api/v1"),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			su, err := NewClient(func(k string) string { return tt.env[k] }, "test")
			if diff := cmp.Diff(tt.wantErr, errorText(err)); diff != "" {
				t.Fatalf("error (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			// The client reaches the server as its superuser.
			u, _, err := su.Users.Get(t.Context(), "admin")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantUser, u.Username); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
		})
	}
}

// apiSuffixError is quay.NewClient's own error for url, so that this test
// checks only that NewClient names the variable.
func apiSuffixError(url string) string {
	_, err := quay.NewClient(url)
	return err.Error()
}

func TestCount(t *testing.T) {
	t.Parallel()
	got := []string{Count(0, "entry", "entries"), Count(1, "entry", "entries"), Count(2, "row", "rows")}
	if diff := cmp.Diff([]string{"0 entries", "1 entry", "2 rows"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestQuayMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "message family", err: &quay.Error{StatusCode: 400, Message: "Invalid email address: None"}, want: "Invalid email address: None"},
		{name: "ApiError family", err: fmt.Errorf("ctx: %w", &quay.Error{StatusCode: 400, Type: "invalid_request", Detail: "Cannot update a superuser"}), want: "Cannot update a superuser"},
		{name: "empty message", err: &quay.Error{StatusCode: 400, Method: "POST", URL: "https://q/api/v1/superuser/keys"}, want: "quay: POST https://q/api/v1/superuser/keys: 400 Bad Request: empty body"},
		{name: "not from Quay", err: context.Canceled, want: "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, QuayMessage(tt.err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// errorText is err's message, "" for nil.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
