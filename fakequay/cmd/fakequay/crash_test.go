package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The kill -9 test (issue 6 item 1): clients run mixed writes against the
// binary with -data, recording which were acknowledged; the process is
// killed at a random moment; a restart on the same directory must hold
// every acknowledged write, and each unacknowledged one either completely
// (row, audit log, mail) or not at all. Five rounds on one directory, so
// later rounds also restore what earlier ones restored.

const (
	crashRounds    = 5
	writesPerRound = 1000
	crashWorkers   = 4
	crashSeedBase  = 20261128
	crashOrgs      = 40
)

// The journal threshold of each round: some rounds compact often, so
// kills also land around compactions.
var crashCompactBytes = [crashRounds]int64{4 << 20, 32 << 10, 4 << 20, 64 << 10, 16 << 10}

func crashSeed() string {
	var orgs []string
	for i := range crashOrgs {
		orgs = append(orgs, fmt.Sprintf(`{"name": "org%02d", "email": "org%02d@example.com", `+
			`"teams": [{"name": "owners", "role": "admin", "members": ["admin"]}]}`, i, i))
	}
	return `{"config": {"SUPER_USERS": ["admin"]}, "now": "2026-11-28T12:00:00Z",
  "users": [{"username": "admin", "email": "admin@example.com", "tokens": [{"token": "seed-token"}]}],
  "organizations": [` + strings.Join(orgs, ", ") + `]}`
}

// world is the part of the state the test writes, as a model: what the
// acknowledged writes imply, or what the restarted server shows.
type world struct {
	users map[string]userModel // live users the test created
	orgs  map[int64]orgModel   // live organizations, by id
	keys  map[string]string    // live service keys: name -> kid ("" if unknown)
	teams map[string]teamModel // the test's teams, by (unique) name
	logs  map[string]int       // audit rows, by "kind:identifying value"
	mails map[string]int       // confirmation mails, by username
}

type userModel struct {
	email   string
	enabled bool
	quota   quotaModel
}

type orgModel struct {
	name  string
	quota quotaModel
}

// teamModel is a team of an organization the test made; admin says
// whether admin has joined it.
type teamModel struct {
	org   int64
	admin bool
}

// quotaModel is a namespace's quota; limit 0 is none, id 0 unknown.
type quotaModel struct{ id, limit int64 }

func newWorld() *world {
	return &world{users: map[string]userModel{}, orgs: map[int64]orgModel{}, keys: map[string]string{},
		teams: map[string]teamModel{}, logs: map[string]int{}, mails: map[string]int{}}
}

func (w *world) clone() *world {
	c := newWorld()
	for k, v := range w.users {
		c.users[k] = v
	}
	for k, v := range w.orgs {
		c.orgs[k] = v
	}
	for k, v := range w.keys {
		c.keys[k] = v
	}
	for k, v := range w.teams {
		c.teams[k] = v
	}
	for k, v := range w.logs {
		c.logs[k] = v
	}
	for k, v := range w.mails {
		c.mails[k] = v
	}
	return c
}

// flat is the world as comparable facts. Quota ids and kids are left out:
// an unacknowledged create's id is unknown.
func (w *world) flat() map[string]string {
	out := map[string]string{}
	quota := func(key string, q quotaModel) {
		if q.limit != 0 {
			out["quota:"+key] = "limit=" + strconv.FormatInt(q.limit, 10)
		}
	}
	for name, u := range w.users {
		out["user:"+name] = fmt.Sprintf("email=%s enabled=%v", u.email, u.enabled)
		quota("user:"+name, u.quota)
	}
	for id, o := range w.orgs {
		key := "org:" + strconv.FormatInt(id, 10)
		out[key] = "name=" + o.name
		quota(key, o.quota)
	}
	for name := range w.keys {
		out["key:"+name] = "live"
	}
	for name, t := range w.teams {
		out["team:"+name] = fmt.Sprintf("org=%d admin=%v", t.org, t.admin)
	}
	for k, n := range w.logs {
		out["log:"+k] = strconv.Itoa(n)
	}
	for k, n := range w.mails {
		out["mail:"+k] = strconv.Itoa(n)
	}
	return out
}

type opKind string

const (
	opCreateUser  opKind = "createInstallUser"
	opChangeEmail opKind = "changeInstallUser email"
	opToggle      opKind = "changeInstallUser enabled"
	opDeleteUser  opKind = "deleteInstallUser"
	opCreateQuota opKind = "createOrganizationQuotaSuperUser"
	opChangeQuota opKind = "changeOrganizationQuotaSuperUser"
	opDeleteQuota opKind = "deleteOrganizationQuotaSuperUser"
	opRenameOrg   opKind = "changeOrganization"
	opDeleteOrg   opKind = "deleteOrganization"
	opCreateKey   opKind = "createServiceKey"
	opRenameKey   opKind = "updateServiceKey"
	opDeleteKey   opKind = "deleteServiceKey"

	opCreateTeam     opKind = "updateOrganizationTeam"
	opDeleteTeam     opKind = "deleteOrganizationTeam"
	opAddToTeam      opKind = "updateOrganizationTeamMember"
	opRemoveFromTeam opKind = "deleteOrganizationTeamMember"
)

// op is one write. user or org names its target namespace (org != 0 for
// an organization); name is the new name, e-mail or key name.
type op struct {
	kind    opKind
	user    string
	org     int64
	name    string
	enable  bool
	limit   int64
	quotaID int64
	key     string // the service key's current name
	kid     string
	team    string // the team a team op names
}

// nsPath is the URL name of the op's namespace in w.
func (o op) nsPath(w *world) string {
	if o.org != 0 {
		return w.orgs[o.org].name
	}
	return o.user
}

// apply changes w as the op does when it is applied.
func (w *world) apply(o op) {
	setQuota := func(q quotaModel) {
		if o.org != 0 {
			org := w.orgs[o.org]
			org.quota = q
			w.orgs[o.org] = org
		} else {
			u := w.users[o.user]
			u.quota = q
			w.users[o.user] = u
		}
	}
	switch o.kind {
	case opCreateUser:
		w.users[o.user] = userModel{email: o.user + "@example.com", enabled: true}
		w.logs["user_create:"+o.user]++
		w.mails[o.user]++
	case opChangeEmail:
		u := w.users[o.user]
		u.email = o.name
		w.users[o.user] = u
		w.logs["user_change_email:"+o.name]++
	case opToggle:
		u := w.users[o.user]
		u.enabled = o.enable
		w.users[o.user] = u
		if o.enable {
			w.logs["user_enable:"+o.user]++
		} else {
			w.logs["user_disable:"+o.user]++
		}
	case opDeleteUser:
		delete(w.users, o.user)
		w.logs["user_delete:"+o.user]++
	case opCreateQuota, opChangeQuota:
		setQuota(quotaModel{id: o.quotaID, limit: o.limit})
	case opDeleteQuota:
		setQuota(quotaModel{})
	case opRenameOrg:
		org := w.orgs[o.org]
		org.name = o.name
		w.orgs[o.org] = org
		w.logs["org_change_name:"+o.name]++
	case opDeleteOrg:
		w.logs["org_delete:"+w.orgs[o.org].name]++
		delete(w.orgs, o.org)
		for name, t := range w.teams {
			if t.org == o.org {
				delete(w.teams, name) // marking the organization deletes its teams
			}
		}
	case opCreateTeam:
		w.teams[o.team] = teamModel{org: o.org}
		w.logs["org_create_team:"+o.team]++
	case opDeleteTeam:
		delete(w.teams, o.team)
		w.logs["org_delete_team:"+o.team]++
	case opAddToTeam, opRemoveFromTeam:
		t := w.teams[o.team]
		t.admin = o.kind == opAddToTeam
		w.teams[o.team] = t
		if t.admin {
			w.logs["org_add_team_member:"+o.team]++
		} else {
			w.logs["org_remove_team_member:"+o.team]++
		}
	case opCreateKey:
		w.keys[o.name] = o.kid
		w.logs["service_key_create:"+o.name]++
		w.logs["service_key_approve:"+o.name]++
	case opRenameKey:
		w.keys[o.name] = w.keys[o.key]
		delete(w.keys, o.key)
		w.logs["service_key_modify:"+o.name]++
	case opDeleteKey:
		w.logs["service_key_delete:"+w.keys[o.key]]++
		delete(w.keys, o.key)
	}
}

// The names the test gives: round, worker, counter.
var (
	testUserName = regexp.MustCompile(`^r\d+w(\d+)u\d+$`)
	testKeyName  = regexp.MustCompile(`^r\d+w(\d+)k\d+$`)
	testTeamName = regexp.MustCompile(`^r\d+w(\d+)t\d+$`)
)

// stateDump is the part of GET /_fakequay/state the test reads.
type stateDump struct {
	Namespaces []struct {
		ID      int64
		Name    string
		Kind    int
		Email   string
		Enabled bool
		Deleted bool
	} `json:"namespaces"`
	Quotas []struct {
		ID          int64
		NamespaceID int64
		LimitBytes  int64
	} `json:"quotas"`
	ServiceKeys []struct{ Kid, Name string } `json:"service_keys"`
	Teams       []struct {
		ID, OrgID int64
		Name      string
	} `json:"teams"`
	TeamMembers []struct {
		TeamID int64
		Member struct{ ID int64 }
	} `json:"team_members"`
	Logs []struct {
		Kind     string
		Metadata json.RawMessage
	} `json:"logs"`
	Mails []struct{ Kind, Username string } `json:"mails"`
}

// logIdentity names the metadata key that identifies each logged write.
var logIdentity = map[string]string{
	"user_create": "username", "user_enable": "username", "user_disable": "username", "user_delete": "username",
	"user_change_email": "email", "org_change_name": "new_name", "org_delete": "namespace",
	"service_key_create": "name", "service_key_approve": "name", "service_key_modify": "name", "service_key_delete": "kid",
	"org_create_team": "team", "org_delete_team": "team", "org_add_team_member": "team", "org_remove_team_member": "team",
}

// observe reads the server's state as a world.
func observe(t *testing.T, p *proc) *world {
	t.Helper()
	status, body, err := p.call(http.DefaultClient, "GET", "/_fakequay/state", "")
	if err != nil || status != 200 {
		t.Fatalf("state dump: %d %v", status, err)
	}
	var d stateDump
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("state dump: %v", err)
	}
	w := newWorld()
	userByID := map[int64]string{}
	for _, n := range d.Namespaces {
		switch {
		case n.Deleted:
		case n.Kind == 1 && testUserName.MatchString(n.Name):
			w.users[n.Name] = userModel{email: n.Email, enabled: n.Enabled}
			userByID[n.ID] = n.Name
		case n.Kind == 2:
			w.orgs[n.ID] = orgModel{name: n.Name}
		}
	}
	for _, q := range d.Quotas {
		if name, ok := userByID[q.NamespaceID]; ok {
			u := w.users[name]
			u.quota = quotaModel{id: q.ID, limit: q.LimitBytes}
			w.users[name] = u
		} else if org, ok := w.orgs[q.NamespaceID]; ok {
			org.quota = quotaModel{id: q.ID, limit: q.LimitBytes}
			w.orgs[q.NamespaceID] = org
		}
	}
	for _, k := range d.ServiceKeys {
		if testKeyName.MatchString(k.Name) {
			w.keys[k.Name] = k.Kid
		}
	}
	var adminID int64
	for _, n := range d.Namespaces {
		if n.Name == "admin" {
			adminID = n.ID
		}
	}
	teamName := map[int64]string{}
	for _, tm := range d.Teams {
		if testTeamName.MatchString(tm.Name) {
			w.teams[tm.Name] = teamModel{org: tm.OrgID}
			teamName[tm.ID] = tm.Name
		}
	}
	for _, m := range d.TeamMembers {
		if name, ok := teamName[m.TeamID]; ok && m.Member.ID == adminID {
			t := w.teams[name]
			t.admin = true
			w.teams[name] = t
		}
	}
	for _, l := range d.Logs {
		field, ok := logIdentity[l.Kind]
		if !ok {
			continue
		}
		var meta map[string]any
		if err := json.Unmarshal(l.Metadata, &meta); err != nil {
			t.Fatalf("log metadata %s: %v", l.Metadata, err)
		}
		w.logs[fmt.Sprintf("%s:%v", l.Kind, meta[field])]++
	}
	for _, m := range d.Mails {
		if m.Kind == "confirm_email" && testUserName.MatchString(m.Username) {
			w.mails[m.Username]++
		}
	}
	return w
}

// owner returns which worker owns a piece of the world.
func ownerOfUser(name string) int {
	n, _ := strconv.Atoi(testUserName.FindStringSubmatch(name)[1])
	return n
}

func ownerOfKey(name string) int {
	n, _ := strconv.Atoi(testKeyName.FindStringSubmatch(name)[1])
	return n
}

// split gives each worker the part of w it may write: disjoint, so the
// unacknowledged writes of different workers never touch the same facts.
func split(w *world) []*world {
	parts := make([]*world, crashWorkers)
	for i := range parts {
		parts[i] = newWorld()
	}
	for name, u := range w.users {
		parts[ownerOfUser(name)].users[name] = u
	}
	for id, o := range w.orgs {
		parts[id%crashWorkers].orgs[id] = o
	}
	for name, kid := range w.keys {
		parts[ownerOfKey(name)].keys[name] = kid
	}
	for name, t := range w.teams {
		parts[t.org%crashWorkers].teams[name] = t // with its organization
	}
	return parts
}

// merge is the union of the workers' worlds, with base's logs and mails
// added to theirs (workers start with none).
func merge(base *world, parts []*world) *world {
	out := newWorld()
	for _, p := range parts {
		for k, v := range p.users {
			out.users[k] = v
		}
		for k, v := range p.orgs {
			out.orgs[k] = v
		}
		for k, v := range p.keys {
			out.keys[k] = v
		}
		for k, v := range p.teams {
			out.teams[k] = v
		}
		for k, v := range p.logs {
			out.logs[k] += v
		}
		for k, v := range p.mails {
			out.mails[k] += v
		}
	}
	for k, v := range base.logs {
		out.logs[k] += v
	}
	for k, v := range base.mails {
		out.mails[k] += v
	}
	return out
}

// worker writes as one client: it picks writes its own world allows,
// applies the acknowledged ones to it, and stops at the first write that
// gets no answer (the process is gone).
type worker struct {
	id       int
	round    int
	rng      *rand.Rand
	w        *world // this worker's part, plus its acknowledged writes
	counter  int
	acked    int
	inflight *op
}

func (wk *worker) newName(kind string) string {
	wk.counter++
	return fmt.Sprintf("r%dw%d%s%d", wk.round, wk.id, kind, wk.counter)
}

// pick chooses the next write among those the worker's world allows.
func (wk *worker) pick() op {
	users := slices.Sorted(mapKeys(wk.w.users))
	orgs := slices.Sorted(mapKeys(wk.w.orgs))
	keys := slices.Sorted(mapKeys(wk.w.keys))
	var enabled, quotaless, quotaed []op
	for _, u := range users {
		if wk.w.users[u].enabled {
			enabled = append(enabled, op{user: u})
		}
		if q := wk.w.users[u].quota; q.limit == 0 {
			quotaless = append(quotaless, op{user: u})
		} else if q.id != 0 {
			quotaed = append(quotaed, op{user: u, quotaID: q.id})
		}
	}
	for _, id := range orgs {
		if q := wk.w.orgs[id].quota; q.limit == 0 {
			quotaless = append(quotaless, op{org: id})
		} else if q.id != 0 {
			quotaed = append(quotaed, op{org: id, quotaID: q.id})
		}
	}
	teams := slices.Sorted(mapKeys(wk.w.teams))
	var withAdmin, withoutAdmin []string
	for _, name := range teams {
		if wk.w.teams[name].admin {
			withAdmin = append(withAdmin, name)
		} else {
			withoutAdmin = append(withoutAdmin, name)
		}
	}
	teamOp := func(kind opKind, names []string) op {
		name := pickOne(wk.rng, names)
		return op{kind: kind, org: wk.w.teams[name].org, team: name}
	}
	var keysWithKid []string
	for _, k := range keys {
		if wk.w.keys[k] != "" {
			keysWithKid = append(keysWithKid, k)
		}
	}
	type choice struct {
		weight int
		ok     bool
		make   func() op
	}
	choices := []choice{
		{25, true, func() op { return op{kind: opCreateUser, user: wk.newName("u")} }},
		{12, len(users) > 0, func() op {
			return op{kind: opChangeEmail, user: pickOne(wk.rng, users), name: wk.newName("e") + "@example.com"}
		}},
		{10, len(users) > 0, func() op {
			u := pickOne(wk.rng, users)
			return op{kind: opToggle, user: u, enable: !wk.w.users[u].enabled}
		}},
		{6, len(enabled) > 0, func() op { return op{kind: opDeleteUser, user: pickOne(wk.rng, enabled).user} }},
		{12, len(quotaless) > 0, func() op {
			o := pickOne(wk.rng, quotaless)
			o.kind, o.limit = opCreateQuota, 1<<20+wk.rng.Int64N(1<<30)
			return o
		}},
		{8, len(quotaed) > 0, func() op {
			o := pickOne(wk.rng, quotaed)
			o.kind, o.limit = opChangeQuota, 1<<20+wk.rng.Int64N(1<<30)
			return o
		}},
		{5, len(quotaed) > 0, func() op {
			o := pickOne(wk.rng, quotaed)
			o.kind = opDeleteQuota
			return o
		}},
		{10, len(orgs) > 0, func() op { return op{kind: opRenameOrg, org: pickOne(wk.rng, orgs), name: wk.newName("o")} }},
		{2, len(orgs) > 4, func() op { return op{kind: opDeleteOrg, org: pickOne(wk.rng, orgs)} }},
		{2, true, func() op { return op{kind: opCreateKey, name: wk.newName("k")} }},
		{2, len(keysWithKid) > 0, func() op {
			k := pickOne(wk.rng, keysWithKid)
			return op{kind: opRenameKey, key: k, kid: wk.w.keys[k], name: wk.newName("k")}
		}},
		{1, len(keysWithKid) > 0, func() op {
			k := pickOne(wk.rng, keysWithKid)
			return op{kind: opDeleteKey, key: k, kid: wk.w.keys[k]}
		}},
		{6, len(orgs) > 0, func() op { return op{kind: opCreateTeam, org: pickOne(wk.rng, orgs), team: wk.newName("t")} }},
		{2, len(teams) > 0, func() op { return teamOp(opDeleteTeam, teams) }},
		{4, len(withoutAdmin) > 0, func() op { return teamOp(opAddToTeam, withoutAdmin) }},
		{3, len(withAdmin) > 0, func() op { return teamOp(opRemoveFromTeam, withAdmin) }},
	}
	total := 0
	for _, c := range choices {
		if c.ok {
			total += c.weight
		}
	}
	n := wk.rng.IntN(total)
	for _, c := range choices {
		if !c.ok {
			continue
		}
		if n < c.weight {
			return c.make()
		}
		n -= c.weight
	}
	panic("unreachable")
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func pickOne[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// send carries out o. acked reports a 2xx answer; a transport error means
// the process is gone (acked false, err nil); another status is a failure.
// A created quota's id is read back, and a created key's kid taken from the
// answer, into o.
func (wk *worker) send(p *proc, client *http.Client, o *op) (acked bool, err error) {
	type req struct {
		method, path, body string
		want               int
	}
	var r req
	switch o.kind {
	case opCreateUser:
		r = req{"POST", "/api/v1/superuser/users/", fmt.Sprintf(`{"username": %q, "email": "%s@example.com"}`, o.user, o.user), 200}
	case opChangeEmail:
		r = req{"PUT", "/api/v1/superuser/users/" + o.user, fmt.Sprintf(`{"email": %q}`, o.name), 200}
	case opToggle:
		r = req{"PUT", "/api/v1/superuser/users/" + o.user, fmt.Sprintf(`{"enabled": %v}`, o.enable), 200}
	case opDeleteUser:
		r = req{"DELETE", "/api/v1/superuser/users/" + o.user, "", 204}
	case opCreateQuota:
		r = req{"POST", "/api/v1/superuser/organization/" + o.nsPath(wk.w) + "/quota", fmt.Sprintf(`{"limit_bytes": %d}`, o.limit), 201}
	case opChangeQuota:
		r = req{"PUT", fmt.Sprintf("/api/v1/superuser/organization/%s/quota/%d", o.nsPath(wk.w), o.quotaID),
			fmt.Sprintf(`{"limit_bytes": %d}`, o.limit), 200}
	case opDeleteQuota:
		r = req{"DELETE", fmt.Sprintf("/api/v1/superuser/organization/%s/quota/%d", o.nsPath(wk.w), o.quotaID), "", 204}
	case opRenameOrg:
		r = req{"PUT", "/api/v1/superuser/organizations/" + o.nsPath(wk.w), fmt.Sprintf(`{"name": %q}`, o.name), 200}
	case opDeleteOrg:
		r = req{"DELETE", "/api/v1/superuser/organizations/" + o.nsPath(wk.w), "", 204}
	case opCreateKey:
		r = req{"POST", "/api/v1/superuser/keys", fmt.Sprintf(`{"service": "quay", "name": %q, "expiration": null}`, o.name), 200}
	case opRenameKey:
		r = req{"PUT", "/api/v1/superuser/keys/" + o.kid, fmt.Sprintf(`{"name": %q}`, o.name), 200}
	case opDeleteKey:
		r = req{"DELETE", "/api/v1/superuser/keys/" + o.kid, "", 204}
	case opCreateTeam:
		r = req{"PUT", "/api/v1/organization/" + o.nsPath(wk.w) + "/team/" + o.team, `{"role": "member"}`, 200}
	case opDeleteTeam:
		r = req{"DELETE", "/api/v1/organization/" + o.nsPath(wk.w) + "/team/" + o.team, "", 204}
	case opAddToTeam:
		r = req{"PUT", "/api/v1/organization/" + o.nsPath(wk.w) + "/team/" + o.team + "/members/admin", "", 200}
	case opRemoveFromTeam:
		r = req{"DELETE", "/api/v1/organization/" + o.nsPath(wk.w) + "/team/" + o.team + "/members/admin", "", 204}
	}
	status, body, err := p.call(client, r.method, r.path, r.body)
	if err != nil {
		return false, nil
	}
	if status != r.want {
		return false, fmt.Errorf("%s %s: %d, want %d: %s", r.method, r.path, status, r.want, body)
	}
	switch o.kind {
	case opCreateKey:
		var v struct{ Kid string }
		if err := json.Unmarshal(body, &v); err != nil || v.Kid == "" {
			return false, fmt.Errorf("createServiceKey answer %s: %v", body, err)
		}
		o.kid = v.Kid
	case opCreateQuota:
		// The create answers "Created"; the id comes from the list. If
		// the process dies first the quota is still acknowledged, with
		// its id unknown.
		status, body, err := p.call(client, "GET", "/api/v1/superuser/organization/"+o.nsPath(wk.w)+"/quota", "")
		var list []struct{ ID int64 }
		if err == nil && status == 200 && json.Unmarshal(body, &list) == nil && len(list) == 1 {
			o.quotaID = list[0].ID
		}
	}
	return true, nil
}

// roundResult is what one round measured.
type roundResult struct {
	started, acked int
	// lost counts facts of acknowledged writes that the restarted server
	// does not show; halfApplied, unacknowledged writes applied in part.
	lost, halfApplied         int
	inflight, inflightApplied int
	torn                      int // torn journal tails cut at the restart
}

func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := writeSeed(t, crashSeed())
	start := func(round int) *proc {
		return startBinary(t, "-addr", "127.0.0.1:0", "-seed", seed, "-data", dir,
			"-compact-bytes", strconv.FormatInt(crashCompactBytes[min(round, crashRounds-1)], 10))
	}
	p := start(0)
	model := observe(t, p)
	if len(model.orgs) != crashOrgs {
		t.Fatalf("the seed's %d organizations show as %d", crashOrgs, len(model.orgs))
	}
	var results []roundResult
	for round := range crashRounds {
		res, next := crashRound(t, round, p, model, func() *proc { return start(round + 1) })
		results = append(results, res)
		p = next
		model = observe(t, p)
		if t.Failed() {
			break
		}
	}
	total := roundResult{}
	for i, r := range results {
		t.Logf("round %d: %d writes started, %d acknowledged, %d acknowledged facts lost; "+
			"%d unacknowledged at the kill: %d applied whole, %d half-applied; torn journal tails cut: %d",
			i, r.started, r.acked, r.lost, r.inflight, r.inflightApplied, r.halfApplied, r.torn)
		total.started += r.started
		total.acked += r.acked
		total.lost += r.lost
		total.halfApplied += r.halfApplied
		total.inflight += r.inflight
		total.inflightApplied += r.inflightApplied
		total.torn += r.torn
	}
	t.Logf("all rounds: %d writes started, %d acknowledged, %d acknowledged facts lost; "+
		"%d unacknowledged: %d applied whole, %d half-applied",
		total.started, total.acked, total.lost, total.inflight, total.inflightApplied, total.halfApplied)
	t.Logf("the restored state holds %d users, %d organizations, %d service keys and %d teams of the test",
		len(model.users), len(model.orgs), len(model.keys), len(model.teams))
	if len(model.teams) == 0 {
		t.Error("no team survived to be checked: the rounds wrote none, or the dump lost them")
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(15 * time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}

// crashRound runs one round against p, whose state is model: writes until
// a seeded random count has started, kill -9, restart, and check.
func crashRound(t *testing.T, round int, p *proc, model *world, restart func() *proc) (roundResult, *proc) {
	t.Helper()
	rng := rand.New(rand.NewPCG(crashSeedBase, uint64(round)))
	killAt := int64(50 + rng.IntN(writesPerRound-50))
	killDelay := time.Duration(rng.IntN(3000)) * time.Microsecond
	t.Logf("round %d: kill -9 once %d writes have started, %v later (seed %d/%d)", round, killAt, killDelay, crashSeedBase, round)

	parts := split(model)
	workers := make([]*worker, crashWorkers)
	for i := range workers {
		workers[i] = &worker{id: i, round: round, w: parts[i], rng: rand.New(rand.NewPCG(crashSeedBase+uint64(round), uint64(i)))}
	}
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashWorkers}}
	defer client.CloseIdleConnections()

	var started atomic.Int64
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		for started.Load() < killAt {
			time.Sleep(100 * time.Microsecond)
		}
		time.Sleep(killDelay)
		_ = p.cmd.Process.Kill()
	}()
	var wg sync.WaitGroup
	errs := make([]error, crashWorkers)
	for _, wk := range workers {
		wg.Go(func() {
			for started.Add(1) <= writesPerRound {
				o := wk.pick()
				acked, err := wk.send(p, client, &o)
				if err != nil {
					errs[wk.id] = err
					return
				}
				if !acked {
					wk.inflight = &o
					return
				}
				wk.w.apply(o)
				wk.acked++
			}
		})
	}
	wg.Wait()
	<-killed
	_ = p.wait(10 * time.Second)
	for _, err := range errs {
		if err != nil {
			t.Errorf("round %d: a write got an unexpected answer: %v", round, err)
		}
	}

	next := restart()
	res := roundResult{started: int(min(started.Load(), writesPerRound))}
	res.torn = strings.Count(next.stderr.String(), "torn record")
	parts = make([]*world, crashWorkers)
	var inflight []op
	for i, wk := range workers {
		parts[i] = wk.w
		res.acked += wk.acked
		if wk.inflight != nil {
			inflight = append(inflight, *wk.inflight)
		}
	}
	expected := merge(model, parts)
	res.inflight = len(inflight)
	res.inflightApplied, res.halfApplied, res.lost = checkRestored(t, round, expected, inflight, observe(t, next))
	return res, next
}

// checkRestored compares the restarted server's world with the expected
// one. The facts an unacknowledged write changes must all show it applied,
// or all show it not applied; every other fact must be as acknowledged.
func checkRestored(t *testing.T, round int, expected *world, inflight []op, got *world) (applied, half, lost int) {
	t.Helper()
	want, have := expected.flat(), got.flat()
	checked := map[string]bool{}
	for _, o := range inflight {
		after := expected.clone()
		after.apply(o)
		alt := after.flat()
		var touched []string
		for k := range union(want, alt) {
			if want[k] != alt[k] {
				touched = append(touched, k)
			}
		}
		slices.Sort(touched)
		asBefore, asAfter := true, true
		for _, k := range touched {
			checked[k] = true
			asBefore = asBefore && have[k] == want[k]
			asAfter = asAfter && have[k] == alt[k]
		}
		switch {
		case asAfter && !asBefore:
			applied++
		case !asBefore:
			half++
			var detail []string
			for _, k := range touched {
				detail = append(detail, fmt.Sprintf("%s: before %q, after %q, restored %q", k, want[k], alt[k], have[k]))
			}
			t.Errorf("round %d: unacknowledged %v was half-applied:\n  %s", round, o, strings.Join(detail, "\n  "))
		}
	}
	for k := range union(want, have) {
		if checked[k] || want[k] == have[k] {
			continue
		}
		if want[k] != "" {
			lost++
		}
		t.Errorf("round %d: %s is %q after the restart, want %q (acknowledged)", round, k, have[k], want[k])
	}
	return applied, half, lost
}

func union(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
