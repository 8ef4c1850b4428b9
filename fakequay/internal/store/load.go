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
	if _, taken := first[*Namespace](l.txn, tableNamespaces, indexName, n.Name); taken {
		return nil, fmt.Errorf("name %q is already taken", n.Name)
	}
	if n.IsUser() && userEmailTakenTxn(l.txn, n.Email, 0) {
		return nil, fmt.Errorf("e-mail %q is already used by another user", n.Email)
	}
	row := n
	row.ID = nextIDTxn(l.txn, seqNamespace)
	insert(l.txn, tableNamespaces, &row)
	return &row, nil
}

// AddToken stores an OAuth access token for an existing user.
func (l *Loader) AddToken(t Token) (*Token, error) {
	if t.Secret == "" {
		return nil, fmt.Errorf("token value is empty")
	}
	if _, taken := first[*Token](l.txn, tableTokens, indexSecret, t.Secret); taken {
		return nil, fmt.Errorf("token value is already used by another token")
	}
	if u, ok := first[*Namespace](l.txn, tableNamespaces, indexID, t.UserID); !ok || !u.IsUser() {
		return nil, fmt.Errorf("token owner %d is not a user", t.UserID)
	}
	row := t
	row.ID = nextIDTxn(l.txn, seqToken)
	insert(l.txn, tableTokens, &row)
	return &row, nil
}

// SetQuota stores a namespace's quota (ids assigned to it and its limits).
func (l *Loader) SetQuota(q Quota) (*Quota, error) {
	if _, ok := first[*Namespace](l.txn, tableNamespaces, indexID, q.NamespaceID); !ok {
		return nil, fmt.Errorf("quota namespace %d does not exist", q.NamespaceID)
	}
	if _, taken := first[*Quota](l.txn, tableQuotas, indexNamespace, q.NamespaceID); taken {
		return nil, fmt.Errorf("namespace already has a quota")
	}
	if q.LimitBytes <= 0 {
		return nil, fmt.Errorf("limit_bytes must be positive, got %d", q.LimitBytes)
	}
	row := q
	row.ID = nextIDTxn(l.txn, seqQuota)
	row.Limits = make([]QuotaLimit, len(q.Limits))
	for i, lim := range q.Limits {
		if lim.Type != "Warning" && lim.Type != "Reject" {
			return nil, fmt.Errorf("limits[%d]: type %q is not \"Warning\" or \"Reject\"", i, lim.Type)
		}
		lim.ID = nextIDTxn(l.txn, seqQuotaLimit)
		row.Limits[i] = lim
	}
	insert(l.txn, tableQuotas, &row)
	return &row, nil
}

// SetNamespaceSize records a namespace's consumed storage.
func (l *Loader) SetNamespaceSize(namespaceID int64, size NamespaceSize) error {
	n, ok := first[*Namespace](l.txn, tableNamespaces, indexID, namespaceID)
	if !ok {
		return fmt.Errorf("namespace %d does not exist", namespaceID)
	}
	c := n.clone()
	c.Size = &size
	insert(l.txn, tableNamespaces, c)
	return nil
}

// AddLog stores an audit-log row with the next id.
func (l *Loader) AddLog(e LogEntry) *LogEntry {
	row := e
	insertLogTxn(l.txn, &row)
	return &row
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
