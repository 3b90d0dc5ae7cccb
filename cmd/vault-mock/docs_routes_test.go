package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestDocsListEachControlRouteOnce reads the route table of the control
// API in docs/vault-mock.md and checks that it lists each operation of
// api/control-openapi.yaml once, under the path the document gives it,
// and nothing else: a reader takes a second row for a second route.
func TestDocsListEachControlRouteOnce(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "vault-mock.md"))
	require.NoError(t, err)
	doc := string(b)
	start := strings.Index(doc, "## The control API")
	end := strings.Index(doc, "### Members")
	require.True(t, start >= 0 && end > start, "the page has the section and its members")
	section := doc[start:end]

	b, err = os.ReadFile(filepath.Join("..", "..", "api", "control-openapi.yaml"))
	require.NoError(t, err)
	var api struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(b, &api))
	want := map[string]int{}
	for path, ops := range api.Paths {
		for method := range ops {
			if method != "parameters" {
				want[strings.ToUpper(method)+" "+path] = 1
			}
		}
	}

	row := regexp.MustCompile("(?m)^\\| `([A-Z]+) (/[^`?]*)[^`]*` \\|")
	got := map[string]int{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		got[m[1]+" "+m[2]]++
	}
	assert.Equal(t, want, got, "the routes of the table, and how often each is listed")
}
