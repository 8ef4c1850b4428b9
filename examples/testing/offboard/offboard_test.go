package offboard_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/examples/testing/offboard"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// seed is the registry the tests start from. Only what matters to the code
// under test is set; fakequay fills in the rest as Quay would.
func seed() fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin", "root"}
	return fakequay.Seed{
		Config: &cfg,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: "admin-token"}}},
			{Username: "alice", Email: "alice@leaver.io"},
			{Username: "bob", Email: "Bob@LEAVER.IO"},
			{Username: "carol", Email: "carol@sub.leaver.io"},
			{Username: "dave", Email: "dave@leaver.io", Enabled: new(false)},
			{Username: "erin", Email: "erin@example.com"},
			{Username: "root", Email: "root@leaver.io"},
		},
	}
}

// client returns a superuser client for srv. The in-memory variant needs
// no socket at all; both talk to the same server.
func client(t *testing.T, srv *fakequay.Server, inMemory bool) *superuser.Client {
	t.Helper()
	opts := []quay.Option{quay.WithToken(srv.SuperuserToken())}
	if inMemory {
		opts = append(opts, quay.WithHTTPClient(srv.HTTPClient()))
	}
	c, err := quay.NewClient(srv.URL(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return superuser.New(c)
}

// enabled reports, through fakequay's Go API, which of the named users are enabled.
func enabled(t *testing.T, srv *fakequay.Server, names ...string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, name := range names {
		u, ok := srv.User(name)
		if !ok {
			t.Fatalf("user %s does not exist", name)
		}
		out[name] = u.Enabled
	}
	return out
}

// call is what these tests check of a request in fakequay's journal.
type call struct {
	Method, Path, Caller string
	Status               int
}

// writes returns the journal's requests that were not reads.
func writes(srv *fakequay.Server) []call {
	var out []call
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, call{Method: r.Method, Path: r.Path, Caller: r.Caller, Status: r.Status})
		}
	}
	return out
}

var everyone = []string{"admin", "alice", "bob", "carol", "dave", "erin", "root"}

func TestDisableDomain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		domain      string
		want        offboard.Result
		wantEnabled map[string]bool
		wantWrites  []call
	}{{
		// Case does not matter, subdomains do not match, disabled users
		// are left alone, superusers are reported, not changed.
		name:   "leaver.io",
		domain: "leaver.io",
		want:   offboard.Result{Disabled: []string{"alice", "bob"}, Superusers: []string{"root"}},
		wantEnabled: map[string]bool{"admin": true, "alice": false, "bob": false, "carol": true,
			"dave": false, "erin": true, "root": true},
		wantWrites: []call{
			{Method: "PUT", Path: "/api/v1/superuser/users/alice", Caller: "admin", Status: 200},
			{Method: "PUT", Path: "/api/v1/superuser/users/bob", Caller: "admin", Status: 200},
		},
	}, {
		name:   "nobody at the domain",
		domain: "elsewhere.org",
		want:   offboard.Result{},
		wantEnabled: map[string]bool{"admin": true, "alice": true, "bob": true, "carol": true,
			"dave": false, "erin": true, "root": true},
	}}
	for _, tt := range tests {
		for _, inMemory := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/in-memory=%v", tt.name, inMemory), func(t *testing.T) {
				t.Parallel()
				srv := fakequay.RunT(t, fakequay.WithSeed(seed()))

				got, err := offboard.DisableDomain(t.Context(), client(t, srv, inMemory), tt.domain)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantEnabled, enabled(t, srv, everyone...)); diff != "" {
					t.Errorf("enabled users (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantWrites, writes(srv)); diff != "" {
					t.Errorf("write requests (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestDisableDomainTwice: a second run finds nothing left to do.
func TestDisableDomainTwice(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
	su := client(t, srv, false)
	if _, err := offboard.DisableDomain(t.Context(), su, "leaver.io"); err != nil {
		t.Fatal(err)
	}
	srv.ClearRequests()

	got, err := offboard.DisableDomain(t.Context(), su, "leaver.io")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(offboard.Result{Superusers: []string{"root"}}, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]call(nil), writes(srv)); diff != "" {
		t.Errorf("write requests (-want +got):\n%s", diff)
	}
}

// TestDisableDomainFailure: fakequay can make one operation fail the way
// a Quay deployment fails; the code reports what it did before.
func TestDisableDomainFailure(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
	// The second changeInstallUser gets gunicorn's 500 (not retried).
	if _, err := srv.InjectFault(fakequay.Fault{Operation: "changeInstallUser", Status: 500, After: 1}); err != nil {
		t.Fatal(err)
	}

	got, err := offboard.DisableDomain(t.Context(), client(t, srv, false), "leaver.io")
	if !errors.Is(err, quay.ErrServer) {
		t.Errorf("error = %v, want one matching quay.ErrServer", err)
	}
	if diff := cmp.Diff(offboard.Result{Disabled: []string{"alice"}, Superusers: []string{"root"}}, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]bool{"alice": false, "bob": true}, enabled(t, srv, "alice", "bob")); diff != "" {
		t.Errorf("enabled users (-want +got):\n%s", diff)
	}
}

// TestDisableDomainManyUsers: the user list is read page by page (100 users
// each, §1.8), and every matching user is found.
func TestDisableDomainManyUsers(t *testing.T) {
	t.Parallel()
	srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
	want := offboard.Result{Disabled: []string{"alice", "bob"}, Superusers: []string{"root"}}
	for i := range 250 {
		name := fmt.Sprintf("temp%03d", i)
		domain := "example.com"
		if i%2 == 0 {
			domain = "leaver.io"
			want.Disabled = append(want.Disabled, name)
		}
		if err := srv.AddUser(fakequay.SeedUser{Username: name, Email: name + "@" + domain}); err != nil {
			t.Fatal(err)
		}
	}

	got, err := offboard.DisableDomain(t.Context(), client(t, srv, true), "leaver.io")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	requests := map[string]int{}
	for _, r := range srv.Requests() {
		requests[r.Operation]++
	}
	if diff := cmp.Diff(map[string]int{"listAllUsers": 3, "changeInstallUser": len(want.Disabled)}, requests); diff != "" {
		t.Errorf("requests per operation (-want +got):\n%s", diff)
	}
}

// TestDisableDomainRefusesNonDomain: an argument that is not a domain is
// refused before any request is made.
func TestDisableDomainRefusesNonDomain(t *testing.T) {
	t.Parallel()
	for _, domain := range []string{"", "alice@leaver.io"} {
		t.Run(domain, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
			_, err := offboard.DisableDomain(t.Context(), client(t, srv, true), domain)
			want := fmt.Sprintf("offboard: %q is not an e-mail domain", domain)
			if diff := cmp.Diff(want, fmt.Sprint(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]fakequay.Request(nil), srv.Requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}
