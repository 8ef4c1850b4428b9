package store

import "github.com/hashicorp/go-memdb"

// Quota is a namespace quota (Quay's UserOrganizationQuota with its
// QuotaLimits). Quay allows one per namespace.
type Quota struct {
	ID          int64
	NamespaceID int64
	LimitBytes  int64
	Limits      []QuotaLimit
}

// QuotaLimit is a warning or reject threshold of a quota.
type QuotaLimit struct {
	ID      int64
	Type    string // "Warning" or "Reject"
	Percent int64
}

func quotasTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableQuotas,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*Quota]{
				key: func(q *Quota) (int64, bool) { return q.ID, true }}},
			indexNamespace: {Name: indexNamespace, Unique: true, Indexer: intIndex[*Quota]{
				key: func(q *Quota) (int64, bool) { return q.NamespaceID, true }}},
		},
	}
}

// QuotaOf returns the quota of namespace id, if it has one.
func (r Reader) QuotaOf(namespaceID int64) (*Quota, bool) {
	return first[*Quota](r.txn, tableQuotas, indexNamespace, namespaceID)
}

// deleteQuotaOfTxn deletes namespace id's quota, if any, with its limits.
func deleteQuotaOfTxn(txn *memdb.Txn, namespaceID int64) {
	if q, ok := first[*Quota](txn, tableQuotas, indexNamespace, namespaceID); ok {
		remove(txn, tableQuotas, q)
	}
}
