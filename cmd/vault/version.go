package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	vault "github.com/vault-dev/vault-go"
)

var versionCommand = command{
	name:    "version",
	args:    "",
	summary: "Print the version of vault, of the vault-go SDK it is built on, and of Go.",
}

// version runs "vault version".
func (c *cli) version(args []string) int {
	fs := flag.NewFlagSet("vault version", flag.ContinueOnError)
	rest, code, ok := c.parse(versionCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.fail(exitUsage, "", fmt.Sprintf("version takes no arguments, got %d", len(rest)), "")
	}
	fmt.Fprintf(c.stdout, "vault %s\nvault-go SDK %s\n%s %s/%s\n", cliVersion(), vault.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// modulePath is the path of the module vault belongs to: the SDK's.
const modulePath = "github.com/vault-dev/vault-go"

// cliVersion is the version of the module vault was built from, in the
// form of vault.Version (without a leading "v"): the version the go
// command recorded in the binary when it is a real one, such as 0.2.0
// after go install github.com/vault-dev/vault-go/cmd/vault@v0.2.0, or a
// pseudo-version naming a commit; else, for a build from a working tree
// the go command knows no version of, vault.Version.
func cliVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return vault.Version
	}
	return versionFrom(info)
}

// versionFrom is cliVersion for the build information info.
func versionFrom(info *debug.BuildInfo) string {
	if m := sdkModule(info); m != nil && isModuleVersion(m.Version) {
		return strings.TrimPrefix(m.Version, "v")
	}
	return vault.Version
}

// sdkModule finds the SDK's module in info: the main module after go
// install or go build in the SDK, a dependency when another module builds
// vault, and what that dependency is replaced with, if it is.
func sdkModule(info *debug.BuildInfo) *debug.Module {
	if info == nil {
		return nil
	}
	if info.Main.Path == modulePath {
		return &info.Main
	}
	for _, m := range info.Deps {
		if m.Path != modulePath {
			continue
		}
		if m.Replace != nil {
			return m.Replace // a directory's has no version
		}
		return m
	}
	return nil
}

// isModuleVersion reports whether v is a module version, such as v0.2.0
// or a pseudo-version, rather than "(devel)" or nothing.
func isModuleVersion(v string) bool {
	return len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9'
}
