package store

import (
	"slices"

	"github.com/hashicorp/go-memdb"
)

// DeleteOrganization marks the organization named name for deletion after
// writing audit (Quay's deleteOrganization). A name that is not an
// organization is ErrNotFound and writes nothing.
func (s *Store) DeleteOrganization(name string, audit Action, tomb Tombstone) error {
	return s.write(func(txn *memdb.Txn) error {
		org, ok := namespaceByNameTxn(txn, name)
		if !ok || !org.IsOrg() {
			return ErrNotFound
		}
		if err := logActionTxn(txn, audit); err != nil {
			return err
		}
		markDeletedTxn(txn, org, audit.Time, tomb)
		return nil
	})
}

// RenameOrganization is changeOrganization's model work, in Quay's order:
// write audit (a name matching no namespace at all is a crash: Quay's
// log_action raises DoesNotExist); load the organization (a user's name is
// *ModelError "Organization does not exist", with the log kept); then, when
// newName is not nil, validate it and rename. A new name already in use is a
// crash (Quay hits the unique index), again with the log kept. Names pending
// deletion are not checked, as in Quay.
func (s *Store) RenameOrganization(name string, newName *string, audit Action) (*Namespace, error) {
	var org *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		if err := logActionTxn(txn, audit); err != nil {
			return err
		}
		cur, ok := namespaceByNameTxn(txn, name)
		if !ok || !cur.IsOrg() {
			return keepChanges{modelError("Organization does not exist: " + name)}
		}
		org = cur
		if newName == nil {
			return nil
		}
		if issue := usernameIssue(*newName); issue != "" {
			return keepChanges{modelError("Invalid username " + *newName + ": " + issue)}
		}
		if other, taken := namespaceByNameTxn(txn, *newName); taken && other.ID != cur.ID {
			return keepChanges{crash(`IntegrityError: duplicate key value violates unique constraint "user_username"`)}
		}
		renamed := cur.clone()
		renamed.Name = *newName
		putNamespaceTxn(txn, cur, renamed)
		org = renamed
		return nil
	})
	return org, err
}

// Ownership is the outcome of TakeOwnership.
type Ownership struct {
	EntityID int64
	WasUser  bool
}

// TakeOwnership makes user callerID an owner of the namespace named name
// (Quay's take_ownership). An organization gains the caller in its first
// admin team (add_user_as_admin; already there is fine, and an organization
// left without an admin team is a crash: Team.DoesNotExist). A user is
// converted into an organization (convert_user_to_organization): its
// password goes, its own permissions on repositories go, and a new owners
// team holds the caller. audit is written on the caller's account.
func (s *Store) TakeOwnership(name string, callerID int64, audit func(Ownership) Action) (Ownership, error) {
	var out Ownership
	err := s.write(func(txn *memdb.Txn) error {
		n, ok := namespaceByNameTxn(txn, name)
		if !ok {
			return ErrNotFound
		}
		out = Ownership{EntityID: n.ID, WasUser: n.IsUser()}
		caller, ok := accountOfTxn(txn, UserEntity(callerID))
		if !ok {
			return ErrNotFound
		}
		if n.IsUser() {
			org := n.clone()
			org.Kind = KindOrg
			org.HasPassword = false
			putNamespaceTxn(txn, n, org)
			if c := credentialTxn(txn, n.ID); c.Hash != nil {
				c.Salt, c.Hash = nil, nil
				putCredentialTxn(txn, c)
			}
			deletePermissionsOfTxn(txn, UserEntity(n.ID))
			owners, err := createTeamTxn(txn, "owners", org, TeamAdmin, "")
			if err != nil {
				return err
			}
			if err := addToTeamTxn(txn, caller, owners); err != nil {
				return err
			}
		} else {
			var admins *Team
			for _, t := range teamsOfOrgTxn(txn, n.ID) {
				if t.Role == TeamAdmin {
					admins = t
					break
				}
			}
			if admins == nil {
				return crash("Team matching query does not exist (add_user_as_admin: " + name + " has no admin team)")
			}
			if _, in := membershipTxn(txn, admins.ID, caller.Entity()); !in {
				if err := addToTeamTxn(txn, caller, admins); err != nil {
					return err
				}
			}
		}
		return logActionTxn(txn, audit(out))
	})
	return out, err
}

// NewOrganization describes createOrganization's model call (Quay's
// create_organization).
type NewOrganization struct {
	Name string
	// Email is the effective address (contact_email, else email); nil when
	// none was given.
	Email *string
	// PlaceholderEmail is stored when none is given: Quay stores a random
	// UUID (which the organization view then hides).
	PlaceholderEmail string
	// RequireEmail is FEATURE_MAILING (create_organization's
	// email_required): a given address must be valid.
	RequireEmail bool
	// SharedEmail is FEATURE_ORG_SHARED_EMAIL: without it an address a user
	// has is refused.
	SharedEmail bool
	CreatorID   int64
	// TagExpirationS is DEFAULT_TAG_EXPIRATION, which create_user_noverify
	// stores in removed_tag_expiration_s.
	TagExpirationS int64
	Audit          Action // org_create, written after
}

// CreateOrganization is Quay's create_organization: the address is checked
// (valid when required, unused by any user unless shared e-mail is on),
// then the name (create_user_noverify's rules: pattern and length, taken,
// pending deletion), then the organization is created with an "owners"
// admin team holding the creator. Failures are *ModelError, except an
// address with a NUL, which Postgres' driver refuses to bind (a crash).
func (s *Store) CreateOrganization(in NewOrganization) (*Namespace, error) {
	var created *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		email := in.PlaceholderEmail
		if in.Email != nil && *in.Email != "" {
			email = *in.Email
			if in.RequireEmail && !validEmail(email) {
				return modelError("Invalid email address: " + email)
			}
			if !in.SharedEmail && isASCII(email) {
				if hasNUL(email) {
					return nulLiteral()
				}
				if userEmailTakenTxn(txn, email, 0) {
					return modelError("Email has already been used: " + email)
				}
			}
		}
		if issue := usernameIssue(in.Name); issue != "" {
			return modelError("Invalid namespace " + in.Name + ": " + issue)
		}
		if err := nameBlockedTxn(txn, in.Name); err != nil {
			return err
		}
		if hasNUL(email) {
			return nulLiteral() // new_org.save() binds it
		}
		creator, ok := accountOfTxn(txn, UserEntity(in.CreatorID))
		if !ok {
			return ErrNotFound
		}
		created = &Namespace{ID: nextIDTxn(txn, seqNamespace), Name: in.Name, Kind: KindOrg, Email: email, Enabled: true}
		if in.TagExpirationS != DefaultTagExpirationS {
			created.Settings = &NamespaceSettings{TagExpirationS: in.TagExpirationS}
		}
		putNamespaceTxn(txn, nil, created)
		owners, err := createTeamTxn(txn, "owners", created, TeamAdmin, "")
		if err != nil {
			return err
		}
		if err := addToTeamTxn(txn, creator, owners); err != nil {
			return err
		}
		return logActionTxn(txn, in.Audit)
	})
	return created, err
}

// OrganizationChange describes changeOrganizationDetails. A nil field is
// left alone; the steps run in Quay's order, each saved and logged by
// itself, so a refusal keeps the steps before it.
type OrganizationChange struct {
	InvoiceEmail *bool
	// InvoiceEmailAddress is set when the request has the key; its value
	// (nil for null) is then InvoiceEmailAddressValue.
	InvoiceEmailAddress      bool
	InvoiceEmailAddressValue *string
	// Email is set when the request has contact_email or email; nil and ""
	// both clear the address (a random placeholder, PlaceholderEmail, is
	// stored).
	Email            bool
	EmailValue       *string
	PlaceholderEmail string
	// TagExpirationS is set when the request has tag_expiration_s and
	// FEATURE_CHANGE_TAG_EXPIRATION is on; it must be one of
	// AllowedTagExpirations.
	TagExpirationS        *int64
	AllowedTagExpirations []int64

	InvoiceEmailLog        Action
	InvoiceEmailAddressLog Action
	EmailLog               func(newEmail, oldEmail string) Action
	TagExpirationLog       Action
}

// ErrInvalidEmail is changeOrganizationDetails' "Invalid email address":
// the new address fails Quay's validate_email.
var ErrInvalidEmail = errorString("store: invalid email address")

// ChangeOrganization applies ch to the organization named name (ErrNotFound
// when there is none) and returns it as it is afterwards.
func (s *Store) ChangeOrganization(name string, ch OrganizationChange) (*Namespace, error) {
	var org *Namespace
	err := s.write(func(txn *memdb.Txn) error {
		cur, ok := namespaceByNameTxn(txn, name)
		if !ok || !cur.IsOrg() {
			return ErrNotFound
		}
		org = cur
		save := func(change func(*Namespace)) {
			c := org.clone()
			if c.Settings == nil {
				st := org.Setting()
				c.Settings = &st
			} else {
				st := *c.Settings
				c.Settings = &st
			}
			change(c)
			putNamespaceTxn(txn, org, c)
			org = c
		}
		if ch.InvoiceEmail != nil {
			save(func(c *Namespace) { c.Settings.InvoiceEmail = *ch.InvoiceEmail })
			if err := logActionTxn(txn, ch.InvoiceEmailLog); err != nil {
				return err
			}
		}
		if ch.InvoiceEmailAddress && !equalStringPtr(ch.InvoiceEmailAddressValue, org.Setting().InvoiceEmailAddress) {
			var stored *string // change_invoice_email_address nulls out ""
			if v := ch.InvoiceEmailAddressValue; v != nil && *v != "" {
				if hasNUL(*v) {
					return keepChanges{nulLiteral()}
				}
				stored = v
			}
			save(func(c *Namespace) { c.Settings.InvoiceEmailAddress = stored })
			if err := logActionTxn(txn, ch.InvoiceEmailAddressLog); err != nil {
				return err
			}
		}
		if ch.Email {
			newEmail := ""
			if ch.EmailValue != nil {
				newEmail = *ch.EmailValue
			}
			current := ""
			if validEmail(org.Email) {
				current = org.Email
			}
			if newEmail != current {
				if newEmail != "" && !validEmail(newEmail) {
					return keepChanges{ErrInvalidEmail}
				}
				stored := newEmail
				if stored == "" {
					stored = ch.PlaceholderEmail
				}
				if hasNUL(stored) {
					return keepChanges{nulLiteral()}
				}
				save(func(c *Namespace) { c.Email = stored })
				if err := logActionTxn(txn, ch.EmailLog(newEmail, current)); err != nil {
					return err
				}
			}
		}
		if ch.TagExpirationS != nil {
			if !slices.Contains(ch.AllowedTagExpirations, *ch.TagExpirationS) {
				return keepChanges{modelError("Invalid tag expiration option")}
			}
			save(func(c *Namespace) { c.Settings.TagExpirationS = *ch.TagExpirationS })
			if err := logActionTxn(txn, ch.TagExpirationLog); err != nil {
				return err
			}
		}
		return nil
	})
	return org, err
}

func equalStringPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// isASCII is the str.encode("ascii") test Quay's user lookups start with:
// an address with another character finds no user.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// RemoveOrganizationMember is Quay's remove_organization_member: the
// organization (ErrNotFound when there is none) loses the user from every
// one of its teams and the user's permissions on its repositories, whether
// or not the user was a member. The only admin user cannot be removed
// (*ModelError). Quay writes no log for it.
func (s *Store) RemoveOrganizationMember(orgName string, userID int64) error {
	return s.write(func(txn *memdb.Txn) error {
		org, ok := namespaceByNameTxn(txn, orgName)
		if !ok || !org.IsOrg() {
			return ErrNotFound
		}
		admins := adminUsersTxn(txn, org.ID)
		if len(admins) == 1 && admins[0] == userID {
			return modelError("Cannot remove user as they are the only organization admin")
		}
		e := UserEntity(userID)
		deletePermissionsInTxn(txn, e, org.ID)
		deleteMembershipsInTxn(txn, e, org.ID)
		return nil
	})
}

// adminUsersTxn is Quay's __get_org_admin_users: the users (not robots) in
// any admin team of the organization, each once.
func adminUsersTxn(txn *memdb.Txn, orgID int64) []int64 {
	var ids []int64
	for _, t := range teamsOfOrgTxn(txn, orgID) {
		if t.Role != TeamAdmin {
			continue
		}
		for _, m := range membersOfTeamTxn(txn, t.ID) {
			if m.Member.Kind == EntityUser && !slices.Contains(ids, m.Member.ID) {
				ids = append(ids, m.Member.ID)
			}
		}
	}
	return ids
}

// AdminUsers returns the organization's admin users (Quay's
// get_admin_users), in the order the owners first joined.
func (r Reader) AdminUsers(orgID int64) []int64 { return adminUsersTxn(r.txn, orgID) }

// PurgeDeletedNamespaces is Quay's namespace GC worker: it removes every
// namespace pending deletion, freeing its original name. Their audit logs
// stay and no longer resolve to a namespace. It returns how many it purged.
func (s *Store) PurgeDeletedNamespaces() (int, error) {
	purged := 0
	err := s.write(func(txn *memdb.Txn) error {
		var doomed []*Namespace
		walkListings(txn, []listing{listedDeleted}, 0, func(n *Namespace) bool {
			doomed = append(doomed, n)
			return true
		})
		for _, n := range doomed {
			for _, cascade := range namespacePurgedCascades {
				cascade(txn, n)
			}
			putNamespaceTxn(txn, n, nil)
		}
		purged = len(doomed)
		return nil
	})
	return purged, err
}
