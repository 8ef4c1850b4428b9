package store

import (
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Tag is a row of Quay's Tag table: one lifetime of a name pointing at a
// manifest. Moving or deleting a tag ends its row (EndMs) and, for a move,
// starts a new one; the ended rows are the tag history.
type Tag struct {
	ID           int64
	NamespaceID  int64
	RepositoryID int64
	Name         string
	ManifestID   int64
	StartMs      int64  // lifetime_start_ms
	EndMs        *int64 // lifetime_end_ms; nil: no end
	Hidden       bool   // the temporary tags of pushes by digest
	Reversion    bool   // made by restoreTag
	Immutable    bool
}

func (t *Tag) clone() *Tag {
	c := *t
	if t.EndMs != nil {
		c.EndMs = new(int64)
		*c.EndMs = *t.EndMs
	}
	return &c
}

// AliveAt reports whether the tag is alive at nowMs (filter_to_alive_tags,
// hidden ones included).
func (t *Tag) AliveAt(nowMs int64) bool { return t.EndMs == nil || *t.EndMs > nowMs }

// StartTS and EndTS are Quay's lifetime_start_ts and lifetime_end_ts
// (seconds, floored); EndTS is nil without an end.
func (t *Tag) StartTS() int64 { return t.StartMs / 1000 }

// EndTS is the end in seconds, nil without one.
func (t *Tag) EndTS() *int64 {
	if t.EndMs == nil {
		return nil
	}
	v := *t.EndMs / 1000
	return &v
}

func tagsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableTags,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*Tag]{
				key: func(t *Tag) (rowKey, bool) {
					return keyOf().id(t.NamespaceID).id(t.RepositoryID).id(t.ID), true
				}}},
			indexTagName: {Name: indexTagName, Unique: true, Indexer: keyIndex[*Tag]{
				key: func(t *Tag) (rowKey, bool) {
					return keyOf().id(t.NamespaceID).id(t.RepositoryID).name(t.Name).id(t.ID), true
				}}},
		},
	}
}

func epochMs(t time.Time) int64 { return t.UnixMilli() }

// aliveTagTxn is Quay's get_tag: the alive, visible tag of the name.
func aliveTagTxn(txn *memdb.Txn, repo *Repository, name string, nowMs int64) (*Tag, bool) {
	if strings.IndexByte(name, 0) >= 0 {
		return nil, false
	}
	var found *Tag
	walkPrefix(txn, tableTags, indexTagName, keyOf().id(repo.NamespaceID).id(repo.ID).name(name), func(t *Tag) bool {
		if t.AliveAt(nowMs) && !t.Hidden {
			found = t
		}
		return true
	})
	return found, found != nil
}

// AliveTag returns the repository's alive, visible tag of the name at now.
func (r Reader) AliveTag(repo *Repository, name string, now time.Time) (*Tag, bool) {
	return aliveTagTxn(r.txn, repo, name, epochMs(now))
}

// Tags calls fn for each tag row of the repository (history and hidden
// ones included) in id order until fn returns false.
func (r Reader) Tags(repo *Repository, fn func(*Tag) bool) {
	walkPrefix(r.txn, tableTags, indexID, keyOf().id(repo.NamespaceID).id(repo.ID), fn)
}

// MostRecentTagStart is get_most_recent_tag_lifetime_start for one
// repository: the latest lifetime_start_ms of its alive, visible tags at
// now; false when it has none.
func (r Reader) MostRecentTagStart(repo *Repository, now time.Time) (int64, bool) {
	nowMs := epochMs(now)
	var latest int64
	found := false
	r.Tags(repo, func(t *Tag) bool {
		if !t.Hidden && t.AliveAt(nowMs) && (!found || t.StartMs > latest) {
			latest, found = t.StartMs, true
		}
		return true
	})
	return latest, found
}

// TagHistoryQuery is list_repository_tag_history's arguments.
type TagHistoryQuery struct {
	Page, Limit int
	// Specific, when set, keeps only tags of that name.
	Specific *string
	// FilterOp is "like" (the name contains FilterValue, ASCII letters
	// in either case: peewee's contains, an ILIKE with its wildcards
	// escaped), "eq", or "" for none.
	FilterOp, FilterValue string
	ActiveOnly            bool
	Now                   time.Time
}

// TagHistory is list_repository_tag_history: the repository's visible
// tags (alive ones only with ActiveOnly), newest start first then by name,
// one page, and whether more follow. It walks the repository's stored
// history (tag_history.go): without a filter it starts at the page's
// offset, so a page costs O(page) whatever the repository holds; a filter
// walks from the start to the page's end, as the database's OFFSET does.
func (r Reader) TagHistory(repo *Repository, q TagHistoryQuery) ([]*Tag, bool) {
	from := q.Limit * (q.Page - 1)
	h, ok := tagHistoryTxn(r.txn, repo.NamespaceID, repo.ID)
	if !ok || from < 0 {
		return nil, false
	}
	nowMs := epochMs(q.Now)
	filtered := q.ActiveOnly || q.Specific != nil || q.FilterOp == "eq" || q.FilterOp == "like"
	skip := 0
	if !filtered {
		skip, from = from, 0
	}
	var rows []*Tag
	more := false
	h.walk(skip, func(t *Tag) bool {
		switch {
		case q.ActiveOnly && !t.AliveAt(nowMs),
			q.Specific != nil && t.Name != *q.Specific,
			q.FilterOp == "eq" && t.Name != q.FilterValue,
			q.FilterOp == "like" && !containsFold(t.Name, q.FilterValue):
			return true
		}
		if from > 0 {
			from--
			return true
		}
		if len(rows) == q.Limit {
			more = true
			return false
		}
		rows = append(rows, t)
		return true
	})
	return rows, more
}

// containsFold reports whether s contains sub, ASCII letters matching in
// either case (SQLite's LIKE).
func containsFold(s, sub string) bool {
	lower := func(v string) string {
		return strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, v)
	}
	return strings.Contains(lower(s), lower(sub))
}

// ErrImmutableTag is a change Quay refuses on an immutable tag.
var ErrImmutableTag = errorString("store: the tag is immutable")

// retargetTagTxn is Quay's retarget_tag: the alive tag of the name ends at
// now and a new row points the name at the manifest.
func retargetTagTxn(txn *memdb.Txn, repo *Repository, name string, manifestID int64, reversion bool, now time.Time) error {
	nowMs := epochMs(now)
	if cur, ok := aliveTagTxn(txn, repo, name, nowMs); ok {
		if cur.Immutable {
			return ErrImmutableTag
		}
		ended := cur.clone()
		ended.EndMs = &nowMs
		putTagTxn(txn, ended)
	}
	putTagTxn(txn, &Tag{ID: nextIDTxn(txn, seqTag), NamespaceID: repo.NamespaceID, RepositoryID: repo.ID,
		Name: name, ManifestID: manifestID, StartMs: nowMs, Reversion: reversion})
	return nil
}

// MoveTag is changeTag's manifest_digest: retarget_tag, with the audit
// row. It returns the tag's manifest before the move, nil if it had none.
func (s *Store) MoveTag(repo *Repository, name string, m *Manifest, now time.Time, reversion bool, audit func(old *Manifest) Action) (*Manifest, error) {
	var old *Manifest
	err := s.write(func(txn *memdb.Txn) error {
		if cur, ok := aliveTagTxn(txn, repo, name, epochMs(now)); ok {
			old, _ = first[*Manifest](txn, tableManifests, indexID, keyOf().id(repo.NamespaceID).id(repo.ID).id(cur.ManifestID))
		}
		if err := retargetTagTxn(txn, repo, name, m.ID, reversion, now); err != nil {
			return err
		}
		if a := audit(old); a.Kind != "" {
			return logActionTxn(txn, a)
		}
		return nil
	})
	return old, err
}

// DeleteTag is Quay's delete_tag: the alive tag ends now. A tag that is
// not alive is ErrNoTag; an immutable one ErrImmutableTag.
func (s *Store) DeleteTag(repo *Repository, name string, now time.Time, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		nowMs := epochMs(now)
		cur, ok := aliveTagTxn(txn, repo, name, nowMs)
		if !ok {
			return ErrNoTag
		}
		if cur.Immutable {
			return ErrImmutableTag
		}
		ended := cur.clone()
		ended.EndMs = &nowMs
		putTagTxn(txn, ended)
		if audit.Kind != "" {
			return logActionTxn(txn, audit)
		}
		return nil
	})
}

// SetTagExpiration is change_tag_expiration: the alive tag's end becomes
// end (nil: none). It returns the previous end in seconds.
func (s *Store) SetTagExpiration(repo *Repository, name string, end *time.Time, now time.Time, audit func(old *int64) Action) (*int64, error) {
	var old *int64
	err := s.write(func(txn *memdb.Txn) error {
		cur, ok := aliveTagTxn(txn, repo, name, epochMs(now))
		if !ok {
			return ErrNoTag
		}
		old = cur.EndTS()
		changed := cur.clone()
		changed.EndMs = nil
		if end != nil {
			v := epochMs(*end)
			changed.EndMs = &v
		}
		putTagTxn(txn, changed)
		if a := audit(old); a.Kind != "" {
			return logActionTxn(txn, a)
		}
		return nil
	})
	return old, err
}

// ManifestAlive is lookup_manifest without allow_dead: whether an alive,
// visible tag points at the manifest, or at a list holding it.
func (r Reader) ManifestAlive(repo *Repository, m *Manifest, now time.Time) bool {
	nowMs := epochMs(now)
	alive := false
	r.Tags(repo, func(t *Tag) bool {
		if t.Hidden || !t.AliveAt(nowMs) {
			return true
		}
		if t.ManifestID == m.ID {
			alive = true
			return false
		}
		if parent, ok := r.ManifestByID(repo, t.ManifestID); ok && slices.Contains(parent.Children, m.Digest) {
			alive = true
			return false
		}
		return true
	})
	return alive
}

// RemoveTagFromTimeMachine is Quay's remove_tag_from_timemachine. With
// alive, the alive, visible tag of the name ends at now minus the
// namespace's removed_tag_expiration_s (ErrNoTag without one); otherwise
// each row of the name and manifest that ended within that window (none
// when the window is 0) ends just before it, 1 ms apart in id order. It
// reports whether a row changed; the audit row is written only then.
func (s *Store) RemoveTagFromTimeMachine(repo *Repository, name string, manifestID int64, alive bool, now time.Time, audit Action) (bool, error) {
	updated := false
	err := s.write(func(txn *memdb.Txn) error {
		n, ok := namespaceByIDTxn(txn, repo.NamespaceID)
		if !ok {
			return nil
		}
		nowMs := epochMs(now)
		windowMs := n.Setting().TagExpirationS * 1000
		if alive {
			cur, ok := aliveTagTxn(txn, repo, name, nowMs)
			if !ok {
				return nil
			}
			changed := cur.clone()
			end := nowMs - windowMs
			changed.EndMs = &end
			putTagTxn(txn, changed)
			updated = true
		} else if windowMs != 0 {
			var rows []*Tag
			walkPrefix(txn, tableTags, indexTagName, keyOf().id(repo.NamespaceID).id(repo.ID).name(name), func(t *Tag) bool {
				if t.ManifestID == manifestID && t.EndMs != nil && *t.EndMs <= nowMs && *t.EndMs > nowMs-windowMs {
					rows = append(rows, t)
				}
				return true
			})
			for i, t := range rows {
				changed := t.clone()
				end := nowMs - windowMs - int64(i+1)
				changed.EndMs = &end
				putTagTxn(txn, changed)
				updated = true
			}
		}
		if updated && audit.Kind != "" {
			return logActionTxn(txn, audit)
		}
		return nil
	})
	return updated, err
}
