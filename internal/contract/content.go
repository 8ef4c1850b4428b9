package contract

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/quaykit/go-quay/internal/registrypush"
)

// Pusher puts an image into namespace/repository under tag, as a registry
// push does, and returns the manifest's digest; variant tells images
// apart (each variant is a different image). The repository is created
// when missing.
type Pusher func(ctx context.Context, namespace, repository, tag string, variant int) (string, error)

// registryPusher pushes through the registry protocol (/v2/) as username,
// a single-layer docker schema 2 image built here.
func registryPusher(url, username, password string) (Pusher, error) {
	reg, err := registrypush.New(url, username, password)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, namespace, repository, tag string, variant int) (string, error) {
		img, err := smallImage(fmt.Sprintf("%s/%s variant %d", namespace, repository, variant))
		if err != nil {
			return "", err
		}
		return reg.Push(ctx, namespace+"/"+repository, tag, img)
	}, nil
}

// smallImage is a docker schema 2 image of one gzipped layer holding a
// file with content, and its config.
func smallImage(content string) (registrypush.Image, error) {
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	if err := tw.WriteHeader(&tar.Header{Name: "content.txt", Mode: 0o644, Size: int64(len(content)),
		ModTime: time.Unix(0, 0)}); err != nil {
		return registrypush.Image{}, err
	}
	if _, err := tw.Write([]byte(content)); err != nil {
		return registrypush.Image{}, err
	}
	if err := tw.Close(); err != nil {
		return registrypush.Image{}, err
	}
	var layer bytes.Buffer
	zw := gzip.NewWriter(&layer)
	if _, err := zw.Write(tarball.Bytes()); err != nil {
		return registrypush.Image{}, err
	}
	if err := zw.Close(); err != nil {
		return registrypush.Image{}, err
	}
	config, err := json.Marshal(map[string]any{
		"architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z", "config": map[string]any{},
		"rootfs":  map[string]any{"type": "layers", "diff_ids": []string{digestOf(tarball.Bytes())}},
		"history": []map[string]any{{"created": "1970-01-01T00:00:00Z", "created_by": "ADD content.txt /"}},
	})
	if err != nil {
		return registrypush.Image{}, err
	}
	const schema2 = "application/vnd.docker.distribution.manifest.v2+json"
	manifest, err := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": schema2,
		"config": map[string]any{"mediaType": "application/vnd.docker.container.image.v1+json",
			"size": len(config), "digest": digestOf(config)},
		"layers": []map[string]any{{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
			"size": layer.Len(), "digest": digestOf(layer.Bytes())}},
	})
	if err != nil {
		return registrypush.Image{}, err
	}
	return registrypush.Image{
		Manifest: registrypush.Manifest{MediaType: schema2, Bytes: manifest, Digest: digestOf(manifest)},
		Blobs: []registrypush.Blob{registrypush.BytesBlob(digestOf(layer.Bytes()), layer.Bytes()),
			registrypush.BytesBlob(digestOf(config), config)},
	}, nil
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
