package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/quaykit/go-quay/quay"
)

// Tenant is the JSON file: everything one tenant's organization should hold.
type Tenant struct {
	Organization string `json:"organization"`
	// Email is the organization's contact address, used when it is created.
	Email              string              `json:"email,omitempty"`
	Robots             []RobotSpec         `json:"robots,omitempty"`
	Teams              []TeamSpec          `json:"teams,omitempty"`
	DefaultPermissions []DefaultPermission `json:"default_permissions,omitempty"`
	Repositories       []RepositorySpec    `json:"repositories,omitempty"`
}

// RobotSpec is a robot account of the organization, by short name.
type RobotSpec struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// TeamSpec is a team with its role and members. Members are user names or
// the organization's robots as "org+short".
type TeamSpec struct {
	Name        string   `json:"name"`
	Role        string   `json:"role"` // member, creator or admin
	Description string   `json:"description,omitempty"`
	Members     []string `json:"members,omitempty"`
}

// DefaultPermission grants Role on every repository created in the
// organization from now on to exactly one of a team, a robot (short name)
// or a user.
type DefaultPermission struct {
	Team  string `json:"team,omitempty"`
	Robot string `json:"robot,omitempty"`
	User  string `json:"user,omitempty"`
	Role  string `json:"role"` // read, write or admin
}

// RepositorySpec is a repository of the organization.
type RepositorySpec struct {
	Name        string `json:"name"`
	Visibility  string `json:"visibility"` // public or private
	Description string `json:"description,omitempty"`
}

// readTenant reads and checks a tenant file; its errors name the file and
// the field at fault.
func readTenant(path string) (Tenant, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Tenant{}, err
	}
	var t Tenant
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return Tenant{}, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Tenant{}, fmt.Errorf("%s: more than one JSON value", path)
	}
	if err := t.validate(); err != nil {
		return Tenant{}, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// validate checks what Quay would refuse only after earlier changes were
// made, so that a bad file changes nothing.
func (t Tenant) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if t.Organization == "" {
		bad("organization: missing")
	}
	dup := func(field string, names []string) {
		seen := map[string]bool{}
		for i, n := range names {
			switch {
			case n == "":
				bad("%s[%d].name: missing", field, i)
			case seen[n]:
				bad("%s[%d].name: %q is listed twice", field, i, n)
			}
			seen[n] = true
		}
	}
	var robots, teams, repos []string
	for _, r := range t.Robots {
		robots = append(robots, r.Name)
	}
	for i, tm := range t.Teams {
		teams = append(teams, tm.Name)
		if !slices.Contains([]string{quay.TeamRoleMember, quay.TeamRoleCreator, quay.TeamRoleAdmin}, tm.Role) {
			bad("teams[%d].role: %q is not member, creator or admin", i, tm.Role)
		}
	}
	for i, r := range t.Repositories {
		repos = append(repos, r.Name)
		if r.Visibility != quay.VisibilityPublic && r.Visibility != quay.VisibilityPrivate {
			bad("repositories[%d].visibility: %q is not public or private", i, r.Visibility)
		}
	}
	dup("robots", robots)
	dup("teams", teams)
	dup("repositories", repos)
	for i, d := range t.DefaultPermissions {
		if n := countSet(d.Team, d.Robot, d.User); n != 1 {
			bad("default_permissions[%d]: names %d of team, robot and user; want exactly one", i, n)
		}
		if !slices.Contains([]string{quay.RoleRead, quay.RoleWrite, quay.RoleAdmin}, d.Role) {
			bad("default_permissions[%d].role: %q is not read, write or admin", i, d.Role)
		}
	}
	return errors.Join(errs...)
}

// countSet counts the non-empty strings.
func countSet(values ...string) int {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	return n
}

// delegate is the prototype delegate a default permission names, as Quay
// lists it: robots are users named "org+short".
func (d DefaultPermission) delegate(org string) quay.PrototypeDelegate {
	switch {
	case d.Team != "":
		return quay.PrototypeDelegate{Kind: "team", Name: d.Team}
	case d.Robot != "":
		return quay.PrototypeDelegate{Kind: "user", Name: org + "+" + d.Robot}
	default:
		return quay.PrototypeDelegate{Kind: "user", Name: d.User}
	}
}
