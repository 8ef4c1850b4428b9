package store

import (
	"fmt"
	"slices"

	"github.com/hashicorp/go-memdb"
)

// Loader adds rows directly, bypassing Quay's API-level rules but keeping
// the store's invariants (unique names, unique user e-mails, one quota per
// namespace, unique token values). It backs seed files and the fake's Go
// seeding API. All rows of one Load land in one transaction.
type Loader struct{ txn *memdb.Txn }

// Load runs fn with a Loader; if fn fails nothing it added is kept.
func (s *Store) Load(fn func(*Loader) error) error {
	return s.write(func(txn *memdb.Txn) error { return fn(&Loader{txn: txn}) })
}

// Read returns a view of the rows loaded so far.
func (l *Loader) Read() Reader { return Reader{txn: l.txn} }

// AddNamespace stores a user or organization with the next id.
func (l *Loader) AddNamespace(n Namespace) (*Namespace, error) {
	if n.Kind != KindUser && n.Kind != KindOrg {
		return nil, fmt.Errorf("namespace %q: unknown kind %v", n.Name, n.Kind)
	}
	if issue := usernameIssue(n.Name); issue != "" {
		return nil, fmt.Errorf("name %q: %s", n.Name, issue)
	}
	if _, taken := namespaceByNameTxn(l.txn, n.Name); taken {
		return nil, fmt.Errorf("name %q is already taken", n.Name)
	}
	if n.IsUser() && userEmailTakenTxn(l.txn, n.Email, 0) {
		return nil, fmt.Errorf("e-mail %q is already used by another user", n.Email)
	}
	row := n
	row.ID = nextIDTxn(l.txn, seqNamespace)
	putNamespaceTxn(l.txn, nil, &row)
	return &row, nil
}

// AddNamespaces stores rows as AddNamespace would, one after the other, and
// returns them. On the first row AddNamespace would refuse it stops and
// returns the rows stored before, that row's index and the error.
//
// It is what a seed of many users costs to load (issue 14, goal 4): when
// the namespaces table is empty, as in a new server, the names and e-mails
// taken are the batch's own, kept in maps, and the hash indexes are not
// searched for each row (which took two fifths of the load); otherwise it
// is AddNamespace row by row.
func (l *Loader) AddNamespaces(rows []Namespace) ([]*Namespace, int, error) {
	out := make([]*Namespace, 0, len(rows))
	if !l.namespacesEmpty() {
		for i, n := range rows {
			row, err := l.AddNamespace(n)
			if err != nil {
				return out, i, err
			}
			out = append(out, row)
		}
		return out, -1, nil
	}
	names := make(map[string]struct{}, len(rows))
	emails := make(map[string]struct{}, len(rows))
	stored := make([]Namespace, len(rows)) // one allocation for every row
	for i, n := range rows {
		if n.Kind != KindUser && n.Kind != KindOrg {
			return out, i, fmt.Errorf("namespace %q: unknown kind %v", n.Name, n.Kind)
		}
		if issue := usernameIssue(n.Name); issue != "" {
			return out, i, fmt.Errorf("name %q: %s", n.Name, issue)
		}
		if _, taken := names[n.Name]; taken {
			return out, i, fmt.Errorf("name %q is already taken", n.Name)
		}
		if _, taken := emails[n.Email]; taken && n.IsUser() {
			return out, i, fmt.Errorf("e-mail %q is already used by another user", n.Email)
		}
		names[n.Name] = struct{}{}
		if n.IsUser() {
			emails[n.Email] = struct{}{}
		}
		row := &stored[i]
		*row = n
		row.ID = nextIDTxn(l.txn, seqNamespace)
		putNamespaceTxn(l.txn, nil, row)
		out = append(out, row)
	}
	return out, -1, nil
}

// namespacesEmpty reports whether the transaction holds no namespace.
func (l *Loader) namespacesEmpty() bool {
	// Every key of the primary index is at or above (0, 0).
	return mustIter(l.txn.LowerBound(tableNamespaces, indexID, listing(0), int64(0))).Next() == nil
}

// AddToken stores an OAuth access token for an existing user.
func (l *Loader) AddToken(t Token) (*Token, error) {
	if t.Secret == "" {
		return nil, fmt.Errorf("token value is empty")
	}
	if _, taken := first[*Token](l.txn, tableTokens, indexSecret, t.Secret); taken {
		return nil, fmt.Errorf("token value is already used by another token")
	}
	if u, ok := namespaceByIDTxn(l.txn, t.UserID); !ok || !u.IsUser() {
		return nil, fmt.Errorf("token owner %d is not a user", t.UserID)
	}
	row := t
	row.ID = nextIDTxn(l.txn, seqToken)
	insert(l.txn, tableTokens, &row)
	return &row, nil
}

// SetQuota stores a namespace's quota, assigning ids to it and its limits.
// The namespace must not have one yet. Errors start with the offending
// field's path relative to the quota ("limits[1].type: ...").
func (l *Loader) SetQuota(q Quota) (*Quota, error) {
	if _, taken := first[*Quota](l.txn, tableQuotas, indexNamespace, q.NamespaceID); taken {
		return nil, fmt.Errorf("namespace: already has a quota")
	}
	return l.putQuota(q)
}

// ReplaceQuota stores a namespace's quota like SetQuota, replacing the one
// it has, if any: the quota keeps its id and its limits get new ones.
func (l *Loader) ReplaceQuota(q Quota) (*Quota, error) {
	return l.putQuota(q)
}

func (l *Loader) putQuota(q Quota) (*Quota, error) {
	if _, ok := namespaceByIDTxn(l.txn, q.NamespaceID); !ok {
		return nil, fmt.Errorf("namespace: id %d does not exist", q.NamespaceID)
	}
	if q.LimitBytes <= 0 {
		return nil, fmt.Errorf("limit_bytes: must be positive, got %d", q.LimitBytes)
	}
	for i, lim := range q.Limits {
		// The rules of Quay's createOrganizationQuotaLimit.
		if lim.Type != "Warning" && lim.Type != "Reject" {
			return nil, fmt.Errorf("limits[%d].type: %q is not \"Warning\" or \"Reject\"", i, lim.Type)
		}
		if lim.Percent < 1 || lim.Percent > 100 {
			return nil, fmt.Errorf("limits[%d].limit_percent: %d is not between 1 and 100", i, lim.Percent)
		}
		for j, prev := range q.Limits[:i] {
			if prev.Type == lim.Type && prev.Percent == lim.Percent {
				return nil, fmt.Errorf("limits[%d]: same type and limit_percent as limits[%d]", i, j)
			}
		}
	}
	row := q
	if old, ok := first[*Quota](l.txn, tableQuotas, indexNamespace, q.NamespaceID); ok {
		row.ID = old.ID
		remove(l.txn, tableQuotas, old)
	} else {
		row.ID = nextIDTxn(l.txn, seqQuota)
	}
	row.Limits = make([]QuotaLimit, len(q.Limits))
	for i, lim := range q.Limits {
		lim.ID = nextIDTxn(l.txn, seqQuotaLimit)
		row.Limits[i] = lim
	}
	insert(l.txn, tableQuotas, &row)
	return &row, nil
}

// SetNamespaceSize records a namespace's consumed storage.
func (l *Loader) SetNamespaceSize(namespaceID int64, size NamespaceSize) error {
	n, ok := namespaceByIDTxn(l.txn, namespaceID)
	if !ok {
		return fmt.Errorf("namespace %d does not exist", namespaceID)
	}
	if size.Bytes < 0 {
		return fmt.Errorf("size must not be negative, got %d", size.Bytes)
	}
	c := n.clone()
	c.Size = &size
	putNamespaceTxn(l.txn, n, c)
	return nil
}

// AddLog stores an audit-log row with the next id.
func (l *Loader) AddLog(e LogEntry) *LogEntry {
	row := e
	insertLogTxn(l.txn, &row)
	return &row
}

// AddServiceKey stores a service key with the next id. The kid must be
// unused and the service a name Quay's model accepts; an approval needs one
// of Quay's approval types and, when it names an approver, an existing user.
func (l *Loader) AddServiceKey(k ServiceKey) (*ServiceKey, error) {
	if k.Kid == "" {
		return nil, fmt.Errorf("kid is empty")
	}
	if _, taken := first[*ServiceKey](l.txn, tableServiceKeys, indexKid, k.Kid); taken {
		return nil, fmt.Errorf("kid %q is already used by another service key", k.Kid)
	}
	if !ValidServiceName(k.Service) {
		return nil, fmt.Errorf("service %q does not match ^[a-z0-9_]+$", k.Service)
	}
	if a := k.Approval; a != nil {
		if !ValidApprovalType(a.Type) {
			return nil, fmt.Errorf("approval type %q is not one of %q, %q, %q",
				a.Type, ApprovalSuperuser, ApprovalKeyRotation, ApprovalAutomatic)
		}
		if a.ApproverID != 0 {
			if u, ok := namespaceByIDTxn(l.txn, a.ApproverID); !ok || !u.IsUser() {
				return nil, fmt.Errorf("approver %d is not a user", a.ApproverID)
			}
		}
	}
	return insertServiceKeyTxn(l.txn, k)
}

// AddBuild stores a build. Its uuid must be unused, its namespace must
// exist, and its phase and log entry types must be Quay's.
func (l *Loader) AddBuild(b Build) (*Build, error) {
	row := b
	if err := validateBuild(l.txn, &row); err != nil {
		return nil, err
	}
	if _, taken := first[*Build](l.txn, tableBuilds, indexID, row.UUID); taken {
		return nil, fmt.Errorf("uuid: %q is already used by another build", row.UUID)
	}
	row.Tags = slices.Clone(row.Tags)
	row.Logs = slices.Clone(row.Logs)
	insert(l.txn, tableBuilds, &row)
	return &row, nil
}
