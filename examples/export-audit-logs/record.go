package main

import (
	"time"

	"github.com/quaykit/go-quay/superuser"
)

// record is one exported audit-log entry: one JSON object per line, flat,
// with RFC 3339 times, so that jq, a SIEM or a database loads it as is.
type record struct {
	Datetime string `json:"datetime"` // RFC 3339, UTC
	Kind     string `json:"kind"`     // e.g. "push_repo", "user_create"
	// Namespace is the account the action concerns, NamespaceKind "org" or
	// "user"; both empty when it no longer resolves.
	Namespace     string `json:"namespace,omitempty"`
	NamespaceKind string `json:"namespace_kind,omitempty"`
	// Performer is who acted; empty for anonymous actions.
	Performer        string         `json:"performer,omitempty"`
	PerformerIsRobot bool           `json:"performer_is_robot,omitempty"`
	IP               string         `json:"ip,omitempty"`
	Metadata         map[string]any `json:"metadata"`
}

// recordOf flattens a log entry. Names are the accounts' current names, as
// Quay shows them: a deleted user's entries carry the random name Quay gave
// it (reference §1.9).
func recordOf(e superuser.LogEntry) record {
	r := record{Datetime: e.Datetime.UTC().Format(time.RFC3339), Kind: e.Kind, IP: e.IP, Metadata: e.Metadata}
	if r.Metadata == nil {
		r.Metadata = map[string]any{}
	}
	if ns := e.Namespace; ns != nil {
		r.Namespace, r.NamespaceKind = ns.Name, ns.Kind
	}
	if p := e.Performer; p != nil {
		r.Performer, r.PerformerIsRobot = p.Name, p.IsRobot
	}
	return r
}
