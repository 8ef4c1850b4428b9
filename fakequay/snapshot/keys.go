package snapshot

import (
	"context"
	"encoding/json"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

type serviceKeyView struct {
	Kid              string            `json:"kid"`
	Name             *string           `json:"name"`
	Service          string            `json:"service"`
	Metadata         json.RawMessage   `json:"metadata"`
	JWK              *fakequay.SeedJWK `json:"jwk"`
	CreatedDate      quay.Timestamp    `json:"created_date"`
	ExpirationDate   quay.Timestamp    `json:"expiration_date"`
	RotationDuration *int64            `json:"rotation_duration"`
	Approval         *struct {
		ApprovalType string         `json:"approval_type"`
		ApprovedDate quay.Timestamp `json:"approved_date"`
		Approver     *struct {
			Username string `json:"username"`
		} `json:"approver"`
		Notes *string `json:"notes"`
	} `json:"approval"`
}

// readServiceKeys: listServiceKeys. Quay hides keys that expired more than
// EXPIRED_SERVICE_KEY_TTL_SEC ago, so a snapshot has none of those either.
// The public halves (JWKs) are copied; the private halves are never shown,
// so the seeded keys have none.
func readServiceKeys(ctx context.Context, r *reader) error {
	var list struct {
		Keys []serviceKeyView `json:"keys"`
	}
	if err := r.get(ctx, "superuser/keys", &list); err != nil {
		return err
	}
	for _, k := range list.Keys {
		sk := fakequay.SeedServiceKey{Kid: k.Kid, Service: k.Service, Created: k.CreatedDate.Time,
			RotationDuration: k.RotationDuration, JWK: k.JWK}
		if k.Name != nil {
			sk.Name = *k.Name
		}
		if string(k.Metadata) != "{}" && string(k.Metadata) != "null" {
			sk.Metadata = compact(k.Metadata)
		}
		if !k.ExpirationDate.IsZero() {
			sk.Expiration = ptr(k.ExpirationDate.Time)
		}
		if a := k.Approval; a != nil {
			sk.ApprovalType = a.ApprovalType
			if a.Approver != nil {
				sk.ApprovedBy = a.Approver.Username
			}
			if !a.ApprovedDate.Equal(sk.Created) {
				sk.ApprovedDate = ptr(a.ApprovedDate.Time)
			}
			if a.Notes != nil {
				sk.Notes = *a.Notes
			}
		}
		r.seed.ServiceKeys = append(r.seed.ServiceKeys, sk)
	}
	return nil
}
