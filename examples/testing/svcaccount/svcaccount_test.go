package svcaccount_test

// Every test in this package activates httpmock, which swaps
// http.DefaultTransport for the whole test binary, because the code under
// test sends its requests through http.DefaultClient and cannot be handed
// anything else. So no test here calls t.Parallel(): two tests running at
// once would share, and reset, the same global mock.

import (
	"errors"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"

	"github.com/quaykit/go-quay/examples/testing/svcaccount"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/fakequay/quaymock"
)

const (
	tokAdmin   = "admin-token"   // a superuser's token with every scope
	tokNoScope = "admin-noscope" // the same superuser's token without super:user
)

// seed is the registry the tests start from: only what matters here.
func seed() fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	return fakequay.Seed{
		Config: &cfg,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{
				{Token: tokAdmin}, {Token: tokNoScope, Scopes: []string{"repo:read", "user:read"}}}},
			{Username: "ci-old", Email: "ci-old@example.com", Enabled: new(false)},
			{Username: "ci-live", Email: "ci-live@example.com"},
		},
		Organizations: []fakequay.SeedOrganization{{Name: "ci-org", Email: "ci-org@example.com"}},
	}
}

// fake starts fakequay and makes every request to svcaccount.BaseURL
// through http.DefaultClient reach it, until the test ends.
func fake(t *testing.T, opts ...fakequay.Option) *fakequay.Server {
	t.Helper()
	srv := fakequay.RunT(t, append([]fakequay.Option{fakequay.WithSeed(seed())}, opts...)...)
	httpmock.Activate(t)
	quaymock.Register(nil, svcaccount.BaseURL, srv)
	return srv
}

// account is what the tests check of a user, read through fakequay's Go API.
type account struct {
	Exists  bool
	Email   string
	Enabled bool
}

func accountOf(srv *fakequay.Server, name string) account {
	u, ok := srv.User(name)
	return account{Exists: ok, Email: u.Email, Enabled: u.Enabled}
}

// call is what the tests check of a request in fakequay's journal.
type call struct {
	Method, Path, Operation, Caller string
	Status                          int
}

func journal(srv *fakequay.Server) []call {
	var out []call
	for _, r := range srv.Requests() {
		out = append(out, call{r.Method, r.Path, r.Operation, r.Caller, r.Status})
	}
	return out
}

// generated hides the one value Quay picks at random: a created
// account's password, 32 capitals and digits (superuser.py
// SuperUserList.post).
var generated = regexp.MustCompile(`^[A-Z0-9]{32}$`)

func hidePassword(r svcaccount.Result) svcaccount.Result {
	if generated.MatchString(r.Password) {
		r.Password = "<generated>"
	}
	return r
}

func TestEnsure(t *testing.T) {
	tests := []struct {
		name, user, token string
		want              svcaccount.Result
		wantErr           error
		wantAccount       account
		wantCalls         []call
	}{{
		name: "creates a missing account", user: "ci-new", token: tokAdmin,
		want:        svcaccount.Result{Created: true, Password: "<generated>"},
		wantAccount: account{Exists: true, Email: "ci-new@example.com", Enabled: true},
		wantCalls: []call{
			{"GET", "/api/v1/superuser/users/ci-new", "getInstallUser", "admin", 404},
			{"POST", "/api/v1/superuser/users/", "createInstallUser", "admin", 200},
		},
	}, {
		name: "enables a disabled account", user: "ci-old", token: tokAdmin,
		want:        svcaccount.Result{Reenabled: true},
		wantAccount: account{Exists: true, Email: "ci-old@example.com", Enabled: true},
		wantCalls: []call{
			{"GET", "/api/v1/superuser/users/ci-old", "getInstallUser", "admin", 200},
			{"PUT", "/api/v1/superuser/users/ci-old", "changeInstallUser", "admin", 200},
		},
	}, {
		name: "leaves an enabled account alone", user: "ci-live", token: tokAdmin,
		wantAccount: account{Exists: true, Email: "ci-live@example.com", Enabled: true},
		wantCalls:   []call{{"GET", "/api/v1/superuser/users/ci-live", "getInstallUser", "admin", 200}},
	}, {
		// Quay's require_scope: a superuser's token without super:user
		// gets 403 before anything is looked up.
		name: "refused without the super:user scope", user: "ci-new", token: tokNoScope,
		wantErr: &svcaccount.Error{Method: "GET", Path: "/api/v1/superuser/users/ci-new", Status: 403,
			Type: "insufficient_scope", Message: "Unauthorized"},
		wantCalls: []call{{"GET", "/api/v1/superuser/users/ci-new", "getInstallUser", "admin", 403}},
	}, {
		// getInstallUser finds no organization (get_nonrobot_user), but
		// the name is taken: createInstallUser refuses with a message.
		name: "name taken by an organization", user: "ci-org", token: tokAdmin,
		wantErr: &svcaccount.Error{Method: "POST", Path: "/api/v1/superuser/users/", Status: 400,
			Message: "Username has already been taken by an organization and cannot be reused: ci-org"},
		wantCalls: []call{
			{"GET", "/api/v1/superuser/users/ci-org", "getInstallUser", "admin", 404},
			{"POST", "/api/v1/superuser/users/", "createInstallUser", "admin", 400},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fake(t)

			got, err := svcaccount.Ensure(t.Context(), tt.token, tt.user, tt.user+"@example.com")
			if diff := cmp.Diff(tt.wantErr, asQuayError(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, hidePassword(got)); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAccount, accountOf(srv, tt.user)); diff != "" {
				t.Errorf("account afterwards (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCalls, journal(srv)); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

// asQuayError returns err's *svcaccount.Error, or err itself.
func asQuayError(err error) error {
	var qe *svcaccount.Error
	if errors.As(err, &qe) {
		return qe
	}
	return err
}

// TestEnsureTwice: the second run finds the account and changes nothing.
func TestEnsureTwice(t *testing.T) {
	srv := fake(t)
	if _, err := svcaccount.Ensure(t.Context(), tokAdmin, "ci-new", "ci-new@example.com"); err != nil {
		t.Fatal(err)
	}
	srv.ClearRequests()

	got, err := svcaccount.Ensure(t.Context(), tokAdmin, "ci-new", "ci-new@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(svcaccount.Result{}, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	want := []call{{"GET", "/api/v1/superuser/users/ci-new", "getInstallUser", "admin", 200}}
	if diff := cmp.Diff(want, journal(srv)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestEnsureBehindFailingNginx: the nginx in front of Quay answers 502 with
// an HTML page; the error says so, and no account was made.
func TestEnsureBehindFailingNginx(t *testing.T) {
	srv := fake(t)
	if _, err := srv.InjectFault(fakequay.Fault{Operation: "createInstallUser", Status: 502}); err != nil {
		t.Fatal(err)
	}

	_, err := svcaccount.Ensure(t.Context(), tokAdmin, "ci-new", "ci-new@example.com")
	want := &svcaccount.Error{Method: "POST", Path: "/api/v1/superuser/users/", Status: 502, Message: "Bad Gateway"}
	if diff := cmp.Diff(error(want), asQuayError(err)); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(account{}, accountOf(srv, "ci-new")); diff != "" {
		t.Errorf("account afterwards (-want +got):\n%s", diff)
	}
}
