package fakequay

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The content half of the concurrency mix: each worker's repositories
// (created, described, made private and public, deleted), the direct
// permissions of its own collaborator and of its owners team, a default
// permission (prototype) of the owners team that applies to the next
// repositories, notifications, the tags and labels of a pushed repository
// and the organization's quota. Every answer is predicted from what the
// worker did; contentState checks the end state.

// stressRepo is what a worker knows of a repository it created.
type stressRepo struct {
	name          string
	public        bool
	collab        string   // the collaborator's direct role, "" for none
	owners        string   // the owners team's role, "" for none
	notifications []string // uuids
}

// stressContent is what a worker knows of its organization's content.
type stressContent struct {
	repos     []*stressRepo
	prototype string            // the owners team's default permission id, "" for none
	digests   []string          // the manifests pushed into <org>/content
	alive     map[string]string // tags t<n> alive: name -> digest
	deleted   map[string]string // tags t<n> deleted and restorable: name -> digest
	labels    []string          // label ids on digests[0]
	quota     bool              // the organization has a quota
}

// stressCollaborator is the user a worker gives direct permissions: a
// seeded user no worker deletes.
func stressCollaborator(g int) string { return fmt.Sprintf("collab%02d", g) }

// contentStep runs one of the content operations (roll in [0, 40)).
func (w *stressWorker) contentStep(roll int) error {
	c := w.content
	repoAPI := "/api/v1/repository/" + w.org + "/"
	var r *stressRepo
	if len(c.repos) > 0 {
		r = c.repos[w.rng.IntN(len(c.repos))]
	}
	pick := func(m map[string]string) (string, string, bool) {
		if len(m) == 0 {
			return "", "", false
		}
		keys := slices.Sorted(maps.Keys(m))
		k := keys[w.rng.IntN(len(keys))]
		return k, m[k], true
	}
	switch {
	case roll < 5 || r == nil:
		r = &stressRepo{name: fmt.Sprintf("repo%d", w.created), public: w.rng.IntN(2) == 0, collab: ""}
		w.created++
		vis := "private"
		if r.public {
			vis = "public"
		}
		if _, err := w.expect("createRepo", "POST", "/api/v1/repository",
			fmt.Sprintf(`{"namespace": %q, "repository": %q, "visibility": %q, "description": ""}`, w.org, r.name, vis), 201); err != nil {
			return err
		}
		if c.prototype != "" {
			r.owners = "read" // data/model/permission.py apply_default_permissions
		}
		c.repos = append(c.repos, r)
		w.logs++
	case roll < 7:
		if _, err := w.expect("updateRepo", "PUT", repoAPI+r.name, fmt.Sprintf(`{"description": "d%d"}`, w.rng.IntN(100)), 200); err != nil {
			return err
		}
		w.logs++
	case roll < 9:
		r.public = !r.public
		vis := "private"
		if r.public {
			vis = "public"
		}
		if _, err := w.expect("changeRepoVisibility", "POST", repoAPI+r.name+"/changevisibility", `{"visibility": "`+vis+`"}`, 200); err != nil {
			return err
		}
		w.logs++
	case roll < 11:
		if _, err := w.expect("deleteRepository", "DELETE", repoAPI+r.name, "", 204); err != nil {
			return err
		}
		c.repos = slices.DeleteFunc(c.repos, func(x *stressRepo) bool { return x == r })
		w.logs++
	case roll < 13:
		role := []string{"read", "write", "admin"}[w.rng.IntN(3)]
		if _, err := w.expect("changeUserPermissions", "PUT", repoAPI+r.name+"/permissions/user/"+stressCollaborator(w.g),
			`{"role": "`+role+`"}`, 200); err != nil {
			return err
		}
		r.collab = role
		w.logs++
	case roll < 15:
		want := 204
		if r.collab == "" {
			want = 400
		}
		if _, err := w.expect("deleteUserPermissions", "DELETE", repoAPI+r.name+"/permissions/user/"+stressCollaborator(w.g), "", want); err != nil {
			return err
		}
		if r.collab != "" {
			r.collab = ""
			w.logs++
		}
	case roll < 17:
		role := []string{"read", "write", "admin"}[w.rng.IntN(3)]
		if _, err := w.expect("changeTeamPermissions", "PUT", repoAPI+r.name+"/permissions/team/owners", `{"role": "`+role+`"}`, 200); err != nil {
			return err
		}
		r.owners = role
		w.logs++
	case roll < 19:
		want := 204
		if r.owners == "" {
			want = 400
		}
		if _, err := w.expect("deleteTeamPermissions", "DELETE", repoAPI+r.name+"/permissions/team/owners", "", want); err != nil {
			return err
		}
		if r.owners != "" {
			r.owners = ""
			w.logs++
		}
	case roll < 21:
		body, err := w.expect("listRepoUserPermissions", "GET", repoAPI+r.name+"/permissions/user/", "", 200)
		if err != nil {
			return err
		}
		var got struct {
			Permissions map[string]struct{ Role string } `json:"permissions"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			return err
		}
		if got.Permissions[stressCollaborator(w.g)].Role != r.collab {
			return fmt.Errorf("%s/%s lists %s, the worker gave its collaborator %q", w.org, r.name, body, r.collab)
		}
	case roll < 23:
		orgAPI := "/api/v1/organization/" + w.org + "/prototypes"
		if c.prototype == "" {
			body, err := w.expect("createOrganizationPrototypePermission", "POST", orgAPI,
				`{"role": "read", "delegate": {"kind": "team", "name": "owners"}}`, 200)
			if err != nil {
				return err
			}
			var got struct{ ID string }
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				return err
			}
			c.prototype = got.ID
		} else {
			if _, err := w.expect("deleteOrganizationPrototypePermission", "DELETE", orgAPI+"/"+c.prototype, "", 204); err != nil {
				return err
			}
			c.prototype = ""
		}
		w.logs++
	case roll < 25:
		body, err := w.expect("createRepoNotification", "POST", repoAPI+r.name+"/notification/",
			`{"event": "repo_push", "method": "webhook", "config": {"url": "http://hook.example/x"}, "eventConfig": {}}`, 201)
		if err != nil {
			return err
		}
		var got struct{ UUID string }
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			return err
		}
		r.notifications = append(r.notifications, got.UUID)
		w.logs++
	case roll < 26:
		if len(r.notifications) == 0 {
			return nil
		}
		uuid := r.notifications[0]
		if _, err := w.expect("deleteRepoNotification", "DELETE", repoAPI+r.name+"/notification/"+uuid, "", 204); err != nil {
			return err
		}
		r.notifications = r.notifications[1:]
		w.logs++
	case roll < 29:
		name := fmt.Sprintf("t%d", w.rng.IntN(6))
		digest := c.digests[w.rng.IntN(len(c.digests))]
		if _, err := w.expect("changeTag", "PUT", repoAPI+"content/tag/"+name, fmt.Sprintf(`{"manifest_digest": %q}`, digest), 201); err != nil {
			return err
		}
		w.logs++ // tag.py RepositoryTag.put logs create_tag or move_tag, also for the same manifest
		c.alive[name] = digest
		delete(c.deleted, name)
	case roll < 31:
		name, digest, ok := pick(c.alive)
		if !ok {
			return nil
		}
		if _, err := w.expect("deleteFullTag", "DELETE", repoAPI+"content/tag/"+name, "", 204); err != nil {
			return err
		}
		delete(c.alive, name)
		c.deleted[name] = digest
		w.logs++
	case roll < 32:
		name, digest, ok := pick(c.deleted)
		if !ok {
			return nil
		}
		if _, err := w.expect("restoreTag", "POST", repoAPI+"content/tag/"+name+"/restore", fmt.Sprintf(`{"manifest_digest": %q}`, digest), 200); err != nil {
			return err
		}
		delete(c.deleted, name)
		c.alive[name] = digest
		w.logs++
	case roll < 34:
		body, err := w.expect("addManifestLabel", "POST", repoAPI+"content/manifest/"+c.digests[0]+"/labels",
			fmt.Sprintf(`{"key": "k%d", "value": "v", "media_type": null}`, w.rng.IntN(5)), 201)
		if err != nil {
			return err
		}
		var got struct {
			Label struct{ ID string } `json:"label"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			return err
		}
		c.labels = append(c.labels, got.Label.ID)
		w.logs++
	case roll < 35:
		if len(c.labels) == 0 {
			return nil
		}
		id := c.labels[0]
		if _, err := w.expect("deleteManifestLabel", "DELETE", repoAPI+"content/manifest/"+c.digests[0]+"/labels/"+id, "", 204); err != nil {
			return err
		}
		c.labels = c.labels[1:]
		w.logs++
	default:
		return w.orgQuotaStep()
	}
	return nil
}

// orgQuotaStep creates, resizes or deletes the organization's quota
// through namespacequota.py (a superuser with full access).
func (w *stressWorker) orgQuotaStep() error {
	c := w.content
	path := "/api/v1/organization/" + w.org + "/quota"
	if !c.quota {
		if _, err := w.expect("createOrganizationQuota", "POST", path, fmt.Sprintf(`{"limit_bytes": %d}`, 1+w.rng.IntN(1<<30)), 201); err != nil {
			return err
		}
		c.quota = true
		w.logs++
		return nil
	}
	body, err := w.expect("listOrganizationQuota", "GET", path, "", 200)
	if err != nil {
		return err
	}
	var quotas []struct{ ID int64 }
	if err := json.Unmarshal([]byte(body), &quotas); err != nil {
		return err
	}
	if len(quotas) != 1 {
		return fmt.Errorf("organization %s lists %d quotas, the worker made one", w.org, len(quotas))
	}
	one := fmt.Sprintf("%s/%d", path, quotas[0].ID)
	if w.rng.IntN(2) == 0 {
		if _, err := w.expect("changeOrganizationQuota", "PUT", one, fmt.Sprintf(`{"limit_bytes": %d}`, 1+w.rng.IntN(1<<30)), 200); err != nil {
			return err
		}
		w.logs++
		return nil
	}
	if _, err := w.expect("deleteOrganizationQuota", "DELETE", one, "", 204); err != nil {
		return err
	}
	c.quota = false
	w.logs++
	return nil
}

// contentFacts is a worker's content as comparable facts.
type contentFacts struct {
	Repos      map[string]string // name -> "public|private collab=<role> owners=<role> notifications=<n>"
	Prototypes int
	Tags       map[string]string // alive tags t<n> -> digest
	Labels     []string
	Quota      bool
}

// checkStressContent compares what the worker predicted with what the
// server holds after the run, read through the API.
func checkStressContent(t *testing.T, h *harness, w *stressWorker) {
	t.Helper()
	c := w.content
	want := contentFacts{Repos: map[string]string{}, Tags: map[string]string{}, Labels: append([]string{}, c.labels...), Quota: c.quota}
	slices.Sort(want.Labels)
	for _, r := range c.repos {
		want.Repos[r.name] = repoFact(r.public, r.collab, r.owners, len(r.notifications))
	}
	if c.prototype != "" {
		want.Prototypes = 1
	}
	maps.Copy(want.Tags, c.alive)

	got := contentFacts{Repos: map[string]string{}, Tags: map[string]string{}, Labels: []string{}}
	read := func(path string, v any) {
		t.Helper()
		r := h.do("GET", path, tokAdmin, "")
		if r.Status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		if err := json.Unmarshal([]byte(r.Body), v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	for _, repo := range h.s.Repositories(w.org) {
		if repo.Name == "content" || repo.State != "NORMAL" { // a deleted repository is renamed and marked
			continue
		}
		api := "/api/v1/repository/" + w.org + "/" + repo.Name
		var info struct {
			IsPublic bool `json:"is_public"`
		}
		read(api, &info)
		var users struct {
			Permissions map[string]struct{ Role string } `json:"permissions"`
		}
		read(api+"/permissions/user/", &users)
		var teams struct {
			Permissions map[string]struct{ Role string } `json:"permissions"`
		}
		read(api+"/permissions/team/", &teams)
		var notes struct {
			Notifications []json.RawMessage `json:"notifications"`
		}
		read(api+"/notification/", &notes)
		got.Repos[repo.Name] = repoFact(info.IsPublic, users.Permissions[stressCollaborator(w.g)].Role, teams.Permissions["owners"].Role, len(notes.Notifications))
	}
	var protos struct {
		Prototypes []json.RawMessage `json:"prototypes"`
	}
	read("/api/v1/organization/"+w.org+"/prototypes", &protos)
	got.Prototypes = len(protos.Prototypes)
	var tags struct {
		Tags []struct {
			Name           string `json:"name"`
			ManifestDigest string `json:"manifest_digest"`
		} `json:"tags"`
	}
	read("/api/v1/repository/"+w.org+"/content/tag/?onlyActiveTags=true&limit=100", &tags)
	for _, tg := range tags.Tags {
		if tg.Name != "v0" && tg.Name != "v1" {
			got.Tags[tg.Name] = tg.ManifestDigest
		}
	}
	var labels struct {
		Labels []struct {
			ID     string `json:"id"`
			Source string `json:"source_type"`
		} `json:"labels"`
	}
	read("/api/v1/repository/"+w.org+"/content/manifest/"+c.digests[0]+"/labels", &labels)
	for _, l := range labels.Labels {
		if l.Source == "api" {
			got.Labels = append(got.Labels, l.ID)
		}
	}
	slices.Sort(got.Labels)
	var quotas []json.RawMessage
	read("/api/v1/organization/"+w.org+"/quota", &quotas)
	got.Quota = len(quotas) == 1
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("worker %d's content in %s (-want +got):\n%s", w.g, w.org, diff)
	}
}

func repoFact(public bool, collab, owners string, notifications int) string {
	vis := "private"
	if public {
		vis = "public"
	}
	return fmt.Sprintf("%s collab=%s owners=%s notifications=%d", vis, collab, owners, notifications)
}
