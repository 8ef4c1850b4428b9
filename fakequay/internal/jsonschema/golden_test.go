package jsonschema

import "github.com/quaykit/go-quay/internal/testutil"

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

var readGolden = testutil.JSONFile[golden]("testdata/jsonschema_golden.json")

// quaySchemas names the package's schemas as the golden file does.
var quaySchemas = map[string]*Schema{
	"CreateInstallUser":     CreateInstallUser,
	"UpdateUser":            UpdateUser,
	"UpdateOrg":             UpdateOrg,
	"CreateServiceKey":      CreateServiceKey,
	"PutServiceKey":         PutServiceKey,
	"ApproveServiceKey":     ApproveServiceKey,
	"NewNamespaceQuota":     NewNamespaceQuota,
	"UpdateNamespaceQuota":  UpdateNamespaceQuota,
	"CreateMessage":         CreateMessage,
	"NewOrg":                NewOrg,
	"UpdateOrgDetails":      UpdateOrgDetails,
	"TeamDescription":       TeamDescription,
	"CreateRobot":           CreateRobot,
	"CreateRobotFederation": CreateRobotFederation,
}
