package superuser_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/internal/apitest"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

var (
	aliceAvatar = superuser.Avatar{Name: "alice", Hash: "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", Color: "#a55194", Kind: "user"}
	adminAvatar = superuser.Avatar{Name: "admin", Hash: "258d8dc916db8cea2cafb6c3cd0cb0246efe061421dbd83ec3a350428cabda4f", Color: "#98df8a", Kind: "user"}
	// alice is the user of the §2.1 example.
	alice = superuser.User{Kind: "user", Name: "alice", Username: "alice", Email: "alice@example.com", Verified: true, Avatar: aliceAvatar, Enabled: true}
	// admin is a superuser's view, as getInstallUser and key approvals show it.
	admin = superuser.User{Kind: "user", Name: "admin", Username: "admin", Email: "admin@example.com", Verified: true, Avatar: adminAvatar, SuperUser: true, Enabled: true}
)

const newbiePassword = "P5OEMZAM5S41VXD5IJMCGN16TXLH4E8Z"
const newbieEncrypted = "ZEVeVgUBAIxrzcQEh6l5XCqFp361GeeDoPzNw2+XWgArqD/goYXzly+iWb+Y/3dGMNXh7WW9+pQLndkAAPztltxc+hMGXifZwYCTJuG7nFk="

func TestUsers(t *testing.T) {
	t.Parallel()
	quotaAlice := alice
	quotaAlice.Quotas = []superuser.QuotaSummary{{ID: 3, LimitBytes: 10737418240, Limits: []superuser.QuotaLimit{{ID: 5, Type: "Warning", LimitPercent: 80}}}}
	quotaAlice.QuotaReport = &superuser.QuotaReport{QuotaBytes: 5242880, ConfiguredQuota: new(int64(10737418240)), RunningBackfill: "complete", BackfillStatus: "complete"}
	bob := superuser.User{
		Kind: "user", Name: "bob", Username: "bob", Email: "bob@example.com", Verified: true,
		Avatar:      superuser.Avatar{Name: "bob", Hash: "5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018", Color: "#9edae5", Kind: "user"},
		Quotas:      []superuser.QuotaSummary{},
		QuotaReport: &superuser.QuotaReport{},
	}
	changed := alice
	changed.Email = "alice@new.example.com"
	changed.EncryptedPassword = "q0Jm3m0cB9T1mN2b1kzJ2Yv6m5N0oWc8T1y3lq2k0d9Q2n7b4Fq1z6xk8s0Lr3Vw5Yy2Ue7Hh9Aa1Bb3Cc5Dd7Ee9Ff1Gg3Hh5Ii7Jj9Kk1Ll3Mm5A="

	runCalls(t, []call{
		{
			name: "List first page", method: "GET", path: "/superuser/users/", query: url.Values{"limit": {"1"}},
			status: 200, file: "listAllUsers.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				users, resp, err := su.Users.List(ctx, &superuser.UserListOptions{Limit: 1})
				if err == nil && resp.NextPage != "gAAAAABrCm1qxtLHXKMPXYA8yyR7M2UDCPT59aQOSinv6xfHlpqEQQmfFRecArH5ihOZNbYlvCWmWKlE984i40Mg13dRR3gK9u2ZoE6l49ILUetvC9wrfZiCvlrGajDErVtZLiC7m_bleWB7df-mbWF-NsPD7CjAZLU2XfF_TF3X-WA0dclTfVI=" {
					t.Errorf("NextPage = %q, want the body's next_page", resp.NextPage)
				}
				return users, resp, err
			},
			want: []superuser.User{alice},
		},
		{
			name: "List with quotas, next page, enabled only", method: "GET", path: "/superuser/users/",
			query:  url.Values{"limit": {"100"}, "next_page": {"tok 1/+"}, "disabled": {"false"}},
			status: 200, file: "listAllUsers-quota.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				users, resp, err := su.Users.List(ctx, &superuser.UserListOptions{Limit: 100, NextPage: "tok 1/+", Disabled: new(false)})
				if err == nil && resp.NextPage != "" {
					t.Errorf("NextPage = %q on the last page, want empty", resp.NextPage)
				}
				return users, resp, err
			},
			want: []superuser.User{quotaAlice, bob},
		},
		{
			name: "List everything (no limit)", method: "GET", path: "/superuser/users/",
			status: 200, file: "listAllUsers.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.List(ctx, nil)
			},
			want: []superuser.User{alice},
		},
		{
			name: "Get", method: "GET", path: "/superuser/users/admin", status: 200, file: "getInstallUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.Get(ctx, "admin")
			},
			want: admin,
		},
		{
			name: "Get escapes the name", method: "GET", path: "/superuser/users/a%2Fb%20c", status: 200, file: "getInstallUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.Get(ctx, "a/b c")
			},
			want: admin,
		},
		{
			name: "Create", method: "POST", path: "/superuser/users/", body: `{"username": "newbie", "email": "newbie@example.com"}`,
			status: 200, file: "createInstallUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.Create(ctx, superuser.CreateUserRequest{Username: "newbie", Email: "newbie@example.com"})
			},
			want: superuser.CreatedUser{Username: "newbie", Email: new("newbie@example.com"), Password: newbiePassword, EncryptedPassword: newbieEncrypted},
		},
		{
			name: "Create without e-mail", method: "POST", path: "/superuser/users/", body: `{"username": "newbie"}`,
			status: 200, file: "createInstallUser-noemail.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.Create(ctx, superuser.CreateUserRequest{Username: "newbie"})
			},
			want: superuser.CreatedUser{Username: "newbie", Password: newbiePassword, EncryptedPassword: newbieEncrypted},
		},
		{
			name: "Update every field", method: "PUT", path: "/superuser/users/alice",
			body:   `{"password": "n3w-passw0rd", "email": "alice@new.example.com", "enabled": false, "superuser": false}`,
			status: 200, file: "changeInstallUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.Update(ctx, "alice", superuser.UpdateUserRequest{
					Password: "n3w-passw0rd", Email: "alice@new.example.com", Enabled: new(false), Superuser: new(false),
				})
			},
			want: changed, // the pre-update snapshot: still Enabled
		},
		{
			name: "Update nothing sends {}", method: "PUT", path: "/superuser/users/alice", body: `{}`,
			status: 200, file: "getInstallUser.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.Update(ctx, "alice", superuser.UpdateUserRequest{})
			},
			want: admin,
		},
		{
			name: "Delete", method: "DELETE", path: "/superuser/users/alice", status: 204,
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				resp, err := su.Users.Delete(ctx, "alice")
				return nil, resp, err
			},
		},
		{
			name: "SendRecoveryEmail", method: "POST", path: "/superusers/users/alice/sendrecovery",
			status: 200, file: "sendInstallUserRecoveryEmail.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.SendRecoveryEmail(ctx, "alice")
			},
			want: "alice@example.com",
		},
		{
			name: "TakeOwnership", method: "POST", path: "/superuser/takeownership/acme",
			status: 200, file: "takeOwnership.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.Users.TakeOwnership(ctx, "acme")
			},
			want: "acme",
		},
	})
}

// pagedUsers serves the users a, b, c ... in pages of limit, with tokens "p<n>".
func pagedUsers(t *testing.T, names []string, serve func(w http.ResponseWriter, r *http.Request, start int) bool) *superuser.Client {
	t.Helper()
	c, mux := apitest.Setup(t)
	mux.HandleFunc("GET /superuser/users/", func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		start := 0
		if tok := r.URL.Query().Get("next_page"); tok != "" {
			start, _ = strconv.Atoi(tok[1:])
		}
		if serve != nil && !serve(w, r, start) {
			return
		}
		body := `{"users": [`
		for i := start; i < min(start+limit, len(names)); i++ {
			if i > start {
				body += ", "
			}
			body += `{"kind": "user", "name": "` + names[i] + `", "username": "` + names[i] + `"}`
		}
		body += `]`
		if start+limit < len(names) {
			body += `, "next_page": "p` + strconv.Itoa(start+limit) + `"`
		}
		apitest.WriteJSON(w, http.StatusOK, []byte(body+"}\n"))
	})
	return superuser.New(c)
}

func usernames(t *testing.T, seq func(func(superuser.User, error) bool)) ([]string, error) {
	t.Helper()
	var names []string
	for u, err := range seq {
		if err != nil {
			return names, err
		}
		names = append(names, u.Username)
	}
	return names, nil
}

func TestUsersAll(t *testing.T) {
	t.Parallel()
	names := []string{"a", "b", "c", "d", "e"}
	var limits []string
	su := pagedUsers(t, names, func(w http.ResponseWriter, r *http.Request, start int) bool {
		limits = append(limits, r.URL.Query().Get("limit")+"/"+r.URL.Query().Get("disabled"))
		return true
	})
	opts := &superuser.UserListOptions{Limit: 2, Disabled: new(true)}
	before := *opts
	got, err := usernames(t, su.Users.All(t.Context(), opts))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(names, got); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"2/true", "2/true", "2/true"}, limits); diff != "" {
		t.Errorf("limit/disabled per request (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, *opts); diff != "" || !*opts.Disabled {
		t.Errorf("All changed the caller's options (-before +after):\n%s", diff)
	}
}

func TestUsersAllDefaultsLimitTo100(t *testing.T) {
	t.Parallel()
	var limit string
	su := pagedUsers(t, []string{"a"}, func(w http.ResponseWriter, r *http.Request, start int) bool {
		limit = r.URL.Query().Get("limit")
		return true
	})
	opts := &superuser.UserListOptions{}
	if _, err := usernames(t, su.Users.All(t.Context(), opts)); err != nil {
		t.Fatal(err)
	}
	if limit != "100" || opts.Limit != 0 {
		t.Errorf("limit sent %q, caller's Limit now %d; want 100 sent and 0 kept", limit, opts.Limit)
	}
}

func TestUsersAllErrorCarriesResumeToken(t *testing.T) {
	t.Parallel()
	fail := true
	su := pagedUsers(t, []string{"a", "b", "c", "d"}, func(w http.ResponseWriter, r *http.Request, start int) bool {
		if start == 2 && fail {
			w.WriteHeader(http.StatusInternalServerError)
			return false
		}
		return true
	})
	got, err := usernames(t, su.Users.All(t.Context(), &superuser.UserListOptions{Limit: 2}))
	var pe *quay.PageError
	if !errors.As(err, &pe) || pe.NextPage != "p2" || !errors.Is(err, quay.ErrServer) {
		t.Fatalf("error = %v, want a PageError at p2 wrapping the 500", err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, got); diff != "" {
		t.Errorf("users before the error (-want +got):\n%s", diff)
	}
	fail = false
	rest, err := usernames(t, su.Users.All(t.Context(), &superuser.UserListOptions{Limit: 2, NextPage: pe.NextPage}))
	if err != nil || !cmp.Equal([]string{"c", "d"}, rest) {
		t.Errorf("resumed walk = %v, %v; want [c d]", rest, err)
	}
}

func TestUsersAllRefusesRepeatedToken(t *testing.T) {
	t.Parallel()
	var hits int
	c, mux := apitest.Setup(t)
	mux.HandleFunc("GET /superuser/users/", func(w http.ResponseWriter, r *http.Request) {
		hits++
		apitest.WriteJSON(w, http.StatusOK, []byte(`{"users": [{"username": "a"}], "next_page": "same"}`))
	})
	su := superuser.New(c)
	_, err := usernames(t, su.Users.All(t.Context(), nil))
	if !errors.Is(err, quay.ErrRepeatedPageToken) {
		t.Errorf("error = %v, want ErrRepeatedPageToken", err)
	}
	if hits != 2 {
		t.Errorf("server hit %d times, want 2", hits)
	}
}

func TestUsersLimitValidatedBeforeSending(t *testing.T) {
	t.Parallel()
	su := noRequest(t)
	for _, limit := range []int{-1, 101, 1000} {
		if _, _, err := su.Users.List(t.Context(), &superuser.UserListOptions{Limit: limit}); !errors.Is(err, quay.ErrInvalidLimit) {
			t.Errorf("List(Limit: %d) error = %v, want ErrInvalidLimit", limit, err)
		}
		_, err := usernames(t, su.Users.All(t.Context(), &superuser.UserListOptions{Limit: limit}))
		if !errors.Is(err, quay.ErrInvalidLimit) {
			t.Errorf("All(Limit: %d) error = %v, want ErrInvalidLimit", limit, err)
		}
	}
}

// TestEmptyPathArguments: an empty name would turn a call on one object into
// a call on its collection; every method refuses it before sending.
func TestEmptyPathArguments(t *testing.T) {
	t.Parallel()
	su := noRequest(t)
	ctx := t.Context()
	calls := map[string]func() error{
		"Users.Get":               func() error { _, _, err := su.Users.Get(ctx, ""); return err },
		"Users.Update":            func() error { _, _, err := su.Users.Update(ctx, "", superuser.UpdateUserRequest{}); return err },
		"Users.Delete":            func() error { _, err := su.Users.Delete(ctx, ""); return err },
		"Users.SendRecoveryEmail": func() error { _, _, err := su.Users.SendRecoveryEmail(ctx, ""); return err },
		"Users.TakeOwnership":     func() error { _, _, err := su.Users.TakeOwnership(ctx, ""); return err },
		"Organizations.Update": func() error {
			_, _, err := su.Organizations.Update(ctx, "", superuser.UpdateOrganizationRequest{})
			return err
		},
		"Organizations.Delete": func() error { _, err := su.Organizations.Delete(ctx, ""); return err },
		"ServiceKeys.Get":      func() error { _, _, err := su.ServiceKeys.Get(ctx, ""); return err },
		"ServiceKeys.Update": func() error {
			_, _, err := su.ServiceKeys.Update(ctx, "", superuser.UpdateServiceKeyRequest{})
			return err
		},
		"ServiceKeys.Delete": func() error { _, err := su.ServiceKeys.Delete(ctx, ""); return err },
		"ServiceKeys.Approve": func() error {
			_, err := su.ServiceKeys.Approve(ctx, "", superuser.ApproveServiceKeyRequest{})
			return err
		},
		"Quotas.List":               func() error { _, _, err := su.Quotas.List(ctx, superuser.UserNamespace("")); return err },
		"Quotas.List zero":          func() error { _, _, err := su.Quotas.List(ctx, superuser.Namespace{}); return err },
		"Quotas.Delete":             func() error { _, err := su.Quotas.Delete(ctx, superuser.OrgNamespace(""), 1); return err },
		"Builds.Get":                func() error { _, _, err := su.Builds.Get(ctx, ""); return err },
		"Builds.Status":             func() error { _, _, err := su.Builds.Status(ctx, ""); return err },
		"Builds.Logs":               func() error { _, _, err := su.Builds.Logs(ctx, "", nil); return err },
		"Builds.ArchivedLogs":       func() error { _, _, err := su.Builds.ArchivedLogs(ctx, ""); return err },
		"Messages.Delete":           func() error { _, err := su.Messages.Delete(ctx, ""); return err },
		"Users.Get dot-dot segment": func() error { _, _, err := su.Users.Get(ctx, ".."); return err },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s with an empty argument succeeded, want an error", name)
		}
	}
}
