// Package fakequay is an in-memory Red Hat Quay that answers the superuser
// API, and the organization, team, robot and namespace quota API every user has, the way real Quay
// does: the same routes, status codes, JSON bodies, error bodies, auth
// outcomes (team roles, repository permissions, token scopes), pagination
// and quirks. Its state lives in
// hashicorp/go-memdb, so it starts in microseconds, snapshots in O(1) and
// serves readers without blocking writers.
//
// The truth it follows is Quay's source, not its published docs page; the
// repository's README lists where the two differ and the few behaviours of
// Quay that fakequay does not reproduce.
//
// # In a test
//
//	srv := fakequay.RunT(t)                       // loopback listener, closed by t.Cleanup
//	c, _ := quay.NewClient(srv.URL(), quay.WithToken(srv.SuperuserToken()))
//
// A server without a seed has one user, "admin", in SUPER_USERS, whose
// token (every scope) SuperuserToken returns. New builds a server without
// listening; HTTPClient reaches any server through a socket-free transport.
// Code that builds its own Quay URLs and uses http.DefaultClient reaches
// the server through httpmock with package fakequay/quaymock, kept apart
// so that fakequay does not import httpmock.
//
// # Configuration
//
// Options are named after Quay's configuration keys and default to Quay's
// defaults, except FEATURE_QUOTA_MANAGEMENT, which is on so that every
// documented operation exists:
//
//	fakequay.RunT(t, fakequay.WithConfig(func(c *fakequay.Config) {
//		c.FeatureMailing = false
//		c.RegistryState = "readonly"
//	}))
//
// # Seeding and inspecting state
//
// A seed (WithSeedFile, WithSeed) sets the initial state; the direct API
// (AddUser, AddOrganization, User, Users, Mails, ...) adds and reads state
// from Go without HTTP. Reset returns to the seed in O(1).
//
// The seed file is JSON; every section is optional and times are RFC 3339:
//
//	{
//	  "config": {"SUPER_USERS": ["admin"], "FEATURE_MAILING": false},
//	  "now": "2026-11-28T12:00:00Z",
//	  "users": [{"username": "admin", "email": "admin@example.com", "password": "password",
//	             "tokens": [{"token": "admin-token"},
//	                        {"token": "admin-noscope", "scopes": ["repo:read"]}]}],
//	  "organizations": [{"name": "acme", "email": "acme@example.com"}],
//	  "quotas": [{"namespace": "acme", "limit_bytes": 10737418240,
//	              "limits": [{"type": "Warning", "limit_percent": 80}], "used_bytes": 5242880}],
//	  "logs": [{"kind": "push_repo", "namespace": "acme", "performer": "admin",
//	            "ip": "10.0.0.5", "datetime": "2026-11-27T10:00:00Z", "metadata": {"repo": "web"}}]
//	}
//
// Four more optional sections seed what the smaller superuser endpoints
// read (see SeedAppToken, SeedMessage and SeedRepoMirroring):
//
//	"app_tokens": [{"title": "ci", "user": "alice", "created": "2026-11-01T00:00:00Z",
//	                "expiration": "2026-12-01T00:00:00Z", "last_accessed": null}],
//	"messages": [{"content": "Maintenance at 5pm", "severity": "warning", "media_type": "text/plain"}],
//	"repo_mirror": {"workers_active": 1, "repositories": [{"namespace": "acme", "repository": "web",
//	                "status": "SUCCESS", "enabled": true, "repository_state": "MIRROR", "pending_tags": 0,
//	                "internal_robot": "acme+puller", "external_reference": "quay.io/coreos/etcd",
//	                "sync_interval": 86400, "sync_start_date": "2026-12-08T00:00:00Z",
//	                "skopeo_timeout_interval": 300, "tag_patterns": ["latest", "v3.*"]}]},
//	"changelog": "text getChangeLog answers with"
//
// Missing uuids are generated; a mirror's status defaults to NEVER_RUN,
// its repository state to MIRROR, its retries to 3 and its
// external_registry_config to {}.
//
// Organizations may list their teams, and robots, repositories (with their
// permissions) and default permissions have sections of their own (see
// SeedTeam, SeedRobot, SeedRepository and SeedPrototype):
//
//	"organizations": [{"name": "acme", "email": "acme@example.com", "teams": [
//	    {"name": "owners", "role": "admin", "members": ["alice"]},
//	    {"name": "devs", "role": "creator", "description": "Builders", "members": ["bob", "acme+ci"],
//	     "invites": [{"email": "new@example.com", "inviter": "alice"}]}]}],
//	"robots": [{"name": "acme+ci", "description": "CI", "token": "...64 characters...",
//	            "federation": [{"issuer": "https://ci.example", "subject": "main"}]}],
//	"repositories": [{"namespace": "acme", "name": "web", "visibility": "public",
//	                  "permissions": {"teams": {"devs": "write"}, "users": {"carol": "read"},
//	                                  "robots": {"acme+ci": "write"}}}],
//	"prototypes": [{"organization": "acme", "delegate": {"kind": "team", "name": "devs"}, "role": "read"}]
//
// An organization seeded without teams gets Quay's empty "owners" admin
// team. A robot's token authenticates it where Quay accepts robots (the
// registry); on the API, as in Quay, it is no bearer token.
//
// What a running Quay holds beyond that has a place too, so that `fakequay
// snapshot` can write it: users and organizations take "used_bytes" (the
// size Quay's quota backfill computed, for a namespace without a quota), a
// service key with "approval_type" but no "approved_by" was approved by no
// user (Quay shows a null approver), a service key's "jwk" gives its public
// key (fakequay then holds no private key for it), builds take their job's
// "resource_key", "archive_url", "trigger_metadata" and "retries_remaining",
// robots their "last_accessed" (fakequay has no registry sign-in to set it),
// and a repository mirror the "internal_robot" it pulls with.
//
// Users' verified and enabled default to true; a token without scopes has
// every Quay scope, and belongs to the OAuth application DefaultApplication
// unless it names another. Unknown keys, duplicate keys, wrong types,
// missing fields and references to namespaces the seed does not define are
// rejected with an error naming the JSON path; nothing is half-loaded.
//
// # Time
//
// Nothing time-based happens on its own. The clock starts at the seed's
// "now" (or WithTime, or the real time) and stands still until Advance or
// SetTime moves it; page tokens expire, service keys age and Quay's
// background workers (namespace purge, registry size) run only then, or
// when RunWorkers is called. The dev-stub binary lets the clock follow the
// wall clock instead.
//
// # Faults and the journal
//
// InjectFault makes requests to one operation or route fail the way a Quay
// deployment fails (nginx's 429 and 50x pages, gunicorn's 500, Quay's
// ApiErrors), slow down, or drop the connection, for a number of calls or a
// seeded share of them. Requests returns a bounded journal of recent calls,
// with credentials redacted.
//
// # Persistence
//
// By default a server's state lives in memory only and nothing touches the
// disk. WithDataDir(dir) makes it durable: every write is appended to a
// journal in dir and fsynced before it is answered, so every acknowledged
// write survives a crash, kill -9 included, and an unacknowledged one is
// found after a restart either whole or not at all. Close, Reset and a
// journal larger than WithCompactionThreshold (4 MiB by default) replace
// the journal with a snapshot. A start on an empty dir loads the seed; a
// start on a dir that holds a state restores it instead, with the first
// start's config, superuser token and reset point, and ignores the seed
// (it says so in the log). The clock carries on from where it was: a
// clock that follows the wall clock counts the time the server was down.
// Each start draws a fresh random sequence, so restored tombstone names
// and codes are never handed out again. Files have a format version; a
// file of another version, or damaged anywhere but in a torn last journal
// record (which is cut off with a warning), is refused at start. Two
// servers cannot share a dir.
//
// # The dev stub
//
// fakequay/cmd/fakequay serves the same engine on a loopback port, with
// control endpoints under /_fakequay/ (reset, clock, faults, journal, mail,
// state) for non-Go users; its -data flag is WithDataDir.
package fakequay
