package store

import (
	"crypto/sha256"
	"crypto/subtle"
	"math"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Credential is what Quay's User row keeps for password sign-in:
// password_hash, uuid (which a session cookie names, and
// invalidate_all_sessions rotates), invalid_login_attempts and
// last_invalid_login. A user without a row has no password fakequay knows,
// the uuid "" and no invalid attempts; Quay's users all have a hash, but a
// seed or a snapshot of a real Quay cannot give one for a password it does
// not know, so such a user can never sign in.
type Credential struct {
	UserID int64
	// Salt and Hash store the password: SHA-256 of salt and password
	// (HashPassword). Hash is nil when no password is known.
	Salt, Hash []byte
	// SessionID stands for Quay's User.uuid: a session is valid while the
	// SessionID it was signed in with is still the user's.
	SessionID            string
	InvalidLoginAttempts int64
	LastInvalidLogin     time.Time
}

// HashPassword is the stored form of password: SHA-256 of salt and
// password. Quay stores a bcrypt hash; nothing outside the store sees it.
func HashPassword(salt []byte, password string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(password))
	return h.Sum(nil)
}

// Password is a password to store with its salt.
type Password struct {
	Plain string
	Salt  []byte
}

func credentialsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableCredentials,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*Credential]{
				key: func(c *Credential) (int64, bool) { return c.UserID, true }}},
		},
	}
}

func credentialTxn(txn *memdb.Txn, userID int64) Credential {
	if c, ok := first[*Credential](txn, tableCredentials, indexID, userID); ok {
		return *c
	}
	return Credential{UserID: userID}
}

func putCredentialTxn(txn *memdb.Txn, c Credential) {
	row := c
	insert(txn, tableCredentials, &row)
}

// setPasswordTxn is Quay's change_password after its checks: the new hash,
// invalid_login_attempts back to 0, and invalidate_all_sessions (a new
// uuid, sessionID).
func setPasswordTxn(txn *memdb.Txn, userID int64, pw Password, sessionID string) {
	c := credentialTxn(txn, userID)
	c.Salt, c.Hash = pw.Salt, HashPassword(pw.Salt, pw.Plain)
	c.InvalidLoginAttempts = 0
	c.SessionID = sessionID
	putCredentialTxn(txn, c)
}

// Credential returns the sign-in state of the user with the given id.
func (r Reader) Credential(userID int64) Credential { return credentialTxn(r.txn, userID) }

// TooManyAttemptsError is Quay's TooManyLoginAttemptsException: the user
// failed to sign in recently and must wait RetryAfter.
type TooManyAttemptsError struct{ RetryAfter time.Duration }

func (e *TooManyAttemptsError) Error() string { return "Too many login attempts." }

// VerifyUser is Quay's model.user.verify_user(username_or_email, password)
// at now: the user named so, or the (non-organization) user with that
// e-mail; nil when none matches, the name is not ASCII, or the password is
// wrong. Inside the exponential backoff of earlier failures
// (util/backoff.py: 5 * (2^attempts - 1) tenths of a second after the last
// one) it refuses with *TooManyAttemptsError before comparing. A wrong
// password counts an invalid attempt; a right one clears them. A password
// holding a NUL, for a user with a password, is bcrypt's ValueError (a
// *CrashError).
func (s *Store) VerifyUser(nameOrEmail, password string, now time.Time) (*Namespace, error) {
	var found *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		for i := 0; i < len(nameOrEmail); i++ {
			if nameOrEmail[i] >= 0x80 {
				return nil
			}
		}
		u := userByNameOrEmailTxn(txn, nameOrEmail)
		if u == nil {
			return nil
		}
		c := credentialTxn(txn, u.ID)
		if c.InvalidLoginAttempts > 0 {
			backoff := 5 * (math.Pow(2, float64(c.InvalidLoginAttempts)) - 1) / 10
			retryAt := c.LastInvalidLogin.Add(time.Duration(backoff * float64(time.Second)))
			if retryAt.After(now) {
				return &TooManyAttemptsError{RetryAfter: retryAt.Sub(now)}
			}
		}
		if c.Hash != nil {
			if hasNUL(password) {
				return crash("ValueError: password may not contain NUL bytes")
			}
			if subtle.ConstantTimeCompare(HashPassword(c.Salt, password), c.Hash) == 1 {
				if c.InvalidLoginAttempts > 0 {
					c.InvalidLoginAttempts = 0
					putCredentialTxn(txn, c)
				}
				found = u
				return nil
			}
		}
		c.InvalidLoginAttempts++
		c.LastInvalidLogin = now
		putCredentialTxn(txn, c)
		return nil
	})
	return found, err
}

// userByNameOrEmailTxn is verify_user's User.get((username == x) |
// ((email == x) & (organization == False))): the first such row by id.
func userByNameOrEmailTxn(txn *memdb.Txn, x string) *Namespace {
	var found *Namespace
	if n, ok := namespaceByNameTxn(txn, x); ok {
		found = n
	}
	userEmailsIndex.each(txn, x, func(n *Namespace) bool {
		if found == nil || n.ID < found.ID {
			found = n
		}
		return true
	})
	return found
}

// InvalidateSessions is Quay's invalidate_all_sessions: the user's uuid
// becomes sessionID, so every session signed in before is no longer valid.
func (s *Store) InvalidateSessions(userID int64, sessionID string) error {
	return s.write(func(txn *memdb.Txn) error {
		c := credentialTxn(txn, userID)
		c.SessionID = sessionID
		putCredentialTxn(txn, c)
		return nil
	})
}

// SetPassword gives the user a known password for a seed or the direct
// API, leaving its sessions alone.
func (l *Loader) SetPassword(userID int64, pw Password) {
	c := credentialTxn(l.txn, userID)
	c.Salt, c.Hash = pw.Salt, HashPassword(pw.Salt, pw.Plain)
	putCredentialTxn(l.txn, c)
}

// deleteCredentialTxn drops a purged namespace's row.
func deleteCredentialTxn(txn *memdb.Txn, n *Namespace) {
	if c, ok := first[*Credential](txn, tableCredentials, indexID, n.ID); ok {
		remove(txn, tableCredentials, c)
	}
}
