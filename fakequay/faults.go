package fakequay

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault makes matching requests misbehave: answer with an error status and
// the body Quay (or the nginx or gunicorn in front of it) would send, wait
// first, or drop the connection. Faults are checked before a request touches
// the store, so they never run under the store's write lock.
type Fault struct {
	// Operation matches a Quay operation by nickname (e.g. "listAllUsers").
	// Method and Path match by route instead: Path is the exact request path
	// (e.g. "/api/v1/superuser/keys"), Method empty for any. A fault with
	// none of the three matches every request.
	Operation string
	Method    string
	Path      string

	// Status, when non-zero, is answered instead of running the request,
	// with Body (and ContentType) or, when Body is empty, the body the
	// status gets in front of a real Quay: nginx's HTML page for 429, 502,
	// 503 and 504; gunicorn's HTML page for 500; a Quay ApiError for other
	// 4xx statuses.
	Status      int
	Body        string
	ContentType string
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string

	// Latency delays the request (in real time) before anything else; with
	// Status zero and Drop false the request then runs normally.
	Latency time.Duration
	// Drop closes the connection without any response.
	Drop bool

	// After skips the first After matching requests; Times, when non-zero,
	// limits how many requests the fault affects after that.
	After int
	Times int
	// Probability, when in (0, 1), applies the fault to that share of the
	// matching requests, drawn from the server's seeded generator.
	Probability float64
}

// FaultID identifies an injected fault for RemoveFault.
type FaultID int

type activeFault struct {
	id      FaultID
	f       Fault
	seen    int // matching requests so far
	applied int
}

type faults struct {
	mu   sync.Mutex
	next FaultID
	list []*activeFault
	// chance draws the probabilities from pcg; made on first use, as most
	// servers never inject a fault with a probability.
	pcg    rand.PCG
	chance *rand.Rand
}

// InjectFault adds f; faults are checked in the order they were added and
// the first one that applies wins. It returns an id for RemoveFault.
func (s *Server) InjectFault(f Fault) (FaultID, error) {
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return 0, fmt.Errorf("fakequay: fault status %d is not an HTTP status", f.Status)
	}
	if f.Probability < 0 || f.Probability > 1 || f.After < 0 || f.Times < 0 || f.Latency < 0 {
		return 0, fmt.Errorf("fakequay: fault has a negative count or latency, or a probability outside [0, 1]")
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.next++
	s.faults.list = append(s.faults.list, &activeFault{id: s.faults.next, f: f})
	return s.faults.next, nil
}

// RemoveFault removes an injected fault; removing an unknown id is a no-op.
func (s *Server) RemoveFault(id FaultID) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for i, af := range s.faults.list {
		if af.id == id {
			s.faults.list = append(s.faults.list[:i], s.faults.list[i+1:]...)
			return
		}
	}
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.list = nil
}

// Faults returns the injected faults, in the order they are checked.
func (s *Server) Faults() []Fault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := make([]Fault, len(s.faults.list))
	for i, af := range s.faults.list {
		out[i] = af.f
	}
	return out
}

// pickFault returns the fault that applies to this request, if any, and
// counts it. nickname is "" for requests outside the API.
func (s *Server) pickFault(r *http.Request, nickname string) (Fault, bool) {
	fs := &s.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, af := range fs.list {
		f := af.f
		if (f.Operation != "" && f.Operation != nickname) ||
			(f.Method != "" && f.Method != r.Method) ||
			(f.Path != "" && f.Path != r.URL.Path) {
			continue
		}
		af.seen++
		if af.seen <= f.After || (f.Times > 0 && af.applied >= f.Times) {
			continue
		}
		if f.Probability > 0 && f.Probability < 1 && fs.draw() >= f.Probability {
			continue
		}
		af.applied++
		return f, true
	}
	return Fault{}, false
}

// draw returns the next probability draw; fs.mu is held.
func (fs *faults) draw() float64 {
	if fs.chance == nil {
		fs.chance = rand.New(&fs.pcg)
	}
	return fs.chance.Float64()
}

// applyFault carries out f. It reports whether the request is finished
// (answered or dropped) or should run normally.
func applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			panic(http.ErrAbortHandler)
		}
	}
	if f.Drop {
		panic(http.ErrAbortHandler)
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	body, ctype := f.Body, f.ContentType
	if body == "" {
		body, ctype = faultBody(r, f.Status)
	}
	if ctype == "" {
		ctype = contentTypeJSON
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(body))
	return true
}

// faultBody is what a client of a real Quay deployment receives with
// status: gateway statuses come from nginx, 500 from gunicorn, other
// client errors from Quay's API as an ApiError.
func faultBody(r *http.Request, status int) (body, contentType string) {
	switch {
	case status == 429 || status == 502 || status == 503 || status == 504:
		return nginxPage(status), "text/html"
	case status >= 500:
		return gunicornPage(status), "text/html"
	case status >= 400:
		e := &apiError{status: status, errorType: "invalid_request", detail: "Request error."}
		switch status {
		case 401:
			e.errorType, e.detail = "invalid_token", "Requires authentication"
		case 403:
			e.errorType, e.detail = "insufficient_scope", "Unauthorized"
		case 404:
			e.errorType, e.detail = "not_found", "Not Found"
		}
		return string(pyRestful(e.view(&call{r: r}))), contentTypeJSON
	}
	return "", contentTypeHTML
}
