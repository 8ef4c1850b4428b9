package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// repository is a repository as Quay's repository list shows it. The seed
// has no repositories yet; builds and mirrors are found through them.
type repository struct {
	Namespace   string  `json:"namespace"`
	Name        string  `json:"name"`
	State       string  `json:"state"`
	Description *string `json:"description"`
	IsPublic    bool    `json:"is_public"`
	Kind        string  `json:"kind"`
}

// readRepositories lists every namespace's repositories (listRepos), which
// the superuser API cannot. A Quay without that API (fakequay) lists none.
func readRepositories(ctx context.Context, r *reader) error {
	found := make([][]repository, len(r.views))
	missing := make([]int, len(r.views)) // the status of an API that is not there
	err := forEach(ctx, len(r.views), func(ctx context.Context, i int) error {
		err := pages(ctx, func(ctx context.Context, token string) (string, error) {
			var page struct {
				Repositories []repository `json:"repositories"`
				NextPage     string       `json:"next_page"`
			}
			if err := r.get(ctx, withPage("repository", url.Values{"namespace": {r.views[i].Name}}, token), &page); err != nil {
				return "", err
			}
			found[i] = append(found[i], page.Repositories...)
			return page.NextPage, nil
		})
		var qe *quay.Error
		if errors.As(err, &qe) && (qe.StatusCode == 404 || qe.StatusCode == 405) {
			missing[i] = qe.StatusCode
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(missing, func(status int) bool { return status != 0 }); i >= 0 {
		r.warnf("repositories: GET /api/v1/repository answered %d: builds come only from Options.Builds, and repository mirrors are not read", missing[i])
		return nil
	}
	r.repos = slices.Concat(found...)
	return nil
}

// buildView is Quay's build_status_view.
type buildView struct {
	ID              string          `json:"id"`
	Phase           string          `json:"phase"`
	Started         quay.Timestamp  `json:"started"`
	DisplayName     string          `json:"display_name"`
	Subdirectory    string          `json:"subdirectory"`
	Context         string          `json:"context"`
	Tags            []string        `json:"tags"`
	ManualUser      *string         `json:"manual_user"`
	TriggerMetadata json.RawMessage `json:"trigger_metadata"`
	ResourceKey     *string         `json:"resource_key"`
	Repository      struct {
		Namespace string `json:"namespace"`
		Name      string `json:"name"`
	} `json:"repository"`
	ArchiveURL string `json:"archive_url"`
}

// readBuilds reads every build of every repository (getRepoBuilds, whose
// view shows the job's tags, subdirectory and trigger metadata, which
// Quay's superuser build view loses), then Options.Builds through the
// superuser API, and each build's log.
func readBuilds(ctx context.Context, r *reader) error {
	perRepo := make([][]buildView, len(r.repos))
	err := forEach(ctx, len(r.repos), func(ctx context.Context, i int) error {
		var list struct {
			Builds []buildView `json:"builds"`
		}
		repo := r.repos[i]
		path := "repository/" + url.PathEscape(repo.Namespace) + "/" + url.PathEscape(repo.Name) + "/build/?limit=1000000"
		if err := r.get(ctx, path, &list); err != nil {
			return err
		}
		slices.Reverse(list.Builds) // newest first; the seed keeps them oldest first
		perRepo[i] = list.Builds
		return nil
	})
	if err != nil {
		return err
	}
	views := slices.Concat(perRepo...)
	for _, uuid := range r.opts.Builds {
		if slices.ContainsFunc(views, func(b buildView) bool { return b.ID == uuid }) {
			continue
		}
		var b buildView
		if err := r.get(ctx, "superuser/"+url.PathEscape(uuid)+"/build", &b); err != nil {
			return err
		}
		views = append(views, b)
	}
	var builds []fakequay.SeedBuild
	for _, v := range views {
		if sb, ok := r.seedBuild(v); ok {
			builds = append(builds, sb)
		}
	}
	warnings := make([]string, len(builds)) // reported in build order, not as calls finish
	err = forEach(ctx, len(builds), func(ctx context.Context, i int) error {
		var err error
		warnings[i], err = r.readBuildLogs(ctx, &builds[i])
		return err
	})
	for _, w := range warnings {
		if w != "" {
			r.warnf("%s", w)
		}
	}
	r.seed.Builds = builds
	return err
}

func (r *reader) seedBuild(b buildView) (fakequay.SeedBuild, bool) {
	sb := fakequay.SeedBuild{UUID: b.ID, Namespace: b.Repository.Namespace, Repository: b.Repository.Name,
		Phase: b.Phase, DisplayName: b.DisplayName, Started: b.Started.Time, ManualUser: b.ManualUser,
		Subdirectory: b.Subdirectory, Context: b.Context, ResourceKey: b.ResourceKey}
	if len(b.Tags) > 0 {
		sb.Tags = b.Tags
	}
	if string(b.TriggerMetadata) != "null" && len(b.TriggerMetadata) > 0 {
		sb.TriggerMetadata = compact(b.TriggerMetadata)
	}
	if b.ResourceKey == nil {
		sb.ArchiveURL = b.ArchiveURL
	}
	switch b.Phase {
	case "expired": // internalerror with no retries left
		sb.Phase = "internalerror"
	case "internalerror":
		sb.RetriesRemaining = true
	case "cannot_load":
		r.warnf("build %s left out: Quay could not read its live status (phase cannot_load), so its phase is unknown", b.ID)
		return sb, false
	}
	if !r.hasNamespace(sb.Namespace) {
		r.warnf("build %s left out: its namespace %s is not one the seed has", b.ID, sb.Namespace)
		return sb, false
	}
	return sb, true
}

// readBuildLogs reads a build's log entries, or its archived log. Entries
// carry only message, type and data in a seed; a build whose log Quay
// cannot read (a 4xx or 5xx) gets none. It returns what it could not keep.
func (r *reader) readBuildLogs(ctx context.Context, b *fakequay.SeedBuild) (string, error) {
	var v struct {
		Logs    []map[string]json.RawMessage `json:"logs"`
		LogsURL string                       `json:"logs_url"`
	}
	path := "superuser/" + url.PathEscape(b.UUID) + "/logs"
	err := r.get(ctx, path, &v)
	if v.LogsURL != "" && err == nil {
		b.Archived = true
		v.Logs = nil
		err = r.get(ctx, path+"/archive", &v)
	}
	var qe *quay.Error
	if errors.As(err, &qe) {
		return fmt.Sprintf("build %s: its log is not readable (GET %s answered %d); seeded without one", b.UUID, path, qe.StatusCode), nil
	}
	if err != nil {
		return "", err
	}
	dropped := map[string]int{}
	for _, e := range v.Logs {
		var entry fakequay.SeedBuildLog
		for key, raw := range e {
			var err error
			switch key {
			case "message":
				err = json.Unmarshal(raw, &entry.Message)
			case "type":
				err = json.Unmarshal(raw, &entry.Type)
			case "data":
				entry.Data = compact(raw)
			default:
				dropped[key]++
			}
			if err != nil {
				return "", fmt.Errorf("build %s: log entry %s: %w", b.UUID, key, err)
			}
		}
		b.Logs = append(b.Logs, entry)
	}
	if len(dropped) == 0 {
		return "", nil
	}
	var parts []string
	for _, key := range slices.Sorted(maps.Keys(dropped)) {
		parts = append(parts, fmt.Sprintf("%q (%d entries)", key, dropped[key]))
	}
	return fmt.Sprintf("build %s: log-entry keys a seed does not hold were left out: %s", b.UUID, strings.Join(parts, ", ")), nil
}

// readRepoMirrors reads each repository in state MIRROR (getRepoMirrorConfig)
// and the mirror workers from the health summary. Quay shows pending tags
// only as a total, which the seed puts on the first mirrored repository.
func readRepoMirrors(ctx context.Context, r *reader) error {
	if r.seed.Config == nil || !r.seed.Config.FeatureRepoMirror {
		return nil
	}
	var health struct {
		Workers struct {
			Active int64 `json:"active"`
		} `json:"workers"`
		TagsPending int64 `json:"tags_pending"`
	}
	ok, err := r.getIfReadable(ctx, "superuser/mirror/health", "repository mirrors", &health)
	if !ok || err != nil {
		return err
	}
	rm := &fakequay.SeedRepoMirroring{WorkersActive: health.Workers.Active}
	for _, repo := range r.repos {
		if repo.State != "MIRROR" {
			continue
		}
		var m struct {
			IsEnabled                bool            `json:"is_enabled"`
			ExternalReference        string          `json:"external_reference"`
			ExternalRegistryUsername *string         `json:"external_registry_username"`
			ExternalRegistryConfig   json.RawMessage `json:"external_registry_config"`
			SyncInterval             int64           `json:"sync_interval"`
			SyncStartDate            *string         `json:"sync_start_date"`
			SyncExpirationDate       *string         `json:"sync_expiration_date"`
			SyncRetriesRemaining     int64           `json:"sync_retries_remaining"`
			SyncStatus               string          `json:"sync_status"`
			RootRule                 struct {
				RuleValue []string `json:"rule_value"`
			} `json:"root_rule"`
			RobotUsername         string   `json:"robot_username"`
			SkopeoTimeoutInterval int64    `json:"skopeo_timeout_interval"`
			ArchitectureFilter    []string `json:"architecture_filter"`
		}
		if err := r.get(ctx, "repository/"+url.PathEscape(repo.Namespace)+"/"+url.PathEscape(repo.Name)+"/mirror", &m); err != nil {
			return err
		}
		// The password is never shown: the seed has none.
		mirror := fakequay.SeedRepoMirror{Namespace: repo.Namespace, Repository: repo.Name, Status: m.SyncStatus, Enabled: ptr(m.IsEnabled),
			ExternalReference: m.ExternalReference, ExternalRegistryUsername: m.ExternalRegistryUsername,
			ExternalRegistryConfig: m.ExternalRegistryConfig, SyncInterval: m.SyncInterval,
			SyncRetriesRemaining: ptr(m.SyncRetriesRemaining), SkopeoTimeoutInterval: m.SkopeoTimeoutInterval,
			TagPatterns: m.RootRule.RuleValue, ArchitectureFilter: m.ArchitectureFilter}
		for _, d := range []struct {
			text *string
			dst  **time.Time
		}{{m.SyncStartDate, &mirror.SyncStartDate}, {m.SyncExpirationDate, &mirror.SyncExpirationDate}} {
			if d.text == nil {
				continue
			}
			t, err := time.Parse(time.RFC3339Nano, *d.text)
			if err != nil {
				return fmt.Errorf("repository mirrors: %s/%s: %w", repo.Namespace, repo.Name, err)
			}
			*d.dst = &t
		}
		if slices.ContainsFunc(r.seed.Robots, func(rb fakequay.SeedRobot) bool { return rb.Name == m.RobotUsername }) {
			mirror.InternalRobot = m.RobotUsername
		} else if m.RobotUsername != "" {
			r.warnf("repository mirrors: %s/%s pulls with %s, a robot the snapshot did not read", repo.Namespace, repo.Name, m.RobotUsername)
		}
		rm.Repositories = append(rm.Repositories, mirror)
	}
	if health.TagsPending > 0 {
		if len(rm.Repositories) == 0 {
			r.warnf("repository mirrors: %d pending tags but no mirrored repository to hold them", health.TagsPending)
		} else {
			rm.Repositories[0].PendingTags = health.TagsPending
		}
	}
	if rm.WorkersActive == 0 && len(rm.Repositories) == 0 {
		return nil
	}
	r.seed.RepoMirror = rm
	return nil
}
