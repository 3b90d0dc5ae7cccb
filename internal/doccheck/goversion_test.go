package doccheck

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoVersionsMatchGoMod keeps the README's Go versions true: every
// "Go 1.N" it names is the release the go line of go.mod states, so that
// raising that line without the README fails here. A patch release such
// as Go 1.26.8, the version of a machine, is not matched.
func TestGoVersionsMatchGoMod(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^go (1\.[0-9]+)(\.[0-9]+)?$`).FindSubmatch(mod)
	require.NotNil(t, m, "go.mod has no go line")
	want := string(m[1])

	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	named := regexp.MustCompile(`Go (1\.[0-9]+)\b([^.0-9]|\.[^0-9]|$)`).FindAllSubmatch(readme, -1)
	require.NotEmpty(t, named, "the README names the Go release go.mod states")
	for _, n := range named {
		assert.Equal(t, want, string(n[1]), "README.md names Go %s; go.mod's go line is %s", n[1], want)
	}
}
