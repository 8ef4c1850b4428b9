package fakequay

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. Quay's name rules have bounded
// repetitions ({0,127}, {0,254}) that compile to large programs: compiled
// when the package loaded, they were most of the binary's start-up work
// before its ready line (issue 14, goal 4).
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
