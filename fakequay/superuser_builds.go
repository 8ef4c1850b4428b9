package fakequay

import (
	"net/http"

	"github.com/quaykit/go-quay/fakequay/internal/quaytime"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Builds: reference §2.15–§2.17, §3 getRepoBuildLogsArchiveSuperUser, the
// build view of §1.9 and quirk 12 of §4. An unknown uuid is a 400
// invalid_response everywhere except /build, which answers 404.

func buildRoutes() []*route {
	get := func(nickname string, handle func(*Server, *call) error) map[string]*operation {
		return map[string]*operation{http.MethodGet: {nickname: nickname, freshLogin: true, handle: handle}}
	}
	return []*route{
		{pattern: "/api/v1/superuser/{build_uuid}/status", ops: get("getRepoBuildStatusSuperUser", (*Server).getBuildStatus)},
		{pattern: "/api/v1/superuser/{build_uuid}/build", ops: get("getRepoBuildSuperUser", (*Server).getBuild)},
		{pattern: "/api/v1/superuser/{build_uuid}/logs", ops: get("getRepoBuildLogsSuperUser", (*Server).getBuildLogs)},
		{pattern: "/api/v1/superuser/{build_uuid}/logs/archive", ops: get("getRepoBuildLogsArchiveSuperUser", (*Server).getBuildLogsArchive)},
	}
}

// Phases Quay shows that no build row holds (endpoints/api/build.py
// _get_build_status).
const (
	phaseCannotLoad = "cannot_load" // Redis failed while reading the live status
	phaseExpired    = "expired"     // internalerror with no retries left
)

// redisDownMessage is what a caller without SuperUserPermission (a global
// read-only superuser) sees instead of the Redis error.
const redisDownMessage = "Redis may be down. Please contact support."

// errArchiveMissing is the answer when no archived log file exists.
var errArchiveMissing = invalidResponse("Archived logs not available")

// lookupBuild is pre_oci_model.get_repository_build, whose failure Quay
// reports as InvalidRepositoryBuildException with this message.
func (c *call) lookupBuild() (*store.Build, *store.Namespace, error) {
	uuid := c.param("build_uuid")
	b, ns, ok := c.read.Build(uuid)
	if !ok {
		return nil, nil, invalidResponse("Unable to locate a build by id: " + uuid)
	}
	return b, ns, nil
}

// getBuildStatus: §2.15.
func (s *Server) getBuildStatus(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	b, ns, err := c.lookupBuild()
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, c.buildView(b, ns))
	return nil
}

// getBuild: §2.16, the same view; an unknown uuid is a 404 here.
func (s *Server) getBuild(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	b, ns, err := c.lookupBuild()
	if err != nil {
		return errNotFound
	}
	c.restful(http.StatusOK, c.buildView(b, ns))
	return nil
}

// getBuildLogs: §2.17, get_logs_or_log_url. Archived logs answer with the
// archive's URL before "start" is read, so a bad start only crashes (int()
// raising ValueError) for live logs.
func (s *Server) getBuildLogs(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	b, _, err := c.lookupBuild()
	if err != nil {
		return err
	}
	if b.LogsArchived {
		c.restful(http.StatusOK, buildLogsURLView{LogsURL: c.logArchiveURL(b.UUID)})
		return nil
	}
	start := int64(0)
	if vs := c.r.URL.Query()["start"]; len(vs) > 0 {
		n, ok := pythonInt(vs[0])
		if !ok {
			return &crashError{reason: "ValueError: invalid literal for int() with base 10 (build logs start)"}
		}
		start = n
	}
	total, logs := liveBuildLogs(b, start)
	c.restful(http.StatusOK, buildLogsView{Start: start, Total: total, Logs: logs})
	return nil
}

// getBuildLogsArchive: §3. It streams the archived log file, which the
// archiver writes only for a build that had log entries.
func (s *Server) getBuildLogsArchive(c *call) error {
	if err := c.requireAnySuperuser(); err != nil {
		return err
	}
	b, _, err := c.lookupBuild()
	if err != nil {
		return err
	}
	if !b.LogsArchived || len(b.Logs) == 0 {
		return errArchiveMissing
	}
	// The archiver's StreamingJSONEncoder output, served by Flask's
	// send_file: no trailing newline, Werkzeug's file headers.
	body := pyDumps(buildLogsView{Start: 0, Total: len(b.Logs), Logs: buildLogViews(b.Logs)})
	h := c.w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Accept-Ranges", "bytes")
	c.raw(http.StatusOK, contentTypeJSON, body)
	return nil
}

// liveBuildLogs is RedisBuildLogs.get_log_entries: the list's length and
// LRANGE start..-1, where a negative start counts from the end. When Redis
// fails for the build, Quay answers as if the list were empty.
func liveBuildLogs(b *store.Build, start int64) (int, []buildLogView) {
	if b.StatusError != "" {
		return 0, []buildLogView{}
	}
	n := int64(len(b.Logs))
	from := start
	if from < 0 {
		from = max(n+from, 0)
	}
	if from >= n {
		return len(b.Logs), []buildLogView{}
	}
	return len(b.Logs), buildLogViews(b.Logs[from:])
}

func buildLogViews(entries []store.BuildLogEntry) []buildLogView {
	out := make([]buildLogView, len(entries))
	for i, e := range entries {
		out[i] = buildLogView{Message: e.Message, Type: e.Type, Data: e.Data}
	}
	return out
}

// buildView is RepositoryBuild.to_dict for the caller. The fields Quay
// reads from the build's job config (subdirectory, dockerfile_path,
// context, tags, manual_user, trigger_metadata and the job's archive_url)
// always show their defaults: superuser_models_pre_oci.py's
// get_repository_build passes get_job_config the job-config string where
// it expects the build, and get_job_config's bare except turns the
// AttributeError into {}. Checked against the running Quay (ffba0c70e) with
// its fixture builds, whose job config names tags, a subdirectory and
// trigger metadata. The store keeps those values for the repository build
// API, which reads them correctly. is_writer and archive_url depend on the
// caller's permissions on the build's repository.
func (c *call) buildView(b *store.Build, ns *store.Namespace) buildView {
	phase, statusErr := c.buildPhase(b)
	canWrite := c.can(modifyRepository(ns.Name, b.Repository))
	v := buildView{
		ID:          b.UUID,
		Phase:       phase,
		Started:     quaytime.FormatRFC2822(b.Started),
		DisplayName: b.DisplayName,
		Tags:        []string{},
		IsWriter:    canWrite,
		ResourceKey: b.ResourceKey,
		Repository:  buildRepositoryView{Namespace: ns.Name, Name: b.Repository},
		Error:       statusErr,
	}
	if canWrite && b.ResourceKey != nil {
		v.ArchiveURL = c.externalURL("/userfiles/" + *b.ResourceKey)
	}
	return v
}

// buildPhase is _get_build_status: a non-terminal build's live status comes
// from Redis, and a failure there shows as phase "cannot_load" with the
// error (only a caller with SuperUserPermission sees its text); an
// "internalerror" build whose queue item has no retries left is "expired".
// Quay's build manager never writes the live status itself, so the status
// object is always empty.
func (c *call) buildPhase(b *store.Build) (string, *string) {
	phase := b.Phase
	var statusErr *string
	if !store.IsTerminalPhase(phase) && b.StatusError != "" {
		phase = phaseCannotLoad
		msg := redisDownMessage
		if c.isSuperuser() {
			msg = b.StatusError
		}
		statusErr = &msg
	}
	if phase == store.PhaseInternalError && !b.RetriesRemaining {
		phase = phaseExpired
	}
	return phase, statusErr
}

// logArchiveURL is LogArchive.get_file_url for local storage: the web
// route /logarchive/<uuid>. Quay builds it from PREFERRED_URL_SCHEME and
// SERVER_HOSTNAME (or hands out a signed storage URL); fakequay uses the
// request's own host, and does not serve the route.
func (c *call) logArchiveURL(uuid string) string {
	return c.externalURL("/logarchive/" + uuid)
}
