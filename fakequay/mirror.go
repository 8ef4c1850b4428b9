package fakequay

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Repository mirroring: endpoints/api/mirror.py, every resource behind
// @show_if(features.REPO_MIRROR). get is require_repo_admin with the
// global read-only superuser allowed, the writes without; the decorator
// sits outside @validate_json_request. Not modelled: organization-level
// mirroring (_reject_if_org_mirror_configured never refuses),
// FEATURE_SPARSE_INDEX (off: a non-empty architecture_filter is refused),
// SSRF_ALLOWED_HOSTS (empty) and DNS (see mirror_ssrf.go).

func mirrorRoutes() []*route {
	const base = "/api/v1/repository/" + repoPathVar + "/mirror"
	when := func(c *Config) bool { return c.FeatureRepoMirror }
	return []*route{
		{pattern: base, when: when, ops: map[string]*operation{
			http.MethodGet: {nickname: "getRepoMirrorConfig", guard: requireRepoAdminRead, handle: (*Server).getRepoMirrorConfig},
			http.MethodPost: {nickname: "createRepoMirrorConfig", guard: requireRepoAdminWrite, schema: schemaCreateMirrorConfig,
				handle: (*Server).createRepoMirrorConfig},
			http.MethodPut: {nickname: "changeRepoMirrorConfig", guard: requireRepoAdminWrite, schema: schemaUpdateMirrorConfig,
				handle: (*Server).changeRepoMirrorConfig},
		}},
		{pattern: base + "/sync-now", when: when, ops: map[string]*operation{
			http.MethodPost: {nickname: "syncNow", guard: requireRepoAdminWrite, handle: (*Server).syncNow},
		}},
		{pattern: base + "/sync-cancel", when: when, ops: map[string]*operation{
			http.MethodPost: {nickname: "syncCancel", guard: requireRepoAdminWrite, handle: (*Server).syncCancel},
		}},
	}
}

// detailError is a (dict, status) mirror.py returns itself: only
// {"detail": ...}, through Flask-RESTful's output.
type detailError struct {
	status int
	detail string
}

func (e *detailError) Error() string { return strconv.Itoa(e.status) + " " + e.detail }

func (e *detailError) write(c *call) { c.restful(e.status, detailView{Detail: e.detail}) }

// resolvedIP is util/ipresolver's resolve_ip for an address outside AWS's
// ranges without a GeoIP entry (fakequay models neither): the bundled
// aws-ip-ranges.json's syncToken, everything else null.
const resolvedIP = `{"provider":"internet","service":null,"sync_token":"1645662201","country_iso_code":null,"aws_region":null,"continent":null}`

// mirrorAction is track_and_log("repo_mirror_config_changed", ...): the
// repository, the user agent, changed and to, then the caller's token and
// user name, then the resolved address.
func (c *call) mirrorAction(ns, repo, changed string, to any) *store.Action {
	m := meta().set("repo", repo).set("namespace", ns).set("user-agent", c.r.UserAgent()).
		set("changed", changed).set("to", to)
	if tok := c.who.token; tok != nil {
		m.set("oauth_token_id", tok.ID).set("oauth_token_application_id", tok.ClientID).
			set("oauth_token_application", tok.Application)
	}
	if c.who.user != nil {
		m.set("username", c.who.user.Name)
	}
	m.setRaw("resolved_ip", []byte(resolvedIP))
	a := store.Action{Kind: "repo_mirror_config_changed", Account: ns, IP: c.clientIP(), Time: c.now, Metadata: m.bytes()}
	if c.who.user != nil {
		a.PerformerID = c.who.user.ID
	}
	return &a
}

// mirrorOf is get_repository then get_mirror: NotFound for either.
func (c *call) mirrorOf() (*store.Namespace, *store.Repository, *store.RepoMirror, error) {
	ns, name := c.repoPath()
	n, repo, ok := c.repository(ns, name)
	if !ok {
		return nil, nil, nil, errNotFound
	}
	m, ok := c.read.RepoMirrorOf(n.ID, repo.Name)
	if !ok {
		return nil, nil, nil, errNotFound
	}
	return n, repo, m, nil
}

// getRepoMirrorConfig is RepoMirrorResource.get.
func (s *Server) getRepoMirrorConfig(c *call) error {
	n, _, m, err := c.mirrorOf()
	if err != nil {
		return err
	}
	robot := ""
	if m.InternalRobotID != 0 {
		c.read.Robots(n.ID, func(rb *store.Robot) bool {
			if rb.ID == m.InternalRobotID {
				robot = n.Name + "+" + rb.ShortName
				return false
			}
			return true
		})
	}
	c.restful(http.StatusOK, mirrorConfigOf(m, robot))
	return nil
}

// mirrorDateRE is strptime's regular expression for "%Y-%m-%dT%H:%M:%SZ"
// (compiled with IGNORECASE). Python's \d also matches non-ASCII decimal
// digits, which int() reads; fakequay refuses those.
var mirrorDateRE = lazyRegexp(`^(?i)([0-9]{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])t(2[0-3]|[0-1][0-9]|[0-9]):([0-5][0-9]|[0-9]):(6[0-1]|[0-5][0-9]|[0-9])z$`)

// parseMirrorDate is RepoMirrorResource._string_to_dt: datetime.strptime
// with "%Y-%m-%dT%H:%M:%SZ", a naive datetime taken as UTC. ok is false
// where Python raises ValueError.
func parseMirrorDate(s string) (time.Time, bool) {
	g := mirrorDateRE().FindStringSubmatch(s)
	if g == nil {
		return time.Time{}, false
	}
	var f [6]int
	for i := range f {
		f[i], _ = strconv.Atoi(strings.TrimPrefix(g[i+1], " "))
	}
	year, month, day, hour, minute, sec := f[0], f[1], f[2], f[3], f[4], f[5]
	if year < 1 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // day out of range for month
	}
	return t, true
}

// mirrorRobot is _validate_robot_for_mirroring: lookup_robot, then the
// robot's namespace must be the repository's.
func (c *call) mirrorRobot(ns, name string) (*store.Robot, error) {
	rb, owner, err := c.read.LookupRobot(name)
	if err != nil {
		return nil, err
	}
	if owner.Name != ns {
		return nil, &store.ModelError{Message: "Invalid robot"}
	}
	return rb, nil
}

// errRuleValue is validate_rule's ValidationError, which the API answers
// as an InvalidRequest.
var errRuleValue = invalidRequest("validation failed: rule_value for TAG_GLOB_CSV must be a list with at least one rule")

// stringList is a JSON array the schema has checked holds strings.
func stringList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// pyInt64 is an integer the schema has checked, or the OverflowError
// SQLite's driver raises for one that does not fit.
func pyInt64(v any) (int64, error) {
	i, _ := v.(py.Int)
	n, ok := i.Int64()
	if !ok {
		return 0, &crashError{reason: "OverflowError: Python int too large to convert to SQLite INTEGER"}
	}
	return n, nil
}

// mirrorCreateKeys are the keys of a create body that
// enable_mirroring_for_repository accepts, after root_rule, robot_username
// and architecture_filter are taken out; any other is a TypeError.
var mirrorCreateKeys = map[string]bool{
	"is_enabled": true, "external_reference": true, "external_registry_username": true,
	"external_registry_password": true, "external_registry_config": true, "sync_interval": true,
	"sync_start_date": true, "skopeo_timeout_interval": true,
	"root_rule": true, "robot_username": true, "architecture_filter": true,
}

// createRepoMirrorConfig is RepoMirrorResource.post.
func (s *Server) createRepoMirrorConfig(c *call) error {
	ns, name := c.repoPath()
	n, repo, ok := c.repository(ns, name)
	if !ok {
		return errNotFound
	}
	if _, ok := c.read.RepoMirrorOf(n.ID, repo.Name); ok {
		return &detailError{http.StatusConflict, "Mirror configuration already exits for repository " + ns + "/" + name}
	}
	body, _ := asObject(c.body)
	ref, _ := body.str("external_reference")
	if detail := validateExternalReference(ref); detail != "" {
		return invalidRequest(detail)
	}
	arch, _ := body.get("architecture_filter")
	if l, _ := arch.([]any); len(l) > 0 {
		return &detailError{http.StatusBadRequest, "Architecture filtering requires FEATURE_SPARSE_INDEX to be enabled."}
	}
	dateText, _ := body.str("sync_start_date")
	start, ok := parseMirrorDate(dateText)
	if !ok {
		return &detailError{http.StatusBadRequest, "Incorrect DateTime format for sync_start_date."}
	}
	ruleValue, _ := body.get("root_rule")
	rule, _ := asObject(ruleValue)
	patterns, _ := rule.get("rule_value")
	if l, _ := patterns.([]any); len(l) == 0 {
		return errRuleValue
	}
	// create_rule has stored the rule: a failure from here on leaves it.
	failed := func(robotID int64, err error) error {
		if ferr := s.store.FailMirrorCreate(n.ID, repo.Name, robotID); ferr != nil {
			return ferr
		}
		return err
	}
	robotName, ok := body.str("robot_username")
	if !ok {
		return failed(0, &crashError{reason: "KeyError: 'robot_username'"})
	}
	rb, err := c.mirrorRobot(ns, robotName)
	if err != nil {
		return failed(0, err)
	}
	for key := range body.o.All() {
		if !mirrorCreateKeys[key] {
			// _setup_robot_for_mirroring has granted the robot its
			// permission before enable_mirroring_for_repository fails.
			return failed(rb.ID, &crashError{reason: "TypeError: enable_mirroring_for_repository() got an unexpected keyword argument '" + key + "'"})
		}
	}
	interval, _ := body.get("sync_interval")
	timeout, _ := body.get("skopeo_timeout_interval")
	m := store.RepoMirror{NamespaceID: n.ID, Repository: repo.Name, Enabled: true, Status: store.MirrorNeverRun,
		InternalRobotID: rb.ID, SyncRetriesRemaining: 3, SyncTransactionID: s.rand.uuid(),
		ExternalReference: ref, RegistryConfig: []byte("{}"), ArchitectureFilter: []string{}, SyncStartDate: &start,
		TagPatterns: stringList(patterns)}
	if m.SyncInterval, err = pyInt64(interval); err != nil {
		return err
	}
	if m.SkopeoTimeout, err = pyInt64(timeout); err != nil {
		return err
	}
	if enabled, ok := body.boolean("is_enabled"); ok {
		m.Enabled = enabled
	}
	if u, _ := body.str("external_registry_username"); u != "" {
		m.Username = &u
	}
	if p, _ := body.str("external_registry_password"); p != "" {
		m.Password = &p
	}
	if cfg, ok := body.get("external_registry_config"); ok {
		if o, _ := asObject(cfg); o.o != nil && o.o.Len() > 0 {
			m.RegistryConfig = pyDumps(cfg)
		}
	}
	if _, err := s.store.CreateRepoMirror(m, *c.mirrorAction(ns, name, "external_reference", ref)); err != nil {
		if errors.Is(err, store.ErrMirrorExists) {
			return &detailError{http.StatusConflict, "RepoMirrorConfig already exists for this repository."}
		}
		return err
	}
	c.restful(http.StatusCreated, "")
	return nil
}

// changeRepoMirrorConfig is RepoMirrorResource.put: every check first,
// then each change in mirror.py's order with its log. Each of Quay's
// update_with_transaction calls succeeds, so each logs even when the value
// is unchanged; set_mirroring_robot returns None, so a robot change logs
// nothing; and change_external_registry_config, for a mirror without a
// proxy object, creates it empty and drops the value.
func (s *Server) changeRepoMirrorConfig(c *call) error {
	ns, name := c.repoPath()
	n, repo, _, err := c.mirrorOf()
	if err != nil {
		return err
	}
	body, _ := asObject(c.body)
	var changes []store.MirrorChange
	add := func(apply func(*store.RepoMirror), changed string, to any) {
		changes = append(changes, store.MirrorChange{Apply: apply, Audit: c.mirrorAction(ns, name, changed, to)})
	}
	ref, hasRef := body.str("external_reference")
	if hasRef {
		if detail := validateExternalReference(ref); detail != "" {
			return invalidRequest(detail)
		}
	}
	var start time.Time
	dateText, hasDate := body.str("sync_start_date")
	if hasDate {
		var ok bool
		if start, ok = parseMirrorDate(dateText); !ok {
			return &detailError{http.StatusBadRequest, "Incorrect DateTime format for sync_start_date."}
		}
	}
	arch, hasArch := body.get("architecture_filter")
	if l, _ := arch.([]any); len(l) > 0 {
		return &detailError{http.StatusBadRequest, "Architecture filtering requires FEATURE_SPARSE_INDEX to be enabled."}
	}
	username, hasUser := body.get("external_registry_username")
	password, hasPassword := body.get("external_registry_password")
	if hasPassword && !hasUser {
		return &detailError{http.StatusBadRequest, "Unable to set a new password without also specifying a username."}
	}
	if hasUser && hasPassword && username == nil && password != nil {
		return &detailError{http.StatusBadRequest, "Unable to delete username while setting a password."}
	}
	ruleValue, hasRule := body.get("root_rule")
	var patterns any
	if hasRule {
		rule, _ := asObject(ruleValue)
		patterns, _ = rule.get("rule_value")
		if l, _ := patterns.([]any); len(l) == 0 {
			return errRuleValue
		}
	}
	robotName, hasRobot := body.str("robot_username")
	var robotID int64
	if hasRobot {
		rb, err := c.mirrorRobot(ns, robotName)
		if err != nil {
			return err
		}
		robotID = rb.ID
	}
	var interval, timeout int64
	intervalValue, hasInterval := body.get("sync_interval")
	if hasInterval {
		if interval, err = pyInt64(intervalValue); err != nil {
			return err
		}
	}
	timeoutValue, hasTimeout := body.get("skopeo_timeout_interval")
	if hasTimeout {
		if timeout, err = pyInt64(timeoutValue); err != nil {
			return err
		}
	}

	if enabled, ok := body.boolean("is_enabled"); ok {
		add(func(m *store.RepoMirror) { m.Enabled = enabled }, "is_enabled", enabled)
	}
	if hasRef {
		add(func(m *store.RepoMirror) { m.ExternalReference = ref }, "external_reference", ref)
	}
	if hasRobot {
		changes = append(changes, store.MirrorChange{Apply: func(m *store.RepoMirror) { m.InternalRobotID = robotID }})
	}
	if hasDate {
		add(func(m *store.RepoMirror) { m.SyncStartDate = &start }, "sync_start_date", start.Unix())
	}
	if hasInterval {
		add(func(m *store.RepoMirror) { m.SyncInterval = interval }, "sync_interval", interval)
	}
	if hasTimeout {
		add(func(m *store.RepoMirror) { m.SkopeoTimeout = timeout }, "skopeo_timeout_interval", timeout)
	}
	if hasArch {
		filter := stringList(arch)
		add(func(m *store.RepoMirror) { m.ArchitectureFilter = filter }, "architecture_filter", arch)
	}
	optString := func(v any) *string {
		if s, ok := v.(string); ok {
			return &s
		}
		return nil
	}
	switch {
	case hasUser && hasPassword:
		u, p := optString(username), optString(password)
		add(func(m *store.RepoMirror) { m.Username, m.Password = u, p }, "external_registry_username", username)
		if password == nil {
			add(nil, "external_registry_password", nil)
		} else {
			add(nil, "external_registry_password", "********")
		}
	case hasUser:
		u := optString(username)
		add(func(m *store.RepoMirror) { m.Username = u }, "external_registry_username", username)
	}
	if cfgValue, ok := body.get("external_registry_config"); ok {
		cfg, _ := asObject(cfgValue)
		for _, key := range []string{"verify_tls", "unsigned_images"} {
			if v, ok := cfg.get(key); ok {
				add(func(m *store.RepoMirror) { setRegistryConfig(m, func(o *py.Object) { o.Set(key, v) }) }, key, v)
			}
		}
		if proxyValue, ok := cfg.get("proxy"); ok {
			proxy, _ := asObject(proxyValue)
			for _, key := range []string{"http_proxy", "https_proxy", "no_proxy"} {
				v, ok := proxy.get(key)
				if !ok {
					continue
				}
				add(func(m *store.RepoMirror) {
					setRegistryConfig(m, func(o *py.Object) {
						cur, ok := o.Get("proxy")
						if !ok {
							o.Set("proxy", py.NewObject())
							return
						}
						if p, ok := cur.(*py.Object); ok {
							p.Set(key, v)
						}
					})
				}, key, v)
			}
		}
	}
	if hasRule {
		// change_rule updates the repository's first rule: an orphan of a
		// failed creation, when there is one, and then the mirror keeps its
		// patterns (the log is written all the same).
		list := stringList(patterns)
		add(func(m *store.RepoMirror) {
			if repo.OrphanMirrorRules == 0 {
				m.TagPatterns = list
			}
		}, "mirror_rule", patterns)
	}
	if _, err := s.store.ChangeRepoMirror(n.ID, repo.Name, robotID, changes); err != nil {
		return err
	}
	c.restful(http.StatusCreated, "")
	return nil
}

// setRegistryConfig changes the mirror's external_registry_config as a
// Python dict, keeping its key order.
func setRegistryConfig(m *store.RepoMirror, change func(*py.Object)) {
	o := py.NewObject()
	if len(m.RegistryConfig) > 0 {
		if v, err := py.Decode(m.RegistryConfig); err == nil {
			if d, ok := v.(*py.Object); ok {
				o = d
			}
		}
	}
	change(o)
	m.RegistryConfig = pyDumps(o)
}

// syncNow is RepoMirrorSyncNowResource.post: update_sync_status_to_sync_now,
// NotFound when the repository, its mirror, or the transition is missing.
func (s *Server) syncNow(c *call) error {
	return s.mirrorSync(c, "SYNC_NOW", s.store.MirrorSyncNow)
}

// syncCancel is RepoMirrorSyncCancelResource.post:
// update_sync_status_to_cancel (logged as to "SYNC_CANCEL").
func (s *Server) syncCancel(c *call) error {
	return s.mirrorSync(c, "SYNC_CANCEL", s.store.MirrorSyncCancel)
}

func (s *Server) mirrorSync(c *call, to string,
	change func(namespaceID int64, name, txnID string, audit *store.Action) (*store.RepoMirror, error)) error {
	ns, name := c.repoPath()
	n, repo, _, err := c.mirrorOf()
	if err != nil {
		return err
	}
	_, err = change(n.ID, repo.Name, s.rand.uuid(), c.mirrorAction(ns, name, "sync_status", to))
	if errors.Is(err, store.ErrMirrorSyncRefused) || errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}
