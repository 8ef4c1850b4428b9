package store

import (
	"fmt"
	"slices"

	"github.com/hashicorp/go-memdb"
)

// Message is a global message superusers show on every page of Quay's UI
// (Quay's Messages table with its MediaType).
type Message struct {
	ID        int64
	UUID      string
	Content   string
	Severity  string // "info", "warning" or "error"
	MediaType string // "text/plain" or "text/markdown"
}

// MessageMediaTypes are the media types a message may have: the names in
// Quay's MediaType table that its CreateMessage schema allows.
var MessageMediaTypes = []string{"text/plain", "text/markdown"}

// MessageSeverities are the severities Quay's CreateMessage schema allows.
var MessageSeverities = []string{"info", "warning", "error"}

func messagesTableSchema() *memdb.TableSchema {
	return &memdb.TableSchema{
		Name: tableMessages,
		Indexes: map[string]*memdb.IndexSchema{
			indexID: {Name: indexID, Unique: true, Indexer: intIndex[*Message]{
				key: func(m *Message) (int64, bool) { return m.ID, true }}},
			indexUUID: {Name: indexUUID, Indexer: stringIndex[*Message]{
				key: func(m *Message) (string, bool) { return m.UUID, true }}},
		},
	}
}

// Messages returns every global message in id order (Quay's get_messages
// has no ORDER BY: rows come back in the order they were stored).
func (r Reader) Messages() []*Message {
	var out []*Message
	iterate(mustIter(r.txn.LowerBound(tableMessages, indexID, int64(0))), func(m *Message) bool {
		out = append(out, m)
		return true
	})
	return out
}

// CreateMessage stores a global message (Quay's message.create). A media
// type Quay's MediaType table lacks is a crash, as MediaType.get raises
// DoesNotExist; the severity is stored as given, as in Quay. Content
// holding a NUL is a crash too (Postgres' driver refuses to bind it).
func (s *Store) CreateMessage(m Message) (*Message, error) {
	var created *Message
	err := s.write(func(txn *memdb.Txn) error {
		if !slices.Contains(MessageMediaTypes, m.MediaType) {
			return crash("MediaType matching query does not exist (name " + m.MediaType + ")")
		}
		if hasNUL(m.Content) {
			return nulLiteral()
		}
		created = insertMessageTxn(txn, m)
		return nil
	})
	return created, err
}

// DeleteMessages deletes every message with the given uuid (Quay's
// delete_message: DELETE ... WHERE uuid IN (...)); none is not an error.
// It returns how many it deleted.
func (s *Store) DeleteMessages(uuid string) (int, error) {
	n := 0
	err := s.write(func(txn *memdb.Txn) error {
		var err error
		n, err = txn.DeleteAll(tableMessages, indexUUID, uuid)
		if err != nil {
			panic("store: delete messages: " + err.Error())
		}
		return nil
	})
	return n, err
}

// AddMessage stores a global message for a seed: its uuid must be new, and
// its severity and media type among those Quay's schema allows.
func (l *Loader) AddMessage(m Message) (*Message, error) {
	if m.UUID == "" {
		return nil, fmt.Errorf("uuid is empty")
	}
	if _, taken := first[*Message](l.txn, tableMessages, indexUUID, m.UUID); taken {
		return nil, fmt.Errorf("uuid %q is already used by another message", m.UUID)
	}
	if !slices.Contains(MessageSeverities, m.Severity) {
		return nil, fmt.Errorf("severity %q is not one of %q", m.Severity, MessageSeverities)
	}
	if !slices.Contains(MessageMediaTypes, m.MediaType) {
		return nil, fmt.Errorf("media_type %q is not one of %q", m.MediaType, MessageMediaTypes)
	}
	return insertMessageTxn(l.txn, m), nil
}

func insertMessageTxn(txn *memdb.Txn, m Message) *Message {
	row := m
	row.ID = nextIDTxn(txn, seqMessage)
	insert(txn, tableMessages, &row)
	return &row
}
