package fakequay

import (
	"github.com/quaykit/go-quay/fakequay/internal/avatar"
	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// The views of endpoints/api/permission.py (permission_models_interface.py),
// keys in Quay's order.

// userPermissionView is UserPermission.to_dict: is_org_member only for a
// repository of an organization (IsOrgMember nil otherwise).
type userPermissionView struct {
	Role        string        `json:"role"`
	Name        string        `json:"name"`
	IsRobot     bool          `json:"is_robot"`
	Avatar      avatar.Avatar `json:"avatar"`
	IsOrgMember *bool         `json:"is_org_member,omitempty"`
}

// repoTeamPermissionView is TeamPermission.to_dict.
type repoTeamPermissionView struct {
	Role   string        `json:"role"`
	Name   string        `json:"name"`
	Avatar avatar.Avatar `json:"avatar"`
}

// roleView is Role.to_dict.
type roleView struct {
	Role string `json:"role"`
}

// rolesView is getUserTransitivePermission's answer.
type rolesView struct {
	Permissions []roleView `json:"permissions"`
}

// userPermissionsView and teamPermissionsByNameView are the lists'
// {"permissions": {name: permission}}, a dict in the order of the rows.
type (
	userPermissionsView       struct{ perms *py.Object }
	teamPermissionsByNameView struct{ perms *py.Object }
)

func (v *userPermissionsView) add(name string, p userPermissionView) {
	if v.perms == nil {
		v.perms = py.NewObject()
	}
	v.perms.Set(name, p)
}

func (v *teamPermissionsByNameView) add(name string, p repoTeamPermissionView) {
	if v.perms == nil {
		v.perms = py.NewObject()
	}
	v.perms.Set(name, p)
}

func permissionsObject(perms *py.Object) *py.Object {
	if perms == nil {
		perms = py.NewObject()
	}
	out := py.NewObject()
	out.Set("permissions", perms)
	return out
}
