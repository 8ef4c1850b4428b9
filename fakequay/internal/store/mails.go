package store

import (
	"time"

	"github.com/hashicorp/go-memdb"
)

// Mail kinds: the e-mails of util/useremails.py that fakequay sends.
const (
	MailConfirmEmail = "confirm_email" // send_confirmation_email
	MailRecovery     = "recovery"      // send_recovery_email
	MailOrgInvite    = "org_invite"    // send_org_invite_email
)

// Mail is an e-mail Quay would have sent (FEATURE_MAILING): fakequay keeps
// it in an outbox that tests can read.
type Mail struct {
	ID       int64
	Kind     string // one of the Mail* kinds
	To       string
	Username string // the addressee's name (an invite to an address: the address)
	Code     string // the confirmation, recovery or invite code the mail carries
	Time     time.Time

	// An invite's organization, team and inviter.
	Organization, Team, Inviter string
}

func mailsTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableMails,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*Mail]{
				key: func(m *Mail) (int64, bool) { return m.ID, true }}},
		},
	}
}

func insertMailTxn(txn *memdb.Txn, m *Mail) {
	m.ID = nextIDTxn(txn, seqMail)
	insert(txn, tableMails, m)
}

// Mails returns the outbox, oldest first.
func (r Reader) Mails() []*Mail {
	var out []*Mail
	iterate(mustIter(r.txn.LowerBound(tableMails, indexID, int64(0))), func(m *Mail) bool {
		out = append(out, m)
		return true
	})
	return out
}

// SendMail puts m in the outbox.
func (s *Store) SendMail(m Mail) error {
	return s.write(func(txn *memdb.Txn) error {
		insertMailTxn(txn, &m)
		return nil
	})
}
