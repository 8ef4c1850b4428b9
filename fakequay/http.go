package fakequay

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// trace collects what the API layer learns about a request, for the
// journal and the request log.
type trace struct {
	operation string
	caller    string
	fault     bool
}

// ServeHTTP serves the Quay API under /api/, the health check and the
// /_fakequay/ control endpoints; every other path gets the web UI's HTML.
// Outside the control endpoints, what the nginx in front of Quay refuses
// (a path it cannot normalise, a body above its size limit) gets nginx's
// answer before anything else happens (see nginxRefuses).
// A handler panic is answered like Quay's unhandled exceptions (gunicorn's
// HTML 500) and counted (see Panics).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	at := s.clock.Now()
	// One allocation for all three: every API request needs them.
	st := &struct {
		rec recorder
		tr  trace
		c   call
	}{rec: recorder{ResponseWriter: w}}
	rec, tr := &st.rec, &st.tr
	defer func() {
		v := recover()
		if v != nil && v != http.ErrAbortHandler {
			s.panics.Add(1)
			s.logger.Error("fakequay: handler panic", "panic", v, "method", r.Method, "path", r.URL.Path)
			if rec.status == 0 {
				writeGunicornError(rec, http.StatusInternalServerError)
			}
		}
		s.record(r, rec.status, tr, at, time.Since(start))
		if v == http.ErrAbortHandler {
			panic(v)
		}
	}()
	p := r.URL.Path
	if strings.HasPrefix(p, controlPrefix) {
		s.serveControl(rec, r)
		return
	}
	if nginxRefuses(rec, r) {
		return
	}
	// Werkzeug matches "/" + path_info.lstrip("/"): //api/... is the API.
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		p = "/" + strings.TrimLeft(p, "/") // most paths are that already
	}
	switch {
	case p == "/api" || strings.HasPrefix(p, "/api/"):
		s.serveAPI(rec, r, p, tr, &st.c)
	default:
		if f, ok := s.pickFault(r, ""); ok {
			tr.fault = true
			if applyFault(rec, r, f) {
				return
			}
		}
		if p == "/health/instance" {
			s.serveHealth(rec)
			return
		}
		if p == "/csrf_token" {
			s.serveCSRFToken(rec, r, tr)
			return
		}
		writeWebPage(rec, r)
	}
}

// Panics returns how many requests panicked inside fakequay. It is zero
// unless fakequay has a bug; fuzz and stress tests assert that.
func (s *Server) Panics() int64 { return s.panics.Load() }

// record adds a request to the journal and the log.
func (s *Server) record(r *http.Request, status int, tr *trace, at time.Time, took time.Duration) {
	entry := Request{
		Time: at, Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.RawQuery),
		Operation: tr.operation, Caller: tr.caller, Status: status, Fault: tr.fault, Duration: took,
	}
	s.journal.add(entry)
	if !s.logger.Enabled(r.Context(), slog.LevelInfo) {
		return // spares boxing the attributes: tests log nothing by default
	}
	s.logger.Info("request", "method", entry.Method, "path", entry.Path, "query", entry.Query,
		"operation", entry.Operation, "caller", entry.Caller, "status", entry.Status,
		"fault", entry.Fault, "duration", took)
}

// serveHealth answers Quay's instance health check, which load balancers
// and the dev-stub's users poll for readiness.
func (s *Server) serveHealth(w http.ResponseWriter) {
	c := &call{s: s, w: w}
	c.jsonify(http.StatusOK, healthView{
		Data: healthData{Services: map[string]bool{
			"auth": true, "database": true, "disk_space": true,
			"registry_gunicorn": true, "service_key": true, "web_gunicorn": true,
		}},
		StatusCode: http.StatusOK,
	})
}

type healthView struct {
	Data       healthData `json:"data"`
	StatusCode int        `json:"status_code"`
}

type healthData struct {
	Services map[string]bool `json:"services"`
}
