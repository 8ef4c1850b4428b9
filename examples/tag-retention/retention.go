package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"time"

	"github.com/quaykit/go-quay/examples/internal/cli"
	"github.com/quaykit/go-quay/quay"
)

// job is one run over one repository.
type job struct {
	c                     *quay.Client
	namespace, repository string
	match                 string // a valid path.Match pattern
	keep                  int
	dryRun                bool
	out                   io.Writer
}

func (j *job) name() string { return j.namespace + "/" + j.repository }

// matches reports whether the policy covers the tag name.
func (j *job) matches(tag string) bool {
	ok, _ := path.Match(j.match, tag) // the pattern was checked up front
	return ok
}

// verb is what a change is called, in a dry run "would ...".
func (j *job) verb(v string) string {
	if j.dryRun {
		return "would " + v
	}
	return v
}

// done is what the changes were, in a dry run "would be ...".
func (j *job) done(v string) string {
	if j.dryRun {
		return "would be " + v
	}
	return v
}

// history is every tag row of the repository, newest first (listRepoTags
// without onlyActiveTags), or with alive only the alive ones.
func (j *job) history(ctx context.Context, alive bool) ([]quay.Tag, error) {
	var tags []quay.Tag
	for t, err := range j.c.Tags.All(ctx, j.namespace, j.repository, &quay.TagListOptions{OnlyActiveTags: alive, Limit: quay.MaxLimit}) {
		if err != nil {
			return nil, fmt.Errorf("%s: listing tags: %s", j.name(), cli.QuayMessage(err))
		}
		tags = append(tags, t)
	}
	return tags, nil
}

// prune keeps the newest j.keep matching tags and deletes the others.
func (j *job) prune(ctx context.Context) error {
	alive, err := j.history(ctx, true)
	if err != nil {
		return err
	}
	var matching []quay.Tag
	for _, t := range alive {
		if j.matches(t.Name) {
			matching = append(matching, t)
		}
	}
	slices.SortFunc(matching, func(a, b quay.Tag) int {
		if c := cmp.Compare(b.StartTS, a.StartTS); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	fmt.Fprintf(j.out, "%s: %d of %d tags match %q, keeping the newest %d\n", j.name(), len(matching), len(alive), j.match, j.keep)
	deleted := 0
	for i, t := range matching {
		when := time.Unix(t.StartTS, 0).UTC().Format(time.RFC3339)
		if i < j.keep {
			fmt.Fprintf(j.out, "keep %s (since %s)\n", t.Name, when)
			continue
		}
		if !j.dryRun {
			if _, err := j.c.Tags.Delete(ctx, j.namespace, j.repository, t.Name); err != nil {
				return fmt.Errorf("%s: deleting %s: %s", j.name(), t.Name, cli.QuayMessage(err))
			}
		}
		deleted++
		fmt.Fprintf(j.out, "%s %s (since %s, %s)\n", j.verb("delete"), t.Name, when, t.ManifestDigest)
	}
	fmt.Fprintf(j.out, "%s: %d kept, %d %s\n", j.name(), len(matching)-deleted, deleted, j.done("deleted"))
	return nil
}

// now is the time the time machine window is measured back from.
var now = time.Now

// undo restores every matching tag that is gone (no alive tag of its name,
// as Quay's clock decides), whose latest lifetime ended within the time
// machine window, at the manifest it last pointed at.
func (j *job) undo(ctx context.Context) error {
	repo, _, err := j.c.Repositories.Get(ctx, j.namespace, j.repository, &quay.RepositoryGetOptions{})
	if err != nil {
		return fmt.Errorf("%s: %s", j.name(), cli.QuayMessage(err))
	}
	window := time.Duration(repo.TagExpirationSeconds) * time.Second
	alive, err := j.history(ctx, true)
	if err != nil {
		return err
	}
	rows, err := j.history(ctx, false)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, t := range alive {
		seen[t.Name] = true
	}
	// Rows come newest first: the first row of a name is its latest
	// lifetime. An end before the start is Purge's mark: out of the time
	// machine already.
	var restore []quay.Tag
	for _, t := range rows {
		if seen[t.Name] {
			continue
		}
		seen[t.Name] = true
		if !j.matches(t.Name) || t.EndTS == 0 {
			continue
		}
		ended := time.Unix(t.EndTS, 0).UTC()
		if t.EndTS < t.StartTS || now().Sub(ended) > window {
			fmt.Fprintf(j.out, "skip %s: ended %s, outside the time machine window of %s\n", t.Name, ended.Format(time.RFC3339), window)
			continue
		}
		restore = append(restore, t)
	}
	for _, t := range restore {
		if !j.dryRun {
			if _, err := j.c.Tags.Restore(ctx, j.namespace, j.repository, t.Name, t.ManifestDigest); err != nil {
				return fmt.Errorf("%s: restoring %s: %s", j.name(), t.Name, cli.QuayMessage(err))
			}
		}
		fmt.Fprintf(j.out, "%s %s (%s, ended %s)\n", j.verb("restore"), t.Name, t.ManifestDigest,
			time.Unix(t.EndTS, 0).UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(j.out, "%s: %d %s\n", j.name(), len(restore), j.done("restored"))
	return nil
}
