package fakequay

import (
	"errors"
	"fmt"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The direct API for quotas and the registry size (see direct.go).

// Quota is a namespace's quota as the direct API shows and takes it.
type Quota struct {
	// ID is assigned by the server; SetQuota ignores it.
	ID int64
	// Namespace is the user or organization the quota belongs to.
	Namespace string
	// LimitBytes is the quota's size; it must be positive.
	LimitBytes int64
	// Limits are the quota's thresholds, in creation order.
	Limits []QuotaLimit
}

// QuotaLimit is a threshold of a quota.
type QuotaLimit struct {
	// ID is assigned by the server; SetQuota ignores it.
	ID int64
	// Type is "Warning" or "Reject".
	Type string
	// LimitPercent is the threshold in percent of the quota, 1 to 100.
	LimitPercent int64
}

// SetQuota gives q.Namespace (a user or organization) a quota of
// q.LimitBytes with q.Limits, replacing the quota it has: a replaced quota
// keeps its id and its limits get new ones. It returns the quota as stored.
func (s *Server) SetQuota(q Quota) (Quota, error) {
	var stored Quota
	err := s.store.Load(func(l *store.Loader) error {
		ns, ok := l.Read().Namespace(q.Namespace)
		if !ok {
			return fmt.Errorf("namespace %q does not exist", q.Namespace)
		}
		limits := make([]store.QuotaLimit, len(q.Limits))
		for i, lim := range q.Limits {
			limits[i] = store.QuotaLimit{Type: lim.Type, Percent: lim.LimitPercent}
		}
		row, err := l.ReplaceQuota(store.Quota{NamespaceID: ns.ID, LimitBytes: q.LimitBytes, Limits: limits})
		if err != nil {
			return err
		}
		stored = quotaOf(ns.Name, row)
		return nil
	})
	if err != nil {
		return Quota{}, fmt.Errorf("fakequay: SetQuota: %w", err)
	}
	return stored, nil
}

// Quota returns the quota of the user or organization named namespace, and
// false when it has none.
func (s *Server) Quota(namespace string) (Quota, bool) {
	rd := s.store.Read()
	ns, ok := rd.Namespace(namespace)
	if !ok {
		return Quota{}, false
	}
	q, ok := rd.QuotaOf(ns.ID)
	if !ok {
		return Quota{}, false
	}
	return quotaOf(ns.Name, q), true
}

// DeleteQuota removes the quota of the user or organization named
// namespace, with its limits. It reports whether there was one.
func (s *Server) DeleteQuota(namespace string) (bool, error) {
	q, ok := s.Quota(namespace)
	if !ok {
		return false, nil
	}
	err := s.store.DeleteQuota(namespace, q.ID, nil)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrNoSuchQuota) {
		return false, nil // removed or renamed meanwhile
	}
	if err != nil {
		return false, fmt.Errorf("fakequay: DeleteQuota: %w", err)
	}
	return true, nil
}

// SetNamespaceUsage records that the user or organization named namespace
// consumes usedBytes of storage, as Quay's quota worker would once its
// backfill completed. It shows as quota_report's quota_bytes and counts
// towards the registry size the registry-size worker computes.
func (s *Server) SetNamespaceUsage(namespace string, usedBytes int64) error {
	err := s.store.Load(func(l *store.Loader) error {
		ns, ok := l.Read().Namespace(namespace)
		if !ok {
			return fmt.Errorf("namespace %q does not exist", namespace)
		}
		return l.SetNamespaceSize(ns.ID, store.NamespaceSize{Bytes: usedBytes, BackfillStarted: true, BackfillComplete: true})
	})
	if err != nil {
		return fmt.Errorf("fakequay: SetNamespaceUsage: %w", err)
	}
	return nil
}

// RegistrySize is the state of the registry-size calculation that
// getRegistrySize reports.
type RegistrySize struct {
	// SizeBytes is the size last computed.
	SizeBytes int64
	// LastRan is when the last calculation finished, at millisecond
	// precision (the API shows Unix milliseconds); zero when none has.
	LastRan time.Time
	// Queued and Running tell whether a calculation waits for the worker
	// or is under way; never both.
	Queued  bool
	Running bool
}

// RegistrySize returns the registry-size state, and false when nothing has
// ever been queued or seeded (getRegistrySize then answers zeros).
func (s *Server) RegistrySize() (RegistrySize, bool) {
	rs, ok := s.store.Read().RegistrySize()
	if !ok {
		return RegistrySize{}, false
	}
	out := RegistrySize{SizeBytes: rs.SizeBytes, Queued: rs.Queued, Running: rs.Running}
	if rs.CompletedMs != nil {
		out.LastRan = time.UnixMilli(*rs.CompletedMs).UTC()
	}
	return out, true
}

// SetRegistrySize replaces the registry-size state. LastRan is truncated
// to milliseconds; SizeBytes must not be negative.
func (s *Server) SetRegistrySize(rs RegistrySize) error {
	err := s.store.Load(func(l *store.Loader) error { return l.SetRegistrySize(registrySizeRow(rs)) })
	if err != nil {
		return fmt.Errorf("fakequay: SetRegistrySize: %w", err)
	}
	return nil
}

// registrySizeRow is rs as the store keeps it.
func registrySizeRow(rs RegistrySize) store.RegistrySize {
	row := store.RegistrySize{SizeBytes: rs.SizeBytes, Queued: rs.Queued, Running: rs.Running}
	if !rs.LastRan.IsZero() {
		ms := rs.LastRan.UnixMilli()
		row.CompletedMs = &ms
	}
	return row
}

func quotaOf(namespace string, q *store.Quota) Quota {
	out := Quota{ID: q.ID, Namespace: namespace, LimitBytes: q.LimitBytes, Limits: make([]QuotaLimit, len(q.Limits))}
	for i, l := range q.Limits {
		out.Limits[i] = QuotaLimit{ID: l.ID, Type: l.Type, LimitPercent: l.Percent}
	}
	return out
}
