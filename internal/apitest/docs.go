package apitest

import (
	"cmp"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// DocOperation is one "Quay operation:" line of a service method's doc
// comment.
type DocOperation struct{ Nickname, Method, Path, GoMethod string }

// operationLine is the annotation every service method's doc comment ends with.
var operationLine = regexp.MustCompile(`^Quay operation: (\S+) \((GET|POST|PUT|DELETE) (/api/v1/\S+)\)$`)

// DocOperations parses the non-test Go files of the test's own package
// (the current directory, imported as importPath), checks the doc comment
// of every exported method of its ...Service types, and returns the
// operations those comments name and the number of service types.
//
// The agreed shape: a first sentence starting with the method name, and a
// final block, after a blank line, of one "Quay operation: <nickname>
// (<METHOD> /api/v1/<path>)" line per operation.
func DocOperations(t *testing.T, importPath string) (ops []DocOperation, services int) {
	t.Helper()
	for _, typ := range parsePackage(t, importPath).Types {
		if !strings.HasSuffix(typ.Name, "Service") {
			continue
		}
		services++
		for _, m := range typ.Methods {
			if !ast.IsExported(m.Name) {
				continue
			}
			goMethod := typ.Name + "." + m.Name
			for _, op := range checkDocShape(t, goMethod, m.Name, m.Doc) {
				ops = append(ops, DocOperation{op[1], op[2], op[3], goMethod})
			}
		}
	}
	return ops, services
}

// CheckDocOperations fails t when got, the operations the doc comments
// name, differ from want, the package's operation table, in any order.
func CheckDocOperations(t *testing.T, want, got []DocOperation) {
	t.Helper()
	byKey := func(a, b DocOperation) int {
		return cmp.Or(strings.Compare(a.Nickname, b.Nickname), strings.Compare(a.Method, b.Method),
			strings.Compare(a.Path, b.Path), strings.Compare(a.GoMethod, b.GoMethod))
	}
	want, got = slices.SortedFunc(slices.Values(want), byKey), slices.SortedFunc(slices.Values(got), byKey)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("operations in doc comments differ from the table (-want +got):\n%s", diff)
	}
}

// checkDocShape checks one method's doc comment and returns its parsed
// operation lines.
func checkDocShape(t *testing.T, goMethod, name, text string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if !strings.HasPrefix(lines[0], name+" ") {
		t.Errorf("%s: doc comment must start with %q, got %q", goMethod, name+" ", lines[0])
	}
	var ops [][]string
	i := len(lines) - 1
	for ; i >= 0; i-- {
		m := operationLine.FindStringSubmatch(lines[i])
		if m == nil {
			break
		}
		ops = append(ops, m)
	}
	if len(ops) == 0 {
		t.Errorf("%s: doc comment has no \"Quay operation: <nickname> (<METHOD> /api/v1/<path>)\" line at its end", goMethod)
		return nil
	}
	if i < 1 || lines[i] != "" {
		t.Errorf("%s: the Quay operation lines must follow a blank line", goMethod)
	}
	for _, l := range lines[:i] {
		if strings.Contains(l, "Quay operation:") {
			t.Errorf("%s: stray or malformed operation line %q", goMethod, l)
		}
	}
	return ops
}

// parsePackage parses the non-test Go files of the current directory,
// comments included.
func parsePackage(t *testing.T, importPath string) *doc.Package {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, importPath)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}
