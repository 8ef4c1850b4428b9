package registrypush

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Blob is a blob to push: its digest, its size, and a function that
// returns its content from the start (called again when a request is
// retried).
type Blob struct {
	Digest string
	Size   int64
	Open   func() io.Reader
}

// BytesBlob returns a Blob of b with the given digest.
func BytesBlob(digest string, b []byte) Blob {
	return Blob{Digest: digest, Size: int64(len(b)), Open: func() io.Reader { return bytes.NewReader(b) }}
}

// Manifest is a manifest as the registry stores it: its media type, its
// exact bytes and their digest.
type Manifest struct {
	MediaType string
	Bytes     []byte
	Digest    string
}

// Image is a single-platform image to push: its blobs (layers and config)
// and its manifest.
type Image struct {
	Manifest Manifest
	Blobs    []Blob
}

// Index is a manifest list (or OCI index) to push with its children.
type Index struct {
	Manifest Manifest
	Children []Image
}

// BlobExists reports whether the repository has the blob (HEAD
// /v2/<repo>/blobs/<digest>).
func (c *Client) BlobExists(ctx context.Context, repo, digest string) (bool, error) {
	resp, err := c.do(ctx, repo, func() (*http.Request, error) {
		return c.request(ctx, http.MethodHead, repoPath(repo, "blobs/"+digest), nil)
	})
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, newError(resp.Request, resp)
}

// PushBlob uploads b unless the repository already has it, and reports
// whether it uploaded.
func (c *Client) PushBlob(ctx context.Context, repo string, b Blob) (bool, error) {
	ok, err := c.BlobExists(ctx, repo, b.Digest)
	if err != nil || ok {
		return false, err
	}
	loc, err := c.startUpload(ctx, repo)
	if err != nil {
		return false, err
	}
	if c.chunk > 0 {
		loc, err = c.patchChunks(ctx, repo, loc, b)
		if err != nil {
			return false, err
		}
		return true, c.finishUpload(ctx, repo, loc, b.Digest, nil, 0)
	}
	return true, c.finishUpload(ctx, repo, loc, b.Digest, b.Open, b.Size)
}

// startUpload opens an upload session (POST /v2/<repo>/blobs/uploads/)
// and returns its Location.
func (c *Client) startUpload(ctx context.Context, repo string) (string, error) {
	resp, err := c.do(ctx, repo, func() (*http.Request, error) {
		return c.request(ctx, http.MethodPost, repoPath(repo, "blobs/uploads/"), nil)
	})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return "", newError(resp.Request, resp)
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", fmt.Errorf("registrypush: upload started without a Location")
	}
	return loc, nil
}

// patchChunks sends b's content in PATCHes of c.chunk bytes, each with its
// Content-Range, and returns the Location to close the upload at.
func (c *Client) patchChunks(ctx context.Context, repo, loc string, b Blob) (string, error) {
	r := b.Open()
	buf := make([]byte, min(c.chunk, max(b.Size, 1)))
	for off := int64(0); off < b.Size; {
		n, err := io.ReadFull(r, buf[:min(int64(len(buf)), b.Size-off)])
		if err != nil {
			return "", fmt.Errorf("registrypush: reading blob %s: %w", b.Digest, err)
		}
		chunk := buf[:n]
		start := off
		u, err := c.resolve(loc)
		if err != nil {
			return "", err
		}
		resp, err := c.do(ctx, repo, func() (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPatch, u.String(), bytes.NewReader(chunk))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/octet-stream")
			req.Header.Set("Content-Range", fmt.Sprintf("%d-%d", start, start+int64(n)-1))
			return req, nil
		})
		if err != nil {
			return "", err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return "", newError(resp.Request, resp)
		}
		if next := resp.Header.Get("Location"); next != "" {
			loc = next
		}
		off += int64(n)
	}
	return loc, nil
}

// finishUpload closes the upload at loc with PUT ?digest=, sending the
// content when open is not nil (a monolithic upload).
func (c *Client) finishUpload(ctx context.Context, repo, loc, digest string, open func() io.Reader, size int64) error {
	u, err := c.resolve(loc)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("digest", digest)
	u.RawQuery = q.Encode()
	resp, err := c.do(ctx, repo, func() (*http.Request, error) {
		var body io.Reader = http.NoBody
		if open != nil {
			body = open()
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), body)
		if err != nil {
			return nil, err
		}
		req.ContentLength = size
		if open != nil {
			req.Header.Set("Content-Type", "application/octet-stream")
		}
		return req, nil
	})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return newError(resp.Request, resp)
	}
	if got := resp.Header.Get("Docker-Content-Digest"); got != "" && got != digest {
		return fmt.Errorf("registrypush: blob %s stored as %s", digest, got)
	}
	return nil
}

// PutManifest uploads a manifest under ref (a tag or its digest) and
// returns the digest the registry reports (Docker-Content-Digest).
func (c *Client) PutManifest(ctx context.Context, repo, ref string, m Manifest) (string, error) {
	resp, err := c.do(ctx, repo, func() (*http.Request, error) {
		req, err := c.request(ctx, http.MethodPut, repoPath(repo, "manifests/"+ref), bytes.NewReader(m.Bytes))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", m.MediaType)
		return req, nil
	})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", newError(resp.Request, resp)
	}
	return resp.Header.Get("Docker-Content-Digest"), nil
}

// Push uploads the image's blobs that the repository lacks, then its
// manifest under tag, and returns the digest the registry reports.
func (c *Client) Push(ctx context.Context, repo, tag string, img Image) (string, error) {
	for _, b := range img.Blobs {
		if _, err := c.PushBlob(ctx, repo, b); err != nil {
			return "", err
		}
	}
	return c.PutManifest(ctx, repo, tag, img.Manifest)
}

// PushIndex uploads each child (its blobs, then its manifest by digest),
// then the list under tag, and returns the digest the registry reports
// for the list.
func (c *Client) PushIndex(ctx context.Context, repo, tag string, ix Index) (string, error) {
	for _, child := range ix.Children {
		if _, err := c.Push(ctx, repo, child.Manifest.Digest, child); err != nil {
			return "", err
		}
	}
	return c.PutManifest(ctx, repo, tag, ix.Manifest)
}

// GetManifest fetches a manifest by tag or digest, accepting the given
// media types (every type this package knows when none is given).
func (c *Client) GetManifest(ctx context.Context, repo, ref string, accept ...string) (Manifest, error) {
	if len(accept) == 0 {
		accept = []string{
			"application/vnd.docker.distribution.manifest.v2+json",
			"application/vnd.docker.distribution.manifest.list.v2+json",
			"application/vnd.oci.image.manifest.v1+json",
			"application/vnd.oci.image.index.v1+json",
		}
	}
	resp, err := c.do(ctx, repo, func() (*http.Request, error) {
		req, err := c.request(ctx, http.MethodGet, repoPath(repo, "manifests/"+ref), nil)
		if err != nil {
			return nil, err
		}
		for _, a := range accept {
			req.Header.Add("Accept", a)
		}
		return req, nil
	})
	if err != nil {
		return Manifest{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Manifest{}, newError(resp.Request, resp)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return Manifest{}, fmt.Errorf("registrypush: reading manifest: %w", err)
	}
	return Manifest{MediaType: resp.Header.Get("Content-Type"), Bytes: b, Digest: resp.Header.Get("Docker-Content-Digest")}, nil
}

// DeleteTag deletes a tag (DELETE /v2/<repo>/manifests/<tag>; Quay
// answers 202 and keeps the manifest).
func (c *Client) DeleteTag(ctx context.Context, repo, tag string) error {
	resp, err := c.do(ctx, repo, func() (*http.Request, error) {
		return c.request(ctx, http.MethodDelete, repoPath(repo, "manifests/"+tag), nil)
	})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return newError(resp.Request, resp)
	}
	return nil
}

// Tags lists the repository's tags (GET /v2/<repo>/tags/list, one page).
func (c *Client) Tags(ctx context.Context, repo string) ([]string, error) {
	resp, err := c.do(ctx, repo, func() (*http.Request, error) {
		return c.request(ctx, http.MethodGet, repoPath(repo, "tags/list"), nil)
	})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, newError(resp.Request, resp)
	}
	var body struct {
		Tags []string `json:"tags"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&body); err != nil {
		return nil, fmt.Errorf("registrypush: tag list: %w", err)
	}
	return body.Tags, nil
}

func (c *Client) request(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	u, err := c.resolve(path)
	if err != nil {
		return nil, err
	}
	return http.NewRequestWithContext(ctx, method, u.String(), body)
}
