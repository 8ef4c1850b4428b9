package contract

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// The smaller superuser endpoints of reference §3: app tokens, global
// messages, the change log, the config dump, mirror health and the
// registry status.

// errWerkzeugForbidden is the message of flask.abort(403), family D
// (reference §1.3), which the global-message writes answer non-superusers.
const errWerkzeugForbidden = "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."

// wantWerkzeugForbidden checks err is flask.abort(403): a 403 whose body is
// {"message": ...}, not an ApiError.
func wantWerkzeugForbidden(t *testing.T, err error) {
	t.Helper()
	qe, ok := asQuayError(err)
	if !ok {
		t.Fatalf("err = %v, want a *quay.Error", err)
	}
	if !errors.Is(err, quay.ErrForbidden) {
		t.Errorf("errors.Is(err, ErrForbidden) = false for %v", err)
	}
	got := quay.Error{StatusCode: qe.StatusCode, Type: qe.Type, Detail: qe.Detail, Message: qe.Message, ErrorText: qe.ErrorText}
	want := quay.Error{StatusCode: http.StatusForbidden, Message: errWerkzeugForbidden}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Werkzeug 403 (-want +got):\n%s", diff)
	}
}

// defaultAppTokenExpiration is what Quay sizes the "expiring soon" window
// from when APP_SPECIFIC_TOKEN_EXPIRATION is unset: 4 weeks.
const defaultAppTokenExpiration = 4 * 7 * 24 * time.Hour

func systemCases() []testCase {
	var all []testCase
	for _, area := range [][]testCase{appTokenCases(), messageCases(), changeLogCases(), configDumpCases(), mirrorHealthCases(), registryStatusCases()} {
		all = append(all, area...)
	}
	return all
}

func appTokenCases() []testCase {
	return []testCase{
		{op: "listAllAppTokens", name: "§3 a regular superuser lists only with FEATURE_SUPERUSERS_FULL_ACCESS", run: func(t *testing.T, e *env) {
			_, _, err := e.su(t).AppTokens.List(t.Context(), nil)
			if e.tgt.SuperusersFullAccess {
				wantNoError(t, "List with full access", err)
				return
			}
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllAppTokens", name: "§3 expiring=false lists every token, as no filter does", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			unfiltered, _, err := gro.AppTokens.List(t.Context(), nil)
			wantNoError(t, "List as GRO", err)
			got, _, err := gro.AppTokens.List(t.Context(), &superuser.AppTokenListOptions{Expiring: new(false)})
			wantNoError(t, "List expiring=false", err)
			if diff := cmp.Diff(unfiltered, got); diff != "" {
				t.Errorf("expiring=false against no filter (-want +got):\n%s", diff)
			}
		}},
		{op: "listAllAppTokens", name: "§3 only_expiring echoes the parameter, null without it", run: func(t *testing.T, e *env) {
			for query, want := range map[string]*bool{"": nil, "?expiring=false": new(false), "?expiring=true": new(true), "?expiring=yes": new(true)} {
				var body struct {
					OnlyExpiring *bool `json:"only_expiring"`
				}
				wantNoError(t, "GET"+query, e.do(t, ReadOnlySuperuser, "GET", "superuser/apptokens"+query, nil, &body))
				if diff := cmp.Diff(want, body.OnlyExpiring); diff != "" {
					t.Errorf("only_expiring for %q (-want +got):\n%s", query, diff)
				}
			}
		}},
		{op: "listAllAppTokens", name: "§3 expiring lists the unexpired tokens that expire within a tenth of their lifetime", run: func(t *testing.T, e *env) {
			gro := e.client(t, ReadOnlySuperuser)
			now := e.serverNow(t)
			lifetime := e.tgt.AppTokenExpiration
			if lifetime == 0 {
				lifetime = defaultAppTokenExpiration
			}
			soon := now.Add(time.Duration(math.Ceil(lifetime.Seconds()/10)) * time.Second)
			// Tokens within a minute of either edge could cross it while the
			// case runs; they are left out of the comparison.
			near := func(a, b time.Time) bool { return a.Sub(b).Abs() < time.Minute }
			settled := func(tok superuser.AppToken) bool {
				return tok.Expiration == nil || !near(tok.Expiration.Time, now) && !near(tok.Expiration.Time, soon)
			}
			all, _, err := gro.AppTokens.List(t.Context(), nil)
			wantNoError(t, "List", err)
			var want []superuser.AppToken
			for _, tok := range all {
				if settled(tok) && tok.Expiration != nil && tok.Expiration.After(now) && !tok.Expiration.After(soon) {
					want = append(want, tok)
				}
			}
			if len(want) == 0 {
				t.Skip("the target has no app token that expires soon")
			}
			expiring, _, err := gro.AppTokens.List(t.Context(), &superuser.AppTokenListOptions{Expiring: new(true)})
			wantNoError(t, "List expiring", err)
			got := slices.DeleteFunc(expiring, func(tok superuser.AppToken) bool { return !settled(tok) })
			byUUID := func(a, b superuser.AppToken) int { return strings.Compare(a.UUID, b.UUID) }
			slices.SortFunc(want, byUUID)
			slices.SortFunc(got, byUUID)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("expiring tokens at %v, window to %v (-want +got):\n%s", now, soon, diff)
			}
		}},
		{op: "listAllAppTokens", name: "§1.2 a superuser token without super:user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, SuperuserNoScope).AppTokens.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllAppTokens", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).AppTokens.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "listAllAppTokens", name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).AppTokens.List(t.Context(), nil)
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
	}
}

// createMessage posts a global message with unique content as the
// superuser and returns it as listed; it is deleted when t ends.
func (e *env) createMessage(t *testing.T, severity, mediaType string) superuser.Message {
	t.Helper()
	content := "contract message " + e.name("msg")
	t.Cleanup(func() { e.deleteMessages(t, content) })
	_, err := e.su(t).Messages.Create(t.Context(), superuser.CreateMessageRequest{Content: content, Severity: severity, MediaType: mediaType})
	wantNoError(t, "Create", err)
	mine := e.messagesWith(t, Superuser, content)
	if len(mine) != 1 {
		t.Fatalf("%d messages listed with the new content, want 1", len(mine))
	}
	return mine[0]
}

// messagesWith lists, as role, the global messages with the given content.
func (e *env) messagesWith(t *testing.T, role Role, content string) []superuser.Message {
	t.Helper()
	msgs, _, err := e.client(t, role).Messages.List(t.Context())
	wantNoError(t, "List", err)
	return slices.DeleteFunc(msgs, func(m superuser.Message) bool { return m.Content != content })
}

// deleteMessages removes every global message with the given content: the
// cleanup of createMessage, which runs after t's context is cancelled.
func (e *env) deleteMessages(t *testing.T, content string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	su := e.su(t)
	msgs, _, err := su.Messages.List(ctx)
	if err != nil {
		t.Errorf("cleanup: listing messages: %v", err)
		return
	}
	for _, m := range msgs {
		if m.Content == content {
			if _, err := su.Messages.Delete(ctx, m.UUID); err != nil {
				t.Errorf("cleanup: deleting message %s: %v", m.UUID, err)
			}
		}
	}
}

func messageCases() []testCase {
	return []testCase{
		{op: "createGlobalMessage", name: "§3 201, then the message is listed as sent", run: func(t *testing.T, e *env) {
			got := e.createMessage(t, "warning", "text/markdown")
			want := superuser.Message{UUID: got.UUID, Content: got.Content, Severity: "warning", MediaType: "text/markdown"}
			if diff := cmp.Diff(want, got); diff != "" || got.UUID == "" {
				t.Errorf("listed message (-want +got):\n%s", diff)
			}
		}},
		{op: "createGlobalMessage", name: "§1.3 a normal user gets Werkzeug's 403, not an ApiError", run: func(t *testing.T, e *env) {
			_, err := e.client(t, NormalUser).Messages.Create(t.Context(), superuser.CreateMessageRequest{Content: e.name("denied"), Severity: "info", MediaType: "text/plain"})
			wantWerkzeugForbidden(t, err)
		}},
		{op: "createGlobalMessage", name: "§3 a read-only superuser gets Werkzeug's 403", run: func(t *testing.T, e *env) {
			_, err := e.client(t, ReadOnlySuperuser).Messages.Create(t.Context(), superuser.CreateMessageRequest{Content: e.name("denied"), Severity: "info", MediaType: "text/plain"})
			wantWerkzeugForbidden(t, err)
		}},
		{op: "createGlobalMessage", name: "§1.1 an anonymous write gets the CSRF 403", run: func(t *testing.T, e *env) {
			_, err := e.client(t, Anonymous).Messages.Create(t.Context(), superuser.CreateMessageRequest{Content: e.name("anon"), Severity: "info", MediaType: "text/plain"})
			wantCSRF(t, err)
		}},
		{op: "createGlobalMessage", name: "§1.6 a severity outside the schema is a 400, before the permission check", run: func(t *testing.T, e *env) {
			_, err := e.client(t, NormalUser).Messages.Create(t.Context(), superuser.CreateMessageRequest{Content: e.name("bad"), Severity: "fatal", MediaType: "text/plain"})
			qe, ok := asQuayError(err)
			if !ok || !errors.Is(err, quay.ErrBadRequest) {
				t.Fatalf("err = %v, want a 400 *quay.Error", err)
			}
			first, _, _ := strings.Cut(qe.Detail, "\n")
			got := apiErr{qe.StatusCode, qe.Type, first}
			if diff := cmp.Diff(apiErr{400, "invalid_request", "'fatal' is not one of ['info', 'warning', 'error']"}, got); diff != "" {
				t.Errorf("schema error, first line of detail (-want +got):\n%s", diff)
			}
		}},

		{op: "getGlobalMessages", name: "§3 anyone may list, anonymous callers included", run: func(t *testing.T, e *env) {
			m := e.createMessage(t, "info", "text/plain")
			for _, role := range []Role{Anonymous, NormalUser, ReadOnlySuperuser} {
				if diff := cmp.Diff([]superuser.Message{m}, e.messagesWith(t, role, m.Content)); diff != "" {
					t.Errorf("as a %v (-want +got):\n%s", role, diff)
				}
			}
		}},

		{op: "deleteGlobalMessage", name: "§3 204, then the message is gone", run: func(t *testing.T, e *env) {
			m := e.createMessage(t, "error", "text/plain")
			_, err := e.su(t).Messages.Delete(t.Context(), m.UUID)
			wantNoError(t, "Delete", err)
			if left := e.messagesWith(t, Superuser, m.Content); len(left) != 0 {
				t.Errorf("still listed after delete: %+v", left)
			}
		}},
		{op: "deleteGlobalMessage", name: "§3 an unknown uuid still answers success", run: func(t *testing.T, e *env) {
			resp, err := e.su(t).Messages.Delete(t.Context(), "00000000-0000-4000-8000-00000000beef")
			wantNoError(t, "Delete", err)
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("status %d, want 204", resp.StatusCode)
			}
		}},
		{op: "deleteGlobalMessage", name: "§3 a normal user gets Werkzeug's 403 and the message stays", run: func(t *testing.T, e *env) {
			m := e.createMessage(t, "info", "text/plain")
			_, err := e.client(t, NormalUser).Messages.Delete(t.Context(), m.UUID)
			wantWerkzeugForbidden(t, err)
			if left := e.messagesWith(t, Superuser, m.Content); len(left) != 1 {
				t.Errorf("%d messages left, want the one a normal user failed to delete", len(left))
			}
		}},
		{op: "deleteGlobalMessage", name: "§1.1 an anonymous delete gets the CSRF 403", run: func(t *testing.T, e *env) {
			_, err := e.client(t, Anonymous).Messages.Delete(t.Context(), "00000000-0000-4000-8000-00000000beef")
			wantCSRF(t, err)
		}},
	}
}

func changeLogCases() []testCase {
	return []testCase{
		{op: "getChangeLog", name: "§3 superusers read the change log's text", run: func(t *testing.T, e *env) {
			text, _, err := e.su(t).System.ChangeLog(t.Context())
			wantNoError(t, "ChangeLog", err)
			if strings.TrimSpace(text) == "" {
				t.Fatal("the change log is empty")
			}
			gro, _, err := e.client(t, ReadOnlySuperuser).System.ChangeLog(t.Context())
			wantNoError(t, "ChangeLog as GRO", err)
			if gro != text {
				t.Errorf("a read-only superuser reads another change log (%d bytes against %d)", len(gro), len(text))
			}
		}},
		{op: "getChangeLog", name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).System.ChangeLog(t.Context())
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: "getChangeLog", name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).System.ChangeLog(t.Context())
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
	}
}

// maskedSecret is how the config dump shows a secret-looking string.
var maskedSecret = regexp.MustCompile(`^\*{0,10} \(\d+\)$`)

// secretConfigKeys are top-level keys the config dump masks (Quay's
// SuperUserDumpConfig list) that a deployment is likely to set.
var secretConfigKeys = []string{"DB_URI", "SECRET_KEY", "DATABASE_SECRET_KEY", "PAGE_TOKEN_KEY"}

func configDumpCases() []testCase {
	// The config dump (GET /superuser/config) has no nickname; the suite
	// names it after Quay's resource class.
	const op = "SuperUserDumpConfig"
	dumpFor := func(t *testing.T, e *env, role Role) {
		dump, _, err := e.client(t, role).System.Config(t.Context())
		if !e.tgt.ConfigDump {
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
			return
		}
		wantNoError(t, "Config", err)
		flag, ok := dump.Config["FEATURE_SUPERUSER_CONFIGDUMP"]
		if !ok {
			flag = dump.Warning["FEATURE_SUPERUSER_CONFIGDUMP"]
		}
		if string(flag) != "true" || len(dump.Schema) == 0 {
			t.Errorf("FEATURE_SUPERUSER_CONFIGDUMP = %s, schema of %d bytes; want true and a schema", flag, len(dump.Schema))
		}
	}
	return []testCase{
		{op: op, name: "§3 superusers read it only with FEATURE_SUPERUSER_CONFIGDUMP", run: func(t *testing.T, e *env) {
			dumpFor(t, e, Superuser)
		}},
		{op: op, name: "§3 read-only superusers too", run: func(t *testing.T, e *env) {
			dumpFor(t, e, ReadOnlySuperuser)
		}},
		{op: op, name: "§3 secret-looking values are masked with their length", run: func(t *testing.T, e *env) {
			if !e.tgt.ConfigDump {
				t.Skip("the target runs without FEATURE_SUPERUSER_CONFIGDUMP")
			}
			dump, _, err := e.su(t).System.Config(t.Context())
			wantNoError(t, "Config", err)
			checked := 0
			for _, key := range secretConfigKeys {
				raw, ok := dump.Config[key]
				if !ok {
					raw, ok = dump.Warning[key]
				}
				var s string
				if !ok || json.Unmarshal(raw, &s) != nil {
					continue
				}
				checked++
				if !maskedSecret.MatchString(s) {
					t.Errorf("%s = %q, want it masked", key, s)
				}
			}
			if checked == 0 {
				t.Skipf("the dump shows none of %v", secretConfigKeys)
			}
		}},
		{op: op, name: "§3 Flask's own keys are warnings, and the schema has its required list", run: func(t *testing.T, e *env) {
			// What Quay's own test_get_superuserdumpconfig asks for: every
			// app.config key outside CONFIG_SCHEMA["properties"] (Flask's
			// APPLICATION_ROOT, EXPLAIN_TEMPLATE_LOADING) goes under warning,
			// and the schema is CONFIG_SCHEMA, with its top-level required list.
			if !e.tgt.ConfigDump {
				t.Skip("the target runs without FEATURE_SUPERUSER_CONFIGDUMP")
			}
			dump, _, err := e.su(t).System.Config(t.Context())
			wantNoError(t, "Config", err)
			for _, key := range []string{"APPLICATION_ROOT", "EXPLAIN_TEMPLATE_LOADING"} {
				if _, ok := dump.Warning[key]; !ok {
					t.Errorf("warning lacks %s", key)
				}
			}
			var schema struct {
				Description string   `json:"description"`
				Required    []string `json:"required"`
			}
			if err := json.Unmarshal(dump.Schema, &schema); err != nil || schema.Description == "" ||
				!slices.Contains(schema.Required, "SERVER_HOSTNAME") {
				t.Errorf("schema description %q, required %v (%v); want a description and a list naming SERVER_HOSTNAME",
					schema.Description, schema.Required, err)
			}
		}},
		{op: op, name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, NormalUser).System.Config(t.Context())
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: op, name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			_, _, err := e.client(t, Anonymous).System.Config(t.Context())
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
	}
}

func mirrorHealthCases() []testCase {
	const op = "getSuperUserRepositoryMirrorHealth"
	enabled := func(t *testing.T, e *env) {
		if e.tgt.RepoMirror == MirrorDisabled {
			t.Skip("the target runs without FEATURE_REPO_MIRROR")
		}
	}
	return []testCase{
		{op: op, name: "§3 the summary: 200 when healthy, 503 with the same shape when degraded", run: func(t *testing.T, e *env) {
			enabled(t, e)
			h, resp, err := e.su(t).System.MirrorHealth(t.Context())
			wantNoError(t, "MirrorHealth", err)
			wantMirrorHealth(t, e.tgt.RepoMirror, h, resp)
		}},
		{op: op, name: "§3 a read-only superuser may read", run: func(t *testing.T, e *env) {
			enabled(t, e)
			h, resp, err := e.client(t, ReadOnlySuperuser).System.MirrorHealth(t.Context())
			wantNoError(t, "MirrorHealth as GRO", err)
			wantMirrorHealth(t, e.tgt.RepoMirror, h, resp)
		}},
		{op: op, name: "§1.5 without FEATURE_REPO_MIRROR the route does not exist", run: func(t *testing.T, e *env) {
			if e.tgt.RepoMirror != MirrorDisabled {
				t.Skip("the target runs with FEATURE_REPO_MIRROR")
			}
			_, _, err := e.su(t).System.MirrorHealth(t.Context())
			qe, ok := asQuayError(err)
			if !ok || !errors.Is(err, quay.ErrNotFound) || qe.Type != "" || qe.Message != "" {
				t.Errorf("err = %v, want the web UI's HTML 404", err)
			}
		}},
		{op: op, name: "§1.2 a normal user gets 403", run: func(t *testing.T, e *env) {
			enabled(t, e)
			_, _, err := e.client(t, NormalUser).System.MirrorHealth(t.Context())
			wantAPIError(t, err, quay.ErrForbidden, errForbidden)
		}},
		{op: op, name: "§1.2 anonymous gets 401", run: func(t *testing.T, e *env) {
			enabled(t, e)
			_, _, err := e.client(t, Anonymous).System.MirrorHealth(t.Context())
			wantAPIError(t, err, quay.ErrUnauthorized, errUnauthorized)
		}},
	}
}

// wantMirrorHealth checks a mirror-health answer against the state the
// target declares, and against itself: the status, healthy flag, worker
// status and issues must agree, and the counts add up.
func wantMirrorHealth(t *testing.T, state MirrorState, h superuser.MirrorHealth, resp *quay.Response) {
	t.Helper()
	switch {
	case state == MirrorHealthy && !h.Healthy, state == MirrorDegraded && h.Healthy:
		t.Errorf("healthy = %v on a target with %v", h.Healthy, state)
	}
	wantStatus, wantWorkers := http.StatusOK, "healthy"
	if !h.Healthy {
		wantStatus, wantWorkers = http.StatusServiceUnavailable, "degraded"
	}
	if resp.StatusCode != wantStatus || h.Workers.Status != wantWorkers {
		t.Errorf("healthy %v answered %d with workers %q; want %d and %q", h.Healthy, resp.StatusCode, h.Workers.Status, wantStatus, wantWorkers)
	}
	if h.Healthy != (len(h.Issues) == 0) {
		t.Errorf("healthy %v with issues %+v: only failures and missing workers raise issues in the summary", h.Healthy, h.Issues)
	}
	for _, is := range h.Issues {
		if !slices.Contains([]string{"critical", "warning"}, is.Severity) || is.Message == "" || is.Timestamp.IsZero() {
			t.Errorf("issue %+v", is)
		}
	}
	r := h.Repositories
	if r.Syncing+r.Completed+r.Failed+r.NeverRun > r.Total || h.LastCheck.IsZero() {
		t.Errorf("repositories %+v, last check %v", r, h.LastCheck)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache, no-store, must-revalidate" {
		t.Errorf("Cache-Control = %q", cc)
	}
}

func registryStatusCases() []testCase {
	return []testCase{
		{op: "scRegistryStatus", name: "§3 anonymous callers get the setup status: ready with a provider only when SETUP_COMPLETE", run: func(t *testing.T, e *env) {
			// endpoints/api/suconfig.py SuperUserRegistryStatus.get.
			st, _, err := e.client(t, Anonymous).Registry.Status(t.Context())
			wantNoError(t, "Status", err)
			if e.tgt.SetupComplete {
				if st.Status != "ready" || st.ProviderID == "" {
					t.Errorf("status = %+v, want ready with a config provider", st)
				}
				return
			}
			if diff := cmp.Diff(superuser.RegistryStatus{Status: "setup-incomplete"}, st); diff != "" {
				t.Errorf("status without SETUP_COMPLETE (-want +got):\n%s", diff)
			}
		}},
		{op: "scRegistryStatus", name: "§3 every caller gets the same answer", run: func(t *testing.T, e *env) {
			want, _, err := e.client(t, Anonymous).Registry.Status(t.Context())
			wantNoError(t, "Status", err)
			for _, role := range []Role{Superuser, ReadOnlySuperuser, NormalUser} {
				got, _, err := e.client(t, role).Registry.Status(t.Context())
				wantNoError(t, "Status as a "+role.String(), err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("as a %v against anonymous (-want +got):\n%s", role, diff)
				}
			}
		}},
	}
}
