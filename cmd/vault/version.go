package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"

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

// cliVersion is the module version vault was built from, such as v0.1.0
// after go install, or "devel" for a build from a working tree.
func cliVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}
