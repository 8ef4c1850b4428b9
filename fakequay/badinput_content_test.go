package fakequay

// The bad-input corpus of the content API (endpoints/api/tag.py). The
// answers were observed on real Quay (the realquay harness, SQLite) with
// GET /api/v1/repository/devtable/simple/tag/?...; the corpus fixture's
// acme/web (matrixOrg) stands in for it, with owen, acme's admin, asking.
// The getRepoManifestSecurity rows (the corpus runs with
// FEATURE_SECURITY_SCANNER on) were observed on a harness started with it.
// The tag writes' cases (changeTag, deleteFullTag, restoreTag,
// removeTagFromTimemachine) and the
// label writes' (addManifestLabel, deleteManifestLabel) follow
// endpoints/api/tag.py's and manifest.py's source and were not observed on
// real Quay.
func contentBadInputs() []badInput {
	const tags = "/api/v1/repository/acme/web/tag/"
	owner := "owen-token"
	b := func(name, method, path, token, body string, want shape) badInput {
		return badInput{name: name, method: method, path: path, token: token, body: body, want: want}
	}
	const (
		helpPage  = "Page index for the results. Default 1."
		helpLimit = "Limit to the number of results to return per page. Max 100."
	)
	return []badInput{
		b("§tag.py listRepoTags: page before limit (reqparse checks bottom-up)", "GET", tags+"?page=x&limit=y", owner, "",
			param("page", helpPage)),
		b("§tag.py listRepoTags: limit not an int", "GET", tags+"?limit=1.5", owner, "", param("limit", helpLimit)),
		b("§tag.py listRepoTags: limit past int64 is capped at 100", "GET", tags+"?limit=99999999999999999999", owner, "", shOK),
		b("§tag.py listRepoTags: limit and page below 1 become 1", "GET", tags+"?limit=-5&page=-3", owner, "", shOK),
		b("§tag.py listRepoTags: an OFFSET past SQLite's integers (OverflowError)", "GET", tags+"?page=99999999999999999999", owner, "",
			shCrash),
		b("§tag.py listRepoTags: a far page is empty", "GET", tags+"?page=999999999999", owner, "", shOK),
		b("§tag.py listRepoTags: filter_tag_name without an operation", "GET", tags+"?filter_tag_name=bad", owner, "",
			wz(400, "Unsupported syntax for filter_tag_name. Expected <operation>:<tag_name> where <operation>can be 'like' or 'eq'.")),
		b("§tag.py listRepoTags: an unknown operation filters nothing", "GET", tags+"?filter_tag_name=foo:bar", owner, "", shOK),
		b("§tag.py listRepoTags: like's wildcards are literal", "GET", tags+"?filter_tag_name=like:%25", owner, "", shOK),
		b("§tag.py listRepoTags: a NUL in specificTag", "GET", tags+"?specificTag=%00", owner, "", shOK),
		b("§tag.py listRepoTags: onlyActiveTags takes any string", "GET", tags+"?onlyActiveTags=maybe", owner, "", shOK),
		b("§tag.py listRepoTags: the permission before the query", "GET", tags+"?page=x", tokAlice, "", shForbidden),
		b("§tag.py listRepoTags: no such repository", "GET", "/api/v1/repository/acme/nosuch/tag/", owner, "", shNotFound),

		b("§tag.py changeTag: a name TAG_REGEX refuses", "PUT", "/api/v1/repository/acme/web/tag/-x", owner, `{}`, wz(400, tagError)),
		b("§tag.py changeTag: the permission before the body", "PUT", "/api/v1/repository/acme/web/tag/latest", tokAlice, `null`,
			shForbidden),
		b("§tag.py changeTag: a null body", "PUT", "/api/v1/repository/acme/web/tag/latest", owner, `null`, shMissing),
		b("§tag.py changeTag: an unknown manifest", "PUT", "/api/v1/repository/acme/web/tag/latest", owner,
			`{"manifest_digest": "sha256:abc"}`, shNotFound),
		b("§tag.py changeTag: a NaN expiration is abort(400)", "PUT", "/api/v1/repository/acme/web/tag/latest", owner,
			`{"expiration": NaN}`, shBadJSON),
		b("§tag.py changeTag: an expiration time_t cannot hold (OverflowError)", "PUT", "/api/v1/repository/acme/web/tag/latest",
			owner, `{"expiration": 1e300}`, shCrash),
		b("§tag.py changeTag: an expiration in the past is abort(400)", "PUT", "/api/v1/repository/acme/web/tag/latest", owner,
			`{"expiration": 1}`, shBadJSON),
		b("§tag.py deleteFullTag: a tag that is not alive", "DELETE", "/api/v1/repository/acme/web/tag/nosuch", owner, "", shNotFound),
		b("§tag.py deleteFullTag: no such repository", "DELETE", "/api/v1/repository/acme/nosuch/tag/latest", owner, "", shNotFound),
		b("§tag.py restoreTag: no manifest_digest", "POST", "/api/v1/repository/acme/web/tag/latest/restore", owner, `{}`,
			invalid("Missing manifest_digest")),
		b("§tag.py restoreTag: an unknown manifest", "POST", "/api/v1/repository/acme/web/tag/latest/restore", owner,
			`{"manifest_digest": "sha256:abc"}`, shNotFound),

		b("§tag.py removeTagFromTimemachine: manifest_digest required", "POST", "/api/v1/repository/acme/web/tag/latest/expire", owner,
			`{}`, invalid("manifest_digest required when is_alive set to false")),
		b("§tag.py removeTagFromTimemachine: no ended row", "POST", "/api/v1/repository/acme/web/tag/latest/expire", owner,
			`{"manifest_digest": "sha256:feed"}`, shNotFound),
		b("§tag.py removeTagFromTimemachine: no alive tag", "POST", "/api/v1/repository/acme/web/tag/nosuch/expire", owner,
			`{"is_alive": true}`, shNotFound),

		b("§manifest.py addManifestLabel: a reserved prefix before the repository", "POST",
			"/api/v1/repository/acme/nosuch/manifest/sha256:abc/labels", owner, `{"key": "quay.x", "value": "v", "media_type": null}`,
			wz(400, "Label has a reserved prefix")),
		b("§manifest.py addManifestLabel: a key VALID_LABEL_KEY_REGEX refuses", "POST",
			"/api/v1/repository/acme/web/manifest/sha256:feed/labels", owner, `{"key": "a..b", "value": "v", "media_type": null}`,
			wz(400, labelKeyError)),
		b("§manifest.py addManifestLabel: an unknown manifest", "POST", "/api/v1/repository/acme/web/manifest/sha256:abc/labels", owner,
			`{"key": "k", "value": "v", "media_type": null}`, shNotFound),
		b("§manifest.py addManifestLabel: a null body", "POST", "/api/v1/repository/acme/web/manifest/sha256:feed/labels", owner,
			`null`, shMissing),
		b("§manifest.py deleteManifestLabel: an unknown label", "DELETE", "/api/v1/repository/acme/web/manifest/sha256:feed/labels/x",
			owner, "", shNotFound),
		b("§manifest.py deleteManifestLabel: a label of the manifest itself (DataModelException)", "DELETE",
			"/api/v1/repository/acme/web/manifest/sha256:feed/labels/matrix-label", owner, "", shCrash),

		b("§manifest.py getRepoManifest: not a digest", "GET", "/api/v1/repository/acme/web/manifest/latest", owner, "", shNotFound),
		b("§manifest.py getRepoManifest: an unknown digest", "GET", "/api/v1/repository/acme/web/manifest/sha256:abc", owner, "",
			shNotFound),
		b("§manifest.py getRepoManifest: include_modelcard takes any string", "GET",
			"/api/v1/repository/acme/web/manifest/sha256:abc?include_modelcard=%00", owner, "", shNotFound),
		b("§manifest.py listManifestLabels: an unknown digest", "GET", "/api/v1/repository/acme/web/manifest/sha256:abc/labels?filter=%25",
			owner, "", shNotFound),
		b("§secscan.py getRepoManifestSecurity: vulnerabilities takes any string (truthy_bool)", "GET",
			"/api/v1/repository/acme/web/manifest/sha256:feed/security?vulnerabilities=%00", owner, "", shOK),
		b("§secscan.py getRepoManifestSecurity: not a digest is repository.py's rule", "GET",
			"/api/v1/repository/acme/web/manifest/latest/security", owner, "", shNotFound),
		b("§secscan.py getRepoManifestSecurity: an unknown digest", "GET",
			"/api/v1/repository/acme/web/manifest/sha256:abc/security", owner, "", shNotFound),
		b("§secscan.py getRepoManifestSecurity: the permission first", "GET",
			"/api/v1/repository/acme/nosuch/manifest/sha256:abc/security", tokAlice, "", shForbidden),
		b("§manifest.py getManifestLabel: the permission first", "GET", "/api/v1/repository/acme/web/manifest/sha256:abc/labels/x",
			tokAlice, "", shForbidden),
	}
}
