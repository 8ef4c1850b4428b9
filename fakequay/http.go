package fakequay

import (
	"net/http"
	"strings"
)

// ServeHTTP serves the Quay API under /api/, the health check and the
// /_fakequay/ control endpoints; every other path gets the web UI's HTML.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger.Error("fakequay: handler panic", "panic", v, "method", r.Method, "path", r.URL.Path)
			writeGunicornError(w, http.StatusInternalServerError)
		}
	}()
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/api/"):
		s.serveAPI(w, r)
	case p == "/health/instance":
		s.serveHealth(w, r)
	default:
		writeWebPage(w, r)
	}
}

// serveHealth answers Quay's instance health check, which load balancers
// and the dev-stub's users poll for readiness.
func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
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
