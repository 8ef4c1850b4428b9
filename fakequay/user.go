package fakequay

import (
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Users: endpoints/api/user.py (getLoggedInUser, getUserInformation).
// The first-user bootstrap, POST /api/v1/user/initialize, is a route of
// endpoints/web.py (see web_user.go).

func userAPIRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/user/", ops: map[string]*operation{
			http.MethodGet: {nickname: "getLoggedInUser", handle: (*Server).getLoggedInUser},
		}},
		{pattern: "/api/v1/users/{username}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getUserInformation", handle: (*Server).getUserInformation},
		}},
	}
}

// getLoggedInUser: User.get (user.py 398). @require_scope(READ_USER) only
// documents the scope; what refuses is UserReadPermission, as InvalidToken
// with the payload session_required false, whoever the caller is.
func (s *Server) getLoggedInUser(c *call) error {
	u := c.who.user
	if u == nil || u.IsOrg() || !c.can(userRead(u.Name)) {
		return errRequiresAuthentication
	}
	c.restful(http.StatusOK, s.userAPIView(c, u))
	return nil
}

// getUserInformation: Users.get (user.py 1443): get_nonrobot_user, so an
// organization's or a robot's name is a 404, Werkzeug's abort(404) with
// its {"message"} body.
func (s *Server) getUserInformation(c *call) error {
	u, ok := c.read.User(c.param("username"))
	if !ok {
		return errNotFoundAbort
	}
	c.restful(http.StatusOK, s.userAPIView(c, u))
	return nil
}

// userAPIView is user.py's user_view(user) for the caller: the public
// part for anyone; the private fields to whom UserAdminPermission grants
// the user; the organizations to UserReadPermission; super_user and
// global_readonly_super_user only when the caller is one, true only when
// the user is the caller. fakequay has no billing (no stripe_id), no
// federated logins, no user prompts and no user metadata, so those
// fields are Quay's for a user without them.
func (s *Server) userAPIView(c *call, u *store.Namespace) *py.Object {
	v := py.NewObject()
	v.Set("anonymous", false)
	v.Set("username", u.Name)
	v.Set("avatar", accountAvatar(store.Account{Name: u.Name, Email: u.Email}))
	isAdmin := c.can(userAdmin(u.Name))
	if isAdmin {
		st := u.Setting()
		v.Set("can_create_repo", true)
		v.Set("is_me", true)
		v.Set("verified", u.Verified)
		v.Set("email", u.Email)
		v.Set("logins", []any{})
		v.Set("invoice_email", st.InvoiceEmail)
		v.Set("invoice_email_address", st.InvoiceEmailAddress)
		v.Set("preferred_namespace", false) // stripe_id is None: no billing
		v.Set("tag_expiration_s", st.TagExpirationS)
		v.Set("prompts", []any{})
		v.Set("company", nil)
		v.Set("family_name", nil)
		v.Set("given_name", nil)
		v.Set("location", nil)
		v.Set("is_free_account", true)
		v.Set("has_password_set", u.HasPassword)
		if s.quotaViewsEnabled() {
			pv := s.newPageViews(c.read)
			quotas, report := pv.quotaFields(u, pv.quota(u))
			v.Set("quotas", *quotas)
			v.Set("quota_report", *report)
		}
	}
	if c.can(userRead(u.Name)) {
		orgs := []userOrgView{}
		for _, o := range s.userOrganizations(c.read, u) {
			ov := userOrgView{Name: o.Name, Avatar: avatar.Compute(o.Name, o.Email, avatar.KindOrg),
				CanCreateRepo: c.can(createRepository(o.Name))}
			if isAdmin {
				admin := c.can(administerOrganization(o.Name))
				ov.IsOrgAdmin, ov.PreferredNamespace = &admin, new(bool)
			}
			orgs = append(orgs, ov)
		}
		v.Set("organizations", orgs)
	}
	me := c.who.user != nil && c.who.user.ID == u.ID
	if s.cfg.FeatureSuperUsers && c.isSuperuser() {
		v.Set("super_user", me)
	}
	if c.isGlobalReadonly() {
		v.Set("global_readonly_super_user", me)
	}
	return v
}

// userOrganizations is get_user_organizations: the organizations in which
// one of the user's teams is, each once, in the order of the user's teams
// (team id order).
func (s *Server) userOrganizations(rd store.Reader, u *store.Namespace) []*store.Namespace {
	var out []*store.Namespace
	seen := map[int64]bool{}
	rd.TeamsOf(store.UserEntity(u.ID), 0, func(t *store.Team) bool {
		if !seen[t.OrgID] {
			seen[t.OrgID] = true
			if o, ok := rd.NamespaceByID(t.OrgID); ok {
				out = append(out, o)
			}
		}
		return true
	})
	return out
}
