package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
)

var logoutAllCommand = command{
	name:    "sessions logout-all",
	args:    "[flags]",
	summary: "Sign out every session of the user.",
	details: `On a terminal it asks for a confirmation first, unless --yes is given.
Without a terminal (in a script or a pipe) it refuses to run unless --yes
is given. Whether the current session (the one of the token in use) ends
too depends on the server: under the API's spec it does, and the token no
longer works afterwards; the Vault server keeps it, signs out the others
and says how many ("Revoked 3 sessions").

Examples:
  vault sessions logout-all
  vault sessions logout-all --yes
`,
}

var opLogoutAll = operation{sdk: "logout all sessions", label: "log out all sessions"}

// confirmPrompt is the question logout-all asks on a terminal.
const confirmPrompt = "Sign out every session of this user (the current one too, unless the server keeps it)? [y/N] "

// logoutAll runs "vault sessions logout-all".
func (c *cli) logoutAll(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("vault sessions logout-all", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	yes := fs.Bool("yes", false, "do not ask for a confirmation; required without a terminal")
	rest, code, ok := c.parse(logoutAllCommand, fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.fail(exitUsage, "", fmt.Sprintf("sessions logout-all takes no arguments, got %d", len(rest)), "to sign out some sessions only, use vault sessions revoke ID...")
	}
	cfg, client, err := c.connect(conn)
	if err != nil {
		return c.failUsage(err)
	}
	defer client.CloseIdleConnections()

	if !*yes {
		if !c.stdinIsTerminal() {
			return c.fail(exitUsage, "", "sessions logout-all signs every session out and needs a confirmation, but stdin is not a terminal",
				"pass --yes to confirm")
		}
		if !c.confirm(confirmPrompt) {
			return c.fail(exitFailure, "", "cancelled; no session was signed out", "")
		}
	}

	ctx, cancel := withTimeout(ctx, cfg)
	defer cancel()
	msg, err := client.Sessions.LogoutAllSessions(ctx)
	if err != nil {
		f := explain(opLogoutAll, err, cfg)
		return c.fail(exitFailure, cfg.token, f.msg, f.hint)
	}
	fmt.Fprintln(c.stdout, cell(msg.Message))
	return exitOK
}

// confirm asks question on stderr and reports whether the answer read
// from stdin is yes. The end of the input is a no.
func (c *cli) confirm(question string) bool {
	fmt.Fprint(c.stderr, question)
	answer, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && answer == "" {
		fmt.Fprintln(c.stderr)
		return false
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true
	}
	return false
}
