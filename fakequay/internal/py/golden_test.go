package py

import (
	"encoding/base64"
	"testing"

	"github.com/quaykit/go-quay/internal/testutil"
)

// golden is testdata/python_golden.json: CPython's answers for fixed inputs
// (see testdata/README.md for how it was produced).
type golden struct {
	Bodies []struct {
		BodyB64 string            `json:"body_b64"`
		Error   string            `json:"error"`
		Repr    string            `json:"repr"`
		PFormat map[string]string `json:"pformat"`
		Restful string            `json:"restful"`
		Jsonify string            `json:"jsonify"`
	} `json:"bodies"`
	Floats []struct {
		Bits string `json:"bits"`
		Repr string `json:"repr"`
	} `json:"floats"`
	Regexps []struct {
		Pattern string `json:"pattern"`
		Cases   []struct {
			Text   string `json:"text"`
			Search bool   `json:"search"`
			Match  bool   `json:"match"`
		} `json:"cases"`
	} `json:"regexps"`
}

var readGolden = testutil.JSONFile[golden]("testdata/python_golden.json")

func goldenBody(t *testing.T, b64 string) []byte {
	t.Helper()
	body, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("golden body %q: %v", b64, err)
	}
	return body
}

// goldenValues decodes every body Python accepted, failing the test if Decode
// does not.
func goldenValues(t *testing.T) []goldenValue {
	t.Helper()
	var out []goldenValue
	for _, b := range readGolden(t).Bodies {
		if b.Error != "" {
			continue
		}
		body := goldenBody(t, b.BodyB64)
		v, err := Decode(body)
		if err != nil {
			t.Errorf("Decode(%q) = %v; Python accepts it", body, err)
			continue
		}
		out = append(out, goldenValue{body: body, value: v, repr: b.Repr, pformat: b.PFormat, restful: b.Restful, jsonify: b.Jsonify})
	}
	return out
}

type goldenValue struct {
	body             []byte
	value            any
	repr             string
	pformat          map[string]string
	restful, jsonify string
}
