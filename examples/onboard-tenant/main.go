// Command onboard-tenant sets up a tenant's organization from a JSON file:
// the organization, its robot accounts, its teams and their members, the
// default permissions every new repository gets, and the repositories. It
// is safe to run again and again: what already matches the file is reported
// as unchanged and left alone, so the file can be the single description
// of a tenant that a platform team keeps under version control.
//
// The file:
//
//	{
//	  "organization": "acme",
//	  "email": "platform@acme.example",
//	  "robots": [{"name": "ci", "description": "pushes from CI"}],
//	  "teams": [{"name": "developers", "role": "member", "members": ["alice", "acme+ci"]}],
//	  "default_permissions": [{"team": "developers", "role": "write"}],
//	  "repositories": [{"name": "web", "visibility": "private"}]
//	}
//
// Items are applied in that order, because each may name the ones before
// it: a team's members may be the organization's robots ("acme+ci"), and a
// default permission names a team, a robot (short name) or a user. Default
// permissions come before the repositories because Quay applies them when
// it creates a repository and never afterwards; the output lists what each
// new repository was granted. Teams are created or have their role and
// description changed; members are added (with Quay's FEATURE_MAILING, a
// user who is not yet in the organization is invited by e-mail instead, and
// a pending invitation counts as present); repositories get the file's
// visibility and description. Nothing is ever removed: members, robots or
// repositories the file does not list are left alone.
//
// The token is any Quay user's that may create organizations (or that
// administers the existing one). The whole file is checked before the first
// request, so a malformed file changes nothing; the run stops at the first
// item Quay refuses and prints its message, and running again after a fix
// picks up where it stopped.
//
// Flags:
//
//	-dry-run  report what would change, change nothing
//
// Example:
//
//	export QUAY_URL=https://quay.example.com QUAY_TOKEN=<OAuth token>
//	go run ./examples/onboard-tenant -dry-run acme.json
//	go run ./examples/onboard-tenant acme.json
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/quaykit/go-quay/examples/internal/cli"
)

func main() { cli.Main("onboard-tenant", run) }

// run is the whole program; main only connects it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("onboard-tenant", "onboard-tenant [-dry-run] TENANT.json", stderr)
	dryRun := fs.Bool("dry-run", false, "report what would change, change nothing")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.Usagef("want exactly one tenant file, got %d arguments", fs.NArg())
	}
	tenant, err := readTenant(fs.Arg(0))
	if err != nil {
		return err
	}
	c, err := cli.NewUserClient(env, "onboard-tenant")
	if err != nil {
		return err
	}
	o := &onboarder{c: c, t: tenant, dryRun: *dryRun, out: stdout, counts: map[string]int{}}
	err = o.run(ctx)
	fmt.Fprintf(stdout, "%s: %s\n", tenant.Organization, o.summary())
	return err
}

// summary counts the items by outcome, in a fixed order.
func (o *onboarder) summary() string {
	out := ""
	for _, what := range []string{"created", "changed", "added", "invited", "unchanged"} {
		if n := o.counts[what]; n > 0 {
			if out != "" {
				out += ", "
			}
			out += fmt.Sprintf("%d %s", n, what)
		}
	}
	if out == "" {
		return "nothing to do"
	}
	if o.dryRun {
		return out + " (dry run: nothing was changed)"
	}
	return out
}
