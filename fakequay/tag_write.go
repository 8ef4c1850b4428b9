package fakequay

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// This file holds endpoints/api/tag.py's writes: changeTag, deleteFullTag
// and restoreTag.

// requireRepoWriteNormal is require_repo_write(allow_for_superuser=True)
// followed by disallow_for_non_normal_repositories (endpoints/api/
// __init__.py), which refuses any repository whose state is not NORMAL
// with a 503 naming the state. Python 3.11 formats the IntEnum with %s as
// its number. (disallow_for_user_namespace only acts with
// FEATURE_RESTRICTED_USERS, which fakequay does not model.)
func requireRepoWriteNormal(c *call) error {
	if err := requireRepoWrite(c); err != nil {
		return err
	}
	nsName, name := c.repoPath()
	if ns, ok := c.read.Namespace(nsName); ok {
		if repo, ok := c.read.Repository(ns.ID, name); ok && repo.State != store.RepositoryNormal {
			return &werkzeugError{503, fmt.Sprintf("Repository is in read only or mirror mode: %d", repo.State)}
		}
	}
	return nil
}

// fullTagRE is util/names.py TAG_REGEX under re.match: "$" also matches
// before a final newline.
var fullTagRE = lazyRegexp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\n?$`)

// tagError is util/names.py TAG_ERROR.
const tagError = `Invalid tag: must match [A-Za-z0-9_.-], NOT start with "." or "-", and can contain 1-128 characters`

// Quay's LABELED_EXPIRATION_MINIMUM ("1h") and LABELED_EXPIRATION_MAXIMUM
// ("104w") defaults, which change_tag_expiration clamps to.
const (
	labeledExpirationMinS = 3600
	labeledExpirationMaxS = 104 * 7 * 24 * 3600
)

// errTagImmutable is TagImmutable(tag, operation): 409 tag_immutable.
func errTagImmutable(tag, operation string) error {
	return &apiError{409, "tag_immutable", fmt.Sprintf("Cannot %s immutable tag '%s'", operation, tag)}
}

// username is get_authenticated_user().username.
func (c *call) username() string {
	if c.who.user == nil {
		return ""
	}
	return c.who.user.Name
}

// expirationDate is datetime.utcfromtimestamp(float(expiration)) as
// changeTag calls it: a ValueError (NaN, a year outside 1..9999) is
// abort(400); an OverflowError or OSError (a timestamp time_t or gmtime
// cannot hold) escapes as a 500. The microseconds are rounded half-even,
// as CPython rounds them.
func expirationDate(v any) (time.Time, error) {
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case py.Int:
		i, ok := n.Int64()
		if !ok {
			return time.Time{}, &crashError{reason: "OverflowError: int too large to convert to float"}
		}
		f = float64(i)
	default:
		return time.Time{}, &crashError{reason: fmt.Sprintf("TypeError: float() of %T", v)}
	}
	switch {
	case math.IsNaN(f):
		return time.Time{}, errBadJSON // abort(400): Bad Request's description
	case math.IsInf(f, 0) || math.Abs(f) >= 9.2e18:
		return time.Time{}, &crashError{reason: "OverflowError: timestamp out of range for platform time_t"}
	case math.Abs(f) >= 6.7767e16:
		// gmtime's year field overflows (approximate bound).
		return time.Time{}, &crashError{reason: "OSError: [Errno 75] Value too large for defined data type"}
	case f < -62135596800 || f >= 253402300800:
		return time.Time{}, errBadJSON // ValueError: year is out of range
	}
	sec := math.Floor(f)
	us := math.RoundToEven((f - sec) * 1e6)
	return time.Unix(int64(sec), int64(us)*1000).UTC(), nil
}

// changeTag is RepositoryTag.put: in order, the expiration
// (change_tag_expiration), then the move (retarget_tag), each with its
// audit log; "Updated" with 201. FEATURE_IMMUTABLE_TAGS's "immutable"
// key is not modelled (README, Known differences).
func (s *Server) changeTag(c *call) error {
	name := c.param("tag")
	if !fullTagRE().MatchString(name) {
		return &werkzeugError{400, tagError}
	}
	repo, err := c.lookupRepository()
	if err != nil {
		return err
	}
	nsName, repoName := c.repoPath()
	body, _ := asObject(c.body)
	if raw, ok := body.get("expiration"); ok {
		if err := s.changeTagExpiration(c, repo, name, raw); err != nil {
			return err
		}
	}
	if raw, ok := body.get("manifest_digest"); ok {
		digest, _ := raw.(string)
		_, hadTag := c.read.AliveTag(repo, name, c.now)
		m, found := c.read.Manifest(repo, digest)
		if raw == nil || !found || !c.read.ManifestAlive(repo, m, c.now) {
			return errNotFound // lookup_manifest_by_digest(require_available=True)
		}
		kind := "create_tag"
		if hadTag {
			kind = "move_tag"
		}
		_, err := s.store.MoveTag(repo, name, m, c.now, false, func(old *store.Manifest) store.Action {
			var oldDigest *string
			if old != nil {
				oldDigest = &old.Digest
			}
			return c.action(kind, nsName, meta().set("username", c.username()).set("repo", repoName).
				set("tag", name).set("namespace", nsName).set("manifest_digest", digest).
				set("original_manifest_digest", oldDigest))
		})
		if errors.Is(err, store.ErrImmutableTag) {
			return errTagImmutable(name, "overwrite")
		}
		if err != nil {
			return err
		}
	}
	c.restful(http.StatusCreated, "Updated")
	return nil
}

// changeTagExpiration is changeTag's "expiration" branch: the alive tag
// or NotFound; a date not after now is abort(400); then
// change_tag_expiration, which puts the end at the start plus the offset
// clamped to the LABELED_EXPIRATION bounds, writes nothing when the end is
// unchanged, and reports the old end in milliseconds (set_tag_end_ms
// returns lifetime_end_ms), which the log records as is. No log when
// neither the old end nor the new date exists.
func (s *Server) changeTagExpiration(c *call, repo *store.Repository, name string, raw any) error {
	cur, ok := c.read.AliveTag(repo, name, c.now)
	if !ok {
		return errNotFound
	}
	var date *time.Time
	if raw != nil {
		d, err := expirationDate(raw)
		if err != nil {
			return err
		}
		if !d.After(c.now) {
			return errBadJSON // abort(400)
		}
		date = &d
	}
	var newEndMs *int64
	var end *time.Time
	if date != nil {
		offset := date.Unix() - cur.StartMs/1000
		offset = min(max(offset, labeledExpirationMinS), labeledExpirationMaxS)
		v := cur.StartMs + offset*1000
		newEndMs = &v
		e := time.UnixMilli(v)
		end = &e
	}
	var oldMs *int64
	if (newEndMs == nil) != (cur.EndMs == nil) || newEndMs != nil && *newEndMs != *cur.EndMs {
		oldMs = cur.EndMs
	}
	nsName, repoName := c.repoPath()
	// An unchanged end rewrites the same row: nothing observable changes.
	_, err := s.store.SetTagExpiration(repo, name, end, c.now, func(*int64) store.Action {
		if oldMs == nil && date == nil {
			return store.Action{}
		}
		return c.action("change_tag_expiration", nsName, meta().set("username", c.username()).
			set("repo", repoName).set("tag", name).set("namespace", nsName).
			set("expiration_date", unixSeconds(date)).set("old_expiration_date", oldMs))
	})
	if errors.Is(err, store.ErrNoTag) {
		return invalidRequest("Could not update tag expiration; Tag has probably changed")
	}
	return err
}

// deleteFullTag is RepositoryTag.delete: delete_tag ends the alive tag
// (NotFound without one), with the delete_tag log; 204.
func (s *Server) deleteFullTag(c *call) error {
	repo, err := c.lookupRepository()
	if err != nil {
		return err
	}
	name := c.param("tag")
	nsName, repoName := c.repoPath()
	err = s.store.DeleteTag(repo, name, c.now, c.action("delete_tag", nsName, meta().set("username", c.username()).
		set("repo", repoName).set("namespace", nsName).set("tag", name)))
	switch {
	case errors.Is(err, store.ErrNoTag):
		return errNotFound
	case errors.Is(err, store.ErrImmutableTag):
		return errTagImmutable(name, "delete")
	case err != nil:
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}

// restoreTag is RestoreTag.post: the tag points again at manifest_digest,
// which may be a manifest only dead tags reference (allow_dead), as a
// reversion; the revert_tag log (no namespace key); {}. The tag name is
// not checked against TAG_REGEX here, as in Quay.
func (s *Server) restoreTag(c *call) error {
	repo, err := c.lookupRepository()
	if err != nil {
		return err
	}
	body, _ := asObject(c.body)
	digest, ok := body.str("manifest_digest")
	if !ok {
		return invalidRequest("Missing manifest_digest")
	}
	m, found := c.read.Manifest(repo, digest)
	if !found {
		return errNotFound
	}
	name := c.param("tag")
	nsName, repoName := c.repoPath()
	_, err = s.store.MoveTag(repo, name, m, c.now, true, func(*store.Manifest) store.Action {
		return c.action("revert_tag", nsName, meta().set("username", c.username()).set("repo", repoName).
			set("tag", name).set("manifest_digest", digest))
	})
	if errors.Is(err, store.ErrImmutableTag) {
		return errTagImmutable(name, "overwrite")
	}
	if err != nil {
		return err
	}
	c.restful(http.StatusOK, map[string]any{})
	return nil
}

// removeTagFromTimemachine is TagTimeMachineDelete.post: with is_alive,
// the alive tag's manifest, else manifest_digest's (allow_dead, and
// required); remove_tag_from_timemachine; NotFound when it changed
// nothing; the permanently_delete_tag log; "" with 200.
// include_submanifests resets the $temp- tags of a list's children, which
// fakequay does not make, so it changes nothing here.
func (s *Server) removeTagFromTimemachine(c *call) error {
	repo, err := c.lookupRepository()
	if err != nil {
		return err
	}
	body, _ := asObject(c.body)
	alive, _ := body.boolean("is_alive")
	digest, hasDigest := body.str("manifest_digest")
	if !alive && !hasDigest {
		return invalidRequest("manifest_digest required when is_alive set to false")
	}
	name := c.param("tag")
	var m *store.Manifest
	if alive {
		t, ok := c.read.AliveTag(repo, name, c.now)
		if !ok {
			return errNotFound
		}
		if m, ok = c.read.ManifestByID(repo, t.ManifestID); !ok {
			return errNotFound
		}
	} else {
		var ok bool
		if m, ok = c.read.Manifest(repo, digest); !ok {
			return errNotFound
		}
	}
	nsName, repoName := c.repoPath()
	updated, err := s.store.RemoveTagFromTimeMachine(repo, name, m.ID, alive, c.now, c.action("permanently_delete_tag", nsName,
		meta().set("username", c.username()).set("repo", repoName).set("namespace", nsName).set("tag", name).
			set("manifest_digest", m.Digest)))
	if err != nil {
		return err
	}
	if !updated {
		return errNotFound
	}
	c.restful(http.StatusOK, "")
	return nil
}
