package doccheck

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// source holds the declarations of a package, as printed without
// comments and unexported fields, by the name a quote would give them:
// "NewClient", "(*SessionsService).ListSessions", "DeviceType".
type source map[string]string

// parseSource reads the declarations of the package in dir, tests left
// out.
func parseSource(dir string) (source, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	src := source{}
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, data, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for key, text := range declarations(fset, f) {
			src[key] = text
		}
	}
	return src, nil
}

// isExcerpt reports whether every declaration of f quotes one of src:
// a function without a body, or a type, constant or variable that src
// declares.
func isExcerpt(f *ast.File, src source) bool {
	if len(f.Decls) == 0 {
		return false
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body != nil {
				return false
			}
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				return false
			}
			for _, s := range d.Specs {
				for _, name := range specNames(s) {
					if _, ok := src[name]; !ok {
						return false
					}
				}
			}
		}
	}
	return true
}

// compareExcerpt returns a problem for each declaration of the excerpt
// f that differs from src.
func compareExcerpt(b Block, fset *token.FileSet, f *ast.File, src source) []Problem {
	var problems []Problem
	for key, quoted := range declarations(fset, f) {
		actual, ok := src[key]
		switch {
		case !ok:
			problems = append(problems, Problem{b.File, b.Line, fmt.Sprintf("%s is not declared in package vault", key)})
		case actual != quoted:
			problems = append(problems, Problem{b.File, b.Line, fmt.Sprintf("%s differs from the source:\n\tdocs:   %s\n\tsource: %s",
				key, oneLine(quoted), oneLine(actual))})
		}
	}
	return problems
}

// declarations returns the declarations of f by name, printed without
// comments, function bodies and unexported struct fields.
func declarations(fset *token.FileSet, f *ast.File) map[string]string {
	out := map[string]string{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			fn := *d
			fn.Doc, fn.Body = nil, nil
			out[funcKey(&fn)] = printNode(fset, &fn)
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				continue
			}
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					ts := *s
					ts.Doc, ts.Comment = nil, nil
					ts.Type = exportedOnly(ts.Type)
					out[s.Name.Name] = d.Tok.String() + " " + printNode(fset, &ts)
				case *ast.ValueSpec:
					for i, name := range s.Names {
						out[name.Name] = d.Tok.String() + " " + valueText(fset, s, i)
					}
				}
			}
		}
	}
	return out
}

// valueText prints the i-th name of a constant or variable spec with its
// type and value.
func valueText(fset *token.FileSet, s *ast.ValueSpec, i int) string {
	text := s.Names[i].Name
	if s.Type != nil {
		text += " " + printNode(fset, s.Type)
	}
	if i < len(s.Values) {
		text += " = " + printNode(fset, s.Values[i])
	}
	return text
}

func specNames(s ast.Spec) []string {
	switch s := s.(type) {
	case *ast.TypeSpec:
		return []string{s.Name.Name}
	case *ast.ValueSpec:
		var names []string
		for _, n := range s.Names {
			names = append(names, n.Name)
		}
		return names
	}
	return nil
}

// funcKey names a function "F" and a method "(*T).M" or "T.M".
func funcKey(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	recv := fn.Recv.List[0].Type
	if star, ok := recv.(*ast.StarExpr); ok {
		return "(*" + typeName(star.X) + ")." + fn.Name.Name
	}
	return typeName(recv) + "." + fn.Name.Name
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.IndexExpr:
		return typeName(e.X)
	case *ast.IndexListExpr:
		return typeName(e.X)
	}
	return fmt.Sprintf("%T", e)
}

// exportedOnly returns a struct type with its unexported fields and all
// comments removed; other types are returned as they are.
func exportedOnly(e ast.Expr) ast.Expr {
	st, ok := e.(*ast.StructType)
	if !ok || st.Fields == nil {
		return e
	}
	fields := &ast.FieldList{}
	for _, field := range st.Fields.List {
		f := *field
		f.Doc, f.Comment = nil, nil
		if len(f.Names) == 0 {
			// An embedded field is named by its type.
			if ast.IsExported(strings.TrimPrefix(typeName(embedded(f.Type)), "*")) {
				fields.List = append(fields.List, &f)
			}
			continue
		}
		var names []*ast.Ident
		for _, n := range f.Names {
			if n.IsExported() {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			f.Names = names
			fields.List = append(fields.List, &f)
		}
	}
	return &ast.StructType{Fields: fields}
}

func embedded(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.StarExpr:
		return embedded(e.X)
	case *ast.SelectorExpr:
		return e.Sel
	}
	return e
}

// printNode prints node without comments, on one line with single spaces
// and without semicolons, so that a quote prints the same as the source
// however either is laid out.
func printNode(fset *token.FileSet, node any) string {
	var buf bytes.Buffer
	cfg := printer.Config{Mode: printer.RawFormat, Tabwidth: 8}
	if err := cfg.Fprint(&buf, fset, node); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(buf.String(), ";", " ")), " ")
}

// oneLine shortens a printed declaration for a problem's message.
func oneLine(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
