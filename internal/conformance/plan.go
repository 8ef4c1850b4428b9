package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Paths the plan uses, below the server root.
const (
	api          = "/api/v1"
	usersPath    = api + "/superuser/users/"
	orgsPath     = api + "/superuser/organizations/"
	orgQuotaPath = api + "/superuser/organization/"
	keysPath     = api + "/superuser/keys"
	approvePath  = api + "/superuser/approvedkeys/"
	logsPath     = api + "/superuser/logs"
	aggPath      = api + "/superuser/aggregatelogs"
	sizePath     = api + "/superuser/registrysize/"
	messagesPath = api + "/messages"
	messagePath  = api + "/message/"
)

// Names of what the plan creates; a fresh Quay has none of them, and the
// plan deletes them again.
const (
	newUser  = "dfuser1"
	newOwner = "dfowner"
	newOrg   = "dforg2"
)

// planner builds a Plan.
type planner struct {
	fx   Fixture
	plan Plan
}

// NewPlan returns the deterministic request list for a state described by
// fx, on the day of now (which the log queries' dates are relative to).
func NewPlan(fx Fixture, now time.Time) Plan {
	p := &planner{fx: fx}
	day := func(t time.Time) string { return t.UTC().Format("01/02/2006") }
	now = now.UTC()
	p.plan.Vars = map[string]string{
		"today":      day(now),
		"weekago":    day(now.AddDate(0, 0, -7)),
		"lastmonth":  day(now.AddDate(0, -1, 0)),
		"monthstart": day(time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)),
	}
	p.readSteps()
	p.writeSteps()
	return p.plan
}

// read adds a GET to the reads, once per caller (the superuser when none
// is named).
func (p *planner) read(op, class, path string, callers ...Caller) {
	if len(callers) == 0 {
		callers = []Caller{Superuser}
	}
	for _, c := range callers {
		p.plan.Reads = append(p.plan.Reads, Step{Op: op, Class: class, Caller: c, Method: http.MethodGet, Path: path})
	}
}

// check adds a GET to the writes, as the superuser: what a write changed.
func (p *planner) check(op, class, path string) {
	p.plan.Writes = append(p.plan.Writes, Step{Op: op, Class: class, Caller: Superuser, Method: http.MethodGet, Path: path})
}

// write adds one step to the writes (as the superuser unless it says).
func (p *planner) write(s Step) {
	if s.Caller == "" {
		s.Caller = Superuser
	}
	p.plan.Writes = append(p.plan.Writes, s)
}

// guarded adds s as every caller but the superuser (class "caller"), then
// as the superuser: the others are refused, so the superuser's request
// still finds the state it expects.
func (p *planner) guarded(s Step) {
	for _, c := range Callers[1:] {
		o := s
		o.Caller, o.Class, o.Capture = c, "caller", nil
		p.write(o)
	}
	s.Caller = Superuser
	p.write(s)
}

// bodies adds one superuser step per bad body.
func (p *planner) bodies(op, method, path string, cases ...[2]string) {
	for _, c := range cases {
		p.write(Step{Op: op, Class: c[0], Method: method, Path: path, Body: c[1]})
	}
}

// transport adds the bad-body classes every JSON write shares (reference
// §1.6): malformed JSON, no or another content type, an empty body, null,
// and an array where the object goes. valid is a body that passes.
func (p *planner) transport(op, method, path, valid string) {
	p.bodies(op, method, path, [2]string{"malformed JSON", `{"x": `}, [2]string{"null body", `null`}, [2]string{"array body", `[]`})
	p.write(Step{Op: op, Class: "no content type", Method: method, Path: path, Body: valid, Header: []string{"Content-Type", ""}})
	p.write(Step{Op: op, Class: "text/plain", Method: method, Path: path, Body: valid, Header: []string{"Content-Type", "text/plain"}})
	p.write(Step{Op: op, Class: "empty body", Method: method, Path: path, Header: []string{"Content-Type", "application/json"}})
}

// pageLimits adds the page-limit classes of a paged list.
func (p *planner) pageLimits(op, path string) {
	for _, limit := range []string{"0", "1", "100", "101", "-1", "abc"} {
		p.read(op, "limit "+limit, path+"?limit="+limit)
	}
}

// toggleSlash is path with its trailing slash added or removed.
func toggleSlash(path string) string {
	if strings.HasSuffix(path, "/") {
		return strings.TrimSuffix(path, "/")
	}
	return path + "/"
}

// captureField captures a top-level string member of a JSON answer.
func captureField(name, field string) func([]byte) map[string]string {
	return func(body []byte) map[string]string {
		var v map[string]any
		if json.Unmarshal(body, &v) != nil {
			return nil
		}
		if s, ok := v[field].(string); ok {
			return map[string]string{name: s}
		}
		return nil
	}
}

// captureMessage captures the uuid of the global message with content.
func captureMessage(name, content string) func([]byte) map[string]string {
	return func(body []byte) map[string]string {
		var v struct {
			Messages []struct{ UUID, Content string }
		}
		if json.Unmarshal(body, &v) != nil {
			return nil
		}
		for _, m := range v.Messages {
			if m.Content == content {
				return map[string]string{name: m.UUID}
			}
		}
		return nil
	}
}

// captureQuotaID captures the id of a quota list's first quota.
func captureQuotaID(name string) func([]byte) map[string]string {
	return func(body []byte) map[string]string {
		var v []struct {
			ID json.Number `json:"id"`
		}
		if json.Unmarshal(body, &v) != nil || len(v) == 0 {
			return nil
		}
		return map[string]string{name: v[0].ID.String()}
	}
}
