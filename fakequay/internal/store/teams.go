package store

import (
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/hashicorp/go-memdb"
)

// Team is a row of Quay's Team table: a named group of an organization
// with an organization-wide role.
type Team struct {
	ID          int64
	OrgID       int64
	Name        string
	Role        TeamRole
	Description string
}

func (t *Team) clone() *Team {
	c := *t
	return &c
}

// TeamMembership is a row of Quay's TeamMember table: a user or a robot in
// a team. OrgID is the team's organization, so that a user's teams in one
// organization are one prefix of a key.
type TeamMembership struct {
	ID     int64
	TeamID int64
	OrgID  int64
	Member Entity // a user or a robot
}

func teamsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableTeams,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*Team]{
				key: func(t *Team) (rowKey, bool) { return keyOf().id(t.ID), true }}},
			// (organization, name), unique as in Quay: a team by name, and
			// an organization's teams.
			indexOrg: {Name: indexOrg, Unique: true, Indexer: keyIndex[*Team]{
				key: func(t *Team) (rowKey, bool) { return keyOf().id(t.OrgID).name(t.Name), true }}},
		},
	}
}

// The team members table has two indexes:
//   - id, (team, member): a team's members, and whether one belongs;
//   - member, (member, organization, team): a member's teams in one
//     organization (what a permission decision reads) or everywhere.
func teamMembersTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableTeamMembers,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: keyIndex[*TeamMembership]{
				key: func(m *TeamMembership) (rowKey, bool) { return m.Member.key(keyOf().id(m.TeamID)), true }}},
			indexMember: {Name: indexMember, Unique: true, Indexer: keyIndex[*TeamMembership]{
				key: func(m *TeamMembership) (rowKey, bool) { return m.Member.key(keyOf()).id(m.OrgID).id(m.TeamID), true }}},
		},
	}
}

// teamNameRE is VALID_TEAMNAME_REGEX under Python's re.match (see
// usernameRE): a final newline passes.
var teamNameRE = regexp.MustCompile(`^([a-z0-9]+(?:[._-][a-z0-9]+)*)\n?\z`)

// teamNameIssue is validate_team_name: the expression first (its message
// says "Namespace", as Quay's does), then the length.
func teamNameIssue(name string) string {
	if !teamNameRE.MatchString(name) {
		return "Namespace must match expression " + usernamePattern
	}
	if n := utf8.RuneCountInString(name); n < 2 || n > 255 {
		return "Team must be between 2 and 255 characters in length"
	}
	return ""
}

// --- lookups -----------------------------------------------------------------

func teamByIDTxn(txn *memdb.Txn, id int64) (*Team, bool) {
	return first[*Team](txn, tableTeams, indexID, keyOf().id(id))
}

func teamByNameTxn(txn *memdb.Txn, orgID int64, name string) (*Team, bool) {
	return first[*Team](txn, tableTeams, indexOrg, keyOf().id(orgID).name(name))
}

// organizationTeamTxn is Quay's get_organization_team: the team of the
// organization (not a user) named orgName.
func organizationTeamTxn(txn *memdb.Txn, orgName, teamName string) (*Namespace, *Team, bool) {
	org, ok := namespaceByNameTxn(txn, orgName)
	if !ok || !org.IsOrg() {
		return nil, nil, false
	}
	t, ok := teamByNameTxn(txn, org.ID, teamName)
	return org, t, ok
}

// teamsOfOrgTxn returns the organization's teams in id order.
func teamsOfOrgTxn(txn *memdb.Txn, orgID int64) []*Team {
	var out []*Team
	walkPrefix(txn, tableTeams, indexOrg, keyOf().id(orgID), func(t *Team) bool {
		out = append(out, t)
		return true
	})
	sortByID(out, func(t *Team) int64 { return t.ID })
	return out
}

func membershipTxn(txn *memdb.Txn, teamID int64, e Entity) (*TeamMembership, bool) {
	return first[*TeamMembership](txn, tableTeamMembers, indexID, e.key(keyOf().id(teamID)))
}

// membersOfTeamTxn returns a team's memberships in id order (the order
// Quay's databases return TeamMember rows in).
func membersOfTeamTxn(txn *memdb.Txn, teamID int64) []*TeamMembership {
	var out []*TeamMembership
	walkPrefix(txn, tableTeamMembers, indexID, keyOf().id(teamID), func(m *TeamMembership) bool {
		out = append(out, m)
		return true
	})
	sortByID(out, func(m *TeamMembership) int64 { return m.ID })
	return out
}

// teamsOfMemberTxn calls fn for each team the entity belongs to in the
// organization (every organization when orgID is 0), in team id order.
func teamsOfMemberTxn(txn *memdb.Txn, e Entity, orgID int64, fn func(*Team) bool) {
	prefix := e.key(keyOf())
	if orgID != 0 {
		prefix = prefix.id(orgID)
	}
	var teamIDs []int64
	walkPrefix(txn, tableTeamMembers, indexMember, prefix, func(m *TeamMembership) bool {
		teamIDs = append(teamIDs, m.TeamID)
		return true
	})
	slices.Sort(teamIDs) // per organization the walk is in team id order already
	for _, id := range teamIDs {
		t, ok := teamByIDTxn(txn, id)
		if ok && !fn(t) {
			return
		}
	}
}

// adminTeamNamesTxn is Quay's __get_user_admin_teams: the names of the
// admin teams the user belongs to in the organization, in team id order.
func adminTeamNamesTxn(txn *memdb.Txn, orgID int64, e Entity) []string {
	var names []string
	teamsOfMemberTxn(txn, e, orgID, func(t *Team) bool {
		if t.Role == TeamAdmin {
			names = append(names, t.Name)
		}
		return true
	})
	return names
}

// isOrgMemberTxn reports whether the entity belongs to any team of the
// organization: Quay's organization membership.
func isOrgMemberTxn(txn *memdb.Txn, orgID int64, e Entity) bool {
	found := false
	walkPrefix(txn, tableTeamMembers, indexMember, e.key(keyOf()).id(orgID), func(*TeamMembership) bool {
		found = true
		return false
	})
	return found
}

// --- reads -----------------------------------------------------------------

// Team returns the team of the organization with the given id.
func (r Reader) Team(orgID int64, name string) (*Team, bool) {
	return teamByNameTxn(r.txn, orgID, name)
}

// TeamByID returns the team with the given id.
func (r Reader) TeamByID(id int64) (*Team, bool) { return teamByIDTxn(r.txn, id) }

// OrganizationTeam is Quay's get_organization_team.
func (r Reader) OrganizationTeam(orgName, teamName string) (*Namespace, *Team, bool) {
	return organizationTeamTxn(r.txn, orgName, teamName)
}

// Teams returns the organization's teams in id order.
func (r Reader) Teams(orgID int64) []*Team { return teamsOfOrgTxn(r.txn, orgID) }

// TeamMembers returns the team's members (users and robots) in the order
// they joined.
func (r Reader) TeamMembers(teamID int64) []*TeamMembership { return membersOfTeamTxn(r.txn, teamID) }

// CountTeamMembers returns how many members the team has.
func (r Reader) CountTeamMembers(teamID int64) int {
	n := 0
	walkPrefix(r.txn, tableTeamMembers, indexID, keyOf().id(teamID), func(*TeamMembership) bool {
		n++
		return true
	})
	return n
}

// TeamsOf calls fn for each team the entity belongs to in the organization
// (every organization when orgID is 0), in team id order, until fn returns
// false: Quay's get_user_teams_within_org and get_org_wide_permissions.
func (r Reader) TeamsOf(e Entity, orgID int64, fn func(*Team) bool) {
	teamsOfMemberTxn(r.txn, e, orgID, fn)
}

// IsOrgMember reports whether the entity is in any team of the
// organization.
func (r Reader) IsOrgMember(orgID int64, e Entity) bool { return isOrgMemberTxn(r.txn, orgID, e) }

// IsOrgAdmin is Quay's is_org_admin: the entity is in an admin team of the
// organization (whatever a token's scopes say).
func (r Reader) IsOrgAdmin(orgID int64, e Entity) bool {
	return len(adminTeamNamesTxn(r.txn, orgID, e)) > 0
}

// OrgMembership is one row of Quay's list_organization_members_by_teams:
// a member in one team.
type OrgMembership struct {
	Team   *Team
	Member *TeamMembership
}

// OrganizationMembersByTeams is Quay's list_organization_members_by_teams:
// every (team, member) pair of the organization, teams in id order and
// each team's members in the order they joined (the order Quay's database
// answers the join in).
func (r Reader) OrganizationMembersByTeams(orgID int64) []OrgMembership {
	var out []OrgMembership
	for _, t := range teamsOfOrgTxn(r.txn, orgID) {
		for _, m := range membersOfTeamTxn(r.txn, t.ID) {
			out = append(out, OrgMembership{Team: t, Member: m})
		}
	}
	return out
}

// --- model functions (data/model/team.py) ----------------------------------

// createTeamTxn is Quay's create_team.
func createTeamTxn(txn *memdb.Txn, name string, org *Namespace, role TeamRole, description string) (*Team, error) {
	if issue := teamNameIssue(name); issue != "" {
		return nil, modelError("Invalid team name " + name + ": " + issue)
	}
	if !org.IsOrg() {
		return nil, modelError("Specified organization " + org.Name + " was not an organization")
	}
	if hasNUL(description) {
		return nil, nulLiteral() // Team.create binds it
	}
	t := &Team{ID: nextIDTxn(txn, seqTeam), OrgID: org.ID, Name: name, Role: role, Description: description}
	insert(txn, tableTeams, t)
	return t, nil
}

// addToTeamTxn is Quay's add_user_to_team.
func addToTeamTxn(txn *memdb.Txn, acct Account, t *Team) error {
	e := acct.Entity()
	if _, in := membershipTxn(txn, t.ID, e); in {
		return modelError("User " + acct.Name + " is already a member of team " + t.Name)
	}
	insert(txn, tableTeamMembers, &TeamMembership{ID: nextIDTxn(txn, seqTeamMember), TeamID: t.ID, OrgID: t.OrgID, Member: e})
	return nil
}

// deleteTeamTxn removes a team with its members, invites, repository
// permissions and the default permissions that delegate to it
// (Team.delete_instance(recursive=True, delete_nullable=True)).
func deleteTeamTxn(txn *memdb.Txn, t *Team) {
	for _, m := range membersOfTeamTxn(txn, t.ID) {
		remove(txn, tableTeamMembers, m)
	}
	for _, inv := range invitesOfTeamTxn(txn, t.ID) {
		remove(txn, tableTeamInvites, inv)
	}
	deletePermissionsOfTxn(txn, TeamEntity(t.ID))
	deletePrototypesNamingTxn(txn, TeamEntity(t.ID))
	remove(txn, tableTeams, t)
}

// deleteMembershipsOfTxn removes the entity from every team.
func deleteMembershipsOfTxn(txn *memdb.Txn, e Entity) {
	deleteMembershipsInTxn(txn, e, 0)
}

// deleteMembershipsInTxn removes the entity from every team of the
// organization (every organization when orgID is 0).
func deleteMembershipsInTxn(txn *memdb.Txn, e Entity, orgID int64) {
	prefix := e.key(keyOf())
	if orgID != 0 {
		prefix = prefix.id(orgID)
	}
	var doomed []*TeamMembership
	walkPrefix(txn, tableTeamMembers, indexMember, prefix, func(m *TeamMembership) bool {
		doomed = append(doomed, m)
		return true
	})
	for _, m := range doomed {
		remove(txn, tableTeamMembers, m)
	}
}

// deleteTeamsOfTxn deletes every team of organization n (the first step of
// Quay's _delete_user_linked_data for an organization).
func deleteTeamsOfTxn(txn *memdb.Txn, n *Namespace) {
	for _, t := range teamsOfOrgTxn(txn, n.ID) {
		deleteTeamTxn(txn, t)
	}
}

// --- writes ----------------------------------------------------------------

// TeamUpdate describes updateOrganizationTeam: create the team when the
// organization has none of that name, else change its description and
// role. Description nil leaves it alone (a new team gets "").
type TeamUpdate struct {
	Org, Team   string
	Role        TeamRole
	Description *string
	// SetBy is the caller, whose last admin team may not be downgraded.
	SetBy Entity

	CreateLog      Action              // org_create_team
	DescriptionLog func(string) Action // org_set_team_description, given the new text
	RoleLog        Action              // org_set_team_role
}

// UpdateTeam is updateOrganizationTeam's model work, in Quay's order. For a
// new team: the organization must exist (*ModelError "Organization does not
// exist: ...", which a user's name also gets) and the name be valid. For an
// existing one the description is saved and logged first, then the role
// (set_team_org_permission, which refuses to take the caller's last admin
// team away, keeping the description change). It returns the team and
// whether it is new.
func (s *Store) UpdateTeam(upd TeamUpdate) (*Team, bool, error) {
	var team *Team
	isNew := false
	err := s.write(func(txn *memdb.Txn) error {
		org, t, ok := organizationTeamTxn(txn, upd.Org, upd.Team)
		if !ok {
			if org == nil {
				return modelError("Organization does not exist: " + upd.Org)
			}
			description := ""
			if upd.Description != nil {
				description = *upd.Description
			}
			created, err := createTeamTxn(txn, upd.Team, org, upd.Role, description)
			if err != nil {
				return err
			}
			team, isNew = created, true
			return logActionTxn(txn, upd.CreateLog)
		}
		team = t
		if upd.Description != nil && t.Description != *upd.Description {
			if hasNUL(*upd.Description) {
				return nulLiteral() // team.save() binds it
			}
			c := team.clone()
			c.Description = *upd.Description
			insert(txn, tableTeams, c)
			team = c
			if err := logActionTxn(txn, upd.DescriptionLog(c.Description)); err != nil {
				return err
			}
		}
		if team.Role != upd.Role {
			if team.Role == TeamAdmin {
				admin := adminTeamNamesTxn(txn, org.ID, upd.SetBy)
				if slices.Contains(admin, team.Name) && len(admin) <= 1 {
					return keepChanges{modelError("Cannot remove admin from team '" + team.Name +
						"' because calling user would no longer have admin on org '" + org.Name + "'")}
				}
			}
			c := team.clone()
			c.Role = upd.Role
			insert(txn, tableTeams, c)
			team = c
			return logActionTxn(txn, upd.RoleLog)
		}
		return nil
	})
	return team, isNew, err
}

// DeleteTeam is deleteOrganizationTeam's model work (Quay's remove_team),
// then audit: the team must be one of the organization's (*ModelError
// otherwise), and an admin team may not be the remover's only one. A
// remover in no admin team at all makes Quay's check index an empty list:
// a crash.
func (s *Store) DeleteTeam(orgName, teamName string, removedBy Entity, audit Action) error {
	return s.write(func(txn *memdb.Txn) error {
		org, t, ok := organizationTeamTxn(txn, orgName, teamName)
		if !ok {
			return modelError("Team '" + teamName + "' is not a team in org '" + orgName + "'")
		}
		if t.Role == TeamAdmin {
			admin := adminTeamNamesTxn(txn, org.ID, removedBy)
			if len(admin) == 0 {
				return crash("IndexError: list index out of range (remove_team: the remover is in no admin team)")
			}
			if len(admin) == 1 && admin[0] == teamName {
				removerName := ""
				if acct, ok := accountOfTxn(txn, removedBy); ok {
					removerName = acct.Name
				}
				return modelError("Deleting team '" + teamName + "' would remove admin ability for user '" +
					removerName + "' in organization '" + orgName + "'")
			}
		}
		deleteTeamTxn(txn, t)
		return logActionTxn(txn, audit)
	})
}

// RemoveTeamMember is deleteOrganizationTeamMember's model work. The team
// must exist and member must be a user or robot (ErrNotFound otherwise).
// A pending invite of the member to the team is deleted instead when there
// is one (inviteLog is written, and removedInvite is true); else the
// member leaves the team (Quay's remove_user_from_team, whose refusals are
// *ModelError) and removeLog is written.
func (s *Store) RemoveTeamMember(orgName, teamName, member string, removedBy Entity,
	inviteLog, removeLog Action) (removedInvite bool, err error) {
	err = s.write(func(txn *memdb.Txn) error {
		_, t, ok := organizationTeamTxn(txn, orgName, teamName)
		if !ok {
			return ErrNotFound
		}
		acct, ok := accountByNameTxn(txn, member)
		if !ok {
			return ErrNotFound
		}
		if !acct.Robot {
			if inv, ok := userInviteTxn(txn, t.ID, acct.ID); ok {
				remove(txn, tableTeamInvites, inv)
				removedInvite = true
				return logActionTxn(txn, inviteLog)
			}
		}
		m, ok := membershipTxn(txn, t.ID, acct.Entity())
		if !ok {
			return modelError("User " + member + " does not belong to team " + teamName)
		}
		if acct.Entity() == removedBy {
			admin := adminTeamNamesTxn(txn, t.OrgID, removedBy)
			if slices.Contains(admin, teamName) && len(admin) <= 1 {
				return modelError("User cannot remove themselves from their only admin team.")
			}
		}
		remove(txn, tableTeamMembers, m)
		return logActionTxn(txn, removeLog)
	})
	return removedInvite, err
}
