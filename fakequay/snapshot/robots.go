package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/quaykit/go-quay/fakequay"
	"github.com/quaykit/go-quay/quay"
)

// robotView is an entry of getOrgRobots (with its token when shown).
type robotView struct {
	Name         string         `json:"name"`
	Created      quay.Timestamp `json:"created"`
	LastAccessed quay.Timestamp `json:"last_accessed"`
	Description  string         `json:"description"`
	Token        string         `json:"token"`
}

// readRobots reads every user's and organization's robots through the
// organization robot routes, which take a user's name too: their
// description, creation and last use, federation configuration, the
// metadata of organizations' robots and the caller's own, and, with
// Options.RobotTokens, their tokens (which Quay shows a superuser with
// FEATURE_SUPERUSERS_FULL_ACCESS). A namespace's robots go into the seed in
// creation order, as a fakequay numbers them.
func readRobots(ctx context.Context, r *reader) error {
	found := make([][]fakequay.SeedRobot, len(r.views))
	// Per namespace, summed once all are read.
	hidden, noMetadata, noTokens := make([]int, len(r.views)), make([]int, len(r.views)), make([]int, len(r.views))
	err := forEach(ctx, len(r.views), func(ctx context.Context, i int) error {
		ns := r.views[i]
		base := "organization/" + url.PathEscape(ns.Name) + "/robots"
		var list struct {
			Robots []robotView `json:"robots"`
		}
		if err := r.get(ctx, base, &list); err != nil {
			if !refused(err) {
				return err
			}
			hidden[i] = 1
			return nil
		}
		for _, v := range list.Robots {
			owner, short, _ := strings.Cut(v.Name, "+")
			if owner != ns.Name {
				continue // the list is a LIKE match: "a_b" lists a-b's robots too
			}
			rb := fakequay.SeedRobot{Name: v.Name, Description: v.Description, Created: v.Created.Time}
			if !v.LastAccessed.IsZero() {
				rb.LastAccessed = ptr(v.LastAccessed.Time)
			}
			if r.opts.RobotTokens {
				rb.Token = v.Token
			}
			if rb.Token == "" {
				noTokens[i]++
			}
			robot := base + "/" + url.PathEscape(short)
			if err := r.get(ctx, robot+"/federation", &rb.Federation); err != nil {
				return err
			}
			if len(rb.Federation) == 0 {
				rb.Federation = nil
			}
			meta, err := r.robotMetadata(ctx, ns, short, robot)
			if err != nil {
				return err
			}
			if meta == nil {
				noMetadata[i]++
			} else if string(meta) != "{}" {
				rb.UnstructuredMetadata = meta
			}
			found[i] = append(found[i], rb)
		}
		// The list is by last use; creation order is what ids follow.
		slices.SortStableFunc(found[i], func(a, b fakequay.SeedRobot) int { return a.Created.Compare(b.Created) })
		return nil
	})
	if err != nil {
		return err
	}
	r.seed.Robots = slices.Concat(found...)
	if n := sum(hidden); n > 0 {
		r.warnf("robots: the caller may not list the robots of %d namespaces (it needs FEATURE_SUPERUSERS_FULL_ACCESS); they are not read", n)
	}
	if n := sum(noMetadata); n > 0 {
		r.warnf("robots: the unstructured metadata of %d robots of other users cannot be read (only their owner reads it); the seed gives them none", n)
	}
	if n := sum(noTokens); n > 0 && len(r.seed.Robots) > 0 {
		why := "Options.RobotTokens is off"
		if r.opts.RobotTokens {
			why = "Quay shows them only to a superuser with FEATURE_SUPERUSERS_FULL_ACCESS"
		}
		r.warnf("robots: %d robot tokens not read (%s); the seed's robots get new ones", n, why)
	}
	return nil
}

// robotMetadata reads one robot's unstructured metadata: an
// organization's through getOrgRobot, the caller's own through
// getUserRobot; nil for another user's, which only its owner may read.
func (r *reader) robotMetadata(ctx context.Context, ns namespace, short, orgPath string) (json.RawMessage, error) {
	path := orgPath
	switch {
	case ns.org:
	case ns.Name == r.caller:
		path = "user/robots/" + url.PathEscape(short)
	default:
		return nil, nil
	}
	var v struct {
		Metadata json.RawMessage `json:"unstructured_metadata"`
	}
	if err := r.get(ctx, path, &v); err != nil {
		return nil, err
	}
	return compact(v.Metadata), nil
}

// refused reports whether err is a refusal (401, 403) that only means the
// caller may not see what it asked for.
func refused(err error) bool {
	var qe *quay.Error
	return errors.As(err, &qe) && (qe.StatusCode == 401 || qe.StatusCode == 403)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
