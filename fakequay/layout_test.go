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
	"mirror",                 // endpoints/api/mirror.py
	"capabilities",           // endpoints/api/capabilities.py
	"permission",             // endpoints/api/permission.py
	"prototype",              // endpoints/api/prototype.py
	"repository",             // endpoints/api/repository.py
	"robot",                  // endpoints/api/robot.py
	"search",                 // endpoints/api/search.py
	"secscan",                // endpoints/api/secscan.py
	"suconfig",               // endpoints/api/suconfig.py
	"superuser",              // endpoints/api/superuser.py
	"tag",                    // endpoints/api/tag.py
	"team",                   // endpoints/api/team.py
	"web",                    // endpoints/web.py: user/initialize, the web blueprint route the API serves beside its own
	"user",                   // endpoints/api/user.py
}

// TestHandlersLiveInTheirQuayModuleFile fails when a route's handler is
// defined outside a file named after a Quay module, and logs the index of
// every operation's handler (go test -run HandlersLive -v).
func TestHandlersLiveInTheirQuayModuleFile(t *testing.T) {
	t.Parallel()
	seen := 0
	apiRules().eachRoute(func(r *route) {
		for method, op := range r.ops {
			seen++
			fn := runtime.FuncForPC(reflect.ValueOf(op.handle).Pointer())
			file, line := fn.FileLine(fn.Entry())
			base := strings.TrimSuffix(filepath.Base(file), ".go")
			module, _, _ := strings.Cut(base, "_")
			if !slices.Contains(quayModules, module) {
				t.Errorf("%s %s (%s): handler in %s, which is named after no Quay module of quayModules",
					method, r.pattern, op.nickname, filepath.Base(file))
			}
			t.Logf("%-40s %-6s %s:%d", op.nickname, method, filepath.Base(file), line)
		}
	})
	if seen == 0 {
		t.Fatal("no routes walked")
	}
}
