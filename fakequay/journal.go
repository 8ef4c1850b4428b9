package fakequay

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Request is one entry of the request journal: what a test may want to
// assert about the calls its code made. Credentials are never recorded:
// the caller appears by username, and secret-looking query parameters are
// redacted.
type Request struct {
	Time      time.Time // fake-clock time the request arrived
	Method    string
	Path      string
	Query     string // with secret-looking values replaced by "REDACTED"
	Operation string // Quay nickname, "" outside the API or when unrouted
	Caller    string // username of the authenticated caller, "" if anonymous
	Status    int    // 0 when the connection was dropped
	Fault     bool   // an injected fault answered or delayed it
	Duration  time.Duration
}

// journal is a bounded ring of the most recent requests. The ring grows
// as requests come, up to size: a server that a test starts and stops
// after a few requests never pays for a full one.
type journal struct {
	size    int
	mu      sync.Mutex
	entries []Request // len(entries) < size until the ring is full
	next    int       // where the next entry goes once it is
}

func newJournal(size int) *journal { return &journal{size: size} }

func (j *journal) add(r Request) {
	if j.size == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.entries) < j.size {
		j.entries = append(j.entries, r)
		return
	}
	j.entries[j.next] = r
	j.next = (j.next + 1) % j.size
}

func (j *journal) list() []Request {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append(append([]Request(nil), j.entries[j.next:]...), j.entries[:j.next]...)
}

// length is how many requests the journal holds.
func (j *journal) length() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.entries)
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.next = nil, 0
}

// Requests returns the journal, oldest first: the most recent requests, up
// to the size WithJournalSize set.
func (s *Server) Requests() []Request { return s.journal.list() }

// ClearRequests empties the journal.
func (s *Server) ClearRequests() { s.journal.clear() }

// secretParams are query parameters whose values never reach the journal
// or the logs.
var secretParams = []string{"token", "access_token", "password", "secret", "code", "_csrf_token"}

func redactQuery(raw string) string {
	if raw == "" || canonicalQuery(raw) {
		return raw
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "REDACTED"
	}
	for key := range q {
		if secretParam(key) {
			for i := range q[key] {
				q[key][i] = "REDACTED"
			}
		}
	}
	return q.Encode()
}

// canonicalQuery reports whether raw is already what redactQuery would
// make of it: url.ParseQuery then Encode give it back unchanged (keys in
// strictly ascending order, each with "=" and a value, all of characters
// neither side escapes), and no key looks secret. Clients mostly send such
// queries (limit=100&next_page=...), which then skip both.
func canonicalQuery(raw string) bool {
	if len(raw) > 4096 {
		return false
	}
	prev := ""
	for rest := raw; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		key, value, ok := strings.Cut(pair, "=")
		if !ok || key == "" || key <= prev || !unreserved(key) || !unreserved(value) || secretParam(key) {
			return false
		}
		prev = key
	}
	return !strings.HasSuffix(raw, "&")
}

// unreserved reports whether s is made of the characters url.QueryEscape
// leaves alone.
func unreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

// secretParam reports whether a query key's values are redacted.
func secretParam(key string) bool {
	key = strings.ToLower(key)
	for _, s := range secretParams {
		if strings.Contains(key, s) {
			return true
		}
	}
	return false
}

// recorder remembers the status a handler wrote, for the journal and logs.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
