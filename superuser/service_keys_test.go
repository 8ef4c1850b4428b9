package superuser_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// modulus is the 342-character RSA modulus of the testdata keys.
var modulus = "l_DTmqKlI3383A4CxAtv_B2pPiDRqZJPe1TwiQnb" + strings.Repeat("A", 302)

const ciKid = "W_CEAGVZejRxNx51WN5bTTkXDd2h3daCTZUfpdD6iBw"

// ciKey is the key of the §2.8 example.
func ciKey() superuser.ServiceKey {
	return superuser.ServiceKey{
		Approval: &superuser.Approval{
			ApprovalType: "ServiceKeyApprovalType.SUPERUSER",
			ApprovedDate: ts(2025, time.February, 4, 13, 45, 10),
			Approver:     &admin,
			Notes:        "for CI",
		},
		CreatedDate:    ts(2025, time.February, 4, 13, 45, 10),
		ExpirationDate: new(ts(2026, time.February, 4, 0, 0, 0)),
		JWK:            map[string]any{"e": "AQAB", "kid": ciKid, "kty": "RSA", "n": modulus},
		Kid:            ciKid,
		Metadata:       map[string]any{"created_by": "Quay Superuser Panel", "creator": "admin", "ip": "10.0.0.5", "team": "platform"},
		Name:           "ci signing key",
		Service:        "my_service",
	}
}

func TestServiceKeys(t *testing.T) {
	t.Parallel()
	expires := time.Date(2026, time.February, 4, 0, 0, 0, 0, time.UTC)
	updated := ciKey()
	updated.Approval.Approver = nil // the approver was deleted since
	updated.Name = "renamed"
	updated.ExpirationDate = nil
	updated.Metadata["owner"] = "team-b"

	runCalls(t, []call{
		{
			name: "List", method: "GET", path: "/superuser/keys", status: 200, file: "listServiceKeys.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.ServiceKeys.List(ctx)
			},
			want: []superuser.ServiceKey{ciKey()},
		},
		{
			name: "Get unapproved, never expires", method: "GET", path: "/superuser/keys/k1", status: 200, file: "getServiceKey.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.ServiceKeys.Get(ctx, "k1")
			},
			want: superuser.ServiceKey{
				CreatedDate:      ts(2025, time.February, 3, 8, 0, 0),
				JWK:              map[string]any{"e": "AQAB", "kid": "k1", "kty": "RSA", "n": modulus},
				Kid:              "k1",
				Metadata:         map[string]any{},
				RotationDuration: new(int64(86400)),
				Service:          "quay",
			},
		},
		{
			name: "Create with expiry", method: "POST", path: "/superuser/keys",
			body:   `{"service": "my_service", "expiration": 1770163200, "name": "ci signing key", "metadata": {"team": "platform"}, "notes": "for CI"}`,
			status: 200, file: "createServiceKey.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.ServiceKeys.Create(ctx, superuser.CreateServiceKeyRequest{
					Service: "my_service", Expiration: &expires, Name: "ci signing key",
					Metadata: map[string]any{"team": "platform"}, Notes: "for CI",
				})
			},
			want: superuser.CreatedServiceKey{
				Kid: ciKid, Name: "ci signing key", Service: "my_service",
				PrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAl/DTmqKl\n-----END RSA PRIVATE KEY-----\n",
				PublicKey:  "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAl/DTmqKl\n-----END PUBLIC KEY-----\n",
			},
		},
		{
			// §2.9: the expiration key is required; nil must go out as null.
			name: "Create never expiring sends expiration null", method: "POST", path: "/superuser/keys",
			body:   `{"service": "quay", "expiration": null}`,
			status: 200, file: "createServiceKey.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				k, resp, err := su.ServiceKeys.Create(ctx, superuser.CreateServiceKeyRequest{Service: "quay"})
				return k.Kid, resp, err
			},
			want: ciKid,
		},
		{
			name: "Update name, metadata and clear expiry", method: "PUT", path: "/superuser/keys/" + ciKid,
			body:   `{"name": "renamed", "metadata": {"owner": "team-b"}, "expiration": null}`,
			status: 200, file: "updateServiceKey.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				return su.ServiceKeys.Update(ctx, ciKid, superuser.UpdateServiceKeyRequest{
					Name: new("renamed"), Metadata: map[string]any{"owner": "team-b"}, NeverExpire: true,
				})
			},
			want: updated,
		},
		{
			name: "Update expiry only, clear name", method: "PUT", path: "/superuser/keys/" + ciKid,
			body:   `{"name": "", "expiration": 1770163200}`,
			status: 200, file: "updateServiceKey.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				k, resp, err := su.ServiceKeys.Update(ctx, ciKid, superuser.UpdateServiceKeyRequest{Name: new(""), Expiration: &expires})
				return k.Name, resp, err
			},
			want: "renamed",
		},
		{
			name: "Update nothing sends {}", method: "PUT", path: "/superuser/keys/" + ciKid, body: `{}`,
			status: 200, file: "updateServiceKey.json",
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				k, resp, err := su.ServiceKeys.Update(ctx, ciKid, superuser.UpdateServiceKeyRequest{})
				return k.Kid, resp, err
			},
			want: ciKid,
		},
		{
			name: "Delete", method: "DELETE", path: "/superuser/keys/" + ciKid, status: 204,
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				resp, err := su.ServiceKeys.Delete(ctx, ciKid)
				return nil, resp, err
			},
		},
		{
			// §2.13: a JSON body is mandatory, even without notes.
			name: "Approve without notes sends {}", method: "POST", path: "/superuser/approvedkeys/k1", body: `{}`, status: 201,
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				resp, err := su.ServiceKeys.Approve(ctx, "k1", superuser.ApproveServiceKeyRequest{})
				return nil, resp, err
			},
		},
		{
			name: "Approve with notes", method: "POST", path: "/superuser/approvedkeys/k1", body: `{"notes": "ok by ops"}`, status: 201,
			do: func(ctx context.Context, su *superuser.Client) (any, *quay.Response, error) {
				resp, err := su.ServiceKeys.Approve(ctx, "k1", superuser.ApproveServiceKeyRequest{Notes: "ok by ops"})
				return nil, resp, err
			},
		},
	})
}

func TestUpdateServiceKeyRequestConflict(t *testing.T) {
	t.Parallel()
	now := time.Now()
	_, err := json.Marshal(superuser.UpdateServiceKeyRequest{Expiration: &now, NeverExpire: true})
	if err == nil || !strings.Contains(err.Error(), "both Expiration and NeverExpire") {
		t.Errorf("Marshal error = %v, want a conflict error", err)
	}
	su := noRequest(t)
	if _, _, err := su.ServiceKeys.Update(t.Context(), "k1", superuser.UpdateServiceKeyRequest{Expiration: &now, NeverExpire: true}); err == nil {
		t.Error("Update with both Expiration and NeverExpire succeeded, want an error before sending")
	}
}
