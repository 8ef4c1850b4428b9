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

// Namespace quotas through the normal API: endpoints/api/namespacequota.py
// (organization quotas and their limits, and the caller's own quota
// reads). They share the store's quota table with the superuser quota
// endpoints (superuser_quotas.go). Unlike those, every write here is
// logged (org_create_quota ... org_delete_quota_limit), and an unknown
// namespace is a 404 (get_quota's join finds nothing) rather than a crash.
// The retroactive quota notifications Quay's writes may trigger need a
// namespace notification on quota_warning or quota_error, which fakequay
// does not keep, so they never fire.

func namespaceQuotaRoutes() []*route {
	const org, user = "/api/v1/organization/{orgname}/quota", "/api/v1/user/quota"
	// Every resource of the module has @show_if(SUPER_USERS) and
	// @show_if(QUOTA_MANAGEMENT and EDIT_QUOTA); the caller adds the first.
	when := (*Config).quotaViews
	return []*route{
		{pattern: org, when: when, ops: map[string]*operation{
			http.MethodGet:  {nickname: "listOrganizationQuota", handle: (*Server).listOrganizationQuota},
			http.MethodPost: {nickname: "createOrganizationQuota", schema: schemaNewNamespaceQuota, handle: (*Server).createOrganizationQuota},
		}},
		{pattern: org + "/{quota_id}", when: when, ops: map[string]*operation{
			http.MethodGet:    {nickname: "getOrganizationQuota", handle: (*Server).getOrganizationQuota},
			http.MethodPut:    {nickname: "changeOrganizationQuota", schema: schemaUpdateNamespaceQuota, handle: (*Server).changeOrganizationQuota},
			http.MethodDelete: {nickname: "deleteOrganizationQuota", handle: (*Server).deleteOrganizationQuota},
		}},
		{pattern: org + "/{quota_id}/limit", when: when, ops: map[string]*operation{
			http.MethodGet:  {nickname: "listOrganizationQuotaLimit", handle: (*Server).listOrganizationQuotaLimit},
			http.MethodPost: {nickname: "createOrganizationQuotaLimit", schema: schemaNewOrgQuotaLimit, handle: (*Server).createOrganizationQuotaLimit},
		}},
		{pattern: org + "/{quota_id}/limit/{limit_id}", when: when, ops: map[string]*operation{
			http.MethodGet:    {nickname: "getOrganizationQuotaLimit", handle: (*Server).getOrganizationQuotaLimit},
			http.MethodPut:    {nickname: "changeOrganizationQuotaLimit", schema: schemaUpdateOrgQuotaLimit, handle: (*Server).changeOrganizationQuotaLimit},
			http.MethodDelete: {nickname: "deleteOrganizationQuotaLimit", handle: (*Server).deleteOrganizationQuotaLimit},
		}},
		{pattern: user, when: when, ops: map[string]*operation{
			http.MethodGet: {nickname: "listUserQuota", guard: requireUserAdmin, handle: (*Server).listUserQuota},
		}},
		{pattern: user + "/{quota_id}", when: when, ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserQuota", guard: requireUserAdmin, handle: (*Server).getUserQuota},
		}},
		{pattern: user + "/{quota_id}/limit", when: when, ops: map[string]*operation{
			http.MethodGet: {nickname: "listUserQuotaLimit", guard: requireUserAdmin, handle: (*Server).listUserQuotaLimit},
		}},
		{pattern: user + "/{quota_id}/limit/{limit_id}", when: when, ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserQuotaLimit", guard: requireUserAdmin, handle: (*Server).getUserQuotaLimit},
		}},
	}
}

// orgQuotaReader is the check of the organization quota reads: a member
// (OrganizationMemberPermission), a global read-only superuser, or a
// superuser with full access.
func (c *call) orgQuotaReader(org string) bool {
	return c.can(organizationMember(org)) || c.isGlobalReadonly() || c.superuserWithFullAccess()
}

// errOrgInvalidLimit is the organization endpoints' answer to a "limit"
// bitmath cannot parse.
var errOrgInvalidLimit = invalidRequest("Invalid limit format, use a number followed by a unit (e.g. 1GiB)")

// orgQuotaSize is requestedQuotaSize with the organization endpoints'
// message for a bad "limit".
func orgQuotaSize(body object) (store.QuotaSize, bool, error) {
	size, given, err := requestedQuotaSize(body)
	if errors.Is(err, errInvalidLimit) {
		err = errOrgInvalidLimit
	}
	return size, given, err
}

// getQuota is namespacequota.py's get_quota: the quota_id path variable
// (see quotaIDParam), then the namespace's quota with that id, else
// NotFound.
func getQuota(c *call, namespace string) (*store.Quota, error) {
	quotaID, err := quotaIDParam(c)
	if err != nil {
		return nil, err
	}
	q, err := c.read.OrgQuota(namespace, quotaID)
	if err != nil {
		return nil, errNotFound
	}
	return q, nil
}

// limitIDParam is the limit_id path variable, as quotaIDParam reads
// quota_id.
func limitIDParam(c *call) (int64, error) {
	raw := c.param("limit_id")
	id, ok := pythonInt(raw)
	if !ok {
		return 0, &crashError{reason: `DataError: invalid input syntax for type integer: "` + raw + `"`}
	}
	return id, nil
}

// quotaLimitError answers a store error of the limit lookups and writes.
func quotaLimitError(err error) error {
	var sizeErr *store.QuotaSizeError
	switch {
	case errors.Is(err, store.ErrNoSuchQuota), errors.Is(err, store.ErrNoSuchQuotaLimit):
		return errNotFound
	case errors.Is(err, store.ErrQuotaLimitExists):
		return invalidRequest("Quota limit already exists")
	case errors.As(err, &sizeErr):
		// create_namespace_quota_limit's refusals, caught by the endpoint.
		return invalidRequest(sizeErr.Message)
	}
	return err
}

// sizeMeta is a requested size as Quay's log metadata shows it: the int
// or float the handler holds, and bitmath's best prefix of it (an error
// for a size bitmath cannot format).
func sizeMeta(size store.QuotaSize) (raw any, limit string, err error) {
	f := size.Float64()
	raw = size.Int()
	if size.IsFloat() {
		raw = py.Float(f)
	}
	limit, err = bitmath.BestPrefix(f)
	return raw, limit, err
}

// --- organization quotas ---------------------------------------------------------

// listOrganizationQuota: OrganizationQuotaList.get. Only an organization
// has this list (get_organization); without a quota it shows the system
// default quota, when one is configured, as an unsaved quota (id null).
func (s *Server) listOrganizationQuota(c *call) error {
	name := c.param("orgname")
	if !c.orgQuotaReader(name) {
		return unauthorized(c.who)
	}
	org, ok := c.read.Organization(name)
	if !ok {
		return errNotFound
	}
	if q, ok := c.read.QuotaOf(org.ID); ok {
		v, err := s.quotaView(q, false)
		if err != nil {
			return err
		}
		c.restful(http.StatusOK, []quotaView{v})
		return nil
	}
	if s.cfg.DefaultSystemRejectQuotaBytes == 0 {
		c.restful(http.StatusOK, []quotaView{})
		return nil
	}
	limit, err := bitmath.BestPrefix(float64(s.cfg.DefaultSystemRejectQuotaBytes))
	if err != nil {
		return &crashError{reason: "bitmath best_prefix: " + err.Error()}
	}
	c.restful(http.StatusOK, []defaultQuotaView{{
		LimitBytes: s.cfg.DefaultSystemRejectQuotaBytes, Limit: limit, DefaultConfig: true,
		Limits: []quotaLimitView{}, DefaultConfigExists: true,
	}})
	return nil
}

// createOrganizationQuota: OrganizationQuotaList.post. The size is parsed
// before the organization is looked up; a user's namespace is NotFound.
func (s *Server) createOrganizationQuota(c *call) error {
	if !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	body, _ := asObject(c.body)
	size, _, err := orgQuotaSize(body)
	if err != nil {
		return err
	}
	name := c.param("orgname")
	org, ok := c.read.Organization(name)
	if !ok {
		return errNotFound
	}
	if _, exists := c.read.QuotaOf(org.ID); exists {
		return invalidRequest("Organization quota for '" + name + "' already exists")
	}
	// A size the store accepts is positive and below 2**63, which bitmath
	// formats; for any other the store refuses before the log is written.
	raw, limit, _ := sizeMeta(size)
	audit := c.action("org_create_quota", name, meta().set("namespace", name).set("limit_bytes", raw).set("limit", limit))
	if _, err := s.store.CreateQuota(name, size, &audit); err != nil {
		if errors.Is(err, store.ErrQuotaExists) {
			return invalidRequest("Organization quota for '" + name + "' already exists")
		}
		return quotaWriteError(err, name)
	}
	c.restful(http.StatusCreated, "Created")
	return nil
}

// getOrganizationQuota: OrganizationQuota.get. Any namespace's quota,
// a user's too.
func (s *Server) getOrganizationQuota(c *call) error {
	name := c.param("orgname")
	if !c.orgQuotaReader(name) {
		return unauthorized(c.who)
	}
	q, err := getQuota(c, name)
	if err != nil {
		return err
	}
	return s.replyQuota(c, q, false)
}

// changeOrganizationQuota: OrganizationQuota.put. As the superuser's
// change: a falsy size changes nothing and answers 200, and the answer
// shows a size set from "limit" as a float.
func (s *Server) changeOrganizationQuota(c *call) error {
	if !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	name := c.param("orgname")
	q, err := getQuota(c, name)
	if err != nil {
		return err
	}
	body, _ := asObject(c.body)
	size, given, err := orgQuotaSize(body)
	if err != nil {
		return err
	}
	asFloat := false
	if given && size.Truthy() {
		raw, limit, _ := sizeMeta(size) // as in createOrganizationQuota
		audit := func(before *store.Quota) store.Action {
			prev, _ := bitmath.BestPrefix(float64(before.LimitBytes))
			return c.action("org_change_quota", name, meta().set("namespace", name).set("limit_bytes", raw).set("limit", limit).
				set("previous_limit_bytes", before.LimitBytes).set("previous_limit", prev))
		}
		if q, err = s.store.ResizeQuota(name, q.ID, size, audit); err != nil {
			if errors.Is(err, store.ErrNoSuchQuota) || errors.Is(err, store.ErrNotFound) {
				return errNotFound
			}
			return quotaWriteError(err, name)
		}
		asFloat = size.IsFloat()
	}
	return s.replyQuota(c, q, asFloat)
}

// deleteOrganizationQuota: OrganizationQuota.delete, with its limits.
func (s *Server) deleteOrganizationQuota(c *call) error {
	if !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	name := c.param("orgname")
	q, err := getQuota(c, name)
	if err != nil {
		return err
	}
	audit := func(deleted *store.Quota) store.Action {
		limit, _ := bitmath.BestPrefix(float64(deleted.LimitBytes))
		return c.action("org_delete_quota", name, meta().set("namespace", name).set("quota_id", deleted.ID).
			set("limit_bytes", deleted.LimitBytes).set("limit", limit))
	}
	if err := s.store.DeleteQuota(name, q.ID, audit); err != nil {
		if errors.Is(err, store.ErrNoSuchQuota) || errors.Is(err, store.ErrNotFound) {
			return errNotFound
		}
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// --- organization quota limits ---------------------------------------------------

// listOrganizationQuotaLimit: OrganizationQuotaLimitList.get, in id order.
func (s *Server) listOrganizationQuotaLimit(c *call) error {
	name := c.param("orgname")
	if !c.orgQuotaReader(name) {
		return unauthorized(c.who)
	}
	q, err := getQuota(c, name)
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, limitViews(q.Limits))
	return nil
}

// limitPercent is a threshold_percent the schema let through (an integer,
// or a float with no fraction) as the model compares it, and as the log
// metadata shows it.
func limitPercent(v any) (store.LimitPercent, any) {
	switch v := v.(type) {
	case py.Int:
		f, _ := new(big.Float).SetInt(v.Big()).Float64()
		return store.LimitPercent(f), v
	case float64:
		return store.LimitPercent(v), py.Float(v)
	}
	// The schema admits nothing else; NaN compares false everywhere.
	return store.LimitPercent(math.NaN()), v
}

// createOrganizationQuotaLimit: OrganizationQuotaLimitList.post. The
// duplicate check runs before the model validates, and validates on its
// own (see store.CreateQuotaLimit).
func (s *Server) createOrganizationQuotaLimit(c *call) error {
	if !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	body, _ := asObject(c.body)
	rawType, _ := body.get("type")
	typ, _ := rawType.(string)
	rawPercent, _ := body.get("threshold_percent")
	percent, metaPercent := limitPercent(rawPercent)
	name := c.param("orgname")
	quotaID, err := quotaIDParam(c)
	if err != nil {
		return err
	}
	audit := c.action("org_create_quota_limit", name, meta().set("namespace", name).set("type", typ).set("threshold_percent", metaPercent))
	if err := s.store.CreateQuotaLimit(name, quotaID, typ, percent, audit); err != nil {
		return quotaLimitError(err)
	}
	c.restful(http.StatusCreated, "Created")
	return nil
}

// quotaLimitLookup is get_quota then get_namespace_quota_limit.
func quotaLimitLookup(c *call, namespace string) (*store.Quota, store.QuotaLimit, error) {
	quotaID, err := quotaIDParam(c)
	if err != nil {
		return nil, store.QuotaLimit{}, err
	}
	if _, err := c.read.OrgQuota(namespace, quotaID); err != nil {
		return nil, store.QuotaLimit{}, errNotFound
	}
	limitID, err := limitIDParam(c)
	if err != nil {
		return nil, store.QuotaLimit{}, err
	}
	q, lim, err := c.read.QuotaLimitLookup(namespace, quotaID, limitID)
	if err != nil {
		return nil, store.QuotaLimit{}, quotaLimitError(err)
	}
	return q, lim, nil
}

// getOrganizationQuotaLimit: OrganizationQuotaLimit.get. A limit of
// another quota is InvalidNamespaceQuota(), a {"message": ""} 400.
func (s *Server) getOrganizationQuotaLimit(c *call) error {
	name := c.param("orgname")
	if !c.orgQuotaReader(name) {
		return unauthorized(c.who)
	}
	_, lim, err := quotaLimitLookup(c, name)
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, limitViews([]store.QuotaLimit{lim})[0])
	return nil
}

// changeOrganizationQuotaLimit: OrganizationQuotaLimit.put. It answers
// with the quota's view, not the limit's. The model's refusals are not
// caught ({"message"} 400s), and a type saved before a refused threshold
// stays.
func (s *Server) changeOrganizationQuotaLimit(c *call) error {
	if !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	name := c.param("orgname")
	q, lim, err := quotaLimitLookup(c, name)
	if err != nil {
		return err
	}
	body, _ := asObject(c.body)
	var ch store.QuotaLimitChange
	var metaType, metaPercent any
	if v, ok := body.get("type"); ok {
		t, _ := v.(string)
		ch.Type, metaType = &t, t
	}
	if v, ok := body.get("threshold_percent"); ok {
		p, m := limitPercent(v)
		ch.Percent, metaPercent = &p, m
	}
	audit := func(before store.QuotaLimit) store.Action {
		t, p := metaType, metaPercent
		if ch.Type == nil {
			t = before.Type
		}
		if ch.Percent == nil {
			p = before.Percent
		}
		return c.action("org_change_quota_limit", name, meta().set("namespace", name).set("type", t).set("threshold_percent", p).
			set("previous_type", before.Type).set("previous_threshold_percent", before.Percent))
	}
	updated, err := s.store.ChangeQuotaLimit(name, q.ID, lim.ID, ch, audit)
	if err != nil {
		return quotaLimitError(err)
	}
	return s.replyQuota(c, updated, false)
}

// deleteOrganizationQuotaLimit: OrganizationQuotaLimit.delete.
func (s *Server) deleteOrganizationQuotaLimit(c *call) error {
	if !c.superuserWithFullAccess() {
		return unauthorized(c.who)
	}
	name := c.param("orgname")
	q, lim, err := quotaLimitLookup(c, name)
	if err != nil {
		return err
	}
	audit := func(deleted store.QuotaLimit) store.Action {
		return c.action("org_delete_quota_limit", name, meta().set("namespace", name).set("limit_id", deleted.ID).
			set("type", deleted.Type).set("threshold_percent", deleted.Percent))
	}
	if err := s.store.DeleteQuotaLimit(name, q.ID, lim.ID, audit); err != nil {
		return quotaLimitError(err)
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// --- the caller's own quota --------------------------------------------------------

// listUserQuota: UserQuotaList.get, the caller's quota (never the system
// default).
func (s *Server) listUserQuota(c *call) error {
	return s.replyQuotaList(c, c.who.user.ID)
}

// getUserQuota: UserQuota.get.
func (s *Server) getUserQuota(c *call) error {
	q, err := getQuota(c, c.who.user.Name)
	if err != nil {
		return err
	}
	return s.replyQuota(c, q, false)
}

// listUserQuotaLimit: UserQuotaLimitList.get.
func (s *Server) listUserQuotaLimit(c *call) error {
	q, err := getQuota(c, c.who.user.Name)
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, limitViews(q.Limits))
	return nil
}

// getUserQuotaLimit: UserQuotaLimit.get, which answers with the quota's
// view, not the limit's.
func (s *Server) getUserQuotaLimit(c *call) error {
	q, _, err := quotaLimitLookup(c, c.who.user.Name)
	if err != nil {
		return err
	}
	return s.replyQuota(c, q, false)
}
