// Package contract is go-quay's behaviour suite: one set of cases, run
// against every kind of Quay the project supports (fakequay in-process,
// fakequay through its socket-free transport, the fakequay binary over TCP,
// and a live Quay), in the style of testing/slogtest and go-cloud's
// drivertest. A case passes only if the typed client sees on the target
// what the reference (reference/quay-superuser-api.md) says real Quay does.
//
// Cases create what they need under a per-run name prefix and clean it up;
// they never change anything they did not create. What they only read
// (an organization, a build) comes from the target's Fixtures.
package contract

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// Role is a kind of caller Quay's auth model tells apart (reference §1.2).
type Role int

// Roles.
const (
	Superuser         Role = iota // in SUPER_USERS, token with super:user
	SuperuserNoScope              // in SUPER_USERS, token without super:user
	ReadOnlySuperuser             // in GLOBAL_READONLY_SUPER_USERS
	NormalUser                    // any other user
	Anonymous                     // no credentials
)

func (r Role) String() string {
	return [...]string{"superuser", "superuser without super:user", "read-only superuser", "normal user", "anonymous"}[r]
}

// Target is a Quay to run the suite against, with the settings its cases
// depend on.
type Target struct {
	// URL is the registry's base URL.
	URL string
	// Tokens holds a bearer token per role; cases that need a role the
	// target has no token for are skipped. Anonymous needs none.
	Tokens map[Role]string
	// HTTPClient, when set, carries every request (e.g. fakequay's
	// socket-free transport).
	HTTPClient *http.Client
	// Fixtures names what the cases may read but never change.
	Fixtures Fixtures
	// Clock, when set, moves the target's clock: cases about time-based
	// behaviour (page-token expiry, key expiry, the namespace purge) run
	// only on targets that have one, and each runs alone.
	Clock func(t *testing.T, d time.Duration)
	// Mailing reports whether the target runs with FEATURE_MAILING.
	Mailing bool
	// QuotaManagement reports whether the target runs with
	// FEATURE_QUOTA_MANAGEMENT (and FEATURE_EDIT_QUOTA): without it Quay has
	// no quota routes and no quotas in user and organization views, and the
	// quota cases skip.
	QuotaManagement bool
	// ConfigDump reports whether the target runs with
	// FEATURE_SUPERUSER_CONFIGDUMP; without it /superuser/config is a 403
	// even for superusers.
	ConfigDump bool
	// SuperusersFullAccess reports whether the target runs with
	// FEATURE_SUPERUSERS_FULL_ACCESS, which lets regular superusers list app
	// tokens and gives them the repository-derived fields of build views.
	SuperusersFullAccess bool
	// AppTokenExpiration is the target's APP_SPECIFIC_TOKEN_EXPIRATION; zero
	// means unset, for which Quay sizes the "expiring soon" window from 4 weeks.
	AppTokenExpiration time.Duration
	// RepoMirror is the target's FEATURE_REPO_MIRROR and, when known, the
	// health its mirroring is in.
	RepoMirror MirrorState
	// SetupComplete is the target's SETUP_COMPLETE, which every deployed
	// Quay has and which decides what scRegistryStatus answers.
	SetupComplete bool
	// SecurityScanner is the target's FEATURE_SECURITY_SCANNER, without
	// which getRepoManifestSecurity's route does not exist.
	SecurityScanner bool
	// Push, when set, pushes images as the Superuser token's user (into
	// its own namespace); the tag and label cases skip without it.
	Push Pusher
}

// MirrorState is what a target's mirror-health route is expected to say.
type MirrorState int

// Mirror states.
const (
	MirrorDisabled MirrorState = iota // FEATURE_REPO_MIRROR off: the route does not exist
	MirrorHealthy                     // on, and the summary is healthy (200)
	MirrorDegraded                    // on, and the summary is degraded (503)
	MirrorEnabled                     // on, health not known in advance
)

// String names the state in test messages.
func (s MirrorState) String() string {
	return [...]string{"mirroring off", "healthy mirroring", "degraded mirroring", "mirroring of unknown health"}[s]
}

// Fixtures are pre-existing objects of the target.
type Fixtures struct {
	// Organizations are at least two organizations (for paging).
	Organizations []string
	// UnapprovedServiceKey is the kid of a service key nobody has approved
	// (Quay's superuser API cannot make one: createServiceKey approves at
	// once). Cases that need it skip when it is empty.
	UnapprovedServiceKey string
	// Builds names the builds the build cases read.
	Builds BuildFixtures
	// LogDay is a past day (its UTC date counts) whose audit log holds more
	// than 20 entries and gets no new ones; zero skips the cases that page
	// through it.
	LogDay time.Time
	// Repository ("namespace/name") is a repository NormalUser
	// administers, where the notification cases create (and delete again)
	// notifications; empty skips them.
	Repository string
	// ScannedManifest and UnscannedManifest are manifest digests in
	// Repository: one the scanner reported on (the packages of
	// quay/testdata/getRepoManifestSecurity-scanned.json), one it has not
	// indexed. Empty skips the cases that read them.
	ScannedManifest, UnscannedManifest string
	// SignIn is a user who signs in with a password (the sign-in cases;
	// empty skips them). Signing out ends every session of that user.
	SignIn SignInFixture
}

// SignInFixture is a user's name and password.
type SignInFixture struct {
	User, Password string
}

// BuildFixtures are the UUIDs of pre-existing builds; cases that need one
// that is empty skip.
type BuildFixtures struct {
	// Finished is a build in a terminal phase (complete, error or cancelled).
	Finished string
	// Archived is a build whose log entries Quay has archived.
	Archived string
	// WithLogs is a build whose log, of at least two entries, is not archived yet.
	WithLogs string
}

// env is what a case gets: clients per role and helpers that create and
// clean up uniquely named objects.
type env struct {
	tgt    Target
	prefix string
	seq    *atomic.Int64
	// clockGate lets a case that moves the target's clock run alone: a jump
	// of days expires every page token in flight and runs the namespace
	// purge and the registry-size worker under the other cases' feet.
	clockGate *sync.RWMutex
}

// Run runs every case against tgt, as parallel subtests named after the
// Quay operation and the behaviour.
func Run(t *testing.T, tgt Target) {
	e := &env{tgt: tgt, prefix: runPrefix(), seq: new(atomic.Int64), clockGate: new(sync.RWMutex)}
	for _, c := range cases() {
		t.Run(c.op+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			if c.needsClock && tgt.Clock == nil {
				t.Skip("needs a target whose clock the suite can move")
			}
			e.enter(t, c.needsClock || c.alone)
			c.run(t, e)
		})
	}
}

// enter holds the clock gate until t and its cleanups are done: alone for
// a case that moves the clock, shared with the other cases otherwise.
func (e *env) enter(t *testing.T, movesClock bool) {
	if movesClock {
		e.clockGate.Lock()
		t.Cleanup(e.clockGate.Unlock)
		return
	}
	e.clockGate.RLock()
	t.Cleanup(e.clockGate.RUnlock)
}

// testCase is one behaviour of one Quay operation.
type testCase struct {
	op         string // Quay nickname
	name       string // the behaviour, with the reference section
	needsClock bool   // moves the target's clock: skipped without one, runs alone (clockGate)
	// alone runs the case with no other (clockGate): Quay's organization
	// list fails with a 500 when an organization it listed is deleted or
	// renamed before its quota report is read
	// (endpoints/api/superuser_models_interface.py line 276,
	// data/model/namespacequota.py line 464 get_quota_for_view: None has
	// no username), which the other cases do all the time.
	alone bool
	run   func(t *testing.T, e *env)
}

// runPrefix makes names unique per run, valid as Quay usernames.
func runPrefix() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "ct" + string(b)
}

// name returns a fresh name for an object this run creates.
func (e *env) name(base string) string {
	return fmt.Sprintf("%s-%s%d", e.prefix, base, e.seq.Add(1))
}

// client returns a superuser API client acting as role, skipping the test
// when the target has no token for it.
func (e *env) client(t *testing.T, role Role) *superuser.Client {
	t.Helper()
	return superuser.New(e.quayClient(t, role))
}

// quayClient is the core client under client.
func (e *env) quayClient(t *testing.T, role Role) *quay.Client {
	t.Helper()
	opts := []quay.Option{}
	if role != Anonymous {
		tok := e.tgt.Tokens[role]
		if tok == "" {
			t.Skipf("target has no token for a %v", role)
		}
		opts = append(opts, quay.WithToken(tok))
	}
	if e.tgt.HTTPClient != nil {
		opts = append(opts, quay.WithHTTPClient(e.tgt.HTTPClient))
	}
	c, err := quay.NewClient(e.tgt.URL, opts...)
	if err != nil {
		t.Fatalf("quay.NewClient: %v", err)
	}
	return c
}

// raw sends a request as role that the typed client would not send, or
// whose body it does not show, and returns the answer's raw body. body is
// encoded as JSON unless it is nil.
func (e *env) raw(t *testing.T, role Role, method, path string, body any) ([]byte, error) {
	t.Helper()
	var got bytes.Buffer
	err := e.do(t, role, method, path, body, &got)
	return got.Bytes(), err
}

// do sends a request the typed client would not send, as role, decoding
// the answer into v (nil discards it; an io.Writer gets the raw body).
func (e *env) do(t *testing.T, role Role, method, path string, body, v any) error {
	t.Helper()
	c := e.quayClient(t, role)
	req, err := c.NewRequest(t.Context(), method, path, body)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(req, v)
	return err
}

// su is the superuser client.
func (e *env) su(t *testing.T) *superuser.Client { return e.client(t, Superuser) }

// createUser creates a user this run owns and deletes it when t ends.
func (e *env) createUser(t *testing.T, base string) superuser.CreatedUser {
	t.Helper()
	name := e.name(base)
	u, _, err := e.su(t).Users.Create(t.Context(), superuser.CreateUserRequest{Username: name, Email: name + "@example.com"})
	if err != nil {
		t.Fatalf("creating user %s: %v", name, err)
	}
	t.Cleanup(func() { e.deleteNamespace(t, name) })
	return u
}

// deleteNamespace removes a user or organization the run created, whatever
// it has become; a namespace already gone is fine.
func (e *env) deleteNamespace(t *testing.T, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	su := e.su(t)
	if _, err := su.Users.Delete(ctx, name); err == nil || !isNotFound(err) {
		return
	}
	_, _ = su.Organizations.Delete(ctx, name)
}

func isNotFound(err error) bool {
	qe, ok := asQuayError(err)
	return ok && qe.StatusCode == http.StatusNotFound
}

// cases is the whole suite, area by area.
func cases() []testCase {
	var all []testCase
	for _, area := range [][]testCase{
		usersCases(), organizationsCases(), serviceKeysCases(), quotasCases(), registryCases(),
		logsCases(), buildsCases(), systemCases(), robotsCases(), namespaceQuotaCases(), lookupsCases(), repositoriesCases(), notificationsCases(), mirrorsCases(),
		secscanCases(), membersCases(), contentCases(), signinCases(),
	} {
		all = append(all, area...)
	}
	return all
}

// CaseCounts returns the number of cases per Quay operation.
func CaseCounts() map[string]int {
	n := map[string]int{}
	for _, c := range cases() {
		n[c.op]++
	}
	return n
}

// hasPrefix reports whether name was created by this run.
func (e *env) owns(name string) bool { return strings.HasPrefix(name, e.prefix+"-") }
