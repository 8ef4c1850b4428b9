package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/quaykit/go-quay/superuser"
)

// rotation is one run's settings.
type rotation struct {
	service  string
	name     string        // friendly name of the new key
	notes    string        // approval notes
	grace    time.Duration // how long old keys stay valid after the new one exists
	validFor time.Duration // lifetime of the new key; 0: it never expires
}

// newKey creates the service's new key and stores its private half in out
// before anything else can fail. It returns the key as Quay now shows it.
func (r rotation) newKey(ctx context.Context, su *superuser.Client, out *keyFile, stdout io.Writer) (superuser.ServiceKey, error) {
	created, _, err := su.ServiceKeys.Create(ctx, superuser.CreateServiceKeyRequest{
		Service: r.service, Name: r.name, Notes: r.notes,
	})
	if err != nil {
		return superuser.ServiceKey{}, fmt.Errorf("creating the new key: %w", err)
	}
	fmt.Fprintf(stdout, "created key %s for service %s\n", created.Kid, created.Service)
	if err := out.write(created.PrivateKey); err != nil {
		return superuser.ServiceKey{}, fmt.Errorf("key %s exists in Quay but its private key is lost (delete the key and run again): %w", created.Kid, err)
	}
	fmt.Fprintf(stdout, "wrote its private key to %s (mode 0600)\n", out.f.Name())
	key, _, err := su.ServiceKeys.Get(ctx, created.Kid)
	if err != nil {
		return superuser.ServiceKey{}, fmt.Errorf("reading key %s back: %w", created.Kid, err)
	}
	return key, nil
}

// approve approves the new key unless Quay already did: createServiceKey
// approves the keys it makes (reference §2.9), but a key a service
// registered itself waits for a superuser.
func (r rotation) approve(ctx context.Context, su *superuser.Client, key superuser.ServiceKey, stdout io.Writer) error {
	if a := key.Approval; a != nil {
		by := "a deleted user"
		if a.Approver != nil {
			by = a.Approver.Username
		}
		fmt.Fprintf(stdout, "key %s is approved (%s, by %s)\n", key.Kid, a.ApprovalType, by)
		return nil
	}
	if _, err := su.ServiceKeys.Approve(ctx, key.Kid, superuser.ApproveServiceKeyRequest{Notes: r.notes}); err != nil {
		return fmt.Errorf("approving key %s: %w", key.Kid, err)
	}
	fmt.Fprintf(stdout, "approved key %s\n", key.Kid)
	return nil
}

// limitLifetime gives the new key its expiry, counted from its creation
// as Quay recorded it.
func (r rotation) limitLifetime(ctx context.Context, su *superuser.Client, key superuser.ServiceKey, stdout io.Writer) error {
	if r.validFor == 0 {
		fmt.Fprintf(stdout, "key %s never expires\n", key.Kid)
		return nil
	}
	expires := key.CreatedDate.Add(r.validFor)
	if _, _, err := su.ServiceKeys.Update(ctx, key.Kid, superuser.UpdateServiceKeyRequest{Expiration: &expires}); err != nil {
		return fmt.Errorf("setting the expiry of key %s: %w", key.Kid, err)
	}
	fmt.Fprintf(stdout, "key %s expires at %s\n", key.Kid, stamp(expires))
	return nil
}

// retireOld makes every other key of the service expire r.grace after the
// new key's creation, leaving alone keys that expire sooner anyway.
//
// The deadline is counted from the creation time Quay gave the new key,
// not from this machine's clock: Quay refuses an expiry it considers past
// (§2.11), and the two clocks need not agree.
func (r rotation) retireOld(ctx context.Context, su *superuser.Client, newKey superuser.ServiceKey, stdout io.Writer) error {
	deadline := newKey.CreatedDate.Add(r.grace)
	keys, _, err := su.ServiceKeys.List(ctx)
	if err != nil {
		return fmt.Errorf("listing service keys: %w", err)
	}
	retired := 0
	for _, k := range keys {
		if k.Service != r.service || k.Kid == newKey.Kid {
			continue
		}
		if k.ExpirationDate != nil && !k.ExpirationDate.After(deadline) {
			fmt.Fprintf(stdout, "old key %s expires at %s anyway, left as it is\n", k.Kid, stamp(k.ExpirationDate.Time))
			continue
		}
		if _, _, err := su.ServiceKeys.Update(ctx, k.Kid, superuser.UpdateServiceKeyRequest{Expiration: &deadline}); err != nil {
			return fmt.Errorf("setting old key %s to expire: %w", k.Kid, err)
		}
		was := "never"
		if k.ExpirationDate != nil {
			was = stamp(k.ExpirationDate.Time)
		}
		fmt.Fprintf(stdout, "old key %s now expires at %s (was %s)\n", k.Kid, stamp(deadline), was)
		retired++
	}
	if retired == 0 {
		fmt.Fprintf(stdout, "no other key of service %s needed a new expiry\n", r.service)
	}
	return nil
}

// stamp writes a time as RFC 3339 in UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
