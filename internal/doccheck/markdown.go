// Package doccheck keeps the Go code of the repository's Markdown files
// true to the code: every ```go block either compiles against the SDK or
// quotes a declaration of package vault exactly.
//
// A block is checked according to what it holds:
//
//   - A file, starting with a package clause, is type-checked as it is.
//   - Declarations of package vault without their bodies (a method's
//     signature, a struct type, a list of constants), the way reference
//     pages quote them, must match the package's source, exported fields
//     and all; comments and unexported fields are not compared.
//   - Other declarations (a test function, a helper) become a file of a
//     package of their own.
//   - Statements become the body of a function returning error, as if
//     taken from the middle of one: a variable they declare at their top
//     level may go unused, because the rest of that function would use it.
//     Leading import lines are honoured.
//
// Declarations and statements get the imports of the packages they name
// (vault, vaulttest, net/http as http, and the other packages of
// knownPackages), and the variables a fragment takes from its
// surroundings, such as ctx, client, token and srv, are declared for them
// with the types of environment.
//
// A block that cannot compile on purpose is preceded by a line
//
//	<!-- doccheck:skip the reason -->
//
// and is not checked. Blocks whose info string is not exactly "go" (sh,
// ts, text) are not Go and are not checked either.
package doccheck

import (
	"bytes"
	"fmt"
	"strings"
)

// Block is a ```go block of a Markdown file.
type Block struct {
	File string // the Markdown file, as the checker names it in problems
	Line int    // the line of the block's first line of code, from 1
	Code string // the code, without the fence's indentation
	// Skip is the reason given by a doccheck:skip marker, or "".
	Skip string
}

// skipMarker starts the comment that exempts the next block.
const skipMarker = "<!-- doccheck:skip"

// Blocks returns the Go blocks of a Markdown file named file. A fence may
// be indented, as in a list item; the indentation is removed from every
// line of the block. A block left open at the end of the file is an
// error.
func Blocks(file string, src []byte) ([]Block, error) {
	lines := strings.Split(string(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))), "\n")
	var blocks []Block
	prev := "" // the last non-blank line before the current one
	for i := 0; i < len(lines); i++ {
		indent, fence, info, ok := openingFence(lines[i])
		if !ok {
			if strings.TrimSpace(lines[i]) != "" {
				prev = strings.TrimSpace(lines[i])
			}
			continue
		}
		start := i
		var code []string
		closed := false
		for i++; i < len(lines); i++ {
			if isClosingFence(lines[i], fence) {
				closed = true
				break
			}
			code = append(code, dedent(lines[i], indent))
		}
		if !closed {
			return nil, fmt.Errorf("%s:%d: code block is not closed", file, start+1)
		}
		if info == "go" {
			b := Block{File: file, Line: start + 2, Code: strings.Join(code, "\n") + "\n"}
			if reason, ok := strings.CutPrefix(prev, skipMarker); ok {
				b.Skip = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(reason), "-->"))
				if b.Skip == "" {
					return nil, fmt.Errorf("%s:%d: %s needs a reason", file, start, skipMarker)
				}
			}
			blocks = append(blocks, b)
		}
		prev = ""
	}
	return blocks, nil
}

// openingFence reports whether line opens a fenced code block, with its
// indentation, its fence (``` or ~~~, possibly longer) and its info
// string.
func openingFence(line string) (indent int, fence, info string, ok bool) {
	trimmed := strings.TrimLeft(line, " ")
	indent = len(line) - len(trimmed)
	for _, c := range []string{"`", "~"} {
		n := len(trimmed) - len(strings.TrimLeft(trimmed, c))
		if n >= 3 {
			return indent, trimmed[:n], strings.TrimSpace(trimmed[n:]), true
		}
	}
	return 0, "", "", false
}

// isClosingFence reports whether line closes a block opened by fence: the
// same character, at least as many times, and nothing else.
func isClosingFence(line, fence string) bool {
	trimmed := strings.TrimSpace(line)
	return strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == ""
}

// dedent removes up to n leading spaces from line.
func dedent(line string, n int) string {
	for i := 0; i < n && strings.HasPrefix(line, " "); i++ {
		line = line[1:]
	}
	return line
}
