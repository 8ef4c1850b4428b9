package fakequay

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestTagWrites follows endpoints/api/tag.py RepositoryTag.put (changeTag,
// lines 233-361), RepositoryTag.delete (deleteFullTag, 363-392) and
// RestoreTag.post (restoreTag, 416-468) and TagTimeMachineDelete.post
// (removeTagFromTimemachine, 497-550), with data/model/oci/tag.py
// retarget_tag, delete_tag, change_tag_expiration and
// remove_tag_from_timemachine: the reply, the tag rows afterwards and the
// audit rows written. removeTagFromTimemachine follows the source only. The moves, deletes,
// restores and the expiration are checked against real Quay by the
// differential (plan_content.go); the expiration clamp, the bad
// expirations and the unchanged-end case follow the source only.
func TestTagWrites(t *testing.T) {
	t.Parallel()
	_, first, second, multi := contentHarness(t)
	t0 := fixtureTime
	now := t0.Add(20 * time.Second)
	at := func(d time.Duration) *time.Time { v := t0.Add(d); return &v }
	v1Old := Tag{Name: "v1", ManifestDigest: string(first.Digest), Start: t0, End: at(10 * time.Second)}
	latest := Tag{Name: "latest", ManifestDigest: string(first.Digest), Start: t0}
	v1 := Tag{Name: "v1", ManifestDigest: string(second.Digest), Start: t0.Add(10 * time.Second)}
	multiTag := Tag{Name: "multi", ManifestDigest: string(multi.Digest), Start: now}
	base := []Tag{v1Old, latest, v1, multiTag}
	ended := func(tg Tag, end *time.Time) Tag { tg.End = end; return tg }
	with := func(changed map[int]Tag, added ...Tag) []Tag {
		out := append([]Tag(nil), base...)
		for i, tg := range changed {
			out[i] = tg
		}
		return append(out, added...)
	}
	logOf := func(kind, meta string) []loggedAction {
		return []loggedAction{{Kind: kind, Account: "alice", Performer: "alice", IP: "127.0.0.1", Metadata: meta[:len(meta)-1] + oauthMeta(3)}}
	}
	const repo = "/api/v1/repository/alice/app"
	const window = 14 * 24 * time.Hour // removed_tag_expiration_s's default
	body := func(format string, args ...any) string { return fmt.Sprintf(format, args...) }
	cases := []struct {
		name, method, path, body string
		want                     reply
		tags                     []Tag
		logs                     []loggedAction
	}{
		{name: "move: the old row ends, a new one starts", method: "PUT", path: repo + "/tag/latest",
			body: body(`{"manifest_digest": %q}`, second.Digest), want: jsonReply(201, `"Updated"`),
			tags: with(map[int]Tag{1: ended(latest, &now)}, Tag{Name: "latest", ManifestDigest: string(second.Digest), Start: now}),
			logs: logOf("move_tag", body(`{"username":"alice","repo":"app","tag":"latest","namespace":"alice","manifest_digest":%q,"original_manifest_digest":%q}`, second.Digest, first.Digest))},
		{name: "create: a new name", method: "PUT", path: repo + "/tag/new",
			body: body(`{"manifest_digest": %q}`, first.Digest), want: jsonReply(201, `"Updated"`),
			tags: with(nil, Tag{Name: "new", ManifestDigest: string(first.Digest), Start: now}),
			logs: logOf("create_tag", body(`{"username":"alice","repo":"app","tag":"new","namespace":"alice","manifest_digest":%q,"original_manifest_digest":null}`, first.Digest))},
		{name: "move to a child of an alive list", method: "PUT", path: repo + "/tag/arm",
			body: body(`{"manifest_digest": %q}`, multi.Manifests[1].Digest), want: jsonReply(201, `"Updated"`),
			tags: with(nil, Tag{Name: "arm", ManifestDigest: string(multi.Manifests[1].Digest), Start: now}),
			logs: logOf("create_tag", body(`{"username":"alice","repo":"app","tag":"arm","namespace":"alice","manifest_digest":%q,"original_manifest_digest":null}`, multi.Manifests[1].Digest))},
		{name: "move to an unknown manifest", method: "PUT", path: repo + "/tag/latest",
			body: `{"manifest_digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}`, want: replyNotFound, tags: base},
		{name: "move to null", method: "PUT", path: repo + "/tag/latest", body: `{"manifest_digest": null}`, want: replyNotFound, tags: base},
		{name: "a name TAG_REGEX refuses", method: "PUT", path: repo + "/tag/-bad", body: `{}`,
			want: jsonReply(400, body(`{"message": %q}`, tagError)), tags: base},
		{name: "no key: nothing changes", method: "PUT", path: repo + "/tag/nosuch", body: `{}`, want: jsonReply(201, `"Updated"`), tags: base},
		{name: "a repository that does not exist", method: "PUT", path: "/api/v1/repository/alice/nope/tag/x", body: `{}`, want: replyNotFound, tags: base},
		{name: "expiration: start plus the offset", method: "PUT", path: repo + "/tag/latest",
			body: body(`{"expiration": %d}`, now.Unix()+7200), want: jsonReply(201, `"Updated"`),
			tags: with(map[int]Tag{1: ended(latest, at(7220*time.Second))}),
			logs: logOf("change_tag_expiration", body(`{"username":"alice","repo":"app","tag":"latest","namespace":"alice","expiration_date":%d,"old_expiration_date":null}`, now.Unix()+7200))},
		{name: "expiration: clamped to LABELED_EXPIRATION_MINIMUM", method: "PUT", path: repo + "/tag/latest",
			body: body(`{"expiration": %d.5}`, now.Unix()+10), want: jsonReply(201, `"Updated"`),
			tags: with(map[int]Tag{1: ended(latest, at(time.Hour))}),
			logs: logOf("change_tag_expiration", body(`{"username":"alice","repo":"app","tag":"latest","namespace":"alice","expiration_date":%d,"old_expiration_date":null}`, now.Unix()+10))},
		{name: "expiration: null on a tag without one writes no log", method: "PUT", path: repo + "/tag/latest",
			body: `{"expiration": null}`, want: jsonReply(201, `"Updated"`), tags: base},
		{name: "expiration: now is abort(400)", method: "PUT", path: repo + "/tag/latest",
			body: body(`{"expiration": %d}`, now.Unix()), want: jsonReply(400, body(`{"message": %q}`, errBadJSON.message)), tags: base},
		{name: "expiration: NaN is abort(400)", method: "PUT", path: repo + "/tag/latest",
			body: `{"expiration": NaN}`, want: jsonReply(400, body(`{"message": %q}`, errBadJSON.message)), tags: base},
		{name: "expiration: year 10000 is abort(400)", method: "PUT", path: repo + "/tag/latest",
			body: `{"expiration": 253402300800}`, want: jsonReply(400, body(`{"message": %q}`, errBadJSON.message)), tags: base},
		{name: "expiration: beyond time_t is a crash", method: "PUT", path: repo + "/tag/latest",
			body: `{"expiration": 1e300}`, want: replyCrash, tags: base},
		{name: "expiration: a tag that is not alive", method: "PUT", path: repo + "/tag/nosuch",
			body: body(`{"expiration": %d}`, now.Unix()+7200), want: replyNotFound, tags: base},
		{name: "expiration: a string is the schema's 400", method: "PUT", path: repo + "/tag/latest",
			body: `{"expiration": "soon"}`, want: apiErrorReply(400, "invalid_request", "'soon' is not of type 'number', 'null'\n\n"+
				"Failed validating 'type' in schema['properties']['expiration']:\n"+
				"    {'description': '(If specified) The expiration for the image',\n     'type': ['number', 'null']}\n\n"+
				"On instance['expiration']:\n    'soon'"), tags: base},
		{name: "delete: the alive row ends", method: "DELETE", path: repo + "/tag/latest", want: replyNoContent,
			tags: with(map[int]Tag{1: ended(latest, &now)}),
			logs: logOf("delete_tag", `{"username":"alice","repo":"app","namespace":"alice","tag":"latest"}`)},
		{name: "delete: a tag that is not alive", method: "DELETE", path: repo + "/tag/nosuch", want: replyNotFound, tags: base},
		{name: "delete: a repository that does not exist", method: "DELETE", path: "/api/v1/repository/alice/nope/tag/x", want: replyNotFound, tags: base},
		{name: "restore: a reversion row", method: "POST", path: repo + "/tag/v1/restore",
			body: body(`{"manifest_digest": %q}`, first.Digest), want: jsonReply(200, `{}`),
			tags: with(map[int]Tag{2: ended(v1, &now)}, Tag{Name: "v1", ManifestDigest: string(first.Digest), Start: now, Reversion: true}),
			logs: logOf("revert_tag", body(`{"username":"alice","repo":"app","tag":"v1","manifest_digest":%q}`, first.Digest))},
		{name: "restore: no manifest_digest", method: "POST", path: repo + "/tag/v1/restore", body: `{}`,
			want: apiErrorReply(400, "invalid_request", "Missing manifest_digest"), tags: base},
		{name: "restore: an unknown manifest", method: "POST", path: repo + "/tag/v1/restore",
			body: `{"manifest_digest": "sha256:00"}`, want: replyNotFound, tags: base},
		{name: "expire: the alive tag ends before the time machine window", method: "POST", path: repo + "/tag/latest/expire",
			body: `{"is_alive": true}`, want: jsonReply(200, `""`),
			tags: with(map[int]Tag{1: ended(latest, at(20*time.Second-window))}),
			logs: logOf("permanently_delete_tag", body(`{"username":"alice","repo":"app","namespace":"alice","tag":"latest","manifest_digest":%q}`, first.Digest))},
		{name: "expire: ended rows of the manifest, 1 ms apart", method: "POST", path: repo + "/tag/v1/expire",
			body: body(`{"manifest_digest": %q, "include_submanifests": true}`, first.Digest), want: jsonReply(200, `""`),
			tags: with(map[int]Tag{0: ended(v1Old, at(20*time.Second-window-time.Millisecond))}),
			logs: logOf("permanently_delete_tag", body(`{"username":"alice","repo":"app","namespace":"alice","tag":"v1","manifest_digest":%q}`, first.Digest))},
		{name: "expire: no ended row of the manifest", method: "POST", path: repo + "/tag/v1/expire",
			body: body(`{"manifest_digest": %q}`, second.Digest), want: replyNotFound, tags: base},
		{name: "expire: manifest_digest required", method: "POST", path: repo + "/tag/v1/expire", body: `{"is_alive": false}`,
			want: apiErrorReply(400, "invalid_request", "manifest_digest required when is_alive set to false"), tags: base},
		{name: "expire: no alive tag", method: "POST", path: repo + "/tag/nosuch/expire", body: `{"is_alive": true}`, want: replyNotFound, tags: base},
		{name: "expire: an unknown manifest", method: "POST", path: repo + "/tag/v1/expire", body: `{"manifest_digest": "sha256:00"}`,
			want: replyNotFound, tags: base},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, _, _, _ := contentHarness(t)
			before := len(h.logs())
			checkReply(t, tc.want, h.do(tc.method, tc.path, tokAlice, tc.body))
			if diff := cmp.Diff(tc.tags, h.s.Tags("alice", "app")); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.logs, h.logs()[before:], cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("new audit rows (-want +got):\n%s", diff)
			}
		})
	}
}
