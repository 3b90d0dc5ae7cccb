package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// rootHelp is the help of vault itself.
const rootHelp = `vault manages the sessions of a Vault user through the Sessions API.

Usage:
  vault sessions list [flags]             list the active sessions
  vault sessions revoke [flags] ID...     sign one or more sessions out
  vault sessions revoke-others [flags]    sign out every session but the current one
  vault sessions logout-all [flags]       sign every session out
  vault admin sessions COMMAND USER_ID    manage any user's sessions, as a tenant administrator
  vault webhook listen [flags]            receive, verify and print webhooks
  vault version                           print the versions of vault and the SDK
  vault help [COMMAND]                    print the help of a command

Every sessions command takes the connection flags --base-url, --tenant-id,
--token-file, --timeout, --retries and --verbose, before or after the
command (vault --verbose sessions list, vault sessions list --verbose);
run vault sessions list --help for their description. Run vault admin
--help for the admin commands.
` + environmentHelp + exitCodesHelp

// webhookHelp is the help of "vault webhook".
const webhookHelp = `Usage:
  vault webhook listen [flags]            receive, verify and print webhooks

Run vault webhook listen --help for its flags.
`

// sessionsHelp is the help of "vault sessions".
const sessionsHelp = `Usage:
  vault sessions list [flags]             list the active sessions
  vault sessions revoke [flags] ID...     sign one or more sessions out
  vault sessions revoke-others [flags]    sign out every session but the current one
  vault sessions logout-all [flags]       sign every session out

Run vault sessions COMMAND --help for the flags of a command.
`

const environmentHelp = `
Environment:
  VAULT_BASE_URL    API base URL (default ` + defaultBaseURL + `); --base-url wins
  VAULT_TOKEN       bearer token; --token-file wins. The token is never
                    accepted as a flag value and never printed.
  VAULT_TENANT_ID   tenant ID sent as X-Tenant-ID; --tenant-id wins
`

const exitCodesHelp = `
Exit codes:
  0  success
  1  the API or the network failed, or a confirmation was declined
  2  usage or configuration error, such as an unknown flag or a missing token
`

// command describes a leaf command for its --help.
type command struct {
	name    string // such as "sessions revoke"
	args    string // such as "[flags] ID..."
	summary string
	details string
}

// printHelp writes text to w.
func (c *cli) printHelp(w io.Writer, text string) {
	_, _ = io.WriteString(w, text)
}

// printCommandHelp writes the help of cmd, with the flags of fs, to w.
func printCommandHelp(w io.Writer, cmd command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage:\n  %s\n\n%s\n", strings.TrimSpace("vault "+cmd.name+" "+cmd.args), cmd.summary)
	if cmd.details != "" {
		fmt.Fprintf(w, "\n%s", cmd.details)
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if !hasFlags {
		return
	}
	fmt.Fprintf(w, "\nFlags:\n")
	printFlags(w, fs)
	if fs.Lookup("base-url") != nil {
		_, _ = io.WriteString(w, environmentHelp+exitCodesHelp)
	}
}

// printFlags lists the flags of fs with a double dash, as the help and
// docs/cli.md spell them; the flag package accepts one dash or two.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n      %s", line, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// parse parses the flags and arguments of cmd from args, in any order;
// arguments after "--" are never flags. When the command must stop here
// (help was asked for, or the flags were wrong) it returns false and the
// exit code.
func (c *cli) parse(cmd command, fs *flag.FlagSet, args []string) ([]string, int, bool) {
	fs.SetOutput(c.stderr)
	fs.Usage = func() {}
	var positional []string
	for {
		err := fs.Parse(args)
		if err == flag.ErrHelp {
			printCommandHelp(c.stdout, cmd, fs)
			return nil, exitOK, false
		}
		if err != nil {
			fmt.Fprintf(c.stderr, "Run vault %s --help for usage.\n", cmd.name)
			return nil, exitUsage, false
		}
		consumed := len(args) - fs.NArg()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, fs.Args()...), exitOK, true
		}
		if fs.NArg() == 0 {
			return positional, exitOK, true
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
