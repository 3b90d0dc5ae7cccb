package vault

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// semver is a semantic version without a leading "v", as Version is
// written: MAJOR.MINOR.PATCH with an optional pre-release.
var semver = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$`)

// TestVersionIsTheNewestRelease keeps the one version string of the
// module true: Version is a semantic version, and it is the newest
// release CHANGELOG.md lists, below the section of unreleased changes.
// A release raises Version in the commit that turns "Unreleased" into
// its heading.
func TestVersionIsTheNewestRelease(t *testing.T) {
	assert.Regexp(t, semver, Version)

	b, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	var headings []string
	for _, line := range strings.Split(string(b), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			headings = append(headings, strings.TrimSpace(h))
		}
	}
	require.GreaterOrEqual(t, len(headings), 2, "CHANGELOG.md has an Unreleased section and at least one release")
	assert.Equal(t, "Unreleased", headings[0], "the first section of CHANGELOG.md gathers the changes not released yet")
	newest, _, _ := strings.Cut(headings[1], " ") // "0.2.0" or "0.2.0 (2026-05-01)"
	assert.Equal(t, Version, newest, "Version is the newest release of CHANGELOG.md")
	for _, h := range headings[1:] {
		v, _, _ := strings.Cut(h, " ")
		assert.Regexp(t, semver, v, "a release heading of CHANGELOG.md starts with its version")
	}
	ua := userAgent("")
	assert.True(t, strings.HasPrefix(ua, "vault-go/"+Version+" "), "the User-Agent carries Version: %s", ua)
}
