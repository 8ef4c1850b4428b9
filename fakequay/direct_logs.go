package fakequay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The direct API for builds and audit logs (see direct.go): besides seeding
// and inspecting, it plays the parts of Quay that are not API calls, its
// build manager and its log archiver.

// AddBuild stores a build as the seed file's "builds" section would; its
// Started time defaults to the clock's time.
func (s *Server) AddBuild(b SeedBuild) error {
	err := s.store.Load(func(l *store.Loader) error { return addBuild(l, b, s.clock.Now()) })
	if err != nil {
		return fmt.Errorf("fakequay: AddBuild %q: %w", b.UUID, err)
	}
	return nil
}

// AppendBuildLog appends an entry to a build's live log, as Quay's build
// manager does (append_log_message): its data (a JSON object, or empty)
// gets a "datetime" key holding the clock's time as Python's
// str(datetime) writes it, e.g. "2025-02-04 13:45:10.412345", replacing
// any value already there. A build whose logs are archived is refused.
func (s *Server) AppendBuildLog(uuid string, entry SeedBuildLog) error {
	data, err := withLogDatetime(entry.Data, s.clock.Now())
	if err != nil {
		return fmt.Errorf("fakequay: AppendBuildLog %q: data: %w", uuid, err)
	}
	e := store.BuildLogEntry{Message: entry.Message, Type: entry.Type, Data: data}
	if err := s.store.AppendBuildLog(uuid, e); err != nil {
		return fmt.Errorf("fakequay: AppendBuildLog: %w", err)
	}
	return nil
}

// SetBuildPhase moves a build to phase as Quay's build manager does
// (update_job_phase): the build's log gains a "phase" entry whose message
// is the phase, stamped as AppendBuildLog stamps entries. A build that
// already reached complete, error or cancelled cannot change phase (an
// error); asking for the phase it is in changes nothing.
func (s *Server) SetBuildPhase(uuid, phase string) error {
	data, err := withLogDatetime(nil, s.clock.Now())
	if err != nil {
		return err
	}
	entry := store.BuildLogEntry{Message: phase, Type: "phase", Data: data}
	if _, err := s.store.SetBuildPhase(uuid, phase, entry); err != nil {
		return fmt.Errorf("fakequay: SetBuildPhase: %w", err)
	}
	return nil
}

// ArchiveBuildLogs does for one build what Quay's build-logs archiver
// worker does: the live log entries become the archived log file (none is
// written when there are no entries) and the build's logs read as a
// logs_url from then on. fakequay never runs the archiver by itself.
func (s *Server) ArchiveBuildLogs(uuid string) error {
	if err := s.store.ArchiveBuildLogs(uuid); err != nil {
		return fmt.Errorf("fakequay: ArchiveBuildLogs: %w", err)
	}
	return nil
}

// Build returns the build with the given uuid as it is now (current
// namespace name, phase, log entries and archived flag), and whether it
// exists. A build of a purged namespace no longer exists.
func (s *Server) Build(uuid string) (SeedBuild, bool) {
	rd := s.store.Read()
	b, ns, ok := rd.Build(uuid)
	if !ok {
		return SeedBuild{}, false
	}
	out := SeedBuild{
		UUID: b.UUID, Namespace: ns.Name, Repository: b.Repository, Phase: b.Phase,
		DisplayName: b.DisplayName, Started: b.Started, Tags: b.Tags, ManualUser: b.ManualUser,
		Subdirectory: b.Subdirectory, Context: b.Context, Error: b.StatusError, Archived: b.LogsArchived,
		ResourceKey: b.ResourceKey, ArchiveURL: b.ArchiveURL, TriggerMetadata: b.TriggerMetadata,
		RetriesRemaining: b.RetriesRemaining,
	}
	for _, e := range b.Logs {
		out.Logs = append(out.Logs, SeedBuildLog{Message: e.Message, Type: e.Type, Data: e.Data})
	}
	return out, true
}

// AddLog stores an audit-log entry as the seed file's "logs" section would.
func (s *Server) AddLog(lg SeedLog) error {
	err := s.store.Load(func(l *store.Loader) error {
		row, err := logRow(l.Read(), lg)
		if err != nil {
			return err
		}
		l.AddLog(row)
		return nil
	})
	if err != nil {
		return fmt.Errorf("fakequay: AddLog: %w", err)
	}
	return nil
}

// Logs returns every audit log in the order it was written, with its
// namespace and performer as listAllLogs would name them now: a deleted
// user's random name until the purge, nothing after it.
func (s *Server) Logs() []SeedLog {
	rd := s.store.Read()
	var out []SeedLog
	rd.AllLogs(func(e *store.LogEntry) bool {
		lg := SeedLog{Kind: e.Kind, IP: e.IP, Datetime: e.Time, Metadata: e.Metadata}
		if n, ok := rd.NamespaceByID(e.AccountID); ok {
			lg.Namespace = n.Name
		}
		if p, ok := rd.NamespaceByID(e.PerformerID); ok {
			lg.Performer = p.Name
		}
		out = append(out, lg)
		return true
	})
	return out
}

// withLogDatetime is the build manager's log_data["datetime"] =
// str(datetime.now()) on data (a JSON object, or empty for {}): the key
// keeps its place if present, else goes last.
func withLogDatetime(data json.RawMessage, now time.Time) (json.RawMessage, error) {
	obj, err := jsonObject(data)
	if err != nil {
		return nil, err
	}
	stamp := now.UTC().Format("2006-01-02 15:04:05.000000")
	if now.Nanosecond()/1000 == 0 {
		stamp = now.UTC().Format("2006-01-02 15:04:05")
	}
	return setObjectKey(obj, "datetime", stamp)
}

// setObjectKey is Python's obj[key] = value on a JSON object kept in key
// order: an existing key keeps its position, a new one goes last.
func setObjectKey(obj json.RawMessage, key string, value any) (json.RawMessage, error) {
	m := meta()
	found := false
	if len(obj) > 0 {
		dec := json.NewDecoder(bytes.NewReader(obj))
		if _, err := dec.Token(); err != nil { // {
			return nil, err
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := tok.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, err
			}
			if k == key {
				m.set(k, value)
				found = true
				continue
			}
			m.set(k, v)
		}
	}
	if !found {
		m.set(key, value)
	}
	return m.bytes(), nil
}
