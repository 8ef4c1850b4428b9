// Command tag-retention keeps the newest tags of a repository that match a
// pattern and deletes the rest, and with -undo brings the deleted ones
// back while Quay still can (within the namespace's time machine window).
//
// The pattern is a shell glob (path.Match: "v*", "release-1.?",
// "pr-[0-9]*"), matched against the whole tag name. A glob is what a
// retention policy is written in, and it is anchored: a regular
// expression "v1" would also match "v10" and "dev1" unless written
// "^v1$". Tag names cannot hold "/", so "*" covers any part of one.
//
// "Newest" is the time the tag last started pointing at its manifest (the
// push or move, Quay's last_modified), ties by name. Tags that do not match
// are never touched. -dry-run lists what would be deleted or restored.
//
// -undo needs no record of the earlier run: Quay keeps every tag's history
// (listRepoTags without onlyActiveTags), so undo restores each matching
// tag whose latest lifetime has ended, that no tag of that name has
// replaced, and that ended within the time machine window
// (tag_expiration_s of the repository's namespace), pointing it back at
// the manifest it last pointed at (restoreTag). It therefore brings back
// any matching tag removed in that window, by this program or otherwise;
// tags purged from the time machine are left alone, since Quay may already
// have collected their manifests.
//
// Flags:
//
//	-keep N     how many of the newest matching tags to keep (default 10)
//	-match GLOB the tags the policy covers (default "*": every tag)
//	-undo       restore what a run deleted, instead of deleting
//	-dry-run    report what would change, change nothing
//
// Example:
//
//	export QUAY_URL=https://quay.example.com QUAY_TOKEN=<OAuth token>
//	go run ./examples/tag-retention -keep 5 -match 'pr-*' -dry-run acme/web
//	go run ./examples/tag-retention -keep 5 -match 'pr-*' acme/web
//	go run ./examples/tag-retention -match 'pr-*' -undo acme/web
package main

import (
	"context"
	"io"
	"path"
	"strings"

	"github.com/quaykit/go-quay/examples/internal/cli"
)

func main() { cli.Main("tag-retention", run) }

// run is the whole program; main only connects it to the process.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("tag-retention", "tag-retention [-keep N] [-match GLOB] [-undo] [-dry-run] NAMESPACE/REPOSITORY", stderr)
	keep := fs.Int("keep", 10, "how many of the newest matching tags to keep")
	match := fs.String("match", "*", "shell glob of the tag names the policy covers")
	undo := fs.Bool("undo", false, "restore the matching tags deleted within the time machine window")
	dryRun := fs.Bool("dry-run", false, "report what would change, change nothing")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.Usagef("want exactly one NAMESPACE/REPOSITORY, got %d arguments", fs.NArg())
	}
	namespace, repository, ok := strings.Cut(fs.Arg(0), "/")
	if !ok || namespace == "" || repository == "" {
		return cli.Usagef("%q is not NAMESPACE/REPOSITORY", fs.Arg(0))
	}
	if *keep < 0 {
		return cli.Usagef("-keep %d: want 0 or more", *keep)
	}
	if _, err := path.Match(*match, ""); err != nil {
		return cli.Usagef("-match %q: %v", *match, err)
	}
	c, err := cli.NewUserClient(env, "tag-retention")
	if err != nil {
		return err
	}
	j := &job{c: c, namespace: namespace, repository: repository, match: *match, keep: *keep, dryRun: *dryRun, out: stdout}
	if *undo {
		return j.undo(ctx)
	}
	return j.prune(ctx)
}
