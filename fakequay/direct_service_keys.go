package fakequay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The direct API for service keys (see direct.go).

// ServiceKey is a service key as the server stores it: the public half only,
// as in Quay.
type ServiceKey struct {
	Kid     string
	Name    string
	Service string
	// JWK is the public key Quay shows as "jwk".
	JWK ServiceKeyJWK
	// Metadata is the key's JSON metadata object, keys sorted.
	Metadata         json.RawMessage
	Created          time.Time
	Expiration       *time.Time // nil: never expires
	RotationDuration *int64
	Approval         *ServiceKeyApproval // nil: unapproved
}

// ServiceKeyJWK is a public RSA JSON Web Key.
type ServiceKeyJWK struct {
	Kty string // "RSA"
	E   string // base64url exponent, "AQAB"
	N   string // base64url modulus
	Kid string
}

// ServiceKeyApproval is the approval of a service key.
type ServiceKeyApproval struct {
	// Approver is the approving user's current name; empty once that user
	// was deleted (Quay then shows "approver": null).
	Approver string
	// Type is Quay's stored approval type, e.g.
	// "ServiceKeyApprovalType.SUPERUSER".
	Type  string
	Date  time.Time
	Notes string
}

// AddServiceKey stores a service key described as a seed file's
// service_keys entry, with a freshly generated 2048-bit RSA key pair. It
// returns the stored key and the private key as PKCS#1 PEM, which, as in
// Quay, the server does not keep (empty when k.JWK gives the public key).
// No audit log is written.
func (s *Server) AddServiceKey(k SeedServiceKey) (key ServiceKey, privatePEM string, err error) {
	// Generate before taking the store's write lock: a key may take tens
	// of milliseconds when the pool is empty.
	pair, err := s.seedKeyPair(k)
	if err != nil {
		return ServiceKey{}, "", fmt.Errorf("fakequay: AddServiceKey: %w", err)
	}
	var stored *store.ServiceKey
	err = s.store.Load(func(l *store.Loader) error {
		var fe *fieldError
		if stored, fe = loadServiceKey(l, k, pair); fe != nil {
			return fmt.Errorf("fakequay: AddServiceKey: %w", fe)
		}
		return nil
	})
	if err != nil {
		return ServiceKey{}, "", err
	}
	return publicServiceKey(s.store.Read(), stored), pair.privatePEM, nil
}

// ServiceKey returns the stored key kid. Unlike Quay's API it also finds
// keys hidden because they expired more than a week ago, until the service's
// next create or delete collects them.
func (s *Server) ServiceKey(kid string) (ServiceKey, bool) {
	rd := s.store.Read()
	k, ok := rd.ServiceKey(kid)
	if !ok {
		return ServiceKey{}, false
	}
	return publicServiceKey(rd, k), true
}

// ServiceKeys returns every stored service key in creation order, hidden
// ones included (see ServiceKey).
func (s *Server) ServiceKeys() []ServiceKey {
	rd := s.store.Read()
	var out []ServiceKey
	rd.AllServiceKeys(func(k *store.ServiceKey) bool {
		out = append(out, publicServiceKey(rd, k))
		return true
	})
	return out
}

func publicServiceKey(rd store.Reader, k *store.ServiceKey) ServiceKey {
	out := ServiceKey{
		Kid:              k.Kid,
		Name:             k.Name,
		Service:          k.Service,
		JWK:              ServiceKeyJWK{Kty: k.JWK.Kty, E: k.JWK.E, N: k.JWK.N, Kid: k.JWK.Kid},
		Metadata:         json.RawMessage(bytes.TrimSuffix(pyJsonify(decodeStored(k.Metadata)), []byte("\n"))),
		Created:          k.Created,
		Expiration:       copyPtr(k.Expiration),
		RotationDuration: copyPtr(k.RotationDuration),
	}
	if a := k.Approval; a != nil {
		out.Approval = &ServiceKeyApproval{Type: a.Type, Date: a.Date, Notes: a.Notes}
		if approver, ok := rd.NamespaceByID(a.ApproverID); ok && a.ApproverID != 0 {
			out.Approval.Approver = approver.Name
		}
	}
	return out
}

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
