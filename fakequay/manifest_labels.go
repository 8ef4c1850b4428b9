package fakequay

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/quaykit/go-quay/fakequay/internal/py"
	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// This file holds endpoints/api/manifest.py's label writes:
// addManifestLabel and deleteManifestLabel.

// reservedLabelPrefixes is Quay's DEFAULT_LABEL_KEY_RESERVED_PREFIXES
// (config.py; LABEL_KEY_RESERVED_PREFIXES adds none by default), which
// label_validator.has_reserved_prefix matches with str.startswith.
var reservedLabelPrefixes = []string{
	"com.docker.", "io.docker.", "org.dockerproject.", "org.opencontainers.", "io.cncf.", "io.kubernetes.",
	"io.k8s.", "io.quay", "com.coreos", "com.tectonic", "internal", "quay",
}

// validLabelKey is validate_label_key: at most 255 characters, and
// VALID_LABEL_KEY_REGEX under re.match ("$" also before a final
// newline), whose lookahead (?![.-]) forbids "-" or "." followed by "-"
// or "."; Go's regexp has no lookahead, so the rule is spelt out.
func validLabelKey(key string) bool {
	if utf8.RuneCountInString(key) > 255 {
		return false
	}
	core := strings.TrimSuffix(key, "\n")
	if core == "" || strings.Contains(core, "--") || strings.Contains(core, "-.") ||
		strings.Contains(core, ".-") || strings.Contains(core, "..") {
		return false
	}
	for i := 0; i < len(core); i++ {
		ch := core[i]
		if !('a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' || ch == '-' || ch == '.') {
			return false
		}
	}
	first, last := core[0], core[len(core)-1]
	return first != '-' && first != '.' && last != '-' && last != '.'
}

// labelKeyError is addManifestLabel's message for InvalidLabelKeyException.
const labelKeyError = "Label is of an invalid format or missing please use " +
	`^[a-z0-9](([a-z0-9]|[-.](?![.-]))*[a-z0-9])?$` + " format for labels"

// labelIsJSON is util/validation.py is_json: a value between {} or []
// that json.loads accepts. Python's RecursionError is no ValueError: it
// escapes as a 500.
func labelIsJSON(value string) (bool, error) {
	if !(strings.HasPrefix(value, "{") && strings.HasSuffix(value, "}") ||
		strings.HasPrefix(value, "[") && strings.HasSuffix(value, "]")) {
		return false, nil
	}
	_, err := py.Decode([]byte(value))
	if errors.Is(err, py.ErrNesting) {
		return false, &crashError{reason: "RecursionError: maximum recursion depth exceeded while decoding JSON"}
	}
	return err == nil, nil
}

// addManifestLabel is RepositoryManifestLabels.post: a reserved prefix is
// refused before the repository is looked up; the manifest must be alive;
// create_manifest_label checks the key (source "api") and infers the media
// type when null. The manifest_label_add log, and {"label": ...} with 201
// and a Location header naming the new label.
func (s *Server) addManifestLabel(c *call) error {
	body, _ := asObject(c.body)
	key, _ := body.str("key")
	value, _ := body.str("value")
	for _, prefix := range reservedLabelPrefixes {
		if strings.HasPrefix(key, prefix) {
			return &werkzeugError{400, "Label has a reserved prefix"}
		}
	}
	_, m, err := c.lookupManifest()
	if err != nil {
		return err
	}
	if !validLabelKey(key) {
		return &werkzeugError{400, labelKeyError}
	}
	mediaType, ok := body.str("media_type")
	if !ok {
		mediaType = "text/plain"
		isJSON, err := labelIsJSON(value)
		if err != nil {
			return err
		}
		if isJSON {
			mediaType = "application/json"
		}
	}
	nsName, repoName := c.repoPath()
	manifestRef := c.param("manifestref")
	id := s.rand.uuid()
	l, err := s.store.AddLabel(m, store.NewLabel{Key: key, Value: value, MediaType: mediaType, SourceType: "api", UUID: id},
		s.rand.uuid, c.action("manifest_label_add", nsName, meta().set("id", id).set("key", key).set("value", value).
			set("manifest_digest", manifestRef).set("media_type", mediaType).set("namespace", nsName).set("repo", repoName)))
	if errors.Is(err, store.ErrNoManifest) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.w.Header().Set("Location", "/api/v1/repository/"+nsName+"/"+repoName+"/manifest/"+manifestRef+"/labels/"+id)
	c.restful(http.StatusCreated, labelAddedView{Label: labelOf(l)})
	return nil
}

// deleteManifestLabel is ManageRepositoryManifestLabel.delete: the label of
// the alive manifest, or NotFound; a label the manifest itself carries
// (source "manifest", not mutable) is delete_manifest_label's
// DataModelException, which no handler catches. The manifest_label_delete
// log; 204.
func (s *Server) deleteManifestLabel(c *call) error {
	_, m, err := c.lookupManifest()
	if err != nil {
		return err
	}
	labelID := c.param("labelid")
	l, ok := c.read.Label(m, labelID)
	if !ok {
		return errNotFound
	}
	if l.SourceType != "api" {
		return &crashError{reason: "DataModelException: Cannot delete immutable label"}
	}
	nsName, repoName := c.repoPath()
	_, err = s.store.DeleteLabel(m, labelID, c.action("manifest_label_delete", nsName, meta().set("id", labelID).
		set("key", l.Key).set("value", l.Value).set("manifest_digest", c.param("manifestref")).
		set("namespace", nsName).set("repo", repoName)))
	if errors.Is(err, store.ErrNoLabel) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.empty(http.StatusNoContent, contentTypeJSON)
	return nil
}
