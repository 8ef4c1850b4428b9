package store

import (
	"encoding/json"
	"time"

	"github.com/hashicorp/go-memdb"
)

// Action is an audit-log row to write together with the change it describes
// (Quay's log_action). The handler composes the metadata, including the
// oauth_token_* keys; the store resolves the account inside the transaction.
type Action struct {
	Kind string

	// Account names the namespace the log belongs to. Quay looks it up with
	// User.get(username=...), so a name that matches nothing is an unhandled
	// DoesNotExist (a 500): see changeOrganization.
	Account string
	// ServiceAccount logs with no namespace name: Quay then uses
	// SERVICE_LOG_ACCOUNT_ID, which defaults to the lowest user id.
	ServiceAccount bool

	PerformerID int64 // 0: no performer
	IP          string
	Time        time.Time
	Metadata    json.RawMessage // a JSON object, keys in Quay's order
}

// logActionTxn resolves a's account and inserts its log row.
func logActionTxn(txn *memdb.Txn, a Action) error {
	var account int64
	switch {
	case a.ServiceAccount:
		walkListings(txn, idOrder, 0, func(n *Namespace) bool {
			account = n.ID
			return false
		})
	default:
		n, ok := namespaceByNameTxn(txn, a.Account)
		if !ok {
			return crash("User matching query does not exist (log_action account " + a.Account + ")")
		}
		account = n.ID
	}
	insertLogTxn(txn, &LogEntry{
		Kind:        a.Kind,
		AccountID:   account,
		PerformerID: a.PerformerID,
		IP:          a.IP,
		Time:        a.Time,
		Metadata:    a.Metadata,
	})
	return nil
}

// LogAction writes one audit log on its own, for the operations whose only
// write is the log (Quay's log_action after a sign-in).
func (s *Store) LogAction(a Action) error {
	return s.write(func(txn *memdb.Txn) error { return logActionTxn(txn, a) })
}
