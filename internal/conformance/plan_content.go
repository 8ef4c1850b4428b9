package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
)

// The content API (endpoints/api/tag.py). The reads run against the
// starting state: the tags of a repository of the superuser's namespace
// whose content the snapshot copied (fakequay/snapshot's content reader:
// every tag row, alive and in the history, and the manifests they point
// at, by their bytes).

// contentReads adds the tag reads of the starting state.
func (p *planner) contentReads() {
	fx := p.fx
	if fx.ContentRepo == "" {
		return
	}
	tags := api + "/repository/" + fx.ContentRepo + "/tag/"
	p.read("listRepoTags", "valid", tags, Callers...)
	p.read("listRepoTags", "only active", tags+"?onlyActiveTags=true", Superuser, ReadOnly)
	p.read("listRepoTags", "history", tags+"?onlyActiveTags=false&limit=100")
	p.read("listRepoTags", "limit 1", tags+"?limit=1")
	p.read("listRepoTags", "page 2 of 1", tags+"?limit=1&page=2")
	p.read("listRepoTags", "limit 0 and a negative page", tags+"?limit=0&page=-3")
	p.read("listRepoTags", "limit past bigint", tags+"?limit=99999999999999999999")
	p.read("listRepoTags", "a far page", tags+"?page=999999999999")
	p.read("listRepoTags", "an OFFSET past SQLite's integers", tags+"?page=99999999999999999999")
	p.read("listRepoTags", "page before limit", tags+"?page=x&limit=y", Superuser, User)
	if fx.ContentTag != "" {
		p.read("listRepoTags", "specificTag", tags+"?specificTag="+fx.ContentTag)
		p.read("listRepoTags", "filter like, either case", tags+"?filter_tag_name=like:"+strings.ToUpper(fx.ContentTag[:1]))
		p.read("listRepoTags", "filter eq", tags+"?filter_tag_name=eq:"+fx.ContentTag)
	}
	p.read("listRepoTags", "specificTag unknown", tags+"?specificTag=nosuchtag")
	p.read("listRepoTags", "filter without an operation", tags+"?filter_tag_name=bad")
	p.read("listRepoTags", "filter with an unknown operation", tags+"?filter_tag_name=foo:bar")
	p.read("listRepoTags", "like's wildcards are literal", tags+"?filter_tag_name=like:%25")
	p.read("listRepoTags", "onlyActiveTags any string", tags+"?onlyActiveTags=maybe")
	p.read("listRepoTags", "unknown repository", api+"/repository/"+fx.Superuser+"/nosuchrepo/tag/", Superuser, User, Anonymous)
	p.read("listRepoTags", "unknown namespace", api+"/repository/nosuchnamespace/nosuchrepo/tag/")

	// manifest.py's reads, of the manifest ContentTag points at.
	repo := api + "/repository/" + fx.ContentRepo
	unknown := repo + "/manifest/sha256:" + strings.Repeat("0", 64)
	p.read("getRepoManifest", "unknown digest", unknown, Superuser, User, Anonymous)
	p.read("getRepoManifest", "not a digest", repo+"/manifest/latest")
	p.read("listManifestLabels", "unknown digest", unknown+"/labels")
	p.read("getManifestLabel", "unknown digest", unknown+"/labels/x")
	// secscan.py: the harness runs without FEATURE_SECURITY_SCANNER, so
	// the route does not exist and these are getRepo's answers for a
	// repository named <repo>/manifest/<digest>/security.
	p.read("getRepoManifestSecurity", "unknown digest", unknown+"/security", Superuser, User, Anonymous)
	p.read("getRepoManifestSecurity", "not a digest", repo+"/manifest/latest/security")
	if fx.ContentDigest == "" {
		return
	}
	manifest := repo + "/manifest/" + fx.ContentDigest
	p.read("getRepoManifest", "valid", manifest, Callers...)
	p.read("getRepoManifest", "include_modelcard", manifest+"?include_modelcard=true")
	p.read("listManifestLabels", "valid", manifest+"/labels", Callers...)
	p.read("listManifestLabels", "filter", manifest+"/labels?filter=A")
	p.read("listManifestLabels", "filter's wildcards are literal", manifest+"/labels?filter=%25")
	p.read("getManifestLabel", "unknown id", manifest+"/labels/nosuchlabel", Superuser, User)
	p.read("getRepoManifestSecurity", "valid", manifest+"/security", Callers...)
	p.read("getRepoManifestSecurity", "vulnerabilities", manifest+"/security?vulnerabilities=true", Superuser, ReadOnly)
	if fx.LabelID != "" {
		labelled := api + "/repository/" + fx.LabelRepo + "/manifest/" + fx.LabelDigest + "/labels"
		p.read("listManifestLabels", "a labelled manifest", labelled, Superuser, ReadOnly)
		p.read("getManifestLabel", "valid", labelled+"/"+fx.LabelID, Callers...)
	}
}

// contentWrites adds tag.py's writes, on ContentTag (after the label
// writes, which need its manifest alive): the refused callers and bad bodies, then changeTag
// (create, expiration, move), restoreTag, deleteFullTag and
// removeTagFromTimemachine, each followed by the tag's rows. The expiration is far enough ahead that
// change_tag_expiration clamps it to LABELED_EXPIRATION_MAXIMUM after the
// tag's start, so both servers put its end at the same offset. The tag's
// history stays behind (Quay has no API to purge it).
func (p *planner) contentWrites() {
	fx := p.fx
	if fx.ContentRepo == "" || fx.ContentDigest == "" || fx.ContentTag == "" {
		return
	}
	repo := api + "/repository/" + fx.ContentRepo
	// ContentTag itself: retarget_tag rewrites (and re-signs, with the
	// instance's key) a schema 1 manifest whose tag is another name, a
	// new digest fakequay cannot make; on its own name it is moved as is.
	tag := repo + "/tag/" + fx.ContentTag
	rows := repo + "/tag/?specificTag=" + fx.ContentTag
	valid := `{"manifest_digest": "` + fx.ContentDigest + `"}`
	unknown := `{"manifest_digest": "sha256:` + strings.Repeat("0", 64) + `"}`
	p.bodies("changeTag", http.MethodPut, tag,
		[2]string{"unknown manifest", unknown},
		[2]string{"null manifest", `{"manifest_digest": null}`},
		[2]string{"wrong type", `{"manifest_digest": 5}`},
		[2]string{"wrong type", `{"expiration": "soon"}`},
		[2]string{"wrong type", `{"immutable": "yes"}`},
		[2]string{"no key", `{}`},
	)
	p.bodies("changeTag", http.MethodPut, repo+"/tag/-bad", [2]string{"a name TAG_REGEX refuses", valid})
	p.bodies("changeTag", http.MethodPut, repo+"/tag/dfnosuchtag",
		[2]string{"expiration of a tag that is not alive", `{"expiration": 4102444800}`})
	p.bodies("changeTag", http.MethodPut, api+"/repository/"+fx.Superuser+"/nosuchrepo/tag/"+fx.ContentTag,
		[2]string{"unknown repository", valid})
	p.transport("changeTag", http.MethodPut, tag, valid)
	p.guarded(Step{Op: "changeTag", Class: "valid", Method: http.MethodPut, Path: tag, Body: valid})
	p.check("listRepoTags", "after changeTag", rows)
	p.bodies("changeTag", http.MethodPut, tag,
		[2]string{"expiration in the past", `{"expiration": 1}`},
		[2]string{"expiration NaN", `{"expiration": NaN}`},
		[2]string{"expiration past year 9999", `{"expiration": 253402300800}`},
		[2]string{"expiration", `{"expiration": 4102444800}`},
	)
	p.check("listRepoTags", "after the expiration", rows)
	p.bodies("changeTag", http.MethodPut, tag, [2]string{"move", valid})
	p.check("listRepoTags", "after the move", rows)

	restore := tag + "/restore"
	p.bodies("restoreTag", http.MethodPost, restore,
		[2]string{"no manifest_digest", `{}`},
		[2]string{"unknown manifest", unknown},
		[2]string{"wrong type", `{"manifest_digest": 5}`},
	)
	p.guarded(Step{Op: "restoreTag", Class: "valid", Method: http.MethodPost, Path: restore, Body: valid})
	p.check("listRepoTags", "after restoreTag", rows)

	p.write(Step{Op: "deleteFullTag", Class: "a tag that is not alive", Method: http.MethodDelete, Path: repo + "/tag/nosuchtag"})
	p.write(Step{Op: "deleteFullTag", Class: "unknown repository", Method: http.MethodDelete,
		Path: api + "/repository/" + fx.Superuser + "/nosuchrepo/tag/" + fx.ContentTag})
	p.guarded(Step{Op: "deleteFullTag", Class: "valid", Method: http.MethodDelete, Path: tag})
	p.check("listRepoTags", "after deleteFullTag", rows)
	p.write(Step{Op: "deleteFullTag", Class: "again", Method: http.MethodDelete, Path: tag})

	// removeTagFromTimemachine, on the tag's ended rows.
	expire := tag + "/expire"
	p.bodies("removeTagFromTimemachine", http.MethodPost, expire,
		[2]string{"manifest_digest required", `{"is_alive": false}`},
		[2]string{"no alive tag", `{"is_alive": true}`},
		[2]string{"unknown manifest", unknown},
		[2]string{"wrong type", `{"is_alive": "yes"}`},
	)
	p.guarded(Step{Op: "removeTagFromTimemachine", Class: "valid", Method: http.MethodPost, Path: expire,
		Body: `{"manifest_digest": "` + fx.ContentDigest + `", "include_submanifests": false}`})
	p.check("listRepoTags", "after removeTagFromTimemachine", rows)
	p.bodies("removeTagFromTimemachine", http.MethodPost, expire, [2]string{"nothing left in the window", valid})
}

// captureLabelID captures addManifestLabel's label.id.
func captureLabelID(name string) func([]byte) map[string]string {
	return func(body []byte) map[string]string {
		var v struct {
			Label struct{ ID string } `json:"label"`
		}
		if json.Unmarshal(body, &v) != nil || v.Label.ID == "" {
			return nil
		}
		return map[string]string{name: v.Label.ID}
	}
}

// labelWrites adds manifest.py's label writes on ContentDigest: the bad
// bodies, a label the plan adds (its id captured), the labels afterwards,
// and its deletion.
func (p *planner) labelWrites() {
	fx := p.fx
	if fx.ContentRepo == "" || fx.ContentDigest == "" {
		return
	}
	repo := api + "/repository/" + fx.ContentRepo
	labels := repo + "/manifest/" + fx.ContentDigest + "/labels"
	valid := `{"key": "dflabel", "value": "[1, {\"a\": null}]", "media_type": null}`
	p.bodies("addManifestLabel", http.MethodPost, labels,
		[2]string{"reserved prefix", `{"key": "quay.expires-after", "value": "1h", "media_type": null}`},
		[2]string{"reserved prefix", `{"key": "io.k8s.x", "value": "v", "media_type": "text/plain"}`},
		[2]string{"bad key", `{"key": "Bad", "value": "v", "media_type": null}`},
		[2]string{"bad key", `{"key": "a..b", "value": "v", "media_type": null}`},
		[2]string{"bad key", `{"key": "", "value": "v", "media_type": null}`},
		[2]string{"bad key", `{"key": "` + strings.Repeat("a", 256) + `", "value": "v", "media_type": null}`},
		[2]string{"media type outside the enum", `{"key": "k", "value": "v", "media_type": "text/html"}`},
		[2]string{"missing field", `{"key": "k", "value": "v"}`},
		[2]string{"wrong type", `{"key": 5, "value": "v", "media_type": null}`},
	)
	p.bodies("addManifestLabel", http.MethodPost, repo+"/manifest/sha256:"+strings.Repeat("0", 64)+"/labels",
		[2]string{"unknown manifest", valid})
	p.bodies("addManifestLabel", http.MethodPost, api+"/repository/"+fx.Superuser+"/nosuchrepo/manifest/"+fx.ContentDigest+"/labels",
		[2]string{"unknown repository, reserved prefix first", `{"key": "quay.x", "value": "v", "media_type": null}`})
	p.transport("addManifestLabel", http.MethodPost, labels, valid)
	p.guarded(Step{Op: "addManifestLabel", Class: "valid", Method: http.MethodPost, Path: labels, Body: valid,
		Capture: captureLabelID("dflabelid")})
	p.write(Step{Op: "addManifestLabel", Class: "media type given", Method: http.MethodPost, Path: labels,
		Body: `{"key": "dflabel2", "value": "{x", "media_type": "application/json"}`, Capture: captureLabelID("dflabel2id")})
	p.check("listManifestLabels", "after addManifestLabel", labels+"?filter=dflabel")

	p.write(Step{Op: "deleteManifestLabel", Class: "unknown id", Method: http.MethodDelete, Path: labels + "/nosuchlabel"})
	p.write(Step{Op: "deleteManifestLabel", Class: "unknown manifest", Method: http.MethodDelete,
		Path: repo + "/manifest/sha256:" + strings.Repeat("0", 64) + "/labels/{dflabelid}"})
	p.guarded(Step{Op: "deleteManifestLabel", Class: "valid", Method: http.MethodDelete, Path: labels + "/{dflabelid}"})
	p.write(Step{Op: "deleteManifestLabel", Class: "again", Method: http.MethodDelete, Path: labels + "/{dflabelid}"})
	p.write(Step{Op: "deleteManifestLabel", Class: "valid", Method: http.MethodDelete, Path: labels + "/{dflabel2id}"})
	p.check("listManifestLabels", "after deleteManifestLabel", labels+"?filter=dflabel")
}
