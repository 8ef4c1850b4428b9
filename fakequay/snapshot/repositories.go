package snapshot

import (
	"context"
	"errors"
	"net/url"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// permissionView is an entry of a repository's user or team permission
// list (listRepoUserPermissions, listRepoTeamPermissions).
type permissionView struct {
	Role    string `json:"role"`
	IsRobot bool   `json:"is_robot"`
}

// readRepositoryPermissions puts the repositories readRepositories found
// into the seed, with their visibility, description, kind and state, and
// the roles users, robots and teams hold on them (the permission lists
// need the repository's admin: a superuser with
// FEATURE_SUPERUSERS_FULL_ACCESS). Their content (tags, manifests) is not
// read.
func readRepositoryPermissions(ctx context.Context, r *reader) error {
	found := make([]fakequay.SeedRepository, len(r.repos))
	hidden := make([]int, len(r.repos))
	err := forEach(ctx, len(r.repos), func(ctx context.Context, i int) error {
		repo := r.repos[i]
		sr := fakequay.SeedRepository{Namespace: repo.Namespace, Name: repo.Name, Description: repo.Description,
			State: repo.State, Kind: repo.Kind, Visibility: "private"}
		if repo.IsPublic {
			sr.Visibility = "public"
		}
		base := "repository/" + url.PathEscape(repo.Namespace) + "/" + url.PathEscape(repo.Name) + "/permissions/"
		var users, teams struct {
			Permissions map[string]permissionView `json:"permissions"`
		}
		if err := r.get(ctx, base+"user/", &users); err != nil {
			if !unreadable(err) {
				return err
			}
			hidden[i] = 1
			found[i] = sr
			return nil
		}
		if err := r.get(ctx, base+"team/", &teams); err != nil && !unreadable(err) {
			return err
		}
		p := &fakequay.SeedRepoPermissions{}
		for name, v := range users.Permissions {
			if v.IsRobot {
				p.Robots = setRole(p.Robots, name, v.Role)
			} else {
				p.Users = setRole(p.Users, name, v.Role)
			}
		}
		for name, v := range teams.Permissions {
			p.Teams = setRole(p.Teams, name, v.Role)
		}
		if p.Users != nil || p.Robots != nil || p.Teams != nil {
			sr.Permissions = p
		}
		found[i] = sr
		return nil
	})
	if err != nil {
		return err
	}
	r.seed.Repositories = found
	if n := sum(hidden); n > 0 {
		r.warnf("repositories: the permissions of %d repositories cannot be read (the caller needs FEATURE_SUPERUSERS_FULL_ACCESS, the Quay the permission API); they are seeded without", n)
	}
	if len(found) > 0 {
		r.warnf("repositories: %d repositories seeded without their content (tags, manifests)", len(found))
	}
	return nil
}

func setRole(m map[string]string, name, role string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[name] = role
	return m
}

// unreadable reports whether err is a refusal, or the answer of a Quay
// that does not serve the path (404, 405).
func unreadable(err error) bool {
	var qe *quay.Error
	return refused(err) || (errors.As(err, &qe) && (qe.StatusCode == 404 || qe.StatusCode == 405))
}
