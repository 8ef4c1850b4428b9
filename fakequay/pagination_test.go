package fakequay

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A page token's plaintext is json.dumps of Quay's modelutil.paginate
// dict (data/model/modelutil.py paginate): appendJSON writes exactly what
// pyDumps does, for every field at its extremes.
func TestIDPageTokenAppendJSONMatchesDumps(t *testing.T) {
	t.Parallel()
	for _, tok := range []idPageToken{
		{},
		{StartIndex: 101, PageNumber: 1},
		{StartIndex: math.MaxInt64, PageNumber: math.MinInt64, IsDatetime: true, OffsetVal: -1},
		{StartIndex: -7, PageNumber: 0, OffsetVal: math.MaxInt64},
	} {
		if diff := cmp.Diff(string(pyDumps(tok)), string(tok.appendJSON(nil))); diff != "" {
			t.Errorf("%+v (-pyDumps +appendJSON):\n%s", tok, diff)
		}
	}
}
