package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"

	"github.com/quaykit/go-quay/examples/internal/cli"
	"github.com/quaykit/go-quay/quay"
	"github.com/quaykit/go-quay/superuser"
)

// outcome is what happened to one row, as counted in the summary.
type outcome int

const (
	created outcome = iota
	updated         // existed, enabled state changed
	exists          // existed as wanted
	failed
)

// provisioner brings users into the state the rows ask for.
type provisioner struct {
	su     *superuser.Client
	dryRun bool
	// passwords receives username,password for every user created; nil
	// when the generated passwords are not kept.
	passwords *csv.Writer
}

// rowFailure is Quay refusing one row (a 400: invalid name or e-mail, a
// name taken by an organization, a superuser that cannot be changed).
// Other errors (auth, network, server) stop the whole run instead, since
// they would fail every row alike.
type rowFailure struct{ msg string }

func (f *rowFailure) Error() string { return f.msg }

// provision makes rw's user exist with the enabled state rw asks for and
// returns what it did, in words, e.g. "created, disabled". A *rowFailure
// says Quay refused the row; any other error should stop the run.
func (p *provisioner) provision(ctx context.Context, rw row) (outcome, string, error) {
	if rw.problem != "" {
		return failed, "", &rowFailure{msg: rw.problem}
	}
	u, _, err := p.su.Users.Get(ctx, rw.username)
	switch {
	case err == nil:
		return p.reconcile(ctx, rw, u)
	case errors.Is(err, quay.ErrNotFound):
		return p.create(ctx, rw)
	default:
		return failed, "", err
	}
}

// create creates rw's user and, when the row says so, disables it.
func (p *provisioner) create(ctx context.Context, rw row) (outcome, string, error) {
	disable := rw.enabled != nil && !*rw.enabled
	if p.dryRun {
		if disable {
			return created, "would create, disabled", nil
		}
		return created, "would create", nil
	}
	u, _, err := p.su.Users.Create(ctx, superuser.CreateUserRequest{Username: rw.username, Email: rw.email})
	if err != nil {
		return failed, "", refusal(err, "")
	}
	if p.passwords != nil {
		// Flushed at once: the password exists nowhere else.
		p.passwords.Write([]string{u.Username, u.Password})
		p.passwords.Flush()
		if err := p.passwords.Error(); err != nil {
			return failed, "", fmt.Errorf("saving the password of %s: %w", u.Username, err)
		}
	}
	if !disable {
		return created, "created", nil
	}
	if err := p.setEnabled(ctx, rw.username, false); err != nil {
		return failed, "", refusal(err, "created, but disabling failed: ")
	}
	return created, "created, disabled", nil
}

// reconcile changes an existing user's enabled state when the row names
// one that differs.
func (p *provisioner) reconcile(ctx context.Context, rw row, u superuser.User) (outcome, string, error) {
	if rw.enabled == nil || *rw.enabled == u.Enabled {
		return exists, "exists", nil
	}
	verb := "enable"
	if !*rw.enabled {
		verb = "disable"
	}
	if p.dryRun {
		return updated, "exists, would " + verb, nil
	}
	if err := p.setEnabled(ctx, rw.username, *rw.enabled); err != nil {
		return failed, "", refusal(err, "exists, but "+verb+" failed: ")
	}
	return updated, "exists, now " + verb + "d", nil
}

func (p *provisioner) setEnabled(ctx context.Context, username string, enabled bool) error {
	_, _, err := p.su.Users.Update(ctx, username, superuser.UpdateUserRequest{Enabled: &enabled})
	return err
}

// refusal turns a 400 from Quay into a *rowFailure carrying Quay's message
// after prefix, and leaves every other error as it is.
func refusal(err error, prefix string) error {
	if !errors.Is(err, quay.ErrBadRequest) {
		return err
	}
	return &rowFailure{msg: prefix + cli.QuayMessage(err)}
}
