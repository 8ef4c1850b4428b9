package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// faultPath is a path only the fault requests use: a user that does not
// exist (404) unless an injected fault answers first.
const faultPath = "/api/v1/superuser/users/soakfaulttarget"

// The request kinds, with their share of the requests in percent.
var kinds = []struct {
	name   string
	weight int
}{
	{"page", 35}, // a users page, following next_page
	{"user", 25}, // one user
	{"orgs", 5},  // the organizations page
	{"logs", 5},  // the audit log
	{"write", 25},
	{"fault", 5}, // faultPath, which injected faults answer
}

// traffic drives one stub and collects what its requests saw.
type traffic struct {
	base string
	cfg  config
	gen  atomic.Int64 // resets counted so far: a write cycle a reset cut short may see 404
	// resetsDone counts the resets whose answer came back: until it
	// catches up with gen, a reset is in flight and may still wipe a user
	// created after gen moved.
	resetsDone atomic.Int64

	mu       sync.Mutex
	window   latencies      // latencies since the last sample, fault requests excluded
	errs     map[string]int // unexpected outcomes since the last sample
	requests int            // requests since the last sample
	totals   map[string]int // "kind outcome" -> count, for the whole run
	control  map[string]int // control calls by outcome
}

func newTraffic(base string, cfg config) *traffic {
	return &traffic{base: base, cfg: cfg, errs: map[string]int{}, totals: map[string]int{}, control: map[string]int{}}
}

// takeWindow returns what was recorded since the last call and starts
// a new window.
func (t *traffic) takeWindow() (latencies, map[string]int, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, e, n := t.window, t.errs, t.requests
	t.window, t.errs, t.requests = nil, map[string]int{}, 0
	return w, e, n
}

func (t *traffic) record(kind, outcome string, took time.Duration, expected bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.requests++
	t.totals[kind+" "+outcome]++
	if kind != "fault" {
		t.window = append(t.window, took)
	}
	if !expected {
		t.errs[kind+" "+outcome]++
	}
}

// drive runs the clients and the controller until ctx ends.
func (s *stub) drive(ctx context.Context, cfg config) {
	var wg sync.WaitGroup
	for id := range cfg.clients {
		wg.Go(func() { s.traffic.client(ctx, id) })
	}
	wg.Go(func() { s.traffic.controller(ctx) })
	wg.Wait()
}

// client sends paced requests of random kinds. Client 0 opens a new
// connection for every request, as curl in a loop does; the others keep
// theirs alive.
func (t *traffic) client(ctx context.Context, id int) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = id == 0
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	c := &clientState{t: t, hc: hc, id: id, rnd: rand.New(rand.NewPCG(uint64(id), 14))}
	period := time.Duration(float64(time.Second) * float64(t.cfg.clients) / t.cfg.rate)
	next := time.Now().Add(time.Duration(c.rnd.Int64N(int64(period))))
	for {
		if wait := time.Until(next); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		} else if ctx.Err() != nil {
			return
		}
		next = next.Add(period)
		if behind := time.Since(next); behind > time.Second {
			next = time.Now() // a stall is not made up for with a burst
		}
		c.one(ctx)
	}
}

// clientState is one client's connections and where its walks stand.
type clientState struct {
	t     *traffic
	hc    *http.Client
	id    int
	rnd   *rand.Rand
	token string // next_page of the users walk, "" for the first page
	// The write cycle: create, change, delete one user, then the next.
	step, n int
	gen     int64 // the reset generation the cycle's user was created in
	// resetInFlight: a reset counted in gen had not answered when the
	// cycle began, so it may land after the cycle's create.
	resetInFlight bool
}

func (c *clientState) one(ctx context.Context) {
	pick := c.rnd.IntN(100)
	kind := kinds[len(kinds)-1].name
	for _, k := range kinds {
		if pick < k.weight {
			kind = k.name
			break
		}
		pick -= k.weight
	}
	switch kind {
	case "page":
		c.page(ctx)
	case "user":
		c.send(ctx, kind, http.MethodGet, fmt.Sprintf("/api/v1/superuser/users/user%06d", 1+c.rnd.IntN(c.t.cfg.users-1)), "", 200)
	case "orgs":
		c.send(ctx, kind, http.MethodGet, "/api/v1/superuser/organizations/", "", 200)
	case "logs":
		c.send(ctx, kind, http.MethodGet, "/api/v1/superuser/logs", "", 200)
	case "write":
		c.write(ctx)
	case "fault":
		// Not found, or what the fault of the moment answers: 503, a
		// dropped connection, or the answer late.
		c.send(ctx, kind, http.MethodGet, faultPath, "", 404, 503, -1)
	}
}

// page fetches the next page of the users walk; one walk in five starts
// over before the end.
func (c *clientState) page(ctx context.Context) {
	if c.rnd.IntN(5) == 0 {
		c.token = ""
	}
	path := "/api/v1/superuser/users/?limit=100"
	if c.token != "" {
		path += "&next_page=" + url.QueryEscape(c.token)
	}
	body, ok := c.send(ctx, "page", http.MethodGet, path, "", 200)
	c.token = ""
	if ok {
		var p struct {
			NextPage string `json:"next_page"`
		}
		if json.Unmarshal(body, &p) == nil {
			c.token = p.NextPage
		}
	}
}

// write takes the client's write cycle one step: create a user, change its
// e-mail, delete it. A reset in between makes the user vanish (404), which
// starts the next cycle. The controller counts a reset before it sends it,
// so a 404 is expected when the count moved since the user was created,
// even if the reset's answer has not come back yet.
func (c *clientState) write(ctx context.Context) {
	name := fmt.Sprintf("soak%d_%d", c.id, c.n)
	var ok bool
	switch c.step {
	case 0:
		c.beginCycle()
		_, ok = c.send(ctx, "write", http.MethodPost, "/api/v1/superuser/users/",
			fmt.Sprintf(`{"username": %q, "email": "%s@example.com"}`, name, name), 200)
	case 1:
		_, ok = c.send(ctx, "write", http.MethodPut, "/api/v1/superuser/users/"+name,
			fmt.Sprintf(`{"email": "%s-%d@example.org"}`, name, c.rnd.IntN(1000)), 200, resetExplains)
	case 2:
		_, ok = c.send(ctx, "write", http.MethodDelete, "/api/v1/superuser/users/"+name, "", 204, resetExplains)
	}
	c.step++
	if !ok || c.step == 3 || c.t.gen.Load() != c.gen {
		c.step, c.n = 0, c.n+1
	}
}

// beginCycle notes the resets as a write cycle creates its user.
func (c *clientState) beginCycle() {
	c.gen = c.t.gen.Load()
	c.resetInFlight = c.t.resetsDone.Load() < c.gen // gen first: done never passes it
}

// resetMayHaveWiped tells whether a reset may have removed the cycle's
// user: one was counted since the cycle began, or one counted before was
// still in flight when the cycle created it.
func (c *clientState) resetMayHaveWiped() bool {
	return c.resetInFlight || c.t.gen.Load() != c.gen
}

// resetExplains in send's want is a 404 that a reset counted since the
// write cycle began explains; send checks the count once the answer is in.
const resetExplains = -404

// send makes one request with the superuser token and records it; want
// lists the expected statuses, -1 standing for a dropped connection and
// resetExplains for a 404 after a reset. It returns the body of an expected
// 2xx answer.
func (c *clientState) send(ctx context.Context, kind, method, path, body string, want ...int) ([]byte, bool) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.t.base+path, rd)
	if err != nil {
		panic(err) // the paths are built here
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	var data []byte
	if err == nil {
		data, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	took := time.Since(start)
	if ctx.Err() != nil {
		return nil, false // the run ended mid-request
	}
	status, outcome := -1, "dropped"
	if err == nil {
		status, outcome = resp.StatusCode, fmt.Sprint(resp.StatusCode)
	}
	expected := false
	for _, w := range want {
		expected = expected || w == status || (w == resetExplains && status == 404 && c.resetMayHaveWiped())
	}
	c.t.record(kind, outcome, took, expected)
	return data, expected && status >= 200 && status < 300
}

// controller injects and clears faults and resets the stub on schedule.
func (t *traffic) controller(ctx context.Context) {
	hc := &http.Client{Timeout: 30 * time.Second}
	faults := []string{
		`{"path": "` + faultPath + `", "status": 503, "times": 20}`,
		`{"path": "` + faultPath + `", "drop": true, "probability": 0.5, "times": 10}`,
		`{"path": "` + faultPath + `", "latency": "20ms", "times": 20}`,
	}
	faultTick := time.NewTicker(t.cfg.faultEvery)
	defer faultTick.Stop()
	resetTick := time.NewTicker(t.cfg.resetEvery)
	defer resetTick.Stop()
	var clear <-chan time.Time
	for n := 0; ; {
		select {
		case <-ctx.Done():
			return
		case <-faultTick.C:
			t.controlCall(ctx, hc, http.MethodPost, "/_fakequay/faults", faults[n%len(faults)], 201)
			n++
			clear = time.After(t.cfg.faultEvery / 2)
		case <-clear:
			t.controlCall(ctx, hc, http.MethodDelete, "/_fakequay/faults", "", 204)
		case <-resetTick.C:
			t.gen.Add(1) // before: the reset takes effect before its answer comes back
			t.controlCall(ctx, hc, http.MethodPost, "/_fakequay/reset", "", 204)
			t.resetsDone.Add(1)
		}
	}
}

func (t *traffic) controlCall(ctx context.Context, hc *http.Client, method, path, body string, want int) bool {
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	resp, err := hc.Do(req)
	outcome := "error"
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		outcome = fmt.Sprint(resp.StatusCode)
	}
	if ctx.Err() != nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.control[method+" "+path+" "+outcome]++
	if err != nil || resp.StatusCode != want {
		t.errs["control "+method+" "+path+" "+outcome]++
		return false
	}
	return true
}
