package fakequay

import (
	"encoding/json"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/quaytime"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Service-key views (reference §1.9 "Service key" and "Approval object").
// They are written with jsonify, which sorts keys, so the field order below
// is only Quay's source order (key_view, approval_view), kept for reading.
// Dates are pre-formatted as jsonify's HTTP-dates.

type serviceKeyListView struct {
	Keys []serviceKeyView `json:"keys"`
}

// serviceKeyView is ServiceKey.to_dict.
type serviceKeyView struct {
	Name             string        `json:"name"`
	Kid              string        `json:"kid"`
	Service          string        `json:"service"`
	JWK              jwkView       `json:"jwk"`
	Metadata         any           `json:"metadata"` // the decoded object; jsonify sorts it
	CreatedDate      string        `json:"created_date"`
	ExpirationDate   *string       `json:"expiration_date"`
	RotationDuration *int64        `json:"rotation_duration"`
	Approval         *approvalView `json:"approval"`
}

// jwkView is the stored public JWK (Authlib's as_dict()).
type jwkView struct {
	Kty string `json:"kty"`
	E   string `json:"e"`
	N   string `json:"n"`
	Kid string `json:"kid,omitempty"` // absent only from a seeded JWK without one
}

// approvalView is Approval.to_dict: the approver is the full superuser user
// view, or null once the approver was deleted.
type approvalView struct {
	Approver     *userView `json:"approver"`
	ApprovalType string    `json:"approval_type"`
	ApprovedDate string    `json:"approved_date"`
	Notes        string    `json:"notes"`
}

// createdServiceKeyView is createServiceKey's answer.
type createdServiceKeyView struct {
	Kid        string `json:"kid"`
	Name       string `json:"name"`
	Service    string `json:"service"`
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
}

func (s *Server) serviceKeyView(rd store.Reader, k *store.ServiceKey) serviceKeyView {
	v := serviceKeyView{
		Name:             k.Name,
		Kid:              k.Kid,
		Service:          k.Service,
		JWK:              jwkView{Kty: k.JWK.Kty, E: k.JWK.E, N: k.JWK.N, Kid: k.JWK.Kid},
		Metadata:         decodeStored(k.Metadata),
		CreatedDate:      quaytime.FormatHTTPDate(k.Created),
		RotationDuration: k.RotationDuration,
	}
	if k.Expiration != nil {
		exp := quaytime.FormatHTTPDate(*k.Expiration)
		v.ExpirationDate = &exp
	}
	if a := k.Approval; a != nil {
		av := &approvalView{ApprovalType: a.Type, ApprovedDate: quaytime.FormatHTTPDate(a.Date), Notes: a.Notes}
		if approver, ok := rd.NamespaceByID(a.ApproverID); ok && a.ApproverID != 0 {
			uv := s.userView(rd, approver)
			av.Approver = &uv
		}
		v.Approval = av
	}
	return v
}

// decodeStored decodes JSON that fakequay itself stored, for a view.
func decodeStored(raw json.RawMessage) any {
	v, err := py.Decode(raw)
	if err != nil {
		panic("fakequay: stored JSON does not decode: " + err.Error())
	}
	return v
}
