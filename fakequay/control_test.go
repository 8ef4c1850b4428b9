package fakequay

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestControlEndpoints(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)

	// Clock.
	checkReply(t, reply{200, "application/json", "{\n  \"now\": \"2026-11-28T12:00:00Z\"\n}\n"},
		h.do("GET", "/_fakequay/clock", tokNone, ""))
	checkReply(t, reply{200, "application/json", "{\n  \"now\": \"2026-11-30T12:00:00Z\"\n}\n"},
		h.do("POST", "/_fakequay/clock", tokNone, `{"advance": "48h"}`))
	checkReply(t, reply{400, "application/json", "{\n  \"error\": \"advance: time: invalid duration \\\"soon\\\"\"\n}\n"},
		h.do("POST", "/_fakequay/clock", tokNone, `{"advance": "soon"}`))

	// Faults.
	checkReply(t, reply{201, "application/json", "{\n  \"id\": 1\n}\n"},
		h.do("POST", "/_fakequay/faults", tokNone, `{"operation": "getInstallUser", "status": 404, "times": 1}`))
	checkReply(t, replyNotFound, h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""))
	if got := h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""); got.Status != 200 {
		t.Errorf("fault outlived times=1: %d", got.Status)
	}
	checkReply(t, reply{400, "application/json", "{\n  \"error\": \"latency: time: invalid duration \\\"x\\\"\"\n}\n"},
		h.do("POST", "/_fakequay/faults", tokNone, `{"latency": "x"}`))

	// State dump never shows a token.
	state := h.do("GET", "/_fakequay/state", tokNone, "")
	if state.Status != 200 || strings.Contains(state.Body, tokAdmin) || !strings.Contains(state.Body, "REDACTED") {
		t.Errorf("state dump: %d, redacted=%v, leaks=%v", state.Status,
			strings.Contains(state.Body, "REDACTED"), strings.Contains(state.Body, tokAdmin))
	}

	// Reset goes back to the seed, clock included.
	if got := h.do("DELETE", "/api/v1/superuser/users/alice", tokAdmin, ""); got.Status != 204 {
		t.Fatalf("delete alice: %d", got.Status)
	}
	checkReply(t, reply{Status: 204}, h.do("POST", "/_fakequay/reset", tokNone, ""))
	if got := h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, ""); got.Status != 200 {
		t.Errorf("alice after reset: %d", got.Status)
	}
	checkReply(t, reply{200, "application/json", "{\n  \"now\": \"2026-11-28T12:00:00Z\"\n}\n"},
		h.do("GET", "/_fakequay/clock", tokNone, ""))

	// Runtime numbers: the values vary, the journal's do not (the requests
	// above, none of them cleared).
	rt := h.do("GET", "/_fakequay/runtime", tokNone, "")
	var stats runtimeStats
	if err := json.Unmarshal([]byte(rt.Body), &stats); err != nil || rt.Status != 200 {
		t.Fatalf("runtime: %d %v: %s", rt.Status, err, rt.Body)
	}
	if stats.Goroutines < 1 || stats.HeapAllocBytes == 0 || stats.HeapSysBytes < stats.HeapAllocBytes {
		t.Errorf("runtime numbers out of range: %+v", stats)
	}
	wantJournal := runtimeStats{JournalLength: len(h.s.Requests()) - 1, JournalSize: 1000}
	if diff := cmp.Diff(wantJournal, runtimeStats{JournalLength: stats.JournalLength, JournalSize: stats.JournalSize}); diff != "" {
		t.Errorf("runtime journal numbers (-want +got):\n%s", diff)
	}

	checkReply(t, reply{404, "application/json", "{\n  \"error\": \"no control endpoint GET /nope\"\n}\n"},
		h.do("GET", "/_fakequay/nope", tokNone, ""))
}
