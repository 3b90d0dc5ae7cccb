package doccheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the SDK's module, two directories up from this package.
const root = "../.."

// docs returns the Markdown files whose Go blocks must compile, relative
// to root.
func docs(t *testing.T) []string {
	t.Helper()
	files := []string{"README.md", "CONTRIBUTING.md"}
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	for _, f := range more {
		rel, err := filepath.Rel(root, f)
		require.NoError(t, err)
		files = append(files, filepath.ToSlash(rel))
	}
	return files
}

func TestDocsCompile(t *testing.T) {
	var blocks []Block
	for _, file := range docs(t) {
		src, err := os.ReadFile(filepath.Join(root, file))
		require.NoError(t, err)
		bs, err := Blocks(file, src)
		require.NoError(t, err)
		blocks = append(blocks, bs...)
	}
	require.NotEmpty(t, blocks)

	report, err := (&Checker{Root: root}).Check(blocks)
	require.NoError(t, err)
	for _, p := range report.Problems {
		t.Error(p)
	}
	for _, b := range report.Skipped {
		t.Logf("%s:%d: not checked: %s", b.File, b.Line, b.Skip)
	}
	t.Logf("%d Go blocks: %v checked, %d skipped", len(blocks), report.Checked, len(report.Skipped))
}

// check runs the checker on one Markdown document.
func check(t *testing.T, markdown string) *Report {
	t.Helper()
	blocks, err := Blocks("doc.md", []byte(markdown))
	require.NoError(t, err)
	report, err := (&Checker{Root: root}).Check(blocks)
	require.NoError(t, err)
	return report
}

func problems(r *Report) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.String())
	}
	return out
}

func TestCheckFindsWhatDoesNotCompile(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		kind     string
		want     string // a problem, as file:line: message
	}{
		{
			name:     "a test that declares a variable it never uses",
			markdown: "# T\n\n```go\nfunc TestX(t *testing.T) {\n\tsrv := vaulttest.NewServer()\n\tdefer srv.Close()\n\tme := srv.SeedDemo(vaulttest.Demo{})[0]\n}\n```\n",
			kind:     "declarations",
			want:     "doc.md:7: declared and not used: me",
		},
		{
			name:     "statements calling a method that does not exist",
			markdown: "Text.\n\n```go\nsessions, err := client.Sessions.List(ctx)\nif err != nil {\n\treturn err\n}\n```\n",
			kind:     "statements",
			want:     "doc.md:4: client.Sessions.List undefined",
		},
		{
			name:     "statements returning what a function returning error cannot",
			markdown: "```go\nreturn \"\", false\n```\n",
			kind:     "statements",
			want:     "doc.md:2: too many return values",
		},
		{
			name:     "a file with a wrong field",
			markdown: "```go\npackage main\n\nimport \"github.com/vault-dev/vault-go\"\n\nfunc main() {\n\t_ = vault.Configuration{Token: \"x\"}\n}\n```\n",
			kind:     "file",
			want:     "doc.md:7: unknown field Token in struct literal",
		},
		{
			name:     "a file with an unused import",
			markdown: "```go\npackage main\n\nimport \"fmt\"\n\nfunc main() {}\n```\n",
			kind:     "file",
			want:     "doc.md:4: \"fmt\" imported and not used",
		},
		{
			name:     "a quoted signature that drifted",
			markdown: "```go\nfunc (s *SessionsService) ListSessions(ctx context.Context) ([]SessionResponse, error)\n```\n",
			kind:     "excerpt",
			want:     "doc.md:2: (*SessionsService).ListSessions differs from the source",
		},
		{
			name:     "a quoted struct missing a field",
			markdown: "```go\ntype RevokeOthersError struct {\n\tSessionIDs []string\n}\n```\n",
			kind:     "excerpt",
			want:     "doc.md:2: RevokeOthersError differs from the source",
		},
		{
			name:     "a quoted function the package does not have",
			markdown: "```go\nfunc WithTimeout(d time.Duration) RequestOption\n```\n",
			kind:     "excerpt",
			want:     "doc.md:2: WithTimeout is not declared in package vault",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := check(t, tt.markdown)
			assert.Equal(t, 1, r.Checked[tt.kind], "checked as %s: %v", tt.kind, r.Checked)
			got := problems(r)
			require.NotEmpty(t, got)
			assert.True(t, strings.HasPrefix(got[0], tt.want), "got %q, want a problem starting %q", got, tt.want)
		})
	}
}

func TestCheckAcceptsWhatCompiles(t *testing.T) {
	tests := []struct {
		name     string
		markdown string
		kind     string
	}{
		{
			name:     "statements whose top-level variables the rest of the function would use",
			markdown: "```go\nrevoked, err := client.Sessions.RevokeOtherSessions(ctx, vault.WithAccessToken(userToken))\n```\n",
			kind:     "statements",
		},
		{
			name:     "statements after an import line",
			markdown: "```go\nimport \"github.com/vault-dev/vault-go\"\n\nclient, err := vault.NewClient(vault.Configuration{AccessToken: token})\nif err != nil {\n\treturn err\n}\n_ = client\n```\n",
			kind:     "statements",
		},
		{
			name:     "a local type and a local variable shadowing the surroundings",
			markdown: "```go\ntype filter struct {\n\tLimit int `url:\"limit\"`\n}\nctx := context.Background()\n_, err := client.Sessions.ListSessions(ctx, vault.WithQuery(filter{Limit: 5}))\n```\n",
			kind:     "statements",
		},
		{
			name:     "an indented block in a list item",
			markdown: "- Faults:\n\n  ```go\n  srv.Faults().Add(vaulttest.Fault{Status: http.StatusServiceUnavailable})\n  ```\n",
			kind:     "statements",
		},
		{
			name:     "a helper function",
			markdown: "```go\nfunc notFound(err error) bool {\n\treturn errors.Is(err, vault.ErrNotFound)\n}\n```\n",
			kind:     "declarations",
		},
		{
			name:     "a quoted signature",
			markdown: "```go\nfunc WithAccessToken(token string) RequestOption\n```\n",
			kind:     "excerpt",
		},
		{
			name:     "a quoted struct, comments and layout aside",
			markdown: "```go\ntype RevokeOthersError struct {\n\tSessionIDs []string // not revoked\n\tErrs       []error  // why\n}\n```\n",
			kind:     "excerpt",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := check(t, tt.markdown)
			assert.Empty(t, problems(r))
			assert.Equal(t, map[string]int{tt.kind: 1}, r.Checked)
		})
	}
}

func TestBlocks(t *testing.T) {
	md := strings.Join([]string{
		"# Title",                            // 1
		"",                                   // 2
		"```sh",                              // 3
		"go test ./...",                      // 4
		"```",                                // 5
		"",                                   // 6
		"<!-- doccheck:skip pseudo-code -->", // 7
		"",                                   // 8
		"```go",                              // 9
		"x := ...",                           // 10
		"```",                                // 11
		"",                                   // 12
		"1. Step:",                           // 13
		"   ````go",                          // 14
		"   a := 1",                          // 15
		"     _ = a",                         // 16
		"   ````",                            // 17
	}, "\n")
	blocks, err := Blocks("doc.md", []byte(md))
	require.NoError(t, err)
	assert.Equal(t, []Block{
		{File: "doc.md", Line: 10, Code: "x := ...\n", Skip: "pseudo-code"},
		{File: "doc.md", Line: 15, Code: "a := 1\n  _ = a\n"},
	}, blocks)

	_, err = Blocks("doc.md", []byte("```go\nx := 1\n"))
	assert.EqualError(t, err, "doc.md:1: code block is not closed")
	_, err = Blocks("doc.md", []byte("<!-- doccheck:skip -->\n```go\nx\n```\n"))
	assert.ErrorContains(t, err, "needs a reason")
}
