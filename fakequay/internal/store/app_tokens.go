package store

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/go-memdb"
)

// AppToken is an app-specific token (Quay's AppSpecificAuthToken): a
// credential a user makes for the Docker CLI and other registry clients.
// fakequay keeps what the superuser listing shows; the token's secret is not
// modelled, because the API never reads Basic credentials (reference §1.1).
type AppToken struct {
	ID     int64
	UUID   string
	Title  string
	UserID int64
	// Created is when the token was made.
	Created time.Time
	// Expiration is when the token stops working; zero means never.
	Expiration time.Time
	// LastAccessed is the last time the token was used; zero means never.
	LastAccessed time.Time
}

func appTokensTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableAppTokens,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*AppToken]{
				key: func(t *AppToken) (int64, bool) { return t.ID, true }}},
			indexUUID: {Name: indexUUID, Indexer: stringIndex[*AppToken]{
				key: func(t *AppToken) (string, bool) { return t.UUID, true }}},
			indexUser: {Name: indexUser, Indexer: intIndex[*AppToken]{
				key: func(t *AppToken) (int64, bool) { return t.UserID, true }}},
			// Tokens that never expire have the zero time, which sorts before
			// every real date, so no expiry window ever reaches them.
			indexExpiration: {Name: indexExpiration, Unique: true, Indexer: timeIDIndex[*AppToken]{
				key: func(t *AppToken) (int64, int64) { return t.Expiration.UnixMicro(), t.ID }}},
		},
	}
}

// AppTokens calls fn for every app-specific token in id order (Quay's
// list_all_tokens, whose query has no ORDER BY: Postgres returns rows in the
// order they were stored), until fn returns false.
func (r Reader) AppTokens(fn func(*AppToken) bool) {
	iterate(mustIter(r.txn.LowerBound(tableAppTokens, indexID, int64(0))), fn)
}

// ExpiringAppTokens returns the tokens that have not expired at now but will
// by soon (Quay's get_all_expiring_tokens: now < expiration <= soon), in id
// order. It walks the expiration index over that window only.
func (r Reader) ExpiringAppTokens(now, soon time.Time) []*AppToken {
	var out []*AppToken
	if !soon.After(now) {
		return out
	}
	first := now.UnixMicro() + 1 // expiration > now, at microsecond precision
	last := soon.UnixMicro()
	it := mustIter(r.txn.LowerBound(tableAppTokens, indexExpiration, first, int64(0)))
	iterate(it, func(t *AppToken) bool {
		if t.Expiration.UnixMicro() > last {
			return false
		}
		out = append(out, t)
		return true
	})
	slices.SortFunc(out, func(a, b *AppToken) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// AddAppToken stores an app-specific token of an existing user. Times keep
// microsecond precision, like Quay's datetime columns.
func (l *Loader) AddAppToken(t AppToken) (*AppToken, error) {
	if t.UUID == "" {
		return nil, fmt.Errorf("uuid is empty")
	}
	if _, taken := first[*AppToken](l.txn, tableAppTokens, indexUUID, t.UUID); taken {
		return nil, fmt.Errorf("uuid %q is already used by another app token", t.UUID)
	}
	if u, ok := first[*Namespace](l.txn, tableNamespaces, indexID, t.UserID); !ok || !u.IsUser() {
		return nil, fmt.Errorf("app token owner %d is not a user", t.UserID)
	}
	if t.Created.IsZero() {
		return nil, fmt.Errorf("created is not set")
	}
	row := t
	row.ID = nextIDTxn(l.txn, seqAppToken)
	row.Created = micros(t.Created)
	row.Expiration = micros(t.Expiration)
	row.LastAccessed = micros(t.LastAccessed)
	insert(l.txn, tableAppTokens, &row)
	return &row, nil
}

// deleteAppTokensOfTxn deletes every app-specific token of user n, as the
// namespace GC's recursive delete of the user row does.
func deleteAppTokensOfTxn(txn *memdb.Txn, n *Namespace) {
	if _, err := txn.DeleteAll(tableAppTokens, indexUser, n.ID); err != nil {
		panic("store: delete app tokens: " + err.Error())
	}
}

// micros truncates t to Quay's microsecond precision in UTC; the zero time
// stays zero.
func micros(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}
