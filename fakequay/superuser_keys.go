package fakequay

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/pystr"
	"github.com/quaykit/go-quay/fakequay/internal/quaytime"
	"github.com/quaykit/go-quay/fakequay/internal/servicekey"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Service keys: reference §2.8–§2.13 (endpoints/api/superuser.py
// SuperUserServiceKeyManagement, SuperUserServiceKey,
// SuperUserServiceKeyApproval). Every answer goes through jsonify, so keys
// are sorted and dates are HTTP-dates.

func serviceKeyRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/superuser/keys", ops: map[string]*operation{
			// Quay puts no @require_fresh_login on the two reads.
			http.MethodGet: {nickname: "listServiceKeys", handle: (*Server).listServiceKeys},
			http.MethodPost: {nickname: "createServiceKey", freshLogin: true, schema: schemaCreateServiceKey,
				handle: (*Server).createServiceKey},
		}},
		{pattern: "/api/v1/superuser/keys/{kid}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getServiceKey", handle: (*Server).getServiceKey},
			http.MethodPut: {nickname: "updateServiceKey", freshLogin: true, schema: schemaPutServiceKey,
				handle: (*Server).updateServiceKey},
			http.MethodDelete: {nickname: "deleteServiceKey", freshLogin: true, handle: (*Server).deleteServiceKey},
		}},
		{pattern: "/api/v1/superuser/approvedkeys/{kid}", ops: map[string]*operation{
			http.MethodPost: {nickname: "approveServiceKey", freshLogin: true, schema: schemaApproveServiceKey,
				handle: (*Server).approveServiceKey},
		}},
	}
}

// listServiceKeys: §2.8.
func (s *Server) listServiceKeys(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	keys := c.read.ListServiceKeys(c.now)
	out := serviceKeyListView{Keys: make([]serviceKeyView, len(keys))}
	for i, k := range keys {
		out.Keys[i] = s.serviceKeyView(c.read, k)
	}
	c.jsonify(http.StatusOK, out)
	return nil
}

// getServiceKey: §2.10. Keys expired a week ago are 404.
func (s *Server) getServiceKey(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	k, ok := c.read.VisibleServiceKey(c.param("kid"), c.now)
	if !ok {
		return errNotFound
	}
	c.jsonify(http.StatusOK, s.serviceKeyView(c.read, k))
	return nil
}

// createServiceKey: §2.9. The name, then the expiration, then (in the
// model) the service name are checked; the key is approved by the caller at
// once and the answer, 200 not 201, is the only place the private key ever
// appears.
func (s *Server) createServiceKey(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	body, _ := asObject(c.body)
	name, _ := body.str("name")
	if !validServiceKeyName(name) {
		return invalidServiceKeyName(name)
	}
	rawExpiration, _ := body.get("expiration")
	expiration, err := parseExpiration(rawExpiration, c.now, "Expiration date cannot be in the past")
	if err != nil {
		return err
	}
	service, _ := body.str("service")
	notes, _ := body.str("notes")
	caller := c.who.user
	keyMetadata := py.NewObject()
	if given, ok := body.get("metadata"); ok {
		if obj, ok := given.(*py.Object); ok {
			for k, v := range obj.All() {
				keyMetadata.Set(k, v)
			}
		}
	}
	keyMetadata.Set("created_by", "Quay Superuser Panel")
	keyMetadata.Set("creator", caller.Name)
	keyMetadata.Set("ip", requestIP(c))

	pair, err := s.generateServiceKey(c.r.Context(), "")
	if err != nil {
		return err
	}
	// Quay passes one dict to both log_action calls.
	logMeta := func() *metadata {
		return meta().set("kid", pair.kid).set("preshared", true).set("service", service).set("name", name).
			set("expiration_date", unixSeconds(expiration)).set("auto_approved", true)
	}
	_, err = s.store.CreateServiceKey(store.NewServiceKey{
		Key: store.ServiceKey{
			Kid: pair.kid, Name: name, Service: service, JWK: pair.jwk, Metadata: pyDumps(keyMetadata),
			Created: c.now, Expiration: expiration,
		},
		Approval: store.Approval{ApproverID: caller.ID, Type: store.ApprovalSuperuser, Date: c.now, Notes: notes},
		Audit: []store.Action{
			c.serviceAction("service_key_create", logMeta()),
			c.serviceAction("service_key_approve", logMeta()),
		},
	})
	if err != nil {
		return err
	}
	c.jsonify(http.StatusOK, createdServiceKeyView{
		Kid:        pair.kid,
		Name:       name,
		Service:    service,
		PublicKey:  pair.publicPEM,
		PrivateKey: pair.privatePEM,
	})
	return nil
}

// updateServiceKey: §2.11. The expiration step runs (and logs) before the
// name is validated, so an invalid name still leaves a new expiration in
// place; the answer is the key as re-read afterwards.
func (s *Server) updateServiceKey(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	kid := c.param("kid")
	if _, ok := c.read.VisibleServiceKey(kid, c.now); !ok {
		return errNotFound
	}
	body, _ := asObject(c.body)
	upd := store.ServiceKeyUpdate{Now: c.now}
	if body.has("expiration") {
		rawExpiration, _ := body.get("expiration")
		exp, err := parseExpiration(rawExpiration, c.now, "Cannot have an expiration date in the past")
		if err != nil {
			return err
		}
		upd.SetExpiration, upd.Expiration = true, exp
	}
	// Quay builds one metadata dict, extends it in the expiration step and
	// passes it to both logs.
	logMeta := func(k *store.ServiceKey) *metadata {
		var name any = k.Name
		if given, ok := body.get("name"); ok {
			name = given
		}
		m := meta().set("kid", k.Kid).set("service", k.Service).set("name", name)
		if !upd.SetExpiration {
			return m.set("expiration_date", unixSeconds(k.Expiration))
		}
		return m.set("expiration_date", unixSeconds(upd.Expiration)).
			set("old_expiration_date", unixSeconds(k.Expiration))
	}
	upd.ExtendLog = func(k *store.ServiceKey) store.Action {
		return c.serviceAction("service_key_extend", logMeta(k))
	}
	if body.has("name") || body.has("metadata") {
		upd.Modify = true
		if name, ok := body.str("name"); ok {
			upd.Name = &name
			if !validServiceKeyName(name) {
				upd.ModifyErr = invalidServiceKeyName(name)
			}
		}
		if given, ok := body.get("metadata"); ok {
			upd.Metadata, _ = given.(*py.Object)
		}
		upd.ModifyLog = func(k *store.ServiceKey) store.Action {
			return c.serviceAction("service_key_modify", logMeta(k))
		}
	}
	_, err := s.store.UpdateServiceKey(kid, upd)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	rd := s.store.Read()
	k, ok := rd.VisibleServiceKey(kid, c.now)
	if !ok {
		// Quay's re-read does not catch ServiceKeyDoesNotExist.
		return &crashError{reason: "ServiceKeyDoesNotExist on re-reading " + kid}
	}
	c.jsonify(http.StatusOK, s.serviceKeyView(rd, k))
	return nil
}

// deleteServiceKey: §2.12. Finds keys that GET no longer shows; answers
// make_response("", 204).
func (s *Server) deleteServiceKey(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	kid := c.param("kid")
	_, err := s.store.DeleteServiceKey(kid, c.now, func(k *store.ServiceKey) store.Action {
		return c.serviceAction("service_key_delete", meta().set("kid", kid).set("service", k.Service).
			set("name", k.Name).set("created_date", k.Created.Unix()).set("expiration_date", unixSeconds(k.Expiration)))
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeHTML)
	return nil
}

// approveServiceKey: §2.13. Approving an approved key is a silent 201.
func (s *Server) approveServiceKey(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	kid := c.param("kid")
	body, _ := asObject(c.body)
	notes, _ := body.str("notes")
	approval := store.Approval{ApproverID: c.who.user.ID, Type: store.ApprovalSuperuser, Date: c.now, Notes: notes}
	err := s.store.ApproveServiceKey(kid, approval, func(k *store.ServiceKey) store.Action {
		return c.serviceAction("service_key_approve", meta().set("kid", kid).set("service", k.Service).
			set("name", k.Name).set("expiration_date", unixSeconds(k.Expiration)))
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case err != nil && !errors.Is(err, store.ErrServiceKeyAlreadyApproved):
		return err
	}
	c.empty(http.StatusCreated, contentTypeHTML)
	return nil
}

// serviceKeyPair is a freshly generated service key: what is stored (kid,
// public JWK) and what createServiceKey returns once (the PEMs).
type serviceKeyPair struct {
	kid        string
	jwk        store.JWK
	publicPEM  string
	privatePEM string
}

// generateServiceKey is Quay's generate_service_key: a new 2048-bit RSA key
// (from the process-wide pool, generated ahead) whose kid is its thumbprint
// unless kid is given, in which case the JWK carries that kid instead.
func (s *Server) generateServiceKey(ctx context.Context, kid string) (serviceKeyPair, error) {
	k, err := servicekey.Generate(ctx)
	if err != nil {
		return serviceKeyPair{}, err
	}
	if kid == "" {
		kid = k.Kid
	}
	return serviceKeyPair{
		kid:        kid,
		jwk:        store.JWK{Kty: k.JWK.Kty, E: k.JWK.E, N: k.JWK.N, Kid: kid},
		publicPEM:  k.PublicPEM,
		privatePEM: k.PrivatePEM,
	}, nil
}

// seedKeyPair is the key pair of a seeded key: its given public JWK (and no
// private key), or a generated pair.
func (s *Server) seedKeyPair(k SeedServiceKey) (serviceKeyPair, error) {
	if k.JWK == nil {
		return s.generateServiceKey(context.Background(), k.Kid)
	}
	if k.Kid == "" {
		return serviceKeyPair{}, fmt.Errorf("kid: required with jwk")
	}
	return serviceKeyPair{kid: k.Kid, jwk: store.JWK{Kty: k.JWK.Kty, E: k.JWK.E, N: k.JWK.N, Kid: k.JWK.Kid}}, nil
}

// validServiceKeyName is Quay's validate_service_key_name,
// re.match(r"^[\s a-zA-Z0-9\-_:/]*$", name): every character is Unicode
// whitespace (Python's \s), an ASCII letter or digit, or one of " -_:/".
// Python's "$" may match before a final newline, which \s admits anyway.
func validServiceKeyName(name string) bool {
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		case r == ' ', r == '-', r == '_', r == ':', r == '/':
		case pystr.IsSpace(r):
		default:
			return false
		}
	}
	return true
}

func invalidServiceKeyName(name string) error {
	return invalidRequest("Invalid service key friendly name: " + name)
}

// parseExpiration is how Quay reads a service key's "expiration": null is
// no expiration; a number goes through datetime.utcfromtimestamp(float(v)),
// whose ValueError becomes 400 "Invalid expiration date: ..." and whose
// OverflowError/OSError escapes as a 500; the date must then be later than
// now, or the 400 says pastMessage (create and update word it differently).
func parseExpiration(v any, now time.Time, pastMessage string) (*time.Time, error) {
	if v == nil {
		return nil, nil
	}
	seconds, err := pythonFloat(v)
	if err != nil {
		return nil, err
	}
	t, err := quaytime.UTCFromTimestamp(seconds)
	var valueErr *quaytime.TimestampValueError
	switch {
	case errors.As(err, &valueErr):
		return nil, invalidRequest("Invalid expiration date: " + valueErr.Message)
	case err != nil:
		return nil, &crashError{reason: "OverflowError: " + err.Error()}
	}
	if !t.After(now) {
		return nil, invalidRequest(pastMessage)
	}
	return &t, nil
}

// pythonFloat is Python's float() of a decoded JSON number. Integers too large
// for a float64 become ±Inf here where Python raises OverflowError; both end
// in the same unhandled 500 once utcfromtimestamp sees them.
func pythonFloat(v any) (float64, error) {
	switch n := v.(type) {
	case float64:
		return n, nil
	case py.Int:
		f, _ := new(big.Float).SetInt(n.Big()).Float64()
		return f, nil
	}
	// The schema admits only numbers and null.
	return 0, &crashError{reason: "TypeError: float() argument must be a string or a real number"}
}

// requestIP is Quay's get_request_ip: request.remote_addr, or None.
func requestIP(c *call) any {
	if ip := c.clientIP(); ip != "" {
		return ip
	}
	return nil
}
