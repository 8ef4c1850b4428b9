package fakequay

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Fuzz targets for everything fakequay reads from outside: the whole HTTP
// surface and the seed file. (The journal reader gets its target with
// persistence.)

// fuzzCallers are the Authorization headers a fuzzed request picks from:
// every caller kind of the harness (§1.2), a JWT-shaped bearer (an SSO
// token, §1.1), Basic auth and a malformed header.
var fuzzCallers = []string{
	"Bearer " + tokAdmin, "Bearer " + tokNoScope, "Bearer " + tokAlice, "Bearer " + tokAuditor,
	"Bearer " + tokBoth, "Bearer " + tokDisabled, "Bearer " + tokUnknown, "",
	"Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL3Nzby5leGFtcGxlLmNvbSJ9.x",
	"Basic YWRtaW46cGFzc3dvcmQ=", "Bearer", "bearer  " + tokAdmin + "  ",
	"Bearer owen-token", "Bearer tess-token", // acme's admin and a member of its devs team (matrixOrg)
}

// fuzzContentTypes are the Content-Type headers a fuzzed request picks from.
var fuzzContentTypes = []string{
	"application/json", "", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8",
	"application/merge-patch+json", "multipart/form-data; boundary=x", "APPLICATION/JSON", "application/jsonx",
}

// fuzzVarDefaults fill a route's path variables that the fuzzed path does
// not: names the corpus seed knows, so that mutations start from requests
// that reach the handlers.
var fuzzVarDefaults = map[string]string{
	"username": "alice", "name": "acme", "namespace": "acme", "quota_id": "1", "kid": "k2",
	"uuid": "3f8a3c4e-1111-4a5b-9c6d-000000000001", "build_uuid": exampleBuildUUID, "error_type": "not_found",
	"orgname": "acme", "teamname": "devs", "membername": "tess", "email": "pending@example.com",
	"code": "urn:teaminvite:matrix", "robot_shortname": "bot", "repository": "acme/web", "tag": "latest",
	"manifestref": "sha256:0000000000000000000000000000000000000000000000000000000000000000", "labelid": "x",
	"limit_id":    "1",
	"prefix":      "a",
	"prototypeid": "3f8a3c4e-2222-4a5b-9c6d-000000000001",
}

// Flags of a fuzzed request.
const (
	fuzzBrowser     = 1 << iota // a browser User-Agent (§1.1 XHR check)
	fuzzXHR                     // X-Requested-With: XMLHttpRequest
	fuzzForwarded               // an X-Forwarded-For chain (§1.11 ip)
	fuzzUnknownSize             // a body of unknown length (chunked)
)

// fuzzRequest builds the request a fuzz input describes, or nil when the
// input is not a request a client could send. route picks one of ops (its
// variables filled from the "|"-separated vars, then the defaults) or,
// past the end of ops, the raw method and path.
func fuzzRequest(t *testing.T, ops []Operation, route uint8, method, vars, query string,
	caller, contentType, flags uint8, body []byte) *http.Request {
	path := vars
	if int(route) < len(ops) {
		op := ops[route]
		method = op.Method
		parts := strings.Split(vars, "|")
		segs := strings.Split(op.Path, "/")
		i := 0
		for j, seg := range segs {
			if name, ok := strings.CutPrefix(seg, "{"); ok {
				segs[j] = fuzzVarDefaults[strings.TrimSuffix(name, "}")]
				if i < len(parts) && parts[i] != "" {
					segs[j] = parts[i]
				}
				i++
			}
		}
		path = strings.Join(segs, "/")
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if strings.HasPrefix(path, controlPrefix) {
		return nil // the dev stub's own controls are not Quay's surface
	}
	var rd io.Reader = strings.NewReader(string(body))
	if flags&fuzzUnknownSize != 0 {
		rd = struct{ io.Reader }{rd}
	}
	u := &url.URL{Scheme: "http", Host: testHost, Path: path, RawQuery: query}
	req, err := http.NewRequestWithContext(t.Context(), method, u.String(), rd)
	if err != nil {
		return nil
	}
	req.URL = u // keep the path exactly as fuzzed
	if a := fuzzCallers[int(caller)%len(fuzzCallers)]; a != "" {
		req.Header.Set("Authorization", a)
	}
	if ct := fuzzContentTypes[int(contentType)%len(fuzzContentTypes)]; ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if flags&fuzzBrowser != 0 {
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
	}
	if flags&fuzzXHR != 0 {
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
	}
	if flags&fuzzForwarded != 0 {
		req.Header.Set("X-Forwarded-For", "203.0.113.7, , not-an-ip")
	}
	return req
}

// FuzzHTTP sends one fuzzed request to a server loaded with the corpus
// seed (reset before each input, so every failure reproduces alone) and
// requires: no panic, a reply of a known shape (shapeOf), and the
// server's invariants (serverInvariants).
func FuzzHTTP(f *testing.F) {
	seed := fixtureSeed()
	corpusSeed(&seed)
	s, err := New(WithSeed(seed))
	if err != nil {
		f.Fatal(err)
	}
	ops := s.Operations()
	index := func(method, path string) uint8 {
		for i, op := range ops {
			if op.Method == method && op.Path == path {
				return uint8(i)
			}
		}
		f.Fatalf("no operation %s %s", method, path)
		return 0
	}
	raw := uint8(len(ops))
	for _, c := range badInputs() {
		if len(c.body) > 4096 {
			continue // the size limit has its own tests
		}
		u, err := url.Parse(c.path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw, c.method, u.Path, u.RawQuery, uint8(0), uint8(0), uint8(0), []byte(c.body))
	}
	f.Add(index("POST", "/api/v1/superuser/keys"), "", "", "", uint8(0), uint8(0), uint8(0),
		[]byte(`{"service": "svc", "expiration": null, "metadata": {"a": [1, 2.5, null]}, "notes": "n"}`))
	f.Add(index("PUT", "/api/v1/superuser/organizations/{name}"), "", "acme", "", uint8(0), uint8(4), uint8(fuzzForwarded),
		[]byte(`{"name": "megacorp"}`))
	f.Add(index("DELETE", "/api/v1/superuser/users/{username}"), "", "alice", "", uint8(0), uint8(1), uint8(0), []byte(nil))
	f.Add(index("GET", "/api/v1/superuser/logs"), "", "", "starttime=11/27/2026&endtime=11/28/2026", uint8(3), uint8(1),
		uint8(fuzzBrowser|fuzzXHR), []byte(nil))
	f.Add(index("POST", "/api/v1/superuser/takeownership/{namespace}"), "", "alice", "", uint8(0), uint8(0), uint8(0), []byte(nil))
	f.Add(index("PUT", "/api/v1/superuser/users/{namespace}/quota/{quota_id}"), "", "acme|1", "", uint8(0), uint8(0),
		uint8(fuzzUnknownSize), []byte(`{"limit": "5 GiB"}`))
	// The repository and permission API, as acme's admin (caller 12).
	f.Add(index("POST", "/api/v1/repository"), "", "", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"namespace": "acme", "repository": "new/nested", "visibility": "public", "description": "d"}`))
	f.Add(index("GET", "/api/v1/repository"), "", "", "namespace=acme&public=true&popularity=1", uint8(12), uint8(0), uint8(0), []byte(nil))
	f.Add(index("PUT", "/api/v1/repository/{repository}"), "", "acme/web", "", uint8(12), uint8(0), uint8(0), []byte(`{"description": "x"}`))
	f.Add(index("PUT", "/api/v1/repository/{repository}/permissions/user/{username}"), "", "acme/web|alice", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"role": "write"}`))
	f.Add(index("DELETE", "/api/v1/repository/{repository}/permissions/team/{teamname}"), "", "acme/web|devs", "", uint8(12), uint8(0), uint8(0),
		[]byte(nil))
	f.Add(index("POST", "/api/v1/organization/{orgname}/prototypes"), "", "acme", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"role": "write", "delegate": {"kind": "team", "name": "devs"}, "activating_user": {"name": "tess"}}`))
	// The organization and team API, as acme's admin (caller 12).
	f.Add(index("POST", "/api/v1/organization/"), "", "", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"name": "neworg", "email": "neworg@example.com"}`))
	f.Add(index("PUT", "/api/v1/organization/{orgname}"), "", "acme", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"invoice_email": true, "email": "new@example.com", "tag_expiration_s": 86400}`))
	f.Add(index("PUT", "/api/v1/organization/{orgname}/team/{teamname}"), "", "acme|qa", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"role": "creator", "description": "QA"}`))
	f.Add(index("PUT", "/api/v1/organization/{orgname}/team/{teamname}/members/{membername}"), "", "acme|devs|alice", "",
		uint8(12), uint8(0), uint8(0), []byte(nil))
	f.Add(index("GET", "/api/v1/organization/{orgname}/team/{teamname}/members"), "", "acme|devs", "includePending=true",
		uint8(12), uint8(0), uint8(0), []byte(nil))
	f.Add(index("PUT", "/api/v1/teaminvite/{code}"), "", "urn:teaminvite:matrix", "", uint8(0), uint8(0), uint8(0), []byte(nil))
	// The lookups and the bootstrap, as acme's admin (caller 12).
	f.Add(index("GET", "/api/v1/entities/{prefix}"), "", "b", "namespace=acme&includeTeams=true&includeOrgs=true", uint8(12),
		uint8(0), uint8(0), []byte(nil))
	f.Add(index("GET", "/api/v1/user/"), "", "", "", uint8(12), uint8(0), uint8(0), []byte(nil))
	f.Add(index("GET", "/api/v1/users/{username}"), "", "owen", "", uint8(0), uint8(0), uint8(0), []byte(nil))
	f.Add(index("POST", "/api/v1/user/initialize"), "", "", "", uint8(0), uint8(0), uint8(0),
		[]byte(`{"username": "first", "password": "password", "access_token": 1}`))
	f.Add(index("DELETE", "/api/v1/organization/{orgname}/members/{membername}"), "", "acme|tess", "", uint8(12), uint8(0),
		uint8(0), []byte(nil))
	// The robot API: acme's admin (caller 12) on acme's robots, alice
	// (caller 2) on her own.
	f.Add(index("PUT", "/api/v1/organization/{orgname}/robots/{robot_shortname}"), "", "acme|ci", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"description": "CI", "unstructured_metadata": {"team": "platform", "tier": 1.0, "tags": ["a", null]}}`))
	f.Add(index("GET", "/api/v1/organization/{orgname}/robots"), "", "acme", "permissions=true&token=false&limit=2", uint8(12),
		uint8(0), uint8(0), []byte(nil))
	f.Add(index("POST", "/api/v1/organization/{orgname}/robots/{robot_shortname}/federation"), "", "acme|bot", "", uint8(12),
		uint8(0), uint8(0), []byte(`[{"issuer": "https://ci.example", "subject": "repo:acme/web"}]`))
	f.Add(index("PUT", "/api/v1/user/robots/{robot_shortname}"), "", "builder", "", uint8(2), uint8(0), uint8(0),
		[]byte(`{"description": "local builds"}`))
	f.Add(index("POST", "/api/v1/user/robots/{robot_shortname}/regenerate"), "", "bot", "", uint8(2), uint8(0), uint8(0), []byte(nil))
	f.Add(index("DELETE", "/api/v1/user/robots/{robot_shortname}"), "", "bot", "", uint8(2), uint8(0), uint8(0), []byte(nil))
	// The content API, as acme's admin (caller 12).
	f.Add(index("GET", "/api/v1/repository/{repository}/tag/"), "", "acme/web",
		"limit=1&page=2&onlyActiveTags=true&filter_tag_name=like:a", uint8(12), uint8(0), uint8(0), []byte(nil))
	f.Add(index("GET", "/api/v1/repository/{repository}/manifest/{manifestref}/labels"), "", "acme/web|sha256:abc",
		"filter=a", uint8(12), uint8(0), uint8(0), []byte(nil))
	f.Add(index("PUT", "/api/v1/repository/{repository}/tag/{tag}"), "", "acme/web|latest", "", uint8(12), uint8(0), uint8(0),
		[]byte(`{"expiration": 1e300, "manifest_digest": "sha256:feed"}`))
	f.Add(index("DELETE", "/api/v1/repository/{repository}/tag/{tag}"), "", "acme/web|latest", "", uint8(12), uint8(0), uint8(0),
		[]byte(nil))
	f.Add(index("POST", "/api/v1/repository/{repository}/tag/{tag}/restore"), "", "acme/web|latest", "", uint8(12), uint8(0),
		uint8(0), []byte(`{"manifest_digest": "sha256:feed"}`))
	f.Add(index("POST", "/api/v1/repository/{repository}/manifest/{manifestref}/labels"), "", "acme/web|sha256:feed", "", uint8(12),
		uint8(0), uint8(0), []byte(`{"key": "k2", "value": "[[1]]", "media_type": null}`))
	f.Add(index("DELETE", "/api/v1/repository/{repository}/manifest/{manifestref}/labels/{labelid}"), "", "acme/web|sha256:feed|matrix-label",
		"", uint8(12), uint8(0), uint8(0), []byte(nil))
	f.Add(index("POST", "/api/v1/repository/{repository}/tag/{tag}/expire"), "", "acme/web|latest", "", uint8(12), uint8(0),
		uint8(0), []byte(`{"is_alive": true, "include_submanifests": true}`))
	f.Add(raw, "OPTIONS", "/api/v1/superuser/users/", "", uint8(7), uint8(1), uint8(0), []byte(nil))
	f.Add(raw, "HEAD", "/api/v1/superuser/users/", "limit=1", uint8(0), uint8(1), uint8(0), []byte(nil))

	client := s.HTTPClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	f.Fuzz(func(t *testing.T, route uint8, method, vars, query string, caller, contentType, flags uint8, body []byte) {
		req := fuzzRequest(t, ops, route, method, vars, query, caller, contentType, flags, body)
		if req == nil {
			return
		}
		s.Reset()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := reply{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}
		if _, err := shapeOf(req.Method, got); err != nil {
			t.Errorf("%s %s: %v", req.Method, req.URL, err)
		}
		if err := serverInvariants(s); err != nil {
			t.Errorf("%s %s: %v", req.Method, req.URL, err)
		}
	})
}

// seedTopLevelKeys are the seed file's top-level keys, read from Seed's
// JSON tags, plus the name ParseSeed gives the document itself.
func seedTopLevelKeys() []string {
	keys := []string{"(document)"}
	t := reflect.TypeFor[Seed]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	return keys
}

// namesJSONPath reports whether a seed error starts with the JSON path of
// what is wrong, then ": ": a path whose first step is "(document)", a
// top-level key of the seed format, or (for an unknown or unterminated
// key) one that occurs in the document.
func namesJSONPath(msg string, keys []string, doc []byte) bool {
	msg = strings.TrimPrefix(msg, "fakequay: ")
	// A key may itself hold ": ", so try every place the path could end.
	for end := strings.Index(msg, ": "); end >= 0; {
		first := msg[:end]
		if i := strings.IndexAny(first, ".["); i > 0 {
			first = first[:i]
		}
		if first != "" && (slices.Contains(keys, first) || bytes.Contains(doc, []byte(first))) {
			return true
		}
		next := strings.Index(msg[end+2:], ": ")
		if next < 0 {
			break
		}
		end += 2 + next
	}
	return false
}

// FuzzSeed feeds seed files to ParseSeed and New(WithSeed): neither may
// panic, every error must name the JSON path at fault, and a seed that
// loads must keep the store's invariants and serve.
func FuzzSeed(f *testing.F) {
	full := fixtureSeed()
	corpusSeed(&full)
	doc, err := json.Marshal(full)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(doc)
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"users": [`, `{"config": {"SUPER_USERS": ["root"], "AUTHENTICATION_TYPE": "Nope"}}`,
		`{"config": {"REGISTRY_STATE": "readonly", "DEFAULT_SYSTEM_REJECT_QUOTA_BYTES": -1}}`,
		`{"now": "2026-11-28T12:00:00Z", "users": [{"username": "root", "email": "r@x.io", "tokens": [{"token": "t", "scopes": ["super:user"]}]}]}`,
		`{"users": [{"username": "a1", "email": "a@x.io"}], "quotas": [{"namespace": "a1", "limit_bytes": 1, "limits": [{"type": "Warning", "limit_percent": 80}]}]}`,
		`{"organizations": [{"name": "acme", "email": "a@x.io"}], "logs": [{"kind": "push_repo", "namespace": "acme", "datetime": "2026-01-01T00:00:00Z", "metadata": {"a": 1}}]}`,
		`{"users": [{"username": "a1", "email": "a@x.io"}], "app_tokens": [{"title": "t", "user": "a1", "created": "2026-01-01T00:00:00Z"}]}`,
		`{"messages": [{"content": "c", "severity": "info", "media_type": "text/plain"}], "registry_size": {"size_bytes": -5}}`,
		`{"organizations": [{"name": "acme", "email": "a@x.io"}], "builds": [{"uuid": "b/1", "namespace": "acme", "repository": "r", "phase": "complete"}]}`,
	} {
		f.Add([]byte(s))
	}
	keys := seedTopLevelKeys()
	f.Fuzz(func(t *testing.T, data []byte) {
		seed, err := ParseSeed(data)
		if err != nil {
			if !namesJSONPath(err.Error(), keys, data) {
				t.Errorf("ParseSeed error names no JSON path: %v", err)
			}
			return
		}
		if len(seed.ServiceKeys) > 4 {
			return // each costs an RSA key pair; four cover the loader
		}
		s, err := New(WithSeed(seed))
		if err != nil {
			if !namesJSONPath(err.Error(), keys, data) {
				t.Errorf("New error names no JSON path: %v", err)
			}
			return
		}
		if err := serverInvariants(s); err != nil {
			t.Errorf("seed loaded into a broken state: %v", err)
		}
		for _, path := range []string{"/api/v1/superuser/users/", "/api/v1/superuser/logs", "/health/instance"} {
			req, _ := http.NewRequestWithContext(t.Context(), "GET", "http://"+testHost+path, nil)
			req.Header.Set("Authorization", "Bearer "+s.SuperuserToken())
			resp, err := s.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if _, err := shapeOf("GET", reply{resp.StatusCode, resp.Header.Get("Content-Type"), string(b)}); err != nil {
				t.Errorf("GET %s on the seeded server: %v", path, err)
			}
		}
		if err := serverInvariants(s); err != nil {
			t.Errorf("after reads: %v", err)
		}
	})
}
