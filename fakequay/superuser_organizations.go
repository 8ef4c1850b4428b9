package fakequay

import (
	"errors"
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Organizations: reference §2.5–§2.7.

func superuserOrganizationRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/superuser/organizations/", ops: map[string]*operation{
			http.MethodGet: {nickname: "listAllOrganizations", freshLogin: true, paged: true, query: []queryParam{
				{name: "next_page", kind: paramString, help: "The page token for the next page"},
				{name: "limit", kind: paramInt, help: helpLimit},
			}, handle: (*Server).listAllOrganizations},
		}},
		{pattern: "/api/v1/superuser/organizations/{name}", ops: map[string]*operation{
			http.MethodPut:    {nickname: "changeOrganization", freshLogin: true, schema: schemaUpdateOrg, handle: (*Server).changeOrganization},
			http.MethodDelete: {nickname: "deleteOrganization", freshLogin: true, handle: (*Server).deleteOrganization},
		}},
	}
}

// listAllOrganizations: §2.5.
func (s *Server) listAllOrganizations(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	page, next, err := c.idPage(c.read.Organizations)
	if err != nil {
		return err
	}
	defer page.release()
	c.restful(http.StatusOK, &orgPageView{views: s.newPageViews(c.read), rows: page.rows, next: next})
	return nil
}

// changeOrganization: §2.6. The log is written before anything is checked,
// so an unknown name is a 500 and a user's name a 400 that keeps the log.
func (s *Server) changeOrganization(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	name := c.param("name")
	body, _ := asObject(c.body)
	var newName *string
	if n, ok := body.str("name"); ok {
		newName = &n
	}
	audit := c.action("org_change_name", name,
		meta().set("old_name", name).set("new_name", newName).set("superuser", c.who.user.Name))
	org, err := s.store.RenameOrganization(name, newName, audit)
	if err != nil {
		return err
	}
	v := s.orgView(s.store.Read(), org)
	c.restful(http.StatusOK, &v)
	return nil
}

// deleteOrganization: §2.7. 204; a name that is not an organization is a
// 404 with no log.
func (s *Server) deleteOrganization(c *call) error {
	if err := c.requireSuperuser(); err != nil {
		return err
	}
	name := c.param("name")
	audit := c.action("org_delete", name, meta().set("namespace", name))
	err := s.store.DeleteOrganization(name, audit, s.tombstone())
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}
