package store

import (
	"errors"
	"fmt"
)

// CheckInvariants walks every namespace, token, quota, log and service key
// and returns the rules of Quay's schema that the state breaks, joined, or
// nil. The write methods keep these rules; fuzz and stress tests call this
// after every input to prove it, and persistence can after a replay.
//
// The rules, each checked from the rows themselves rather than trusted to an
// index:
//   - namespace names are unique, and so are the original names of
//     namespaces pending deletion; user e-mails are unique among users (Quay's
//     partial unique index user_email_unique_non_org);
//   - a namespace has at most one quota, and a quota's namespace exists;
//   - a log's account and performer are absent (0), an existing namespace,
//     or one the namespace GC purged (an id the sequence handed out);
//   - a token acts for an existing namespace that is not pending deletion
//     (deletion drops the tokens; a user converted into an organization
//     keeps them, as Quay's convert_user_to_organization does);
//   - a service key's approver is absent or an existing namespace;
//   - every id is positive and no larger than its sequence's last value.
func (r Reader) CheckInvariants() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	lastNamespace := r.lastID(seqNamespace)
	names := map[string]int64{}
	pending := map[string]int64{}
	emails := map[string]int64{}
	namespaces := map[int64]*Namespace{}
	r.AllNamespaces(func(n *Namespace) bool {
		namespaces[n.ID] = n
		if n.ID <= 0 || n.ID > lastNamespace {
			fail("namespace %q: id %d outside the sequence (last %d)", n.Name, n.ID, lastNamespace)
		}
		if other, dup := names[n.Name]; dup {
			fail("namespaces %d and %d share the name %q", other, n.ID, n.Name)
		}
		names[n.Name] = n.ID
		if n.Deleted {
			if other, dup := pending[n.OriginalName]; dup {
				fail("namespaces %d and %d are both pending deletion under %q", other, n.ID, n.OriginalName)
			}
			pending[n.OriginalName] = n.ID
		}
		if n.IsUser() {
			if other, dup := emails[n.Email]; dup {
				fail("users %d and %d share the e-mail %q", other, n.ID, n.Email)
			}
			emails[n.Email] = n.ID
		}
		return true
	})

	lastToken := r.lastID(seqToken)
	iterate(mustIter(r.txn.Get(tableTokens, indexID)), func(t *Token) bool {
		if t.ID <= 0 || t.ID > lastToken {
			fail("token %d: id outside the sequence (last %d)", t.ID, lastToken)
		}
		switch owner, ok := namespaces[t.UserID]; {
		case !ok:
			fail("token %d acts for namespace %d, which does not exist", t.ID, t.UserID)
		case owner.Deleted:
			fail("token %d acts for namespace %d, which is pending deletion", t.ID, t.UserID)
		}
		return true
	})

	lastQuota := r.lastID(seqQuota)
	quotaOf := map[int64]int64{}
	iterate(mustIter(r.txn.Get(tableQuotas, indexID)), func(q *Quota) bool {
		if q.ID <= 0 || q.ID > lastQuota {
			fail("quota %d: id outside the sequence (last %d)", q.ID, lastQuota)
		}
		if other, dup := quotaOf[q.NamespaceID]; dup {
			fail("namespace %d has two quotas, %d and %d", q.NamespaceID, other, q.ID)
		}
		quotaOf[q.NamespaceID] = q.ID
		if _, ok := namespaces[q.NamespaceID]; !ok {
			fail("quota %d belongs to namespace %d, which does not exist", q.ID, q.NamespaceID)
		}
		return true
	})

	// A namespace id that does not resolve is fine only if the sequence
	// handed it out: the GC purged that namespace and its logs stayed.
	resolvesOrPurged := func(id int64) bool {
		_, ok := namespaces[id]
		return id == 0 || ok || (id > 0 && id <= lastNamespace)
	}
	lastLog := r.lastID(seqLog)
	r.AllLogs(func(e *LogEntry) bool {
		if e.ID <= 0 || e.ID > lastLog {
			fail("log %d: id outside the sequence (last %d)", e.ID, lastLog)
		}
		if !resolvesOrPurged(e.AccountID) {
			fail("log %d: account %d never existed", e.ID, e.AccountID)
		}
		if !resolvesOrPurged(e.PerformerID) {
			fail("log %d: performer %d never existed", e.ID, e.PerformerID)
		}
		return true
	})

	r.AllServiceKeys(func(k *ServiceKey) bool {
		if a := k.Approval; a != nil && a.ApproverID != 0 {
			if _, ok := namespaces[a.ApproverID]; !ok {
				fail("service key %s: approver %d does not exist", k.Kid, a.ApproverID)
			}
		}
		return true
	})
	return errors.Join(errs...)
}

// lastID is the last id the named sequence handed out (0 before the first).
func (r Reader) lastID(name string) int64 {
	if cur, ok := first[*sequence](r.txn, tableSequences, indexID, name); ok {
		return cur.Last
	}
	return 0
}
