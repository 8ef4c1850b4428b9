package fakequay

import (
	"errors"
	"math"
	"math/big"
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/bitmath"
	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Namespace quotas: reference §2.14 (with §1.9, §1.10 and §4 quirk 10).
// No audit log is written by any of these operations.

// quotaPathFamilies are the two URL families Quay serves one resource class
// on. Both accept users and organizations alike. Quay's nickname lists give
// their first name to the users path and the second to the organization
// path (the §2.14 table).
var quotaPathFamilies = []struct{ prefix, noun string }{
	{prefix: "/api/v1/superuser/users/", noun: "User"},
	{prefix: "/api/v1/superuser/organization/", noun: "Organization"},
}

// quotaRoutes exist only with QUOTA_MANAGEMENT && EDIT_QUOTA (show_if), the
// same condition that adds quotas to user and organization views.
func quotaRoutes() []*route {
	var routes []*route
	for _, f := range quotaPathFamilies {
		routes = append(routes,
			&route{pattern: f.prefix + "{namespace}/quota", when: (*Config).quotaViews, ops: map[string]*operation{
				http.MethodGet: {nickname: "list" + f.noun + "QuotaSuperUser", freshLogin: true, handle: (*Server).listQuotas},
				http.MethodPost: {nickname: "create" + f.noun + "QuotaSuperUser", freshLogin: true,
					schema: schemaNewNamespaceQuota, handle: (*Server).createQuota},
			}},
			&route{pattern: f.prefix + "{namespace}/quota/{quota_id}", when: (*Config).quotaViews, ops: map[string]*operation{
				http.MethodPut: {nickname: "change" + f.noun + "QuotaSuperUser", freshLogin: true,
					schema: schemaUpdateNamespaceQuota, handle: (*Server).changeQuota},
				// Quay's delete has neither @require_fresh_login nor
				// @verify_not_prod.
				http.MethodDelete: {nickname: "delete" + f.noun + "QuotaSuperUser", anyHost: true, handle: (*Server).deleteQuota},
			}},
		)
	}
	return routes
}

// listQuotas: §2.14 list. A top-level array, [] or the namespace's one
// quota; unlike /organization/{org}/quota the system default quota is never
// shown in its place.
func (s *Server) listQuotas(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	ns, ok := c.read.Namespace(c.param("namespace"))
	if !ok {
		return errNotFound
	}
	return s.replyQuotaList(c, ns.ID)
}

// createQuota: §2.14 create. The size is parsed before the namespace is
// looked up; the new quota's id is not returned.
func (s *Server) createQuota(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	body, _ := asObject(c.body)
	size, _, err := requestedQuotaSize(body)
	if err != nil {
		return err
	}
	name := c.param("namespace")
	if _, err := s.store.CreateQuota(name, size, nil); err != nil {
		return quotaWriteError(err, name)
	}
	c.restful(http.StatusCreated, "Created")
	return nil
}

// changeQuota: §2.14 change. The lookups come before the size is parsed; a
// falsy size (0, "0", or none at all) changes nothing and still answers
// 200. The answer shows limit_bytes as the request set it, so a float
// from "limit" stays a float there (later reads show the stored int).
func (s *Server) changeQuota(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	name := c.param("namespace")
	quotaID, err := quotaIDParam(c)
	if err != nil {
		return err
	}
	_, q, err := c.read.NamespaceQuota(name, quotaID)
	if err != nil {
		return quotaWriteError(err, name)
	}
	body, _ := asObject(c.body)
	size, given, err := requestedQuotaSize(body)
	if err != nil {
		return err
	}
	asFloat := false
	if given && size.Truthy() {
		if q, err = s.store.ResizeQuota(name, quotaID, size, nil); err != nil {
			return quotaWriteError(err, name)
		}
		asFloat = size.IsFloat()
	}
	return s.replyQuota(c, q, asFloat)
}

// deleteQuota: §2.14 delete. 204 with an empty body.
func (s *Server) deleteQuota(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	name := c.param("namespace")
	quotaID, err := quotaIDParam(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteQuota(name, quotaID, nil); err != nil {
		return quotaWriteError(err, name)
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// replyQuota answers 200 with q's full quota view.
func (s *Server) replyQuota(c *call, q *store.Quota, asFloat bool) error {
	v, err := s.quotaView(q, asFloat)
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, v)
	return nil
}

// replyQuotaList answers the namespace's quotas: a list of its one quota,
// or an empty list.
func (s *Server) replyQuotaList(c *call, namespaceID int64) error {
	out := []quotaView{}
	if q, ok := c.read.QuotaOf(namespaceID); ok {
		v, err := s.quotaView(q, false)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	c.restful(http.StatusOK, out)
	return nil
}

// quotaView is quota_view(q) (§1.9). asFloat shows limit_bytes as the
// Python float a PUT just assigned; that float is a whole number below
// 2**63 (the pattern and the schema's integer type allow nothing else, and
// the store refused larger ones), so q.LimitBytes holds it exactly.
func (s *Server) quotaView(q *store.Quota, asFloat bool) (quotaView, error) {
	limit, err := bitmath.BestPrefix(float64(q.LimitBytes))
	if err != nil {
		return quotaView{}, &crashError{reason: "bitmath best_prefix: " + err.Error()}
	}
	v := quotaView{
		ID:                  q.ID,
		LimitBytes:          q.LimitBytes,
		Limit:               limit,
		Limits:              limitViews(q.Limits),
		DefaultConfigExists: s.cfg.DefaultSystemRejectQuotaBytes != 0,
	}
	if asFloat {
		v.LimitBytes = py.Float(q.LimitBytes)
	}
	return v, nil
}

// quotaWriteError answers a store error of a quota write as Quay's
// endpoints do.
func quotaWriteError(err error, namespace string) error {
	var sizeErr *store.QuotaSizeError
	switch {
	case errors.Is(err, store.ErrNotFound):
		// get_user_or_org returned None and the handler reads .username.
		return &crashError{reason: "AttributeError: 'NoneType' object has no attribute 'username'"}
	case errors.Is(err, store.ErrNoSuchQuota):
		return errNotFound
	case errors.Is(err, store.ErrQuotaExists):
		return invalidRequest("Quota for '" + namespace + "' already exists")
	case errors.As(err, &sizeErr):
		return invalidRequest(sizeErr.Message)
	}
	return err
}

// quotaIDParam is the quota_id path variable as peewee sends it to
// Postgres: IntegerField.adapt applies Python's int(), and a string int()
// refuses goes through as text, which Postgres cannot compare with the
// integer id column (a DataError nothing catches). Out-of-range values
// saturate, and like Postgres' numeric comparison they match no quota.
func quotaIDParam(c *call) (int64, error) {
	raw := c.param("quota_id")
	id, ok := pythonInt(raw)
	if !ok {
		return 0, &crashError{reason: `DataError: invalid input syntax for type integer: "` + raw + `"`}
	}
	return id, nil
}

var errInvalidLimit = invalidRequest("Invalid limit format")

// requestedQuotaSize is the size a quota body asks for, as Quay's handlers
// compute it: when "limit" is present, bitmath's parse of it
// (parse_string_unsafe(limit).to_Byte().value, always a float); otherwise
// "limit_bytes" as Python's json module parsed it. given is false when the
// body has neither key (a PUT with {}).
func requestedQuotaSize(body object) (size store.QuotaSize, given bool, err error) {
	if limit, ok := body.get("limit"); ok {
		size, err := limitSize(limit)
		return size, true, err
	}
	n, ok := body.get("limit_bytes")
	if !ok {
		return store.QuotaSize{}, false, nil
	}
	switch n := n.(type) {
	case py.Int:
		return store.IntQuotaSize(n.Big()), true, nil
	case float64:
		// Draft 7's "integer" admits a whole float such as 5.0.
		return store.FloatQuotaSize(n), true, nil
	}
	// The schema admits only numbers; Quay's "limit_bytes > 0" would raise
	// TypeError on anything else.
	return store.QuotaSize{}, true, &crashError{reason: "TypeError: limit_bytes is not a number"}
}

// limitSize is bitmath.parse_string_unsafe(v).to_Byte().value for a
// "limit" value. The schemas make it a string matching bitmath.LimitPattern,
// with one exception: in NewNamespaceQuota's oneOf, a body whose
// limit_bytes is a valid integer passes through the branch that leaves
// "limit" unconstrained, and the handler still parses "limit". bitmath
// turns numbers (and booleans) into floats and rejects null, arrays and
// objects with ValueError.
func limitSize(v any) (store.QuotaSize, error) {
	switch v := v.(type) {
	case string:
		// bitmath.ErrPattern is that loophole too. bitmath would accept some
		// such strings ("1.5G", "5g", "-5"); ParseLimit covers only the
		// pattern's language, so fakequay answers "Invalid limit format"
		// for all of them (a documented difference).
		f, err := bitmath.ParseLimit(v)
		if err != nil {
			return store.QuotaSize{}, errInvalidLimit
		}
		return store.FloatQuotaSize(f), nil
	case py.Int:
		// An int goes through Byte(int).to_Byte(), a division by 1.0: the
		// correctly rounded float, except that an int past the float range
		// raises OverflowError.
		f, _ := new(big.Float).SetInt(v.Big()).Float64()
		if math.IsInf(f, 0) {
			return store.QuotaSize{}, &crashError{reason: "OverflowError: int too large to convert to float"}
		}
		return store.FloatQuotaSize(f), nil
	case float64:
		return store.FloatQuotaSize(v), nil
	case bool:
		if v {
			return store.FloatQuotaSize(1), nil
		}
		return store.FloatQuotaSize(0), nil
	}
	return store.QuotaSize{}, errInvalidLimit
}
