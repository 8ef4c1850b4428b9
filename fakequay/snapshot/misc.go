package snapshot

import (
	"context"
	"time"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// readMessages: getGlobalMessages, uuids kept.
func readMessages(ctx context.Context, r *reader) error {
	var list struct {
		Messages []fakequay.SeedMessage `json:"messages"`
	}
	if err := r.get(ctx, "messages", &list); err != nil {
		return err
	}
	r.seed.Messages = list.Messages
	return nil
}

// readRegistrySize: getRegistrySize. last_ran is epoch milliseconds.
func readRegistrySize(ctx context.Context, r *reader) error {
	var v struct {
		SizeBytes int64  `json:"size_bytes"`
		LastRan   *int64 `json:"last_ran"`
		Queued    bool   `json:"queued"`
		Running   bool   `json:"running"`
	}
	if err := r.get(ctx, "superuser/registrysize/", &v); err != nil {
		return err
	}
	rs := &fakequay.SeedRegistrySize{SizeBytes: v.SizeBytes, Queued: v.Queued, Running: v.Running}
	if v.LastRan != nil {
		rs.LastRan = ptr(time.UnixMilli(*v.LastRan).UTC())
	}
	if *rs == (fakequay.SeedRegistrySize{}) {
		return nil // never computed: what a seed without the section means
	}
	r.seed.RegistrySize = rs
	return nil
}

// readAppTokens: listAllAppTokens. Its view names no owner, and Quay shows
// a user only their own tokens (GET /user/apptoken), so every token goes to
// the caller, or the first superuser when the caller is unknown. A regular
// superuser needs FEATURE_SUPERUSERS_FULL_ACCESS to list them.
func readAppTokens(ctx context.Context, r *reader) error {
	var list struct {
		Tokens []struct {
			UUID         string         `json:"uuid"`
			Title        string         `json:"title"`
			Created      quay.Timestamp `json:"created"`
			Expiration   quay.Timestamp `json:"expiration"`
			LastAccessed quay.Timestamp `json:"last_accessed"`
		} `json:"tokens"`
	}
	ok, err := r.getIfReadable(ctx, "superuser/apptokens", "app-specific tokens", &list)
	if !ok || err != nil || len(list.Tokens) == 0 {
		return err
	}
	owner := r.caller
	if owner == "" && r.seed.Config != nil && len(r.seed.Config.SuperUsers) > 0 {
		owner = r.seed.Config.SuperUsers[0]
	}
	if _, known := r.users[owner]; !known {
		r.warnf("%d app-specific tokens left out: no seeded user to own them", len(list.Tokens))
		return nil
	}
	r.warnf("%d app-specific tokens attributed to %s: Quay does not show their owners", len(list.Tokens), owner)
	for _, t := range list.Tokens {
		at := fakequay.SeedAppToken{UUID: t.UUID, Title: t.Title, User: owner, Created: t.Created.Time}
		if !t.Expiration.IsZero() {
			at.Expiration = ptr(t.Expiration.Time)
		}
		if !t.LastAccessed.IsZero() {
			at.LastAccessed = ptr(t.LastAccessed.Time)
		}
		r.seed.AppTokens = append(r.seed.AppTokens, at)
	}
	return nil
}

// readChangelog: getChangeLog, the CHANGELOG.md of the Quay's image.
func readChangelog(ctx context.Context, r *reader) error {
	var v struct {
		Log *string `json:"log"`
	}
	ok, err := r.getIfReadable(ctx, "superuser/changelog/", "the changelog", &v)
	if ok && v.Log != nil {
		r.seed.Changelog = v.Log
	}
	return err
}
