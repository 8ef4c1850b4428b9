package fakequay

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFaultAnswersWithTheBodyQuayDeploymentsSend(t *testing.T) {
	t.Parallel()
	nginx429 := "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n" +
		"<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	tests := []struct {
		name  string
		fault Fault
		want  reply
	}{
		{"nginx rate limit, no Retry-After (ref anchors: nginx 429 is HTML)",
			Fault{Operation: "listAllUsers", Status: 429}, reply{429, "text/html", nginx429}},
		{"gunicorn 500", Fault{Operation: "listAllUsers", Status: 500}, replyCrash},
		{"ApiError 404", Fault{Operation: "listAllUsers", Status: 404}, replyNotFound},
		{"custom body", Fault{Method: "GET", Path: "/api/v1/superuser/users/", Status: 418, Body: "teapot", ContentType: "text/plain"},
			reply{418, "text/plain", "teapot"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			if _, err := h.s.InjectFault(tc.fault); err != nil {
				t.Fatal(err)
			}
			checkReply(t, tc.want, h.do("GET", "/api/v1/superuser/users/", tokAdmin, ""))
		})
	}
}

func TestFaultCountsAndScope(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	if _, err := h.s.InjectFault(Fault{Operation: "getInstallUser", Status: 503, After: 1, Times: 2, RetryAfter: "7"}); err != nil {
		t.Fatal(err)
	}
	var got []int
	for range 5 {
		got = append(got, h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, "").Status)
	}
	// Other operations are untouched.
	got = append(got, h.do("GET", "/api/v1/superuser/users/", tokAdmin, "").Status)
	if diff := cmp.Diff([]int{200, 503, 503, 200, 200, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	faulted := 0
	for _, r := range h.s.Requests() {
		if r.Fault {
			faulted++
		}
	}
	if faulted != 2 {
		t.Errorf("journal shows %d faulted requests, want 2", faulted)
	}
}

func TestFaultProbabilityIsSeeded(t *testing.T) {
	t.Parallel()
	run := func() []int {
		h := newHarness(t, nil)
		if _, err := h.s.InjectFault(Fault{Operation: "getInstallUser", Status: 503, Probability: 0.3}); err != nil {
			t.Fatal(err)
		}
		var st []int
		for range 40 {
			st = append(st, h.do("GET", "/api/v1/superuser/users/alice", tokAdmin, "").Status)
		}
		return st
	}
	a, b := run(), run()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", diff)
	}
	failed := 0
	for _, s := range a {
		if s == 503 {
			failed++
		}
	}
	if failed < 4 || failed > 20 {
		t.Errorf("%d of 40 requests failed at probability 0.3", failed)
	}
}

func TestFaultDropAndLatency(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	id, _ := h.s.InjectFault(Fault{Operation: "getInstallUser", Drop: true})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", "http://quay.test/api/v1/superuser/users/alice", nil)
	if _, err := h.client.Do(req); !errors.Is(err, errConnectionDropped) {
		t.Errorf("in-process drop: err %v, want errConnectionDropped", err)
	}
	h.s.RemoveFault(id)

	// Over TCP a dropped connection is an EOF-style transport error.
	s := RunT(t, WithSeed(fixtureSeed()))
	if _, err := s.InjectFault(Fault{Path: "/health/instance", Drop: true}); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(s.URL() + "/health/instance"); err == nil {
		resp.Body.Close()
		t.Errorf("TCP drop: got status %d, want a transport error", resp.StatusCode)
	}

	// Latency honours the caller's context.
	if _, err := h.s.InjectFault(Fault{Operation: "getInstallUser", Latency: time.Hour}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, "GET", "http://quay.test/api/v1/superuser/users/alice", nil)
	start := time.Now()
	if _, err := h.client.Do(req); err == nil {
		t.Error("request with an hour of latency succeeded")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("cancelled request took %v", took)
	}
}

func TestInjectFaultRejectsNonsense(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	for _, f := range []Fault{{Status: 99}, {Status: 600}, {Probability: 1.5}, {Times: -1}, {Latency: -time.Second}} {
		if _, err := h.s.InjectFault(f); err == nil {
			t.Errorf("InjectFault(%+v) accepted", f)
		}
	}
}
