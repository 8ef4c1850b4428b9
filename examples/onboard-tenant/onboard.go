package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/quaykit/go-quay/examples/internal/cli"
	"github.com/quaykit/go-quay/quay"
)

// onboarder brings one organization to what a Tenant describes, one item
// at a time, and writes a line per item.
type onboarder struct {
	c      *quay.Client
	t      Tenant
	dryRun bool
	out    io.Writer
	counts map[string]int // outcome -> items
	// absent is set in a dry run when the organization does not exist yet:
	// everything in it would be created, and there is nothing to read.
	absent bool
}

// outcome writes "item: what" ("would be what" in a dry run) and counts it.
func (o *onboarder) outcome(item, what string) {
	o.counts[what]++
	if o.dryRun && what != "unchanged" {
		what = "would be " + what
	}
	fmt.Fprintf(o.out, "%s: %s\n", item, what)
}

// itemError is a failed call for one item: it reads as the item and what
// Quay said, and unwraps to the client's error (a *quay.Error for a
// refusal).
type itemError struct {
	item string
	err  error
}

func (e *itemError) Error() string { return e.item + ": " + cli.QuayMessage(e.err) }
func (e *itemError) Unwrap() error { return e.err }

// refused wraps a failed call with the item it was for.
func refused(item string, err error) error { return &itemError{item, err} }

// run makes every change in dependency order: robots and teams before the
// team members they hold, default permissions before the repositories they
// apply to (Quay applies them when it creates a repository, never later).
func (o *onboarder) run(ctx context.Context) error {
	steps := []func(context.Context) error{o.organization, o.robots, o.teams, o.defaultPermissions, o.repositories}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (o *onboarder) organization(ctx context.Context) error {
	item := "organization " + o.t.Organization
	org, _, err := o.c.Organizations.Get(ctx, o.t.Organization)
	switch {
	case errors.Is(err, quay.ErrNotFound):
		if o.dryRun {
			o.absent = true
		} else if _, err := o.c.Organizations.Create(ctx, quay.CreateOrganizationRequest{Name: o.t.Organization, Email: o.t.Email}); err != nil {
			return refused(item, err)
		}
		o.outcome(item, "created")
		return nil
	case err != nil:
		return refused(item, err)
	case !org.IsAdmin:
		// Everything below needs an administrator; say so once, here.
		return fmt.Errorf("%s: exists, and this token's user does not administer it", item)
	}
	o.outcome(item, "unchanged")
	return nil
}

func (o *onboarder) robots(ctx context.Context) error {
	// One list rather than a Get per robot: Quay answers a Get of a robot
	// that does not exist with 400 "Could not find robot", not 404.
	var have []string
	if !o.absent && len(o.t.Robots) > 0 {
		robots, _, err := o.c.Robots.ListOrg(ctx, o.t.Organization, nil)
		if err != nil {
			return refused("robots of "+o.t.Organization, err)
		}
		for _, r := range robots {
			have = append(have, r.Name)
		}
	}
	for _, r := range o.t.Robots {
		name := o.t.Organization + "+" + r.Name
		item := "robot " + name
		if slices.Contains(have, name) {
			// Quay has no way to change a robot's description.
			o.outcome(item, "unchanged")
			continue
		}
		if !o.dryRun {
			if _, _, err := o.c.Robots.CreateOrg(ctx, o.t.Organization, r.Name, quay.CreateRobotRequest{Description: r.Description}); err != nil {
				return refused(item, err)
			}
		}
		o.outcome(item, "created")
	}
	return nil
}

func (o *onboarder) teams(ctx context.Context) error {
	var existing map[string]quay.Team
	if !o.absent {
		org, _, err := o.c.Organizations.Get(ctx, o.t.Organization)
		if err != nil {
			return refused("organization "+o.t.Organization, err)
		}
		existing = org.Teams
	}
	for _, spec := range o.t.Teams {
		item := "team " + spec.Name
		have, ok := existing[spec.Name]
		switch {
		case ok && have.Role == spec.Role && have.Description == spec.Description:
			o.outcome(item, "unchanged")
		default:
			if !o.dryRun {
				req := quay.UpdateTeamRequest{Role: spec.Role, Description: &spec.Description}
				if _, _, err := o.c.Teams.Update(ctx, o.t.Organization, spec.Name, req); err != nil {
					return refused(item, err)
				}
			}
			o.outcome(item, map[bool]string{true: "changed", false: "created"}[ok])
		}
		if err := o.members(ctx, spec, ok); err != nil {
			return err
		}
	}
	return nil
}

// members adds the team's missing members. Quay adds robots and users
// already in the organization directly and, with FEATURE_MAILING, invites
// anyone else by e-mail; a pending invitation counts as present.
func (o *onboarder) members(ctx context.Context, spec TeamSpec, teamExists bool) error {
	var have []string
	if teamExists {
		members, _, err := o.c.Teams.ListMembers(ctx, o.t.Organization, spec.Name, &quay.TeamMemberListOptions{IncludePending: true})
		if err != nil {
			return refused("team "+spec.Name, err)
		}
		for _, m := range members.Members {
			have = append(have, m.Name)
		}
	}
	for _, name := range spec.Members {
		item := "team " + spec.Name + " member " + name
		if slices.Contains(have, name) {
			o.outcome(item, "unchanged")
			continue
		}
		if o.dryRun {
			o.outcome(item, "added")
			continue
		}
		m, _, err := o.c.Teams.AddMember(ctx, o.t.Organization, spec.Name, name)
		if err != nil {
			return refused(item, err)
		}
		o.outcome(item, map[bool]string{true: "invited", false: "added"}[m.Invited])
	}
	return nil
}

func (o *onboarder) defaultPermissions(ctx context.Context) error {
	var existing []quay.Prototype
	if !o.absent {
		var err error
		if existing, _, err = o.c.Prototypes.List(ctx, o.t.Organization); err != nil {
			return refused("default permissions of "+o.t.Organization, err)
		}
	}
	for _, d := range o.t.DefaultPermissions {
		del := d.delegate(o.t.Organization)
		item := fmt.Sprintf("default permission %s for %s %s", d.Role, describe(del), del.Name)
		i := slices.IndexFunc(existing, func(p quay.Prototype) bool {
			return p.ActivatingUser == nil && p.Delegate.Kind == del.Kind && p.Delegate.Name == del.Name
		})
		switch {
		case i >= 0 && existing[i].Role == d.Role:
			o.outcome(item, "unchanged")
		case i >= 0:
			if !o.dryRun {
				if _, _, err := o.c.Prototypes.Update(ctx, o.t.Organization, existing[i].ID, quay.UpdatePrototypeRequest{Role: d.Role}); err != nil {
					return refused(item, err)
				}
			}
			o.outcome(item, "changed")
		default:
			if !o.dryRun {
				if _, _, err := o.c.Prototypes.Create(ctx, o.t.Organization, quay.CreatePrototypeRequest{Role: d.Role, Delegate: del}); err != nil {
					return refused(item, err)
				}
			}
			o.outcome(item, "created")
		}
	}
	return nil
}

// describe names a delegate's kind as the tenant file does.
func describe(d quay.PrototypeDelegate) string {
	switch {
	case d.Kind == "team":
		return "team"
	case strings.Contains(d.Name, "+"):
		return "robot"
	default:
		return "user"
	}
}

func (o *onboarder) repositories(ctx context.Context) error {
	for _, spec := range o.t.Repositories {
		item := "repository " + o.t.Organization + "/" + spec.Name
		if !o.absent {
			repo, _, err := o.c.Repositories.Get(ctx, o.t.Organization, spec.Name, &quay.RepositoryGetOptions{ExcludeTags: true})
			if err == nil {
				if err := o.converge(ctx, item, spec, repo); err != nil {
					return err
				}
				continue
			}
			if !errors.Is(err, quay.ErrNotFound) {
				return refused(item, err)
			}
		}
		if o.dryRun {
			o.outcome(item, "created")
			continue
		}
		req := quay.CreateRepositoryRequest{Namespace: o.t.Organization, Name: spec.Name, Visibility: spec.Visibility, Description: spec.Description}
		if _, _, err := o.c.Repositories.Create(ctx, req); err != nil {
			return refused(item, err)
		}
		granted, err := o.grants(ctx, spec.Name)
		if err != nil {
			return refused(item, err)
		}
		o.outcome(item, "created")
		fmt.Fprintf(o.out, "  granted by default permissions: %s\n", granted)
	}
	return nil
}

// converge changes an existing repository's visibility and description.
func (o *onboarder) converge(ctx context.Context, item string, spec RepositorySpec, repo quay.Repository) error {
	changed := false
	if repo.IsPublic != (spec.Visibility == quay.VisibilityPublic) {
		changed = true
		if !o.dryRun {
			if _, err := o.c.Repositories.ChangeVisibility(ctx, o.t.Organization, spec.Name, quay.ChangeVisibilityRequest{Visibility: spec.Visibility}); err != nil {
				return refused(item, err)
			}
		}
	}
	if repo.Description != spec.Description {
		changed = true
		if !o.dryRun {
			if _, err := o.c.Repositories.Update(ctx, o.t.Organization, spec.Name, quay.UpdateRepositoryRequest{Description: spec.Description}); err != nil {
				return refused(item, err)
			}
		}
	}
	o.outcome(item, map[bool]string{true: "changed", false: "unchanged"}[changed])
	return nil
}

// grants lists the permissions a new repository holds, as Quay reports
// them: the ones its organization's default permissions gave it.
func (o *onboarder) grants(ctx context.Context, repo string) (string, error) {
	teams, _, err := o.c.Permissions.ListTeams(ctx, o.t.Organization, repo)
	if err != nil {
		return "", err
	}
	users, _, err := o.c.Permissions.ListUsers(ctx, o.t.Organization, repo)
	if err != nil {
		return "", err
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(teams)) {
		out = append(out, fmt.Sprintf("team %s %s", name, teams[name].Role))
	}
	for _, name := range slices.Sorted(maps.Keys(users)) {
		kind := map[bool]string{true: "robot", false: "user"}[users[name].IsRobot]
		out = append(out, fmt.Sprintf("%s %s %s", kind, name, users[name].Role))
	}
	if len(out) == 0 {
		return "none", nil
	}
	return strings.Join(out, ", "), nil
}
