package fakequay

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// repositoryNotificationRoutes are endpoints/api/repositorynotification.py's
// resources. Every method is @require_repo_admin(allow_for_superuser=True),
// the reads also with allow_for_global_readonly_superuser=True; the
// decorator sits outside @validate_json_request, so it decides before the
// body is read.
func repositoryNotificationRoutes() []*route {
	const list = "/api/v1/repository/" + repoPathVar + "/notification/"
	const one = list + "{uuid}"
	return []*route{
		{pattern: list, ops: map[string]*operation{
			http.MethodPost: {nickname: "createRepoNotification", guard: requireRepoAdminWrite,
				schema: schemaNotificationCreate, handle: (*Server).createRepoNotification},
			http.MethodGet: {nickname: "listRepoNotifications", guard: requireRepoAdminRead, handle: (*Server).listRepoNotifications},
		}},
		{pattern: one, ops: map[string]*operation{
			http.MethodGet:    {nickname: "getRepoNotification", guard: requireRepoAdminRead, handle: (*Server).getRepoNotification},
			http.MethodDelete: {nickname: "deleteRepoNotification", guard: requireRepoAdminWrite, handle: (*Server).deleteRepoNotification},
			http.MethodPost: {nickname: "resetRepositoryNotificationFailures", guard: requireRepoAdminWrite,
				handle: (*Server).resetRepositoryNotificationFailures},
		}},
		{pattern: one + "/test", ops: map[string]*operation{
			http.MethodPost: {nickname: "testRepoNotification", guard: requireRepoAdminWrite, handle: (*Server).testRepoNotification},
		}},
	}
}

// requireRepoAdminRead is require_repo_admin(allow_for_superuser=True,
// allow_for_global_readonly_superuser=True) on the route's repository.
func requireRepoAdminRead(c *call) error {
	return c.requireRepoPermission(administerRepository(c.repoPath()), false,
		repoCheck{allowSuperuser: true, allowGlobalReadonly: true})
}

// requireRepoAdminWrite is require_repo_admin(allow_for_superuser=True) on
// the route's repository.
func requireRepoAdminWrite(c *call) error {
	return c.requireRepoPermission(administerRepository(c.repoPath()), false,
		repoCheck{allowSuperuser: true})
}

// notificationNamespaceID is the id of the route's namespace, 0 when there
// is none (then no repository of it exists either).
func (c *call) notificationNamespaceID() int64 {
	name, _ := c.repoPath()
	ns, ok := c.read.Namespace(name)
	if !ok {
		return 0
	}
	return ns.ID
}

// createRepoNotification is RepositoryNotificationList.post: the method's
// validation (repositorynotification_validate.go), then
// create_repo_notification with the configurations as json.dumps wrote
// them, and the add_repo_notification log. A repository that does not exist
// (only a superuser gets this far) is a NULL repository_id: an
// IntegrityError.
func (s *Server) createRepoNotification(c *call) error {
	ns, repoName := c.repoPath()
	body, _ := asObject(c.body)
	event, _ := body.str("event")
	method, _ := body.str("method")
	cfgValue, _ := body.get("config")
	config, _ := asObject(cfgValue)
	eventConfig, _ := body.get("eventConfig")
	if err := validateNotification(c.read, ns, event, method, config); err != nil {
		return err
	}
	n := store.RepoNotification{UUID: s.rand.uuid(), Event: event, Method: method,
		Config: pyDumps(cfgValue), EventConfig: pyDumps(eventConfig)}
	if title, ok := body.get("title"); ok && title != nil {
		t, _ := title.(string)
		n.Title = &t
	}
	audit := c.action("add_repo_notification", ns, notificationLog(repoName, ns, n.UUID, event, method))
	nsID := c.notificationNamespaceID()
	if nsID == 0 {
		return &crashError{reason: "IntegrityError: NOT NULL constraint failed: repositorynotification.repository_id"}
	}
	created, err := s.store.CreateRepoNotification(nsID, repoName, n, &audit)
	if errors.Is(err, store.ErrNotFound) {
		return &crashError{reason: "IntegrityError: NOT NULL constraint failed: repositorynotification.repository_id"}
	}
	if err != nil {
		return err
	}
	c.restful(http.StatusCreated, notificationOf(created))
	return nil
}

// notificationLog is the metadata of the three notification logs.
func notificationLog(repo, ns, uuid, event, method string) *metadata {
	return meta().set("repo", repo).set("namespace", ns).set("notification_id", uuid).
		set("event", event).set("method", method)
}

// listRepoNotifications is RepositoryNotificationList.get:
// list_repo_notifications, in creation order; none for a repository that
// does not exist.
func (s *Server) listRepoNotifications(c *call) error {
	out := notificationListView{Notifications: []notificationView{}}
	if repo, err := c.lookupRepository(); err == nil {
		for _, n := range c.read.RepoNotifications(repo) {
			out.Notifications = append(out.Notifications, notificationOf(n))
		}
	}
	c.restful(http.StatusOK, out)
	return nil
}

// getRepoNotification is RepositoryNotification.get: get_repo_notification
// finds the uuid in any repository, whichever the route names.
func (s *Server) getRepoNotification(c *call) error {
	n, ok := c.read.RepoNotificationByUUID(c.param("uuid"))
	if !ok {
		return errNotFound
	}
	c.restful(http.StatusOK, notificationOf(n))
	return nil
}

// errNoNotification is the InvalidRequest of delete, reset and test for a
// notification not found.
func errNoNotification(c *call) error {
	ns, repo := c.repoPath()
	return invalidRequest("No repository notification found for: " + ns + ", " + repo + ", " + c.param("uuid"))
}

// deleteRepoNotification is RepositoryNotification.delete:
// delete_repo_notification (the uuid, of the route's repository) and the
// delete_repo_notification log.
func (s *Server) deleteRepoNotification(c *call) error {
	ns, repo := c.repoPath()
	uuid := c.param("uuid")
	err := s.store.DeleteRepoNotification(c.notificationNamespaceID(), repo, uuid, func(n *store.RepoNotification) store.Action {
		return c.action("delete_repo_notification", ns, notificationLog(repo, ns, uuid, n.Event, n.Method))
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNoNotification(c)
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// resetRepositoryNotificationFailures is RepositoryNotification.post:
// reset_notification_number_of_failures and the reset_repo_notification
// log. An unknown uuid is the InvalidRequest; another repository's is the
// model's InvalidNotificationException, which nothing catches.
func (s *Server) resetRepositoryNotificationFailures(c *call) error {
	ns, repo := c.repoPath()
	uuid := c.param("uuid")
	err := s.store.ResetRepoNotificationFailures(c.notificationNamespaceID(), repo, uuid, func(n *store.RepoNotification) store.Action {
		return c.action("reset_repo_notification", ns, notificationLog(repo, ns, uuid, n.Event, n.Method))
	})
	if errors.Is(err, store.ErrNotFound) {
		return errNoNotification(c)
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// testRepoNotification is TestRepositoryNotification.post:
// queue_test_notification of the uuid, of whichever repository. The event's
// sample data is built first (vulnerability_found reads its level with
// int()); fakequay counts the queued test and sends nothing.
func (s *Server) testRepoNotification(c *call) error {
	uuid := c.param("uuid")
	n, ok := c.read.RepoNotificationByUUID(uuid)
	if !ok {
		return errNoNotification(c)
	}
	if err := notificationSampleData(n); err != nil {
		return err
	}
	if _, err := s.store.QueueTestRepoNotification(uuid); errors.Is(err, store.ErrNotFound) {
		return errNoNotification(c)
	} else if err != nil {
		return err
	}
	c.restful(http.StatusOK, json.RawMessage("{}"))
	return nil
}

// notificationSampleData is the part of get_sample_data that can fail:
// vulnerability_found's get_priority_for_index(level), whose int() raises
// a TypeError for null, a list or an object and an OverflowError for an
// infinite float (a ValueError, for a string that is no number, is caught).
func notificationSampleData(n *store.RepoNotification) error {
	if n.Event != "vulnerability_found" {
		return nil
	}
	v, err := py.Decode(n.EventConfig)
	if err != nil {
		return nil
	}
	cfg, _ := asObject(v)
	level, ok := cfg.get("level")
	if !ok {
		return nil
	}
	switch l := level.(type) {
	case nil, []any, *py.Object:
		return &crashError{reason: "TypeError: int() argument must be a string, a bytes-like object or a real number"}
	case float64:
		if math.IsInf(l, 0) {
			return &crashError{reason: "OverflowError: cannot convert float infinity to integer"}
		}
	}
	return nil
}
