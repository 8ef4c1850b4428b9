package fakequay

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"time"
)

// controlPrefix is where the dev stub's control endpoints live, never under
// /api/. They need no credentials: the stub binds to loopback by default.
//
//	POST   /_fakequay/reset     back to the seed (204; 500 if the data directory cannot save it)
//	GET    /_fakequay/clock     {"now": RFC 3339}
//	POST   /_fakequay/clock     {"advance": "48h"} or {"set": RFC 3339}; runs the workers
//	POST   /_fakequay/workers   run Quay's background workers now
//	GET    /_fakequay/faults    the injected faults
//	POST   /_fakequay/faults    inject one (a Fault in JSON, latency as "250ms"); {"id": n}
//	DELETE /_fakequay/faults    remove them all
//	GET    /_fakequay/journal   the request journal;  DELETE empties it
//	GET    /_fakequay/mail      the outbox of e-mails Quay would have sent
//	GET    /_fakequay/state     every table, tokens redacted
//	GET    /_fakequay/runtime   the process's goroutines and heap, the journal's length (see runtimeStats)
const controlPrefix = "/_fakequay/"

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path[len(controlPrefix)-1:]
	switch route {
	case "POST /reset":
		if err := s.reset(); err != nil {
			controlFailure(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "GET /clock":
		writeControlJSON(w, http.StatusOK, map[string]time.Time{"now": s.Now()})
	case "POST /clock":
		var req struct {
			Advance string    `json:"advance"`
			Set     time.Time `json:"set"`
		}
		if !readControlJSON(w, r, &req) {
			return
		}
		var err error
		switch {
		case req.Advance != "" && !req.Set.IsZero():
			controlError(w, "give either advance or set, not both")
			return
		case req.Advance != "":
			d, perr := time.ParseDuration(req.Advance)
			if perr != nil {
				controlError(w, "advance: "+perr.Error())
				return
			}
			err = s.moveClock(func(c *clock) { c.Advance(d) })
		case !req.Set.IsZero():
			err = s.moveClock(func(c *clock) { c.Set(req.Set) })
		default:
			controlError(w, `want {"advance": "<duration>"} or {"set": "<RFC 3339 time>"}`)
			return
		}
		if err != nil {
			controlFailure(w, err)
			return
		}
		writeControlJSON(w, http.StatusOK, map[string]time.Time{"now": s.Now()})
	case "POST /workers":
		s.runWorkers()
		w.WriteHeader(http.StatusNoContent)
	case "GET /faults":
		fs := s.Faults()
		out := make([]faultJSON, len(fs))
		for i, f := range fs {
			out[i] = toFaultJSON(f)
		}
		writeControlJSON(w, http.StatusOK, out)
	case "POST /faults":
		var fj faultJSON
		if !readControlJSON(w, r, &fj) {
			return
		}
		f, err := fj.fault()
		if err == nil {
			var id FaultID
			if id, err = s.InjectFault(f); err == nil {
				writeControlJSON(w, http.StatusCreated, map[string]FaultID{"id": id})
				return
			}
		}
		controlError(w, err.Error())
	case "DELETE /faults":
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	case "GET /journal":
		writeControlJSON(w, http.StatusOK, s.Requests())
	case "DELETE /journal":
		s.ClearRequests()
		w.WriteHeader(http.StatusNoContent)
	case "GET /mail":
		writeControlJSON(w, http.StatusOK, s.Mails())
	case "GET /state":
		writeControlJSON(w, http.StatusOK, s.store.Read().Dump())
	case "GET /runtime":
		writeControlJSON(w, http.StatusOK, s.runtimeStats())
	default:
		writeControlJSON(w, http.StatusNotFound, map[string]string{"error": "no control endpoint " + route})
	}
}

// runtimeStats is what GET /_fakequay/runtime answers: the numbers a
// long-running dev stub is watched by (make soak). Goroutines and heap are
// the whole process's, the stub's own when it runs as the binary: the
// operating system shows threads and resident memory, but a goroutine
// leak keeps the thread count flat, and only the runtime can count them.
type runtimeStats struct {
	Goroutines     int    `json:"goroutines"`
	HeapAllocBytes uint64 `json:"heap_alloc_bytes"` // live and not yet collected heap objects
	HeapSysBytes   uint64 `json:"heap_sys_bytes"`   // heap memory obtained from the operating system
	NumGC          uint32 `json:"num_gc"`
	JournalLength  int    `json:"journal_length"` // requests in the request journal
	JournalSize    int    `json:"journal_size"`   // the most it keeps (WithJournalSize)
	Panics         int64  `json:"panics"`         // see Panics
}

func (s *Server) runtimeStats() runtimeStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtimeStats{Goroutines: runtime.NumGoroutine(), HeapAllocBytes: m.HeapAlloc, HeapSysBytes: m.HeapSys,
		NumGC: m.NumGC, JournalLength: s.journal.length(), JournalSize: s.journal.size, Panics: s.Panics()}
}

// faultJSON is Fault as the control endpoint reads and writes it.
type faultJSON struct {
	Operation   string  `json:"operation,omitempty"`
	Method      string  `json:"method,omitempty"`
	Path        string  `json:"path,omitempty"`
	Status      int     `json:"status,omitempty"`
	Body        string  `json:"body,omitempty"`
	ContentType string  `json:"content_type,omitempty"`
	RetryAfter  string  `json:"retry_after,omitempty"`
	Latency     string  `json:"latency,omitempty"`
	Drop        bool    `json:"drop,omitempty"`
	After       int     `json:"after,omitempty"`
	Times       int     `json:"times,omitempty"`
	Probability float64 `json:"probability,omitempty"`
}

func toFaultJSON(f Fault) faultJSON {
	fj := faultJSON{Operation: f.Operation, Method: f.Method, Path: f.Path, Status: f.Status, Body: f.Body,
		ContentType: f.ContentType, RetryAfter: f.RetryAfter, Drop: f.Drop, After: f.After, Times: f.Times,
		Probability: f.Probability}
	if f.Latency > 0 {
		fj.Latency = f.Latency.String()
	}
	return fj
}

func (fj faultJSON) fault() (Fault, error) {
	f := Fault{Operation: fj.Operation, Method: fj.Method, Path: fj.Path, Status: fj.Status, Body: fj.Body,
		ContentType: fj.ContentType, RetryAfter: fj.RetryAfter, Drop: fj.Drop, After: fj.After, Times: fj.Times,
		Probability: fj.Probability}
	if fj.Latency != "" {
		d, err := time.ParseDuration(fj.Latency)
		if err != nil {
			return Fault{}, fmt.Errorf("latency: %w", err)
		}
		f.Latency = d
	}
	return f, nil
}

// maxControlBody bounds what a control endpoint reads.
const maxControlBody = 64 << 10

func readControlJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxControlBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		controlError(w, "body: "+err.Error())
		return false
	}
	return true
}

// controlFailure answers a control request the server could not carry out
// (the data directory failed to save it).
func controlFailure(w http.ResponseWriter, err error) {
	writeControlJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
}

func controlError(w http.ResponseWriter, msg string) {
	writeControlJSON(w, http.StatusBadRequest, map[string]string{"error": msg})
}

func writeControlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
