package fakequay

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// metadata builds an audit log's metadata: a JSON object whose keys keep
// the order Quay inserts them in (a Python dict), which is the order
// listAllLogs shows them in.
type metadata struct{ buf bytes.Buffer }

func meta() *metadata { return &metadata{} }

// set appends key with value v (encoded as JSON, null for a nil pointer).
func (m *metadata) set(key string, v any) *metadata {
	if m.buf.Len() == 0 {
		m.buf.WriteByte('{')
	} else {
		m.buf.WriteByte(',')
	}
	k, _ := json.Marshal(key)
	m.buf.Write(k)
	m.buf.WriteByte(':')
	enc := json.NewEncoder(&m.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("fakequay: audit metadata " + key + ": " + err.Error())
	}
	m.buf.Truncate(m.buf.Len() - 1) // Encode's newline
	return m
}

// setRaw appends key with raw, JSON as Python's json.dumps wrote it (a
// float keeps its ".0", NaN stays NaN), verbatim.
func (m *metadata) setRaw(key string, raw []byte) *metadata {
	if m.buf.Len() == 0 {
		m.buf.WriteByte('{')
	} else {
		m.buf.WriteByte(',')
	}
	k, _ := json.Marshal(key)
	m.buf.Write(k)
	m.buf.WriteByte(':')
	m.buf.Write(raw)
	return m
}

func (m *metadata) bytes() json.RawMessage {
	if m.buf.Len() == 0 {
		return json.RawMessage("{}")
	}
	return append(bytes.Clone(m.buf.Bytes()), '}')
}

// unixSeconds is how Quay stores a datetime inside log metadata; nil for
// none.
func unixSeconds(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Unix()
}

// action is Quay's log_action for this call: performer, IP and time come
// from the request; when the caller used an OAuth token its id, client id
// and application name are appended to the metadata.
func (c *call) action(kind, account string, m *metadata) store.Action {
	if tok := c.who.token; tok != nil {
		m.set("oauth_token_id", tok.ID).
			set("oauth_token_application_id", tok.ClientID).
			set("oauth_token_application", tok.Application)
	}
	a := store.Action{
		Kind:     kind,
		Account:  account,
		IP:       c.clientIP(),
		Time:     c.now,
		Metadata: m.bytes(),
	}
	if c.who.user != nil {
		a.PerformerID = c.who.user.ID
	}
	return a
}

// serviceAction is log_action with no namespace name, as service-key
// operations call it: the store picks Quay's service log account.
func (c *call) serviceAction(kind string, m *metadata) store.Action {
	a := c.action(kind, "", m)
	a.ServiceAccount = true
	return a
}
