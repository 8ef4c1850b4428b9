package fakequay

import (
	"github.com/quaykit/go-quay/fakequay/internal/jsonschema"
	"github.com/quaykit/go-quay/fakequay/internal/py"
)

// object is a decoded JSON request object (Python dict semantics: ordered,
// a repeated key keeps its first position and its last value). Accessors
// return a member only when it has the type asked for; the schema has
// usually guaranteed that already.
type object struct{ o *py.Object }

// asObject returns v as an object when it is a JSON object.
func asObject(v any) (object, bool) {
	o, ok := v.(*py.Object)
	return object{o}, ok
}

func (o object) get(key string) (any, bool) {
	if o.o == nil {
		return nil, false
	}
	return o.o.Get(key)
}

func (o object) has(key string) bool { _, ok := o.get(key); return ok }

func (o object) str(key string) (string, bool) {
	v, _ := o.get(key)
	s, ok := v.(string)
	return s, ok
}

func (o object) boolean(key string) (bool, bool) {
	v, _ := o.get(key)
	b, ok := v.(bool)
	return b, ok
}

// bodySchema is one of Quay's request schemas, checked by
// validate_json_request with jsonschema 3.2.0: a failure is an ApiError 400
// whose detail is the full text of the best-matching error (reference §1.6).
type bodySchema struct{ schema *jsonschema.Schema }

func (b *bodySchema) validate(body any) error {
	if verr := b.schema.Validate(body); verr != nil {
		return invalidRequest(verr.Error())
	}
	return nil
}

// Quay's request schemas.
var (
	schemaCreateInstallUser    = &bodySchema{jsonschema.CreateInstallUser}
	schemaUpdateUser           = &bodySchema{jsonschema.UpdateUser}
	schemaUpdateOrg            = &bodySchema{jsonschema.UpdateOrg}
	schemaCreateServiceKey     = &bodySchema{jsonschema.CreateServiceKey}
	schemaPutServiceKey        = &bodySchema{jsonschema.PutServiceKey}
	schemaApproveServiceKey    = &bodySchema{jsonschema.ApproveServiceKey}
	schemaNewNamespaceQuota    = &bodySchema{jsonschema.NewNamespaceQuota}
	schemaUpdateNamespaceQuota = &bodySchema{jsonschema.UpdateNamespaceQuota}
	schemaCreateMessage        = &bodySchema{jsonschema.CreateMessage}
	schemaNewOrg               = &bodySchema{jsonschema.NewOrg}
	schemaUpdateOrgDetails     = &bodySchema{jsonschema.UpdateOrgDetails}
	schemaTeamDescription      = &bodySchema{jsonschema.TeamDescription}
	schemaCreateRobot          = &bodySchema{jsonschema.CreateRobot}
	schemaRobotFederation      = &bodySchema{jsonschema.CreateRobotFederation}
	schemaNewOrgQuotaLimit     = &bodySchema{jsonschema.NewOrgQuotaLimit}
	schemaUpdateOrgQuotaLimit  = &bodySchema{jsonschema.UpdateOrgQuotaLimit}
	schemaNewRepo              = &bodySchema{jsonschema.NewRepo}
	schemaRepoUpdate           = &bodySchema{jsonschema.RepoUpdate}
	schemaChangeVisibility     = &bodySchema{jsonschema.ChangeVisibility}
	schemaChangeRepoState      = &bodySchema{jsonschema.ChangeRepoState}
	schemaChangeTag            = &bodySchema{jsonschema.ChangeTag}
	schemaRestoreTag           = &bodySchema{jsonschema.RestoreTag}
	schemaAddLabel             = &bodySchema{jsonschema.AddLabel}
	schemaExpireTag            = &bodySchema{jsonschema.ExpireTag}
	schemaUserPermission       = &bodySchema{jsonschema.UserPermission}
	schemaTeamPermission       = &bodySchema{jsonschema.TeamPermission}
	schemaNewPrototype         = &bodySchema{jsonschema.NewPrototype}
	schemaPrototypeUpdate      = &bodySchema{jsonschema.PrototypeUpdate}
	schemaNotificationCreate   = &bodySchema{jsonschema.NotificationCreateRequest}
	schemaCreateMirrorConfig   = &bodySchema{jsonschema.CreateMirrorConfig}
	schemaUpdateMirrorConfig   = &bodySchema{jsonschema.UpdateMirrorConfig}
	schemaSigninUser           = &bodySchema{jsonschema.SigninUser}
	schemaVerifyUser           = &bodySchema{jsonschema.VerifyUser}
)
