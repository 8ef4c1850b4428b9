"""record.py STEPS.json OUT.json: runs steps against real Quay on $RQPORT, recording each reply.
A step: [name, method, path, token_name, body_or_null(, content_type)]. token_name is a key of the
token env files ("" for anonymous, "RAW:secret" for a literal bearer such as a robot token). A body
goes with Content-Type application/json unless the step names another. "{code:TOKNAME}" in a path
is replaced by the newest org_team_invite code in that user's notifications."""
import json, os, re, sys, urllib.request, urllib.error
port = os.environ.get("RQPORT", "18120")
toks = {}
for f in ["/tmp/realquay/tokens.env", "/tmp/rq-fakecore/tok-%s.env" % port]:
    for line in open(f):
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1); toks[k] = v
def call(method, path, tok, body, ctype="application/json"):
    req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), method=method)
    if tok: req.add_header("Authorization", "Bearer " + (tok[4:] if tok.startswith("RAW:") else toks[tok]))
    data = None
    if body is not None:
        data = body.encode(); req.add_header("Content-Type", ctype)
    try:
        r = urllib.request.urlopen(req, data)
        return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()
codes_seen = {}
def code_for(tok):
    # The first invite code a user got, remembered: accepting deletes the notification.
    if tok in codes_seen:
        return codes_seen[tok]
    st, ct, b = call("GET", "/api/v1/user/notifications", tok, None)
    codes = [n["metadata"]["code"] for n in json.loads(b)["notifications"] if n["kind"] == "org_team_invite"]
    codes_seen[tok] = codes[0]
    return codes[0]
def logs():
    out, page = [], ""
    while True:
        st, ct, b = call("GET", "/api/v1/superuser/logs" + ("?next_page=" + page if page else ""), "QUAY_TOKEN", None)
        d = json.loads(b)
        out += d["logs"]
        page = d.get("next_page")
        if not page:
            return out
seen = {json.dumps(l, sort_keys=True) for l in logs()}
out = []
for name, method, template, tok, body, *rest in json.load(open(sys.argv[1])):
    path = re.sub(r"\{code:(\w+)\}", lambda m: code_for(m.group(1)), template)
    st, ct, b = call(method, path, tok, body, *rest)
    step = {"name": name, "method": method, "path": template, "token": tok, "request_body": body}
    if rest:
        step["request_content_type"] = rest[0]
    step.update({"status": st, "content_type": ct, "body": b})
    out.append(step)
# login_failure: Quay's test config logs every invalid bearer (ACTION_LOG_AUDIT_LOGIN_FAILURES),
# which fakequay does not model.
new = [l for l in logs() if json.dumps(l, sort_keys=True) not in seen and l["kind"] not in ("login_success", "login_failure")]
new.reverse()  # oldest first; same-second entries keep the listing's order
audit = [{"kind": l["kind"], "namespace": (l.get("namespace") or {}).get("name"),
          "performer": (l.get("performer") or {}).get("name"),
          "metadata": {k: v for k, v in l["metadata"].items() if not k.startswith("oauth_token")}} for l in new]
json.dump({"steps": out, "logs": audit}, open(sys.argv[2], "w"), indent=1)
for o in out: print(o["status"], o["name"])
print(len(audit), "logs")
