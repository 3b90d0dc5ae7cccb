package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"time"
)

// cli is the whole command, with everything it touches outside the
// process injected, so that tests can drive it as a terminal or a script
// would.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stdinIsTerminal reports whether stdin is an interactive terminal,
	// the only place logout-all asks for a confirmation.
	stdinIsTerminal func() bool
	// now is the clock relative times are shown against.
	now func() time.Time
	// onListen, when set, is told the address webhook listen listens on.
	onListen func(net.Addr)
	// listenReadTimeout bounds how long webhook listen reads one request,
	// its body included.
	listenReadTimeout time.Duration
}

// newCLI returns a cli over the given streams and environment.
func newCLI(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *cli {
	return &cli{
		stdin:           stdin,
		stdout:          stdout,
		stderr:          stderr,
		getenv:          getenv,
		stdinIsTerminal: func() bool { return isTerminal(stdin) },
		now:             time.Now,

		listenReadTimeout: webhookReadTimeout,
	}
}

// isTerminal reports whether r is a terminal: a character device other
// than the null device, which is one too but has nobody to answer.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

// run runs the command line args (without the program name) and returns
// the exit code.
func (c *cli) run(ctx context.Context, args []string) int {
	if name, ok := tokenFlag(args); ok {
		return c.fail(exitUsage, "", name+" is not accepted: a token on the command line ends up in shell history and process lists",
			"set VAULT_TOKEN or pass --token-file FILE")
	}
	global, args, misplaced := splitGlobalFlags(args)
	if misplaced != "" {
		return c.fail(exitUsage, "", "flag "+misplaced+" must follow a command", "such as: vault sessions list "+misplaced)
	}
	if len(args) == 0 {
		c.printHelp(c.stderr, rootHelp)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		c.printHelp(c.stdout, rootHelp)
		return exitOK
	case "help":
		if len(args) == 1 {
			c.printHelp(c.stdout, rootHelp)
			return exitOK
		}
		return c.run(ctx, append(append([]string(nil), args[1:]...), "--help"))
	case "sessions":
		return c.sessions(ctx, args[1:], global)
	case "admin":
		return c.admin(ctx, args[1:], global)
	case "webhook":
		return c.webhookCmd(ctx, args[1:], global)
	case "version":
		// The connection flags have nothing to connect here.
		return c.version(args[1:])
	}
	if strings.HasPrefix(args[0], "-") {
		name, _, _ := strings.Cut(args[0], "=")
		return c.fail(exitUsage, "", "flag "+name+" must follow a command", "such as: vault sessions list "+name)
	}
	return c.fail(exitUsage, "", fmt.Sprintf("unknown command %q", printable(args[0])), "run vault --help for the commands")
}

// sessions runs a subcommand of "vault sessions", with the connection
// flags given before the command, if any, in front of its own arguments.
func (c *cli) sessions(ctx context.Context, args, global []string) int {
	if len(args) == 0 {
		c.printHelp(c.stderr, sessionsHelp)
		return exitUsage
	}
	sub := slices.Concat(global, args[1:])
	switch args[0] {
	case "-h", "-help", "--help", "help":
		c.printHelp(c.stdout, sessionsHelp)
		return exitOK
	case "list":
		return c.list(ctx, sub)
	case "revoke":
		return c.revoke(ctx, sub)
	case "revoke-others":
		return c.revokeOthers(ctx, sub)
	case "logout-all":
		return c.logoutAll(ctx, sub)
	}
	return c.fail(exitUsage, "", fmt.Sprintf("unknown command \"sessions %s\"", printable(args[0])), "run vault sessions --help for the commands")
}

// tokenFlag reports whether args hold a flag that would carry the token,
// and its name without any value.
func tokenFlag(args []string) (string, bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(a, "=")
		switch strings.TrimLeft(name, "-") {
		case "token", "access-token":
			if strings.HasPrefix(name, "-") {
				return "--" + strings.TrimLeft(name, "-"), true
			}
		}
	}
	return "", false
}

// splitGlobalFlags takes the connection flags given before the command
// off args, so that "vault --verbose sessions list" runs as
// "vault sessions list --verbose": the command parses them with its own.
// It returns them, the rest of args, and the name of the first flag
// before the command that is not a connection flag, such as --output,
// which belongs after its command.
func splitGlobalFlags(args []string) (global, rest []string, misplaced string) {
	fs := flag.NewFlagSet("vault", flag.ContinueOnError)
	new(connFlags).register(fs)
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" && args[i] != "--" {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if name == "h" || name == "help" {
			break // vault --verbose --help is the root's help
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, nil, "--" + name
		}
		i++
		if b, isBool := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(isBool && b.IsBoolFlag()) && i < len(args) {
			i++ // the flag's value, such as 5s in --timeout 5s
		}
	}
	if i < len(args) && args[i] == "--" {
		return args[:i], args[i+1:], "" // "vault -- sessions list"
	}
	return args[:i], args[i:], ""
}
