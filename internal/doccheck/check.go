package doccheck

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// Problem is a block that does not compile, or quotes a declaration that
// is not the source's.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// Report is the outcome of a check.
type Report struct {
	Problems []Problem
	// Checked counts the blocks checked, by how: "file", "excerpt",
	// "declarations" or "statements".
	Checked map[string]int
	// Skipped are the blocks marked doccheck:skip.
	Skipped []Block
}

// Checker checks blocks against a checkout of the SDK.
type Checker struct {
	// Root is the directory of the SDK's module. Package vault's source
	// is read there, and the packages the blocks import are built there.
	Root string
}

// unit is a package made of a block.
type unit struct {
	block Block
	files map[string]string // source by file name
}

// Check checks blocks. Its error is about the check itself, such as the
// go command failing; what is wrong with the blocks is in the Report.
func (c *Checker) Check(blocks []Block) (*Report, error) {
	src, err := parseSource(c.Root)
	if err != nil {
		return nil, err
	}
	report := &Report{Checked: map[string]int{}}
	var units []unit
	for _, b := range blocks {
		if b.Skip != "" {
			report.Skipped = append(report.Skipped, b)
			continue
		}
		k, explicit, body, err := classify(b.Code)
		if err != nil {
			report.Problems = append(report.Problems, Problem{b.File, b.Line, err.Error()})
			continue
		}
		if k == kindDeclarations {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "", "package "+snippetPackage+"\n"+b.Code, parser.SkipObjectResolution)
			if err != nil {
				return nil, err // classify parsed it already
			}
			if isExcerpt(f, src) {
				report.Checked[kindExcerpt.String()]++
				report.Problems = append(report.Problems, compareExcerpt(b, fset, f, src)...)
				continue
			}
		}
		report.Checked[k.String()]++
		u := unit{block: b}
		if k == kindFile {
			u.files = map[string]string{"file.go": fmt.Sprintf("//line %s:%d\n%s", b.File, b.Line, b.Code)}
		} else if u.files, err = snippetFiles(b, k, explicit, body); err != nil {
			report.Problems = append(report.Problems, Problem{b.File, b.Line, err.Error()})
			continue
		}
		units = append(units, u)
	}
	problems, err := c.typeCheck(units)
	if err != nil {
		return nil, err
	}
	report.Problems = append(report.Problems, problems...)
	sort.SliceStable(report.Problems, func(i, j int) bool {
		a, b := report.Problems[i], report.Problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return report, nil
}

// typeCheck type-checks each unit as a package of its own, importing the
// packages compiled by the go command in c.Root.
func (c *Checker) typeCheck(units []unit) ([]Problem, error) {
	fset := token.NewFileSet()
	parsed := make([][]*ast.File, len(units))
	var problems []Problem
	paths := map[string]bool{}
	for i, u := range units {
		names := make([]string, 0, len(u.files))
		for name := range u.files {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			f, err := parser.ParseFile(fset, name, u.files[name], parser.SkipObjectResolution)
			if err != nil {
				problems = append(problems, Problem{u.block.File, u.block.Line, err.Error()})
				parsed[i] = nil
				break
			}
			parsed[i] = append(parsed[i], f)
			for _, imp := range f.Imports {
				if path, err := importPath(imp.Path.Value); err == nil {
					paths[path] = true
				}
			}
		}
	}

	exports, err := c.exportData(paths)
	if err != nil {
		return nil, err
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file := exports[path]
		if file == "" {
			return nil, fmt.Errorf("package %q is not in the module at %s", path, c.Root)
		}
		return os.Open(file)
	})

	for i, files := range parsed {
		if files == nil {
			continue
		}
		b := units[i].block
		conf := types.Config{
			Importer: imp,
			Error: func(err error) {
				var terr types.Error
				if !errors.As(err, &terr) {
					problems = append(problems, Problem{b.File, b.Line, err.Error()})
					return
				}
				pos := fset.Position(terr.Pos)
				p := Problem{pos.Filename, pos.Line, terr.Msg}
				if pos.Filename != b.File {
					// The wrapper's own lines: name the block.
					p = Problem{b.File, b.Line, "in the code around the block: " + terr.Msg}
				}
				problems = append(problems, p)
			},
		}
		_, _ = conf.Check(fmt.Sprintf("doccheck/block%d", i), fset, files, nil)
	}
	return problems, nil
}

// exportData returns the export data file of each package in paths and
// of their dependencies, as the go command builds them in c.Root.
func (c *Checker) exportData(paths map[string]bool) (map[string]string, error) {
	exports := map[string]string{}
	if len(paths) == 0 {
		return exports, nil
	}
	args := []string{"list", "-e", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
	for path := range paths {
		if path != "unsafe" && path != "C" {
			args = append(args, path)
		}
	}
	sort.Strings(args[6:])
	cmd := exec.Command("go", args...)
	cmd.Dir = c.Root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, stderr.Bytes())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, file, _ := strings.Cut(sc.Text(), "\t")
		exports[path] = file
	}
	return exports, sc.Err()
}
