package fakequay

// object is a decoded JSON request object; its accessors return a member
// only when it has the type the schema guarantees.
type object map[string]any

// asObject returns v as an object when it is a JSON object.
func asObject(v any) (object, bool) {
	m, ok := v.(map[string]any)
	return object(m), ok
}

func (o object) has(key string) bool { _, ok := o[key]; return ok }

func (o object) str(key string) (string, bool) {
	s, ok := o[key].(string)
	return s, ok
}

func (o object) boolean(key string) (bool, bool) {
	b, ok := o[key].(bool)
	return b, ok
}

// TEMPORARY until internal/jsonschema lands.
var (
	schemaCreateInstallUser    = &bodySchema{}
	schemaUpdateUser           = &bodySchema{}
	schemaUpdateOrg            = &bodySchema{}
	schemaCreateServiceKey     = &bodySchema{}
	schemaPutServiceKey        = &bodySchema{}
	schemaApproveServiceKey    = &bodySchema{}
	schemaNewNamespaceQuota    = &bodySchema{}
	schemaUpdateNamespaceQuota = &bodySchema{}
	schemaCreateMessage        = &bodySchema{}
)
