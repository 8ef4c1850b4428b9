package fakequay

import (
	"net/http"
	"strings"

	"github.com/quaykit/go-quay/fakequay/internal/store"
)

// manifestRoutes are endpoints/api/manifest.py's label and manifest
// resources. Quay's
// manifestref is a regex converter (digest_tools.DIGEST_PATTERN); a
// segment it refuses falls through to repository.py's
// /repository/<apirepopath> rule, which answers the same 404 a missing
// manifest gets here.
func manifestRoutes() []*route {
	const manifest = "/api/v1/repository/" + repoPathVar + "/manifest/{manifestref}"
	return []*route{
		{pattern: manifest, ops: map[string]*operation{
			http.MethodGet: {nickname: "getRepoManifest", guard: requireRepoRead, query: []queryParam{
				{name: "include_modelcard", kind: paramTruthyBool, help: "If specified, include modelcard markdown from image, if any", def: false},
			}, handle: (*Server).getRepoManifest},
		}},
		{pattern: manifest + "/labels", ops: map[string]*operation{
			http.MethodGet: {nickname: "listManifestLabels", guard: requireRepoRead, query: []queryParam{
				{name: "filter", kind: paramString, help: "If specified, only labels matching the given prefix will be returned"},
			}, handle: (*Server).listManifestLabels},
			http.MethodPost: {nickname: "addManifestLabel", guard: requireRepoWriteNormal, schema: schemaAddLabel,
				handle: (*Server).addManifestLabel},
		}},
		{pattern: manifest + "/labels/{labelid}", ops: map[string]*operation{
			http.MethodGet:    {nickname: "getManifestLabel", guard: requireRepoRead, handle: (*Server).getManifestLabel},
			http.MethodDelete: {nickname: "deleteManifestLabel", guard: requireRepoWriteNormal, handle: (*Server).deleteManifestLabel},
		}},
	}
}

// lookupManifest is lookup_repository, then lookup_manifest_by_digest
// (not allow_dead): NotFound unless an alive tag keeps the manifest.
func (c *call) lookupManifest() (*store.Repository, *store.Manifest, error) {
	repo, err := c.lookupRepository()
	if err != nil {
		return nil, nil, err
	}
	m, ok := c.read.Manifest(repo, c.param("manifestref"))
	if !ok || !c.read.ManifestAlive(repo, m, c.now) {
		return nil, nil, errNotFound
	}
	return repo, m, nil
}

// getRepoManifest is RepositoryManifest.get: _manifest_dict. A manifest
// whose bytes are empty is NotFound too.
func (s *Server) getRepoManifest(c *call) error {
	_, m, err := c.lookupManifest()
	if err != nil {
		return err
	}
	if len(m.Bytes) == 0 {
		return errNotFound
	}
	c.restful(http.StatusOK, manifestOf(m))
	return nil
}

// listManifestLabels is RepositoryManifestLabels.get: the manifest's
// labels, those whose key starts with filter when given (prefix_search:
// wildcards escaped, ASCII letters in either case).
func (s *Server) listManifestLabels(c *call) error {
	_, m, err := c.lookupManifest()
	if err != nil {
		return err
	}
	filter, hasFilter := c.strQuery("filter")
	out := labelListView{Labels: []labelView{}}
	c.read.Labels(m, func(l *store.Label) bool {
		if !hasFilter || strings.HasPrefix(asciiLower(l.Key), asciiLower(filter)) {
			out.Labels = append(out.Labels, labelOf(l))
		}
		return true
	})
	c.restful(http.StatusOK, out)
	return nil
}

// getManifestLabel is ManageRepositoryManifestLabel.get.
func (s *Server) getManifestLabel(c *call) error {
	_, m, err := c.lookupManifest()
	if err != nil {
		return err
	}
	l, ok := c.read.Label(m, c.param("labelid"))
	if !ok {
		return errNotFound
	}
	c.restful(http.StatusOK, labelOf(l))
	return nil
}

// asciiLower lowers ASCII letters only, as SQLite's LIKE folds case.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
