package fakequay

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Concurrency (issue 6, item 5): many clients at once through the
// socket-free client, under the race detector, with the outcome of every
// request predicted and the whole state checked afterwards.

const (
	stressWorkers = 32
	stressOps     = 500
)

// stressSeed adds an organization per worker to the fixture, whose owners
// team holds admin, so that each worker renames and manages its own, a
// collaborator per worker (stressCollaborator), and the service keys k1
// and k2, which all share. Superusers get full access, which the
// organization quota routes need.
func stressSeed(s *Seed) {
	for g := range stressWorkers {
		s.Organizations = append(s.Organizations, SeedOrganization{Name: fmt.Sprintf("org%02d", g), Email: "org@example.com",
			Teams: []SeedTeam{{Name: "owners", Role: "admin", Members: []string{"admin"}}}})
		s.Users = append(s.Users, SeedUser{Username: stressCollaborator(g), Email: stressCollaborator(g) + "@example.com"})
	}
	s.Config.FeatureSuperusersFullAccess = true
	seedKeys(s)
}

// pushStressContent pushes two images into each worker's <org>/content
// (tags v0 and v1, which the workers leave alone) and returns their
// digests per organization.
func pushStressContent(t *testing.T, h *harness) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for g := range stressWorkers {
		org := fmt.Sprintf("org%02d", g)
		for i := range 2 {
			img, err := h.s.PushImage(org, "content", fmt.Sprintf("v%d", i),
				ImageSpec{Layers: []LayerSpec{{Seed: fmt.Sprintf("%s-%d", org, i), Size: 100}}})
			if err != nil {
				t.Fatalf("pushing into %s/content: %v", org, err)
			}
			out[org] = append(out[org], img.Digest)
		}
	}
	return out
}

// stressTeam is what a worker knows of a team of its organization.
type stressTeam struct {
	name        string
	description string
	adminIn     bool // admin is a member
}

// stressRobot is what a worker knows of a robot of its organization.
type stressRobot struct {
	short, token string
	federated    bool
}

// stressUser is what a worker knows of a user it created.
type stressUser struct {
	email    string
	enabled  bool
	hasQuota bool
}

// stressWorker runs one client's operations. Every user and organization it
// touches is its own, so it can predict every answer; the service key,
// the registry-size queue and the messages are shared, and their answers
// are the same whoever else writes.
type stressWorker struct {
	g      int
	ctx    context.Context
	client *http.Client
	rng    *rand.Rand

	users    map[string]*stressUser // not deleted (a disabled user survives deletion, §2.3)
	created  int
	org      string         // the own organization's current name
	content  *stressContent // its repositories, permissions, tags, labels and quota
	teams    []*stressTeam  // its teams besides owners, in creation order
	robots   []*stressRobot // its robots, in creation order
	logs     int            // audit logs the successful operations wrote
	messages int            // global messages created
	counts   map[string]int
}

// expect sends a request and checks its status and that the reply has a
// known shape; it returns the body.
func (w *stressWorker) expect(kind, method, path, body string, statuses ...int) (string, error) {
	w.counts[kind]++
	r, err := send(w.ctx, w.client, method, path, tokAdmin, body)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", method, path, err)
	}
	if _, err := shapeOf(method, r); err != nil {
		return "", fmt.Errorf("%s %s: %w", method, path, err)
	}
	if !slices.Contains(statuses, r.Status) {
		return "", fmt.Errorf("%s %s %s: status %d, want %v: %.300s", kind, method, path, r.Status, statuses, r.Body)
	}
	return r.Body, nil
}

func (w *stressWorker) pickUser() (string, *stressUser) {
	if len(w.users) == 0 {
		return "", nil
	}
	names := slices.Sorted(maps.Keys(w.users))
	name := names[w.rng.IntN(len(names))]
	return name, w.users[name]
}

// step runs one operation drawn from the mix.
func (w *stressWorker) step() error {
	name, u := w.pickUser()
	roll := w.rng.IntN(190)
	if roll >= 150 {
		return w.contentStep(roll - 150)
	}
	if roll >= 130 {
		return w.robotStep(roll - 130)
	}
	if roll >= 100 {
		return w.teamStep(roll - 100)
	}
	switch {
	case roll < 18 || u == nil:
		name := fmt.Sprintf("w%02du%03d", w.g, w.created)
		w.created++
		email := name + "@example.com"
		if _, err := w.expect("createInstallUser", "POST", "/api/v1/superuser/users/",
			`{"username": "`+name+`", "email": "`+email+`"}`, 200); err != nil {
			return err
		}
		w.users[name] = &stressUser{email: email, enabled: true}
		w.logs++
	case roll < 28:
		body, err := w.expect("getInstallUser", "GET", "/api/v1/superuser/users/"+name, "", 200)
		if err != nil {
			return err
		}
		var got struct {
			Email   string `json:"email"`
			Enabled bool   `json:"enabled"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			return err
		}
		if got.Email != u.email || got.Enabled != u.enabled {
			return fmt.Errorf("user %s reads %+v, but the worker set email %q enabled %v", name, got, u.email, u.enabled)
		}
	case roll < 36:
		if _, err := w.expect("listAllUsers", "GET", "/api/v1/superuser/users/?limit=20", "", 200); err != nil {
			return err
		}
	case roll < 46:
		if _, err := w.expect("changeInstallUser", "PUT", "/api/v1/superuser/users/"+name,
			fmt.Sprintf(`{"enabled": %v}`, !u.enabled), 200); err != nil {
			return err
		}
		u.enabled = !u.enabled
		w.logs++
	case roll < 52:
		email := fmt.Sprintf("%s-%d@example.com", name, w.rng.Int())
		if _, err := w.expect("changeInstallUser", "PUT", "/api/v1/superuser/users/"+name, `{"email": "`+email+`"}`, 200); err != nil {
			return err
		}
		u.email = email
		w.logs++
	case roll < 60:
		if _, err := w.expect("deleteInstallUser", "DELETE", "/api/v1/superuser/users/"+name, "", 204); err != nil {
			return err
		}
		w.logs++
		if u.enabled {
			delete(w.users, name)
		}
	case roll < 66:
		want := 201
		if u.hasQuota {
			want = 400 // one quota per namespace (§2.14)
		}
		if _, err := w.expect("createUserQuotaSuperUser", "POST", "/api/v1/superuser/users/"+name+"/quota",
			fmt.Sprintf(`{"limit_bytes": %d}`, 1+w.rng.IntN(1<<30)), want); err != nil {
			return err
		}
		u.hasQuota = true
	case roll < 72:
		return w.changeQuota(name, u)
	case roll < 78:
		other := strings.TrimSuffix(w.org, "-b")
		if other == w.org {
			other = w.org + "-b"
		}
		if _, err := w.expect("changeOrganization", "PUT", "/api/v1/superuser/organizations/"+w.org, `{"name": "`+other+`"}`, 200); err != nil {
			return err
		}
		w.org = other
		w.logs++
	case roll < 81:
		if _, err := w.expect("takeOwnership", "POST", "/api/v1/superuser/takeownership/"+w.org, "", 200); err != nil {
			return err
		}
		w.logs++
	case roll < 85:
		if _, err := w.expect("listAllLogs", "GET", "/api/v1/superuser/logs", "", 200); err != nil {
			return err
		}
	case roll < 88:
		if _, err := w.expect("createGlobalMessage", "POST", "/api/v1/messages",
			fmt.Sprintf(`{"message": {"content": "w%02d", "media_type": "text/plain", "severity": "info"}}`, w.g), 201); err != nil {
			return err
		}
		w.messages++
	case roll < 91:
		if _, err := w.expect("queueRegistrySizeCalculation", "POST", "/api/v1/superuser/registrysize/", "", 201, 202); err != nil {
			return err
		}
	case roll < 95:
		if _, err := w.expect("updateServiceKey", "PUT", "/api/v1/superuser/keys/k1",
			fmt.Sprintf(`{"metadata": {"w%02d": %d}}`, w.g, w.rng.IntN(1000)), 200); err != nil {
			return err
		}
		w.logs++
	case roll < 98:
		if _, err := w.expect("createInstallUser", "POST", "/api/v1/superuser/users/",
			`{"username": "Bad_Name", "email": "bad@example.com"}`, 400); err != nil {
			return err
		}
	default:
		if _, err := w.expect("getInstallUser", "GET", fmt.Sprintf("/api/v1/superuser/users/nobody%02d", w.g), "", 404); err != nil {
			return err
		}
	}
	return nil
}

// teamStep runs one of the organization and team operations (roll in
// [0, 30)) on the worker's own organization, which admin owns.
func (w *stressWorker) teamStep(roll int) error {
	orgPath := "/api/v1/organization/" + w.org
	var t *stressTeam
	if len(w.teams) > 0 {
		t = w.teams[w.rng.IntN(len(w.teams))]
	}
	switch {
	case roll < 6 || t == nil:
		t = &stressTeam{name: fmt.Sprintf("t%d", w.created)}
		w.created++
		if _, err := w.expect("updateOrganizationTeam", "PUT", orgPath+"/team/"+t.name, `{"role": "member"}`, 200); err != nil {
			return err
		}
		w.teams = append(w.teams, t)
		w.logs++
	case roll < 10:
		desc := fmt.Sprintf("d%d", w.rng.IntN(3))
		if _, err := w.expect("updateOrganizationTeam", "PUT", orgPath+"/team/"+t.name,
			`{"role": "member", "description": "`+desc+`"}`, 200); err != nil {
			return err
		}
		if desc != t.description {
			t.description = desc
			w.logs++
		}
	case roll < 15:
		want := 200
		if t.adminIn {
			want = 400 // UserAlreadyInTeam
		}
		if _, err := w.expect("updateOrganizationTeamMember", "PUT", orgPath+"/team/"+t.name+"/members/admin", "", want); err != nil {
			return err
		}
		if !t.adminIn {
			t.adminIn = true
			w.logs++
		}
	case roll < 18:
		want := 204
		if !t.adminIn {
			want = 400 // does not belong to the team
		}
		if _, err := w.expect("deleteOrganizationTeamMember", "DELETE", orgPath+"/team/"+t.name+"/members/admin", "", want); err != nil {
			return err
		}
		if t.adminIn {
			t.adminIn = false
			w.logs++
		}
	case roll < 22:
		body, err := w.expect("getOrganizationTeamMembers", "GET", orgPath+"/team/"+t.name+"/members", "", 200)
		if err != nil {
			return err
		}
		var got struct {
			Members []struct{ Name string } `json:"members"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			return err
		}
		if (len(got.Members) == 1 && got.Members[0].Name == "admin") != t.adminIn || len(got.Members) > 1 {
			return fmt.Errorf("team %s/%s lists %+v, but the worker has admin in it %v", w.org, t.name, got.Members, t.adminIn)
		}
	case roll < 25:
		if _, err := w.expect("deleteOrganizationTeam", "DELETE", orgPath+"/team/"+t.name, "", 204); err != nil {
			return err
		}
		w.teams = slices.DeleteFunc(w.teams, func(x *stressTeam) bool { return x == t })
		w.logs++
	case roll < 28:
		body, err := w.expect("getOrganization", "GET", orgPath, "", 200)
		if err != nil {
			return err
		}
		var got struct {
			OrderedTeams []string `json:"ordered_teams"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			return err
		}
		want := []string{"owners"}
		for _, t := range w.teams {
			want = append(want, t.name)
		}
		if !slices.Equal(want, got.OrderedTeams) {
			return fmt.Errorf("organization %s lists teams %v, the worker made %v", w.org, got.OrderedTeams, want)
		}
	default:
		name := fmt.Sprintf("w%02dorg%d", w.g, w.created)
		w.created++
		if _, err := w.expect("createOrganization", "POST", "/api/v1/organization/", `{"name": "`+name+`"}`, 201); err != nil {
			return err
		}
		if _, err := w.expect("deleteAdminedOrganization", "DELETE", "/api/v1/organization/"+name, "", 204); err != nil {
			return err
		}
		w.logs += 2
	}
	return nil
}

// robotStep runs one of the robot operations (roll in [0, 20)) on the
// worker's own organization, whose robots follow its renames.
func (w *stressWorker) robotStep(roll int) error {
	path := "/api/v1/organization/" + w.org + "/robots"
	var rb *stressRobot
	if len(w.robots) > 0 {
		rb = w.robots[w.rng.IntN(len(w.robots))]
	}
	decode := func(body string, v any) error { return json.Unmarshal([]byte(body), v) }
	switch {
	case roll < 5 || rb == nil:
		rb = &stressRobot{short: fmt.Sprintf("r%d", w.created)}
		w.created++
		body, err := w.expect("createOrgRobot", "PUT", path+"/"+rb.short, `{"description": "made by a worker"}`, 201)
		if err != nil {
			return err
		}
		var got struct{ Token string }
		if err := decode(body, &got); err != nil {
			return err
		}
		rb.token = got.Token
		w.robots = append(w.robots, rb)
		w.logs++
	case roll < 9:
		body, err := w.expect("getOrgRobots", "GET", path+"?permissions=true", "", 200)
		if err != nil {
			return err
		}
		var got struct {
			Robots []struct{ Name, Token string }
		}
		if err := decode(body, &got); err != nil {
			return err
		}
		var want, listed []string
		for _, r := range w.robots {
			want = append(want, w.org+"+"+r.short+" "+r.token)
		}
		for _, r := range got.Robots {
			listed = append(listed, r.Name+" "+r.Token)
		}
		if !slices.Equal(want, listed) {
			return fmt.Errorf("organization %s lists robots %v, the worker has %v", w.org, listed, want)
		}
	case roll < 12:
		body, err := w.expect("regenerateOrgRobotToken", "POST", path+"/"+rb.short+"/regenerate", "", 200)
		if err != nil {
			return err
		}
		var got struct{ Token string }
		if err := decode(body, &got); err != nil {
			return err
		}
		if got.Token == rb.token {
			return fmt.Errorf("robot %s kept its token", rb.short)
		}
		rb.token = got.Token
		w.logs++
	case roll < 15:
		if rb.federated {
			if _, err := w.expect("deleteOrgRobotFederation", "DELETE", path+"/"+rb.short+"/federation", "", 204); err != nil {
				return err
			}
		} else if _, err := w.expect("createOrgRobotFederation", "POST", path+"/"+rb.short+"/federation",
			`[{"issuer": "https://ci.example", "subject": "`+w.org+`"}]`, 200); err != nil {
			return err
		}
		rb.federated = !rb.federated
		w.logs++
	case roll < 17:
		body, err := w.expect("getOrgRobotFederation", "GET", path+"/"+rb.short+"/federation", "", 200)
		if err != nil {
			return err
		}
		var got []json.RawMessage
		if err := decode(body, &got); err != nil {
			return err
		}
		if (len(got) == 1) != rb.federated {
			return fmt.Errorf("robot %s has federation %s, the worker set %v", rb.short, body, rb.federated)
		}
	default:
		if _, err := w.expect("deleteOrgRobot", "DELETE", path+"/"+rb.short, "", 204); err != nil {
			return err
		}
		w.robots = slices.DeleteFunc(w.robots, func(x *stressRobot) bool { return x == rb })
		w.logs++
	}
	return nil
}

// changeQuota resizes or deletes the user's quota, whose id only the list
// shows (§2.14: create does not return it).
func (w *stressWorker) changeQuota(name string, u *stressUser) error {
	body, err := w.expect("listUserQuotaSuperUser", "GET", "/api/v1/superuser/users/"+name+"/quota", "", 200)
	if err != nil {
		return err
	}
	var quotas []struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &quotas); err != nil {
		return err
	}
	want := 0
	if u.hasQuota {
		want = 1
	}
	if len(quotas) != want {
		return fmt.Errorf("user %s lists %d quotas, but the worker has it with quota %v", name, len(quotas), u.hasQuota)
	}
	if !u.hasQuota {
		return nil
	}
	path := fmt.Sprintf("/api/v1/superuser/users/%s/quota/%d", name, quotas[0].ID)
	if w.rng.IntN(2) == 0 {
		_, err := w.expect("changeUserQuotaSuperUser", "PUT", path, fmt.Sprintf(`{"limit_bytes": %d}`, 1+w.rng.IntN(1<<30)), 200)
		return err
	}
	if _, err := w.expect("deleteUserQuotaSuperUser", "DELETE", path, "", 204); err != nil {
		return err
	}
	u.hasQuota = false
	return nil
}

// TestConcurrentMixedOperations runs 32 workers × 500 operations against
// one server (the superuser API, and each worker's organization: its teams,
// their members, its robots with their tokens and federation,
// organizations made and deleted), every answer predicted,
// then checks that nothing was lost:
// the store's invariants hold, every worker's users and organization read
// back as the worker left them, and the audit log holds exactly one row
// per logging operation that succeeded.
func TestConcurrentMixedOperations(t *testing.T) {
	t.Parallel()
	h := newHarness(t, stressSeed)
	digests := pushStressContent(t, h)
	seedLogs := len(h.logs())
	workers := make([]*stressWorker, stressWorkers)
	var wg sync.WaitGroup
	errs := make(chan error, stressWorkers)
	for g := range workers {
		w := &stressWorker{g: g, ctx: t.Context(), client: h.client, rng: rand.New(rand.NewPCG(uint64(g), 0x5eed)),
			users: map[string]*stressUser{}, org: fmt.Sprintf("org%02d", g), counts: map[string]int{},
			content: &stressContent{digests: digests[fmt.Sprintf("org%02d", g)], alive: map[string]string{}, deleted: map[string]string{}}}
		workers[g] = w
		wg.Go(func() {
			for range stressOps {
				if err := w.step(); err != nil {
					errs <- fmt.Errorf("worker %d: %w", w.g, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	if err := serverInvariants(h.s); err != nil {
		t.Fatalf("invariants after the run: %v", err)
	}
	counts := map[string]int{}
	wantLogs, wantMessages := seedLogs, 0
	for _, w := range workers {
		for k, n := range w.counts {
			counts[k] += n
		}
		wantLogs += w.logs
		wantMessages += w.messages
	}
	if got := len(h.logs()); got != wantLogs {
		t.Errorf("%d audit logs, want %d (one per logging operation that succeeded)", got, wantLogs)
	}
	var messages struct {
		Messages []json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal([]byte(h.do("GET", "/api/v1/messages", tokNone, "").Body), &messages); err != nil {
		t.Fatal(err)
	}
	if len(messages.Messages) != wantMessages {
		t.Errorf("%d global messages, want %d", len(messages.Messages), wantMessages)
	}

	type userState struct {
		Email   string `json:"email"`
		Enabled bool   `json:"enabled"`
	}
	var users struct {
		Users []struct {
			Username string `json:"username"`
			userState
		} `json:"users"`
	}
	if err := json.Unmarshal([]byte(h.do("GET", "/api/v1/superuser/users/", tokAdmin, "").Body), &users); err != nil {
		t.Fatal(err)
	}
	gotUsers, wantUsers := map[string]userState{}, map[string]userState{}
	for _, u := range users.Users {
		if strings.HasPrefix(u.Username, "w") {
			gotUsers[u.Username] = u.userState
		}
	}
	var orgs struct {
		Organizations []struct {
			Name string `json:"name"`
		} `json:"organizations"`
	}
	if err := json.Unmarshal([]byte(h.do("GET", "/api/v1/superuser/organizations/", tokAdmin, "").Body), &orgs); err != nil {
		t.Fatal(err)
	}
	var gotOrgs, wantOrgs []string
	for _, o := range orgs.Organizations {
		if strings.HasPrefix(o.Name, "org") {
			gotOrgs = append(gotOrgs, o.Name)
		}
	}
	for _, w := range workers {
		for name, u := range w.users {
			wantUsers[name] = userState{Email: u.email, Enabled: u.enabled}
		}
		wantOrgs = append(wantOrgs, w.org)
	}
	if diff := cmp.Diff(wantUsers, gotUsers); diff != "" {
		t.Errorf("the workers' users (-want +got):\n%s", diff)
	}
	slices.Sort(gotOrgs)
	slices.Sort(wantOrgs)
	if diff := cmp.Diff(wantOrgs, gotOrgs); diff != "" {
		t.Errorf("the workers' organizations (-want +got):\n%s", diff)
	}
	gotRobots, wantRobots := map[string]string{}, map[string]string{}
	for _, w := range workers {
		for _, rb := range w.robots {
			wantRobots[w.org+"+"+rb.short] = rb.token
		}
		for _, rb := range h.s.Robots(w.org) {
			gotRobots[rb.Name] = rb.Token
		}
	}
	if diff := cmp.Diff(wantRobots, gotRobots); diff != "" {
		t.Errorf("the workers' robots and tokens (-want +got):\n%s", diff)
	}
	for _, w := range workers {
		checkStressContent(t, h, w)
	}
	total := 0
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%-30s %6d", k, counts[k])
		total += counts[k]
	}
	t.Logf("%d requests for %d operations from %d workers", total, stressWorkers*stressOps, stressWorkers)
}

// TestConcurrentCreatesOfOneUsername: 50 creates of the same username at
// once give exactly one 200; the other 49 get Quay's family-B answer for a
// taken name (§1.10), and one user and one user_create log exist.
func TestConcurrentCreatesOfOneUsername(t *testing.T) {
	t.Parallel()
	const racers = 50
	h := newHarness(t, nil)
	replies := make([]reply, racers)
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			replies[i], errs[i] = send(t.Context(), h.client, "POST", "/api/v1/superuser/users/", tokAdmin,
				fmt.Sprintf(`{"username": "racer", "email": "racer%d@example.com"}`, i))
		})
	}
	close(start)
	wg.Wait()
	shapes := map[string]int{}
	for i, r := range replies {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		sh, err := shapeOf("POST", r)
		if err != nil {
			t.Fatal(err)
		}
		shapes[fmt.Sprintf("%s %d %s", sh.Family, sh.Status, sh.Message)]++
	}
	want := map[string]int{
		"success: Flask-RESTful JSON 200 ":                                                    1,
		"B model message 400 Username has already been taken by user cannot be reused: racer": racers - 1,
	}
	if diff := cmp.Diff(want, shapes); diff != "" {
		t.Errorf("replies by shape (-want +got):\n%s", diff)
	}
	var created []string
	for _, l := range h.logs() {
		if l.Kind == "user_create" {
			created = append(created, l.Account)
		}
	}
	if diff := cmp.Diff([]string{"racer"}, created); diff != "" {
		t.Errorf("user_create logs (-want +got):\n%s", diff)
	}
	if err := serverInvariants(h.s); err != nil {
		t.Error(err)
	}
}

// TestReadersSeeConsistentSnapshots: while writers rename organizations
// back and forth and resize a quota, every read answers from one
// consistent state: a renamed organization is listed under exactly one of
// its two names, and a user's quotas and quota_report (built from separate
// lookups) always agree on the limit.
func TestReadersSeeConsistentSnapshots(t *testing.T) {
	t.Parallel()
	const (
		renamers = 4
		resizes  = 300
		readers  = 4
	)
	h := newHarness(t, func(s *Seed) {
		for g := range renamers {
			s.Organizations = append(s.Organizations, SeedOrganization{Name: fmt.Sprintf("flip%d-a", g), Email: "f@example.com"})
		}
		s.Quotas = []SeedQuota{{Namespace: "alice", LimitBytes: 1 << 30}}
	})
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	var writers, readersDone sync.WaitGroup
	errs := make(chan error, renamers+1+readers)
	for g := range renamers {
		writers.Go(func() {
			name := fmt.Sprintf("flip%d-a", g)
			for i := 0; ctx.Err() == nil && i < resizes; i++ {
				next := strings.TrimSuffix(name, "-a") + "-b"
				if strings.HasSuffix(name, "-b") {
					next = strings.TrimSuffix(name, "-b") + "-a"
				}
				r, err := send(ctx, h.client, "PUT", "/api/v1/superuser/organizations/"+name, tokAdmin, `{"name": "`+next+`"}`)
				if err != nil || r.Status != 200 {
					errs <- fmt.Errorf("rename %s: %v %+v", name, err, r)
					return
				}
				name = next
			}
		})
	}
	writers.Go(func() {
		for i := 0; ctx.Err() == nil && i < resizes; i++ {
			r, err := send(ctx, h.client, "PUT", "/api/v1/superuser/users/alice/quota/1", tokAdmin,
				fmt.Sprintf(`{"limit_bytes": %d}`, (1+i%7)<<30))
			if err != nil || r.Status != 200 {
				errs <- fmt.Errorf("resize: %v %+v", err, r)
				return
			}
		}
	})
	reads := make([]int, readers)
	for g := range readers {
		readersDone.Go(func() {
			for ctx.Err() == nil {
				reads[g]++
				if err := checkOneRead(ctx, h.client, g%2 == 0, renamers); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	writers.Wait()
	stop()
	readersDone.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := 0
	for _, n := range reads {
		total += n
	}
	if total < readers {
		t.Errorf("only %d reads ran while the writers wrote", total)
	}
	t.Logf("%d reads during %d renames and %d resizes", total, renamers*resizes, resizes)
}

// checkOneRead lists organizations (orgs) or users and checks the page
// describes one state: each of the flips renamed organizations under one
// name, alice's quota limit the same in both places.
func checkOneRead(ctx context.Context, client *http.Client, orgs bool, flips int) error {
	path := "/api/v1/superuser/users/"
	if orgs {
		path = "/api/v1/superuser/organizations/"
	}
	r, err := send(ctx, client, "GET", path, tokAuditor, "")
	if ctx.Err() != nil {
		return nil
	}
	if err != nil || r.Status != 200 {
		return fmt.Errorf("GET %s: %v %+v", path, err, r)
	}
	var page struct {
		Organizations []struct{ Name string } `json:"organizations"`
		Users         []struct {
			Username string `json:"username"`
			Quotas   []struct {
				LimitBytes int64 `json:"limit_bytes"`
			} `json:"quotas"`
			QuotaReport struct {
				ConfiguredQuota *int64 `json:"configured_quota"`
			} `json:"quota_report"`
		} `json:"users"`
	}
	if err := json.Unmarshal([]byte(r.Body), &page); err != nil {
		return err
	}
	if orgs {
		seen := map[string]int{}
		for _, o := range page.Organizations {
			if stem, ok := strings.CutPrefix(o.Name, "flip"); ok {
				seen[stem[:1]]++
			}
		}
		for g := range flips {
			if n := seen[fmt.Sprint(g)]; n != 1 {
				return fmt.Errorf("organization flip%d listed under %d names: %+v", g, n, page.Organizations)
			}
		}
		return nil
	}
	for _, u := range page.Users {
		if u.Username != "alice" {
			continue
		}
		if c := u.QuotaReport.ConfiguredQuota; len(u.Quotas) != 1 || c == nil || *c != u.Quotas[0].LimitBytes {
			return fmt.Errorf("alice's quotas %+v and quota_report configured_quota %s disagree", u.Quotas, r.Body)
		}
		return nil
	}
	return fmt.Errorf("alice is missing from the users page")
}
