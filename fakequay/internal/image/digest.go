// Package image builds container images the way a registry client pushes
// them: layer blobs, an image config, a Docker schema 2 or OCI image
// manifest, and manifest lists (OCI indexes) over several platforms. Every
// digest is sha256 over the exact bytes a client would send, and the bytes
// follow from the description alone, so the same description always gives
// the same digests.
//
// It knows nothing of Quay or HTTP: fakequay stores what it builds, and a
// registry client can push the same bytes into a real registry.
package image

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Media types of the manifests, configs and layers this package builds.
const (
	MediaTypeDockerManifest     = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
	MediaTypeDockerConfig       = "application/vnd.docker.container.image.v1+json"
	MediaTypeDockerLayer        = "application/vnd.docker.image.rootfs.diff.tar.gzip"

	MediaTypeOCIManifest = "application/vnd.oci.image.manifest.v1+json"
	MediaTypeOCIIndex    = "application/vnd.oci.image.index.v1+json"
	MediaTypeOCIConfig   = "application/vnd.oci.image.config.v1+json"
	MediaTypeOCILayer    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// Digest is a content address in the form "sha256:<64 hex digits>".
type Digest string

// DigestOf returns the sha256 digest of b.
func DigestOf(b []byte) Digest {
	sum := sha256.Sum256(b)
	return Digest("sha256:" + hex.EncodeToString(sum[:]))
}

// Hex returns the hex part of the digest, without the algorithm.
func (d Digest) Hex() string {
	_, h, _ := strings.Cut(string(d), ":")
	return h
}

// String returns the digest as written on the wire.
func (d Digest) String() string { return string(d) }

// Platform names the system an image runs on, as a manifest list's entry
// and the image config state it.
type Platform struct {
	Architecture string
	OS           string
	Variant      string
}

// Descriptor points at a blob or manifest: what a manifest lists for its
// config and layers, and a manifest list for its children.
type Descriptor struct {
	MediaType string
	Digest    Digest
	Size      int64
	// Platform is set on the entries of a manifest list only.
	Platform *Platform
	// Annotations are OCI annotations; Docker schema 2 has none.
	Annotations map[string]string
}
