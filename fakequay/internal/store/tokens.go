package store

import (
	"time"

	"github.com/hashicorp/go-memdb"
)

// Token is an OAuth access token (Quay's OAuthAccessToken): the bearer value
// callers present, the user it acts for, its scopes and its application.
type Token struct {
	ID          int64
	Secret      string // the bearer value
	UserID      int64
	Scopes      []string // Quay scope names, e.g. "super:user"
	Application string   // the OAuth application's name
	ClientID    string   // the OAuth application's client id
	ExpiresAt   time.Time
}

// HasScope reports whether t was granted scope.
func (t *Token) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

func tokensTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableTokens,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*Token]{
				key: func(t *Token) (int64, bool) { return t.ID, true }}},
			indexSecret: {Name: indexSecret, Unique: true, Indexer: stringIndex[*Token]{
				key: func(t *Token) (string, bool) { return t.Secret, true }}},
			indexUser: {Name: indexUser, Indexer: intIndex[*Token]{
				key: func(t *Token) (int64, bool) { return t.UserID, true }}},
		},
	}
}

// Token returns the token whose bearer value is secret.
func (r Reader) Token(secret string) (*Token, bool) {
	return first[*Token](r.txn, tableTokens, indexSecret, secret)
}

// TokensOf returns the tokens that act for user id, in id order.
func (r Reader) TokensOf(userID int64) []*Token {
	var out []*Token
	iterate(mustIter(r.txn.Get(tableTokens, indexUser, userID)), func(t *Token) bool {
		out = append(out, t)
		return true
	})
	return out
}

// deleteTokensOfTxn deletes every token that acts for user n.
func deleteTokensOfTxn(txn *memdb.Txn, n *Namespace) {
	userID := n.ID
	if _, err := txn.DeleteAll(tableTokens, indexUser, userID); err != nil {
		panic("store: delete tokens: " + err.Error())
	}
}
