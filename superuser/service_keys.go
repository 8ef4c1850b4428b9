package superuser

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/quaykit/go-quay/quay"
)

// ServiceKeysService manages the keys Quay's services (and others) sign
// their JWTs with.
type ServiceKeysService service

// ServiceKey is a service key as Quay shows it (reference §1.9). Its dates
// come in HTTP-date form; quay.Timestamp reads it.
type ServiceKey struct {
	Approval *Approval `json:"approval"` // nil while the key awaits approval
	// CreatedDate is when the key was created.
	CreatedDate quay.Timestamp `json:"created_date"`
	// ExpirationDate is nil for a key that never expires.
	ExpirationDate *quay.Timestamp `json:"expiration_date"`
	// JWK is the public key as a JSON Web Key, e.g. {"e", "kid", "kty": "RSA", "n"}.
	JWK map[string]any `json:"jwk"`
	// Kid is the key id; for keys Quay generated, the RFC 7638 JWK thumbprint.
	Kid      string         `json:"kid"`
	Metadata map[string]any `json:"metadata"`
	Name     string         `json:"name"`
	// RotationDuration is the rotation period in seconds; nil when the key is not rotated.
	RotationDuration *int64 `json:"rotation_duration"`
	Service          string `json:"service"`
}

// Approval records who approved a service key, and how.
type Approval struct {
	// ApprovalType is the literal "ServiceKeyApprovalType.SUPERUSER",
	// "ServiceKeyApprovalType.KEY_ROTATION" or "ServiceKeyApprovalType.AUTOMATIC".
	ApprovalType string         `json:"approval_type"`
	ApprovedDate quay.Timestamp `json:"approved_date"`
	// Approver is nil when the approving user has since been deleted.
	Approver *User  `json:"approver"`
	Notes    string `json:"notes"`
}

// CreatedServiceKey is Quay's answer to Create: the new key with its private
// half, which Quay does not keep and will never show again.
type CreatedServiceKey struct {
	Kid        string `json:"kid"`
	Name       string `json:"name"`
	PrivateKey string `json:"private_key"` // PKCS#1 PEM ("RSA PRIVATE KEY")
	PublicKey  string `json:"public_key"`  // SubjectPublicKeyInfo PEM ("PUBLIC KEY")
	Service    string `json:"service"`
}

// CreateServiceKeyRequest is the body of Create.
type CreateServiceKeyRequest struct {
	// Service names the service the key is for: lowercase letters, digits
	// and underscores. Required.
	Service string
	// Expiration is when the key expires, at whole seconds; nil means
	// never. Quay requires the field, so nil is sent as null.
	Expiration *time.Time
	// Name is a friendly name: letters, digits, spaces and -_:/.
	Name string
	// Metadata is stored with the key; Quay adds created_by, creator and ip.
	Metadata map[string]any
	// Notes are stored with the automatic approval.
	Notes string
}

// MarshalJSON writes the request the way Quay's schema wants it: expiration
// as Unix seconds or null (the key itself is required), the rest only when set.
func (r CreateServiceKeyRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Service    string         `json:"service"`
		Expiration *int64         `json:"expiration"`
		Name       string         `json:"name,omitempty"`
		Metadata   map[string]any `json:"metadata,omitempty"`
		Notes      string         `json:"notes,omitempty"`
	}{r.Service, unixSeconds(r.Expiration), r.Name, r.Metadata, r.Notes})
}

// UpdateServiceKeyRequest is the body of Update. Zero fields are left out and
// leave the key unchanged.
type UpdateServiceKeyRequest struct {
	// Name renames the key; a pointer to "" clears the name.
	Name *string
	// Metadata is merged into the key's metadata (keys not named stay).
	Metadata map[string]any
	// Expiration sets a new expiry, at whole seconds; it must be in the future.
	Expiration *time.Time
	// NeverExpire removes the expiry (sends "expiration": null). It cannot
	// be combined with Expiration.
	NeverExpire bool
}

// MarshalJSON writes the request the way Quay's schema wants it, with
// expiration as Unix seconds, null (NeverExpire) or absent.
func (r UpdateServiceKeyRequest) MarshalJSON() ([]byte, error) {
	if r.NeverExpire && r.Expiration != nil {
		return nil, errors.New("superuser: UpdateServiceKeyRequest sets both Expiration and NeverExpire")
	}
	fields := map[string]any{}
	if r.Name != nil {
		fields["name"] = *r.Name
	}
	if r.Metadata != nil {
		fields["metadata"] = r.Metadata
	}
	switch {
	case r.NeverExpire:
		fields["expiration"] = nil
	case r.Expiration != nil:
		fields["expiration"] = r.Expiration.Unix()
	}
	return json.Marshal(fields)
}

// ApproveServiceKeyRequest is the body of Approve.
type ApproveServiceKeyRequest struct {
	Notes string `json:"notes,omitempty"`
}

// unixSeconds converts an optional time to optional Unix seconds.
func unixSeconds(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	return new(t.Unix())
}

// serviceKeyList is the body of listServiceKeys.
type serviceKeyList struct {
	Keys []ServiceKey `json:"keys"`
}

// List returns every service key, approved or not.
//
// Keys that expired more than 7 days ago (EXPIRED_SERVICE_KEY_TTL_SEC) are
// left out although they still exist. Order is unspecified.
//
// Quay operation: listServiceKeys (GET /api/v1/superuser/keys)
func (s *ServiceKeysService) List(ctx context.Context) ([]ServiceKey, *quay.Response, error) {
	var out serviceKeyList
	resp, err := send(ctx, s.client, http.MethodGet, "superuser/keys", nil, &out)
	return out.Keys, resp, err
}

// Get returns the service key with id kid.
//
// Quay answers 404 for an unknown key and for one that expired more than 7 days ago.
//
// Quay operation: getServiceKey (GET /api/v1/superuser/keys/{kid})
func (s *ServiceKeysService) Get(ctx context.Context, kid string) (ServiceKey, *quay.Response, error) {
	path, err := pathf("superuser/keys/%s", kid)
	if err != nil {
		return ServiceKey{}, nil, err
	}
	var k ServiceKey
	resp, err := send(ctx, s.client, http.MethodGet, path, nil, &k)
	return k, resp, err
}

// Create generates a 2048-bit RSA service key, approves it and returns it with its private key.
//
// Quay answers 200 (not 201). It keeps only the public key, so the answer is
// the only chance to read PrivateKey. An Expiration not in the future is
// refused with 400 "Expiration date cannot be in the past".
//
// Quay operation: createServiceKey (POST /api/v1/superuser/keys)
func (s *ServiceKeysService) Create(ctx context.Context, body CreateServiceKeyRequest) (CreatedServiceKey, *quay.Response, error) {
	var k CreatedServiceKey
	resp, err := send(ctx, s.client, http.MethodPost, "superuser/keys", body, &k)
	return k, resp, err
}

// Update changes a service key's name, metadata or expiry and returns the key as it now is.
//
// The expiry is applied first, so a rejected name still leaves a new expiry
// in place. An expiry not in the future is refused with 400 "Cannot have an
// expiration date in the past".
//
// Quay operation: updateServiceKey (PUT /api/v1/superuser/keys/{kid})
func (s *ServiceKeysService) Update(ctx context.Context, kid string, body UpdateServiceKeyRequest) (ServiceKey, *quay.Response, error) {
	path, err := pathf("superuser/keys/%s", kid)
	if err != nil {
		return ServiceKey{}, nil, err
	}
	var k ServiceKey
	resp, err := send(ctx, s.client, http.MethodPut, path, body, &k)
	return k, resp, err
}

// Delete deletes a service key, even one too long expired for List and Get to show.
//
// Quay operation: deleteServiceKey (DELETE /api/v1/superuser/keys/{kid})
func (s *ServiceKeysService) Delete(ctx context.Context, kid string) (*quay.Response, error) {
	path, err := pathf("superuser/keys/%s", kid)
	if err != nil {
		return nil, err
	}
	return send(ctx, s.client, http.MethodDelete, path, nil, nil)
}

// Approve approves a service key on behalf of the calling superuser.
//
// Quay answers 201 with an empty body, also when the key was already
// approved (then nothing changes). It requires a JSON body, so one is always
// sent ({} without notes).
//
// Quay operation: approveServiceKey (POST /api/v1/superuser/approvedkeys/{kid})
func (s *ServiceKeysService) Approve(ctx context.Context, kid string, body ApproveServiceKeyRequest) (*quay.Response, error) {
	path, err := pathf("superuser/approvedkeys/%s", kid)
	if err != nil {
		return nil, err
	}
	return send(ctx, s.client, http.MethodPost, path, body, nil)
}
