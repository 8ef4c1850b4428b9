package store

import (
	"time"

	"github.com/hashicorp/go-memdb"
)

// TeamInvite is a row of Quay's TeamMemberInvite table: an invitation to
// join a team, addressed to a user or to an e-mail address (never both),
// redeemed with its token.
type TeamInvite struct {
	ID        int64
	TeamID    int64
	OrgID     int64
	UserID    int64  // 0 for an e-mail invite
	Email     string // "" for a user invite (Quay's NULL)
	InviterID int64
	Token     string // invite_token, "urn:teaminvite:<uuid>"
}

// Indexes: id; token (the code a user redeems); team, (team, id): a team's
// invites in creation order; user, (user, id), user invites only; inviter,
// (inviter, id): what the namespace GC deletes with an inviting user.
func teamInvitesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableTeamInvites,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*TeamInvite]{
				key: func(i *TeamInvite) (rowKey, bool) { return keyOf().id(i.ID), true }}},
			indexToken: {Name: indexToken, Indexer: stringIndex[*TeamInvite]{
				key: func(i *TeamInvite) (string, bool) { return i.Token, true }}},
			indexTeam: {Name: indexTeam, Unique: true, Indexer: keyIndex[*TeamInvite]{
				key: func(i *TeamInvite) (rowKey, bool) { return keyOf().id(i.TeamID).id(i.ID), true }}},
			indexUser: {Name: indexUser, Unique: true, AllowMissing: true, Indexer: keyIndex[*TeamInvite]{
				key: func(i *TeamInvite) (rowKey, bool) { return keyOf().id(i.UserID).id(i.ID), i.UserID != 0 }}},
			indexInviter: {Name: indexInviter, Unique: true, Indexer: keyIndex[*TeamInvite]{
				key: func(i *TeamInvite) (rowKey, bool) { return keyOf().id(i.InviterID).id(i.ID), true }}},
		},
	}
}

func collectInvites(txn *memdb.Txn, index string, prefix rowKey) []*TeamInvite {
	var out []*TeamInvite
	walkPrefix(txn, tableTeamInvites, index, prefix, func(i *TeamInvite) bool {
		out = append(out, i)
		return true
	})
	return out
}

func invitesOfTeamTxn(txn *memdb.Txn, teamID int64) []*TeamInvite {
	return collectInvites(txn, indexTeam, keyOf().id(teamID))
}

// userInviteTxn is the first invite of the user to the team (Quay's
// TeamMemberInvite.get(user=..., team=...)).
func userInviteTxn(txn *memdb.Txn, teamID, userID int64) (*TeamInvite, bool) {
	for _, inv := range invitesOfTeamTxn(txn, teamID) {
		if inv.UserID == userID {
			return inv, true
		}
	}
	return nil, false
}

// emailInviteTxn is the first invite of the address to the team.
func emailInviteTxn(txn *memdb.Txn, teamID int64, email string) (*TeamInvite, bool) {
	for _, inv := range invitesOfTeamTxn(txn, teamID) {
		if inv.UserID == 0 && inv.Email == email {
			return inv, true
		}
	}
	return nil, false
}

// deleteInvitesOfUserTxn removes the invites addressed to the user and those
// the user sent (what the namespace GC's recursive delete of a user takes).
func deleteInvitesOfUserTxn(txn *memdb.Txn, n *Namespace) {
	for _, index := range []string{indexUser, indexInviter} {
		for _, inv := range collectInvites(txn, index, keyOf().id(n.ID)) {
			remove(txn, tableTeamInvites, inv)
		}
	}
}

// --- reads -----------------------------------------------------------------

// TeamInvites returns the team's pending invites in creation order (Quay's
// get_organization_team_member_invites).
func (r Reader) TeamInvites(teamID int64) []*TeamInvite { return invitesOfTeamTxn(r.txn, teamID) }

// TeamInviteByToken returns the invite with the given token.
func (r Reader) TeamInviteByToken(token string) (*TeamInvite, bool) {
	return first[*TeamInvite](r.txn, tableTeamInvites, indexToken, token)
}

// --- writes ----------------------------------------------------------------

// TeamAddition describes handle_addinvite_team: a user (or robot) or an
// e-mail address joining a team, directly or through an invite.
type TeamAddition struct {
	Org, Team string
	// Member is the user or robot to add ("" for an e-mail invite).
	Member string
	// Email is the address to invite when Member is "".
	Email     string
	InviterID int64
	// RequireInvite is FEATURE_MAILING && FEATURE_REQUIRE_TEAM_INVITE: a
	// user who is not yet a member of the organization is invited rather
	// than added. Robots (of the organization) are always added, and an
	// e-mail address is always invited.
	RequireInvite bool
	Token         string // the new invite's token, should one be made
	Time          time.Time

	// AddedLog is written when the member was added (org_add_team_member),
	// InvitedLog when an invite was made (org_invite_team_member).
	AddedLog, InvitedLog Action
}

// ErrUnknownUser is updateOrganizationTeamMember's "Unknown user": the
// member names no user or robot.
var ErrUnknownUser = errorString("store: unknown user")

type errorString string

func (e errorString) Error() string { return string(e) }

// AddOrInviteTeamMember is handle_addinvite_team with Quay's
// add_or_invite_to_team: the team must exist (ErrNotFound) and the member
// be a user or robot (ErrUnknownUser); a robot must belong to the
// organization, and a member already in the team is refused (both
// *ModelError). It returns the invite made, or nil when the member was
// added; an invite also puts the invitation mail in the outbox.
func (s *Store) AddOrInviteTeamMember(add TeamAddition) (*TeamInvite, *Account, error) {
	var invite *TeamInvite
	var added *Account
	err := s.write(func(txn *memdb.Txn) error {
		org, t, ok := organizationTeamTxn(txn, add.Org, add.Team)
		if !ok {
			return ErrNotFound
		}
		inviter, _ := accountOfTxn(txn, UserEntity(add.InviterID))
		var acct *Account
		if add.Member != "" {
			a, ok := accountByNameTxn(txn, add.Member)
			if !ok {
				return ErrUnknownUser
			}
			acct = &a
		}
		requireInvite := add.RequireInvite
		if acct != nil && requireInvite {
			if acct.Robot {
				requireInvite = false
				if ns, _, _ := ParseRobotName(acct.Name); ns != org.Name {
					return modelError("Cannot add the specified robot to this team, as it is not a member of the organization")
				}
			} else {
				requireInvite = !isOrgMemberTxn(txn, org.ID, acct.Entity())
			}
		}
		if acct != nil && !requireInvite {
			if err := addToTeamTxn(txn, *acct, t); err != nil {
				return err
			}
			added = acct
			return logActionTxn(txn, add.AddedLog)
		}
		invite = &TeamInvite{ID: nextIDTxn(txn, seqTeamInvite), TeamID: t.ID, OrgID: org.ID,
			InviterID: add.InviterID, Token: add.Token}
		mail := &Mail{Kind: MailOrgInvite, Organization: org.Name, Team: t.Name, Inviter: inviter.Name,
			Code: add.Token, Time: add.Time}
		if acct != nil {
			invite.UserID = acct.ID
			mail.Username, mail.To = acct.Name, acct.Email
		} else {
			invite.Email = add.Email
			mail.Username, mail.To = add.Email, add.Email
		}
		insert(txn, tableTeamInvites, invite)
		insertMailTxn(txn, mail)
		return logActionTxn(txn, add.InvitedLog)
	})
	return invite, added, err
}

// DeleteEmailInvite is deleteTeamMemberEmailInvite's model work: the team
// must exist and have an invite for the address (ErrNotFound otherwise);
// the first such invite goes, then audit is written.
func (s *Store) DeleteEmailInvite(orgName, teamName, email string, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		_, t, ok := organizationTeamTxn(txn, orgName, teamName)
		if !ok {
			return ErrNotFound
		}
		inv, ok := emailInviteTxn(txn, t.ID, email)
		if !ok {
			return ErrNotFound
		}
		remove(txn, tableTeamInvites, inv)
		return logActionTxn(txn, audit)
	})
}

const invalidCodeMessage = "Invalid confirmation code."

// lookupInviteTxn is Quay's lookup_team_invite.
func lookupInviteTxn(txn *memdb.Txn, code string, userID int64) (*TeamInvite, error) {
	inv, ok := first[*TeamInvite](txn, tableTeamInvites, indexToken, code)
	if !ok || (userID != 0 && inv.UserID != userID) {
		return nil, modelError(invalidCodeMessage)
	}
	return inv, nil
}

// InviteOutcome names the team and the inviter of a redeemed invite.
type InviteOutcome struct {
	Org, Team, Inviter string
}

// AcceptTeamInvite is Quay's try_accept_invite (confirm_team_invite): the
// code must exist and, for a user invite, be the caller's. The caller then
// joins every team of that organization it has an invite to (its own, and
// those to its e-mail address when verified), and those invites go. audit
// gets the outcome.
func (s *Store) AcceptTeamInvite(code string, userID int64, audit func(InviteOutcome) Action) (InviteOutcome, error) {
	var out InviteOutcome
	err := s.write(func(txn *memdb.Txn) error {
		found, err := lookupInviteTxn(txn, code, 0)
		if err != nil {
			return err
		}
		user, ok := namespaceByIDTxn(txn, userID)
		if !ok {
			return ErrNotFound
		}
		if found.UserID != 0 && found.UserID != userID {
			intended, _ := accountOfTxn(txn, UserEntity(found.UserID))
			return modelError("This invite is intended for user \"" + intended.Name +
				"\".\n                 Please login to that account and try again.")
		}
		// find_organization_invites, in the order the database stores them.
		var matching []*TeamInvite
		for _, t := range teamsOfOrgTxn(txn, found.OrgID) {
			for _, inv := range invitesOfTeamTxn(txn, t.ID) {
				if inv.UserID == userID || (user.Verified && inv.UserID == 0 && inv.Email == user.Email) {
					matching = append(matching, inv)
				}
			}
		}
		sortByID(matching, func(i *TeamInvite) int64 { return i.ID })
		codeFound := len(matching) > 0
		me := UserEntity(user.ID)
		for _, inv := range matching {
			if _, in := membershipTxn(txn, inv.TeamID, me); !in { // UserAlreadyInTeam is ignored
				insert(txn, tableTeamMembers, &TeamMembership{ID: nextIDTxn(txn, seqTeamMember),
					TeamID: inv.TeamID, OrgID: inv.OrgID, Member: me})
			}
			remove(txn, tableTeamInvites, inv)
		}
		if !codeFound {
			if found.UserID != 0 {
				intended, _ := accountOfTxn(txn, UserEntity(found.UserID))
				return modelError("This invite is intended for user \"" + intended.Name +
					"\".\n                   Please login to that account and try again.")
			}
			return modelError("This invite is intended for email \"" + found.Email +
				"\".\n                   Please login to that account and try again.")
		}
		out = inviteOutcomeTxn(txn, found)
		return logActionTxn(txn, audit(out))
	})
	return out, err
}

// DeclineTeamInvite is declineOrganizationTeamInvite's model work (Quay's
// delete_team_invite with the caller): the code must be an invite
// addressed to the caller, else *ModelError "Invalid confirmation code.".
func (s *Store) DeclineTeamInvite(code string, userID int64, audit func(InviteOutcome) Action) (InviteOutcome, error) {
	var out InviteOutcome
	err := s.write(func(txn *memdb.Txn) error {
		inv, err := lookupInviteTxn(txn, code, userID)
		if err != nil {
			return err
		}
		out = inviteOutcomeTxn(txn, inv)
		remove(txn, tableTeamInvites, inv)
		return logActionTxn(txn, audit(out))
	})
	return out, err
}

func inviteOutcomeTxn(txn *memdb.Txn, inv *TeamInvite) InviteOutcome {
	var out InviteOutcome
	if org, ok := namespaceByIDTxn(txn, inv.OrgID); ok {
		out.Org = org.Name
	}
	if t, ok := teamByIDTxn(txn, inv.TeamID); ok {
		out.Team = t.Name
	}
	if inviter, ok := accountOfTxn(txn, UserEntity(inv.InviterID)); ok {
		out.Inviter = inviter.Name
	}
	return out
}
