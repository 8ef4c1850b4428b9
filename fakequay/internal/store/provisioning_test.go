package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-memdb"
)

// The provisioning model (issue 11): organizations, teams, members,
// invites, robots, repositories, permissions and prototypes, after Quay's
// data/model/{organization,team,repository,permission,user}.py.

var provTime = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// provFixture is a small copy of Quay's buynlarge fixture:
//
//	users    devtable (1), public (2), reader (3), creator (4), outside (5)
//	org      buynlarge (6): owners (admin) devtable, buynlarge+ownerbot;
//	         creators (creator) creator; readers (member) public, reader,
//	         with an invite for outside (code "urn:teaminvite:outside")
//	robots   buynlarge+ownerbot, buynlarge+coolrobot, devtable+dtrobot
//	repos    buynlarge/orgrepo (readers: read, outside: read,
//	         buynlarge+coolrobot: write), devtable/simple (public)
//	protos   (devtable) -> public read; readers read; (public) -> devtable write
func provFixture(t *testing.T) *Store {
	t.Helper()
	s := New()
	err := s.Load(func(l *Loader) error {
		ids := map[string]int64{}
		for _, n := range []Namespace{
			{Name: "devtable", Kind: KindUser, Email: "devtable@example.com", Enabled: true, Verified: true},
			{Name: "public", Kind: KindUser, Email: "public@example.com", Enabled: true, Verified: true},
			{Name: "reader", Kind: KindUser, Email: "reader@example.com", Enabled: true, Verified: true},
			{Name: "creator", Kind: KindUser, Email: "creator@example.com", Enabled: true, Verified: true},
			{Name: "outside", Kind: KindUser, Email: "outside@example.com", Enabled: true, Verified: true},
			{Name: "buynlarge", Kind: KindOrg, Email: "quay@example.com", Enabled: true},
		} {
			row, err := l.AddNamespace(n)
			if err != nil {
				return err
			}
			ids[n.Name] = row.ID
		}
		robot := func(owner, short string) int64 {
			rb, err := l.AddRobot(ids[owner], Robot{ShortName: short, Email: short + "-email", Token: short + "-token", Created: provTime})
			if err != nil {
				t.Fatal(err)
			}
			return rb.ID
		}
		ownerbot, coolrobot := robot("buynlarge", "ownerbot"), robot("buynlarge", "coolrobot")
		robot("devtable", "dtrobot")
		team := func(name string, role TeamRole, members ...Entity) *Team {
			tm, err := l.AddTeam(ids["buynlarge"], name, role, name+" team")
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range members {
				if err := l.AddTeamMember(tm.ID, m); err != nil {
					t.Fatal(err)
				}
			}
			return tm
		}
		team("owners", TeamAdmin, UserEntity(ids["devtable"]), RobotEntity(ownerbot))
		team("creators", TeamCreator, UserEntity(ids["creator"]))
		readers := team("readers", TeamMember, UserEntity(ids["public"]), UserEntity(ids["reader"]))
		if _, err := l.AddTeamInvite(TeamInvite{TeamID: readers.ID, UserID: ids["outside"], InviterID: ids["devtable"],
			Token: "urn:teaminvite:outside"}); err != nil {
			return err
		}
		orgrepo, err := l.AddRepository(Repository{NamespaceID: ids["buynlarge"], Name: "orgrepo"})
		if err != nil {
			return err
		}
		if _, err := l.AddRepository(Repository{NamespaceID: ids["devtable"], Name: "simple", Public: true}); err != nil {
			return err
		}
		for e, role := range map[Entity]Role{TeamEntity(readers.ID): RoleRead, UserEntity(ids["outside"]): RoleRead,
			RobotEntity(coolrobot): RoleWrite} {
			if _, err := l.SetPermission(orgrepo, e, role); err != nil {
				return err
			}
		}
		for i, p := range []Prototype{
			{ActivatingUserID: ids["devtable"], Delegate: UserEntity(ids["public"]), Role: RoleRead},
			{Delegate: TeamEntity(readers.ID), Role: RoleRead},
			{ActivatingUserID: ids["public"], Delegate: UserEntity(ids["devtable"]), Role: RoleWrite},
		} {
			p.OrgID, p.UUID = ids["buynlarge"], fmt.Sprintf("proto-%d", i+1)
			if _, err := l.AddPrototype(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("loading the fixture: %v", err)
	}
	return s
}

// provState is the provisioning tables as names, each list sorted, for
// whole-state comparisons.
type provState struct {
	Teams      []string // "org/team role"
	Members    []string // "org/team: member"
	Invites    []string // "org/team: user-or-email by inviter"
	Robots     []string
	Repos      []string
	Perms      []string // "ns/repo entity role"
	Prototypes []string // "org: activating -> delegate role"
}

func observeProv(t *testing.T, s *Store) provState {
	t.Helper()
	r := s.Read()
	if err := r.CheckInvariants(); err != nil {
		t.Errorf("invariants: %v", err)
	}
	var st provState
	nsName := func(id int64) string {
		if n, ok := r.NamespaceByID(id); ok {
			return n.Name
		}
		return fmt.Sprint(id)
	}
	entity := func(e Entity) string {
		if e.Kind == EntityTeam {
			t, _ := r.TeamByID(e.ID)
			return "team " + t.Name
		}
		a, _ := r.Account(e)
		return a.Name
	}
	r.AllNamespaces(func(n *Namespace) bool {
		r.Robots(n.ID, func(rb *Robot) bool {
			st.Robots = append(st.Robots, RobotName(n.Name, rb.ShortName))
			return true
		})
		for _, tm := range r.Teams(n.ID) {
			st.Teams = append(st.Teams, n.Name+"/"+tm.Name+" "+tm.Role.String())
			for _, m := range r.TeamMembers(tm.ID) {
				st.Members = append(st.Members, n.Name+"/"+tm.Name+": "+entity(m.Member))
			}
			for _, inv := range r.TeamInvites(tm.ID) {
				who := inv.Email
				if inv.UserID != 0 {
					who = nsName(inv.UserID)
				}
				st.Invites = append(st.Invites, n.Name+"/"+tm.Name+": "+who+" by "+nsName(inv.InviterID))
			}
		}
		r.Repositories(n.ID, 0, func(repo *Repository) bool {
			st.Repos = append(st.Repos, n.Name+"/"+repo.Name)
			for _, p := range r.RepositoryPermissions(repo) {
				st.Perms = append(st.Perms, n.Name+"/"+repo.Name+" "+entity(p.Entity)+" "+p.Role.String())
			}
			return true
		})
		for _, p := range r.Prototypes(n.ID) {
			act := "anyone"
			if p.ActivatingUserID != 0 {
				act = nsName(p.ActivatingUserID)
			}
			st.Prototypes = append(st.Prototypes, n.Name+": "+act+" -> "+entity(p.Delegate)+" "+p.Role.String())
		}
		return true
	})
	for _, l := range [][]string{st.Teams, st.Members, st.Invites, st.Robots, st.Repos, st.Perms, st.Prototypes} {
		slices.Sort(l)
	}
	return st
}

// fixtureProv is provFixture's state.
func fixtureProv() provState {
	return provState{
		Teams: []string{"buynlarge/creators creator", "buynlarge/owners admin", "buynlarge/readers member"},
		Members: []string{"buynlarge/creators: creator", "buynlarge/owners: buynlarge+ownerbot", "buynlarge/owners: devtable",
			"buynlarge/readers: public", "buynlarge/readers: reader"},
		Invites: []string{"buynlarge/readers: outside by devtable"},
		Robots:  []string{"buynlarge+coolrobot", "buynlarge+ownerbot", "devtable+dtrobot"},
		Repos:   []string{"buynlarge/orgrepo", "devtable/simple"},
		Perms: []string{"buynlarge/orgrepo buynlarge+coolrobot write", "buynlarge/orgrepo outside read",
			"buynlarge/orgrepo team readers read"},
		Prototypes: []string{"buynlarge: anyone -> team readers read", "buynlarge: devtable -> public read",
			"buynlarge: public -> devtable write"},
	}
}

func provID(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	if n, ok := s.Read().Namespace(name); ok {
		return n.ID
	}
	t.Fatalf("no namespace %s", name)
	return 0
}

func logAt(kind, account string) Action {
	return Action{Kind: kind, Account: account, Time: provTime}
}

func logKinds(s *Store) []string {
	var out []string
	s.Read().AllLogs(func(e *LogEntry) bool { out = append(out, e.Kind); return true })
	return out
}

// edit returns the fixture state changed by fn.
func edit(fn func(*provState)) provState {
	st := fixtureProv()
	fn(&st)
	for _, l := range [][]string{st.Teams, st.Members, st.Invites, st.Robots, st.Repos, st.Perms, st.Prototypes} {
		slices.Sort(l)
	}
	return st
}

func without(list []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return slices.Contains(drop, s) })
}

func TestProvisioningWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		op       func(t *testing.T, s *Store) error
		wantErr  string // "" for success; the model message, or "crash", or "not found"
		want     provState
		wantLogs []string
	}{
		{
			name: "create_organization: owners team with the creator (organization.py)",
			op: func(t *testing.T, s *Store) error {
				email := "new@example.com"
				_, err := s.CreateOrganization(NewOrganization{Name: "neworg", Email: &email, RequireEmail: true,
					CreatorID: provID(t, s, "reader"), Audit: logAt("org_create", "neworg")})
				return err
			},
			want: edit(func(st *provState) {
				st.Teams = append(st.Teams, "neworg/owners admin")
				st.Members = append(st.Members, "neworg/owners: reader")
			}),
			wantLogs: []string{"org_create"},
		},
		{
			name: "create_organization: an address a user has is refused",
			op: func(t *testing.T, s *Store) error {
				email := "public@example.com"
				_, err := s.CreateOrganization(NewOrganization{Name: "neworg", Email: &email, CreatorID: provID(t, s, "reader"), Audit: logAt("org_create", "neworg")})
				return err
			},
			wantErr: "Email has already been used: public@example.com", want: fixtureProv(),
		},
		{
			name: "create_organization: an organization's address may be shared",
			op: func(t *testing.T, s *Store) error {
				email := "quay@example.com"
				_, err := s.CreateOrganization(NewOrganization{Name: "neworg", Email: &email, CreatorID: provID(t, s, "reader"), Audit: logAt("org_create", "neworg")})
				return err
			},
			want: edit(func(st *provState) {
				st.Teams = append(st.Teams, "neworg/owners admin")
				st.Members = append(st.Members, "neworg/owners: reader")
			}),
			wantLogs: []string{"org_create"},
		},
		{
			name: "create_organization: invalid name",
			op: func(t *testing.T, s *Store) error {
				_, err := s.CreateOrganization(NewOrganization{Name: "Bad", PlaceholderEmail: "x", CreatorID: provID(t, s, "reader"), Audit: logAt("org_create", "Bad")})
				return err
			},
			wantErr: "Invalid namespace Bad: Namespace must match expression ^([a-z0-9]+(?:[._-][a-z0-9]+)*)$", want: fixtureProv(),
		},
		{
			name: "create_team, then set_team_org_permission",
			op: func(t *testing.T, s *Store) error {
				desc := "devs"
				_, isNew, err := s.UpdateTeam(TeamUpdate{Org: "buynlarge", Team: "devs", Role: TeamMember, Description: &desc,
					CreateLog: logAt("org_create_team", "buynlarge")})
				if err != nil || !isNew {
					return fmt.Errorf("create: new %v, %v", isNew, err)
				}
				desc = "developers"
				_, isNew, err = s.UpdateTeam(TeamUpdate{Org: "buynlarge", Team: "devs", Role: TeamCreator, Description: &desc,
					DescriptionLog: func(string) Action { return logAt("org_set_team_description", "buynlarge") },
					RoleLog:        logAt("org_set_team_role", "buynlarge")})
				if isNew {
					return errors.New("update made a new team")
				}
				return err
			},
			want:     edit(func(st *provState) { st.Teams = append(st.Teams, "buynlarge/devs creator") }),
			wantLogs: []string{"org_create_team", "org_set_team_description", "org_set_team_role"},
		},
		{
			name: "set_team_org_permission: the caller's only admin team stays admin; the description change is kept",
			op: func(t *testing.T, s *Store) error {
				desc := "changed"
				_, _, err := s.UpdateTeam(TeamUpdate{Org: "buynlarge", Team: "owners", Role: TeamMember, Description: &desc,
					SetBy:          UserEntity(provID(t, s, "devtable")),
					DescriptionLog: func(string) Action { return logAt("org_set_team_description", "buynlarge") }})
				return err
			},
			wantErr:  "Cannot remove admin from team 'owners' because calling user would no longer have admin on org 'buynlarge'",
			want:     fixtureProv(),
			wantLogs: []string{"org_set_team_description"},
		},
		{
			name: "set_team_org_permission: a caller outside the team may downgrade it",
			op: func(t *testing.T, s *Store) error {
				_, _, err := s.UpdateTeam(TeamUpdate{Org: "buynlarge", Team: "owners", Role: TeamMember,
					SetBy: UserEntity(provID(t, s, "reader")), RoleLog: logAt("org_set_team_role", "buynlarge")})
				return err
			},
			want: edit(func(st *provState) {
				st.Teams = append(without(st.Teams, "buynlarge/owners admin"), "buynlarge/owners member")
			}),
			wantLogs: []string{"org_set_team_role"},
		},
		{
			name: "create_team on a user's name: Organization does not exist",
			op: func(t *testing.T, s *Store) error {
				_, _, err := s.UpdateTeam(TeamUpdate{Org: "reader", Team: "devs", Role: TeamMember})
				return err
			},
			wantErr: "Organization does not exist: reader", want: fixtureProv(),
		},
		{
			name: "remove_team: members, invites, permissions and prototypes go with it",
			op: func(t *testing.T, s *Store) error {
				return s.DeleteTeam("buynlarge", "readers", UserEntity(provID(t, s, "devtable")), logAt("org_delete_team", "buynlarge"))
			},
			want: edit(func(st *provState) {
				st.Teams = without(st.Teams, "buynlarge/readers member")
				st.Members = without(st.Members, "buynlarge/readers: public", "buynlarge/readers: reader")
				st.Invites = nil
				st.Perms = without(st.Perms, "buynlarge/orgrepo team readers read")
				st.Prototypes = without(st.Prototypes, "buynlarge: anyone -> team readers read")
			}),
			wantLogs: []string{"org_delete_team"},
		},
		{
			name: "remove_team: not the remover's only admin team",
			op: func(t *testing.T, s *Store) error {
				return s.DeleteTeam("buynlarge", "owners", UserEntity(provID(t, s, "devtable")), logAt("org_delete_team", "buynlarge"))
			},
			wantErr: "Deleting team 'owners' would remove admin ability for user 'devtable' in organization 'buynlarge'",
			want:    fixtureProv(),
		},
		{
			name: "remove_team: a remover in no admin team crashes Quay (admin_teams[0] of an empty list)",
			op: func(t *testing.T, s *Store) error {
				return s.DeleteTeam("buynlarge", "owners", UserEntity(provID(t, s, "reader")), logAt("org_delete_team", "buynlarge"))
			},
			wantErr: "crash", want: fixtureProv(),
		},
		{
			name: "add_or_invite_to_team: a non-member is invited, and mailed",
			op: func(t *testing.T, s *Store) error {
				inv, added, err := s.AddOrInviteTeamMember(TeamAddition{Org: "buynlarge", Team: "creators", Member: "outside",
					InviterID: provID(t, s, "devtable"), RequireInvite: true, Token: "code-1", InvitedLog: logAt("org_invite_team_member", "buynlarge")})
				if err == nil && (inv == nil || added != nil) {
					return fmt.Errorf("invite %v, added %v", inv, added)
				}
				if got := s.Read().Mails(); len(got) != 1 || got[0].Kind != MailOrgInvite || got[0].To != "outside@example.com" || got[0].Code != "code-1" {
					return fmt.Errorf("outbox %+v", got)
				}
				return err
			},
			want:     edit(func(st *provState) { st.Invites = append(st.Invites, "buynlarge/creators: outside by devtable") }),
			wantLogs: []string{"org_invite_team_member"},
		},
		{
			name: "add_or_invite_to_team: a member of another team is added",
			op: func(t *testing.T, s *Store) error {
				_, added, err := s.AddOrInviteTeamMember(TeamAddition{Org: "buynlarge", Team: "creators", Member: "reader",
					InviterID: provID(t, s, "devtable"), RequireInvite: true, AddedLog: logAt("org_add_team_member", "buynlarge")})
				if err == nil && added == nil {
					return errors.New("not added")
				}
				return err
			},
			want:     edit(func(st *provState) { st.Members = append(st.Members, "buynlarge/creators: reader") }),
			wantLogs: []string{"org_add_team_member"},
		},
		{
			name: "add_or_invite_to_team: without invites (no mailing) a non-member is added",
			op: func(t *testing.T, s *Store) error {
				_, _, err := s.AddOrInviteTeamMember(TeamAddition{Org: "buynlarge", Team: "creators", Member: "outside",
					InviterID: provID(t, s, "devtable"), AddedLog: logAt("org_add_team_member", "buynlarge")})
				return err
			},
			want:     edit(func(st *provState) { st.Members = append(st.Members, "buynlarge/creators: outside") }),
			wantLogs: []string{"org_add_team_member"},
		},
		{
			name: "add_or_invite_to_team: another namespace's robot is refused",
			op: func(t *testing.T, s *Store) error {
				_, _, err := s.AddOrInviteTeamMember(TeamAddition{Org: "buynlarge", Team: "creators", Member: "devtable+dtrobot",
					InviterID: provID(t, s, "devtable"), RequireInvite: true})
				return err
			},
			wantErr: "Cannot add the specified robot to this team, as it is not a member of the organization", want: fixtureProv(),
		},
		{
			name: "add_user_to_team: already a member",
			op: func(t *testing.T, s *Store) error {
				_, _, err := s.AddOrInviteTeamMember(TeamAddition{Org: "buynlarge", Team: "owners", Member: "buynlarge+ownerbot",
					InviterID: provID(t, s, "devtable"), RequireInvite: true})
				return err
			},
			wantErr: "User buynlarge+ownerbot is already a member of team owners", want: fixtureProv(),
		},
		{
			name: "confirm_team_invite: the invited user joins",
			op: func(t *testing.T, s *Store) error {
				out, err := s.AcceptTeamInvite("urn:teaminvite:outside", provID(t, s, "outside"),
					func(InviteOutcome) Action { return logAt("org_team_member_invite_accepted", "buynlarge") })
				if err == nil && out != (InviteOutcome{Org: "buynlarge", Team: "readers", Inviter: "devtable"}) {
					return fmt.Errorf("outcome %+v", out)
				}
				return err
			},
			want: edit(func(st *provState) {
				st.Invites = nil
				st.Members = append(st.Members, "buynlarge/readers: outside")
			}),
			wantLogs: []string{"org_team_member_invite_accepted"},
		},
		{
			name: "confirm_team_invite: someone else's invite",
			op: func(t *testing.T, s *Store) error {
				_, err := s.AcceptTeamInvite("urn:teaminvite:outside", provID(t, s, "reader"), nil)
				return err
			},
			wantErr: "This invite is intended for user \"outside\".\n                 Please login to that account and try again.",
			want:    fixtureProv(),
		},
		{
			name: "delete_team_invite: the invited user declines",
			op: func(t *testing.T, s *Store) error {
				_, err := s.DeclineTeamInvite("urn:teaminvite:outside", provID(t, s, "outside"),
					func(InviteOutcome) Action { return logAt("org_team_member_invite_declined", "buynlarge") })
				return err
			},
			want:     edit(func(st *provState) { st.Invites = nil }),
			wantLogs: []string{"org_team_member_invite_declined"},
		},
		{
			name: "deleteOrganizationTeamMember: a pending invite goes first",
			op: func(t *testing.T, s *Store) error {
				removed, err := s.RemoveTeamMember("buynlarge", "readers", "outside", UserEntity(provID(t, s, "devtable")),
					logAt("org_delete_team_member_invite", "buynlarge"), logAt("org_remove_team_member", "buynlarge"))
				if err == nil && !removed {
					return errors.New("no invite removed")
				}
				return err
			},
			want:     edit(func(st *provState) { st.Invites = nil }),
			wantLogs: []string{"org_delete_team_member_invite"},
		},
		{
			name: "remove_user_from_team: not from one's only admin team",
			op: func(t *testing.T, s *Store) error {
				_, err := s.RemoveTeamMember("buynlarge", "owners", "devtable", UserEntity(provID(t, s, "devtable")), Action{}, Action{})
				return err
			},
			wantErr: "User cannot remove themselves from their only admin team.", want: fixtureProv(),
		},
		{
			name: "remove_user_from_team: not a member",
			op: func(t *testing.T, s *Store) error {
				_, err := s.RemoveTeamMember("buynlarge", "owners", "reader", UserEntity(provID(t, s, "devtable")), Action{}, Action{})
				return err
			},
			wantErr: "User reader does not belong to team owners", want: fixtureProv(),
		},
		{
			name: "remove_organization_member: every team and every permission in the org",
			op: func(t *testing.T, s *Store) error {
				return s.RemoveOrganizationMember("buynlarge", provID(t, s, "outside"))
			},
			want: edit(func(st *provState) { st.Perms = without(st.Perms, "buynlarge/orgrepo outside read") }),
		},
		{
			name: "remove_organization_member: the only admin user stays",
			op: func(t *testing.T, s *Store) error {
				return s.RemoveOrganizationMember("buynlarge", provID(t, s, "devtable"))
			},
			wantErr: "Cannot remove user as they are the only organization admin", want: fixtureProv(),
		},
		{
			name: "create_repository by a user in an org: admin for the creator, then the prototypes",
			op: func(t *testing.T, s *Store) error {
				_, err := s.CreateRepository(NewRepository{Namespace: "buynlarge", Name: "newrepo", CreatorID: provID(t, s, "devtable"),
					Audit: logAt("create_repo", "buynlarge")})
				return err
			},
			want: edit(func(st *provState) {
				st.Repos = append(st.Repos, "buynlarge/newrepo")
				st.Perms = append(st.Perms, "buynlarge/newrepo devtable admin", "buynlarge/newrepo team readers read",
					"buynlarge/newrepo public read")
			}),
			wantLogs: []string{"create_repo"},
		},
		{
			name: "create_repository: a prototype for the creator itself does not replace its admin",
			op: func(t *testing.T, s *Store) error {
				_, err := s.CreateRepository(NewRepository{Namespace: "buynlarge", Name: "newrepo", CreatorID: provID(t, s, "public")})
				return err
			},
			want: edit(func(st *provState) {
				st.Repos = append(st.Repos, "buynlarge/newrepo")
				st.Perms = append(st.Perms, "buynlarge/newrepo public admin", "buynlarge/newrepo team readers read",
					"buynlarge/newrepo devtable write")
			}),
		},
		{
			name: "create_repository in one's own namespace: admin, no prototypes",
			op: func(t *testing.T, s *Store) error {
				_, err := s.CreateRepository(NewRepository{Namespace: "reader", Name: "mine", CreatorID: provID(t, s, "reader")})
				return err
			},
			want: edit(func(st *provState) {
				st.Repos = append(st.Repos, "reader/mine")
				st.Perms = append(st.Perms, "reader/mine reader admin")
			}),
		},
		{
			name: "create_repository: the name is taken",
			op: func(t *testing.T, s *Store) error {
				_, err := s.CreateRepository(NewRepository{Namespace: "buynlarge", Name: "orgrepo", CreatorID: provID(t, s, "devtable")})
				if errors.Is(err, ErrRepositoryExists) {
					return errors.New("exists")
				}
				return err
			},
			wantErr: "exists", want: fixtureProv(),
		},
		{
			name: "delete_robot: its permissions and memberships go",
			op: func(t *testing.T, s *Store) error {
				if err := s.DeleteRobot("buynlarge+coolrobot", logAt("delete_robot", "buynlarge")); err != nil {
					return err
				}
				return s.DeleteRobot("buynlarge+ownerbot", Action{})
			},
			want: edit(func(st *provState) {
				st.Robots = without(st.Robots, "buynlarge+coolrobot", "buynlarge+ownerbot")
				st.Perms = without(st.Perms, "buynlarge/orgrepo buynlarge+coolrobot write")
				st.Members = without(st.Members, "buynlarge/owners: buynlarge+ownerbot")
			}),
			wantLogs: []string{"delete_robot"},
		},
		{
			name: "mark_namespace_for_deletion of an org: teams and robots go; repositories wait for the purge",
			op: func(t *testing.T, s *Store) error {
				return s.DeleteOrganization("buynlarge", logAt("org_delete", "buynlarge"), Tombstone{Name: "tomb", Email: "tomb@x"})
			},
			want: edit(func(st *provState) {
				st.Teams, st.Members, st.Invites = nil, nil, nil
				st.Robots = []string{"devtable+dtrobot"}
				st.Repos = []string{"devtable/simple", "tomb/orgrepo"}
				st.Perms = []string{"tomb/orgrepo outside read"}
				st.Prototypes = []string{"tomb: devtable -> public read", "tomb: public -> devtable write"}
			}),
			wantLogs: []string{"org_delete"},
		},
		{
			name: "namespace GC: the purge takes the org's repositories and prototypes",
			op: func(t *testing.T, s *Store) error {
				if err := s.DeleteOrganization("buynlarge", logAt("org_delete", "buynlarge"), Tombstone{Name: "tomb", Email: "tomb@x"}); err != nil {
					return err
				}
				_, err := s.PurgeDeletedNamespaces()
				return err
			},
			want:     provState{Robots: []string{"devtable+dtrobot"}, Repos: []string{"devtable/simple"}},
			wantLogs: []string{"org_delete"},
		},
		{
			name: "mark a user for deletion: teams left at once, permissions and prototypes at the purge",
			op: func(t *testing.T, s *Store) error {
				if err := s.DeleteUser("outside", logAt("user_delete", "outside"), Tombstone{Name: "tomb", Email: "tomb@x"}); err != nil {
					return err
				}
				if got := observeProv(t, s).Perms; !slices.Contains(got, "buynlarge/orgrepo tomb read") {
					return fmt.Errorf("before the purge, permissions %q", got)
				}
				_, err := s.PurgeDeletedNamespaces()
				return err
			},
			want: edit(func(st *provState) {
				st.Invites = nil
				st.Perms = without(st.Perms, "buynlarge/orgrepo outside read")
			}),
			wantLogs: []string{"user_delete"},
		},
		{
			name: "take_ownership of an org: the caller joins its first admin team",
			op: func(t *testing.T, s *Store) error {
				_, err := s.TakeOwnership("buynlarge", provID(t, s, "reader"), func(Ownership) Action { return logAt("take_ownership", "reader") })
				return err
			},
			want:     edit(func(st *provState) { st.Members = append(st.Members, "buynlarge/owners: reader") }),
			wantLogs: []string{"take_ownership"},
		},
		{
			name: "convert_user_to_organization: its own permissions go, an owners team holds the caller",
			op: func(t *testing.T, s *Store) error {
				_, err := s.TakeOwnership("outside", provID(t, s, "devtable"), func(Ownership) Action { return logAt("take_ownership", "devtable") })
				return err
			},
			want: edit(func(st *provState) {
				st.Teams = append(st.Teams, "outside/owners admin")
				st.Members = append(st.Members, "outside/owners: devtable")
				st.Perms = without(st.Perms, "buynlarge/orgrepo outside read")
			}),
			wantLogs: []string{"take_ownership"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := provFixture(t)
			err := tc.op(t, s)
			got := ""
			var me *ModelError
			var ce *CrashError
			switch {
			case err == nil:
			case errors.As(err, &me):
				got = me.Message
			case errors.As(err, &ce):
				got = "crash"
			default:
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("error %q, want %q", got, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, observeProv(t, s)); diff != "" {
				t.Errorf("state (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantLogs, logKinds(s)); diff != "" {
				t.Errorf("logs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyDefaultPermissionsPrecedence follows __apply_permission_list:
// per delegate, a prototype activated by the creator wins over one for
// anyone, the first of two for anyone wins, the last of two for the
// creator wins.
func TestApplyDefaultPermissionsPrecedence(t *testing.T) {
	t.Parallel()
	s := provFixture(t)
	dev, pub := provID(t, s, "devtable"), provID(t, s, "public")
	err := s.Load(func(l *Loader) error {
		org := provID(t, s, "buynlarge")
		for i, p := range []Prototype{
			{Delegate: UserEntity(provID(t, s, "creator")), Role: RoleWrite},                        // anyone: first wins
			{Delegate: UserEntity(provID(t, s, "creator")), Role: RoleAdmin},                        // skipped
			{Delegate: UserEntity(provID(t, s, "reader")), Role: RoleRead},                          // anyone
			{ActivatingUserID: dev, Delegate: UserEntity(provID(t, s, "reader")), Role: RoleWrite},  // replaces it
			{ActivatingUserID: dev, Delegate: UserEntity(provID(t, s, "reader")), Role: RoleAdmin},  // last for the creator wins
			{Delegate: UserEntity(provID(t, s, "reader")), Role: RoleRead},                          // skipped after a specific one
			{ActivatingUserID: pub, Delegate: UserEntity(provID(t, s, "outside")), Role: RoleAdmin}, // someone else's
		} {
			p.OrgID, p.UUID = org, fmt.Sprintf("extra-%d", i)
			if _, err := l.AddPrototype(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := s.CreateRepository(NewRepository{Namespace: "buynlarge", Name: "newrepo", CreatorID: dev})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Read().RepositoryPermissions(repo) {
		name := "team"
		if a, ok := s.Read().Account(p.Entity); ok {
			name = a.Name
		}
		got = append(got, name+" "+p.Role.String())
	}
	want := []string{"devtable admin", "team read", "public read", "creator write", "reader admin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("permissions in id order (-want +got):\n%s", diff)
	}
}

// TestProvisioningReads covers the lookups the permission model and the
// views use.
func TestProvisioningReads(t *testing.T) {
	t.Parallel()
	s := provFixture(t)
	r := s.Read()
	org := provID(t, s, "buynlarge")
	teamsOf := func(name string) []string {
		var out []string
		a, _ := r.UserOrRobot(name)
		r.TeamsOf(a.Entity(), org, func(tm *Team) bool { out = append(out, tm.Name); return true })
		return out
	}
	members := func() []string {
		var out []string
		for _, m := range r.OrganizationMembersByTeams(org) {
			a, _ := r.Account(m.Member.Member)
			out = append(out, m.Team.Name+":"+a.Name)
		}
		return out
	}
	robot, owner, ok := r.Robot("buynlarge+coolrobot")
	_, wrongToken := r.VerifyRobot("buynlarge+coolrobot", "nope")
	_, rightToken := r.VerifyRobot("buynlarge+coolrobot", "coolrobot-token")
	_, orgIsNoUser := r.UserOrRobot("buynlarge")
	got := map[string]any{
		"devtable teams": teamsOf("devtable"),
		"ownerbot teams": teamsOf("buynlarge+ownerbot"),
		"outside teams":  teamsOf("outside"),
		"members":        members(),
		"robot":          ok && owner.Name == "buynlarge" && robot.ShortName == "coolrobot",
		"robot token":    []bool{wrongToken, rightToken},
		"org admin":      []bool{r.IsOrgAdmin(org, UserEntity(provID(t, s, "devtable"))), r.IsOrgAdmin(org, UserEntity(provID(t, s, "reader")))},
		"org member":     []bool{r.IsOrgMember(org, UserEntity(provID(t, s, "reader"))), r.IsOrgMember(org, UserEntity(provID(t, s, "outside")))},
		"org as user":    orgIsNoUser,
		"admin users":    len(r.AdminUsers(org)),
	}
	want := map[string]any{
		"devtable teams": []string{"owners"},
		"ownerbot teams": []string{"owners"},
		"outside teams":  []string(nil),
		"members":        []string{"owners:devtable", "owners:buynlarge+ownerbot", "creators:creator", "readers:public", "readers:reader"},
		"robot":          true,
		"robot token":    []bool{false, true},
		"org admin":      []bool{true, false},
		"org member":     []bool{true, false},
		"org as user":    false,
		"admin users":    1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// TestCheckProvisioningInvariants breaks each rule of checkProvisioning by
// writing rows directly and checks that CheckInvariants names it.
func TestCheckProvisioningInvariants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		breakIt func(txn *memdb.Txn, s *Store)
		want    string
	}{
		{"a robot of no namespace", func(txn *memdb.Txn, _ *Store) {
			insert(txn, tableRobots, &Robot{ID: 1, OwnerID: 99, ShortName: "x"})
		}, "robot 1 shares its id with a namespace"},
		{"a member of no team", func(txn *memdb.Txn, _ *Store) {
			insert(txn, tableTeamMembers, &TeamMembership{ID: 1, TeamID: 99, OrgID: 6, Member: UserEntity(1)})
		}, "membership 1: team 99 does not exist"},
		{"a permission on no repository", func(txn *memdb.Txn, _ *Store) {
			insert(txn, tableRepoPermissions, &RepoPermission{ID: 1, NamespaceID: 6, RepoID: 99, Entity: UserEntity(1), Role: RoleRead})
		}, "permission 1: repository 6/99 does not exist"},
		{"a team permission across organizations", func(txn *memdb.Txn, s *Store) {
			insert(txn, tableRepoPermissions, &RepoPermission{ID: 1, NamespaceID: 1, RepoID: 2, Entity: TeamEntity(1), Role: RoleRead})
		}, "permission 1: team 1 is no team of namespace 1"},
		{"a prototype for a team that is gone", func(txn *memdb.Txn, _ *Store) {
			insert(txn, tablePrototypes, &Prototype{ID: 1, OrgID: 6, UUID: "x", Delegate: TeamEntity(99), Role: RoleRead})
		}, "prototype 1: team 99 is no team of organization 6"},
		{"an invite to no team", func(txn *memdb.Txn, _ *Store) {
			insert(txn, tableTeamInvites, &TeamInvite{ID: 1, TeamID: 99, OrgID: 6, Email: "x", InviterID: 1, Token: "t"})
		}, "invite 1: team 99 does not exist in organization 6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := provFixture(t)
			txn := s.db.Load().Txn(true)
			tc.breakIt(txn, s)
			txn.Commit()
			err := s.Read().CheckInvariants()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckInvariants = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestProvisioningReplays records the provisioning writes with a commit
// hook and rebuilds the state from the fixture's rows and the recorded
// changes after each: every row (the derived repository-name index
// included) and every provisioning read must come back.
func TestProvisioningReplays(t *testing.T) {
	t.Parallel()
	s := provFixture(t)
	base := rowsPayloads(t, s.Read())
	rec := &recorder{}
	s.SetCommitHook(rec.hook)
	dev := func() Entity { return UserEntity(provID(t, s, "devtable")) }
	steps := []struct {
		name string
		do   func() error
	}{
		{"create a team, change it", func() error {
			d := "x"
			if _, _, err := s.UpdateTeam(TeamUpdate{Org: "buynlarge", Team: "devs", Role: TeamMember, Description: &d,
				CreateLog: logAt("org_create_team", "buynlarge")}); err != nil {
				return err
			}
			_, _, err := s.UpdateTeam(TeamUpdate{Org: "buynlarge", Team: "devs", Role: TeamCreator, SetBy: dev(),
				RoleLog: logAt("org_set_team_role", "buynlarge")})
			return err
		}},
		{"invite, add, accept", func() error {
			if _, _, err := s.AddOrInviteTeamMember(TeamAddition{Org: "buynlarge", Team: "devs", Member: "outside",
				InviterID: dev().ID, RequireInvite: true, Token: "code-x", Time: provTime,
				InvitedLog: logAt("org_invite_team_member", "buynlarge")}); err != nil {
				return err
			}
			if _, _, err := s.AddOrInviteTeamMember(TeamAddition{Org: "buynlarge", Team: "devs", Member: "reader",
				InviterID: dev().ID, RequireInvite: true, AddedLog: logAt("org_add_team_member", "buynlarge")}); err != nil {
				return err
			}
			_, err := s.AcceptTeamInvite("code-x", provID(t, s, "outside"),
				func(InviteOutcome) Action { return logAt("org_team_member_invite_accepted", "buynlarge") })
			return err
		}},
		{"create repositories", func() error {
			for _, name := range []string{"a1", "b2", "c3"} {
				if _, err := s.CreateRepository(NewRepository{Namespace: "buynlarge", Name: name, CreatorID: dev().ID}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"remove a member, delete a robot and a team", func() error {
			if err := s.RemoveOrganizationMember("buynlarge", provID(t, s, "reader")); err != nil {
				return err
			}
			if err := s.DeleteRobot("buynlarge+coolrobot", Action{}); err != nil {
				return err
			}
			return s.DeleteTeam("buynlarge", "devs", dev(), logAt("org_delete_team", "buynlarge"))
		}},
		{"delete the organization, purge", func() error {
			if err := s.DeleteOrganization("buynlarge", logAt("org_delete", "buynlarge"), Tombstone{Name: "tomb", Email: "t@x"}); err != nil {
				return err
			}
			_, err := s.PurgeDeletedNamespaces()
			return err
		}},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		restored := New()
		if err := restored.Restore(rebuild(t, base, rec.changes)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(allRows(s.Read()), allRows(restored.Read()), exactTimes); diff != "" {
			t.Fatalf("after %q, rows (-want +got):\n%s", step.name, diff)
		}
		if diff := cmp.Diff(observeProv(t, s), observeProv(t, restored)); diff != "" {
			t.Fatalf("after %q, provisioning reads (-want +got):\n%s", step.name, diff)
		}
	}
}
