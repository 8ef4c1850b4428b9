package store

import (
	"errors"
	"time"

	"github.com/hashicorp/go-memdb"
)

// NewUser describes createInstallUser's model call (Quay's create_user).
type NewUser struct {
	Username string
	// Email is the address given, or nil when the request had none.
	Email *string
	// RequireEmail is FEATURE_MAILING: the address must be valid and unused
	// by any other user, and a confirmation mail goes out.
	RequireEmail bool
	// PlaceholderEmail is stored when none is required and the address is
	// missing or empty: Quay's create_user_noverify stores
	// `email or str(uuid.uuid4())` (data/model/user.py).
	PlaceholderEmail string
	Time             time.Time
	// ConfirmationCode is the code the confirmation mail carries.
	ConfirmationCode string
	// Audit is the user_create log; its account is the new user.
	Audit Action
	// Password, when set, is the new user's password (create_user's
	// hash), which signinUser checks.
	Password *Password
}

// CreateUser creates a user as Quay's create_user does, checking in Quay's
// order: e-mail validity (when required), username pattern and length, name
// taken, name pending deletion, e-mail taken (when required). Failures are
// *ModelError with Quay's message, except an e-mail holding a NUL when one
// is required: Postgres' driver refuses to bind it in the uniqueness query,
// a *CrashError. The user is unverified when an e-mail is
// checkEmailAndName is create_user_noverify's first checks: the address
// to store (the placeholder when none is required and none was given),
// refused when one is required and invalid, and the username's shape.
func (in NewUser) checkEmailAndName() (string, error) {
	email := ""
	if in.Email != nil {
		email = *in.Email
	}
	if !in.RequireEmail && email == "" {
		email = in.PlaceholderEmail
	}
	if in.RequireEmail && !validEmail(email) {
		shown := "None"
		if in.Email != nil {
			shown = *in.Email
		}
		return "", modelError("Invalid email address: " + shown)
	}
	if issue := usernameIssue(in.Username); issue != "" {
		return "", modelError("Invalid namespace " + in.Username + ": " + issue)
	}
	return email, nil
}

// required (a confirmation mail is queued), verified otherwise.
func (s *Store) CreateUser(in NewUser) (*Namespace, error) {
	var created *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		email, err := in.checkEmailAndName()
		if err != nil {
			return err
		}
		if err := nameBlockedTxn(txn, in.Username); err != nil {
			return err
		}
		if hasNUL(email) {
			if in.RequireEmail {
				// The uniqueness query binds the address first, and
				// nothing catches the ValueError.
				return nulLiteral()
			}
			// User.create binds it, and create_user_noverify wraps
			// whatever User.create raises in a DataModelException.
			return modelError(nulLiteralMessage)
		}
		if userEmailTakenTxn(txn, email, 0) {
			if in.RequireEmail {
				return modelError("Email has already been used: " + email)
			}
			// Without MAILING Quay skips the check and Postgres' partial
			// unique index rejects the row; the message is the driver's.
			return modelError(`duplicate key value violates unique constraint "user_email_unique_non_org"` +
				"\nDETAIL:  Key (email)=(" + email + ") already exists.\n")
		}
		created = &Namespace{
			ID:          nextIDTxn(txn, seqNamespace),
			Name:        in.Username,
			Kind:        KindUser,
			Email:       email,
			Verified:    !in.RequireEmail,
			Enabled:     true,
			HasPassword: true,
		}
		putNamespaceTxn(txn, nil, created)
		if in.Password != nil {
			setPasswordTxn(txn, created.ID, *in.Password, "")
		}
		if err := logActionTxn(txn, in.Audit); err != nil {
			return err
		}
		if in.RequireEmail {
			insertMailTxn(txn, &Mail{Kind: MailConfirmEmail, To: email, Username: in.Username,
				Code: in.ConfirmationCode, Time: in.Time})
		}
		return nil
	})
	return created, err
}

// UserUpdate describes changeInstallUser's changes, applied in Quay's order:
// password, e-mail, enabled. A nil field is left alone. Each step writes its
// log as Quay does; a failure leaves the earlier steps applied.
type UserUpdate struct {
	Password *string
	// PasswordSalt salts the new password; NewSessionID is the user's new
	// uuid (change_password invalidates every session).
	PasswordSalt []byte
	NewSessionID string
	Email        *string
	Enabled      *bool

	// Logs for each step; only the ones for present fields are written.
	PasswordLog Action
	EmailLog    func(oldEmail string) Action
	EnabledLog  Action
}

// UpdateUser applies upd to the user named name and returns the user as it
// was before the update (Quay answers with that snapshot).
func (s *Store) UpdateUser(name string, upd UserUpdate) (*Namespace, error) {
	var before *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		u, ok := namespaceByNameTxn(txn, name)
		if !ok || !u.IsUser() {
			return ErrNotFound
		}
		before = u
		cur := u.clone()
		changed := false
		if upd.Password != nil {
			if err := logActionTxn(txn, upd.PasswordLog); err != nil {
				return err
			}
			if !validPassword(*upd.Password) {
				return keepChanges{modelError(invalidPasswordMessage)}
			}
			if hasNUL(*upd.Password) {
				// bcrypt 3.1.7's hashpw refuses it with a ValueError.
				return keepChanges{crash("ValueError: password may not contain NUL bytes")}
			}
			cur.HasPassword = true
			setPasswordTxn(txn, cur.ID, Password{Plain: *upd.Password, Salt: upd.PasswordSalt}, upd.NewSessionID)
			changed = true
		}
		if upd.Email != nil {
			if hasNUL(*upd.Email) {
				// user.save() binds it: a ValueError, not the
				// IntegrityError update_email catches.
				if changed {
					putNamespaceTxn(txn, u, cur)
				}
				return keepChanges{nulLiteral()}
			}
			if userEmailTakenTxn(txn, *upd.Email, cur.ID) {
				if changed {
					putNamespaceTxn(txn, u, cur)
				}
				return keepChanges{modelError("E-mail address already used")}
			}
			old := cur.Email
			cur.Email, cur.Verified = *upd.Email, true
			changed = true
			// Quay saves the row before logging; the order is invisible
			// inside one transaction.
			if err := logActionTxn(txn, upd.EmailLog(old)); err != nil {
				return err
			}
		}
		if upd.Enabled != nil {
			if err := logActionTxn(txn, upd.EnabledLog); err != nil {
				return err
			}
			cur.Enabled = *upd.Enabled
			changed = true
		}
		if changed {
			putNamespaceTxn(txn, u, cur)
		}
		return nil
	})
	return before, err
}

// Tombstone holds the random values a namespace pending deletion takes in
// place of its name and e-mail (Quay uses two uuid4 strings).
type Tombstone struct{ Name, Email string }

// DeleteUser marks the user named name for deletion (Quay's
// deleteInstallUser → mark_namespace_for_deletion with force=True) after
// writing audit. A disabled user is left untouched, though the log is still
// written: Quay's mark_namespace_for_deletion returns early for them.
func (s *Store) DeleteUser(name string, audit Action, tomb Tombstone) error {
	return s.write(func(txn *memdb.Txn) error {
		u, ok := namespaceByNameTxn(txn, name)
		if !ok || !u.IsUser() {
			return ErrNotFound
		}
		if err := logActionTxn(txn, audit); err != nil {
			return err
		}
		markDeletedTxn(txn, u, audit.Time, tomb)
		return nil
	})
}

// markDeletedTxn is Quay's mark_namespace_for_deletion(force=True): unless
// the namespace is already disabled, drop what hangs off it, then rename it
// and its e-mail to random values, disable it and mark it pending deletion.
// The namespace GC (PurgeDeletedNamespaces) removes the row later.
func markDeletedTxn(txn *memdb.Txn, n *Namespace, now time.Time, tomb Tombstone) {
	if !n.Enabled {
		return
	}
	for _, cascade := range namespaceDeletedCascades {
		cascade(txn, n)
	}
	d := n.clone()
	d.Deleted = true
	d.OriginalName = n.Name
	d.DeletedAt = now
	d.Name = tomb.Name
	d.Email = tomb.Email
	d.Enabled = false
	d.Size = nil
	putNamespaceTxn(txn, n, d)
}

// namespaceDeletedCascades are what Quay's _delete_user_linked_data does
// when a namespace is marked for deletion, each inside the same transaction.
var namespaceDeletedCascades = []func(txn *memdb.Txn, n *Namespace){
	deleteTeamsOrMembershipsTxn,
	deleteTokensOfTxn,
	deleteQuotaOfTxn,
	deleteRobotsOfTxn,
	clearApproverTxn,
	dropBuildRetriesTxn,
	deleteMirrorsOfTxn,
}

// deleteTeamsOrMembershipsTxn is the first step of _delete_user_linked_data:
// an organization's teams go (with their members, invites and
// permissions); a user leaves every team. Its repositories, and its own
// permissions elsewhere, stay until the purge.
func deleteTeamsOrMembershipsTxn(txn *memdb.Txn, n *Namespace) {
	if n.IsOrg() {
		deleteTeamsOfTxn(txn, n)
		return
	}
	deleteMembershipsOfTxn(txn, UserEntity(n.ID))
}

// namespacePurgedCascades drop the rows Quay's namespace GC deletes with
// the namespace row itself, inside the purge's transaction.
var namespacePurgedCascades = []func(txn *memdb.Txn, n *Namespace){
	// Marking dropped the quota, but superuser quota calls find a namespace
	// by its tombstone name too and may have added one since.
	deleteQuotaOfTxn,
	deleteAppTokensOfTxn,
	deleteCredentialTxn,
	deleteBuildsOfTxn,
	// delete_user purges the repositories, then User.delete_instance
	// (recursive, delete_nullable) takes every row naming the namespace.
	deleteRepositoriesOfTxn,
	func(txn *memdb.Txn, n *Namespace) { deletePermissionsOfTxn(txn, UserEntity(n.ID)) },
	func(txn *memdb.Txn, n *Namespace) { deletePrototypesNamingTxn(txn, UserEntity(n.ID)) },
	deletePrototypesOfOrgTxn,
	deleteInvitesOfUserTxn,
	// A user converted into an organization keeps its memberships; they
	// go with the row.
	func(txn *memdb.Txn, n *Namespace) { deleteMembershipsOfTxn(txn, UserEntity(n.ID)) },
}

// ErrNotEmpty is InitializeUser's refusal: the User table has a row.
var ErrNotEmpty = errors.New("store: the database has users")

// InitializeUser is the first-user bootstrap of endpoints/web.py
// user_initialize, in one transaction: refused with ErrNotEmpty when any
// namespace exists (has_users reads the User table, organizations and
// robots included), then model.user.create_user with auto_verify (the
// password checked first, INVALID_PASSWORD_MESSAGE; no confirmation mail
// and no audit log, which the model does not write), then, when token is
// not nil, the OAuth access token create_user_access_token makes for the
// new user. The token's UserID and ID are filled in.
func (s *Store) InitializeUser(in NewUser, password Password, token *Token) (*Namespace, error) {
	var created *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		if !namespacesEmptyTxn(txn) {
			return ErrNotEmpty
		}
		if !validPassword(password.Plain) {
			return modelError(invalidPasswordMessage)
		}
		email, err := in.checkEmailAndName()
		if err != nil {
			return err
		}
		if hasNUL(email) {
			if in.RequireEmail {
				return nulLiteral()
			}
			return modelError(nulLiteralMessage)
		}
		created = &Namespace{ID: nextIDTxn(txn, seqNamespace), Name: in.Username, Kind: KindUser, Email: email,
			Verified: true, Enabled: true, HasPassword: true}
		putNamespaceTxn(txn, nil, created)
		setPasswordTxn(txn, created.ID, password, "")
		if token != nil {
			token.UserID, token.ID = created.ID, nextIDTxn(txn, seqToken)
			row := *token
			insert(txn, tableTokens, &row)
		}
		return nil
	})
	return created, err
}
