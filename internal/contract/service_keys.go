package contract

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// keyService returns a service name (^[a-z0-9_]+$) no other case uses:
// creating or deleting a key garbage-collects the stale keys of its service
// (§2.9, §2.12), which must never reach another case's keys.
func (e *env) keyService() string { return strings.ReplaceAll(e.name("svc"), "-", "_") }

// keyRequest is a valid createServiceKey body for a service of its own.
func (e *env) keyRequest() superuser.CreateServiceKeyRequest {
	return superuser.CreateServiceKeyRequest{Service: e.keyService(), Name: e.name("key"), Expiration: new(farFuture())}
}

// farFuture is an expiration no target reaches during a run, even after the
// clock cases' jumps. It is taken from the suite's clock, which may be
// hours off the target's: a year covers that.
func farFuture() time.Time { return time.Now().AddDate(1, 0, 0).Truncate(time.Second) }

// longPast is an expiration in the past on any target.
func longPast() time.Time { return time.Now().AddDate(-1, 0, 0).Truncate(time.Second) }

// createKey creates a service key this run owns and deletes it when t ends.
func (e *env) createKey(t *testing.T, req superuser.CreateServiceKeyRequest) superuser.CreatedServiceKey {
	t.Helper()
	k, _, err := e.su(t).ServiceKeys.Create(t.Context(), req)
	if err != nil {
		t.Fatalf("creating a service key for %s: %v", req.Service, err)
	}
	e.deleteKeyLater(t, k.Kid)
	return k
}

// deleteKeyLater deletes the key kid when t ends; a key already gone is fine.
func (e *env) deleteKeyLater(t *testing.T, kid string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := e.su(t).ServiceKeys.Delete(ctx, kid); err != nil && !isNotFound(err) {
			t.Errorf("deleting service key %s: %v", kid, err)
		}
	})
}

// refusedCreate checks a createServiceKey the target should have refused,
// cleaning up the key if it was created anyway.
func (e *env) refusedCreate(t *testing.T, k superuser.CreatedServiceKey, err error) {
	t.Helper()
	if err == nil && k.Kid != "" {
		e.deleteKeyLater(t, k.Kid)
		t.Fatalf("created key %s, want a refusal", k.Kid)
	}
}

// getKey reads a key the case expects to exist.
func (e *env) getKey(t *testing.T, kid string) superuser.ServiceKey {
	t.Helper()
	k, _, err := e.su(t).ServiceKeys.Get(t.Context(), kid)
	wantNoError(t, "Get "+kid, err)
	return k
}

// listedKey returns the key kid as List shows it, and whether it is listed.
func listedKey(t *testing.T, c *superuser.Client, kid string) (superuser.ServiceKey, bool) {
	t.Helper()
	keys, _, err := c.ServiceKeys.List(t.Context())
	wantNoError(t, "List", err)
	i := slices.IndexFunc(keys, func(k superuser.ServiceKey) bool { return k.Kid == kid })
	if i < 0 {
		return superuser.ServiceKey{}, false
	}
	return keys[i], true
}

// keyExpiringSoon creates a key that expires two minutes after the
// target's now, for the cases that then move the clock past the expiry.
// The target's now is the key's created_date: the suite's clock and the
// target's may be hours apart.
func (e *env) keyExpiringSoon(t *testing.T) (kid string, expires time.Time) {
	t.Helper()
	kid = e.createKey(t, e.keyRequest()).Kid
	expires = e.getKey(t, kid).CreatedDate.Add(2 * time.Minute)
	_, _, err := e.su(t).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{Expiration: &expires})
	wantNoError(t, "Update the expiration", err)
	return kid, expires
}

// rsaPublicKey decodes the SubjectPublicKeyInfo PEM createServiceKey returns.
func rsaPublicKey(t *testing.T, pemText string) *rsa.PublicKey {
	t.Helper()
	block, rest := pem.Decode([]byte(pemText))
	if block == nil || block.Type != "PUBLIC KEY" || len(rest) != 0 {
		t.Fatalf("public_key is not one PEM PUBLIC KEY block: %q", pemText)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatalf("public_key: %v", err)
	}
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("public_key is a %T, want RSA", pub)
	}
	return rsaPub
}

// publicJWK is the JSON Web Key Quay shows for a generated key (§1.9).
func publicJWK(pub *rsa.PublicKey, kid string) map[string]any {
	b64 := base64.RawURLEncoding.EncodeToString
	return map[string]any{"e": b64(big.NewInt(int64(pub.E)).Bytes()), "kid": kid, "kty": "RSA", "n": b64(pub.N.Bytes())}
}

// thumbprint is the RFC 7638 JWK thumbprint of an RSA public key, which
// Quay uses as a generated key's kid.
func thumbprint(pub *rsa.PublicKey) string {
	jwk := publicJWK(pub, "")
	sum := sha256.Sum256([]byte(`{"e":"` + jwk["e"].(string) + `","kty":"RSA","n":"` + jwk["n"].(string) + `"}`))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// wantKeyAsCreated checks got, a key read back, against the request that
// created it and createServiceKey's answer: approved by the caller with
// the request's notes, the caller's metadata plus the three keys Quay adds
// (§2.9), and the public half of the returned key pair.
func wantKeyAsCreated(t *testing.T, e *env, req superuser.CreateServiceKeyRequest, created superuser.CreatedServiceKey, got superuser.ServiceKey) {
	t.Helper()
	if got.Approval == nil || got.Approval.Approver == nil {
		t.Fatalf("approval = %+v, want one by the caller", got.Approval)
	}
	approver := got.Approval.Approver
	if view, _, err := e.su(t).Users.Get(t.Context(), approver.Username); err != nil {
		t.Errorf("the approver %q is not a user: %v", approver.Username, err)
	} else if diff := cmp.Diff(view, *approver); diff != "" {
		t.Errorf("approver is not the user view of %s (-getInstallUser +approver):\n%s", approver.Username, diff)
	}
	if !approver.SuperUser {
		t.Errorf("approver %s is not a superuser", approver.Username)
	}
	if got.Approval.ApprovedDate.Before(got.CreatedDate.Time) || got.CreatedDate.IsZero() {
		t.Errorf("created %v, approved %v", got.CreatedDate, got.Approval.ApprovedDate)
	}
	ip, ok := got.Metadata["ip"]
	if !ok {
		t.Errorf("metadata %v has no ip", got.Metadata)
	}
	metadata := maps.Clone(req.Metadata)
	if metadata == nil {
		metadata = map[string]any{}
	}
	maps.Copy(metadata, map[string]any{"created_by": "Quay Superuser Panel", "creator": approver.Username, "ip": ip})
	var expiration *quay.Timestamp
	if req.Expiration != nil {
		expiration = &quay.Timestamp{Time: req.Expiration.UTC()}
	}
	want := superuser.ServiceKey{
		Approval: &superuser.Approval{ApprovalType: "ServiceKeyApprovalType.SUPERUSER",
			ApprovedDate: got.Approval.ApprovedDate, Approver: approver, Notes: req.Notes},
		CreatedDate:    got.CreatedDate,
		ExpirationDate: expiration,
		JWK:            publicJWK(rsaPublicKey(t, created.PublicKey), created.Kid),
		Kid:            created.Kid,
		Metadata:       metadata,
		Name:           req.Name,
		Service:        req.Service,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("service key (-want +got):\n%s", diff)
	}
}

func serviceKeysCases() []testCase {
	return []testCase{
		{op: "listServiceKeys", name: "§2.8 lists a created key as getServiceKey shows it", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			listed, ok := listedKey(t, e.su(t), kid)
			if !ok {
				t.Fatalf("key %s is not listed", kid)
			}
			if diff := cmp.Diff(e.getKey(t, kid), listed); diff != "" {
				t.Errorf("listed key (-getServiceKey +listServiceKeys):\n%s", diff)
			}
		}},
		{op: "listServiceKeys", name: "§2.8 a read-only superuser may list", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			kid := e.createKey(t, e.keyRequest()).Kid
			if _, ok := listedKey(t, gro, kid); !ok {
				t.Errorf("key %s is not listed for a read-only superuser", kid)
			}
		}},
		{op: "listServiceKeys", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).ServiceKeys.List(t.Context())
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listServiceKeys", name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).ServiceKeys.List(t.Context())
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
		{op: "listServiceKeys", name: "§2.8 a key expired over 7 days ago is left out", needsClock: true, run: func(t *testing.T, e *env) {
			kid, _ := e.keyExpiringSoon(t)
			e.tgt.Clock(t, 24*time.Hour)
			if _, ok := listedKey(t, e.su(t), kid); !ok {
				t.Errorf("key %s, expired a day ago, is not listed", kid)
			}
			e.tgt.Clock(t, 7*24*time.Hour)
			if _, ok := listedKey(t, e.su(t), kid); ok {
				t.Errorf("key %s, expired 8 days ago, is still listed", kid)
			}
		}},

		{op: "getServiceKey", name: "§2.10 200 with the key as created", run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			req.Metadata = map[string]any{"team": "contract", "created_by": "overwritten by Quay"}
			req.Notes = "approved at creation"
			created := e.createKey(t, req)
			wantKeyAsCreated(t, e, req, created, e.getKey(t, created.Kid))
		}},
		{op: "getServiceKey", name: "§2.10 an unapproved key has approval null", run: func(t *testing.T, e *env) {
			kid := e.tgt.Fixtures.UnapprovedServiceKey
			if kid == "" {
				t.Skip("the target names no unapproved service key fixture")
			}
			got := e.getKey(t, kid)
			if got.Kid != kid || got.Approval != nil {
				t.Errorf("key %q approval %+v, want key %q with approval null", got.Kid, got.Approval, kid)
			}
		}},
		{op: "getServiceKey", name: "§2.10 a read-only superuser reads the same key", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			kid := e.createKey(t, e.keyRequest()).Kid
			got, _, err := gro.ServiceKeys.Get(t.Context(), kid)
			wantNoError(t, "Get as GRO", err)
			if diff := cmp.Diff(e.getKey(t, kid), got); diff != "" {
				t.Errorf("(-superuser +read-only superuser):\n%s", diff)
			}
		}},
		{op: "getServiceKey", name: "§2.10 an unknown kid is 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).ServiceKeys.Get(t.Context(), e.name("nokey"))
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "getServiceKey", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			_, _, err := e.client(t, NormalUser).ServiceKeys.Get(t.Context(), kid)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "getServiceKey", name: "§2.10 an expired key shows for 7 days, then 404", needsClock: true, run: func(t *testing.T, e *env) {
			kid, expires := e.keyExpiringSoon(t)
			e.tgt.Clock(t, 24*time.Hour)
			got := e.getKey(t, kid)
			if got.ExpirationDate == nil || !got.ExpirationDate.Equal(expires) {
				t.Errorf("expiration_date = %v, want %v", got.ExpirationDate, expires)
			}
			e.tgt.Clock(t, 7*24*time.Hour)
			_, _, err := e.su(t).ServiceKeys.Get(t.Context(), kid)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},

		{op: "createServiceKey", name: "§2.9 200 with an RSA key pair whose thumbprint is the 43-character kid", run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			created, resp, err := e.su(t).ServiceKeys.Create(t.Context(), req)
			wantNoError(t, "Create", err)
			e.deleteKeyLater(t, created.Kid)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d, want 200 (§4 quirk 2)", resp.StatusCode)
			}
			block, rest := pem.Decode([]byte(created.PrivateKey))
			if block == nil || block.Type != "RSA PRIVATE KEY" || len(rest) != 0 {
				t.Fatalf("private_key is not one PKCS#1 PEM block: %q", created.PrivateKey)
			}
			priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				t.Fatalf("private_key: %v", err)
			}
			pub := rsaPublicKey(t, created.PublicKey)
			if !priv.PublicKey.Equal(pub) || pub.N.BitLen() != 2048 {
				t.Errorf("public_key is not the private key's 2048-bit half (%d bits)", pub.N.BitLen())
			}
			if len(created.Kid) != 43 || created.Kid != thumbprint(pub) {
				t.Errorf("kid %q, want the 43-character RFC 7638 thumbprint %q", created.Kid, thumbprint(pub))
			}
			want := superuser.CreatedServiceKey{Kid: created.Kid, Name: req.Name, PrivateKey: created.PrivateKey,
				PublicKey: created.PublicKey, Service: req.Service}
			if diff := cmp.Diff(want, created); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		}},
		{op: "createServiceKey", name: "§2.9 expiration null: the key never expires", run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			req.Expiration = nil
			created := e.createKey(t, req)
			wantKeyAsCreated(t, e, req, created, e.getKey(t, created.Kid))
		}},
		{op: "createServiceKey", name: "§2.9 a past expiration is a 400", run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			req.Expiration = new(longPast())
			k, _, err := e.su(t).ServiceKeys.Create(t.Context(), req)
			e.refusedCreate(t, k, err)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Expiration date cannot be in the past"})
		}},
		{op: "createServiceKey", name: "§2.9 the expiration key is required (§1.6 schema)", run: func(t *testing.T, e *env) {
			body, err := e.raw(t, Superuser, http.MethodPost, "superuser/keys", map[string]string{"service": e.keyService()})
			if err == nil {
				var k superuser.CreatedServiceKey
				if json.Unmarshal(body, &k) == nil && k.Kid != "" {
					e.deleteKeyLater(t, k.Kid)
				}
				t.Fatalf("created a key without expiration: %s", body)
			}
			qe, ok := asQuayError(err)
			if !ok {
				t.Fatalf("err = %v, want a *quay.Error", err)
			}
			firstLine, _, _ := strings.Cut(qe.Detail, "\n")
			got := apiErr{Status: qe.StatusCode, Type: qe.Type, Detail: firstLine}
			if diff := cmp.Diff(apiErr{400, "invalid_request", "'expiration' is a required property"}, got); diff != "" {
				t.Errorf("schema error, first line of detail (-want +got):\n%s", diff)
			}
		}},
		{op: "createServiceKey", name: "§1.10 an invalid friendly name is a 400", run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			req.Name = "no!bang"
			k, _, err := e.su(t).ServiceKeys.Create(t.Context(), req)
			e.refusedCreate(t, k, err)
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Invalid service key friendly name: no!bang"})
		}},
		{op: "createServiceKey", name: `§1.10 an invalid service name is family B {"message":""}`, run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			req.Service = "Not-A-Service"
			k, _, err := e.su(t).ServiceKeys.Create(t.Context(), req)
			e.refusedCreate(t, k, err)
			wantMessage(t, err, "")
			if qe, ok := asQuayError(err); ok && !bytes.Equal(bytes.TrimSpace(qe.Body), []byte(`{"message":""}`)) {
				t.Errorf("body %q, want {\"message\":\"\"}", qe.Body)
			}
		}},
		{op: "createServiceKey", name: "§1.2 a read-only superuser cannot create", run: func(t *testing.T, e *env) {
			k, _, err := e.client(t, ReadOnlySuperuser).ServiceKeys.Create(t.Context(), e.keyRequest())
			e.refusedCreate(t, k, err)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "createServiceKey", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			k, _, err := e.client(t, NormalUser).ServiceKeys.Create(t.Context(), e.keyRequest())
			e.refusedCreate(t, k, err)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "createServiceKey", name: "§1.1 an anonymous create gets the CSRF 403", run: func(t *testing.T, e *env) {
			k, _, err := e.client(t, Anonymous).ServiceKeys.Create(t.Context(), e.keyRequest())
			e.refusedCreate(t, k, err)
			wantCSRF(t, err)
		}},

		{op: "updateServiceKey", name: "§2.11 metadata is merged, the name replaced, the answer re-read", run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			req.Metadata = map[string]any{"team": "a", "keep": "yes"}
			kid := e.createKey(t, req).Kid
			before := e.getKey(t, kid)
			renamed := e.name("renamed")
			got, _, err := e.su(t).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{
				Name: &renamed, Metadata: map[string]any{"team": "b", "added": 1.0}})
			wantNoError(t, "Update", err)
			want := before
			want.Name = renamed
			want.Metadata = maps.Clone(before.Metadata)
			want.Metadata["team"], want.Metadata["added"] = "b", 1.0
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(got, e.getKey(t, kid)); diff != "" {
				t.Errorf("key read afterwards differs from the answer (-answer +get):\n%s", diff)
			}
		}},
		{op: "updateServiceKey", name: "§2.11 a new expiration, then null to never expire", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			later := farFuture().Add(24 * time.Hour)
			got, _, err := e.su(t).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{Expiration: &later})
			wantNoError(t, "Update the expiration", err)
			if got.ExpirationDate == nil || !got.ExpirationDate.Equal(later) {
				t.Errorf("expiration_date = %v, want %v", got.ExpirationDate, later)
			}
			got, _, err = e.su(t).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{NeverExpire: true})
			wantNoError(t, "Update to never expire", err)
			if got.ExpirationDate != nil {
				t.Errorf("expiration_date = %v, want null", got.ExpirationDate)
			}
		}},
		{op: "updateServiceKey", name: "§2.11 an empty body changes nothing", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			before := e.getKey(t, kid)
			got, _, err := e.su(t).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{})
			wantNoError(t, "Update", err)
			if diff := cmp.Diff(before, got); diff != "" {
				t.Errorf("(-before +after):\n%s", diff)
			}
		}},
		{op: "updateServiceKey", name: "§2.11 a past expiration is a 400 with update's wording", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			_, _, err := e.su(t).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{Expiration: new(longPast())})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Cannot have an expiration date in the past"})
		}},
		{op: "updateServiceKey", name: "§2.11 an invalid name is refused after the new expiration is applied", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			before := e.getKey(t, kid)
			later := farFuture().Add(48 * time.Hour)
			bad := "no!bang"
			_, _, err := e.su(t).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{Name: &bad, Expiration: &later})
			wantAPIError(t, err, quay.ErrBadRequest, apiErr{400, "invalid_request", "Invalid service key friendly name: no!bang"})
			want := before
			want.ExpirationDate = &quay.Timestamp{Time: later.UTC()}
			if diff := cmp.Diff(want, e.getKey(t, kid)); diff != "" {
				t.Errorf("key afterwards (-want +got):\n%s", diff)
			}
		}},
		{op: "updateServiceKey", name: "§2.11 an unknown kid is 404", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).ServiceKeys.Update(t.Context(), e.name("nokey"), superuser.UpdateServiceKeyRequest{})
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "updateServiceKey", name: "§1.2 a read-only superuser cannot update", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			before := e.getKey(t, kid)
			renamed := e.name("gro")
			_, _, err := e.client(t, ReadOnlySuperuser).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{Name: &renamed})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			if diff := cmp.Diff(before, e.getKey(t, kid)); diff != "" {
				t.Errorf("the refused update changed the key (-before +after):\n%s", diff)
			}
		}},
		{op: "updateServiceKey", name: "§1.1 an anonymous update gets the CSRF 403", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			_, _, err := e.client(t, Anonymous).ServiceKeys.Update(t.Context(), kid, superuser.UpdateServiceKeyRequest{NeverExpire: true})
			wantCSRF(t, err)
		}},

		{op: "deleteServiceKey", name: "§2.12 204, then the key is gone", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			resp, err := e.su(t).ServiceKeys.Delete(t.Context(), kid)
			wantNoError(t, "Delete", err)
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("status %d, want 204", resp.StatusCode)
			}
			_, _, err = e.su(t).ServiceKeys.Get(t.Context(), kid)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			_, err = e.su(t).ServiceKeys.Delete(t.Context(), kid)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "deleteServiceKey", name: "§2.12 an unknown kid is 404", run: func(t *testing.T, e *env) {
			_, err := e.su(t).ServiceKeys.Delete(t.Context(), e.name("nokey"))
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "deleteServiceKey", name: "§1.2 a read-only superuser cannot delete", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			_, err := e.client(t, ReadOnlySuperuser).ServiceKeys.Delete(t.Context(), kid)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			e.getKey(t, kid)
		}},
		{op: "deleteServiceKey", name: "§1.1 an anonymous delete gets the CSRF 403", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			_, err := e.client(t, Anonymous).ServiceKeys.Delete(t.Context(), kid)
			wantCSRF(t, err)
			e.getKey(t, kid)
		}},
		{op: "deleteServiceKey", name: "§2.12 a key hidden 7 days after expiry can still be deleted", needsClock: true, run: func(t *testing.T, e *env) {
			kid, _ := e.keyExpiringSoon(t)
			e.tgt.Clock(t, 8*24*time.Hour)
			_, _, err := e.su(t).ServiceKeys.Get(t.Context(), kid)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
			resp, err := e.su(t).ServiceKeys.Delete(t.Context(), kid)
			wantNoError(t, "Delete the hidden key", err)
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("status %d, want 204", resp.StatusCode)
			}
			_, err = e.su(t).ServiceKeys.Delete(t.Context(), kid)
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},

		{op: "approveServiceKey", name: "§2.13 re-approving an approved key answers 201 and changes nothing", run: func(t *testing.T, e *env) {
			req := e.keyRequest()
			req.Notes = "first approval"
			kid := e.createKey(t, req).Kid
			before := e.getKey(t, kid)
			resp, err := e.su(t).ServiceKeys.Approve(t.Context(), kid, superuser.ApproveServiceKeyRequest{Notes: "second approval"})
			wantNoError(t, "Approve", err)
			if resp.StatusCode != http.StatusCreated {
				t.Errorf("status %d, want 201 (§4 quirk 2)", resp.StatusCode)
			}
			if diff := cmp.Diff(before, e.getKey(t, kid)); diff != "" {
				t.Errorf("re-approving changed the key (-before +after):\n%s", diff)
			}
		}},
		{op: "approveServiceKey", name: "§2.13 an unknown kid is 404", run: func(t *testing.T, e *env) {
			_, err := e.su(t).ServiceKeys.Approve(t.Context(), e.name("nokey"), superuser.ApproveServiceKeyRequest{})
			wantAPIError(t, err, quay.ErrNotFound, errNotFound)
		}},
		{op: "approveServiceKey", name: "§1.2 a read-only superuser cannot approve", run: func(t *testing.T, e *env) {
			kid := e.createKey(t, e.keyRequest()).Kid
			_, err := e.client(t, ReadOnlySuperuser).ServiceKeys.Approve(t.Context(), kid, superuser.ApproveServiceKeyRequest{})
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "approveServiceKey", name: "§1.1 an anonymous approve gets the CSRF 403", run: func(t *testing.T, e *env) {
			_, err := e.client(t, Anonymous).ServiceKeys.Approve(t.Context(), e.name("nokey"), superuser.ApproveServiceKeyRequest{})
			wantCSRF(t, err)
		}},
	}
}
