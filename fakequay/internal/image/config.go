package image

import (
	"encoding/json"
	"time"
)

// History is one entry of an image config's history: the build step that
// made a layer, or (EmptyLayer) a step that changed only metadata.
type History struct {
	// Created is when the step ran; zero means the image's Created.
	Created    time.Time
	CreatedBy  string
	Author     string
	Comment    string
	EmptyLayer bool
}

// configJSON is the image config as Docker and OCI both write it. The field
// order is fixed (alphabetical), maps are written sorted, and the result is
// compact, as docker and buildkit write configs.
type configJSON struct {
	Architecture string          `json:"architecture"`
	Author       string          `json:"author,omitempty"`
	Config       containerConfig `json:"config"`
	Created      string          `json:"created"`
	History      []historyJSON   `json:"history"`
	OS           string          `json:"os"`
	RootFS       rootFSJSON      `json:"rootfs"`
	Variant      string          `json:"variant,omitempty"`
}

type containerConfig struct {
	Cmd    []string          `json:"Cmd,omitempty"`
	Env    []string          `json:"Env,omitempty"`
	Labels map[string]string `json:"Labels,omitempty"`
}

type historyJSON struct {
	Created    string `json:"created"`
	CreatedBy  string `json:"created_by,omitempty"`
	Author     string `json:"author,omitempty"`
	Comment    string `json:"comment,omitempty"`
	EmptyLayer bool   `json:"empty_layer,omitempty"`
}

type rootFSJSON struct {
	Type    string   `json:"type"`
	DiffIDs []Digest `json:"diff_ids"`
}

// formatTime writes t as RFC 3339 in UTC with the fraction Go and Docker
// write (trailing zeros dropped), the form of every real config.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// configBytes renders the config of s, whose layers have the given diff
// ids, and whose history (already aligned with the layers) is h.
func configBytes(s *Spec, p Platform, diffIDs []Digest, h []History) []byte {
	created := s.created()
	hist := make([]historyJSON, len(h))
	for i, e := range h {
		at := e.Created
		if at.IsZero() {
			at = created
		}
		hist[i] = historyJSON{
			Created: formatTime(at), CreatedBy: e.CreatedBy, Author: e.Author,
			Comment: e.Comment, EmptyLayer: e.EmptyLayer,
		}
	}
	if diffIDs == nil {
		diffIDs = []Digest{}
	}
	c := configJSON{
		Architecture: p.Architecture,
		Author:       s.Author,
		Config:       containerConfig{Cmd: s.Cmd, Env: s.Env, Labels: s.Labels},
		Created:      formatTime(created),
		History:      hist,
		OS:           p.OS,
		RootFS:       rootFSJSON{Type: "layers", DiffIDs: diffIDs},
		Variant:      p.Variant,
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // unreachable: strings, slices and string maps always marshal
	}
	return b
}
