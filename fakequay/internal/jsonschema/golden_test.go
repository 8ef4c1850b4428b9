package jsonschema

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
)

// golden is testdata/jsonschema_golden.json, recorded from jsonschema 3.2.0
// (see testdata/README.md).
type golden struct {
	Schemas map[string]string `json:"schemas"`
	Cases   []struct {
		Schema   string  `json:"schema"`
		Instance string  `json:"instance"`
		Error    *string `json:"error"`
	} `json:"cases"`
}

var loadGolden = sync.OnceValues(func() (*golden, error) {
	raw, err := os.ReadFile("testdata/jsonschema_golden.json")
	if err != nil {
		return nil, err
	}
	g := new(golden)
	return g, json.Unmarshal(raw, g)
})

func readGolden(t *testing.T) *golden {
	t.Helper()
	g, err := loadGolden()
	if err != nil {
		t.Fatalf("loading golden file: %v", err)
	}
	return g
}

// quaySchemas names the package's schemas as the golden file does.
var quaySchemas = map[string]*Schema{
	"CreateInstallUser":    CreateInstallUser,
	"UpdateUser":           UpdateUser,
	"UpdateOrg":            UpdateOrg,
	"CreateServiceKey":     CreateServiceKey,
	"PutServiceKey":        PutServiceKey,
	"ApproveServiceKey":    ApproveServiceKey,
	"NewNamespaceQuota":    NewNamespaceQuota,
	"UpdateNamespaceQuota": UpdateNamespaceQuota,
	"CreateMessage":        CreateMessage,
}
