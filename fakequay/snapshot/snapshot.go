// Package snapshot reads a running Quay's state through its API, as a
// superuser, and returns it as a fakequay seed: `fakequay snapshot` turns a
// staging Quay into a seed file for hermetic tests, and the differential
// test of internal/conformance uses it to give fakequay the state of the
// real Quay it is compared with.
//
// It reads users (e-mail, verified, enabled, superuser status), their and
// organizations' quotas and computed sizes, service keys, the audit log of
// a date range, global messages, the registry size, app-specific tokens,
// the changelog,
// builds (those the repository API lists, and any named), the repository
// mirror state, organizations' teams with their members and pending
// invites (an invite's code from the invited user's notifications, for the
// users of Options.Tokens), repositories with their permissions (not their
// content), and the configuration keys fakequay models: the feature
// flags from Quay's public /config, SETUP_COMPLETE from the registry status,
// SUPER_USERS and GLOBAL_READONLY_SUPER_USERS from the users' flags, and
// every key when the config dump (FEATURE_SUPERUSER_CONFIGDUMP) answers.
//
// Secrets cannot be read through the API, so a snapshot has none: OAuth
// token values (Options.Tokens adds the ones you know), passwords,
// app-specific token secrets and their owners (attributed to the caller),
// and service keys' private keys (the seed keeps each key's public JWK).
// Robots are read with their federation configuration; their tokens are
// the one secret Quay shows (to a superuser with full access), and are
// copied only when Options.RobotTokens asks, since a seed file then holds
// registry credentials; the metadata of other users' robots only their
// owner may read. What a read cannot express in a seed is skipped
// and reported through Options.Warn, never guessed: a log whose performer
// is a robot, say.
//
// Each area has its own reader (see areas); an area a later fakequay seed
// gains becomes one more reader.
package snapshot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// Options tune what a snapshot reads. The zero value reads everything
// readable, with the audit logs of the last 30 days.
type Options struct {
	// LogsFrom and LogsTo bound the audit logs read, by day, both days
	// included (Quay's own rule for listAllLogs). Defaults: 30 days
	// before Now, and Now.
	LogsFrom, LogsTo time.Time
	// Tokens are OAuth tokens to give the seed's users: their values are
	// secrets the API never shows.
	Tokens []Token
	// RobotTokens copies robots' tokens into the seed, where Quay shows
	// them (to a superuser with FEATURE_SUPERUSERS_FULL_ACCESS). They are
	// registry credentials, which the seed file then holds; without this
	// the seed's robots get new tokens.
	RobotTokens bool
	// Builds are build UUIDs to read besides those the repository API
	// lists (a Quay without that API, such as fakequay, lists none).
	Builds []string
	// ContentNamespaces are namespaces whose repositories' content (tags
	// with their history, manifests by their bytes, labels) the snapshot
	// copies, with the repositories themselves (default: none; a
	// repository's content costs a request per tag page and three per
	// manifest).
	ContentNamespaces []string
	// Config is a JSON object of seed config keys applied over what was
	// read, for keys a Quay without the config dump does not show.
	Config json.RawMessage
	// Now is the seed's "now" (default: the time the snapshot starts).
	Now time.Time
	// Warn receives one line for each thing read that the seed cannot
	// hold, or that could not be read (default: dropped).
	Warn func(msg string)
}

// Token is a known OAuth token of the user User.
type Token struct {
	User string
	fakequay.SeedToken
}

// area reads one part of Quay's state into the seed. Areas run in order, so
// a reader may use what earlier ones found (quotas need the namespaces).
type area struct {
	name string
	read func(ctx context.Context, r *reader) error
}

// areas is every reader, in the order they run.
var areas = []area{
	{"caller", readCaller},
	{"users", readUsers},
	{"organizations", readOrganizations},
	{"quotas", readQuotas},
	{"robots", readRobots},
	{"config", readConfig},
	{"teams", readTeams},
	{"service keys", readServiceKeys},
	{"audit logs", readLogs},
	{"messages", readMessages},
	{"registry size", readRegistrySize},
	{"app tokens", readAppTokens},
	{"changelog", readChangelog},
	{"repositories", readRepositories},
	{"repository permissions", readRepositoryPermissions},
	{"builds", readBuilds},
	{"repository mirrors", readRepoMirrors},
	{"content", readContent},
	{"notifications", readNotifications},
	{"tokens", addTokens},
}

// reader holds a snapshot in progress.
type reader struct {
	c    *quay.Client
	opts Options
	seed fakequay.Seed

	caller string         // the calling user, "" if unknown
	views  []namespace    // users, then organizations, as the API lists them
	repos  []repository   // found by readRepositories
	users  map[string]int // username -> index into seed.Users

	quotaIDs []int64 // Quay's id of each seed.Quotas entry, until sorted
}

// Take reads the state of the Quay that c talks to. c must carry a
// superuser's token with the super:user scope.
func Take(ctx context.Context, c *quay.Client, opts Options) (fakequay.Seed, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC().Truncate(time.Second)
	if opts.LogsTo.IsZero() {
		opts.LogsTo = opts.Now
	}
	if opts.LogsFrom.IsZero() {
		opts.LogsFrom = opts.LogsTo.AddDate(0, 0, -30)
	}
	if opts.LogsFrom.After(opts.LogsTo) {
		return fakequay.Seed{}, fmt.Errorf("snapshot: logs from %s is after logs to %s", day(opts.LogsFrom), day(opts.LogsTo))
	}
	if opts.Warn == nil {
		opts.Warn = func(string) {}
	}
	r := &reader{c: c, opts: opts, users: map[string]int{}}
	r.seed.Now = opts.Now
	for _, a := range areas {
		if err := a.read(ctx, r); err != nil {
			return fakequay.Seed{}, fmt.Errorf("snapshot: %s: %w", a.name, err)
		}
	}
	return r.seed, nil
}

func (r *reader) warnf(format string, args ...any) { r.opts.Warn(fmt.Sprintf(format, args...)) }

// get decodes the JSON answer to GET path (relative to /api/v1/) into v.
func (r *reader) get(ctx context.Context, path string, v any) error {
	req, err := r.c.NewRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	_, err = r.c.Do(req, v)
	return err
}

// getIfReadable is get for what a Quay may refuse or not serve: a 401, 403,
// 404 or 405 is reported as false (with a warning saying what is lost),
// not as an error.
func (r *reader) getIfReadable(ctx context.Context, path, lost string, v any) (bool, error) {
	err := r.get(ctx, path, v)
	var qe *quay.Error
	if errors.As(err, &qe) && slices.Contains([]int{401, 403, 404, 405}, qe.StatusCode) {
		r.warnf("%s: GET %s answered %d", lost, path, qe.StatusCode)
		return false, nil
	}
	return err == nil, err
}

// pages calls fetch with each page's next_page token ("" first) until a
// page has none. fetch returns the token of the page after its own.
func pages(ctx context.Context, fetch func(ctx context.Context, token string) (string, error)) error {
	seen := map[string]bool{}
	token := ""
	for {
		next, err := fetch(ctx, token)
		if err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		if seen[next] {
			return fmt.Errorf("the server handed out the same page token twice")
		}
		seen[next] = true
		token = next
	}
}

// parallel is how many requests a reader sends at once where order does
// not matter: Quay checks a bearer token's hash on every call, which costs
// it about 0.2 s of CPU, so a few at a time use a small Quay's cores
// without queueing behind each other.
const parallel = 4

// forEach calls fn(i) for i in 0..n-1, parallel at a time, and returns the
// first error. Callers write results into slots of their own, by index, so
// the outcome does not depend on the order calls finish in.
func forEach(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	next := make(chan int)
	for range min(parallel, n) {
		wg.Go(func() {
			for i := range next {
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
				}
			}
		})
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// withPage adds a next_page token to a copy of a path's query.
func withPage(path string, q url.Values, token string) string {
	q = maps.Clone(q)
	if q == nil {
		q = url.Values{}
	}
	if token != "" {
		q.Set("next_page", token)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// day formats a time as listAllLogs reads dates: MM/DD/YYYY, no zone.
func day(t time.Time) string { return t.UTC().Format("01/02/2006") }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// compact returns a JSON value without insignificant whitespace: seeds keep
// the value (and its key order), not Quay's spacing of it.
func compact(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return buf.Bytes()
}
