package snapshot

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// orgTeamsView is what getOrganization shows a superuser of an
// organization's teams: each by name, and their names in creation order.
type orgTeamsView struct {
	Teams map[string]struct {
		Description string `json:"description"`
		Role        string `json:"role"`
	} `json:"teams"`
	OrderedTeams []string `json:"ordered_teams"`
}

// teamMemberView is an entry of getOrganizationTeamMembers: a member
// (user or robot), or with Invited a pending invite, for a user (Name) or
// an e-mail address (Kind "invite").
type teamMemberView struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Email   string `json:"email"`
	Invited bool   `json:"invited"`
}

// readTeams reads every organization's teams in creation order
// (getOrganization's ordered_teams), each with its description, role,
// members in the order the API lists them and pending invites
// (getOrganizationTeamMembers?includePending=true). An invite's code and
// inviter show nowhere but in the invited user's notifications
// (endpoints/api/team.py handle_addinvite_team): they are read for the
// users of Options.Tokens; other invites get the caller (or the first
// superuser, when the caller is unknown) as inviter and a new code.
func readTeams(ctx context.Context, r *reader) error {
	inviter := r.caller
	if inviter == "" && r.seed.Config != nil && len(r.seed.Config.SuperUsers) > 0 {
		inviter = r.seed.Config.SuperUsers[0]
	}
	_, known := r.users[inviter]
	orgs := []int{} // indexes into r.views
	for i, ns := range r.views {
		if ns.org {
			orgs = append(orgs, i)
		}
	}
	found := make([][]fakequay.SeedTeam, len(orgs))
	hidden, dropped := make([]int, len(orgs)), make([]int, len(orgs))
	err := forEach(ctx, len(orgs), func(ctx context.Context, i int) error {
		name := r.views[orgs[i]].Name
		base := "organization/" + url.PathEscape(name)
		var org orgTeamsView
		if err := r.get(ctx, base, &org); err != nil {
			return err
		}
		if org.Teams == nil {
			hidden[i] = 1
			return nil
		}
		for _, tn := range org.OrderedTeams {
			t := fakequay.SeedTeam{Name: tn, Role: org.Teams[tn].Role, Description: org.Teams[tn].Description}
			var members struct {
				Members []teamMemberView `json:"members"`
			}
			if err := r.get(ctx, base+"/team/"+url.PathEscape(tn)+"/members?includePending=true", &members); err != nil {
				return err
			}
			for _, m := range members.Members {
				switch {
				case m.Invited && !known:
					dropped[i]++
				case !m.Invited:
					t.Members = append(t.Members, m.Name)
				case m.Kind == "invite":
					t.Invites = append(t.Invites, fakequay.SeedTeamInvite{Email: m.Email, Inviter: inviter})
				default:
					t.Invites = append(t.Invites, fakequay.SeedTeamInvite{User: m.Name, Inviter: inviter})
				}
			}
			found[i] = append(found[i], t)
		}
		return nil
	})
	if err != nil {
		return err
	}
	invites := 0
	for i, idx := range orgs {
		at := slicesIndexOrg(r.seed.Organizations, r.views[idx].Name)
		r.seed.Organizations[at].Teams = found[i]
		for _, t := range found[i] {
			invites += len(t.Invites)
		}
	}
	if n := sum(hidden); n > 0 {
		r.warnf("teams: the teams of %d organizations are not shown to the caller; fakequay gives them an empty owners team", n)
	}
	if n := sum(dropped); n > 0 {
		r.warnf("teams: %d pending invites left out: no seeded user to have sent them", n)
	}
	coded, err := readInviteCodes(ctx, r)
	if err != nil {
		return err
	}
	if invites > coded {
		r.warnf("teams: the codes and inviters of %d pending invites cannot be read (only the invited user's notifications show them); they get new codes and %s as inviter", invites-coded, inviter)
	}
	return nil
}

func slicesIndexOrg(orgs []fakequay.SeedOrganization, name string) int {
	for i, o := range orgs {
		if o.Name == name {
			return i
		}
	}
	return -1
}

// notificationsPage is a page of listUserNotifications.
type notificationsPage struct {
	Notifications []struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Code    string `json:"code"`
			Inviter string `json:"inviter"`
			Org     string `json:"org"`
			Team    string `json:"team"`
		} `json:"metadata"`
	} `json:"notifications"`
	Additional bool `json:"additional"`
}

// readInviteCodes reads the org_team_invite notifications of the users of
// Options.Tokens (listUserNotifications, as each), and gives the invites
// they name their code and inviter. It returns how many it filled.
func readInviteCodes(ctx context.Context, r *reader) (int, error) {
	known, seen, refusedUsers := 0, map[string]bool{}, []string{}
	for _, tok := range r.opts.Tokens {
		if seen[tok.User] {
			continue // read with another of its tokens
		}
		c, err := quay.NewClient(r.c.BaseURL().String(), quay.WithToken(tok.Token))
		if err != nil {
			return known, err
		}
		as := &reader{c: c, opts: r.opts}
		var p notificationsPage
		err = as.get(ctx, "user/notifications?limit=1000", &p)
		var qe *quay.Error
		switch {
		case errors.As(err, &qe) && (qe.StatusCode == 404 || qe.StatusCode == 405):
			r.warnf("teams: GET user/notifications answered %d: no invite codes are read", qe.StatusCode)
			return known, nil
		case refused(err):
			if !slices.Contains(refusedUsers, tok.User) {
				refusedUsers = append(refusedUsers, tok.User)
			}
			continue // this token lacks user:admin; another may have it
		case err != nil:
			return known, err
		}
		seen[tok.User] = true
		if p.Additional {
			r.warnf("teams: %s has more than 1000 notifications; the invite codes are read from the first 1000", tok.User)
		}
		for _, n := range p.Notifications {
			if n.Kind == "org_team_invite" && setInviteCode(r.seed.Organizations, tok.User, n.Metadata.Org, n.Metadata.Team,
				n.Metadata.Code, n.Metadata.Inviter) {
				known++
			}
		}
	}
	for _, u := range refusedUsers {
		if !seen[u] {
			r.warnf("teams: no token of %s may read its notifications (user:admin); its invite codes are not read", u)
		}
	}
	return known, nil
}

// setInviteCode gives user's invite to org's team its code and inviter.
func setInviteCode(orgs []fakequay.SeedOrganization, user, org, team, code, inviter string) bool {
	for i := range orgs {
		if orgs[i].Name != org {
			continue
		}
		for j := range orgs[i].Teams {
			t := &orgs[i].Teams[j]
			if t.Name != team {
				continue
			}
			for k := range t.Invites {
				if inv := &t.Invites[k]; inv.User == user && inv.Code == "" {
					inv.Code, inv.Inviter = code, inviter
					return true
				}
			}
		}
	}
	return false
}
