package main

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/examples/internal/exampletest"
	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// created is when the seeded keys were made.
var created = now.Add(-90 * 24 * time.Hour)

// rotationKeys are three keys of service "builder" (one never expiring,
// one expiring within the default grace period, one long after it) and one
// key of another service.
var rotationKeys = []fakequay.SeedServiceKey{
	{Kid: "builder-never", Service: "builder", Created: created, ApprovedBy: "admin"},
	{Kid: "builder-soon", Service: "builder", Created: created, ApprovedBy: "admin", Expiration: new(now.Add(6 * time.Hour))},
	{Kid: "builder-late", Service: "builder", Created: created, ApprovedBy: "admin", Expiration: new(now.Add(30 * 24 * time.Hour))},
	{Kid: "web-key", Service: "web", Created: created, ApprovedBy: "admin"},
}

// seed is a registry with a superuser, a read-only superuser and keys.
// Every key costs an RSA key generation, so tests seed only those they need.
func seed(keys ...fakequay.SeedServiceKey) fakequay.Seed {
	cfg := fakequay.DefaultConfig()
	cfg.SuperUsers = []string{"admin"}
	cfg.GlobalReadonlySuperUsers = []string{"auditor"}
	return fakequay.Seed{
		Config: &cfg,
		Now:    now,
		Users: []fakequay.SeedUser{
			{Username: "admin", Email: "admin@example.com", Tokens: []fakequay.SeedToken{{Token: "admin-token"}}},
			{Username: "auditor", Email: "auditor@example.com", Tokens: []fakequay.SeedToken{{Token: "auditor-token"}}},
		},
		ServiceKeys: keys,
	}
}

// keyState is what these tests check of a stored key.
type keyState struct {
	Service    string
	Expiration *time.Time
	Approver   string
	Notes      string
}

// keysByKid returns srv's keys by kid, with the one key the seed did not
// have under "NEW", and that key.
func keysByKid(srv *fakequay.Server) (map[string]keyState, fakequay.ServiceKey) {
	seeded := map[string]bool{}
	for _, k := range rotationKeys {
		seeded[k.Kid] = true
	}
	out := map[string]keyState{}
	var newKey fakequay.ServiceKey
	for _, k := range srv.ServiceKeys() {
		st := keyState{Service: k.Service, Expiration: k.Expiration}
		if k.Approval != nil {
			st.Approver, st.Notes = k.Approval.Approver, k.Approval.Notes
		}
		kid := k.Kid
		if !seeded[kid] {
			kid, newKey = "NEW", k
		}
		out[kid] = st
	}
	return out, newKey
}

// operations returns the Quay operations srv's journal holds, in order.
func operations(srv *fakequay.Server) []string {
	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
	}
	return ops
}

func TestRun(t *testing.T) {
	t.Parallel()
	unchanged := map[string]keyState{
		"builder-never": {Service: "builder", Approver: "admin"},
		"builder-soon":  {Service: "builder", Approver: "admin", Expiration: new(now.Add(6 * time.Hour))},
		"builder-late":  {Service: "builder", Approver: "admin", Expiration: new(now.Add(30 * 24 * time.Hour))},
		"web-key":       {Service: "web", Approver: "admin"},
	}
	tests := []struct {
		name     string
		args     []string // after -out FILE
		want     string   // stdout, with the new kid as NEW and the key file as FILE
		wantKeys map[string]keyState
		wantOps  []string
	}{{
		name: "default grace",
		args: []string{"-service", "builder", "-notes", "rotated by CI"},
		want: `created key NEW for service builder
wrote its private key to FILE (mode 0600)
key NEW is approved (ServiceKeyApprovalType.SUPERUSER, by admin)
key NEW never expires
old key builder-never now expires at 2026-11-29T12:00:00Z (was never)
old key builder-soon expires at 2026-11-28T18:00:00Z anyway, left as it is
old key builder-late now expires at 2026-11-29T12:00:00Z (was 2026-12-28T12:00:00Z)
`,
		wantKeys: map[string]keyState{
			"NEW":           {Service: "builder", Approver: "admin", Notes: "rotated by CI"},
			"builder-never": {Service: "builder", Approver: "admin", Expiration: new(now.Add(24 * time.Hour))},
			"builder-soon":  unchanged["builder-soon"],
			"builder-late":  {Service: "builder", Approver: "admin", Expiration: new(now.Add(24 * time.Hour))},
			"web-key":       unchanged["web-key"],
		},
		wantOps: []string{"createServiceKey", "getServiceKey", "listServiceKeys", "updateServiceKey", "updateServiceKey"},
	}, {
		name: "short grace, limited lifetime",
		args: []string{"-service", "builder", "-grace", "1h", "-valid-for", "2160h"},
		want: `created key NEW for service builder
wrote its private key to FILE (mode 0600)
key NEW is approved (ServiceKeyApprovalType.SUPERUSER, by admin)
key NEW expires at 2027-02-26T12:00:00Z
old key builder-never now expires at 2026-11-28T13:00:00Z (was never)
old key builder-soon now expires at 2026-11-28T13:00:00Z (was 2026-11-28T18:00:00Z)
old key builder-late now expires at 2026-11-28T13:00:00Z (was 2026-12-28T12:00:00Z)
`,
		wantKeys: map[string]keyState{
			"NEW":           {Service: "builder", Approver: "admin", Expiration: new(now.Add(2160 * time.Hour))},
			"builder-never": {Service: "builder", Approver: "admin", Expiration: new(now.Add(time.Hour))},
			"builder-soon":  {Service: "builder", Approver: "admin", Expiration: new(now.Add(time.Hour))},
			"builder-late":  {Service: "builder", Approver: "admin", Expiration: new(now.Add(time.Hour))},
			"web-key":       unchanged["web-key"],
		},
		wantOps: []string{"createServiceKey", "getServiceKey", "updateServiceKey", "listServiceKeys",
			"updateServiceKey", "updateServiceKey", "updateServiceKey"},
	}, {
		name: "first key of a service",
		args: []string{"-service", "scanner", "-name", "scanner key"},
		want: `created key NEW for service scanner
wrote its private key to FILE (mode 0600)
key NEW is approved (ServiceKeyApprovalType.SUPERUSER, by admin)
key NEW never expires
no other key of service scanner needed a new expiry
`,
		wantKeys: map[string]keyState{
			"NEW":           {Service: "scanner", Approver: "admin"},
			"builder-never": unchanged["builder-never"],
			"builder-soon":  unchanged["builder-soon"],
			"builder-late":  unchanged["builder-late"],
			"web-key":       unchanged["web-key"],
		},
		wantOps: []string{"createServiceKey", "getServiceKey", "listServiceKeys"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed(rotationKeys...)))
			out := filepath.Join(t.TempDir(), "key.pem")

			got := exampletest.Run(t, run, srv, append([]string{"-out", out}, tt.args...)...)
			gotKeys, newKey := keysByKid(srv)
			got.Stdout = strings.NewReplacer(newKey.Kid, "NEW", out, "FILE").Replace(got.Stdout)
			if diff := cmp.Diff(exampletest.Result{Stdout: tt.want}, got); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantKeys, gotKeys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantOps, operations(srv)); diff != "" {
				t.Errorf("operations (-want +got):\n%s", diff)
			}
			checkKeyFile(t, out, newKey)
		})
	}
}

// checkKeyFile fails the test unless path is a 0600 file holding the
// PKCS#1 private key (§2.9) whose public half Quay stored as key.
func checkKeyFile(t *testing.T, path string, key fakequay.ServiceKey) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fs.FileMode(0o600), info.Mode().Perm()); diff != "" {
		t.Errorf("key file mode (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != "RSA PRIVATE KEY" || len(rest) != 0 {
		t.Fatalf("key file is not one RSA PRIVATE KEY PEM block:\n%s", data)
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	stored := base64.RawURLEncoding.EncodeToString(priv.N.Bytes())
	if diff := cmp.Diff(key.JWK.N, stored); diff != "" {
		t.Errorf("saved private key does not belong to the key Quay stored (-want +got):\n%s", diff)
	}
}

// TestRunRefuses: mistakes stop the rotation before any key exists, and a
// key file that was created for a key Quay then refused is removed again.
func TestRunRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		token    string // "" for the superuser's
		args     []string
		existing bool // the -out file exists beforehand
		want     func(srv *fakequay.Server) exampletest.Result
		wantOps  []string
	}{{
		name:     "existing key file",
		args:     []string{"-service", "builder"},
		existing: true,
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "-out: open FILE: file exists"}
		},
	}, {
		// §1.2: a global read-only superuser cannot create keys.
		name:  "read-only superuser",
		token: "auditor-token",
		args:  []string{"-service", "builder"},
		want: func(srv *fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "creating the new key: quay: POST " + srv.URL() + "/api/v1/superuser/keys: 403 Forbidden: insufficient_scope: Unauthorized"}
		},
		wantOps: []string{"createServiceKey"},
	}, {
		name: "invalid friendly name",
		args: []string{"-service", "builder", "-name", "no!"},
		want: func(srv *fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "creating the new key: quay: POST " + srv.URL() + "/api/v1/superuser/keys: 400 Bad Request: invalid_request: Invalid service key friendly name: no!"}
		},
		wantOps: []string{"createServiceKey"},
	}, {
		name: "no service",
		want: func(*fakequay.Server) exampletest.Result { return exampletest.Result{Err: "-service is required"} },
	}, {
		name: "invalid service",
		args: []string{"-service", "Builder"},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: `-service "Builder": Quay accepts only lowercase letters, digits and underscores`}
		},
	}, {
		name: "no grace",
		args: []string{"-service", "builder", "-grace", "0s"},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "-grace 0s: the old keys need at least a second (Quay refuses an expiry in the past)"}
		},
	}, {
		name: "new key outlived by the old ones",
		args: []string{"-service", "builder", "-grace", "48h", "-valid-for", "24h"},
		want: func(*fakequay.Server) exampletest.Result {
			return exampletest.Result{Err: "-valid-for 24h0m0s must be longer than -grace 48h0m0s, or the new key expires before the old ones"}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed(rotationKeys[0])))
			out := filepath.Join(t.TempDir(), "key.pem")
			if tt.existing {
				if err := os.WriteFile(out, []byte("current key"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			env := exampletest.Env(srv)
			if tt.token != "" {
				env = exampletest.EnvWithToken(srv, tt.token)
			}
			got := exampletest.RunEnv(t, run, env, append([]string{"-out", out}, tt.args...)...)
			got.Err = strings.ReplaceAll(got.Err, out, "FILE")
			if diff := cmp.Diff(tt.want(srv), got); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantOps, operations(srv)); diff != "" {
				t.Errorf("operations (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(1, len(srv.ServiceKeys())); diff != "" {
				t.Errorf("number of keys (-want +got):\n%s", diff)
			}
			data, err := os.ReadFile(out)
			switch {
			case tt.existing && !bytes.Equal(data, []byte("current key")):
				t.Errorf("existing key file changed: %q, %v", data, err)
			case !tt.existing && !errors.Is(err, fs.ErrNotExist):
				t.Errorf("key file left behind: %q, %v", data, err)
			}
		})
	}
}

// TestApprove: a key a service registered itself waits for approval
// (§1.9, "approval": null); approve approves it on behalf of the caller
// (§2.13), and leaves approved keys alone.
func TestApprove(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		approvedBy   string
		want         string
		wantApproval *fakequay.ServiceKeyApproval
		wantOps      []string
	}{{
		name:         "pending key",
		want:         "approved key pending\n",
		wantApproval: &fakequay.ServiceKeyApproval{Approver: "admin", Type: "ServiceKeyApprovalType.SUPERUSER", Date: now, Notes: "checked"},
		wantOps:      []string{"getServiceKey", "approveServiceKey"},
	}, {
		name:         "approved key",
		approvedBy:   "auditor",
		want:         "key pending is approved (ServiceKeyApprovalType.SUPERUSER, by auditor)\n",
		wantApproval: &fakequay.ServiceKeyApproval{Approver: "auditor", Type: "ServiceKeyApprovalType.SUPERUSER", Date: now.Add(-time.Hour)},
		wantOps:      []string{"getServiceKey"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakequay.RunT(t, fakequay.WithSeed(seed()))
			if _, _, err := srv.AddServiceKey(fakequay.SeedServiceKey{Kid: "pending", Service: "builder", Created: now.Add(-time.Hour), ApprovedBy: tt.approvedBy}); err != nil {
				t.Fatal(err)
			}
			c, err := quay.NewClient(srv.URL(), quay.WithToken(srv.SuperuserToken()))
			if err != nil {
				t.Fatal(err)
			}
			su := superuser.New(c)
			key, _, err := su.ServiceKeys.Get(t.Context(), "pending")
			if err != nil {
				t.Fatal(err)
			}

			var stdout bytes.Buffer
			if err := (rotation{notes: "checked"}).approve(t.Context(), su, key, &stdout); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, stdout.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			stored, _ := srv.ServiceKey("pending")
			if diff := cmp.Diff(tt.wantApproval, stored.Approval); diff != "" {
				t.Errorf("approval (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantOps, operations(srv)); diff != "" {
				t.Errorf("operations (-want +got):\n%s", diff)
			}
		})
	}
}
