package jsonschema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/quaykit/go-quay/fakequay/internal/py"
)

func decode(t *testing.T, text string) any {
	t.Helper()
	v, err := py.Decode([]byte(text))
	if err != nil {
		t.Fatalf("py.Decode(%s): %v", text, err)
	}
	return v
}

func errorText(e *ValidationError) string {
	if e == nil {
		return "<valid>"
	}
	return e.Error()
}

// TestValidateMatchesJsonschema compares the full str(ValidationError) with
// jsonschema 3.2.0's on every recorded case (reference §1.6).
func TestValidateMatchesJsonschema(t *testing.T) {
	t.Parallel()
	for _, c := range readGolden(t).Cases {
		s, ok := quaySchemas[c.Schema]
		if !ok {
			var err error
			if s, err = Parse(c.Schema); err != nil {
				t.Errorf("Parse(%s): %v", c.Schema, err)
				continue
			}
		}
		want := "<valid>"
		if c.Error != nil {
			want = *c.Error
		}
		got := errorText(s.Validate(decode(t, c.Instance)))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s on %s mismatch (-want +got):\n%s", c.Schema, c.Instance, diff)
		}
	}
}

// TestValidateFirstLine lists, per schema, the first line of the detail Quay
// returns; the cases named in the reference come first.
func TestValidateFirstLine(t *testing.T) {
	t.Parallel()
	const quotaRepr = `'^(\\d+\\s?(B|KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB|Ki|Mi|Gi|Ti|Pi|Ei|Zi|Yi|KB|MB|GB|TB|PB|EB|ZB|YB|K|M|G|T|P|E|Z|Y)?)$'`
	const limitBranch = `{'required': ['limit'], 'properties': {'limit': {'type': 'string', 'description': 'Human readable storage capacity of the organization', 'pattern': ` + quotaRepr + `}}}`
	const limitBytesBranch = `{'required': ['limit_bytes'], 'properties': {'limit_bytes': {'type': 'integer', 'description': 'Number of bytes the organization is allowed'}}}`
	tests := []struct {
		name     string
		schema   *Schema
		instance string
		want     string // "" when valid
	}{
		// §1.6 and §2.2 createInstallUser
		{"§1.6 empty body", CreateInstallUser, `{}`, `'username' is a required property`},
		{"§1.6 number for string", CreateInstallUser, `{"username": 5}`, `5 is not of type 'string'`},
		{"§1.6 null for string", CreateInstallUser, `{"username": null}`, `None is not of type 'string'`},
		{"§2.2 array body passes", CreateInstallUser, `[]`, ""},
		{"§2.2 string body passes", CreateInstallUser, `"alice"`, ""},
		{"§2.2 extra keys pass", CreateInstallUser, `{"username": "foo", "x": 1}`, ""},
		{"email wrong type", CreateInstallUser, `{"username": "a", "email": false}`, `False is not of type 'string'`},
		{"unicode in repr", CreateInstallUser, `{"username": ["é", "\u2028", "\ud800", "\ud83d\ude00"]}`, `['é', '\u2028', '\ud800', '😀'] is not of type 'string'`},
		{"quotes pick the other quote", CreateInstallUser, `{"username": ["it's", "\"q\""]}`, `["it's", '"q"'] is not of type 'string'`},
		{"duplicate key: last value", CreateInstallUser, `{"username": "x", "username": 7}`, `7 is not of type 'string'`},
		// §3 changeInstallUser
		{"§1.6 string for boolean", UpdateUser, `{"enabled": "false"}`, `'false' is not of type 'boolean'`},
		{"0 is not boolean", UpdateUser, `{"enabled": 0}`, `0 is not of type 'boolean'`},
		{"first property in schema order", UpdateUser, `{"enabled": 3, "password": 1}`, `1 is not of type 'string'`},
		{"array body", UpdateUser, `[]`, `[] is not of type 'object'`},
		{"null body value", UpdateUser, `null`, `None is not of type 'object'`},
		{"undocumented superuser key passes", UpdateUser, `{"superuser": true}`, ""},
		// §2.6 changeOrganization
		{"org name wrong type", UpdateOrg, `{"name": ["a"]}`, `['a'] is not of type 'string'`},
		{"org empty body", UpdateOrg, `{}`, ""},
		// §2.9 createServiceKey
		{"§2.9 service required", CreateServiceKey, `{}`, `'service' is a required property`},
		{"§2.9 expiration key required", CreateServiceKey, `{"service": "x"}`, `'expiration' is a required property`},
		{"§1.6 string expiration", CreateServiceKey, `{"service": "x", "expiration": "123"}`, `'123' is not of type 'number'`},
		{"boolean expiration", CreateServiceKey, `{"service": "x", "expiration": true}`, `True is not of type 'number'`},
		{"§2.9 null expiration passes", CreateServiceKey, `{"service": "x", "expiration": null}`, ""},
		{"§2.9 float expiration passes", CreateServiceKey, `{"service": "x", "expiration": 1.5e9}`, ""},
		{"required beats deeper type errors", CreateServiceKey, `{"service": 5}`, `'expiration' is a required property`},
		{"metadata must be an object", CreateServiceKey, `{"service": "x", "expiration": null, "metadata": []}`, `[] is not of type 'object'`},
		// §2.11 updateServiceKey
		{"§2.11 name", PutServiceKey, `{"name": 5}`, `5 is not of type 'string'`},
		{"§2.11 expiration dict", PutServiceKey, `{"expiration": {"when": "tomorrow"}}`, `{'when': 'tomorrow'} is not of type 'number'`},
		{"§2.11 empty body", PutServiceKey, `{}`, ""},
		// §2.13 approveServiceKey
		{"§2.13 notes", ApproveServiceKey, `{"notes": null}`, `None is not of type 'string'`},
		{"§2.13 empty body", ApproveServiceKey, `{}`, ""},
		// §2.14 createUserQuotaSuperUser
		{"§2.14 empty body", NewNamespaceQuota, `{}`, `'limit_bytes' is a required property`},
		{"§1.6 decimal limit", NewNamespaceQuota, `{"limit": "1.5G"}`, `'1.5G' does not match ` + quotaRepr},
		{"§1.6 both keys", NewNamespaceQuota, `{"limit_bytes": 1, "limit": "5G"}`, `{'limit_bytes': 1, 'limit': '5G'} is valid under each of ` + limitBranch + `, ` + limitBytesBranch},
		{"integral float is an integer in 3.2.0", NewNamespaceQuota, `{"limit_bytes": 5.0}`, ""},
		{"fractional float", NewNamespaceQuota, `{"limit_bytes": 5.5}`, `5.5 is not of type 'integer'`},
		{"boolean is no integer", NewNamespaceQuota, `{"limit_bytes": true}`, `True is not of type 'integer'`},
		{"string bytes", NewNamespaceQuota, `{"limit_bytes": "5"}`, `'5' is not of type 'integer'`},
		{"space before unit", NewNamespaceQuota, `{"limit": "5 G"}`, ""},
		{"final newline passes the pattern", NewNamespaceQuota, `{"limit": "5G\n"}`, ""},
		{"Arabic-Indic digit passes", NewNamespaceQuota, `{"limit": "\u0665G"}`, ""},
		{"array body", NewNamespaceQuota, `[]`, `[] is not of type 'object'`},
		{"extra key allowed", NewNamespaceQuota, `{"limit_bytes": 1, "other": 2}`, ""},
		{"infinite bytes", NewNamespaceQuota, `{"limit_bytes": 1e400}`, `inf is not of type 'integer'`},
		// §2.14 changeUserQuotaSuperUser
		{"§2.14 empty body passes", UpdateNamespaceQuota, `{}`, ""},
		{"§1.6 extra key", UpdateNamespaceQuota, `{"limit_bytes": 5, "x": 1}`, `{} is not allowed for 5`},
		{"§2.14 both keys", UpdateNamespaceQuota, `{"limit_bytes": 5, "limit": "5G"}`, `{} is not allowed for 5`},
		{"§2.14 only an extra key", UpdateNamespaceQuota, `{"x": 1}`, `'limit_bytes' is a required property`},
		{"extra key with limit", UpdateNamespaceQuota, `{"limit": "5G", "x": 1}`, `{} is not allowed for '5G'`},
		{"null limit", UpdateNamespaceQuota, `{"limit": null}`, `None is not of type 'string'`},
		{"zero passes the schema", UpdateNamespaceQuota, `{"limit_bytes": 0}`, ""},
		// §3 createGlobalMessage
		{"§3 outer key optional", CreateMessage, `{}`, ""},
		{"§3 inner fields required", CreateMessage, `{"message": {}}`, `'content' is a required property`},
		{"§3 media type enum", CreateMessage, `{"message": {"content": "x", "media_type": "text/html", "severity": "info"}}`, `'text/html' is not one of ['text/plain', 'text/markdown']`},
		{"§3 severity enum", CreateMessage, `{"message": {"content": "x", "media_type": "text/plain", "severity": "fatal"}}`, `'fatal' is not one of ['info', 'warning', 'error']`},
		{"§3 message must be an object", CreateMessage, `{"message": "x"}`, `'x' is not of type 'object'`},
		{"§3 type checked before enum", CreateMessage, `{"message": {"content": "x", "media_type": 5, "severity": "info"}}`, `5 is not of type 'string'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ""
			if e := tt.schema.Validate(decode(t, tt.instance)); e != nil {
				got, _, _ = strings.Cut(e.Error(), "\n")
				if diff := cmp.Diff(got, e.Message); diff != "" {
					t.Errorf("Message is not the first line of Error() (-line +Message):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("first line mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidationErrorFields checks the structured fields for an error picked
// out of a oneOf context, whose paths are relative to the oneOf.
func TestValidationErrorFields(t *testing.T) {
	t.Parallel()
	e := NewNamespaceQuota.Validate(decode(t, `{"limit": "1.5G"}`))
	if e == nil {
		t.Fatal("Validate = nil; want a pattern error")
	}
	limit, _ := NewNamespaceQuota.Value().(*py.Object).Get("oneOf")
	branch := limit.([]any)[1].(*py.Object)
	props, _ := branch.Get("properties")
	limitSchema, _ := props.(*py.Object).Get("limit")
	got := []any{e.Validator, e.ValidatorValue, e.Instance, e.Path, e.SchemaPath, len(e.Context), py.Repr(e.Schema)}
	want := []any{
		"pattern", `^(\d+\s?(B|KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB|Ki|Mi|Gi|Ti|Pi|Ei|Zi|Yi|KB|MB|GB|TB|PB|EB|ZB|YB|K|M|G|T|P|E|Z|Y)?)$`,
		"1.5G", []any{"limit"}, []any{1, "properties", "limit", "pattern"}, 0, py.Repr(limitSchema),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("[Validator ValidatorValue Instance Path SchemaPath len(Context) Schema] mismatch (-want +got):\n%s", diff)
	}
}

// FuzzValidate checks that validating any decodable body against every Quay
// schema, and formatting the error, never panics.
func FuzzValidate(f *testing.F) {
	for _, seed := range []string{`{}`, `{"limit_bytes": 1, "limit": "5G"}`, `{"message": {"content": 1}}`, `[1, {"a": NaN}]`, `{"username": "\ud800"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		instance, err := py.Decode(body)
		if err != nil {
			return
		}
		for name, s := range quaySchemas {
			if e := s.Validate(instance); e != nil && !strings.HasPrefix(e.Error(), e.Message+"\n\nFailed validating ") {
				t.Fatalf("%s: malformed error text %q", name, e.Error())
			}
		}
	})
}
