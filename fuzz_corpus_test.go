package vault

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ciFuzzTargets returns the root package's fuzz targets that .ci/run
// fuzzes, from its fuzz_targets=(...) list.
func ciFuzzTargets(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(".ci", "run"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^fuzz_targets=\(([^)]*)\)$`).FindSubmatch(b)
	require.NotNil(t, m, ".ci/run has no fuzz_targets=(...) list")
	// Entries are package:target; the root package's are ".:Name".
	var names []string
	for _, entry := range strings.Fields(string(m[1])) {
		if name, ok := strings.CutPrefix(entry, ".:"); ok {
			names = append(names, name)
		}
	}
	return names
}

// packageFuzzTargets returns the names of the fuzz targets declared in
// the root package's test files.
func packageFuzzTargets(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	require.NoError(t, err)
	var names []string
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Fuzz") && fn.Type.Params.NumFields() == 1 {
				names = append(names, fn.Name.Name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// TestFuzzTargetsHaveCorpora keeps what the contributor notes and
// docs/RELIABILITY.md say of the fuzz targets true: CI fuzzes every target
// of the package, each keeps a seed corpus in testdata/fuzz/<target> that
// plain go test runs, and CONTRIBUTING.md names it.
func TestFuzzTargetsHaveCorpora(t *testing.T) {
	ci := ciFuzzTargets(t)
	declared := packageFuzzTargets(t)
	require.NotEmpty(t, declared)
	assert.ElementsMatch(t, declared, ci, "the fuzz targets of the package and those .ci/run fuzzes")

	contributing, err := os.ReadFile("CONTRIBUTING.md")
	require.NoError(t, err)
	for _, target := range ci {
		t.Run(target, func(t *testing.T) {
			assert.Contains(t, string(contributing), "`"+target+"`", "CONTRIBUTING.md names the target")
			dir := filepath.Join("testdata", "fuzz", target)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err, "no seed corpus for %s", target)
			seeds := 0
			for _, e := range entries {
				if e.IsDir() {
					continue
				}
				b, err := os.ReadFile(filepath.Join(dir, e.Name()))
				require.NoError(t, err)
				assert.True(t, bytes.HasPrefix(b, []byte("go test fuzz v1\n")), "%s/%s is not a corpus entry", dir, e.Name())
				seeds++
			}
			assert.Positive(t, seeds, "%s holds no seed", dir)
		})
	}
}
