package fakequay

import (
	"encoding/json"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// The views of endpoints/api/robot.py (robot_models_interface.py), in
// Quay's key order.

// robotView is Robot.to_dict: the token and the metadata only when the
// call includes them (Token nil, Metadata nil: left out). Metadata is
// JSON; "null" is a present null.
type robotView struct {
	Name         string          `json:"name"`
	Created      *string         `json:"created"`
	LastAccessed *string         `json:"last_accessed"`
	Description  string          `json:"description"`
	Token        *string         `json:"token,omitempty"`
	Metadata     json.RawMessage `json:"unstructured_metadata,omitempty"`
}

// robotWithPermissionsView is RobotWithPermissions.to_dict, a robots-list
// entry with its teams and the repositories it has permissions on.
type robotWithPermissionsView struct {
	Name         string        `json:"name"`
	Created      *string       `json:"created"`
	LastAccessed *string       `json:"last_accessed"`
	Teams        []teamRefView `json:"teams"`
	Repositories []string      `json:"repositories"`
	Description  string        `json:"description"`
	Token        *string       `json:"token,omitempty"`
}

func (v *robotWithPermissionsView) hasTeam(name string) bool {
	for _, t := range v.Teams {
		if t.Name == name {
			return true
		}
	}
	return false
}

func (v *robotWithPermissionsView) hasRepository(name string) bool {
	for _, r := range v.Repositories {
		if r == name {
			return true
		}
	}
	return false
}

type robotsView struct {
	Robots []any `json:"robots"`
}

// robotFederationView is one federation entry as Quay answers it.
type robotFederationView struct {
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
}

func federationView(config []store.RobotFederation) []robotFederationView {
	out := make([]robotFederationView, 0, len(config))
	for _, f := range config {
		out = append(out, robotFederationView{Issuer: f.Issuer, Subject: f.Subject})
	}
	return out
}

// robotOf is the robot's view; metadata nil leaves it out.
func robotOf(o store.OwnedRobot, withToken bool, metadata json.RawMessage) *robotView {
	v := &robotView{Name: o.Name(), Created: formatDate(o.Robot.Created),
		LastAccessed: formatDate(o.Robot.LastAccessed), Description: o.Robot.Description, Metadata: metadata}
	if withToken {
		v.Token = &o.Robot.Token
	}
	return v
}

func robotWithPermissionsOf(o store.OwnedRobot, withToken bool) *robotWithPermissionsView {
	v := &robotWithPermissionsView{Name: o.Name(), Created: formatDate(o.Robot.Created),
		LastAccessed: formatDate(o.Robot.LastAccessed), Teams: []teamRefView{}, Repositories: []string{},
		Description: o.Robot.Description}
	if withToken {
		v.Token = &o.Robot.Token
	}
	return v
}

// storedMetadata is the robot's RobotAccountMetadata.unstructured_json, {}
// when it has none.
func storedMetadata(rb *store.Robot) json.RawMessage {
	if len(rb.Metadata) == 0 {
		return json.RawMessage("{}")
	}
	return rb.Metadata
}
