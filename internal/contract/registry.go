package contract

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// The registry size is one row for the whole registry (§2.18, §2.19) that
// every case touching it shares, and a worker outside the suite's control
// may drain it at any moment: a live Quay's every minute, the fakequay
// binary's too, and any fake's on every clock move. So:
//
//   - cases that run in parallel assert only what holds in every state
//     (the shape of the answer, who may call, "queued twice in a row, the
//     second answer is 202"), and queueTwice retries when a worker pass fell
//     between its two calls;
//   - the one case that needs a known starting point moves the clock, so
//     Run gives it the target alone (env.clockGate): no other case queues
//     or moves the clock meanwhile, and its assertions still hold if the
//     binary's own worker fires during it.

// registrySize reads the size as a superuser.
func registrySize(t *testing.T, su *superuser.Client) superuser.RegistrySize {
	t.Helper()
	size, _, err := su.Registry.Size(t.Context())
	wantNoError(t, "Size", err)
	return size
}

// queueSize asks for a calculation and returns Quay's status: 201 when this
// call queued one, 202 when one was already queued or running.
func queueSize(t *testing.T, su *superuser.Client) int {
	t.Helper()
	queued, resp, err := su.Registry.QueueSizeCalculation(t.Context())
	wantNoError(t, "QueueSizeCalculation", err)
	if queued != (resp.StatusCode == http.StatusCreated) {
		t.Errorf("QueueSizeCalculation = %v with status %d", queued, resp.StatusCode)
	}
	return resp.StatusCode
}

// queueTwice queues a calculation twice in a row and returns both statuses.
// A worker pass between the two calls makes the second one queue afresh
// (201), legitimately; it shows as a new last_ran, and the pair is tried
// again.
func queueTwice(t *testing.T, su *superuser.Client) (first, second int) {
	t.Helper()
	for range 3 {
		before := registrySize(t, su)
		first, second = queueSize(t, su), queueSize(t, su)
		after := registrySize(t, su)
		if sameTime(before.LastRan, after.LastRan) {
			return first, second
		}
		t.Logf("the size worker ran between the two calls (last_ran %v, then %v): again", before.LastRan, after.LastRan)
	}
	t.Fatal("the size worker ran between the two calls three times in a row")
	return 0, 0
}

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

// targetNow is the target's clock, to the second: the created_date of a
// throwaway service key. The suite's clock and a fake's may be hours apart.
func (e *env) targetNow(t *testing.T) time.Time {
	t.Helper()
	kid := e.createKey(t, e.keyRequest()).Kid
	now := e.getKey(t, kid).CreatedDate.Time
	_, err := e.su(t).ServiceKeys.Delete(t.Context(), kid)
	wantNoError(t, "deleting the throwaway key", err)
	return now
}

func registryCases() []testCase {
	return []testCase{
		{op: "getRegistrySize", name: "§2.18 a read-only superuser reads size_bytes, last_ran in epoch ms or null, queued, running", run: func(t *testing.T, e *env) {
			body, err := e.raw(t, ReadOnlySuperuser, http.MethodGet, "superuser/registrysize/", nil)
			wantNoError(t, "GET as GRO", err)
			var fields map[string]any
			decodeRaw(t, body, &fields)
			keys := slices.Sorted(maps.Keys(fields))
			if diff := cmp.Diff([]string{"last_ran", "queued", "running", "size_bytes"}, keys); diff != "" {
				t.Fatalf("keys of %s (-want +got):\n%s", body, diff)
			}
			if n, ok := fields["size_bytes"].(json.Number); !ok || !isNonNegativeInt(n) {
				t.Errorf("size_bytes = %v, want an integer", fields["size_bytes"])
			}
			// Epoch milliseconds are 13 digits from 2001 to 2286; seconds are 10.
			if n, ok := fields["last_ran"].(json.Number); fields["last_ran"] != nil && (!ok || !isNonNegativeInt(n) || len(n) != 13) {
				t.Errorf("last_ran = %v, want null or epoch milliseconds", fields["last_ran"])
			}
			for _, k := range []string{"queued", "running"} {
				if _, ok := fields[k].(bool); !ok {
					t.Errorf("%s = %v, want a boolean", k, fields[k])
				}
			}
		}},
		{op: "getRegistrySize", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).Registry.Size(t.Context())
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "getRegistrySize", name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).Registry.Size(t.Context())
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},

		{op: "queueRegistrySizeCalculation", name: "§2.19 a second POST while one is queued or running answers 202", run: func(t *testing.T, e *env) {
			_, second := queueTwice(t, e.su(t))
			if second != http.StatusAccepted {
				t.Errorf("second status %d, want 202", second)
			}
		}},
		{op: "queueRegistrySizeCalculation", name: `§1.4 the answer is the JSON string ""`, run: func(t *testing.T, e *env) {
			body, err := e.raw(t, Superuser, http.MethodPost, "superuser/registrysize/", nil)
			wantNoError(t, "POST", err)
			if !bytes.Equal(bytes.TrimSpace(body), []byte(`""`)) {
				t.Errorf("body %q, want \"\"", body)
			}
		}},
		{op: "queueRegistrySizeCalculation", name: "§2.19 the worker drains the queue on a clock move and sets last_ran", needsClock: true, run: func(t *testing.T, e *env) {
			su := e.su(t)
			start := e.targetNow(t)
			// Queue, then let the worker run: the row is idle with a last_ran.
			queueSize(t, su)
			e.tgt.Clock(t, time.Minute)
			idle := registrySize(t, su)
			if idle.Queued || idle.Running || idle.LastRan == nil || idle.LastRan.Before(start) {
				t.Fatalf("after a worker pass: %+v, want idle with last_ran from %v on", idle, start)
			}
			if first, second := queueTwice(t, su); first != http.StatusCreated || second != http.StatusAccepted {
				t.Errorf("statuses %d then %d, want 201 (queued) then 202 (already queued)", first, second)
			}
			e.tgt.Clock(t, time.Minute)
			done := registrySize(t, su)
			if done.Queued || done.Running || done.LastRan == nil || !done.LastRan.After(*idle.LastRan) {
				t.Errorf("after the next worker pass: %+v, want idle with a last_ran after %v", done, idle.LastRan)
			}
			if limit := start.Add(time.Hour); done.LastRan != nil && done.LastRan.After(limit) {
				t.Errorf("last_ran %v is more than an hour past the target's now %v", done.LastRan, start)
			}
		}},
		{op: "queueRegistrySizeCalculation", name: "§1.2 a read-only superuser cannot queue", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, ReadOnlySuperuser).Registry.QueueSizeCalculation(t.Context())
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "queueRegistrySizeCalculation", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).Registry.QueueSizeCalculation(t.Context())
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "queueRegistrySizeCalculation", name: "§1.1 an anonymous POST gets the CSRF 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).Registry.QueueSizeCalculation(t.Context())
			wantCSRF(t, err)
		}},
	}
}

// isNonNegativeInt reports whether n is spelt as a JSON integer >= 0.
func isNonNegativeInt(n json.Number) bool {
	v, err := n.Int64()
	return err == nil && v >= 0
}
