"""Regenerates jsonschema_golden.json with python-jsonschema 3.2.0 itself.

Usage, from this directory:

    git --git-dir=<jsonschema clone>/.git archive v3.2.0 jsonschema | tar -x -C /tmp/js320
    JSONSCHEMA_SRC=/tmp/js320 QUAY_SRC=/path/to/quay python3 generate_golden.py > jsonschema_golden.json

jsonschema 3.2.0 needs attrs, six and pyrsistent; attrs and six must be
importable, pyrsistent's pmap is stood in for below (jsonschema only builds
its type-checker table with it). Quay's schemas are read from Quay's source
with ast.literal_eval, so key order and raw-string patterns are the
originals. Each case's instance is json.loads of its text, as Flask's
get_json produces it; the recorded error is str() of what
jsonschema.validate raises (the ApiError detail, reference §1.6), or null.
"""
import ast
import importlib.metadata
import json
import os
import sys
import types


def install_shims():
    pyrsistent = types.ModuleType("pyrsistent")

    class PMap(dict):
        def update(self, other):
            new = PMap(self)
            dict.update(new, other)
            return new

        def remove(self, key):
            new = PMap(self)
            del new[key]
            return new

        def __hash__(self):
            return hash(tuple(sorted(self.items(), key=lambda kv: kv[0])))

    pyrsistent.pmap = lambda initial=None: PMap(initial or {})
    sys.modules["pyrsistent"] = pyrsistent
    real_version = importlib.metadata.version
    importlib.metadata.version = lambda name: "3.2.0" if name == "jsonschema" else real_version(name)


install_shims()
sys.path.insert(0, os.environ["JSONSCHEMA_SRC"])
import jsonschema  # noqa: E402

assert jsonschema.__version__ == "3.2.0"


# RENAMED gives a schema of a later module the golden name it goes by when
# an earlier module has one of the same name: organization.py's UpdateOrg is
# not superuser.py's.
RENAMED = {("endpoints/api/organization.py", "UpdateOrg"): "UpdateOrgDetails"}


def quay_schemas():
    quay = os.environ.get("QUAY_SRC", "/work/quay-src")
    found = {}
    for rel in ["endpoints/api/superuser.py", "endpoints/api/globalmessages.py",
                "endpoints/api/organization.py", "endpoints/api/team.py", "endpoints/api/robot.py"]:
        tree = ast.parse(open(os.path.join(quay, rel)).read())
        # robot.py names module-level constants in its schemas dicts.
        constants = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    constants[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    pass
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "schemas" for t in node.targets):
                for key, value in zip(node.value.keys, node.value.values):
                    name = ast.literal_eval(key)
                    schema = constants[value.id] if isinstance(value, ast.Name) else ast.literal_eval(value)
                    found[RENAMED.get((rel, name), name)] = schema
    return found


SCHEMAS = quay_schemas()
WANTED = ["CreateInstallUser", "UpdateUser", "UpdateOrg", "CreateServiceKey", "PutServiceKey",
          "ApproveServiceKey", "NewNamespaceQuota", "UpdateNamespaceQuota", "CreateMessage",
          "NewOrg", "UpdateOrgDetails", "TeamDescription", "CreateRobot", "CreateRobotFederation"]

LONG = "a long value with spaces that pprint has to wrap somewhere " * 3
CASES = {
    "CreateInstallUser": [
        '{}', '{"username": 5}', '{"username": null}', '{"username": true}', '{"username": 1.5}',
        '{"username": []}', '{"username": {}}', '{"username": "a", "email": 5}', '{"username": "a", "email": null}',
        '{"email": "x"}', '[]', '"str"', '5', 'null', '{"username": "ok", "extra": 1}',
        '{"username": ["\\u00e9", "\\u2028", "\\ud800", "\\ud83d\\ude00", "it\'s", "\\"q\\""]}',
        json.dumps({"username": LONG}), json.dumps({"username": {"nested": [1, 2, {"deep": LONG}], "b": None}}),
        '{"username": 123456789012345678901234567890}', '{"username": NaN}', '{"username": -Infinity}',
        '{"username": 1e16}', '{"username": 5.0}', '{"username": "x", "username": 7}',
    ],
    "UpdateUser": [
        '{"enabled": "false"}', '{"enabled": 0}', '{"enabled": 1}', '{"enabled": null}', '{"password": 5}',
        '{"email": []}', '{"password": 1, "email": 2, "enabled": 3}', '{"enabled": 3, "password": 1}',
        '[]', '"x"', '5', 'null', '{"superuser": true}', '{"enabled": true}', '{"email": {"a": [1, 2]}}',
    ],
    "UpdateOrg": ['{"name": 5}', '{"name": null}', '[]', '{}', '{"name": "ok"}', '{"name": ["a"]}'],
    "CreateServiceKey": [
        '{}', '{"service": "x"}', '{"expiration": null}', '{"service": 5, "expiration": null}',
        '{"service": "x", "expiration": "123"}', '{"service": "x", "expiration": true}',
        '{"service": "x", "expiration": []}', '{"service": "x", "expiration": null}',
        '{"service": "x", "expiration": 1.5e9}', '{"service": "x", "expiration": 1767225600}',
        '{"service": "x", "expiration": null, "metadata": []}', '{"service": "x", "expiration": null, "metadata": "x"}',
        '{"service": "x", "expiration": null, "name": 5}', '{"service": "x", "expiration": null, "notes": 5}',
        '{"service": "x", "expiration": null, "name": null}', '[]', '{"service": null, "expiration": {}}',
    ],
    "PutServiceKey": [
        '{"name": 5}', '{"metadata": "x"}', '{"expiration": "x"}', '{"expiration": false}',
        '{"expiration": null}', '{}', '[]', '{"expiration": {"when": "tomorrow"}}',
    ],
    "ApproveServiceKey": ['{"notes": 5}', '{"notes": null}', '[]', '{}', '{"notes": ""}'],
    "NewNamespaceQuota": [
        '{}', '{"limit_bytes": "5"}', '{"limit_bytes": 5.0}', '{"limit_bytes": 5.5}', '{"limit_bytes": true}',
        '{"limit_bytes": null}', '{"limit": "1.5G"}', '{"limit": "5G"}', '{"limit": "5 G"}', '{"limit": "5G\\n"}',
        '{"limit": 5}', '{"limit": ""}', '{"limit_bytes": 1, "limit": "5G"}', '{"limit_bytes": 1, "limit": "bad"}',
        '{"limit_bytes": "x", "limit": "5G"}', '[]', '"5G"', 'null', '{"limit_bytes": 12345678901234567890123}',
        '{"limit": "\\u0665G"}', '{"x": 1}', '{"limit_bytes": 1e400}', '{"limit_bytes": 1, "other": 2}',
    ],
    "UpdateNamespaceQuota": [
        '{}', '{"limit_bytes": 5}', '{"limit": "5G"}', '{"limit_bytes": 5, "x": 1}', '{"limit": "5G", "x": 1}',
        '{"x": 1}', '{"limit_bytes": 5, "limit": "5G"}', '{"limit_bytes": "5"}', '{"limit_bytes": 5.0}',
        '{"limit_bytes": 0}', '{"limit": "1.5G"}', '{"limit": null}', '[]', '{"limit_bytes": null, "limit": null}',
        '{"limit": "5G", "limit_bytes": 5}', '{"limit_bytes": -5}',
    ],
    "CreateMessage": [
        '{}', '{"message": {}}', '{"message": "x"}',
        '{"message": {"content": "x", "media_type": "text/html", "severity": "info"}}',
        '{"message": {"content": "x", "media_type": "text/plain", "severity": "fatal"}}',
        '{"message": {"content": "x", "media_type": 5, "severity": "info"}}',
        '{"message": {"content": null, "media_type": "text/plain", "severity": "info"}}',
        '{"message": {"content": "x"}}', '{"message": null}', '[]',
        '{"message": {"content": "hello", "media_type": "text/markdown", "severity": "warning"}}',
        '{"message": {"content": "x", "media_type": "text/plain", "severity": true}}',
    ],
    "NewOrg": [
        '{}', '{"name": 5}', '{"name": null}', '{"name": "ok"}', '{"name": "ok", "email": 5}',
        '{"name": "ok", "contact_email": null}', '{"name": "ok", "recaptcha_response": []}', '[]', '"x"',
        '{"email": "a@b.c"}', '{"name": ["a"], "email": 5}',
    ],
    "UpdateOrgDetails": [
        '{}', '{"email": null}', '{"email": 5}', '{"contact_email": null}', '{"contact_email": 5}',
        '{"invoice_email": "yes"}', '{"invoice_email": 1}', '{"invoice_email_address": null}',
        '{"invoice_email_address": []}', '{"tag_expiration_s": -1}', '{"tag_expiration_s": 0}',
        '{"tag_expiration_s": "86400"}', '{"tag_expiration_s": 86400.0}', '{"tag_expiration_s": 1.5}',
        '{"tag_expiration_s": true}', '{"tag_expiration_s": -1.5}', '{"tag_expiration_s": -12345678901234567890}',
        '[]', '"x"', 'null',
    ],
    "TeamDescription": [
        '{}', '{"role": "boss"}', '{"role": 5}', '{"role": null}', '{"role": "admin"}', '{"description": "x"}',
        '{"role": "member", "description": 5}', '{"role": "Member"}', '[]', '"admin"',
        '{"role": "creator", "description": null}', '{"role": ["admin"]}',
    ],
    "CreateRobot": [
        '{}', '{"description": 5}', '{"description": null}', '{"unstructured_metadata": null}',
        '{"unstructured_metadata": "x"}', '{"unstructured_metadata": []}', '{"unstructured_metadata": {"a": [1]}}',
        json.dumps({"description": "d" * 256}), json.dumps({"description": "\u00e9" * 255}),
        json.dumps({"description": "\ud83d\ude00" * 128}), '[]', '"x"', '5', '{"other": 1}',
        '{"description": 5, "unstructured_metadata": 5}',
    ],
    "CreateRobotFederation": [
        '[]', '{}', '"x"', '[{}]', '[{"issuer": "https://a"}]', '[{"subject": "s"}]', '[{"issuer": 1, "subject": "s"}]',
        '[{"issuer": "https://a", "subject": null}]', '["x"]', '[null]', '[[]]',
        '[{"issuer": "https://a", "subject": "s"}, {"issuer": "https://b"}]',
        '[{"issuer": "https://a", "subject": "s"}, 5, {"subject": 1}]', '[{"issuer": "", "subject": "", "x": 1}]',
    ],
}

INLINE = [
    ('{"enum": [1, true, "a", null, [1], {"a": 1}]}', ['1', 'true', '1.0', 'false', '0', '[1.0]', '{"a": 1.0}', '"b"', 'null', '2']),
    ('{"enum": [0, false]}', ['0.0', 'false', 'true', '1', '0']),
    ('{"enum": [1.0]}', ['true', '1', '[]']),
    ('{"type": ["string", "null"], "minLength": 2, "maxLength": 3}', ['"a"', '"abcd"', '"\\ud800\\ud800"', '"\\ud83d\\ude00\\ud83d\\ude00"', '5', 'null']),
    ('{"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}', ['{"a": "x", "b": "y", "c": 1}', '{"a": 1, "c": 1.0}']),
    ('{"additionalProperties": false}', ['{"a": 1}', '{}', '[1]']),
    ('{"allOf": [{"type": "object"}, {"required": ["a"]}]}', ['5', '{}', '{"a": 1}']),
    ('{"anyOf": [{"type": "string", "maxLength": 1}, {"type": "integer"}]}', ['"ab"', '1.5', '"a"', '2']),
    ('{"not": {"type": "string"}}', ['"x"', '5']),
    ('{"properties": {"a": false}}', ['{"a": 1}', '{"b": 1}']),
    ('{"properties": {"a": {"properties": {"b": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}}}', ['{"a": {"b": 1.5}}', '{"a": {"b": 1}}']),
    ('{"oneOf": [{"type": "integer"}, {"type": "number"}, {}]}', ['5', '"x"', '5.5']),
    ('{"type": "integer"}', ['5.0', '5.5', '1e400', 'NaN', 'true', '12345678901234567890']),
    ('{"type": "number"}', ['true', 'false', '5', 'NaN', '"1"']),
    ('false', ['{}', '5']),
    ('true', ['{}']),
    ('{"type": "string", "pattern": "^[\\\\s a-zA-Z0-9\\\\-_:/]*$"}', ['"ci key"', '"dot.ted"', '"nl\\n"', '"\\u3000"']),
    ('{"anyOf": [{"anyOf": [{"type": "string"}, {"required": ["x"]}]}, {"type": "null"}]}', ['{}', '5']),
    # best_match prefers a weak (anyOf/oneOf) error inside a context, and a
    # strong one at the top level, whatever comes first.
    ('{"anyOf": [{"type": "null"}, {"anyOf": [{"type": "string"}, {"required": ["x"]}]}]}', ['{}', '5']),
    ('{"oneOf": [{"type": "string"}], "type": "integer"}', ['1.5', '"x"']),
    ('{"minimum": 0}', ['-1', '0', '-0.5', '-1e400', '"x"', 'true', 'null', '-12345678901234567890']),
    ('{"minimum": 2.5}', ['2', '3', '2.5', 'NaN']),
    ('{"minimum": -3}', ['-4', '-3.0', '-2']),
    ('{"items": {"type": "integer"}}', ['[1, "a", 2.5]', '[]', '{}', '"ab"']),
    ('{"items": [{"type": "integer"}, {"type": "string"}]}', ['[1, 2]', '["a"]', '[1, "a", 3]', '[]']),
    ('{"items": false}', ['[]', '[1]']),
    ('{"items": {"items": {"required": ["a"]}}}', ['[[{}], [{"a": 1}]]', '[[], [{}]]']),
    ('{"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "null"}]}}', ['["a", 1]', '[null]']),
]


def run(schema, text):
    instance = json.loads(text)
    try:
        jsonschema.validate(instance, schema)
    except jsonschema.ValidationError as e:
        return str(e)
    return None


def main():
    out = {"schemas": {name: repr(SCHEMAS[name]) for name in WANTED}, "cases": []}
    for name in WANTED:
        for text in CASES[name]:
            out["cases"].append({"schema": name, "instance": text, "error": run(SCHEMAS[name], text)})
    for schema_text, instances in INLINE:
        for text in instances:
            out["cases"].append({"schema": schema_text, "instance": text, "error": run(json.loads(schema_text), text)})
    print(json.dumps(out, indent=1, ensure_ascii=True))


main()
