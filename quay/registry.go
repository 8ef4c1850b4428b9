package quay

import (
	"context"
	"net/http"
)

// RegistryService reports what the registry itself supports.
//
// It is named after the route (/api/v1/registry/...), as package superuser's
// RegistryService is; Quay's /api/v1/discovery is another thing, the API's
// Swagger description.
type RegistryService service

// RegistryCapabilities is what Capabilities returns.
type RegistryCapabilities struct {
	SparseManifests SparseManifests `json:"sparse_manifests"`
	// MirrorArchitectures are the architectures a repository mirror can be
	// limited to, sorted.
	MirrorArchitectures []string `json:"mirror_architectures"`
}

// SparseManifests tells whether the registry accepts manifest lists that
// lack some of their platforms' manifests (FEATURE_SPARSE_INDEX).
type SparseManifests struct {
	Supported                    bool     `json:"supported"`
	RequiredArchitectures        []string `json:"required_architectures"`
	OptionalArchitecturesAllowed bool     `json:"optional_architectures_allowed"`
}

// Capabilities returns the registry's capabilities; it needs no token.
//
// Quay operation: getRegistryCapabilities (GET /api/v1/registry/capabilities)
func (s *RegistryService) Capabilities(ctx context.Context) (RegistryCapabilities, *Response, error) {
	var rc RegistryCapabilities
	resp, err := s.client.call(ctx, http.MethodGet, "registry/capabilities", nil, &rc)
	return rc, resp, err
}
