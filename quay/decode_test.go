package quay

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeAsTheDecoderDid: decode reads a body of announced length whole
// and decodes it with json.Unmarshal (issue 14, goal 5); the outcome, the
// value and the error, must be what decoding the body with a json.Decoder
// gave before, for every body, well-formed or not.
func TestDecodeAsTheDecoderDid(t *testing.T) {
	t.Parallel()
	type page struct {
		Users []struct {
			Name  string `json:"name"`
			Admin bool   `json:"admin"`
		} `json:"users"`
		Next  string         `json:"next_page"`
		Extra map[string]int `json:"extra"`
	}
	errCut := errors.New("connection reset")
	tests := []struct {
		name   string
		body   string
		length int64 // Content-Length; -1 unknown
		cut    error // the error the body ends with instead of io.EOF
	}{
		{name: "a page", body: `{"users": [{"name": "a", "admin": true}, {"name": "b"}], "next_page": "t", "extra": {"x": 1}}`},
		{name: "empty", body: ""},
		{name: "only spaces", body: " \n"},
		{name: "data after the value", body: `{"next_page": "t"} trailing`},
		{name: "two values", body: `{"next_page": "t"}{"next_page": "u"}`},
		{name: "syntax error", body: `{"next_page": }`},
		{name: "cut short", body: `{"users": [{"name": "a"`},
		{name: "a type error, then more fields", body: `{"users": [{"name": 5, "admin": true}], "next_page": "t", "extra": {"x": "y", "z": 2}}`},
		{name: "null", body: `null`},
		{name: "longer than announced", body: `{"next_page": "t"}`, length: 5},
		{name: "shorter than announced", body: `{"next_page": "t"}`, length: 100},
		{name: "length unknown", body: `{"next_page": "t"} x`, length: -1},
		{name: "a complete value, then the connection drops", body: `{"next_page": "t"}`, cut: errCut},
		{name: "an incomplete value, then the connection drops", body: `{"next_page": "t`, cut: errCut},
		{name: "a complete value, then the body ends early", body: `{"next_page": "t"} `, cut: io.ErrUnexpectedEOF},
	}
	c, err := NewClient("https://quay.example.com")
	if err != nil {
		t.Fatal(err)
	}
	newBody := func(body string, cut error) io.ReadCloser {
		var r io.Reader = strings.NewReader(body)
		if cut != nil {
			r = io.MultiReader(r, errorReader{cut})
		}
		return io.NopCloser(r)
	}
	type outcome struct {
		Page page
		Err  string
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			length := tc.length
			if length == 0 {
				length = int64(len(tc.body))
			}
			// What decode did before: a json.Decoder on the body.
			var want outcome
			werr := decodeStream(newBody(tc.body, tc.cut), &want.Page)
			if werr != nil {
				want.Err = c.bodyError(&Response{Response: &http.Response{StatusCode: 200}}, "GET", "u", werr).Error()
			}
			var got outcome
			resp := &Response{Response: &http.Response{StatusCode: 200, ContentLength: length, Body: newBody(tc.body, tc.cut)}}
			if err := c.decode(resp, &got.Page, "GET", "u"); err != nil {
				got.Err = err.Error()
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-before +now):\n%s", diff)
			}
		})
	}
}
