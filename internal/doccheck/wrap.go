package doccheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// knownPackages are the packages a fragment may name without importing
// them, by the name it uses.
var knownPackages = map[string]string{
	"vault":     "github.com/vault-dev/vault-go",
	"vaulttest": "github.com/vault-dev/vault-go/vaulttest",
	"verify":    "github.com/vault-dev/vault-go/verify",
	"webhook":   "github.com/vault-dev/vault-go/webhook",
	"assert":    "github.com/stretchr/testify/assert",
	"require":   "github.com/stretchr/testify/require",
	"bytes":     "bytes",
	"context":   "context",
	"errors":    "errors",
	"fmt":       "fmt",
	"http":      "net/http",
	"httptest":  "net/http/httptest",
	"io":        "io",
	"json":      "encoding/json",
	"log":       "log",
	"os":        "os",
	"slog":      "log/slog",
	"strconv":   "strconv",
	"strings":   "strings",
	"sync":      "sync",
	"testing":   "testing",
	"time":      "time",
	"url":       "net/url",
}

// environment holds the variables a fragment may take from its
// surroundings, with their types.
var environment = map[string]string{
	"ctx":         "context.Context",
	"client":      "*vault.Client",
	"srv":         "*vaulttest.Server",
	"alice":       "[]vaulttest.Session", // the demo user of the testing guide
	"sessions":    "[]vault.SessionResponse",
	"t":           "*testing.T",
	"r":           "*http.Request",
	"req":         "*http.Request",
	"w":           "http.ResponseWriter",
	"logger":      "*slog.Logger",
	"token":       "string",
	"userToken":   "string",
	"id":          "string",
	"sessionID":   "string",
	"corrID":      "string",
	"bearerToken": "func(*http.Request) (string, bool)",
	"newHandler":  "func(*vault.Client, *slog.Logger) http.Handler",
	"revocations": "*verify.Revocations",
	"claims":      "*verify.Claims",
}

// snippetPackage is the package name of the files made of fragments.
const snippetPackage = "snippet"

// kind is how a block is checked.
type kind int

const (
	kindFile kind = iota
	kindExcerpt
	kindDeclarations
	kindStatements
)

func (k kind) String() string {
	return [...]string{"file", "excerpt", "declarations", "statements"}[k]
}

// classify tells what a block holds: a file, declarations, or
// statements, returned apart from their leading import lines.
func classify(code string) (k kind, imports []string, body string, err error) {
	fset := token.NewFileSet()
	if f, err := parser.ParseFile(fset, "", code, parser.PackageClauseOnly); err == nil && f.Name != nil {
		return kindFile, nil, code, nil
	}
	if _, err := parser.ParseFile(fset, "", "package "+snippetPackage+"\n"+code, parser.SkipObjectResolution); err == nil {
		return kindDeclarations, nil, code, nil
	}
	imports, body = leadingImports(code)
	src := "package " + snippetPackage + "\nfunc _() {\n" + body + "\n}\n"
	if _, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution); err != nil {
		return 0, nil, "", fmt.Errorf("neither a file, declarations nor statements: %v", err)
	}
	return kindStatements, imports, body, nil
}

// leadingImports splits the import lines at the top of code, such as
// `import "github.com/vault-dev/vault-go"` or an import group, from the
// rest. The lines removed are left blank, so that lines keep their
// numbers.
func leadingImports(code string) (imports []string, rest string) {
	lines := strings.Split(code, "\n")
	inGroup := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		switch {
		case inGroup:
			if trimmed == ")" {
				inGroup = false
			} else if trimmed != "" {
				imports = append(imports, trimmed)
			}
		case trimmed == "import (":
			inGroup = true
		case strings.HasPrefix(trimmed, "import "):
			imports = append(imports, strings.TrimSpace(strings.TrimPrefix(trimmed, "import ")))
		case trimmed == "" || strings.HasPrefix(trimmed, "//"):
		default:
			return imports, strings.Join(lines[i:], "\n")
		}
		lines[i] = ""
	}
	return imports, ""
}

// snippetFiles returns the Go files that make a package of a block of
// declarations or statements: the block itself, with the imports it
// needs, and the environment variables it uses. Every line of the block
// keeps its position in the Markdown file.
func snippetFiles(b Block, k kind, explicit []string, body string) (map[string]string, error) {
	fset := token.NewFileSet()
	var code string
	switch k {
	case kindDeclarations:
		code = b.Code
	case kindStatements:
		code = body
	default:
		return nil, fmt.Errorf("a %v block is not a fragment", k)
	}
	// The fragment parsed alone tells which names it uses and declares.
	var probe *ast.File
	var err error
	if k == kindDeclarations {
		probe, err = parser.ParseFile(fset, "", "package p\n"+code, parser.SkipObjectResolution)
	} else {
		probe, err = parser.ParseFile(fset, "", "package p\nfunc _() {\n"+code+"\n}\n", parser.SkipObjectResolution)
	}
	if err != nil {
		return nil, err
	}
	used, declared, qualifiers := names(probe)
	topLevel := topLevelNames(probe)

	imports := map[string]string{} // import spec by path
	for _, spec := range explicit {
		path, err := importPath(spec)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", b.File, b.Line, err)
		}
		imports[path] = spec
	}
	for name := range qualifiers {
		path, ok := knownPackages[name]
		if !ok || declared[name] {
			continue
		}
		if _, ok := imports[path]; !ok {
			imports[path] = name + " " + strconv.Quote(path)
		}
	}

	var src strings.Builder
	fmt.Fprintf(&src, "package %s\n\n", snippetPackage)
	writeImports(&src, imports)
	var uses []string
	if k == kindStatements {
		uses = unusedCandidates(probe)
		src.WriteString("func snippet() error {\n")
	}
	fmt.Fprintf(&src, "//line %s:%d\n", b.File, b.Line)
	src.WriteString(code)
	if k == kindStatements {
		src.WriteString("\n//line doccheck-wrapper:1\n")
		for _, name := range uses {
			fmt.Fprintf(&src, "\t_ = %s\n", name)
		}
		src.WriteString("\treturn nil\n}\n")
	}
	files := map[string]string{"snippet.go": src.String()}

	// The environment: every variable the fragment names and does not
	// declare at its top level.
	var env []string
	envImports := map[string]string{}
	for name, typ := range environment {
		if !used[name] || topLevel[name] {
			continue
		}
		env = append(env, fmt.Sprintf("\t%s %s\n", name, typ))
		expr, err := parser.ParseExpr(typ)
		if err != nil {
			return nil, fmt.Errorf("environment %s: %v", name, err)
		}
		ast.Inspect(expr, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if pkg, ok := sel.X.(*ast.Ident); ok {
					envImports[knownPackages[pkg.Name]] = pkg.Name + " " + strconv.Quote(knownPackages[pkg.Name])
				}
			}
			return true
		})
	}
	if len(env) > 0 {
		sort.Strings(env)
		var e strings.Builder
		fmt.Fprintf(&e, "package %s\n\n", snippetPackage)
		writeImports(&e, envImports)
		e.WriteString("// The surroundings of the fragment.\nvar (\n")
		for _, line := range env {
			e.WriteString(line)
		}
		e.WriteString(")\n")
		files["environment.go"] = e.String()
	}
	return files, nil
}

func writeImports(b *strings.Builder, imports map[string]string) {
	if len(imports) == 0 {
		return
	}
	specs := make([]string, 0, len(imports))
	for _, spec := range imports {
		specs = append(specs, spec)
	}
	sort.Strings(specs)
	b.WriteString("import (\n")
	for _, s := range specs {
		fmt.Fprintf(b, "\t%s\n", s)
	}
	b.WriteString(")\n\n")
}

// importPath returns the path of an import spec such as `"fmt"` or
// `vault "github.com/vault-dev/vault-go"`.
func importPath(spec string) (string, error) {
	quoted := spec
	if i := strings.IndexAny(spec, "\"`"); i > 0 {
		quoted = spec[i:]
	}
	path, err := strconv.Unquote(strings.TrimSpace(quoted))
	if err != nil {
		return "", fmt.Errorf("import %s: %v", spec, err)
	}
	return path, nil
}

// names returns the identifiers f uses, those it declares anywhere, and
// those it uses as the X of X.Sel (package names, if not declared).
func names(f *ast.File) (used, declared, qualifiers map[string]bool) {
	used, declared, qualifiers = map[string]bool{}, map[string]bool{}, map[string]bool{}
	declare := func(ids ...*ast.Ident) {
		for _, id := range ids {
			declared[id.Name] = true
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			used[n.Name] = true
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok {
				qualifiers[x.Name] = true
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						declare(id)
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						declare(id)
					}
				}
			}
		case *ast.ValueSpec:
			declare(n.Names...)
		case *ast.TypeSpec:
			declare(n.Name)
		case *ast.FuncDecl:
			declare(n.Name)
		case *ast.Field:
			declare(n.Names...)
		}
		return true
	})
	return used, declared, qualifiers
}

// topLevelNames returns the names f declares at package level, or, for
// the function wrapping a block of statements, at the top of its body.
func topLevelNames(f *ast.File) map[string]bool {
	top := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name != "_" {
				top[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, id := range s.Names {
						top[id.Name] = true
					}
				case *ast.TypeSpec:
					top[s.Name.Name] = true
				}
			}
		}
	}
	return top
}

// unusedCandidates returns the variables the statements of the function
// wrapping a block declare at the top of its body: the rest of the
// function the block was taken from would use them.
func unusedCandidates(f *ast.File) []string {
	seen := map[string]bool{}
	var out []string
	add := func(id *ast.Ident) {
		if id.Name != "_" && !seen[id.Name] {
			seen[id.Name] = true
			out = append(out, id.Name)
		}
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		for _, stmt := range fn.Body.List {
			switch s := stmt.(type) {
			case *ast.AssignStmt:
				if s.Tok == token.DEFINE {
					for _, e := range s.Lhs {
						if id, ok := e.(*ast.Ident); ok {
							add(id)
						}
					}
				}
			case *ast.DeclStmt:
				if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
					for _, spec := range g.Specs {
						for _, id := range spec.(*ast.ValueSpec).Names {
							add(id)
						}
					}
				}
			}
		}
	}
	return out
}
