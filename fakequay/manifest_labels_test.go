package fakequay

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestManifestLabelWrites follows endpoints/api/manifest.py
// RepositoryManifestLabels.post (addManifestLabel, lines 238-303) and
// ManageRepositoryManifestLabel.delete (deleteManifestLabel, 335-364),
// with data/model/oci/label.py create_manifest_label and
// delete_manifest_label: the reply, the manifest's labels afterwards (the
// new label's id written {new}) and the audit rows. Checked against the
// source only, not against real Quay.
func TestManifestLabelWrites(t *testing.T) {
	t.Parallel()
	_, first, _, _ := contentHarness(t)
	base := "/api/v1/repository/alice/app/manifest/" + string(first.Digest) + "/labels"
	seeded := `{"id": "{json}", "key": "json", "value": "{\"a\": 1}", "source_type": "manifest", "media_type": "application/json"}, ` +
		`{"id": "{stage}", "key": "stage", "value": "one", "source_type": "manifest", "media_type": "text/plain"}`
	list := func(extra ...string) string {
		return `{"labels": [` + strings.Join(append([]string{seeded}, extra...), ", ") + `]}` + "\n"
	}
	logOf := func(kind, meta string) []loggedAction {
		return []loggedAction{{Kind: kind, Account: "alice", Performer: "alice", IP: "127.0.0.1", Metadata: meta[:len(meta)-1] + oauthMeta(3)}}
	}
	apiLabel := func(key, value, media string) string {
		return fmt.Sprintf(`{"id": "{new}", "key": %q, "value": %q, "source_type": "api", "media_type": %q}`, key, value, media)
	}
	added := func(key, value, media string) []loggedAction {
		return logOf("manifest_label_add", fmt.Sprintf(`{"id":"{new}","key":%q,"value":%q,"manifest_digest":%q,"media_type":%q,"namespace":"alice","repo":"app"}`,
			key, value, first.Digest, media))
	}
	keyError := jsonReply(400, fmt.Sprintf(`{"message": %q}`, labelKeyError))
	cases := []struct {
		name, method, path, body string
		want                     reply
		labels                   string
		logs                     []loggedAction
	}{
		{name: "add: the media type inferred", method: "POST", path: base, body: `{"key": "env", "value": "prod", "media_type": null}`,
			want:   jsonReply(201, `{"label": `+apiLabel("env", "prod", "text/plain")+`}`),
			labels: list(apiLabel("env", "prod", "text/plain")), logs: added("env", "prod", "text/plain")},
		{name: "add: a JSON value is application/json", method: "POST", path: base, body: `{"key": "cfg", "value": "[1, 2]", "media_type": null}`,
			want:   jsonReply(201, `{"label": `+apiLabel("cfg", "[1, 2]", "application/json")+`}`),
			labels: list(apiLabel("cfg", "[1, 2]", "application/json")), logs: added("cfg", "[1, 2]", "application/json")},
		{name: "add: the media type given", method: "POST", path: base, body: `{"key": "a.b-c", "value": "{x", "media_type": "application/json"}`,
			want:   jsonReply(201, `{"label": `+apiLabel("a.b-c", "{x", "application/json")+`}`),
			labels: list(apiLabel("a.b-c", "{x", "application/json")), logs: added("a.b-c", "{x", "application/json")},
		{name: "add: a reserved prefix", method: "POST", path: base, body: `{"key": "quayfoo", "value": "x", "media_type": null}`,
			want: jsonReply(400, `{"message": "Label has a reserved prefix"}`), labels: list()},
		{name: "add: the reserved prefix before the repository", method: "POST", path: "/api/v1/repository/alice/nope/manifest/sha256:abc/labels",
			body: `{"key": "io.k8s.x", "value": "x", "media_type": null}`, want: jsonReply(400, `{"message": "Label has a reserved prefix"}`), labels: list()},
		{name: "add: an unknown manifest", method: "POST", path: "/api/v1/repository/alice/app/manifest/sha256:abc/labels",
			body: `{"key": "Bad", "value": "x", "media_type": null}`, want: replyNotFound, labels: list()},
		{name: "add: upper case", method: "POST", path: base, body: `{"key": "Bad", "value": "x", "media_type": null}`, want: keyError, labels: list()},
		{name: "add: an empty key", method: "POST", path: base, body: `{"key": "", "value": "x", "media_type": null}`, want: keyError, labels: list()},
		{name: "add: a dot after a dash", method: "POST", path: base, body: `{"key": "a-.b", "value": "x", "media_type": null}`, want: keyError, labels: list()},
		{name: "add: a trailing dash", method: "POST", path: base, body: `{"key": "ab-", "value": "x", "media_type": null}`, want: keyError, labels: list()},
		{name: "add: past 255 characters", method: "POST", path: base, body: `{"key": "` + strings.Repeat("a", 256) + `", "value": "x", "media_type": null}`,
			want: keyError, labels: list()},
		{name: "add: a media type outside the enum", method: "POST", path: base, body: `{"key": "k", "value": "x", "media_type": "text/html"}`,
			want: apiErrorReply(400, "invalid_request", "'text/html' is not one of ['text/plain', 'application/json', None]\n\n"+
				"Failed validating 'enum' in schema['properties']['media_type']:\n"+
				"    {'description': 'The media type for this label',\n     'enum': ['text/plain', 'application/json', None],\n"+
				"     'type': ['string', 'null']}\n\nOn instance['media_type']:\n    'text/html'"), labels: list()},
		{name: "delete: a label the manifest carries is a crash", method: "DELETE", path: base + "/{stage}", want: replyCrash, labels: list()},
		{name: "delete: an unknown label", method: "DELETE", path: base + "/nosuch", want: replyNotFound, labels: list()},
		{name: "delete: an unknown manifest", method: "DELETE", path: "/api/v1/repository/alice/app/manifest/sha256:abc/labels/x",
			want: replyNotFound, labels: list()},
	}
	idRE := regexp.MustCompile(`"id": "([^"]+)", "key": "([^"]+)"`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, _, _, _ := contentHarness(t)
			ids := map[string]string{}
			for _, m := range idRE.FindAllStringSubmatch(h.do("GET", base, tokAlice, "").Body, -1) {
				ids[m[2]] = m[1]
			}
			before := len(h.logs())
			got := h.do(tc.method, strings.ReplaceAll(tc.path, "{stage}", ids["stage"]), tokAlice, tc.body)
			after := h.do("GET", base, tokAlice, "").Body
			vars := []string{ids["json"], "{json}", ids["stage"], "{stage}"}
			for _, m := range idRE.FindAllStringSubmatch(after, -1) {
				if !slices.Contains([]string{ids["json"], ids["stage"]}, m[1]) {
					vars = append(vars, m[1], "{new}")
				}
			}
			r := strings.NewReplacer(vars...)
			got.Body = r.Replace(got.Body)
			checkReply(t, tc.want, got)
			if diff := cmp.Diff(tc.labels, r.Replace(after)); diff != "" {
				t.Errorf("labels afterwards (-want +got):\n%s", diff)
			}
			logs := h.logs()[before:]
			for i := range logs {
				logs[i].Metadata = r.Replace(logs[i].Metadata)
			}
			if diff := cmp.Diff(tc.logs, logs, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("new audit rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeleteManifestLabel adds a label through the API and deletes it:
// 204, the manifest_label_delete log with the id as the path gave it
// (manifest.py lines 353-362), and the label gone. Checked against the
// source only.
func TestDeleteManifestLabel(t *testing.T) {
	t.Parallel()
	h, first, _, _ := contentHarness(t)
	base := "/api/v1/repository/alice/app/manifest/" + string(first.Digest) + "/labels"
	r := h.do("POST", base, tokAlice, `{"key": "env", "value": "prod", "media_type": null}`)
	m := regexp.MustCompile(`"id": "([^"]+)"`).FindStringSubmatch(r.Body)
	if r.Status != 201 || m == nil {
		t.Fatalf("add: %+v", r)
	}
	before := len(h.logs())
	checkReply(t, replyNoContent, h.do("DELETE", base+"/"+m[1], tokAlice, ""))
	want := []loggedAction{{Kind: "manifest_label_delete", Account: "alice", Performer: "alice", IP: "127.0.0.1",
		Metadata: fmt.Sprintf(`{"id":%q,"key":"env","value":"prod","manifest_digest":%q,"namespace":"alice","repo":"app"`, m[1], first.Digest) + oauthMeta(3)}}
	if diff := cmp.Diff(want, h.logs()[before:]); diff != "" {
		t.Errorf("audit rows (-want +got):\n%s", diff)
	}
	checkReply(t, replyNotFound, h.do("GET", base+"/"+m[1], tokAlice, ""))
	checkReply(t, replyNotFound, h.do("DELETE", base+"/"+m[1], tokAlice, ""))
}
