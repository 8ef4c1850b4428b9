package fakequay

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// Entity search: endpoints/api/search.py (getMatchingEntities), the
// autocomplete of users, robots, teams and the organization itself.

func searchRoutes() []*route {
	return []*route{
		{pattern: "/api/v1/entities/{prefix}", ops: map[string]*operation{
			http.MethodGet: {nickname: "getMatchingEntities",
				query: []queryParam{
					{name: "namespace", kind: paramString, help: "Namespace to use when querying for org entities.", def: ""},
					{name: "includeTeams", kind: paramTruthyBool, help: "Whether to include team names.", def: false},
					{name: "includeOrgs", kind: paramTruthyBool, help: "Whether to include orgs names.", def: false},
				},
				handle: (*Server).getMatchingEntities},
		}},
	}
}

// entityLimit is the limit EntitySearch.get passes to get_matching_users
// and get_matching_teams' own.
const entityLimit = 10

// getMatchingEntities: EntitySearch.get (search.py 91). Anyone may search;
// the namespace parameter adds, for a member of that organization, its
// robots, its teams (includeTeams) and the organization itself
// (includeOrgs: Quay tests AdministerOrganizationPermission(...) without
// calling can(), so any member gets it), and for the caller's own user
// namespace the caller's robots. Every user found in an organization's
// search is is_org_member true: Quay reads the robot column where it means
// the team sum, which is never None.
func (s *Server) getMatchingEntities(c *call) error {
	prefix := entityPrefix(c.param("prefix"))
	namespace, _ := c.strQuery("namespace")
	var org *store.Namespace
	robotOwner := int64(0)
	teams := []entityView{}
	orgs := []entityView{}
	if o, ok := c.read.Organization(namespace); ok {
		org = o
		if c.can(organizationMember(namespace)) {
			robotOwner = o.ID
			if c.boolQuery("includeTeams") {
				for _, t := range c.read.Teams(o.ID) {
					if len(teams) == entityLimit {
						break
					}
					if likePrefix(t.Name, prefix) {
						teams = append(teams, entityView{Name: t.Name, Kind: "team", IsOrgMember: true, Avatar: teamAvatar(t.Name)})
					}
				}
			}
			if c.boolQuery("includeOrgs") && strings.HasPrefix(namespace, prefix) {
				orgs = append(orgs, entityView{Name: o.Name, Kind: "org", IsOrgMember: true,
					Avatar: avatar.Compute(o.Name, o.Email, avatar.KindOrg)})
			}
		}
	} else if u := c.who.user; u != nil && u.Name == namespace && c.can(userAdmin(u.Name)) {
		robotOwner = u.ID
	}
	results := []any{}
	for _, t := range teams {
		results = append(results, t)
	}
	for _, a := range matchingUsers(c.read, prefix, robotOwner, org != nil, entityLimit) {
		v := userEntityView{Name: a.Name, Kind: "user", IsRobot: a.Robot, Avatar: accountAvatar(a)}
		if org != nil {
			v.IsOrgMember = ptrTo(true)
		}
		results = append(results, v)
	}
	for _, o := range orgs {
		results = append(results, o)
	}
	c.restful(http.StatusOK, entitiesView{Results: results})
	return nil
}

// matchingUsers is model.user.get_matching_users with Quay's default
// FEATURE_PARTIAL_USER_AUTOCOMPLETE (true): the exact match first (the
// user of that name, or the first robot matching when robots are
// searched), then the others by prefix, limit in all. Users are matched
// by name prefix (organizations excluded), robots of robotOwner (0: none)
// by short-name prefix, letters in either case as LIKE compares them. The
// order is SQLite's: the User table's id order, robots first when an
// organization is searched (its ORDER BY robot DESC).
func matchingUsers(rd store.Reader, prefix string, robotOwner int64, inOrg bool, limit int) []store.Account {
	var users, robots []store.Account
	rd.AllNamespaces(func(n *store.Namespace) bool {
		if n.IsUser() && likePrefix(n.Name, prefix) {
			users = append(users, store.Account{ID: n.ID, Name: n.Name, Email: n.Email})
		}
		return true
	})
	if robotOwner != 0 {
		if owner, ok := rd.NamespaceByID(robotOwner); ok {
			rd.Robots(robotOwner, func(rb *store.Robot) bool {
				if likePrefix(rb.ShortName, prefix) {
					robots = append(robots, store.Account{ID: rb.ID, Name: store.RobotName(owner.Name, rb.ShortName),
						Email: rb.Email, Robot: true})
				}
				return true
			})
		}
	}
	byID := func(a, b store.Account) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(robots, byID)
	order := func(us []store.Account) []store.Account {
		if inOrg {
			return append(slices.Clone(robots), us...)
		}
		all := append(slices.Clone(robots), us...)
		slices.SortFunc(all, byID)
		return all
	}
	var exact []store.Account
	for _, u := range users {
		if u.Name == prefix {
			exact = append(exact, u)
		}
	}
	var out []store.Account
	if first := order(exact); len(first) > 0 {
		out = append(out, first[0])
	}
	rest := limit - len(out)
	for _, a := range order(users) {
		if rest == 0 {
			break
		}
		rest--
		if len(out) > 0 && a.Name == out[0].Name {
			continue
		}
		out = append(out, a)
	}
	return out
}

// likePrefix is prefix_search: name LIKE prefix+"%" with the prefix's
// wildcards escaped, ASCII letters in either case.
func likePrefix(name, prefix string) bool {
	return len(name) >= len(prefix) && strings.EqualFold(name[:len(prefix)], prefix) &&
		asciiOnlyFold(name[:len(prefix)], prefix)
}

// asciiOnlyFold reports whether a and b, equal under Unicode case folding,
// differ only in the case of ASCII letters, as SQLite's LIKE compares.
func asciiOnlyFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z' {
			return false
		}
	}
	return true
}

// entityPrefix is EntitySearch.get's unidecode(prefix).replace(" ",
// "").lower(). fakequay transliterates the Latin-1 letters (the rest of
// unidecode's tables are not modelled: other non-ASCII characters are
// dropped).
func entityPrefix(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch {
		case r == ' ':
		case r < 0x80:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteRune(r)
		case r >= 0xC0 && r <= 0xFF:
			b.WriteString(strings.ToLower(latin1Letters[r-0xC0]))
		}
	}
	return b.String()
}

// latin1Letters is unidecode's table for U+00C0 to U+00FF.
var latin1Letters = [64]string{
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", "x", "O", "U", "U", "U", "U", "Y", "Th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "/", "o", "u", "u", "u", "u", "y", "th", "y",
}
