package main

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

func TestVersion(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	require.True(t, ok, "a test binary has build information")
	h := newHarness(t)
	r := h.run("version")
	requireCode(t, exitOK, r)
	assert.Empty(t, r.stderr)
	assert.Equal(t, "vault "+versionFrom(info)+"\nvault-go SDK "+vault.Version+"\n"+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n", r.stdout)
	assert.NotContains(t, r.stdout, "devel", "vault always prints a version")
}

func TestVersionFromBuildInformation(t *testing.T) {
	sdk := func(version string) debug.Module { return debug.Module{Path: modulePath, Version: version} }
	other := debug.Module{Path: "example.com/ops-tools", Version: "v3.1.0"}
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"go install of a release", &debug.BuildInfo{Main: sdk("v0.2.0")}, "0.2.0"},
		{"go install of a pre-release", &debug.BuildInfo{Main: sdk("v0.3.0-rc.1")}, "0.3.0-rc.1"},
		{"go install of a commit", &debug.BuildInfo{Main: sdk("v0.2.1-0.20260301120000-0123456789ab")}, "0.2.1-0.20260301120000-0123456789ab"},
		{"a build of a modified working tree", &debug.BuildInfo{Main: sdk("v0.2.1-0.20260301120000-0123456789ab+dirty")}, "0.2.1-0.20260301120000-0123456789ab+dirty"},
		{"a build the go command knows no version of", &debug.BuildInfo{Main: sdk("(devel)")}, vault.Version},
		{"no version recorded", &debug.BuildInfo{Main: sdk("")}, vault.Version},
		{"no build information", nil, vault.Version},
		{"built by another module", &debug.BuildInfo{Main: other, Deps: []*debug.Module{{Path: modulePath, Version: "v0.4.0"}}}, "0.4.0"},
		{"built by another module, the SDK replaced by a release", &debug.BuildInfo{Main: other, Deps: []*debug.Module{
			{Path: modulePath, Version: "v0.4.0", Replace: &debug.Module{Path: "example.com/fork/vault-go", Version: "v0.4.1"}},
		}}, "0.4.1"},
		{"built by another module, the SDK replaced by a directory", &debug.BuildInfo{Main: other, Deps: []*debug.Module{
			{Path: modulePath, Version: "v0.4.0", Replace: &debug.Module{Path: "../vault-go"}},
		}}, vault.Version},
		{"the other module's version is not the SDK's", &debug.BuildInfo{Main: other}, vault.Version},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, versionFrom(tt.info))
		})
	}
}
