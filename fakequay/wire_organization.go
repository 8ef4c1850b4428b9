package fakequay

import (
	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The views of endpoints/api/organization.py. org_view adds keys by who
// asks, so it is built as an ordered object (a Python dict); the others
// have fixed keys, in Quay's order.

// orgTeamView is organization.py's team_view, inside org_view's "teams".
type orgTeamView struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Role        string        `json:"role"`
	Avatar      avatar.Avatar `json:"avatar"`
	CanView     bool          `json:"can_view"`
	RepoCount   int           `json:"repo_count"`
	MemberCount int           `json:"member_count"`
	IsSynced    bool          `json:"is_synced"`
}

// teamRefView is a team inside a member view.
type teamRefView struct {
	Name   string        `json:"name"`
	Avatar avatar.Avatar `json:"avatar"`
}

// orgMemberView is an entry of getOrganizationMembers and the answer of
// getOrganizationMember.
type orgMemberView struct {
	Name         string        `json:"name"`
	Kind         string        `json:"kind"`
	Avatar       avatar.Avatar `json:"avatar"`
	Teams        []teamRefView `json:"teams"`
	Repositories []string      `json:"repositories"`
}

type orgMembersView struct {
	Members []*orgMemberView `json:"members"`
}

// collaboratorView is an entry of getOrganizationCollaborators.
type collaboratorView struct {
	Kind         string        `json:"kind"`
	Name         string        `json:"name"`
	Avatar       avatar.Avatar `json:"avatar"`
	Repositories []string      `json:"repositories"`
}

type collaboratorsView struct {
	Collaborators []*collaboratorView `json:"collaborators"`
}

// accountAvatar is avatar.get_data_for_user: kind "robot" for a robot,
// "user" for anyone else (organizations too).
func accountAvatar(a store.Account) avatar.Avatar {
	kind := avatar.KindUser
	if a.Robot {
		kind = avatar.KindRobot
	}
	return avatar.Compute(a.Name, a.Email, kind)
}

// teamAvatar is avatar.get_data_for_team: the name is also the hash source.
func teamAvatar(name string) avatar.Avatar { return avatar.Compute(name, name, avatar.KindTeam) }

func teamRef(t *store.Team) teamRefView { return teamRefView{Name: t.Name, Avatar: teamAvatar(t.Name)} }

// accountKind is a member view's kind.
func accountKind(a store.Account) string {
	if a.Robot {
		return "robot"
	}
	return "user"
}

// organizationView is org_view(o, teams) for the caller. withTeams is
// whether the handler passed teams (not None); tagExpiration, when not
// nil, is the tag_expiration_s the caller just set, which Quay answers
// with as the request gave it (604800.0 stays a float).
func (s *Server) organizationView(c *call, o *store.Namespace, withTeams bool, tagExpiration any) *py.Object {
	isAdmin := c.can(administerOrganization(o.Name))
	isMember := c.can(organizationMember(o.Name))
	// Global read-only superusers always view, superusers with full access.
	asSuperuser := c.isGlobalReadonly() || c.superuserWithFullAccess()
	if asSuperuser {
		isAdmin, isMember = true, true
	}
	email := ""
	if (isAdmin || asSuperuser) && store.ValidEmail(o.Email) {
		email = o.Email
	}
	v := py.NewObject()
	v.Set("name", o.Name)
	v.Set("email", email)
	v.Set("avatar", accountAvatar(store.Account{Name: o.Name, Email: o.Email}))
	v.Set("is_admin", isAdmin)
	v.Set("is_member", isMember)
	if withTeams {
		var viewable map[string]bool // nil: every team
		if !asSuperuser && !isAdmin {
			viewable = c.viewableTeams(o)
		}
		teams := py.NewObject()
		ordered := []string{}
		for _, t := range c.read.Teams(o.ID) {
			teams.Set(t.Name, orgTeamView{
				Name: t.Name, Description: t.Description, Role: t.Role.String(), Avatar: teamAvatar(t.Name),
				CanView:     viewable == nil || viewable[t.Name],
				RepoCount:   c.read.CountPermissionsOf(store.TeamEntity(t.ID)),
				MemberCount: c.read.CountTeamMembers(t.ID),
			})
			ordered = append(ordered, t.Name)
		}
		v.Set("teams", teams)
		v.Set("ordered_teams", ordered)
	}
	if isAdmin {
		st := o.Setting()
		v.Set("invoice_email", st.InvoiceEmail)
		v.Set("invoice_email_address", st.InvoiceEmailAddress)
		if tagExpiration != nil {
			v.Set("tag_expiration_s", tagExpiration)
		} else {
			v.Set("tag_expiration_s", st.TagExpirationS)
		}
		v.Set("is_free_account", true) // fakequay has no billing: no stripe_id
	}
	if (isAdmin || isMember) && s.quotaViewsEnabled() {
		pv := s.newPageViews(c.read)
		quotas, report := pv.quotaFields(o, pv.quota(o))
		v.Set("quotas", *quotas)
		v.Set("quota_report", *report)
	}
	return v
}
