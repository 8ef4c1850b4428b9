package fakequay

import (
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// quayModules are the modules of Quay's endpoints/api package that
// fakequay serves. The handler of every operation lives in a file named
// after its module: <module>.go, or <module>_<part>.go for a large one
// (superuser.py is split by area), so a nickname's handler is one step away
// from the Quay source that defines it.
var quayModules = []string{
	"error",                  // endpoints/api/error.py
	"globalmessages",         // endpoints/api/globalmessages.py
	"namespacequota",         // endpoints/api/namespacequota.py
	"organization",           // endpoints/api/organization.py
	"repositorynotification", // endpoints/api/repositorynotification.py
	"manifest",               // endpoints/api/manifest.py
	"robot",                  // endpoints/api/robot.py
	"suconfig",               // endpoints/api/suconfig.py
	"superuser",              // endpoints/api/superuser.py
	"tag",                    // endpoints/api/tag.py
	"team",                   // endpoints/api/team.py
}

// TestHandlersLiveInTheirQuayModuleFile fails when a route's handler is
// defined outside a file named after a Quay module, and logs the index of
// every operation's handler (go test -run HandlersLive -v).
func TestHandlersLiveInTheirQuayModuleFile(t *testing.T) {
	t.Parallel()
	var walk func(n *routeNode)
	seen := 0
	walk = func(n *routeNode) {
		if n.route != nil {
			for method, op := range n.route.ops {
				seen++
				fn := runtime.FuncForPC(reflect.ValueOf(op.handle).Pointer())
				file, line := fn.FileLine(fn.Entry())
				base := strings.TrimSuffix(filepath.Base(file), ".go")
				module, _, _ := strings.Cut(base, "_")
				if !slices.Contains(quayModules, module) {
					t.Errorf("%s %s (%s): handler in %s, which is named after no Quay module of quayModules",
						method, n.route.pattern, op.nickname, filepath.Base(file))
				}
				t.Logf("%-40s %-6s %s:%d", op.nickname, method, filepath.Base(file), line)
			}
		}
		for _, child := range n.static {
			walk(child)
		}
		if n.variable != nil {
			walk(n.variable)
		}
	}
	walk(apiRules())
	if seen == 0 {
		t.Fatal("no routes walked")
	}
}
